"""Recording a letter as sent (`poakit.project.sent`): a record never rewritten, and the event
added to the case file without touching anything else in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from poakit.errors import InputError, UsageError
from poakit.model.case import Event
from poakit.project.load import check_case, load_library
from poakit.project.sent import Recorded, record_sent
from poakit.render import render_letter
from poakit.source.records import read_versions

TODAY = dt.date(2026, 11, 27)
REQUEST = """follow_up:
  # the first letter, as sent
  - {date: 2026-10-07, event: submitted}
  - date: 2026-10-09
    event: info-requested
    request:  # Amazon's message of 9 October
      - asked: Invoices covering the last 365 days.
        answer: The BrandCo invoices, attached.

# what we learned
lessons:
  - Invoices must cover the whole evidence window.
"""


def _case(root: Path, follow_up: str = REQUEST) -> Path:
    path = root / "cases" / "acme.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("follow_up:")] + follow_up)
    return path


def _sent(root: Path, **options: object) -> Recorded:
    path = root / "cases" / "acme.yaml"
    library = load_library(root / "snippets")
    return record_sent(path, "cases/acme.yaml", library, today=TODAY, **options)  # type: ignore[arg-type]


def _letter(root: Path) -> str:
    path = root / "cases" / "acme.yaml"
    result = check_case(path, load_library(root / "snippets"), "cases/acme.yaml")
    assert result.letter is not None, [str(f) for f in result.findings]
    return render_letter(result.letter, "text").decode("utf-8")


def test_a_new_submission_is_recorded_and_added_to_the_case(replies: Path) -> None:
    path = _case(replies)
    before = path.read_text()
    letter = _letter(replies)
    done = _sent(replies, date=dt.date(2026, 10, 10))
    assert (done.version.name, done.version.event, done.added_event) == ("v1", "resubmitted", True)
    record = replies / "cases" / "acme" / "sent" / "v1-2026-10-10-resubmitted.txt"
    assert record.read_text() == letter  # byte for byte: the text export
    assert done.version.path == "cases/acme/sent/v1-2026-10-10-resubmitted.txt"
    at = before.index("\n# what we learned")
    added = "  - date: 2026-10-10\n    event: resubmitted\n"
    assert path.read_text() == before[:at] + added + before[at:]
    assert _letter(replies) == letter  # sending it changes nothing in the letter


def test_a_submission_already_in_the_timeline_gets_the_letter_as_it_was_then(
    replies: Path,
) -> None:
    """The first letter went out before Amazon asked: its record holds no answers."""
    path = _case(replies)
    before = path.read_bytes()
    done = _sent(replies, date=dt.date(2026, 10, 7), event=Event.SUBMITTED)
    assert (done.version.name, done.added_event) == ("v1", False)
    assert path.read_bytes() == before
    assert "Answers to your request" in _letter(replies)
    assert "Answers to your request" not in done.version.text
    assert done.version.text.startswith("This Plan of Action answers the notice")


def test_the_event_defaults_to_the_days_submission_then_to_a_resubmission(
    replies: Path,
) -> None:
    _case(replies)
    assert _sent(replies, date=dt.date(2026, 10, 7)).version.event is Event.SUBMITTED
    assert _sent(replies, date=dt.date(2026, 10, 20)).version.event is Event.RESUBMITTED
    versions, problems = read_versions(replies / "cases" / "acme.yaml", "cases/acme.yaml")
    assert [v.name for v in versions] == ["v1", "v2"] and problems == ()


def test_a_record_is_never_rewritten(replies: Path) -> None:
    _case(replies)
    first = _sent(replies, date=dt.date(2026, 10, 7))
    record = replies / "cases" / "acme" / "sent" / "v1-2026-10-07-submitted.txt"
    kept = record.read_bytes()
    with pytest.raises(UsageError) as caught:
        _sent(replies, date=dt.date(2026, 10, 7), event=Event.SUBMITTED)
    assert str(caught.value) == (
        "the letter submitted on 2026-10-07 is recorded already as v1 "
        f"({first.version.path}); a record is never rewritten: a later letter is a new "
        "version, sent on its own day"
    )
    with pytest.raises(UsageError) as caught:  # the same command run twice
        _sent(replies, date=dt.date(2026, 10, 7))
    assert str(caught.value) == (
        f"v1 ({first.version.path}) records this letter on 2026-10-07 already; a record is "
        "never rewritten, and nothing changed since"
    )
    assert record.read_bytes() == kept
    assert [p.name for p in record.parent.iterdir()] == [record.name]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"date": dt.date(2026, 12, 1)},
            "--date 2026-12-01 is after today (2026-11-27): record a letter on the day it is "
            "sent, or after",
        ),
        ({"date": dt.date(2026, 9, 1)}, "--date 2026-09-01 is before the notice of 2026-10-02"),
        (
            {"date": dt.date(2026, 10, 8), "event": Event.NOTE},
            "--event is submitted or resubmitted, not note",
        ),
    ],
)
def test_dates_and_events_that_cannot_be(
    replies: Path, options: dict[str, object], message: str
) -> None:
    path = _case(replies)
    before = path.read_bytes()
    with pytest.raises(UsageError) as caught:
        _sent(replies, **options)
    assert str(caught.value) == message
    assert path.read_bytes() == before
    assert not (replies / "cases" / "acme").exists()


def test_versions_are_recorded_in_the_order_they_were_sent(replies: Path) -> None:
    _case(replies)
    _sent(replies, date=dt.date(2026, 10, 7))
    _sent(replies, date=dt.date(2026, 10, 12))
    with pytest.raises(UsageError) as caught:
        _sent(replies, date=dt.date(2026, 10, 10))
    assert str(caught.value) == (
        "--date 2026-10-10 is before v2, sent on 2026-10-12: versions are recorded in the order "
        "they were sent"
    )
    with pytest.raises(UsageError) as caught:
        _sent(replies, date=dt.date(2026, 10, 13), event=Event.SUBMITTED)
    assert str(caught.value) == (
        "v1 was the first submission; a later letter is a resubmission (--event resubmitted)"
    )


def test_a_case_with_errors_is_not_recorded(replies: Path) -> None:
    _case(replies, REQUEST.replace("        answer: The BrandCo invoices, attached.\n", ""))
    with pytest.raises(InputError) as caught:
        _sent(replies, date=dt.date(2026, 10, 10))
    assert [f.rule for f in caught.value.findings] == ["request-unanswered"]
    assert not (replies / "cases" / "acme").exists()


def test_a_case_file_that_cannot_be_written_takes_the_record_back(
    replies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from poakit.project import sent

    path = _case(replies)
    before = path.read_bytes()
    real = sent.write_atomic

    def full_disk(target: Path, data: bytes, **options: bool) -> None:
        if target == path:
            raise UsageError(f"cannot write {target}: No space left on device")
        real(target, data, **options)

    monkeypatch.setattr(sent, "write_atomic", full_disk)
    with pytest.raises(UsageError) as caught:
        _sent(replies, date=dt.date(2026, 10, 10))
    assert str(caught.value) == f"cannot write {path}: No space left on device"
    assert path.read_bytes() == before
    assert list((replies / "cases" / "acme" / "sent").iterdir()) == []


def test_an_interrupted_recording_takes_the_record_back(
    replies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or SIGTERM, which `poa` turns into an exit) between the record and the case
    file: nothing is left half done, so that the next `poa sent` can record the letter."""
    from poakit.project import sent

    path = _case(replies)
    before = path.read_bytes()
    real = sent.write_atomic

    def interrupted(target: Path, data: bytes, **options: bool) -> None:
        if target == path:
            raise KeyboardInterrupt
        real(target, data, **options)

    monkeypatch.setattr(sent, "write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _sent(replies, date=dt.date(2026, 10, 10))
    assert path.read_bytes() == before
    assert list((replies / "cases" / "acme" / "sent").iterdir()) == []
    monkeypatch.setattr(sent, "write_atomic", real)
    assert _sent(replies, date=dt.date(2026, 10, 10)).version.number == 1


def test_a_case_file_that_is_a_link_is_not_recorded(replies: Path, tmp_path: Path) -> None:
    """Writing the case would replace the link with a file, and the linked file would never
    get the entry."""
    path = _case(replies)
    elsewhere = tmp_path / "drafts" / "acme.yaml"
    elsewhere.parent.mkdir()
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    with pytest.raises(UsageError) as caught:
        _sent(replies, date=dt.date(2026, 10, 10))
    assert "cases/acme.yaml is a link; poa sent writes the case file" in str(caught.value)
    assert path.is_symlink() and elsewhere.read_bytes() == before
    assert not (replies / "cases" / "acme").exists()


def test_a_byte_order_mark_and_windows_line_endings_are_kept(replies: Path) -> None:
    path = _case(replies)
    text = path.read_text().replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    _sent(replies, date=dt.date(2026, 10, 10))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    assert b"  - date: 2026-10-10\r\n    event: resubmitted\r\n" in data


def test_notes_say_when_nothing_changed_or_the_date_looks_wrong(replies: Path) -> None:
    _case(replies)
    _sent(replies, date=dt.date(2026, 10, 7))
    again = _sent(replies, date=dt.date(2026, 10, 8))
    assert again.notes[0].startswith("v2 is the same letter as v1: a resubmission should say")
    path = replies / "cases" / "acme.yaml"
    path.write_text(path.read_text().replace("done: 2026-10-04", "done: 2026-11-20"))
    late = _sent(replies, date=dt.date(2026, 11, 1))
    assert late.notes == [
        "the letter names an action done on 20 November 2026, after the day it was sent "
        "(1 November 2026): check --date"
    ]
