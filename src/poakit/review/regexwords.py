"""The words a regex cannot match without: a prefilter for the tone scan.

Running every tone rule's regex over every text is the review's main cost. Most patterns
cannot match without one of a few words, and a substring test is far cheaper than a regex
pass, so a pattern runs only where one of its words occurs (`tone.ToneScanner`).

Python's only parser of its own regex syntax is the private `re._parser` (the public
`sre_parse` is a deprecated alias of it). This module is the one place that reads it. If a
Python release moves or changes it, `required_literals` answers None ("unknown") for every
pattern: every pattern then runs on every text, slower but the same findings; and
tests/review/test_regexwords.py fails loudly so the change is seen.
"""

from __future__ import annotations

import functools
import re
from typing import Any

try:
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _parser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - a Python without them: no prefilter
    _c = _parser = None


@functools.lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains (None: unknown)."""
    if _parser is None:  # pragma: no cover
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - the pattern compiled already; a changed parser
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


_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT} if _c is not None else set()


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
