"""The URL of a generated page, for links written in raw HTML.

A page's Markdown links (`[Acme](acme.md)`) are rewritten by the site builder into the linked
page's URL; MkDocs leaves links inside raw HTML alone. The pages that write raw HTML instead
of Markdown (for speed: the cases dashboard, the lessons lists, the catalogue's lists of
cases, a case page's header) mark their links (`markup.site_link`), and the MkDocs adapter
writes the URL in, the way MkDocs addresses pages: `cases/acme.md` is served as `cases/acme/`
with `use_directory_urls` (MkDocs' default) and as `cases/acme.html` without it; an
`index.md` is its folder's page either way.
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import quote


@functools.lru_cache(maxsize=16384)
def page_url(path: str, *, directory_urls: bool) -> str:
    """The URL of page `path` (under docs/, e.g. `cases/acme.md`) from the site's root."""
    folder, _, name = path.removesuffix(".md").rpartition("/")
    prefix = f"{folder}/" if folder else ""
    if name in ("index", "README"):  # MkDocs serves both as the folder's index.html
        return (prefix or "./") if directory_urls else f"{prefix}index.html"
    return f"{prefix}{name}/" if directory_urls else f"{prefix}{name}.html"


def folder_url(source: str, *, directory_urls: bool) -> str:
    """The folder of page `source`'s URL: what its relative links start from, so two pages of
    one folder link to a page alike."""
    here = page_url(source, directory_urls=directory_urls)
    return here if here.endswith("/") else posixpath.dirname(here)


def link(source: str, target: str, *, directory_urls: bool) -> str:
    """The URL-quoted relative link from page `source` to page `target` (both under docs/)."""
    folder = folder_url(source, directory_urls=directory_urls)
    there = page_url(target, directory_urls=directory_urls)
    relative = relative_path(there, folder)
    return _quoted(relative + "/" if there.endswith("/") else relative)


# A build links each pair of pages once or twice (13,788 pairs at 1,009 cases, 1,000 asked
# again): a larger memory held them all to the end of the build, 2.7 MB of its peak.
@functools.lru_cache(maxsize=4096)
def file_link(source: str, target: str, *, directory_urls: bool) -> str:
    """The URL-quoted relative link from page `source` to `target` (both under docs/): a page
    (`.md`) at its URL (`link`), any other file (a download) where it lies."""
    if target.endswith(".md"):
        return link(source, target, directory_urls=directory_urls)
    folder = folder_url(source, directory_urls=directory_urls)
    return _quoted(relative_path(target, folder))


@functools.lru_cache(maxsize=65536)
def source_link(source: str, target: str) -> str:
    """The URL-quoted link from page `source` to file `target` (both under docs/) as a
    Markdown link is written: relative to the page's file, whatever its URL."""
    return _quoted(relative_path(target, posixpath.dirname(source)))


def relative_path(path: str, start: str) -> str:
    """`posixpath.relpath` of two paths from the site's root (`"/" + path` from
    `"/" + start`), without its detour through the working folder: a catalogue of a thousand
    cases writes some 12,000 links a build (each path's parts are remembered: a page links
    to many, and a case is linked from many pages)."""
    target, origin = _parts(path), _parts(start)
    common = 0
    for mine, theirs in zip(target, origin, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(origin) - common) + list(target[common:])) or "."


@functools.lru_cache(maxsize=16384)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(part for part in posixpath.normpath("/" + path).split("/") if part)


#: What `quote` leaves as it is (letters, digits, "_.-~" and "/"): most links are slugs.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


def _quoted(url: str) -> str:
    return url if _UNQUOTED.fullmatch(url) else quote(url)
