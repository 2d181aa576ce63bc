"""Compact search entries for case pages.

A case page carries a whole letter; indexed in full, a thousand of them make a search index
of tens of megabytes that freezes the reader's browser. Case pages are left out of the theme's
index, and each case gets one entry instead, with what a reader searches a case by: the
seller, the store, the reasons, the marketplace, the status, and the ASINs, orders and
complaints of the notice. Material inserts an entry's title and text into the page as HTML, so
both hold escaped text (`escape.search_text`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from ..model.library import Library
from ..model.status import status_of
from ..project.load import CaseResult
from ..project.memo import Memo, remembered
from ..templating.escape import search_text


def case_entry(result: CaseResult, library: Library) -> dict[str, str] | None:
    """The search entry of one readable case (None for a case that could not be read)."""
    if result.file is None:
        return None
    case = result.file.case
    seller = case.seller
    reasons = list(dict.fromkeys(library.reason_title(i.reason) for i in case.notice.issues))
    ids = [x for i in case.notice.issues for x in (*i.asins, *i.orders, *i.complaints)]
    words = [
        seller.name,
        seller.store or "",
        seller.marketplace,
        status_of(case.follow_up).label,
        *reasons,
        *dict.fromkeys(ids),
    ]
    return {
        "location": f"cases/{result.slug}/",
        "title": search_text(f"{seller.name}: {', '.join(reasons)}"),
        "text": search_text(" ".join(w for w in words if w)),
    }


def entries(
    cases: Iterable[CaseResult], library: Library, memo: Memo | None = None
) -> list[dict[str, str]]:
    """The entries of `cases`; with a `memo`, each kept by its case's digest (which covers
    the library too) for the next rebuild of a preview."""
    made = (
        remembered(memo, c.key and ("search-entry", c.key), partial(case_entry, c, library))
        for c in cases
    )
    return [e for e in made if e is not None]


def merge(index_json: str, extra: Sequence[dict[str, str]]) -> str:
    """The theme's search index with the case entries added (replacing any for the same page)."""
    index: dict[str, Any] = json.loads(index_json)
    locations = {e["location"] for e in extra}
    docs = [
        d for d in index.get("docs", []) if d.get("location", "").split("#")[0] not in locations
    ]
    index["docs"] = docs + list(extra)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
