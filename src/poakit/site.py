"""The site's generated pages: one per case, per reason, per measure, and their indexes.

Nothing here knows MkDocs: `site_pages` returns paths and content, and the adapter in
`hooks/` turns them into virtual files. Case pages come from `casepages`, the catalogue from
`catalogue`; every value that comes from a case is escaped there, so it shows literally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import casepages, catalogue, exportpage, lessons, searchindex, tracker
from .case import is_slug
from .library import Library, Snippet
from .project import CaseResult, Project


@dataclass(frozen=True)
class Page:
    """A generated file: its path under docs/ (e.g. `cases/acme.md`) and its content."""

    path: str
    content: str | bytes | Path  # a Path: the file that holds the content (see CaseStore)
    nav: bool = False  # listed in mkdocs.yml's nav although not an index page

    @property
    def in_nav(self) -> bool:
        """The index pages (and `nav` pages) are in the navigation; the rest are linked."""
        return self.nav or self.path.endswith("index.md")


def site_pages(
    project: Project,
    *,
    include_private: bool = False,
    today: dt.date | None = None,
    directory_urls: bool = True,
) -> list[Page]:
    """Every generated page. Private cases only with `include_private` (local preview).

    `today` is the day the dashboard counts to (default: the real today); `directory_urls`
    is how the site addresses pages (MkDocs' `use_directory_urls`), for the links that the
    dashboard and the lessons page write in raw HTML.
    """
    library = project.library
    cases = shown_cases(project, include_private=include_private)
    readable = [c for c in cases if c.file is not None]
    pages = [Page(f"cases/{c.slug}.md", _case_page(c, library)) for c in cases]
    pages += [  # the .txt and .docx each case page links to
        Page(path, data) for c in cases if c.assembled for path, data in _downloads(c)
    ]
    day = today or dt.date.today()
    index = casepages.cases_index(cases, library, day, directory_urls=directory_urls)
    pages.append(Page("cases/index.md", index))
    learned = lessons.lessons_page(readable, library, directory_urls=directory_urls)
    pages.append(Page(lessons.LESSONS_PAGE, learned, nav=True))
    pages.append(Page("tags.md", tracker.tags_page(), nav=True))
    used = catalogue.usage(readable)

    def users(snippet: Snippet) -> list[CaseResult]:
        return used.get((snippet.kind.value, snippet.id), [])

    pages += [
        Page(f"reasons/{r.id}.md", catalogue.reason_page(r, library, users(r)))
        for r in library.reasons.values()
    ]
    pages.append(Page("reasons/index.md", catalogue.reasons_index(library)))
    pages += [
        Page(f"root-causes/{c.id}.md", catalogue.root_cause_page(c, library, users(c)))
        for c in library.root_causes.values()
    ]
    pages.append(Page("root-causes/index.md", catalogue.root_causes_index(library)))
    pages += [
        Page(f"measures/{m.id}.md", catalogue.measure_page(m, library, users(m)))
        for m in library.measures.values()
    ]
    pages.append(Page("measures/index.md", catalogue.measures_index(library)))
    return pages


def prepare_case(result: CaseResult, library: Library) -> None:
    """Make what the site shows of one case, its page and its files, while its letter is at
    hand (a `project.Prepare`: run where the case is checked, and kept with it)."""
    _case_page(result, library)
    if result.assembled:
        _downloads(result)


def _case_page(result: CaseResult, library: Library) -> str | Path:
    """The case's page: the file the case store keeps it in (a thousand pages held in memory
    would cost 20 MB), or its text when there is no store."""

    def make() -> bytes:
        return casepages.case_page(result, library).encode("utf-8")

    def page() -> str | Path:
        kept = result.kept("page.md", make)
        return kept if isinstance(kept, Path) else kept.decode("utf-8")

    return result.remember("page", page)


def _downloads(result: CaseResult) -> list[tuple[str, bytes | Path]]:
    """(path under docs/, content or the file holding it) of each download of the case."""

    @cache
    def made() -> dict[str, bytes]:
        letter = result.full_letter()
        assert letter is not None
        return dict(exportpage.download_files(result.slug, letter))

    def download(ext: str) -> tuple[str, bytes | Path]:
        path = exportpage.download_path(result.slug, ext)
        return path, result.kept(ext, lambda: made()[path])

    return result.remember(
        "downloads", lambda: [download(ext) for ext, _, _ in exportpage.DOWNLOADS]
    )


def shown_cases(project: Project, *, include_private: bool = False) -> list[CaseResult]:
    """The cases a site shows: the public ones, or all of them for a local preview. A case
    whose file name is not a slug gets no page (its name would be the page's path); its
    finding says how to rename it."""
    return [c for c in project.cases if (include_private or c.public) and is_slug(c.slug)]


def search_entries(project: Project, *, include_private: bool = False) -> list[dict[str, str]]:
    """One compact search entry per shown case (see `searchindex`)."""
    return searchindex.entries(
        shown_cases(project, include_private=include_private), project.library
    )
