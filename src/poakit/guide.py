"""Live data for the hand-written guide: Markdown tables and checklists from the library.

The macros adapter (`hooks/macros.py`) registers every name in `MACROS`; a guidance page
calls them as `{{ reason_table() }}`. The project is loaded on first use, once per build.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from . import __version__
from .catalogue import measures_table, reasons_table
from .project import Project, load_project

MACROS = (
    "reason_table",
    "measure_table",
    "systemic_measures",
    "investigation_checklists",
    "evidence_checklists",
    "case_count",
)


def library_version() -> str:
    return __version__


class GuideData:
    def __init__(self, root: Path) -> None:
        self.root = root

    @cached_property
    def project(self) -> Project:
        return load_project(self.root, base=self.root)

    def reason_table(self) -> str:
        """Every reason, linked to its catalogue page."""
        return reasons_table(self.project.library, prefix="../reasons/")

    def measure_table(self, kind: str | None = None) -> str:
        """Every measure (or only `corrective` / `preventive` ones), linked."""
        return measures_table(self.project.library, prefix="../measures/", kind=kind)

    def systemic_measures(self) -> str:
        """The measures marked as systemic change, with their summaries."""
        measures = [m for m in self.project.library.measures.values() if m.meta.systemic]
        lines = [
            f"- [{m.meta.title}](../measures/{m.id}.md): {m.meta.summary or ''}".rstrip(": ")
            for m in sorted(measures, key=lambda m: m.meta.title)
        ]
        return "\n".join(lines) or "*No measure is marked systemic yet.*"

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
