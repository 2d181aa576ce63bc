"""The site's generated pages, as Markdown: one per case, per reason, per measure, and indexes.

Nothing here knows MkDocs: `site_pages` returns paths and Markdown, and the adapter in
`hooks/` turns them into virtual files. Every value that comes from a case goes through
`markdown_escape`, so it is shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .case import Case
from .errors import Finding, Level
from .library import Library, Snippet
from .project import CaseResult, Project
from .render.markdown import letter_markdown
from .richtext import format_date, markdown_escape

CASES, REASONS, MEASURES = "cases", "reasons", "measures"


@dataclass(frozen=True)
class Page:
    """A generated page: its path under docs/ (e.g. `cases/acme.md`) and its Markdown."""

    path: str
    markdown: str


def site_pages(project: Project, *, include_private: bool = False) -> list[Page]:
    """Every generated page. Private cases only with `include_private` (local preview)."""
    cases = [c for c in project.cases if include_private or c.public]
    library = project.library
    shown = [c for c in cases if c.file is not None]
    pages = [case_page(c, library) for c in cases]
    pages.append(Page(f"{CASES}/index.md", cases_index(cases, library)))
    pages.extend(reason_page(r, library, shown) for r in library.reasons.values())
    pages.append(Page(f"{REASONS}/index.md", reasons_index(library)))
    pages.extend(measure_page(m, library) for m in library.measures.values())
    pages.append(Page(f"{MEASURES}/index.md", measures_index(library)))
    return pages


# -- cases ----------------------------------------------------------------------------------------


def case_page(result: CaseResult, library: Library) -> Page:
    path = f"{CASES}/{result.slug}.md"
    if result.file is None or result.letter is None:
        return Page(path, error_page(result))
    case = result.file.case
    blocks = [
        f"# {markdown_escape(case.seller.name)}: {markdown_escape(_reasons_text(case, library))}",
        *([_PRIVATE_BANNER] if not case.public else []),
        _case_header(case, library),
        *_review_panel(result.findings),
        "## Plan of Action",
        letter_markdown(result.letter, level=3),
        *_investigation(case),
        *_follow_up(case),
        *_lessons(case),
    ]
    return Page(path, "\n\n".join(blocks) + "\n")


_PRIVATE_BANNER = (
    '!!! warning "Private case: not published"\n'
    "    This case is shown only in your local preview. Built and published sites leave it out."
)


def error_page(result: CaseResult) -> str:
    """What the preview shows for a case that cannot be read: every problem, with position."""
    problems = "\n".join(str(f) for f in result.findings)
    return (
        f"# {markdown_escape(result.slug)}: case file has errors\n\n"
        '!!! failure "This case could not be read"\n'
        f"    Fix these problems in `{result.display}`; the page updates when you save.\n\n"
        f"```text\n{_fence_safe(problems)}\n```\n"
    )


def _fence_safe(text: str) -> str:
    return text.replace("```", "` ` `")


def _reasons_text(case: Case, library: Library) -> str:
    titles = [_reason_title(i.reason, library) for i in case.notice.issues]
    return ", ".join(dict.fromkeys(titles))


def _reason_title(rid: str, library: Library) -> str:
    reason = library.reasons.get(rid)
    return reason.meta.title if reason else rid


def _reason_links(case: Case, library: Library, prefix: str) -> str:
    links = dict.fromkeys(
        f"[{markdown_escape(_reason_title(i.reason, library))}]({prefix}{REASONS}/{i.reason}.md)"
        for i in case.notice.issues
        if i.reason in library.reasons
    )
    return ", ".join(links)


def _case_header(case: Case, library: Library) -> str:
    seller = case.seller
    store = f" ({markdown_escape(seller.store)})" if seller.store else ""
    rows = [
        ("Seller", markdown_escape(seller.name) + store),
        ("Marketplace", markdown_escape(seller.marketplace)),
        ("Notice", f"{format_date(case.notice.received)}, {case.notice.action.replace('-', ' ')}"),
        ("Reasons", _reason_links(case, library, "../")),
        ("Status", case.status),
    ]
    return _table(("", ""), rows)


def _review_panel(findings: Sequence[Finding]) -> list[str]:
    if not findings:
        return []
    errors = sum(1 for f in findings if f.level is Level.ERROR)
    kind = "failure" if errors else "warning"
    title = f"Review: {errors} error(s), {len(findings) - errors} warning(s)"
    lines = [f'!!! {kind} "{title}"']
    for finding in findings:
        fix = f" {markdown_escape(finding.fix)}" if finding.fix else ""
        lines.append(
            f"    - **{finding.level}** `{finding.rule}` line {finding.position.line}: "
            f"{markdown_escape(finding.message)}.{fix}"
        )
    return ["\n".join(lines)]


def _investigation(case: Case) -> list[str]:
    if not case.investigation:
        return []
    rows = [(markdown_escape(s.source), markdown_escape(s.finding)) for s in case.investigation]
    return ["## Investigation", _table(("What we reviewed", "What we found"), rows)]


def _follow_up(case: Case) -> list[str]:
    if not case.follow_up:
        return []
    lines = [
        f"- **{format_date(e.date)}**: {e.event.replace('-', ' ')}"
        + (f": {markdown_escape(e.note)}" if e.note else "")
        for e in sorted(case.follow_up, key=lambda e: e.date)
    ]
    return ["## Follow-up", "\n".join(lines)]


def _lessons(case: Case) -> list[str]:
    if not case.lessons:
        return []
    return ["## Lessons", "\n".join(f"- {markdown_escape(lesson)}" for lesson in case.lessons)]


def cases_index(cases: Sequence[CaseResult], library: Library) -> str:
    rows = []
    for result in cases:
        link = f"[{markdown_escape(result.slug)}]({result.slug}.md)"
        if result.file is None:
            rows.append((link, "*case file has errors*", "", "", "", ""))
            continue
        case = result.file.case
        rows.append(
            (
                link,
                markdown_escape(case.seller.name),
                _reason_links(case, library, "../"),
                markdown_escape(case.seller.marketplace),
                case.notice.received.isoformat(),
                case.status,
            )
        )
    header = ("Case", "Seller", "Reasons", "Marketplace", "Notice", "Status")
    intro = (
        "# Cases\n\nEvery case file in `cases/` becomes a Plan of Action page. "
        "See [How to add a case](../guide/add-a-case.md)."
    )
    if not rows:
        return intro + "\n\nNo cases yet.\n"
    return f"{intro}\n\n{_table(header, rows)}\n"


# -- the catalogue ---------------------------------------------------------------------------


def reason_page(reason: Snippet, library: Library, cases: Sequence[CaseResult]) -> Page:
    meta = reason.meta
    blocks = [f"# {meta.title}", meta.summary]
    if meta.document_only:
        blocks.append(
            '!!! note "Documents, not a Plan of Action"\n'
            "    Amazon asks for documents for this reason; the guidance below says which."
        )
    if meta.metric:
        window = f" over {meta.metric.window}" if meta.metric.window else ""
        blocks.append(f"**Metric:** {meta.metric.name}, target {meta.metric.target}{window}.")
    blocks += _list_block("Signals in the notice", (f"“{s}”" for s in meta.signals))
    blocks += _list_block(
        "Policies cited", (f"{p.title} (help page {p.id})" for p in meta.policies)
    )
    blocks += _list_block("Evidence to gather", meta.evidence, checklist=True)
    blocks += _list_block("Investigation checklist", meta.investigation, checklist=True)
    blocks += _snippet_list("Root causes", library.root_causes, meta.root_causes, library)
    blocks += _snippet_list(
        "Suggested measures", library.measures, meta.measures, library, link=True
    )
    citing = [
        c for c in cases if c.file and any(i.reason == reason.id for i in c.file.case.notice.issues)
    ]
    blocks += _list_block(
        "Example cases",
        (
            f"[{markdown_escape(c.file.case.seller.name)}](../{CASES}/{c.slug}.md)"
            for c in citing
            if c.file
        ),
    )
    blocks += ["## Guidance", reason.body.strip()]
    return Page(f"{REASONS}/{reason.id}.md", "\n\n".join(b for b in blocks if b) + "\n")


def _list_block(title: str, items: Iterable[str], *, checklist: bool = False) -> list[str]:
    marker = "- [ ] " if checklist else "- "
    lines = [marker + item for item in items]
    return [f"## {title}", "\n".join(lines)] if lines else []


def _snippet_list(
    title: str,
    known: dict[str, Snippet],
    ids: Sequence[str],
    library: Library,
    *,
    link: bool = False,
) -> list[str]:
    lines = []
    for sid in ids:
        snippet = known.get(sid)
        if snippet is None:
            continue
        name = (
            f"[{snippet.meta.title}](../{MEASURES}/{sid}.md)"
            if link
            else f"**{snippet.meta.title}**"
        )
        summary = f": {snippet.meta.summary}" if snippet.meta.summary else ""
        lines.append(f"- {name} (`{sid}`){summary}")
    return [f"## {title}", "\n".join(lines)] if lines else []


def measure_page(measure: Snippet, library: Library) -> Page:
    meta = measure.meta
    reasons = ", ".join(
        f"[{_reason_title(r, library)}](../{REASONS}/{r}.md)"
        for r in meta.reasons
        if r in library.reasons
    )
    facts = [
        ("Id", f"`{measure.id}`"),
        ("Kind", meta.kind),
        ("Systemic change", "yes" if meta.systemic else "no"),
        ("Serves", reasons),
    ]
    blocks = [f"# {meta.title}", meta.summary or "", _table(("", ""), facts)]
    blocks += _variables_block(measure)
    blocks += ["## Text", f"```jinja\n{_fence_safe(measure.body.strip())}\n```"]
    return Page(f"{MEASURES}/{measure.id}.md", "\n\n".join(b for b in blocks if b) + "\n")


def _variables_block(snippet: Snippet) -> list[str]:
    rows = [
        (
            f"`{name}`",
            "yes" if v.required else "no",
            markdown_escape(v.description),
            markdown_escape(str(v.example)) if v.example is not None else "",
        )
        for name, v in snippet.meta.variables.items()
    ]
    if not rows:
        return []
    return ["## Variables", _table(("Variable", "Required", "Meaning", "Example"), rows)]


def reasons_index(library: Library) -> str:
    return "# Reasons\n\n" + reasons_table(library) + "\n"


def reasons_table(library: Library, prefix: str = "") -> str:
    """Every reason, grouped by category, linked to its page (`prefix` + id + .md)."""
    rows = [
        (
            f"[{r.meta.title}]({prefix}{r.id}.md)",
            r.meta.category,
            f"{r.meta.metric.name} {r.meta.metric.target}" if r.meta.metric else "",
            r.meta.summary,
        )
        for r in sorted(library.reasons.values(), key=lambda r: (r.meta.category, r.meta.title))
    ]
    return _table(("Reason", "Category", "Metric", "Summary"), rows)


def measures_index(library: Library) -> str:
    return "# Measures\n\n" + measures_table(library) + "\n"


def measures_table(library: Library, prefix: str = "", kind: str | None = None) -> str:
    """Every measure (or those serving `kind`: corrective or preventive), linked."""
    measures = [
        m for m in library.measures.values() if kind is None or m.meta.kind in (kind, "both")
    ]
    rows = [
        (
            f"[{m.meta.title}]({prefix}{m.id}.md)",
            m.meta.kind,
            "yes" if m.meta.systemic else "",
            ", ".join(_reason_title(r, library) for r in m.meta.reasons),
        )
        for m in sorted(measures, key=lambda m: m.meta.title)
    ]
    return _table(("Measure", "Kind", "Systemic", "Reasons"), rows)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """One table cell: on one line, with every pipe escaped exactly once."""
    return _BARE_PIPE.sub(r"\\|", " ".join(text.split()))


_BARE_PIPE = re.compile(r"(?<!\\)\|")
