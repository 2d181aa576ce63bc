"""MkDocs hook: a build that finds many generated pages missing from the HTML cache renders
them on every core first.

Python-Markdown is most of a build from nothing (some 10 ms a case page). When the HTML cache
(`poakit_html_cache`) has missed `MISSES_BEFORE_CORES` generated pages, the generated pages
still to come are shared out to one forked worker per core. Each worker renders its share as
MkDocs renders a page (`_populate_page`, every plugin's events included), so the HTML cache
hook keeps each one's HTML; the build then reads them back, as a warm build does, and writes
the same bytes. A page that fails or warns in a worker is not kept: the build renders it and
reports the problem itself. Only `build` and `gh-deploy` fork: `serve` runs threads. Both keep
what they loaded out of the garbage collector's walks (`on_files` here, `on_serve` in
poakit_serve).
"""

from __future__ import annotations

import gc
import logging
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _populate_page
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from poakit.errors import ConfigError
from poakit.project import parallel  # a module: MkDocs takes a hook's on_* names as events
from poakit.project.loader import cache_folder

#: Generated pages missing from the cache before the rest are rendered on every core: an
#: edit misses a few (the case, the dashboard, the catalogue pages listing it), a clone all.
MISSES_BEFORE_CORES = 16
_state: dict[str, Any] = {"fill": False, "worker": False, "misses": 0, "cached": False}


def on_startup(command: str, dirty: bool) -> None:
    _state.update(fill=command in ("build", "gh-deploy"), worker=False)


def on_config(config: Any) -> None:
    try:  # without the cache there is nowhere to keep what the workers render
        cached = cache_folder(Path(config.config_file_path).parent, config.extra.get("poakit", {}))
    except ConfigError:  # poakit_pages reports it
        cached = None
    _state.update(misses=0, cached=cached is not None)


@event_priority(-100)  # after poakit_pages has loaded the project
def on_files(files: Any, config: Any) -> Any:
    """A build holds what it loaded to its end: the collector leaves it be (`gc.freeze`), and
    each full collection walks only what came after (once 0.3 s at a thousand cases)."""
    if _state["fill"]:
        gc.freeze()
    return files


@event_priority(-110)  # after poakit_html_cache, which replaces `render` of a page it kept
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.generated_by and "render" not in vars(page):  # missed: MkDocs will render it
        _state["misses"] += 1
        if _state["misses"] == MISSES_BEFORE_CORES and _state["fill"] and _state["cached"]:
            _fill(page, config, files)
    return markdown


def _fill(page: Any, config: Any, files: Any) -> None:
    """Render the generated pages after `page` on every core."""
    pages = files.documentation_pages()
    later = [f.src_uri for f in pages[pages.index(page.file) + 1 :] if f.generated_by]
    if len(later) >= parallel.PARALLEL_FROM and parallel.can_fork() and not _state["worker"]:
        parallel.on_every_core(partial(_render, config, files), later)


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
