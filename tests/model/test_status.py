"""A case's status from its timeline, what is due next, and the follow-up fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import case_with, entries

from poakit.errors import InputError
from poakit.model.status import DueKind, Status, due_next, reply_to, status_of, track
from poakit.source.case import load_case

TODAY = dt.date(2026, 11, 27)


# -- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], Status.DRAFT),
        ([("2026-10-05", "note")], Status.DRAFT),
        ([("2026-10-05", "submitted")], Status.SUBMITTED),
        ([("2026-10-05", "submitted"), ("2026-10-07", "replied")], Status.IN_REVIEW),
        ([("2026-10-05", "submitted"), ("2026-10-07", "info-requested")], Status.INFO_REQUESTED),
        (
            [
                ("2026-10-05", "submitted"),
                ("2026-10-07", "info-requested"),
                ("2026-10-09", "resubmitted"),
            ],
            Status.SUBMITTED,
        ),
        ([("2026-10-05", "submitted"), ("2026-10-09", "reinstated")], Status.REINSTATED),
        ([("2026-10-05", "submitted"), ("2026-10-09", "denied")], Status.DENIED),
        # a note after the decision changes nothing
        ([("2026-10-09", "denied"), ("2026-10-20", "note")], Status.DENIED),
        # written out of order: the dates decide
        ([("2026-10-09", "reinstated"), ("2026-10-05", "submitted")], Status.REINSTATED),
    ],
)
def test_status_is_the_latest_event_that_is_not_a_note(
    events: list[tuple[str, str]], status: Status
) -> None:
    assert status_of(entries(*events)) is status


def test_same_day_entries_keep_the_order_of_the_file() -> None:
    follow_up = entries(("2026-10-05", "submitted"), ("2026-10-05", "denied"))
    assert status_of(follow_up) is Status.DENIED
    assert status_of(list(reversed(follow_up))) is Status.SUBMITTED


def test_a_case_holds_no_status_of_its_own() -> None:
    """Derived, never stored: the model has no status field or property to drift."""
    case = case_with([{"date": "2026-10-05", "event": "info-requested"}])
    assert status_of(case.follow_up) == "info-requested"
    assert not hasattr(case, "status")


# -- due next -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "kind", "text"),
    [
        ([], DueKind.SUBMIT, "Submit the Plan of Action"),
        (
            [("2026-11-03", "submitted"), ("2026-11-19", "info-requested")],
            DueKind.REPLY,
            "Reply to Amazon's request of 19 November 2026 (8 days ago)",
        ),
        (
            [("2026-11-27", "info-requested")],
            DueKind.REPLY,
            "Reply to Amazon's request of 27 November 2026 (today)",
        ),
        # exactly follow_up_days of silence: still waiting
        (
            [("2026-11-20", "submitted")],
            DueKind.WAIT,
            "Wait for Amazon; follow up after 27 November 2026",
        ),
        # one day more: follow up
        (
            [("2026-11-19", "submitted")],
            DueKind.FOLLOW_UP,
            "Follow up: no word from Amazon for 8 days",
        ),
        # Amazon's reply restarts the silence...
        (
            [("2026-11-01", "submitted"), ("2026-11-25", "replied")],
            DueKind.WAIT,
            "Wait for Amazon; follow up after 2 December 2026",
        ),
        # ...the seller's own note does not
        (
            [("2026-11-01", "resubmitted"), ("2026-11-25", "note")],
            DueKind.FOLLOW_UP,
            "Follow up: no word from Amazon for 26 days",
        ),
        (
            [("2026-10-01", "submitted"), ("2026-10-05", "reinstated")],
            DueKind.NONE,
            "Nothing: reinstated",
        ),
        ([("2026-10-01", "submitted"), ("2026-10-05", "denied")], DueKind.NONE, "Nothing: denied"),
    ],
)
def test_due_next_on_a_fixed_day(events: list[tuple[str, str]], kind: DueKind, text: str) -> None:
    due = due_next(entries(*events), TODAY, follow_up_days=7)
    assert (due.kind, due.text) == (kind, text)


def test_follow_up_days_come_from_the_caller() -> None:
    follow_up = entries(("2026-11-17", "submitted"))
    assert due_next(follow_up, TODAY, follow_up_days=7).kind is DueKind.FOLLOW_UP
    assert due_next(follow_up, TODAY, follow_up_days=14).kind is DueKind.WAIT


def test_track_counts_days_to_today() -> None:
    case = case_with(
        [
            {"date": "2026-10-09", "event": "submitted"},
            {"date": "2026-10-12", "event": "info-requested"},
            {"date": "2026-10-20", "event": "resubmitted"},
            {"date": "2026-11-02", "event": "replied"},
        ]
    )
    tracking = track(case, TODAY, 7)
    assert tracking.status is Status.IN_REVIEW
    assert tracking.days_since_notice == 56
    assert tracking.last_submission == dt.date(2026, 10, 20)
    assert tracking.days_since_submission == 38
    assert tracking.due.kind is DueKind.FOLLOW_UP
    draft = track(case_with([]), TODAY, 7)
    assert (draft.last_submission, draft.days_since_submission) == (None, None)


# -- the case file: sent and changes ----------------------------------------------------------


def test_sent_and_changes_are_recorded_on_submissions() -> None:
    case = case_with(
        [
            {"date": "2026-10-05", "event": "submitted", "sent": "Letter v1"},
            {
                "date": "2026-10-09",
                "event": "resubmitted",
                "sent": "Letter v2",
                "changes": ["Added the invoices."],
            },
        ]
    )
    assert [e.sent for e in case.follow_up] == ["Letter v1", "Letter v2"]
    assert case.follow_up[1].changes == ["Added the invoices."]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{date: 2026-10-05, event: note, sent: Letter v1}",
            "cases/x.yaml:7:5: error: follow_up[0]: 'sent' goes with event 'submitted' or "
            "'resubmitted', not 'note' [case-schema]",
        ),
        (
            "{date: 2026-10-05, event: submitted, changes: [More invoices]}",
            "cases/x.yaml:7:5: error: follow_up[0]: 'changes' goes with event 'resubmitted' "
            "or 'denied', not 'submitted' [case-schema]",
        ),
    ],
)
def test_sent_or_changes_on_the_wrong_event_is_an_error(
    tmp_path: Path, entry: str, message: str
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "seller: {name: X, signatory: {name: A, title: B}}\n"
        "notice:\n"
        "  received: 2026-10-02\n"
        "  action: warning\n"
        "  issues: [{id: a, reason: r}]\n"
        "follow_up:\n"
        f"  - {entry}\n"
    )
    with pytest.raises(InputError) as caught:
        load_case(path, "cases/x.yaml")
    assert [str(f) for f in caught.value.findings] == [message]


# -- what the next letter answers -----------------------------------------------------------

ASKED = {"request": [{"asked": "Invoices for B0C1234567?", "answer": "Attached."}]}


def test_a_first_letter_answers_nothing() -> None:
    assert reply_to(entries(("2026-10-07", "submitted"))) is None
    assert reply_to([]) is None


def test_the_next_letter_answers_the_latest_request_with_points() -> None:
    follow_up = entries(
        ("2026-10-07", "submitted"),
        ("2026-10-09", "info-requested", ASKED),
        ("2026-10-10", "resubmitted"),  # the reply was sent: it stays the letter of the case
        ("2026-10-12", "replied"),
    )
    reply = reply_to(follow_up)
    assert reply is not None
    assert (reply.index, reply.kind, reply.after) == (1, "request", dt.date(2026, 10, 7))


def test_a_request_or_denial_with_nothing_to_say_leaves_the_letter_as_it_was() -> None:
    """No points recorded, no changes written: the letter answers the notice only."""
    follow_up = entries(
        ("2026-10-07", "submitted"),
        ("2026-10-09", "info-requested", ASKED),
        ("2026-10-11", "resubmitted"),
        ("2026-10-14", "denied", {"note": "Not accepted."}),
    )
    assert reply_to(follow_up) is None


def test_after_a_denial_with_changes_the_letter_says_what_is_new() -> None:
    follow_up = entries(
        ("2026-10-07", "submitted"),
        ("2026-10-14", "denied", {"changes": ["Added the supplier agreement."]}),
    )
    reply = reply_to(follow_up)
    assert reply is not None and (reply.kind, reply.after) == ("changes", dt.date(2026, 10, 7))


def test_upto_gives_the_letter_as_a_submission_sent_it() -> None:
    """The first letter was sent before Amazon asked: it answers nothing, whatever the file's
    order; the resubmission answers the request."""
    follow_up = entries(
        ("2026-10-09", "info-requested", ASKED),
        ("2026-10-10", "resubmitted"),
        ("2026-10-07", "submitted"),
    )
    assert reply_to(follow_up, upto=2) is None
    reply = reply_to(follow_up, upto=1)
    assert reply is not None and reply.index == 0
