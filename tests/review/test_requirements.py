"""What each reason requires: for every requirement of every reason, a case that meets it
passes and a case that lacks it draws the exact findings.

Each reason has a table in tests/golden/requirements/: `<reason>.yaml` holds a case that meets
every requirement of the reason (merged over `_base.yaml`) and, per requirement, the changes
that break it; `<reason>.expected` holds, per change, the exact findings of that
requirement's check. Regenerate the expected files with
`python tests/review/test_requirements.py` after a deliberate change, and read the diff.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TESTS, golden_blocks, with_changes

from poakit.errors import Finding
from poakit.model.library import Library
from poakit.project.load import check_case, load_library
from poakit.review.requirements import CHECK_RULES

TABLES = TESTS / "golden" / "requirements"
TODAY = "2026-11-27"
LIBRARY: Library = load_library(REPO / "snippets", "snippets")
REASONS = sorted(LIBRARY.reasons)


def _table(reason: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((TABLES / f"{reason}.yaml").read_text())
    return data


def complete_case(reason: str) -> dict[str, Any]:
    """The reason's case that meets every requirement: the base, the reason's keys, its `set`."""
    case: dict[str, Any] = yaml.safe_load((TABLES / "_base.yaml").read_text())
    own = copy.deepcopy(_table(reason)["case"])
    changes = own.pop("set", {})
    case.update(own)
    return changed(case, changes)


changed = with_changes


def findings(case: dict[str, Any], folder: Path) -> list[Finding]:
    path = folder / "cases" / "req.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=1000))
    return list(check_case(path, LIBRARY, "cases/req.yaml").findings)


def variants() -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(reason, requirement id, number, changes) for every change of every table."""
    for reason in REASONS:
        for req_id, changes in _table(reason)["requirements"].items():
            for number, variant in enumerate(changes, start=1):
                yield reason, req_id, number, variant["change"]


def flagged(reason: str, req_id: str, case: dict[str, Any], folder: Path) -> list[str]:
    """The findings of the requirement's check in `case`, as `poa check` prints them."""
    requirement = next(r for r in LIBRARY.reasons[reason].meta.requirements if r.id == req_id)
    rules = CHECK_RULES[requirement.check]
    return [str(f) for f in findings(case, folder) if f.rule in rules]


def expected(reason: str) -> dict[str, list[str]]:
    """`<reason>.expected`: per `[requirement n]` header, the lines that follow it."""
    return golden_blocks(TABLES / f"{reason}.expected")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", TODAY)


@pytest.mark.parametrize("reason", REASONS)
def test_every_requirement_has_a_table_with_a_change_that_breaks_it(reason: str) -> None:
    declared = [r.id for r in LIBRARY.reasons[reason].meta.requirements]
    assert declared, f"{reason} declares no requirements"
    table = _table(reason)["requirements"]
    assert list(table) == declared
    assert all(changes for changes in table.values())


@pytest.mark.parametrize("reason", REASONS)
def test_a_case_that_meets_every_requirement_passes(reason: str, tmp_path: Path) -> None:
    assert [str(f) for f in findings(complete_case(reason), tmp_path)] == []


@pytest.mark.parametrize(
    ("reason", "req_id", "number", "change"),
    list(variants()),
    ids=[f"{r}-{q}-{n}" for r, q, n, _ in variants()],
)
def test_a_case_that_lacks_it_draws_the_exact_findings(
    reason: str, req_id: str, number: int, change: dict[str, Any], tmp_path: Path
) -> None:
    lines = flagged(reason, req_id, changed(complete_case(reason), change), tmp_path)
    assert lines, "the change must draw a finding"
    assert lines == expected(reason)[f"{req_id} {number}"]


def test_the_base_case_is_dated_before_today() -> None:
    base = yaml.safe_load((TABLES / "_base.yaml").read_text())
    assert base["notice"]["received"] < dt.date.fromisoformat(TODAY)


def _write_expected(folder: Path) -> None:
    """Regenerate every `<reason>.expected` (run this file as a script)."""
    import os

    os.environ["POAKIT_TODAY"] = TODAY
    for reason in REASONS:
        blocks = []
        for r, req_id, number, change in variants():
            if r == reason:
                lines = flagged(reason, req_id, changed(complete_case(reason), change), folder)
                blocks.append("\n".join([f"[{req_id} {number}]", *lines]))
        (TABLES / f"{reason}.expected").write_text("\n\n".join(blocks) + "\n")


if __name__ == "__main__":
    import tempfile

    _write_expected(Path(tempfile.mkdtemp()))


def test_a_letter_that_does_not_state_the_metric(tmp_path: Path) -> None:
    """A library without the metric lead: the rate and counts entered in the case never reach
    the letter, and the check says which figures are missing."""
    import shutil

    library_folder = tmp_path / "snippets"
    shutil.copytree(REPO / "snippets", library_folder)
    (library_folder / "letter" / "metric-figures.md").unlink()
    library = load_library(library_folder, "snippets")
    path = tmp_path / "cases" / "req.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(complete_case("order-defect-rate"), sort_keys=False, width=1000))
    found = [str(f) for f in check_case(path, library, "cases/req.yaml").findings]
    assert found == [
        "cases/req.yaml:41:3: error: the letter does not state the notice's Order Defect Rate of "
        "2.1% (26 of 1,240) (use a letter library with the metric lead (letter/metric-figures), "
        "or state the rate and the counts in the first root cause) [metric-not-stated]"
    ]
