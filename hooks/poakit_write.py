"""MkDocs hook: the case pages go through the theme on the other cores.

Once every page is read (`on_env`), what is left is MkDocs' work per page: Material's template
(some 2 ms a page), the search plugin, writing the file. Forked workers build the pages the
search leaves out (each case has its own entry, site/searchindex.py) as MkDocs builds a page
(`_build_page`, every plugin's events included), each taking the next page left
(`parallel.Tickets`); MkDocs' own pass gets them with an empty template, written nowhere, and
the build then takes case pages too. A page that fails or warns in a worker, or any the build
did not take when a worker died, is built again (`on_post_build`), where its problem is
reported. Only `build` and `gh-deploy` fork, and only when every plugin's page events keep
nothing of a page they are not given (`SAFE_EVENTS`).
"""

from __future__ import annotations

import json
import logging
import os
import signal
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import CountHandler

from poakit.project import parallel  # a module: MkDocs takes a hook's on_* names as events

WRITE_FROM = 200  # fewer pages are not worth a worker
#: Plugins and hooks (by file name) whose page events keep nothing of a page they are not given
SAFE_EVENTS = {"material.plugins.search.plugin", "material.plugins.tags.plugin", "poakit_pages.py"}
_EMPTY = "poakit/built-by-a-worker.html"
_SKIPPED = ("Page skipped: '", "'. Generated empty output.")  # MkDocs' words for an empty page
_state: dict[str, Any] = {"fork": False, "workers": [], "kept": {}, "pages": [], "tickets": ()}


def on_startup(command: str, dirty: bool) -> None:
    _state["fork"] = command in ("build", "gh-deploy")
    _end()


def on_nav(nav: Any, config: Any, files: Any) -> None:
    _state["nav"] = nav  # for `_build_page`


@event_priority(-100)  # after the other plugins' on_env: the workers get the finished env
def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    pages = _shareable(config, doc_files) if _state["fork"] else []
    workers = parallel.cores() - 1
    if len(pages) < WRITE_FROM or workers < 1 or not parallel.can_fork():
        return env
    _state["build"] = (config, doc_files, _state["nav"], env)
    _state["pages"], _state["tickets"] = pages, parallel.Tickets(len(pages))
    with parallel.frozen():  # what this process holds stays out of the workers' collections
        for _ in range(workers):
            _state["workers"].append(_fork(pages, _state["tickets"], _state["build"]))
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({_EMPTY: ""}), env.loader])
    for page in pages:  # in MkDocs' own pass, each page is empty (kept for the build's share)
        _state["kept"][page.file.src_uri] = (page.meta, page.content)
        page.meta, page.content = {**page.meta, "template": _EMPTY}, ""
    logging.getLogger("mkdocs.commands.build").addFilter(_quiet)
    return env


def _shareable(config: Any, doc_files: Any) -> list[Any]:
    events = [*config.plugins.events["page_context"], *config.plugins.events["post_page"]]
    if any(str(getattr(e, "__module__", "")).split("/")[-1] not in SAFE_EVENTS for e in events):
        return []
    return [
        f.page
        for f in doc_files
        if f.generated_by and f.page and (f.page.meta.get("search") or {}).get("exclude")
    ]


def _fork(pages: list[Any], tickets: parallel.Tickets, build_args: tuple[Any, ...]) -> tuple:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: writes what failed (nothing if it fails), never returns
        try:
            os.close(read)
            with os.fdopen(write, "w") as out:
                json.dump(_build((pages[n] for n in tickets), *build_args), out)
        finally:
            os._exit(0)
    os.close(write)
    return pid, read


def _build(share: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> list[str]:
    """In a worker: build each page as MkDocs would; the pages that failed or warned."""
    logger, counter = logging.getLogger("mkdocs"), CountHandler(level=logging.WARNING)
    logger.handlers, logger.propagate, logging.lastResort = [counter], False, None
    failed = []
    for page in share:
        warnings = sum(counter.counts.values())
        try:
            _build_page(page, config, doc_files, nav, env)
        except Exception:
            warnings = -1
        if sum(counter.counts.values()) != warnings:
            failed.append(page.file.src_uri)
    return failed


def _quiet(record: logging.LogRecord) -> bool:
    """MkDocs logs each page it skips for empty output: not those a worker built."""
    message, (prefix, suffix) = record.getMessage(), _SKIPPED
    if message.startswith(prefix) and message.endswith(suffix):
        return message[len(prefix) : -len(suffix)] not in _state["kept"]
    return True


@event_priority(100)  # before the other plugins finish the build: every page is written
def on_post_build(config: Any) -> None:
    pages, mine = _state["pages"], set()
    for page in pages:  # each page as it was, for the pages built here
        page.meta, page.content = _state["kept"][page.file.src_uri]
    for n in _state["tickets"]:  # the build takes pages too, one at a time, as the workers do
        mine.add(pages[n].file.src_uri)
        _build_page(pages[n], *_state["build"])
    failed: set[str] = set()
    while _state["workers"]:
        pid, read = _state["workers"].pop()
        with os.fdopen(read) as results:
            text = results.read()
        os.waitpid(pid, 0)
        try:
            failed.update(json.loads(text))
        except ValueError:  # a worker died: every page the build did not take
            failed.update(page.file.src_uri for page in pages if page.file.src_uri not in mine)
    for page in (p for p in pages if p.file.src_uri in failed):  # its problem reported here
        _build_page(page, *_state["build"])
    _end()


def on_build_error(error: Exception) -> None:
    for pid, read in _state["workers"]:
        os.close(read)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    _end()


def _end() -> None:
    logging.getLogger("mkdocs.commands.build").removeFilter(_quiet)
    _state.update(workers=[], kept={}, pages=[], tickets=())
