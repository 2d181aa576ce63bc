"""The guide's tables of what the notice reader knows: the stores and the notice languages.

Both come from the library's data (`snippets/stores.yaml`, `snippets/notices/*.yaml`), so the
guide says what the reader does, never what someone remembered it does.
"""

from __future__ import annotations

from ..model.library import Library
from ..model.notices import Language
from ..templating.escape import markdown_text
from .markup import table


def stores_table(library: Library) -> str:
    """Every store: its country, the languages of its notices, its Seller Central host and
    the names its notices give the metrics."""
    rows = [
        (
            markdown_text(domain),
            markdown_text(store.country),
            markdown_text(", ".join(store.languages)),
            markdown_text(", ".join(store.hosts)),
            _metric_names(library, _merged(store.metrics, store.local_names)),
            markdown_text(store.note or ""),
        )
        for domain, store in library.notices.stores.items()
    ]
    if not rows:
        return "*The library lists no stores (snippets/stores.yaml).*"
    header = (
        "Store",
        "Country",
        "Notices in",
        "Seller Central",
        "Its names for the metrics",
        "Note",
    )
    return table(header, rows)


def _merged(english: dict[str, list[str]], local: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each metric's English names, then its local ones, in the order the file gives them."""
    keys = [*english, *(key for key in local if key not in english)]
    return {key: [*english.get(key, []), *local.get(key, [])] for key in keys}


def _metric_names(library: Library, metrics: dict[str, list[str]]) -> str:
    parts = []
    for reason_id, names in metrics.items():
        reason = library.reasons.get(reason_id)
        metric = reason.meta.metric.name if reason and reason.meta.metric else reason_id
        parts.append(f"{markdown_text(metric)}: {markdown_text(', '.join(names))}")
    return "; ".join(parts)


def languages_table(library: Library) -> str:
    """Every language the reader reads: what it recognises, with an example of each."""
    rows = [_language_row(language) for language in library.notices.languages.values()]
    if not rows:
        return "*The library lists no notice languages (snippets/notices/).*"
    header = ("Language", "Signal phrases", "Complaint ID label", "A date", "A rate", "A window")
    return table(header, rows)


def _language_row(language: Language) -> tuple[str, ...]:
    phrases = sum(len(p) for p in (*language.signals.values(), *language.strong.values()))
    signals = f"the reasons' own, and {phrases} more" if language.language == "en" else str(phrases)
    month = language.months[6][0] if language.months else "7"
    date = language.dates[0].format(d=14, m=7, y=2026, month=month) if language.dates else "-"
    window = language.windows[0].format(n=365) if language.windows else "-"
    return (
        markdown_text(f"{language.name} ({language.language})"),
        markdown_text(signals),
        markdown_text(", ".join(language.labels.complaint_id[:2]) or "-"),
        markdown_text(date),
        "6,2 %" if language.decimal == "," else "6.2%",
        markdown_text(window),
    )
