"""A letter read back from its plain-text export: the letter as it was sent.

The library changes after a letter goes out, so the text that was pasted into Seller Central
is the only faithful record of it. `read_back` turns that text (as `render.text` wrote it,
wrapped or not) back into a `Letter` whose items point at lines of the text file, so the
checks of words (tone, prose, fit, figures) can read what was actually sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..errors import Position
from ..model.case import CaseFile
from ..model.sections import KEYS
from ..templating.richtext import RichText
from .letter import Item, Letter, Section

_MARKER = re.compile(r"^(\d+\.|-)\s+")
#: The titled sections followed by an untitled part: a paragraph after their list is it.
_BEFORE = {"evidence": "closing", "request": "opening", "changes": "opening"}
#: The parts made of paragraphs (every other section is a list, after its lead paragraphs).
_PARAGRAPHS = ("opening", "closing", "request", "changes")
_NOTE = re.compile(r"\s+\(root causes? [\d, ]+\)$")


@dataclass(frozen=True)
class _Block:
    line: int  # 1-based line of the text where the block starts
    text: str  # unwrapped
    marker: str | None  # "1." or "-" for a list item


def read_back(text: str, case_file: CaseFile, titles: Mapping[str, str], display: str) -> Letter:
    """The letter in `text`; `titles` are the section headings (the library's settings)."""
    headings = {title: key for key, title in titles.items()}
    blocks = list(_blocks(text))
    if len(blocks) >= 2:
        blocks = blocks[:-1]  # the signature: name, then title and business
    items: dict[str, list[Item]] = {key: [] for key in KEYS}
    leads: dict[str, list[Item]] = {key: [] for key in KEYS}
    listed: dict[str, list[_Block]] = {key: [] for key in KEYS}
    key = "opening"
    for block in blocks:
        if block.marker is None and block.text in headings:
            key = headings[block.text]
            continue
        if block.marker is None and key in _BEFORE and any(i.marker for i in listed[key]):
            key = _BEFORE[key]  # a paragraph after the list: the next untitled part
        listed[key].append(block)
        where = Position(display, block.line, 1)
        if key in _PARAGRAPHS or block.marker is not None:
            items[key].append(_item(block, where, key))
        else:
            leads[key].append(Item(RichText.literal(block.text), where))
    sections = tuple(Section(k, titles.get(k, ""), tuple(items[k]), tuple(leads[k])) for k in KEYS)
    return Letter(case_file, sections)


def _item(block: _Block, where: Position, key: str) -> Item:
    text = _NOTE.sub("", block.text)
    label = None
    if key == "root_causes":
        label, _, rest = text.partition(". ")
        text = rest or label
        label = label if rest else None
    return Item(RichText.literal(text), where, label=label)


def _blocks(text: str) -> Iterator[_Block]:
    """Paragraphs and list items, each unwrapped onto one line. A line continues the block
    above it unless it opens a list item or follows a blank line; an indented line continues
    it even after a blank line (an item's own list)."""
    current: list[str] = []
    start, marker, blank = 0, None, False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            blank = True
            continue
        found = _MARKER.match(line)
        continues = current and not found and (not blank or line[:1].isspace())
        blank = False
        if continues:
            current.append(line.strip())
            continue
        if current:
            yield _Block(start, " ".join(current), marker)
        start, marker = number, found.group(1) if found else None
        current = [line[found.end() :].strip() if found else line.strip()]
    if current:
        yield _Block(start, " ".join(current), marker)
