"""The letter as plain text, to paste into Seller Central's appeal form."""

from __future__ import annotations

from ..letter import Item, Letter, Section
from ..richtext import format_value


def letter_text(letter: Letter) -> str:
    blocks = [block for section in letter.sections for block in section_text(letter, section)]
    name, title, business = letter.signature
    blocks.append(f"{name}\n{title}, {business}")
    return "\n\n".join(blocks) + "\n"


def section_text(letter: Letter, section: Section) -> list[str]:
    """A section as plain-text blocks: its title line (if any) and its body."""
    if not section.items:
        return []
    if section.key == "root_causes":
        body = [_numbered(n, _labelled(item)) for n, item in enumerate(section.items, start=1)]
    elif section.key in ("corrective_actions", "preventive_measures"):
        body = [_bullet(item.text.plain() + _note(letter, item)) for item in section.items]
    elif section.key == "evidence":
        body = [_bullet(_document(item)) for item in section.items]
    else:
        return [item.text.plain() for item in section.items]
    title = [section.title] if section.title else []
    return [*title, "\n".join(body)]


def _labelled(item: Item) -> str:
    return f"{item.label}. {item.text.plain()}" if item.label else item.text.plain()


def _note(letter: Letter, item: Item) -> str:
    note = letter.answer_note(item)
    return f" ({note})" if note else ""


def _document(item: Item) -> str:
    doc = item.entry
    details = [format_value(doc.date)] if doc.date else []
    covers = [*doc.asins, *doc.orders, *doc.complaints]
    if covers:
        details.append("covers " + ", ".join(covers))
    if doc.file:
        details.append(f"file {doc.file}")
    return item.text.plain() + (f" ({'; '.join(details)})" if details else "")


def _numbered(number: int, text: str) -> str:
    return _hanging(f"{number}. ", text)


def _bullet(text: str) -> str:
    return _hanging("- ", text)


def _hanging(marker: str, text: str) -> str:
    lines = text.splitlines() or [""]
    pad = " " * len(marker)
    return marker + lines[0] + "".join(f"\n{pad}{line}" if line else "\n" for line in lines[1:])
