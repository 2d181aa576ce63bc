"""The site's generated pages: one per case, per reason, per measure, and their indexes.

Nothing here knows MkDocs: `site_pages` returns paths and content, and the adapter in
`hooks/` turns them into virtual files. Case pages come from `casepages`, the catalogue from
`catalogue`; every value that comes from a case is escaped there, so it shows literally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from . import casepages, catalogue, exportpage, lessons, searchindex, tracker
from .library import Library
from .project import CaseResult, Project


@dataclass(frozen=True)
class Page:
    """A generated file: its path under docs/ (e.g. `cases/acme.md`) and its content."""

    path: str
    content: str | bytes
    nav: bool = False  # listed in mkdocs.yml's nav although not an index page

    @property
    def in_nav(self) -> bool:
        """The index pages (and `nav` pages) are in the navigation; the rest are linked."""
        return self.nav or self.path.endswith("index.md")


def site_pages(
    project: Project, *, include_private: bool = False, today: dt.date | None = None
) -> list[Page]:
    """Every generated page. Private cases only with `include_private` (local preview).

    `today` is the day the dashboard counts to (default: the real today).
    """
    library = project.library
    cases = shown_cases(project, include_private=include_private)
    readable = [c for c in cases if c.file is not None]
    pages = [Page(f"cases/{c.slug}.md", _case_page(c, library)) for c in cases]
    pages += [  # the .txt and .docx each case page links to
        Page(path, data)
        for c in cases
        if c.letter is not None
        for path, data in c.remember("downloads", partial(_downloads, c))
    ]
    day = today or dt.date.today()
    pages.append(Page("cases/index.md", casepages.cases_index(cases, library, day)))
    pages.append(Page(lessons.LESSONS_PAGE, lessons.lessons_page(readable, library), nav=True))
    pages.append(Page("tags.md", tracker.tags_page(), nav=True))
    pages += [
        Page(f"reasons/{r.id}.md", catalogue.reason_page(r, library, readable))
        for r in library.reasons.values()
    ]
    pages.append(Page("reasons/index.md", catalogue.reasons_index(library)))
    pages += [
        Page(f"root-causes/{c.id}.md", catalogue.root_cause_page(c, library, readable))
        for c in library.root_causes.values()
    ]
    pages.append(Page("root-causes/index.md", catalogue.root_causes_index(library)))
    pages += [
        Page(f"measures/{m.id}.md", catalogue.measure_page(m, library, readable))
        for m in library.measures.values()
    ]
    pages.append(Page("measures/index.md", catalogue.measures_index(library)))
    return pages


def _case_page(result: CaseResult, library: Library) -> str:
    return result.remember("page", partial(casepages.case_page, result, library))


def _downloads(result: CaseResult) -> list[tuple[str, bytes]]:
    assert result.letter is not None
    return exportpage.download_files(result.slug, result.letter)


def shown_cases(project: Project, *, include_private: bool = False) -> list[CaseResult]:
    """The cases a site shows: the public ones, or all of them for a local preview."""
    return [c for c in project.cases if include_private or c.public]


def search_entries(project: Project, *, include_private: bool = False) -> list[dict[str, str]]:
    """One compact search entry per shown case (see `searchindex`)."""
    return searchindex.entries(
        shown_cases(project, include_private=include_private), project.library
    )
