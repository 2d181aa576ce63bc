"""Checks on the shape of a letter: coverage, dates, evidence and length.

Each check is a small function from a `Review` to findings, pointing at the case entry a
reviewer would have to change. The rule ids are listed in `RULES` (with what they catch), so
`silence:` entries in a case can be validated against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from ..errors import Finding, Position, error, warning
from ..letter.letter import Letter
from ..model.case import Case, CaseFile
from ..model.library import Library
from ..render.text import letter_text, section_text
from .tone import scanner

RULES: dict[str, str] = {
    "issue-unanswered": "a notice issue that no root cause explains",
    "no-corrective-action": "a root cause without a corrective action",
    "no-preventive-measure": "a root cause without a preventive measure",
    "id-not-covered": "an ASIN, order or complaint of the notice missing from letter and evidence",
    "corrective-undated": "a corrective action without a date",
    "corrective-in-future": "a corrective action dated after today",
    "preventive-no-start": "a preventive measure without a start date",
    "preventive-no-owner": "a preventive measure without an owner",
    "evidence-outside-window": "a document dated before the notice's evidence window",
    "evidence-in-future": "a document dated after today",
    "evidence-file-type": "an attachment of a type the notice does not accept",
    "evidence-missing-asin": "an ASIN under review with no supporting document",
    "too-long": "a letter or section longer than the library's limits",
    "unfilled-field": "a value of the case file still holding a placeholder such as TBD",
}


@dataclass(frozen=True)
class Review:
    """What every check needs: the letter, the library, and the day it is reviewed on."""

    letter: Letter
    library: Library
    today: dt.date

    @property
    def file(self) -> CaseFile:
        return self.letter.case_file

    @property
    def case(self) -> Case:
        return self.letter.case

    @cached_property
    def text(self) -> str:
        """All the words of the letter, root-cause labels included, as plain text."""
        return "\n".join(
            (f"{item.label}. " if item.label else "") + item.text.plain()
            for section in self.letter.sections
            for item in section.everything
        )


Check = Callable[[Review], Iterator[Finding]]


def issues_answered(review: Review) -> Iterator[Finding]:
    explained = {i for cause in review.case.root_causes for i in cause.issues}
    for n, issue in enumerate(review.case.notice.issues):
        if issue.id not in explained:
            yield error(
                review.file.position("notice", "issues", n),
                f"notice issue '{issue.id}' is not explained by any root cause",
                "issue-unanswered",
                f"add a root cause with issues: [{issue.id}]",
            )


def causes_answered(review: Review) -> Iterator[Finding]:
    case = review.case
    corrected = {c for action in case.corrective_actions for c in action.root_causes}
    prevented = {c for measure in case.preventive_measures for c in measure.root_causes}
    for n, cause in enumerate(case.root_causes):
        where = review.file.position("root_causes", n)
        if cause.id not in corrected:
            yield error(
                where,
                f"root cause '{cause.id}' has no corrective action",
                "no-corrective-action",
                f"add a corrective action with root_causes: [{cause.id}]",
            )
        if cause.id not in prevented:
            yield error(
                where,
                f"root cause '{cause.id}' has no preventive measure",
                "no-preventive-measure",
                f"add a preventive measure with root_causes: [{cause.id}]",
            )


def ids_covered(review: Review) -> Iterator[Finding]:
    """Every ASIN, order and complaint of the notice appears in the letter or the evidence."""
    documented = {x for doc in review.case.evidence for x in doc.covers}
    text: str | None = None  # the letter, joined only if some id is not documented
    for n, issue in enumerate(review.case.notice.issues):
        for key, what in (("asins", "ASIN"), ("orders", "order"), ("complaints", "complaint")):
            for i, value in enumerate(getattr(issue, key)):
                if value in documented:
                    continue
                if text is None:
                    text = "\n".join(
                        item.text.plain() + " " + (item.label or "")
                        for section in review.letter.sections
                        for item in section.everything
                    )
                if not stands_in(text, value):
                    yield error(
                        review.file.position("notice", "issues", n, key, i),
                        f"{what} {value} of the notice appears neither in the letter "
                        "nor in the evidence",
                        "id-not-covered",
                        f"list it under a document's {key}, or name it in the letter",
                    )


def stands_in(text: str, value: str) -> bool:
    """Whether `value` stands in `text` as a whole id: no word character or hyphen touches
    it on either side (what `(?<![\\w-])value(?![\\w-])` finds, without compiling a
    pattern for each id: a case's ids are new to every case)."""
    start, end = 0, len(text)
    while (found := text.find(value, start)) >= 0:
        after = found + len(value)
        if (found == 0 or not _touches(text[found - 1])) and (
            after == end or not _touches(text[after])
        ):
            return True
        start = found + 1
    return False


def _touches(char: str) -> bool:
    """A character that `[\\w-]` matches: a word character (as `re` reads one) or "-"."""
    return char == "-" or char == "_" or char.isalnum()


def dates(review: Review) -> Iterator[Finding]:
    for n, action in enumerate(review.case.corrective_actions):
        where = review.file.position("corrective_actions", n)
        if action.done is None:
            yield error(
                where,
                "corrective action has no date",
                "corrective-undated",
                "add done: YYYY-MM-DD, the day it was completed",
            )
        elif action.done > review.today:
            yield error(
                review.file.position("corrective_actions", n, "done"),
                f"corrective action is dated {action.done.isoformat()}, after today "
                f"({review.today.isoformat()})",
                "corrective-in-future",
                "list only what is done; an action still to come is a preventive measure",
            )
    for n, measure in enumerate(review.case.preventive_measures):
        where = review.file.position("preventive_measures", n)
        if measure.since is None:
            yield error(
                where,
                "preventive measure has no start date",
                "preventive-no-start",
                "add since: YYYY-MM-DD, the day it started",
            )
        if measure.owner is None:
            yield error(
                where,
                "preventive measure has no owner",
                "preventive-no-owner",
                "add owner: the person or role responsible for it",
            )


def evidence_dates(review: Review) -> Iterator[Finding]:
    notice = review.case.notice
    earliest = notice.received - dt.timedelta(days=notice.evidence_window_days)
    for n, doc in enumerate(review.case.evidence):
        if doc.date is None:
            continue
        where = review.file.position("evidence", n, "date")
        if doc.date < earliest:
            yield warning(
                where,
                f"document dated {doc.date.isoformat()} is older than the "
                f"{notice.evidence_window_days}-day evidence window (from {earliest.isoformat()})",
                "evidence-outside-window",
                "use documents from inside the window the notice asks for",
            )
        elif doc.date > review.today:
            yield error(
                where,
                f"document dated {doc.date.isoformat()} is after today "
                f"({review.today.isoformat()})",
                "evidence-in-future",
            )


def evidence_files(review: Review) -> Iterator[Finding]:
    accepted = _accepted_files(review)
    for n, doc in enumerate(review.case.evidence):
        if doc.file is None:
            continue
        suffix = PurePosixPath(doc.file).suffix.lower().lstrip(".")
        if suffix not in accepted:
            yield error(
                review.file.position("evidence", n, "file"),
                f"file '{doc.file}' is not of an accepted type",
                "evidence-file-type",
                "convert it to one of: " + ", ".join(f".{t}" for t in sorted(accepted)),
            )


def _accepted_files(review: Review) -> set[str]:
    return accepted_types(review.case, review.library)


def accepted_types(case: Case, library: Library) -> set[str]:
    """The file types the case's notice accepts: the library's, widened by its reasons'."""
    reasons = [library.reasons.get(i.reason) for i in case.notice.issues]
    own = [set(r.meta.accepted_files) for r in reasons if r and r.meta.accepted_files]
    base = set(library.settings.accepted_files)
    return base.union(*own) if own else base


def evidence_per_asin(review: Review) -> Iterator[Finding]:
    documented = {asin for doc in review.case.evidence for asin in doc.asins}
    for n, issue in enumerate(review.case.notice.issues):
        reason = review.library.reasons.get(issue.reason)
        if reason is None or not reason.meta.requires_evidence:
            continue
        if any(r.check == "evidence" and r.per_asin for r in reason.meta.requirements):
            continue  # the reason names the kind of document; `review.requirements` checks it
        for i, asin in enumerate(issue.asins):
            if asin not in documented:
                yield error(
                    review.file.position("notice", "issues", n, "asins", i),
                    f"ASIN {asin} has no supporting document "
                    f"({reason.meta.title} needs evidence for every ASIN)",
                    "evidence-missing-asin",
                    f"add a document to evidence with asins: [{asin}]",
                )


def length(review: Review) -> Iterator[Finding]:
    limits = review.library.settings.limits
    letter = review.letter
    blocks = {section.key: section_text(letter, section) for section in letter.sections}
    measured = {key: "\n\n".join(parts) for key, parts in blocks.items()}
    measured["letter"] = letter_text(letter, sections=blocks)  # count what gets pasted
    for key, limit in limits.items():
        text = measured.get(key)
        if text is None:
            continue
        words, characters = len(text.split()), len(text)
        where = _first_entry(review, key)
        if limit.words and words > limit.words:
            yield warning(
                where,
                f"{_name(key)} has {words} words; the library's limit is {limit.words}",
                "too-long",
                "cut what a reviewer does not need to decide",
            )
        if limit.characters and characters > limit.characters:
            yield warning(
                where,
                f"{_name(key)} has {characters} characters; the library's limit is "
                f"{limit.characters}",
                "too-long",
                "cut what a reviewer does not need to decide",
            )


def _first_entry(review: Review, key: str) -> Position:
    if key in ("root_causes", "corrective_actions", "preventive_measures", "evidence"):
        return review.file.position(key, key=True)
    return review.file.position()


def _name(key: str) -> str:
    return "the letter" if key == "letter" else f"section {key}"


def unfilled_fields(review: Review) -> Iterator[Finding]:
    """Placeholders typed in the case itself (as `poa new` leaves them), at their own line."""
    # runs only the patterns whose words a value holds
    placeholders = scanner(review.library.tone_rules, only="unfilled-placeholder")
    if not placeholders.rules:
        return
    data = review.file.source.data
    every = "\n".join(_texts(data))
    words = placeholders.present(every)
    if not placeholders.can_match(every, words):  # most cases: no value holds what it needs
        return
    # the notice, verbatim, is left out: its wording is Amazon's
    values = [(loc, v) for loc, v in _strings(data) if loc[:2] != _NOTICE]
    for loc, value in values:
        hit = placeholders.first_match(value, words)
        if hit:
            yield error(
                review.file.position(*loc),
                f"{_dotted(loc)} still holds the placeholder '{hit.group()}'",
                "unfilled-field",
                "fill in the real value",
            )


_NOTICE = ("notice", "text")


def _strings(data: object) -> list[tuple[tuple[str | int, ...], str]]:
    """Every string in `data` with its place, in document order (without recursion: a case
    holds a few hundred values, and each level of a recursive generator handed each one up)."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    stack: list[tuple[tuple[str | int, ...], object]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            found.append((loc, value))
        elif isinstance(value, dict):
            stack.extend(reversed([((*loc, str(k)), v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([((*loc, n), v) for n, v in enumerate(value)]))
    return found


def _texts(data: object) -> list[str]:
    """The strings of `_strings` (the notice's text left out), in the same order, without
    their places: enough to tell whether a case holds a placeholder at all, for a third of
    the time."""
    if not isinstance(data, dict):  # not a case file's data: no notice to leave out
        return [value for _, value in _strings(data)]
    found: list[str] = []
    stack: list[object] = [
        {k: v for k, v in value.items() if str(k) != _NOTICE[1]}
        if str(key) == _NOTICE[0] and isinstance(value, dict)
        else value
        for key, value in reversed(data.items())
    ]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(reversed(value.values()))
        elif isinstance(value, list):
            stack.extend(reversed(value))
    return found


def _dotted(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


CHECKS: tuple[Check, ...] = (
    unfilled_fields,
    issues_answered,
    causes_answered,
    ids_covered,
    dates,
    evidence_dates,
    evidence_files,
    evidence_per_asin,
    length,
)
