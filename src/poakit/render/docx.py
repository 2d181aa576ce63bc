"""The letter as a Word document, to attach to the appeal.

Built with python-docx on its default template: section titles in Heading 1, root causes in
List Number, measures in List Bullet (lists inside a snippet one level deeper), the supporting
documents in a table, the signature last. Case values go in as plain runs, never parsed; the
snippet's own **bold** and *italic* become run formatting.

The bytes are deterministic: the core properties are fixed (dated from the notice) and every
zip entry carries the same timestamp, so the same case always gives the same file.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.text.paragraph import Paragraph

from ..letter import Item, Letter, Section
from ..richtext import format_value, visible
from .runs import Block, ListKind, Run, text_blocks

TITLE = "Plan of Action"
TABLE_HEADER = ("Document", "Date", "Covers", "File")
TABLE_SHARES = (0.4, 0.16, 0.24, 0.2)  # of the text width: titles need the most room
# DOS timestamps start in 1980: the earliest one every zip reader accepts.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

_LIST_STYLES: dict[ListKind, str] = {"bullet": "List Bullet", "number": "List Number"}


def letter_docx(letter: Letter) -> bytes:
    writer = _Writer(_blank_document())
    _set_properties(writer.document, letter)
    writer.paragraph("Title", (Run(f"{TITLE}: {letter.case.seller.name}"),))
    for section in letter.sections:
        _add_section(writer, letter, section)
    _add_signature(writer.document, letter)
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return _fixed_zip(buffer.getvalue())


# Parts of python-docx's template that a letter does not need: a Word 2010 copy of the styles
# and a thumbnail of an empty page, which file browsers would show as the letter's preview.
_UNUSED_PARTS = ("/relationships/stylesWithEffects", "/relationships/metadata/thumbnail")
# The styles a letter uses; those they are based on or linked to are kept with them.
_USED_STYLES = (
    *("Title", "Heading 1", "List Continue", "Table Grid"),
    *(f"List {kind}{level}" for kind in ("Bullet", "Number") for level in ("", " 2", " 3")),
)


def _blank_document() -> DocxDocument:
    return Document(io.BytesIO(_template()))


@functools.cache
def _template() -> bytes:
    """python-docx's default template cut down to what a letter uses, made once a process.

    The default template defines some 160 styles; parsing and compressing them was most of
    the cost of a letter, and a site build writes a DOCX for every case.
    """
    document = Document()
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(_UNUSED_PARTS):
                rels.pop(rid)
    used = {document.styles[name].style_id for name in _USED_STYLES}
    _keep_only_styles(document.styles.element, used)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _keep_only_styles(styles: Any, used: set[str]) -> None:
    """Remove every style but the `used` ids, the defaults, and the styles they build on."""
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    keep = {sid for sid, style in by_id.items() if style.get(qn("w:default")) == "1"}
    todo = list(used)
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
    # Word's built-in styles stay available without their latent definitions.
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)


class _Writer:
    """Adds styled paragraphs to a document, looking each style up once.

    python-docx's `Paragraph.style` setter scans every style of the template each time (about
    3 ms a paragraph); setting the style id on the paragraph's XML is the same result at a
    fraction of the cost, which matters when a site build writes a DOCX for every case.
    """

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self._ids: dict[str, str] = {}

    def paragraph(self, style: str, runs: Iterable[Run]) -> Paragraph:
        paragraph = self.document.add_paragraph()
        if style != "Normal":
            paragraph._p.style = self._style_id(style)
        _add_runs(paragraph, runs)
        return paragraph

    def _style_id(self, name: str) -> str:
        if name not in self._ids:
            self._ids[name] = self.document.styles[name].style_id
        return self._ids[name]


def _set_properties(document: DocxDocument, letter: Letter) -> None:
    """Core properties from the case only: no clock, no machine, no random id."""
    seller = letter.case.seller
    when = dt.datetime.combine(letter.case.notice.received, dt.time(), tzinfo=dt.UTC)
    props = document.core_properties
    # visible(): XML cannot hold control characters; a case value may (written as "\x07").
    props.title = f"{TITLE}: {visible(seller.name)}"
    props.subject = TITLE
    props.author = props.last_modified_by = visible(seller.signatory.name)
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = when
    props.revision = 1


def _add_section(writer: _Writer, letter: Letter, section: Section) -> None:
    if not section.items:
        return
    if section.title:
        writer.paragraph("Heading 1", (Run(section.title),))
    if section.key == "evidence":
        _add_evidence_table(writer.document, section)
        return
    for item in section.items:
        if section.key == "root_causes":
            lead = (Run(f"{item.label}. ", bold=True),) if item.label else ()
            _add_item(writer, item, "number", lead=lead)
        elif section.key in ("corrective_actions", "preventive_measures"):
            note = letter.answer_note(item)
            tail = (Run(f" ({note})", italic=True),) if note else ()
            _add_item(writer, item, "bullet", tail=tail)
        else:
            _add_blocks(writer, text_blocks(item.text), level=0)


def _add_item(
    writer: _Writer,
    item: Item,
    kind: ListKind,
    lead: tuple[Run, ...] = (),
    tail: tuple[Run, ...] = (),
) -> None:
    """One list item of the letter; the snippet's own blocks continue it, one level in."""
    first, *rest = text_blocks(item.text) or [Block(())]
    if rest:
        rest[-1] = Block((*rest[-1].runs, *tail), rest[-1].kind, rest[-1].depth)
    else:
        first = Block((*first.runs, *tail))
    writer.paragraph(_LIST_STYLES[kind], (*lead, *first.runs))
    _add_blocks(writer, rest, level=1)


def _add_blocks(writer: _Writer, blocks: Iterable[Block], level: int) -> None:
    for block in blocks:
        depth = level + block.depth
        if block.kind is None:
            style = "List Continue" if level else "Normal"
        else:
            style = _LIST_STYLES[block.kind] + (f" {min(depth, 2) + 1}" if depth else "")
        writer.paragraph(style, block.runs)


def _add_runs(paragraph: Paragraph, runs: Iterable[Run]) -> None:
    for run in runs:
        added = paragraph.add_run(run.text)
        if run.bold:
            added.bold = True
        if run.italic:
            added.italic = True


def _add_evidence_table(document: DocxDocument, section: Section) -> None:
    rows = [TABLE_HEADER, *(evidence_cells(item) for item in section.items)]
    table = document.add_table(rows=len(rows), cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    page = document.sections[-1]
    text_width = (page.page_width or 0) - (page.left_margin or 0) - (page.right_margin or 0)
    widths = [Emu(int(text_width * share)) for share in TABLE_SHARES]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # LibreOffice reads the grid's widths, Word each cell's
    for number, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = width
            cell.paragraphs[0].add_run(text).bold = number == 0 or None


def evidence_cells(item: Item) -> tuple[str, str, str, str]:
    """The supporting-documents table row of one document: title, date, what it covers, file."""
    doc = item.entry
    covers = ", ".join([*doc.asins, *doc.orders, *doc.complaints])
    file = visible(doc.file) if doc.file else ""
    return item.text.plain(), format_value(doc.date) if doc.date else "", covers, file


def _add_signature(document: DocxDocument, letter: Letter) -> None:
    name, title, business = (visible(part) for part in letter.signature)
    paragraph = document.add_paragraph()
    paragraph.add_run(name).add_break()
    paragraph.add_run(f"{title}, {business}")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry stamped `ZIP_TIMESTAMP`, in the same order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3  # Unix, whatever machine builds it
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry))
    return out.getvalue()
