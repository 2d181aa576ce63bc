"""The hook `hooks/poakit_search_cache.py`: a build takes a page's search entries from the
cache when it knows the page, and the search index is the one Material would make; a changed
page is parsed again, and a damaged or foreign entry is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import hook_module
from sites import build_script, copy_sources, tree

from poakit.project.cache import Cache

pytestmark = pytest.mark.site

# A build in a fresh interpreter, counting the pages Material's search parses.
_BUILD = """
import sys
from material.plugins.search import plugin
from mkdocs.commands.build import build
from mkdocs.config import load_config

parsed = []
feed = plugin.Parser.feed
def counted(self, data):
    parsed.append(1)
    return feed(self, data)
plugin.Parser.feed = counted
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins.on_startup(command="build", dirty=False)
try:
    build(config)
finally:
    config.plugins.on_shutdown()
print(len(parsed))
"""


def _build(root: Path, site: Path) -> int:
    parsed, result = build_script(_BUILD, root, str(root / "mkdocs.yml"), str(site))
    assert result.returncode == 0, result.stderr
    return int(parsed)


def _index(site: Path) -> bytes:
    return (site / "search" / "search_index.json").read_bytes()


def _without_the_hook(root: Path) -> None:
    config = root / "mkdocs.yml"
    lines = config.read_text().splitlines(keepends=True)
    config.write_text("".join(line for line in lines if "poakit_search_cache" not in line))


def _memo(root: Path) -> Path:
    return Cache(root / ".cache" / "poakit")._entry(hook_module("poakit_search_cache")._KEY)


def test_a_warm_build_parses_no_page_and_indexes_what_material_indexes(tmp_path: Path) -> None:
    plain = copy_sources(tmp_path / "plain")
    _without_the_hook(plain)
    pages = _build(plain, tmp_path / "plain-site")
    assert pages > 20  # the guide and the catalogue
    root = copy_sources(tmp_path / "project")
    assert _build(root, tmp_path / "cold") == pages
    assert _memo(root).is_file()
    assert _build(root, tmp_path / "warm") == 0  # every page's entries from the cache
    expected = tree(tmp_path / "plain-site")
    assert tree(tmp_path / "cold") == expected
    assert tree(tmp_path / "warm") == expected


def test_a_changed_page_is_parsed_again(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    _build(root, tmp_path / "first")
    guide = root / "docs" / "index.md"
    guide.write_text(guide.read_text() + "\nA sentence about quartermaster ledgers.\n")
    assert _build(root, tmp_path / "second") == 1
    assert b"quartermaster ledgers" in _index(tmp_path / "second")
    plain = copy_sources(tmp_path / "plain")
    _without_the_hook(plain)
    (plain / "docs" / "index.md").write_text(guide.read_text())
    _build(plain, tmp_path / "plain-site")
    assert _index(tmp_path / "second") == _index(tmp_path / "plain-site")


@pytest.mark.parametrize("damage", ["flipped", "foreign"])
def test_a_damaged_or_foreign_memo_is_ignored(tmp_path: Path, damage: str) -> None:
    root = copy_sources(tmp_path / "project")
    pages = _build(root, tmp_path / "first")
    memo = _memo(root)
    if damage == "flipped":
        data = bytearray(memo.read_bytes())
        data[-5] ^= 0x20
        memo.write_bytes(bytes(data))
    else:  # verified, but not what the hook writes
        Cache(root / ".cache" / "poakit").put(hook_module("poakit_search_cache")._KEY, b"[1, 2]")
    assert _build(root, tmp_path / "second") == pages  # every page parsed again
    assert _index(tmp_path / "second") == _index(tmp_path / "first")
    assert _build(root, tmp_path / "third") == 0  # and kept again


def test_without_the_cache_every_build_parses_every_page(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  poakit:\n", "  poakit:\n    cache: false\n", 1))
    first = _build(root, tmp_path / "first")
    assert first > 20 and _build(root, tmp_path / "second") == first
    assert not (root / ".cache").exists()
