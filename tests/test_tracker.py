"""The case tracker: status from the timeline, what is due next, the dashboard, tags, charts."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import REPO

from poakit import charts, lessons, tracker
from poakit.case import Case, FollowUp, load_case
from poakit.errors import ConfigError, InputError
from poakit.library import Library, load_library
from poakit.project import load_project
from poakit.tracker import DueKind, Status, due_next, status_of

TODAY = dt.date(2026, 11, 27)


def entries(*events: tuple[str, str] | tuple[str, str, dict[str, Any]]) -> list[FollowUp]:
    """Follow-up entries from (date, event) or (date, event, extra keys) tuples."""
    made = []
    for item in events:
        extra = item[2] if len(item) == 3 else {}  # type: ignore[misc]
        made.append(FollowUp.model_validate({"date": item[0], "event": item[1], **extra}))
    return made


def case_with(follow_up: list[dict[str, Any]], **seller: Any) -> Case:
    return Case.model_validate(
        {
            "visibility": "public",
            "seller": {"name": "Acme", "signatory": {"name": "A", "title": "B"}, **seller},
            "notice": {
                "received": "2026-10-02",
                "action": "warning",
                "issues": [{"id": "a", "reason": "inauthentic"}],
            },
            "follow_up": follow_up,
        }
    )


# -- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "status"),
    [
        ([], Status.DRAFT),
        ([("2026-10-05", "note")], Status.DRAFT),
        ([("2026-10-05", "submitted")], Status.SUBMITTED),
        ([("2026-10-05", "submitted"), ("2026-10-07", "replied")], Status.IN_REVIEW),
        ([("2026-10-05", "submitted"), ("2026-10-07", "info-requested")], Status.INFO_REQUESTED),
        (
            [
                ("2026-10-05", "submitted"),
                ("2026-10-07", "info-requested"),
                ("2026-10-09", "resubmitted"),
            ],
            Status.SUBMITTED,
        ),
        ([("2026-10-05", "submitted"), ("2026-10-09", "reinstated")], Status.REINSTATED),
        ([("2026-10-05", "submitted"), ("2026-10-09", "denied")], Status.DENIED),
        # a note after the decision changes nothing
        ([("2026-10-09", "denied"), ("2026-10-20", "note")], Status.DENIED),
        # written out of order: the dates decide
        ([("2026-10-09", "reinstated"), ("2026-10-05", "submitted")], Status.REINSTATED),
    ],
)
def test_status_is_the_latest_event_that_is_not_a_note(
    events: list[tuple[str, str]], status: Status
) -> None:
    assert status_of(entries(*events)) is status


def test_same_day_entries_keep_the_order_of_the_file() -> None:
    follow_up = entries(("2026-10-05", "submitted"), ("2026-10-05", "denied"))
    assert status_of(follow_up) is Status.DENIED
    assert status_of(list(reversed(follow_up))) is Status.SUBMITTED


def test_case_status_is_the_tracker_status() -> None:
    case = case_with([{"date": "2026-10-05", "event": "info-requested"}])
    assert case.status == "info-requested" == status_of(case.follow_up)


# -- due next -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "kind", "text"),
    [
        ([], DueKind.SUBMIT, "Submit the Plan of Action"),
        (
            [("2026-11-03", "submitted"), ("2026-11-19", "info-requested")],
            DueKind.REPLY,
            "Reply to Amazon's request of 19 November 2026 (8 days ago)",
        ),
        (
            [("2026-11-27", "info-requested")],
            DueKind.REPLY,
            "Reply to Amazon's request of 27 November 2026 (today)",
        ),
        # exactly follow_up_days of silence: still waiting
        (
            [("2026-11-20", "submitted")],
            DueKind.WAIT,
            "Wait for Amazon; follow up after 27 November 2026",
        ),
        # one day more: follow up
        (
            [("2026-11-19", "submitted")],
            DueKind.FOLLOW_UP,
            "Follow up: no word from Amazon for 8 days",
        ),
        # Amazon's reply restarts the silence...
        (
            [("2026-11-01", "submitted"), ("2026-11-25", "replied")],
            DueKind.WAIT,
            "Wait for Amazon; follow up after 2 December 2026",
        ),
        # ...the seller's own note does not
        (
            [("2026-11-01", "resubmitted"), ("2026-11-25", "note")],
            DueKind.FOLLOW_UP,
            "Follow up: no word from Amazon for 26 days",
        ),
        (
            [("2026-10-01", "submitted"), ("2026-10-05", "reinstated")],
            DueKind.NONE,
            "Nothing: reinstated",
        ),
        ([("2026-10-01", "submitted"), ("2026-10-05", "denied")], DueKind.NONE, "Nothing: denied"),
    ],
)
def test_due_next_on_a_fixed_day(events: list[tuple[str, str]], kind: DueKind, text: str) -> None:
    due = due_next(entries(*events), TODAY, follow_up_days=7)
    assert (due.kind, due.text) == (kind, text)


def test_follow_up_days_come_from_the_caller() -> None:
    follow_up = entries(("2026-11-17", "submitted"))
    assert due_next(follow_up, TODAY, follow_up_days=7).kind is DueKind.FOLLOW_UP
    assert due_next(follow_up, TODAY, follow_up_days=14).kind is DueKind.WAIT


def test_track_counts_days_to_today() -> None:
    case = case_with(
        [
            {"date": "2026-10-09", "event": "submitted"},
            {"date": "2026-10-12", "event": "info-requested"},
            {"date": "2026-10-20", "event": "resubmitted"},
            {"date": "2026-11-02", "event": "replied"},
        ]
    )
    tracking = tracker.track(case, TODAY, 7)
    assert tracking.status is Status.IN_REVIEW
    assert tracking.days_since_notice == 56
    assert tracking.last_submission == dt.date(2026, 10, 20)
    assert tracking.days_since_submission == 38
    assert tracking.due.kind is DueKind.FOLLOW_UP
    draft = tracker.track(case_with([]), TODAY, 7)
    assert (draft.last_submission, draft.days_since_submission) == (None, None)


# -- today ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (dt.date(2026, 11, 27), dt.date(2026, 11, 27)),
        (dt.datetime(2026, 11, 27, 13, 5), dt.date(2026, 11, 27)),
        ("2026-11-27", dt.date(2026, 11, 27)),
    ],
)
def test_today_setting_is_read(value: Any, expected: dt.date | None) -> None:
    assert tracker.parse_today(value) == expected


def test_a_bad_today_names_the_setting_its_line_and_the_fix(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  poakit:\n    today: !ENV [POAKIT_TODAY, null]\n")
    with pytest.raises(ConfigError) as caught:
        tracker.parse_today("tomorrow", config)
    assert str(caught.value) == (
        "mkdocs.yml:4:5: extra.poakit.today: expected a date as YYYY-MM-DD, found 'tomorrow' "
        "(set POAKIT_TODAY=2026-11-27, or leave it unset to count to the build date)"
    )


def _hook_today(extra: dict[str, Any], config_file: Path) -> dt.date:
    spec = importlib.util.spec_from_file_location(
        "poakit_pages", REPO / "hooks" / "poakit_pages.py"
    )
    assert spec and spec.loader
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    config = SimpleNamespace(extra=extra, config_file_path=str(config_file))
    return hook._today(config)  # type: ignore[no-any-return]


def test_the_hook_counts_to_the_setting_else_to_the_build_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config_file = REPO / "mkdocs.yml"
    assert _hook_today({"poakit": {"today": "2026-01-31"}}, config_file) == dt.date(2026, 1, 31)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27 00:00 UTC
    assert _hook_today({"poakit": {"today": None}}, config_file) == dt.date(2026, 11, 27)


def test_mkdocs_yml_reads_today_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    config = load_config(str(REPO / "mkdocs.yml"))
    assert tracker.parse_today(config.extra["poakit"]["today"]) == dt.date(2026, 11, 27)
    monkeypatch.delenv("POAKIT_TODAY")
    config = load_config(str(REPO / "mkdocs.yml"))
    assert tracker.parse_today(config.extra["poakit"]["today"]) is None


# -- the case file: sent and changes ----------------------------------------------------------


def test_sent_and_changes_are_recorded_on_submissions() -> None:
    case = case_with(
        [
            {"date": "2026-10-05", "event": "submitted", "sent": "Letter v1"},
            {
                "date": "2026-10-09",
                "event": "resubmitted",
                "sent": "Letter v2",
                "changes": ["Added the invoices."],
            },
        ]
    )
    assert [e.sent for e in case.follow_up] == ["Letter v1", "Letter v2"]
    assert case.follow_up[1].changes == ["Added the invoices."]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{date: 2026-10-05, event: note, sent: Letter v1}",
            "cases/x.yaml:7:5: error: follow_up[0]: 'sent' goes with event 'submitted' or "
            "'resubmitted', not 'note' [case-schema]",
        ),
        (
            "{date: 2026-10-05, event: submitted, changes: [More invoices]}",
            "cases/x.yaml:7:5: error: follow_up[0]: 'changes' goes with event 'resubmitted', "
            "not 'submitted' [case-schema]",
        ),
    ],
)
def test_sent_or_changes_on_the_wrong_event_is_an_error(
    tmp_path: Path, entry: str, message: str
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "seller: {name: X, signatory: {name: A, title: B}}\n"
        "notice:\n"
        "  received: 2026-10-02\n"
        "  action: warning\n"
        "  issues: [{id: a, reason: r}]\n"
        "follow_up:\n"
        f"  - {entry}\n"
    )
    with pytest.raises(InputError) as caught:
        load_case(path, "cases/x.yaml")
    assert [str(f) for f in caught.value.findings] == [message]


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
    heading, status, body = tracker.timeline_markdown(case)
    assert heading == "## Follow-up"
    assert status == "Status: **submitted**, derived from the timeline below."
    assert re.findall(r"\*\*(\d+ October 2026)\*\*", body) == [
        "5 October 2026",
        "8 October 2026",
        "12 October 2026",
    ]
    assert "day 3 after the notice" in body
    assert "    **Sent:** Letter v2" in body
    assert "    **Changed since the last submission:**\n\n    - A\n    - B" in body
    assert tracker.timeline_markdown(case_with([])) == []


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
    body = tracker.timeline_markdown(case)[2]
    assert "\\{\\{ 7\\*7 \\}\\} &lt;script&gt;x&lt;/script&gt;" in body
    assert "**Sent:** \\*v2\\*" in body
    assert "- \\[link\\]\\(http://x\\)" in body
    assert "<script>" not in body


def test_case_page_header_links_the_status_to_the_timeline() -> None:
    case = case_with([{"date": "2026-10-05", "event": "info-requested"}])
    assert tracker.status_cell(case) == "[info requested](#follow-up)"
    assert tracker.status_cell(case_with([])) == "draft"


# -- tags -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(REPO / "snippets")


def test_case_tags_name_reasons_marketplace_and_status(library: Library) -> None:
    case = case_with([{"date": "2026-10-05", "event": "submitted"}], marketplace="amazon.co.uk")
    assert tracker.case_tags(case, library) == [
        "Reason: Inauthentic (counterfeit) item complaints",
        "Marketplace: amazon.co.uk",
        "Status: submitted",
    ]


def test_tags_cannot_carry_markup(library: Library) -> None:
    """Material writes tag names into the page unescaped: only harmless characters stay."""
    case = case_with([], marketplace='<img src=x onerror="alert(1)"> & "amazon.de"')
    tags = tracker.case_tags(case, library)
    assert tags[-2] == "Marketplace: img srcx onerroralert(1) amazon.de"
    assert tracker.front_matter(tags).startswith('---\ntags:\n  - "Reason: Inauthentic')


# -- the dashboard (Markdown) ---------------------------------------------------------------


def test_dashboard_counts_statuses_and_lists_each_case(mini: Path) -> None:
    project = load_project(mini)
    markdown = tracker.dashboard(project.cases, project.library, TODAY, 7)
    assert markdown.startswith("---\nhide:\n  - toc\nsearch:\n  exclude: true\n---\n# Cases\n")
    assert (
        "| Draft | Submitted | In review | Info requested | Reinstated | Denied | All |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 0 | 1 | 0 | 0 | 0 | 0 | 1 |"
    ) in markdown
    assert '<tr data-status="submitted" data-reasons="[&quot;inauthentic&quot;]" ' in markdown
    assert '<td data-sort-value="56" title="Notice received 2 October 2026">56</td>' in markdown
    assert "Follow up: no word from Amazon for 51 days" in markdown
    assert tracker.dashboard([], project.library, TODAY, 7).endswith("No cases yet.\n")


def test_dashboard_is_the_same_for_the_same_day(mini: Path) -> None:
    project = load_project(mini)
    first = tracker.dashboard(project.cases, project.library, TODAY, 7)
    assert tracker.dashboard(project.cases, project.library, TODAY, 7) == first
    assert tracker.dashboard(project.cases, project.library, TODAY + dt.timedelta(1), 7) != first


# -- charts and lessons ---------------------------------------------------------------------


def test_chart_is_deterministic_and_escapes_labels() -> None:
    series = lessons.SERIES
    bars = [charts.Bar("<b>Fish & chips</b>", (2, 1, 0)), charts.Bar("B" * 60, (0, 0, 1))]
    svg = charts.stacked_bars("Outcomes", series, bars)
    assert svg == charts.stacked_bars("Outcomes", series, bars)
    assert svg.startswith('<div class="poakit-chart">\n<svg ')
    assert "&lt;b&gt;Fish &amp; chips&lt;/b&gt;" in svg and "<b>" not in svg
    assert "B" * 37 + "…" in svg  # long labels are cut; the full label is in the tooltip
    assert "\n\n" not in svg  # a blank line would end the HTML block in Markdown
    assert charts.stacked_bars("Empty", series, []) == ""


def test_lessons_page_with_no_cases(mini: Path) -> None:
    library = load_project(mini).library
    assert lessons.lessons_page([], library) == (
        "# Lessons learned\n\nNo published cases yet: lessons appear here as cases are recorded.\n"
    )


def test_lessons_count_a_measure_once_per_case(mini: Path) -> None:
    project = load_project(mini)
    (result,) = project.cases
    assert result.file is not None
    tallies = lessons.by_measure([result, result], project.library)
    assert {m: t.values for m, t in tallies.items()} == {
        "remove-suspect-inventory": (0, 0, 2),
        "supplier-vetting": (0, 0, 2),
    }
    assert lessons.reason_anchor("inauthentic") == "reason-inauthentic"
