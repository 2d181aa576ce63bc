"""Checked cases and the files made from them, kept on disk between runs.

Checking a case (reading its YAML, assembling and reviewing its letter) and making its page,
text and DOCX cost some 30 ms; a thousand cases cost half a minute on every build. Yet all of
it depends only on:

- the bytes of the case file, and the path messages show for it;
- the snippet library (every byte under snippets/);
- the review date (checks compare dates with it);
- poakit's own code and the libraries that shape its output.

`CaseStore` keeps each case's result under a key made of exactly these, the way linters keep
their caches: change any of them and the key changes, so a stale result is never read. An
entry that cannot be read (a crash mid-write, a hand edit) is treated as missing, and every
write is atomic, so a cache never turns into an error; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from .case import Case
from .errors import Finding

#: Bump when the entry layout changes.
FORMAT = 1
#: The file name suffix of a case's checked state.
RECORD = "record"
#: Older generations (code, library or review date) kept besides the current one.
KEPT_GENERATIONS = 3
#: Libraries whose versions change what a case turns into.
_SHAPING = ("poakit", "pydantic", "pydantic-core", "jinja2", "pyyaml", "python-docx")


@functools.cache
def code_fingerprint() -> str:
    """poakit's own source, and the versions of the libraries that shape its output."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for name in _SHAPING:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\0".encode())
    digest.update(f"{sys.version_info[:2]}:{FORMAT}".encode())
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """Every file under `folder`, by relative path and content."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class CaseStore:
    """One generation of cached case results: a folder per (code, library, review date)."""

    def __init__(self, folder: Path, library: str, today: dt.date) -> None:
        generation = hashlib.blake2b(
            f"{code_fingerprint()}:{library}:{today.isoformat()}".encode(), digest_size=12
        ).hexdigest()
        self.base = folder / "cases"
        self.folder = self.base / generation

    def key(self, display: str, data: bytes) -> str:
        digest = hashlib.blake2b(display.encode("utf-8") + b"\0", digest_size=16)
        digest.update(data)
        return digest.hexdigest()

    def path(self, key: str, name: str) -> Path:
        """Where the file `name` made from the case `key` is kept."""
        return self.folder / key[:2] / f"{key}.{name}"

    def read(self, key: str) -> bytes | None:
        """The stored record of `key` (see `record_of`), or None."""
        try:
            return self.path(key, RECORD).read_bytes()
        except OSError:
            return None

    def write(self, key: str, name: str, data: bytes) -> Path | None:
        """Keep `data` as the file `name` of `key`; None when the cache cannot be written."""
        target = self.path(key, name)
        return target if keep(target, data) else None

    def prune(self) -> None:
        """Drop all but the most recently used generations (this one included)."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)
            generations = sorted(
                (p for p in self.base.iterdir() if p.is_dir()),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            for old in generations[KEPT_GENERATIONS:]:
                shutil.rmtree(old, ignore_errors=True)


def keep(target: Path, data: bytes) -> bool:
    """Write a cache file atomically (a reader never sees half of one); False when it cannot
    be written, which only makes the next run slower."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return False
    return True


def record_of(case: Case | None, findings: list[Finding], assembled: bool) -> bytes:
    """A case's checked state as bytes. Pickle, because a case's free-form `vars` keep their
    YAML types (a date stays a date, and prints as one); the store is as trusted as the
    project folder it sits in, whose hooks MkDocs runs anyway."""
    return pickle.dumps((FORMAT, case, findings, assembled), protocol=pickle.HIGHEST_PROTOCOL)


def parse_record(data: bytes) -> tuple[Case | None, list[Finding], bool] | None:
    """The case, findings and "letter assembled" of a stored record; None if it is damaged
    or from another layout."""
    try:
        layout, case, findings, assembled = pickle.loads(data)
    except Exception:  # any damage: a truncated file, a class that moved
        return None
    if layout != FORMAT or not (case is None or isinstance(case, Case)):
        return None
    if not all(isinstance(f, Finding) for f in findings):
        return None
    return case, list(findings), bool(assembled)
