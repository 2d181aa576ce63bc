"""Boilerplate: a sentence that is in most letters of the library.

Reviewers read many plans and recognise template wording; a sentence that every letter of a
library repeats word for word ("The documents listed above are attached, with the relevant
ASINs and supplier details highlighted.") tells them the letter was not written for the case.
One letter cannot show it, so this check runs over all the cases checked together: each
letter keeps its sentences (`letter_sentences`, small enough for the cache), and
`boilerplate` finds those in more than half of the letters.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from ..errors import Finding, Level, Position
from ..letter.letter import Letter
from .prose import where
from .tone import sentence_spans

#: Fewer letters than this say nothing about a library.
MIN_LETTERS = 4
#: Shorter sentences ("We refunded them.") are too plain to count as template wording.
MIN_WORDS = 5


class Sentence(NamedTuple):
    """A sentence of one letter: a digest of its words, its text, and where it came from.

    A flat tuple, not a dataclass holding a `Position`: the cache keeps some twenty for each
    case, and a warm `poa check` reads back twenty thousand, ten times faster so (0.01 s
    against 0.09 to 0.13 s at 1,000 cases)."""

    key: str
    text: str
    path: str
    line: int
    column: int

    @staticmethod
    def at(key: str, text: str, position: Position) -> Sentence:
        return Sentence(key, text, position.path, position.line, position.column)

    @property
    def position(self) -> Position:
        return Position(self.path, self.line, self.column)


def letter_sentences(letter: Letter) -> tuple[Sentence, ...]:
    """The letter's sentences of `MIN_WORDS` words or more, each once."""
    found: dict[str, Sentence] = {}
    for section in letter.sections:
        for item in section.everything:
            text, values = item.text.plain_with_spans()
            for start, end, key, short in _sentences(text):
                if key not in found:
                    position = where(item, text, values, start, end)
                    found[key] = Sentence.at(key, short, position)
    return tuple(found.values())


@functools.lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """Each sentence of `MIN_WORDS` words or more in `text`: where it is, its key and its
    shortened text. Remembered: a snippet's paragraph without a case value reads the same in
    every letter that uses it."""
    found = []
    for start, end in sentence_spans(text):
        words = text[start:end].split()
        if len(words) >= MIN_WORDS:
            sentence = " ".join(words)
            key = hashlib.blake2b(sentence.casefold().encode(), digest_size=12).hexdigest()
            found.append((start, end, key, _short(sentence)))
    return tuple(found)


def boilerplate(letters: Mapping[str, Sequence[Sentence]]) -> dict[str, list[Finding]]:
    """For each letter (by name), a finding per sentence that more than half of `letters`
    share; nothing when there are fewer than `MIN_LETTERS` letters."""
    if len(letters) < MIN_LETTERS:
        return {}
    counts = Counter(s.key for sentences in letters.values() for s in sentences)
    common = {key for key, count in counts.items() if 2 * count > len(letters)}
    return {
        name: list(_findings(sentences, common, counts, len(letters)))
        for name, sentences in letters.items()
    }


def _findings(
    sentences: Sequence[Sentence], common: set[str], counts: Counter[str], total: int
) -> Iterator[Finding]:
    for sentence in sentences:
        if sentence.key in common:
            yield Finding(
                sentence.position,
                Level.WARNING,
                f"this sentence is in {counts[sentence.key]} of the {total} letters: "
                f'"{sentence.text}"',
                "boilerplate",
                "reviewers recognise template wording: say it with this case's own facts, "
                "or leave it out",
            )


def _short(sentence: str, width: int = 100) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 3].rstrip() + "..."
