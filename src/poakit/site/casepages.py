"""Case pages, as Markdown: the letter with its review panel, investigation, follow-up and
lessons."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .. import __version__
from ..errors import Finding, Level
from ..model.case import Case, Route
from ..model.library import Library
from ..model.values import format_date, plural
from ..project.load import CaseResult
from ..render.html import list_html, table_html
from ..templating.escape import fenced_text, html_text, markdown_text, page_title
from . import dashboard, exportpage
from .markup import UNINDEXED, html_island, link_html
from .versions import versions_blocks

CASES, REASONS = "cases", "reasons"


def case_page(result: CaseResult, library: Library, letter_text: str | None = None) -> str:
    """The case's page; `letter_text`: its letter as plain text, where it is made already
    (see `exportpage.copy_texts`)."""
    letter = result.letter
    if result.file is None or letter is None:
        return error_page(result)
    case = result.file.case
    title = f"{case.seller.name}: {_reasons_text(case, library)}"
    blocks = [
        f"# {markdown_text(title)}",
        *([_PRIVATE_BANNER] if not case.public else []),
        _case_header(case, library),
        *_review_panel(result.findings, case, result.display),
        *exportpage.letter_blocks(result.slug, letter, letter_text),
        *_investigation(case),
        *_follow_up(case, result),
        *versions_blocks(result.versions, letter),
        *_lessons(case),
    ]
    # tags: Material's tags plugin lists the case under its reasons, marketplace and status
    head = dashboard.front_matter(dashboard.case_tags(case, library), title=title, searchable=False)
    return head + "\n\n".join(blocks) + "\n"


_PRIVATE_BANNER = (
    '!!! warning "Private case: not published"\n'
    "    This case is shown only in your local preview. Built and published sites leave it out."
)


def error_page(result: CaseResult) -> str:
    """What the preview shows for a case that cannot be read: every problem, with position."""
    problems = "\n".join(str(f) for f in result.findings)
    title = f"{result.slug}: case file has errors"
    return (
        f"---\ntitle: {json.dumps(page_title(title))}\n---\n"
        f"# {markdown_text(title)}\n\n"
        '!!! failure "This case could not be read"\n'
        f"    Fix these problems in `{result.display}`; the page updates when you save.\n\n"
        f"```text\n{fenced_text(problems)}\n```\n"
    )


def _reasons_text(case: Case, library: Library) -> str:
    titles = [library.reason_title(i.reason) for i in case.notice.issues]
    return ", ".join(dict.fromkeys(titles))


def _reason_links(case: Case, library: Library) -> str:
    links = dict.fromkeys(
        link_html(f"{REASONS}/{i.reason}.md", library.reason_title(i.reason))
        for i in case.notice.issues
        if i.reason in library.reasons
    )
    return ", ".join(links)


#: What the notice asks for, as the header says it (the case file's values otherwise).
_ROUTE_WORDS = {Route.NONE: "nothing to send", Route.DOCUMENTS: "documents only"}


def _case_header(case: Case, library: Library) -> str:
    """The table of the case's facts, as finished HTML (an island: as a Markdown table it was
    a fifth of a case page's Markdown), its links resolved by the adapter (`site_link`)."""
    seller = case.seller
    route, deadline = case.notice.route, case.notice.deadline
    store = f" ({html_text(seller.store)})" if seller.store else ""
    action = case.notice.action.replace("-", " ")
    rows = [
        ("Seller", html_text(seller.name) + store),
        ("Marketplace", html_text(seller.marketplace)),
        ("Notice", f"{format_date(case.notice.received)}, {html_text(action)}"),
        ("Asks for", html_text(_ROUTE_WORDS.get(route, route.replace("-", " ")))),
        *([("Reply by", format_date(deadline))] if deadline else []),
        ("Reasons", _reason_links(case, library)),
        ("Status", dashboard.status_html(case)),
        # One source for the version: pyproject.toml, through the installed metadata.
        ("Built with", html_text(f"snippet library {__version__}")),
    ]
    return html_island(table_html(("", ""), rows))


def _review_panel(findings: Sequence[Finding], case: Case, display: str) -> list[str]:
    """The checks' verdict above the letter: counts per level, each finding with its fix.

    Finished HTML (an island), as Python-Markdown writes the admonition `!!! kind "title"`
    with a list of findings: a case's findings were most of its page's Markdown (some 2 ms
    of the 5 a case page cost in Markdown)."""
    errors = sum(1 for f in findings if f.level is Level.ERROR)
    warnings = len(findings) - errors
    kind = "failure" if errors else "warning" if warnings else "success"
    title = f"Review: {plural(errors, 'error')}, {plural(warnings, 'warning')}"
    lines = [f'<div class="admonition {kind}">', f'<p class="admonition-title">{title}</p>']
    if not findings:
        lines.append("<p>Every check passed.</p>")
    items = []
    for finding in findings:
        where = finding.position
        place = f"line {where.line}" if where.path == display else f"{where.path} line {where.line}"
        fix = (finding.fix or "").strip()
        fix = f" <em>{html_text(fix)}</em>" if fix else ""
        items.append(
            f"<strong>{finding.level}</strong> ({html_text(place)}, "
            f"<code>{html_text(finding.rule)}</code>): {html_text(finding.message)}.{fix}"
        )
    if items:
        lines.append(list_html("ul", items))
    if case.silence:
        lines.append("<p>Silenced for this case:</p>")
        silenced = (
            f"<code>{html_text(s.rule)}</code>: {html_text(s.reason)}" for s in case.silence
        )
        lines.append(list_html("ul", silenced))
    return [html_island("\n".join([*lines, "</div>"]))]


def _investigation(case: Case) -> list[str]:
    if not case.investigation:
        return []
    rows = [(html_text(s.source), html_text(s.finding)) for s in case.investigation]
    table_ = table_html(("What we reviewed", "What we found"), rows)
    return [f"## Investigation {UNINDEXED}", html_island(table_)]


def _follow_up(case: Case, result: CaseResult) -> list[str]:
    return dashboard.timeline_blocks(case, result.versions)


def _lessons(case: Case) -> list[str]:
    if not case.lessons:
        return []
    return [
        f"## Lessons {UNINDEXED}",
        "\n".join(f"- {markdown_text(lesson)}" for lesson in case.lessons),
    ]
