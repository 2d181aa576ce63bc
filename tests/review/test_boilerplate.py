"""Boilerplate: a sentence in most letters of the library, found over all the cases checked
together, and never from private cases on a public case's account."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from poakit.errors import Position
from poakit.project.load import load_project
from poakit.review.boilerplate import MIN_LETTERS, Sentence, boilerplate


def _letters(counts: dict[str, list[str]]) -> dict[str, list[Sentence]]:
    return {
        name: [Sentence.at(key, f"sentence {key}", Position(f"{name}.yaml", 1, 1)) for key in keys]
        for name, keys in counts.items()
    }


def test_a_sentence_in_more_than_half_of_the_letters() -> None:
    letters = _letters({"a": ["x", "y"], "b": ["x", "y"], "c": ["x"], "d": ["z"], "e": ["x"]})
    found = boilerplate(letters)
    assert {name: [f.message for f in fs] for name, fs in found.items()} == {
        "a": ['this sentence is in 4 of the 5 letters: "sentence x"'],
        "b": ['this sentence is in 4 of the 5 letters: "sentence x"'],
        "c": ['this sentence is in 4 of the 5 letters: "sentence x"'],
        "d": [],
        "e": ['this sentence is in 4 of the 5 letters: "sentence x"'],
    }


def test_half_is_not_most_and_a_few_letters_prove_nothing() -> None:
    assert all(
        not fs for fs in boilerplate(_letters({"a": ["x"], "b": ["x"], "c": [], "d": []})).values()
    )
    assert boilerplate(_letters({n: ["x"] for n in "abc"})) == {}
    assert MIN_LETTERS == 4


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "snippets", root / "snippets")
    (root / "cases").mkdir()
    return root


def _copies(root: Path, count: int, visibility: str) -> None:
    source = yaml.safe_load((REPO / "cases" / "harbor-lane-compromised.yaml").read_text())
    for n in range(count):
        data = dict(source, visibility=visibility)
        data["seller"] = dict(source["seller"], name=f"Seller {visibility} {n} LLC")
        (root / "cases" / f"{visibility}-{n}.yaml").write_text(
            yaml.safe_dump(data, sort_keys=False)
        )


def test_copies_of_one_letter_are_boilerplate(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    _copies(project, 4, "public")
    found = load_project(project, base=project)
    assert found.across
    assert {f.rule for f in found.across} == {"boilerplate"}
    assert all(c.findings == () for c in found.cases)  # not on the case pages


def test_private_cases_never_count_for_a_public_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    _copies(project, 2, "public")
    _copies(project, 3, "private")
    found = load_project(project, base=project)
    paths = {f.position.path for f in found.across}
    # five letters share their sentences, but only the three private ones are compared with
    # all five; the two public ones, with each other only, are too few to tell
    assert any("private-" in p for p in paths)
    assert not any("public-" in p for p in paths)


def test_a_case_can_silence_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    _copies(project, 4, "public")
    path = project / "cases" / "public-0.yaml"
    data = yaml.safe_load(path.read_text())
    data["silence"] = [{"rule": "boilerplate", "reason": "a template we chose for this series"}]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    found = load_project(project, base=project)
    assert not any("public-0" in f.position.path for f in found.across)
    assert any("public-1" in f.position.path for f in found.across)
