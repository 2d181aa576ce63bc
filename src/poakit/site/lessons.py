"""The lessons-learned page: outcomes and lessons across the cases, per reason and per measure.

Every number comes from the case files given (the published ones, in a build): a case's
outcome is its status read from its timeline (reinstated, denied, or still open), its reasons
are those of its notice, and its measures are the library snippets its corrective actions and
preventive measures use. A measure used twice in one case counts once for that case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from ..model.case import Case
from ..model.library import Library
from ..model.status import outcome, status_of
from ..project.load import CaseResult
from ..project.memo import Memo, remembered
from ..templating.escape import html_text, markdown_text
from .charts import Bar, Series, stacked_bars
from .markup import html_island, link_html, table

LESSONS_PAGE = "lessons.md"
CHARTED_MEASURES = 12  # the table lists every measure; the chart stays small
OUTCOMES = ("reinstated", "denied", "open")
SERIES = (
    Series("reinstated", "#2e7d32"),
    Series("denied", "#c62828"),
    Series("open", "#8a8a8a"),
)


@dataclass
class Tally:
    """How many cases ended each way."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, result: str) -> None:
        self.counts[result] += 1

    @property
    def cases(self) -> int:
        return sum(self.counts.values())

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(self.counts[o] for o in OUTCOMES)


def case_outcome(case: Case) -> str:
    return outcome(status_of(case.follow_up))


def reason_anchor(reason_id: str) -> str:
    """The id of a reason's section on the lessons page, e.g. `reason-inauthentic`."""
    return "reason-" + re.sub(r"[^a-z0-9-]+", "-", reason_id.lower()).strip("-")


@dataclass(frozen=True)
class _Part:
    """What the page takes from one case: its reasons, measures, outcome and lesson lines
    (made once per case: a preview save remakes one case's part, not a thousand)."""

    reasons: tuple[str, ...]
    measures: tuple[str, ...]
    outcome: str
    items: tuple[str, ...]  # its lessons as HTML list items


def _part(result: CaseResult, case: Case) -> _Part:
    result_outcome = case_outcome(case)
    source = f"{link_html(f'cases/{result.slug}.md', case.seller.name)}, {result_outcome}"
    items = [f"<li>{html_text(lesson)} ({source})</li>" for lesson in case.lessons]
    if not case.lessons:
        items.append(f"<li><em>No lessons recorded yet</em> ({source})</li>")
    reasons = tuple(case.reason_ids())
    return _Part(reasons, tuple(case.snippet_ids("measure")), result_outcome, tuple(items))


def _parts(cases: Sequence[CaseResult], memo: Memo | None = None) -> list[_Part]:
    return [
        remembered(
            memo,
            result.key and ("lessons-part", result.key),
            partial(_part, result, result.file.case),
        )
        for result in cases
        if result.file is not None
    ]


def _by_reason(parts: Sequence[_Part]) -> dict[str, list[_Part]]:
    """Reason id → the parts of the cases whose notice cites it, in the order given."""
    cited: dict[str, list[_Part]] = {}
    for part in parts:
        for reason in part.reasons:
            cited.setdefault(reason, []).append(part)
    return cited


def _tally(parts: Sequence[_Part]) -> Tally:
    counted = Tally()
    for part in parts:
        counted.add(part.outcome)
    return counted


def by_measure(cases: Sequence[CaseResult], library: Library) -> dict[str, Tally]:
    """Measure id (library measures only) → the outcomes of the cases that use it."""
    return _by_measure(_parts(cases), library)


def _by_measure(parts: Sequence[_Part], library: Library) -> dict[str, Tally]:
    known = library.measures
    tallies: dict[str, Tally] = {}
    for part in parts:
        for measure in part.measures:
            if measure in known:
                tally = tallies.get(measure)
                if tally is None:  # not `setdefault(measure, Tally())`: a Tally per use
                    tally = tallies[measure] = Tally()
                tally.add(part.outcome)
    return tallies


# -- the page -------------------------------------------------------------------------------


def lessons_page(
    cases: Sequence[CaseResult],
    library: Library,
    *,
    memo: Memo | None = None,
) -> str:
    """The page; its lessons lists are raw HTML, their links marked for the adapter (see
    `markup.site_link`). With a `memo`, each case's part of the page is kept by the case's
    digest."""
    parts = _parts(cases, memo)
    total = _tally(parts)
    blocks = ["# Lessons learned"]
    if not total.cases:
        blocks.append("No published cases yet: lessons appear here as cases are recorded.")
        return "\n\n".join(blocks) + "\n"
    reinstated, denied, still_open = total.values
    blocks.append(
        f"What the {_cases(total.cases)} on this site taught: {reinstated} reinstated, "
        f"{denied} denied, {still_open} still open. Outcomes come from each case's follow-up "
        "timeline, lessons from its `lessons:` list; the [Cases](cases/index.md) dashboard "
        "shows where each case stands."
    )
    cited = _by_reason(parts)
    blocks += _reasons_section(cited, library)
    blocks += _measures_section(_by_measure(parts, library), library)
    blocks += _lessons_section(cited, library)
    return "\n\n".join(blocks) + "\n"


def _cases(n: int) -> str:
    return "1 case" if n == 1 else f"{n} cases"


def _ranked_reasons(cited: dict[str, list[_Part]], library: Library) -> list[tuple[str, Tally]]:
    tallies = [(rid, _tally(parts)) for rid, parts in cited.items()]
    return sorted(tallies, key=lambda item: (-item[1].cases, library.reason_title(item[0])))


def _reasons_section(cited: dict[str, list[_Part]], library: Library) -> list[str]:
    ranked = _ranked_reasons(cited, library)
    chart = stacked_bars(
        "Outcomes by reason",
        SERIES,
        [Bar(library.reason_title(rid), t.values) for rid, t in ranked],
    )
    rows = [
        (
            f"[{markdown_text(library.reason_title(rid))}](#{reason_anchor(rid)})",
            str(t.cases),
            *(str(v) for v in t.values),
        )
        for rid, t in ranked
    ]
    return [
        "## Outcomes by reason",
        chart,
        table(("Reason", "Cases", "Reinstated", "Denied", "Open"), rows),
    ]


def _measures_section(tallies: dict[str, Tally], library: Library) -> list[str]:
    if not tallies:
        return []

    def title(mid: str) -> str:
        return str(library.measures[mid].meta.title)

    ranked = sorted(
        tallies.items(),
        key=lambda item: (-item[1].cases, -item[1].counts["reinstated"], title(item[0])),
    )
    charted = ranked[:CHARTED_MEASURES]
    chart = stacked_bars(
        f"The {len(charted)} measures used in most cases, by outcome",
        SERIES,
        [Bar(title(mid), t.values) for mid, t in charted],
    )
    rows = [
        (f"[{markdown_text(title(mid))}](measures/{mid}.md)", str(t.cases), *map(str, t.values))
        for mid, t in ranked
    ]
    return [
        "## Measures in reinstated and denied cases",
        "How often each library measure appears in cases that were reinstated, denied, or are "
        "still open. A measure common in reinstated cases is a pattern worth knowing, not a "
        "guarantee: every reviewer reads the whole plan. The table lists every measure.",
        chart,
        table(("Measure", "Cases", "Reinstated", "Denied", "Open"), rows),
    ]


def _lessons_section(cited: dict[str, list[_Part]], library: Library) -> list[str]:
    blocks = ["## Lessons by reason"]
    for rid, counted in _ranked_reasons(cited, library):
        reason_title = markdown_text(library.reason_title(rid))
        blocks.append(f"### {reason_title} {{ #{reason_anchor(rid)} }}")
        summary = ", ".join(f"{v} {o}" for o, v in zip(OUTCOMES, counted.values, strict=True) if v)
        catalogue = (
            f" See the reason's [catalogue page](reasons/{rid}.md)."
            if rid in library.reasons
            else ""
        )
        blocks.append(f"{_cases(counted.cases)}: {summary}.{catalogue}")
        blocks.append(_lesson_list(cited[rid]))
    return blocks


def _lesson_list(parts: Sequence[_Part]) -> str:
    """A raw HTML list (an island: see `mdutil.html_island`), which Markdown does not parse
    item by item: it grows with the cases."""
    items = [item for part in parts for item in part.items]
    return html_island("<ul>\n" + "\n".join(items) + "\n</ul>")
