"""`poa check --format github`: findings as GitHub Actions annotations.

A workflow step that prints `::error file=PATH,line=L,col=C,title=RULE::MESSAGE` gets an
annotation on that line of the pull request's diff. Everything taken from a finding goes
through the escaping functions for this sink (`templating.escape`), so a value quoted from a
case file cannot end the line or a property, nor start a command of its own.
"""

from __future__ import annotations

from ..errors import Finding
from ..templating.escape import github_message, github_property


def annotation(finding: Finding) -> str:
    """`::error|warning file=PATH,line=L,col=C,title=RULE::MESSAGE (FIX)`."""
    where = finding.position
    properties = {
        "file": where.path,
        "line": str(where.line),
        "col": str(where.column),
        "title": finding.rule,
    }
    listed = ",".join(f"{name}={github_property(value)}" for name, value in properties.items())
    fix = f" ({finding.fix})" if finding.fix else ""
    return f"::{finding.level} {listed}::{github_message(finding.message + fix)}"
