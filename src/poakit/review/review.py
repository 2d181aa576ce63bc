"""The review of an assembled letter: every check, findings in one list.

Structure checks (`review.structure`) look at the case and the letter's shape; tone rules
(`review.tone`, data in `snippets/tone-rules.yaml`) look at the words. A finding about words
points at the case entry when the words came from the case, or at the snippet when they came
from the library. A case may silence a rule with `silence: [{rule: ID, reason: ...}]`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence

from ..errors import ConfigError, Finding, Position, did_you_mean, error, in_order
from ..letter.letter import Item, Letter
from ..model.library import Library
from ..model.versions import SentVersion
from . import attachments, figures, fit, followup, prose, requirements
from .structure import CHECKS, RULES, Review
from .tone import ToneMatch, beyond_limits, scanner

#: Every check of a letter, in the order they run (followup's run with the versions sent).
ALL_CHECKS = (
    *CHECKS,
    requirements.requirement_findings,
    fit.opening_scope,
    fit.closing_fit,
    fit.root_cause_titles,
    figures.figure_findings,
    prose.prose_findings,
)
#: Every check's rule id (the tone rules' ids come from the library), for `silence:`.
CHECK_RULES: dict[str, str] = {
    **RULES,
    **followup.RULES,
    **attachments.RULES,
    **requirements.RULES,
    **fit.RULES,
    **figures.RULES,
    **prose.RULES,
    "boilerplate": "a sentence found in most letters of the library (checked over all cases)",
}


def today() -> dt.date:
    """The review date: POAKIT_TODAY (YYYY-MM-DD) when set, so runs can be reproduced; a
    `ConfigError` if it is set to anything but a date."""
    override = os.environ.get("POAKIT_TODAY")
    if not override:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(override)
    except ValueError:
        raise ConfigError(
            f"POAKIT_TODAY: expected a date as YYYY-MM-DD (e.g. 2026-10-04), found {override!r}"
        ) from None


def review(
    letter: Letter,
    library: Library,
    on: dt.date | None = None,
    *,
    versions: Sequence[SentVersion] = (),
) -> list[Finding]:
    """Run every check on `letter` (and on the `versions` of it the case sent); findings
    sorted by position."""
    context = Review(letter, library, on or today())
    findings = [f for check in ALL_CHECKS for f in check(context)]
    findings += followup.followup_findings(letter, versions)
    findings += tone_findings(letter, library)
    findings = list(_silenced(findings, letter, library))
    return sorted(findings, key=in_order)


#: The checks of a letter's words alone: what can be read in a letter as it was sent.
WORDING_CHECKS = (
    requirements.wording_findings,
    fit.opening_scope,
    fit.closing_fit,
    fit.root_cause_titles,
    figures.figure_findings,
    prose.prose_findings,
)


def review_sent(letter: Letter, library: Library) -> list[Finding]:
    """The checks of words on a letter read back from the text that was sent
    (`letter.readback.read_back`): its items point at lines of that text."""
    context = Review(letter, library, today())
    findings = [f for check in WORDING_CHECKS for f in check(context)]
    findings += tone_findings(letter, library)
    return sorted(_silenced(findings, letter, library), key=in_order)


def tone_findings(letter: Letter, library: Library) -> list[Finding]:
    rules = scanner(library.tone_rules)
    parts = [
        (section.key, item, *item.text.plain_with_spans())
        for section in letter.sections
        for item in section.everything
    ]
    scanned = rules.scan_all([(key, text) for key, _, text, _ in parts])
    located: list[tuple[ToneMatch, Item, bool]] = []
    for (_, item, _, values), matches in zip(parts, scanned, strict=True):
        for match in matches:
            from_case = item.snippet is None or any(
                a < match.end and b > match.start for a, b in values
            )
            located.append((match, item, from_case))
    kept = beyond_limits([m for m, _, _ in located])
    return [
        _tone_finding(match, item, from_case)
        for (match, item, from_case), keep in zip(located, kept, strict=True)
        # A placeholder typed in the case is reported once, at its field, by `unfilled-field`.
        if keep and not (from_case and match.rule.id == "unfilled-placeholder")
    ]


def _tone_finding(match: ToneMatch, item: Item, from_case: bool) -> Finding:
    rule = match.rule
    where = item.position if from_case else _snippet_position(item, match.text)
    return Finding(where, rule.level, f'{rule.message}: "{match.text}"', rule.id, rule.fix)


def _snippet_position(item: Item, words: str) -> Position:
    """The line of the snippet body holding `words` (or the body's first line)."""
    assert item.snippet is not None
    for number, line in enumerate(item.snippet.body.splitlines(), start=1):
        if words.lower() in line.lower():
            return item.snippet.position(number)
    return item.snippet.position()


def _silenced(findings: list[Finding], letter: Letter, library: Library) -> Iterator[Finding]:
    silences = letter.case.silence
    known = set(CHECK_RULES) | {rule.id for rule in library.tone_rules}
    quiet = letter.case.silenced_rules
    for n, silence in enumerate(silences):
        if silence.rule not in known:
            yield error(
                letter.case_file.position("silence", n, "rule"),
                f"unknown rule '{silence.rule}' in silence",
                "unknown-rule",
                did_you_mean(silence.rule, known),
            )
    yield from (f for f in findings if f.rule not in quiet)
