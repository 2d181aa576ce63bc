"""The catalogue: a page per reason and per measure, and their index tables, as Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .library import Library, Snippet
from .mdutil import fence_safe, table
from .project import CaseResult
from .richtext import markdown_escape

CASES, REASONS, MEASURES = "cases", "reasons", "measures"


def reason_page(reason: Snippet, library: Library, cases: Sequence[CaseResult]) -> str:
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
    return "\n\n".join(b for b in blocks if b) + "\n"


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


def measure_page(measure: Snippet, library: Library) -> str:
    meta = measure.meta
    reasons = ", ".join(
        f"[{library.reason_title(r)}](../{REASONS}/{r}.md)"
        for r in meta.reasons
        if r in library.reasons
    )
    facts = [
        ("Id", f"`{measure.id}`"),
        ("Kind", meta.kind),
        ("Systemic change", "yes" if meta.systemic else "no"),
        ("Serves", reasons),
    ]
    blocks = [f"# {meta.title}", meta.summary or "", table(("", ""), facts)]
    blocks += _variables_block(measure)
    blocks += ["## Text", f"```jinja\n{fence_safe(measure.body.strip())}\n```"]
    return "\n\n".join(b for b in blocks if b) + "\n"


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
    return ["## Variables", table(("Variable", "Required", "Meaning", "Example"), rows)]


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
    return table(("Reason", "Category", "Metric", "Summary"), rows)


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
            ", ".join(library.reason_title(r) for r in m.meta.reasons),
        )
        for m in sorted(measures, key=lambda m: m.meta.title)
    ]
    return table(("Measure", "Kind", "Systemic", "Reasons"), rows)
