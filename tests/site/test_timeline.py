"""The follow-up timeline of a case page, its tags, and the dashboard as Markdown."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import REPO, case_with
from htmlread import read, site_markdown

from poakit.model.case import Case, Event
from poakit.model.library import Library
from poakit.model.status import ESCALATION_LABELS, EVENT_LABELS, status_of, timeline
from poakit.model.values import format_date
from poakit.model.versions import SentVersion
from poakit.project.load import load_library, load_project
from poakit.site import dashboard
from poakit.site.markup import open_islands
from poakit.site.versions import ANCHOR as VERSIONS_ANCHOR
from poakit.templating.escape import markdown_text

TODAY = dt.date(2026, 11, 27)


# -- the timeline on the page ---------------------------------------------------------------


def test_timeline_lists_entries_oldest_first_with_what_was_sent() -> None:
    case = case_with(
        [
            {
                "date": "2026-10-12",
                "event": "resubmitted",
                "sent": "Letter v2",
                "changes": ["A", "B"],
            },
            {"date": "2026-10-05", "event": "submitted", "sent": "Letter v1"},
            {"date": "2026-10-08", "event": "info-requested", "note": "Send the invoices."},
        ]
    )
    heading, island = dashboard.timeline_blocks(case)
    assert heading == "## Follow-up { data-search-exclude }"
    body = open_islands(island)
    assert body.startswith(
        "<p>Status: <strong>submitted</strong>, derived from the timeline below.</p>"
    )
    assert re.findall(r"<strong>(\d+ October 2026)</strong>", body) == [
        "5 October 2026",
        "8 October 2026",
        "12 October 2026",
    ]
    assert "day 3 after the notice" in body
    assert "<p><strong>Sent:</strong> Letter v2</p>" in body
    assert (
        "<p><strong>Changed since the last submission:</strong></p>\n<ul>\n<li>A</li>\n"
        "<li>B</li>\n</ul>"
    ) in body
    assert dashboard.timeline_blocks(case_with([])) == []


def test_timeline_shows_case_text_literally() -> None:
    case = case_with(
        [
            {
                "date": "2026-10-05",
                "event": "resubmitted",
                "note": "{{ 7*7 }} <script>x</script> -->",
                "sent": "*v2*",
                "changes": ["[link](http://x)"],
            }
        ]
    )
    body = open_islands(dashboard.timeline_blocks(case)[1])
    assert "<p>{{ 7*7 }} &lt;script&gt;x&lt;/script&gt; --&gt;</p>" in body
    assert "<strong>Sent:</strong> *v2*" in body
    assert "<li>[link](http://x)</li>" in body
    assert "<script>" not in body


def _timeline_markdown(case: Case, versions: dict[tuple[dt.date, str], str]) -> str:
    """The section as Markdown, as the page wrote it before it was HTML."""
    status = status_of(case.follow_up)
    entries = []
    for entry in timeline(case.follow_up):
        head = (
            f'- <span class="poakit-event poakit-event--{entry.event}">'
            f"{EVENT_LABELS[entry.event]}</span> **{format_date(entry.date)}**, "
            f"day {(entry.date - case.notice.received).days} after the notice"
        )
        body = []
        if entry.note:
            body.append(markdown_text(entry.note))
        if entry.sent:
            body.append(f"**Sent:** {markdown_text(entry.sent)}")
        version = versions.get((entry.date, entry.event))
        if version is not None:
            body.append(f"**Letter:** [{version}](#{VERSIONS_ANCHOR}), as sent")
        if entry.changes:
            denied = entry.event is Event.DENIED
            title = (
                "What the next version changes" if denied else "Changed since the last submission"
            )
            changes = "\n".join(f"- {markdown_text(change)}" for change in entry.changes)
            body.append(f"**{title}:**\n\n{changes}")
        if entry.request:
            points = "\n".join(
                f"{n}. {markdown_text(p.asked)}" for n, p in enumerate(entry.request, 1)
            )
            body.append(f"**Amazon asked:**\n\n{points}")
        if entry.route is not None:
            body.append(f"**Route:** {ESCALATION_LABELS[entry.route]}")
        indented = ["\n".join(f"    {x}" if x else x for x in b.split("\n")) for b in body]
        entries.append("\n\n".join([head, *indented]))
    joined = "\n\n".join(entries)
    return (
        f"Status: **{status.label}**, derived from the timeline below.\n\n"
        f'<div class="poakit-timeline" markdown="1">\n\n{joined}\n\n</div>'
    )


_HOSTILE = ["Plain words.", '<b>x</b> & "q" -->', "*a* _b_ `c` [d](e) \\ # f", "1. g\n- h"]


@pytest.mark.parametrize(
    "entries",
    [
        [{"date": "2026-10-05", "event": "submitted"}],
        [{"date": "2026-10-05", "event": "submitted", "sent": "{value}"}],
        [{"date": "2026-10-05", "event": "note", "note": "{value}"}],
        [
            {"date": "2026-10-05", "event": "submitted", "sent": "v1 {value}"},
            {"date": "2026-10-09", "event": "replied"},
            {
                "date": "2026-10-12",
                "event": "info-requested",
                "note": "{value}",
                "request": [{"asked": "{value} one"}, {"asked": "two"}],
            },
            {"date": "2026-10-14", "event": "resubmitted", "changes": ["{value}", "B"]},
            {"date": "2026-10-20", "event": "denied", "changes": ["C {value}"]},
            {"date": "2026-10-22", "event": "note", "route": "mediation", "note": "{value}"},
        ],
        [
            {"date": "2026-10-05", "event": "reinstated"},
            {"date": "2026-10-01", "event": "submitted"},
        ],
    ],
)
@pytest.mark.parametrize("value", _HOSTILE)
def test_the_timeline_reads_as_the_markdown_it_stands_for(
    entries: list[dict[str, object]], value: str
) -> None:
    filled = [
        {k: _fill(v, value) for k, v in entry.items()}  # every text holds the value
        for entry in entries
    ]
    case = case_with(filled)
    versions = [  # a recorded letter for each submission
        SentVersion(n, e.date, e.event, "text", f"cases/acme/sent/v{n}.txt")
        for n, e in enumerate(case.follow_up, start=1)
        if e.event in ("submitted", "resubmitted")
    ]
    _, island = dashboard.timeline_blocks(case, versions)
    names = {(v.date, v.event): v.name for v in versions}
    expected = site_markdown().convert(_timeline_markdown(case, names))
    assert read(open_islands(island)) == read(expected)


def _fill(value: object, text: str) -> object:
    if isinstance(value, str):
        return value.replace("{value}", text)
    if isinstance(value, list):
        return [_fill(v, text) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, text) for k, v in value.items()}
    return value


def test_case_page_header_links_the_status_to_the_timeline() -> None:
    case = case_with([{"date": "2026-10-05", "event": "info-requested"}])
    assert dashboard.status_html(case) == '<a href="#follow-up">info requested</a>'
    assert dashboard.status_html(case_with([])) == "draft"
    # the anchor is the id Markdown gives the section's heading
    (heading, _) = dashboard.timeline_blocks(case)
    assert f'id="{dashboard.FOLLOW_UP_ANCHOR}"' in site_markdown().convert(heading)


# -- tags -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(REPO / "snippets")


def test_case_tags_name_reasons_marketplace_and_status(library: Library) -> None:
    case = case_with([{"date": "2026-10-05", "event": "submitted"}], marketplace="amazon.co.uk")
    assert dashboard.case_tags(case, library) == [
        "Reason: Inauthentic (counterfeit) item complaints",
        "Marketplace: amazon.co.uk",
        "Status: submitted",
    ]


def test_tags_cannot_carry_markup(library: Library) -> None:
    """Material writes tag names into the page unescaped: only harmless characters stay."""
    case = case_with([], marketplace='<img src=x onerror="alert(1)"> & "amazon.de"')
    tags = dashboard.case_tags(case, library)
    assert tags[-2] == "Marketplace: img srcx onerroralert(1) amazon.de"
    assert dashboard.front_matter(tags).startswith('---\ntags:\n  - "Reason: Inauthentic')


# -- the dashboard (Markdown) ---------------------------------------------------------------


def test_dashboard_counts_statuses_and_lists_each_case(mini: Path) -> None:
    project = load_project(mini)
    markdown = dashboard.dashboard(project.cases, project.library, TODAY, 7)
    assert markdown.startswith("---\nhide:\n  - toc\nsearch:\n  exclude: true\n---\n# Cases\n")
    assert (
        "| Draft | Submitted | In review | Info requested | Reinstated | Denied | All |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 0 | 1 | 0 | 0 | 0 | 0 | 1 |"
    ) in markdown
    assert '<tr data-status="submitted" data-reasons="[&quot;inauthentic&quot;]" ' in markdown
    assert '<td data-sort-value="56" title="Notice received 2 October 2026">56</td>' in markdown
    assert "Follow up: no word from Amazon for 51 days" in markdown
    assert dashboard.dashboard([], project.library, TODAY, 7).endswith("No cases yet.\n")


def test_dashboard_is_the_same_for_the_same_day(mini: Path) -> None:
    project = load_project(mini)
    first = dashboard.dashboard(project.cases, project.library, TODAY, 7)
    assert dashboard.dashboard(project.cases, project.library, TODAY, 7) == first
    assert dashboard.dashboard(project.cases, project.library, TODAY + dt.timedelta(1), 7) != first


def test_timeline_shows_the_request_the_route_and_the_letter_sent() -> None:
    case = case_with(
        [
            {"date": "2026-10-05", "event": "submitted"},
            {
                "date": "2026-10-08",
                "event": "info-requested",
                "request": [{"asked": "Invoices for *B0C1234567*?", "answer": "Attached."}],
            },
            {"date": "2026-10-20", "event": "denied", "changes": ["A new supplier."]},
            {"date": "2026-10-30", "event": "note", "route": "mediation", "note": "Code asked."},
        ]
    )
    v1 = SentVersion(1, dt.date(2026, 10, 5), Event.SUBMITTED, "x", "cases/acme/sent/v1.txt")
    body = open_islands(dashboard.timeline_blocks(case, [v1])[1])
    assert '<p><strong>Letter:</strong> <a href="#versions-sent">v1</a>, as sent</p>' in body
    assert (
        "<p><strong>Amazon asked:</strong></p>\n<ol>\n<li>Invoices for *B0C1234567*?</li>"
    ) in body
    assert (
        "<p><strong>What the next version changes:</strong></p>\n<ul>\n<li>A new supplier.</li>"
    ) in body
    assert "<p><strong>Route:</strong> Mediation (EU and UK sellers)</p>" in body
