"""Findings and the one rooted exception tree of poakit.

Every problem a user can cause is reported as a `Finding`: a position in a file, a level, a
message that says what was expected and what was found, a rule id, and a fix where one is
known. Exceptions carry findings; the CLI and the MkDocs hooks turn them into output and exit
codes, so no user error ever reaches the user as a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Position:
    """A place in a file; line and column count from 1, as editors show them."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem, in the form `PATH:LINE:COL: level: message (fix) [rule]`."""

    position: Position
    level: Level
    message: str
    rule: str
    fix: str | None = None

    def __str__(self) -> str:
        fix = f" ({self.fix})" if self.fix else ""
        return _one_line(f"{self.position}: {self.level}: {self.message}{fix} [{self.rule}]")

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.position.path,
            "line": self.position.line,
            "column": self.position.column,
            "level": str(self.level),
            "message": self.message,
            "fix": self.fix,
            "rule": self.rule,
        }


def in_order(finding: Finding) -> tuple[str, int, int, str]:
    """The key findings are listed by: place, then rule. `(position, rule)` as one plain
    tuple: comparing two `Position`s builds a tuple of each, most of sorting thousands."""
    where = finding.position
    return where.path, where.line, where.column, finding.rule


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Line separators other than \n, and bidirectional controls, which reorder what a terminal
# shows ("Trojan Source"): shown as their code points.
_UNSEEN = re.compile("[\x85\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _one_line(text: str) -> str:
    """The terminal sink: control characters quoted from a file shown as Unicode pictures
    (\\n as ␊, ESC as ␛), other separators and bidirectional controls as `[U+202E]`: one
    line per finding, and no escape sequence ever reaches the terminal."""
    text = _CONTROL.sub(
        lambda m: chr(0x2421 if m.group() == "\x7f" else 0x2400 + ord(m.group())), text
    )
    return _UNSEEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def error(position: Position, message: str, rule: str, fix: str | None = None) -> Finding:
    return Finding(position, Level.ERROR, message, rule, fix)


def warning(position: Position, message: str, rule: str, fix: str | None = None) -> Finding:
    return Finding(position, Level.WARNING, message, rule, fix)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A fix suggesting the closest known id, or listing the few there are."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if not choices:
        return None
    if len(choices) <= 6:
        return "expected one of: " + ", ".join(f"'{c}'" for c in choices)
    return None


class PoakitError(Exception):
    """Root of every error poakit raises on purpose. `exit_code` is what the CLI returns."""

    exit_code = 2


class UsageError(PoakitError):
    """The command was called wrongly (a bad option, a missing file, an existing output)."""


class ConfigError(PoakitError):
    """The project itself is set up wrongly (no snippet library, unreadable settings)."""


class InputError(PoakitError):
    """Case or snippet files hold problems; every one of them is in `findings`."""

    exit_code = 1

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("\n".join(str(f) for f in self.findings))
