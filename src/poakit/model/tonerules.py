"""Tone rules as data: lint rules for the wording of a letter, kept in the manner of Vale.

A rule file (`snippets/tone-rules.yaml`) lists rules; `source.tonerules` reads it into
`ToneRule`s and `review.tone` scans letters with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Level, Position


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
