"""A fictional sample case, and every snippet rendered with it.

The catalogue shows each root cause, measure and letter part as it reads in a letter, the
guide quotes them, and the library tests render every shipped snippet the same way: the
standard variables come from this case, each declared variable takes its `example`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..model.case import Case
from ..model.library import Kind, Library, Snippet
from ..templating.render import render
from ..templating.richtext import RichText
from ..templating.sandbox import DEFAULT_BUDGET, Budget
from .assemble import standard_context

SAMPLE_DONE = dt.date(2026, 10, 4)
SAMPLE_SINCE = dt.date(2026, 10, 5)
SAMPLE_OWNER = "Maya Chen (operations manager)"
SAMPLE_SELLER = "Acme Home Goods LLC"
SAMPLE_ASIN = "B0C1234567"
SAMPLE_ORDER = "111-1234567-1234567"
SAMPLE_COMPLAINT = "1234567890"

_SAMPLE_CASE: dict[str, Any] = {
    "visibility": "private",
    "seller": {
        "name": SAMPLE_SELLER,
        "store": "Acme Home",
        "merchant_token": "A1B2C3D4E5F6G7",
        "marketplace": "amazon.com",
        "signatory": {"name": "Jane Doe", "title": "Owner"},
    },
    "notice": {
        "received": dt.date(2026, 10, 2),
        "action": "account-deactivated",
        "evidence_window_days": 365,
        "issues": [
            {
                "id": "sample-issue",
                "reason": "inauthentic",
                "asins": [SAMPLE_ASIN],
                "orders": [SAMPLE_ORDER],
                "complaints": [SAMPLE_COMPLAINT],
                "summary": "A buyer complaint about the listed ASIN.",
            }
        ],
    },
    # the facts a reason may require, so every lead part of the library shows in the catalogue
    "metrics": [
        {
            "issues": ["sample-issue"],
            "name": "Order Defect Rate",
            "target": "under 1%",
            "rate": 2.1,
            "defective": 26,
            "total": 1240,
            "window_days": 60,
            "since_fix": {
                "rate": 0.4,
                "defective": 3,
                "total": 702,
                "start": dt.date(2026, 10, 5),
                "end": dt.date(2026, 11, 2),
            },
        }
    ],
    "suppliers": [
        {
            "id": "brandco",
            "name": "BrandCo Distribution Inc.",
            "role": "authorised-distributor",
            "address": "1200 Commerce Way, Columbus, OH 43215, USA",
            "phone": "+1 614 555 0142",
            "website": "brandco-distribution.example",
            "email": "orders@brandco-distribution.example",
        }
    ],
    "units": [
        {
            "asin": SAMPLE_ASIN,
            "supplier": "brandco",
            "bought": 700,
            "sold": 520,
            "removed": 0,
            "on_hand": 180,
        }
    ],
    "ip": [
        {
            "issues": ["sample-issue"],
            "right": "BrandCo",
            "owner": "BrandCo Holdings Inc.",
            "owner_email": "ip@brandco.example",
            "route": "not-used",
            "change": "the name is gone from the title, the images and the search terms",
        }
    ],
    "fulfilment": {
        "ships_from": "supplier",
        "supplier": "brandco",
        "agreement": dt.date(2026, 10, 3),
        "seller_of_record": True,
        "returns": "our warehouse in Columbus, where we inspect and refund them",
        "stock_out": "the offer's quantity goes to zero the same day",
    },
    "grading": {
        "rule": "a unit is New only with its factory seal intact, checked without opening it",
        "opened": "used",
        "stock": [{"asin": SAMPLE_ASIN, "checked": 486, "sealed": 445, "opened": 41}],
    },
    "incentives": [
        {
            "what": "a 15 USD gift card for a five-star review",
            "asins": [SAMPLE_ASIN],
            "count": 212,
            "value": 3180,
            "currency": "USD",
            "period": "from 12 January to 13 July 2026",
        }
    ],
    "evidence": [
        {
            "title": "BrandCo Distribution invoices, January to September 2026",
            "kind": "invoice",
            "date": dt.date(2026, 9, 12),
            "asins": [SAMPLE_ASIN],
            "supplier": "brandco",
            "file": "brandco-invoices.pdf",
        }
    ],
}


def sample_case(reason: str = "inauthentic") -> Case:
    """The sample case, its one notice issue citing `reason`."""
    data = {**_SAMPLE_CASE, "notice": {**_SAMPLE_CASE["notice"]}}
    data["notice"]["issues"] = [{**_SAMPLE_CASE["notice"]["issues"][0], "reason": reason}]
    return Case.model_validate(data)


def sections_of(snippet: Snippet) -> tuple[str, ...]:
    """The letter sections a snippet can appear in, e.g. ('corrective_actions',)."""
    if snippet.kind is Kind.ROOT_CAUSE:
        return ("root_causes",)
    if snippet.kind is Kind.LETTER:
        return (str(snippet.meta.section or snippet.meta.part),)
    if snippet.kind is Kind.MEASURE:
        uses = (("corrective", "corrective_actions"), ("preventive", "preventive_measures"))
        return tuple(section for use, section in uses if snippet.meta.serves(use))
    return ()  # a reason is guidance, never letter text


def sample_values(snippet: Snippet, section: str) -> dict[str, Any]:
    """What the snippet is rendered with in `section`: standard variables, then examples."""
    reasons = getattr(snippet.meta, "reasons", None) or ["inauthentic"]
    case = sample_case(reasons[0])
    standard = standard_context(case, case.notice.issues)
    if section == "corrective_actions":
        standard["done"] = SAMPLE_DONE
    elif section == "preventive_measures":
        standard.update(since=SAMPLE_SINCE, owner=SAMPLE_OWNER)
    return sample_context(snippet, standard)


def render_sample(
    library: Library, snippet: Snippet, section: str, budget: Budget = DEFAULT_BUDGET
) -> RichText:
    """The snippet as it reads in `section` of the sample letter; may raise `RenderError`."""
    return render(library, snippet, sample_values(snippet, section), "the sample case", budget)


def sample_context(snippet: Snippet, standard: Mapping[str, Any]) -> dict[str, Any]:
    """Standard variables plus each declared variable's example: what the tests render."""
    return {**standard, **{n: v.example for n, v in snippet.meta.variables.items()}}
