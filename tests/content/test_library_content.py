"""The shipped snippet library: complete, consistent, and every snippet reads as a good letter.

Each snippet is rendered with the sample case (`poakit.samples`: the standard variables of a
fictional case plus each declared variable's example) in every letter section it can appear
in, and the text is held to the library's own tone rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import jinja2.meta
import pytest

from poakit.letter.samples import (
    SAMPLE_DONE,
    SAMPLE_OWNER,
    SAMPLE_SINCE,
    render_sample,
    sample_values,
    sections_of,
)
from poakit.model.library import STANDARD_VARIABLES, Kind, Library, Snippet
from poakit.model.values import format_value
from poakit.project.load import load_library
from poakit.review.tone import ToneMatch, apply_limits, scan
from poakit.source.tonerules import load_tone_rules
from poakit.templating.render import environment, render

ROOT = Path(__file__).resolve().parents[2]
LIBRARY: Library = load_library(ROOT / "snippets", "snippets")
RULES = load_tone_rules(ROOT / "snippets" / "tone-rules.yaml", "snippets/tone-rules.yaml")
LETTER_KINDS = (Kind.ROOT_CAUSE, Kind.MEASURE, Kind.LETTER)
REASONS = sorted(LIBRARY.reasons.values(), key=lambda r: r.id)


def _letter_snippets() -> list[Snippet]:
    return [s for kind in LETTER_KINDS for s in sorted(LIBRARY.of(kind).values(), key=_id)]


def _id(snippet: Snippet) -> str:
    return snippet.id


def _uses() -> Iterator[object]:
    """(snippet, section) for every letter section each snippet can appear in."""
    for snippet in _letter_snippets():
        for section in sections_of(snippet):
            yield pytest.param(snippet, section, id=f"{snippet.template_name}-{section}")


USES = list(_uses())


def _text(snippet: Snippet, section: str) -> str:
    return render_sample(LIBRARY, snippet, section).plain()


def _describe(matches: list[ToneMatch]) -> list[str]:
    return [f"{m.rule.id}: {m.text!r}" for m in matches]


# --- size and consistency ----------------------------------------------------------------------


def test_library_loads_without_findings() -> None:
    assert [str(f) for f in LIBRARY.findings] == []


def test_library_covers_the_catalogue() -> None:
    assert len(LIBRARY.reasons) >= 18
    assert len(LIBRARY.root_causes) >= 40
    assert len(LIBRARY.measures) >= 45
    parts = {s.meta.part for s in LIBRARY.letter_parts.values()}
    assert parts == {"opening", "closing", "request", "changes", "lead"}


@pytest.mark.parametrize("reason", REASONS, ids=_id)
def test_reason_suggests_root_causes_and_measures_that_exist(reason: Snippet) -> None:
    missing = [
        sid
        for key, kind in (("root_causes", Kind.ROOT_CAUSE), ("measures", Kind.MEASURE))
        for sid in getattr(reason.meta, key)
        if sid not in LIBRARY.of(kind)
    ]
    assert missing == []
    assert len(reason.meta.root_causes) >= 2


@pytest.mark.parametrize("reason", [r for r in REASONS if not r.meta.document_only], ids=_id)
def test_reason_suggests_a_corrective_and_a_preventive_measure(reason: Snippet) -> None:
    measures = [LIBRARY.measures[m].meta for m in reason.meta.measures if m in LIBRARY.measures]
    assert any(m.serves("corrective") for m in measures), "no corrective action"
    assert any(m.serves("preventive") for m in measures), "no preventive measure"


@pytest.mark.parametrize("kind", [Kind.ROOT_CAUSE, Kind.MEASURE], ids=str)
def test_references_between_reasons_and_snippets_go_both_ways(kind: Kind) -> None:
    """A reason suggests a snippet exactly when the snippet names the reason."""
    key = "root_causes" if kind is Kind.ROOT_CAUSE else "measures"
    one_way = [
        f"{reason.id} suggests {sid}, which does not name it in 'reasons'"
        for reason in REASONS
        for sid in getattr(reason.meta, key)
        if sid in LIBRARY.of(kind) and reason.id not in LIBRARY.of(kind)[sid].meta.reasons
    ]
    one_way += [
        f"{snippet.id} names {rid}, which does not suggest it in '{key}'"
        for snippet in sorted(LIBRARY.of(kind).values(), key=_id)
        for rid in snippet.meta.reasons
        if rid in LIBRARY.reasons and snippet.id not in getattr(LIBRARY.reasons[rid].meta, key)
    ]
    assert one_way == []


@pytest.mark.parametrize("reason", REASONS, ids=_id)
def test_reason_signals_are_lower_case_phrases(reason: Snippet) -> None:
    signals = reason.meta.signals
    assert signals, "no signals: the notice reader cannot suggest this reason"
    assert [s for s in signals if s != s.lower() or not s.strip()] == []


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize("snippet", _letter_snippets(), ids=lambda s: s.template_name)
def test_template_uses_only_declared_or_standard_variables(snippet: Snippet) -> None:
    used = jinja2.meta.find_undeclared_variables(environment(LIBRARY).parse(snippet.body))
    assert used - set(snippet.meta.variables) - STANDARD_VARIABLES == set()


@pytest.mark.parametrize("snippet", _letter_snippets(), ids=lambda s: s.template_name)
def test_declared_variables_are_used_and_have_examples(snippet: Snippet) -> None:
    used = jinja2.meta.find_undeclared_variables(environment(LIBRARY).parse(snippet.body))
    variables = snippet.meta.variables
    assert [n for n in variables if n not in used] == [], "declared but never used"
    assert [n for n, v in variables.items() if v.example is None] == [], "no example"


# --- the rendered text ------------------------------------------------------------------------


@pytest.mark.parametrize(("snippet", "section"), USES)
def test_snippet_renders_with_the_sample_case(snippet: Snippet, section: str) -> None:
    text = _text(snippet, section)
    assert text.strip()
    assert "[TBD]" not in text


@pytest.mark.parametrize(("snippet", "section"), USES)
def test_snippet_text_passes_the_tone_rules(snippet: Snippet, section: str) -> None:
    matches = scan(RULES, _text(snippet, section), section)
    if snippet.kind is Kind.LETTER:
        # An opening may hold the letter's one acknowledgement; `max` allows for it.
        matches = apply_limits(matches)
    assert _describe(matches) == []


@pytest.mark.parametrize(("snippet", "section"), USES)
def test_optional_variables_can_be_left_out(snippet: Snippet, section: str) -> None:
    """Only required variables given: no placeholder and no dangling text is left behind."""
    values = sample_values(snippet, section)
    for name, variable in snippet.meta.variables.items():
        if not variable.required:
            values[name] = None
    text = render(LIBRARY, snippet, values, "a case with required variables only").plain()
    assert "[TBD]" not in text
    assert not re.search(r"\(\s*\)|\s[,.;:]|,,", text), text


# Measures, not the lead paragraphs that open those sections with the case's facts.
CORRECTIVE = [
    p for p in USES if p.values[1] == "corrective_actions" and p.values[0].kind is Kind.MEASURE
]
PREVENTIVE = [
    p for p in USES if p.values[1] == "preventive_measures" and p.values[0].kind is Kind.MEASURE
]


@pytest.mark.parametrize(("snippet", "section"), CORRECTIVE)
def test_corrective_action_is_dated_and_in_the_past_tense(snippet: Snippet, section: str) -> None:
    text = _text(snippet, section)
    future = [m for m in scan(RULES, text, section) if m.rule.id == "future-tense-corrective"]
    assert _describe(future) == []
    assert format_value(SAMPLE_DONE) in text, "the action does not give its date"


@pytest.mark.parametrize(("snippet", "section"), PREVENTIVE)
def test_preventive_measure_names_its_start_and_owner(snippet: Snippet, section: str) -> None:
    text = _text(snippet, section)
    assert format_value(SAMPLE_SINCE) in text, "the measure does not say when it started"
    assert SAMPLE_OWNER in text, "the measure does not name its owner"


@pytest.mark.parametrize(("snippet", "section"), PREVENTIVE)
def test_owner_never_opens_a_sentence(snippet: Snippet, section: str) -> None:
    """Owners are often roles ("our warehouse lead"), which would start a sentence in lower case."""
    values = {**sample_values(snippet, section), "owner": "our warehouse lead"}
    text = render(LIBRARY, snippet, values, "a case with a role as owner").plain()
    assert not re.search(r"(?:^|[.!?]\s+)our warehouse lead", text), text


@pytest.mark.parametrize("snippet", _letter_snippets(), ids=lambda s: s.template_name)
def test_every_letter_snippet_has_a_summary(snippet: Snippet) -> None:
    """The catalogue's index tables show the summary; an empty cell tells the reader nothing."""
    assert (snippet.meta.summary or "").strip()
