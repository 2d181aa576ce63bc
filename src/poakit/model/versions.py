"""The letters a case sent, as `poa sent` recorded them, and what changed between two of them.

A version is the text export of the letter, byte for byte as it went to Amazon, kept in a
file whose name gives its number, the day it was sent and the event that sent it:
`cases/<slug>/sent/v2-2026-10-08-resubmitted.txt`. A record is never rewritten: a later edit
of the case or of the library makes a new version.

Two letters are compared by paragraph and list item, not by line: the text export wraps its
lines, so one added word would move every line after it. A paragraph changed in place is
shown word by word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .case import Event
from .values import format_date

#: The folder, beside the case file, that holds what a case sent: cases/<slug>/sent/.
SENT_FOLDER = "sent"
_RECORD = re.compile(r"v([1-9][0-9]{0,3})-(\d{4}-\d{2}-\d{2})-(submitted|resubmitted)\.txt")


@dataclass(frozen=True)
class SentVersion:
    """One letter as sent: its number, the day, the event that sent it, and its text."""

    number: int
    date: dt.date
    event: Event
    text: str
    path: str  # the record file, as messages show it

    @property
    def name(self) -> str:
        return f"v{self.number}"

    @property
    def label(self) -> str:
        """'v2 (resubmitted on 8 October 2026)'."""
        return f"{self.name} ({self.event} on {format_date(self.date)})"


def find_version(versions: Sequence[SentVersion], name: str) -> SentVersion | None:
    """The version `name` names: "v2", "V2" or "2", as `poa sent` numbered them."""
    number = name.lower().removeprefix("v")
    return next((v for v in versions if str(v.number) == number), None)


def record_name(number: int, date: dt.date, event: Event) -> str:
    """The file name of a record: v2-2026-10-08-resubmitted.txt."""
    return f"v{number}-{date.isoformat()}-{event}.txt"


def parse_record_name(name: str) -> tuple[int, dt.date, Event] | None:
    """(number, date, event) of a record's file name; None for any other name."""
    match = _RECORD.fullmatch(name)
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match.group(2))
    except ValueError:
        return None
    return int(match.group(1)), day, Event(match.group(3))


# -- comparing two letters ------------------------------------------------------------------------

Kind = Literal["same", "removed", "added", "changed"]


@dataclass(frozen=True)
class Words:
    """A run of words of a changed paragraph: kept, removed or added."""

    kind: Literal["same", "removed", "added"]
    text: str


@dataclass(frozen=True)
class Change:
    """One paragraph or list item: unchanged, removed, added, or changed (word by word)."""

    kind: Kind
    old: str
    new: str
    words: tuple[Words, ...] = ()

    @property
    def text(self) -> str:
        return self.old if self.kind == "removed" else self.new


@dataclass(frozen=True)
class Skipped:
    """Unchanged paragraphs left out of a diff's view."""

    count: int


_ITEM = re.compile(r"\s*(?:\d+\.|-)\s")


def units(text: str) -> list[str]:
    """The paragraphs and list items of a text export, each on one line.

    A blank line ends a unit; a line that starts a list item starts one; any other line
    continues the one before (the export wrapped it), whatever the wrapping width was.
    """
    found: list[str] = []
    open_unit = False
    for line in text.split("\n"):
        if not line.strip():
            open_unit = False
        elif open_unit and not _ITEM.match(line):
            found[-1] += " " + line.strip()
        else:
            found.append(" ".join(line.split()) if not _ITEM.match(line) else _item(line))
            open_unit = True
    return found


def _item(line: str) -> str:
    """A list item keeps its indent (a nested item stays nested); white space inside is one
    space."""
    indent = len(line) - len(line.lstrip())
    return " " * indent + " ".join(line.split())


def compare(old: str, new: str) -> list[Change]:
    """Every unit of both texts, in order: what stayed, what went, what came, what changed."""
    before, after = units(old), units(new)
    changes: list[Change] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [Change("same", unit, unit) for unit in before[i1:i2]]
        else:
            changes += _pair(before[i1:i2], after[j1:j2])
    return changes


def _pair(old: Sequence[str], new: Sequence[str]) -> Iterator[Change]:
    """Units replaced by others: a pair alike enough is one changed unit, the rest went or came."""
    i = j = 0
    while i < len(old) and j < len(new):
        if _alike(old[i], new[j]):
            yield Change("changed", old[i], new[j], _word_diff(old[i], new[j]))
            i, j = i + 1, j + 1
        elif any(_alike(old[i], later) for later in new[j + 1 :]):
            yield Change("added", "", new[j])
            j += 1
        else:
            yield Change("removed", old[i], "")
            i += 1
    yield from (Change("removed", unit, "") for unit in old[i:])
    yield from (Change("added", "", unit) for unit in new[j:])


def _alike(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= 0.5


def _word_diff(old: str, new: str) -> tuple[Words, ...]:
    a, b = old.split(), new.split()
    runs: list[Words] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(Words("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(Words("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(Words("added", " ".join(b[j1:j2])))
    return tuple(runs)


def changed(changes: Sequence[Change]) -> bool:
    return any(change.kind != "same" for change in changes)


def in_view(changes: Sequence[Change], context: int = 1) -> list[Change | Skipped]:
    """What a diff shows: every change with `context` unchanged units around it; the other
    unchanged units are counted, not shown."""
    keep = {
        n + offset
        for n, change in enumerate(changes)
        if change.kind != "same"
        for offset in range(-context, context + 1)
    }
    shown: list[Change | Skipped] = []
    for n, change in enumerate(changes):
        if n in keep:
            shown.append(change)
        elif shown and isinstance(shown[-1], Skipped):
            shown[-1] = Skipped(shown[-1].count + 1)
        else:
            shown.append(Skipped(1))
    return shown
