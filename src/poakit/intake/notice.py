"""Read an Amazon notice: its language and store, the reasons and ids a Plan of Action must
answer, what it asks for and by when, and the numbers it quotes.

`read_notice` turns the text of a notice (an e-mail or a Seller Central message, pasted as
is, in any language the library has a notice file for) into a `NoticeReading`;
`format_summary` says in a few lines what was found and what could not be told. The reader
guesses, it never fails: any text, however broken, gives a reading, and what it could not
tell is listed in `NoticeReading.unknown`. What it knows comes from a `Lexicon`: the reasons'
signals and metrics, `snippets/stores.yaml` and `snippets/notices/*.yaml`.

Rules the reader follows (each one is tested):

- Every tuple is deduplicated and in order of first appearance in the notice. Reasons,
  metrics, routes, actions, windows and deadlines are read from the first 200,000 characters
  (a notice is a few thousand); ids from the whole text.
- Language: the language whose detection words occur most often (at least 3 times) in the
  notice's first 20,000 characters. A short text (under 150 letters) with none is read as
  English; a longer one is in no language poakit reads: its ids are read, its reasons are
  listed but no issue is given one ("never a guess shown as fact").
- Reasons are scored over the whole notice in points: each distinct signal phrase of the
  reason gives 1 point (a `strong` phrase of a language file 3, a name of the reason's metric
  2); a "Complaint type:" or "Infringement type:" value that names the reason gives 4; the
  reason's metric quoted off target ("a Late Dispatch Rate of 6.2%" against "under 4%") gives
  3. Context changes the weights: a phrase that only ever names a linked policy ("Seller Code
  of Conduct (https://...)") is a citation, and all of a reason's citations together give 1
  point; a phrase inside a metric quoted within target ("Valid Tracking Rate: 98.4%") gives
  nothing; a reason that has a metric scores only when its metric is named. Reasons are
  ranked by points, highest first, ties broken by reason id.
- Issues: the notice's top reason gives an issue; so does the best reason of every issue
  block (a run of "Label: value" lines holding an id, split where its first label comes
  again), and the best reason of every part of the notice (a paragraph, or a numbered or
  bulleted item with everything up to the next item or heading) that scores 3 points or more
  on its own, or 2 when it holds an id. Each id goes to the issue of its block, else of the
  innermost part holding it whose best reason has an issue, else of an id beside it on its
  line or in its sentence, else of the top reason; the first occurrence inside a block decides.
- An issue read from fewer than 3 points, or with another reason within a point of it, is
  read with low confidence: `IssueReading.doubt` says why, and the skeleton shows it.
- Metrics: every percentage after a metric's name (any name a store or language gives it)
  in the same paragraph, or a target when a target word stands by it ("under 4%", "mindestens
  95 %", "4%未満"); the window ("over the last 30 days", "14-day period") and the counts ("41
  of 661", "27 commandes sur 1 412") from its sentence or the one before, counts kept only
  when they agree with the rate. For a metric where higher is better (Valid Tracking Rate,
  On-Time Delivery Rate) `defective` is the rest: 1,047 on time of 1,213 gives 166.
- Evidence window: a window phrase ("the last 365 days", "in den letzten 365 Tagen") counts
  when the nearest document named in its sentence (before it, else after it) is a supply
  document (invoice, receipt, letter of authorisation); a utility bill or a bank statement
  "dated within the last 90 days" is a rule about that document.
- Deadlines: "within 17 days", "innerhalb von 17 Tagen", "by 20 July 2026", "avant le 14
  juillet 2026", "2026年7月28日まで"; not a duration inside an evidence window, not one in a
  sentence about Amazon's own time ("we will reply within 2 business days"), and never "after
  90 days" (when held funds can be requested). The deadline is the first date given, else the
  first duration.
- Route: a notice that says no plan of action is needed asks for a questionnaire, an
  acknowledgement, documents or nothing, in that order of precedence, whichever it names;
  otherwise a plan of action if it asks for one, else a questionnaire, an acknowledgement,
  nothing to send, documents or a retraction, the first it names.
- Marketplace: a store named in prose ("your Amazon.co.uk account") wins; otherwise a Seller
  Central link whose host belongs to one store; e-mail addresses never count.
- Rights owner: read from the few lines after "rights owner's contact details:" (or the
  labels of the language files); Amazon's own mailboxes, any address at an amazon.* domain,
  are skipped.
- Action: the strongest one stated: an account deactivated, a category restricted, listings
  removed, then a warning.

Every pattern here runs in linear time: no nested unbounded repeats, bounded windows after
each anchor, and a cap on how many anchors a slow step looks at.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from ..model.case import Action, Route
from .lexicon import (
    COMPLAINT,
    ENGLISH,
    INFRINGEMENT,
    Lexicon,
    MetricInfo,
    Signal,
    Tongue,
    fold,
)

__all__ = [
    "Deadline",
    "IssueReading",
    "Lexicon",
    "Metric",
    "NoticeReading",
    "ReasonScore",
    "RightsOwner",
    "format_summary",
    "read_notice",
]

#: Points from which a reason is read with confidence, and a part of the notice raises it.
CONFIDENT = 3
PART_ISSUE = 3
PART_ISSUE_WITH_ID = 2
WEIGHT_TYPE = 4
WEIGHT_OFF_TARGET = 3

# --- the reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class RightsOwner:
    """Whoever filed an IP complaint, as the notice gives them (either part may be missing)."""

    name: str | None
    email: str | None


@dataclass(frozen=True)
class Metric:
    """A performance metric the notice quotes: the rate, and what stands around it."""

    reason: str  # the metric's reason id
    name: str  # as the notice writes it: "Late Dispatch Rate", "taux de commandes défectueuses"
    rate: float  # in percent, as stated
    target: str | None  # "under 4%", "at least 90%": as stated, else the library's
    window_days: int | None
    defective: int | None  # the orders or units that missed: late, defective, untracked
    total: int | None
    within_target: bool | None  # None when no target is known


@dataclass(frozen=True)
class Deadline:
    """When the notice wants a reply: a date, or a duration from the notice's date."""

    text: str  # as written: "by 20 July 2026", "within 17 days"
    date: dt.date | None
    days: int | None
    business_days: bool = False


@dataclass(frozen=True)
class ReasonScore:
    """How strongly the notice points at a reason: `score` points, from what `matched`."""

    reason: str
    score: int
    matched: tuple[str, ...]


@dataclass(frozen=True)
class IssueReading:
    """One thing the notice raises, with the ids that belong to it."""

    reason: str | None
    label: str
    asins: tuple[str, ...]
    orders: tuple[str, ...]
    complaints: tuple[str, ...]
    score: int = 0  # the reason's points over the whole notice
    doubt: str | None = None  # why the reading may be wrong, for the skeleton's comments


@dataclass(frozen=True)
class NoticeReading:
    """Everything read from one notice; `unknown` says what could not be told."""

    language: str | None
    marketplace: str | None
    action: str | None
    route: str | None
    route_signals: tuple[str, ...]
    deadline: Deadline | None
    deadlines: tuple[str, ...]
    evidence_window_days: int | None
    asins: tuple[str, ...]
    orders: tuple[str, ...]
    complaints: tuple[str, ...]
    infringement_types: tuple[str, ...]
    complaint_types: tuple[str, ...]
    rights_owner: RightsOwner | None
    policy_pages: tuple[str, ...]
    metrics: tuple[Metric, ...]
    reasons: tuple[ReasonScore, ...]
    issues: tuple[IssueReading, ...]
    unknown: tuple[str, ...]


def read_notice(text: str, lexicon: Lexicon) -> NoticeReading:
    """Read `text` with what `lexicon` knows."""
    notice = _prepare(text)
    language, foreign = _language(notice.low, lexicon)
    tongues = _tongues(lexicon, language)
    head = notice.low[:READ_REACH]
    ids = _find_ids(notice, tongues)
    layout = _Layout(notice, ids, tongues)
    quoted = [] if foreign else _metrics(notice, tongues, lexicon, layout)
    stated = _stated_types(notice, tongues)
    hits = _hits(head, tongues, lexicon, quoted, stated)
    ranked = _rank(hits, lexicon)
    marketplaces = _marketplaces(notice.low, lexicon)
    windows = _evidence_windows(head, tongues)
    deadlines = _deadlines(notice, tongues, windows)
    route, route_signals = _route(head, tongues)
    reading = NoticeReading(
        language=language,
        marketplace=marketplaces[0] if marketplaces else None,
        action=_action(head, tongues),
        route=route,
        route_signals=route_signals,
        deadline=_deadline(deadlines),
        deadlines=_unique(d.text for d in deadlines),
        evidence_window_days=windows[0][2] if windows else None,
        asins=_unique(value for _, kind, value in ids if kind == _KIND_ASIN),
        orders=_unique(value for _, kind, value in ids if kind == _KIND_ORDER),
        complaints=_unique(value for _, kind, value in ids if kind == _KIND_COMPLAINT),
        infringement_types=_unique_folded(s.value for s in stated if s.kind == INFRINGEMENT),
        complaint_types=_unique_folded(s.value for s in stated if s.kind == COMPLAINT),
        rights_owner=_rights_owner(notice, tongues),
        policy_pages=_policy_pages(notice.low),
        metrics=tuple(q.metric for q in quoted),
        reasons=ranked,
        issues=_Issues(notice, ids, layout, (hits, stated), ranked, foreign).read(),
        unknown=(),
    )
    unknown = _unknown(reading, notice, tongues, lexicon, foreign, marketplaces, windows)
    return replace(reading, unknown=unknown)


# --- text ---------------------------------------------------------------------------------

#: How much of a notice is read for reasons, metrics, routes and dates; ids are read in full.
READ_REACH = 200_000


@dataclass(frozen=True)
class _Notice:
    raw: str  # line endings made "\n", typographic variants folded (`lexicon.fold`)
    low: str  # `raw` lower-cased, character for character, so positions match


def _prepare(text: str) -> _Notice:
    raw = fold(text.replace("\r\n", "\n").replace("\r", "\n"))
    # "İ".lower() is two characters; every other character lowers to one.
    return _Notice(raw, raw.replace("\u0130", "I").lower())


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _unique_folded(values: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate ignoring case, keeping the first spelling."""
    first: dict[str, str] = {}
    for value in values:
        first.setdefault(value.casefold(), value)
    return tuple(first.values())


def _squash(text: str) -> str:
    return " ".join(text.split())


def _word(literal: str) -> str:
    """`literal` with no word character before it (see `lexicon.phrase_source`)."""
    escaped = re.escape(literal)
    return rf"{escaped}(?<!\w{escaped})"


def _compile_all(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Patterns kept apart, each starting with a literal: joined by "|" they would not be."""
    return tuple(re.compile(pattern) for pattern in patterns)


def _matches(
    patterns: Iterable[re.Pattern[str]], text: str, limit: int | None = None
) -> list[re.Match[str]]:
    """The first `limit` matches of all `patterns` together, in order of position."""
    found = [match for pattern in patterns for match in islice(pattern.finditer(text), limit)]
    return sorted(found, key=lambda match: match.start())[:limit]


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\u3002|\n[ \t]*\n")
_SENTENCE_REACH = 400  # characters looked at on each side of a phrase


def _sentence_around(low: str, start: int, end: int) -> tuple[str, str]:
    """The parts of the sentence holding `low[start:end]` before and after it."""
    before = low[max(0, start - _SENTENCE_REACH) : start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    after = low[end : end + _SENTENCE_REACH]
    stop = _SENTENCE_END.search(after)
    return before, after[: stop.start()] if stop else after


def _sentence_span(low: str, start: int, end: int) -> tuple[int, int]:
    before, after = _sentence_around(low, start, end)
    return start - len(before), end + len(after)


# --- language -----------------------------------------------------------------------------

_DETECT_REACH = 20_000
_DETECT_MIN = 3
_LETTERS_OF_A_NOTICE = 150


def _language(low: str, lexicon: Lexicon) -> tuple[str | None, bool]:
    """The notice's language, and whether it is one poakit does not read."""
    if not lexicon.tongues:
        return None, False
    head = low[:_DETECT_REACH]
    counts = {
        code: sum(len(pattern.findall(head)) for pattern in tongue.detect)
        for code, tongue in lexicon.tongues.items()
    }
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0] != ENGLISH, item[0]))
    (code, count), runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else 0
    short = sum(1 for char in islice(head, 5_000) if char.isalpha()) < _LETTERS_OF_A_NOTICE
    if count >= _DETECT_MIN or (short and count > runner_up):
        return code, False
    if short and ENGLISH in lexicon.tongues:
        return ENGLISH, False  # a few words pasted: read as English
    return None, True


def _tongues(lexicon: Lexicon, language: str | None) -> tuple[Tongue, ...]:
    """English always (subjects, labels and links stay English), and the notice's language."""
    other = lexicon.tongues.get(language or "")
    return (
        (lexicon.english,)
        if other is None or other is lexicon.english
        else (
            lexicon.english,
            other,
        )
    )


# --- ids ----------------------------------------------------------------------------------

_KIND_ASIN = "asin"
_KIND_ORDER = "order"
_KIND_COMPLAINT = "complaint"

_Id = tuple[int, str, str]  # position, kind, value

_B0_ASIN = re.compile(_word("B0") + r"(?=[A-Z]{0,7}[0-9])[0-9A-Z]{8}(?!\w)")
_ISBN_ASINS = re.compile(
    _word("asin") + r"s?[ \t]*:[ \t]*([0-9]{9}[0-9x](?:[ \t]*[,;][ \t]*[0-9]{9}[0-9x])*)(?![\w-])"
)
# Anchored on the first dash, the one literal an order ID has: 3 digits, 7 digits, 7 digits.
_ORDER = re.compile(r"-(?<=(?<![\w-])[0-9]{3}-)[0-9]{7}-[0-9]{7}(?![\w-])")
_ORDER_HEAD = 3
_ISBN = re.compile(r"[0-9]{9}[0-9x]")
_DIGITS = re.compile(r"[0-9]+")


def _find_ids(notice: _Notice, tongues: Sequence[Tongue]) -> list[_Id]:
    """Every ASIN, order ID and complaint ID occurrence, in order of position."""
    found: list[_Id] = [(m.start(), _KIND_ASIN, m.group()) for m in _B0_ASIN.finditer(notice.raw)]
    found += _listed(notice.low, _ISBN_ASINS, _ISBN, _KIND_ASIN)
    found += [
        (m.start() - _ORDER_HEAD, _KIND_ORDER, notice.raw[m.start() - _ORDER_HEAD : m.end()])
        for m in _ORDER.finditer(notice.raw)
    ]
    for tongue in tongues:
        for label in tongue.complaint_ids:
            found += _listed(notice.low, label, _DIGITS, _KIND_COMPLAINT)
    return sorted(set(found))


def _labels(tongues: Sequence[Tongue], kind: str) -> tuple[str, ...]:
    return _unique(label for tongue in tongues for label in getattr(tongue, kind))


def _listed(low: str, label: re.Pattern[str], item: re.Pattern[str], kind: str) -> list[_Id]:
    """The items of each "Label: item, item" list that `label` finds."""
    return [
        (match.start(1) + each.start(), kind, each.group().upper())
        for match in label.finditer(low)
        for each in item.finditer(match.group(1))
    ]


# --- stated types, policy pages, marketplace ----------------------------------------------

_STATED_TRIED = 200


@dataclass(frozen=True)
class _Stated:
    """A "Complaint type: value" or "Infringement type: value" line."""

    kind: str
    start: int  # of the label
    end: int  # of the value
    label: str  # lower case
    value: str  # as written


def _stated_types(notice: _Notice, tongues: Sequence[Tongue]) -> list[_Stated]:
    stated: dict[int, _Stated] = {}
    for tongue in tongues:
        for kind, label, pattern in tongue.stated:
            for match in islice(pattern.finditer(notice.low), _STATED_TRIED):
                value = _squash(notice.raw[match.start(1) : match.end(1)])
                if value:
                    stated.setdefault(
                        match.start(), _Stated(kind, match.start(), match.end(1), label, value)
                    )
    return sorted(stated.values(), key=lambda s: s.start)


_PAGE_ID = r"([a-z0-9]{3,24})(?![a-z0-9])"
_POLICY_PAGES = _compile_all(
    (
        rf"/gp/help/(?:external/)?{_PAGE_ID}",
        rf"/help/hub/reference/(?:external/)?{_PAGE_ID}",
        rf"itemid=(?<=[?&]itemid=){_PAGE_ID}",
    )
)


def _policy_pages(low: str) -> tuple[str, ...]:
    """Help-page ids of Seller Central links (a page id has a digit: "help.html" is none)."""
    ids = _unique(m.group(1) for m in _matches(_POLICY_PAGES, low))
    return tuple(page.upper() for page in ids if any(c.isdigit() for c in page))


def _marketplaces(low: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Stores named in prose, else those of Seller Central links; first named first."""
    named = _unique(m.group() for m in lexicon.prose.finditer(low)) if lexicon.prose else ()
    if named or lexicon.links is None:
        return named
    return _unique(lexicon.hosts[m.group()] for m in lexicon.links.finditer(low))


# --- rights owner -------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")
_FIELD_LABEL = re.compile(r"([A-Za-z][A-Za-z' -]{0,30}):[ \t]*")
_AMAZON_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)*amazon\.")
_OWNER_ANCHORS_TRIED = 20  # a notice has one or two; the cap keeps junk input fast
_OWNER_LINES = 4  # non-empty lines read after an anchor
_OWNER_WINDOW = 600  # characters read after an anchor


def _rights_owner(notice: _Notice, tongues: Sequence[Tongue]) -> RightsOwner | None:
    """The first "rights owner's contact details:" (or similar) followed by a name or e-mail."""
    for anchor in _matches(
        (a for t in tongues for a in t.owner_anchors), notice.low, _OWNER_ANCHORS_TRIED
    ):
        owner = _owner_after(notice.raw[anchor.end() : anchor.end() + _OWNER_WINDOW])
        if owner:
            return owner
    return None


def _owner_after(window: str) -> RightsOwner | None:
    """Read a name and an e-mail address from the first few lines of `window`."""
    name: str | None = None
    lines = [line.strip(" \t-*\u2022") for line in window.split("\n")]
    for line in _leading_lines(lines):
        label, value = _split_label(line)
        email = _EMAIL.search(value)
        if email and not _is_amazon(email.group()):
            before = value[: email.start()].strip(" \t,;:<>()[]-")
            return RightsOwner(
                name or (before if _looks_like_name(before) else None), email.group()
            )
        if not email and name is None and "mail" not in label and _looks_like_name(value):
            name = value
    return RightsOwner(name, None) if name else None


def _leading_lines(lines: list[str]) -> Iterator[str]:
    """The first non-empty lines, up to the first blank line after some text."""
    seen = 0
    for line in lines:
        if not line:
            if seen:
                return
            continue
        seen += 1
        if seen > _OWNER_LINES:
            return
        yield line


def _split_label(line: str) -> tuple[str, str]:
    """("email", "x@y.example") for "Email: x@y.example"; ("", line) when there is no label."""
    match = _FIELD_LABEL.match(line)
    if not match or "@" in match.group(1):
        return "", line
    return match.group(1).lower(), line[match.end() :]


def _is_amazon(email: str) -> bool:
    return bool(_AMAZON_DOMAIN.match(email.rpartition("@")[2].lower()))


def _looks_like_name(text: str) -> bool:
    """Short, one line, not an address, not a sentence (a final "Inc." or "Ltd." is fine)."""
    words = text.split()
    if not words or len(text) > 80 or len(words) > 6 or "@" in text or "://" in text:
        return False
    if not any(c.isalpha() for c in text) or text.endswith(("?", "!", ":", ",", ";")):
        return False
    last = words[-1]
    return not last.endswith(".") or (last[0].isupper() and len(last) <= 6)


# --- evidence windows, deadlines, action, route --------------------------------------------

_WINDOWS_TRIED = 100
_Window = tuple[int, int, int]  # start, end, days


def _evidence_windows(low: str, tongues: Sequence[Tongue]) -> list[_Window]:
    """Every window phrase next to a supply document, first named first (one per day count)."""
    supply = _labels(tongues, "supply")
    documents = [t.documents for t in tongues if t.documents is not None]
    found: dict[int, _Window] = {}
    for tongue in tongues:
        for pattern in tongue.windows:
            for match in islice(pattern.finditer(low), _WINDOWS_TRIED):
                days = tongue.number(match.group("n"))
                if days and _is_supply_window(low, match, documents, supply):
                    window = (match.start(), match.end(), days)
                    if days not in found or window < found[days]:
                        found[days] = window
    return sorted(found.values())


def _is_supply_window(
    low: str, match: re.Match[str], documents: Sequence[re.Pattern[str]], supply: Sequence[str]
) -> bool:
    """The nearest document named in the window's sentence, before it, else after it, is a
    supply document."""
    before, after = _sentence_around(low, match.start(), match.end())
    named = _matches(documents, before)
    if named:
        nearest = max(named, key=lambda m: (m.start(), m.end() - m.start()))
    else:
        following = _matches(documents, after)
        if not following:
            return False
        nearest = min(following, key=lambda m: (m.start(), m.start() - m.end()))
    return _squash(nearest.group()) in supply


def _deadlines(
    notice: _Notice, tongues: Sequence[Tongue], windows: Sequence[_Window]
) -> list[Deadline]:
    """The seller's deadlines the notice states, in order of position."""
    low = notice.low[:READ_REACH]
    found: list[tuple[int, Deadline]] = []
    for tongue in tongues:
        for pattern in tongue.by:
            for match in islice(pattern.finditer(low), _WINDOWS_TRIED):
                date = _date(match, tongue)
                if date is not None:
                    found.append((match.start(), Deadline(_written(notice, match), date, None)))
        for pattern in tongue.within:
            for match in islice(pattern.finditer(low), _WINDOWS_TRIED):
                if _inside_any(match, windows) or _amazons_time(low, match, tongues):
                    continue
                duration = _duration(match, tongue)
                if duration is not None:
                    found.append((match.start(), replace(duration, text=_written(notice, match))))
    return [deadline for _, deadline in sorted(found, key=lambda item: item[0])]


def _written(notice: _Notice, match: re.Match[str]) -> str:
    return _squash(notice.raw[match.start() : match.end()])


def _inside_any(match: re.Match[str], windows: Sequence[_Window]) -> bool:
    return any(start < match.end() and match.start() < end for start, end, _ in windows)


def _amazons_time(low: str, match: re.Match[str], tongues: Sequence[Tongue]) -> bool:
    """True in a sentence about Amazon's own time ("we will reply within 2 business days")."""
    start, end = _sentence_span(low, match.start(), match.end())
    sentence = low[start:end]
    return any(p.search(sentence) for tongue in tongues for _, p in tongue.ignore)


def _date(match: re.Match[str], tongue: Tongue) -> dt.date | None:
    groups = match.groupdict()
    month = tongue.months.get(_squash(groups["month"])) if groups.get("month") else None
    try:
        return dt.date(int(groups["y"]), month or int(groups.get("m") or 0), int(groups["d"]))
    except (TypeError, ValueError):
        return None


def _duration(match: re.Match[str], tongue: Tongue) -> Deadline | None:
    count = tongue.number(match.group("n"))
    kind = tongue.units.get(_squash(match.group("unit")))
    if not count or kind is None:
        return None
    days = {
        "day": count,
        "business_day": count,
        "week": count * 7,
        "hour": math.ceil(count / 24),
    }.get(kind)
    return Deadline("", None, days, business_days=kind == "business_day")


def _deadline(deadlines: Sequence[Deadline]) -> Deadline | None:
    """The first date stated, else the first duration."""
    dated = [d for d in deadlines if d.date is not None]
    return next(iter(dated or deadlines), None)


#: Actions by strength: a deactivation notice may also remove listings and warn of worse.
_ACTION_ORDER = (
    Action.ACCOUNT_DEACTIVATED,
    Action.ACCOUNT_SUSPENDED,
    Action.CATEGORY_RESTRICTED,
    Action.LISTINGS_RESTRICTED,
    Action.LISTINGS_REMOVED,
    Action.FUNDS_HELD,
    Action.WARNING,
)


def _action(low: str, tongues: Sequence[Tongue]) -> str | None:
    """The strongest action the notice states."""
    for action in _ACTION_ORDER:
        for tongue in tongues:
            if any(p.search(low) for _, p in tongue.actions.get(action.value, ())):
                return action.value
    return None


_NO_PLAN = "no-plan"
_AFTER_NO_PLAN = (Route.QUESTIONNAIRE, Route.ACKNOWLEDGEMENT, Route.DOCUMENTS, Route.NONE)
_ROUTE_ORDER = (
    Route.PLAN_OF_ACTION,
    Route.QUESTIONNAIRE,
    Route.ACKNOWLEDGEMENT,
    Route.NONE,
    Route.DOCUMENTS,
    Route.RETRACTION,
)


def _route(low: str, tongues: Sequence[Tongue]) -> tuple[str | None, tuple[str, ...]]:
    """What the notice asks for, and the phrases that say so."""
    named: dict[str, str] = {}
    for key in (_NO_PLAN, *(route.value for route in _ROUTE_ORDER)):
        for tongue in tongues:
            phrase = next(
                (p for p, pattern in tongue.routes.get(key, ()) if pattern.search(low)), None
            )
            if phrase is not None:
                named.setdefault(key, phrase)
    if _NO_PLAN in named:
        chosen = next((r.value for r in _AFTER_NO_PLAN if r.value in named), Route.NONE.value)
        return chosen, _unique(p for p in (named[_NO_PLAN], named.get(chosen)) if p)
    chosen_route = next((r.value for r in _ROUTE_ORDER if r.value in named), None)
    return chosen_route, (named[chosen_route],) if chosen_route else ()


# --- layout: blocks and parts ----------------------------------------------------------------

_LABEL_LINE = (
    r"^[ \t]*+(?:[-*\u2022][ \t]*+)?([^\W\d_][\w '()/#.-]{0,40}?)[ \t]*:(?!//)"
    r"[ \t]*\S[^\n]*+"
)
_LABEL_RUN = re.compile(rf"(?:{_LABEL_LINE}(?:\n|\Z))++", re.MULTILINE)
_LABEL_LINES = re.compile(_LABEL_LINE, re.MULTILINE)
_BLANK = re.compile(r"\n[ \t]*(?=\n)")
_MARKER = re.compile(
    r"^([ \t]*)(?:\d{1,2}[.)]|\(\d{1,2}\)|[\u2022\u00b7\u25aa\u25e6\u2023*]|-{1,2}|[\u2013\u2014])"
    r"[ \t]+(?=\S)",
    re.MULTILINE,
)
_HEADING = re.compile(r"^[^\n]{0,100}?[?\uff1f][ \t]*$", re.MULTILINE)
_PARTS_TRIED = 100_000
_Span = tuple[int, int]


class _Layout:
    """Where things are in a notice: the issue blocks that hold an id, the paragraphs, and
    the list items (a numbered or bulleted line, with what follows it up to the next item at
    the same or a shallower indent, or the next heading)."""

    def __init__(self, notice: _Notice, ids: list[_Id], tongues: Sequence[Tongue]) -> None:
        self.size = len(notice.raw)
        self.text = notice.raw
        self._positions = [position for position, _, _ in ids]
        spans: list[_Span] = []
        for run in _LABEL_RUN.finditer(notice.raw):
            start, end = run.span()
            if not self._holds_id(start, end):
                continue
            if notice.raw.find("\n", start, end - 1) < 0:  # one line: nothing to split
                spans.append((start, end))
            else:
                spans += [s for s in _split_run(notice.raw, start, end) if self._holds_id(*s)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]
        self.breaks = [m.end() for m in islice(_BLANK.finditer(notice.raw), _PARTS_TRIED)]
        self.items = _items(notice.low, tongues)
        self._item_starts = [start for start, _ in self.items]

    def __len__(self) -> int:
        return len(self.starts)

    def block_at(self, position: int) -> int | None:
        """Index of the block holding `position`, if any."""
        index = bisect_right(self.starts, position) - 1
        if index >= 0 and position < self.ends[index]:
            return index
        return None

    def block(self, index: int) -> _Span:
        return self.starts[index], self.ends[index]

    def paragraph(self, position: int) -> _Span:
        index = bisect_right(self.breaks, position)
        start = self.breaks[index - 1] if index else 0
        end = self.breaks[index] if index < len(self.breaks) else self.size
        return start, end

    def parts(self, position: int) -> list[_Span]:
        """The parts holding `position`, innermost (shortest) first: its paragraph, its items."""
        holding = [
            (start, end)
            for start, end in self.items[max(0, bisect_right(self._item_starts, position) - 50) :]
            if start <= position < end
        ]
        spans = sorted({self.paragraph(position), *holding}, key=lambda s: (s[1] - s[0], s))
        return spans

    def _holds_id(self, start: int, end: int) -> bool:
        at = bisect_left(self._positions, start)
        return at < len(self._positions) and self._positions[at] < end


def _split_run(raw: str, start: int, end: int) -> list[_Span]:
    """Split a run of label lines wherever the label that opened it comes again."""
    lines = [(m.start(), m.group(1).lower()) for m in _LABEL_LINES.finditer(raw, start, end)]
    opener = lines[0][1] if lines else None
    starts = [line_start for line_start, label in lines if label == opener] or [start]
    return list(zip(starts, [*starts[1:], end], strict=True))


def _items(low: str, tongues: Sequence[Tongue]) -> list[_Span]:
    """List items: from a line that opens one to the next at the same or a shallower indent,
    or to the next heading."""
    patterns = [_MARKER, *(t.item_openers for t in tongues if t.item_openers is not None)]
    openers = [
        (m.start(), len(m.group(1)))
        for pattern in patterns
        for m in islice(pattern.finditer(low), _PARTS_TRIED)
    ]
    headings = [m.start() for m in islice(_HEADING.finditer(low), _PARTS_TRIED)]
    events = sorted([(at, 0, indent) for at, indent in openers] + [(at, 1, 0) for at in headings])
    items: list[_Span] = []
    open_items: list[tuple[int, int]] = []  # start, indent
    for at, is_heading, indent in events:
        while open_items and (is_heading or open_items[-1][1] >= indent):
            items.append((open_items.pop()[0], at))
        if not is_heading:
            open_items.append((at, indent))
    items += [(start, len(low)) for start, _ in open_items]
    return sorted(items)


# --- metrics ------------------------------------------------------------------------------

# Not after a letter or digit of a spaced script; "注文不良率は2.1%" has none between.
_PERCENT = re.compile(r"(?<![0-9A-Za-z_.,])([0-9]{1,3}(?:[.,][0-9]{1,3})?)[ \t]?%")
_PERCENTS_TRIED = 500
_MENTIONS_TRIED = 50
_METRIC_REACH = 300  # characters after a name in which its value must appear


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    reason: str
    name: str  # as written


@dataclass(frozen=True)
class _Percent:
    start: int
    end: int
    value: float
    decimals: int
    target: str | None  # "under", "at least", "stated" when it is a target


@dataclass(frozen=True)
class _Quoted:
    """A metric value and the mention it was read after."""

    metric: Metric
    mention: _Mention
    at: int  # where the value is


def _metrics(
    notice: _Notice, tongues: Sequence[Tongue], lexicon: Lexicon, layout: _Layout
) -> list[_Quoted]:
    low = notice.low[:READ_REACH]
    mentions = _mentions(notice, lexicon)
    if not mentions:
        return []
    percents = [_percent(low, m, tongues) for m in islice(_PERCENT.finditer(low), _PERCENTS_TRIED)]
    targets: dict[str, _Percent] = {}  # the first target stated for each metric
    for percent in percents:
        mention = _nearest(mentions, percent, layout, True) if percent.target else None
        if mention is not None:
            targets.setdefault(mention.reason, percent)
    quoted: list[_Quoted] = []
    for percent in percents:
        if percent.target:
            continue
        mention = _nearest(mentions, percent, layout, False)
        if mention is None:
            continue
        info = lexicon.metrics[mention.reason]
        named = replace(mention, name=_full_name(mentions, mention))
        metric = _metric(low, tongues, info, named, percent, targets.get(mention.reason))
        if all(q.metric != metric for q in quoted):
            quoted.append(_Quoted(metric, mention, percent.start))
    return quoted


def _mentions(notice: _Notice, lexicon: Lexicon) -> list[_Mention]:
    """Every metric name in the notice, the longest where names overlap."""
    low = notice.low[:READ_REACH]
    found = [
        _Mention(m.start(), m.end(), signal.reason, _squash(notice.raw[m.start() : m.end()]))
        for signal in lexicon.metric_signals
        for m in islice(signal.pattern.finditer(low), _MENTIONS_TRIED)
    ]
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[_Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _full_name(mentions: Sequence[_Mention], mention: _Mention) -> str:
    """The metric's name as the notice writes it, spelt out where it also uses an
    abbreviation ("ODR" in a notice that says "order defect rate (ODR)")."""
    if not _ABBREVIATION.fullmatch(mention.name):
        return mention.name
    spelt = (m.name for m in mentions if m.reason == mention.reason)
    return next((name for name in spelt if not _ABBREVIATION.fullmatch(name)), mention.name)


_ABBREVIATION = re.compile(r"[A-Z]{2,5}")


def _percent(low: str, match: re.Match[str], tongues: Sequence[Tongue]) -> _Percent:
    number = match.group(1)
    decimals = len(re.split(r"[.,]", number)[1]) if re.search(r"[.,]", number) else 0
    value = float(number.replace(",", "."))
    before = _squash(low[max(0, match.start() - 30) : match.start()])
    after = _squash(low[match.end() : match.end() + 12])
    target = None
    for kind, words, side in (
        ("under", "under_before", "before"),
        ("at least", "at_least_before", "before"),
        ("stated", "stated_before", "before"),
        ("under", "under_after", "after"),
        ("at least", "at_least_after", "after"),
    ):
        for word in _labels(tongues, words):
            if (side == "before" and _ends_with_word(before, word)) or (
                side == "after" and after.startswith(word)
            ):
                target = kind
                break
        if target:
            break
    return _Percent(match.start(), match.end(), value, decimals, target)


def _ends_with_word(text: str, word: str) -> bool:
    """`text` ends with `word` (and a colon or "is", "of", "the" after it, at most)."""
    text = re.sub(r"(?:[ :]|\bis\b|\bof\b|\bthe\b)*$", "", text)
    if not text.endswith(word):
        return False
    before = text[: len(text) - len(word)]
    return not before or not before[-1].isalnum() or not word[0].isalnum()


def _nearest(
    mentions: Sequence[_Mention], percent: _Percent, layout: _Layout, either_side: bool
) -> _Mention | None:
    """The mention a percentage belongs to: the last one before it in its paragraph, within
    reach. A target may also follow its metric's name: it takes the mention on its own line
    (before it, else after it), else the nearest in its paragraph."""
    start, end = layout.paragraph(percent.start)
    before = [m for m in mentions if start <= m.start and m.end <= percent.start]
    before = [m for m in before if percent.start - m.end <= _METRIC_REACH]
    if not either_side:
        return before[-1] if before else None
    after = [m for m in mentions if percent.end <= m.start < end]
    candidates = ([before[-1]] if before else []) + ([after[0]] if after else [])
    on_line = [
        m
        for m in candidates
        if "\n" not in layout.text[min(m.end, percent.start) : max(m.start, percent.end)]
    ]
    return min(on_line or candidates, key=lambda m: abs(m.start - percent.start), default=None)


def _metric(
    low: str,
    tongues: Sequence[Tongue],
    info: MetricInfo,
    mention: _Mention,
    percent: _Percent,
    target: _Percent | None,
) -> Metric:
    higher = (
        info.higher_is_better
        if target is None or target.target == "stated"
        else target.target == "at least"
    )
    target_value = target.value if target is not None else info.target_value
    target_text = (
        f"{'at least' if higher else 'under'} {target.value:g}%"
        if target is not None
        else info.target
    )
    sentence, previous = _sentences(low, percent.start, percent.end)
    window = _window_days(sentence, tongues) or _window_days(previous, tongues)
    counts = _counts(sentence, percent, tongues, higher) or _counts(
        previous, percent, tongues, higher
    )
    within = None
    if target_value is not None:
        within = percent.value >= target_value if higher else percent.value < target_value
    defective, total = counts or (None, None)
    return Metric(
        mention.reason, mention.name, percent.value, target_text, window, defective, total, within
    )


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _sentences(low: str, start: int, end: int) -> tuple[str, str]:
    """The sentence holding `low[start:end]`, and the one before it in the same paragraph."""
    first, last = _sentence_span(low, start, end)
    before = low[max(0, first - _SENTENCE_REACH) : first]
    previous = before.rstrip()
    if _BLANK_LINE.search(before, len(previous)):
        return low[first:last], ""  # the sentence opens a paragraph
    ends = list(_SENTENCE_END.finditer(previous))
    return low[first:last], previous[ends[-1].end() :] if ends else previous


def _window_days(text: str, tongues: Sequence[Tongue]) -> int | None:
    """The days of the first window in `text`: "the last 30 days", "14-day period"."""
    found = _matches((t.day_window for t in tongues if t.day_window is not None), text, 1)
    return int(found[0].group(1)) if found else None


def _counts(
    text: str, percent: _Percent, tongues: Sequence[Tongue], higher: bool
) -> tuple[int, int] | None:
    """(defective, total) from "41 of 661" in `text`, if they agree with the rate.

    Candidates may overlap ("60 days, 27 commandes sur 1 412": 60 is tried, then 27), so the
    search restarts after each one's first number, a bounded number of times.
    """
    for tongue in tongues:
        for pattern, whole in tongue.counts:
            at = 0
            for _ in range(_COUNTS_TRIED):
                match = pattern.search(text, at)
                if match is None:
                    break
                part = _integer(match.group("x"))
                if whole:
                    total = _integer(match.group("y"))
                else:
                    total = _number_before(text, match.start(), part)
                found = _agreeing(part, total, percent, higher)
                if found:
                    return found
                at = match.start("x") + 1
    return None


_COUNTS_TRIED = 20


def _integer(text: str | None) -> int | None:
    digits = re.sub(r"[^\d]", "", text or "")
    return int(digits) if digits else None


def _number_before(text: str, at: int, part: int | None) -> int | None:
    """The whole of "412 of them": the last number before it, at least as large."""
    numbers = [_integer(m.group()) for m in re.finditer(r"\d{1,3}(?:,\d{3})+|\d+", text[:at])]
    return next((n for n in reversed(numbers) if n and part is not None and n >= part), None)


def _agreeing(
    part: int | None, total: int | None, percent: _Percent, higher: bool
) -> tuple[int, int] | None:
    if not part or not total or part > total:
        return None
    tolerance = 0.5 * 10 ** (-percent.decimals) + 1e-9
    share = 100 * part / total
    if abs(share - percent.value) <= tolerance:
        return (total - part, total) if higher else (part, total)
    if abs(100 - share - percent.value) <= tolerance:
        return (part, total) if higher else (total - part, total)
    return None


# --- reasons ------------------------------------------------------------------------------

_HITS_PER_PHRASE = 200
_CITED = re.compile(r"[ \t\"')\]]{0,3}[(:]?[ \t]*(?:https?://|www\.|sellercentral)")


@dataclass(frozen=True)
class _Hit:
    """Evidence for a reason at a place in the notice."""

    start: int
    end: int
    reason: str
    key: str  # what `ReasonScore.matched` reports
    weight: int
    cited: bool = False
    metric: bool = False  # names the reason's metric


def _hits(
    low: str,
    tongues: Sequence[Tongue],
    lexicon: Lexicon,
    quoted: Sequence[_Quoted],
    stated: Sequence[_Stated],
) -> list[_Hit]:
    """All the evidence for every reason, in order of position."""
    healthy = [
        (q.mention.start, q.mention.end)
        for q in quoted
        if q.metric.within_target and _all_within(quoted, q.mention)
    ]
    signals: list[Signal] = [
        *lexicon.base,
        *(s for t in tongues for s in t.signals),
        *lexicon.metric_signals,
    ]
    metric_phrases = set(lexicon.metric_names)
    hits = [
        _Hit(
            m.start(),
            m.end(),
            signal.reason,
            signal.phrase,
            max(signal.weight, 2) if signal.phrase in metric_phrases else signal.weight,
            bool(_CITED.match(low, m.end())),
            signal.metric
            or (
                signal.phrase in metric_phrases
                and lexicon.metric_names[signal.phrase] == signal.reason
            ),
        )
        for signal in signals
        for m in islice(signal.pattern.finditer(low), _HITS_PER_PHRASE)
    ]
    hits = [h for h in hits if not any(s < h.end and h.start < e for s, e in healthy)]
    hits += _type_hits(stated, tongues)
    hits += [
        _Hit(
            q.mention.start,
            q.at,
            q.metric.reason,
            _off_target_key(q.metric),
            WEIGHT_OFF_TARGET,
            metric=True,
        )
        for q in quoted
        if q.metric.within_target is False
    ]
    return _cite(sorted(hits, key=lambda h: (h.start, h.end)))


def _all_within(quoted: Sequence[_Quoted], mention: _Mention) -> bool:
    return all(q.metric.within_target for q in quoted if q.mention == mention)


def _off_target_key(metric: Metric) -> str:
    target = f", target {metric.target}" if metric.target else ""
    return f"{metric.name.lower()} {metric.rate:g}%{target}"


def _type_hits(stated: Sequence[_Stated], tongues: Sequence[Tongue]) -> list[_Hit]:
    hits = []
    for line in stated:
        value = fold(line.value).lower()
        reasons = _unique(reason for t in tongues for reason, _, p in t.types if p.search(value))
        hits += [
            _Hit(line.start, line.end, reason, f"{line.label}: {_squash(value)}", WEIGHT_TYPE)
            for reason in reasons
        ]
    return hits


def _cite(hits: list[_Hit]) -> list[_Hit]:
    """A hit inside a cited hit of the same reason is a citation too ("code of conduct" in
    "Seller Code of Conduct (https://...)")."""
    cited = [(h.start, h.end, h.reason) for h in hits if h.cited]
    if not cited:
        return hits
    return [
        replace(h, cited=True)
        if not h.cited and any(r == h.reason and s <= h.start and h.end <= e for s, e, r in cited)
        else h
        for h in hits
    ]


def _score(hits: Iterable[_Hit], eligible: set[str] | None = None) -> tuple[ReasonScore, ...]:
    """Each reason's points from `hits`: distinct keys, a citation-only key at most once."""
    per: dict[str, dict[str, tuple[int, bool]]] = {}
    for hit in hits:
        if eligible is not None and hit.reason not in eligible:
            continue
        keys = per.setdefault(hit.reason, {})
        weight, cited = keys.get(hit.key, (0, True))
        keys[hit.key] = (max(weight, hit.weight), cited and hit.cited)
    scores = []
    for reason, keys in per.items():
        points = sum(w for w, c in keys.values() if not c) + (
            1 if any(c for _, c in keys.values()) else 0
        )
        matched = tuple(f"{key} (cited)" if cited else key for key, (_, cited) in keys.items())
        scores.append(ReasonScore(reason, points, matched))
    return _ranked(scores)


def _eligible(hits: Sequence[_Hit], lexicon: Lexicon) -> set[str]:
    """Reasons that may score: a reason with a metric only when its metric is named."""
    named = {h.reason for h in hits if h.metric and not h.cited}
    return {h.reason for h in hits if h.reason not in lexicon.metrics or h.reason in named}


def _rank(hits: Sequence[_Hit], lexicon: Lexicon) -> tuple[ReasonScore, ...]:
    return _score(hits, _eligible(hits, lexicon))


def _ranked(scores: Iterable[ReasonScore]) -> tuple[ReasonScore, ...]:
    """Best first, ties by reason id; only reasons that scored."""
    return tuple(sorted((s for s in scores if s.score), key=lambda s: (-s.score, s.reason)))


# --- issues -------------------------------------------------------------------------------


@dataclass
class _Group:
    """The ids of one issue as they are collected, and where the issue was first seen."""

    anchor: int
    ids: dict[str, dict[str, None]] = field(
        default_factory=lambda: {_KIND_ASIN: {}, _KIND_ORDER: {}, _KIND_COMPLAINT: {}}
    )
    blocks: dict[int, None] = field(default_factory=dict)

    def add(self, position: int, kind: str, value: str, block: int | None) -> None:
        self.anchor = min(self.anchor, position)
        self.ids[kind][value] = None
        if block is not None:
            self.blocks[block] = None


class _Issues:
    """Which reasons are issues, and which ids belong to each (see the module's rules)."""

    def __init__(
        self,
        notice: _Notice,
        ids: list[_Id],
        layout: _Layout,
        evidence: tuple[list[_Hit], list[_Stated]],
        ranked: tuple[ReasonScore, ...],
        foreign: bool,
    ) -> None:
        self.notice, self.ids, self.layout, self.ranked = notice, ids, layout, ranked
        self.hits, self.stated = evidence
        self.foreign = foreign
        self.eligible = {s.reason for s in ranked}
        self.hit_starts = [h.start for h in self.hits]
        self.top = ranked[0].reason if ranked and not foreign else None
        self._best: dict[_Span, ReasonScore | None] = {}

    def best(self, span: _Span) -> ReasonScore | None:
        """The best reason of the evidence that starts inside `span`."""
        if span not in self._best:
            low, high = bisect_left(self.hit_starts, span[0]), bisect_left(self.hit_starts, span[1])
            scores = _score(self.hits[low:high], self.eligible)
            self._best[span] = scores[0] if scores else None
        return self._best[span]

    def read(self) -> tuple[IssueReading, ...]:
        deciding = _deciding(self.ids, self.layout)
        if self.foreign:
            return self._unread(deciding)
        groups: dict[str | None, _Group] = {}
        if self.top is not None:
            first = next((h.start for h in self.hits if h.reason == self.top), 0)
            groups[self.top] = _Group(first)
        for span, score in self._raising_parts(deciding):
            groups.setdefault(score.reason, _Group(span[0]))
        placed: dict[tuple[str, str], str | None] = {}
        for position, kind, value, block in deciding:
            reason = self._reason_of(position, block, groups, placed) if groups else None
            placed[(kind, value)] = reason
            groups.setdefault(reason, _Group(position)).add(position, kind, value, block)
        ordered = sorted(groups.items(), key=lambda item: item[1].anchor)
        issues = {reason for reason in groups if reason is not None}
        return tuple(self._issue(reason, group, issues) for reason, group in ordered)

    def _raising_parts(
        self, deciding: list[tuple[int, str, str, int | None]]
    ) -> Iterator[tuple[_Span, ReasonScore]]:
        """The parts of the notice whose own best reason is strong enough to be an issue."""
        with_ids = {span for position, *_ in deciding for span in self.layout.parts(position)}
        spans = {span for hit in self.hits for span in self.layout.parts(hit.start)}
        for span in sorted(spans):
            score = self.best(span)
            if score is None:
                continue
            needed = PART_ISSUE_WITH_ID if span in with_ids else PART_ISSUE
            if score.score >= needed:
                yield span, score

    def _reason_of(
        self,
        position: int,
        block: int | None,
        groups: dict[str | None, _Group],
        placed: dict[tuple[str, str], str | None],
    ) -> str | None:
        if block is not None:
            score = self.best(self.layout.block(block))
            if score is not None:
                return score.reason
        for span in self.layout.parts(position):
            score = self.best(span)
            if score is not None and score.reason in groups:
                return score.reason
        beside = self._beside(position, placed)
        return beside if beside is not None else self.top

    def _beside(self, position: int, placed: dict[tuple[str, str], str | None]) -> str | None:
        """The issue of an id already placed on the same line or in the same sentence."""
        low = self.notice.low
        start, end = _sentence_span(low, position, position + 1)
        line_start = low.rfind("\n", max(0, position - _SENTENCE_REACH), position) + 1
        line_end = low.find("\n", position, position + _SENTENCE_REACH)
        line_end = position + _SENTENCE_REACH if line_end < 0 else line_end
        first = bisect_left(self.ids, (min(start, line_start), "", ""))
        for other, kind, value in self.ids[first:]:
            if other >= max(end, line_end):
                break
            reason = placed.get((kind, value))
            if other != position and reason is not None:
                return reason
        return None

    def _issue(self, reason: str | None, group: _Group, issues: set[str]) -> IssueReading:
        asins, orders, complaints = (
            tuple(group.ids[k]) for k in (_KIND_ASIN, _KIND_ORDER, _KIND_COMPLAINT)
        )
        stated = _first_stated(self.stated, self.layout, group.blocks)
        score = next((s for s in self.ranked if s.reason == reason), None)
        return IssueReading(
            reason,
            _label(reason, stated),
            asins,
            orders,
            complaints,
            score.score if score else 0,
            self._doubt(score, issues),
        )

    def _doubt(self, score: ReasonScore | None, issues: set[str]) -> str | None:
        """Why the issue's reason may be wrong, or None when it is read with confidence."""
        if score is None:
            return "no reason recognised: no phrase of any catalogue reason was found"
        rivals = [s for s in self.ranked if s.reason not in issues and s.score >= score.score - 1]
        if score.score >= CONFIDENT and not rivals:
            return None
        why = ", ".join(f"'{m}'" for m in score.matched[:4])
        text = f"low confidence: read from {why} ({_count(score.score, 'point')})"
        if rivals:
            text += "; also possible: " + ", ".join(
                f"{s.reason} ({_count(s.score, 'point')})" for s in rivals[:3]
            )
        return text

    def _unread(self, deciding: list[tuple[int, str, str, int | None]]) -> tuple[IssueReading, ...]:
        """One issue without a reason holding every id: the language is not one poakit reads."""
        if not deciding and not self.ranked:
            return ()
        group = _Group(0)
        for position, kind, value, block in deciding:
            group.add(position, kind, value, block)
        doubt = "the notice is not in a language poakit reads, so its reason was not guessed"
        possible = ", ".join(f"{s.reason} ({_count(s.score, 'point')})" for s in self.ranked[:3])
        if possible:
            doubt += f"; possible: {possible}"
        return (replace(self._issue(None, group, set()), doubt=doubt),)


def _deciding(ids: list[_Id], layout: _Layout) -> list[tuple[int, str, str, int | None]]:
    """One occurrence per id, the one that decides its issue, with the block holding it.

    That is the id's first occurrence inside a block, or its first occurrence at all when it
    appears in no block. In order of position.
    """
    chosen: dict[tuple[str, str], tuple[int, str, str, int | None]] = {}
    for position, kind, value in ids:
        earlier = chosen.get((kind, value))
        if earlier is not None and earlier[3] is not None:
            continue
        index = layout.block_at(position)
        if earlier is None or index is not None:
            chosen[(kind, value)] = (position, kind, value, index)
    return sorted(chosen.values(), key=lambda found: found[0])


_STATED_BLOCKS_TRIED = 10


def _first_stated(stated: Sequence[_Stated], layout: _Layout, blocks: Iterable[int]) -> str | None:
    """The type the issue's first blocks state (a few are enough: they share a reason)."""
    starts = [line.start for line in stated]
    for index in islice(blocks, _STATED_BLOCKS_TRIED):
        start, end = layout.block(index)
        at = bisect_left(starts, start)
        if at < len(stated) and stated[at].start < end:
            return stated[at].value
    return None


def _label(reason: str | None, stated: str | None) -> str:
    if stated:
        return stated
    if reason:
        return reason.replace("-", " ").capitalize()
    return "Unrecognised issue"


# --- what could not be told ---------------------------------------------------------------


def _unknown(
    reading: NoticeReading,
    notice: _Notice,
    tongues: Sequence[Tongue],
    lexicon: Lexicon,
    foreign: bool,
    marketplaces: tuple[str, ...],
    windows: Sequence[_Window],
) -> tuple[str, ...]:
    notes: list[str] = []
    if foreign:
        known = ", ".join(sorted(lexicon.tongues))
        notes.append(f"the notice is in no language poakit reads ({known})")
    if not reading.reasons:
        notes.append("no reason recognised")
    if not reading.asins:
        notes.append("no ASIN found")
    if reading.action is None:
        notes.append("no action recognised (account deactivated, listings removed or warning)")
    if reading.route is None:
        notes.append("no route recognised (what the notice asks you to send)")
    if not marketplaces:
        notes.append("no marketplace named")
    elif len(marketplaces) > 1:
        notes.append(f"several marketplaces named ({', '.join(marketplaces)}); took the first")
    if not windows:
        notes.append("no evidence window named")
    elif len(windows) > 1:
        days = ", ".join(str(d) for _, _, d in windows)
        notes.append(f"several evidence windows named ({days} days); took the first")
    owners = (p for t in tongues for p in t.owner_mentions)
    if reading.rights_owner is None and any(p.search(notice.low) for p in owners):
        notes.append("a rights owner is mentioned but no contact details were found")
    if len(notice.low) > READ_REACH:
        notes.append(f"only the first {READ_REACH:,} characters were read for reasons and dates")
    return tuple(notes)


# --- summary ------------------------------------------------------------------------------


_IDS_SHOWN = 6


def format_summary(reading: NoticeReading) -> str:
    """A few lines for a person: what the notice says, and what could not be told."""
    lines = [_headline(reading)]
    if reading.reasons:
        lines.append("Likely reasons: " + ", ".join(_score_text(s) for s in reading.reasons[:5]))
    lines += [f"Issue: {_issue_text(issue)}" for issue in reading.issues]
    lines += _detail_lines(reading)
    if reading.unknown:
        lines.append("Could not tell: " + "; ".join(reading.unknown))
    return "\n".join(lines)


def _headline(reading: NoticeReading) -> str:
    action = (reading.action or "notice").replace("-", " ")
    where = f" on {reading.marketplace}" if reading.marketplace else ""
    counts = ", ".join(
        _count(len(ids), noun)
        for ids, noun in (
            (reading.asins, "ASIN"),
            (reading.orders, "order ID"),
            (reading.complaints, "complaint ID"),
        )
    )
    return f"{action.capitalize()}{where}: {counts}"


def _score_text(score: ReasonScore) -> str:
    return f"{score.reason} ({_count(score.score, 'point')})"


def _issue_text(issue: IssueReading) -> str:
    ids = (*issue.asins, *issue.orders, *issue.complaints)
    shown = ", ".join(ids[:_IDS_SHOWN]) or "no ids"
    more = f" and {len(ids) - _IDS_SHOWN} more" if len(ids) > _IDS_SHOWN else ""
    return f"{issue.label} [{issue.reason or 'no reason'}]: {shown}{more}"


def _detail_lines(reading: NoticeReading) -> list[str]:
    details = {
        "Language": reading.language if reading.language not in (None, ENGLISH) else "",
        "Route": (reading.route or "").replace("-", " "),
        "Deadline": _deadline_text(reading.deadline),
        "Evidence window": (
            f"{reading.evidence_window_days} days" if reading.evidence_window_days else ""
        ),
        "Metrics": "; ".join(_metric_text(m) for m in reading.metrics),
        "Rights owner": _owner_text(reading.rights_owner),
        "Policy pages": ", ".join(reading.policy_pages),
    }
    return [f"{name}: {text}" for name, text in details.items() if text]


def _deadline_text(deadline: Deadline | None) -> str:
    if deadline is None:
        return ""
    if deadline.date is not None:
        return f"{deadline.date.isoformat()} ({deadline.text})"
    return deadline.text


def _metric_text(metric: Metric) -> str:
    parts = [f"{metric.name} {metric.rate:g}%"]
    if metric.defective is not None and metric.total is not None:
        parts.append(f"{metric.defective} of {metric.total}")
    if metric.window_days:
        parts.append(f"{metric.window_days} days")
    if metric.target:
        parts.append(f"target {metric.target}")
    return ", ".join(parts)


def _owner_text(owner: RightsOwner | None) -> str:
    if owner is None:
        return ""
    if owner.name and owner.email:
        return f"{owner.name} <{owner.email}>"
    return owner.name or owner.email or ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
