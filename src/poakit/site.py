"""The site's generated pages: one per case, per reason, per measure, and their indexes.

Nothing here knows MkDocs: `site_pages` returns paths and content, and the adapter in
`hooks/` turns them into virtual files. Case pages come from `casepages`, the catalogue from
`catalogue`; every value that comes from a case is escaped there, so it shows literally.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import casepages, catalogue
from .project import Project


@dataclass(frozen=True)
class Page:
    """A generated file: its path under docs/ (e.g. `cases/acme.md`) and its content."""

    path: str
    content: str | bytes

    @property
    def in_nav(self) -> bool:
        """Only the index pages are in the navigation; the rest are reached through them."""
        return self.path.endswith("index.md")


def site_pages(project: Project, *, include_private: bool = False) -> list[Page]:
    """Every generated page. Private cases only with `include_private` (local preview)."""
    library = project.library
    cases = [c for c in project.cases if include_private or c.public]
    readable = [c for c in cases if c.file is not None]
    pages = [Page(f"cases/{c.slug}.md", casepages.case_page(c, library)) for c in cases]
    pages.append(Page("cases/index.md", casepages.cases_index(cases, library)))
    pages += [
        Page(f"reasons/{r.id}.md", catalogue.reason_page(r, library, readable))
        for r in library.reasons.values()
    ]
    pages.append(Page("reasons/index.md", catalogue.reasons_index(library)))
    pages += [
        Page(f"measures/{m.id}.md", catalogue.measure_page(m, library))
        for m in library.measures.values()
    ]
    pages.append(Page("measures/index.md", catalogue.measures_index(library)))
    return pages
