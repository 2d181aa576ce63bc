"""Checks of a case's evidence folder against the documents its letter lists.

They run in `poa check` and `poa packet` whenever the case's evidence folder exists, as
warnings: every file the case names is there, its content is of the type its name says, it
is under the upload limit of `snippets/library.yaml`, its document is dated (so the evidence
window can be checked: `evidence-outside-window`), and no file of the folder is left out.
The folder holds the client's own files and is git-ignored: these findings reach the
terminal, never a site.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from ..errors import Finding, Position, warning
from ..model.case import CaseFile
from ..model.library import Library
from ..source.evidence import EvidenceFile, EvidenceFolder
from .structure import accepted_types

RULES: dict[str, str] = {
    "evidence-file-missing": "a document's file is not in the case's evidence folder",
    "evidence-file-content": "a file whose content is not of the type its name says",
    "evidence-file-size": "a file over the upload limit in snippets/library.yaml",
    "evidence-file-undated": "a document with a file but no date (the window cannot be checked)",
    "evidence-file-unlisted": "a file of the evidence folder that no document lists",
}

# The first bytes of each type Amazon's notices name, and how to call it.
_SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("a PDF", (b"%PDF-",)),
    "png": ("a PNG image", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("a JPEG image", (b"\xff\xd8\xff",)),
    "jpeg": ("a JPEG image", (b"\xff\xd8\xff",)),
    "pjpeg": ("a JPEG image", (b"\xff\xd8\xff",)),
    "gif": ("a GIF image", (b"GIF87a", b"GIF89a")),
    "tiff": ("a TIFF image", (b"II*\x00", b"MM\x00*")),
    "tif": ("a TIFF image", (b"II*\x00", b"MM\x00*")),
}


def listed_name(file: str) -> str | None:
    """A document's `file` as a path inside the evidence folder; None if it leads out."""
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path.as_posix()


def attachment_findings(
    case_file: CaseFile, library: Library, folder: EvidenceFolder
) -> list[Finding]:
    """Every problem of the folder against the case, the case's silenced rules left out."""
    found = [*_listed(case_file, library, folder), *_unlisted(case_file, folder)]
    quiet = case_file.case.silenced_rules
    return [f for f in found if f.rule not in quiet]


def _listed(case_file: CaseFile, library: Library, folder: EvidenceFolder) -> Iterator[Finding]:
    limit = library.settings.upload_limit.max_bytes
    accepted = accepted_types(case_file.case, library)
    for n, document in enumerate(case_file.case.evidence):
        if document.file is None:
            continue
        where = case_file.position("evidence", n, "file")
        name = listed_name(document.file)
        file = folder.files.get(name) if name is not None else None
        if file is None or file.outside:
            yield _missing(where, document.file, name, file, folder)
            continue
        if limit is not None and file.size > limit:
            yield warning(
                where,
                f"file '{document.file}' is {size_text(file.size)}, over the upload limit of "
                f"{size_text(limit)} (upload_limit in snippets/library.yaml)",
                "evidence-file-size",
                "compress it, or split it into parts each under the limit",
            )
        problem = _content_problem(file, accepted)
        if problem is not None:
            yield warning(where, f"file '{document.file}' {problem}", "evidence-file-content", _fix)
        if document.date is None:
            yield warning(
                case_file.position("evidence", n),
                f"document '{document.title}' has a file but no date, so the "
                f"{case_file.case.notice.evidence_window_days}-day evidence window cannot be "
                "checked",
                "evidence-file-undated",
                "add date: YYYY-MM-DD, the date the document bears",
            )


_fix = "export the file again in the type its name says, or rename it to match its content"


def _missing(
    where: Position,
    listed: str,
    name: str | None,
    file: EvidenceFile | None,
    folder: EvidenceFolder,
) -> Finding:
    if name is None:
        message, fix = f"file '{listed}' leads out of the evidence folder", None
    elif file is not None:
        message, fix = f"file '{listed}' is a link out of the evidence folder {folder.shown}", None
    else:
        message = f"file '{listed}' is not in the evidence folder {folder.shown}"
        fix = "put the file there, or correct its name"
        same = [n for n in folder.files if n.lower() == name.lower()]
        if same:
            fix = f"did you mean '{same[0]}'? (names differ in capitals)"
    fix = fix or "keep the evidence files inside the case's evidence folder"
    return warning(where, message, "evidence-file-missing", fix)


def _content_problem(file: EvidenceFile, accepted: set[str]) -> str | None:
    suffix = PurePosixPath(file.name).suffix.lower().lstrip(".")
    if suffix not in _SIGNATURES:
        return None  # a type poakit cannot recognise: only its name is checked
    said, signatures = _SIGNATURES[suffix]
    if file.head.startswith(signatures):
        return None
    if file.size == 0:
        return "is empty"
    actual = next(
        (
            label
            for kind, (label, marks) in _SIGNATURES.items()
            if kind in accepted and file.head.startswith(marks)
        ),
        None,
    )
    if actual is None:
        return f"is not {said} (its first bytes match no type poakit recognises)"
    return f"is not {said}: its content is {actual}"


def _unlisted(case_file: CaseFile, folder: EvidenceFolder) -> Iterator[Finding]:
    listed = {listed_name(d.file) for d in case_file.case.evidence if d.file is not None} - {None}
    where = case_file.position("evidence", key=True)
    for name in folder.files:
        if name not in listed:
            yield warning(
                where,
                f"{folder.shown}/{name} is in the evidence folder, but no document lists it",
                "evidence-file-unlisted",
                f"add a document with file: {name}, or move the file out of the folder",
            )


def size_text(n: int) -> str:
    """Decimal units, as upload forms count them: 10 MB is 10,000,000 bytes."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"
