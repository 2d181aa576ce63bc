"""Reading a tone rule file (`snippets/tone-rules.yaml`) into `ToneRule`s.

A rule file lists rules under `rules:`. Each rule has an id, a level, a one-line message and
a fix, the letter sections it applies to, regexes that flag text (matched case-insensitively),
regexes that cancel a match found in the same sentence (`unless`), an optional allowance
(`max`: that many matches in the whole letter are fine, the rest are flagged), and examples it
must flag and must pass. Every problem of the file is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, InputError, Level, did_you_mean, error
from ..model.document import Document, Loc
from ..model.sections import KEYS as SECTIONS
from ..model.tonerules import ToneRule
from . import yaml

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


@dataclass
class _Reader:
    """Collects every problem of one rule file, so the loader can report them all at once."""

    doc: Document
    problems: list[Finding] = field(default_factory=list)

    def report(
        self, loc: Loc, message: str, rule: str, fix: str | None = None, *, key: bool = False
    ) -> None:
        self.problems.append(error(self.doc.position(loc, key=key), message, rule, fix))

    def expected(self, loc: Loc, what: str, value: object, fix: str | None = None) -> None:
        self.report(loc, f"expected {what}, found {_kind(value)}", "invalid-value", fix)


def load_tone_rules(path: Path, display: str) -> tuple[ToneRule, ...]:
    """Read and validate a rule file; an `InputError` lists every problem found in it."""
    doc = yaml.load(yaml.read_text(path, display), display)
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
