"""Files poakit writes get the permissions any program's new file would get (not the owner-only
ones of a temporary file), and a file the site takes from the cache is a hard link to it where
the disk allows, else a copy: never a half of either."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from poakit import fileio


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    fileio.new_file_mode.cache_clear()
    yield request.param
    os.umask(old)
    fileio.new_file_mode.cache_clear()


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], indirect=True)
def test_a_new_file_has_the_permissions_the_umask_gives(tmp_path: Path, umask: int) -> None:
    fileio.write_atomic(tmp_path / "letter.txt", b"text")
    assert _mode(tmp_path / "letter.txt") == 0o666 & ~umask
    with fileio.open_atomic(tmp_path / "packet.zip") as out:
        out.write(b"zip")
    assert _mode(tmp_path / "packet.zip") == 0o666 & ~umask


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(b"old")
    path.chmod(0o640)
    fileio.write_atomic(path, b"new", overwrite=True)
    assert path.read_bytes() == b"new" and _mode(path) == 0o640


def _source(tmp_path: Path, data: bytes = b"a download") -> Path:
    source = tmp_path / "cache" / "blob.docx"
    source.parent.mkdir()
    fileio.write_atomic(source, data)
    return source


def test_a_file_of_the_cache_is_linked_not_copied(tmp_path: Path) -> None:
    source = _source(tmp_path)
    target = tmp_path / "site" / "cases" / "acme" / "acme.docx"
    fileio.link_or_copy(source, target)
    assert os.path.samefile(source, target) and target.read_bytes() == b"a download"
    fileio.link_or_copy(source, target)  # the same file already: left as it is
    assert os.path.samefile(source, target)


def test_an_existing_target_is_replaced(tmp_path: Path) -> None:
    source = _source(tmp_path)
    target = tmp_path / "acme.docx"
    target.write_bytes(b"an older download")
    fileio.link_or_copy(source, target)
    assert os.path.samefile(source, target) and target.read_bytes() == b"a download"


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EPERM, errno.EMLINK])
def test_where_the_disk_cannot_link_the_file_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Another disk (EXDEV), a file system without hard links (EPERM), too many links."""
    source = _source(tmp_path)
    target = tmp_path / "acme.docx"
    target.write_bytes(b"an older download")

    def refuse(*args: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", refuse)
    fileio.link_or_copy(source, target)
    assert not os.path.samefile(source, target) and target.read_bytes() == b"a download"
    assert _mode(target) == fileio.new_file_mode()


@pytest.mark.parametrize("umask", [0o022], indirect=True)
def test_a_source_only_its_owner_may_read_is_copied(tmp_path: Path, umask: int) -> None:
    """A blob of an older cache (owner-only): linked, the site's file would be owner-only too."""
    source = _source(tmp_path)
    source.chmod(0o600)
    target = tmp_path / "acme.docx"
    fileio.link_or_copy(source, target)
    assert not os.path.samefile(source, target) and target.read_bytes() == b"a download"
    assert _mode(target) == fileio.new_file_mode()
