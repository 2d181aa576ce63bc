"""Prose checks for what a reader notices at once: a doubled word, a sentence said twice, an
unbalanced bracket or quote, a leftover of a snippet's template.

Doubled words come from proselint's `lexical_illusions` check rather than a pattern of our
own. Measured before adopting it (proselint 0.16.0, every proselint check, over the nine
shipped letters as exported and over the 150 snippet files, December 2026):

- lexical_illusions: 1 hit in the letters, a true one ("the the registered trademark"); 3 in
  the snippet files, where 1 is a real slip ("makes the seller the seller of record") and 2
  are artefacts of reading Markdown and YAML as prose (a heading word that opens the next
  paragraph, a YAML key repeated on the next line). In letter text, one paragraph at a time,
  neither artefact can occur: no false positive.
- every other check: 12 hits in the letters and 54 in the snippets, all false positives for
  this text (straight quotes around template names, "2X8" inside an ASIN read as a
  multiplication sign, "june" in a file name, "quarterly-" in a checklist), so none is used.

A finding about words points at the case entry when the words came from the case, and at the
snippet's line when they came from the library.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Finding, Level, Position
from ..letter.letter import Item
from .structure import Review
from .tone import sentence_spans

RULES: dict[str, str] = {
    "doubled-word": "a word or phrase written twice in a row (proselint's lexical illusions)",
    "repeated-sentence": "a sentence that appears twice in one letter",
    "unbalanced": "an opening bracket or quote without its closing one, or the reverse",
    "snippet-artefact": "a leftover of a template: a space before punctuation, doubled "
    "punctuation, empty brackets, a sentence starting in lower case (template braces are the "
    "unfilled-placeholder tone rule's)",
}

#: Abbreviations whose full stop does not end a sentence ("Sunridge Supply Co. and",
#: "e.g., the"): no lower-case start and no doubled punctuation is reported after them.
_ABBREVIATIONS = ("Inc", "Ltd", "Co", "Corp", "e.g", "i.e", "etc", "vs", "No")
_NOT_AFTER = "".join(rf"(?<!\b{re.escape(word)}\.)" for word in _ABBREVIATIONS)
#: (pattern, what it finds, a quicker pattern that matches wherever it does). The patterns
#: start with a look behind, tried at every character of a paragraph; the quick ones start
#: with a character, and rule most paragraphs out five to ten times sooner.
_ARTEFACTS: tuple[tuple[re.Pattern[str], str, re.Pattern[str] | None], ...] = (
    (
        re.compile(r"(?<=\w) +[,.;:!?](?!\w)"),
        "a space before punctuation",
        re.compile(" [,.;:!?]"),
    ),
    (
        re.compile(r"(?<!\.)\.\.(?!\.)|,,|;;|::|,\.|;\.|,;|(?<=\.)" + _NOT_AFTER + r"(?<!\.\.\.),"),
        "doubled punctuation",
        re.compile(r"\.\.|,,|;;|::|,\.|;\.|,;|\.,"),
    ),
    (re.compile(r"\(\s*\)|\[\s*\]"), "empty brackets", None),
    (
        re.compile(r"(?<=[a-z0-9)][.!?])" + _NOT_AFTER + r" +[a-z]"),
        "a sentence starting in lower case",
        re.compile(r"[.!?] +[a-z]"),
    ),
)
_PAIRS = (("(", ")"), ("[", "]"), ("\u201c", "\u201d"))


@dataclass(frozen=True)
class Problem:
    """Something wrong at `text[start:end]` of one paragraph."""

    rule: str
    start: int
    end: int
    message: str


def problems(text: str) -> tuple[Problem, ...]:
    """The prose problems of one paragraph (an item of the letter). Remembered: a snippet's
    paragraph without a case value reads the same in every letter that uses it."""
    return _problems(text)


@functools.lru_cache(maxsize=4096)
def _problems(text: str) -> tuple[Problem, ...]:
    return tuple(_find_problems(text))


def _find_problems(text: str) -> Iterator[Problem]:
    for result in _lexical_illusion().check_with_flags(text) if may_double(text) else ():
        start, end = result.span
        yield Problem("doubled-word", start, end, f'doubled words: "{text[start:end]}"')
    for pattern, what, quick in _ARTEFACTS:
        if quick is not None and not quick.search(text):
            continue
        for match in pattern.finditer(text):
            yield Problem(
                "snippet-artefact",
                match.start(),
                match.end(),
                f"{what}: {_around(text, match.start(), match.end())}",
            )
    if text[:1].islower():
        yield Problem(
            "snippet-artefact", 0, 1, f"a sentence starting in lower case: {_around(text, 0, 1)}"
        )
    yield from _unbalanced(text)


@functools.cache
def _lexical_illusion() -> Any:
    """proselint's check, imported where a text may need it (`may_double`): importing
    proselint's checks is some 40 ms, and most letters never need it."""
    from proselint.checks.lexical_illusions import check

    return check


#: Words separated by white space only, two or more: where a phrase can follow itself.
_RUNS = re.compile(r"\w+(?:\s+\w+)+")
#: The longest phrase lexical_illusions repeats: a word and up to three more.
_PHRASE = 4


def may_double(text: str) -> bool:
    """Whether proselint's lexical_illusions can find anything in `text`: False only where it
    cannot, so that its pattern (a third of checking a case's new paragraphs) runs only
    where some words follow themselves.

    The pattern, `(?<![A-Za-z'-])(\\w+(?:\\s+\\w+){0,3})(\\s+\\1)+(?![A-Za-z'-])` ignoring
    case, matches k = 1 to 4 words followed, after white space, by the same k words; every
    word lies in a run of word characters, the runs of one match separated by white space
    only (`_RUNS`). The repeated phrase may start inside its first run only after a
    character that is neither an ASCII letter nor ' or - (a digit, "_", a letter outside
    ASCII), and its repeat may end inside its last run only before such a character: a run
    of ASCII letters only is taken whole. Case is compared as the pattern compares it, each
    character by its simple lower case (`_fold`: the Kelvin sign is "k", the long s is not "s")."""
    plain = text.isascii()  # then lower case is the pattern's, and faster on the whole
    for run in _RUNS.finditer(text.lower() if plain else text):
        words = run.group().split()
        folded = words if plain else [_fold(word) for word in words]
        whole = [word.isascii() and word.isalpha() for word in words]
        if all(whole) and len(set(folded)) == len(folded):
            continue  # no run again: no phrase again
        for k in range(1, _PHRASE + 1):
            for i in range(len(words) - 2 * k + 1):
                maybe = folded[i] == folded[i + k] or not whole[i] or not whole[i + 2 * k - 1]
                if maybe and _repeated(folded, whole, i, k):
                    return True
    return False


def _repeated(folded: list[str], whole: list[bool], i: int, k: int) -> bool:
    """Whether the k words from run i (the first perhaps its end only) can be followed by
    the same k words (the last perhaps the start of its run only)."""
    last = i + 2 * k - 1
    if k == 1:
        first, then = folded[i], folded[i + 1]
        if whole[i] and whole[last]:
            return first == then
        if whole[i]:
            return then.startswith(first)
        if whole[last]:
            return first.endswith(then)
        return any(first.endswith(then[:n]) for n in range(1, min(len(first), len(then)) + 1))
    start = folded[i] == folded[i + k] if whole[i] else folded[i].endswith(folded[i + k])
    end = (
        folded[last] == folded[i + k - 1]
        if whole[last]
        else folded[last].startswith(folded[i + k - 1])
    )
    return start and end and folded[i + 1 : i + k - 1] == folded[i + k + 1 : last]


def _fold(word: str) -> str:
    """`word` as a pattern ignoring case compares it: each character's simple lower case."""
    return "".join(char.lower()[0] for char in word)


_BRACKETS = re.compile("[" + re.escape("".join(o + c for o, c in _PAIRS)) + '"]')


def _unbalanced(text: str) -> Iterator[Problem]:
    depth = {opening: 0 for opening, _ in _PAIRS}
    last_open: dict[str, int] = {}
    closers = {closing: opening for opening, closing in _PAIRS}
    quotes: list[int] = []
    for match in _BRACKETS.finditer(text):  # only the brackets: letters are long, these few
        char, index = match.group(), match.start()
        if char == '"':
            quotes.append(index)
        elif char in depth:
            depth[char] += 1
            last_open[char] = index
        elif depth[closers[char]] == 0:
            opening = closers[char]
            yield Problem(
                "unbalanced",
                index,
                index + 1,
                f"'{char}' without '{opening}': {_around(text, index, index + 1)}",
            )
        else:
            depth[closers[char]] -= 1
    for opening, closing in _PAIRS:
        if depth[opening] > 0:
            at = last_open[opening]
            yield Problem(
                "unbalanced",
                at,
                at + 1,
                f"'{opening}' without '{closing}': {_around(text, at, at + 1)}",
            )
    if len(quotes) % 2:
        at = quotes[-1]
        yield Problem(
            "unbalanced",
            at,
            at + 1,
            f"an odd number of quotation marks: {_around(text, at, at + 1)}",
        )


def _around(text: str, start: int, end: int, width: int = 25) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return f'"{"..." if left else ""}{snippet}{"..." if right < len(text) else ""}"'


def prose_findings(review: Review) -> Iterator[Finding]:
    """Every prose problem of every paragraph, and every sentence said twice."""
    for section in review.letter.sections:
        for item in section.everything:
            text, values = item.text.plain_with_spans()
            for problem in problems(text):
                yield Finding(
                    where(item, text, values, problem.start, problem.end),
                    Level.WARNING,
                    problem.message,
                    problem.rule,
                    _FIXES[problem.rule],
                )
    yield from repeated_sentences(review)


def where(item: Item, text: str, values: list[tuple[int, int]], start: int, end: int) -> Position:
    """The case entry when `text[start:end]` touches a case value (or the item has no
    snippet), else the line of the snippet that holds the words."""
    if item.snippet is None or any(a < end and b > start for a, b in values):
        return item.position
    words = text[start:end].strip().splitlines()[0] if text[start:end].strip() else ""
    for number, line in enumerate(item.snippet.body.splitlines(), start=1):
        if words and words.lower() in line.lower():
            return item.snippet.position(number)
    return item.snippet.position()


def repeated_sentences(review: Review) -> Iterator[Finding]:
    seen: dict[str, Item] = {}
    for section in review.letter.sections:
        for item in section.everything:
            text = item.text.plain()
            for start, end in sentence_spans(text):
                sentence = " ".join(text[start:end].split())
                key = sentence.casefold().rstrip(".!? ")
                if len(key.split()) < 5:
                    continue
                if key in seen:
                    yield Finding(
                        item.position,
                        Level.WARNING,
                        f'this sentence is already in the letter: "{_short(sentence)}"',
                        "repeated-sentence",
                        "say it once, where it belongs",
                    )
                else:
                    seen[key] = item


def _short(sentence: str, width: int = 90) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 3].rstrip() + "..."


_FIXES = {
    "doubled-word": "delete the repeated word; check the variable, which may repeat the "
    "snippet's own word",
    "snippet-artefact": "correct the snippet or the value: a variable left empty, or written to "
    "start or end a sentence the snippet already starts or ends",
    "unbalanced": "close what is opened, or open what is closed",
}
