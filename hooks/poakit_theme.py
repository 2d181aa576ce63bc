"""MkDocs hook: the preview lists the theme's files once, not on every save.

Every build adds the theme's static files (Material's stylesheets, scripts and images) to the
site. To find them, MkDocs walks each folder of the theme and matches every name against its
patterns: some 14,500 files (Material's icons among them) for 43, 0.08 to 0.11 s of each of
the preview's rebuilds. In `mkdocs serve` this hook keeps what the walk found (each file's
path and theme folder) and walks again only when a folder of the theme changed (a file added,
removed or renamed changes its folder's modification time; the 26 folders are looked at on
each rebuild). It adds what MkDocs would add: a page or file of docs/ still overrides a theme
file of the same path, and each build gets files of its own.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.structure.files import File, Files

_state: dict[str, Any] = {"original": None, "found": None}


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve" and _state["original"] is None:
        _state["original"] = Files.add_files_from_theme
        Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign,assignment]


def on_shutdown() -> None:
    if _state["original"] is not None:
        Files.add_files_from_theme = _state["original"]  # type: ignore[method-assign]
    _state.update(original=None, found=None)


def add_files_from_theme(files: Files, env: Any, config: Any) -> None:
    """`Files.add_files_from_theme`, from what an earlier walk found while the theme's folders
    are unchanged."""
    key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
    found = _state["found"]
    if found is None or found[0] != key or _stamps(found[1]) != found[1]:
        folders = [folder for top in key[0] for folder, _, _ in os.walk(top)]
        stamps = _stamps(folders)  # before the walk: a change during it walks again next time
        every = Files([])
        _state["original"](every, env, config)
        found = _state["found"] = (key, stamps, [(f.src_uri, f.src_dir) for f in every])
    for path, folder in found[2]:
        if files.get_file_from_path(path) is None:  # theme files do not override docs files
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


def _stamps(folders: Any) -> dict[str, int]:
    """Each of `folders` with its modification time (-1: gone)."""
    stamps = {}
    for folder in folders:
        try:
            stamps[folder] = os.stat(folder).st_mtime_ns
        except OSError:
            stamps[folder] = -1
    return stamps
