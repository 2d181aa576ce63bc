"""The letter as Markdown: what the site shows and `poa render --format markdown` prints."""

from __future__ import annotations

from ..letter.letter import Item, Letter, Section
from ..model.values import format_value
from ..templating.escape import markdown_text


def letter_markdown(letter: Letter, level: int = 2) -> str:
    """The whole letter; section headings at `level`."""
    blocks: list[str] = []
    for section in letter.sections:
        blocks.extend(section_blocks(letter, section, level))
    blocks.append(signature_markdown(letter))
    return "\n\n".join(b for b in blocks if b) + "\n"


def section_blocks(letter: Letter, section: Section, level: int = 2) -> list[str]:
    """A section as Markdown blocks: its heading (if titled) and its body."""
    if not section.everything:
        return []
    lead = [item.text.markdown() for item in section.lead]
    body = _BODIES.get(section.key, _paragraphs)(letter, section) if section.items else ""
    return [section_heading(section, level), *lead, body]


def section_heading(section: Section, level: int = 2) -> str:
    """The section's heading at `level` ("" for an untitled section)."""
    return f"{'#' * level} {section.title}" if section.title else ""


def signature_markdown(letter: Letter) -> str:
    name, title, business = (markdown_text(part) for part in letter.signature)
    return f"{name}  \n{title}, {business}"


def _paragraphs(letter: Letter, section: Section) -> str:
    return "\n\n".join(item.text.markdown() for item in section.items)


def _root_causes(letter: Letter, section: Section) -> str:
    lines = []
    for number, item in enumerate(section.items, start=1):
        label = f"**{markdown_text(item.label)}.** " if item.label else ""
        lines.append(_list_item(f"{number}.", label + item.text.markdown()))
    return "\n".join(lines)


def _measures(letter: Letter, section: Section) -> str:
    return "\n".join(
        _list_item("-", item.text.markdown() + _note(letter, item)) for item in section.items
    )


def _note(letter: Letter, item: Item) -> str:
    note = letter.answer_note(item)
    return f" *({note})*" if note else ""


def _evidence(letter: Letter, section: Section) -> str:
    rows = ["| Document | Date | Covers | File |", "|---|---|---|---|"]
    for item in section.items:
        doc = item.entry
        covers = ", ".join(doc.covers_shown)
        cells = [
            item.text.markdown(),
            markdown_text(format_value(doc.date)) if doc.date else "",
            markdown_text(covers),
            markdown_text(doc.file) if doc.file else "",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _list_item(marker: str, text: str) -> str:
    """A list item whose following lines are indented to stay inside the item."""
    first, *rest = text.split("\n")
    indent = " " * 4
    tail = "".join(f"\n{indent}{line}" if line.strip() else "\n" for line in rest)
    return f"{marker} {first}{tail}"


def _reply(letter: Letter, section: Section) -> str:
    """The letter part's words, then Amazon's points with their answers (numbered), or the
    changes since the last letter (bullets)."""
    blocks: list[str] = []
    points: list[str] = []
    for item in section.items:
        if item.snippet is not None:
            blocks.append(item.text.markdown())
        elif item.label is not None:
            answer = f"**{markdown_text(item.label)}**\n\n{item.text.markdown()}"
            points.append(_list_item(f"{len(points) + 1}.", answer))
        else:
            points.append(_list_item("-", item.text.markdown()))
    return "\n\n".join([*blocks, "\n".join(points)] if points else blocks)


_BODIES = {
    "request": _reply,
    "changes": _reply,
    "root_causes": _root_causes,
    "corrective_actions": _measures,
    "preventive_measures": _measures,
    "evidence": _evidence,
}
