"""The review of whole letters: the letters Amazon denied, the defects found in the examples
as they were, and the examples as they are now.

- tests/golden/sent/: the two denied cases as they were submitted (the case file and the text
  export of the letter that went out). The checks must flag the flaws that explain each
  denial, on the case and on the letter as sent.
- tests/golden/defects/: the other seven examples as they were before they were rewritten,
  with their letters as exported then. Each defect listed in the issue that led to the new
  checks ("Letters a consultant would send") draws a finding on them.
- cases/: the examples now, which a consultant would submit as they stand: no finding at all
  (a warning that does not apply is silenced in the case, with its reason).

Each `<slug>.expected` holds the exact findings, `[case]` of the case file checked with
today's library, `[letter]` of the letter as exported. Regenerate with
`PYTHONPATH=tests .venv/bin/python tests/review/test_review.py` and read the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TESTS, golden_blocks, with_changes

from poakit.errors import Finding
from poakit.letter.readback import read_back
from poakit.model.library import Library
from poakit.project.load import check_case, load_library
from poakit.project.loader import check_project
from poakit.review.boilerplate import boilerplate, letter_sentences
from poakit.review.review import review_sent
from poakit.source.case import load_case

TODAY = "2026-11-27"
SENT = TESTS / "golden" / "sent"
DEFECTS = TESTS / "golden" / "defects"
LIBRARY: Library = load_library(REPO / "snippets", "snippets")
#: (folder, slug) of every old letter: the two sent and denied, the seven as they were.
OLD = [(SENT, p.name.removesuffix(".case.yaml")) for p in sorted(SENT.glob("*.case.yaml"))]
OLD += [(DEFECTS, p.name.removesuffix(".case.yaml")) for p in sorted(DEFECTS.glob("*.case.yaml"))]

#: The notice's figures, as the notice reader enters them in a case that has none: what the
#: old metric cases hold once their figures are in the case.
FIGURES: dict[str, dict[str, Any]] = {
    "peak-outfitters-late-shipment": {
        "metrics": [
            {
                "issues": ["late-shipments"],
                "name": "Late Shipment Rate",
                "target": "under 4%",
                "rate": 7.8,
                "defective": 46,
                "total": 590,
                "window_days": 30,
            }
        ]
    },
}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", TODAY)


def _display(folder: Path, name: str) -> str:
    return str((folder / name).relative_to(REPO))


def case_findings(
    folder: Path, slug: str, tmp: Path, changes: dict[str, Any] | None = None
) -> list[Finding]:
    """The old case file, checked with today's library (as `poa check` would)."""
    target = tmp / "cases" / f"{slug}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    source = folder / f"{slug}.case.yaml"
    if changes:
        data = with_changes(yaml.safe_load(source.read_text()), changes)
        target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))
    else:
        shutil.copy(source, target)
    return list(check_case(target, LIBRARY, f"cases/{slug}.yaml").findings)


def _sent_name(folder: Path, slug: str) -> str:
    return f"{slug}.sent.txt" if folder == SENT else f"{slug}.today.txt"


def old_letter(folder: Path, slug: str, tmp: Path):  # type: ignore[no-untyped-def]
    """The old letter, read back from its text export."""
    target = tmp / "cases" / f"{slug}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(folder / f"{slug}.case.yaml", target)
    case_file = load_case(target, f"cases/{slug}.yaml")
    name = _sent_name(folder, slug)
    text = (folder / name).read_text(encoding="utf-8")
    return read_back(text, case_file, LIBRARY.settings.sections, _display(folder, name))


def letter_findings(folder: Path, slug: str, tmp: Path) -> list[Finding]:
    """The old letter's words, checked as sent, and its sentences shared by most old letters."""
    letters = {s: old_letter(f, s, tmp / s) for f, s in OLD}
    shared = boilerplate({s: letter_sentences(letter) for s, letter in letters.items()})
    found = review_sent(letters[slug], LIBRARY) + shared.get(slug, [])
    return sorted(found, key=lambda f: (f.position, f.rule))


def expected(folder: Path, slug: str) -> dict[str, list[str]]:
    return golden_blocks(folder / f"{slug}.expected")


@pytest.mark.parametrize(("folder", "slug"), OLD, ids=[s for _, s in OLD])
def test_old_case_draws_the_golden_findings(folder: Path, slug: str, tmp_path: Path) -> None:
    found = [str(f) for f in case_findings(folder, slug, tmp_path)]
    assert found == expected(folder, slug)["case"]


@pytest.mark.parametrize(("folder", "slug"), OLD, ids=[s for _, s in OLD])
def test_old_letter_draws_the_golden_findings(folder: Path, slug: str, tmp_path: Path) -> None:
    found = [str(f) for f in letter_findings(folder, slug, tmp_path)]
    assert found == expected(folder, slug)["letter"]


# -- the two denials ---------------------------------------------------------------------------

#: What Amazon's denial says, and the rules whose findings explain it.
DENIALS = {
    "brightleaf-trademark": (
        "a listing removed for a valid trademark complaint returns only if the rights owner "
        "retracts; the letter chose no route, offered the manufacturer's invoices, argued a "
        "patent search and doubled its words",
        {
            # the patent search is in the letter as sent; today's snippet words it by the right
            "case": {"ip-route-missing", "ip-evidence-does-not-answer", "doubled-word"},
            "letter": {"ip-type-mismatch", "doubled-word", "root-cause-title", "opening-scope"},
        },
    ),
    "tidewater-goods-dropship": (
        "no supply source that complies with the drop shipping policy, and no supplier invoices",
        {
            "case": {"fulfilment-missing", "suppliers-missing", "evidence-required"},
            "letter": {"closing-fit", "root-cause-title", "opening-scope"},
        },
    ),
}


@pytest.mark.parametrize("slug", sorted(DENIALS))
def test_the_checks_flag_what_explains_the_denial(slug: str, tmp_path: Path) -> None:
    _, rules = DENIALS[slug]
    on_case = {f.rule for f in case_findings(SENT, slug, tmp_path)}
    on_letter = {f.rule for f in letter_findings(SENT, slug, tmp_path)}
    assert rules["case"] <= on_case
    assert rules["letter"] <= on_letter
    denied = yaml.safe_load((SENT / f"{slug}.case.yaml").read_text())["follow_up"]
    assert [e["event"] for e in denied][:2] == ["submitted", "denied"]


def test_the_sent_letters_are_kept_as_they_were_sent() -> None:
    """The text that went out, not a new rendering: the doubled word and the old labels."""
    trademark = " ".join((SENT / "brightleaf-trademark.sent.txt").read_text().split())
    assert "We used the the registered trademark NORTHVALE trademark" in trademark
    assert "1. Trademark complaint (B0D4RT7NQ2)." in trademark
    dropship = " ".join((SENT / "tidewater-goods-dropship.sent.txt").read_text().split())
    assert "ShopFast Direct order confirmations for the 31 orders" in dropship


# -- each defect found in the examples, flagged on the example as it was -------------------------

#: (the defect, as the issue lists it; the example; where it shows: "case" or "letter"; rule)
DEFECT_TABLE = [
    (
        "the ODR letter never states the rate (2.1%, 26 of 1,240)",
        "northwind-kitchen-odr",
        "case",
        "metric-missing",
    ),
    (
        "the LSR letter never states the rate (7.8%, 46 of 590)",
        "peak-outfitters-late-shipment",
        "case",
        "metric-missing",
    ),
    (
        "all nine letters close with the same sentence about ASINs and supplier details",
        "northwind-kitchen-odr",
        "letter",
        "boilerplate",
    ),
    (
        "the ODR letter talks about ASINs and suppliers it does not have",
        "northwind-kitchen-odr",
        "letter",
        "closing-fit",
    ),
    (
        "a metric case does not close on its metric",
        "peak-outfitters-late-shipment",
        "case",
        "closing-fit",
    ),
    (
        "the listing-removal opening is never chosen for a listing removal",
        "sunridge-supply-pricing",
        "letter",
        "opening-scope",
    ),
    (
        "root causes are labelled with the reason's title and the ASINs",
        "harbor-lane-compromised",
        "letter",
        "root-cause-title",
    ),
    (
        "the inauthentic letter gives no supplier address, phone, website or e-mail",
        "acme-home-inauthentic",
        "case",
        "suppliers-missing",
    ),
    (
        "the 44 units sold from the unverified supplier are never accounted for",
        "acme-home-inauthentic",
        "case",
        "units-missing",
    ),
    (
        "'the the registered trademark NORTHVALE trademark'",
        "brightleaf-trademark",
        "letter",
        "doubled-word",
    ),
    (
        "the trademark letter mentions a patent search",
        "brightleaf-trademark",
        "letter",
        "ip-type-mismatch",
    ),
    (
        "the manufacturer's invoices do not answer a trademark claim",
        "brightleaf-trademark",
        "case",
        "ip-evidence-does-not-answer",
    ),
    (
        "'We opened and inspected all 486 units' contradicts 'new means unopened'",
        "cobalt-electronics-condition",
        "letter",
        "opened-units-kept-new",
    ),
    (
        "the condition letter never says what happens to opened units",
        "cobalt-electronics-condition",
        "case",
        "grading-missing",
    ),
    (
        "the review letter leaves out 212 gift cards, 3,180 USD",
        "maple-crafts-reviews",
        "case",
        "incentives-missing",
    ),
    (
        "the review letter hedges: 'removed or rewrote'",
        "maple-crafts-reviews",
        "letter",
        "hedged-action",
    ),
    (
        "the drop shipping letter gives no compliant supply route",
        "tidewater-goods-dropship",
        "case",
        "fulfilment-missing",
    ),
    (
        "the drop shipping letter's evidence is retailer order confirmations",
        "tidewater-goods-dropship",
        "case",
        "evidence-required",
    ),
]


def _folder(slug: str) -> Path:
    return SENT if (SENT / f"{slug}.case.yaml").exists() else DEFECTS


@pytest.mark.parametrize(
    ("defect", "slug", "where", "rule"), DEFECT_TABLE, ids=[d[0][:50] for d in DEFECT_TABLE]
)
def test_each_defect_is_flagged_on_the_example_as_it_was(
    defect: str, slug: str, where: str, rule: str, tmp_path: Path
) -> None:
    found = (
        case_findings(_folder(slug), slug, tmp_path)
        if where == "case"
        else letter_findings(_folder(slug), slug, tmp_path)
    )
    assert rule in {f.rule for f in found}, defect


def test_the_metric_case_with_its_figures_misses_the_rate_since_the_fix(tmp_path: Path) -> None:
    """Once the notice's figures are in the old LSR case: no rate since the fix."""
    slug = "peak-outfitters-late-shipment"
    found = case_findings(DEFECTS, slug, tmp_path, FIGURES[slug])
    assert [(f.rule, f.message) for f in found if f.rule.startswith(("since-fix", "metric"))] == [
        (
            "since-fix-missing",
            "metric 'Late Shipment Rate' has no rate since the fix; Amazon's staff ask for the "
            "effect of measures already in place",
        ),
    ]


def test_the_catalogue_has_the_on_time_delivery_rate_and_the_late_dispatch_rate() -> None:
    otdr = LIBRARY.reasons["on-time-delivery-rate"].meta.metric
    assert otdr is not None and (otdr.name, otdr.target) == (
        "On-Time Delivery Rate",
        "at least 90%",
    )
    assert LIBRARY.metric_name("late-shipment-rate", "amazon.co.uk") == "Late Dispatch Rate"
    assert LIBRARY.metric_name("late-shipment-rate", "amazon.com") == "Late Shipment Rate"


# -- the examples now ----------------------------------------------------------------------------


def test_the_examples_draw_no_finding_at_all() -> None:
    """Nine letters a consultant would submit as they stand: every check, boilerplate across
    the nine included, finds nothing; the warnings that do not apply are silenced, each with
    its reason."""
    project = check_project(REPO, base=REPO)
    assert [str(f) for f in project.findings] == []
    assert len(project.cases) == 9


def _write_expected() -> None:
    import os
    import tempfile

    os.environ["POAKIT_TODAY"] = TODAY
    for folder, slug in OLD:
        tmp = Path(tempfile.mkdtemp())
        blocks = [
            "\n".join(["[case]", *(str(f) for f in case_findings(folder, slug, tmp / "c"))]),
            "\n".join(["[letter]", *(str(f) for f in letter_findings(folder, slug, tmp / "l"))]),
        ]
        (folder / f"{slug}.expected").write_text("\n\n".join(blocks) + "\n")


if __name__ == "__main__":
    _write_expected()
