"""The same site from two builders: MkDocs with poakit's hooks (`make build`), and Zensical
from the staged tree (`make build-zensical`: `poa stage`, then `zensical build`).

Both build the same sources (the repository's site plus a case whose review warns); each build
is made once per test session and shared with the browser tests (tests/sites.py). Where
Zensical lacks something MkDocs has, a test says so instead of leaving it out.
"""

from __future__ import annotations

import html.parser
import importlib.metadata
import importlib.util
import json
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from hostile import Markup, hostile_case, markup_scan, typed
from sites import (
    ACME,
    HOSTILE_SLUG,
    PRIVATE,
    TOKENS,
    WARNING_CASE,
    WARNING_SELLER,
    ZensicalSite,
    copy_sources,
    git_env,
    hostile_base,
    plain_build,
    run_stage,
    run_zensical,
    site_files,
    traces,
    zensical_build,
)

from poakit.project.load import load_library

pytestmark = pytest.mark.site

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plain_build(tmp_path_factory.getbasetemp() / "plain")


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> ZensicalSite:
    return zensical_build(tmp_path_factory.getbasetemp() / "zensical")


def _files(site: Path, pattern: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob(pattern)}


def _case_pages(site: Path) -> list[str]:
    return sorted(p for p in _files(site, "cases/*/index.html"))


# -- the same pages ---------------------------------------------------------------------------


def test_zensical_builds_the_staged_tree_strictly_without_a_warning(zensical: ZensicalSite) -> None:
    """The staged mkdocs.yml keeps `strict: true`: a broken link or anchor would stop it."""
    assert yaml.safe_load((zensical.stage / "mkdocs.yml").read_text("utf-8"))["strict"] is True
    assert "No issues found" in ANSI.sub("", zensical.build.stderr)


def test_both_builders_give_the_same_page_urls(mkdocs_site: Path, zensical: ZensicalSite) -> None:
    pages = _files(mkdocs_site, "*.html")
    assert len(pages) > 100
    assert _files(zensical.site, "*.html") == pages
    assert f"cases/{WARNING_CASE}/index.html" in pages


def test_both_builders_publish_the_same_downloads(
    mkdocs_site: Path, zensical: ZensicalSite
) -> None:
    for pattern in ("*.txt", "*.docx"):
        names = _files(mkdocs_site, f"cases/*/{pattern}")
        assert names and _files(zensical.site, f"cases/*/{pattern}") == names
        for name in names:
            assert (zensical.site / name).read_bytes() == (mkdocs_site / name).read_bytes(), name


def test_both_sitemaps_list_the_same_pages(mkdocs_site: Path, zensical: ZensicalSite) -> None:
    def urls(site: Path) -> set[str]:
        return set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8")))

    assert urls(zensical.site) == urls(mkdocs_site)


class _Letter(html.parser.HTMLParser):
    """A case page's letter, between the markers the print stylesheet uses: its text (the
    copy buttons' JSON included) and the addresses of its links."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text: list[str] = []
        self.links: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = found.get("class") or ""
        if "poa-letter-start" in classes or "poa-letter-end" in classes:
            self.inside = "poa-letter-start" in classes
        elif self.inside and tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)


def _letter(site: Path, page: str) -> _Letter:
    return _Letter((site / page).read_text(encoding="utf-8"))


def test_each_case_page_shows_the_same_letter_text(
    mkdocs_site: Path, zensical: ZensicalSite
) -> None:
    pages = _case_pages(mkdocs_site)
    assert len(pages) >= 9
    for page in pages:
        ours, theirs = _letter(mkdocs_site, page), _letter(zensical.site, page)
        assert ours.text, page
        assert "".join(theirs.text) == "".join(ours.text), page


def test_each_case_page_links_to_the_same_files(mkdocs_site: Path, zensical: ZensicalSite) -> None:
    """The builders write a link differently (`x.txt` or `../slug/x.txt`); both reach the same
    file, and it exists."""
    for page in _case_pages(mkdocs_site):
        ours = _targets(mkdocs_site, page)
        assert any(t.endswith(".docx") for t in ours), page
        assert _targets(zensical.site, page) == ours, page
        for target in ours:
            path = zensical.site / target
            assert path.is_file() or (path / "index.html").is_file(), (page, target)


def _article_links(site: Path, page: str) -> list[str]:
    """Where the links of a page's <article> lead, as paths in the site (anchors, and links
    out of the site, left out)."""
    text = (site / page).read_text(encoding="utf-8")
    article = text[text.index("<article") : text.index("</article>")]
    hrefs = [h.split("#")[0] for h in re.findall(r'<a [^>]*href="([^"]*)"', article)]
    here = posixpath.dirname(page)
    return [posixpath.normpath(posixpath.join(here, h)) for h in hrefs if h and ":" not in h]


def test_links_in_raw_html_lead_where_mkdocs_links_lead(
    mkdocs_site: Path, zensical: ZensicalSite
) -> None:
    """A case page's header, its downloads, a catalogue page's and the lessons page's lists
    of cases are raw HTML, whose links Zensical rewrites as it rewrites Markdown links (MkDocs
    leaves them): the stage writes them for that (`markup.site_link`)."""
    pages = [
        *_case_pages(mkdocs_site),
        *sorted(_files(mkdocs_site, "reasons/*/index.html")),
        *sorted(_files(mkdocs_site, "root-causes/*/index.html"))[:5],
        *sorted(_files(mkdocs_site, "measures/*/index.html"))[:5],
        "lessons/index.html",
        "cases/index.html",
    ]
    for page in pages:
        ours = sorted(_article_links(mkdocs_site, page))  # (the tags are placed differently)
        assert sorted(_article_links(zensical.site, page)) == ours, page
        for target in ours:
            path = zensical.site / target
            assert path.is_file() or (path / "index.html").is_file(), (page, target)
    header = _article_links(zensical.site, "cases/acme-home-inauthentic/index.html")
    assert "reasons/inauthentic" in header  # the header's link, an island's
    lessons = _article_links(zensical.site, "lessons/index.html")
    assert "cases/acme-home-inauthentic" in lessons


def _targets(site: Path, page: str) -> list[str]:
    """Where the letter's links lead, as paths in the site (links within the page left out)."""
    here = posixpath.dirname(page)
    hrefs = [h.split("#")[0] for h in _letter(site, page).links]
    return [posixpath.normpath(posixpath.join(here, h)) for h in hrefs if h]


class _Article(html.parser.HTMLParser):
    """The words of a page's <article>, without the headings' permalink signs."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.words: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += tag == "article"

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.words += data.replace("¶", " ").split()


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "guide/understand/index.html",
        "guide/investigate/index.html",
        "guide/measures/index.html",
        "guide/tone/index.html",
        "guide/write-a-snippet/index.html",
        "cases/index.html",
        "lessons/index.html",
        "reasons/inauthentic/index.html",
    ],
)
def test_guide_and_generated_pages_say_the_same(
    mkdocs_site: Path, zensical: ZensicalSite, page: str
) -> None:
    """The stage's rendering of the guide's macros, and the generated pages with their HTML
    islands opened, read word for word as MkDocs' pages do."""
    ours = _Article((mkdocs_site / page).read_text("utf-8")).words
    theirs = _Article((zensical.site / page).read_text("utf-8")).words
    assert len(ours) > 50
    assert theirs == ours


def test_mkdocs_builds_the_staged_tree_too(
    mkdocs_site: Path, zensical: ZensicalSite, tmp_path: Path
) -> None:
    """The staged tree is builder-neutral: MkDocs (no hooks, no macros) builds it strictly
    into the same pages, and Material's search has one entry per case, as in `make build`."""
    out = tmp_path / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    result = subprocess.run(
        [*command, "-f", str(zensical.stage / "mkdocs.yml"), "-d", str(out)],
        env=git_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _files(out, "*.html") == _files(mkdocs_site, "*.html")
    index = json.loads((out / "search" / "search_index.json").read_text("utf-8"))
    locations = [d["location"] for d in index["docs"] if d["location"].startswith("cases/")]
    assert len(locations) == len(set(locations)) and f"cases/{WARNING_CASE}/" in locations


# -- search --------------------------------------------------------------------------------------


def test_zensical_indexes_each_case_once_by_its_head(zensical: ZensicalSite) -> None:
    """A case page's sections are kept out of the index (`markup.UNINDEXED`): each case is one
    entry, its title and head (seller, reasons, status), as MkDocs' compact entry is."""
    index = json.loads((zensical.site / "search.json").read_text("utf-8"))
    cases = [i for i in index["items"] if i["location"].startswith("cases/")]
    pages = {i["location"] for i in cases if i["location"] != "cases/"}
    slugs = {posixpath.dirname(p).split("/")[1] for p in _case_pages(zensical.site)}
    assert pages == {f"cases/{slug}/" for slug in slugs}
    warned = next(i for i in cases if i["location"] == f"cases/{WARNING_CASE}/")
    assert warned["title"].startswith(WARNING_SELLER)
    assert "Marketplace amazon.com" in warned["text"]


# -- privacy -----------------------------------------------------------------------------------


def test_no_private_value_reaches_the_stage_or_the_zensical_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    built = zensical_build(tmp_path_factory.getbasetemp() / "zensical-private", private=True)
    assert all((built.root / "cases" / f"{slug}.yaml").exists() for slug in PRIVATE)
    assert traces(built.site, TOKENS) == []
    assert traces(built.stage, TOKENS) == []
    # The same scan finds the public case everywhere a private one would have been.
    found = {t.split(":")[0] for t in traces(built.site, ["B0C9XK2M4T"])}
    assert {f"cases/{ACME}/index.html", f"cases/{ACME}/{ACME}.txt", "search.json"} <= found


def test_no_file_of_the_zensical_site_holds_markup_from_a_hostile_case(tmp_path: Path) -> None:
    """Zensical is a new set of sinks (its templates, its search.json): the case with a hostile
    value in every string field (tests/hostile.py), staged and built, leaves no element,
    attribute, handler or script of its own in any file."""
    root = copy_sources(tmp_path / "sources")
    case = hostile_case(
        hostile_base(), load_library(root / "snippets"), root / "cases", HOSTILE_SLUG
    )
    assert run_stage(root, tmp_path / "stage").returncode == 0
    built = run_zensical(tmp_path / "stage")
    assert built.returncode == 0, built.stderr
    checked = markup_scan(site_files(tmp_path / "stage" / "site"))
    assert checked["html"] >= 5 and checked["json"] >= 1, checked
    page = Markup((tmp_path / "stage/site/cases" / HOSTILE_SLUG / "index.html").read_text("utf-8"))
    assert typed(case.data["seller"]["name"]) in page.plain


# -- the macros module, under Zensical's emulation of mkdocs-macros ----------------------------


def test_zensical_renders_the_guides_macros_from_the_projects_own_config(tmp_path: Path) -> None:
    """`zensical build` of the repository's mkdocs.yml, as a new user would run it: the guide's
    pages render (hooks/macros.py finds the project without MkDocs' config path). Only the
    generated pages are missing there, which is why `poa stage` exists; so not strict."""
    root = copy_sources(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("strict: true", "strict: false"), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean"],
        cwd=root,
        env=git_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reasons = (root / "site" / "guide" / "understand" / "index.html").read_text("utf-8")
    assert "{{ reason_table" not in reasons and '<a href="../../reasons/inauthentic/' in reasons
    assert not (root / "site" / "cases" / ACME).exists()  # no hooks: no generated pages


# -- what Zensical does not do yet ---------------------------------------------------------------


def _mike_drives_zensical() -> bool:
    """Whether the installed mike can build with Zensical: only squidfunk's fork of mike,
    installed from GitHub, can; mike from PyPI runs `mkdocs build` (mike/mkdocs_utils.py)."""
    spec = importlib.util.find_spec("mike")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    return any("zensical" in p.read_text("utf-8").lower() for p in folder.glob("*.py"))


def test_versions_are_published_with_mkdocs_and_a_zensical_build_is_unversioned(
    zensical: ZensicalSite,
) -> None:
    """The gap, stated: `make publish` (mike) builds every version with MkDocs. Zensical has no
    versioning of its own; the mike it supports is a fork that is not on PyPI. A Zensical site
    is one unversioned site, and its version selector stays off, so no page asks for the
    versions.json that only a mike deployment has."""
    assert not _mike_drives_zensical()
    staged = yaml.safe_load((zensical.stage / "mkdocs.yml").read_text("utf-8"))
    assert staged["extra"]["version"]["provider"] == ""
    for page in _files(zensical.site, "*.html"):
        assert "versions.json" not in (zensical.site / page).read_text("utf-8"), page


@pytest.mark.xfail(
    strict=True,
    reason="GAP: Zensical cannot build versions yet: mike from PyPI drives MkDocs only, and "
    "squidfunk/mike (the fork that drives Zensical) is not published on PyPI",
)
def test_zensical_can_build_versions_with_mike() -> None:
    assert _mike_drives_zensical()


# -- make build-zensical ---------------------------------------------------------------------------


def _recipe(target: str) -> list[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert found is not None, f"no {target} target in the Makefile"
    return [line.strip() for line in found.group(1).splitlines()]


def test_make_build_zensical_runs_what_these_tests_run() -> None:
    """tests/sites.py runs `poa stage DIR --force` then `zensical build --clean -f
    DIR/mkdocs.yml`: the Makefile's targets run the same two commands."""
    assert _recipe("stage") == ["$(BIN)/poa stage $(STAGE) --force"]
    assert _recipe("build-zensical") == ["$(BIN)/zensical build --clean -f $(STAGE)/mkdocs.yml"]
    dependencies = re.search(r"^build-zensical:(.*)$", (REPO / "Makefile").read_text(), re.M)
    assert dependencies is not None and "stage" in dependencies.group(1).split()


def test_zensical_is_an_optional_extra_pinned_and_installed_for_the_tests() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["optional-dependencies"]["zensical"] == ["zensical==0.0.73"]
    assert "poakit[zensical]" in project["optional-dependencies"]["test"]
    assert not any(d.startswith("zensical") for d in project["dependencies"])
    assert shutil.which("zensical", path=str(Path(sys.executable).parent)) is not None
    assert importlib.metadata.version("zensical") == "0.0.73"
