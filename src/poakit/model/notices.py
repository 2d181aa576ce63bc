"""What the notice reader knows about Amazon's stores and the languages of their notices.

Two kinds of library file, both plain data under `snippets/`:

- `snippets/stores.yaml`: every Amazon store (its domain, country, languages, Seller Central
  hosts) and the names its notices give the performance metrics ("Late Dispatch Rate" on
  amazon.co.uk for what amazon.com calls the Late Shipment Rate).
- `snippets/notices/<language>.yaml`: the words of notices in one language: the phrases that
  signal each reason, field labels, month names and date forms, decimal and thousands marks,
  how windows, deadlines, counts and targets are written, what the notice asks for (the
  route), and the phrases that say what Amazon did (the action).

`source.notices` reads and checks the files; `intake.lexicon` turns them into patterns. Every
phrase is plain text, matched whole-word and case-insensitively, any run of white space
matching any other; `...` inside a phrase stands for up to 40 characters of the same sentence.
Templates hold placeholders in braces (`within {n} {unit}`, `{d}. {month} {y}`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Phrase = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Phrases = list[Phrase]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


class _Data(BaseModel):
    # defer_build: see `case.Model`
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Store(_Data):
    """One Amazon store, keyed by its domain (amazon.co.uk) in `snippets/stores.yaml`."""

    country: str = Field(min_length=1, description="The country the store sells to.")
    languages: list[LanguageCode] = Field(
        min_length=1, description="The languages its notices come in, the usual one first."
    )
    hosts: list[Phrase] = Field(
        default_factory=list,
        description="Seller Central hosts that name this store alone (sellercentral.amazon.de); "
        "a shared host such as sellercentral-europe.amazon.com names no store.",
    )
    metrics: dict[str, Phrases] = Field(
        default_factory=dict,
        description="Metric (the id of a reason with a metric) -> the English names this "
        "store's notices and help pages give it, the usual one first.",
    )
    local_names: dict[str, Phrases] = Field(
        default_factory=dict,
        description="Metric -> its names in the store's own language, where poakit has no "
        "notice file for that language (names in de, fr, it, es, ja live in those files).",
    )
    note: str | None = Field(None, description="What differs in this store, in one sentence.")
    sources: list[str] = Field(default_factory=list, description="Where the facts come from.")


class StoresFile(_Data):
    """`snippets/stores.yaml`."""

    stores: dict[str, Store] = Field(description="Store domain (amazon.co.uk) -> the store.")


class Units(_Data):
    """The words for time units after a number ("17 days", "17 Tagen", "17日")."""

    day: Phrases = Field(default_factory=list)
    business_day: Phrases = Field(default_factory=list)
    week: Phrases = Field(default_factory=list)
    hour: Phrases = Field(default_factory=list)
    month: Phrases = Field(default_factory=list)


class Labels(_Data):
    """Field labels, as written before the colon ("Beschwerde-ID: 50817736240")."""

    complaint_id: Phrases = Field(default_factory=list)
    infringement_type: Phrases = Field(default_factory=list)
    complaint_type: Phrases = Field(default_factory=list)
    rights_owner: Phrases = Field(
        default_factory=list, description="Labels before the rights owner's contact details."
    )


class Documents(_Data):
    """Document words: a window next to a supply document is an evidence window; next to
    any other document (a utility bill, a bank statement) it is a rule for that document."""

    supply: Phrases = Field(default_factory=list)
    other: Phrases = Field(default_factory=list)


class Deadlines(_Data):
    within: Phrases = Field(default_factory=list, description="Templates with {n} and {unit}.")
    by: Phrases = Field(default_factory=list, description="Templates with {date}.")
    ignore: Phrases = Field(
        default_factory=list,
        description="A duration in a sentence holding one of these is Amazon's time, not the "
        'seller\'s ("we will reply within 2 business days").',
    )


class Side(_Data):
    """Words written before or after a target percentage ("under 4%", "4%未満")."""

    before: Phrases = Field(default_factory=list)
    after: Phrases = Field(default_factory=list)


class Targets(_Data):
    under: Side = Field(default_factory=Side, description="Lower is better: under 4%.")
    at_least: Side = Field(default_factory=Side, description="Higher is better: at least 95%.")
    stated: Side = Field(
        default_factory=Side,
        description='A target with no direction ("target: 4%"): the metric\'s own direction.',
    )


class Language(_Data):
    """`snippets/notices/<code>.yaml`: how notices in one language are written."""

    language: LanguageCode = Field(description="The ISO 639-1 code; the file's name.")
    name: str = Field(min_length=1, description="The language's name in English.")
    detect: Phrases = Field(
        min_length=3,
        description="Common words of the language, none shared with another language file: "
        "the language with the most of them in a notice is the notice's language.",
    )
    decimal: Literal[".", ","] = Field(description="The decimal mark of rates: 6.2% or 1,9 %.")
    thousands: list[Annotated[str, StringConstraints(min_length=1, max_length=1)]] = Field(
        default_factory=list, description="Thousands separators in counts: 1,413 or 1 412."
    )
    months: list[Phrases] = Field(
        default_factory=list, description="Twelve entries, January first, each with its forms."
    )
    dates: Phrases = Field(
        default_factory=list,
        description="Date templates with {d}, {m}, {y} and {month}: '{d}. {month} {y}'.",
    )
    numbers: dict[str, int] = Field(
        default_factory=dict, description="Number words: three -> 3 ('within three weeks')."
    )
    units: Units = Field(default_factory=Units)
    items: Phrases = Field(
        default_factory=list, description="Words that open a list item: First, Second."
    )
    labels: Labels = Field(default_factory=Labels)
    windows: Phrases = Field(
        default_factory=list, description="Evidence window templates with {n}: 'the last {n} days'."
    )
    documents: Documents = Field(default_factory=Documents)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    targets: Targets = Field(default_factory=Targets)
    counts: Phrases = Field(
        default_factory=list,
        description="Count templates with {x} (the part) and {y} (the whole): '{x} of {y}'; "
        "without {y}, the whole is the number before {x} in the sentence ('412 of them').",
    )
    metrics: dict[str, Phrases] = Field(
        default_factory=dict, description="Metric (a reason id) -> its names in this language."
    )
    actions: dict[str, Phrases] = Field(
        default_factory=dict, description="Action (as in a case file) -> phrases stating it."
    )
    routes: dict[str, Phrases] = Field(
        default_factory=dict,
        description="Route (as in a case file), or no-plan -> phrases asking for it "
        "(no-plan: phrases saying that no plan of action is needed).",
    )
    signals: dict[str, Phrases] = Field(
        default_factory=dict, description="Reason id -> phrases that point at it (1 point each)."
    )
    strong: dict[str, Phrases] = Field(
        default_factory=dict,
        description="Reason id -> phrases that name it beyond doubt (3 points each).",
    )
    types: dict[str, Phrases] = Field(
        default_factory=dict,
        description="Reason id -> values of a 'Complaint type:' or 'Infringement type:' label.",
    )
    sources: list[str] = Field(default_factory=list, description="Where the words come from.")


#: The placeholders each kind of template may hold; `required` must all appear.
TEMPLATES: dict[str, tuple[frozenset[str], tuple[frozenset[str], ...]]] = {
    "windows": (frozenset({"n"}), (frozenset({"n"}),)),
    "deadlines.within": (frozenset({"n", "unit"}), (frozenset({"n", "unit"}),)),
    "deadlines.by": (frozenset({"date"}), (frozenset({"date"}),)),
    "dates": (
        frozenset({"d", "m", "y", "month"}),
        (frozenset({"d", "m", "y"}), frozenset({"d", "month", "y"})),
    ),
    "counts": (frozenset({"x", "y"}), (frozenset({"x", "y"}), frozenset({"x"}))),
}

#: The routes a language file may list: the case file's, and phrases saying no plan is needed.
NO_PLAN = "no-plan"


@dataclass(frozen=True)
class NoticeData:
    """The stores and languages of a library (both may be empty: the reader then knows only
    the reasons' English signals)."""

    stores: dict[str, Store] = field(default_factory=dict)
    languages: dict[str, Language] = field(default_factory=dict)
