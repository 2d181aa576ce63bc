"""The cache moves between folders and machines safely: a team's CI restores `.cache/poakit`
from an earlier run, made in another folder, on another machine, maybe by another version.

What a restored cache may change is only the time a build takes: a build that reads it back
gives the bytes a build on that machine would give from nothing; entries made from another
library are not used for what the library changed, and a cache made by another version of
poakit (another generation of its code) is not read at all.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest
from sites import build, copy_sources

from poakit.project.cache import code_fingerprint, digest
from poakit.source.layout import CACHE_DIR

pytestmark = pytest.mark.site

ENV = {"SOURCE_DATE_EPOCH": "1790000000", "POAKIT_TODAY": "2026-11-27"}
SNIPPET = Path("snippets") / "measures" / "supplier-vetting.md"


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _entries(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / CACHE_DIR).rglob("*") if p.is_file()}


def _restore(cache: Path, into: Path) -> None:
    """What a CI cache step does: the folder packed as a tar archive, unpacked elsewhere (new
    files, new inodes, modification times as packed)."""
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w") as tar:
        tar.add(cache, arcname=".")
    packed.seek(0)
    with tarfile.open(fileobj=packed) as tar:
        tar.extractall(into, filter="data")


def _another_machine(home: Path) -> dict[str, str]:
    """Settings that differ from one machine to the next; none may reach the output."""
    home.mkdir(parents=True)
    return {**ENV, "HOME": str(home), "TMPDIR": str(home), "TZ": "Pacific/Kiritimati", "LANG": "C"}


@pytest.fixture(scope="module")
def machine_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The shipped sources built once from nothing in one folder: the project (with the cache
    that build left) and the site."""
    base = tmp_path_factory.mktemp("machine-a")
    root = copy_sources(base / "work" / "poakit")
    result = build(root, base / "site", env=ENV)
    assert result.returncode == 0, result.stderr
    return root, _tree(base / "site")


def test_a_cache_restored_in_another_folder_on_another_machine_gives_the_same_site(
    machine_a: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    made, site = machine_a
    root = copy_sources(tmp_path / "runner" / "checkout" / "elsewhere")
    _restore(made / CACHE_DIR, root / CACHE_DIR)
    restored = _entries(root)
    result = build(root, tmp_path / "site", env=_another_machine(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    built = _tree(tmp_path / "site")
    assert sorted(built) == sorted(site)
    assert [name for name in site if built[name] != site[name]] == []
    assert _entries(root) == restored  # everything was read back: nothing was made anew


def test_a_cache_made_with_another_library_is_not_used_for_what_changed(
    machine_a: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    made, _ = machine_a
    root = copy_sources(tmp_path / "restored")
    _restore(made / CACHE_DIR, root / CACHE_DIR)
    fresh = copy_sources(tmp_path / "fresh")
    for project in (root, fresh):
        snippet = project / SNIPPET
        text = snippet.read_text(encoding="utf-8")
        assert "supplier" in text
        snippet.write_text(text.replace("supplier", "vendor"), encoding="utf-8")
    assert build(root, tmp_path / "restored-site", env=ENV).returncode == 0
    assert build(fresh, tmp_path / "fresh-site", env=ENV).returncode == 0
    built, expected = _tree(tmp_path / "restored-site"), _tree(tmp_path / "fresh-site")
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []
    assert _entries(root) > _entries(made)  # what the change touched was made anew


def _plant(cache: Path, generation: str) -> int:
    """The cache's entries rewritten as a poakit that writes "Plan of Acti0n" would have made
    them, each with a valid digest, in the folder of `generation`; the number rewritten."""
    (current,) = [p for p in cache.iterdir() if p.is_dir()]
    planted = 0
    for entry in current.glob("entries/*/*"):
        _, _, body = entry.read_bytes().partition(b"\n")
        changed = body.replace(b"Plan of Action", b"Plan of Acti0n")  # same length: pickles hold
        if changed != body:
            entry.write_bytes(b"poakit-cache " + digest(changed).encode() + b"\n" + changed)
            planted += 1
    current.rename(cache / generation)
    return planted


@pytest.mark.parametrize("same_generation", [False, True])
def test_a_cache_made_by_another_version_of_poakit_is_not_read(
    machine_a: tuple[Path, dict[str, bytes]], tmp_path: Path, same_generation: bool
) -> None:
    """Entries another version made are intact (their digests match) yet say something else:
    kept in that version's folder, none is read. The control (`same_generation`: the same
    entries in this version's folder) shows that the build would have used them."""
    made, site = machine_a
    root = copy_sources(tmp_path / "project")
    _restore(made / CACHE_DIR, root / CACHE_DIR)
    mine = code_fingerprint()[:16]
    assert (root / CACHE_DIR / mine).is_dir()
    other = mine if same_generation else "0123456789abcdef"
    assert _plant(root / CACHE_DIR, other) > 20
    result = build(root, tmp_path / "site", env=ENV)
    assert result.returncode == 0, result.stderr
    built = _tree(tmp_path / "site")
    planted = [name for name, data in built.items() if b"Plan of Acti0n" in data]
    if same_generation:
        assert planted
    else:
        assert planted == []
        assert [name for name in site if built.get(name) != site[name]] == []
        assert (root / CACHE_DIR / other).is_dir()  # kept, for that version (tidied later)
        assert os.listdir(root / CACHE_DIR / mine / "entries")
