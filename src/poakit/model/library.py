"""The snippet library as data: reasons, root causes, measures and letter parts.

Each snippet is a Markdown file with YAML front matter under `snippets/`; its id is its file
name. `source.library` reads the files into a `Library`; `templating.render` renders a
snippet's body. The library itself holds no rendering and no memo: it is data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import Finding, Position
from .document import Document
from .notices import NoticeData
from .sections import DEFAULT_TITLES
from .tonerules import ToneRule


class Kind(StrEnum):
    REASON = "reason"
    ROOT_CAUSE = "root-cause"
    MEASURE = "measure"
    LETTER = "letter"


FOLDERS: dict[Kind, str] = {
    Kind.REASON: "reasons",
    Kind.ROOT_CAUSE: "root-causes",
    Kind.MEASURE: "measures",
    Kind.LETTER: "letter",
}

#: Names every snippet body may use without declaring them (see "How to write a snippet").
STANDARD_VARIABLES = frozenset(
    {
        "seller",
        "notice",
        "issues",
        "asins",
        "orders",
        "complaints",
        "done",
        "since",
        "owner",
        # the case's facts, for the entry's issues (see "How to write a snippet")
        "metrics",
        "suppliers",
        "accounting",
        "ip",
        "fulfilment",
        "grading",
        "incentives",
        "evidence",
    }
)


class _Meta(BaseModel):
    # defer_build: see `case.Model`
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Variable(_Meta):
    description: str = Field(min_length=1)
    required: bool = False
    example: Any = None


class SnippetMeta(_Meta):
    title: str = Field(min_length=1)
    summary: str | None = None
    reasons: list[str] = Field(default_factory=list)
    variables: dict[str, Variable] = Field(default_factory=dict)


class Metric(_Meta):
    name: str
    target: str
    window: str | None = None
    counts: str = "orders"  # what the rate counts: orders, units, packages
    #: what a defective one is, after "26 of 1,240 orders": "with a defect", "delivered late"
    defect: str = "with a defect"

    @property
    def higher_is_better(self) -> bool:
        """A rate of what went right (Valid Tracking, On-Time Delivery): its defective ones
        are the rest, so the rate is 100% less their share."""
        return self.target.strip().lower().startswith("at least")


#: The checks a requirement can ask for; `review.requirements` holds one function per check.
Check = Literal[
    "metric",
    "since-fix",
    "suppliers",
    "evidence",
    "units",
    "ip-route",
    "ip-type",
    "fulfilment",
    "grading",
    "incentives",
    "statement",
]
CHECKS: tuple[str, ...] = get_args(Check)


class StatementExamples(_Meta):
    flag: list[str] = Field(default_factory=list)
    pass_: list[str] = Field(default_factory=list, alias="pass")


class Requirement(_Meta):
    """What a letter for this reason must state and what must back it: one check, its source."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    check: Check
    level: Literal["error", "warning"] = "error"
    states: str = Field(min_length=1)  # what the letter must state
    backed_by: str | None = None  # the evidence that must back it
    source: str = Field(min_length=1)  # where the requirement comes from
    # check: evidence
    kinds: list[str] = Field(default_factory=list)  # document kinds that answer it
    rejected_kinds: list[str] = Field(default_factory=list)  # kinds that never count
    per_asin: bool = False  # a document for every ASIN of the issue
    in_window: bool = False  # dated inside the notice's evidence window
    max_age_days: int | None = Field(None, gt=0)  # dated at most this long before the notice
    # check: statement
    patterns: list[str] = Field(default_factory=list)  # the letter must match one of them
    examples: StatementExamples = Field(default_factory=StatementExamples)


class Policy(_Meta):
    id: str
    title: str


class ReasonMeta(SnippetMeta):
    summary: str = Field(min_length=1)
    category: Literal["performance", "intellectual-property", "product", "conduct", "account"]
    signals: list[str] = Field(default_factory=list)
    metric: Metric | None = None
    policies: list[Policy] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    investigation: list[str] = Field(default_factory=list)
    root_causes: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    document_only: bool = False
    requirements: list[Requirement] = Field(default_factory=list)
    requires_evidence: bool = False  # every ASIN under review needs a supporting document
    accepted_files: list[str] | None = None  # file types, where the notices name their own


class RootCauseMeta(SnippetMeta):
    reasons: list[str] = Field(min_length=1)


class MeasureMeta(SnippetMeta):
    reasons: list[str] = Field(min_length=1)
    kind: Literal["corrective", "preventive", "both"]
    systemic: bool = False

    def serves(self, use: Literal["corrective", "preventive"]) -> bool:
        return self.kind in (use, "both")


#: What a letter part can depend on, each a fact of the case (see `letter.assemble`).
Condition = Literal[
    "account",  # the notice acts on the account (deactivated, suspended, funds held)
    "listing",  # it acts on listings or a category
    "warning",  # it is a warning
    "asins",  # the notice names ASINs
    "metrics",  # the case states performance metrics
    "since-fix",  # ... and a metric's rate since the fix
    "suppliers",
    "units",
    "ip",
    "fulfilment",
    "grading",
    "incentives",
    "evidence",
]


class LetterMeta(SnippetMeta):
    # request, changes: the words before a reply's answers, or before what is new;
    # lead: a paragraph of facts from the case that opens a section
    part: Literal["opening", "closing", "request", "changes", "lead"]
    #: a lead opens this section with facts from the case
    section: (
        Literal["root_causes", "corrective_actions", "preventive_measures", "evidence"] | None
    ) = None
    #: the facts it needs; an opening or closing is chosen by them when a case names none
    when: list[Condition] = Field(default_factory=list)
    #: where a lead stands among the leads of its section (lowest first, then by id)
    order: int = 0

    @model_validator(mode="after")
    def _lead_has_a_section(self) -> LetterMeta:
        if (self.part == "lead") != (self.section is not None):
            raise ValueError("'section' goes with part 'lead', and a lead needs one")
        return self


META_MODELS: dict[Kind, type[SnippetMeta]] = {
    Kind.REASON: ReasonMeta,
    Kind.ROOT_CAUSE: RootCauseMeta,
    Kind.MEASURE: MeasureMeta,
    Kind.LETTER: LetterMeta,
}


class Limits(_Meta):
    words: int | None = Field(None, gt=0)
    characters: int | None = Field(None, gt=0)


class UploadLimit(_Meta):
    """The largest file to attach to an appeal. Amazon publishes no number for appeals, so
    the limit is data, kept with where it comes from and how sure it is."""

    max_bytes: int | None = Field(None, gt=0)
    source: str | None = None
    note: str | None = None


class Settings(_Meta):
    """`snippets/library.yaml`: what the whole library shares."""

    sections: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_TITLES))
    limits: dict[str, Limits] = Field(default_factory=dict)
    accepted_files: list[str] = Field(default_factory=lambda: ["pdf", "jpg", "jpeg", "png", "gif"])
    follow_up_days: int = Field(7, gt=0, le=3650)
    # Each case's files for its upload packet sit in <evidence_folder>/<slug>/, relative to
    # the project folder unless absolute.
    evidence_folder: str = Field("evidence", min_length=1)
    upload_limit: UploadLimit = Field(default_factory=UploadLimit)

    @field_validator("sections", mode="after")
    @classmethod
    def _every_section_titled(cls, titles: dict[str, str]) -> dict[str, str]:
        """A library that names some titles keeps the defaults of the others (a section
        added to poakit later gets its heading)."""
        return {**DEFAULT_TITLES, **titles}


@dataclass(frozen=True)
class Snippet:
    id: str
    kind: Kind
    path: str  # as displayed in messages, e.g. snippets/reasons/inauthentic.md
    meta: Any  # the kind's SnippetMeta subclass
    body: str
    body_line: int  # line of the file on which the body starts
    front: Document | None = None  # the front matter, with positions

    def meta_position(self, *loc: str | int) -> Position:
        if self.front is None:
            return Position(self.path)
        return self.front.position(loc)

    @property
    def template_name(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.id}"

    def position(self, line_in_body: int = 1) -> Position:
        return Position(self.path, self.body_line + line_in_body - 1, 1)


# eq=False: a library is itself, whatever it holds; it can key a mapping of what is made from it.
@dataclass(eq=False)
class Library:
    root: Path
    snippets: dict[Kind, dict[str, Snippet]] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    findings: list[Finding] = field(default_factory=list)
    tone_rules: tuple[ToneRule, ...] = ()
    notices: NoticeData = field(default_factory=NoticeData)  # stores and notice languages

    def of(self, kind: Kind) -> dict[str, Snippet]:
        return self.snippets.setdefault(kind, {})

    @property
    def reasons(self) -> dict[str, Snippet]:
        return self.of(Kind.REASON)

    @property
    def root_causes(self) -> dict[str, Snippet]:
        return self.of(Kind.ROOT_CAUSE)

    @property
    def measures(self) -> dict[str, Snippet]:
        return self.of(Kind.MEASURE)

    @property
    def letter_parts(self) -> dict[str, Snippet]:
        return self.of(Kind.LETTER)

    def reason_title(self, rid: str) -> str:
        """The reason's title, or its id where the library has no such reason."""
        reason = self.reasons.get(rid)
        return str(reason.meta.title) if reason else rid

    def metric_name(self, reason: str, marketplace: str) -> str:
        """The English name `marketplace`'s notices give the metric of `reason` ("Late
        Dispatch Rate" on amazon.co.uk), else the reason's own name for it, else its id."""
        store = self.notices.stores.get(marketplace)
        names = store.metrics.get(reason) if store else None
        if names:
            return names[0]
        snippet = self.reasons.get(reason)
        metric = snippet.meta.metric if snippet else None
        return str(metric.name) if metric else reason

    def metric_names(self, reason: str) -> set[str]:
        """Every English name any store gives the metric of `reason`, and the reason's own."""
        names = {
            name for store in self.notices.stores.values() for name in store.metrics.get(reason, ())
        }
        snippet = self.reasons.get(reason)
        if snippet is not None and snippet.meta.metric is not None:
            names.add(str(snippet.meta.metric.name))
        return names

    def signals(self) -> dict[str, list[str]]:
        return {rid: list(s.meta.signals) for rid, s in self.reasons.items()}

    def template_names(self) -> list[str]:
        return [s.template_name for kind in FOLDERS for s in self.of(kind).values()]
