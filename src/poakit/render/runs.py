"""A `RichText` as blocks of formatted runs, for formats that keep emphasis (DOCX).

The snippet's skeleton is read exactly as `RichText.plain` reads it (links, code marks and
emphasis markers removed, soft-wrapped lines joined), but emphasis becomes run formatting
instead of vanishing. Case values are only ever dropped into runs afterwards, whole: a value
is never parsed, so `**` typed into a case stays two asterisks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..templating.escape import visible

# The same reading plain() uses, so a DOCX paragraph reads exactly like the text export.
from ..templating.richtext import VALUE_MARKER, RichText, skeleton_pieces

ListKind = Literal["bullet", "number"]


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph, or one item of a list written in the snippet (`depth` 0 is outermost)."""

    runs: tuple[Run, ...]
    kind: ListKind | None = None
    depth: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


_ITEM = re.compile(r"^(\s*)([-*+]|\d+\.)\s+(.*)$")


def text_blocks(text: RichText) -> list[Block]:
    """The paragraphs and list items of `text`, in order."""
    return [
        Block(tuple(_joined(lines, text.values)), kind, depth)
        for kind, depth, lines in _skeleton_blocks(text.skeleton)
    ]


def _skeleton_blocks(skeleton: str) -> Iterator[tuple[ListKind | None, int, list[str]]]:
    """Blocks of the skeleton with their lines: a blank line or a list marker starts one."""
    current: list[str] | None = None
    head: tuple[ListKind | None, int] = (None, 0)
    for raw in skeleton.strip().splitlines():
        line = re.sub(r"^#+\s*", "", raw.rstrip())
        item = _ITEM.match(line)
        if current is not None and (item or not line.strip()):
            yield (*head, current)
            current = None
        if item:
            indent, marker, rest = item.groups()
            head = ("number" if marker[0].isdigit() else "bullet", min(2, (len(indent) + 2) // 4))
            current = [rest]
        elif line.strip():
            if current is None:
                head, current = (None, 0), []
            current.append(line.strip())
    if current is not None:
        yield (*head, current)


def _joined(lines: list[str], values: tuple[str, ...]) -> Iterator[Run]:
    """Soft-wrapped lines as one paragraph; markup is read line by line, as plain() does."""
    for n, line in enumerate(lines):
        if n:
            yield Run(" ")
        yield from _runs(line, values)


def _runs(line: str, values: tuple[str, ...]) -> Iterator[Run]:
    for text, emphasis in skeleton_pieces(line):
        yield from _filled(text, values, bold=emphasis == "strong", italic=emphasis == "em")


def _filled(skeleton: str, values: tuple[str, ...], **style: bool) -> Iterator[Run]:
    """Runs of a skeleton piece, each value its own run with the surrounding style."""
    end = 0
    for match in VALUE_MARKER.finditer(skeleton):
        if match.start() > end:
            yield Run(skeleton[end : match.start()], **style)
        yield Run(visible(values[int(match.group(1))]), **style)
        end = match.end()
    if end < len(skeleton):
        yield Run(skeleton[end:], **style)
