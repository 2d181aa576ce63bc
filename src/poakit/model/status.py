"""A case's status and what is due next, derived from its follow-up timeline.

A case's status is never stored: it is read from its `follow_up` timeline, as the latest event
that is not a note. What is due next depends on the day: "today" is always a parameter, so a
build with a fixed date gives the same page on any day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .case import SUBMISSIONS, Case, Escalation, Event, FollowUp
from .values import format_date, plural


class Status(StrEnum):
    """Where a case stands, in the order a case goes through them."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in-review"
    INFO_REQUESTED = "info-requested"
    REINSTATED = "reinstated"
    DENIED = "denied"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    @property
    def closed(self) -> bool:
        return self in (Status.REINSTATED, Status.DENIED)


_STATUS_AFTER = {
    Event.SUBMITTED: Status.SUBMITTED,
    Event.RESUBMITTED: Status.SUBMITTED,
    Event.REPLIED: Status.IN_REVIEW,
    Event.INFO_REQUESTED: Status.INFO_REQUESTED,
    Event.REINSTATED: Status.REINSTATED,
    Event.DENIED: Status.DENIED,
}

EVENT_LABELS = {
    Event.SUBMITTED: "Submitted",
    Event.REPLIED: "Amazon replied",
    Event.INFO_REQUESTED: "Information requested",
    Event.RESUBMITTED: "Resubmitted",
    Event.REINSTATED: "Reinstated",
    Event.DENIED: "Denied",
    Event.NOTE: "Note",
}

ESCALATION_LABELS = {
    Escalation.ACCOUNT_HEALTH_SUPPORT: "Account Health Support",
    Escalation.ACCOUNT_HEALTH_ASSURANCE: "Account Health Assurance",
    Escalation.MEDIATION: "Mediation (EU and UK sellers)",
    Escalation.ARBITRATION: "Arbitration under the Business Solutions Agreement",
    Escalation.OTHER: "Another route (see the note)",
}


# -- the timeline ---------------------------------------------------------------------------


def timeline(follow_up: Iterable[FollowUp]) -> list[FollowUp]:
    """The entries in date order; entries of the same day keep the order of the file."""
    return sorted(follow_up, key=lambda entry: entry.date)


def _events(follow_up: Iterable[FollowUp]) -> list[FollowUp]:
    """The timeline without notes: notes are the seller's remarks, not steps of the case."""
    return [entry for entry in timeline(follow_up) if entry.event is not Event.NOTE]


def latest_event(follow_up: Iterable[FollowUp]) -> FollowUp | None:
    """The latest entry of the timeline that is not a note; None for a case never sent."""
    events = _events(follow_up)
    return events[-1] if events else None


def status_of(follow_up: Iterable[FollowUp]) -> Status:
    """The status after the latest event that is not a note; a case never sent is a draft."""
    latest = latest_event(follow_up)
    return _STATUS_AFTER[latest.event] if latest is not None else Status.DRAFT


def last_submission(follow_up: Iterable[FollowUp]) -> dt.date | None:
    sent = [entry.date for entry in _events(follow_up) if entry.event in SUBMISSIONS]
    return sent[-1] if sent else None


# -- what the next letter answers --------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """Amazon's message a letter answers: a request for information (whose points it answers
    first) or a denial (after which it opens with what is new), and the letter before it."""

    entry: FollowUp
    index: int  # its place in the case file's follow_up list
    after: dt.date | None  # the day the letter Amazon answered was sent, if recorded

    @property
    def kind(self) -> str:
        """The letter section that answers it: "request" or "changes"."""
        return "request" if self.entry.event is Event.INFO_REQUESTED else "changes"


def reply_to(follow_up: Sequence[FollowUp], upto: int | None = None) -> Reply | None:
    """What the letter answers, or None for a letter that answers only the notice.

    The letter answers Amazon's latest request for information or denial, and only once the
    case says how: the points of the request, or what the next version changes. `upto` is
    the index in `follow_up` of the submission that sends the letter: only what came before it
    in the timeline counts (None: everything, as for the letter to send next).
    """
    order = sorted(range(len(follow_up)), key=lambda i: follow_up[i].date)
    if upto is not None:
        order = order[: order.index(upto)]
    asked = [i for i in order if follow_up[i].event in (Event.INFO_REQUESTED, Event.DENIED)]
    if not asked:
        return None
    index = asked[-1]
    entry = follow_up[index]
    if not (entry.request or (entry.event is Event.DENIED and entry.changes)):
        return None
    before = order[: order.index(index)]
    sent = [follow_up[i].date for i in before if follow_up[i].event in SUBMISSIONS]
    return Reply(entry, index, sent[-1] if sent else None)


def outcome(status: Status) -> str:
    """reinstated, denied, or open: how the lessons page counts a case."""
    return str(status) if status.closed else "open"


# -- what is due next -----------------------------------------------------------------------


class DueKind(StrEnum):
    """What the case needs next, most urgent first (the dashboard sorts by this order)."""

    FIX = "fix"
    REPLY = "reply"
    FOLLOW_UP = "follow-up"
    SUBMIT = "submit"
    WAIT = "wait"
    NONE = "none"

    @property
    def rank(self) -> int:
        return list(DueKind).index(self)


@dataclass(frozen=True)
class Due:
    kind: DueKind
    text: str


def due_next(follow_up: Sequence[FollowUp], today: dt.date, follow_up_days: int) -> Due:
    """The next step of a case on `today`.

    A request for information wants a reply. A submitted case waits for Amazon until Amazon has
    been silent for more than `follow_up_days` since the last event (a submission or a reply
    from Amazon); then it is time to follow up.
    """
    status = status_of(follow_up)
    events = _events(follow_up)
    if status is Status.DRAFT:
        return Due(DueKind.SUBMIT, "Submit the Plan of Action")
    if status.closed:
        return Due(DueKind.NONE, f"Nothing: {status.label}")
    last = events[-1].date
    if status is Status.INFO_REQUESTED:
        return Due(
            DueKind.REPLY,
            f"Reply to Amazon's request of {format_date(last)} ({_days_ago(today, last)})",
        )
    silent = (today - last).days
    if silent > follow_up_days:
        return Due(DueKind.FOLLOW_UP, f"Follow up: no word from Amazon for {plural_days(silent)}")
    after = last + dt.timedelta(days=follow_up_days)
    return Due(DueKind.WAIT, f"Wait for Amazon; follow up after {format_date(after)}")


def plural_days(n: int) -> str:
    return plural(n, "day")


def _days_ago(today: dt.date, day: dt.date) -> str:
    n = (today - day).days
    return "today" if n == 0 else f"{plural_days(n)} ago" if n > 0 else f"in {plural_days(-n)}"


@dataclass(frozen=True)
class Tracking:
    """A case on the dashboard: the numbers that depend on `today`."""

    status: Status
    days_since_notice: int
    last_submission: dt.date | None
    days_since_submission: int | None
    due: Due


def track(case: Case, today: dt.date, follow_up_days: int) -> Tracking:
    submitted = last_submission(case.follow_up)
    return Tracking(
        status=status_of(case.follow_up),
        days_since_notice=(today - case.notice.received).days,
        last_submission=submitted,
        days_since_submission=None if submitted is None else (today - submitted).days,
        due=due_next(case.follow_up, today, follow_up_days),
    )
