"""Adding an entry to a case file's `follow_up` without rewriting the file.

PyYAML cannot write a file back with its comments and layout, and a case file is full of
both. So the new entry is inserted as text, at a place found from the positions the loader
keeps (`Document.values` and `Document.ends`), in the style of the entries already there
(`- {date: ..., event: ...}` or a block), with the file's own line endings. The result is
loaded again and must hold exactly the old data plus the new entry; otherwise nothing is
written and the user is told what to add by hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..errors import InputError, UsageError
from ..model.document import Document, Loc
from . import yaml

KEY = "follow_up"


def add_follow_up(text: str, document: Document, entry: Mapping[str, str]) -> str:
    """`text` (a case file that loaded as `document`) with `entry` appended to follow_up.

    `entry` maps keys to plain scalars (`{"date": "2026-10-08", "event": "resubmitted"}`).
    Raise `UsageError`, naming what to add by hand, if no place keeps everything else as it
    was."""
    flow = "{" + ", ".join(f"{k}: {v}" for k, v in entry.items()) + "}"
    newline = "\r\n" if "\r\n" in text else "\n"
    for candidate in _candidates(text, document, entry, flow, newline):
        if _adds_only(candidate, document, entry):
            return candidate
    raise UsageError(
        f"cannot add the entry to {document.path} without changing anything else in it; "
        f"add it by hand under {KEY}: - {flow}"
    )


def _candidates(
    text: str, document: Document, entry: Mapping[str, str], flow: str, newline: str
) -> Iterator[str]:
    starts = yaml.line_starts(text)
    value = document.data.get(KEY) if isinstance(document.data, dict) else None
    if (KEY,) not in document.keys:
        ending = "" if not text or text.endswith(("\n", "\r")) else newline
        yield f"{text}{ending}{KEY}:{newline}  - {flow}{newline}"
    elif isinstance(value, list) and (KEY,) in document.ends:  # a flow list: [..., ...]
        close = _offset(starts, document.ends[(KEY,)]) - 1
        yield text[:close] + (", " if value else "") + flow + text[close:]
    elif isinstance(value, list) and value:
        yield from _after_last_item(text, document, starts, entry, flow, newline)
    elif value is None:
        yield from _into_empty(text, document, starts, flow, newline)


def _after_last_item(
    text: str,
    document: Document,
    starts: list[int],
    entry: Mapping[str, str],
    flow: str,
    newline: str,
) -> Iterator[str]:
    """A new item after the last one, at the same indent and in the same style."""
    last: Loc = (KEY, len(document.data[KEY]) - 1)
    dash = document.values[(KEY,)][1]  # a block list starts at its first '-'
    column = document.values[last][1]  # where the last item's value starts
    if text[_offset(starts, document.values[last])] in "{[":
        lines = [f"- {flow}"]
    else:  # a block mapping: its keys aligned as the last item aligns them
        gap = " " * max(column - dash - 1, 1)
        pairs = [f"{k}: {v}" for k, v in entry.items()]
        lines = [f"-{gap}{pairs[0]}", *(" " * (1 + len(gap)) + pair for pair in pairs[1:])]
    block = "".join(" " * (dash - 1) + line + newline for line in lines)
    end = max(mark for loc, mark in document.ends.items() if loc[: len(last)] == last)
    for offset in _insertion_points(text, starts, end):
        yield text[:offset] + _line_break_before(text, offset, newline) + block + text[offset:]


def _insertion_points(text: str, starts: list[int], end: tuple[int, int]) -> Iterator[int]:
    """Where a line can go after the last item (always at the start of a line): after the
    line its last value ends on; for a block scalar, which ends where the next line starts,
    first after its last line that is not blank (a `|+` block keeps trailing blank lines as
    its own: the check of the result rules that place out)."""
    line, column = end
    if column != 1:
        yield starts[line] if line < len(starts) else len(text)
        return
    after = starts[line - 1]
    back = after
    while back > 0:
        previous = text.rfind("\n", 0, back - 1) + 1
        if text[previous:back].strip():
            break
        back = previous
    yield back
    if back != after:
        yield after


def _into_empty(
    text: str, document: Document, starts: list[int], flow: str, newline: str
) -> Iterator[str]:
    """`follow_up:` with no value, or with `null` or `~`: the list goes under the key."""
    key_line, key_column = document.keys[(KEY,)]
    start = _offset(starts, document.values[(KEY,)])
    stop = _offset(starts, document.ends[(KEY,)])
    head, tail = text[:start].rstrip(" "), text[stop:]  # `null` or `~` taken out
    line_end = _line_end(head + tail, yaml.line_starts(head + tail), key_line)
    joined = head + tail
    item = f"{newline}{' ' * (key_column + 1)}- {flow}"
    yield joined[:line_end] + item + joined[line_end:]


def _line_end(text: str, starts: list[int], line: int) -> int:
    """The offset of the line break that ends `line` (or the end of the text)."""
    end = starts[line] if line < len(starts) else len(text)
    while end > starts[line - 1] and text[end - 1] in "\r\n":
        end -= 1
    return end


def _line_break_before(text: str, offset: int, newline: str) -> str:
    """A line break if the insertion point is at the end of a line rather than its start."""
    return "" if offset == 0 or text[offset - 1] in "\n\r" else newline


def _offset(starts: list[int], mark: tuple[int, int]) -> int:
    line, column = mark
    return starts[line - 1] + column - 1


def _adds_only(candidate: str, document: Document, entry: Mapping[str, str]) -> bool:
    """The candidate loads, and holds the old data with only the new entry added."""
    try:
        loaded = yaml.load(candidate, document.path).data
        added = yaml.load("[{" + ", ".join(f"{k}: {v}" for k, v in entry.items()) + "}]", "-")
    except InputError:
        return False
    if not isinstance(loaded, dict):
        return False
    old, new = dict(document.data), dict(loaded)
    before = old.pop(KEY, None) or []
    return new.pop(KEY, None) == [*before, *added.data] and new == old
