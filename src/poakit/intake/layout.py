"""The text of a notice as the reader sees it: folded and lower-cased, cut into sentences,
paragraphs, list items and issue blocks.

`prepare` makes the two strings every step reads (positions in one are positions in the
other); `Layout` says where the issue blocks (runs of "Label: value" lines holding an id), the
paragraphs and the numbered or bulleted items are. Every pattern here runs in linear time, and
every step that could grow with the input has a cap.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from .lexicon import Tongue, fold

#: How much of a notice is read for reasons, metrics, routes and dates; ids are read in full.
READ_REACH = 200_000

Id = tuple[int, str, str]  # position, kind, value
Span = tuple[int, int]


@dataclass(frozen=True)
class Notice:
    raw: str  # line endings made "\n", typographic variants folded (`lexicon.fold`)
    low: str  # `raw` lower-cased, character for character, so positions match


def prepare(text: str) -> Notice:
    raw = fold(text.replace("\r\n", "\n").replace("\r", "\n"))
    # "İ".lower() is two characters; every other character lowers to one.
    return Notice(raw, raw.replace("\u0130", "I").lower())


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def unique_folded(values: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate ignoring case, keeping the first spelling."""
    first: dict[str, str] = {}
    for value in values:
        first.setdefault(value.casefold(), value)
    return tuple(first.values())


def squash(text: str) -> str:
    return " ".join(text.split())


def word(literal: str) -> str:
    """`literal` with no word character before it (see `lexicon.phrase_source`)."""
    escaped = re.escape(literal)
    return rf"{escaped}(?<!\w{escaped})"


def compile_all(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Patterns kept apart, each starting with a literal: joined by "|" they would not be."""
    return tuple(re.compile(pattern) for pattern in patterns)


def matches(
    patterns: Iterable[re.Pattern[str]], text: str, limit: int | None = None
) -> list[re.Match[str]]:
    """The first `limit` matches of all `patterns` together, in order of position."""
    found = [match for pattern in patterns for match in islice(pattern.finditer(text), limit)]
    return sorted(found, key=lambda match: match.start())[:limit]


SENTENCE_END = re.compile(r"[.!?](?=\s)|\u3002|\n[ \t]*\n")
SENTENCE_REACH = 400  # characters looked at on each side of a phrase


def sentence_around(low: str, start: int, end: int) -> tuple[str, str]:
    """The parts of the sentence holding `low[start:end]` before and after it."""
    before = low[max(0, start - SENTENCE_REACH) : start]
    ends = list(SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    after = low[end : end + SENTENCE_REACH]
    stop = SENTENCE_END.search(after)
    return before, after[: stop.start()] if stop else after


def sentence_span(low: str, start: int, end: int) -> tuple[int, int]:
    before, after = sentence_around(low, start, end)
    return start - len(before), end + len(after)


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def sentences(low: str, start: int, end: int) -> tuple[str, str]:
    """The sentence holding `low[start:end]`, and the one before it in the same paragraph."""
    first, last = sentence_span(low, start, end)
    before = low[max(0, first - SENTENCE_REACH) : first]
    previous = before.rstrip()
    if BLANK_LINE.search(before, len(previous)):
        return low[first:last], ""  # the sentence opens a paragraph
    ends = list(SENTENCE_END.finditer(previous))
    return low[first:last], previous[ends[-1].end() :] if ends else previous


def labels(tongues: Sequence[Tongue], kind: str) -> tuple[str, ...]:
    return unique(label for tongue in tongues for label in getattr(tongue, kind))


_LABEL_LINE = (
    r"^[ \t]*+(?:[-*\u2022][ \t]*+)?([^\W\d_][\w '()/#.-]{0,40}?)[ \t]*:(?!//)"
    r"[ \t]*\S[^\n]*+"
)
_LABEL_RUN = re.compile(rf"(?:{_LABEL_LINE}(?:\n|\Z))++", re.MULTILINE)
_LABEL_LINES = re.compile(_LABEL_LINE, re.MULTILINE)
_BLANK = re.compile(r"\n[ \t]*(?=\n)")
_MARKER = re.compile(
    r"^([ \t]*)(?:\d{1,2}[.)]|\(\d{1,2}\)|[\u2022\u00b7\u25aa\u25e6\u2023*]|-{1,2}|[\u2013\u2014])"
    r"[ \t]+(?=\S)",
    re.MULTILINE,
)
_HEADING = re.compile(r"^[^\n]{0,100}?[?\uff1f][ \t]*$", re.MULTILINE)
_PARTS_TRIED = 100_000
_NESTING = 50  # the items before a position looked at for one that holds it


class Layout:
    """Where things are in a notice: the issue blocks that hold an id, the paragraphs, and
    the list items (a numbered or bulleted line, with what follows it up to the next item at
    the same or a shallower indent, or the next heading)."""

    def __init__(self, notice: Notice, ids: list[Id], tongues: Sequence[Tongue]) -> None:
        self.size = len(notice.raw)
        self.text = notice.raw
        self._positions = [position for position, _, _ in ids]
        spans: list[Span] = []
        for run in _LABEL_RUN.finditer(notice.raw):
            start, end = run.span()
            if not self._holds_id(start, end):
                continue
            if notice.raw.find("\n", start, end - 1) < 0:  # one line: nothing to split
                spans.append((start, end))
            else:
                spans += [s for s in _split_run(notice.raw, start, end) if self._holds_id(*s)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]
        self.breaks = [m.end() for m in islice(_BLANK.finditer(notice.raw), _PARTS_TRIED)]
        self.items = _items(notice.low, tongues)
        self._item_starts = [start for start, _ in self.items]

    def __len__(self) -> int:
        return len(self.starts)

    def block_at(self, position: int) -> int | None:
        """Index of the block holding `position`, if any."""
        index = bisect_right(self.starts, position) - 1
        if index >= 0 and position < self.ends[index]:
            return index
        return None

    def block(self, index: int) -> Span:
        return self.starts[index], self.ends[index]

    def paragraph(self, position: int) -> Span:
        index = bisect_right(self.breaks, position)
        start = self.breaks[index - 1] if index else 0
        end = self.breaks[index] if index < len(self.breaks) else self.size
        return start, end

    def parts(self, position: int) -> list[Span]:
        """The parts holding `position`, innermost (shortest) first: its paragraph, its items."""
        last = bisect_right(self._item_starts, position)  # items starting after it cannot hold it
        holding = [
            (start, end)
            for start, end in self.items[max(0, last - _NESTING) : last]
            if position < end
        ]
        spans = sorted({self.paragraph(position), *holding}, key=lambda s: (s[1] - s[0], s))
        return spans

    def _holds_id(self, start: int, end: int) -> bool:
        at = bisect_left(self._positions, start)
        return at < len(self._positions) and self._positions[at] < end


def _split_run(raw: str, start: int, end: int) -> list[Span]:
    """Split a run of label lines wherever the label that opened it comes again."""
    lines = [(m.start(), m.group(1).lower()) for m in _LABEL_LINES.finditer(raw, start, end)]
    opener = lines[0][1] if lines else None
    starts = [line_start for line_start, label in lines if label == opener] or [start]
    return list(zip(starts, [*starts[1:], end], strict=True))


def _items(low: str, tongues: Sequence[Tongue]) -> list[Span]:
    """List items: from a line that opens one to the next at the same or a shallower indent,
    or to the next heading."""
    patterns = [_MARKER, *(t.item_openers for t in tongues if t.item_openers is not None)]
    openers = [
        (m.start(), len(m.group(1)))
        for pattern in patterns
        for m in islice(pattern.finditer(low), _PARTS_TRIED)
    ]
    headings = [m.start() for m in islice(_HEADING.finditer(low), _PARTS_TRIED)]
    events = sorted([(at, 0, indent) for at, indent in openers] + [(at, 1, 0) for at in headings])
    items: list[Span] = []
    open_items: list[tuple[int, int]] = []  # start, indent
    for at, is_heading, indent in events:
        while open_items and (is_heading or open_items[-1][1] >= indent):
            items.append((open_items.pop()[0], at))
        if not is_heading:
            open_items.append((at, indent))
    items += [(start, len(low)) for start, _ in open_items]
    return sorted(items)
