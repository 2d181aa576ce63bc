"""The cases dashboard, the follow-up timeline of a case page, and the case's tags.

The dashboard (the cases index) shows what depends on the day it is built: days since the
notice and since the last submission, and what is due next (see `model.status`). The case
pages themselves never depend on the day.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from ..model.case import Case, Event, FollowUp
from ..model.library import Library
from ..model.status import (
    ESCALATION_LABELS,
    EVENT_LABELS,
    DueKind,
    Status,
    Tracking,
    plural_days,
    status_of,
    timeline,
    track,
)
from ..model.values import format_date
from ..model.versions import SentVersion
from ..project.load import CaseResult
from ..project.memo import Memo, remembered
from ..render.html import list_html
from ..templating.escape import html_attribute, html_text, page_title, tag_name
from .markup import UNINDEXED, html_island, link_html
from .versions import ANCHOR as VERSIONS_ANCHOR

#: The id Markdown gives the heading "Follow-up" (the header's status links to it).
FOLLOW_UP_ANCHOR = "follow-up"

# -- the dashboard --------------------------------------------------------------------------

DASHBOARD_PAGE = "cases/index.md"


def dashboard(
    cases: Sequence[CaseResult],
    library: Library,
    today: dt.date,
    follow_up_days: int,
    *,
    memo: Memo | None = None,
) -> str:
    """The cases index: counts per status, then one sortable, filterable row per case (raw
    HTML, its links marked for the adapter: see `markup.site_link`)."""
    intro = (
        # the table needs the width the table of contents would take; the search index has
        # an entry per case already (searchindex), and the whole table would only bloat it
        "---\nhide:\n  - toc\nsearch:\n  exclude: true\n---\n# Cases\n\n"
        "Every case file in `cases/` becomes a Plan of Action page. "
        "See [How to add a case](../guide/add-a-case.md); "
        "[Lessons learned](../lessons.md) sums up the outcomes, and [Tags](../tags.md) "
        "lists the cases by reason, marketplace and status."
    )
    if not cases:
        return intro + "\n\nNo cases yet.\n"

    def row(result: CaseResult) -> tuple[_Row, str]:
        made = _Row.of(result, library, today, follow_up_days)
        return made, _table_row(made)

    # Kept in the memo by the case's digest: a preview save remakes one row, not all.
    made = [
        remembered(
            memo,
            result.key and ("dashboard-row", result.key, today, follow_up_days),
            partial(row, result),
        )
        for result in cases
    ]
    rows = [r for r, _ in made]
    counted = (
        f"Days are counted to **{format_date(today)}**. A submitted case is due a follow-up "
        f"when Amazon has been silent for more than {plural_days(follow_up_days)} "
        "(`follow_up_days` in `snippets/library.yaml`)."
    )
    blocks = [intro, counted, _status_counts(rows), _table(rows, [html for _, html in made])]
    return "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class _Row:
    result: CaseResult
    tracking: Tracking | None  # None: the case file could not be read
    reasons: tuple[tuple[str, str], ...]  # (id, title)
    reason_links: str = ""  # HTML
    page: str = ""  # the case's page, under docs/

    @classmethod
    def of(
        cls,
        result: CaseResult,
        library: Library,
        today: dt.date,
        days: int,
    ) -> _Row:
        page = f"cases/{result.slug}.md"
        if result.file is None:
            return cls(result, None, (), page=page)
        case = result.file.case
        issues = case.notice.issues
        reasons = tuple(dict.fromkeys((i.reason, library.reason_title(i.reason)) for i in issues))
        links = ", ".join(
            link_html(f"reasons/{rid}.md", title) if rid in library.reasons else html_text(title)
            for rid, title in reasons
        )
        return cls(result, track(case, today, days), reasons, links, page)

    @property
    def status(self) -> str:
        return "error" if self.tracking is None else str(self.tracking.status)


def _status_counts(rows: Sequence[_Row]) -> str:
    counts = Counter(row.status for row in rows)
    statuses = [str(s) for s in Status] + (["error"] if counts["error"] else [])
    header = " | ".join(s.replace("-", " ").capitalize() for s in statuses)
    values = " | ".join(str(counts[s]) for s in statuses)
    return f"| {header} | All |\n|{'---|' * (len(statuses) + 1)}\n| {values} | {len(rows)} |"


_COLUMNS = (
    ("Case", "text"),
    ("Status", "text"),
    ("Reasons", "text"),
    ("Marketplace", "text"),
    ("Days since notice", "number"),
    ("Days since submission", "number"),
    ("Due next", "number"),
)


def _table(rows: Sequence[_Row], row_html: Sequence[str]) -> str:
    """The table as raw HTML, which Markdown sets aside: with a thousand cases, reading the
    cells as Markdown (md_in_html) cost 0.45 s a build; as an island (see `mdutil.html_island`),
    5 ms. So every value
    is escaped here, and every link is the page's final URL (see `urls`)."""
    header = "".join(f'<th data-sort="{kind}">{name}</th>' for name, kind in _COLUMNS)
    body = "\n".join(row_html)
    return html_island(
        '<div class="poakit-dashboard">\n'
        f"{_filters(rows)}\n"
        "<table>\n"
        f"<thead><tr>{header}</tr></thead>\n"
        "<tbody>\n"
        f"{body}\n"
        "</tbody>\n</table>\n</div>",
        searched=False,
    )


def _filters(rows: Sequence[_Row]) -> str:
    """The filter controls; hidden until the script wires them up, useless without it."""
    statuses = Counter(row.status for row in rows)
    reasons = Counter(reason for row in rows for reason in row.reasons)
    markets = Counter(row.result.file.case.seller.marketplace for row in rows if row.result.file)
    status_options = [(s, f"{s.replace('-', ' ')} ({n})") for s, n in _ordered(statuses)]
    by_title = sorted(reasons.items(), key=lambda item: (item[0][1], item[0][0]))
    reason_options = [(rid, f"{title} ({n})") for (rid, title), n in by_title]
    market_options = [(m, f"{m} ({n})") for m, n in sorted(markets.items())]
    return (
        '<div class="poakit-filters" hidden>\n'
        + _select("status", "Status", status_options)
        + _select("reasons", "Reason", reason_options)
        + _select("marketplace", "Marketplace", market_options)
        + '<label>Search <input type="search" data-filter="text"></label>\n'
        + '<output class="poakit-shown" aria-live="polite"></output>\n'
        + "</div>"
    )


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    order = [str(s) for s in Status] + ["error"]
    return [(s, counts[s]) for s in order if counts[s]]


def _select(key: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    choices = "".join(
        f'<option value="{html_attribute(value)}">{html_text(text)}</option>'
        for value, text in options
    )
    return (
        f'<label>{label} <select data-filter="{key}">'
        f'<option value="">All</option>{choices}</select></label>\n'
    )


def _table_row(row: _Row) -> str:
    result = row.result
    if row.tracking is None or result.file is None:
        return (
            '<tr data-status="error" data-reasons="[]" data-marketplace="">\n'
            f"<td>{link_html(row.page, result.slug)}</td>\n<td>error</td>\n"
            + "<td></td>\n" * 4
            + f'<td data-sort-value="{DueKind.FIX.rank}">Fix the case file</td>\n</tr>'
        )
    case, tracking = result.file.case, row.tracking
    private = "" if case.public else " <em>(private)</em>"
    reason_ids = json.dumps([rid for rid, _ in row.reasons])
    cells = [
        f"<td>{link_html(row.page, case.seller.name)}{private}</td>",
        f'<td><span class="poakit-status poakit-status--{tracking.status}">'
        f"{tracking.status.label}</span></td>",
        f"<td>{row.reason_links}</td>",
        f"<td>{html_text(case.seller.marketplace)}</td>",
        _days_cell(tracking.days_since_notice, "Notice received", case.notice.received),
        _days_cell(tracking.days_since_submission, "Last submitted", tracking.last_submission),
        f'<td class="poakit-due poakit-due--{tracking.due.kind}" '
        f'data-sort-value="{tracking.due.kind.rank}">{html.escape(tracking.due.text)}</td>',
    ]
    attributes = (
        f'data-status="{tracking.status}" data-reasons="{html_attribute(reason_ids)}" '
        f'data-marketplace="{html_attribute(case.seller.marketplace)}"'
    )
    return f"<tr {attributes}>\n" + "\n".join(cells) + "\n</tr>"


def _days_cell(days: int | None, what: str, day: dt.date | None) -> str:
    """A number of days; the date it counts from shows on hover."""
    if days is None or day is None:
        return '<td data-sort-value="">—</td>'
    return f'<td data-sort-value="{days}" title="{what} {format_date(day)}">{days}</td>'


# -- the timeline on a case page ------------------------------------------------------------


def timeline_blocks(case: Case, versions: Sequence[SentVersion] = ()) -> list[str]:
    """The "Follow-up" section of a case page: its heading, then the status and every entry,
    oldest first, as finished HTML (an island: as Markdown, a timeline cost some 0.5 ms a
    page); a submission whose letter `poa sent` recorded links to it."""
    if not case.follow_up:
        return []
    status = status_of(case.follow_up)
    sent = {(v.date, v.event): v.name for v in versions}
    entries = [
        _entry(entry, case.notice.received, sent.get((entry.date, entry.event)))
        for entry in timeline(case.follow_up)
    ]
    # Markdown's rule: items apart, or holding more than a line, are paragraphs
    loose = len(entries) > 1 or any(body for _, body in entries)
    items = [
        "\n".join(["<li>", f"<p>{head}</p>", *body, "</li>"]) if loose else f"<li>{head}</li>"
        for head, body in entries
    ]
    status_line = (
        f"<p>Status: <strong>{html_text(status.label)}</strong>, "
        "derived from the timeline below.</p>"
    )
    timeline_html = ['<div class="poakit-timeline">', "<ul>", *items, "</ul>", "</div>"]
    return [f"## Follow-up {UNINDEXED}", html_island("\n".join([status_line, *timeline_html]))]


def status_html(case: Case) -> str:
    """The status for the case page's header, linked to the timeline it comes from."""
    label = html_text(status_of(case.follow_up).label)
    return f'<a href="#{FOLLOW_UP_ANCHOR}">{label}</a>' if case.follow_up else label


def _entry(entry: FollowUp, notice: dt.date, version: str | None = None) -> tuple[str, list[str]]:
    """An entry's first line and the blocks under it, as HTML."""
    day = (entry.date - notice).days
    head = (
        f'<span class="poakit-event poakit-event--{entry.event}">'
        f"{EVENT_LABELS[entry.event]}</span> <strong>{format_date(entry.date)}</strong>, "
        f"day {day} after the notice"
    )
    body = []
    if entry.note:
        body.append(f"<p>{html_text(entry.note)}</p>")
    if entry.sent:
        body.append(f"<p><strong>Sent:</strong> {html_text(entry.sent)}</p>")
    if version is not None:
        body.append(
            f'<p><strong>Letter:</strong> <a href="#{VERSIONS_ANCHOR}">{html_text(version)}</a>'
            ", as sent</p>"
        )
    if entry.changes:
        denied = entry.event is Event.DENIED
        title = "What the next version changes" if denied else "Changed since the last submission"
        changes = list_html("ul", (html_text(change) for change in entry.changes))
        body.append(f"<p><strong>{title}:</strong></p>\n{changes}")
    if entry.request:
        points = list_html("ol", (html_text(point.asked) for point in entry.request))
        body.append(f"<p><strong>Amazon asked:</strong></p>\n{points}")
    if entry.route is not None:
        body.append(f"<p><strong>Route:</strong> {ESCALATION_LABELS[entry.route]}</p>")
    return head, body


# -- tags -----------------------------------------------------------------------------------


def case_tags(case: Case, library: Library) -> list[str]:
    """The case's Material tags: its reasons, its marketplace and its status."""
    reasons = [_tag("Reason", library.reason_title(i.reason)) for i in case.notice.issues]
    return [
        *dict.fromkeys(reasons),
        _tag("Marketplace", case.seller.marketplace),
        _tag("Status", status_of(case.follow_up).label),
    ]


def _tag(kind: str, value: str) -> str:
    return f"{kind}: {tag_name(value)}"


def front_matter(tags: Sequence[str], *, title: str | None = None, searchable: bool = True) -> str:
    """YAML front matter for a generated page; JSON strings are valid YAML and always quoted.

    `title` is the page's title as the theme shows it (in `<title>`, the header and the
    navigation), escaped here once: the theme writes it unescaped. A page that is not
    `searchable` is left out of Material's search index (a case page gets a compact entry of
    its own instead: see `searchindex`)."""
    listed = "\n".join(f"  - {json.dumps(tag)}" for tag in tags)
    head = "" if title is None else f"title: {json.dumps(page_title(title))}\n"
    search = "" if searchable else _UNSEARCHABLE
    return f"---\n{head}{search}tags:\n{listed}\n---\n"


_UNSEARCHABLE = "search:\n  exclude: true\n"


def indexed(page: str) -> str:
    """A page whose front matter `front_matter(searchable=False)` made, searchable after all:
    for a site with no compact entries to find it by (a staged tree: see `stage`)."""
    end = page.find("\n---\n", 3) if page.startswith("---\n") else -1
    if end < 0:
        return page
    head = page[: end + 1].replace("\n" + _UNSEARCHABLE, "\n", 1)
    return head + page[end + 1 :]


def tags_page() -> str:
    """The tags index: Material's tags plugin fills in the listing at the marker.

    Left out of search: it lists every case by name, which each case's own compact entry
    already finds (at a thousand cases it would be the largest page of the index)."""
    return (
        "---\nsearch:\n  exclude: true\n---\n"
        "# Tags\n\n"
        "Browse the published cases by reason, marketplace and status. "
        "The [Cases](cases/index.md) dashboard sorts and filters the same cases.\n\n"
        "<!-- material/tags -->\n"
    )
