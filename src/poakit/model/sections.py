"""The sections of a letter, in order: the one list every part of poakit names them from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionKind:
    """A section of the letter: its key (as in `snippets/library.yaml` and the tone rules),
    its default heading (none for the opening and closing), and how prose names it."""

    key: str
    title: str | None
    plural: str  # "root causes": where a tone rule applies
    one: str  # "a root cause": what a snippet is used as

    @property
    def answers_a_question(self) -> bool:
        """One of Amazon's three questions (a field of its appeal form)."""
        return self.key in ANSWERS


SECTIONS: tuple[SectionKind, ...] = (
    # A reply comes first: the answers to Amazon's request, or what is new after a denial.
    SectionKind("request", "Answers to your request", "answers to a request", "a reply"),
    SectionKind(
        "changes", "What is new since our last letter", "changes after a denial", "a reply"
    ),
    SectionKind("opening", None, "opening", "the opening"),
    SectionKind("root_causes", "Root causes", "root causes", "a root cause"),
    SectionKind("corrective_actions", "Actions taken", "corrective actions", "a corrective action"),
    SectionKind(
        "preventive_measures", "Preventive measures", "preventive measures", "a preventive measure"
    ),
    SectionKind("evidence", "Supporting documents", "supporting documents", "a document"),
    SectionKind("closing", None, "closing", "the closing"),
)
#: The section keys, in the order the letter has them.
KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
#: The three answers of Amazon's appeal form, in its order.
ANSWERS: tuple[str, ...] = ("root_causes", "corrective_actions", "preventive_measures")
#: Default headings, which `snippets/library.yaml` may change.
DEFAULT_TITLES: dict[str, str] = {s.key: s.title for s in SECTIONS if s.title}
BY_KEY: dict[str, SectionKind] = {s.key: s for s in SECTIONS}
