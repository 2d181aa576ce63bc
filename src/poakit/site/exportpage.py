"""A case page's exports: copy buttons, the text they copy, and the downloadable files.

The buttons copy the text export itself (`poa render --format text`), never the page's HTML:
the exact strings ride along in one `<script type="application/json">` element, which
browsers do not display and Material's search skips, so the letter is indexed only once. The
buttons start `hidden` and docs/assets/poakit-exports.js shows and wires them, so a page
without JavaScript shows no dead buttons. The .txt and .docx files sit beside the page, at
`cases/<slug>/<slug>.txt` and `.docx`, made during the build for the cases the site includes.
Markers before and after the letter let the print stylesheet print the letter alone.
"""

from __future__ import annotations

import html

from ..letter.letter import Letter, Section
from ..render import DEFAULT_WIDTH, render_letter
from ..render.html import section_html
from ..render.markdown import section_blocks, section_heading, signature_markdown
from ..render.text import section_body
from ..templating.escape import json_in_html
from .markup import UNINDEXED, html_island, site_link

DOWNLOADS = (("txt", "text", "Download text (.txt)"), ("docx", "docx", "Download Word (.docx)"))
PAYLOAD_ID = "poa-copy-text"
# Material's search leaves out any element carrying `data-search-exclude`: no button labels in
# it. The buttons' paragraphs are written as Markdown wrote `{ .poa-actions data-search-exclude }`.
_ACTIONS = '<p class="poa-actions" data-search-exclude>'
LETTER_START = html_island('<div class="poa-letter-start"></div>')
LETTER_END = html_island('<div class="poa-letter-end"></div>')


def download_path(slug: str, extension: str) -> str:
    return f"cases/{slug}/{slug}.{extension}"


def copy_texts(letter: Letter, text: str | None = None) -> dict[str, str]:
    """What each copy button copies: "letter", and each titled section by its key. `text`:
    the letter's text as `render_letter(letter, "text")` gives it, where it is made already
    (for the text download: wrapping it is a third of making a case's files)."""
    texts = {"letter": render_letter(letter, "text").decode("utf-8") if text is None else text}
    for section in _titled(letter):
        texts[section.key] = section_body(letter, section, DEFAULT_WIDTH)
    return texts


def letter_blocks(slug: str, letter: Letter, text: str | None = None) -> list[str]:
    """The Plan of Action part of a case page, as Markdown blocks (`text`: see `copy_texts`)."""
    return [
        LETTER_START,
        f"## Plan of Action {UNINDEXED}",
        _export_bar(slug),
        _payload(letter, text),
        letter_markdown_with_buttons(letter, level=3),
        LETTER_END,
    ]


def letter_markdown_with_buttons(letter: Letter, level: int) -> str:
    """`letter_markdown`, with a copy button under each section heading; a section's body is
    its finished HTML, as an island, where `render.html` can write what Markdown would."""
    blocks: list[str] = []
    for section in letter.sections:
        if not section.everything:
            continue
        body = section_html(letter, section)  # the Markdown only where the HTML cannot be
        if body is None:
            parts = section_blocks(letter, section, level)
        else:
            parts = [section_heading(section, level), html_island(body)]
        if section.title:
            heading = f"{parts[0]} {UNINDEXED}"
            parts = [heading, _copy_button(section.key, "Copy section", section.title), *parts[1:]]
        blocks.extend(parts)
    blocks.append(signature_markdown(letter))
    return "\n\n".join(b for b in blocks if b) + "\n"


def _titled(letter: Letter) -> list[Section]:
    return [s for s in letter.sections if s.title and s.everything]


def _export_bar(slug: str) -> str:
    """The copy button and the download links, as the HTML Markdown made of them (an island),
    the links resolved by the adapter (`markup.site_link`)."""
    button = _button("letter", "Copy letter", "the whole letter", primary=True)
    links = " ".join(
        f'<a class="md-button" download href="{site_link(download_path(slug, ext))}">'
        f"{html.escape(label)}</a>"
        for ext, _, label in DOWNLOADS
    )
    return html_island(f"{_ACTIONS}{button}\n{links}</p>")


def _copy_button(key: str, label: str, what: str) -> str:
    """A section's button, as the HTML Markdown made of it (an island: Python-Markdown reads
    raw HTML tag by tag, 0.3 ms a button)."""
    return html_island(f"{_ACTIONS}{_button(key, label, what)}</p>")


def _button(key: str, label: str, what: str, *, primary: bool = False) -> str:
    kind = "md-button md-button--primary" if primary else "md-button"
    title = html.escape(f"Copy {what} as plain text, as poa render --format text gives it")
    return (
        f'<button type="button" class="{kind} poa-copy" data-poa-copy="{html.escape(key)}" '
        f'title="{title}" hidden>{html.escape(label)}</button>'
    )


def _payload(letter: Letter, text: str | None) -> str:
    """The copy texts as JSON that cannot end its <script> element early."""
    data = json_in_html(copy_texts(letter, text))
    return html_island(f'<script type="application/json" id="{PAYLOAD_ID}">{data}</script>')
