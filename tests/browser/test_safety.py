"""A hostile case in Chromium: no page that shows it, and no search that finds it, runs script.

The site holds `model-hostile` (tests/hostile.py): script payloads (`<script>alert(1)`,
`<img src=x onerror=alert(1)>`, handler attributes, `</script>`, `javascript:` links) in every
string field of the case model. Every page that shows the case is opened, and the search is
run for the seller name, an ASIN and a status word, as a reader would type them. A dialog, a
console error, an uncaught error or a request for a missing file (the `x` an injected `<img>`
would ask for) fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from browser import serve_directory
from sites import HOSTILE_SLUG, HostileSite, hostile_build

pytestmark = [pytest.mark.browser, pytest.mark.site]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    return hostile_build(tmp_path_factory.getbasetemp() / "hostile")


@pytest.fixture(scope="module")
def served(hostile_site: HostileSite) -> Iterator[str]:
    with serve_directory(hostile_site.site) as url:
        yield url


@dataclass
class Watch:
    page: Any
    problems: list[str] = field(default_factory=list)


@contextmanager
def watched(browser: Any, url: str) -> Iterator[Watch]:
    """`url` in a fresh context; every dialog, console error, page error and failed or
    missing request is recorded (and a dialog dismissed, so the page goes on)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)  # a bound for a broken page, not a speed check
    page = context.new_page()
    seen = Watch(page)

    def dialog(d: Any) -> None:
        seen.problems.append(f"dialog: {d.type} {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    page.on("console", lambda m: m.type == "error" and seen.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: seen.problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and seen.problems.append(f"{r.status}: {r.url}"))
    page.on(
        "requestfailed",
        lambda r: r.failure != "net::ERR_ABORTED" and seen.problems.append(f"failed: {r.url}"),
    )
    try:
        page.goto(url, wait_until="networkidle")
        yield seen
    finally:
        context.close()


def _pages(hostile_site: HostileSite) -> list[str]:
    """Every page that shows something of the case: its own, the dashboard, the lessons,
    the tags, and the catalogue pages of its reasons and snippets."""
    data = hostile_site.case.data
    entries = [*data["root_causes"], *data["corrective_actions"], *data["preventive_measures"]]
    pages = [f"cases/{HOSTILE_SLUG}/", "cases/", "lessons/", "tags/"]
    pages += sorted({f"reasons/{i['reason']}/" for i in data["notice"]["issues"]})
    pages += sorted(
        {f"root-causes/{e['snippet']}/" for e in data["root_causes"] if e.get("snippet")}
    )
    pages += sorted(
        {
            f"measures/{e['snippet']}/"
            for e in entries[len(data["root_causes"]) :]
            if e.get("snippet")
        }
    )
    return pages


def test_every_page_showing_the_case_runs_no_script_from_it(
    browser: Any, hostile_site: HostileSite, served: str
) -> None:
    pages = _pages(hostile_site)
    assert len(pages) >= 8
    for path in pages:
        with watched(browser, served + path) as seen:
            text = seen.page.locator("article").inner_text()
            assert hostile_site.case.markers_in(text), f"{path} does not show the case"
            # Let any deferred handler (onmouseover, a late image error) have its chance.
            seen.page.mouse.move(400, 400)
            seen.page.wait_for_load_state("networkidle")
            assert seen.problems == [], path


@pytest.mark.parametrize("query", ["seller", "B0C9XK2M4T", "reinstated"])
def test_searching_for_the_case_runs_no_script_from_it(
    browser: Any, hostile_site: HostileSite, served: str, query: str
) -> None:
    """Material inserts each result's title and text as HTML: they hold escaped text."""
    if query == "seller":  # the marker word of the seller name, as a reader would type it
        name = hostile_site.case.data["seller"]["name"]
        query = next(m for m in hostile_site.case.payloads if m in name)
    with watched(browser, served) as seen:
        page = seen.page
        page.locator("input.md-search__input").click()
        page.keyboard.type(query)
        result = page.locator(f'a.md-search-result__link[href*="cases/{HOSTILE_SLUG}/"]').first
        result.wait_for(state="visible")
        shown = result.inner_text()
        assert hostile_site.case.markers_in(shown), shown[:200]
        page.mouse.move(300, 300)
        result.hover()
        assert seen.problems == []
        result.click()
        page.wait_for_url(lambda url: f"/cases/{HOSTILE_SLUG}/" in url)
        page.wait_for_load_state("networkidle")
        assert seen.problems == []
