"""What changed between two letters, as text for the terminal (`poa diff`).

The same comparison as the case page's (`model.versions.compare`), shown the same way: every
paragraph or list item that changed, with one unchanged unit around it. Each unit starts
with a mark: ` ` unchanged, `-` removed, `+` added, `~` changed in place, its words shown as
`[-removed-]{+added+}` (as `git diff --word-diff=plain` shows them).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence

from ..model.versions import Change, Skipped, changed, in_view
from ..templating.escape import visible

_MARKS = {"same": " ", "removed": "-", "added": "+", "changed": "~"}


def diff_text(old: str, new: str, changes: Sequence[Change], width: int = 80) -> str:
    """The diff from the letter labelled `old` to the one labelled `new`."""
    lines = [f"--- {old}", f"+++ {new}"]
    if not changed(changes):
        return "\n".join([*lines, "(no differences)"]) + "\n"
    for part in in_view(changes):
        if isinstance(part, Skipped):
            lines.append(f"  ({_units(part.count)} unchanged)")
        else:
            lines += _unit(part, width)
    return "\n".join(lines) + "\n"


def _units(n: int) -> str:
    return f"{n} paragraph{'s' if n != 1 else ''} or list item{'s' if n != 1 else ''}"


def _unit(change: Change, width: int) -> Iterator[str]:
    text = visible(_words(change) if change.kind == "changed" else change.text)
    mark = _MARKS[change.kind]
    if width <= 2:
        yield f"{mark} {text}"
        return
    wrapped = textwrap.wrap(text, width - 2, break_long_words=False, break_on_hyphens=False) or [""]
    yield f"{mark} {wrapped[0]}"
    yield from (f"  {line}" for line in wrapped[1:])


def _words(change: Change) -> str:
    shown = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return " ".join(shown[run.kind].format(run.text) for run in change.words)
