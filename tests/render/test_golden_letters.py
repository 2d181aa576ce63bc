"""Golden letters: a case in, the exact Markdown and plain text out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TESTS

from poakit.project.load import check_case, load_library
from poakit.render.markdown import letter_markdown
from poakit.render.text import letter_text

GOLDEN = TESTS / "golden" / "letters"
CASES = sorted(GOLDEN.glob("*.case.yaml"))
LIBRARY = TESTS / "fixtures" / "mini" / "snippets"


def _letter(source: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    name = source.name.removesuffix(".case.yaml")
    target = tmp_path / f"{name}.yaml"
    shutil.copy(source, target)
    result = check_case(target, load_library(LIBRARY), f"cases/{name}.yaml")
    assert result.letter is not None, [str(f) for f in result.findings]
    return name, result.letter


@pytest.mark.parametrize("source", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_markdown_matches_golden(source: Path, tmp_path: Path) -> None:
    name, letter = _letter(source, tmp_path)
    assert letter_markdown(letter) == (GOLDEN / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_text_matches_golden(source: Path, tmp_path: Path) -> None:
    name, letter = _letter(source, tmp_path)
    assert letter_text(letter) == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


def test_case_values_are_data_in_plain_text(tmp_path: Path) -> None:
    _, letter = _letter(GOLDEN / "hostile.case.yaml", tmp_path)
    text = letter_text(letter)
    assert "Evil {{ 7*7 }} Corp <script>alert(1)</script>" in text
    assert "{% for x in range(3) %}loop{% endfor %} removed" in text
    assert "49" not in text and "looplooploop" not in text


def test_case_values_are_escaped_in_markdown(tmp_path: Path) -> None:
    _, letter = _letter(GOLDEN / "hostile.case.yaml", tmp_path)
    markdown = letter_markdown(letter)
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;" in markdown
    assert "\\*\\*Bold\\*\\*" in markdown


def test_every_item_points_back_at_its_case_entry(tmp_path: Path) -> None:
    _, letter = _letter(GOLDEN / "acme.case.yaml", tmp_path)
    causes = letter.section("root_causes").items
    assert [(i.position.line, i.snippet.id if i.snippet else None) for i in causes] == [
        (23, "unverified-supplier")
    ]
    actions = letter.section("corrective_actions").items
    assert actions[0].position.line == 28
    assert actions[0].answers == (1,)


def test_same_case_gives_identical_output(tmp_path: Path) -> None:
    _, first = _letter(GOLDEN / "acme.case.yaml", tmp_path)
    _, second = _letter(GOLDEN / "acme.case.yaml", tmp_path)
    assert letter_markdown(first) == letter_markdown(second)
