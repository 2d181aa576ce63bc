"""The notice reader's vocabulary, compiled once: patterns for the library's reasons, stores
and notice languages.

A `Lexicon` holds, for English and for every language file of the library, the patterns the
reader runs: signal phrases with their weights, metric names, field labels, templates for
windows, deadlines, dates and counts, and the phrases of actions and routes. Build it once
(`Lexicon.from_library`) and read as many notices with it as you like.

How phrases become patterns (each rule is tested):

- Matching is on the notice lower-cased and folded (`fold`): full-width colons, digits and
  brackets, curly quotes and the no-break spaces of French typography become their plain
  forms, character for character, so positions in the folded text are positions in the notice.
- A phrase's words may be split by any white space; a word that starts (ends) with a letter
  of a spaced script must not follow (be followed by) another letter or digit: "patent" is
  not found in "patently". Japanese and Chinese have no spaces, so their phrases match
  anywhere.
- "..." inside a phrase stands for up to 40 characters of the same sentence.
- Every pattern starts with a literal where it can, has no nested unbounded repeat, and every
  gap is bounded: reading stays linear in the size of the notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..model.notices import Language, NoticeData

if TYPE_CHECKING:
    from ..model.library import Library

__all__ = [
    "ENGLISH",
    "Lexicon",
    "MetricInfo",
    "Signal",
    "Tongue",
    "fold",
    "gap",
    "phrase_source",
]

ENGLISH = "en"

#: Points a piece of evidence gives its reason (see `intake.notice` for how they add up).
WEIGHT_PHRASE = 1
WEIGHT_STRONG = 3
WEIGHT_METRIC_NAME = 2

_FOLD = str.maketrans(
    {
        "\uff1a": ":",  # full-width colon
        "\uff08": "(",
        "\uff09": ")",
        "\uff05": "%",
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u2007": " ",  # figure space
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},  # full-width digits
    }
)


def fold(text: str) -> str:
    """`text` with typographic variants made plain, one character for one character."""
    return text.translate(_FOLD)


# --- phrases ---------------------------------------------------------------------------------

_UNSPACED = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_GAP = r"(?:[^\n.!?\u3002]|[.!?](?=\S))"
_SENTENCE_GAP = 40


def gap(size: int = _SENTENCE_GAP) -> str:
    """Up to `size` characters of the same sentence (a "." inside a word does not end it)."""
    return f"{_GAP}{{0,{size}}}?"


def _spaced_letter(char: str) -> bool:
    return (char.isalnum() or char == "_") and not _UNSPACED.match(char)


def _word_source(word: str, first: bool) -> str:
    escaped = re.escape(word)
    if first and _spaced_letter(word[0]):
        # `word(?<!\wword)` rather than `(?<!\w)word`: a pattern that starts with a literal
        # lets the search skip ahead to it instead of trying every position of the text.
        return rf"{escaped}(?<!\w{escaped})"
    return escaped


def _part_source(part: str) -> str:
    words = part.split()
    head = _word_source(words[0], True)
    tail = "".join(r"\s+" + re.escape(word) for word in words[1:])
    end = r"(?!\w)" if _spaced_letter(part[-1]) else ""
    return head + tail + end


def phrase_source(phrase: str, size: int = _SENTENCE_GAP) -> str:
    """The regex source of a phrase (lower-cased and folded first)."""
    parts = [part.strip() for part in fold(phrase).lower().split("...")]
    return gap(size).join(_part_source(part) for part in parts if part)


def normal(phrase: str) -> str:
    """A phrase as the reader reports it: folded, lower case, single-spaced."""
    return " ".join(fold(phrase).lower().split())


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _phrases(phrases: Iterable[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each distinct phrase with its pattern, in the order given."""
    seen: dict[str, re.Pattern[str]] = {}
    for phrase in phrases:
        key = normal(phrase)
        if key and key not in seen:
            seen[key] = _compile(phrase_source(key))
    return tuple(seen.items())


def _alternation(words: Iterable[str]) -> str:
    """Whole-word alternation of `words`, longest first (so "days" wins over "day")."""
    keys = sorted({normal(word) for word in words if normal(word)}, key=len, reverse=True)
    return "(?:" + "|".join(_part_source(key) for key in keys) + ")" if keys else "(?!)"


# --- templates -----------------------------------------------------------------------------

#: "30 days", "14-day", "60 derniers jours": a number, perhaps a word, then a day unit.
_DAY_WINDOW = r"(?<![\d.,])([0-9]{1,3})(?:[ \t]*-[ \t]*|[ \t]+)(?:[^\W\d_]{1,15}[ \t]+)?"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: After a complaint label: "Complaint ID: 123", "complaint id # 123", "Complaint IDs: 1, 2".
COMPLAINT_TAIL = (
    r"[ \t]*(?:#|no\.?|number)?[ \t]*:?[ \t]*([0-9]{1,20}(?:[ \t]*,[ \t]*[0-9]{1,20})*)(?![\w-])"
)
#: The value of a "Complaint type:" line: up to the end of the line, a "|", ";" or ".".
TYPE_VALUE = r"([^\n|;\t.]{1,60}+)(?=[\n|;\t.]|\Z)"
INFRINGEMENT = "infringement"
COMPLAINT = "complaint"
_NUMBER = r"(?<![\d.,])(?:\d{1,3}(?:[,. ]\d{3})+|\d+)(?![\d])"


def _template_source(template: str, groups: Mapping[str, str]) -> str:
    """A template's regex: literal parts as phrases, placeholders as the `groups` given."""
    source = ""
    at = 0
    text = normal(template)
    for match in _PLACEHOLDER.finditer(text):
        literal = text[at : match.start()]
        source += _literal_source(literal, first=not source)
        source += groups[match.group(1)]
        at = match.end()
    return source + _literal_source(text[at:], first=not source)


def _literal_source(literal: str, first: bool) -> str:
    """A template's literal text: words split by any white space, "..." a bounded gap."""
    if not literal:
        return ""
    out = ""
    for index, part in enumerate(literal.split("...")):
        if index:
            out += gap(100)
        lead, core, trail = _strip(part)
        if lead:
            out += r"\s*" if lead.isspace() else re.escape(lead)
        if core:
            words = core.split()
            out += _word_source(words[0], first and not out) + "".join(
                r"\s+" + re.escape(word) for word in words[1:]
            )
            if trail == "" and _spaced_letter(core[-1]):
                out += r"(?!\w)"
        if trail:
            out += r"\s+" if trail.isspace() else re.escape(trail)
    return out


def _strip(part: str) -> tuple[str, str, str]:
    core = part.strip()
    if not core:
        return part, "", ""
    start = part.index(core)
    return part[:start], core, part[start + len(core) :]


# --- the compiled vocabulary ------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """A phrase that points at a reason, with its points; `metric` when it names the metric."""

    reason: str
    phrase: str
    weight: int
    pattern: re.Pattern[str]
    metric: bool = False


@dataclass(frozen=True)
class MetricInfo:
    """A reason's metric as the library states it: its name and target ("under 4%")."""

    reason: str
    name: str
    target: str | None = None

    @cached_property
    def higher_is_better(self) -> bool:
        return bool(self.target) and bool(_AT_LEAST_TEXT.search(self.target or ""))

    @cached_property
    def target_value(self) -> float | None:
        found = re.search(r"([0-9]+(?:[.,][0-9]+)?)\s*%", self.target or "")
        return float(found.group(1).replace(",", ".")) if found else None


_AT_LEAST_TEXT = re.compile(r"at least|minimum|above|more than|or more", re.IGNORECASE)


@dataclass(frozen=True)
class DateForm:
    pattern: re.Pattern[str]  # groups d, m or month, y


@dataclass
class Tongue:
    """One language's compiled vocabulary."""

    code: str
    name: str
    decimal: str = "."
    signals: tuple[Signal, ...] = ()
    types: tuple[tuple[str, str, re.Pattern[str]], ...] = ()  # reason, phrase, pattern
    detect: tuple[re.Pattern[str], ...] = ()
    months: dict[str, int] = field(default_factory=dict)
    dates: tuple[str, ...] = ()  # date regexes with named groups
    numbers: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # unit word -> kind
    items: tuple[str, ...] = ()
    complaint_labels: tuple[str, ...] = ()
    infringement_labels: tuple[str, ...] = ()
    complaint_type_labels: tuple[str, ...] = ()
    owner_labels: tuple[str, ...] = ()
    windows: tuple[re.Pattern[str], ...] = ()
    supply: tuple[str, ...] = ()
    other_documents: tuple[str, ...] = ()
    within: tuple[re.Pattern[str], ...] = ()
    by: tuple[re.Pattern[str], ...] = ()
    ignore: tuple[tuple[str, re.Pattern[str]], ...] = ()
    under_before: tuple[str, ...] = ()
    under_after: tuple[str, ...] = ()
    at_least_before: tuple[str, ...] = ()
    at_least_after: tuple[str, ...] = ()
    stated_before: tuple[str, ...] = ()
    counts: tuple[tuple[re.Pattern[str], bool], ...] = ()  # pattern, has {y}
    metric_names: dict[str, str] = field(default_factory=dict)  # name -> metric reason
    actions: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = field(default_factory=dict)
    routes: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = field(default_factory=dict)
    complaint_ids: tuple[re.Pattern[str], ...] = ()  # group 1: the ids after the label
    stated: tuple[tuple[str, str, re.Pattern[str]], ...] = ()  # kind, label, pattern
    owner_anchors: tuple[re.Pattern[str], ...] = ()  # a label and its colon
    owner_mentions: tuple[re.Pattern[str], ...] = ()
    documents: re.Pattern[str] | None = None  # any document word, supply or other
    item_openers: re.Pattern[str] | None = None  # group 1: the indent
    day_window: re.Pattern[str] | None = None  # group 1: the days of "30 days", "14-day"

    @classmethod
    def build(cls, language: Language) -> Tongue:
        tongue = cls(language.language, language.name, decimal=language.decimal)
        tongue.detect = tuple(_compile(phrase_source(word)) for word in language.detect)
        tongue.months = {
            normal(form): number
            for number, forms in enumerate(language.months, start=1)
            for form in forms
        }
        tongue.numbers = {normal(word): value for word, value in language.numbers.items()}
        tongue.units = {
            normal(word): kind
            for kind in ("day", "business_day", "week", "hour", "month")
            for word in getattr(language.units, kind)
        }
        tongue.dates = tuple(tongue._date_source(form) for form in language.dates)
        tongue.items = tuple(normal(word) for word in language.items)
        labels = language.labels
        tongue.complaint_labels = tuple(normal(label) for label in labels.complaint_id)
        tongue.infringement_labels = tuple(normal(label) for label in labels.infringement_type)
        tongue.complaint_type_labels = tuple(normal(label) for label in labels.complaint_type)
        tongue.owner_labels = tuple(normal(label) for label in labels.rights_owner)
        tongue._build_labels()
        tongue.windows = tuple(
            _compile(_template_source(t, {"n": tongue._number_group("n")}))
            for t in language.windows
        )
        tongue.supply = tuple(normal(word) for word in language.documents.supply)
        tongue.other_documents = tuple(normal(word) for word in language.documents.other)
        words = sorted({*tongue.supply, *tongue.other_documents}, key=len, reverse=True)
        if words:
            tongue.documents = _compile("|".join(f"(?:{phrase_source(w)})" for w in words))
        if tongue.items:
            openers = "|".join(phrase_source(word) for word in tongue.items)
            tongue.item_openers = re.compile(rf"^([ \t]*)(?:{openers})[,:]", re.MULTILINE)
        days = [word for word, kind in tongue.units.items() if kind == "day"]
        if days:
            tongue.day_window = _compile(_DAY_WINDOW + f"{_alternation(days)}")
        tongue._build_deadlines(language)
        targets = language.targets
        tongue.under_before = tuple(normal(w) for w in targets.under.before)
        tongue.under_after = tuple(normal(w) for w in targets.under.after)
        tongue.at_least_before = tuple(normal(w) for w in targets.at_least.before)
        tongue.at_least_after = tuple(normal(w) for w in targets.at_least.after)
        tongue.stated_before = tuple(normal(w) for w in targets.stated.before)
        tongue.counts = tuple(
            (
                _compile(
                    _template_source(t, {"x": rf"(?P<x>{_NUMBER})", "y": rf"(?P<y>{_NUMBER})"})
                ),
                "{y}" in t,
            )
            for t in language.counts
        )
        tongue.metric_names = {
            normal(name): reason for reason, names in language.metrics.items() for name in names
        }
        tongue.actions = {key: _phrases(values) for key, values in language.actions.items()}
        tongue.routes = {key: _phrases(values) for key, values in language.routes.items()}
        tongue.signals = tuple(
            Signal(reason, phrase, weight, pattern)
            for source, weight in (
                (language.signals, WEIGHT_PHRASE),
                (language.strong, WEIGHT_STRONG),
            )
            for reason, phrases in source.items()
            for phrase, pattern in _phrases(phrases)
        )
        tongue.types = tuple(
            (reason, phrase, pattern)
            for reason, phrases in language.types.items()
            for phrase, pattern in _phrases(phrases)
        )
        return tongue

    def _build_labels(self) -> None:
        self.complaint_ids = tuple(
            _compile(phrase_source(label) + COMPLAINT_TAIL) for label in self.complaint_labels
        )
        self.stated = tuple(
            (kind, label, _compile(phrase_source(label) + r"[ \t]*:[ \t]*" + TYPE_VALUE))
            for kind, labels in (
                (INFRINGEMENT, self.infringement_labels),
                (COMPLAINT, self.complaint_type_labels),
            )
            for label in labels
        )
        self.owner_anchors = tuple(
            _compile(phrase_source(label) + r"[^\n:]{0,40}:") for label in self.owner_labels
        )
        self.owner_mentions = tuple(_compile(phrase_source(label)) for label in self.owner_labels)

    def _number_group(self, name: str) -> str:
        words = _alternation(self.numbers) if self.numbers else "(?!)"
        return rf"(?P<{name}>\d{{1,4}}(?![\d])|{words})"

    def _date_source(self, template: str) -> str:
        groups = {
            "d": r"(?P<d>\d{1,2})(?!\d)",
            "m": r"(?P<m>\d{1,2})(?!\d)",
            "y": r"(?P<y>\d{4})(?!\d)",
            "month": f"(?P<month>{_alternation(self.months)})",
        }
        return _template_source(template, groups)

    def _build_deadlines(self, language: Language) -> None:
        unit = f"(?P<unit>{_alternation(self.units)})" if self.units else "(?!)"
        self.within = tuple(
            _compile(_template_source(t, {"n": self._number_group("n"), "unit": unit}))
            for t in language.deadlines.within
        )
        self.by = tuple(
            _compile(_template_source(t, {"date": f"(?:{date})"}))
            for t in language.deadlines.by
            for date in self.dates
        )
        self.ignore = _phrases(language.deadlines.ignore)

    def number(self, text: str) -> int | None:
        """A number as a template read it: digits, or a number word of this language."""
        digits = re.sub(r"[^\d]", "", text)
        if digits:
            return int(digits)
        return self.numbers.get(normal(text))


# A German compound may follow a store ("Amazon.de-Verkäuferkonto"), a host name may not.
_END = r"(?!\w)(?!\.[a-z0-9])(?!-[\w-]*\.[a-z])"


@dataclass
class Lexicon:
    """Everything the reader knows, compiled: build once, read many notices."""

    signals: Mapping[str, Sequence[str]] = field(default_factory=dict)
    metrics: Mapping[str, MetricInfo] = field(default_factory=dict)
    notices: NoticeData = field(default_factory=NoticeData)

    def __post_init__(self) -> None:
        self.tongues: dict[str, Tongue] = {
            code: Tongue.build(language) for code, language in self.notices.languages.items()
        }
        english = self.tongues.get(ENGLISH) or Tongue(ENGLISH, "English")
        self.english = english
        self.base = tuple(
            Signal(reason, phrase, WEIGHT_PHRASE, pattern)
            for reason, phrases in self.signals.items()
            for phrase, pattern in _phrases((phrases,) if isinstance(phrases, str) else phrases)
        )
        self.metric_names = self._metric_names()
        self.metric_signals = tuple(
            Signal(reason, name, WEIGHT_METRIC_NAME, _compile(phrase_source(name)), metric=True)
            for name, reason in self.metric_names.items()
        )
        self.domains = tuple(sorted(self.notices.stores, key=len, reverse=True))
        self.hosts = {
            normal(host): domain
            for domain, store in self.notices.stores.items()
            for host in store.hosts
        }
        tails = "|".join(re.escape(domain.removeprefix("amazon.")) for domain in self.domains)
        # In prose: not part of a host name (www.amazon.com) or of an e-mail address.
        self.prose = _compile(rf"amazon(?<![\w.@-]amazon)\.(?:{tails}){_END}") if tails else None
        hosts = "|".join(re.escape(h) for h in sorted(self.hosts, key=len, reverse=True))
        self.links = _compile(rf"(?<![\w.@-])(?:{hosts}){_END}") if hosts else None

    @classmethod
    def from_library(cls, library: Library) -> Lexicon:
        metrics = {
            rid: MetricInfo(rid, reason.meta.metric.name, reason.meta.metric.target)
            for rid, reason in library.reasons.items()
            if reason.meta.metric is not None
        }
        return cls(library.signals(), metrics, library.notices)

    def _metric_names(self) -> dict[str, str]:
        """Every name of every metric, in any store or language -> the metric's reason."""
        names: dict[str, str] = {}
        for reason, info in self.metrics.items():
            names.setdefault(normal(info.name), reason)
        for store in self.notices.stores.values():
            for reason, listed in (*store.metrics.items(), *store.local_names.items()):
                for name in listed:
                    names.setdefault(normal(name), reason)
        for tongue in self.tongues.values():
            for name, reason in tongue.metric_names.items():
                names.setdefault(name, reason)
        return {name: reason for name, reason in names.items() if reason in self.metrics}

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.tongues)
