"""The case file: one seller's suspension, what was found, what was done.

`Case` is the validated model of `cases/<slug>.yaml` (version 1 of the format). `load_case`
reads a file into a `CaseFile`, which keeps the YAML positions so every later finding can point
at the line of the case file it is about.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from . import yamlsource
from .errors import Finding, InputError, Position, did_you_mean, error

# For pydantic, whose (Rust) regex anchors `$` at the very end; Python code uses `is_slug`.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
#: Slugs whose page would collide with a generated page under cases/ (the dashboard).
RESERVED_SLUGS = frozenset({"index"})
ASIN_PATTERN = r"^[0-9A-Z]{10}$"
ORDER_PATTERN = r"^\d{3}-\d{7}-\d{7}$"


def _number_to_text(value: Any) -> Any:
    """Complaint ids are often written unquoted; YAML reads them as numbers."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Asin = Annotated[str, StringConstraints(pattern=ASIN_PATTERN)]
OrderId = Annotated[str, StringConstraints(pattern=ORDER_PATTERN)]
ComplaintId = Annotated[str, BeforeValidator(_number_to_text), StringConstraints(min_length=1)]
Text = Annotated[str, StringConstraints(min_length=1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Action(StrEnum):
    ACCOUNT_DEACTIVATED = "account-deactivated"
    ACCOUNT_SUSPENDED = "account-suspended"
    LISTINGS_REMOVED = "listings-removed"
    LISTINGS_RESTRICTED = "listings-restricted"
    CATEGORY_RESTRICTED = "category-restricted"
    FUNDS_HELD = "funds-held"
    WARNING = "warning"


class Event(StrEnum):
    SUBMITTED = "submitted"
    REPLIED = "replied"
    INFO_REQUESTED = "info-requested"
    RESUBMITTED = "resubmitted"
    REINSTATED = "reinstated"
    DENIED = "denied"
    NOTE = "note"


class Signatory(Model):
    name: Text = Field(description="Who signs the letter.")
    title: Text = Field(description="Their role in the business, e.g. Owner.")


class Seller(Model):
    name: Text = Field(description="The legal business name on the seller account.")
    store: Text | None = Field(None, description="The store name buyers see.")
    merchant_token: Text | None = Field(None, description="The merchant token (seller ID).")
    marketplace: Text = Field("amazon.com", description="The marketplace of the account.")
    signatory: Signatory = Field(description="Who signs the letter, and their role.")


class NoticeIssue(Model):
    id: Slug = Field(description="A short id for this issue, used by root causes.")
    reason: Text = Field(description="The suspension reason: a file in snippets/reasons/.")
    asins: list[Asin] = Field(default_factory=list, description="ASINs the notice lists.")
    orders: list[OrderId] = Field(default_factory=list, description="Order IDs it lists.")
    complaints: list[ComplaintId] = Field(default_factory=list, description="Complaint IDs.")
    summary: Text | None = Field(None, description="What Amazon raised, in one sentence.")


class Notice(Model):
    received: dt.date = Field(description="The date the notice arrived (YYYY-MM-DD).")
    action: Action = Field(description="What Amazon did.")
    evidence_window_days: int = Field(
        365, gt=0, le=3650, description="How far back the requested evidence must reach."
    )
    text: str | None = Field(None, description="The notice, verbatim.")
    issues: list[NoticeIssue] = Field(
        min_length=1, description="What Amazon raised; every one must be answered."
    )


class InvestigationStep(Model):
    source: Text = Field(description="What was reviewed.")
    finding: Text = Field(description="What the review showed.")


class _Written(Model):
    """An entry whose letter text comes from a snippet (with vars) or is written out."""

    snippet: Slug | None = Field(None, description="A snippet id from the library.")
    vars: dict[str, Any] = Field(default_factory=dict, description="The snippet's variables.")
    text: Text | None = Field(None, description="The letter text, instead of a snippet.")

    @model_validator(mode="after")
    def _snippet_or_text(self) -> _Written:
        if (self.snippet is None) == (self.text is None):
            raise ValueError("give either 'snippet' or 'text', not both and not neither")
        if self.text is not None and self.vars:
            raise ValueError("'vars' only go with 'snippet'")
        return self


class RootCause(_Written):
    id: Slug = Field(description="A short id, used by the measures that answer it.")
    issues: list[Slug] = Field(min_length=1, description="Ids of the notice issues it explains.")


class CorrectiveAction(_Written):
    root_causes: list[Slug] = Field(min_length=1, description="Ids of the root causes it fixes.")
    done: dt.date | None = Field(None, description="When it was done (YYYY-MM-DD).")


class PreventiveMeasure(_Written):
    root_causes: list[Slug] = Field(min_length=1, description="Ids of the root causes it prevents.")
    since: dt.date | None = Field(None, description="When it started (YYYY-MM-DD).")
    owner: Text | None = Field(None, description="The person or role responsible for it.")


class Evidence(Model):
    title: Text = Field(description="The document, as the reviewer will see it named.")
    kind: Text | None = Field(None, description="invoice, loa, test-report, screenshot, ...")
    date: dt.date | None = Field(None, description="The document's date (YYYY-MM-DD).")
    asins: list[Asin] = Field(default_factory=list, description="ASINs it covers.")
    orders: list[OrderId] = Field(default_factory=list, description="Orders it covers.")
    complaints: list[ComplaintId] = Field(default_factory=list, description="Complaints it covers.")
    file: Text | None = Field(None, description="The file name to attach, e.g. invoices.pdf.")


class FollowUp(Model):
    date: dt.date = Field(description="When it happened (YYYY-MM-DD).")
    event: Event = Field(
        description="What happened: submitted, replied (Amazon answered without deciding), "
        "info-requested, resubmitted, reinstated, denied, or note (your own remark)."
    )
    note: str | None = Field(None, description="Details: what Amazon asked, what was decided.")
    sent: Text | None = Field(
        None,
        description="On submitted or resubmitted: what was sent, e.g. 'Letter v2 "
        "(poa-v2.txt) with the gift card ledger'.",
    )
    changes: list[Text] = Field(
        default_factory=list,
        description="On resubmitted: what changed since the last submission, one item each.",
    )

    @model_validator(mode="after")
    def _sent_with_a_submission(self) -> FollowUp:
        if self.sent is not None and self.event not in SUBMISSIONS:
            raise ValueError(
                f"'sent' goes with event 'submitted' or 'resubmitted', not '{self.event}'"
            )
        if self.changes and self.event is not Event.RESUBMITTED:
            raise ValueError(f"'changes' goes with event 'resubmitted', not '{self.event}'")
        return self


SUBMISSIONS = frozenset({Event.SUBMITTED, Event.RESUBMITTED})


class LetterParts(Model):
    opening: Slug = Field("opening", description="A snippet id in snippets/letter/.")
    closing: Slug = Field("closing", description="A snippet id in snippets/letter/.")


class Silence(Model):
    rule: Slug = Field(description="The id of the check or tone rule to silence for this case.")
    reason: Text = Field(description="Why the finding does not apply here (kept for review).")


class Case(Model):
    """A Plan of Action case file, version 1."""

    visibility: Literal["public", "private"] = Field(
        "private", description="Only public cases are published; private ones preview locally."
    )
    seller: Seller = Field(description="The seller account the notice was sent to.")
    notice: Notice = Field(description="What Amazon sent: the date, the action, the issues.")
    investigation: list[InvestigationStep] = Field(
        default_factory=list, description="What was reviewed and what it showed."
    )
    root_causes: list[RootCause] = Field(
        default_factory=list, description="Why it happened; each explains notice issues."
    )
    corrective_actions: list[CorrectiveAction] = Field(
        default_factory=list, description="What has been done: past tense, dated."
    )
    preventive_measures: list[PreventiveMeasure] = Field(
        default_factory=list, description="What now prevents a repeat: start date and owner."
    )
    evidence: list[Evidence] = Field(
        default_factory=list, description="The supporting documents attached to the letter."
    )
    follow_up: list[FollowUp] = Field(
        default_factory=list, description="What happened after submission; gives the status."
    )
    lessons: list[Text] = Field(
        default_factory=list, description="What this case taught, for the next one."
    )
    letter: LetterParts = Field(
        default_factory=LetterParts, description="The opening and closing snippets to use."
    )
    silence: list[Silence] = Field(
        default_factory=list, description="Checks silenced for this case, each with a reason."
    )

    @property
    def public(self) -> bool:
        return self.visibility == "public"

    @property
    def status(self) -> str:
        """Derived from the follow-up timeline (see `tracker.status_of`), never stored."""
        from .tracker import status_of  # tracker builds on this module: import at use

        return str(status_of(self.follow_up))


def is_slug(text: str) -> bool:
    """Lower-case letters, digits and hyphens, the whole of `text` (no trailing newline)."""
    return _SLUG.fullmatch(text) is not None


@dataclass(frozen=True)
class CaseFile:
    """A loaded case: its slug, where it came from, the positions, and the model."""

    slug: str
    path: Path
    source: yamlsource.Document
    case: Case

    def position(self, *loc: str | int, key: bool = False) -> Position:
        return self.source.position(loc, key=key)


def slug_of(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def load_case(path: Path, display: str) -> CaseFile:
    """Read and validate a case file; raise `InputError` listing every problem in it."""
    slug = slug_of(path)
    problems: list[Finding] = []
    if not is_slug(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:80] or "acme-home"
        problems.append(
            error(
                Position(display),
                f"the file name '{path.name}' is not a valid case slug",
                "case-slug",
                f"rename it to lower-case letters, digits and hyphens, e.g. {suggestion}.yaml",
            )
        )
    if slug in RESERVED_SLUGS:
        problems.append(
            error(
                Position(display),
                f"the slug '{slug}' is taken by a page of the site",
                "case-slug",
                f"rename the file, e.g. {slug}-case.yaml",
            )
        )
    text = yamlsource.read_text(path, display)
    document = yamlsource.load(text, display)
    if not isinstance(document.data, dict):
        found = "nothing" if document.data is None else _describe(document.data)
        raise InputError(
            [
                *problems,
                error(
                    document.position(),
                    f"expected a mapping with 'seller' and 'notice', found {found}",
                    "case-schema",
                    "start from `poa new SLUG`, or copy an example from cases/",
                ),
            ]
        )
    try:
        case = Case.model_validate(document.data)
    except ValidationError as exc:
        details = _without_misspelt_missing(exc.errors())
        problems.extend(_finding(detail, document) for detail in details)
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    return CaseFile(slug, path, document, case)


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


def _finding(detail: ErrorDetails, document: yamlsource.Document) -> Finding:
    """Turn one pydantic error into a finding worded for someone editing YAML."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    where = _dotted(loc)
    if kind == "missing":
        parent = _dotted(loc[:-1]) or "the case"
        return error(
            document.position(loc[:-1]),
            f"missing required key '{loc[-1]}' in {parent}",
            "case-schema",
        )
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1], document.data)
        return error(
            document.position(loc, key=True),
            f"unknown key '{loc[-1]}' in {_dotted(loc[:-1]) or 'the case'}",
            "case-schema",
            did_you_mean(str(loc[-1]), known),
        )
    if kind == "value_error":
        return error(
            document.position(loc),
            f"{where}: {detail['msg'].removeprefix('Value error, ')}",
            "case-schema",
        )
    expected, fix = _expected(kind, detail, loc)
    return error(
        document.position(loc),
        f"{where}: expected {expected}, found {_describe(detail['input'])}",
        "case-schema",
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
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        return "a whole number" + _bounds(ctx), None
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
        return f" greater than {ctx['gt']}"
    if "le" in ctx:
        return f" of at most {ctx['le']}"
    return ""


def _known_keys(loc: tuple[Any, ...], data: Any) -> list[str]:
    """The keys the model allows at `loc`, for a "did you mean" on an unknown key."""
    model: Any = Case
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


def _describe(value: Any) -> str:
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
