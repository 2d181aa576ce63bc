"""The letter's sections as finished HTML, for the site, where Markdown would read the same.

A case page's letter is most of its Markdown, and Python-Markdown reads it character by
character through every inline pattern: some 4 ms a page, a build from nothing pays it for
every case. Most of a letter is plain: paragraphs, bold and italic from the snippets, the
case's values, and the lists and the table that `render.markdown` builds around them. For
those, this module writes the HTML Python-Markdown would write (the same elements, in the
same order, with the same text: tests/render/test_html.py holds it to that on every letter
of the project and on thousands of random ones) and the page takes it as an island that
Markdown skips (`site.markup.html_island`).

Anything else in a snippet's skeleton (a link, code, a heading, an HTML tag, an entity, an
underscore, a nested or ordered list, a hard line break...) makes `section_html` answer None,
and the section goes through Markdown as before: this is a shortcut, never a second Markdown.
Values are never parsed: each is escaped whole (`html_text`), as `markdown_text` shows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ..letter.letter import Item, Letter, Section
from ..model.values import format_value
from ..templating.escape import html_text
from ..templating.richtext import VALUE_MARKER, RichText

# A skeleton holding any of these is left to Markdown: links and images, code, raw HTML and
# entities, backslash escapes, attribute lists, intraword underscores, table cells.
_UNPLAIN = re.compile(r"[\[\]`<>&\\{}_|]|\*\*\*")
# A line Markdown could read as anything but text: a heading, a quote, an indented or fenced
# block, a rule or setext underline, a list other than "- ", an admonition or definition.
_UNPLAIN_LINE = re.compile(r"^(?:\s|#|>|[*+]\s|\d+[.)]\s|[-=*]{2,}\s*$|[-=]|[:?!~+])")
_BULLET = re.compile(r"^- (?=\S)")
_STRONG = re.compile(r"\*\*(?=[^\s*])([^*]*?[^\s*])\*\*")
_EM = re.compile(r"\*(?=[^\s*])([^*]*?[^\s*])\*")
_SPACES = re.compile(r"[ \t]+")


def text_html(text: RichText) -> str | None:
    """`text` (a snippet's skeleton with the case's values) as HTML blocks: paragraphs, and
    lists of "- " lines; None where Markdown is needed to read it (see the module)."""
    filled = [html_text(value) for value in text.values]  # each value escaped once
    blocks: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.skeleton.strip()):
        lines = block.split("\n")
        bullets = [_BULLET.match(line) is not None for line in lines]
        is_list = all(bullets)
        if any(bullets) and not is_list:
            return None
        if is_list and blocks and blocks[-1].startswith("<ul>"):
            return None  # Markdown makes one list of two, its items paragraphs
        if is_list:
            lines = [line[2:] for line in lines]
        if not all(_plain_line(line, filled) for line in lines):
            return None
        if is_list:
            items = []
            for line in lines:
                item = _inline(line, filled)
                if item is None:
                    return None
                items.append(item)
            blocks.append(list_html("ul", items))
        else:
            inline = _inline("\n".join(line.rstrip() for line in lines), filled)
            if inline is None:
                return None
            if inline:  # Markdown makes no paragraph of nothing
                blocks.append(f"<p>{inline}</p>")
    return "\n".join(blocks)


def _plain_line(line: str, filled: list[str]) -> bool:
    """A line of a paragraph or list item that Markdown reads as text: not a block's start,
    not blank once filled (a paragraph break), not ending in two spaces (a line break).
    Read filled: a value only adds text after what precedes it, so a line that starts a
    block in the skeleton starts it filled too, and a value can make one start."""
    line = _filled(line, filled)
    return not _UNPLAIN_LINE.match(line) and bool(line.strip()) and not line.endswith("  ")


def _filled(skeleton: str, filled: list[str]) -> str:
    """`skeleton` with each value marker replaced by its value, escaped already (`filled`)."""
    return VALUE_MARKER.sub(lambda m: filled[int(m.group(1))], skeleton)


def _inline(skeleton: str, filled: list[str]) -> str | None:
    """One paragraph or list item: `**bold**` and `*italic*` of the skeleton, values
    (escaped: `filled`) in place; None if the skeleton holds any other markup, or a value
    sits against an asterisk with white space at that end (Markdown would not read the
    emphasis)."""
    if _UNPLAIN.search(skeleton):
        return None
    for match in VALUE_MARKER.finditer(skeleton):
        value = filled[int(match.group(1))]
        before, after = skeleton[match.start() - 1 : match.start()], skeleton[match.end() :][:1]
        if ("*" in (before, after)) and (value == "" or value != value.strip()):
            return None
    html = _EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", skeleton))
    if "*" in html:
        return None
    return _filled(_SPACES.sub(" ", html), filled).strip()


def section_html(letter: Letter, section: Section) -> str | None:
    """The body of `section` (its lead paragraphs and its items, without the heading) as
    `render.markdown.section_blocks` would come out of Markdown; None where it cannot say."""
    parts = [text_html(item.text) for item in section.lead]
    if section.items:
        parts.append(_BODIES.get(section.key, _paragraphs)(letter, section))
    if None in parts:
        return None
    return "\n".join(part for part in parts if part)


def _paragraphs(letter: Letter, section: Section) -> str | None:
    blocks = [text_html(item.text) for item in section.items]
    return None if None in blocks else "\n".join(b for b in blocks if b)


def _single(text: RichText) -> str | None:
    """A text that is one paragraph, as its inline HTML (a list item's, a table cell's)."""
    html = text_html(text)
    if html is None or not html.startswith("<p>") or "\n<" in html:
        return None
    return html[3:-4]


def _list(tag: str, section: Section, item_html: Callable[[Item, str], str]) -> str | None:
    """The section's items as a list (`tag` "ol" or "ul"), each one paragraph, made into its
    list item's HTML by `item_html` (the item, its text's HTML)."""
    items = []
    for item in section.items:
        body = _single(item.text)
        if body is None:
            return None
        items.append(item_html(item, body))
    return list_html(tag, items)


def list_html(tag: str, items: Iterable[str]) -> str:
    """A list (`tag` "ul" or "ol") as Python-Markdown writes a tight one; the items are HTML
    already (each value escaped with `html_text`)."""
    return "\n".join([f"<{tag}>", *(f"<li>{item}</li>" for item in items), f"</{tag}>"])


def _root_causes(letter: Letter, section: Section) -> str | None:
    def labelled(item: Item, body: str) -> str:
        return f"<strong>{html_text(item.label)}.</strong> {body}" if item.label else body

    return _list("ol", section, labelled)


def _measures(letter: Letter, section: Section) -> str | None:
    def noted(item: Item, body: str) -> str:
        note = letter.answer_note(item)
        return f"{body} <em>({html_text(note)})</em>" if note else body

    return _list("ul", section, noted)


def _evidence(letter: Letter, section: Section) -> str | None:
    rows = []
    for item in section.items:
        doc = item.entry
        first = _single(item.text)
        if first is None:
            return None
        covers = ", ".join(doc.covers_shown)
        date = html_text(format_value(doc.date)) if doc.date else ""
        rows.append([first, date, html_text(covers), html_text(doc.file) if doc.file else ""])
    return table_html(("Document", "Date", "Covers", "File"), rows)


def table_html(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The HTML Python-Markdown's tables extension makes of a table (`site.markup.table`),
    for an island; header and cells are HTML already (each value escaped with `html_text`)."""

    def row(cells: Sequence[str], tag: str) -> str:
        return "<tr>\n" + "".join(f"<{tag}>{c}</{tag}>\n" for c in cells) + "</tr>\n"

    body = "".join(row(cells, "td") for cells in rows)
    return f"<table>\n<thead>\n{row(header, 'th')}</thead>\n<tbody>\n{body}</tbody>\n</table>"


def _markdown_only(letter: Letter, section: Section) -> None:
    """A reply's points mix numbered answers and bullets: left to Markdown."""
    return None


_BODIES: dict[str, Callable[[Letter, Section], str | None]] = {
    "request": _markdown_only,
    "changes": _markdown_only,
    "root_causes": _root_causes,
    "corrective_actions": _measures,
    "preventive_measures": _measures,
    "evidence": _evidence,
}
