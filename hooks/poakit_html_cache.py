"""MkDocs hook: the HTML of generated pages, kept in the cache between builds.

Python-Markdown costs some 12 ms for a case page, most of a build of a thousand cases. A
generated page's HTML depends only on its Markdown, where it sits, which of the files it
links to exist, and the Markdown setup: it is kept in poakit's cache (`.cache/poakit`, whose
entries are verified on read; off with extra.poakit.cache: false) under a key made of these.
A page whose key is known skips Python-Markdown (`rendered_from`).

A page is kept only when rendering it logged no warning, so a strict build that failed on a
page fails again on the next build. Pages of docs/ are never kept: macros render them.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from functools import partial
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import CountHandler

from poakit.project.cache import Cache, digest
from poakit.project.loader import site_cache_folder

_LINK = re.compile(r"\]\(<?([^)\s>]+)")
_state: dict[str, Any] = {}
# Counts the warnings MkDocs and its extensions log (a page rendered with one is not kept).
_WARNINGS = CountHandler(level=logging.WARNING)


def _warnings() -> int:
    return sum(_WARNINGS.counts.values())


def on_config(config: Any) -> None:
    folder = site_cache_folder(config.config_file_path, config.extra.get("poakit", {}))
    _state["cache"] = None if folder is None else Cache(folder)
    setup = [config.markdown_extensions, config.mdx_configs, config.use_directory_urls]
    _state["setup"] = json.dumps(setup, sort_keys=True, default=repr)
    _state["pending"] = {}
    if _WARNINGS not in logging.getLogger("mkdocs").handlers:
        logging.getLogger("mkdocs").addHandler(_WARNINGS)


def on_files(files: Any, config: Any) -> None:
    _state["uris"] = {f.src_uri for f in files}


@event_priority(-100)  # after every other plugin changed the Markdown
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    cache: Cache | None = _state.get("cache")
    if cache is None or not page.file.generated_by:
        return markdown
    key = _key(markdown, page)
    kept = _read(cache.get(key))
    if kept is None:
        _state["pending"][page.file.src_uri] = (key, _warnings())
        return markdown
    # MkDocs has no event to hand it a page's HTML, and Page.render builds a Markdown
    # converter with every extension even for no text: this page renders from the cache.
    page.render = partial(rendered_from, page, kept)
    return ""  # nothing reads a page's Markdown after rendering: no need to hold it


def rendered_from(page: Any, kept: dict[str, Any], config: Any, files: Any) -> None:
    """What `Page.render` of MkDocs 1.6 sets, from what `kept_from` kept: the HTML, the title
    from the first heading, the table of contents, the anchors for link validation.

    The one place that sets MkDocs' private attributes; tests/hooks/test_html_cache.py fails
    if an MkDocs release renders a page into anything this does not set."""
    del page.render  # the partial holds `kept`: let it go with the page's own references
    page.content = str(kept["html"])
    page._title_from_render = kept["title"]
    page.toc = get_toc(kept["toc"])
    page.present_anchor_ids = set(kept["anchors"])
    targets = {uri: files.get_file_from_path(uri) for uri in kept["links"]}
    page.links_to_anchors = {targets[u]: a for u, a in kept["links"].items() if targets[u]}


def kept_from(page: Any, html: str) -> dict[str, Any]:
    """What `rendered_from` needs of a page MkDocs just rendered."""
    return {
        "html": html,
        "toc": [_token(link) for link in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()},
    }


@event_priority(120)  # first: the HTML of the Markdown, before poakit_pages puts islands in
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    pending = _state.get("pending", {}).pop(page.file.src_uri, None)
    if pending is not None and _warnings() == pending[1]:
        _state["cache"].put(pending[0], json.dumps(kept_from(page, html)).encode("utf-8"))
    return html


def _key(markdown: str, page: Any) -> str:
    """Everything the HTML of `page` depends on besides its Markdown: where it sits, the
    setup, and whether each page it links to exists (MkDocs rewrites those links)."""
    here = posixpath.dirname(page.file.src_uri)
    targets = sorted({t.split("#")[0] for t in _LINK.findall(markdown) if "://" not in t})
    present = [posixpath.normpath(posixpath.join(here, t)) in _state["uris"] for t in targets]
    context = [page.file.src_uri, page.file.dest_uri, _state["setup"], targets, present]
    return digest("html", markdown, json.dumps(context))


def _token(link: AnchorLink) -> dict[str, Any]:
    children = [_token(child) for child in link.children]
    return {"level": link.level, "id": link.id, "name": link.title, "children": children}


def _read(data: bytes | None) -> dict[str, Any] | None:
    try:
        kept = json.loads(data) if data is not None else None
    except ValueError:
        return None
    ok = isinstance(kept, dict) and {"html", "toc", "title", "anchors", "links"} <= kept.keys()
    return kept if ok else None
