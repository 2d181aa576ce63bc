"""`poa check --format github` (`poakit.cli.github`): findings as GitHub Actions annotations.

The runner reads `::error file=PATH,line=L,col=C,title=RULE::MESSAGE` and decodes `%25`, `%0D`,
`%0A` (and, in properties, `%3A` and `%2C`); `unescape` below reads a line the same way, so
these tests see an annotation as GitHub shows it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import poa
from hypothesis import given
from hypothesis import strategies as st

from poakit.cli.github import annotation
from poakit.errors import Finding, Level, Position

COMMAND = re.compile(r"::(error|warning) ([^:]*)::(.*)")


def unescape(text: str, *, in_property: bool = False) -> str:
    """What GitHub's runner makes of an escaped value (the inverse of its toolkit's escapes)."""
    codes = {"%0D": "\r", "%0A": "\n", **({"%3A": ":", "%2C": ","} if in_property else {})}
    for code, char in codes.items():
        text = text.replace(code, char)
    return text.replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """An annotation line as the runner parses it: level, properties, message."""
    match = COMMAND.fullmatch(line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match[2].split(","))
    values = {name: unescape(value, in_property=True) for name, value in properties.items()}
    return match[1], values, unescape(match[3])


def test_a_finding_is_one_annotation_at_its_file_line_and_column() -> None:
    finding = Finding(
        Position("cases/acme.yaml", 14, 15),
        Level.ERROR,
        "unknown reason 'inauthentc'",
        "unknown-reason",
        "did you mean 'inauthentic'?",
    )
    assert annotation(finding) == (
        "::error file=cases/acme.yaml,line=14,col=15,title=unknown-reason::"
        "unknown reason 'inauthentc' (did you mean 'inauthentic'?)"
    )


def test_a_warning_is_a_warning_annotation() -> None:
    finding = Finding(Position("snippets/x.md", 3, 1), Level.WARNING, "50% of it", "tone")
    assert (
        annotation(finding) == "::warning file=snippets/x.md,line=3,col=1,title=tone::50%25 of it"
    )


def test_percent_line_breaks_colons_and_commas_are_escaped_as_github_does() -> None:
    finding = Finding(
        Position("cases/a,b:c%.yaml", 2, 7),
        Level.ERROR,
        'found "100%\r\n::error file=x::forged"',
        "rule:x,y",
        "fix: a, b",
    )
    assert annotation(finding) == (
        "::error file=cases/a%2Cb%3Ac%25.yaml,line=2,col=7,title=rule%3Ax%2Cy::"
        'found "100%25%0D%0A::error file=x::forged" (fix: a, b)'
    )


@given(
    path=st.text(min_size=1),
    message=st.text(),
    rule=st.text(min_size=1),
    fix=st.none() | st.text(),
    line=st.integers(1, 10_000),
    column=st.integers(1, 500),
)
def test_any_finding_reads_back_as_itself_on_one_line(
    path: str, message: str, rule: str, fix: str | None, line: int, column: int
) -> None:
    """Whatever a case file holds, the annotation is one line that GitHub reads back as the
    finding (controls other than CR, LF and tab shown as symbols, as on the terminal)."""
    visible = re.compile(
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    )
    finding = Finding(Position(path, line, column), Level.ERROR, message, rule, fix)
    text = annotation(finding)
    assert "\n" not in text and "\r" not in text
    level, properties, shown = parse(text)
    assert level == "error"
    assert properties.keys() == {"file", "line", "col", "title"}
    assert (properties["line"], properties["col"]) == (str(line), str(column))
    expected = {"file": path, "title": rule}
    for name, value in expected.items():
        if not visible.search(value):
            assert properties[name] == value
    whole = message + (f" ({fix})" if fix else "")
    if not visible.search(whole):
        assert shown == whole


def test_poa_check_format_github_prints_annotations_and_the_summary(mini: Path) -> None:
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("reason: inauthentic", "reason: inauthentc"))
    result = poa("check", "--format", "github", cwd=mini)
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=cases/acme.yaml,line=14,col=15,title=unknown-reason::"
        "unknown reason 'inauthentc' (did you mean 'inauthentic'?)\n"
    )
    assert result.stderr == "1 error, 0 warnings in 1 case file and the snippet library\n"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_clean_project_prints_no_annotation(mini: Path, fmt: str) -> None:
    result = poa("check", "--format", fmt, cwd=mini)
    assert (result.returncode, result.stdout) == (0, "")
