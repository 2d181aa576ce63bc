"""The parts of pages that grow with the cases are raw HTML, not Markdown: the cases
dashboard's table, the lessons lists and the catalogue pages' lists of cases (Markdown inline processing of a thousand cases' cells
costs more than twice as much). So these pages escape every value themselves and write each
link as the URL the built site serves, with directory URLs or without: MkDocs does not rewrite
links inside raw HTML.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import posixpath
import random
import re
from functools import partial
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import REPO
from htmlread import site_markdown
from sites import build, copy_sources

from poakit.project.load import load_project
from poakit.site import catalogue, dashboard, lessons, urls
from poakit.site import markup as mdutil
from poakit.site.casepages import case_page
from poakit.templating.escape import visible

TODAY = dt.date(2026, 11, 27)
HOSTILE_NAME = "<b>Bold</b> & \"quoted\" 'single' **md** [x](javascript:alert(1)) {{ 7*7 }}\x07"
HOSTILE_MARKET = '<i>amazon</i> & "de"\x1b'


class _Elements(html.parser.HTMLParser):
    """Every element with its attributes and the text directly inside it, as a browser reads
    them (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        texts: list[str] = []
        self.elements.append((tag, {k: v or "" for k, v in attrs}, texts))
        self._open.append(texts)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].append(data)


def elements(page: str, tag: str) -> list[tuple[dict[str, str], str]]:
    parser = _Elements()
    parser.feed(page)
    return [(attrs, "".join(texts)) for name, attrs, texts in parser.elements if name == tag]


def to_html(page: str, at: str = "index.md", directory_urls: bool = True) -> str:
    """A generated page as the site shows it at `at`: Markdown, then its islands opened and
    their links resolved (as the MkDocs adapter does)."""
    link = partial(urls.file_link, at, directory_urls=directory_urls)
    return mdutil.resolve_links(mdutil.open_islands(site_markdown().convert(page)), link)


@pytest.fixture
def hostile(mini: Path) -> Path:
    """The mini project plus a private case with hostile values and a case that cannot be read
    (whose slug, its file name, is hostile too)."""
    acme = (mini / "cases" / "acme.yaml").read_text(encoding="utf-8")
    text = acme.replace("name: Acme Home Goods LLC", f"name: {_yaml(HOSTILE_NAME)}")
    text = text.replace("marketplace: amazon.com", f"marketplace: {_yaml(HOSTILE_MARKET)}")
    text = text.replace("visibility: public", "visibility: private")
    assert text.count("\\x07") == 1 and text.count("\\e") == 1
    (mini / "cases" / "hostile.yaml").write_text(text, encoding="utf-8")
    (mini / "cases" / "Bad &<b> #1.yaml").write_text("seller: [\n", encoding="utf-8")
    return mini


def _yaml(value: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's, except \\e for ESC)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\x07", "\\x07").replace("\x1b", "\\e") + '"'


# -- the dashboard --------------------------------------------------------------------------


def test_the_dashboard_table_is_plain_html_without_markdown_attributes(hostile: Path) -> None:
    project = load_project(hostile)
    page = dashboard.dashboard(project.cases, project.library, TODAY, 7)
    # One island (see mdutil.html_island): Markdown skips it whole, the adapter unwraps it
    # after the search has read the page (each case has a search entry of its own).
    island = page[page.index(mdutil.UNSEARCHED_START) :]
    assert island.endswith("</tbody>\n</table>\n</div>" + mdutil.ISLAND_END + "\n")
    assert island.count("<!-- poakit-html") == 1
    table = mdutil.open_islands(island)
    assert table.startswith('<div class="poakit-dashboard">')
    assert "markdown=" not in table


@pytest.mark.parametrize(
    ("directory_urls", "case_link", "reason_link"),
    [
        (True, "acme/", "../reasons/inauthentic/"),
        (False, "acme.html", "../reasons/inauthentic.html"),
    ],
)
def test_dashboard_links_are_the_sites_urls(
    mini: Path, directory_urls: bool, case_link: str, reason_link: str
) -> None:
    project = load_project(mini)
    page = dashboard.dashboard(project.cases, project.library, TODAY, 7)
    shown = to_html(page, dashboard.DASHBOARD_PAGE, directory_urls)
    links = [attrs["href"] for attrs, _ in elements(shown, "a")]
    assert case_link in links and reason_link in links
    # only the introduction's links are Markdown, which MkDocs rewrites
    assert [link for link in links if link.endswith(".md")] == [
        "../guide/add-a-case.md",
        "../lessons.md",
        "../tags.md",
    ]


def test_dashboard_shows_case_values_literally(hostile: Path) -> None:
    """As the Markdown version did: the text as typed, control characters as their pictures;
    the row's marketplace attribute equals the marketplace filter's option value."""
    project = load_project(hostile)
    page = dashboard.dashboard(project.cases, project.library, TODAY, 7)
    converted = to_html(page, dashboard.DASHBOARD_PAGE)
    page = converted[converted.index('<div class="poakit-dashboard">') :]
    rows = [attrs for attrs, _ in elements(page, "tr") if attrs.get("data-status")]
    (row,) = [r for r in rows if r["data-marketplace"] == visible(HOSTILE_MARKET)]
    assert row["data-reasons"] == '["inauthentic"]'
    options = {attrs.get("value") for attrs, _ in elements(page, "option")}
    assert visible(HOSTILE_MARKET) in options
    links = {attrs["href"]: text for attrs, text in elements(page, "a")}
    assert links["hostile/"] == visible(HOSTILE_NAME)
    assert links["Bad%20%26%3Cb%3E%20%231/"] == "Bad &<b> #1"  # the unreadable case
    assert elements(page, "em") == [({}, "(private)")]
    cells = [text for _, text in elements(page, "td")]
    assert visible(HOSTILE_MARKET) in cells
    for tag in ("b", "i", "strong", "script"):
        assert elements(page, tag) == [], tag


# -- the lessons lists ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directory_urls", "case_link"), [(True, "../cases/acme/"), (False, "cases/acme.html")]
)
def test_lessons_lists_link_each_case_and_show_its_lessons_literally(
    hostile: Path, directory_urls: bool, case_link: str
) -> None:
    cases = [c for c in load_project(hostile).cases if c.file is not None]
    library = load_project(hostile).library
    page = lessons.lessons_page(cases, library)
    assert not re.search(r"^- ", page, re.MULTILINE), "the lessons are a raw HTML list"
    converted = to_html(page, lessons.LESSONS_PAGE, directory_urls)
    links = {attrs["href"]: text for attrs, text in elements(converted, "a")}
    assert links[case_link] == "Acme Home Goods LLC"
    hostile_link = case_link.replace("acme", "hostile")
    assert links[hostile_link] == visible(HOSTILE_NAME)
    items = [text for _, text in elements(converted, "li")]
    acme = load_project(hostile).case("acme")
    assert acme is not None and acme.file is not None
    for lesson in acme.file.case.lessons:
        assert f"{lesson} (, open)" in items  # the text around the link to the case


@pytest.mark.parametrize(
    ("directory_urls", "case_link"), [(True, "../../cases/acme/"), (False, "../cases/acme.html")]
)
def test_catalogue_pages_list_their_cases_as_links_with_names_shown_literally(
    hostile: Path, directory_urls: bool, case_link: str
) -> None:
    """A reason's, a root cause's and a measure's page list the cases that use them as raw
    HTML: each links to the case page as the site serves it, the seller's name as typed."""
    project = load_project(hostile)
    library, used = project.library, catalogue.usage(project.cases)
    acme = project.case("acme")
    assert acme is not None and acme.case is not None
    reason = acme.case.reason_ids()[0]
    cause = acme.case.snippet_ids("root-cause")[0]
    measure = acme.case.snippet_ids("measure")[0]
    pages = {
        f"reasons/{reason}.md": catalogue.reason_page(
            library.reasons[reason], library, used[("reason", reason)]
        ),
        f"root-causes/{cause}.md": catalogue.root_cause_page(
            library.root_causes[cause], library, used[("root-cause", cause)]
        ),
        f"measures/{measure}.md": catalogue.measure_page(
            library.measures[measure], library, used[("measure", measure)]
        ),
    }
    for at, page in pages.items():
        listed = page[page.index("## Example cases") :]
        assert not re.search(r"^- ", listed, re.MULTILINE), "the cases are a raw HTML list"
        converted = to_html(page, at, directory_urls)
        links = {attrs["href"]: text for attrs, text in elements(converted, "a")}
        assert links[case_link] == "Acme Home Goods LLC"
        assert links[case_link.replace("acme", "hostile")] == visible(HOSTILE_NAME)
        for tag in ("b", "script"):
            assert elements(converted, tag) == [], tag


# -- the URLs -------------------------------------------------------------------------------

PAGES = (
    "index.md",
    "lessons.md",
    "cases/index.md",
    "cases/acme.md",
    "cases/Bad &<b> #1?.md",
    "reasons/inauthentic.md",
    "reasons/index.md",
    "guide/deep/README.md",
    "a b/c%d.md",
)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_are_the_ones_mkdocs_writes(directory_urls: bool) -> None:
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    def url(path: str) -> str:
        return File(path, "/docs", "/site", directory_urls).url

    for source in PAGES:
        for target in PAGES:
            expected = get_relative_url(url(target), url(source))
            assert urls.link(source, target, directory_urls=directory_urls) == expected, (
                source,
                target,
            )
            assert urls.file_link(source, target, directory_urls=directory_urls) == expected
    # any other file (a download) where it lies, as MkDocs links it from a page's Markdown
    for source in PAGES:
        for target in ("cases/acme/acme.txt", "cases/a b/a b.docx", "assets/x%y.css"):
            expected = get_relative_url(url(target), url(source))
            assert urls.file_link(source, target, directory_urls=directory_urls) == expected
    # pages whose URLs share a folder link to every page alike (the catalogue's memo key)
    pages = [*PAGES, "reasons/other.md", "measures/index.md", "measures/x.md"]
    for one in pages:
        for other in pages:
            if urls.folder_url(one, directory_urls=directory_urls) == urls.folder_url(
                other, directory_urls=directory_urls
            ):
                for target in PAGES:
                    assert urls.link(one, target, directory_urls=directory_urls) == urls.link(
                        other, target, directory_urls=directory_urls
                    )


# -- a site without directory URLs ----------------------------------------------------------


@pytest.fixture(scope="module")
def flat_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with `use_directory_urls: false`: pages are `cases/acme.html`."""
    root = copy_sources(tmp_path_factory.mktemp("flat") / "sources")
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as config:
        config.write("\nuse_directory_urls: false\n")
    result = build(root, root.parent / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return root.parent / "site"


def _links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    content = text[text.index("<article") : text.index("</article>")]
    return [attrs["href"] for attrs, _ in elements(content, "a") if "href" in attrs]


def _resolves(site: Path, page: str, link: str) -> bool:
    path = unquote(link.split("#")[0])
    return (
        not path
        or (site / posixpath.normpath(posixpath.join(posixpath.dirname(page), path))).is_file()
    )


@pytest.mark.site
@pytest.mark.parametrize(
    ("page", "cases_folder"), [("cases/index.html", ""), ("lessons.html", "cases/")]
)
def test_without_directory_urls_every_link_resolves(
    flat_site: Path, page: str, cases_folder: str
) -> None:
    links = _links(flat_site / page)
    assert [link for link in links if not _resolves(flat_site, page, link)] == []
    public = {
        p.stem
        for p in (REPO / "cases").glob("*.yaml")
        if re.search(r"^visibility: public$", p.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert {f"{cases_folder}{slug}.html" for slug in public} <= set(links)
    assert len(public) >= 8


def test_an_island_passes_markdown_untouched_and_opens_to_its_html() -> None:
    html = "<ul>\n<li>a *not emphasis* &amp; [not a link](x.md)</li>\n\n<li>b</li>\n</ul>"
    page = f"Intro *text*.\n\n{mdutil.html_island(html)}\n\nAfter.\n"
    shown = to_html(page)
    assert shown.startswith("<p>Intro <em>text</em>.</p>\n")
    assert f"\n{html}\n" in shown and shown.endswith("<p>After.</p>")


def test_an_island_refuses_html_that_would_end_it_early() -> None:
    with pytest.raises(ValueError, match="cannot hold '-->'"):
        mdutil.html_island("<p>a --> b</p>")


def test_islands_taken_out_of_markdown_come_back_as_the_same_html() -> None:
    first, second = "<ul>\n<li>a *b* &amp; [c](d.md)</li>\n</ul>", '<p class="x">y</p>'
    page = (
        f"# Title\n\nIntro *text*.\n\n{mdutil.html_island(first)}\n\nMiddle.\n\n"
        f"{mdutil.html_island(second, searched=False)}\n"
    )
    skeleton, islands = mdutil.take_islands(page)
    assert [mdutil.open_islands(island) for island in islands] == [first, second]
    assert first not in skeleton and "poakit-html" not in skeleton
    shown = mdutil.put_islands(to_html(skeleton), islands)
    # the island the search reads is open; the other stays a comment until it has read the page
    assert f"\n{first}\n" in shown
    assert mdutil.UNSEARCHED_START + second + mdutil.ISLAND_END in shown
    assert mdutil.open_islands(shown) == mdutil.open_islands(to_html(page))
    assert mdutil.open_islands(shown).endswith(f"\n{second}")
    # two pages that differ only in their islands have the same Markdown without them
    other = page.replace("a *b*", "another name")
    assert mdutil.take_islands(other)[0] == skeleton


def test_islands_next_to_each_other_share_a_placeholder() -> None:
    a, b, c = (mdutil.html_island(f"<p>{n}</p>") for n in "abc")
    unsearched = mdutil.html_island("<p>u</p>", searched=False)
    page = f"# T\n\n{a}\n\n{b}\n{unsearched}\n\nText.\n\n{c}\n"
    skeleton, islands = mdutil.take_islands(page)
    assert skeleton == (
        "# T\n\n<!-- poakit-island 0-1 -->\n<!-- poakit-island 2 -->\n\nText.\n\n"
        "<!-- poakit-island 3 -->\n"
    )  # only islands a blank line apart share one (Markdown joins the others without one)
    assert len(islands) == 4
    shown = mdutil.put_islands(to_html(skeleton), islands)
    assert mdutil.open_islands(shown) == to_html(page)
    assert mdutil.put_islands("<!-- poakit-island 2-4 -->", ["x"] * 4) == (
        "<!-- poakit-island 2-4 -->"  # more islands than there are: left as it is
    )


def test_every_shipped_case_page_shows_the_same_html_with_its_islands_taken_out() -> None:
    project = load_project(REPO, base=REPO)
    for result in project.cases:
        page = case_page(result, project.library)
        skeleton, islands = mdutil.take_islands(page)
        assert len(islands) > skeleton.count("poakit-island") > 3, result.slug
        at = f"cases/{result.slug}.md"
        link = partial(urls.file_link, at, directory_urls=True)
        shown = mdutil.put_islands(site_markdown().convert(skeleton), islands, link)
        assert mdutil.open_islands(shown) == to_html(page, at), result.slug  # byte for byte


def test_a_page_already_holding_a_placeholder_keeps_its_islands() -> None:
    page = f"<!-- poakit-island 0 -->\n\n{mdutil.html_island('<p>x</p>')}\n"
    assert mdutil.take_islands(page) == (page, [])
    assert mdutil.take_islands("No islands.") == ("No islands.", [])
    assert mdutil.put_islands("<!-- poakit-island 3 -->", ["<p>x</p>"]) == (
        "<!-- poakit-island 3 -->"
    )
    # its islands went through Markdown as comments: the search's are opened all the same
    assert mdutil.put_islands(to_html(page), []).endswith("<p>x</p>")


def test_an_unsearched_island_is_a_comment_to_the_search_until_opened() -> None:
    island = mdutil.html_island("<ul><li>Acme</li></ul>", searched=False)
    assert island.startswith("<!--") and island.endswith("-->")
    assert mdutil.open_islands(island, unsearched=False) == island
    assert mdutil.open_islands(island) == "<ul><li>Acme</li></ul>"


# What an island is, said as a regular expression: the reference the hand-written search of
# `markup._islands` must agree with on any text.
_REFERENCE = re.compile(r"<!-- poakit-html( unsearched)?\n(.*?)\n-->", re.DOTALL)
_PIECES = [
    "<!-- poakit-html\n",
    "<!-- poakit-html unsearched\n",
    "\n-->",
    "<!-- poakit-html",
    "<!-- poakit-htmlx\n",
    " unsearched\n",
    "<!-- poakit-island 0 -->",
    "-->",
    "\n",
    "a",
    "<p>x</p>",
]


def test_islands_are_found_as_the_reference_expression_finds_them() -> None:
    rng = random.Random(20261201)
    for _ in range(20000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        for unsearched in (True, False):
            expected = _REFERENCE.sub(
                lambda m, u=unsearched: m.group(0) if m.group(1) and not u else m.group(2), text
            )
            assert mdutil.open_islands(text, unsearched=unsearched) == expected, text
        if "<!-- poakit-island " not in text:
            found = [m.group(0) for m in _REFERENCE.finditer(text)]
            assert mdutil.take_islands(text)[1] == found, text


def test_relative_paths_are_those_posixpath_gives() -> None:
    """`urls.relative_path` skips `posixpath.relpath`'s detour through the working folder and
    must give what it gives, for any two paths from the site's root."""
    rng = random.Random(7)
    parts = ["cases", "root-causes", "a", "b", "index.html", ".", "..", "", "x y", "é"]
    for _ in range(20000):
        path, start = ("/".join(rng.choices(parts, k=rng.randint(0, 4))) for _ in range(2))
        expected = posixpath.relpath("/" + path, "/" + start)
        assert urls.relative_path(path, start) == expected, (path, start)


@pytest.mark.site
def test_without_directory_urls_a_case_pages_header_and_downloads_resolve(
    flat_site: Path,
) -> None:
    page = "cases/acme-home-inauthentic.html"
    links = _links(flat_site / page)
    assert [link for link in links if not _resolves(flat_site, page, link)] == []
    assert "../reasons/inauthentic.html" in links  # the header's, an island's link
    assert {"acme-home-inauthentic/acme-home-inauthentic.txt"} | {
        "acme-home-inauthentic/acme-home-inauthentic.docx"
    } <= set(links)
    assert not [link for link in links if "poakit-link" in link]


def test_island_links_are_resolved_for_the_page_that_holds_them() -> None:
    searched = f'<p><a href="{mdutil.site_link("reasons/x y.md")}">x</a></p>'
    unsearched = f'<p><a href="{mdutil.site_link("cases/a/a.txt")}">t</a></p>'
    page = (
        f"# A\n\n{mdutil.html_island(searched)}\n\nText.\n\n"
        f"{mdutil.html_island(unsearched, searched=False)}\n"
    )
    skeleton, islands = mdutil.take_islands(page)
    html = site_markdown().convert(skeleton)
    for directory_urls, expected in (
        (True, ["../../reasons/x%20y/", "a.txt"]),
        (False, ["../reasons/x%20y.html", "a/a.txt"]),
    ):
        link = partial(urls.file_link, "cases/a.md", directory_urls=directory_urls)
        shown = mdutil.open_islands(mdutil.put_islands(html, islands, link))
        assert re.findall(r'href="([^"#]+)"', shown) == expected
    # a staged tree: as Markdown links are written, relative to the page's file
    staged = mdutil.open_islands(
        mdutil.put_islands(html, islands, partial(urls.source_link, "cases/a.md"))
    )
    assert re.findall(r'href="([^"#]+)"', staged) == ["../reasons/x%20y.md", "a/a.txt"]
    # without a page (no adapter that knows the site's URLs), the marks stay as they are
    assert mdutil.site_link("reasons/x y.md") in mdutil.put_islands(html, islands)


def test_a_case_value_cannot_make_an_island_link(mini: Path) -> None:
    """Every value in an island is escaped, its quotes too: text that spells a link mark
    stays text, and no link the page did not write appears once the links are resolved."""
    forged = 'x" href="poakit-link:../../etc/passwd" href="<poakit-link:../../etc/passwd>"'
    case = mini / "cases" / "acme.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("Acme Home Goods LLC", _yaml(forged)), encoding="utf-8")
    project = load_project(mini, base=mini)
    (result,) = project.cases
    skeleton, islands = mdutil.take_islands(case_page(result, project.library))
    html = site_markdown().convert(skeleton)
    link = partial(urls.file_link, "cases/acme.md", directory_urls=True)
    shown = mdutil.open_islands(mdutil.put_islands(html, islands, link))
    hrefs = [attrs.get("href", "") for attrs, _ in elements(shown, "a")]
    links = [href for href in hrefs if not href.startswith("#")]  # the headings' own anchors
    assert links == ["../../reasons/inauthentic/", "acme.txt", "acme.docx"]
    texts = [text for _, text in elements(shown, "td")]
    assert forged in texts[1]  # the seller's name, shown as typed
