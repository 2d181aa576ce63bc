"""MkDocs hook: the HTML of generated pages, kept between builds.

Python-Markdown costs some 12 ms for a case page, most of a build of a thousand cases. A
generated page's HTML depends only on its Markdown, where it sits, which of the files it
links to exist, the Markdown configuration and the library versions. This hook keeps the HTML
(with the page's table of contents, title and anchors) under a key made of exactly these, in
.cache/poakit/html (unless extra.poakit.cache is false). A page whose key is known skips
Python-Markdown: the page's rendering is replaced by setting what it would set.

A page is kept only when rendering it logged no warning, so a strict build that failed on a
page fails again on the next build. Pages of docs/ are never kept: macros render them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import posixpath
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import CountHandler

from poakit.casecache import keep
from poakit.project import store_folder

_LINK = re.compile(r"\]\(<?([^)\s>]+)")
_state: dict[str, Any] = {}


# Counts the warnings MkDocs and its extensions log (a page rendered with one is not kept).
_WARNINGS = CountHandler(level=logging.WARNING)


def _warnings() -> int:
    return sum(_WARNINGS.counts.values())


def on_startup(command: str, dirty: bool) -> None:
    _state["dirty"] = dirty


def on_config(config: Any) -> None:
    store = store_folder(Path(config.config_file_path).parent, config.extra.get("poakit", {}))
    _state["folder"] = None if store is None else store / "html"
    versions = [metadata.version(p) for p in ("mkdocs", "markdown", "pymdown-extensions")]
    setup = [config.markdown_extensions, config.mdx_configs, config.use_directory_urls, versions]
    _state["setup"] = json.dumps(setup, sort_keys=True, default=repr)
    _state["pending"], _state["used"] = {}, set()
    if _WARNINGS not in logging.getLogger("mkdocs").handlers:
        logging.getLogger("mkdocs").addHandler(_WARNINGS)


def on_files(files: Any, config: Any) -> None:
    _state["uris"] = {f.src_uri for f in files}


@event_priority(-100)  # after every other plugin changed the Markdown
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    folder = _state.get("folder")
    if folder is None or not page.file.generated_by:
        return markdown
    key = _key(markdown, page)
    kept = _read(folder / key[:2] / f"{key}.json")
    if kept is None:
        _state["pending"][page.file.src_uri] = (key, _warnings())
    else:
        _state["used"].add(key)
        # MkDocs has no event to hand it a page's HTML, and Page.render builds a Markdown
        # converter with every extension even for no text: this page renders from the cache.
        page.render = functools.partial(_render_kept, page, kept)
        return ""  # nothing reads a page's Markdown after rendering: no need to hold it
    return markdown


def _render_kept(page: Any, kept: dict[str, Any], config: Any, files: Any) -> None:
    """What Page.render sets (MkDocs is pinned to 1.6, the last 1.x): the HTML, the title
    from the first heading, the table of contents, the anchors for link validation."""
    del page.render  # the partial holds `kept`: let it go with the page's own references
    page.content = str(kept["html"])
    page._title_from_render = kept["title"]
    page.toc = get_toc(kept["toc"])
    page.present_anchor_ids = set(kept["anchors"])
    targets = {uri: files.get_file_from_path(uri) for uri in kept["links"]}
    page.links_to_anchors = {targets[u]: a for u, a in kept["links"].items() if targets[u]}


@event_priority(100)  # before other plugins change the HTML (after poakit_pages' islands)
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    pending = _state.get("pending", {}).pop(page.file.src_uri, None)
    if pending is not None and _warnings() == pending[1]:
        key = pending[0]
        _state["used"].add(key)
        kept = {
            "html": html,
            "toc": [_token(link) for link in page.toc],
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()},
        }
        keep(_state["folder"] / key[:2] / f"{key}.json", json.dumps(kept).encode("utf-8"))
    return html


def on_post_build(config: Any) -> None:
    """Forget the pages this build did not show (unless it skipped pages: `--dirty`)."""
    folder = _state.get("folder")
    if folder is None or _state.get("dirty") or not folder.is_dir():
        return
    for path in folder.glob("*/*.json"):
        if path.stem not in _state["used"]:
            with contextlib.suppress(OSError):
                path.unlink()


def _key(markdown: str, page: Any) -> str:
    """Everything the HTML of `page` depends on besides its Markdown: where it sits, the
    setup, and whether each page it links to exists (MkDocs rewrites those links)."""
    here = posixpath.dirname(page.file.src_uri)
    targets = sorted({t.split("#")[0] for t in _LINK.findall(markdown) if "://" not in t})
    present = [posixpath.normpath(posixpath.join(here, t)) in _state["uris"] for t in targets]
    digest = hashlib.blake2b(markdown.encode("utf-8"), digest_size=16)
    context = [page.file.src_uri, page.file.dest_uri, _state["setup"], targets, present]
    digest.update(json.dumps(context).encode("utf-8"))
    return digest.hexdigest()


def _token(link: AnchorLink) -> dict[str, Any]:
    children = [_token(child) for child in link.children]
    return {"level": link.level, "id": link.id, "name": link.title, "children": children}


def _read(path: Path) -> dict[str, Any] | None:
    try:
        kept = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    ok = isinstance(kept, dict) and {"html", "toc", "title", "anchors", "links"} <= kept.keys()
    return kept if ok else None
