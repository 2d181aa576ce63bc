"""The letter as plain text, to paste into Seller Central's appeal form.

No Markdown survives: the snippet's markup is stripped (`RichText.plain`), case values come out
exactly as typed, lists get `1.` and `-` markers with hanging indents. Lines are wrapped at
`width` characters (0: one line per paragraph) without ever splitting a word or an ID such as
an order number, so every ASIN and order ID stays searchable in the pasted text.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from ..letter.letter import Item, Letter, Section
from ..model.values import format_value
from ..templating.escape import visible

DEFAULT_WIDTH = 80
# The three questions of Amazon's appeal form, each answered in its own field.
ANSWER_KEYS = ("root_causes", "corrective_actions", "preventive_measures")
# The sections of a reply, before the plan: Amazon's request answered, or what is new.
REPLY_KEYS = ("request", "changes")


def letter_text(
    letter: Letter, width: int = 0, *, sections: Mapping[str, list[str]] | None = None
) -> str:
    """The whole letter; `width` 0 leaves each paragraph on one line. `sections`: each
    section's `section_text` by its key, where the caller made them already."""
    blocks = [
        block
        for section in letter.sections
        for block in (section_text(letter, section) if sections is None else sections[section.key])
    ]
    name, title, business = (visible(part) for part in letter.signature)
    blocks.append(f"{name}\n{title}, {business}")
    return "\n\n".join(wrap(block, width) for block in blocks) + "\n"


def section_text(letter: Letter, section: Section) -> list[str]:
    """A section as plain-text blocks: its title line (if any) and its body."""
    if not section.everything:
        return []
    if section.key not in _BODIES:
        return [item.text.plain() for item in section.everything]
    title = [section.title] if section.title else []
    return [*title, section_body(letter, section)]


def section_body(letter: Letter, section: Section, width: int = 0) -> str:
    """What goes into the form's field for `section`: its lead paragraphs and its items,
    without the title."""
    body = _BODIES.get(section.key)
    if body is None:
        return wrap("\n\n".join(item.text.plain() for item in section.everything), width)
    blocks = [item.text.plain() for item in section.lead]
    if section.items:
        blocks.append("\n".join(body(letter, n, item) for n, item in enumerate(section.items, 1)))
    return wrap("\n\n".join(blocks), width)


@dataclass(frozen=True)
class Answer:
    """One answer of the appeal form: its title, its text, and how long the text is."""

    title: str
    text: str

    @property
    def characters(self) -> int:
        return len(self.text)

    @property
    def words(self) -> int:
        return count_words(self.text)


def answers(letter: Letter, width: int = 0) -> list[Answer]:
    """The three answers (root causes, actions taken, preventive measures), in form order;
    a reply's answers to Amazon's request, or what is new after a denial, come first."""
    reply = [key for key in REPLY_KEYS if letter.section(key).items]
    return [
        Answer(section.title or section.key, section_body(letter, section, width))
        for section in (letter.section(key) for key in (*reply, *ANSWER_KEYS))
    ]


def answers_text(letter: Letter, width: int = 0) -> str:
    """`poa render --sections`: each answer under a label line that gives its length."""
    blocks = []
    for answer in answers(letter, width):
        label = f"=== {answer.title} ({answer.characters} characters, {answer.words} words) ==="
        blocks.append(f"{label}\n{answer.text}" if answer.text else label)
    return "\n\n".join(blocks) + "\n"


_MARKER = re.compile(r"^\s*(?:-|\d+\.)\s")


def count_words(text: str) -> int:
    """Words as a reader counts them: list markers are not words, IDs and numbers are."""
    lines = (_MARKER.sub("", line) for line in text.splitlines())
    return sum(1 for line in lines for token in line.split() if any(c.isalnum() for c in token))


def wrap(text: str, width: int) -> str:
    """Each line of `text` wrapped at `width`, continuation lines aligned under its text."""
    if width <= 0:
        return text
    return "\n".join(wrapped for line in text.split("\n") for wrapped in _wrap_line(line, width))


_HANG = re.compile(r"^\s*(?:(?:-|\d+\.)\s)?")


def _wrap_line(line: str, width: int) -> tuple[str, ...]:
    if len(line) <= width:
        return (line,)
    return _wrapped(line, width)


@functools.lru_cache(maxsize=4096)
def _wrapped(line: str, width: int) -> tuple[str, ...]:
    """A long line wrapped, remembered: the text download and the copy buttons wrap the same
    sections, and a snippet's line without a case value wraps alike in every letter (wrapping
    was a tenth of making a case's files)."""
    hang = " " * len(_HANG.match(line).group())  # type: ignore[union-attr]  # always matches
    # Words and IDs are never split, so a line may exceed `width` by one long word.
    return tuple(
        textwrap.wrap(
            line,
            width,
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
            expand_tabs=False,
            replace_whitespace=False,
        )
    )


def _root_cause(letter: Letter, number: int, item: Item) -> str:
    # the label may be case data (a root cause's `title`): shown as typed, like every value
    text = f"{visible(item.label)}. {item.text.plain()}" if item.label else item.text.plain()
    return _hanging(f"{number}. ", text)


def _measure(letter: Letter, number: int, item: Item) -> str:
    return _hanging("- ", item.text.plain() + _note(letter, item))


def _evidence(letter: Letter, number: int, item: Item) -> str:
    return _hanging("- ", item.text.plain() + document_details(item))


def _reply_point(letter: Letter, number: int, item: Item) -> str:
    """The letter part's words (the first item), then each point: what Amazon asked, numbered,
    with the answer under it; or, after a denial, each change as a bullet."""
    if item.snippet is not None:
        return item.text.plain() + "\n"
    if item.label is None:
        return _hanging("- ", item.text.plain())
    return _hanging(f"{number - 1}. ", f"{visible(item.label)}\n{item.text.plain()}")


_BODIES = {
    "request": _reply_point,
    "changes": _reply_point,
    "root_causes": _root_cause,
    "corrective_actions": _measure,
    "preventive_measures": _measure,
    "evidence": _evidence,
}


def _note(letter: Letter, item: Item) -> str:
    note = letter.answer_note(item)
    return f" ({note})" if note else ""


def document_details(item: Item) -> str:
    """ " (12 September 2026; covers B0C1234567; file x.pdf)": what a listed document covers."""
    doc = item.entry
    details = [format_value(doc.date)] if doc.date else []
    covers = doc.covers_shown
    if covers:
        details.append("covers " + visible(", ".join(covers)))
    if doc.file:
        details.append(f"file {visible(doc.file)}")
    return f" ({'; '.join(details)})" if details else ""


def _hanging(marker: str, text: str) -> str:
    lines = text.splitlines() or [""]
    pad = " " * len(marker)
    return marker + lines[0] + "".join(f"\n{pad}{line}" if line else "\n" for line in lines[1:])
