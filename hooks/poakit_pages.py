"""MkDocs adapter: the engine's generated pages become virtual files of the site. It only
translates: it reads the settings, loads the project, hands problems to MkDocs' log (or stops
the build), and wraps each page in `File.generated`: nothing is written into docs/ or cases/.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_datetime, get_markdown_title
from mkdocs.utils.meta import get_data

from poakit.errors import ConfigError, Level
from poakit.fileio import link_or_copy
from poakit.project.cache import BytecodeCache, Cache, PageBlobs
from poakit.project.loader import cache_folder, loader
from poakit.project.memo import Memo
from poakit.project.settings import include_private, parse_today, site_url
from poakit.site import pages as site
from poakit.site import searchindex
from poakit.site.markup import open_islands, put_islands, take_islands
from poakit.site.urls import file_link
from poakit.source.layout import project_folder

log = logging.getLogger("mkdocs.plugins.poakit")
_state: dict[str, Any] = {"command": "build"}


class SettingError(ConfigurationError):
    exit_code = 2  # what MkDocs cannot build with (a setting, cases/): as `poa` exits for one


def on_startup(command: str, dirty: bool) -> None:
    dirty = command == "serve" and dirty  # make serve: pages are cache files (or scratch ones)
    _state.update(command=command, dirty=dirty, memo=Memo(), islands={}, blobs=PageBlobs())
    _state["reported"] = site.Reported()  # the preview tells each save's new findings


def on_shutdown() -> None:
    if _state.get("scratch"):
        shutil.rmtree(_state.pop("scratch"), ignore_errors=True)


@event_priority(100)  # before mike's plugin, which adds the version to the site's address
def on_config(config: Any) -> None:
    file = Path(config.config_file_path)
    settings = config.extra.get("poakit", {})
    try:
        _state["include_private"] = include_private(settings.get("include_private"))
        _state["today"] = parse_today(settings.get("today"), file) or get_build_datetime().date()
        _state["cache"] = cache_folder(project_folder(config.config_file_path), settings)
        url = site_url(settings.get("site_url"))  # POAKIT_SITE_URL; the preview stays local
    except ConfigError as exc:
        raise SettingError(str(exc)) from None
    if url and _state["command"] != "serve":
        config.site_url = url
    if _state["dirty"] and _state["cache"] is None and not _state.get("scratch"):
        _state["scratch"] = Path(tempfile.mkdtemp(prefix="poakit-preview-"))


def on_files(files: Files, config: Any) -> Files:
    root = project_folder(config.config_file_path)
    previewing = _state["command"] == "serve"
    shown = _state["include_private"] or previewing
    try:
        project = loader(root).load(cache_folder=_state["cache"], prepare=site.prepare_case)
    except ConfigError as exc:  # cases/ cannot be read, POAKIT_TODAY is not a date
        raise SettingError(str(exc)) from None
    problems = site.published_findings(project, include_private=shown)
    blocking = [f for f in problems if f.level is Level.ERROR]
    if blocking and not previewing:
        raise PluginError("poakit found errors:\n" + "\n".join(str(f) for f in blocking))
    for line in _state["reported"].lines(problems) if previewing else map(str, problems):
        log.info(line)
    memo: Memo = _state["memo"]
    _state["search"] = site.search_entries(project, include_private=shown, memo=memo)
    pages = site.site_pages(project, include_private=shown, today=_state["today"], memo=memo)
    memo.sweep()
    blobs = Cache(_state["cache"] or _state["scratch"]) if _state["dirty"] else None
    for page in pages:
        files.append(_file(config, page, blobs))
    return files


def _file(config: Any, page: site.Page, blobs: Cache | None) -> File:
    inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
    content = _state["blobs"].handed(blobs, page.path, page.content)
    if isinstance(content, Path):
        return _Linked.generated(config, page.path, abs_src_path=str(content), inclusion=inclusion)
    return File.generated(config, page.path, content=content, inclusion=inclusion)


class _Linked(File):
    """A file of the cache (a download): linked into the site, not copied (`link_or_copy`)."""

    def copy_file(self, dirty: bool = False) -> None:
        if not dirty or self.is_modified():
            link_or_copy(Path(str(self.abs_src_path)), Path(self.abs_dest_path))


def on_env(env: jinja2.Environment, config: Any, files: Files) -> jinja2.Environment:
    """Theme templates compiled once, kept in the cache: a third of a preview rebuild."""
    if _state.get("cache") is not None:
        env.bytecode_cache = BytecodeCache(Cache(_state["cache"]))
    return env


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    """`serve --dirty` leaves pages it does not rebuild without a title (shown "None")."""
    if _state.get("dirty"):
        for page in nav.pages:
            if not page.file.is_modified() and page.file.abs_src_path:
                body, meta = get_data(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
                page.title = meta.get("title") or get_markdown_title(body) or page.title
    return nav


@event_priority(100)  # first: the other plugins and the HTML cache see the placeholders
def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Keep the finished HTML of the pages' islands out of Markdown (see site.markup)."""
    markdown, _state["islands"][page.file.src_uri] = take_islands(markdown)
    return markdown


@event_priority(110)  # after poakit_html_cache, which keeps the HTML with the placeholders
def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """The islands back in place, those the search reads opened, their links resolved."""
    link = partial(file_link, page.file.src_uri, directory_urls=config.use_directory_urls)
    return put_islands(html, _state["islands"].pop(page.file.src_uri, ()), link)


def on_post_page(output: str, page: Any, config: Any) -> str:
    return open_islands(output)  # the islands the search did not read (see site.markup)


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: Any) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        index.write_text(searchindex.merge(index.read_text("utf-8"), _state["search"]), "utf-8")
