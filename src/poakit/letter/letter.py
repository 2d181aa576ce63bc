"""The letter as data: sections of items, each traced to its case entry and snippet.

It sits here, above `templating`, not in `model`: its items hold rendered text (`RichText`).

`Letter` is the structured Plan of Action that `letter.assemble` builds from a case and the
library: the opening, the root causes, the actions taken, the preventive measures, the
supporting documents and the closing. Every item remembers the case entry it came from and
the snippet that worded it, so checks and errors can point at the right line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Position
from ..model.case import Case, CaseFile
from ..model.library import Snippet
from ..templating.richtext import RichText


@dataclass(frozen=True)
class Item:
    """One paragraph or bullet of the letter, traced to its case entry and snippet."""

    text: RichText
    position: Position
    snippet: Snippet | None = None
    entry: Any = None
    label: str | None = None  # root causes: what the cause explains, shown in bold
    answers: tuple[int, ...] = ()  # measures: numbers of the root causes they answer


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[Item, ...]
    #: paragraphs before the items: facts of the case (a metric, the suppliers) from the
    #: library's `lead` parts
    lead: tuple[Item, ...] = ()

    @property
    def everything(self) -> tuple[Item, ...]:
        """The lead paragraphs, then the items: all the text of the section, in order."""
        return (*self.lead, *self.items)


@dataclass(frozen=True)
class Letter:
    case_file: CaseFile
    sections: tuple[Section, ...]

    @property
    def case(self) -> Case:
        return self.case_file.case

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def answer_note(self, item: Item) -> str | None:
        """ "root causes 1, 3" for a measure, when the letter has more than one root cause."""
        if len(self.section("root_causes").items) < 2 or not item.answers:
            return None
        numbers = ", ".join(str(n) for n in item.answers)
        return f"root cause{'s' if len(item.answers) > 1 else ''} {numbers}"

    @property
    def signature(self) -> tuple[str, str, str]:
        seller = self.case.seller
        return seller.signatory.name, seller.signatory.title, seller.name
