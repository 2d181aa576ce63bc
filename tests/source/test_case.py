"""Golden tests of bad case files: each `NAME.case.yaml` gives exactly `NAME.expected`.

The expected files hold the full one-line findings, so the wording, the rule id and the
line:column position are all part of the specification.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TESTS

from poakit.project.load import check_case, load_library

GOLDEN = TESTS / "golden" / "bad-cases"
CASES = sorted(GOLDEN.glob("*.case.yaml"))


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    library = load_library(TESTS / "fixtures" / "mini" / "snippets")
    assert library.findings == []
    return library


@pytest.mark.parametrize("source", CASES, ids=[p.name.removesuffix(".case.yaml") for p in CASES])
def test_bad_case_gives_exact_findings(source: Path, library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    name = source.name.removesuffix(".case.yaml")
    (tmp_path / "cases").mkdir()
    target = tmp_path / "cases" / f"{name}.yaml"
    shutil.copy(source, target)
    result = check_case(target, library, f"cases/{name}.yaml", tmp_path)
    expected = (GOLDEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert [str(f) for f in result.findings] == expected
    assert result.letter is None


def test_every_problem_of_a_file_is_reported_in_one_run(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases").mkdir()
    target = tmp_path / "cases" / "many.yaml"
    shutil.copy(GOLDEN / "several-problems.case.yaml", target)
    result = check_case(target, library, "cases/many.yaml", tmp_path)
    assert len(result.findings) == 2
