"""render.html writes what Python-Markdown writes of a letter's section, or nothing.

Every comparison reads both HTMLs as a reader's browser would: the same elements in the same
order, the same text (character references resolved, runs of white space as one space, none
at the edges of a block). Python-Markdown runs with the site's own extensions (mkdocs.yml).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO as ROOT
from conftest import TESTS
from htmlread import read, site_markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poakit.letter.letter import Letter
from poakit.project.load import check_case, load_library
from poakit.render.html import section_html, table_html, text_html
from poakit.render.markdown import section_blocks
from poakit.site.markup import table
from poakit.templating.escape import html_text, markdown_text
from poakit.templating.richtext import CLOSE, OPEN, RichText

MD = site_markdown()


def markdown_of(letter: Letter, section_key: str) -> str:
    section = letter.section(section_key)
    blocks = section_blocks(letter, section)
    MD.reset()
    return MD.convert("\n\n".join(b for b in blocks[1:] if b))


def _letters(tmp_path: Path) -> list[tuple[str, Letter]]:
    """Every letter the project's examples and the test fixtures' golden cases make."""
    found = []
    library = load_library(ROOT / "snippets", "snippets")
    for path in sorted((ROOT / "cases").glob("*.yaml")):
        result = check_case(path, library, f"cases/{path.name}", ROOT)
        if result.letter is not None:
            found.append((path.name, result.letter))
    mini = load_library(TESTS / "fixtures" / "mini" / "snippets")
    for source in sorted((TESTS / "golden" / "letters").glob("*.case.yaml")):
        target = tmp_path / source.name.replace(".case", "")
        shutil.copy(source, target)
        result = check_case(target, mini, f"cases/{target.name}")
        if result.letter is not None:
            found.append((source.name, result.letter))
    return found


def test_every_section_of_every_example_letter_reads_as_markdown_makes_it(
    tmp_path: Path,
) -> None:
    shortcut = checked = 0
    for name, letter in _letters(tmp_path):
        for section in letter.sections:
            if not section.everything:
                continue
            checked += 1
            ours = section_html(letter, section)
            if ours is None:
                continue
            shortcut += 1
            assert read(ours) == read(markdown_of(letter, section.key)), (name, section.key)
    # the shortcut is taken, or it saves nothing: most sections of the examples are plain
    assert checked > 60 and shortcut / checked > 0.8, (shortcut, checked)


def test_the_hostile_golden_case_is_escaped_and_reads_the_same(tmp_path: Path) -> None:
    letters = dict(_letters(tmp_path))
    letter = letters["hostile.case.yaml"]
    every = "\n".join(filter(None, (section_html(letter, s) for s in letter.sections)))
    assert "<img" not in every and "<b>" not in every and "<code>" not in every
    assert "&lt;img src=x onerror=alert(1)&gt;" in every and "&lt;b&gt;Head&lt;/b&gt;" in every
    assert "with `code` and _emphasis_ and a \u2407 bell" in every  # text, not markup
    assert "{{ config }}" in every and "{% for x in range(3) %}" in every  # never run
    for section in letter.sections:
        ours = section_html(letter, section)
        if section.everything and ours is not None:
            assert read(ours) == read(markdown_of(letter, section.key)), section.key


# -- random texts ----------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "We",
        "checked",
        "the",
        "units",
        "of",
        "B0C1234567",
        "on",
        "2",
        "July",
        "2026.",
        "orders,",
        "**all**",
        "*every*",
        "**",
        "*",
        "***",
        "1.",
        "-",
        "#",
        "(the",
        "owner)",
        "Ltd",
        "100%",
        ":",
        "!",
        "?",
        "=",
        "+",
        "x*y*z",
        "a**b**c",
        "***x***",
        "**x*",
        "*x**",
        "**a *b* c**",
    ]
)
_LINE = st.lists(st.one_of(_WORDS, st.just("\x00")), min_size=1, max_size=8).map(" ".join)
_SKELETON = st.lists(
    st.one_of(_LINE, st.just(""), _LINE.map(lambda line: "- " + line)), min_size=1, max_size=6
).map("\n".join)
_VALUE = st.text(
    alphabet=st.sampled_from(list("ab *_#<>&-.:!1 \n\t`[]()|\\\u00a0\u2028\x07{}=~")),
    max_size=12,
)


def _rich(skeleton: str, values: list[str]) -> RichText:
    count = 0

    def marker(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"{OPEN}{count - 1}{CLOSE}"

    skeleton = re.sub("\x00", marker, skeleton)
    return RichText(skeleton, tuple((values * count)[:count]) if values else ("",) * count)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SKELETON, st.lists(_VALUE, min_size=1, max_size=4))
def test_a_random_text_reads_as_markdown_makes_it_or_is_left_to_markdown(
    skeleton: str, values: list[str]
) -> None:
    text = _rich(skeleton, values)
    ours = text_html(text)
    if ours is None:
        return
    MD.reset()
    theirs = MD.convert(text.markdown())
    assert read(ours) == read(theirs)


def test_the_shortcut_leaves_anything_but_plain_text_to_markdown() -> None:
    for skeleton in [
        "See [the policy](https://example.com).",
        "Run `poa check` first.",
        "# A heading",
        "A line  \nwith a hard break",
        "R&amp;D",
        "snake_case_name",
        "<b>raw</b>",
        "> quoted",
        "1. numbered",
        "* starred item",
        "text\n- a list without a blank line",
        "- one\n\n- two",
        "***both***",
        "2 * 3 is six",
        "text\n\n    indented code",
        "!!! note",
        "Heading\n---",
    ]:
        assert text_html(RichText(skeleton)) is None, skeleton


def test_values_are_text_whatever_they_hold() -> None:
    value = "**x** <script>alert(1)</script> [a](javascript:x) `c` &amp; _y_"
    html_ = text_html(RichText(f"Seller {OPEN}0{CLOSE} wrote **{OPEN}0{CLOSE}**.", (value,)))
    assert html_ is not None
    escaped = html.escape(value, quote=False)
    assert html_ == f"<p>Seller {escaped} wrote <strong>{escaped}</strong>.</p>"
    assert markdown_text(value)  # the Markdown path escapes the same value (a sanity check)


@pytest.mark.parametrize("value", ["", " padded ", "\tx"])
def test_a_value_against_an_asterisk_with_white_space_at_its_edge_is_left_to_markdown(
    value: str,
) -> None:
    assert text_html(RichText(f"a **{OPEN}0{CLOSE}** b", (value,))) is None


@pytest.mark.parametrize(
    "cells",
    [
        [("Supplier invoices, 2026", "1,180 units (90 of B0C1234567)")],
        [("<script>alert(1)</script> | pipe", "**not bold** `not code` [no](link) &amp; \\ \n x")],
        [("", " padded  value "), ("#1", "- a dash")],
    ],
)
def test_an_html_table_reads_as_markdown_makes_the_table(cells: list[tuple[str, str]]) -> None:
    """The investigation's table is an island (`table_html`): it reads as the Markdown table
    of the same values did."""
    header = ("What we reviewed", "What we found")
    island = table_html(header, [tuple(map(html_text, row)) for row in cells])
    made = site_markdown().convert(table(header, [tuple(map(markdown_text, row)) for row in cells]))
    assert read(island) == read(made)
