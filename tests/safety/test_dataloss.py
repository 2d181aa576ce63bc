"""No data loss: exports never overwrite by accident, a crash mid-write leaves nothing behind,
and reading commands never touch the sources. Plus dependency hygiene (`pip check`).

`poa render --output` writes through `fileio.write_atomic`: a temporary file in the target
folder, flushed and fsynced, then linked (or, with --force, renamed) into place. The crash
tests make each step fail in turn and look at the folder afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from poakit import fileio
from poakit.cli.main import main
from poakit.errors import UsageError

PRECIOUS = b"the consultant's edited letter, not to be lost\n"


def _render(mini: Path, *extra: str) -> int:
    return main(["--root", str(mini), "render", "acme", "--format", "text", *extra])


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_render_never_overwrites_without_force(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "letter.txt"
    target.write_bytes(PRECIOUS)
    assert _render(mini, "-o", str(target)) == 2
    assert capsys.readouterr().err == (
        f"poa: error: {target} already exists; choose another name or pass --force to replace it\n"
    )
    assert target.read_bytes() == PRECIOUS
    assert _listing(tmp_path) == ["letter.txt", "mini"]


def test_render_with_force_replaces_the_file_whole(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "letter.txt"
    target.write_bytes(PRECIOUS)
    assert _render(mini, "-o", str(target), "--force") == 0
    assert _render(mini) == 0
    stdout = capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == stdout
    assert _listing(tmp_path) == ["letter.txt", "mini"]


def test_force_replaces_a_link_never_the_file_it_points_to(mini: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(PRECIOUS)
    (tmp_path / "letter.txt").symlink_to(elsewhere)
    assert _render(mini, "-o", str(tmp_path / "letter.txt")) == 2
    assert _render(mini, "-o", str(tmp_path / "letter.txt"), "--force") == 0
    assert elsewhere.read_bytes() == PRECIOUS
    assert not (tmp_path / "letter.txt").is_symlink()


def test_a_dangling_link_is_not_written_through(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "letter.txt").symlink_to(tmp_path / "nowhere.txt")
    assert _render(mini, "-o", str(tmp_path / "letter.txt")) == 2
    assert not (tmp_path / "nowhere.txt").exists()


@pytest.mark.parametrize("step", ["fsync", "link", "write"])
def test_a_crash_mid_write_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if step == "write":
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FailingFile(a[0]))
    else:
        monkeypatch.setattr(os, step, full_disk)
    with pytest.raises(UsageError) as caught:
        fileio.write_atomic(tmp_path / "letter.txt", b"new")
    assert str(caught.value) == f"cannot write {tmp_path / 'letter.txt'}: No space left on device"
    assert _listing(tmp_path) == []


class _FailingFile:
    """A file whose write fails half-way, as on a full disk."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def write(self, data: bytes) -> None:
        os.write(self.fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_crash_during_a_forced_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "letter.txt"
    target.write_bytes(PRECIOUS)

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, step, crash)
    with pytest.raises(UsageError):
        fileio.write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == PRECIOUS
    assert _listing(tmp_path) == ["letter.txt"]


def test_an_interrupt_mid_write_leaves_nothing(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    assert _render(mini, "-o", str(tmp_path / "letter.txt")) == 130
    assert capsys.readouterr().err == "poa: interrupted\n"
    assert _listing(tmp_path) == ["mini"]


def test_a_crash_through_the_command_is_a_message_not_a_traceback(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    assert _render(mini, "-o", str(tmp_path / "letter.txt")) == 2
    target = tmp_path / "letter.txt"
    assert (
        capsys.readouterr().err == f"poa: error: cannot write {target}: No space left on device\n"
    )


def test_writing_into_a_missing_folder_or_onto_a_folder_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "letter.txt"
    with pytest.raises(UsageError) as caught:
        fileio.write_atomic(missing, b"x")
    assert (
        str(caught.value) == f"cannot write {missing}: the folder {missing.parent} does not exist"
    )
    with pytest.raises(UsageError) as caught:
        fileio.write_atomic(tmp_path, b"x")
    assert str(caught.value) == f"{tmp_path} is a folder; give a file name"
    assert _listing(tmp_path) == []


def _tree(*folders: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_check_and_render_never_touch_the_sources(mini: Path, tmp_path: Path) -> None:
    (mini / "cases" / "broken.yaml").write_text("visibility: public\nseller: [\n")
    before = _tree(mini / "cases", mini / "snippets")
    listing = _listing(mini)
    assert main(["--root", str(mini), "check"]) == 1
    assert _render(mini, "-o", str(tmp_path / "letter.txt")) == 0
    assert main(["--root", str(mini), "render", "broken"]) == 1
    assert _tree(mini / "cases", mini / "snippets") == before
    # The one thing a check adds: its cache (.cache/poakit, git-ignored), never beside sources.
    assert _listing(mini) == sorted([*listing, ".cache"])
    assert _listing(mini / ".cache") == ["poakit"]


def test_the_installed_packages_have_compatible_versions() -> None:
    """`pip check`: every installed distribution's requirements are met by the others."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- a whole folder (`poa stage`) ----------------------------------------------------------------


def test_a_folder_is_written_whole_and_replaced_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "out"
    fileio.write_folder_atomic(target, {"a.txt": b"one", "sub/b.txt": b"two"})
    assert (target / "sub" / "b.txt").read_bytes() == b"two"
    with pytest.raises(UsageError, match="already exists; pass --force to replace it"):
        fileio.write_folder_atomic(target, {"c.txt": b"three"})
    fileio.write_folder_atomic(target, {"c.txt": b"three"}, overwrite=True)
    assert sorted(p.name for p in target.rglob("*")) == ["c.txt"]
    assert _listing(tmp_path) == ["out"]


def test_a_crash_mid_folder_keeps_the_old_folder_and_leaves_no_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    fileio.write_folder_atomic(target, {"a.txt": PRECIOUS})
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if self.name == "b.txt":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(UsageError, match=r"cannot write .*out: No space left on device"):
        fileio.write_folder_atomic(target, {"a.txt": b"new", "b.txt": b"new"}, overwrite=True)
    assert (target / "a.txt").read_bytes() == PRECIOUS
    assert _listing(tmp_path) == ["out"]


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/escape.txt", ""])
def test_a_folder_holds_only_paths_inside_it(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="not a path inside the folder"):
        fileio.write_folder_atomic(tmp_path / "out", {name: b"x"})
    assert _listing(tmp_path) == []
