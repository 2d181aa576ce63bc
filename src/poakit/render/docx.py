"""The letter as a Word document, to attach to the appeal.

Section titles in Heading 1, root causes in List Number, measures in List Bullet (lists inside
a snippet one level deeper), the supporting documents in a table, the signature last. Case
values go in as plain runs, never parsed; the snippet's own **bold** and *italic* become run
formatting.

python-docx makes the parts every letter shares, once a process: its default template cut
down to the styles a letter uses (styles, numbering, settings, theme, fonts, content types,
relationships). The two parts that change, word/document.xml and docProps/core.xml, are
written here as text, and the archive is put together from the shared parts compressed once:
building each run through python-docx's XML layer cost some 18 ms a letter, and a site build
writes a DOCX for every case.

The bytes are deterministic: the core properties are fixed (dated from the notice), every zip
entry carries the same timestamp and the entries keep one order, so the same case always
gives the same file.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..letter.letter import Item, Letter, Section
from ..model.values import format_value
from ..templating.escape import visible
from .runs import Block, ListKind, Run, text_blocks

TITLE = "Plan of Action"
TABLE_HEADER = ("Document", "Date", "Covers", "File")
TABLE_SHARES = (0.4, 0.16, 0.24, 0.2)  # of the text width: titles need the most room
# DOS timestamps start in 1980: the earliest one every zip reader accepts.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

_LIST_STYLES: dict[ListKind, str] = {"bullet": "List Bullet", "number": "List Number"}
_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"


def letter_docx(letter: Letter) -> bytes:
    """The letter as the bytes of a .docx file."""
    parts = _parts()
    writer = _Writer(parts)
    writer.paragraph("Title", (Run(f"{TITLE}: {visible(letter.case.seller.name)}"),))
    for section in letter.sections:
        _add_section(writer, letter, section)
    _add_signature(writer, letter)
    made = {
        _DOCUMENT: parts.document_head + "".join(writer.out) + parts.document_tail,
        _CORE: _core_xml(letter),
    }
    return _zip(
        _Entry.of(name, made[name].encode("utf-8")) if name in made else entry
        for name, entry in parts.entries
    )


# -- XML text ------------------------------------------------------------------------------------

# What XML 1.0 cannot hold at all. Case values reach here through visible(), which shows
# control characters as their Unicode pictures; this catches the rest (non-characters, and
# anything a caller forgot), so no value can make the document unreadable or the export fail.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    """`value` as XML character data: markup escaped, characters XML forbids replaced."""
    if _NOT_XML.search(value):
        value = _NOT_XML.sub(_replacement, value)
    # (Three replace() calls run several times faster than one str.translate.)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    return visible(char) if char < " " else "\ufffd"


# Tabs and line breaks are elements of their own in a run, as python-docx's `run.text` made
# them: a value typed with a tab or a newline keeps it.
_RUN_BREAKS = re.compile(r"([\t\r\n])")
_BREAK_TAGS = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}


def _run_xml(run: Run) -> str:
    props = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
    body = _run_body(run.text)
    return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>" if props else f"<w:r>{body}</w:r>"


def _run_body(text: str) -> str:
    if not _RUN_BREAKS.search(text):
        return _text_element(text) if text else ""
    pieces = _RUN_BREAKS.split(text)
    return "".join(_BREAK_TAGS.get(piece) or _text_element(piece) for piece in pieces if piece)


def _text_element(text: str) -> str:
    # Word drops a text element's leading and trailing spaces unless told to keep them.
    space = ' xml:space="preserve"' if text.strip() != text else ""
    return f"<w:t{space}>{_xml_text(text)}</w:t>"


# -- the shared parts, made once -----------------------------------------------------------------

# Parts of python-docx's template that a letter does not need: a Word 2010 copy of the styles
# and a thumbnail of an empty page, which file browsers would show as the letter's preview.
_UNUSED_PARTS = ("/relationships/stylesWithEffects", "/relationships/metadata/thumbnail")
# The styles a letter uses; those they are based on or linked to are kept with them.
_USED_STYLES = (
    *("Title", "Heading 1", "List Continue", "Table Grid"),
    *(f"List {kind}{level}" for kind in ("Bullet", "Number") for level in ("", " 2", " 3")),
)


@dataclass(frozen=True)
class _Entry:
    """A zip entry, compressed once: the shared parts are stored this way for every letter."""

    name: bytes
    crc: int
    size: int
    deflated: bytes

    @classmethod
    def of(cls, name: str, data: bytes) -> _Entry:
        # The compressor zipfile uses, so the bytes are those zipfile would write.
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        return cls(name.encode("utf-8"), zlib.crc32(data), len(data), deflated)


@dataclass(frozen=True)
class _Parts:
    entries: tuple[tuple[str, _Entry], ...]  # in archive order
    document_head: str  # word/document.xml up to the body's content
    document_tail: str  # the section properties and the closing tags
    style_ids: dict[str, str]  # style name -> id, as paragraphs name them
    column_widths: tuple[int, ...]  # of the evidence table, in twentieths of a point


@functools.cache
def _parts() -> _Parts:
    """The template's parts, ready to zip, and what a letter needs to know of them."""
    template, style_ids, widths = _template()
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        data = {info.filename: archive.read(info) for info in archive.infolist()}
    document = data[_DOCUMENT].decode("utf-8")
    body = document.index("<w:body>") + len("<w:body>")
    section = document.index("<w:sectPr", body)
    if document[body:section]:  # python-docx's blank document is blank
        raise AssertionError(f"the DOCX template's body is not empty: {document[body:section]}")
    return _Parts(
        entries=tuple((name, _Entry.of(name, blob)) for name, blob in data.items()),
        document_head=document[:body],
        document_tail=document[section:],
        style_ids=style_ids,
        column_widths=widths,
    )


def _template() -> tuple[bytes, dict[str, str], tuple[int, ...]]:
    """python-docx's default template cut down to what a letter uses; the ids of the styles
    a letter uses; the evidence table's column widths, in twips.

    The default template defines some 160 styles, most of the bytes of an empty document.
    """
    from docx import Document  # python-docx and lxml load only when a DOCX is made
    from docx.shared import Emu

    document = Document()
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(_UNUSED_PARTS):
                rels.pop(rid)
    style_ids = {name: document.styles[name].style_id for name in _USED_STYLES}
    _keep_only_styles(document.styles.element, set(style_ids.values()))
    page = document.sections[-1]
    text_width = (page.page_width or 0) - (page.left_margin or 0) - (page.right_margin or 0)
    widths = tuple(Emu(int(text_width * share)).twips for share in TABLE_SHARES)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), style_ids, widths


def _keep_only_styles(styles: Any, used: set[str]) -> None:
    """Remove every style but the `used` ids, the defaults, and the styles they build on."""
    from docx.oxml.ns import qn

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


# -- the body ------------------------------------------------------------------------------------


class _Writer:
    """The body of word/document.xml, collected as pieces of text."""

    def __init__(self, parts: _Parts) -> None:
        self.parts = parts
        self.out: list[str] = []

    def paragraph(self, style: str, runs: Iterable[Run]) -> None:
        self.out.append(self._paragraph_start(style))
        self.out.extend(_run_xml(run) for run in runs)
        self.out.append("</w:p>")

    def _paragraph_start(self, style: str) -> str:
        if style == "Normal":
            return "<w:p>"
        return f'<w:p><w:pPr><w:pStyle w:val="{self.parts.style_ids[style]}"/></w:pPr>'

    def table(self, rows: list[tuple[str, ...]]) -> None:
        """A Table Grid table, its first row in bold, each column as wide as the template says.

        LibreOffice reads the grid's widths, Word each cell's: both are written.
        """
        widths = self.parts.column_widths
        self.out.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.parts.style_ids["Table Grid"]}"/>'
            '<w:tblW w:type="auto" w:w="0"/><w:tblLook w:firstColumn="1" w:firstRow="1"'
            ' w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
            "</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
            + "</w:tblGrid>"
        )
        # The other rows' runs carry an empty w:rPr, as the python-docx writer left them: the
        # same bytes as before, so files already published or cached do not change.
        for number, texts in enumerate(rows):
            props = "<w:rPr><w:b/></w:rPr>" if number == 0 else "<w:rPr/>"
            self.out.append("<w:tr>")
            for text, width in zip(texts, widths, strict=True):
                run = f"<w:r>{props}{_run_body(text)}</w:r>"
                self.out.append(
                    f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
                    f"<w:p>{run}</w:p></w:tc>"
                )
            self.out.append("</w:tr>")
        self.out.append("</w:tbl>")


def _add_section(writer: _Writer, letter: Letter, section: Section) -> None:
    if not section.everything:
        return
    if section.title:
        writer.paragraph("Heading 1", (Run(section.title),))
    for item in section.lead:
        _add_blocks(writer, text_blocks(item.text), level=0)
    if not section.items:
        return
    if section.key == "evidence":
        writer.table([TABLE_HEADER, *(evidence_cells(item) for item in section.items)])
        return
    if section.key in ("request", "changes"):
        _add_reply(writer, section)
        return
    for item in section.items:
        if section.key == "root_causes":
            lead = (Run(f"{visible(item.label)}. ", bold=True),) if item.label else ()
            _add_item(writer, item, "number", lead=lead)
        elif section.key in ("corrective_actions", "preventive_measures"):
            note = letter.answer_note(item)
            tail = (Run(f" ({note})", italic=True),) if note else ()
            _add_item(writer, item, "bullet", tail=tail)
        else:
            _add_blocks(writer, text_blocks(item.text), level=0)


def _add_reply(writer: _Writer, section: Section) -> None:
    """The letter part's words, then each point of Amazon's request in bold with its answer
    (numbered by hand: a Word list would carry on into the root causes' numbers), or each
    change since the last letter as a bullet."""
    number = 0
    for item in section.items:
        if item.snippet is not None:
            _add_blocks(writer, text_blocks(item.text), level=0)
        elif item.label is not None:
            number += 1
            writer.paragraph("Normal", (Run(f"{number}. {visible(item.label)}", bold=True),))
            _add_blocks(writer, text_blocks(item.text), level=0)
        else:
            _add_item(writer, item, "bullet")


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


def evidence_cells(item: Item) -> tuple[str, str, str, str]:
    """The supporting-documents table row of one document: title, date, what it covers, file."""
    doc = item.entry
    covers = visible(", ".join(doc.covers_shown))
    file = visible(doc.file) if doc.file else ""
    return item.text.plain(), format_value(doc.date) if doc.date else "", covers, file


def _add_signature(writer: _Writer, letter: Letter) -> None:
    """The name, a line break, then the title and the business, in one paragraph."""
    name, title, business = (visible(part) for part in letter.signature)
    writer.out.append(
        f"<w:p><w:r>{_run_body(name)}<w:br/></w:r>{_run_xml(Run(f'{title}, {business}'))}</w:p>"
    )


# -- docProps/core.xml ---------------------------------------------------------------------------

_CORE_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject>"
    "<dc:creator>{author}</dc:creator><cp:keywords></cp:keywords>"
    "<dc:description></dc:description><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    "<cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
    "<cp:category></cp:category></cp:coreProperties>"
)
# Office keeps at most 255 characters in a text property (python-docx refused longer ones).
_PROPERTY_LENGTH = 255


def _core_xml(letter: Letter) -> str:
    """Core properties from the case only: no clock, no machine, no random id."""
    seller = letter.case.seller

    def prop(value: str) -> str:
        return _xml_text(visible(value)[:_PROPERTY_LENGTH])

    return _CORE_XML.format(
        title=prop(f"{TITLE}: {seller.name}"),
        subject=prop(TITLE),
        author=prop(seller.signatory.name),
        when=f"{letter.case.notice.received.isoformat()}T00:00:00Z",
    )


# -- the archive ---------------------------------------------------------------------------------

# Zip records (PKWARE's APPNOTE), laid out as Python's zipfile writes them: version 2.0, no
# flags, deflated, every entry made on Unix with mode 0644 at ZIP_TIMESTAMP.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20
_UNIX = 3
# Only in the central record: comment length, disk, internal and external attributes.
_CENTRAL_ONLY = (0, 0, 0, 0o644 << 16)
_DOS_TIME = ZIP_TIMESTAMP[3] << 11 | ZIP_TIMESTAMP[4] << 5 | ZIP_TIMESTAMP[5] // 2
_DOS_DATE = (ZIP_TIMESTAMP[0] - 1980) << 9 | ZIP_TIMESTAMP[1] << 5 | ZIP_TIMESTAMP[2]


def _zip(entries: Iterable[_Entry]) -> bytes:
    """The archive of `entries`, in their order."""
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        # In both records: flags, method, time, date, CRC, sizes, name and extra lengths.
        fields = (0, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, entry.crc)
        sizes = (len(entry.deflated), entry.size, len(entry.name), 0)
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *fields, *sizes) + entry.name
        made_by = (b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0)
        central = _CENTRAL.pack(*made_by, *fields, *sizes, *_CENTRAL_ONLY, offset)
        directory.append(central + entry.name)
        out += (local, entry.deflated)
        offset += len(local) + len(entry.deflated)
    listing = b"".join(directory)
    count = len(directory)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(listing), offset, 0)
    return b"".join(out) + listing + end
