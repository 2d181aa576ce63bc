"""The upload packet of a case (`poa packet`), and the checks of its evidence folder.

The packet is one zip file: an index, the letter as text and as a Word document, and every
file the case's supporting documents name, taken from its evidence folder
(`<evidence_folder>/<slug>/`, git-ignored) and numbered in the letter's order. It is
written atomically, never over a file without `--force`, and never into the site's sources
or output: the evidence is the client's own, and a site build never reads the folder.

`attachment_check` runs the folder's checks (`review.attachments`) for `poa check`.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from ..errors import Finding, InputError, Level, UsageError, error
from ..fileio import open_atomic
from ..letter.letter import Letter
from ..model.case import CaseFile, Evidence
from ..model.library import Library
from ..model.values import format_date
from ..render import render_letter
from ..render.docx import ZIP_TIMESTAMP
from ..review.attachments import attachment_findings, listed_name, size_text
from ..source.case import load_case
from ..source.evidence import EvidenceFolder, evidence_path, read_folder
from ..source.layout import display_path, refuse_site_folders
from ..templating.escape import visible
from .load import CaseResult

LETTER_NAME = "plan-of-action"
INDEX_NAME = "index.txt"


def evidence_folder(
    root: Path, library: Library, slug: str, base: Path | None = None
) -> EvidenceFolder:
    """The case's evidence folder as read now (an empty one when it does not exist)."""
    path = evidence_path(root, library.settings.evidence_folder, slug)
    shown = display_path(path, base)
    return read_folder(path, shown) or EvidenceFolder(path, shown)


def attachment_check(
    root: Path, library: Library, result: CaseResult, base: Path | None = None
) -> list[Finding]:
    """`poa check`'s warnings about the case's evidence folder, when the folder exists."""
    if result.file is None:  # a case that did not load, or one read back with no folder
        return []
    path = evidence_path(root, library.settings.evidence_folder, result.slug)
    if not path.is_dir():
        return []
    case_file = result.file
    if case_file.source.data is None:  # read back from the cache: positions are needed
        try:
            case_file = load_case(result.path, result.display)
        except InputError:
            return []
    return attachment_findings(
        case_file, library, evidence_folder(root, library, result.slug, base)
    )


# -- the packet ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    """One evidence file in the packet: its name there, the file, the documents naming it."""

    member: str
    path: Path
    size: int
    documents: tuple[Evidence, ...]


@dataclass(frozen=True)
class Packet:
    letter: Letter
    folder: EvidenceFolder
    attachments: tuple[Attachment, ...]
    unattached: tuple[Evidence, ...]  # documents that name no file
    warnings: tuple[Finding, ...]


def plan_packet(
    root: Path, library: Library, result: CaseResult, base: Path | None = None
) -> Packet:
    """What the packet of a checked case holds; `InputError` when a file it names is
    missing (the packet would be incomplete)."""
    letter = result.letter
    if letter is None:
        raise InputError(result.errors)
    folder = evidence_folder(root, library, result.slug, base)
    findings = attachment_findings(letter.case_file, library, folder)
    missing = [f for f in findings if f.rule == "evidence-file-missing"]
    if missing:
        raise InputError([error(f.position, f.message, f.rule, f.fix) for f in missing])
    window = [f for f in result.findings if f.rule.startswith("evidence-")]
    warnings = [f for f in (*window, *findings) if f.level is Level.WARNING]
    attachments, unattached = _attachments(letter.case_file, folder)
    return Packet(letter, folder, attachments, unattached, tuple(warnings))


def _attachments(
    case_file: CaseFile, folder: EvidenceFolder
) -> tuple[tuple[Attachment, ...], tuple[Evidence, ...]]:
    """Each named file once, numbered in the order the letter lists its documents."""
    named: dict[str, list[Evidence]] = {}
    unattached = []
    for document in case_file.case.evidence:
        name = listed_name(document.file) if document.file else None
        if name is None:
            unattached.append(document)
        else:
            named.setdefault(name, []).append(document)
    digits = max(2, len(str(len(named))))
    attachments = tuple(
        Attachment(_member(n, name, digits), folder.files[name].path, folder.files[name].size,
                   tuple(documents))
        for n, (name, documents) in enumerate(named.items(), start=1)
    )  # fmt: skip
    return attachments, tuple(unattached)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _member(number: int, name: str, digits: int) -> str:
    """`03-invoices.pdf`: the number, then the file's own name with only safe characters (a
    zip entry name never holds a folder, `..` or a character an unzip tool could misread)."""
    safe = _UNSAFE.sub("-", PurePosixPath(name).name).strip("-.") or "file"
    return f"{number:0{digits}d}-{safe}"


def check_output(output: Path, root: Path, folder: EvidenceFolder) -> None:
    """Refuse a packet path inside the site's sources or output, or in the evidence folder."""
    if output.suffix.lower() != ".zip":
        raise UsageError(f"--output names the packet, a .zip file (not {output.name})")
    refuse_site_folders(output, root, "a packet")
    if output.absolute().resolve().is_relative_to(folder.path.resolve()):
        raise UsageError(
            f"{output} is inside the evidence folder {folder.shown}; write it elsewhere"
        )


def write_packet(packet: Packet, library: Library, output: Path, *, overwrite: bool) -> None:
    """The zip file, written atomically; the same inputs give the same bytes."""
    with open_atomic(output, overwrite=overwrite) as out, zipfile.ZipFile(out, "w") as archive:
        for name, data in _members(packet, library):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as member:
                if isinstance(data, Path):
                    _copy(data, member)
                else:
                    member.write(data)


def _members(packet: Packet, library: Library) -> Iterator[tuple[str, bytes | Path]]:
    yield INDEX_NAME, index_text(packet, library).encode("utf-8")
    yield f"{LETTER_NAME}.txt", render_letter(packet.letter, "text")
    yield f"{LETTER_NAME}.docx", render_letter(packet.letter, "docx")
    for attachment in packet.attachments:
        yield attachment.member, attachment.path


def _copy(path: Path, member: IO[bytes]) -> None:
    try:
        with open(path, "rb") as source:
            while chunk := source.read(1 << 20):
                member.write(chunk)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def index_text(packet: Packet, library: Library) -> str:
    """The packet's index: what each file is, in the letter's order, with its digest."""
    from .. import __version__  # read when asked for (poakit/__init__.py)

    case = packet.letter.case
    notice = case.notice
    lines = [
        f"Upload packet: {visible(case.seller.name)} ({packet.letter.case_file.slug})",
        f"Notice of {format_date(notice.received)}; evidence window "
        f"{notice.evidence_window_days} days. Made by poakit {__version__}.",
        "",
        "Letter",
        f"  {LETTER_NAME}.txt   the Plan of Action as text, to paste into the appeal form",
        f"  {LETTER_NAME}.docx  the Plan of Action as a Word document, to attach",
        "",
        "Supporting documents, in the order the letter lists them",
    ]
    for attachment in packet.attachments:
        lines += _attachment_lines(attachment)
    if not packet.attachments:
        lines.append("  (none: no document names a file)")
    if packet.unattached:
        lines += ["", "Listed in the letter, with no file"]
        lines += [f"  - {visible(d.title)}" for d in packet.unattached]
    lines += ["", *_limit_lines(library)]
    return "\n".join(lines) + "\n"


def _attachment_lines(attachment: Attachment) -> Sequence[str]:
    first = attachment.documents[0]
    lines = [f"  {attachment.member}"]
    lines += [f"      {visible(d.title)}" for d in attachment.documents]
    facts = [format_date(first.date)] if first.date else ["undated"]
    facts.append(size_text(attachment.size))
    facts.append(f"from {visible(first.file or '')}")
    lines.append("      " + "; ".join(facts))
    lines.append(f"      SHA-256 {_sha256(attachment.path)}")
    return lines


def _limit_lines(library: Library) -> list[str]:
    limit = library.settings.upload_limit
    if limit.max_bytes is None:
        return ["Upload limit: none set (upload_limit in snippets/library.yaml)."]
    lines = [f"Upload limit used by the checks: {size_text(limit.max_bytes)} a file."]
    lines += [f"  Source: {' '.join(limit.source.split())}"] if limit.source else []
    lines += [f"  Note: {' '.join(limit.note.split())}"] if limit.note else []
    return lines


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as source:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return digest.hexdigest()
