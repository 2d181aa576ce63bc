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
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..errors import Position
from .document import Document

# For pydantic, whose (Rust) regex anchors `$` at the very end; Python code uses `is_slug`.
MAX_SLUG = 80  # characters
SLUG_PATTERN = rf"^[a-z0-9][a-z0-9-]{{0,{MAX_SLUG - 1}}}$"
_SLUG = re.compile(SLUG_PATTERN.removeprefix("^").removesuffix("$"))
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


#: The dates a case can hold: from Amazon's first years to the end of the century. Anything
#: else is a typing slip (0001-01-01), and date arithmetic on it would overflow.
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2099, 12, 31)


def _plausible(day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(
            f"expected a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}, "
            f"found {day.isoformat()}"
        )
    return day


def _not_yes_or_no(value: Any) -> Any:
    """YAML reads yes, no, true, false, on and off as yes-or-no values, which pydantic would
    take as 1 and 0."""
    if isinstance(value, bool):
        raise ValueError(
            "expected a number, found a yes-or-no value (YAML reads yes, no, true, false, on "
            "and off as one)"
        )
    return value


def _numbers(*names: str) -> Any:
    """A model's validator refusing yes-or-no values for its number fields `names`."""
    return field_validator(*names, mode="before")(_not_yes_or_no)


Day = Annotated[dt.date, AfterValidator(_plausible)]


class Model(BaseModel):
    # defer_build: a validator is built on first use, not on import (a warm `poa check`
    # validates nothing, and starts some 0.08 s sooner)
    model_config = ConfigDict(
        extra="forbid", frozen=True, coerce_numbers_to_str=True, defer_build=True
    )


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


class Route(StrEnum):
    """What the notice asks the seller to send."""

    PLAN_OF_ACTION = "plan-of-action"
    DOCUMENTS = "documents"  # invoices, a letter of authorisation, an ID: no letter
    QUESTIONNAIRE = "questionnaire"
    ACKNOWLEDGEMENT = "acknowledgement"
    RETRACTION = "retraction"  # the rights owner withdraws the complaint
    NONE = "none"  # a warning that needs no appeal


class Notice(Model):
    _yes_or_no = _numbers("evidence_window_days")

    received: Day = Field(description="The date the notice arrived (YYYY-MM-DD).")
    action: Action = Field(description="What Amazon did.")
    evidence_window_days: int = Field(
        365, gt=0, le=3650, description="How far back the requested evidence must reach."
    )
    text: str | None = Field(None, description="The notice, verbatim.")
    issues: list[NoticeIssue] = Field(
        min_length=1, description="What Amazon raised; every one must be answered."
    )
    route: Route = Field(
        Route.PLAN_OF_ACTION,
        description="What the notice asks for: plan-of-action, documents, questionnaire, "
        "acknowledgement, retraction, or none (a warning that needs no appeal).",
    )
    deadline: Day | None = Field(None, description="The date the notice asks for a reply by.")


Percent = Annotated[float, Field(ge=0, le=100)]


class MetricFigures(Model):
    """A performance metric over a window: its rate and, where known, the counts behind it."""

    _yes_or_no = _numbers("rate", "defective", "total", "window_days")

    rate: Percent = Field(description="The rate in percent, e.g. 2.1 for 2.1%.")
    defective: int | None = Field(None, ge=0, description="Defective orders (the numerator).")
    total: int | None = Field(None, gt=0, description="All orders in the window.")
    window_days: int | None = Field(None, gt=0, description="The window in days, e.g. 60.")

    @model_validator(mode="after")
    def _defective_within_total(self) -> MetricFigures:
        if self.defective is not None and self.total is not None and self.defective > self.total:
            raise ValueError(
                f"'defective' ({self.defective}) is more than 'total' ({self.total}), of which "
                "it is a part"
            )
        return self


class SinceFix(MetricFigures):
    """The same metric measured after the fix."""

    start: Day = Field(description="The first day of the period measured (YYYY-MM-DD).")
    end: Day = Field(description="The last day of the period measured (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _start_before_end(self) -> SinceFix:
        if self.start > self.end:
            raise ValueError(f"'start' ({self.start}) is after 'end' ({self.end})")
        return self


class Metric(MetricFigures):
    """A performance metric as the notice states it (Order Defect Rate, Late Dispatch Rate...)."""

    issues: list[Slug] = Field(min_length=1, description="Ids of the notice issues it concerns.")
    name: Text = Field(description="The metric as the notice names it, e.g. Late Dispatch Rate.")
    target: Text = Field(description="The target as the notice states it, e.g. under 4%.")
    since_fix: SinceFix | None = Field(
        None, title="Since the fix", description="The rate measured since the fix."
    )


# -- the facts a reason requires (see each reason's `requirements` in snippets/reasons/) -----


class SupplierRole(StrEnum):
    """Where a supplier stands in the brand's supply chain."""

    BRAND_OWNER = "brand-owner"
    MANUFACTURER = "manufacturer"
    AUTHORISED_DISTRIBUTOR = "authorised-distributor"
    WHOLESALER = "wholesaler"  # trades the brand without the brand owner's authorisation
    RETAILER = "retailer"
    UNVERIFIED = "unverified"  # a source whose legitimacy could not be established


class Supplier(Model):
    """A supplier of the goods under review, with the contact details Amazon asks for."""

    id: Slug = Field(description="A short id, used by units, evidence and fulfilment entries.")
    name: Text = Field(description="The supplier's legal name, as on its invoices.")
    role: SupplierRole | None = Field(
        None,
        title="Role",
        description="brand-owner, manufacturer, authorised-distributor, wholesaler, retailer, "
        "or unverified (a source whose legitimacy could not be established).",
    )
    address: Text | None = Field(None, description="Street address, town, postcode, country.")
    phone: Text | None = Field(None, description="A phone number Amazon can call.")
    website: Text | None = Field(None, description="The supplier's website.")
    email: Text | None = Field(None, description="A contact e-mail address.")


class Units(Model):
    """What became of the units of one ASIN (from one supplier) in the evidence window."""

    _yes_or_no = _numbers("bought", "invoiced", "sold", "removed", "on_hand")

    asin: Asin = Field(description="The ASIN these units are of.")
    supplier: Slug | None = Field(
        None, description="The id of the supplier (under suppliers) the units came from."
    )
    bought: int = Field(ge=0, description="Units bought in the evidence window.")
    invoiced: int | None = Field(
        None,
        ge=0,
        description="Units on the invoices you attach, where fewer than bought (default: bought).",
    )
    sold: int = Field(ge=0, description="Units sold in the evidence window.")
    removed: int = Field(
        0, ge=0, description="Units removed, returned to the supplier or destroyed."
    )
    on_hand: int = Field(0, ge=0, description="Units in stock now, in your warehouse and Amazon's.")

    @property
    def units_invoiced(self) -> int:
        return self.bought if self.invoiced is None else self.invoiced


class IpRoute(StrEnum):
    """How an intellectual property complaint is answered."""

    RETRACTION = "retraction"  # the rights owner withdraws the complaint, writing to Amazon
    AUTHORISATION = "authorisation"  # a letter of authorisation or licence from the rights owner
    NOT_USED = "not-used"  # the listing does not (or no longer) use the protected element


class IpAnswer(Model):
    """How one intellectual property complaint is answered: the right, its owner, the route."""

    issues: list[Slug] = Field(min_length=1, description="Ids of the notice issues it answers.")
    right: Text = Field(
        description="The trademark, work or patent as the notice names it, e.g. NORTHVALE."
    )
    owner: Text = Field(description="The rights owner, as the notice names it.")
    owner_email: Text | None = Field(
        None, description="The rights owner's e-mail address, as the notice gives it."
    )
    route: IpRoute = Field(
        description="retraction (the rights owner withdraws the complaint, writing to Amazon), "
        "authorisation (a letter of authorisation or licence), or not-used (the listing does "
        "not use the protected element)."
    )
    asked: Day | None = Field(
        None, description="retraction: the day you asked the rights owner to retract."
    )
    change: Text | None = Field(
        None, description="not-used: what was removed or changed, and where, e.g. the title."
    )


class ShipsFrom(StrEnum):
    OWN_STOCK = "own-stock"
    SUPPLIER = "supplier"


class Fulfilment(Model):
    """How seller-fulfilled orders are filled now (what the drop shipping policy asks)."""

    ships_from: ShipsFrom = Field(
        description="own-stock (we pack our own stock) or supplier (a supplier ships for us "
        "under a drop shipping agreement)."
    )
    supplier: Slug | None = Field(
        None, description="supplier: the id (under suppliers) of the supplier that ships."
    )
    agreement: Day | None = Field(
        None, description="supplier: the date the drop shipping agreement was signed."
    )
    seller_of_record: bool = Field(
        description="Whether we alone are named as the seller on every packing slip, invoice "
        "and package."
    )
    returns: Text | None = Field(
        None, description="Who receives and processes returns, and where, e.g. our warehouse."
    )
    stock_out: Text | None = Field(
        None, description="What happens to an offer when our stock runs out."
    )


class OpenedUnits(StrEnum):
    """What happens to a unit that was opened: it is never sold as New again."""

    USED = "used"  # relisted in a Used condition, with a condition note
    RETURNED = "returned"  # returned to the supplier
    DISPOSED = "disposed"
    REFURBISHED = "refurbished"  # sent for professional refurbishment


class GradedStock(Model):
    _yes_or_no = _numbers("checked", "sealed", "opened")

    asin: Asin = Field(description="The ASIN graded.")
    checked: int = Field(ge=0, description="Units checked.")
    sealed: int = Field(ge=0, description="Units found sealed and unused: they stay New.")
    opened: int = Field(ge=0, description="Units found opened, used or damaged.")


class Grading(Model):
    """How stock is graded before it is sold as New, and what became of opened units."""

    rule: Text = Field(
        description="How a unit is graded, e.g. a unit is New only with its factory seal intact."
    )
    opened: OpenedUnits = Field(
        description="What happens to a unit that was opened: used, returned, disposed or "
        "refurbished."
    )
    stock: list[GradedStock] = Field(
        default_factory=list, description="The stock graded, per ASIN."
    )


class Incentive(Model):
    """Something of value given in exchange for reviews: what, for which ASINs, how much."""

    _yes_or_no = _numbers("count", "value")

    what: Text = Field(description="The incentive, e.g. a 15 USD gift card for a five-star review.")
    asins: list[Asin] = Field(min_length=1, description="The ASINs it was offered with.")
    count: int = Field(ge=0, description="How many buyers or orders received it.")
    value: float = Field(ge=0, description="Its total value, e.g. 3180.")
    currency: Text = Field("USD", description="The currency of the value, e.g. USD.")
    period: Text | None = Field(
        None, description="When it was offered, e.g. from 12 January to 13 July 2026."
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
    title: Text | None = Field(
        None,
        description="What went wrong, in a few words, shown before the text (default: the "
        "snippet's title).",
    )
    issues: list[Slug] = Field(min_length=1, description="Ids of the notice issues it explains.")


class CorrectiveAction(_Written):
    root_causes: list[Slug] = Field(min_length=1, description="Ids of the root causes it fixes.")
    done: Day | None = Field(None, description="When it was done (YYYY-MM-DD).")


class PreventiveMeasure(_Written):
    root_causes: list[Slug] = Field(min_length=1, description="Ids of the root causes it prevents.")
    since: Day | None = Field(None, description="When it started (YYYY-MM-DD).")
    owner: Text | None = Field(None, description="The person or role responsible for it.")


class Evidence(Model):
    title: Text = Field(description="The document, as the reviewer will see it named.")
    kind: Text | None = Field(None, description="invoice, loa, test-report, screenshot, ...")
    date: Day | None = Field(None, description="The document's date (YYYY-MM-DD).")
    asins: list[Asin] = Field(default_factory=list, description="ASINs it covers.")
    orders: list[OrderId] = Field(default_factory=list, description="Orders it covers.")
    complaints: list[ComplaintId] = Field(default_factory=list, description="Complaints it covers.")
    file: Text | None = Field(None, description="The file name to attach, e.g. invoices.pdf.")
    supplier: Slug | None = Field(
        None, description="The id (under suppliers) of the supplier that issued it."
    )

    @property
    def covers(self) -> list[str]:
        """What it covers: its ASINs, then its orders, then its complaints."""
        return [*self.asins, *self.orders, *self.complaints]

    @property
    def covers_shown(self) -> list[str]:
        """`covers` as a letter lists them: a complaint ID named as one (an ASIN and an order
        ID read as what they are; a bare number does not)."""
        return [*self.asins, *self.orders, *(f"complaint {c}" for c in self.complaints)]


class RequestPoint(Model):
    """One thing Amazon asked for in a request for information, and the answer to it."""

    asked: Text = Field(description="What Amazon asked for, in its words or close to them.")
    answer: Text | None = Field(
        None,
        description="The answer: the next letter opens with it, before the full plan.",
    )


class Escalation(StrEnum):
    """A route taken beyond the appeal itself (see the guide's "Follow up" page)."""

    ACCOUNT_HEALTH_SUPPORT = "account-health-support"
    ACCOUNT_HEALTH_ASSURANCE = "account-health-assurance"
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"
    OTHER = "other"


class FollowUp(Model):
    date: Day = Field(description="When it happened (YYYY-MM-DD).")
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
        description="On resubmitted: what changed since the last submission, one item each. "
        "On denied: what the next version changes; the resubmission opens with them.",
    )
    request: list[RequestPoint] = Field(
        default_factory=list,
        description="On info-requested: what Amazon asked, point by point, each with its "
        "answer; the next letter opens by answering them.",
    )
    route: Escalation | None = Field(
        None,
        title="Route",
        description="A route taken beyond the appeal: account-health-support, "
        "account-health-assurance, mediation, arbitration, or other (say which in the note).",
    )

    @model_validator(mode="after")
    def _sent_with_a_submission(self) -> FollowUp:
        if self.sent is not None and self.event not in SUBMISSIONS:
            raise ValueError(
                f"'sent' goes with event 'submitted' or 'resubmitted', not '{self.event}'"
            )
        if self.changes and self.event not in (Event.RESUBMITTED, Event.DENIED):
            raise ValueError(
                f"'changes' goes with event 'resubmitted' or 'denied', not '{self.event}'"
            )
        if self.request and self.event is not Event.INFO_REQUESTED:
            raise ValueError(f"'request' goes with event 'info-requested', not '{self.event}'")
        return self


SUBMISSIONS = frozenset({Event.SUBMITTED, Event.RESUBMITTED})


class LetterParts(Model):
    opening: Slug | None = Field(
        None,
        description="A snippet id in snippets/letter/ (default: the opening that fits the "
        "notice's action).",
    )
    closing: Slug | None = Field(
        None,
        description="A snippet id in snippets/letter/ (default: the closing that fits the case).",
    )
    request: Slug = Field(
        "reply-request",
        description="A snippet id in snippets/letter/: the words before the answers to "
        "Amazon's request for information.",
    )
    changes: Slug = Field(
        "reply-changes",
        description="A snippet id in snippets/letter/: the words before what is new, in a "
        "resubmission after a denial.",
    )


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
    metrics: list[Metric] = Field(
        default_factory=list,
        description="Performance metrics the notice states: name, rate, target, window, counts.",
    )
    suppliers: list[Supplier] = Field(
        default_factory=list,
        description="The suppliers of the goods under review, with their contact details.",
    )
    units: list[Units] = Field(
        default_factory=list,
        description="Per ASIN (and supplier): units bought, sold, removed and on hand in the "
        "evidence window.",
    )
    ip: list[IpAnswer] = Field(
        default_factory=list,
        description="How each intellectual property complaint is answered: the right, its "
        "owner and the route.",
    )
    fulfilment: Fulfilment | None = Field(
        None, description="How seller-fulfilled orders are filled now (drop shipping)."
    )
    grading: Grading | None = Field(
        None, description="How stock is graded before it is sold as New (condition complaints)."
    )
    incentives: list[Incentive] = Field(
        default_factory=list,
        description="What was given in exchange for reviews: what, for which ASINs, how many, "
        "how much.",
    )
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
    def silenced_rules(self) -> frozenset[str]:
        """The ids of the checks and tone rules this case silences."""
        return frozenset(s.rule for s in self.silence)

    def reason_ids(self) -> list[str]:
        """The reasons the notice cites, each once, in the notice's order."""
        return list(dict.fromkeys(issue.reason for issue in self.notice.issues))

    def snippet_ids(self, kind: str) -> list[str]:
        """The library snippets the case uses as `kind` ("root-cause" or "measure"), each
        once, in the order the case names them."""
        entries: list[_Written]
        if kind == "root-cause":
            entries = list(self.root_causes)
        else:
            entries = [*self.corrective_actions, *self.preventive_measures]
        return list(dict.fromkeys(e.snippet for e in entries if e.snippet is not None))


def slug_suggestion(text: str) -> str:
    """A slug made of `text`, to suggest for a name that is not one ("Acme Home" gives
    "acme-home"); "acme-home" itself when nothing of it can be kept."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_SLUG].strip("-")
    return slug or "acme-home"


def is_slug(text: str) -> bool:
    """Lower-case letters, digits and hyphens, the whole of `text` (no trailing newline)."""
    return _SLUG.fullmatch(text) is not None


@dataclass(frozen=True)
class CaseFile:
    """A loaded case: its slug, where it came from, the positions, and the model."""

    slug: str
    path: Path
    source: Document
    case: Case

    def position(self, *loc: str | int, key: bool = False) -> Position:
        return self.source.position(loc, key=key)
