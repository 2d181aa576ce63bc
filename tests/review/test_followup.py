"""Checks of the follow-up (`poakit.review.followup`): every point answered, records matched."""

from __future__ import annotations

from pathlib import Path

from poakit.project.load import check_case, load_library

REQUEST = """follow_up:
  - {date: 2026-10-07, event: submitted}
  - date: 2026-10-09
    event: info-requested
    request:
      - asked: Invoices covering the last 365 days for B0C1234567.
        answer: The BrandCo invoices, attached, cover January to September 2026.
      - asked: The supplier's contact details.
"""


def _check(root: Path, follow_up: str) -> list[str]:
    path = root / "cases" / "acme.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("follow_up:")] + follow_up + "lessons: [x]\n")
    result = check_case(path, load_library(root / "snippets"), "cases/acme.yaml", root)
    return [str(f) for f in result.findings]


def test_a_point_without_an_answer_is_an_error_at_the_point(replies: Path) -> None:
    assert _check(replies, REQUEST) == [
        "cases/acme.yaml:52:9: error: point 2 of Amazon's request of 9 October 2026 has no "
        "answer (add answer: under it; the reply opens with the answers, point by point) "
        "[request-unanswered]"
    ]


def test_an_older_request_answered_by_a_later_round_is_not_checked(replies: Path) -> None:
    later = REQUEST + "  - {date: 2026-10-10, event: resubmitted}\n"
    later += "  - date: 2026-10-12\n    event: info-requested\n    request:\n"
    later += "      - {asked: Photos of the labels., answer: Attached.}\n"
    assert _check(replies, later) == []


def test_a_request_still_to_answer_without_its_points_is_a_warning(replies: Path) -> None:
    """The latest event asks for information but lists no point: the letter to send next
    would answer the notice only. A note after it changes nothing; a submission after it
    (the reply went out), or a listed point, is what it asks for."""
    asked = "follow_up:\n  - {date: 2026-10-07, event: submitted}\n"
    asked += "  - {date: 2026-10-09, event: info-requested, note: Amazon asked for invoices.}\n"
    expected = [
        "cases/acme.yaml:47:5: warning: Amazon asked for information on 9 October 2026, but no "
        "point of its request is listed, so the next letter answers the notice only (add "
        "request: with each point Amazon asked (- asked: ..., answer: ...); the reply opens by "
        "answering them) [request-unlisted]"
    ]
    assert _check(replies, asked) == expected
    noted = asked + "  - {date: 2026-10-11, event: note, note: No answer yet.}\n"
    assert _check(replies, noted) == expected
    assert _check(replies, asked + "  - {date: 2026-10-12, event: resubmitted}\n") == []
    assert (
        _check(replies, REQUEST.replace("      - asked: The supplier's contact details.\n", ""))
        == []
    )


def test_a_record_of_a_letter_needs_its_event_in_the_timeline(replies: Path) -> None:
    sent = replies / "cases" / "acme" / "sent"
    sent.mkdir(parents=True)
    (sent / "v1-2026-10-07-submitted.txt").write_text("The letter.\n")
    (sent / "v2-2026-10-08-resubmitted.txt").write_text("The letter, again.\n")
    assert _check(replies, "follow_up:\n  - {date: 2026-10-07, event: submitted}\n") == [
        "cases/acme.yaml:45:1: warning: v2 (resubmitted on 8 October 2026) "
        "(cases/acme/sent/v2-2026-10-08-resubmitted.txt) matches no entry of follow_up (add - "
        "{date: 2026-10-08, event: resubmitted} to follow_up) [sent-record]"
    ]
