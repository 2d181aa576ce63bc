"""Writing files without ever leaving half of one behind or overwriting one by accident."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import UsageError


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    A reader sees the old file or the new one, never a mix; an interrupted write leaves no
    trace. Without `overwrite`, an existing file is an error (and stays untouched). A
    `durable` write reaches the disk before the rename (a user's file); the cache's thousands
    of entries skip that wait, as a lost entry is only made again.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name")
    if not overwrite and path.exists():
        raise UsageError(
            f"{path} already exists; choose another name or pass --force to replace it"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        _write_through_temporary(path, folder, data, overwrite, durable)
    except FileExistsError:
        raise UsageError(f"{path} already exists; choose another name") from None
    except OSError as exc:  # a full disk, a read-only folder: a message, not a traceback
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_through_temporary(
    path: Path, folder: Path, data: bytes, overwrite: bool, durable: bool
) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            # link() fails if the name appeared meanwhile: never clobber a file written by
            # someone else between our check and our write.
            os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
