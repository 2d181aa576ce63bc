"""The tracker on a real build: dashboard, timelines, lessons and tags, checked against the case
files read here with plain `yaml` (every expected number is computed in this file, not by the
engine); the dashboard sorted and filtered in Chromium; and a private case that changes no
published byte.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import serve_directory
from sites import copy_sources

pytestmark = pytest.mark.site

TODAY = dt.date(2026, 11, 27)
# The build date (sitemaps, gzip headers) is pinned to another day: the setting must win.
EPOCH = "1893456000"  # 2030-01-01
FOLLOW_UP_DAYS = 7
PRIVATE_SELLER = "Zyxwv Private Trading GmbH"


def build(root: Path, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POAKIT_")}
    env.update(NO_MKDOCS_2_WARNING="true", POAKIT_TODAY=TODAY.isoformat(), SOURCE_DATE_EPOCH=EPOCH)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sources(tmp_path_factory.mktemp("tracker") / "sources")


@pytest.fixture(scope="module")
def site(sources: Path) -> Path:
    out = sources.parent / "public"
    build(sources, out)
    return out


@pytest.fixture(scope="module")
def cases(sources: Path) -> dict[str, dict[str, Any]]:
    """The published case files, as plain YAML."""
    read = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((sources / "cases").glob("*.yaml"))
    }
    return {slug: data for slug, data in read.items() if data.get("visibility") == "public"}


# -- expectations, computed from the YAML alone ---------------------------------------------


def events(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The follow-up entries by date (same-day entries in file order), notes left out."""
    ordered = sorted(case.get("follow_up") or [], key=lambda e: e["date"])
    return [e for e in ordered if e["event"] != "note"]


def expected_status(case: dict[str, Any]) -> str:
    latest = events(case)[-1]["event"] if events(case) else None
    return {
        None: "draft",
        "submitted": "submitted",
        "resubmitted": "submitted",
        "replied": "in-review",
        "info-requested": "info-requested",
        "reinstated": "reinstated",
        "denied": "denied",
    }[latest]


def expected_outcome(case: dict[str, Any]) -> str:
    status = expected_status(case)
    return status if status in ("reinstated", "denied") else "open"


def expected_due(case: dict[str, Any]) -> str:
    status = expected_status(case)
    if status == "draft":
        return "submit"
    if status in ("reinstated", "denied"):
        return "none"
    if status == "info-requested":
        return "reply"
    silent = (TODAY - events(case)[-1]["date"]).days
    return "follow-up" if silent > FOLLOW_UP_DAYS else "wait"


def reason_ids(case: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(i["reason"] for i in case["notice"]["issues"]))


def measure_ids(case: dict[str, Any]) -> set[str]:
    entries = (case.get("corrective_actions") or []) + (case.get("preventive_measures") or [])
    return {e["snippet"] for e in entries if e.get("snippet")}


def title_of(sources: Path, kind: str, snippet: str) -> str:
    text = (sources / "snippets" / kind / f"{snippet}.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    return str(front["title"])


# -- reading the built HTML -----------------------------------------------------------------


class Tables(HTMLParser):
    """Every table of a page: rows of (row attributes, cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[tuple[dict[str, str], list[str]]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append(({k: v or "" for k, v in attrs}, []))
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1][1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(site: Path, page: str) -> list[list[tuple[dict[str, str], list[str]]]]:
    parser = Tables()
    parser.feed(page_html(site, page))
    return parser.tables


def page_html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def article(site: Path, page: str) -> str:
    text = page_html(site, page)
    return text[text.index("<article") : text.index("</article>")]


# -- the dashboard --------------------------------------------------------------------------


def test_example_cases_have_every_kind_of_outcome(cases: dict[str, dict[str, Any]]) -> None:
    statuses = {expected_status(c) for c in cases.values()}
    assert {"reinstated", "denied", "info-requested"} <= statuses
    assert statuses & {"submitted", "in-review"}, "no case is waiting for Amazon"
    assert len(cases) >= 8


def test_dashboard_counts_cases_per_status(site: Path, cases: dict[str, dict[str, Any]]) -> None:
    counts = Counter(expected_status(c) for c in cases.values())
    header, values = tables(site, "cases")[0]
    statuses = ["draft", "submitted", "in-review", "info-requested", "reinstated", "denied"]
    assert header[1] == [s.replace("-", " ").capitalize() for s in statuses] + ["All"]
    assert values[1] == [str(counts[s]) for s in statuses] + [str(len(cases))]


def test_dashboard_row_per_case_matches_its_file(
    site: Path, sources: Path, cases: dict[str, dict[str, Any]]
) -> None:
    rows = {cells[0]: (attributes, cells[1:]) for attributes, cells in tables(site, "cases")[1][1:]}
    assert len(rows) == len(cases)
    text = page_html(site, "cases")
    for slug, case in cases.items():
        attributes, cells = rows[case["seller"]["name"]]
        status, reasons, market, days_notice, days_sent, _due = cells
        assert attributes["data-status"] == expected_status(case)
        assert status == expected_status(case).replace("-", " ")
        assert attributes["data-reasons"] == str(reason_ids(case)).replace("'", '"')
        assert reasons == ", ".join(title_of(sources, "reasons", r) for r in reason_ids(case))
        assert market == attributes["data-marketplace"] == case["seller"].get("marketplace")
        assert days_notice == str((TODAY - case["notice"]["received"]).days)
        sent = [e["date"] for e in events(case) if e["event"] in ("submitted", "resubmitted")]
        assert days_sent == (str((TODAY - sent[-1]).days) if sent else "—")
        assert f'href="{slug}/"' in text
    due_classes = re.findall(r'class="poakit-due poakit-due--([a-z-]+)"', text)
    assert Counter(due_classes) == Counter(expected_due(c) for c in cases.values())
    assert "Days are counted to <strong>27 November 2026</strong>" in text


# -- timelines ------------------------------------------------------------------------------


def test_each_case_page_shows_its_timeline_in_date_order(
    site: Path, cases: dict[str, dict[str, Any]]
) -> None:
    for slug, case in cases.items():
        page = article(site, f"cases/{slug}")
        follow_up = sorted(case.get("follow_up") or [], key=lambda e: e["date"])
        shown = re.findall(r'<span class="poakit-event poakit-event--([a-z-]+)">', page)
        assert shown == [e["event"] for e in follow_up], slug
        label = expected_status(case).replace("-", " ")
        assert f"Status: <strong>{label}</strong>, derived from the timeline" in page
        for entry in follow_up:
            if entry.get("sent"):
                assert f"<strong>Sent:</strong> {html.escape(entry['sent'], quote=False)}" in page
            for change in entry.get("changes") or []:
                assert f"<li>{html.escape(change, quote=False)}</li>" in page


def test_resubmissions_record_what_was_sent_and_what_changed(
    cases: dict[str, dict[str, Any]],
) -> None:
    """What changed is on the resubmission, or on the denial it answers (the reply's
    "What is new since our last letter" block is made from that)."""
    found = 0
    for case in cases.values():
        timeline = sorted(case.get("follow_up") or [], key=lambda e: e["date"])
        for n, entry in enumerate(timeline):
            if entry["event"] != "resubmitted":
                continue
            found += 1
            denied = [e for e in timeline[:n] if e["event"] == "denied"]
            assert entry.get("sent"), entry
            assert entry.get("changes") or (denied and denied[-1].get("changes")), entry
    assert found >= 2


# -- lessons learned ------------------------------------------------------------------------


def test_lessons_per_reason_match_the_case_files(
    site: Path, sources: Path, cases: dict[str, dict[str, Any]]
) -> None:
    expected: dict[str, Counter[str]] = {}
    for case in cases.values():
        for reason in reason_ids(case):
            expected.setdefault(reason, Counter())[expected_outcome(case)] += 1
    rows = {cells[0]: cells[1:] for _, cells in tables(site, "lessons")[0][1:]}
    assert rows == {
        title_of(sources, "reasons", reason): [
            str(sum(c.values())),
            str(c["reinstated"]),
            str(c["denied"]),
            str(c["open"]),
        ]
        for reason, c in expected.items()
    }


def test_lessons_per_measure_match_the_case_files(
    site: Path, sources: Path, cases: dict[str, dict[str, Any]]
) -> None:
    expected: dict[str, Counter[str]] = {}
    for case in cases.values():
        for measure in measure_ids(case):
            expected.setdefault(measure, Counter())[expected_outcome(case)] += 1
    rows = {cells[0]: cells[1:] for _, cells in tables(site, "lessons")[1][1:]}
    assert rows == {
        title_of(sources, "measures", measure): [
            str(sum(c.values())),
            str(c["reinstated"]),
            str(c["denied"]),
            str(c["open"]),
        ]
        for measure, c in expected.items()
    }


def test_every_lesson_appears_under_each_of_its_reasons(
    site: Path, cases: dict[str, dict[str, Any]]
) -> None:
    page = article(site, "lessons")
    for slug, case in cases.items():
        for reason in reason_ids(case):
            section = page[page.index(f'id="reason-{reason}"') :]
            section = section[: section.find("<h3", 1)]
            for lesson in case.get("lessons") or []:
                assert html.escape(lesson, quote=False) in section, (slug, reason)
            assert f'href="../cases/{slug}/"' in section
    assert page.count('<div class="poakit-chart">') == 2
    assert page.count("<svg ") == 2


def test_reason_pages_link_to_their_lessons(site: Path, cases: dict[str, dict[str, Any]]) -> None:
    cited = {r for case in cases.values() for r in reason_ids(case)}
    for reason in cited:
        assert f'href="../../lessons/#reason-{reason}"' in article(site, f"reasons/{reason}")
    uncited = next(
        p.parent.name for p in (site / "reasons").glob("*/index.html") if p.parent.name not in cited
    )
    assert "lessons/#reason-" not in article(site, f"reasons/{uncited}")


# -- tags -----------------------------------------------------------------------------------


def test_tags_index_lists_each_case_under_its_reasons_marketplace_and_status(
    site: Path, sources: Path, cases: dict[str, dict[str, Any]]
) -> None:
    page = article(site, "tags")
    for slug, case in cases.items():
        reasons = [f"Reason: {title_of(sources, 'reasons', r)}" for r in reason_ids(case)]
        status = f"Status: {expected_status(case).replace('-', ' ')}"
        market = f"Marketplace: {case['seller']['marketplace']}"
        case_page = page_html(site, f"cases/{slug}")
        for tag in (*reasons, market, status):
            shown = html.escape(tag, quote=False)
            section = page[page.index(f'<span class="md-tag">{shown}</span>') :]
            section = section[: section.find("<h2", 1)]
            assert f'href="../cases/{slug}/"' in section, (slug, tag)
            assert f'class="md-tag">{shown}</a>' in case_page, (slug, tag)
    assert (site / "tags.json").exists()


def test_the_new_pages_are_in_the_navigation(site: Path) -> None:
    home = page_html(site, "cases")
    for label, href in (("Lessons learned", "../lessons/"), ("Tags", "../tags/")):
        assert re.search(rf'href="{href}"[^>]*>\s*<span class="md-ellipsis">\s*{label}', home), (
            label
        )


# -- privacy --------------------------------------------------------------------------------


def test_a_private_case_changes_no_published_file(sources: Path, site: Path) -> None:
    text = (sources / "cases" / "maple-crafts-reviews.yaml").read_text(encoding="utf-8")
    private = (
        text.replace("visibility: public", "visibility: private")
        .replace("Maple Crafts Studio LLC", PRIVATE_SELLER)
        .replace("marketplace: amazon.com", "marketplace: amazon.de")
    )
    assert PRIVATE_SELLER in private and "amazon.de" in private
    with_private = sources.parent / "with-private"
    shutil.copytree(sources, with_private, ignore=shutil.ignore_patterns("__pycache__"))
    (with_private / "cases" / "zyxwv-private.yaml").write_text(private, encoding="utf-8")
    out = sources.parent / "public-with-private"
    build(with_private, out)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert sorted(after) == sorted(before)
    changed = [str(path) for path in before if before[path] != after[path]]
    assert changed == []


# -- in the browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dashboard_url(site: Path) -> Iterator[str]:
    with serve_directory(site) as base:
        yield base + "cases/"


def _visible(page: Any, column: int) -> list[str]:
    cells = page.locator(f".poakit-dashboard tbody tr:not([hidden]) td:nth-child({column})")
    return [str(t).strip() for t in cells.all_inner_texts()]


@pytest.mark.browser
def test_dashboard_sorts_by_a_column_both_ways(
    browser: Any, dashboard_url: str, cases: dict[str, dict[str, Any]]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    # offline: the script, the styles and the tags must not need anything from elsewhere
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status}: {r.url}"))
    try:
        page.goto(dashboard_url)
        header = page.locator(".poakit-dashboard th", has_text="Days since notice")
        days = sorted((TODAY - c["notice"]["received"]).days for c in cases.values())
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        assert [int(d) for d in _visible(page, 5)] == days
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending"
        assert [int(d) for d in _visible(page, 5)] == days[::-1]
        names = sorted((c["seller"]["name"] for c in cases.values()), key=str.lower)
        page.locator(".poakit-dashboard th", has_text="Case").locator("button").click()
        assert _visible(page, 1) == names
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_dashboard_filters_by_status_reason_marketplace_and_text(
    browser: Any, dashboard_url: str, cases: dict[str, dict[str, Any]]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(dashboard_url)
        shown = page.locator(".poakit-shown")
        assert shown.inner_text() == f"{len(cases)} of {len(cases)} cases shown"
        reinstated = sorted(
            c["seller"]["name"] for c in cases.values() if expected_status(c) == "reinstated"
        )
        page.select_option('select[data-filter="status"]', "reinstated")
        assert sorted(_visible(page, 1)) == reinstated
        assert shown.inner_text() == f"{len(reinstated)} of {len(cases)} cases shown"
        page.select_option('select[data-filter="status"]', "")
        uk = [
            c["seller"]["name"]
            for c in cases.values()
            if c["seller"]["marketplace"] == "amazon.co.uk"
        ]
        page.select_option('select[data-filter="marketplace"]', "amazon.co.uk")
        assert _visible(page, 1) == uk
        page.select_option('select[data-filter="marketplace"]', "")
        trademark = [c["seller"]["name"] for c in cases.values() if "trademark" in reason_ids(c)]
        page.select_option('select[data-filter="reasons"]', "trademark")
        assert _visible(page, 1) == trademark
        page.select_option('select[data-filter="reasons"]', "")
        page.locator('input[data-filter="text"]').fill("tidewater")
        assert _visible(page, 1) == ["Tidewater Goods LLC"]
        page.locator('input[data-filter="text"]').fill("")
        assert len(_visible(page, 1)) == len(cases)
    finally:
        context.close()
