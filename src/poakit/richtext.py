"""Letter text that keeps the snippet's own markup apart from the case's values.

A snippet is trusted Markdown written by the library's authors; a case value is data typed by
whoever filled in the case. Rendering a snippet leaves a *skeleton* in which each value stands
as a private-use marker, and the values beside it. Each output format then treats the two
differently: the skeleton's Markdown is kept (site) or stripped (plain text), and the values
are escaped for that format only. So `{{ 7*7 }}`, `**bold**` or `<script>` typed into a case
always comes out exactly as typed, and never as markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .escape import markdown_text, visible

OPEN, CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{OPEN}(\\d+){CLOSE}")


def format_date(value: dt.date | None) -> str:
    """'4 October 2026': unambiguous in every marketplace."""
    if value is None:
        return format_value(None)
    return f"{value.day} {value:%B %Y}"


def join_and(values: Iterable[Any]) -> str:
    items = [format_value(v) for v in values]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def format_value(value: Any) -> str:
    """How a case value reads in a letter."""
    if value is None:
        return "[TBD]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class RichText:
    """A rendered snippet: trusted Markdown `skeleton` plus untrusted `values`."""

    skeleton: str
    values: tuple[str, ...] = ()

    @classmethod
    def literal(cls, value: str) -> RichText:
        """Text that is all case data (a `text:` written in the case)."""
        return cls(f"{OPEN}0{CLOSE}", (value,))

    def fill(self, escape: Callable[[str], str]) -> str:
        return _MARKER.sub(lambda m: escape(self.values[int(m.group(1))]), self.skeleton)

    def markdown(self) -> str:
        return self.fill(markdown_text).strip()

    def plain(self) -> str:
        """The text a reader sees: markup of the skeleton removed, values as typed."""
        return self.plain_with_spans()[0]

    def plain_with_spans(self) -> tuple[str, list[tuple[int, int]]]:
        """`plain()`, and the (start, end) offsets in it of the case's values."""
        return self._plain

    @cached_property
    def _plain(self) -> tuple[str, list[tuple[int, int]]]:
        # Every check and export reads the plain text; work it out once per item.
        stripped = strip_markdown(self.skeleton)
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        length, last = 0, 0
        for marker in _MARKER.finditer(stripped):
            parts.append(stripped[last : marker.start()])
            length += marker.start() - last
            value = visible(self.values[int(marker.group(1))])
            spans.append((length, length + len(value)))
            parts.append(value)
            length += len(value)
            last = marker.end()
        parts.append(stripped[last:])
        return "".join(parts), spans

    def __str__(self) -> str:
        return self.plain()


_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`([^`]*)`")


def strip_markdown(skeleton: str) -> str:
    """A skeleton's Markdown removed, its value markers kept.

    Only the skeleton is stripped, so a value keeps any asterisks it really contains.
    """
    lines = []
    for line in skeleton.strip().splitlines():
        line = _LINK.sub(r"\1", line)
        line = _CODE.sub(r"\1", line)
        line = _EMPHASIS.sub(r"\2", line)
        line = re.sub(r"^(\s*)[*+]\s", r"\1- ", line)
        line = re.sub(r"^#+\s*", "", line)
        lines.append(line.rstrip())
    return "\n".join(_reflow(lines))


_BLOCK_START = re.compile(r"^\s*(-|\d+\.)\s")


def _reflow(lines: list[str]) -> list[str]:
    """Join soft-wrapped lines of a paragraph; keep blank lines and list items apart."""
    out: list[str] = []
    for line in lines:
        joins = out and out[-1].strip() and line.strip() and not _BLOCK_START.match(line)
        if joins:
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line)
    return out
