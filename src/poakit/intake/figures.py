"""The figures of a notice: the rates it quotes, its evidence windows and its deadlines.

A rate is read after any name a store or language gives its metric, with the target, window
and counts that stand around it; a window only when a supply document stands next to it; a
deadline only when it is the seller's time, not Amazon's (see `intake.notice` for the rules).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import islice

from .layout import (
    READ_REACH,
    Layout,
    Notice,
    labels,
    matches,
    sentence_around,
    sentence_span,
    sentences,
    squash,
)
from .lexicon import Lexicon, MetricInfo, Tongue


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


_WINDOWS_TRIED = 100
Window = tuple[int, int, int]  # start, end, days


def evidence_windows(low: str, tongues: Sequence[Tongue]) -> list[Window]:
    """Every window phrase next to a supply document, first named first (one per day count)."""
    supply = labels(tongues, "supply")
    documents = [t.documents for t in tongues if t.documents is not None]
    found: dict[int, Window] = {}
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
    before, after = sentence_around(low, match.start(), match.end())
    named = matches(documents, before)
    if named:
        nearest = max(named, key=lambda m: (m.start(), m.end() - m.start()))
    else:
        following = matches(documents, after)
        if not following:
            return False
        nearest = min(following, key=lambda m: (m.start(), m.start() - m.end()))
    return squash(nearest.group()) in supply


def read_deadlines(
    notice: Notice, tongues: Sequence[Tongue], windows: Sequence[Window]
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


def _written(notice: Notice, match: re.Match[str]) -> str:
    return squash(notice.raw[match.start() : match.end()])


def _inside_any(match: re.Match[str], windows: Sequence[Window]) -> bool:
    return any(start < match.end() and match.start() < end for start, end, _ in windows)


def _amazons_time(low: str, match: re.Match[str], tongues: Sequence[Tongue]) -> bool:
    """True in a sentence about Amazon's own time ("we will reply within 2 business days")."""
    start, end = sentence_span(low, match.start(), match.end())
    sentence = low[start:end]
    return any(p.search(sentence) for tongue in tongues for _, p in tongue.ignore)


def _date(match: re.Match[str], tongue: Tongue) -> dt.date | None:
    groups = match.groupdict()
    month = tongue.months.get(squash(groups["month"])) if groups.get("month") else None
    try:
        return dt.date(int(groups["y"]), month or int(groups.get("m") or 0), int(groups["d"]))
    except (TypeError, ValueError):
        return None


def _duration(match: re.Match[str], tongue: Tongue) -> Deadline | None:
    count = tongue.number(match.group("n"))
    kind = tongue.units.get(squash(match.group("unit")))
    if not count or kind is None:
        return None
    days = {
        "day": count,
        "business_day": count,
        "week": count * 7,
        "hour": math.ceil(count / 24),
    }.get(kind)
    return Deadline("", None, days, business_days=kind == "business_day")


def first_deadline(deadlines: Sequence[Deadline]) -> Deadline | None:
    """The first date stated, else the first duration."""
    dated = [d for d in deadlines if d.date is not None]
    return next(iter(dated or deadlines), None)


# --- metrics ------------------------------------------------------------------------------

# Not after a letter or digit of a spaced script; "注文不良率は2.1%" has none between.
_PERCENT = re.compile(r"(?<![0-9A-Za-z_.,])([0-9]{1,3}(?:[.,][0-9]{1,3})?)[ \t]?%")
_PERCENTS_TRIED = 500
_MENTIONS_TRIED = 50
_METRIC_REACH = 300  # characters after a name in which its value must appear


@dataclass(frozen=True)
class Mention:
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
class Quoted:
    """A metric value and the mention it was read after."""

    metric: Metric
    mention: Mention
    at: int  # where the value is


def read_metrics(
    notice: Notice, tongues: Sequence[Tongue], lexicon: Lexicon, layout: Layout
) -> list[Quoted]:
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
    quoted: list[Quoted] = []
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
            quoted.append(Quoted(metric, mention, percent.start))
    return quoted


def _mentions(notice: Notice, lexicon: Lexicon) -> list[Mention]:
    """Every metric name in the notice, the longest where names overlap."""
    low = notice.low[:READ_REACH]
    found = [
        Mention(m.start(), m.end(), signal.reason, squash(notice.raw[m.start() : m.end()]))
        for signal in lexicon.metric_signals
        for m in islice(signal.pattern.finditer(low), _MENTIONS_TRIED)
    ]
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _full_name(mentions: Sequence[Mention], mention: Mention) -> str:
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
    before = squash(low[max(0, match.start() - 30) : match.start()])
    after = squash(low[match.end() : match.end() + 12])
    target = None
    for kind, words, side in (
        ("under", "under_before", "before"),
        ("at least", "at_least_before", "before"),
        ("stated", "stated_before", "before"),
        ("under", "under_after", "after"),
        ("at least", "at_least_after", "after"),
    ):
        for word in labels(tongues, words):
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
    mentions: Sequence[Mention], percent: _Percent, layout: Layout, either_side: bool
) -> Mention | None:
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
    mention: Mention,
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
    sentence, previous = sentences(low, percent.start, percent.end)
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


def _window_days(text: str, tongues: Sequence[Tongue]) -> int | None:
    """The days of the first window in `text`: "the last 30 days", "14-day period"."""
    found = matches((t.day_window for t in tongues if t.day_window is not None), text, 1)
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
