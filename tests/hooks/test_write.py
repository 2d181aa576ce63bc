"""The hook `hooks/poakit_write.py`: the case pages built by forked workers are the pages the
build would have written, and a page a worker cannot build is built, and reported, by the
build itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sites import Completed, build_script, copy_sources, tree

pytestmark = [
    pytest.mark.site,
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="workers only with a second core"),
]

# A build in a fresh interpreter with the hook's threshold set, printing how many pages the
# workers were offered, which pages the build itself built (its own share, and any built again
# afterwards) and which the workers built. `mode` makes the workers misbehave: "fail" raises on
# one page and warns (writing nothing) on another, only in a worker; "die" ends each worker
# before it builds anything; in both the build takes no page itself, so the workers meet every
# page. "slow" makes the workers take 0.4 s a page, so the build surely takes some.
_BUILD = """
import logging
import os
import sys
import time
from mkdocs.commands.build import build
from mkdocs.config import load_config

logging.basicConfig(format="%(levelname)s - %(message)s")  # as the mkdocs command shows it
config = load_config(sys.argv[1], site_dir=sys.argv[2])
hook = sys.modules["hooks/poakit_write.py"]
hook.WRITE_FROM = int(sys.argv[3])
mode, parent, shares, again, log = sys.argv[4], os.getpid(), [], [], sys.argv[5]
fork, build_page = hook._fork, hook._build_page

def spy_fork(pages, tickets, build_args):
    shares.append(len(pages))
    worker = fork(pages, tickets, build_args)
    if mode in ("fail", "die"):
        hook._state["tickets"] = ()
    return worker

def misbehave(page, *args):
    if os.getpid() == parent:
        again.append(page.file.src_uri)
    else:
        if mode == "die":
            os._exit(3)
        if mode == "fail" and page.file.src_uri == "cases/brightleaf-trademark.md":
            raise RuntimeError("a worker's failure")
        if mode == "fail" and page.file.src_uri == "cases/index.md":
            logging.getLogger("mkdocs.plugins").warning("a worker's warning")
            return None  # and writes nothing
        if mode == "slow":
            time.sleep(0.4)
        with open(log, "a", encoding="utf-8") as out:
            out.write(page.file.src_uri + "\\n")
    return build_page(page, *args)

hook._fork, hook._build_page = spy_fork, misbehave
config.plugins.on_startup(command="build", dirty=False)
try:
    build(config)
finally:
    config.plugins.on_shutdown()
    print([shares, sorted(again)])
"""
SERIAL = 10**9


def _build(
    root: Path, out: Path, write_from: int, mode: str = "none"
) -> tuple[list[int], list[str], list[str], Completed]:
    """The pages offered to each worker, the pages the build built, those the workers built."""
    log = out.parent / f"{out.name}-workers.txt"
    args = [str(root / "mkdocs.yml"), str(out), str(write_from), mode, str(log)]
    (shares, again), result = build_script(_BUILD, root, *args)
    workers = log.read_text("utf-8").splitlines() if log.exists() else []
    return shares, again, workers, result


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The site as MkDocs builds it, page by page in one process."""
    root = copy_sources(tmp_path_factory.mktemp("serial") / "project")
    shares, _, _, result = _build(root, root / "site", SERIAL)
    assert result.returncode == 0 and shares == [], result.stderr
    return tree(root / "site")


def _differing(built: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    assert sorted(built) == sorted(expected)
    return [name for name in expected if built[name] != expected[name]]


@pytest.mark.parametrize("mode", ["none", "slow"])
def test_pages_the_workers_build_are_the_pages_the_build_writes(
    tmp_path: Path, serial: dict[str, bytes], mode: str
) -> None:
    root = copy_sources(tmp_path / "project")
    shares, built_here, by_workers, result = _build(root, tmp_path / "site", 1, mode)
    assert result.returncode == 0, result.stderr
    # one worker a core but one; the case pages and the dashboard (the search leaves them out)
    assert len(shares) == (os.cpu_count() or 1) - 1 and shares[0] >= 10, shares
    # each page built once, by whoever took it first (an MkDocs that changed would build twice)
    assert sorted(built_here + by_workers) == sorted(set(built_here + by_workers))
    assert len(built_here) + len(by_workers) == shares[0]
    if mode == "slow":  # the build took its share of the pages while the workers were at theirs
        assert built_here and by_workers
    assert _differing(tree(tmp_path / "site"), serial) == []
    assert "Page skipped" not in result.stderr  # MkDocs' note on an empty page: not for these


@pytest.mark.parametrize("mode", ["fail", "die"])
def test_a_page_a_worker_could_not_build_is_built_by_the_build(
    tmp_path: Path, serial: dict[str, bytes], mode: str
) -> None:
    root = copy_sources(tmp_path / "project")
    shares, again, _, result = _build(root, tmp_path / "site", 1, mode)
    assert shares and result.returncode == 0, result.stderr
    if mode == "fail":
        assert again == ["cases/brightleaf-trademark.md", "cases/index.md"]
    else:  # every page: the build took none, the dead worker built none
        assert len(again) == shares[0]
    assert _differing(tree(tmp_path / "site"), serial) == []
    assert "a worker's" not in result.stderr  # the build built them without a problem
    assert "Traceback" not in result.stderr


def test_no_worker_when_another_plugin_watches_pages_being_built(
    tmp_path: Path, serial: dict[str, bytes]
) -> None:
    root = copy_sources(tmp_path / "project")
    (root / "hooks" / "collect.py").write_text(
        "SEEN = []\n\n\ndef on_page_context(context, page, config, nav):\n"
        "    SEEN.append(page.url)\n    return context\n"
    )
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(config.replace("hooks:\n", "hooks:\n  - hooks/collect.py\n"))
    shares, again, _, result = _build(root, tmp_path / "site", 1)
    assert result.returncode == 0 and shares == [] and again == [], result.stderr
    assert _differing(tree(tmp_path / "site"), serial) == []
