"""Live data for the hand-written guide: Markdown tables and checklists from the library.

The macros adapter (`hooks/macros.py`) registers every name in `MACROS`; a guidance page
calls them as `{{ reason_table() }}`. A stage (`stage`) renders the same macros without
mkdocs-macros. The project is loaded on first use, once per build.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from .. import __version__
from ..model.library import Kind
from ..model.tonerules import ToneRule
from ..project.load import Project
from ..project.loader import loader
from . import tonedoc
from .catalogue import (
    letter_parts_list,
    measures_table,
    metrics_table,
    reasons_table,
    requirements_block,
    root_causes_table,
    sample_block,
)
from .noticedata import languages_table, stores_table

MACROS = (
    "reason_table",
    "measure_table",
    "systemic_measures",
    "investigation_checklists",
    "evidence_checklists",
    "case_count",
    "root_cause_table",
    "tone_rules_table",
    "tone_rule_examples",
    "before_after",
    "letter_parts",
    "snippet_example",
    "accepted_files",
    "metric_table",
    "store_table",
    "language_table",
    "requirement_lists",
)


def library_version() -> str:
    return __version__


def variables() -> dict[str, object]:
    """What the guide's pages may use besides the macros: `{{ poakit_version }}`."""
    return {"poakit_version": library_version()}


def macros(data: GuideData) -> dict[str, Callable[..., object]]:
    """Every macro of `MACROS`, by the name pages call it by, bound to `data`. The one list
    both the macros adapter (hooks/macros.py) and a stage (`stage`) register."""
    return {name: getattr(data, name) for name in MACROS}


class GuideData:
    def __init__(self, root: Path) -> None:
        self.root = root

    @cached_property
    def project(self) -> Project:
        return loader(self.root).latest()

    def reason_table(self, prefix: str = "../reasons/") -> str:
        """Every reason, linked to its catalogue page (`prefix`: the reasons folder, relative
        to the calling page; the default suits pages in docs/guide/)."""
        return reasons_table(self.project.library, prefix=prefix)

    def measure_table(self, kind: str | None = None) -> str:
        """Every measure (or only `corrective` / `preventive` ones), linked."""
        return measures_table(self.project.library, prefix="../measures/", kind=kind)

    def systemic_measures(self) -> str:
        """The measures marked as systemic change, as a table with their summaries."""
        if not any(m.meta.systemic for m in self.project.library.measures.values()):
            return "*No measure is marked systemic yet.*"
        return measures_table(self.project.library, prefix="../measures/", systemic=True)

    def investigation_checklists(self) -> str:
        """Per reason, the checklist of what to review."""
        return self._per_reason("investigation")

    def evidence_checklists(self) -> str:
        """Per reason, the documents to gather."""
        return self._per_reason("evidence")

    def _per_reason(self, key: str) -> str:
        blocks = []
        for reason in sorted(self.project.library.reasons.values(), key=lambda r: r.meta.title):
            items = getattr(reason.meta, key)
            if items:
                lines = "\n".join(f"    - [ ] {item}" for item in items)
                link = f"[{reason.meta.title}](../reasons/{reason.id}.md)"
                blocks.append(f'??? note "{reason.meta.title}"\n    {link}\n\n{lines}')
        return "\n\n".join(blocks)

    def case_count(self) -> int:
        return sum(1 for c in self.project.cases if c.public)

    def root_cause_table(self) -> str:
        """Every root cause, linked to its catalogue page."""
        return root_causes_table(self.project.library, prefix="../root-causes/")

    @property
    def tone_rules(self) -> tuple[ToneRule, ...]:
        """The library's tone rules, as loaded with it."""
        return self.project.library.tone_rules

    def tone_rules_table(self) -> str:
        """The tone rules of snippets/tone-rules.yaml: id, level, sections, message."""
        return tonedoc.rules_table(self.tone_rules)

    def tone_rule_examples(self) -> str:
        """Each tone rule's fix and the examples it must flag and must pass."""
        return tonedoc.rule_details(self.tone_rules)

    def before_after(self, before: str, after: str, section: str = "corrective_actions") -> str:
        """A weak text and its rewrite, each with what the tone rules flag in it."""
        return tonedoc.before_after(self.tone_rules, before, after, section, page="tone.md")

    def letter_parts(self) -> str:
        """Every opening and closing, rendered with the sample case."""
        return letter_parts_list(self.project.library)

    def snippet_example(self, snippet_id: str, kind: str = "measure") -> str:
        """One snippet rendered with the sample case, linked to its catalogue page."""
        snippet = self.project.library.of(Kind(kind)).get(snippet_id)
        if snippet is None:
            raise ValueError(f"no {kind} snippet '{snippet_id}' in the library")
        return sample_block(snippet, self.project.library, prefix="../")

    def accepted_files(self) -> str:
        """The attachment file types of snippets/library.yaml, e.g. ".pdf, .jpg and .png"."""
        kinds = [f".{k}" for k in self.project.library.settings.accepted_files]
        return ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds)

    def metric_table(self) -> str:
        """The performance metrics of the library's reasons, with targets and windows."""
        return metrics_table(self.project.library, prefix="../reasons/")

    def store_table(self) -> str:
        """The Amazon stores the notice reader knows, with their names for the metrics."""
        return stores_table(self.project.library)

    def language_table(self) -> str:
        """The languages the notice reader reads, with examples of what it recognises."""
        return languages_table(self.project.library)

    def requirement_lists(self) -> str:
        """Per reason, what the letter must state, what must back it, and the sources."""
        blocks = []
        for reason in sorted(self.project.library.reasons.values(), key=lambda r: r.meta.title):
            parts = requirements_block(reason)[2:]  # the table and the sources
            if parts:
                link = f"[{reason.meta.title}](../reasons/{reason.id}.md)"
                body = "\n\n".join([link, *parts])
                indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
                blocks.append(f'??? note "{reason.meta.title}"\n{indented}')
        return "\n\n".join(blocks)
