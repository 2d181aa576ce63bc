"""Recording a letter as sent (`poa sent`): a record never rewritten, and the event in the case.

The letter goes into `cases/<slug>/sent/v<N>-<date>-<event>.txt`, the text export byte for
byte, written once (an existing record is never replaced). The submission is added to the
case file's `follow_up` as text, keeping the file's comments and layout (`source.edit`),
unless the timeline holds that submission already and no letter was recorded for it: then
the letter is recorded for that entry, as the case stood then (a reply answers only what
Amazon had asked before it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Level, UsageError
from ..fileio import write_atomic
from ..letter.assemble import assemble
from ..model.case import SUBMISSIONS, CaseFile, Event
from ..model.library import Library
from ..model.values import format_date
from ..model.versions import SentVersion, changed, compare, find_version, record_name
from ..render import DEFAULT_WIDTH, render_letter
from ..review.review import review
from ..source import yaml
from ..source.case import case_from_text
from ..source.edit import add_follow_up
from ..source.layout import display_path
from ..source.records import read_versions, sent_display, sent_folder
from .load import sendable_letter

_BOM = "\ufeff"

#: The name `poa diff` gives the letter the case makes now, beside v1, v2...
CURRENT = "current"


@dataclass(frozen=True)
class Recorded:
    """What `poa sent` did: the version kept, and whether the event was added to the case."""

    version: SentVersion
    added_event: bool
    notes: list[str] = field(default_factory=list)  # what the user should know


def record_sent(
    path: Path,
    display: str,
    library: Library,
    *,
    today: dt.date,
    date: dt.date | None = None,
    event: Event | None = None,
    width: int = DEFAULT_WIDTH,
) -> Recorded:
    """Record the case's letter as sent on `date` (default `today`) by `event` (default: the
    unrecorded submission of that day in the timeline, else submitted for a first letter and
    resubmitted after one)."""
    if path.is_symlink():  # writing it would replace the link with a file of its own
        raise UsageError(
            f"{display} is a link; poa sent writes the case file, and never through a link: "
            "replace the link with the case file itself"
        )
    text = yaml.read_text(path, display)  # without a byte-order mark; it is put back
    bom = _BOM if path.read_bytes()[:3] == _BOM.encode("utf-8") else ""
    case_file = case_from_text(text, path, display)
    versions, damaged = read_versions(path, display, strays=False)  # a README is no matter
    if damaged:
        raise InputError(damaged)
    date = date or today
    event = event or _default_event(case_file, versions, date)
    _check_when(case_file, versions, date, event, today)
    case_file, new_text, upto = _entry_for(case_file, text, versions, date, event)
    letter_text = _letter_text(case_file, library, upto, versions, width)
    _not_twice(versions, date, letter_text)
    number = versions[-1].number + 1 if versions else 1
    record = sent_folder(path) / record_name(number, date, event)
    shown = f"{sent_display(display, path)}/{record.name}"
    version = SentVersion(number, date, event, letter_text, shown)
    _write(record, letter_text, path, text, bom + new_text if new_text != text else None)
    return Recorded(version, new_text != text, _notes(case_file, versions, version))


def _entry_for(
    case_file: CaseFile, text: str, versions: Sequence[SentVersion], date: dt.date, event: Event
) -> tuple[CaseFile, str, int]:
    """The case with the submission in its timeline, its text, and the entry's index: the
    entry already there, or one added (in memory; written only once the record is)."""
    upto = _unrecorded_entry(case_file, versions, date, event)
    if upto is not None:
        return case_file, text, upto
    if versions and event is Event.SUBMITTED:
        raise UsageError(
            f"{versions[0].name} was the first submission; a later letter is a resubmission "
            "(--event resubmitted)"
        )
    entry = {"date": date.isoformat(), "event": str(event)}
    new_text = add_follow_up(text, case_file.source, entry)
    added = case_from_text(new_text, case_file.path, case_file.source.path)
    return added, new_text, len(added.case.follow_up) - 1


def _default_event(case_file: CaseFile, versions: Sequence[SentVersion], date: dt.date) -> Event:
    recorded = {(v.date, v.event) for v in versions}
    for entry in case_file.case.follow_up:
        unrecorded = (entry.date, entry.event) not in recorded
        if entry.date == date and entry.event in SUBMISSIONS and unrecorded:
            return entry.event
    sent_before = versions or any(e.event in SUBMISSIONS for e in case_file.case.follow_up)
    return Event.RESUBMITTED if sent_before else Event.SUBMITTED


def _check_when(
    case_file: CaseFile,
    versions: Sequence[SentVersion],
    date: dt.date,
    event: Event,
    today: dt.date,
) -> None:
    if event not in SUBMISSIONS:
        raise UsageError(f"--event is submitted or resubmitted, not {event}")
    if date > today:
        raise UsageError(
            f"--date {date.isoformat()} is after today ({today.isoformat()}): record a letter "
            "on the day it is sent, or after"
        )
    received = case_file.case.notice.received
    if date < received:
        raise UsageError(
            f"--date {date.isoformat()} is before the notice of {received.isoformat()}"
        )
    if versions and date < versions[-1].date:
        last = versions[-1]
        raise UsageError(
            f"--date {date.isoformat()} is before {last.name}, sent on "
            f"{last.date.isoformat()}: versions are recorded in the order they were sent"
        )


def _unrecorded_entry(
    case_file: CaseFile, versions: Sequence[SentVersion], date: dt.date, event: Event
) -> int | None:
    """The index of the timeline's entry for this submission, if it is there; None if it
    must be added. An entry whose letter is recorded already is never recorded again."""
    follow_up = case_file.case.follow_up
    matching = [i for i, e in enumerate(follow_up) if (e.date, e.event) == (date, event)]
    recorded = [v for v in versions if (v.date, v.event) == (date, event)]
    if len(recorded) >= len(matching) and recorded:
        raise UsageError(
            f"the letter {event} on {date.isoformat()} is recorded already as "
            f"{recorded[-1].name} ({recorded[-1].path}); a record is never rewritten: a later "
            "letter is a new version, sent on its own day"
        )
    return matching[len(recorded)] if matching else None


def _not_twice(versions: Sequence[SentVersion], date: dt.date, letter: str) -> None:
    """The same letter on the same day as the last version is a second run, not a letter."""
    if versions and versions[-1].date == date and not changed(compare(versions[-1].text, letter)):
        last = versions[-1]
        raise UsageError(
            f"{last.name} ({last.path}) records this letter on {date.isoformat()} already; "
            "a record is never rewritten, and nothing changed since"
        )


def _letter_text(
    case_file: CaseFile,
    library: Library,
    upto: int,
    versions: Sequence[SentVersion],
    width: int,
) -> str:
    """The text export of the letter as the submission at `upto` sent it; refused when the
    case has errors, as `poa render` refuses."""
    problems = [f for f in library.findings if f.level is Level.ERROR]
    if problems:
        raise InputError(problems)
    letter = assemble(case_file, library, upto=upto)
    errors = [f for f in review(letter, library, versions=versions) if f.level is Level.ERROR]
    if errors:
        raise InputError(errors)
    return render_letter(letter, "text", width=width).decode("utf-8")


def _write(record: Path, letter: str, case_path: Path, read: str, case_text: str | None) -> None:
    """The record first (never over another), then the case file (only if it is as it was
    read); if the case cannot be written, the record goes too: nothing is left half done."""
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make {record.parent}: {exc.strerror or exc}") from None
    write_atomic(record, letter.encode("utf-8"))
    if case_text is None:
        return
    try:
        if yaml.read_text(case_path, str(case_path)) != read:
            raise UsageError(
                f"{case_path} changed while the letter was recorded; nothing was recorded, "
                "run poa sent again"
            )
        write_atomic(case_path, case_text.encode("utf-8"), overwrite=True)
    except BaseException:  # an error, Ctrl-C, SIGTERM: the record goes with the case entry
        record.unlink(missing_ok=True)
        raise


def _notes(case_file: CaseFile, versions: Sequence[SentVersion], version: SentVersion) -> list[str]:
    """What the user should know about the letter just recorded."""
    notes = []
    if versions and not changed(compare(versions[-1].text, version.text)):
        notes.append(
            f"{version.name} is the same letter as {versions[-1].name}: a resubmission should "
            "say what is new (changes: under Amazon's denial, or the answers to its request)"
        )
    case = case_file.case
    later = [
        *(f"an action done on {format_date(a.done)}" for a in case.corrective_actions
          if a.done and a.done > version.date),
        *(f"a document dated {format_date(d.date)}" for d in case.evidence
          if d.date and d.date > version.date),
    ]  # fmt: skip
    if later:
        notes.append(
            f"the letter names {later[0]}, after the day it was sent "
            f"({format_date(version.date)}): check --date"
        )
    return notes


def version_text(
    name: str, versions: Sequence[SentVersion], root: Path, path: Path
) -> tuple[str, str]:
    """(label, text) of the case's version named v1, 1 or current (`poa diff`): a recorded
    letter, or the letter the case makes now; a `UsageError` naming the recorded ones for any
    other name."""
    if name.lower() == CURRENT:
        _, _, letter = sendable_letter(root, path)
        return "the current letter (not sent)", render_letter(letter, "text").decode("utf-8")
    found = find_version(versions, name)
    if found is None:
        recorded = ", ".join(v.name for v in versions) or "none yet"
        raise UsageError(
            f"no version {name!r} of {display_path(path)} (recorded: {recorded}; "
            f"or '{CURRENT}' for the letter the case makes now)"
        )
    return found.label, found.text
