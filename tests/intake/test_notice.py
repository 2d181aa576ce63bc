"""The notice reader: a golden corpus, one table per extractor, and hostile input.

Every notice in tests/notices/NAME.txt has beside it NAME.expected.yaml, the whole reading
expected with the SIGNALS and METRICS below (fixed copies, so the tests do not depend on the
reason files of the snippet library) and the library's own store and language files
(snippets/stores.yaml, snippets/notices/), which this module owns. tests/notices/SOURCES.md
says where each notice's shape comes from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TESTS
from hypothesis import given, settings
from hypothesis import strategies as st

from poakit.intake.lexicon import Lexicon, MetricInfo
from poakit.intake.notice import (
    Deadline,
    IssueReading,
    Metric,
    NoticeReading,
    RightsOwner,
    format_summary,
    read_notice,
)
from poakit.model.case import Route
from poakit.source.library import read_library

NOTICES = TESTS / "notices"
SIGNALS: dict[str, tuple[str, ...]] = {
    "order-defect-rate": (
        "order defect rate",
        "odr",
        "a-to-z guarantee claims",
        "chargebacks",
        "negative feedback",
    ),
    "late-shipment-rate": ("late shipment rate", "shipped late", "expected ship date"),
    "pre-fulfillment-cancel-rate": (
        "pre-fulfillment cancel rate",
        "pre-fulfilment cancel rate",
        "cancelled by the seller",
    ),
    "valid-tracking-rate": ("valid tracking rate", "tracking ids", "carrier tracking"),
    "on-time-delivery-rate": ("on-time delivery rate", "otdr", "delivered on time"),
    "trademark": ("trademark", "infringement type: trademark", "trademark asserted"),
    "copyright": ("copyright", "infringement type: copyright", "copyrighted images"),
    "patent": ("patent", "infringement type: patent", "patent number"),
    "inauthentic": (
        "inauthentic",
        "counterfeit",
        "complaint type: inauthentic",
        "not authentic",
    ),
    "used-sold-as-new": (
        "used sold as new",
        "sold as new",
        "condition guidelines",
        "condition complaints",
    ),
    "product-safety": ("product safety", "unsafe", "safety complaints", "defective"),
    "restricted-products": (
        "restricted products",
        "restricted product",
        "prohibited product",
        "not permitted for sale",
    ),
    "forged-documents": ("forged", "altered documents", "falsified", "edited invoices"),
    "related-accounts": (
        "related account",
        "related accounts",
        "linked account",
        "another selling account",
    ),
    "review-manipulation": (
        "review manipulation",
        "manipulate reviews",
        "incentivized reviews",
        "incentivised reviews",
        "customer reviews policy",
    ),
    "sales-rank-manipulation": ("sales rank", "search manipulation", "best sellers rank"),
    "code-of-conduct": ("code of conduct", "selling partner support"),
    "fair-pricing": (
        "fair pricing",
        "price gouging",
        "significantly higher than recent prices",
    ),
    "drop-shipping": ("drop shipping", "drop-shipping", "dropshipping", "seller of record"),
    "detail-page-abuse": (
        "detail page abuse",
        "variation abuse",
        "detail page rules",
        "variation policy",
    ),
    "compromised-account": (
        "compromised",
        "unauthorized access",
        "unauthorised access",
        "login credentials",
    ),
    "identity-verification": (
        "identity verification",
        "verify your identity",
        "seller verification",
    ),
}

METRICS = {
    reason: MetricInfo(reason, name, target)
    for reason, name, target in (
        ("order-defect-rate", "Order Defect Rate", "under 1%"),
        ("late-shipment-rate", "Late Shipment Rate", "under 4%"),
        ("pre-fulfillment-cancel-rate", "Pre-fulfilment Cancel Rate", "under 2.5%"),
        ("valid-tracking-rate", "Valid Tracking Rate", "at least 95%"),
        ("on-time-delivery-rate", "On-Time Delivery Rate", "at least 90%"),
    )
}
#: The library's stores and notice languages, as shipped.
DATA = read_library(REPO / "snippets").notices
LEXICON = Lexicon(SIGNALS, METRICS, DATA)


def read(text: str, signals: Mapping[str, Sequence[str]] | None = None) -> NoticeReading:
    return read_notice(text, LEXICON if signals is None else Lexicon(signals))


def ids_of(
    issue: IssueReading,
) -> tuple[str | None, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    return issue.reason, issue.label, issue.asins, issue.orders, issue.complaints


def plain(value: object) -> object:
    """A reading as YAML loads it: dataclasses as mappings, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    return value


def assert_partition(reading: NoticeReading) -> None:
    """Every ASIN, order and complaint of the notice is in exactly one issue."""
    for kind in ("asins", "orders", "complaints"):
        placed = [value for issue in reading.issues for value in getattr(issue, kind)]
        assert sorted(placed) == sorted(getattr(reading, kind)), kind


# --- the golden corpus --------------------------------------------------------------------

CORPUS = sorted(NOTICES.glob("*.txt"))


def expected(name: str) -> dict[str, object]:
    data = yaml.safe_load((NOTICES / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_corpus_covers_every_reason_five_stores_and_every_language() -> None:
    assert len(CORPUS) >= 30
    for notice in CORPUS:
        assert notice.with_name(notice.stem + ".expected.yaml").is_file(), notice.name
    readings = [expected(notice.stem) for notice in CORPUS]
    reasons = {i["reason"] for r in readings for i in r["issues"]}  # type: ignore[attr-defined]
    catalogue = {p.stem for p in (REPO / "snippets" / "reasons").glob("*.md")}
    assert catalogue <= reasons
    assert len({r["marketplace"] for r in readings} - {None}) >= 5
    assert {"de", "fr", "it", "es", "ja"} <= {r["language"] for r in readings}
    assert {r["route"] for r in readings} == {None, *(route.value for route in Route)}
    sources = (NOTICES / "SOURCES.md").read_text(encoding="utf-8")
    for notice in CORPUS:
        assert f"`{notice.name}`" in sources, notice.name


@pytest.mark.parametrize("notice", CORPUS, ids=[path.stem for path in CORPUS])
def test_golden(notice: Path) -> None:
    expected = yaml.safe_load(notice.with_name(notice.stem + ".expected.yaml").read_text())
    reading = read(notice.read_text(encoding="utf-8"))
    assert plain(reading) == expected
    assert_partition(reading)


# --- what issue 17 found: each case with its own test --------------------------------------


def reasons_and_ids(name: str) -> list[tuple[object, ...]]:
    reading = read((NOTICES / f"{name}.txt").read_text(encoding="utf-8"))
    return [(i.reason, i.asins, i.orders, i.complaints) for i in reading.issues]


def test_a_related_account_notice_citing_the_code_of_conduct_is_about_the_related_account() -> None:
    reading = read((NOTICES / "related-accounts-coc-ca.txt").read_text(encoding="utf-8"))
    assert [(r.reason, r.score) for r in reading.reasons][:2] == [
        ("related-accounts", 5),
        ("code-of-conduct", 1),  # "Seller Code of Conduct (https://...G1801)": a citation
    ]
    assert [i.reason for i in reading.issues] == ["related-accounts"]


def test_a_notice_numbering_its_reasons_gives_one_issue_each() -> None:
    assert reasons_and_ids("two-reasons-numbered-us") == [
        (
            "used-sold-as-new",
            ("B0F3KQ7M2T", "B0F3KQ8N4V"),
            ("112-6043318-2290541", "114-9905127-3318862"),
            (),
        ),
        ("product-safety", ("B0E7WX3R9P",), ("113-2217709-6650193", "111-5528846-0087312"), ()),
    ]


def test_a_notice_with_bulleted_or_paragraphed_reasons_gives_one_issue_each() -> None:
    assert reasons_and_ids("two-reasons-bulleted-au") == [
        ("restricted-products", ("B0D2HF6J8L", "B0D2HF7K1M"), (), ()),
        ("detail-page-abuse", ("B0C9PL4Q6R", "B0C9PL5S8T", "B0C9PL2N3Q"), (), ()),
    ]
    assert [reason for reason, *_ in reasons_and_ids("two-reasons-paragraphs-in")] == [
        "review-manipulation",
        "sales-rank-manipulation",
    ]


def test_a_uk_late_dispatch_rate_notice_is_a_late_shipment_rate_issue() -> None:
    reading = read((NOTICES / "late-dispatch-rate-uk.txt").read_text(encoding="utf-8"))
    assert [i.reason for i in reading.issues] == ["late-shipment-rate"]
    assert reading.metrics[0] == Metric(
        "late-shipment-rate", "Late Dispatch Rate", 6.2, "under 4%", 30, 41, 661, False
    )


def test_an_on_time_delivery_rate_notice_is_an_on_time_delivery_rate_issue() -> None:
    assert reasons_and_ids("on-time-delivery-rate-us") == [
        ("on-time-delivery-rate", ("B0FA2C4E6G", "B0FA2C5H8J"), (), ())
    ]


def test_a_german_notice_about_inauthentic_items_is_read() -> None:
    reading = read((NOTICES / "de-inauthentic.txt").read_text(encoding="utf-8"))
    assert (reading.language, reading.marketplace, reading.action) == (
        "de",
        "amazon.de",
        "account-deactivated",
    )
    assert reasons_and_ids("de-inauthentic") == [
        (
            "inauthentic",
            ("B0DK5P7R9T", "B0DK5P8S2V"),
            ("302-4418275-6630917", "028-7730419-1184526"),
            ("50817736240", "50817736241"),
        )
    ]
    assert (reading.evidence_window_days, reading.deadline) == (
        365,
        Deadline("bis zum 14. Juli 2026", dt.date(2026, 7, 14), None),
    )


# --- ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "asins"),
    [
        ("ASIN: B0C1234567", ("B0C1234567",)),
        ("https://www.amazon.com/dp/B0C1234567/ref=x", ("B0C1234567",)),
        ("B0C1234567, B0D7654321 and B0C1234567 again", ("B0C1234567", "B0D7654321")),
        ("ASIN: 0306406152", ("0306406152",)),
        ("ASIN:080442957x", ("080442957X",)),
        ("ASINs: 0306406152, 1555000123", ("0306406152", "1555000123")),
        ("ISBN 0306406152", ()),
        ("B0RDERLINE1", ()),
        ("B0RDERLINE", ()),
        ("XB0C1234567", ()),
        ("B0C1234567X", ()),
        ("B0C1234567_", ()),
        ("b0c1234567", ()),
    ],
)
def test_asins(text: str, asins: tuple[str, ...]) -> None:
    assert read(text).asins == asins


@pytest.mark.parametrize(
    ("text", "orders"),
    [
        ("Order ID: 112-1234567-1234567", ("112-1234567-1234567",)),
        (
            "112-1234567-1234567, 113-7654321-7654321, 112-1234567-1234567",
            ("112-1234567-1234567", "113-7654321-7654321"),
        ),
        ("1112-1234567-1234567", ()),
        ("112-1234567-12345678", ()),
        ("112-1234567-1234567-1", ()),
        ("x112-1234567-1234567", ()),
    ],
)
def test_orders(text: str, orders: tuple[str, ...]) -> None:
    assert read(text).orders == orders


@pytest.mark.parametrize(
    ("text", "complaints"),
    [
        ("Complaint ID: 1234567890", ("1234567890",)),
        ("complaint id 1234567890", ("1234567890",)),
        ("Complaint IDs: 111, 222", ("111", "222")),
        ("Complaint ID: abc", ()),
        ("Reference ID: 1234567890", ()),
        ("Complaint ID: 12345x", ()),
    ],
)
def test_complaints(text: str, complaints: tuple[str, ...]) -> None:
    assert read(text).complaints == complaints


def test_stated_types_keep_their_spelling_and_drop_repeats() -> None:
    reading = read(
        "Infringement type: Trademark\nInfringement type: trademark\n"
        "Infringement type:   Copyright  \nComplaint Type: Used sold as new.\nComplaint type:\n"
    )
    assert reading.infringement_types == ("Trademark", "Copyright")
    assert reading.complaint_types == ("Used sold as new",)


# --- rights owner -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        (
            "These are the rights owner's contact details:\nBrandCo Legal\nlegal@brandco.example",
            RightsOwner("BrandCo Legal", "legal@brandco.example"),
        ),
        (
            "Rights owner\u2019s contact details:\n\n  BrandCo Legal\n  legal@brandco.example\n",
            RightsOwner("BrandCo Legal", "legal@brandco.example"),
        ),
        (
            "Rights owner: Jane Roe <jane@roe.example>",
            RightsOwner("Jane Roe", "jane@roe.example"),
        ),
        (
            "Rights owner name: Acme Brands GmbH\nRights owner email: ip@acme.example",
            RightsOwner("Acme Brands GmbH", "ip@acme.example"),
        ),
        (
            "Rights owner contact details:\nnotice-dispute@amazon.com\nlegal@brandco.example",
            RightsOwner(None, "legal@brandco.example"),
        ),
        (
            "Rights owner: Northwind Kitchenware Ltd.",
            RightsOwner("Northwind Kitchenware Ltd.", None),
        ),
        (
            "Copyright owner's contact details: Ferncliff Studio (licensing@ferncliff.example)",
            RightsOwner("Ferncliff Studio", "licensing@ferncliff.example"),
        ),
        ("Brand owner:\nAcme Brands\n\nDept. 4\nip@acme.example", RightsOwner("Acme Brands", None)),
        ("The rights owner filed a complaint about your listing.", None),
        ("Copyright: rights owner unknown", None),
        (
            "The rights owner's contact details:\n"
            "If you have questions, please contact them directly by e-mail.",
            None,
        ),
    ],
)
def test_rights_owner(text: str, owner: RightsOwner | None) -> None:
    assert read(text).rights_owner == owner


@pytest.mark.parametrize(
    "mailbox",
    [
        "notice-dispute@amazon.com",
        "notice-retraction@amazon.co.uk",
        "seller-performance-policy@amazon.com",
        "payments-funds@amazon.de",
        "ip-complaints@sellercentral.amazon.com",
    ],
)
def test_amazon_mailboxes_are_never_the_rights_owner(mailbox: str) -> None:
    reading = read(f"These are the rights owner's contact details:\nWrite to {mailbox}\n")
    assert reading.rights_owner is None
    assert "a rights owner is mentioned but no contact details were found" in reading.unknown


# --- policy pages and marketplace ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("https://sellercentral.amazon.com/gp/help/external/G1801", ("G1801",)),
        ("sellercentral.amazon.com/help/hub/reference/external/G200386250", ("G200386250",)),
        ("/gp/help/help.html?itemID=201165970&language=en_US", ("201165970",)),
        ("/gp/help/external/g1801 and /gp/help/external/G1801", ("G1801",)),
        ("/gp/help/external/help.html", ()),
        ("help page G1801", ()),
    ],
)
def test_policy_pages(text: str, pages: tuple[str, ...]) -> None:
    assert read(text).policy_pages == pages


@pytest.mark.parametrize(
    ("text", "marketplace"),
    [
        ("your Amazon.co.uk selling account", "amazon.co.uk"),
        ("Thank you for selling on amazon.de.", "amazon.de"),
        ("Amazon.com.au Seller Performance", "amazon.com.au"),
        ("see https://sellercentral.amazon.de/performance", "amazon.de"),
        ("see sellercentral.amazon.de, selling on Amazon.fr", "amazon.fr"),
        ("write to notice-dispute@amazon.com", None),
        ("https://sellercentral-europe.amazon.com/home", None),
        ("the amazon.community forum", None),
        ("Betreff: Ihr Amazon.de-Verkäuferkonto wurde deaktiviert", "amazon.de"),
        ("see https://sellercentral.amazon.ca/gp/help/external/G1801", "amazon.ca"),
        ("see sellercentral.amazon.com.au/performance", "amazon.com.au"),
        ("Amazon.co.jp をご利用いただき、https://sellercentral.amazon.com/", "amazon.co.jp"),
        ("https://sellercentral.amazon.com.tr/home", "amazon.com.tr"),
        ("amazon.de-shop.example", None),
        ("seller-performance@amazon.co.uk", None),
    ],
)
def test_marketplace(text: str, marketplace: str | None) -> None:
    assert read(text).marketplace == marketplace


def test_several_marketplaces_take_the_first_and_say_so() -> None:
    reading = read("Your Amazon.com and Amazon.ca accounts")
    assert reading.marketplace == "amazon.com"
    assert "several marketplaces named (amazon.com, amazon.ca); took the first" in reading.unknown


# --- evidence window and deadlines --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Provide invoices issued in the last 365 days.", 365),
        ("Invoices must be dated within the last 180 days.", 180),
        ("Letters of authorisation from the past 365 days are accepted.", 365),
        ("Documents from the last 365 days, such as invoices, are accepted.", 365),
        ("Invoices must meet these rules:\n- issued in the last 365 days\n- show your name", 365),
        ("Send a utility bill dated within the last 90 days.", None),
        (
            "Send invoices issued in the last 365 days and a utility bill dated within the "
            "last 90 days.",
            365,
        ),
        (
            "Send a utility bill dated within the last 90 days and invoices issued in the "
            "last 365 days.",
            365,
        ),
        ("Your order defect rate over the last 60 days is 1.8%.", None),
        ("Provide invoices. Your ODR over the last 60 days is 1.8%.", None),
        ("Fügen Sie Rechnungen bei, die in den letzten 365 Tagen ausgestellt wurden.", 365),
        (
            "eine Rechnung eines Versorgungsunternehmens, die innerhalb der letzten 90 Tage ausgestellt wurde",
            None,
        ),
        ("Envíanos facturas emitidas en los últimos 365 días.", 365),
        ("Joignez les factures émises au cours des 365 derniers jours.", 365),
        ("Sur les 60 derniers jours, 27 commandes ont reçu un commentaire négatif.", None),
        ("Invia le fatture emesse dal tuo fornitore negli ultimi 365 giorni.", 365),
        ("発行日から90日以内の請求書または領収書の写し。", 90),
    ],
)
def test_evidence_window(text: str, days: int | None) -> None:
    assert read(text).evidence_window_days == days


def test_several_evidence_windows_take_the_first_and_say_so() -> None:
    reading = read("Invoices from the last 365 days. Or invoices from the last 180 days.")
    assert reading.evidence_window_days == 365
    assert "several evidence windows named (365, 180 days); took the first" in reading.unknown


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        ("Respond within 17 days.", ("within 17 days",)),
        ("Request your funds after 90 days.", ()),
        ("Reply within 72\nhours", ("within 72 hours",)),
        ("within seven days", ("within seven days",)),
        ("Within 17 days, or within 17 days at most", ("Within 17 days", "within 17 days")),
        ("We will review your appeal and reply within 2 business days.", ()),
        ("invoices issued within the last 365 days", ()),
        ("Send it by 20 July 2026, within three weeks.", ("by 20 July 2026", "within three weeks")),
        ("Send it by July 20, 2026.", ("by July 20, 2026",)),
        ("Bitte senden Sie Ihren Plan bis zum 14. Juli 2026.", ("bis zum 14. Juli 2026",)),
        (
            "Wenn wir die Unterlagen nicht innerhalb von 17 Tagen erhalten",
            ("innerhalb von 17 Tagen",),
        ),
        (
            "Veuillez nous envoyer votre plan avant le 14 juillet 2026.",
            ("avant le 14 juillet 2026",),
        ),
        (
            "Se non riceviamo un piano d'azione entro 17 giorni, il tuo account",
            ("entro 17 giorni",),
        ),
        (
            "Envía los documentos antes del 20 de julio de 2026; de lo contrario",
            ("antes del 20 de julio de 2026",),
        ),
        ("2026年7月28日までにご提出ください。", ("2026年7月28日まで",)),
        ("発行日から90日以内の請求書をご提出ください。", ()),
        ("by 31 February 2026", ()),
    ],
)
def test_deadlines(text: str, deadlines: tuple[str, ...]) -> None:
    assert read(text).deadlines == deadlines


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Respond within 17 days.", Deadline("within 17 days", None, 17)),
        ("Reply within 72 hours.", Deadline("within 72 hours", None, 3)),
        (
            "Reply within three weeks, that is by 20 July 2026.",
            Deadline("by 20 July 2026", dt.date(2026, 7, 20), None),
        ),
        (
            "Reply within 5 business days.",
            Deadline("within 5 business days", None, 5, business_days=True),
        ),
        (
            "Bitte bis zum 14. Juli 2026 senden.",
            Deadline("bis zum 14. Juli 2026", dt.date(2026, 7, 14), None),
        ),
        (
            "2026年7月28日までにご提出ください。",
            Deadline("2026年7月28日まで", dt.date(2026, 7, 28), None),
        ),
        ("No date here.", None),
    ],
)
def test_the_deadline_is_the_first_date_else_the_first_duration(
    text: str, deadline: Deadline | None
) -> None:
    assert read(text).deadline == deadline


# --- action -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Your selling account has been deactivated.", "account-deactivated"),
        ("We have deactivated your Amazon.co.uk seller account.", "account-deactivated"),
        ("We removed your selling privileges.", "account-deactivated"),
        ("How do I reactivate my account?", "account-deactivated"),
        ("We removed some of your listings.", "listings-removed"),
        ("The listings below have been removed.", "listings-removed"),
        ("How do I reactivate my listing?", "listings-removed"),
        ("This is a warning.", "warning"),
        ("Your account is at risk of deactivation.", "warning"),
        ("Further violations may result in the deactivation of your account.", "warning"),
        ("We removed your listings and your account has been deactivated.", "account-deactivated"),
        ("We removed your listings. This is a final warning.", "listings-removed"),
        ("A forewarning, not a notice.", None),
        ("Thank you for your reply.", None),
        (
            "We have deactivated your seller-fulfilled listings in that category.",
            "category-restricted",
        ),
        ("We have temporarily suppressed the listing below.", "listings-removed"),
        ("Your selling account is not affected.", None),
        ("Ihr Amazon.de-Verkäuferkonto wurde deaktiviert.", "account-deactivated"),
        ("Votre compte vendeur Amazon.fr a été désactivé.", "account-deactivated"),
        ("Il tuo account venditore su Amazon.it è stato disattivato.", "account-deactivated"),
        ("Hemos desactivado las ofertas de los productos.", "listings-removed"),
        ("以下の出品を削除しました。", "listings-removed"),
        ("出品用アカウントを停止しました。", "account-deactivated"),
    ],
)
def test_action(text: str, action: str | None) -> None:
    assert read(text).action == action


# --- metrics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metrics"),
    [
        ("Your order defect rate is 1.8%.", [("order defect rate", 1.8)]),
        ("Order Defect Rate: target under 1%, yours 2.4%", [("Order Defect Rate", 2.4)]),
        ("ODR 1,5 %", [("ODR", 1.5)]),
        ("Late Shipment Rate\n\n7%", []),
        ("Your late shipment rate is above target.", []),
        (
            "Late shipment rate 5.1%, pre-fulfillment cancel rate 3.2%",
            [("Late shipment rate", 5.1), ("pre-fulfillment cancel rate", 3.2)],
        ),
        (
            "Pre-fulfillment cancel rate must stay below 2.5%. Late shipment rate: 6%",
            [("Late shipment rate", 6.0)],
        ),
        ("Valid Tracking Rate: 93.5% (target: at least 95%)", [("Valid Tracking Rate", 93.5)]),
        ("Late Dispatch Rate: 6.2%", [("Late Dispatch Rate", 6.2)]),
        ("Cancellation Rate: 4.7%", [("Cancellation Rate", 4.7)]),
        (
            "Votre taux de commandes défectueuses est de 1,9\u00a0%.",
            [("taux de commandes défectueuses", 1.9)],
        ),
        ("注文不良率は2.1%です。", [("注文不良率", 2.1)]),
    ],
)
def test_metrics_are_read_under_every_name_a_store_or_language_gives_them(
    text: str, metrics: list[tuple[str, float]]
) -> None:
    assert [(m.name, m.rate) for m in read(text).metrics] == metrics


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        (
            "Over the last 30 days, 41 of your 661 orders were late: a Late Dispatch Rate of "
            "6.2%. Keep it under 4%.",
            Metric("late-shipment-rate", "Late Dispatch Rate", 6.2, "under 4%", 30, 41, 661, False),
        ),
        (
            "In the 14-day period, 1,047 of your 1,213 units arrived on time: an On-Time Delivery "
            "Rate of 86.3%. If it stays below 90%, we may act.",
            Metric(
                "on-time-delivery-rate",
                "On-Time Delivery Rate",
                86.3,
                "at least 90%",
                14,
                166,
                1213,
                False,
            ),
        ),
        (
            "In the last 30 days you shipped 449 packages, and 412 of them had a valid tracking "
            "ID: a Valid Tracking Rate of 91.8%.",
            Metric(
                "valid-tracking-rate",
                "Valid Tracking Rate",
                91.8,
                "at least 95%",
                30,
                37,
                449,
                False,
            ),
        ),
        (
            "Your ODR over the last 60 days is 1.84%, based on 26 orders with negative feedback "
            "or A-to-z Guarantee claims out of 1,413 orders.",
            Metric("order-defect-rate", "ODR", 1.84, "under 1%", 60, 26, 1413, False),
        ),
        (
            "Sur les 60 derniers jours, 27 commandes sur 1\u202f412 ont reçu un commentaire "
            "négatif, soit un taux de commandes défectueuses de 1,9\u00a0%. Restez en dessous de "
            "1\u00a0%.",
            Metric(
                "order-defect-rate",
                "taux de commandes défectueuses",
                1.9,
                "under 1%",
                60,
                27,
                1412,
                False,
            ),
        ),
        (
            "Your Valid Tracking Rate is 98.4%.",
            Metric(
                "valid-tracking-rate",
                "Valid Tracking Rate",
                98.4,
                "at least 95%",
                None,
                None,
                None,
                True,
            ),
        ),
        (
            "41 of 600 orders: a Late Shipment Rate of 6.2%.",  # 41 of 600 is 6.8%: not these
            Metric(
                "late-shipment-rate", "Late Shipment Rate", 6.2, "under 4%", None, None, None, False
            ),
        ),
    ],
    ids=[
        "counts-before",
        "higher-is-better",
        "of-them",
        "out-of",
        "french",
        "within-target",
        "counts-disagree",
    ],
)
def test_a_metric_comes_with_its_target_window_and_counts(text: str, metric: Metric) -> None:
    assert read(text).metrics[0] == metric


def test_a_metric_quoted_within_target_is_no_evidence_for_its_reason() -> None:
    reading = read(
        "Your Late Dispatch Rate is 6.2%, above our target of 4%.\n"
        "Your other metrics are within target:\nValid Tracking Rate: 98.4%\n"
    )
    assert [r.reason for r in reading.reasons] == ["late-shipment-rate"]


def test_a_reason_with_a_metric_needs_its_metric_named() -> None:
    funds = "Funds will be released after A-to-Z Guarantee claims and chargebacks are deducted."
    assert read(funds).reasons == ()
    assert read(funds + " Your order defect rate is 1.8%.").reasons[0].reason == "order-defect-rate"


# --- reasons ------------------------------------------------------------------------------


def test_reasons_rank_by_score_then_id() -> None:
    reading = read("Trademark complaint about counterfeit goods; inauthentic items.")
    assert [(r.reason, r.score) for r in reading.reasons] == [
        ("inauthentic", 2),
        ("trademark", 1),
    ]
    tie = read("trademark and counterfeit")
    assert [r.reason for r in tie.reasons] == ["inauthentic", "trademark"]


def test_reasons_count_each_phrase_once_and_list_it_where_it_first_appears() -> None:
    reasons = read("Counterfeit. INAUTHENTIC. counterfeit, counterfeit!").reasons
    assert [(r.reason, r.score, r.matched) for r in reasons] == [
        ("inauthentic", 2, ("counterfeit", "inauthentic"))
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ORDER DEFECT\nRATE", "order-defect-rate"),
        ("order  defect\trate", "order-defect-rate"),
        ("A-to-Z Guarantee claims and the Order Defect Rate", "order-defect-rate"),
        ("trademarks", None),
        ("anti-counterfeiting", None),
        ("untrademarked", None),
        ("patently", None),
    ],
)
def test_signal_phrases_are_whole_words_in_any_case_and_spacing(
    text: str, reason: str | None
) -> None:
    reasons = read(text).reasons
    assert (reasons[0].reason if reasons else None) == reason


def test_signals_are_cleaned_up() -> None:
    signals: dict[str, Sequence[str]] = {
        "a": ["", "  ", "Alpha", "alpha", "alpha  beta"],
        "b": "beta",  # a bare string is one phrase, not letters
        "c": [],
    }
    reasons = read("alpha beta", signals).reasons
    assert [(r.reason, r.score, r.matched) for r in reasons] == [
        ("a", 2, ("alpha", "alpha beta")),
        ("b", 1, ("beta",)),
    ]


def test_a_cited_policy_counts_once_however_it_is_named() -> None:
    policy = "https://sellercentral.amazon.com/gp/help/external/G1801"
    cited = read(
        f"Our Code of Conduct ({policy}) and Selling Partner Support ({policy}) apply. Your "
        "account is related to another selling account."
    )
    assert [(r.reason, r.score, r.matched) for r in cited.reasons] == [
        (
            "related-accounts",
            4,
            ("related to another selling account", "another selling account"),
        ),
        ("code-of-conduct", 1, ("code of conduct (cited)", "selling partner support (cited)")),
    ]
    named = read("You misused Selling Partner Support, against our Code of Conduct.")
    assert [(r.reason, r.score) for r in named.reasons] == [("code-of-conduct", 2)]


def test_a_stated_type_outweighs_a_passing_phrase() -> None:
    reading = read(
        "We care about the condition of your items and their safety.\n\n"
        "ASIN: B0C1111111\nComplaint type: Safety\n"
    )
    assert [(r.reason, r.score, r.matched) for r in reading.reasons] == [
        ("product-safety", 4, ("complaint type: safety",)),
    ]


# --- language and route ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Your selling account has been deactivated.", "en"),
        ("Ihr Verkäuferkonto wurde deaktiviert, weil wir Beschwerden erhalten haben.", "de"),
        ("Votre compte vendeur a été désactivé et vos offres ont été supprimées.", "fr"),
        ("Il tuo account venditore è stato disattivato e le tue offerte sono state rimosse.", "it"),
        ("Hemos desactivado las ofertas de tu cuenta por reclamaciones de los clientes.", "es"),
        ("出品用アカウントを停止しました。ご確認ください。", "ja"),
        (
            "Notice: Policy Warning\n\nwir haben einige Ihrer Angebote entfernt, weil uns ein Rechteinhaber mitgeteilt hat, dass die Angebote sein Design verletzen.",
            "de",
        ),
        ("ASIN: B0C1234567", "en"),
        ("", "en"),
        ((NOTICES / "unknown-language-pl.txt").read_text(encoding="utf-8"), None),
    ],
    ids=["en", "de", "fr", "it", "es", "ja", "english-subject", "ids-only", "empty", "polish"],
)
def test_language(text: str, language: str | None) -> None:
    assert read(text).language == language


def test_a_notice_in_no_known_language_gives_no_reason_but_says_what_it_might_be() -> None:
    reading = read((NOTICES / "unknown-language-pl.txt").read_text(encoding="utf-8"))
    assert reading.reasons[0].reason == "order-defect-rate"  # "wskaźnik wadliwych zamówień"
    (issue,) = reading.issues
    assert (issue.reason, issue.orders) == (None, ("305-5512047-8830216", "305-0098321-4471925"))
    assert issue.doubt == (
        "the notice is not in a language poakit reads, so its reason was not guessed; "
        "possible: order-defect-rate (2 points)"
    )
    assert reading.metrics == ()  # numbers in a language poakit does not read are not read
    assert (
        reading.unknown[0] == "the notice is in no language poakit reads (de, en, es, fr, it, ja)"
    )


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Send us a plan of action that explains the root cause.", "plan-of-action"),
        (
            "You do not need to send a plan of action; upload the following documents: a passport.",
            "documents",
        ),
        (
            "You do not need to send a plan of action. Complete the security questionnaire.",
            "questionnaire",
        ),
        (
            'You do not need to send a plan of action. Click "Acknowledge" on Account Health.',
            "acknowledgement",
        ),
        ("You do not need to send a Plan of Action now.", "none"),
        ("Ask the rights owner to send a retraction to us.", "retraction"),
        ("Ask the rights owner for a retraction, or send us proof of your licence.", "documents"),
        ("Lower the price of each offer, then confirm the change.", "none"),
        ("Senden Sie uns einen Maßnahmenplan.", "plan-of-action"),
        (
            "Ein Maßnahmenplan ist nicht erforderlich. Reichen Sie eines der folgenden Dokumente ein.",
            "documents",
        ),
        (
            "No es necesario que envíes un plan de acción. Envíanos solo lo siguiente: facturas.",
            "documents",
        ),
        ("本通知について、申し立てや改善計画を提出していただく必要はありません。", "none"),
        ("Thank you for selling with us.", None),
    ],
)
def test_route(text: str, route: str | None) -> None:
    assert read(text).route == route


def test_the_route_keeps_the_phrases_that_decided_it() -> None:
    reading = read((NOTICES / "identity-verification-nl.txt").read_text(encoding="utf-8"))
    assert reading.route_signals == (
        "do not need to ... plan of action",
        "upload the following documents",
    )


# --- issues -------------------------------------------------------------------------------


def test_ids_outside_blocks_go_to_the_top_reason() -> None:
    reading = read("Counterfeit goods. Orders 111-1111111-1111111 and B0C1111111.")
    assert [ids_of(issue) for issue in reading.issues] == [
        ("inauthentic", "Inauthentic", ("B0C1111111",), ("111-1111111-1111111",), ()),
    ]


def test_a_repeated_label_starts_a_new_block() -> None:
    reading = read(
        "ASIN: B0C1111111\nInfringement type: Trademark\nComplaint ID: 11\n"
        "ASIN: B0C2222222\nInfringement type: Copyright\nComplaint ID: 22\n"
    )
    assert [ids_of(issue) for issue in reading.issues] == [
        ("trademark", "Trademark", ("B0C1111111",), (), ("11",)),
        ("copyright", "Copyright", ("B0C2222222",), (), ("22",)),
    ]


def test_blocks_with_the_same_reason_make_one_issue() -> None:
    reading = read(
        "ASIN: B0C1111111\nComplaint type: Inauthentic\n\n"
        "ASIN: B0C2222222\nComplaint type: Counterfeit\n"
    )
    assert [ids_of(issue) for issue in reading.issues] == [
        ("inauthentic", "Inauthentic", ("B0C1111111", "B0C2222222"), (), ()),
    ]


def test_a_block_without_signals_takes_the_top_reason() -> None:
    reading = read("We found counterfeit items.\n\nASIN: B0C1111111\nOrder ID: 111-1111111-1111111")
    assert [ids_of(issue) for issue in reading.issues] == [
        ("inauthentic", "Inauthentic", ("B0C1111111",), ("111-1111111-1111111",), ()),
    ]


def test_an_id_in_two_blocks_lands_in_the_first() -> None:
    reading = read(
        "Buyers mentioned B0C1111111 in passing.\n\n"
        "ASIN: B0C1111111\nInfringement type: Trademark\n\n"
        "ASIN: B0C1111111\nComplaint type: Inauthentic\nOrder ID: 111-1111111-1111111\n"
    )
    assert [ids_of(issue) for issue in reading.issues] == [
        ("trademark", "Trademark", ("B0C1111111",), (), ()),
        ("inauthentic", "Inauthentic", (), ("111-1111111-1111111",), ()),
    ]
    assert_partition(reading)


@pytest.mark.parametrize(
    ("text", "issues"),
    [
        ("ASIN: B0C1111111", [(None, "Unrecognised issue", ("B0C1111111",), (), ())]),
        ("Your ODR is too high.", [("order-defect-rate", "Order defect rate", (), (), ())]),
        ("Hello.", []),
    ],
)
def test_issues_without_reason_or_ids(text: str, issues: list[tuple[object, ...]]) -> None:
    assert [ids_of(issue) for issue in read(text).issues] == issues


TRADEMARK = "A rights owner reported a trademark infringement. Trademark asserted: 6120458."
LAYOUTS = {
    "numbered": (
        "We found two problems:\n\n"
        "1) Buyers reported counterfeit and inauthentic goods.\nASIN: B0C1111111\n\n"
        f"2) {TRADEMARK}\nASIN: B0C2222222\n\n"
        "How do I reactivate my account?\nSend a plan of action.\n"
    ),
    "bulleted": (
        "We found two problems:\n"
        "\u2022 Buyers reported counterfeit and inauthentic goods.\n"
        "  ASIN: B0C1111111\n"
        f"\u2022 {TRADEMARK}\n"
        "  ASIN: B0C2222222\n"
    ),
    "paragraphs": (
        "First, buyers reported counterfeit and inauthentic goods: B0C1111111.\n\n"
        f"Second, on B0C2222222: {TRADEMARK}\n"
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_each_reason_of_a_notice_keeps_its_own_ids_however_they_are_laid_out(layout: str) -> None:
    reading = read(layout)
    assert [(i.reason, i.asins) for i in reading.issues] == [
        ("inauthentic", ("B0C1111111",)),
        ("trademark", ("B0C2222222",)),
    ]


def test_numbered_steps_are_not_reasons() -> None:
    reading = read((NOTICES / "patent-neutral-evaluation-us.txt").read_text(encoding="utf-8"))
    assert [i.reason for i in reading.issues] == ["patent"]


def test_a_reading_with_little_evidence_says_so() -> None:
    (issue,) = read("We removed your listing: ASIN B0C1111111, counterfeit.").issues
    assert issue.doubt == "low confidence: read from 'counterfeit' (1 point)"
    (close,) = read("Counterfeit items, an inauthentic copy of a trademark; the patent too.").issues
    assert close.doubt == (
        "low confidence: read from 'counterfeit', 'inauthentic' (2 points); "
        "also possible: patent (1 point), trademark (1 point)"
    )
    (sure,) = read("Counterfeit and inauthentic items. Complaint type: Inauthentic").issues
    assert sure.doubt is None


# --- unknown and the summary --------------------------------------------------------------


def test_what_an_empty_notice_cannot_tell() -> None:
    assert read("").unknown == (
        "no reason recognised",
        "no ASIN found",
        "no action recognised (account deactivated, listings removed or warning)",
        "no route recognised (what the notice asks you to send)",
        "no marketplace named",
        "no evidence window named",
    )


def test_summary_of_a_full_notice() -> None:
    reading = read((NOTICES / "multi-reason.txt").read_text(encoding="utf-8"))
    assert format_summary(reading) == (
        "Account deactivated on amazon.com: 3 ASINs, 3 order IDs, 1 complaint ID\n"
        "Likely reasons: inauthentic (7 points), trademark (6 points)\n"
        "Issue: Inauthentic [inauthentic]: B0DA1B2C3D, B0DA1B4F6H, 111-2468013-5790246, "
        "111-1357924-6802468, 112-5550123-4447788\n"
        "Issue: Trademark [trademark]: B0DQ9R8S7T, 9034417762\n"
        "Route: plan of action\n"
        "Deadline: within 17 days\n"
        "Evidence window: 365 days\n"
        "Rights owner: Brightvale Outdoor Gear Inc. <ip-team@brightvale-outdoor.example>"
    )


def test_summary_of_an_unreadable_notice() -> None:
    assert format_summary(read("")) == (
        "Notice: 0 ASINs, 0 order IDs, 0 complaint IDs\n"
        "Could not tell: no reason recognised; no ASIN found; no action recognised (account "
        "deactivated, listings removed or warning); no route recognised (what the notice asks "
        "you to send); no marketplace named; no evidence window named"
    )


def test_summary_shortens_long_id_lists() -> None:
    asins = " ".join(f"B0C000000{i}" for i in range(9))
    summary = format_summary(read(f"Counterfeit: {asins}"))
    assert "B0C0000005 and 3 more" in summary


# --- hostile input ------------------------------------------------------------------------

JUNK = bytes(random.Random(7).getrandbits(8) for _ in range(20_000)).decode(errors="replace")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "\r\r\n\n\r",
        "\x00\x01\x02\x7f",
        JUNK,
        "\ufffd" * 5_000,
        ":" * 5_000,
        "ASIN:" * 2_000,
        "rights owner:" * 2_000,
        "Complaint ID: " + "9" * 10_000,
        "a@" * 10_000 + ".",
        "B0" * 10_000,
        "\u0130" * 100,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_hostile_input_gives_a_reading(text: str) -> None:
    reading = read(text)
    assert isinstance(reading, NoticeReading)
    assert_partition(reading)
    assert isinstance(format_summary(reading), str)


def test_noise_that_looks_like_asins_is_not_an_asin() -> None:
    noise = "B0RDERLINE1 B0RDERLINE XB0C1234567 B0C1234567X B0ABCDEFGH b0c1234567 B0C12345"
    assert read(noise).asins == ()


def test_letters_that_lower_to_two_characters_do_not_shift_positions() -> None:
    # "İ".lower() is two characters; values are cut from the original text by position.
    reading = read("\u0130\u0130\u0130 Complaint type: \u0130nauthentic\nASIN: B0C1234567")
    assert reading.complaint_types == ("\u0130nauthentic",)
    assert reading.asins == ("B0C1234567",)


@pytest.mark.parametrize(
    "convert",
    [
        lambda text: text.replace("\n", "\r\n"),
        lambda text: text.replace("\n", "\r"),
        lambda text: "".join(
            line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(text.split("\n"))
        ),
    ],
    ids=["crlf", "cr", "mixed"],
)
def test_line_endings_do_not_matter(convert: Callable[[str], str]) -> None:
    text = (NOTICES / "multi-reason.txt").read_text(encoding="utf-8")
    assert read(convert(text)) == read(text)


FIVE_MB = 5_000_000


def _repeat(unit: str) -> str:
    return (unit * (FIVE_MB // len(unit) + 1))[:FIVE_MB]


HUGE: dict[str, Callable[[], str]] = {
    "corpus-repeated": lambda: _repeat(
        "\n".join(path.read_text(encoding="utf-8") for path in CORPUS)
    ),
    "junk": lambda: _repeat(JUNK),
    "one-letter": lambda: "a" * FIVE_MB,
    "newlines": lambda: "\n" * FIVE_MB,
    "mixed-line-endings": lambda: _repeat("x\r\n\r"),
    "digits": lambda: "1" * FIVE_MB,
    "asin-noise": lambda: _repeat("B0RDERLINE1 XB0C1234567 "),
    "id-blocks": lambda: _repeat("ASIN: B0C1234567\nComplaint ID: 1234567890\n"),
    "label-lines": lambda: _repeat("Note: nothing here\n"),
    "label-lines-with-an-id": lambda: (
        _repeat("Note: nothing here\n")[: FIVE_MB - 17] + "ASIN: B0C1234567\n"
    ),
    "distinct-labels": lambda: "".join(
        f"Field{i}: B0C{i:07d}\n\n" for i in range(FIVE_MB // 20 + 1)
    )[:FIVE_MB],
    "anchors": lambda: _repeat("rights owner's contact details: invoices the last 9 days "),
    "distinct-items": lambda: "".join(f"- {i}. B0C{i:07d}\n" for i in range(FIVE_MB // 20 + 1))[
        :FIVE_MB
    ],
    "citations": lambda: _repeat("Seller Code of Conduct (https://x.example) counterfeit. "),
    "healthy-metrics": lambda: _repeat("Valid Tracking Rate: 98.4%, valid tracking rate 97% "),
    "paragraphs-and-headings": lambda: _repeat("Why? counterfeit B0C1234567\n\n1) trademark\n"),
    "signal-phrases": lambda: _repeat("counterfeit trademark order defect rate 1.8% "),
}
# A hang guard, not a speed target (those live in benchmarks/): a reader that backtracks takes
# minutes of CPU on these texts, a linear one about a second. CPU time, so a busy machine
# does not fail the test.
TIME_LIMIT = 30.0


@pytest.mark.parametrize("make", HUGE.values(), ids=HUGE.keys())
def test_five_megabytes_never_hang_the_reader(make: Callable[[], str]) -> None:
    text = make()
    assert len(text) == FIVE_MB
    start = time.process_time()
    reading = read(text)
    elapsed = time.process_time() - start
    assert_partition(reading)
    assert elapsed < TIME_LIMIT, f"{elapsed:.2f} s of CPU"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_reading(text: str) -> None:
    reading = read(text)
    assert_partition(reading)
    format_summary(reading)


FRAGMENTS = [
    "ASIN: ",
    "B0C1111111",
    "B0C2222222",
    "0306406152",
    "Order ID: ",
    "111-1111111-1111111",
    "Complaint ID: ",
    "12345",
    "Infringement type: Trademark",
    "Complaint type: Inauthentic",
    "counterfeit",
    "order defect rate 2%",
    "rights owner's contact details:",
    "ip@brand.example",
    "amazon.de",
    "invoices from the last 365 days",
    "\n",
    "\n\n",
    "\r\n",
    ", ",
    " ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_every_id_lands_in_exactly_one_issue(text: str) -> None:
    reading = read(text)
    assert_partition(reading)
    assert all(issue.reason is None or issue.reason in SIGNALS for issue in reading.issues)
