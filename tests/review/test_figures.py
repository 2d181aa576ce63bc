"""Numbers typed into the letter that contradict the case's figures: a rate, a count out of
the metric's total, the units of a named supplier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TESTS, with_changes

from poakit.model.library import Library
from poakit.project.load import check_case, load_library

LIBRARY: Library = load_library(REPO / "snippets", "snippets")
TABLES = TESTS / "golden" / "requirements"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")


def _case(reason: str) -> dict[str, Any]:
    base: dict[str, Any] = yaml.safe_load((TABLES / "_base.yaml").read_text())
    own = yaml.safe_load((TABLES / f"{reason}.yaml").read_text())["case"]
    changes = own.pop("set", {})
    base.update(own)
    return with_changes(base, changes)


def _figures(data: dict[str, Any], tmp_path: Path) -> list[str]:
    path = tmp_path / "cases" / "fig.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=1000))
    result = check_case(path, LIBRARY, "cases/fig.yaml")
    return [f.message for f in result.findings if f.rule == "figure-contradicts-data"]


RATE_TEXTS = [
    (
        "In the window our Order Defect Rate was 2.3%, mostly from late parcels.",
        ["the text gives the Order Defect Rate as 2.3%; the case says 2.1% (since the fix 0.4%)"],
    ),
    (
        "In the window 27 of 1,240 orders were defective.",
        ['"27 of 1,240": the Order Defect Rate counts 26 of 1,240'],
    ),
    (
        "In the window 26 of 1,250 orders were defective.",
        ['"26 of 1,250": the Order Defect Rate counts 26 of 1,240'],
    ),
    ("In the window our Order Defect Rate was 2.1%: 26 of 1,240 orders.", []),
    ("Since the fix our Order Defect Rate is 0.4%, 3 of 702 orders.", []),
    ("We act on an Order Defect Rate above 0.5%, well before Amazon's target of 1%.", []),
    ("15 of the 17 negative ratings concerned late delivery.", []),
]


@pytest.mark.parametrize(("text", "expected"), RATE_TEXTS, ids=[t[:40] for t, _ in RATE_TEXTS])
def test_rates_and_counts_against_the_metric(
    text: str, expected: list[str], tmp_path: Path
) -> None:
    case = with_changes(_case("order-defect-rate"), {"root_causes.0.text": text})
    assert _figures(case, tmp_path) == expected


UNIT_TEXTS = [
    ("We bought 140 units of B0C1234567 and B0C9XK2M4T from QuickWholesale Ltd.", []),
    ("We removed all 96 units bought from QuickWholesale Ltd.", []),
    ("The 44 units sold from QuickWholesale Ltd went to our buyers.", []),
    (
        "We bought 150 units of B0C1234567 and B0C9XK2M4T from QuickWholesale Ltd.",
        [
            '"150 units" of QuickWholesale Ltd: the units accounting has 140 bought, 44 sold, 96 removed'
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNIT_TEXTS, ids=[t[:40] for t, _ in UNIT_TEXTS])
def test_units_of_a_named_supplier(text: str, expected: list[str], tmp_path: Path) -> None:
    case = with_changes(_case("inauthentic"), {"root_causes.0.text": text})
    assert _figures(case, tmp_path) == expected


def test_the_lead_parts_are_not_read_twice(tmp_path: Path) -> None:
    """The figures the library's leads print come from the case itself."""
    assert _figures(_case("order-defect-rate"), tmp_path) == []
    assert _figures(_case("inauthentic"), tmp_path) == []
