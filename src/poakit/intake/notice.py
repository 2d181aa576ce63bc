"""Read an Amazon notice: the ids, reasons, windows and contacts a Plan of Action must answer.

`read_notice` turns the text of a notice (an e-mail or a Seller Central message, pasted as
is) into a `NoticeReading`; `format_summary` says in a few lines what was found and what
could not be told. The reader guesses, it never fails: any text, however broken, gives a
reading, and what it could not tell is listed in `NoticeReading.unknown`.

Rules the reader follows (each one is tested):

- Every tuple is deduplicated and in order of first appearance in the notice.
- Reasons: a reason's score is the number of its *distinct* signal phrases found in the
  notice, case-insensitively, as whole words (a phrase's words may be split by any white
  space, line breaks included). Reasons are ranked by score, highest first, ties broken by
  reason id; reasons scoring 0 are left out. `matched` lists the phrases found, in the order
  the signals give them.
- Issues: an issue block is a run of adjacent "Label: value" lines (no blank line between
  them) holding at least one ASIN, order ID or complaint ID, split wherever the label that
  opened it comes again. A block's reason is the best-scoring reason within the block, or
  the notice's top reason if the block names none. Blocks with the same reason make one
  issue, labelled with the infringement or complaint type its blocks state. Ids outside
  every block go to the issue of the notice's top reason. Each id lands in exactly one
  issue: that of the first block it appears in, else the top reason's.
- Evidence window: a "the last/past N days" phrase counts when the nearest document named
  in its sentence (before it, else after it) is a supply-chain document (invoice, receipt,
  letter of authorisation, purchase order). A utility bill, a statement or an identity
  document "dated within the last 90 days" is a rule about that document, not the window
  for the evidence of supply; a phrase with no document in its sentence ("your order defect
  rate over the last 60 days") is neither.
- Marketplace: a marketplace named in prose ("your Amazon.co.uk account") wins; otherwise a
  Seller Central link (sellercentral.amazon.de); e-mail addresses never count.
- Rights owner: read from the few lines after "rights owner's contact details:" (or
  "Rights owner:", "Copyright owner name:" and the like); Amazon's own mailboxes, any
  address at an amazon.* domain, are skipped.
- Action: the strongest one stated: an account deactivated, then listings removed, then a
  warning ("at risk of deactivation", "may result in the suspension").
- Metrics: the first percentage after a metric name, before the next name or blank line,
  that is not a target ("under 1%", "target: at least 95%").

Every pattern here runs in linear time: no nested unbounded repeats, bounded windows after
each anchor, and a cap on how many anchors a slow step looks at.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice

__all__ = [
    "IssueReading",
    "Metric",
    "NoticeReading",
    "ReasonScore",
    "RightsOwner",
    "format_summary",
    "read_notice",
]

# --- the reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class RightsOwner:
    """Whoever filed an IP complaint, as the notice gives them (either part may be missing)."""

    name: str | None
    email: str | None


@dataclass(frozen=True)
class Metric:
    """A performance metric the notice quotes, with the seller's value (not the target)."""

    name: str
    value_percent: float


@dataclass(frozen=True)
class ReasonScore:
    """How strongly the notice points at a reason: `score` distinct signal phrases found."""

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


@dataclass(frozen=True)
class NoticeReading:
    """Everything read from one notice; `unknown` says what could not be told."""

    asins: tuple[str, ...]
    orders: tuple[str, ...]
    complaints: tuple[str, ...]
    infringement_types: tuple[str, ...]
    complaint_types: tuple[str, ...]
    rights_owner: RightsOwner | None
    policy_pages: tuple[str, ...]
    marketplace: str | None
    evidence_window_days: int | None
    deadlines: tuple[str, ...]
    action: str | None
    metrics: tuple[Metric, ...]
    reasons: tuple[ReasonScore, ...]
    issues: tuple[IssueReading, ...]
    unknown: tuple[str, ...]


def read_notice(text: str, signals: Mapping[str, Sequence[str]]) -> NoticeReading:
    """Read `text`; `signals` maps each reason id to its signal phrases."""
    notice = _prepare(text)
    compiled = _compile_signals(signals)
    ranked = _rank(notice.low, compiled)
    ids = _find_ids(notice)
    marketplaces = _marketplaces(notice.low)
    windows = _evidence_windows(notice)
    reading = NoticeReading(
        asins=_unique(value for _, kind, value in ids if kind == _KIND_ASIN),
        orders=_unique(value for _, kind, value in ids if kind == _KIND_ORDER),
        complaints=_unique(value for _, kind, value in ids if kind == _KIND_COMPLAINT),
        infringement_types=_unique_folded(_stated_types(notice, _INFRINGEMENT_TYPE)),
        complaint_types=_unique_folded(_stated_types(notice, _COMPLAINT_TYPE)),
        rights_owner=_rights_owner(notice),
        policy_pages=_policy_pages(notice.low),
        marketplace=marketplaces[0] if marketplaces else None,
        evidence_window_days=windows[0] if windows else None,
        deadlines=_deadlines(notice.low),
        action=_action(notice.low),
        metrics=_metrics(notice.low),
        reasons=ranked,
        issues=_issues(notice, ids, compiled, ranked),
        unknown=(),
    )
    unknown = _unknown(reading, notice.low, marketplaces, windows)
    return replace(reading, unknown=unknown)


# --- text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Notice:
    raw: str  # line endings made "\n"
    low: str  # `raw` lower-cased, character for character, so positions match


def _prepare(text: str) -> _Notice:
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
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
    """`literal` with no word character before it.

    Written `word(?<!\\wword)` rather than `(?<!\\w)word`: a pattern that starts with a
    literal lets the search skip ahead to it instead of trying every position of the text.
    """
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
_COMPLAINT_IDS = re.compile(
    _word("complaint") + r"[ \t]+ids?[ \t]*(?:#|no\.?|number)?[ \t]*:?[ \t]*"
    r"([0-9]{1,20}(?:[ \t]*,[ \t]*[0-9]{1,20})*)(?![\w-])"
)
_ISBN = re.compile(r"[0-9]{9}[0-9x]")
_DIGITS = re.compile(r"[0-9]+")


def _find_ids(notice: _Notice) -> list[_Id]:
    """Every ASIN, order ID and complaint ID occurrence, in order of position."""
    found: list[_Id] = [(m.start(), _KIND_ASIN, m.group()) for m in _B0_ASIN.finditer(notice.raw)]
    found += _listed(notice.low, _ISBN_ASINS, _ISBN, _KIND_ASIN)
    found += [
        (m.start() - _ORDER_HEAD, _KIND_ORDER, notice.raw[m.start() - _ORDER_HEAD : m.end()])
        for m in _ORDER.finditer(notice.raw)
    ]
    found += _listed(notice.low, _COMPLAINT_IDS, _DIGITS, _KIND_COMPLAINT)
    found.sort()
    return found


def _listed(low: str, label: re.Pattern[str], item: re.Pattern[str], kind: str) -> list[_Id]:
    """The items of each "Label: item, item" list that `label` finds."""
    return [
        (match.start(1) + each.start(), kind, each.group().upper())
        for match in label.finditer(low)
        for each in item.finditer(match.group(1))
    ]


# --- stated types, policy pages, marketplace ----------------------------------------------

_TYPE_VALUE = r"([^\n|;\t.]{1,60}+)(?=[\n|;\t.]|\Z)"
_INFRINGEMENT_TYPE = re.compile(_word("infringement") + r"[ \t]+type[ \t]*:[ \t]*" + _TYPE_VALUE)
_COMPLAINT_TYPE = re.compile(_word("complaint") + r"[ \t]+type[ \t]*:[ \t]*" + _TYPE_VALUE)


def _stated_types(notice: _Notice, label: re.Pattern[str]) -> Iterator[str]:
    """The values of a "Type: value" label, as written."""
    for match in label.finditer(notice.low):
        value = _squash(notice.raw[match.start(1) : match.end(1)])
        if value:
            yield value


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


_TLD = r"(?:com\.(?:au|br|mx|tr|be)|co\.(?:uk|jp|za)|com|ca|de|fr|it|es|in|nl|se|pl|sg|ae|sa|eg|ie)"
_END = r"(?![\w-])(?!\.[a-z0-9])"
# In prose: not part of a host name (www.amazon.com) or of an e-mail address.
_MARKETPLACE = re.compile(rf"amazon(?<![\w.@-]amazon)\.{_TLD}{_END}")  # no group: findall
_SELLER_CENTRAL = re.compile(rf"sellercentral\.(amazon\.{_TLD}){_END}")


def _marketplaces(low: str) -> tuple[str, ...]:
    """Marketplaces named in prose, else those of Seller Central links; first named first."""
    return _unique(_MARKETPLACE.findall(low)) or _unique(_SELLER_CENTRAL.findall(low))


# --- rights owner -------------------------------------------------------------------------

_OWNERS = tuple(
    _word(word) + r"[ \t-]+(?:owner|holder)"
    for word in ("right", "rights", "copyright", "trademark", "patent", "brand")
)
_OWNER_ANCHORS = _compile_all(owner + r"[^\n:]{0,40}:" for owner in _OWNERS)
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")
_FIELD_LABEL = re.compile(r"([A-Za-z][A-Za-z' -]{0,30}):[ \t]*")
_AMAZON_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)*amazon\.")
_OWNER_ANCHORS_TRIED = 20  # a notice has one or two; the cap keeps junk input fast
_OWNER_LINES = 4  # non-empty lines read after an anchor
_OWNER_WINDOW = 600  # characters read after an anchor


def _rights_owner(notice: _Notice) -> RightsOwner | None:
    """The first "rights owner's contact details:" (or similar) followed by a name or e-mail."""
    for anchor in _matches(_OWNER_ANCHORS, notice.low, _OWNER_ANCHORS_TRIED):
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


# --- evidence window, deadlines, action ---------------------------------------------------

_WINDOW = re.compile(
    _word("the")
    + r"\s+(?:last|past|previous|preceding)\s+([0-9]{1,4})\s+(?:calendar\s+)?days(?!\w)"
)
_DOCUMENT = re.compile(
    r"(?<!\w)(invoices?|receipts?|letters?\s+of\s+authori[sz]ation|loas?|purchase\s+orders?"
    r"|utility\s+bills?|(?:bank|credit\s+card|account)\s+statements?|statements?|passports?"
    r"|driv(?:er'?s|ing)\s+licen[cs]es?|identity\s+documents?|id\s+documents?)(?!\w)"
)
_SUPPLY_DOCUMENT = ("invoice", "receipt", "letter", "loa", "purchase")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")
_SENTENCE_REACH = 400  # characters looked at on each side of a window phrase
_WINDOWS_TRIED = 100


def _evidence_windows(notice: _Notice) -> tuple[int, ...]:
    """Day counts of every evidence window named, first named first."""
    days = (
        int(match.group(1))
        for match in islice(_WINDOW.finditer(notice.low), _WINDOWS_TRIED)
        if _is_supply_window(notice.low, match)
    )
    return tuple(dict.fromkeys(days))


def _is_supply_window(low: str, match: re.Match[str]) -> bool:
    before, after = _sentence_around(low, match.start(), match.end())
    documents = [m.group(1) for m in _DOCUMENT.finditer(before)]
    nearest = documents[-1] if documents else next(iter(_DOCUMENT.findall(after)), None)
    return nearest is not None and nearest.startswith(_SUPPLY_DOCUMENT)


def _sentence_around(low: str, start: int, end: int) -> tuple[str, str]:
    """The parts of the sentence holding `low[start:end]` before and after it."""
    before = low[max(0, start - _SENTENCE_REACH) : start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    after = low[end : end + _SENTENCE_REACH]
    stop = _SENTENCE_END.search(after)
    return before, after[: stop.start()] if stop else after


_NUMBER_WORDS = "one|two|three|four|five|six|seven|ten|fourteen|thirty|sixty|ninety"
_DEADLINES = _compile_all(
    _word(word) + rf"\s+(?:[0-9]{{1,4}}|{_NUMBER_WORDS})\s+"
    r"(?:(?:business|calendar|working)\s+)?(?:days?|hours?|weeks?|months?)(?!\w)"
    for word in ("within", "after")
)


def _deadlines(low: str) -> tuple[str, ...]:
    return _unique(_squash(m.group()) for m in _matches(_DEADLINES, low))


_DEACTIVATED = (
    r"account\s+(?:has\s+been|was|is\s+now)\s+(?:deactivated|suspended|blocked)",
    *(
        verb + r"\s+your\s+(?:amazon(?:\.[a-z]{2,3}){0,2}\s+)?(?:sell(?:er|ing)\s+)?account"
        for verb in ("deactivated", "suspended", "blocked")
    ),
    *(verb + r"\s+your\s+selling\s+privileges" for verb in ("removed", "suspended", "revoked")),
    r"selling\s+privileges\s+(?:have\s+been|were|are\s+now)\s+(?:removed|suspended|revoked)",
    r"how\s+do\s+i\s+reactivate\s+my\s+account",
)
_REMOVED = (
    *(
        verb + r"\s+(?:[\w-]+\s+){0,4}?(?:listings?|asins?|offers?)(?!\w)"
        for verb in ("removed", "deactivated", "suspended", "blocked")
    ),
    *(
        noun + r"s?\s+(?:[\w-]+\s+){0,3}?(?:has|have)\s+been\s+"
        r"(?:removed|deactivated|suspended|blocked)"
        for noun in ("listing", "asin", "offer")
    ),
    r"how\s+do\s+i\s+reactivate\s+my\s+listings?",
)
_WARNED = (
    _word("warning") + r"(?!\w)",
    r"at\s+risk\s+of\s+(?:deactivation|being\s+deactivated|losing)",
    *(
        verb + r"\s+(?:result\s+in|lead\s+to)\s+(?:the\s+)?(?:deactivation|suspension|removal)"
        for verb in ("may", "could", "will")
    ),
)
# Strongest first: a deactivation notice may also remove listings and warn of worse.
_ACTIONS = (
    ("account-deactivated", _compile_all(_DEACTIVATED)),
    ("listings-removed", _compile_all(_REMOVED)),
    ("warning", _compile_all(_WARNED)),
)


def _action(low: str) -> str | None:
    """The strongest action the notice states: deactivation, then removal, then a warning."""
    for action, patterns in _ACTIONS:
        if any(pattern.search(low) for pattern in patterns):
            return action
    return None


# --- metrics ------------------------------------------------------------------------------

_METRIC_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("order defect rate", ("order defect rate", "odr")),
    ("late shipment rate", ("late shipment rate",)),
    (
        "pre-fulfillment cancel rate",
        ("pre-fulfillment cancel rate", "pre-fulfilment cancel rate", "cancellation rate"),
    ),
    ("valid tracking rate", ("valid tracking rate",)),
    ("on-time delivery rate", ("on-time delivery rate",)),
    ("negative feedback rate", ("negative feedback rate",)),
    ("a-to-z guarantee claim rate", ("a-to-z guarantee claim rate", "a-to-z claim rate")),
    ("chargeback claim rate", ("chargeback claim rate", "chargeback rate")),
)
_PERCENT = re.compile(r"(?<![\w.,])([0-9]{1,3}(?:[.,][0-9]{1,3})?)[ \t]?%")
_TARGET_WORD = re.compile(
    r"(?<!\w)(?:under|below|less\s+than|at\s+least|above|more\s+than|no\s+more\s+than|exceeds?|target"
    r"(?:\s+of)?|threshold(?:\s+of)?|limit(?:\s+of)?|maximum|minimum|max|min)[\s:]*\Z"
)
_METRIC_REACH = 160  # characters after a metric name in which its value must appear
_METRIC_NAMES_TRIED = 50


def _metrics(low: str) -> tuple[Metric, ...]:
    return tuple(metric for _, metric in sorted(_metrics_at(low), key=lambda m: m[0]))


def _metrics_at(low: str) -> Iterator[tuple[int, Metric]]:
    """Each metric with a value, with the position of the name it was read after."""
    for name, aliases in _METRIC_NAMES:
        patterns = (_phrase_pattern(alias) for alias in aliases)
        for match in _matches(patterns, low, _METRIC_NAMES_TRIED):
            value = _metric_value(low[match.end() : match.end() + _METRIC_REACH])
            if value is not None:
                yield match.start(), Metric(name, value)
                break


def _metric_value(after: str) -> float | None:
    """The first percentage after a metric name that is not a target ("under 1%")."""
    names = (_phrase_pattern(alias) for _, aliases in _METRIC_NAMES for alias in aliases)
    stop = min([_end_of(after, "\n\n"), *(m.start() for m in _matches(names, after, 1))])
    after = after[:stop]
    for match in _PERCENT.finditer(after):
        if not _TARGET_WORD.search(after, max(0, match.start() - 30), match.start()):
            return float(match.group(1).replace(",", "."))
    return None


def _end_of(text: str, marker: str) -> int:
    at = text.find(marker)
    return len(text) if at < 0 else at


# --- reasons ------------------------------------------------------------------------------

_Signals = tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]


def _compile_signals(signals: Mapping[str, Sequence[str]]) -> _Signals:
    """Each reason with its distinct phrases (lower case, single-spaced) and their patterns."""
    compiled = []
    for reason, phrases in signals.items():
        listed = (phrases,) if isinstance(phrases, str) else phrases
        distinct = _unique(_squash(str(p).lower()) for p in listed)
        compiled.append((reason, tuple((p, _phrase_pattern(p)) for p in distinct if p)))
    return tuple(compiled)


@lru_cache(maxsize=2048)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole-word, any-white-space pattern for a lower-case phrase."""
    first, *rest = phrase.split(" ")
    head = _word(first) if re.match(r"\w", first) else re.escape(first)
    tail = "".join(r"\s+" + re.escape(word) for word in rest)
    end = r"(?!\w)" if re.search(r"\w\Z", phrase) else ""
    return re.compile(head + tail + end)


def _rank(low: str, signals: _Signals) -> tuple[ReasonScore, ...]:
    scores = (
        ReasonScore(reason, len(matched), matched)
        for reason, phrases in signals
        for matched in [tuple(p for p, pattern in phrases if pattern.search(low))]
    )
    return _ranked(scores)


def _ranked(scores: Iterable[ReasonScore]) -> tuple[ReasonScore, ...]:
    """Best first, ties by reason id; only reasons that scored."""
    return tuple(sorted((s for s in scores if s.score), key=lambda s: (-s.score, s.reason)))


# --- issues -------------------------------------------------------------------------------

_LABEL_LINE = (
    r"^[ \t]*+(?:[-*\u2022][ \t]*+)?([A-Za-z][A-Za-z0-9 '\u2019()/#-]{0,40}?)[ \t]*:(?!//)"
    r"[ \t]*\S[^\n]*+"
)
_LABEL_RUN = re.compile(rf"(?:{_LABEL_LINE}(?:\n|\Z))++", re.MULTILINE)
_LABEL_LINES = re.compile(_LABEL_LINE, re.MULTILINE)
_STATED_VALUE = re.compile(_TYPE_VALUE)
_STATED_BLOCKS_TRIED = 10
_STATED_LINE = re.compile(
    r"^[ \t]*+(?:[-*\u2022][ \t]*+)?(?:infringement|complaint)[ \t]+type[ \t]*:[ \t]*",
    re.MULTILINE | re.IGNORECASE,
)


class _Layout:
    """The issue blocks of a notice that hold an id: sorted, disjoint spans of the text.

    A block is a run of adjacent "Label: value" lines, split wherever the label that opened
    it comes again ("ASIN: …", "Complaint ID: …", "ASIN: …" is two blocks).
    """

    def __init__(self, raw: str, ids: list[_Id]) -> None:
        self._positions = [position for position, _, _ in ids]
        spans: list[tuple[int, int]] = []
        for run in _LABEL_RUN.finditer(raw):
            start, end = run.span()
            if not self._holds_id(start, end):
                continue
            if raw.find("\n", start, end - 1) < 0:  # one line: nothing to split
                spans.append((start, end))
            else:
                spans += [span for span in _split_run(raw, start, end) if self._holds_id(*span)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def __len__(self) -> int:
        return len(self.starts)

    def index_at(self, position: int) -> int | None:
        """Index of the block holding `position`, if any."""
        index = bisect_right(self.starts, position) - 1
        if index >= 0 and position < self.ends[index]:
            return index
        return None

    def _holds_id(self, start: int, end: int) -> bool:
        at = bisect_left(self._positions, start)
        return at < len(self._positions) and self._positions[at] < end


def _split_run(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run of label lines wherever the label that opened it comes again."""
    lines = [(m.start(), m.group(1).lower()) for m in _LABEL_LINES.finditer(raw, start, end)]
    opener = lines[0][1] if lines else None
    starts = [line_start for line_start, label in lines if label == opener] or [start]
    return list(zip(starts, [*starts[1:], end], strict=True))


def _stated(raw: str, layout: _Layout, index: int) -> str | None:
    """The block's infringement or complaint type, as written."""
    start, end = layout.starts[index], layout.ends[index]
    line = _STATED_LINE.search(raw, start, end)
    value = _STATED_VALUE.match(raw, line.end(), end) if line else None
    if value is None:
        return None
    return _squash(value.group(1)) or None


def _issues(
    notice: _Notice, ids: list[_Id], signals: _Signals, ranked: tuple[ReasonScore, ...]
) -> tuple[IssueReading, ...]:
    top = ranked[0].reason if ranked else None
    layout = _Layout(notice.raw, ids)
    reasons = _block_reasons(notice.low, layout, signals, top)
    groups: dict[str | None, _Group] = {}
    for _, kind, value, index in _deciding(ids, layout):
        key = top if index is None else reasons[index]
        if key not in groups:
            groups[key] = _Group()
        groups[key].add(kind, value, index)
    if not groups and top is not None:
        groups[top] = _Group()
    return tuple(
        group.issue(reason, _first_stated(notice.raw, layout, group.blocks))
        for reason, group in groups.items()
    )


def _first_stated(raw: str, layout: _Layout, blocks: Iterable[int]) -> str | None:
    """The type the issue's first blocks state (a few are enough: they share a reason)."""
    stated = (_stated(raw, layout, index) for index in islice(blocks, _STATED_BLOCKS_TRIED))
    return next((value for value in stated if value), None)


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
        index = layout.index_at(position)
        if earlier is None or index is not None:
            chosen[(kind, value)] = (position, kind, value, index)
    return sorted(chosen.values(), key=lambda found: found[0])


def _block_reasons(
    low: str, layout: _Layout, signals: _Signals, top: str | None
) -> list[str | None]:
    """Each block's best reason, from the signal phrases that start inside it."""
    found: dict[int, set[str]] = {}
    if layout:
        span = (layout.starts[0], layout.ends[-1])
        for _, phrases in signals:
            for phrase, pattern in phrases:
                for match in pattern.finditer(low, *span):
                    index = layout.index_at(match.start())
                    if index is not None:
                        found.setdefault(index, set()).add(phrase)
    reasons: list[str | None] = [top] * len(layout)
    best: dict[frozenset[str], str | None] = {}
    for index, phrases_found in found.items():
        key = frozenset(phrases_found)
        if key not in best:
            best[key] = _best(key, signals)
        reasons[index] = best[key] or top
    return reasons


def _best(found: frozenset[str], signals: _Signals) -> str | None:
    scores = (
        ReasonScore(reason, len(matched), matched)
        for reason, phrases in signals
        for matched in [tuple(p for p, _ in phrases if p in found)]
    )
    ranked = _ranked(scores)
    return ranked[0].reason if ranked else None


@dataclass
class _Group:
    """The ids of one issue as they are collected, and the blocks they came from."""

    ids: dict[str, dict[str, None]] = field(
        default_factory=lambda: {_KIND_ASIN: {}, _KIND_ORDER: {}, _KIND_COMPLAINT: {}}
    )
    blocks: dict[int, None] = field(default_factory=dict)

    def add(self, kind: str, value: str, block: int | None) -> None:
        self.ids[kind][value] = None
        if block is not None:
            self.blocks[block] = None

    def issue(self, reason: str | None, stated: str | None) -> IssueReading:
        asins, orders, complaints = (
            tuple(self.ids[k]) for k in (_KIND_ASIN, _KIND_ORDER, _KIND_COMPLAINT)
        )
        return IssueReading(reason, _label(reason, stated), asins, orders, complaints)


def _label(reason: str | None, stated: str | None) -> str:
    if stated:
        return stated
    if reason:
        return reason.replace("-", " ").capitalize()
    return "Unrecognised issue"


# --- what could not be told ---------------------------------------------------------------

_MENTIONS_OWNER = _compile_all(owner + r"(?!\w)" for owner in _OWNERS)


def _unknown(
    reading: NoticeReading, low: str, marketplaces: tuple[str, ...], windows: tuple[int, ...]
) -> tuple[str, ...]:
    notes: list[str] = []
    if not reading.reasons:
        notes.append("no reason recognised")
    if not reading.asins:
        notes.append("no ASIN found")
    if reading.action is None:
        notes.append("no action recognised (account deactivated, listings removed or warning)")
    if not marketplaces:
        notes.append("no marketplace named")
    elif len(marketplaces) > 1:
        notes.append(f"several marketplaces named ({', '.join(marketplaces)}); took the first")
    if not windows:
        notes.append("no evidence window named")
    elif len(windows) > 1:
        days = ", ".join(str(d) for d in windows)
        notes.append(f"several evidence windows named ({days} days); took the first")
    if reading.rights_owner is None and any(owner.search(low) for owner in _MENTIONS_OWNER):
        notes.append("a rights owner is mentioned but no contact details were found")
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
    return f"{score.reason} ({_count(score.score, 'signal')})"


def _issue_text(issue: IssueReading) -> str:
    ids = (*issue.asins, *issue.orders, *issue.complaints)
    shown = ", ".join(ids[:_IDS_SHOWN]) or "no ids"
    more = f" and {len(ids) - _IDS_SHOWN} more" if len(ids) > _IDS_SHOWN else ""
    return f"{issue.label} [{issue.reason or 'no reason'}]: {shown}{more}"


def _detail_lines(reading: NoticeReading) -> list[str]:
    details = {
        "Evidence window": (
            f"{reading.evidence_window_days} days" if reading.evidence_window_days else ""
        ),
        "Deadlines": ", ".join(reading.deadlines),
        "Metrics": ", ".join(f"{m.name} {m.value_percent:g}%" for m in reading.metrics),
        "Rights owner": _owner_text(reading.rights_owner),
        "Policy pages": ", ".join(reading.policy_pages),
    }
    return [f"{name}: {text}" for name, text in details.items() if text]


def _owner_text(owner: RightsOwner | None) -> str:
    if owner is None:
        return ""
    if owner.name and owner.email:
        return f"{owner.name} <{owner.email}>"
    return owner.name or owner.email or ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
