"""The notice reader's vocabulary: how phrases, templates and metrics become patterns."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

from poakit.intake.lexicon import Lexicon, MetricInfo, fold, phrase_source
from poakit.model.notices import Language, NoticeData, Store
from poakit.source.library import read_library


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("patent", "a patent claim", True),
        ("patent", "patently wrong", False),
        ("patent", "unpatented", False),
        ("order defect rate", "Order\n  Defect\tRate", True),
        ("complaint type: inauthentic", "complaint type:\n inauthentic", True),
        ("complaint type: inauthentic", "complaint type inauthentic", False),
        ("removed ... listings", "we removed some of your listings", True),
        (
            "removed ... listings",
            "we removed the content that breaks these rules from these listings",
            False,
        ),
        ("removed ... listings", "we removed it. your listings stay", False),
        ("removed ... listings", "we removed your amazon.co.uk listings", True),
        ("真贋", "購入者様から真贋に関するご連絡", True),  # no spaces in Japanese: no word edges
        ("send us:", "send us: a passport", True),
        ("beschwerde-nr.", "beschwerde-nr. 123", True),
    ],
)
def test_phrases_match_whole_words_across_white_space(phrase: str, text: str, found: bool) -> None:
    assert bool(re.search(phrase_source(phrase), fold(text).lower())) is found


def test_folding_keeps_every_position() -> None:
    text = "Numéro de commande\u00a0: 171\u2011 1\u202f412 \u201cA\u201d \uff1a\uff11\uff12 \u2019"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == 'Numéro de commande : 171- 1 412 "A" :12 \''


@pytest.mark.parametrize(
    ("target", "higher", "value"),
    [
        ("under 4%", False, 4.0),
        ("at least 90%", True, 90.0),
        ("under 2.5%", False, 2.5),
        (None, False, None),
    ],
)
def test_a_metric_knows_its_direction_from_its_target(
    target: str | None, higher: bool, value: float | None
) -> None:
    metric = MetricInfo("m", "Some Rate", target)
    assert (metric.higher_is_better, metric.target_value) == (higher, value)


def language(**fields: object) -> Language:
    base: dict[str, object] = {
        "language": "xx",
        "name": "Test",
        "detect": ["aa", "bb", "cc"],
        "decimal": ",",
    }
    return Language.model_validate({**base, **fields})


def test_templates_read_numbers_units_and_dates() -> None:
    lexicon = Lexicon(
        notices=NoticeData(
            languages={
                "xx": language(
                    months=[[f"m{n}"] for n in range(1, 13)],
                    dates=["{d}. {month} {y}"],
                    numbers={"drei": 3},
                    units={"day": ["tage", "tagen"], "week": ["wochen"]},
                    deadlines={"within": ["binnen {n} {unit}"], "by": ["bis zum {date}"]},
                    windows=["der letzten {n} tage"],
                )
            }
        )
    )
    tongue = lexicon.tongues["xx"]
    within = tongue.within[0].search("bitte binnen drei wochen")
    assert within is not None
    assert (within.group("n"), within.group("unit")) == ("drei", "wochen")
    assert tongue.number("drei") == 3 and tongue.units["wochen"] == "week"
    by = tongue.by[0].search("bis zum 14. m7 2026")
    assert by is not None and by.groupdict() == {"d": "14", "month": "m7", "y": "2026"}
    assert tongue.windows[0].search("rechnungen der letzten 365 tage") is not None


def test_every_name_of_a_metric_in_any_store_or_language_is_known() -> None:
    lexicon = Lexicon.from_library(read_library(REPO / "snippets"))
    names = lexicon.metric_names
    assert names["late dispatch rate"] == "late-shipment-rate"  # amazon.co.uk, amazon.in
    assert names["cancellation rate"] == "pre-fulfillment-cancel-rate"
    assert names["taux de commandes défectueuses"] == "order-defect-rate"  # fr.yaml
    assert names["wskaźnik wadliwych zamówień"] == "order-defect-rate"  # stores.yaml, amazon.pl
    assert names["注文不良率"] == "order-defect-rate"


def test_names_of_metrics_the_library_does_not_have_are_left_out() -> None:
    stores = {"amazon.xx": Store(country="X", languages=["en"], metrics={"gone": ["Gone Rate"]})}
    lexicon = Lexicon(metrics={}, notices=NoticeData(stores=stores))
    assert lexicon.metric_names == {}


def test_stores_come_from_the_data() -> None:
    lexicon = Lexicon.from_library(read_library(REPO / "snippets"))
    assert len(lexicon.domains) == 21
    assert lexicon.hosts["sellercentral.amazon.co.jp"] == "amazon.co.jp"
    assert "sellercentral-europe.amazon.com" not in lexicon.hosts
    assert lexicon.prose is not None and lexicon.prose.search("on amazon.com.tr today")
