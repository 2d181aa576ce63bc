"""MkDocs adapter: the engine's generated pages become virtual files of the site.

Everything of substance happens in `poakit`; this module only translates: it loads the project,
hands problems to MkDocs' log (or aborts the build), and wraps each page in `File.generated`,
so nothing is ever written into docs/, cases/ or snippets/.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_datetime

from poakit import searchindex
from poakit.errors import ConfigError, Level
from poakit.project import cached_project
from poakit.site import search_entries, site_pages
from poakit.tracker import parse_today

log = logging.getLogger("mkdocs.plugins.poakit")
_state: dict[str, Any] = {"command": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_files(files: Files, config: Any) -> Files:
    root = Path(config.config_file_path).parent
    previewing = _state["command"] == "serve"
    include_private = previewing or bool(config.extra.get("poakit", {}).get("include_private"))
    project = cached_project(root)
    # A case that cannot be read might be meant to be public: it blocks a build either way.
    published = [c for c in project.cases if include_private or c.public or c.file is None]
    problems = [*project.library.findings, *(f for c in published for f in c.findings)]
    blocking = [f for f in problems if f.level is Level.ERROR]
    if blocking and not previewing:
        raise PluginError("poakit found errors:\n" + "\n".join(str(f) for f in blocking))
    for finding in problems:
        log.info(str(finding))
    _state["search"] = search_entries(project, include_private=include_private)
    for page in site_pages(project, include_private=include_private, today=_today(config)):
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.path, content=page.content, inclusion=inclusion))
    return files


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: Any) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        index.write_text(searchindex.merge(index.read_text("utf-8"), _state["search"]), "utf-8")


def _today(config: Any) -> dt.date:
    """The dashboard's "today": extra.poakit.today, else the build date (SOURCE_DATE_EPOCH)."""
    setting = config.extra.get("poakit", {}).get("today")
    try:
        day = parse_today(setting, Path(config.config_file_path))
    except ConfigError as exc:
        raise PluginError(str(exc)) from None
    return day or get_build_datetime().date()
