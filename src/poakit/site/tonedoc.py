"""The tone rules as documentation: a table of the rules, each rule's examples, and a
before/after comparison that runs the real rules on both texts.

The guide's Tone page calls these through macros, so it always shows the rule file as shipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from ..model.sections import BY_KEY, KEYS
from ..model.tonerules import ToneRule
from ..review.tone import apply_limits, scan
from ..templating.escape import markdown_text
from .markup import table


def rule_anchor(rule: ToneRule) -> str:
    return f"tone-{rule.id}"


def sections_text(rule: ToneRule) -> str:
    if set(KEYS) <= rule.sections:
        return "every section"
    return ", ".join(BY_KEY[s].plural for s in KEYS if s in rule.sections)


def rules_table(rules: Sequence[ToneRule]) -> str:
    """One row per rule: id (linked to its details), level, where it applies, what it flags."""
    rows = [
        (
            f"[`{rule.id}`](#{rule_anchor(rule)})",
            str(rule.level),
            sections_text(rule),
            markdown_text(rule.message),
        )
        for rule in rules
    ]
    return table(("Rule", "Level", "Applies to", "What it flags"), rows)


def rule_details(rules: Sequence[ToneRule]) -> str:
    """Per rule: its message, its fix and the examples it must flag and must pass."""
    blocks = []
    for rule in rules:
        allowance = f" The first {rule.max} in a letter are allowed." if rule.max else ""
        blocks += [
            f"### `{rule.id}` {{#{rule_anchor(rule)}}}",
            f"**{str(rule.level).capitalize()}**, in {sections_text(rule)}: "
            f"{markdown_text(rule.message)}.{allowance}",
        ]
        if rule.fix:
            blocks.append(f"*How to fix it:* {markdown_text(rule.fix)}.")
        pairs = zip_longest(rule.flag_examples, rule.pass_examples, fillvalue="")
        rows = [(markdown_text(flag), markdown_text(ok)) for flag, ok in pairs]
        if rows:
            blocks.append(table(("Flagged", "Passes"), rows))
    return "\n\n".join(blocks)


def findings_text(rules: Sequence[ToneRule], text: str, section: str, page: str = "") -> str:
    """What the rules flag in `text`, read as a whole letter section, as a Markdown list;
    each rule links to its details on `page` (the tone page, or this page when empty)."""
    matches = apply_limits(scan(rules, text, section))
    if not matches:
        return "The tone rules find nothing to flag here."
    lines = [
        f"- [`{m.rule.id}`]({page}#{rule_anchor(m.rule)}) on “{markdown_text(m.text)}”: "
        f"{markdown_text(m.rule.message)}"
        for m in matches
    ]
    return "The tone rules flag:\n\n" + "\n".join(lines)


def before_after(
    rules: Sequence[ToneRule], before: str, after: str, section: str, page: str = ""
) -> str:
    """Two admonitions: the weak text with its findings, the rewrite with its own."""
    where = BY_KEY[section].plural if section in BY_KEY else section
    blocks = []
    for kind, title, text in (("failure", "Before", before), ("success", "After", after)):
        body = f"{markdown_text(text)}\n\n{findings_text(rules, text, section, page)}"
        blocks.append(f'!!! {kind} "{title} ({where})"\n' + _indent(body))
    return "\n\n".join(blocks)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in text.splitlines())
