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

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from ..model.case import Action, Route
from ..model.values import plural
from .figures import (
    Deadline,
    Mention,
    Metric,
    Quoted,
    Window,
    evidence_windows,
    first_deadline,
    read_deadlines,
    read_metrics,
)
from .layout import (
    READ_REACH,
    SENTENCE_REACH,
    Id,
    Layout,
    Notice,
    Span,
    compile_all,
    matches,
    prepare,
    sentence_span,
    squash,
    unique,
    unique_folded,
    word,
)
from .lexicon import (
    COMPLAINT,
    ENGLISH,
    INFRINGEMENT,
    Lexicon,
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
    notice = prepare(text)
    language, foreign = _language(notice.low, lexicon)
    tongues = _tongues(lexicon, language)
    head = notice.low[:READ_REACH]
    ids = _find_ids(notice, tongues)
    layout = Layout(notice, ids, tongues)
    quoted = [] if foreign else read_metrics(notice, tongues, lexicon, layout)
    stated = _stated_types(notice, tongues)
    hits = _hits(head, tongues, lexicon, quoted, stated)
    ranked = _rank(hits, lexicon)
    marketplaces = _marketplaces(notice.low, lexicon)
    windows = evidence_windows(head, tongues)
    deadlines = read_deadlines(notice, tongues, windows)
    route, route_signals = _route(head, tongues)
    reading = NoticeReading(
        language=language,
        marketplace=marketplaces[0] if marketplaces else None,
        action=_action(head, tongues),
        route=route,
        route_signals=route_signals,
        deadline=first_deadline(deadlines),
        deadlines=unique(d.text for d in deadlines),
        evidence_window_days=windows[0][2] if windows else None,
        asins=unique(value for _, kind, value in ids if kind == _KIND_ASIN),
        orders=unique(value for _, kind, value in ids if kind == _KIND_ORDER),
        complaints=unique(value for _, kind, value in ids if kind == _KIND_COMPLAINT),
        infringement_types=unique_folded(s.value for s in stated if s.kind == INFRINGEMENT),
        complaint_types=unique_folded(s.value for s in stated if s.kind == COMPLAINT),
        rights_owner=_rights_owner(notice, tongues),
        policy_pages=_policy_pages(notice.low),
        metrics=tuple(q.metric for q in quoted),
        reasons=ranked,
        issues=_Issues(notice, ids, layout, (hits, stated), ranked, foreign).read(),
        unknown=(),
    )
    unknown = _unknown(reading, notice, tongues, lexicon, foreign, marketplaces, windows)
    return replace(reading, unknown=unknown)


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


_B0_ASIN = re.compile(word("B0") + r"(?=[A-Z]{0,7}[0-9])[0-9A-Z]{8}(?!\w)")
_ISBN_ASINS = re.compile(
    word("asin") + r"s?[ \t]*:[ \t]*([0-9]{9}[0-9x](?:[ \t]*[,;][ \t]*[0-9]{9}[0-9x])*)(?![\w-])"
)
# Anchored on the first dash, the one literal an order ID has: 3 digits, 7 digits, 7 digits.
_ORDER = re.compile(r"-(?<=(?<![\w-])[0-9]{3}-)[0-9]{7}-[0-9]{7}(?![\w-])")
_ORDER_HEAD = 3
_ISBN = re.compile(r"[0-9]{9}[0-9x]")
_DIGITS = re.compile(r"[0-9]+")


def _find_ids(notice: Notice, tongues: Sequence[Tongue]) -> list[Id]:
    """Every ASIN, order ID and complaint ID occurrence, in order of position."""
    found: list[Id] = [(m.start(), _KIND_ASIN, m.group()) for m in _B0_ASIN.finditer(notice.raw)]
    found += _listed(notice.low, _ISBN_ASINS, _ISBN, _KIND_ASIN)
    found += [
        (m.start() - _ORDER_HEAD, _KIND_ORDER, notice.raw[m.start() - _ORDER_HEAD : m.end()])
        for m in _ORDER.finditer(notice.raw)
    ]
    for tongue in tongues:
        for label in tongue.complaint_ids:
            found += _listed(notice.low, label, _DIGITS, _KIND_COMPLAINT)
    return sorted(set(found))


def _listed(low: str, label: re.Pattern[str], item: re.Pattern[str], kind: str) -> list[Id]:
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


def _stated_types(notice: Notice, tongues: Sequence[Tongue]) -> list[_Stated]:
    stated: dict[int, _Stated] = {}
    for tongue in tongues:
        for kind, label, pattern in tongue.stated:
            for match in islice(pattern.finditer(notice.low), _STATED_TRIED):
                value = squash(notice.raw[match.start(1) : match.end(1)])
                if value:
                    stated.setdefault(
                        match.start(), _Stated(kind, match.start(), match.end(1), label, value)
                    )
    return sorted(stated.values(), key=lambda s: s.start)


_PAGE_ID = r"([a-z0-9]{3,24})(?![a-z0-9])"
_POLICY_PAGES = compile_all(
    (
        rf"/gp/help/(?:external/)?{_PAGE_ID}",
        rf"/help/hub/reference/(?:external/)?{_PAGE_ID}",
        rf"itemid=(?<=[?&]itemid=){_PAGE_ID}",
    )
)


def _policy_pages(low: str) -> tuple[str, ...]:
    """Help-page ids of Seller Central links (a page id has a digit: "help.html" is none)."""
    ids = unique(m.group(1) for m in matches(_POLICY_PAGES, low))
    return tuple(page.upper() for page in ids if any(c.isdigit() for c in page))


def _marketplaces(low: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Stores named in prose, else those of Seller Central links; first named first."""
    named = unique(m.group() for m in lexicon.prose.finditer(low)) if lexicon.prose else ()
    if named or lexicon.links is None:
        return named
    return unique(lexicon.hosts[m.group()] for m in lexicon.links.finditer(low))


# --- rights owner -------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")
_FIELD_LABEL = re.compile(r"([A-Za-z][A-Za-z' -]{0,30}):[ \t]*")
_AMAZON_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)*amazon\.")
_OWNER_ANCHORS_TRIED = 20  # a notice has one or two; the cap keeps junk input fast
_OWNER_LINES = 4  # non-empty lines read after an anchor
_OWNER_WINDOW = 600  # characters read after an anchor


def _rights_owner(notice: Notice, tongues: Sequence[Tongue]) -> RightsOwner | None:
    """The first "rights owner's contact details:" (or similar) followed by a name or e-mail."""
    for anchor in matches(
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
        return chosen, unique(p for p in (named[_NO_PLAN], named.get(chosen)) if p)
    chosen_route = next((r.value for r in _ROUTE_ORDER if r.value in named), None)
    return chosen_route, (named[chosen_route],) if chosen_route else ()


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
    quoted: Sequence[Quoted],
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
    healthy.sort()
    hits = [h for h in hits if not _overlaps(healthy, h.start, h.end)]
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


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    """Whether `start`..`end` overlaps one of `spans` (sorted, disjoint: metric mentions)."""
    at = bisect_left(spans, (end, end))
    return at > 0 and spans[at - 1][1] > start


def _all_within(quoted: Sequence[Quoted], mention: Mention) -> bool:
    return all(q.metric.within_target for q in quoted if q.mention == mention)


def _off_target_key(metric: Metric) -> str:
    target = f", target {metric.target}" if metric.target else ""
    return f"{metric.name.lower()} {metric.rate:g}%{target}"


def _type_hits(stated: Sequence[_Stated], tongues: Sequence[Tongue]) -> list[_Hit]:
    hits = []
    for line in stated:
        value = fold(line.value).lower()
        reasons = unique(reason for t in tongues for reason, _, p in t.types if p.search(value))
        hits += [
            _Hit(line.start, line.end, reason, f"{line.label}: {squash(value)}", WEIGHT_TYPE)
            for reason in reasons
        ]
    return hits


def _cite(hits: list[_Hit]) -> list[_Hit]:
    """A hit inside a cited hit of the same reason is a citation too ("code of conduct" in
    "Seller Code of Conduct (https://...)")."""
    cited: dict[str, list[Span]] = {}
    for hit in hits:
        if hit.cited:
            cited.setdefault(hit.reason, []).append((hit.start, hit.end))
    if not cited:
        return hits
    return [
        replace(h, cited=True)
        if not h.cited and _within(cited.get(h.reason, []), h.start, h.end)
        else h
        for h in hits
    ]


_FAR = 1 << 62  # after every position
_CITATIONS_NESTED = 50  # cited spans of one reason that can hold the same phrase


def _within(spans: list[Span], start: int, end: int) -> bool:
    """Whether one of `spans` (sorted by start) holds `start`..`end`; spans that hold a
    phrase start at most a phrase's length before it, so a few are enough to look at."""
    at = bisect_right(spans, (start, _FAR))
    return any(s <= start and end <= e for s, e in spans[max(0, at - _CITATIONS_NESTED) : at])


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
        notice: Notice,
        ids: list[Id],
        layout: Layout,
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
        self._best: dict[Span, ReasonScore | None] = {}

    def best(self, span: Span) -> ReasonScore | None:
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
    ) -> Iterator[tuple[Span, ReasonScore]]:
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
        start, end = sentence_span(low, position, position + 1)
        line_start = low.rfind("\n", max(0, position - SENTENCE_REACH), position) + 1
        line_end = low.find("\n", position, position + SENTENCE_REACH)
        line_end = position + SENTENCE_REACH if line_end < 0 else line_end
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
        text = f"low confidence: read from {why} ({plural(score.score, 'point')})"
        if rivals:
            text += "; also possible: " + ", ".join(
                f"{s.reason} ({plural(s.score, 'point')})" for s in rivals[:3]
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
        possible = ", ".join(f"{s.reason} ({plural(s.score, 'point')})" for s in self.ranked[:3])
        if possible:
            doubt += f"; possible: {possible}"
        return (replace(self._issue(None, group, set()), doubt=doubt),)


def _deciding(ids: list[Id], layout: Layout) -> list[tuple[int, str, str, int | None]]:
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


def _first_stated(stated: Sequence[_Stated], layout: Layout, blocks: Iterable[int]) -> str | None:
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
    notice: Notice,
    tongues: Sequence[Tongue],
    lexicon: Lexicon,
    foreign: bool,
    marketplaces: tuple[str, ...],
    windows: Sequence[Window],
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
        plural(len(ids), noun)
        for ids, noun in (
            (reading.asins, "ASIN"),
            (reading.orders, "order ID"),
            (reading.complaints, "complaint ID"),
        )
    )
    return f"{action.capitalize()}{where}: {counts}"


def _score_text(score: ReasonScore) -> str:
    return f"{score.reason} ({plural(score.score, 'point')})"


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
