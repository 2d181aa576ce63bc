"""MkDocs hook: a page's search entries are parsed from its HTML once, not on every build.

Material's search plugin parses the HTML of every searchable page on every build to cut it
into sections: some 160 pages here (the guide and the catalogue; each case has an entry of
its own, site/searchindex.py), some 0.55 s of a warm build at 1,000 cases, on the build's one
core. A page's entries depend only on its HTML, its address, its table of contents, its
title, tags and search settings, and Material's version (part of the cache's generation). A
build keeps the entries of the pages it indexed in one entry of poakit's cache (verified on
read; none without the cache) and the next build takes a page's entries from there when it
finds its key. The preview reads them once and keeps nothing: its builds index the pages a
save changed, not the site.
"""

from __future__ import annotations

import json
from typing import Any

from material.plugins.search.plugin import SearchIndex

from poakit.project.cache import Cache, digest
from poakit.project.loader import site_cache_folder

_KEY = digest("search-entries")
_state: dict[str, Any] = {"original": None, "cache": None, "known": {}, "used": {}}


def on_startup(command: str, dirty: bool) -> None:
    _state["keep"] = command in ("build", "gh-deploy")


def on_config(config: Any) -> None:
    folder = site_cache_folder(config.config_file_path, config.extra.get("poakit", {}))
    cache = _state["cache"] = None if folder is None else Cache(folder)
    if _state.get("keep") or _state.get("read") != folder:  # the preview reads them once
        _state.update(known=_read(cache.get(_KEY)) if cache is not None else {}, read=folder)
    _state["used"] = {}
    if _state["original"] is None:
        _state["original"] = SearchIndex.add_entry_from_context
        SearchIndex.add_entry_from_context = add_entry_from_context


def on_post_build(config: Any) -> None:
    cache: Cache | None = _state["cache"]
    if cache is not None and _state.get("keep") and _state["used"] != _state["known"]:
        cache.put(_KEY, json.dumps(_state["used"]).encode("utf-8"))  # keys in their order


def on_shutdown() -> None:
    if _state["original"] is not None:
        SearchIndex.add_entry_from_context = _state["original"]
    _state.update(original=None, cache=None, known={}, used={}, read=None)


def add_entry_from_context(index: Any, page: Any) -> None:
    """`SearchIndex.add_entry_from_context`, from the cache where the page is known."""
    if _state["cache"] is None or (page.meta.get("search") or {}).get("exclude"):
        return _state["original"](index, page)  # type: ignore[no-any-return]
    meta = {name: page.meta.get(name) for name in ("title", "tags", "search")}
    shape = [page.url, str(page.title), _toc(page.toc), meta]
    key = digest("search", page.content, json.dumps(shape, sort_keys=True, default=repr))
    entries = _state["known"].get(key)
    if entries is None:
        before = len(index.entries)
        _state["original"](index, page)
        entries = json.loads(json.dumps(index.entries[before:]))  # plain data, kept apart
    else:
        index.entries.extend(json.loads(json.dumps(entries)))  # a copy: the index changes its own
    _state["used"][key] = entries
    return None


def _toc(links: Any) -> list[Any]:
    return [[link.id, link.url, link.title, _toc(link.children)] for link in links or ()]


def _read(data: bytes | None) -> dict[str, list[dict[str, Any]]]:
    """The kept entries, by page key; nothing if they are not what this hook writes."""
    try:
        kept = json.loads(data) if data is not None else {}
    except ValueError:
        return {}
    if not isinstance(kept, dict) or not all(
        isinstance(v, list) and all(isinstance(e, dict) for e in v) for v in kept.values()
    ):
        return {}
    return kept
