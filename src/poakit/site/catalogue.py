"""The catalogue: a page per reason, root cause and measure, and their index tables, as Markdown.

Everything here is derived from the library and the readable cases: a reason's page lists the
cases that cite it, a measure's page the cases that use it, and each snippet is shown rendered
with the sample case (`samples`), so the catalogue always reads as the letters will.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial

import jinja2.meta

from ..letter.samples import (
    SAMPLE_ASIN,
    SAMPLE_DONE,
    SAMPLE_OWNER,
    SAMPLE_SELLER,
    SAMPLE_SINCE,
    render_sample,
    sample_values,
)
from ..letter.samples import sections_of as sample_sections
from ..model.case import Case
from ..model.library import STANDARD_VARIABLES, Kind, Library, Snippet
from ..model.sections import BY_KEY
from ..model.status import status_of
from ..model.values import format_value
from ..project.cache import Cache, digest
from ..project.load import CaseResult
from ..project.memo import Memo, remembered
from ..templating.escape import fenced_text, html_text, markdown_text
from ..templating.render import RenderError, environment
from .lessons import LESSONS_PAGE, reason_anchor
from .markup import html_island, link_html, table

CASES, REASONS, ROOT_CAUSES, MEASURES = "cases", "reasons", "root-causes", "measures"

POLICY_URL = "https://sellercentral.amazon.com/gp/help/external/{id}"

CATEGORIES = {
    "performance": "Performance",
    "intellectual-property": "Intellectual property",
    "product": "Product",
    "conduct": "Conduct",
    "account": "Account",
}

KINDS = {
    "corrective": "Corrective action",
    "preventive": "Preventive measure",
    "both": "Corrective and preventive",
}

#: What each standard variable holds, for the variables table of a snippet that uses it.
STANDARD_MEANINGS = {
    "seller": "The case's `seller`: `name`, `store`, `merchant_token`, `marketplace`, "
    "`signatory.name`, `signatory.title`.",
    "notice": "The case's `notice`: `received`, `action`, `evidence_window_days`.",
    "issues": "The notice issues this entry answers: `id`, `reason`, `asins`, `orders`, "
    "`complaints`, `summary`.",
    "asins": "Every ASIN of those issues.",
    "orders": "Every order ID of those issues.",
    "complaints": "Every complaint ID of those issues.",
    "done": "The `done:` date of the corrective action.",
    "since": "The `since:` date of the preventive measure.",
    "owner": "The `owner:` of the preventive measure: a person and their role.",
}


# -- reasons ------------------------------------------------------------------------------------


def reason_page(
    reason: Snippet,
    library: Library,
    cases: Sequence[CaseResult],
    memo: Memo | None = None,
) -> str:
    """The reason's page; `cases`: those that cite it (as `usage` finds them)."""
    meta = reason.meta
    blocks = [f"# {meta.title}", meta.summary]
    if meta.document_only:
        blocks.append(
            '!!! note "Documents, not a Plan of Action"\n'
            "    Amazon asks for documents for this reason. Send exactly what the notice asks"
            " for; the checklists below say how to prepare it."
        )
    blocks += [table(("", ""), _reason_facts(reason)), reason.body.strip()]
    blocks += requirements_block(reason)
    blocks += _list_block("Investigation checklist", meta.investigation, checklist=True)
    blocks += _list_block("Evidence to gather", meta.evidence, checklist=True)
    blocks += _root_cause_block(library, meta.root_causes)
    blocks += _measure_blocks(library, meta.measures)
    empty = "No published example case cites this reason yet."
    blocks += _cases_block(cases, empty, memo)
    if any(c.file for c in cases):
        anchor = reason_anchor(reason.id)
        blocks.append(f"What these cases taught: [Lessons learned](../{LESSONS_PAGE}#{anchor}).")
    return "\n\n".join(b for b in blocks if b) + "\n"


def _reason_facts(reason: Snippet) -> list[tuple[str, str]]:
    meta = reason.meta
    facts = [("Id", f"`{reason.id}`"), ("Category", CATEGORIES.get(meta.category, meta.category))]
    if meta.metric:
        facts.append(("Metric", meta.metric.name))
        facts.append(("Target", meta.metric.target))
        if meta.metric.window:
            facts.append(("Window", meta.metric.window))
    facts.append(("Answer with", "documents" if meta.document_only else "a Plan of Action"))
    if meta.requires_evidence:
        facts.append(("Evidence", "a supporting document for every ASIN under review"))
    if meta.accepted_files:
        facts.append(("Accepted files", ", ".join(f".{kind}" for kind in meta.accepted_files)))
    if meta.policies:
        links = (f"[{p.title}]({POLICY_URL.format(id=p.id)}) ({p.id})" for p in meta.policies)
        facts.append(("Policies cited", "; ".join(links)))
    if meta.signals:
        facts.append(("Signals in the notice", ", ".join(f"“{s}”" for s in meta.signals)))
    return facts


#: What each requirement check reads in the case, for the reason pages.
CHECK_FIELDS = {
    "metric": "`metrics`",
    "since-fix": "`metrics[].since_fix`",
    "suppliers": "`suppliers`, and `supplier` on each invoice",
    "evidence": "`evidence`",
    "units": "`units`",
    "ip-route": "`ip`",
    "ip-type": "the letter's words",
    "fulfilment": "`fulfilment`",
    "grading": "`grading`",
    "incentives": "`incentives`",
    "statement": "the letter's words",
}


def requirements_block(reason: Snippet) -> list[str]:
    """What the letter must state for this reason, what must back it, where the case holds
    it, and the source of each requirement: what `poa check` holds every letter to."""
    requirements = reason.meta.requirements
    if not requirements:
        return []
    rows = [
        (
            req.states + (" *(a warning)*" if req.level == "warning" else ""),
            req.backed_by or "",
            CHECK_FIELDS.get(req.check, req.check),
        )
        for req in requirements
    ]
    sources = "\n".join(f"- **{req.id}**: {req.source}" for req in requirements)
    return [
        "## What the letter must state",
        "`poa check` holds every letter for this reason to these requirements; the case holds "
        "the facts once, and the letter states them from there.",
        table(("The letter states", "Backed by", "In the case"), rows),
        "Sources:\n\n" + sources,
    ]


def _root_cause_block(library: Library, ids: Sequence[str]) -> list[str]:
    rows = [
        (f"[{c.meta.title}](../{ROOT_CAUSES}/{c.id}.md)", c.meta.summary or "")
        for c in _known(library.root_causes, ids)
    ]
    if not rows:
        return []
    intro = "Statements of what went wrong, ready to adapt; pick those your investigation proves."
    return ["## Root causes", intro, table(("Root cause", "What it says"), rows)]


def _measure_blocks(library: Library, ids: Sequence[str]) -> list[str]:
    measures = list(_known(library.measures, ids))
    blocks: list[str] = []
    for use, title in (("corrective", "Corrective actions"), ("preventive", "Preventive measures")):
        rows = [
            (
                f"[{m.meta.title}](../{MEASURES}/{m.id}.md)",
                "yes" if m.meta.systemic else "",
                m.meta.summary or "",
            )
            for m in measures
            if m.meta.serves(use)
        ]
        if rows:
            blocks += [f"## {title}", table(("Measure", "Systemic", "What it does"), rows)]
    return blocks


def _known(snippets: dict[str, Snippet], ids: Iterable[str]) -> Iterable[Snippet]:
    return (snippets[sid] for sid in ids if sid in snippets)


# -- root causes and measures -------------------------------------------------------------------


def root_cause_page(
    cause: Snippet,
    library: Library,
    cases: Sequence[CaseResult] = (),
    memo: Memo | None = None,
    library_key: str = "",
    *,
    cache: Cache | None = None,
) -> str:
    """The root cause's page; `cases`: those that use it (as `usage` finds them)."""
    facts = [("Id", f"`{cause.id}`"), ("Fits", _reason_links(library, cause.meta.reasons))]
    blocks = [f"# {cause.meta.title}", cause.meta.summary or "", table(("", ""), facts)]
    blocks += _snippet_details(cause, library, memo, library_key, cache)
    empty = "No published example case uses this root cause yet."
    blocks += _cases_block(cases, empty, memo)
    return "\n\n".join(b for b in blocks if b) + "\n"


def measure_page(
    measure: Snippet,
    library: Library,
    cases: Sequence[CaseResult] = (),
    memo: Memo | None = None,
    library_key: str = "",
    *,
    cache: Cache | None = None,
) -> str:
    """The measure's page; `cases`: those that use it (as `usage` finds them)."""
    meta = measure.meta
    facts = [
        ("Id", f"`{measure.id}`"),
        ("Kind", KINDS.get(meta.kind, meta.kind)),
        ("Systemic change", "yes: a lasting change of process" if meta.systemic else "no"),
        ("Serves", _reason_links(library, meta.reasons)),
    ]
    blocks = [f"# {meta.title}", meta.summary or "", table(("", ""), facts)]
    blocks += _snippet_details(measure, library, memo, library_key, cache)
    empty = "No published example case uses this measure yet."
    blocks += _cases_block(cases, empty, memo)
    return "\n\n".join(b for b in blocks if b) + "\n"


def _reason_links(library: Library, ids: Sequence[str]) -> str:
    return ", ".join(
        f"[{library.reason_title(r)}](../{REASONS}/{r}.md)" for r in ids if r in library.reasons
    )


def _snippet_details(
    snippet: Snippet, library: Library, memo: Memo | None, library_key: str, cache: Cache | None
) -> list[str]:
    """The example renderings, the variables table and the template of a letter snippet.

    They depend on the library alone, so a preview server makes them once while no snippet
    changes (kept in the memo by the library's digest), and a build reads them from the cache
    the project came from, if an earlier one kept them there."""
    key = ("details", library_key, snippet.template_name) if library_key else None
    make = partial(_details, snippet, library)
    if key is not None and cache is not None:
        make = partial(_kept, cache, digest(*key), make)
    return list(remembered(memo, key, make))


def _kept(cache: Cache, key: str, make: Callable[[], list[str]]) -> list[str]:
    """`make()`, read from `cache` under `key` if it is there (as JSON), else kept there."""
    data = cache.get(key)
    if data is not None:
        with contextlib.suppress(ValueError):
            blocks = json.loads(data)
            if isinstance(blocks, list) and all(isinstance(b, str) for b in blocks):
                return blocks
    blocks = make()
    cache.put(key, json.dumps(blocks).encode("utf-8"))
    return blocks


def _details(snippet: Snippet, library: Library) -> list[str]:
    blocks = _examples_block(snippet, library)
    blocks += _variables_block(snippet, library)
    blocks += ["## Template", f"```jinja\n{fenced_text(snippet.body.strip())}\n```"]
    return blocks


def _examples_block(snippet: Snippet, library: Library) -> list[str]:
    sections = sample_sections(snippet)
    blocks = ["## Example", _sample_note(sections)]
    for section in sections:
        label = f"As {BY_KEY[section].one}"
        try:
            text = render_sample(library, snippet, section).markdown()
        except RenderError as exc:
            failure = markdown_text(str(exc.finding))
            blocks.append(f'!!! failure "{label}: does not render"\n    {failure}')
            continue
        blocks.append(f'!!! example "{label}"\n' + _indent(text))
    return blocks


def _sample_note(sections: Sequence[str]) -> str:
    dates = []
    if "corrective_actions" in sections:
        dates.append(f"done on {format_value(SAMPLE_DONE)}")
    if "preventive_measures" in sections:
        dates.append(f"running since {format_value(SAMPLE_SINCE)}, owned by {SAMPLE_OWNER}")
    extra = f" ({'; '.join(dates)})" if dates else ""
    return (
        f"Rendered with each variable's example and a sample case: {SAMPLE_SELLER}, one "
        f"notice issue on ASIN {SAMPLE_ASIN}{extra}."
    )


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in text.splitlines())


def _variables_block(snippet: Snippet, library: Library) -> list[str]:
    declared = snippet.meta.variables
    rows = [
        (
            f"`{name}`",
            "the entry's `vars:`",
            "yes" if v.required else "no",
            markdown_text(v.description),
            markdown_text(format_value(v.example)) if v.example is not None else "",
        )
        for name, v in declared.items()
    ]
    sample: dict[str, object] = {}
    for section in sample_sections(snippet):  # a measure of both kinds has done, since, owner
        sample.update((k, v) for k, v in sample_values(snippet, section).items() if v is not None)
    rows += [
        (f"`{name}`", "the case", "", STANDARD_MEANINGS.get(name, ""), _sample_of(sample, name))
        for name in sorted(_standard_names_used(snippet, library))
        if name not in declared
    ]
    if not rows:
        return [
            "## Variables",
            "This snippet uses no variables: its text is the same in every case.",
        ]
    header = ("Variable", "Comes from", "Required", "Meaning", "Example")
    return ["## Variables", table(header, rows)]


def _standard_names_used(snippet: Snippet, library: Library) -> set[str]:
    try:
        names = jinja2.meta.find_undeclared_variables(environment(library).parse(snippet.body))
    except jinja2.TemplateSyntaxError:
        return set()
    return {str(name) for name in names} & STANDARD_VARIABLES


def _sample_of(sample: dict[str, object], name: str) -> str:
    value = sample.get(name)
    if (
        value is None
        or isinstance(value, dict)
        or (isinstance(value, list) and value and isinstance(value[0], dict))
    ):
        return ""  # a mapping (seller, notice, issues) is described, not shown
    return markdown_text(format_value(value))


def sample_block(snippet: Snippet, library: Library, prefix: str = "") -> str:
    """The snippet rendered with the sample case, as an admonition per letter section, with
    a link to its catalogue page (`prefix` + folder/id.md) where it has one."""
    folder = {Kind.ROOT_CAUSE: ROOT_CAUSES, Kind.MEASURE: MEASURES}.get(snippet.kind)
    blocks = []
    for section in sample_sections(snippet):
        label = f"{snippet.meta.title}, as {BY_KEY[section].one}"
        try:
            text = render_sample(library, snippet, section).markdown()
        except RenderError as exc:
            text = markdown_text(str(exc.finding))
        if folder:
            text += f"\n\n[The `{snippet.id}` snippet]({prefix}{folder}/{snippet.id}.md)"
        blocks.append(f'!!! example "{label}"\n' + _indent(text))
    return "\n\n".join(blocks)


def letter_parts_list(library: Library) -> str:
    """Every opening and closing in the library, with its summary and its sample text."""
    parts = sorted(library.letter_parts.values(), key=lambda s: (s.meta.part != "opening", s.id))
    blocks = []
    for part in parts:
        blocks += [
            f"### {part.meta.title}",
            f"`{part.id}`, a letter {part.meta.part}. {part.meta.summary or ''}".strip(),
            sample_block(part, library),
        ]
    return "\n\n".join(blocks) or "*The library has no letter parts.*"


# -- cases ---------------------------------------------------------------------------------------


def usage(
    cases: Sequence[CaseResult], memo: Memo | None = None
) -> dict[tuple[str, str], list[CaseResult]]:
    """The cases citing each reason and using each snippet, by (kind, id), in one pass: each
    catalogue page then looks at its own cases, not at all of them (a thousand cases times
    140 pages would be 140,000 lookups on every preview rebuild). With a `memo`, what each
    case uses is kept by the case's digest."""
    used: dict[tuple[str, str], list[CaseResult]] = {}
    for result in cases:
        case = result.case
        if case is None:
            continue
        key = result.key and ("uses", result.key)
        for used_key in remembered(memo, key, partial(_uses, case)):
            used.setdefault(used_key, []).append(result)
    return used


def _uses(case: Case) -> tuple[tuple[str, str], ...]:
    ids = dict.fromkeys((Kind.REASON.value, r) for r in case.reason_ids())
    for kind in (Kind.ROOT_CAUSE, Kind.MEASURE):
        ids.update(dict.fromkeys((kind.value, s) for s in case.snippet_ids(kind)))
    return tuple(ids)


def _cases_block(cases: Sequence[CaseResult], empty: str, memo: Memo | None) -> list[str]:
    """The cases a catalogue page lists, as raw HTML (an island, see `markup`): Markdown would
    parse each of hundreds of links on every page that lists a case, on every preview save."""
    shown = sorted((c for c in cases if c.file), key=lambda c: c.slug)
    # kept in the memo by the case's digest: a preview save remakes one line, not all (its
    # link is marked, the same on every page: see `markup.site_link`)
    lines = [
        remembered(memo, c.key and ("catalogue-line", c.key), partial(_case_line, c)) for c in shown
    ]
    if not lines:
        return ["## Example cases", f"*{empty}*"]
    island = html_island("<ul>\n" + "\n".join(lines) + "\n</ul>", searched=False)
    return ["## Example cases", island]


def _case_line(result: CaseResult) -> str:
    assert result.file is not None
    case = result.file.case
    status = html_text(str(status_of(case.follow_up)))
    return f"<li>{link_html(f'{CASES}/{result.slug}.md', case.seller.name)}: {status}</li>"


def _list_block(title: str, items: Iterable[str], *, checklist: bool = False) -> list[str]:
    marker = "- [ ] " if checklist else "- "
    lines = [marker + item for item in items]
    return [f"## {title}", "\n".join(lines)] if lines else []


# -- indexes -------------------------------------------------------------------------------------


def reasons_index(library: Library) -> str:
    blocks = [
        "# Reasons",
        "Every suspension and deactivation reason in the library. Find the one your notice "
        "names (the *signals* on each page are the phrases to look for), then follow its "
        "checklists, root causes and measures.",
    ]
    by_category = _group(library.reasons.values(), lambda r: r.meta.category)
    for category, title in CATEGORIES.items():
        reasons = by_category.get(category, [])
        if reasons:
            ordered = sorted(reasons, key=lambda r: r.meta.title)
            blocks += [f"## {title}", _reason_rows(ordered, prefix="", category=False)]
    return "\n\n".join(blocks) + "\n"


def reasons_table(library: Library, prefix: str = "") -> str:
    """Every reason, grouped by category, linked to its page (`prefix` + id + .md)."""
    order = list(CATEGORIES)
    reasons = sorted(
        library.reasons.values(),
        key=lambda r: (_rank(order, r.meta.category), r.meta.title),
    )
    return _reason_rows(reasons, prefix=prefix, category=True)


def _reason_rows(reasons: Sequence[Snippet], *, prefix: str, category: bool) -> str:
    """A row per reason, in the order given; the target column only where a reason has one."""
    targets = any(r.meta.metric for r in reasons)
    rows = []
    for r in reasons:
        cells = [f"[{r.meta.title}]({prefix}{r.id}.md)"]
        if category:
            cells.append(CATEGORIES.get(r.meta.category, r.meta.category))
        cells.append(first_sentence(r.meta.summary))
        if targets:
            cells.append(_target(r))
        cells.append("documents" if r.meta.document_only else "Plan of Action")
        rows.append(cells)
    header = ["Reason", *(["Category"] if category else []), "What it is"]
    header += [*(["Target"] if targets else []), "Answer with"]
    return table(header, rows)


def metrics_table(library: Library, prefix: str = "") -> str:
    """The performance metrics the library's reasons watch: target, window, reason page."""
    rows = [
        (
            r.meta.metric.name,
            r.meta.metric.target,
            r.meta.metric.window or "",
            f"[{r.meta.title}]({prefix}{r.id}.md)",
        )
        for r in sorted(library.reasons.values(), key=lambda r: r.meta.title)
        if r.meta.metric
    ]
    return table(("Metric", "Target", "Window", "Reason"), rows)


def _target(reason: Snippet) -> str:
    metric = reason.meta.metric
    if metric is None:
        return ""
    return f"{metric.target} over {metric.window}" if metric.window else str(metric.target)


def root_causes_index(library: Library) -> str:
    blocks = [
        "# Root causes",
        "Every root cause statement in the library, with the reasons it fits. Each is written "
        "in the first person, names what happened and why, and takes variables for the facts "
        "of a case.",
        root_causes_table(library),
    ]
    return "\n\n".join(blocks) + "\n"


def root_causes_table(library: Library, prefix: str = "") -> str:
    rows = [
        (
            f"[{c.meta.title}]({prefix}{c.id}.md)",
            _reason_names(library, c.meta.reasons),
            c.meta.summary or "",
        )
        for c in sorted(library.root_causes.values(), key=lambda c: c.meta.title)
    ]
    return table(("Root cause", "Reasons", "What it says"), rows)


def measures_index(library: Library) -> str:
    blocks = [
        "# Measures",
        "Every measure in the library. Corrective actions are done once and written in the "
        "past tense with their date; preventive measures keep running, with a start date, an "
        "owner and a check. *Systemic* marks a lasting change of process.",
    ]
    by_kind = _group(library.measures.values(), lambda m: m.meta.kind)
    titles = {
        "corrective": "Corrective actions",
        "preventive": "Preventive measures",
        "both": "Corrective and preventive",
    }
    for kind, title in titles.items():
        if by_kind.get(kind):
            blocks += [f"## {title}", _measure_rows(library, by_kind[kind], "", kind_column=False)]
    return "\n\n".join(blocks) + "\n"


def measures_table(
    library: Library, prefix: str = "", kind: str | None = None, *, systemic: bool = False
) -> str:
    """Every measure (or those serving `kind`: corrective or preventive; or only systemic
    ones), linked to `prefix` + id + .md."""
    measures = [
        m
        for m in library.measures.values()
        if (kind is None or m.meta.kind in (kind, "both")) and (m.meta.systemic or not systemic)
    ]
    return _measure_rows(library, measures, prefix, kind_column=True)


def _measure_rows(
    library: Library, measures: Iterable[Snippet], prefix: str, *, kind_column: bool
) -> str:
    rows = []
    for m in sorted(measures, key=lambda m: m.meta.title):
        cells = [
            f"[{m.meta.title}]({prefix}{m.id}.md)",
            "yes" if m.meta.systemic else "",
            _reason_names(library, m.meta.reasons),
            m.meta.summary or "",
        ]
        if kind_column:
            cells.insert(1, m.meta.kind)
        rows.append(cells)
    header = ["Measure", "Systemic", "Serves", "What it does"]
    if kind_column:
        header.insert(1, "Kind")
    return table(header, rows)


def _reason_names(library: Library, ids: Sequence[str]) -> str:
    """Up to three reason titles; beyond that a count, so the table stays scannable."""
    known = [r for r in ids if r in library.reasons]
    if len(known) > 3:
        everything = len(known) == len(library.reasons)
        return f"all {len(known)} reasons" if everything else f"{len(known)} reasons"
    return ", ".join(library.reason_title(r) for r in known)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence of a summary, for a table cell."""
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]


def _group(snippets: Iterable[Snippet], key: Callable[[Snippet], str]) -> dict[str, list[Snippet]]:
    groups: dict[str, list[Snippet]] = {}
    for snippet in snippets:
        groups.setdefault(key(snippet), []).append(snippet)
    return groups


def _rank(order: list[str], value: str) -> int:
    return order.index(value) if value in order else len(order)
