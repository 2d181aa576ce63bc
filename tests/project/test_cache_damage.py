"""A warm cache damaged four ways, and the shipped site built again: the same bytes as a
build from nothing, with no traceback (the fault test of issue #15).

Before the one cache verified what it read, text changed in its entries ("Plan of Action" to
"Plan of Actio X") published 169 changed files, truncated and emptied files 27 and 29, and
flipped bytes stopped `mkdocs build` with a UnicodeDecodeError.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sites import build, copy_sources

from poakit.source.layout import CACHE_DIR

pytestmark = pytest.mark.site

DAMAGE = {
    "text changed": lambda d: d.replace(b"Plan of Action", b"Plan of Actio X"),
    "truncated": lambda d: d[: len(d) // 2],
    "emptied": lambda d: b"",
    "bytes flipped": lambda d: bytes(b ^ 0xFF for b in d[:16]) + d[16:],
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The shipped site built from an empty cache."""
    base = tmp_path_factory.mktemp("clean")
    root = copy_sources(base / "sources")
    result = build(root, base / "site", env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert result.returncode == 0, result.stderr
    return _tree(base / "site")


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_warm_cache_rebuilds_the_same_site(
    tmp_path: Path, clean: dict[str, bytes], kind: str
) -> None:
    root = copy_sources(tmp_path / "sources")
    env = {"SOURCE_DATE_EPOCH": "1790000000"}
    assert build(root, tmp_path / "warm", env=env).returncode == 0
    damaged = 0
    for path in (root / CACHE_DIR).rglob("*"):
        if path.is_file():
            before = path.read_bytes()
            after = DAMAGE[kind](before)
            if after != before:
                path.write_bytes(after)
                os.utime(path, (path.stat().st_atime, path.stat().st_mtime))
                damaged += 1
    assert damaged > 20
    result = build(root, tmp_path / "rebuilt", env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    rebuilt = _tree(tmp_path / "rebuilt")
    assert sorted(rebuilt) == sorted(clean)
    assert [name for name in clean if rebuilt[name] != clean[name]] == []
