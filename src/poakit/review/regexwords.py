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


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains (None: unknown): the
    first of `required_sets`."""
    sets = required_sets(pattern)
    return sets[0] if sets else None


@functools.lru_cache(maxsize=4096)
def required_sets(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of lower-case strings such that every match of `pattern` contains one string of
    each set (`\\bwe (?:will|shall) do better` needs "we " and one of "will", "shall", and
    " do better"), the best first (see `_needed`); empty when unknown."""
    if _parser is None:  # pragma: no cover
        return ()
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover - the pattern compiled already; a changed parser
        return ()
    found = _sets(list(parsed))
    return tuple(sorted(found, key=_worth)) if found else ()


def _worth(words: frozenset[str]) -> tuple[int, int]:
    """Better first: a longer shortest member (rarer in text), then fewer members."""
    return -min(len(w) for w in words), len(words)


def _needed(sequence: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best set of required literals of a parsed sequence: the one whose shortest member
    is longest."""
    found = _sets(sequence)
    return min(found, key=_worth) if found else None


def _sets(sequence: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every set of required literals of a parsed sequence, one per literal run or required
    item. Zero-width items (anchors, lookarounds) do not interrupt a literal run."""
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
    return candidates


_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT} if _c is not None else set()
#: A repeated run counts this many times at most: enough to be rare in prose.
_REPEATS = 8


def _inner(op: Any, arg: Any) -> frozenset[str] | None:
    if op is _c.SUBPATTERN:
        return _needed(list(arg[-1]))
    if op is _c.BRANCH:
        branches = [_needed(list(b)) for b in arg[1]]
        if all(branches):
            return frozenset().union(*branches)  # type: ignore[arg-type]
        return None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
        items = list(arg[2])
        if items and all(kind is _c.LITERAL for kind, _ in items):  # X{3,}: "xxx", not "x"
            run = "".join(chr(code) for _, code in items).lower()
            return frozenset({run * min(arg[0], _REPEATS)})
        return _needed(items)
    if op is _c.ATOMIC_GROUP:
        return _needed(list(arg))
    return None
