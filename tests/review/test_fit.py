"""Letters that fit their case: the opening follows the notice's scope, the closing talks only
about what the case has and a metric case closes on its metric, each root cause is titled by
its own cause."""

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


def _case(reason: str, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = yaml.safe_load((TABLES / "_base.yaml").read_text())
    own = yaml.safe_load((TABLES / f"{reason}.yaml").read_text())["case"]
    own_changes = own.pop("set", {})
    base.update(own)
    return with_changes(with_changes(base, own_changes), changes)


def _found(data: dict[str, Any], tmp_path: Path, *rules: str) -> list[str]:
    path = tmp_path / "cases" / "fit.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=1000))
    result = check_case(path, LIBRARY, "cases/fit.yaml")
    return [f"{f.rule}: {f.message}" for f in result.findings if f.rule in rules]


@pytest.mark.parametrize(
    ("action", "opening", "expected"),
    [
        ("listings-removed", None, []),
        ("account-deactivated", None, []),
        ("warning", None, []),
        (
            "listings-removed",
            "opening",
            [
                "opening-scope: the notice acts on listings (listings-removed), and the opening "
                "speaks of the account being deactivated"
            ],
        ),
        (
            "account-deactivated",
            "opening-listing",
            [
                "opening-scope: the notice acts on the account (account-deactivated), and the "
                "opening does not say so"
            ],
        ),
        (
            "warning",
            "opening",
            ["opening-scope: the notice is a warning, and the opening does not say so"],
        ),
    ],
)
def test_the_opening_follows_the_notice(
    action: str, opening: str | None, expected: list[str], tmp_path: Path
) -> None:
    changes: dict[str, Any] = {"notice.action": action}
    if opening:
        changes["letter"] = {"opening": opening}
    assert _found(_case("restricted-products", **changes), tmp_path, "opening-scope") == expected


def test_the_opening_chosen_for_each_action(tmp_path: Path) -> None:
    chosen = {}
    for action in (
        "account-deactivated",
        "funds-held",
        "listings-removed",
        "category-restricted",
        "warning",
    ):
        path = tmp_path / f"{action}.yaml"
        path.write_text(
            yaml.safe_dump(_case("restricted-products", **{"notice.action": action}), width=1000)
        )
        letter = check_case(path, LIBRARY, path.name).letter
        assert letter is not None
        chosen[action] = letter.section("opening").items[0].snippet.id  # type: ignore[union-attr]
    assert chosen == {
        "account-deactivated": "opening",
        "funds-held": "opening",
        "listings-removed": "opening-listing",
        "category-restricted": "opening-listing",
        "warning": "opening-warning",
    }


def test_a_metric_case_closes_on_its_metric(tmp_path: Path) -> None:
    case = _case("order-defect-rate")
    assert _found(case, tmp_path, "closing-fit") == []
    pinned = with_changes(case, {"letter": {"closing": "closing"}})
    assert _found(pinned, tmp_path, "closing-fit") == [
        "closing-fit: a metric case closes on its metric, and the closing does not name "
        "Order Defect Rate"
    ]


def test_no_asin_or_supplier_talk_without_them(tmp_path: Path) -> None:
    case = _case("order-defect-rate", letter={"closing": "closing-supply-chain"})
    assert _found(case, tmp_path, "closing-fit") == [
        "closing-fit: the closing talks about suppliers, and the case has none",
        "closing-fit: a metric case closes on its metric, and the closing does not name "
        "Order Defect Rate",
    ]


def test_the_closing_chosen_for_the_facts_of_the_case(tmp_path: Path) -> None:
    chosen = {}
    for reason in ("order-defect-rate", "inauthentic", "restricted-products"):
        path = tmp_path / f"{reason}.yaml"
        path.write_text(yaml.safe_dump(_case(reason), width=1000))
        letter = check_case(path, LIBRARY, path.name).letter
        assert letter is not None
        chosen[reason] = letter.section("closing").items[0].snippet.id  # type: ignore[union-attr]
    assert chosen == {
        "order-defect-rate": "closing-metrics",
        "inauthentic": "closing-supply-chain",
        "restricted-products": "closing",
    }


@pytest.mark.parametrize(
    ("cause", "expected"),
    [
        ({"title": "Listing created from a supplier sheet"}, []),
        ({"title": None}, ["root-cause-untitled: root cause written out in full has no title"]),
        (
            {"title": "Restricted products"},
            [
                "root-cause-title: root cause titled 'Restricted products', the reason, not the cause"
            ],
        ),
    ],
)
def test_each_root_cause_is_titled_by_its_cause(
    cause: dict[str, Any], expected: list[str], tmp_path: Path
) -> None:
    changes = {f"root_causes.0.{k}": v for k, v in cause.items()}
    case = _case("restricted-products", **changes)
    found = _found(case, tmp_path, "root-cause-untitled", "root-cause-title")
    assert found == expected


def test_two_root_causes_with_one_title(tmp_path: Path) -> None:
    second = {
        "id": "other",
        "issues": ["issue"],
        "title": "What went wrong",
        "text": "Our second check for B0C1234567 was missing.",
    }
    case = _case("restricted-products", **{"root_causes.1": second})
    case["corrective_actions"][0]["root_causes"] = ["cause", "other"]
    case["preventive_measures"][0]["root_causes"] = ["cause", "other"]
    assert _found(case, tmp_path, "root-cause-title") == [
        "root-cause-title: two root causes have the title 'What went wrong'",
        "root-cause-title: two root causes have the title 'What went wrong'",
    ]


def test_a_snippet_root_cause_is_titled_by_its_snippet(tmp_path: Path) -> None:
    case = _case(
        "inauthentic",
        **{
            "root_causes.0": {
                "id": "cause",
                "issues": ["issue"],
                "snippet": "unverified-supplier",
                "vars": {"supplier": "QuickWholesale Ltd", "units": 140},
            }
        },
    )
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(case, width=1000))
    letter = check_case(path, LIBRARY, "x.yaml").letter
    assert letter is not None
    assert [i.label for i in letter.section("root_causes").items] == [
        "Units bought from a supplier we had not verified"
    ]


def test_a_listing_opening_that_names_no_asin(tmp_path: Path) -> None:
    case = _case(
        "restricted-products",
        **{"notice.action": "listings-removed", "letter": {"opening": "opening-resubmission"}},
    )
    assert _found(case, tmp_path, "opening-scope") == [
        "opening-scope: the notice acts on listings (listings-removed), and the opening does not "
        "name B0C1234567"
    ]
