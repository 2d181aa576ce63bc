"""MkDocs hook: a build that finds many generated pages missing from the HTML cache renders
them on every core.

At the `MISSES_BEFORE_CORES`th generated page missing from the HTML cache, or at the first
page when the load checked that many cases afresh (a clone; the guide's pages render
meanwhile), the pages to come are shared between the build and a forked worker per other core
(`parallel.Halves`): the build renders in order, the workers from the last; a page a worker
took, the build waits for and reads back from the cache. A page that fails or warns in a
worker, or that a dead worker took, the build renders and reports. Only `build` and
`gh-deploy` fork; both keep what they loaded from the collector (`on_files`, poakit_serve).
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import time
from typing import Any

from mkdocs.commands.build import _populate_page
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from poakit.project import parallel  # a module: MkDocs takes a hook's on_* names as events
from poakit.project.loader import loader, site_cache_folder
from poakit.source.layout import project_folder

#: Generated pages missing from the cache before the rest are rendered on every core: an
#: edit misses a few (the case, the dashboard, the catalogue pages listing it), a clone all.
MISSES_BEFORE_CORES = 16
_state: dict[str, Any] = {"fill": False, "worker": False, "misses": 0, "cached": False}
_share: dict[str, Any] = {"halves": None, "pages": {}, "workers": [], "sizes": []}


def on_startup(command: str, dirty: bool) -> None:
    _end(stop=True)
    _state.update(fill=command in ("build", "gh-deploy"), worker=False)
    _share["sizes"] = []  # how many pages each build shared out (for the tests)


def on_config(config: Any) -> None:
    # without the cache there is nowhere to keep what the workers render
    cached = site_cache_folder(config.config_file_path, config.extra.get("poakit", {}))
    _state.update(misses=0, cached=cached is not None, first=True)


@event_priority(-100)  # after poakit_pages has loaded the project
def on_files(files: Any, config: Any) -> Any:
    """A build holds what it loaded to its end: the collector leaves it be (`gc.freeze`), and
    each full collection walks only what came after (once 0.3 s at a thousand cases)."""
    if _state["fill"]:
        gc.freeze()
    return files


@event_priority(-110)  # after poakit_html_cache, which replaces `render` of a page it kept
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    _state["misses"] += (missed := bool(page.file.generated_by) and "render" not in vars(page))
    due = missed and _state["misses"] == MISSES_BEFORE_CORES
    can = _state["fill"] and _state["cached"] and _share["halves"] is None
    if can and (due or (_state.pop("first", False) and _cold(config))):
        _fill(page, config, files)
    return markdown


def _cold(config: Any) -> bool:
    project = loader(project_folder(config.config_file_path)).latest()
    return project.checked_afresh >= MISSES_BEFORE_CORES


def _fill(page: Any, config: Any, files: Any) -> None:
    """Share the generated pages after `page` with one worker per other core."""
    pages = files.documentation_pages()
    later = [f.src_uri for f in pages[pages.index(page.file) + 1 :] if f.generated_by]
    workers = parallel.cores() - 1
    if len(later) < parallel.PARALLEL_FROM or workers < 1 or not parallel.can_fork():
        return
    halves = parallel.Halves(len(later))
    _share.update(halves=halves, pages={uri: n for n, uri in enumerate(later)})
    _share["sizes"].append(len(later))
    with parallel.frozen():  # what this process holds stays out of the workers' collections
        for _ in range(workers):
            pid = os.fork()
            if pid == 0:  # the worker: renders pages from the last until the build meets it
                try:
                    for n in halves:
                        _render(config, files, later[n])
                        halves.done[n] = 1
                finally:
                    os._exit(0)
            _share["workers"].append(pid)


def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    """A shared page the build reaches: its own to render, or a worker's, then waited for."""
    n = _share["pages"].get(page.file.src_uri)
    if n is None or _state["worker"] or _share["halves"].take(n):
        return page
    while not _share["halves"].done[n] and _running():
        time.sleep(0.0005)
    return page  # rendered: the HTML cache has it (else the build renders it, and reports why)


def _running() -> bool:
    for pid in list(_share["workers"]):
        if os.waitpid(pid, os.WNOHANG)[0]:
            _share["workers"].remove(pid)
    return bool(_share["workers"])


def on_env(env: Any, config: Any, files: Any) -> Any:
    _end(stop=False)  # every page is read: the workers have finished theirs
    return env


def on_build_error(error: Exception) -> None:
    _end(stop=True)


def _end(*, stop: bool) -> None:
    for pid in _share["workers"]:
        if stop:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    _share.update(halves=None, pages={}, workers=[])


def _render(config: Any, files: Any, uri: str) -> bool:
    """One page, in a worker, as the build would render it."""
    if not _state["worker"]:  # once per worker: its log stays silent, its warnings counted
        _state["worker"] = True
        logger = logging.getLogger("mkdocs")
        logger.handlers = [h for h in logger.handlers if isinstance(h, CountHandler)]
        logger.propagate = False
        logging.lastResort = None
    file = files.get_file_from_path(uri)
    try:
        _populate_page(file.page or Page(None, file, config), config, files)
    except Exception:  # the build renders the page again and reports what went wrong
        return False
    return True
