"""The HTML cache hook sets what MkDocs' `Page.render` sets: if an MkDocs release renders a
page into anything `rendered_from` does not set, this fails (MkDocs is pinned below 2)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from conftest import hook_module
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

MARKDOWN = """# Acme: a title with *emphasis*

## Root causes {: #causes }

Text with a [link](other.md#part) and [another](missing.md).
"""


def _config(tmp_path: Any) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nmarkdown_extensions: [attr_list, toc]\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    return config


def _page(config: MkDocsConfig, files: Files) -> Page:
    file = File.generated(config, "cases/acme.md", content=MARKDOWN)
    page = Page(None, file, config)
    page.read_source(config)
    return page


def _state(page: Page, hook: Any) -> dict[str, Any]:
    """What a page holds, comparable: its table of contents as tokens, files by their uri."""
    state = {k: v for k, v in vars(page).items() if k not in ("markdown", "render")}
    state["toc"] = [hook._token(link) for link in page.toc]
    state["file"] = page.file.src_uri
    state["links_to_anchors"] = {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()}
    return state


def test_a_page_rendered_from_the_cache_equals_a_page_rendered_by_mkdocs(tmp_path: Any) -> None:
    hook = hook_module("poakit_html_cache")
    config = _config(tmp_path)
    other = File.generated(config, "cases/other.md", content="# Other\n\n## Part\n")
    files = Files([other])
    rendered = _page(config, files)
    fresh = _state(rendered, hook)
    rendered.render(config, files)
    after = _state(rendered, hook)
    set_by_render = {k for k in after if k not in fresh or after[k] != fresh[k]}
    kept = hook.kept_from(rendered, rendered.content)
    replayed = _page(config, files)
    replayed.render = partial(hook.rendered_from, replayed, kept)  # as the hook sets it
    replayed.render(config, files)
    assert _state(replayed, hook) == _state(rendered, hook)
    handled = {"content", "_title_from_render", "toc", "present_anchor_ids", "links_to_anchors"}
    assert set_by_render - {"markdown"} <= handled, set_by_render - handled
    assert replayed.title == "Acme: a title with emphasis"


@pytest.mark.parametrize("broken", [b"", b"{", b'{"html": 1}', b"[]"])
def test_a_kept_page_that_is_not_whole_is_not_used(broken: bytes) -> None:
    hook = hook_module("poakit_html_cache")
    assert hook._read(broken) is None
