"""The Zensical site (`make build-zensical`) in Chromium: it loads cleanly, and its own search
finds a case by its seller's name, as Material's search does on the MkDocs site.

Zensical's search box lives in a shadow root; Playwright's CSS locators reach into it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import ARTIFACTS, serve_directory
from sites import WARNING_CASE, WARNING_SELLER, zensical_build

pytestmark = [pytest.mark.browser, pytest.mark.site]


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built = zensical_build(tmp_path_factory.getbasetemp() / "zensical")
    with serve_directory(built.site) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh desktop-sized page, and the console errors, page errors and failed or missing
    requests it records."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)  # a bound for a broken page, not a speed check
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    try:
        yield tab, problems
    finally:
        context.close()


def test_a_case_page_loads_cleanly_with_its_copy_buttons(
    page: tuple[Any, list[str]], zensical_site: str
) -> None:
    tab, problems = page
    tab.goto(f"{zensical_site}cases/{WARNING_CASE}/", wait_until="networkidle")
    assert tab.locator("article h1").first.inner_text().startswith(WARNING_SELLER)
    # docs/assets/poakit-exports.js ran: it shows the buttons it wires.
    tab.locator("button.poa-copy").first.wait_for(state="visible")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "zensical-case.png"), full_page=True)
    assert problems == []


def test_zensical_search_finds_a_case_by_seller_name(
    page: tuple[Any, list[str]], zensical_site: str
) -> None:
    tab, problems = page
    tab.goto(zensical_site, wait_until="networkidle")
    tab.locator(".md-search__button").click()
    tab.locator('input[aria-label="Search"]').wait_for(state="visible")
    tab.keyboard.type("Tidewater Goods")
    target = "cases/tidewater-goods-dropship/?h=Tidewater+Goods"
    result = tab.locator(f'[role="option"][href$="{target}"]')
    result.wait_for(state="visible")
    assert "Tidewater Goods LLC" in result.inner_text()
    # One entry per case: the letter's sections are not in the index (markup.UNINDEXED).
    assert tab.locator(f'[role="option"][href*="{target}#"]').count() == 0
    result.click()
    tab.wait_for_url(lambda url: "/cases/tidewater-goods-dropship/?h=" in url)
    assert tab.locator("article h1").first.inner_text().startswith("Tidewater Goods LLC")
    assert problems == []
