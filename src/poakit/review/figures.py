"""Numbers typed into the letter that contradict the case's own figures.

The figures a reason requires are entered once, in the case's facts (`metrics`, `units`), and
the library's lead parts print them. A number typed into free text (a `text:` entry, a
snippet variable) can still disagree with them; where the sentence says what the number is
about, that is detected here:

- a rate given for a metric ("our Order Defect Rate was 2.3%") that is neither the notified
  rate, the rate since the fix nor the target;
- a count out of a metric's total ("27 of 1,240 orders") that is not its defective count;
- units of a named supplier ("140 units from QuickWholesale Ltd") that match none of that
  supplier's figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Finding, Level
from ..letter.letter import Item
from ..model.case import Case, Metric, Units
from ..model.values import format_number, format_percent
from .structure import Review
from .tone import sentence_spans

RULES: dict[str, str] = {
    "figure-contradicts-data": "a rate, count or number of units in the text that the case's "
    "metrics or units accounting contradict",
}

_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_RATE_WORDS = r"(?:was|is|of|at|reached|rose to|fell to|stood at|to|from)"
_OUT_OF = re.compile(rf"\b({_NUMBER}) (?:of|out of) (?:the |our |all )?({_NUMBER})\b")
_UNITS = re.compile(rf"\b({_NUMBER}) units\b")


def figure_findings(review: Review) -> Iterator[Finding]:
    case = review.case
    for section in review.letter.sections:
        for item in section.everything:
            if item.snippet is not None and item.snippet.kind == "letter":
                continue  # the lead parts print the figures from the case itself
            text = item.text.plain()
            for start, end in sentence_spans(text):
                sentence = text[start:end]
                for message in _contradictions(case, sentence):
                    yield _finding(item, message)


def _finding(item: Item, message: str) -> Finding:
    return Finding(
        item.position,
        Level.WARNING,
        message,
        "figure-contradicts-data",
        "correct the number, or the case's figures if they are the ones that are wrong",
    )


def _contradictions(case: Case, sentence: str) -> Iterator[str]:
    for metric in case.metrics:
        yield from _rates(metric, sentence)
        yield from _counts(metric, sentence)
    yield from _units(case, sentence)


def _rates(metric: Metric, sentence: str) -> Iterator[str]:
    name = re.escape(metric.name)
    pattern = rf"\b{name}\b[^.%]{{0,40}}?\b{_RATE_WORDS}\s+(\d+(?:\.\d+)?)\s?%"
    allowed = {metric.rate} | _numbers(metric.target)
    if metric.since_fix is not None:
        allowed.add(metric.since_fix.rate)
    for match in re.finditer(pattern, sentence, re.IGNORECASE):
        value = float(match.group(1))
        if not any(abs(value - a) < 1e-9 for a in allowed):
            yield (
                f"the text gives the {metric.name} as {format_percent(value)}; the case says "
                f"{format_percent(metric.rate)}"
                + (
                    f" (since the fix {format_percent(metric.since_fix.rate)})"
                    if metric.since_fix
                    else ""
                )
            )


def _counts(metric: Metric, sentence: str) -> Iterator[str]:
    pairs = []
    if metric.defective is not None and metric.total is not None:
        pairs.append((metric.defective, metric.total))
    if metric.since_fix and metric.since_fix.defective is not None and metric.since_fix.total:
        pairs.append((metric.since_fix.defective, metric.since_fix.total))
    if not pairs:
        return
    for match in _OUT_OF.finditer(sentence):
        part, whole = _int(match.group(1)), _int(match.group(2))
        if (part, whole) in pairs:
            continue
        for defective, total in pairs:
            other_part = whole == total and part != defective
            other_whole = part == defective and whole != total and whole > part * 2
            if other_part or other_whole:
                yield (
                    f'"{match.group()}": the {metric.name} counts {format_number(defective)} '
                    f"of {format_number(total)}"
                )


def _units(case: Case, sentence: str) -> Iterator[str]:
    if not case.units:
        return
    names = {s.id: s.name for s in case.suppliers}
    for supplier_id, name in names.items():
        if name.casefold() not in sentence.casefold():
            continue
        rows = [r for r in case.units if r.supplier == supplier_id]
        if not rows:
            continue
        known = _supplier_figures(rows)
        for match in _UNITS.finditer(sentence):
            value = _int(match.group(1))
            if value not in known:
                yield (
                    f'"{match.group()}" of {name}: the units accounting has '
                    + ", ".join(
                        f"{format_number(total)} {what}"
                        for what, total in _totals(rows).items()
                        if total
                    )
                )


def _supplier_figures(rows: list[Units]) -> set[int]:
    figures: set[int] = set()
    for row in rows:
        figures |= {row.bought, row.sold, row.removed, row.on_hand, row.units_invoiced}
    figures |= set(_totals(rows).values())
    return figures


def _totals(rows: list[Units]) -> dict[str, int]:
    return {
        what: sum(int(getattr(row, what)) for row in rows)
        for what in ("bought", "sold", "removed", "on_hand")
    }


def _numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}


def _int(text: str) -> int:
    return int(text.replace(",", ""))
