"""The hook `hooks/poakit_cores.py`: a build from nothing renders the generated pages on
every core, and writes the same bytes, and reports the same problems, as a build that
renders them one by one."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import hook_module
from sites import Completed, build_script, copy_sources, tree

pytestmark = pytest.mark.site

# A build in a fresh interpreter (mkdocs-macros imports hooks/macros by module name), with the
# hook's threshold set, reporting how many pages each fill shared out to the cores.
_BUILD = """
import logging
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

logging.basicConfig(format="%(levelname)s - %(message)s")  # as the mkdocs command shows it
config = load_config(sys.argv[1], site_dir=sys.argv[2])
hook = sys.modules["hooks/poakit_cores.py"]
hook.MISSES_BEFORE_CORES = int(sys.argv[3])
config.plugins.on_startup(command="build", dirty=False)
try:
    build(config)
finally:
    config.plugins.on_shutdown()
    print(hook._share["sizes"])
"""
SERIAL = 10**9


def _build(root: Path, out: Path, misses: int) -> tuple[list[int], Completed]:
    shared, result = build_script(_BUILD, root, str(root / "mkdocs.yml"), str(out), str(misses))
    assert isinstance(shared, list), result.stderr
    return shared, result


def test_pages_rendered_on_every_core_are_the_pages_rendered_one_by_one(tmp_path: Path) -> None:
    filled = copy_sources(tmp_path / "filled")
    shared, result = _build(filled, tmp_path / "filled-site", 16)
    assert result.returncode == 0, result.stderr
    assert len(shared) == 1 and shared[0] >= 64  # the catalogue's pages, after the first 16
    serial = copy_sources(tmp_path / "serial")
    none, result = _build(serial, tmp_path / "serial-site", SERIAL)
    assert result.returncode == 0 and none == [], result.stderr
    built, expected = tree(tmp_path / "filled-site"), tree(tmp_path / "serial-site")
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []
    again, result = _build(filled, tmp_path / "warm-site", 16)  # nothing missing: no workers
    assert result.returncode == 0 and again == []
    assert tree(tmp_path / "warm-site") == expected


# The same build, telling where each fill happened: the page, whether it is generated, and
# whether it is the build's first page.
_WHERE = _BUILD.replace(
    "hook.MISSES_BEFORE_CORES = int(sys.argv[3])\n",
    """hook.MISSES_BEFORE_CORES = int(sys.argv[3])
fill, where = hook._fill, []
def telling(page, config, files):
    first = files.documentation_pages()[0] is page.file
    where.append([page.file.src_uri, bool(page.file.generated_by), first])
    return fill(page, config, files)
hook._fill = telling
""",
).replace('print(hook._share["sizes"])', 'print([hook._share["sizes"], where])')


def test_a_build_that_checked_its_cases_afresh_shares_the_pages_from_its_first(
    tmp_path: Path,
) -> None:
    """A clone checks every case afresh: when that is at least `MISSES_BEFORE_CORES` cases,
    the build shares the generated pages out at its first page (a guide page, which it renders
    meanwhile); with fewer, at that many misses; a build that read every case back finds no
    page missing and shares nothing. Each gives the site a build renders page after page."""
    fresh = copy_sources(tmp_path / "fresh")
    cases = len(list((fresh / "cases").glob("*.yaml")))
    (sizes, where), result = build_script(
        _WHERE, fresh, str(fresh / "mkdocs.yml"), str(tmp_path / "fresh-site"), str(cases)
    )
    assert result.returncode == 0, result.stderr
    assert where == [[where[0][0], False, True]], where  # the first page, a guide page
    assert len(sizes) == 1 and sizes[0] >= 64
    fewer = copy_sources(tmp_path / "fewer")
    (sizes, where), result = build_script(
        _WHERE, fewer, str(fewer / "mkdocs.yml"), str(tmp_path / "fewer-site"), str(cases + 1)
    )
    assert result.returncode == 0, result.stderr
    assert where == [[where[0][0], True, False]], where  # at a generated page: the misses
    (sizes, where), result = build_script(  # again: every case read back, no page missing
        _WHERE, fresh, str(fresh / "mkdocs.yml"), str(tmp_path / "warm-site"), str(cases)
    )
    assert result.returncode == 0 and where == [] and sizes == [], result.stderr
    serial = copy_sources(tmp_path / "serial")
    _, result = _build(serial, tmp_path / "serial-site", SERIAL)
    assert result.returncode == 0, result.stderr
    expected = tree(tmp_path / "serial-site")
    for site in ("fresh-site", "fewer-site", "warm-site"):
        assert tree(tmp_path / site) == expected, site


# The same build, with each worker killed as it starts on its fifth page.
_DYING = _BUILD.replace(
    "hook.MISSES_BEFORE_CORES = int(sys.argv[3])\n",
    """hook.MISSES_BEFORE_CORES = int(sys.argv[3])
import os
render, started = hook._render, []
def dying(config, files, uri):
    started.append(uri)
    if len(started) == 5:
        os._exit(1)
    return render(config, files, uri)
hook._render = dying
""",
)


def test_a_worker_that_dies_leaves_its_pages_to_the_build(tmp_path: Path) -> None:
    """The build renders the page the worker died on and every page it had not taken: the
    same site as a build that rendered every page itself, and no wait for the dead."""
    root = copy_sources(tmp_path / "project")
    shared, result = build_script(
        _DYING, root, str(root / "mkdocs.yml"), str(tmp_path / "site"), "16"
    )
    assert result.returncode == 0 and shared and shared[0] >= 64, result.stderr
    serial = copy_sources(tmp_path / "serial")
    _, result = _build(serial, tmp_path / "serial-site", SERIAL)
    assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "site") == tree(tmp_path / "serial-site")


def test_a_page_that_warns_in_a_worker_is_reported_once_by_the_build(tmp_path: Path) -> None:
    root = copy_sources(tmp_path / "project")
    snippet = root / "snippets" / "measures" / "supplier-vetting.md"
    snippet.write_text(snippet.read_text() + "\nSee [the register](register.md).\n")
    shared, result = _build(root, tmp_path / "site", 16)
    assert shared and result.returncode != 0  # strict: the warnings stop the build
    warned = [line for line in result.stderr.splitlines() if "'register.md'" in line]
    assert warned, result.stderr
    assert len(warned) == len(set(warned))  # each page's warning once: none from a worker
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("command", "frozen"), [("build", True), ("serve", False)])
def test_a_build_keeps_the_collector_off_what_it_loaded(command: str, frozen: bool) -> None:
    """After the project is loaded (`on_files`), a build's later full collections walk only
    what came after; the preview has its own rule (poakit_serve's `on_serve`)."""
    hook = hook_module("poakit_cores")
    loaded = [object.__new__(type("Node", (), {})) for _ in range(100)]
    before = gc.get_freeze_count()
    try:
        hook.on_startup(command, False)
        files = object()
        assert hook.on_files(files, config=None) is files
        assert (gc.get_freeze_count() >= before + len(loaded)) is frozen
    finally:
        gc.unfreeze()
