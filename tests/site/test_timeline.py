"""The follow-up timeline of a case page, its tags, and the dashboard as Markdown."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import REPO, case_with

from poakit.model.library import Library
from poakit.project.load import load_library, load_project
from poakit.site import dashboard

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
    heading, status, body = dashboard.timeline_markdown(case)
    assert heading == "## Follow-up { data-search-exclude }"
    assert status == "Status: **submitted**, derived from the timeline below."
    assert re.findall(r"\*\*(\d+ October 2026)\*\*", body) == [
        "5 October 2026",
        "8 October 2026",
        "12 October 2026",
    ]
    assert "day 3 after the notice" in body
    assert "    **Sent:** Letter v2" in body
    assert "    **Changed since the last submission:**\n\n    - A\n    - B" in body
    assert dashboard.timeline_markdown(case_with([])) == []


def test_timeline_shows_case_text_literally() -> None:
    case = case_with(
        [
            {
                "date": "2026-10-05",
                "event": "resubmitted",
                "note": "{{ 7*7 }} <script>x</script>",
                "sent": "*v2*",
                "changes": ["[link](http://x)"],
            }
        ]
    )
    body = dashboard.timeline_markdown(case)[2]
    assert "\\{\\{ 7\\*7 \\}\\} &lt;script&gt;x&lt;/script&gt;" in body
    assert "**Sent:** \\*v2\\*" in body
    assert "- \\[link\\]\\(http://x\\)" in body
    assert "<script>" not in body


def test_case_page_header_links_the_status_to_the_timeline() -> None:
    case = case_with([{"date": "2026-10-05", "event": "info-requested"}])
    assert dashboard.status_cell(case) == "[info requested](#follow-up)"
    assert dashboard.status_cell(case_with([])) == "draft"


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
    from poakit.model.case import Event
    from poakit.model.versions import SentVersion

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
    _, _, body = dashboard.timeline_markdown(case, [v1])
    assert "    **Letter:** [v1](#versions-sent), as sent" in body
    assert "    **Amazon asked:**\n\n    1. Invoices for \\*B0C1234567\\*?" in body
    assert "    **What the next version changes:**\n\n    - A new supplier\\." in body
    assert "    **Route:** Mediation (EU and UK sellers)" in body
