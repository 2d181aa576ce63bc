"""The exports on the built site: copy buttons in Chromium, print, downloads, search index.

One `mkdocs build` of the repository's sources plus a private case, served on 127.0.0.1. The
copy buttons must put exactly the text export on the clipboard (never the page's HTML), the
printed page must show the letter and nothing of the site around it, the download links must
serve what `poa render` writes, and the copy texts must not be indexed a second time.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import ARTIFACTS, serve_directory
from conftest import REPO
from sites import PRIVATE_CASE, PRIVATE_MARKERS, add_private_case, copy_sources, git_env

from poakit.letter.letter import Letter
from poakit.project.load import load_project
from poakit.render import render_letter
from poakit.site import exportpage

pytestmark = pytest.mark.site

ANSWERS = ("root_causes", "corrective_actions", "preventive_measures")
DOWNLOAD_LINK = re.compile(r'href="([^"]+\.(?:txt|docx))"')


@dataclass(frozen=True)
class Site:
    root: Path  # the sources
    out: Path  # the built site
    url: str
    letters: dict[str, Letter]  # the public cases, by slug


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = copy_sources(tmp_path_factory.mktemp("exports") / "sources")
    add_private_case(root)
    out = root.parent / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    result = subprocess.run(
        command, cwd=root, env=git_env(), capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    project = load_project(root, base=root)
    letters = {c.slug: c.letter for c in project.cases if c.public and c.letter is not None}
    with serve_directory(out) as url:
        yield Site(root, out, url, letters)


def _slugs() -> list[str]:
    return sorted(p.stem for p in (REPO / "cases").glob("*.yaml"))


# -- without a browser -------------------------------------------------------------------------
def test_every_public_case_offers_its_downloads_and_the_private_one_none(site: Site) -> None:
    assert sorted(site.letters) == _slugs()
    for slug in site.letters:
        html = (site.out / "cases" / slug / "index.html").read_text(encoding="utf-8")
        assert DOWNLOAD_LINK.findall(html) == [f"{slug}.txt", f"{slug}.docx"]
    assert not (site.out / "cases" / PRIVATE_CASE).exists()
    for path in site.out.rglob("*"):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        elif path.is_file():
            data = path.read_bytes()
        else:
            continue
        assert not any(marker.encode() in data for marker in PRIVATE_MARKERS), path


def test_download_links_serve_what_poa_render_writes(site: Site) -> None:
    for slug, letter in site.letters.items():
        page = f"{site.url}cases/{slug}/"
        for ext, fmt, _ in exportpage.DOWNLOADS:
            with urllib.request.urlopen(f"{page}{slug}.{ext}", timeout=30) as response:
                assert response.status == 200
                assert response.read() == render_letter(letter, fmt), (slug, ext)


def test_downloaded_text_equals_the_command_line_export(site: Site) -> None:
    slug = "acme-home-inauthentic"
    command = [sys.executable, "-m", "poakit", "render", slug, "--format", "text"]
    printed = subprocess.run(
        command, cwd=site.root, capture_output=True, check=True, timeout=120
    ).stdout
    with urllib.request.urlopen(f"{site.url}cases/{slug}/{slug}.txt", timeout=30) as response:
        assert response.read() == printed


def test_search_index_holds_a_compact_entry_per_case_and_no_letter(site: Site) -> None:
    index = json.loads((site.out / "search" / "search_index.json").read_text(encoding="utf-8"))
    for slug, letter in site.letters.items():
        docs = [d for d in index["docs"] if d["location"].startswith(f"cases/{slug}/")]
        assert [d["location"] for d in docs] == [f"cases/{slug}/"]
        indexed = " ".join(" ".join(d["text"].split()) for d in docs)
        assert letter.case.seller.name in indexed
        # the letter itself (shown on the page, repeated in the copy text) is not indexed
        opening = letter.section("opening").items[0].text.plain()
        phrase = re.search(r"[A-Za-z0-9 ,]{30,}", opening).group().strip()  # type: ignore[union-attr]
        assert phrase not in indexed, (slug, phrase)
        for payload_only in ("poa-copy", '"corrective_actions"', "Copy letter", "Download text"):
            assert payload_only not in indexed, (slug, payload_only)


# -- in Chromium -------------------------------------------------------------------------------
@contextmanager
def case_page(browser: Any, site: Site, slug: str) -> Iterator[Any]:
    """A case page in a desktop-wide context that may use the clipboard; no script errors."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"{site.url}cases/{slug}/", wait_until="load")
        yield page
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("slug", _slugs())
def test_copy_buttons_copy_exactly_the_text_export(browser: Any, site: Site, slug: str) -> None:
    from playwright.sync_api import expect

    expected = exportpage.copy_texts(site.letters[slug])
    with case_page(browser, site, slug) as page:
        buttons = page.locator("button[data-poa-copy]")
        keys = [buttons.nth(i).get_attribute("data-poa-copy") for i in range(buttons.count())]
        reply = [k for k in ("request", "changes") if site.letters[slug].section(k).items]
        assert keys == ["letter", *reply, *ANSWERS, "evidence"]
        for key in keys:
            button = page.locator(f'button[data-poa-copy="{key}"]')
            button.click()
            expect(button).to_have_text("Copied")  # set once the clipboard write resolved
            assert page.evaluate("navigator.clipboard.readText()") == expected[key], key


@pytest.mark.browser
def test_copy_falls_back_when_the_clipboard_api_is_missing(browser: Any, site: Site) -> None:
    from playwright.sync_api import expect

    slug = "acme-home-inauthentic"
    with case_page(browser, site, slug) as page:
        page.evaluate(
            """() => {
              window.realClipboard = navigator.clipboard;
              Object.defineProperty(navigator, "clipboard", {value: undefined});
            }"""
        )
        button = page.locator('button[data-poa-copy="root_causes"]')
        button.click()
        expect(button).to_have_text("Copied")
        copied = page.evaluate("window.realClipboard.readText()")
        assert copied == exportpage.copy_texts(site.letters[slug])["root_causes"]


@pytest.mark.browser
def test_printed_page_shows_the_letter_alone(browser: Any, site: Site) -> None:
    slug = "acme-home-inauthentic"
    around = [
        ".md-header",
        ".md-tabs",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-footer",
        ".md-search",
        "article h1",
        "article table",  # the case's header table, above the letter
        "#investigation",
        "#follow-up",
    ]
    with case_page(browser, site, slug) as page:
        for selector in around[:5]:  # the stylesheet matters: on screen they are there
            assert page.locator(selector).first.is_visible(), selector
        page.emulate_media(media="print")
        for selector in around:
            assert not page.locator(selector).first.is_visible(), selector
        assert page.locator("button[data-poa-copy]").evaluate_all(
            "buttons => buttons.every(b => b.offsetParent === null)"
        )
        assert not page.get_by_text("Download text (.txt)").is_visible()
        for selector in ("#plan-of-action", "#root-causes", "#supporting-documents"):
            assert page.locator(selector).is_visible(), selector
        for words in ("This Plan of Action answers the notice", "Owner, Acme Home Goods LLC"):
            assert page.locator("article p", has_text=words).first.is_visible(), words
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "case-print.png"), full_page=True)
        assert page.pdf().startswith(b"%PDF")
