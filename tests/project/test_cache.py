"""The one cache (`poakit.project.cache`): entries and blobs are used only if intact.

A cache that is ever stale or damaged publishes a wrong letter, so every way a file can be
damaged is tried here on both kinds of file: the damaged file counts as missing (and is
removed), never as a value and never as a traceback. The same four kinds of damage applied to
a real warm cache of the shipped site are in tests/project/test_cache_damage.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest

from poakit.project.cache import (
    TIDY_EVERY,
    UNUSED_DAYS,
    BytecodeCache,
    Cache,
    PageBlobs,
    code_fingerprint,
    digest,
    folder_fingerprint,
)

Damage = Callable[[bytes], bytes]
DAMAGE: dict[str, Damage] = {
    "text changed": lambda d: d.replace(b"Plan of Action", b"Plan of Actio X"),
    "truncated": lambda d: d[: len(d) // 2],
    "emptied": lambda d: b"",
    "bytes flipped": lambda d: bytes(b ^ 0xFF for b in d[:8]) + d[8:],
}
BODY = b"This Plan of Action answers the notice of 2 October 2026.\n" * 20


def _damage(path: Path, how: Damage) -> None:
    path.write_bytes(how(path.read_bytes()))


def test_an_entry_reads_back_as_it_was_put(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.get("k" * 32) is None
    assert cache.put("k" * 32, BODY)
    assert cache.get("k" * 32) == BODY


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_entry_is_missing_and_removed(tmp_path: Path, kind: str) -> None:
    cache = Cache(tmp_path)
    cache.put("k" * 32, BODY)
    (entry,) = (tmp_path).rglob("k" * 32)
    _damage(entry, DAMAGE[kind])
    assert cache.get("k" * 32) is None
    assert not entry.exists()


def test_a_blob_is_named_by_its_content_and_handed_out_only_intact(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = cache.blob(BODY, "md")
    assert path is not None and path.read_bytes() == BODY
    assert path.name == f"{digest(BODY)}.md"
    assert cache.blob(BODY, "md") == path  # the same content, the same file
    assert cache.blob_path(digest(BODY), "md") == path


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_blob_is_not_handed_out(tmp_path: Path, kind: str) -> None:
    cache = Cache(tmp_path)
    path = cache.blob(BODY, "md")
    assert path is not None
    _damage(path, DAMAGE[kind])
    assert cache.blob_path(digest(BODY), "md") is None
    assert not path.exists()
    assert cache.blob(BODY, "md") == path and path.read_bytes() == BODY  # made again


def test_an_unchanged_blob_keeps_its_modification_time(tmp_path: Path) -> None:
    """`mkdocs serve --dirty` rebuilds a page whose file is newer than its output."""
    cache = Cache(tmp_path)
    path = cache.blob(BODY, "md")
    assert path is not None
    os.utime(path, (1_000_000, time.time() - 3600))
    before = path.stat().st_mtime
    assert cache.blob(BODY, "md") == path
    assert cache.blob_path(digest(BODY), "md") == path
    assert path.stat().st_mtime == before


def test_an_unwritable_cache_only_makes_things_slower(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    cache = Cache(tmp_path / "cache")
    assert cache.put("k" * 32, BODY) is False
    assert cache.get("k" * 32) is None
    assert cache.blob(BODY) is None


def test_a_cache_that_cannot_be_listed_is_left_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`chmod 000 .cache`: tidying finds nothing it may list, and says nothing."""
    from poakit.project import cache as cache_module

    def unlistable(folder: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(cache_module, "_files", unlistable)
    Cache(tmp_path / "cache").tidy()  # no exception


def test_a_folder_fingerprint_sees_links_and_folders(tmp_path: Path) -> None:
    """A file replaced by a link to the same bytes, or by a folder, is not the same library:
    the check of a link (`snippet-outside`) and of a folder differ from a file's."""
    folder = tmp_path / "snippets"
    folder.mkdir()
    (folder / "a.md").write_text("same bytes\n")
    as_file = folder_fingerprint(folder)
    outside = tmp_path / "a.md"
    outside.write_text("same bytes\n")
    (folder / "a.md").unlink()
    (folder / "a.md").symlink_to(outside)
    as_link = folder_fingerprint(folder)
    (folder / "a.md").unlink()
    (folder / "a.md").mkdir()
    as_folder = folder_fingerprint(folder)
    (folder / "a.md").rmdir()
    assert len({as_file, as_link, as_folder, folder_fingerprint(folder)}) == 4
    (folder / "a.md").write_text("same bytes\n")
    assert folder_fingerprint(folder) == as_file


def test_files_unused_for_days_and_old_generations_are_tidied(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("a" * 32, BODY)
    cache.put("b" * 32, BODY)
    (old,) = tmp_path.rglob("a" * 32)
    long_ago = time.time() - (UNUSED_DAYS + 1) * 86400
    os.utime(old, (long_ago, long_ago))
    for n in range(4):  # folders of earlier generations of the code
        (tmp_path / f"gen{n}").mkdir()
        os.utime(tmp_path / f"gen{n}", (long_ago + n, long_ago + n))
    cache.tidy()
    assert cache.get("a" * 32) is None
    assert cache.get("b" * 32) == BODY
    generations = sorted(p.name for p in tmp_path.iterdir())
    assert generations == sorted([cache.folder.name, "gen2", "gen3"])


def test_a_cache_is_tidied_at_most_once_an_hour(tmp_path: Path) -> None:
    """Every load tidies; only the first in `TIDY_EVERY` seconds lists the cache (a stamp
    file says when), so a preview's rebuilds and a warm `poa check` skip it. A stamp from the
    future (a cache copied from a machine whose clock runs ahead) does not stop tidying."""
    cache = Cache(tmp_path)
    cache.put("a" * 32, BODY)
    (old,) = tmp_path.rglob("a" * 32)
    long_ago = time.time() - (UNUSED_DAYS + 1) * 86400

    def tidied_now() -> bool:
        os.utime(old, (long_ago, long_ago))
        cache.tidy()
        return not old.exists()

    assert tidied_now()
    cache.put("a" * 32, BODY)
    assert not tidied_now()  # within the hour
    stamp = cache.folder / "tidied"
    an_hour_ago = time.time() - TIDY_EVERY - 1
    os.utime(stamp, (an_hour_ago, an_hour_ago))
    assert tidied_now()
    cache.put("a" * 32, BODY)
    tomorrow = time.time() + 86400
    os.utime(stamp, (tomorrow, tomorrow))
    assert tidied_now()


def test_keys_and_the_generation_hold_no_absolute_path(tmp_path: Path) -> None:
    """A cache made in another folder or on another machine is the same cache."""
    assert str(tmp_path) not in code_fingerprint()
    cache = Cache(tmp_path)
    assert cache.folder.parent == tmp_path
    assert str(Path.cwd()) not in str(cache.folder.relative_to(tmp_path))


def test_the_theme_templates_compile_once(tmp_path: Path) -> None:
    env = jinja2.Environment(bytecode_cache=BytecodeCache(Cache(tmp_path)))
    loader = jinja2.DictLoader({"page.html": "Hello {{ name }}"})
    env.loader = loader
    assert env.get_template("page.html").render(name="x") == "Hello x"
    assert list(tmp_path.rglob("entries/*/*"))
    again = jinja2.Environment(bytecode_cache=BytecodeCache(Cache(tmp_path)), loader=loader)
    assert again.get_template("page.html").render(name="y") == "Hello y"


@pytest.mark.parametrize("package", ["poakit", "jinja2", "markdown", "mkdocs-material"])
def test_another_version_of_poakit_or_of_a_shaping_library_is_another_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str
) -> None:
    """A cache restored from a run with other versions is kept apart, never read."""
    from importlib import metadata

    mine = Cache(tmp_path).folder
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == package else real(name))
    code_fingerprint.cache_clear()
    try:
        assert Cache(tmp_path).folder != mine
    finally:
        monkeypatch.undo()
        code_fingerprint.cache_clear()
    assert Cache(tmp_path).folder == mine


def _probe_library(root: Path, cache: Cache | None) -> Any:
    from poakit.project.load import load_library

    snippet = root / "root-causes" / "probe.md"
    snippet.parent.mkdir(parents=True, exist_ok=True)
    snippet.write_text(
        "---\ntitle: Probe\nreasons: [inauthentic]\n---\n{{ 'ab' * 40 }} {{ supplier }}\n"
    )
    return load_library(root, cache=cache)


def test_snippet_templates_are_compiled_once_and_stay_in_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm load reads the snippets' compiled templates from the cache (compiling nothing),
    and code read back still meters what it builds: the sandbox's code has its own namespace,
    never the theme's (compiled without the meters)."""
    import dataclasses
    import shutil

    from conftest import FIXTURES

    from poakit.templating.render import RenderError, environment, render
    from poakit.templating.sandbox import DEFAULT_BUDGET

    shutil.copytree(FIXTURES / "mini" / "snippets", tmp_path / "snippets")
    cache = Cache(tmp_path / "cache")
    _probe_library(tmp_path / "snippets", cache)
    assert list(cache.folder.rglob("entries/*/*"))

    def no_compiling(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    warm = _probe_library(tmp_path / "snippets", cache)
    assert not warm.findings
    assert environment(warm).bytecode_cache.namespace != BytecodeCache(cache).namespace
    probe = warm.root_causes["probe"]
    text = render(warm, probe, {"supplier": "QuickWholesale"}, "cases/x.yaml").plain()
    assert text == "ab" * 40 + " QuickWholesale"
    small = dataclasses.replace(DEFAULT_BUDGET, built=40)
    with pytest.raises(RenderError) as over:
        render(warm, probe, {"supplier": "QuickWholesale"}, "cases/x.yaml", small)
    assert over.value.finding.rule == "snippet-budget"


class _Counting(Cache):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.hashed = 0

    def blob(self, data: bytes, extension: str = "") -> Path | None:
        self.hashed += 1
        return super().blob(data, extension)


def test_page_blobs_hash_a_page_again_only_when_it_or_its_blob_changed(tmp_path: Path) -> None:
    cache, blobs = _Counting(tmp_path / "cache"), PageBlobs()
    content = "# Page\n\n" + "text " * 100
    first = blobs.handed(cache, "cases/acme.md", content)
    assert isinstance(first, Path) and first.read_text() == content
    assert blobs.handed(cache, "cases/acme.md", content) == first  # the same object: no hash
    assert cache.hashed == 1
    assert blobs.handed(cache, "cases/acme.md", "".join(list(content))) == first  # equal text
    assert cache.hashed == 2
    first.write_text("damaged " + content)  # another size: hashed again, made whole again
    again = blobs.handed(cache, "cases/acme.md", content)
    assert cache.hashed == 3 and again == first and first.read_text() == content


def test_page_blobs_hand_a_page_made_of_an_older_blob_by_its_content(tmp_path: Path) -> None:
    """A save undone: the page's blob is one the builder was handed before (older than what
    it wrote since), so it is handed as content, which a builder always rebuilds."""
    cache, blobs = Cache(tmp_path / "cache"), PageBlobs()
    original, edited = "# Acme Home\n", "# Acme Edited\n"
    assert isinstance(blobs.handed(cache, "p.md", original), Path)
    assert isinstance(blobs.handed(cache, "p.md", edited), bytes)
    assert blobs.handed(cache, "p.md", original) == original.encode()
    assert isinstance(blobs.handed(cache, "p.md", original), Path)  # then its file again
