"""MkDocs adapter: the engine's generated pages become virtual files of the site.

Everything of substance happens in `poakit`; this module only translates: it loads the project,
hands problems to MkDocs' log (or aborts the build), and wraps each page in `File.generated`,
so nothing is ever written into docs/, cases/ or snippets/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_datetime, get_markdown_title
from mkdocs.utils.meta import get_data

from poakit import searchindex
from poakit.errors import ConfigError, Level
from poakit.mdutil import open_islands
from poakit.pagestore import PageStore
from poakit.project import project_cache, store_folder
from poakit.settings import include_private
from poakit.site import prepare_case, search_entries, site_pages
from poakit.tracker import parse_today

log = logging.getLogger("mkdocs.plugins.poakit")
_state: dict[str, Any] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    # `serve --dirty` (make serve) backs generated pages with files that change only when
    # their content does, so a save rebuilds only the pages it affects.
    _state["store"] = PageStore() if command == "serve" and dirty else None


def on_shutdown() -> None:
    if _state.get("store"):
        _state["store"].close()


def on_files(files: Files, config: Any) -> Files:
    root = Path(config.config_file_path).parent
    previewing = _state["command"] == "serve"
    settings = config.extra.get("poakit", {})
    include_private = _include_private(settings) or previewing  # a bad value stops both
    cache = project_cache(root)
    # extra.poakit.cache (default true): keep checked cases and their files between builds
    # in .cache/poakit (src/poakit/casecache.py).
    cache.use(store_folder(root, settings), prepare_case)
    project = cache.load()
    # A case that cannot be read might be meant to be public: it blocks a build either way.
    published = [c for c in project.cases if include_private or c.public or c.file is None]
    problems = [*project.library.findings, *(f for c in published for f in c.findings)]
    blocking = [f for f in problems if f.level is Level.ERROR]
    if blocking and not previewing:
        raise PluginError("poakit found errors:\n" + "\n".join(str(f) for f in blocking))
    for finding in problems:
        log.info(str(finding))
    _state["search"] = search_entries(project, include_private=include_private)
    day, directory_urls = _today(config), config.use_directory_urls
    for page in site_pages(
        project, include_private=include_private, today=day, directory_urls=directory_urls
    ):
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(_generated(config, page.path, page.content, inclusion))
    return files


def _generated(
    config: Any, path: str, content: str | bytes | Path, inclusion: InclusionLevel
) -> File:
    store: PageStore | None = _state.get("store")
    if store is not None:  # serve --dirty: files that change only when their content does
        content = store.file_for(path, content)
        if not path.endswith(".md"):  # a download: its File is the same from save to save
            key = (path, config.site_dir, config.use_directory_urls, inclusion)
            made: dict[tuple[object, ...], File] = _state.setdefault("static", {})
            if key not in made:
                source = str(content)
                made[key] = File.generated(config, path, abs_src_path=source, inclusion=inclusion)
            return made[key]
    if isinstance(content, Path):
        return File.generated(config, path, abs_src_path=str(content), inclusion=inclusion)
    return File.generated(config, path, content=content, inclusion=inclusion)


def on_env(env: jinja2.Environment, config: Any, files: Files) -> jinja2.Environment:
    """Keep the theme's compiled templates in the cache: compiling Material's templates is a
    third of a preview rebuild. Jinja checks each template's source before using its code."""
    store = store_folder(Path(config.config_file_path).parent, config.extra.get("poakit", {}))
    if store is not None:
        folder = store / "jinja"
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    """Under `serve --dirty`, pages that are not rebuilt are not read, and have no title yet;
    give the navigation their titles (MkDocs would show "None")."""
    if _state.get("store") is not None:
        for page in nav.pages:
            if not page.file.is_modified() and page.file.abs_src_path:
                text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
                body, meta = get_data(text)
                page.title = meta.get("title") or get_markdown_title(body) or page.title
    return nav


@event_priority(110)  # first: poakit_html_cache keeps the HTML as the site shows it
def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Unwrap the raw HTML the generated pages hand Markdown as comments (see mdutil)."""
    return open_islands(html)


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: Any) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        index.write_text(searchindex.merge(index.read_text("utf-8"), _state["search"]), "utf-8")


class SettingError(ConfigurationError):
    """A setting MkDocs cannot build with: exit code 2, as `poa` gives for one."""

    exit_code = 2


def _include_private(settings: dict[str, Any]) -> bool:
    try:
        return include_private(settings.get("include_private"))
    except ConfigError as exc:
        raise SettingError(str(exc)) from None


def _today(config: Any) -> dt.date:
    """The dashboard's "today": extra.poakit.today, else the build date (SOURCE_DATE_EPOCH)."""
    setting = config.extra.get("poakit", {}).get("today")
    try:
        day = parse_today(setting, Path(config.config_file_path))
    except ConfigError as exc:
        raise PluginError(str(exc)) from None
    return day or get_build_datetime().date()
