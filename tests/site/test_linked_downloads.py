"""A built site's downloads are the cache's files, hard-linked (no copy of two thousand files
on a warm build), readable by all as any new file; a download changed in place in a built site
changes the cache's file too, which the next build finds damaged and makes again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sites import build, copy_sources

from poakit import fileio

pytestmark = pytest.mark.site


def _downloads(site: Path) -> list[Path]:
    return sorted(p for p in (site / "cases").rglob("*") if p.suffix in (".docx", ".txt"))


def test_downloads_are_links_to_the_cache_and_a_damaged_one_is_made_again(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    site = tmp_path / "site"
    result = build(root, site)
    assert result.returncode == 0, result.stderr
    blobs = {p.stat().st_ino: p for p in (root / ".cache" / "poakit").rglob("*") if p.is_file()}
    downloads = _downloads(site)
    assert len(downloads) >= 18  # a text and a DOCX for each shipped case
    made = {p: p.read_bytes() for p in downloads}
    for path in downloads:
        assert path.stat().st_ino in blobs, path
        assert stat.S_IMODE(path.stat().st_mode) == fileio.new_file_mode()
    damaged = next(p for p in downloads if p.suffix == ".txt")
    with damaged.open("r+b") as out:  # in place: the cache's file changes with it
        out.write(b"DAMAGED")
    assert blobs[damaged.stat().st_ino].read_bytes().startswith(b"DAMAGED")
    result = build(root, site)
    assert result.returncode == 0, result.stderr
    assert {p: p.read_bytes() for p in _downloads(site)} == made
    assert not any(b"DAMAGED" in p.read_bytes() for p in _downloads(site))
    assert all(os.path.exists(p) for p in made)
