"""The site in Chromium: a plain build, and the versioned site that two publish runs make.

Each page is opened in a fresh browser context that records console errors, uncaught page
errors and failed requests; a page "loads cleanly" when that record stays empty. Waits are on
elements and URLs, never on time. Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from browser import ARTIFACTS, serve_directory
from sites import WARNING_CASE, WARNING_SELLER, plain_build, published_twice

from poakit import __version__

pytestmark = [pytest.mark.browser, pytest.mark.site]

# The top-level sections every version of the site must have (it may have more).
SECTIONS = ("Home", "Guide", "Reasons", "Measures", "Cases")


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mkdocs build` of the site plus a case whose review has a warning, on 127.0.0.1."""
    with serve_directory(plain_build(tmp_path_factory.getbasetemp() / "plain")) as url:
        yield url


@pytest.fixture(scope="module")
def versioned_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The gh-pages tree after publishing 0.1 then 0.2, served as a static host would."""
    published = published_twice(tmp_path_factory.getbasetemp() / "published")
    with serve_directory(published.pages) as url:
        yield url


@dataclass
class Visit:
    page: Any  # playwright.sync_api.Page; Playwright is imported only once Chromium exists
    problems: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)


@contextmanager
def visit(browser: Any, url: str) -> Iterator[Visit]:
    """Open `url` in a fresh desktop-sized context, recording everything that went wrong."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)  # a bound for a broken page, not a speed check
    page = context.new_page()
    seen = Visit(page)
    page.on("console", lambda m: m.type == "error" and seen.problems.append(f"console: {m.text}"))
    page.on("request", lambda r: seen.requested.append(r.url))
    page.on("pageerror", lambda e: seen.problems.append(f"page error: {e}"))
    # A redirect page leaves while its own requests run; Chromium reports those as aborted.
    # A missing file shows as a 404 response instead, so aborts alone are no problem.
    page.on(
        "requestfailed",
        lambda r: (
            r.failure != "net::ERR_ABORTED"
            and seen.problems.append(f"failed: {r.url} ({r.failure})")
        ),
    )
    page.on("response", lambda r: r.status >= 400 and seen.problems.append(f"{r.status}: {r.url}"))
    try:
        page.goto(url, wait_until="networkidle")
        yield seen
    finally:
        context.close()


def _screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _heading(page: Any, selector: str = "article h1") -> str:
    """A heading's text without the permalink sign Material appends."""
    return str(page.locator(selector).first.inner_text()).removesuffix("¶").strip()


def test_home_page_loads_without_console_errors(browser: Any, plain_site: str) -> None:
    with visit(browser, plain_site) as home:
        assert _heading(home.page) == "poakit"
        _screenshot(home.page, "home.png")
        assert home.problems == []
        # Only a published version has versions.json; a plain build must not ask for it.
        assert not [url for url in home.requested if url.endswith("versions.json")]


def test_navigation_reaches_every_section(browser: Any, plain_site: str) -> None:
    with visit(browser, plain_site) as seen:
        tabs = seen.page.locator(".md-tabs__link").all_inner_texts()
        assert set(SECTIONS) <= set(tabs)
        for number, tab in enumerate(tabs):
            link = seen.page.locator(".md-tabs__link").nth(number)  # every page has the tabs
            href = link.evaluate("a => a.href")
            link.click()
            seen.page.wait_for_url(href)
            assert seen.page.locator(".md-tabs__item--active").inner_text() == tab
            assert _heading(seen.page), f"the {tab} tab opened a page without a heading"
        assert seen.problems == []


def _search(page: Any, words: str, target: str) -> Any:
    """Type into Material's search box as a reader would; the result linking to `target`.

    Results update as each key lands; a result's link carries the query words it matched
    (`?h=price+gouging`), so waiting for all of them waits for the whole query's results.
    """
    page.locator("input.md-search__input").click()
    page.keyboard.type(words)
    matched = "+".join(words.lower().split())
    result = page.locator(f'a.md-search-result__link[href*="{target}?h={matched}"]').first
    result.wait_for(state="visible")
    return result


@pytest.mark.parametrize("site", ["plain_site", "versioned_site"])
def test_search_finds_a_case_by_seller_name(
    browser: Any, request: pytest.FixtureRequest, site: str
) -> None:
    with visit(browser, request.getfixturevalue(site)) as seen:
        result = _search(seen.page, "Tidewater Goods", "cases/tidewater-goods-dropship/")
        assert "Tidewater Goods LLC" in result.inner_text()
        result.click()
        seen.page.wait_for_url(lambda url: "/cases/tidewater-goods-dropship/?h=" in url)
        assert _heading(seen.page).startswith("Tidewater Goods LLC")
        assert seen.problems == []


@pytest.mark.parametrize("site", ["plain_site", "versioned_site"])
def test_search_finds_a_reason_by_a_signal_phrase(
    browser: Any, request: pytest.FixtureRequest, site: str
) -> None:
    with visit(browser, request.getfixturevalue(site)) as seen:
        _search(seen.page, "price gouging", "reasons/fair-pricing/").click()
        seen.page.wait_for_url(lambda url: "/reasons/fair-pricing/?h=" in url)
        assert "price gouging" in seen.page.locator("article").inner_text()
        assert seen.problems == []


def test_case_page_shows_the_letter_and_its_review_panel(browser: Any, plain_site: str) -> None:
    with visit(browser, f"{plain_site}cases/{WARNING_CASE}/") as case:
        page = case.page
        assert _heading(page).startswith(WARNING_SELLER)
        assert page.locator("article h2", has_text="Plan of Action").is_visible()
        letter = page.locator("article").inner_text()
        for part in ("Root causes", "Preventive measures", "Supporting documents", "Jane Doe"):
            assert part in letter
        assert f"snippet library {__version__}" in letter
        panel = page.locator(".admonition.warning", has_text="Review:")
        assert panel.locator(".admonition-title").inner_text() == "Review: 0 errors, 1 warning"
        assert "blame-others" in panel.inner_text()
        assert "beyond our control" in panel.inner_text()
        _screenshot(page, "case.png")
        assert case.problems == []


# A version's label with its aliases, as the selector shows them: "0.2 latest".
_LABEL = "e => [e.firstChild.textContent, ...[...e.children].map(a => a.textContent)].join(' ')"


def test_version_selector_lists_both_published_versions(browser: Any, versioned_site: str) -> None:
    with visit(browser, versioned_site) as seen:
        page = seen.page
        page.wait_for_url(versioned_site + "0.2/")  # root -> latest/ -> 0.2/, by redirects
        assert page.locator(".md-version__current").evaluate(_LABEL) == "0.2 latest"
        links = page.locator(".md-version__link")
        assert links.evaluate_all(f"links => links.map({_LABEL})") == ["0.2 latest", "0.1"]
        page.locator(".md-version").hover()
        page.locator(".md-version__link", has_text="0.1").click()
        page.wait_for_url(versioned_site + "0.1/")
        assert page.locator(".md-version__current").evaluate(_LABEL) == "0.1"
        assert seen.problems == []
