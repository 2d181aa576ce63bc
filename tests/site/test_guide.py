"""The built guide: every page reachable, the live tables current, the examples honest."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from conftest import REPO

from poakit.source.tonerules import load_tone_rules

pytestmark = pytest.mark.site

STEPS = ("understand", "investigate", "measures", "systemic", "tone", "follow-up", "learn")
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guide-site")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    result = subprocess.run(
        [*command, "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "true"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return out


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def _pages(site: Path) -> set[str]:
    """Every built page as its URL path relative to the site root ('' for the home page)."""
    return {
        p.parent.relative_to(site).as_posix().removeprefix(".")
        for p in site.rglob("index.html")
        if "assets" not in p.parts
    }


def _reachable(site: Path) -> set[str]:
    """Pages reached from the home page by following links (the nav is on every page)."""
    seen, queue = {""}, [""]
    base = "http://site/"
    while queue:
        page = queue.pop()
        url = urljoin(base, f"{page}/" if page else "")
        for href in HREF.findall(_html(site, page)):
            target = urlparse(urljoin(url, html.unescape(href)))
            if target.netloc != "site" or not target.path.endswith("/"):
                continue
            path = target.path.strip("/")
            if path not in seen and (site / path / "index.html").exists():
                seen.add(path)
                queue.append(path)
    return seen


def test_every_page_is_reachable_from_the_home_page(site: Path) -> None:
    assert _pages(site) - _reachable(site) == set()


def test_guide_has_the_seven_steps_then_the_how_tos_in_the_nav(site: Path) -> None:
    home = _html(site, "")
    order = list(dict.fromkeys(re.findall(r'href="guide/([a-z-]+)/"', home)))
    assert order == [*STEPS, "add-a-case", "write-a-snippet"]


def test_home_page_leads_to_every_step_and_the_reason_catalogue(site: Path) -> None:
    content = _html(site, "").split('<article class="md-content__inner')[1]
    for step in STEPS:
        assert f'href="guide/{step}/"' in content
    for reason in (REPO / "snippets" / "reasons").glob("*.md"):
        assert f'href="reasons/{reason.stem}/"' in content


def test_tone_page_shows_every_shipped_rule(site: Path) -> None:
    rules = load_tone_rules(REPO / "snippets" / "tone-rules.yaml", "snippets/tone-rules.yaml")
    page = _html(site, "guide/tone")
    for rule in rules:
        assert f'id="tone-{rule.id}"' in page
        assert html.escape(rule.message, quote=False) in page


def test_before_after_examples_pass_after_and_fail_before(site: Path) -> None:
    boxes = 0
    for step in STEPS:
        page = _html(site, f"guide/{step}")
        for kind, body in re.findall(
            r'<div class="admonition (failure|success)">(.*?)</div>', page, re.S
        ):
            boxes += 1
            clean = kind == "success"
            assert ("The tone rules find nothing to flag here." in body) == clean, body
    assert boxes >= 10


#: Steps that may run longer: reading the notice covers its routes, stores and languages.
LONGER = {"understand": 2400}


def test_guide_pages_are_substantial(site: Path) -> None:
    for step in STEPS:
        source = (REPO / "docs" / "guide" / f"{step}.md").read_text(encoding="utf-8")
        words = len(re.sub(r"\{\{.*?\}\}", "", source, flags=re.S).split())
        assert 700 <= words <= LONGER.get(step, 1600), (step, words)


def test_the_guide_shows_how_to_present_the_facts_a_reason_requires(site: Path) -> None:
    investigate = _html(site, "guide/investigate")
    assert "The investigation does not appear" not in investigate
    assert (
        "Our Order Defect Rate was 2.1% over the 60 days before the notice (26 of 1,240"
        in investigate
    )
    assert "Suppliers of the goods under review:" in investigate
    assert "Units of each ASIN in the 365 days before the notice:" in investigate
    measures = _html(site, "guide/measures")
    assert "Our listings no longer use BrandCo, the trademark of BrandCo Holdings Inc." in measures
    assert "notice-retraction@amazon.com" in measures
    assert "We graded our stock against this rule" in measures
    understand = _html(site, "guide/understand")
    assert "What the letter must state, per reason" in understand
    assert "Late Dispatch Rate" in understand
    assert understand.count("Seller Central help 200285170") >= 1
