"""Writing files without ever leaving half of one behind or overwriting one by accident."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    A reader sees the old file or the new one, never a mix; an interrupted write leaves no
    trace. Without `overwrite`, an existing file is an error (and stays untouched). A
    `durable` write reaches the disk before the rename (a user's file); the cache's thousands
    of entries skip that wait, as a lost entry is only made again.
    """
    with open_atomic(path, overwrite=overwrite, durable=durable) as out:
        out.write(data)


@contextlib.contextmanager
def open_atomic(path: Path, *, overwrite: bool = False, durable: bool = True) -> Iterator[BinaryIO]:
    """`write_atomic` for what is written piece by piece (an upload packet of many files):
    a binary file to write into, which becomes `path` when the block ends without an error,
    and is removed without a trace when it raises."""
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
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            if durable:
                out.flush()
                os.fsync(out.fileno())
        _publish(temporary, path, overwrite)
    except FileExistsError:
        raise UsageError(f"{path} already exists; choose another name") from None
    except OSError as exc:  # a full disk, a read-only folder: a message, not a traceback
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _publish(temporary: str, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(temporary, path)
    else:
        # link() fails if the name appeared meanwhile: never clobber a file written by
        # someone else between our check and our write.
        os.link(temporary, path)
