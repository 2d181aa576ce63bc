"""Reading a case's evidence folder: the files its upload packet is made of.

Each case's files sit in `<evidence_folder>/<slug>/` (`evidence/<slug>/` unless
`snippets/library.yaml` says otherwise), a git-ignored folder: they are the client's own
documents. Only what the checks need is read here: each file's name, size and first bytes
(which tell a PDF from an image). Hidden files (`.DS_Store`) are left out; a link that leads
out of the folder is noted, never followed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: Enough of a file to recognise its type by its signature.
HEAD_BYTES = 16


@dataclass(frozen=True)
class EvidenceFile:
    """A file of the folder: its path in the folder (`invoices/x.pdf`), size, first bytes."""

    name: str
    path: Path
    size: int
    head: bytes
    outside: bool = False  # a link out of the folder: not read, not packed


@dataclass(frozen=True)
class EvidenceFolder:
    path: Path
    shown: str  # as messages show it, e.g. evidence/acme-home
    files: dict[str, EvidenceFile] = field(default_factory=dict)


def evidence_path(root: Path, setting: str, slug: str) -> Path:
    """The case's evidence folder: `setting` (relative to `root` unless absolute) / slug."""
    return evidence_base(root, setting) / slug


def evidence_base(root: Path, setting: str) -> Path:
    """The folder holding every case's evidence folder: `setting`, relative to `root` unless
    absolute."""
    base = Path(setting).expanduser()
    return base if base.is_absolute() else root / base


def read_folder(path: Path, shown: str) -> EvidenceFolder | None:
    """The folder's files by their path in it; None when there is no such folder."""
    if not path.is_dir():
        return None
    inside = path.resolve()
    files: dict[str, EvidenceFile] = {}
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(n for n in names if not n.startswith(".")):
            file = Path(folder) / name
            relative = file.relative_to(path).as_posix()
            facts = _facts(file, relative, inside)
            if facts is not None:
                files[relative] = facts
    return EvidenceFolder(path, shown, files)


def _facts(file: Path, name: str, inside: Path) -> EvidenceFile | None:
    try:
        if not file.resolve().is_relative_to(inside):
            return EvidenceFile(name, file, 0, b"", outside=True)
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            return None  # a pipe or a device: nothing to attach
        with open(file, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None
    return EvidenceFile(name, file, info.st_size, head)
