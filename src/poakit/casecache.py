"""Checked cases and the files made from them, kept on disk between runs.

Checking a case (reading its YAML, assembling and reviewing its letter) and making its page,
text and DOCX cost some 30 ms; a thousand cases cost half a minute on every build. Yet all of
it depends only on:

- the bytes of the case file, and the path messages show for it;
- the snippet library (every byte under snippets/);
- poakit's own code and the libraries that shape its output;
- the review date, but only for a case with a completion or document date after it: two
  checks flag such dates, and name the day. A result is reused on another day only when every
  such date of the case is on or before both days (see `valid_on`), so a new day does not
  make every case be checked again.

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
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .case import Case
from .errors import Finding

#: Bump when the entry layout changes.
FORMAT = 2
#: The file name suffix of a case's checked state.
RECORD = "record"
#: Older generations (of the code or the library) kept besides the current one.
KEPT_GENERATIONS = 3
#: Entries no current case uses are dropped once they are this old (an edit leaves one).
STALE_AFTER_SECONDS = 24 * 3600
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
    """One generation of cached case results: a folder per (code, library)."""

    def __init__(self, folder: Path, library: str) -> None:
        generation = hashlib.blake2b(
            f"{code_fingerprint()}:{library}".encode(), digest_size=12
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

    def forget(self, key: str) -> None:
        """Drop everything kept for `key` (its result no longer holds)."""
        for path in self.path(key, "").parent.glob(f"{key}.*"):
            with contextlib.suppress(OSError):
                path.unlink()

    def drop_unused(self, used: set[str]) -> None:
        """Drop the entries of this generation that no key in `used` names and that are older
        than STALE_AFTER_SECONDS: what earlier versions of edited cases left."""
        limit = time.time() - STALE_AFTER_SECONDS
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*/*"):
                key = path.name.split(".", 1)[0]
                if key not in used and path.stat().st_mtime < limit:
                    path.unlink()

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


@dataclass(frozen=True)
class Record:
    """A case's checked state: the case, its findings, whether its letter was assembled, and
    the review date it was checked on."""

    case: Case | None
    findings: list[Finding]
    assembled: bool
    checked_on: dt.date

    def valid_on(self, today: dt.date) -> bool:
        """Whether checking again on `today` would find the same: the review compares only
        completion and document dates with the day (and names the day when one is after it)."""
        if today == self.checked_on or self.case is None or not self.assembled:
            return True
        case, first = self.case, min(today, self.checked_on)
        dates = [a.done for a in case.corrective_actions] + [d.date for d in case.evidence]
        return all(day is None or day <= first for day in dates)

    def to_bytes(self) -> bytes:
        """Pickle, because a case's free-form `vars` keep their YAML types (a date stays a
        date, and prints as one); the store is as trusted as the project folder it sits in,
        whose hooks MkDocs runs anyway."""
        return pickle.dumps((FORMAT, self), protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(data: bytes) -> Record | None:
        """The record in `data`; None if it is damaged or from another layout."""
        try:
            layout, record = pickle.loads(data)
        except Exception:  # any damage: a truncated file, a class that moved
            return None
        if layout != FORMAT or not isinstance(record, Record):
            return None
        if not (record.case is None or isinstance(record.case, Case)):
            return None
        return record if all(isinstance(f, Finding) for f in record.findings) else None
