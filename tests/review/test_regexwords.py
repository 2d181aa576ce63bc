"""The tone scan's prefilter (`poakit.review.regexwords`) reads Python's private regex parser.

These tests fail loudly if a Python release changes what it reads: the prefilter must find
words in the shipped rules, and scanning with it must find exactly what scanning without it
finds, on every example of every rule and on every example letter.
"""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from poakit.model.sections import KEYS
from poakit.project.load import load_library, load_project
from poakit.review import regexwords, tone


def test_the_parser_is_there() -> None:
    assert regexwords._parser is not None, "re._parser is gone: the tone scan has no prefilter"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bdevastat\w*", {"devastat"}),
        (r"\b(we will|we'll) do better\b", {" do better"}),
        (r"(?:blame|fault) of (amazon|the carrier)", {"amazon", "the carrier"}),
        (r"[A-Z]{3}\d+", None),
        (r"(a|b)?c", {"c"}),
    ],
)
def test_required_literals(pattern: str, words: set[str] | None) -> None:
    found = regexwords.required_literals(re.compile(pattern, re.IGNORECASE))
    assert found == (frozenset(words) if words is not None else None)


def _unfiltered(rules: tuple[tone.ToneRule, ...], text: str, section: str) -> list[tone.ToneMatch]:
    scanner = tone.ToneScanner(rules)
    scanner._by_word, scanner._also = {}, {}  # no prefilter: every pattern on every text
    scanner._always = [(i, p) for i, rule in enumerate(rules) for p in rule.patterns]
    return scanner.scan(text, section)


def test_the_prefilter_changes_no_finding() -> None:
    rules = load_library(REPO / "snippets").tone_rules
    filtered = tone.ToneScanner(rules)
    assert sum(1 for r in rules for p in r.patterns if regexwords.required_literals(p)) > 10
    texts = [t for r in rules for t in (*r.flag_examples, *r.pass_examples)]
    for result in load_project(REPO, base=REPO).cases:
        assert result.letter is not None
        texts += [item.text.plain() for s in result.letter.sections for item in s.items]
    for text in texts:
        for section in KEYS:
            assert filtered.scan(text, section) == _unfiltered(rules, text, section), text


@pytest.mark.parametrize(
    ("pattern", "sets"),
    [
        (r"\bwe (?:will|shall) do better\b", [{" do better"}, {"shall", "will"}, {"we "}]),
        (r"<\s*(?:insert|name)\b[^<>]{0,9}>", [{"insert", "name"}, {"<"}, {">"}]),
        (r"[A-Z]{3}\d+", []),
        (r"(a|b)?c", [{"c"}]),
        (r"\bX{3,}\b", [{"xxx"}]),
        (r"(?<=[^\s_])[ \t]*_{3,}", [{"___"}]),
        (r"(?:ab){2}c+", [{"abab"}, {"c"}]),
        (r"z{20}", [{"z" * 8}]),
    ],
)
def test_required_sets(pattern: str, sets: list[set[str]]) -> None:
    """Every match holds one string of each set; the best set (longest shortest member, then
    fewest members) first, the one the scan indexes texts by."""
    found = regexwords.required_sets(re.compile(pattern, re.IGNORECASE))
    assert [set(s) for s in found] == sets
    compiled = re.compile(pattern, re.IGNORECASE)
    for text in ("We will do better.", "<insert name>", "ABC123", "bc", "XXXX", "a ____", "ababcc"):
        match = compiled.search(text)
        if match:
            assert all(any(w in match.group().lower() for w in s) for s in found)


_SHIPPED_WORDS = tone.ToneScanner(load_library(REPO / "snippets").tone_rules)._words.words
_SHIPPED_SET = tone.WordSet(_SHIPPED_WORDS)  # compiled once for every example


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_SHIPPED_WORDS),
            st.text(alphabet="aAbK\u212a\u0130\u017fß .,'<>_\n\u00e9", max_size=6),
        ),
        max_size=40,
    )
)
def test_the_word_set_finds_what_substring_tests_find(parts: list[str]) -> None:
    """RE2's one pass finds exactly the words `word in text` finds, on lowered text with
    characters whose lower case is longer (İ) or outside ASCII (the Kelvin sign)."""
    text = "".join(parts)
    for given_text in (text, text.lower(), text.upper()):
        lowered = given_text.lower()
        expected = frozenset(w for w in _SHIPPED_WORDS if w in lowered)
        assert _SHIPPED_SET.found(lowered) == expected
        assert _SHIPPED_SET.in_order(lowered) == tuple(w for w in _SHIPPED_WORDS if w in expected)


def test_the_word_set_on_a_long_text_and_on_none() -> None:
    """A text of a megabyte (the largest case file) holding every word once, far apart: all
    are found (no automaton runs out of memory and answers nothing); no words, no text."""
    filler = "lorem ipsum dolor sit " * 50
    text = filler.join(_SHIPPED_WORDS) + filler * 900
    assert len(text) > 1_000_000
    assert _SHIPPED_SET.found(text) == frozenset(_SHIPPED_WORDS)
    assert tone.WordSet([]).found("anything") == frozenset()
    assert tone.WordSet(["we "]).found("") == frozenset()
