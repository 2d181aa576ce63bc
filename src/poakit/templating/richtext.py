"""Letter text that keeps the snippet's own markup apart from the case's values.

A snippet is trusted Markdown written by the library's authors; a case value is data typed by
whoever filled in the case. Rendering a snippet leaves a *skeleton* in which each value stands
as a private-use marker, and the values beside it. Each output format then treats the two
differently: the skeleton's Markdown is kept (site) or stripped (plain text), and the values
are escaped for that format only. So `{{ 7*7 }}`, `**bold**` or `<script>` typed into a case
always comes out exactly as typed, and never as markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from .escape import markdown_text, visible

OPEN, CLOSE = "\ue000", "\ue001"
#: Where a value stands in a skeleton; its group is the value's index.
VALUE_MARKER = re.compile(f"{OPEN}(\\d+){CLOSE}")


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
        return VALUE_MARKER.sub(lambda m: escape(self.values[int(m.group(1))]), self.skeleton)

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
        for marker in VALUE_MARKER.finditer(stripped):
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


def skeleton_pieces(line: str) -> Iterator[tuple[str, str | None]]:
    """A line of a skeleton as (text, emphasis) pieces, emphasis "strong", "em" or None:
    links and code marks removed, as `plain()` reads it (and DOCX runs are made from it)."""
    line = _CODE.sub(r"\1", _LINK.sub(r"\1", line))
    end = 0
    for match in _EMPHASIS.finditer(line):
        yield line[end : match.start()], None
        yield match.group(2), "strong" if len(match.group(1)) == 2 else "em"
        end = match.end()
    yield line[end:], None


@functools.lru_cache(maxsize=4096)
def strip_markdown(skeleton: str) -> str:
    """A skeleton's Markdown removed, its value markers kept.

    Only the skeleton is stripped, so a value keeps any asterisks it really contains.
    Remembered by skeleton: the values stand as markers in it, so a snippet rendered for
    many cases often leaves the same skeleton each time.
    """
    lines = []
    for line in skeleton.strip().splitlines():
        line = "".join(text for text, _ in skeleton_pieces(line))
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
