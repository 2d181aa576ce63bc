"""Tone rules: lint rules for the wording of a letter, kept as data in the manner of Vale.

A rule file (`snippets/tone-rules.yaml`) lists rules under `rules:`. Each rule has an id, a
level, a one-line message and a fix, the letter sections it applies to, regexes that flag
text (matched case-insensitively), regexes that cancel a match found in the same sentence
(`unless`), an optional allowance (`max`: that many matches in the whole letter are fine,
the rest are flagged), and examples it must flag and must pass.

The core is pure: `scan` finds matches in one section's text, `apply_limits` applies the
allowances over the whole letter, and the caller turns matches into findings.
"""

from __future__ import annotations

import bisect
import functools
import re
import re._constants as _c  # type: ignore[import-not-found]  # a parsed pattern, for its words
import re._parser as _parser  # type: ignore[import-not-found]
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlsource
from ..errors import Finding, InputError, Level, Position, did_you_mean, error
from ..yamlsource import Loc

#: The sections of a letter, in the order they appear in it.
SECTIONS: tuple[str, ...] = (
    "opening",
    "root_causes",
    "corrective_actions",
    "preventive_measures",
    "evidence",
    "closing",
)

RULE_KEYS = ("id", "level", "message", "fix", "sections", "patterns", "unless", "max", "examples")
REQUIRED_KEYS = {
    "id": "add 'id:' with a kebab-case name, e.g. 'id: blame-amazon'",
    "message": "add 'message:', one line saying what is wrong with the text",
    "patterns": "add 'patterns:' with at least one regex",
}
EXAMPLE_KEYS = ("flag", "pass")
DEFAULT_LEVEL = Level.WARNING

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REGEX_FIX = r"check the brackets, and escape characters meant literally: '\(', '\?', '\.'"


@dataclass(frozen=True)
class ToneRule:
    """One rule of the tone file; `position` is where the rule starts in that file."""

    id: str
    level: Level
    message: str
    fix: str | None
    sections: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    max: int | None
    flag_examples: tuple[str, ...]
    pass_examples: tuple[str, ...]
    position: Position


@dataclass(frozen=True)
class ToneMatch:
    """Text that `rule` flags: `text[start:end]` of the section that was scanned."""

    rule: ToneRule
    start: int
    end: int
    text: str


# --- loading -------------------------------------------------------------------------------


@dataclass
class _Reader:
    """Collects every problem of one rule file, so the loader can report them all at once."""

    doc: yamlsource.Document
    problems: list[Finding] = field(default_factory=list)

    def report(
        self, loc: Loc, message: str, rule: str, fix: str | None = None, *, key: bool = False
    ) -> None:
        self.problems.append(error(self.doc.position(loc, key=key), message, rule, fix))

    def expected(self, loc: Loc, what: str, value: object, fix: str | None = None) -> None:
        self.report(loc, f"expected {what}, found {_kind(value)}", "invalid-value", fix)


def load_tone_rules(path: Path, display: str) -> tuple[ToneRule, ...]:
    """Read and validate a rule file; an `InputError` lists every problem found in it."""
    doc = yamlsource.load(yamlsource.read_text(path, display), display)
    reader = _Reader(doc)
    rules: list[ToneRule] = []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(_rule_entries(reader)):
        _check_duplicate(reader, index, raw, first_line)
        rule = _read_rule(reader, index, raw)
        if rule is not None:
            rules.append(rule)
    if reader.problems:
        raise InputError(sorted(reader.problems, key=lambda finding: finding.position))
    return tuple(rules)


def _rule_entries(reader: _Reader) -> list[object]:
    data = reader.doc.data
    fix = "start the file with 'rules:' and list the rules under it"
    if not isinstance(data, dict):
        reader.expected((), "a mapping with a 'rules' list", data, fix)
        return []
    _check_keys(reader, (), data, ("rules",), "the tone rule file")
    if "rules" not in data:
        reader.report((), "the tone rule file has no 'rules'", "missing-key", fix)
        return []
    entries = data["rules"]
    if not isinstance(entries, list):
        reader.expected(("rules",), "a list of tone rules", entries)
        return []
    return entries


def _read_rule(reader: _Reader, index: int, raw: object) -> ToneRule | None:
    """The rule at `rules[index]`, or None when it has problems (all of them reported)."""
    loc: Loc = ("rules", index)
    if not isinstance(raw, dict):
        reader.expected(loc, "a tone rule (a mapping with id, message and patterns)", raw)
        return None
    before = len(reader.problems)
    name = _rule_name(raw, index)
    _check_keys(reader, loc, raw, RULE_KEYS, name)
    for key, fix in REQUIRED_KEYS.items():
        if raw.get(key) is None:
            reader.report(loc, f"{name} has no '{key}'", "missing-key", fix)
    flag_examples, pass_examples = _read_examples(reader, loc, raw.get("examples"), name)
    rule = ToneRule(
        id=_read_id(reader, loc, raw.get("id")),
        level=_read_level(reader, loc, raw.get("level"), name),
        message=_read_line(reader, loc, "message", raw.get("message"), name) or "",
        fix=_read_line(reader, loc, "fix", raw.get("fix"), name),
        sections=_read_sections(reader, loc, raw.get("sections"), name),
        patterns=_read_patterns(reader, loc, "patterns", raw.get("patterns"), name),
        unless=_read_patterns(reader, loc, "unless", raw.get("unless"), name),
        max=_read_max(reader, loc, raw.get("max")),
        flag_examples=flag_examples,
        pass_examples=pass_examples,
        position=reader.doc.position(loc),
    )
    return rule if len(reader.problems) == before else None


def _rule_name(raw: dict[object, object], index: int) -> str:
    rule_id = raw.get("id")
    return f"tone rule '{rule_id}'" if isinstance(rule_id, str) else f"tone rule #{index + 1}"


def _check_keys(
    reader: _Reader, loc: Loc, raw: dict[object, object], allowed: Sequence[str], where: str
) -> None:
    for key in raw:
        if key not in allowed:
            listed = ", ".join(f"'{known}'" for known in allowed)
            fix = did_you_mean(str(key), allowed) or f"expected one of: {listed}"
            reader.report(
                (*loc, str(key)), f"unknown key '{key}' in {where}", "unknown-key", fix, key=True
            )


def _check_duplicate(reader: _Reader, index: int, raw: object, first_line: dict[str, int]) -> None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return
    rule_id: str = raw["id"]
    loc: Loc = ("rules", index, "id")
    if rule_id in first_line:
        message = f"duplicate tone rule id '{rule_id}' (first on line {first_line[rule_id]})"
        reader.report(loc, message, "duplicate-id", "give each rule its own id")
    else:
        first_line[rule_id] = reader.doc.position(loc).line


def _read_id(reader: _Reader, loc: Loc, value: object) -> str:
    if value is None:  # reported as missing
        return ""
    if not isinstance(value, str):
        reader.expected((*loc, "id"), "the rule id as text", value)
        return ""
    if not _KEBAB.fullmatch(value):
        kebab = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "blame-amazon"
        fix = f"use lower-case words joined by hyphens, e.g. '{kebab}'"
        reader.report(
            (*loc, "id"), f"tone rule id '{value}' is not kebab-case", "invalid-value", fix
        )
    return value


def _read_level(reader: _Reader, loc: Loc, value: object, name: str) -> Level:
    if value is None:
        return DEFAULT_LEVEL
    levels = [str(level) for level in Level]
    if not isinstance(value, str):
        reader.expected((*loc, "level"), "'error' or 'warning'", value)
    elif value not in levels:
        fix = did_you_mean(value, levels)
        reader.report((*loc, "level"), f"unknown level '{value}' in {name}", "invalid-value", fix)
    else:
        return Level(value)
    return DEFAULT_LEVEL


def _read_line(reader: _Reader, loc: Loc, key: str, value: object, name: str) -> str | None:
    """A message or fix: one line of text without a final period (the finding punctuates)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        reader.expected((*loc, key), f"the {key} as one line of text", value)
        return None
    text = value.strip()
    if "\n" in text:
        fix = "keep it to one line" + ("" if key == "fix" else "; put the advice in 'fix'")
        reader.report((*loc, key), f"the {key} of {name} spans several lines", "invalid-value", fix)
    elif text.endswith("."):
        fix = "drop the period; the finding adds its own punctuation"
        reader.report((*loc, key), f"the {key} of {name} ends with a period", "invalid-value", fix)
    return text


def _read_sections(reader: _Reader, loc: Loc, value: object, name: str) -> frozenset[str]:
    if value is None:
        return frozenset(SECTIONS)
    if not isinstance(value, list) or not value:
        example = "list section names, e.g. 'sections: [corrective_actions]', or leave it out"
        reader.expected((*loc, "sections"), "a list of section names", value, example)
        return frozenset()
    for index, section in enumerate(value):
        if section not in SECTIONS:
            fix = did_you_mean(str(section), SECTIONS)
            message = f"unknown section '{section}' in {name}"
            reader.report((*loc, "sections", index), message, "invalid-value", fix)
    return frozenset(str(section) for section in value)


def _read_patterns(
    reader: _Reader, loc: Loc, key: str, value: object, name: str
) -> tuple[re.Pattern[str], ...]:
    if value is None:  # a missing 'patterns' is reported as missing; 'unless' is optional
        return ()
    if not isinstance(value, list) or (key == "patterns" and not value):
        reader.expected((*loc, key), "a list of regexes", value, f"write '{key}:' as a list")
        return ()
    compiled = (
        _compile(reader, (*loc, key, index), item, name) for index, item in enumerate(value)
    )
    return tuple(pattern for pattern in compiled if pattern is not None)


def _compile(reader: _Reader, loc: Loc, item: object, name: str) -> re.Pattern[str] | None:
    if not isinstance(item, str):
        reader.expected(loc, "a regex as text", item, "quote the regex in single quotes")
        return None
    try:
        pattern = re.compile(item, re.IGNORECASE)
    except re.error as exc:
        message = f"regex '{item}' in {name} does not compile: {exc}"
        reader.report(loc, message, "invalid-regex", _REGEX_FIX)
        return None
    if pattern.search("") is not None:
        fix = "require at least one character: drop the '?' or '*' that makes it all optional"
        reader.report(loc, f"regex '{item}' in {name} matches empty text", "invalid-regex", fix)
        return None
    return pattern


def _read_max(reader: _Reader, loc: Loc, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        reader.expected((*loc, "max"), "a whole number of 0 or more", value)
        return None
    return value


def _read_examples(
    reader: _Reader, loc: Loc, value: object, name: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, dict):
        reader.expected((*loc, "examples"), "a mapping with 'flag' and 'pass' lists", value)
        return (), ()
    _check_keys(reader, (*loc, "examples"), value, EXAMPLE_KEYS, f"the examples of {name}")
    flag = _read_texts(reader, (*loc, "examples", "flag"), value.get("flag"))
    return flag, _read_texts(reader, (*loc, "examples", "pass"), value.get("pass"))


def _read_texts(reader: _Reader, loc: Loc, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.expected(loc, "a list of example texts", value)
        return ()
    for index, item in enumerate(value):
        if not isinstance(item, str):
            reader.expected((*loc, index), "an example as text", item, "quote the example")
    return tuple(item for item in value if isinstance(item, str))


def _kind(value: object) -> str:
    """How a YAML value reads in an error message: a scalar quoted (long text cut short)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, str | int | float):
        text = str(value)
        return f"'{text[:60]}...'" if len(text) > 60 else f"'{text}'"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    return f"a {type(value).__name__}"


# --- matching ------------------------------------------------------------------------------

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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`; together they cover all of it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        spans.append((start, end.end()))
        start = end.end()
    spans.append((start, len(text)))
    return spans


def scan(rules: Iterable[ToneRule], text: str, section: str) -> list[ToneMatch]:
    """Matches of the rules that apply to `section`, in text order; `max` is not applied."""
    return ToneScanner(tuple(rules)).scan(text, section)


class ToneScanner:
    """The rules, prepared for scanning many texts.

    Running every regex over every text is the review's main cost. Most patterns cannot match
    without one of a few words (`required_literals`); a substring test for each distinct word
    is far cheaper than a regex pass, so a pattern runs only where one of its words occurs.
    """

    def __init__(self, rules: Sequence[ToneRule]) -> None:
        self.rules = tuple(rules)
        self._always: list[tuple[int, re.Pattern[str]]] = []
        self._by_word: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for index, rule in enumerate(self.rules):
            for pattern in rule.patterns:
                needed = required_literals(pattern)
                if needed is None:
                    self._always.append((index, pattern))
                for word in needed or ():
                    self._by_word.setdefault(word, []).append((index, pattern))

    def scan(self, text: str, section: str) -> list[ToneMatch]:
        """Matches of the rules that apply to `section`, in text order; `max` not applied."""
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section!r}; expected one of {SECTIONS}")
        lowered = text.lower()
        chosen: dict[int, dict[re.Pattern[str], None]] = {}
        for index, pattern in self._always:
            chosen.setdefault(index, {})[pattern] = None
        for word, users in self._by_word.items():
            if word in lowered:
                for index, pattern in users:
                    chosen.setdefault(index, {})[pattern] = None
        found: list[ToneMatch] = []
        spans: list[tuple[int, int]] = []
        for index in sorted(chosen):
            rule = self.rules[index]
            if section in rule.sections:
                # keep the rule's own order of patterns: it decides which of two overlaps wins
                patterns = [p for p in rule.patterns if p in chosen[index]]
                spans = spans or sentence_spans(text)
                found.extend(_rule_matches(rule, patterns, text, spans))
        return sorted(found, key=lambda match: (match.start, match.end))


def _rule_matches(
    rule: ToneRule, patterns: Sequence[re.Pattern[str]], text: str, spans: list[tuple[int, int]]
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


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains (None: unknown)."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):  # pragma: no cover - the pattern compiled already
        return None
    return _needed(list(parsed))


def _needed(sequence: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best set of required literals of a parsed sequence: the one whose shortest member
    is longest. Zero-width items (anchors, lookarounds) do not interrupt a literal run."""
    candidates: list[frozenset[str]] = []
    run = ""
    for op, arg in sequence:
        if op is _c.LITERAL:
            run += chr(arg).lower()
            continue
        if op in _ZERO_WIDTH:
            continue
        if run:
            candidates.append(frozenset({run}))
            run = ""
        inner = _inner(op, arg)
        if inner:
            candidates.append(inner)
    if run:
        candidates.append(frozenset({run}))
    if not candidates:
        return None
    return max(candidates, key=lambda words: min(len(w) for w in words))


_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


def _inner(op: Any, arg: Any) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        return _needed(list(arg[-1]))
    if op is _c.BRANCH:
        branches = [_needed(list(b)) for b in arg[1]]
        if all(branches):
            return frozenset().union(*branches)  # type: ignore[arg-type]
        return None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _needed(list(arg[2]))
    if op is _c.ATOMIC_GROUP:
        return _needed(list(arg))
    return None


def _sentence(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    index = bisect.bisect_right(spans, (offset, len(text) + 1)) - 1
    start, end = spans[max(index, 0)]
    return text[start:end]


def _cancelled(rule: ToneRule, sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern in rule.unless)


def apply_limits(matches: Sequence[ToneMatch]) -> list[ToneMatch]:
    """Drop the first `max` matches of each rule that has one; `matches` is in letter order."""
    seen: Counter[str] = Counter()
    kept: list[ToneMatch] = []
    for match in matches:
        allowance = match.rule.max
        if allowance is not None:
            seen[match.rule.id] += 1
            if seen[match.rule.id] <= allowance:
                continue
        kept.append(match)
    return kept


# --- examples ------------------------------------------------------------------------------


def example_matches(rule: ToneRule, text: str) -> list[ToneMatch]:
    """What `rule` flags in `text`, read as a whole letter in the first section it applies to."""
    sections = [section for section in SECTIONS if section in rule.sections]
    if not sections:
        return []
    return apply_limits(scan((rule,), text, sections[0]))


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
