"""Writing files, and folders of them, without ever leaving half of one behind or overwriting
one by accident."""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
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
        os.fchmod(handle, _mode_for(path))  # mkstemp makes a file only its owner may read
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


def _mode_for(path: Path) -> int:
    """The permissions of a file written at `path`: those of the file it replaces, else what
    `open()` would give a new file (rw for all, less the umask)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return new_file_mode()


@functools.cache
def new_file_mode() -> int:
    """What `open()` gives a new file: 0o666 less the process's umask (read once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def link_or_copy(source: Path, target: Path) -> None:
    """`target` made the same file as `source` (a hard link: no copy, no new data on the
    disk) where the disk allows it and `source` has a new file's permissions; else a copy.
    An existing `target` is replaced. For derived output only: the two names share their
    content, so writing into one in place changes both."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if stat.S_IMODE(os.stat(source).st_mode) == new_file_mode():
            with contextlib.suppress(FileNotFoundError):
                if os.path.samefile(source, target):
                    return
                os.unlink(target)
            os.link(source, target)
            return
    shutil.copyfile(source, target)  # another disk, no hard links there, or too many


def _publish(temporary: str, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(temporary, path)
    else:
        # link() fails if the name appeared meanwhile: never clobber a file written by
        # someone else between our check and our write.
        os.link(temporary, path)


def write_folder_atomic(path: Path, files: Mapping[str, bytes], *, overwrite: bool = False) -> None:
    """Write a whole folder: `files` (relative POSIX paths to their bytes) into a new folder
    beside `path`, which then takes the place of `path` by renaming.

    A reader sees the old folder or the new one, never a mix: an interrupted run leaves a
    hidden `.NAME.*.tmp` folder beside it and `path` as it was. Without `overwrite`, an existing
    `path` is an error; with it, the old folder and everything in it is deleted once the new
    one is in place (the caller decides which folders may go). The files are derived output:
    written without waiting for the disk, with the usual permissions.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise UsageError(f"{path} already exists; pass --force to replace it")
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} is a file; give a folder")
    token = secrets.token_hex(4)
    scratch = path.with_name(f".{path.name}.{token}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.mkdir()
        for name, data in files.items():
            parts = PurePosixPath(name).parts
            if not parts or name.startswith("/") or ".." in parts:
                raise ValueError(f"not a path inside the folder: {name!r}")
            target = scratch.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if path.exists():
            old = path.with_name(f".{path.name}.{token}.old")
            os.rename(path, old)
            os.rename(scratch, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(scratch, path)
    except OSError as exc:  # a full disk, a read-only folder: a message, not a traceback
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
