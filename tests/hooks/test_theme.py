"""The hook `hooks/poakit_theme.py`: in the preview, the theme's files are those MkDocs finds,
found by one walk of the theme's folders until one of them changes."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import REPO, hook_module
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files

MKDOCS_OWN = Files.add_files_from_theme


@pytest.fixture
def hook() -> Iterator[Any]:
    module = hook_module("poakit_theme")
    yield module
    module.on_shutdown()
    assert Files.add_files_from_theme is MKDOCS_OWN


def _listed(files: Files) -> list[tuple[str, str, str]]:
    return sorted((f.src_uri, f.abs_src_path or "", f.dest_uri) for f in files)


def _docs(config: Any, *paths: str) -> Files:
    return Files(
        [File(p, config.docs_dir, config.site_dir, config.use_directory_urls) for p in paths]
    )


def test_the_preview_adds_the_files_mkdocs_adds(hook: Any) -> None:
    config = load_config(str(REPO / "mkdocs.yml"))
    env = config.theme.get_env()
    theirs = _docs(config)
    MKDOCS_OWN(theirs, env, config)
    taken = next(f.src_uri for f in theirs if f.src_uri.endswith(".css"))
    shadowed = _docs(config, taken)  # a file of docs/ at a theme file's path wins
    MKDOCS_OWN(shadowed, env, config)
    assert len(shadowed) == len(theirs) and _listed(shadowed) != _listed(theirs)
    hook.on_startup("serve", False)
    for _ in range(2):  # the walk, then what it found
        ours = _docs(config)
        Files.add_files_from_theme(ours, env, config)
        assert _listed(ours) == _listed(theirs) and len(ours) > 20
        mine = _docs(config, taken)
        Files.add_files_from_theme(mine, env, config)
        assert _listed(mine) == _listed(shadowed)
    first, again = _docs(config), _docs(config)
    Files.add_files_from_theme(first, env, config)
    Files.add_files_from_theme(again, env, config)
    assert all(a is not b for a, b in zip(first, again, strict=True))  # files of its own


def _theme(tmp_path: Path) -> tuple[Any, jinja2.Environment]:
    folder = tmp_path / "theme"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "a.css").write_text("a")
    (folder / "main.html").write_text("<html>")  # a template: never a file of the site
    theme = types.SimpleNamespace(dirs=[str(folder)], static_templates=[])
    config = types.SimpleNamespace(
        theme=theme, site_dir=str(tmp_path / "site"), use_directory_urls=True
    )
    return config, jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))


def test_a_file_added_to_or_removed_from_the_theme_is_seen_by_the_next_build(
    hook: Any, tmp_path: Path
) -> None:
    config, env = _theme(tmp_path)
    walks: list[int] = []

    def counted(files: Files, env: Any, config: Any) -> None:
        walks.append(1)
        MKDOCS_OWN(files, env, config)

    def build() -> list[str]:
        files = Files([])
        Files.add_files_from_theme(files, env, config)
        return sorted(f.src_uri for f in files)

    hook.on_startup("serve", False)
    hook._state["original"] = counted  # MkDocs' own walk, counted
    try:
        assert build() == ["css/a.css"] and build() == ["css/a.css"]
        assert len(walks) == 1  # the second build walked nothing
        (tmp_path / "theme" / "css" / "b.css").write_text("b")
        assert build() == ["css/a.css", "css/b.css"]
        (tmp_path / "theme" / "css" / "a.css").unlink()
        (tmp_path / "theme" / "js").mkdir()
        (tmp_path / "theme" / "js" / "c.js").write_text("c")
        assert build() == ["css/b.css", "js/c.js"]
        assert len(walks) == 3
    finally:
        hook._state["original"] = MKDOCS_OWN


def test_a_build_lists_the_theme_as_mkdocs_does(hook: Any) -> None:
    hook.on_startup("build", False)
    assert Files.add_files_from_theme is MKDOCS_OWN
