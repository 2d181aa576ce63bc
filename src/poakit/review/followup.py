"""Checks of a case's follow-up: the reply answers every point, the records match the timeline.

A reply to a request for information opens with the answers, one per point Amazon raised: a
point without an answer leaves a question in the letter. Each letter `poa sent` recorded
names the day and the event that sent it; the timeline must hold that event, or the case
page could not say which letter went out when.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import Finding, error, warning
from ..letter.letter import Letter
from ..model.case import Event
from ..model.status import latest_event
from ..model.values import format_date
from ..model.versions import SentVersion

RULES: dict[str, str] = {
    "request-unanswered": "a point of Amazon's request that the reply does not answer",
    "request-unlisted": "Amazon's latest request for information, still to be answered, with "
    "none of its points listed (the next letter would answer the notice only)",
    "sent-record": "a record of a letter sent that is damaged or matches no follow-up entry",
}


def followup_findings(letter: Letter, versions: Sequence[SentVersion]) -> list[Finding]:
    return [*_unlisted(letter), *_answers(letter), *_records_in_timeline(letter, versions)]


def _unlisted(letter: Letter) -> Iterator[Finding]:
    """A request for information, the latest event of the timeline (notes aside), whose
    points are not listed: the letter to send next would not answer it."""
    timeline = letter.case.follow_up
    latest = latest_event(timeline)
    if latest is not None and latest.event is Event.INFO_REQUESTED and not latest.request:
        index = next(n for n, entry in enumerate(timeline) if entry is latest)
        yield warning(
            letter.case_file.position("follow_up", index),
            f"Amazon asked for information on {format_date(latest.date)}, but no point of "
            "its request is listed, so the next letter answers the notice only",
            "request-unlisted",
            "add request: with each point Amazon asked (- asked: ..., answer: ...); the reply "
            "opens by answering them",
        )


def _answers(letter: Letter) -> Iterator[Finding]:
    """The points of the request the letter answers (if it answers one), each answered."""
    for entry in letter.case.follow_up:
        points = [item.entry for item in letter.section("request").items]
        for n, point in enumerate(entry.request):
            if point.answer is None and any(point is p for p in points):
                yield error(
                    letter.case_file.position(
                        "follow_up", letter.case.follow_up.index(entry), "request", n
                    ),
                    f"point {n + 1} of Amazon's request of {format_date(entry.date)} has no answer",
                    "request-unanswered",
                    "add answer: under it; the reply opens with the answers, point by point",
                )


def _records_in_timeline(letter: Letter, versions: Sequence[SentVersion]) -> Iterator[Finding]:
    recorded = {(entry.date, entry.event) for entry in letter.case.follow_up}
    for version in versions:
        if (version.date, version.event) not in recorded:
            yield warning(
                letter.case_file.position("follow_up", key=True),
                f"{version.label} ({version.path}) matches no entry of follow_up",
                "sent-record",
                f"add - {{date: {version.date.isoformat()}, event: {version.event}}} to follow_up",
            )
