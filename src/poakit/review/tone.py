"""Tone rules applied to a letter: the scan of each section's text, and the allowances.

The core is pure: `scan` finds matches in one section's text, `apply_limits` applies the
allowances (`max`) over the whole letter, and the review turns matches into findings. The
rules themselves are data (`model.tonerules`, read by `source.tonerules`), each with examples
it must flag and must pass; `example_findings` holds every rule to them.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import re2

from ..errors import Finding, error
from ..model.sections import KEYS as SECTIONS
from ..model.tonerules import ToneRule
from .regexwords import required_sets


@dataclass(frozen=True)
class ToneMatch:
    """Text that `rule` flags: `text[start:end]` of the section that was scanned."""

    rule: ToneRule
    start: int
    end: int
    text: str


# A sentence ends after . ! or ? (with any closing quotes or brackets) followed by white space,
# at a blank line, or before a line that starts a list item; a number opening a line ("1. ")
# is a list marker, not an ending. Abbreviations ("e.g. ", "Inc. ") end a sentence too: the
# spans only decide where an `unless` pattern may cancel a match, and a sentence cut short
# there errs towards flagging.
_SENTENCE_END = re.compile(
    r"(?<!^\d)(?<!^\d\d)(?<!\n\d)(?<!\n\d\d)[.!?]+[\"'\u201d\u2019)\]]*(?=\s)"
    r"|\n[ \t]*\n"
    r"|\n(?=[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t])"
)


@functools.lru_cache(maxsize=4096)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of the sentences of `text`; together they cover all of it.
    Remembered: the tone, prose, figure and boilerplate checks each split the same texts."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        spans.append((start, end.end()))
        start = end.end()
    spans.append((start, len(text)))
    return tuple(spans)


def scan(rules: Iterable[ToneRule], text: str, section: str) -> list[ToneMatch]:
    """Matches of the rules that apply to `section`, in text order; `max` is not applied."""
    return ToneScanner(tuple(rules)).scan(text, section)


#: Texts a scanner remembers the matches of (a few megabytes at most).
SCANNED_TEXTS = 4096


class ToneScanner:
    """The rules, prepared for scanning many texts.

    Running every regex over every text is the review's main cost. Most patterns cannot match
    without one of a few words (`required_sets`); a substring test for each distinct word
    is far cheaper than a regex pass, so a pattern runs only where one of its words occurs,
    and each other set of words it needs has one there too ("we" alone is in most texts,
    "we" with "will" or "shall" in far fewer).
    """

    def __init__(self, rules: Sequence[ToneRule]) -> None:
        self.rules = tuple(rules)
        # Paragraphs recur: a snippet's paragraph without a case value reads the same in
        # every letter that uses it, so each text is scanned once (the oldest forgotten first).
        self._scanned: dict[tuple[str, str], tuple[ToneMatch, ...]] = {}
        self._always: list[tuple[int, re.Pattern[str]]] = []
        self._by_word: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        self._also: dict[re.Pattern[str], tuple[frozenset[str], ...]] = {}  # the other sets
        for index, rule in enumerate(self.rules):
            for pattern in rule.patterns:
                needed = required_sets(pattern)
                if not needed:
                    self._always.append((index, pattern))
                    continue
                for word in needed[0]:
                    self._by_word.setdefault(word, []).append((index, pattern))
                if len(needed) > 1:
                    self._also[pattern] = needed[1:]
        also = (word for sets in self._also.values() for words in sets for word in words)
        self._words = WordSet([*self._by_word, *also])

    def scan(self, text: str, section: str, words: Sequence[str] | None = None) -> list[ToneMatch]:
        """Matches of the rules that apply to `section`, in text order; `max` not applied.
        `words`: what `present` found in a text holding this one (the whole letter), so only
        those are looked for here."""
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section!r}; expected one of {SECTIONS}")
        key = (section, text)
        found = self._scanned.get(key)
        if found is None:
            if len(self._scanned) >= SCANNED_TEXTS:
                del self._scanned[next(iter(self._scanned))]
            found = self._scanned[key] = tuple(self._scan(text, section, words))
        return list(found)

    def scan_all(self, parts: Sequence[tuple[str, str]]) -> list[list[ToneMatch]]:
        """`scan` of each (section, text) of `parts` (a letter's): the patterns' words are
        looked for once, in the texts not scanned before, and each of those is searched for
        these only (most of a letter's paragraphs were scanned in an earlier letter). A text
        remembered then but forgotten meanwhile (the memory is full) is scanned for all."""
        new = dict.fromkeys(part for part in parts if part not in self._scanned)
        words = self.present("\n".join(text for _, text in new))
        return [
            self.scan(text, section, words if (section, text) in new else None)
            for section, text in parts
        ]

    def _scan(self, text: str, section: str, words: Sequence[str] | None) -> list[ToneMatch]:
        chosen = self._candidates(text, words)
        found: list[ToneMatch] = []
        spans: tuple[tuple[int, int], ...] = ()
        for index in sorted(chosen):
            rule = self.rules[index]
            if section in rule.sections:
                # keep the rule's own order of patterns: it decides which of two overlaps wins
                patterns = [p for p in rule.patterns if p in chosen[index]]
                spans = spans or sentence_spans(text)
                found.extend(_rule_matches(rule, patterns, text, spans))
        return sorted(found, key=lambda match: (match.start, match.end))

    def first_match(self, text: str, words: Sequence[str] | None = None) -> re.Match[str] | None:
        """The first match anywhere in `text` of the first pattern, in the rules' order, that
        matches at all (what `next(m for p in patterns if (m := p.search(text)))` finds).
        `words`: as for `scan`."""
        chosen = self._candidates(text, words)
        for index in sorted(chosen):
            for pattern in self.rules[index].patterns:
                if pattern in chosen[index] and (match := pattern.search(text)):
                    return match
        return None

    def present(self, text: str) -> tuple[str, ...]:
        """The patterns' words that occur in `text`. A part of `text` holds no other, so a
        letter is searched for all of them once, and each of its parts for these only."""
        by_word = self._by_word
        return tuple(word for word in self._words.in_order(text.lower()) if word in by_word)

    def _candidates(
        self, text: str, words: Sequence[str] | None = None
    ) -> dict[int, dict[re.Pattern[str], None]]:
        """The patterns, by rule, that can match in `text`: their words occur in it. Given
        `words` (a few dozen at most), each is looked for in `text` as a substring; else all
        are, in one pass (`WordSet`)."""
        lowered = text.lower()
        has = lowered.__contains__ if words is not None else self._words.found(lowered).__contains__
        chosen: dict[int, dict[re.Pattern[str], None]] = {}
        for index, pattern in self._always:
            chosen.setdefault(index, {})[pattern] = None
        also = self._also
        for word in self._by_word if words is None else words:
            if has(word):
                for index, pattern in self._by_word[word]:
                    others = also.get(pattern)
                    if others is None or all(any(map(has, needed)) for needed in others):
                        chosen.setdefault(index, {})[pattern] = None
        return chosen

    def can_match(self, text: str, words: Sequence[str] | None = None) -> bool:
        """Whether any pattern may match in `text`: has every set of words it needs there
        (`words`: as for `scan`). A text holding all others holds all that they need."""
        return bool(self._candidates(text, words))


class WordSet:
    """Which of many words occur in a text, found in one pass over it: RE2's set of patterns
    (google-re2, which proselint needs too) runs one automaton over the text, where a
    substring test for each word reads it once per word. For the 231 words of the shipped
    tone rules, a letter's new paragraphs take some 35 us instead of 360; checking 150
    cases, 0.427 s instead of 0.449 at best (benchmarks/HISTORY.md, seventeenth pass)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(dict.fromkeys(words))
        self._set = re2.Set.SearchSet()
        for word in self.words:
            self._set.Add(re2.escape(word))
        if self.words:
            self._set.Compile()

    def found(self, text: str) -> frozenset[str]:
        """The words that occur in `text`, as `word in text` finds them."""
        return frozenset(self.words[i] for i in self._hits(text))

    def in_order(self, text: str) -> tuple[str, ...]:
        """`found`, in the order of `words`."""
        return tuple(self.words[i] for i in sorted(self._hits(text)))

    def _hits(self, text: str) -> list[int]:
        """The indices in `words` of those in `text`."""
        if not self.words or not text:
            return []
        # a list, or None for none (google-re2-stubs says a bool)
        return cast("list[int] | None", self._set.Match(text)) or []


def _rule_matches(
    rule: ToneRule,
    patterns: Sequence[re.Pattern[str]],
    text: str,
    spans: Sequence[tuple[int, int]],
) -> list[ToneMatch]:
    """One rule's matches; where its patterns overlap, the earliest (then longest) wins."""
    hits = [h for pattern in patterns for h in pattern.finditer(text) if h.end() > h.start()]
    hits.sort(key=lambda hit: (hit.start(), -hit.end()))
    kept: list[ToneMatch] = []
    for hit in hits:
        if kept and hit.start() < kept[-1].end:
            continue
        if not _cancelled(rule, _sentence(text, spans, hit.start())):
            kept.append(ToneMatch(rule, hit.start(), hit.end(), hit.group()))
    return kept


def _sentence(text: str, spans: Sequence[tuple[int, int]], offset: int) -> str:
    index = bisect.bisect_right(spans, (offset, len(text) + 1)) - 1
    start, end = spans[max(index, 0)]
    return text[start:end]


def _cancelled(rule: ToneRule, sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern in rule.unless)


def apply_limits(matches: Sequence[ToneMatch]) -> list[ToneMatch]:
    """Drop the first `max` matches of each rule that has one; `matches` is in letter order."""
    return [match for match, kept in zip(matches, beyond_limits(matches), strict=True) if kept]


def beyond_limits(matches: Sequence[ToneMatch]) -> list[bool]:
    """For each of `matches` (in letter order), whether it is kept by `apply_limits`: by
    position, as one match object may stand for the same words in two places."""
    seen: Counter[str] = Counter()
    kept: list[bool] = []
    for match in matches:
        allowance = match.rule.max
        if allowance is not None:
            seen[match.rule.id] += 1
        kept.append(allowance is None or seen[match.rule.id] > allowance)
    return kept


# --- examples ------------------------------------------------------------------------------


def example_matches(rule: ToneRule, text: str) -> list[ToneMatch]:
    """What `rule` flags in `text`, read as a whole letter in the first section it applies to."""
    sections = [section for section in SECTIONS if section in rule.sections]
    if not sections:
        return []
    # one scanner a rule, for all its examples (a library's rules have some 600)
    return apply_limits(_scanner((rule,)).scan(text, sections[0]))


def check_examples(rules: Iterable[ToneRule]) -> list[str]:
    """A line per broken promise: a rule without examples, a `flag` example it does not flag,
    or a `pass` example it does flag. Empty when every rule keeps its examples."""
    problems: list[str] = []
    for rule in rules:
        where = f"{rule.position}: tone rule '{rule.id}'"
        for kind, examples in (("flag", rule.flag_examples), ("pass", rule.pass_examples)):
            if not examples:
                problems.append(f"{where} has no '{kind}' examples")
        for text in rule.flag_examples:
            if not example_matches(rule, text):
                problems.append(f"{where} does not flag its example {text!r}")
        for text in rule.pass_examples:
            hits = example_matches(rule, text)
            if hits:
                problems.append(f"{where} flags {hits[0].text!r} in its pass example {text!r}")
    return problems


def scanner(rules: tuple[ToneRule, ...], only: str | None = None) -> ToneScanner:
    """The scanner of `rules` (with `only`, of the first rule of that id among them alone; of
    none if there is no such rule), made once. A library's rules are one tuple for its life, so
    it is found by that tuple's identity first: looking it up by value hashes every field of
    every rule, once or twice for each case reviewed (1% of checking one)."""
    key = (id(rules), only)
    known = _by_identity.get(key)
    if known is not None and known[0] is rules:
        return known[1]
    chosen = rules if only is None else next(((r,) for r in rules if r.id == only), ())
    made = _scanner(chosen)
    if len(_by_identity) >= 8:
        _by_identity.clear()
    _by_identity[key] = (rules, made)  # the tuple kept alive, so its id is not reused
    return made


_by_identity: dict[tuple[int, str | None], tuple[tuple[ToneRule, ...], ToneScanner]] = {}


@functools.lru_cache(maxsize=8)
def _scanner(rules: tuple[ToneRule, ...]) -> ToneScanner:
    return ToneScanner(rules)


def example_findings(rules: Iterable[ToneRule]) -> list[Finding]:
    """Each rule held to its own examples, as findings at the rule (see `check_examples`)."""
    return [
        error(rule.position, problem.removeprefix(f"{rule.position}: "), "tone-rule-example")
        for rule in rules
        for problem in check_examples((rule,))
    ]
