"""The one translator from validation errors (pydantic's) to findings worded for YAML.

A case file, a snippet's front matter and `snippets/library.yaml` are all YAML validated by a
pydantic model; each problem becomes a finding at the line of the value it is about, saying
what was expected, what was found, and a fix where one is known ("did you mean").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Finding, did_you_mean, error
from ..model.case import ASIN_PATTERN, ORDER_PATTERN, SLUG_PATTERN
from ..model.document import Document


def validation_findings(
    exc: ValidationError, document: Document, model: type[BaseModel], rule: str, whole: str
) -> list[Finding]:
    """Every error of `exc` as a finding with `rule`; `whole` names the top level in messages
    ("the case", "the front matter")."""
    details = _without_misspelt_missing(exc.errors())
    return [_finding(detail, document, model, rule, whole) for detail in details]


def _without_misspelt_missing(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "missing 'received'" when the same mapping has an unknown key like 'recieved'.

    The unknown key's "did you mean" already says everything; two findings would be noise.
    """
    extra = {
        (tuple(d["loc"][:-1]), str(d["loc"][-1])) for d in details if d["type"] == "extra_forbidden"
    }

    def misspelt(detail: ErrorDetails) -> bool:
        parent, key = tuple(detail["loc"][:-1]), str(detail["loc"][-1])
        return any(
            p == parent and did_you_mean(k, [key]) == f"did you mean '{key}'?" for p, k in extra
        )

    return [d for d in details if not (d["type"] == "missing" and misspelt(d))]


def _finding(
    detail: ErrorDetails, document: Document, model: type[BaseModel], rule: str, whole: str
) -> Finding:
    """Turn one pydantic error into a finding worded for someone editing YAML."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    where = _dotted(loc)
    if kind == "missing":
        parent = _dotted(loc[:-1]) or whole
        return error(
            document.position(loc[:-1]),
            f"missing required key '{loc[-1]}' in {parent}",
            rule,
        )
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        return error(
            document.position(loc, key=True),
            f"unknown key '{loc[-1]}' in {_dotted(loc[:-1]) or whole}",
            rule,
            did_you_mean(str(loc[-1]), known),
        )
    if kind == "value_error":
        return error(
            document.position(loc),
            f"{where}: {detail['msg'].removeprefix('Value error, ')}",
            rule,
        )
    expected, fix = _expected(kind, detail, loc)
    return error(
        document.position(loc),
        f"{where}: expected {expected}, found {describe(detail['input'])}",
        rule,
        fix,
    )


def _expected(kind: str, detail: ErrorDetails, loc: tuple[Any, ...]) -> tuple[str, str | None]:
    ctx = detail.get("ctx") or {}
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind.startswith("date"):
        return "a date as YYYY-MM-DD", "write the date like 2026-10-04"
    if kind == "string_pattern_mismatch":
        return _PATTERN_WORDS.get(
            ctx.get("pattern", ""), ("text matching " + ctx.get("pattern", ""), None)
        )
    if kind in ("literal_error", "enum"):
        choices = re.findall(r"'([^']+)'", str(ctx.get("expected", "")))
        found = detail["input"]
        return "one of " + ", ".join(f"'{c}'" for c in choices), (
            did_you_mean(str(found), choices) if isinstance(found, str) else None
        )
    if kind in ("string_type", "string_too_short"):
        fix = None
        if isinstance(detail["input"], bool):
            fix = "YAML reads yes/no/on/off/true/false as a yes-or-no value: put the text in quotes"
        return "text", fix
    if kind == "too_short":
        return "a list with at least one entry", None
    if kind == "list_type":
        return "a list", f"write {field or 'a list'}: [first, second], or one '- item' per line"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "a mapping of keys to values", None
    if kind.startswith("float"):
        return "a number", None
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        decimal = any(isinstance(ctx.get(k), float) for k in ("gt", "ge", "lt", "le"))
        return ("a number" if decimal else "a whole number") + _bounds(ctx), None
    if kind.startswith("bool"):
        return "true or false", None
    return detail["msg"][0].lower() + detail["msg"][1:], None


_PATTERN_WORDS: dict[str, tuple[str, str | None]] = {
    SLUG_PATTERN: (
        "an id of lower-case letters, digits and hyphens",
        "e.g. counterfeit-claims",
    ),
    ASIN_PATTERN: ("an ASIN of 10 capital letters or digits", "e.g. B0C1234567"),
    ORDER_PATTERN: ("an order ID of the form 123-1234567-1234567", None),
}


def _bounds(ctx: dict[str, Any]) -> str:
    if "gt" in ctx:
        return f" greater than {ctx['gt']:g}"
    if "ge" in ctx:
        return f" of at least {ctx['ge']:g}"
    if "le" in ctx:
        return f" of at most {ctx['le']:g}"
    return ""


def _known_keys(top: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model allows at `loc`, for a "did you mean" on an unknown key."""
    model: Any = top
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe(value: Any) -> str:
    """A value as a message quotes it: its kind, or the text cut short."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes-or-no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text)
