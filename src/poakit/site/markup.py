"""Small Markdown builders shared by the generated pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from urllib.parse import quote, unquote

from ..templating.escape import html_text


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def cell(text: str) -> str:
    """One table cell: on one line, with every pipe escaped exactly once."""
    return BARE_PIPE.sub(r"\\|", " ".join(text.split()))


BARE_PIPE = re.compile(r"(?<!\\)\|")


#: After a heading (attr_list): the theme's search leaves out the heading and its section.
#: A case page's sections carry it, so a search index that takes the page in (a staged tree;
#: see `stage`) holds only its head: the title, the seller, the reasons, the status. Material
#: and Zensical both honour it.
UNINDEXED = "{ data-search-exclude }"


# -- raw HTML islands -----------------------------------------------------------------------------
# Python-Markdown reads a raw HTML block tag by tag to find where it ends: a dashboard of a
# thousand rows costs 0.2 s to set aside, on every build and every preview save. Wrapped in an
# HTML comment it is skipped at the cost of one search for "-->"; the MkDocs adapter opens the
# comment in the page's HTML (`open_islands`). Without the adapter the HTML stays a comment.
#
# An island the site's search need not read (a list of links to pages it finds on their own:
# the dashboard, a catalogue page's cases) is marked `searched=False`: the adapter opens it
# only after the search has read the page (as a comment, the search skips it at no cost), so
# seller names are not indexed again on every page that lists a case.
ISLAND_START, ISLAND_END = "<!-- poakit-html\n", "\n-->"
UNSEARCHED_START = "<!-- poakit-html unsearched\n"
_OPENING = "<!-- poakit-html"


def _islands(text: str) -> Iterator[tuple[int, int, bool, str]]:
    """Each island of `text`: where it starts and ends, whether the search may read it, and
    its HTML. It ends at the first `ISLAND_END` after its start (an island holds no "-->").
    A plain search with `str.find`: a regular expression's lazy `.*?` tried the end at every
    character of the island, the main cost of setting islands aside."""
    at = text.find(_OPENING)
    while at >= 0:
        for start, searched in ((ISLAND_START, True), (UNSEARCHED_START, False)):
            if text.startswith(start, at):
                end = text.find(ISLAND_END, at + len(start))
                if end < 0:
                    return
                yield at, end + len(ISLAND_END), searched, text[at + len(start) : end]
                at = end + len(ISLAND_END) - 1
                break
        at = text.find(_OPENING, at + 1)


def _replaced(text: str, islands: Iterable[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) span replaced by its new text."""
    parts, last = [], 0
    for start, end, new in islands:
        parts += [text[last:start], new]
        last = end
    return "".join(parts) + text[last:] if parts else text


def html_island(html: str, *, searched: bool = True) -> str:
    """A block of finished HTML that Markdown passes through untouched (see above). Every
    value in it must be escaped already, so it cannot hold "-->"."""
    if "-->" in html:
        raise ValueError("an HTML island cannot hold '-->'")
    return (ISLAND_START if searched else UNSEARCHED_START) + html + ISLAND_END


def open_islands(html: str, *, unsearched: bool = True) -> str:
    """The page's HTML with every island unwrapped; with `unsearched=False`, those only that
    the search reads (the others stay comments until the search has read the page)."""
    if _OPENING not in html:
        return html
    return _replaced(
        html,
        (
            (start, end, body)
            for start, end, searched, body in _islands(html)
            if searched or unsearched
        ),
    )


# A link in an island to another file of the site is written `href="<poakit-link:reasons/x.md>"`
# (`site_link`: the file's path under docs/), and made a real link by whoever builds the site
# (`resolve_links`): builders do not agree on links in raw HTML. MkDocs leaves them as they
# are, so the MkDocs adapter writes each file's URL relative to the page's URL, which depends
# on the page and on `use_directory_urls` (`urls.file_link`); Zensical rewrites them as it
# rewrites Markdown links, relative to the page's file, so a staged tree holds that
# (`urls.source_link`). The page's Markdown stays the same for both, and for the cache. A case
# value cannot make a mark: it starts with "<", which every escaping of a value for a page
# turns into "&lt;" (a value's quotes may stay as typed in text, so a mark without "<" could
# be spelled).
_LINK_PREFIX = 'href="<poakit-link:'
_LINKED = re.compile(r'href="<poakit-link:([^"<>]*)>"')


def site_link(target: str) -> str:
    """The href, in an island, of the file `target` under docs/ (see above)."""
    return f"<poakit-link:{quote(target)}>"


def link_html(target: str, text: str) -> str:
    """A link, in an island, to the file `target` under docs/, showing `text` (a value, as
    typed: escaped here)."""
    return f'<a href="{site_link(target)}">{html_text(text)}</a>'


def resolve_links(html: str, link: Callable[[str], str]) -> str:
    """`html` with each island's `site_link` made `link(target)` (see above)."""
    if _LINK_PREFIX not in html:
        return html
    return _LINKED.sub(lambda match: f'href="{link(unquote(match.group(1)))}"', html)


# An adapter can go further and keep the islands out of Markdown altogether (`take_islands`
# before Markdown, `put_islands` after): Markdown then reads a short placeholder for each, and
# two pages that differ only in their islands (a catalogue page after a seller's name changed)
# have the same Markdown, so the HTML kept for one serves the other.
#
# Islands next to each other (a section's heading stays Markdown, for the table of contents;
# its copy button and body follow as islands) share one placeholder, `<!-- poakit-island 3-5
# -->`: Markdown reads each placeholder as a block of its own (a fifth of a case page's
# Markdown went into its fourteen placeholders).
_PLACEHOLDER = "<!-- poakit-island {} -->"
_PLACED = re.compile(r"<!-- poakit-island (\d+)(?:-(\d+))? -->")


def take_islands(markdown: str) -> tuple[str, list[str]]:
    """The page with each run of islands (apart only by a blank line) replaced by a numbered
    placeholder (a comment, which Markdown passes through), and the islands, in order. A page
    that already holds a placeholder's words is left whole (its islands then go through
    Markdown as comments)."""
    if _OPENING not in markdown or "<!-- poakit-island " in markdown:
        return markdown, []
    found = [(start, end) for start, end, _, _ in _islands(markdown)]
    runs: list[tuple[int, int, int, int]] = []  # start, end, first island, last island
    for n, (start, end) in enumerate(found):
        if runs and markdown[runs[-1][1] : start] == "\n\n":
            runs[-1] = (runs[-1][0], end, runs[-1][2], n)
        else:
            runs.append((start, end, n, n))
    placed = (
        (start, end, _PLACEHOLDER.format(f"{first}-{last}" if last > first else first))
        for start, end, first, last in runs
    )
    return _replaced(markdown, placed), [markdown[start:end] for start, end in found]


def put_islands(html: str, islands: Sequence[str], link: Callable[[str], str] | None = None) -> str:
    """The HTML Markdown made of `take_islands`' page with the islands back in place: those
    the search reads opened, the others still comments (see `open_islands`); with `link`,
    their links resolved (`resolve_links`)."""

    def put(match: re.Match[str]) -> str:
        first = int(match.group(1))
        last = int(match.group(2) or first)
        return "\n\n".join(islands[first : last + 1]) if last < len(islands) else match.group(0)

    html = _PLACED.sub(put, html) if islands else html
    if link is not None:
        html = resolve_links(html, link)
    return open_islands(html, unsearched=False)
