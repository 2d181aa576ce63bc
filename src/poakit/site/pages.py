"""The site's generated pages: one per case, per reason, per measure, and their indexes.

Nothing here knows MkDocs: `site_pages` returns paths and content, and the adapter in
`hooks/` turns them into virtual files. Case pages come from `casepages`, the catalogue from
`catalogue`; every value that comes from a case is escaped there, so it shows literally.

A long-running process (the preview server) passes a `Memo`: what a page is made of is kept
under the digests of its case and of the library, so a save remakes only what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Finding
from ..letter.letter import Letter
from ..model.case import is_slug
from ..model.library import Library, Snippet
from ..project.load import CaseResult, Project, check_case
from ..project.memo import Memo, remembered
from ..render import render_letter
from . import casepages, catalogue, dashboard, exportpage, lessons, searchindex


@dataclass(frozen=True)
class Page:
    """A generated file: its path under docs/ (e.g. `cases/acme.md`) and its content."""

    path: str
    content: str | bytes | Path  # a Path: the file that holds it (the cache's, verified)
    nav: bool = False  # listed in mkdocs.yml's nav although not an index page
    # Left out of the theme's search index, which gets a compact entry for it instead (a case
    # page, see `searchindex`); a site without those entries indexes it as a page (`stage`).
    entry: bool = False

    @property
    def in_nav(self) -> bool:
        """The index pages (and `nav` pages) are in the navigation; the rest are linked."""
        return self.nav or self.path.endswith("index.md")


def site_pages(
    project: Project,
    *,
    include_private: bool = False,
    today: dt.date | None = None,
    memo: Memo | None = None,
) -> list[Page]:
    """Every generated page. Private cases only with `include_private` (local preview).

    `today` is the day the dashboard counts to (default: the real today). Links written in
    raw HTML are marked, for the adapter to resolve (`markup.site_link`).
    """
    library = project.library
    cases = shown_cases(project, include_private=include_private)
    readable = [c for c in cases if c.file is not None]
    pages = [Page(f"cases/{c.slug}.md", _case_page(c, project, memo), entry=True) for c in cases]
    pages += [  # the .txt and .docx each case page links to
        Page(exportpage.download_path(c.slug, ext), data)
        for c in cases
        if c.assembled
        for ext, data in _downloads(c, project).items()
    ]
    day = today or dt.date.today()
    index = dashboard.dashboard(cases, library, day, library.settings.follow_up_days, memo=memo)
    pages.append(Page(dashboard.DASHBOARD_PAGE, index))
    learned = lessons.lessons_page(readable, library, memo=memo)
    pages.append(Page(lessons.LESSONS_PAGE, learned, nav=True))
    pages.append(Page("tags.md", dashboard.tags_page(), nav=True))
    used = catalogue.usage(readable, memo)
    key = project.library_key
    cache = project.cache  # where the snippets' details are kept between builds

    def page(folder: str, snippet: Snippet, make: Callable[..., str], **more: object) -> Page:
        """A catalogue page, kept in the memo by the library and the digests of the cases
        it lists: a preview save remakes the pages of the snippets the case uses."""
        users = used.get((snippet.kind.value, snippet.id), [])
        keys = tuple(c.key for c in users)
        kept = None if None in keys else ("catalogue-page", snippet.kind, snippet.id, key, keys)
        made = remembered(memo, kept, lambda: make(snippet, library, users, memo, **more))
        return Page(f"{folder}/{snippet.id}.md", made)

    pages += [page("reasons", r, catalogue.reason_page) for r in library.reasons.values()]
    pages.append(Page("reasons/index.md", catalogue.reasons_index(library)))
    pages += [
        page("root-causes", c, catalogue.root_cause_page, library_key=key, cache=cache)
        for c in library.root_causes.values()
    ]
    pages.append(Page("root-causes/index.md", catalogue.root_causes_index(library)))
    pages += [
        page("measures", m, catalogue.measure_page, library_key=key, cache=cache)
        for m in library.measures.values()
    ]
    pages.append(Page("measures/index.md", catalogue.measures_index(library)))
    return pages


def prepare_case(result: CaseResult, library: Library) -> dict[str, bytes]:
    """What the site shows of a case just checked, while its letter is at hand (a
    `loader.Prepare`, run where the case is checked): its page, text and DOCX."""
    made = _made_downloads(result.letter) if result.letter is not None else {}
    text = made["txt"].decode("utf-8") if "txt" in made else None  # made once, for both
    return {"page.md": casepages.case_page(result, library, text).encode("utf-8"), **made}


def _case_page(result: CaseResult, project: Project, memo: Memo | None) -> str | bytes | Path:
    """The case's page: the file made when it was checked, or made now."""
    if "page.md" in result.files:
        return result.files["page.md"]
    if result.assembled and result.letter is None:  # read back without its files: check again
        result = _again(result, project)
    key = None if result.key is None else ("case-page", result.key)
    return remembered(memo, key, lambda: casepages.case_page(result, project.library))


def _downloads(result: CaseResult, project: Project) -> dict[str, bytes | Path]:
    """The text and DOCX of the case, by extension: as made when it was checked, or now."""
    kept = {ext: result.files[ext] for ext, _, _ in exportpage.DOWNLOADS if ext in result.files}
    if len(kept) == len(exportpage.DOWNLOADS):
        return kept
    letter = result.letter or _again(result, project).letter
    assert letter is not None, "an assembled case has a letter"
    return dict(_made_downloads(letter))


def _made_downloads(letter: Letter) -> dict[str, bytes]:
    return {ext: render_letter(letter, fmt) for ext, fmt, _ in exportpage.DOWNLOADS}


def _again(result: CaseResult, project: Project) -> CaseResult:
    fresh = check_case(result.path, project.library, result.display, project.root)
    return replace(fresh, key=result.key)


def shown_cases(project: Project, *, include_private: bool = False) -> list[CaseResult]:
    """The cases a site shows: the public ones, or all of them for a local preview. A case
    whose file name is not a slug gets no page (its name would be the page's path), nor does
    a second file of one slug (acme.yml beside acme.yaml); their findings say what to do."""
    once: dict[str, CaseResult] = {}
    for case in project.cases:
        if (include_private or case.public) and is_slug(case.slug):
            once.setdefault(case.slug, case)
    return list(once.values())


def published_findings(project: Project, *, include_private: bool = False) -> list[Finding]:
    """What a site of `project` answers for: the library's findings and those of every case
    it shows. A case that cannot be read might be meant to be public: it counts either way,
    so its errors stop a build (and a stage) whatever its visibility."""
    shown = [c for c in project.cases if include_private or c.public or c.file is None]
    return [*project.library.findings, *(f for c in shown for f in c.findings)]


class Reported:
    """What a preview's builds tell of the findings: the first build every finding, each
    later one (after a save) only those it did not tell the time before, and a count. A
    thousand cases have thousands of findings: all of them again on every save would bury
    the few the save brought, and take a tenth of the rebuild."""

    def __init__(self) -> None:
        self._last: frozenset[str] | None = None

    def lines(self, findings: Sequence[Finding]) -> list[str]:
        now = [str(f) for f in findings]
        last, self._last = self._last, frozenset(now)
        if last is None:
            return now
        new = [line for line in now if line not in last]
        gone = len(last - self._last)
        count = f"{len(self._last)} finding{'' if len(self._last) == 1 else 's'}"
        return [*new, f"poakit: {count}, {len(new)} new and {gone} gone since the last build"]


def search_entries(
    project: Project, *, include_private: bool = False, memo: Memo | None = None
) -> list[dict[str, str]]:
    """One compact search entry per shown case (see `searchindex`)."""
    return searchindex.entries(
        shown_cases(project, include_private=include_private), project.library, memo
    )
