"""A poakit project on disk: its library and case files, loaded and checked.

The CLI, the MkDocs hooks and the macros share these: every problem of every file is
collected in one pass (collect, then fail once) instead of stopping at the first.
`project.loader` adds what a build and `poa check` of the whole project need on top: the
cache, the memo and the cores.
"""

from __future__ import annotations

import os
import pickle
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ..errors import Finding, InputError, Level, Position, error, in_order
from ..letter.assemble import assemble
from ..letter.letter import Letter
from ..model.case import Case, CaseFile
from ..model.library import Library
from ..model.versions import SentVersion
from ..review.boilerplate import Sentence, boilerplate, letter_sentences
from ..review.requirements import library_findings as requirement_problems
from ..review.review import review
from ..review.tone import example_findings
from ..source.case import load_case, read_ahead
from ..source.layout import SNIPPETS_DIR, case_paths, display_path, slug_of
from ..source.library import read_library
from ..source.records import read_versions
from ..templating.render import environment, syntax_findings
from .cache import BytecodeCache, Cache, digest


@dataclass(frozen=True)
class CaseResult:
    """One case file after loading, assembly and review: plain data.

    `letter` is there when the case was just checked; a result read back from the cache has
    none (nor YAML positions: `file.source` is empty), only what the review found. `files`
    are what a site made of the case (its page, text and DOCX; see `loader.Prepare`): the
    cache's verified file, or the bytes when there is no cache."""

    slug: str
    path: Path
    display: str
    file: CaseFile | None = None
    findings: tuple[Finding, ...] = ()
    assembled: bool = False
    letter: Letter | None = field(default=None, repr=False, compare=False)
    files: Mapping[str, Path | bytes] = field(default_factory=dict, repr=False, compare=False)
    key: str | None = None  # the case's key in the cache: what its results are made from
    # The letters the case sent, as `poa sent` recorded them (cases/<slug>/sent/), when it
    # was just checked; a result read back from the cache has the page made with them.
    versions: tuple[SentVersion, ...] = field(default=(), repr=False, compare=False)
    #: the letter's sentences, for the boilerplate check over all cases (`across_cases`)
    sentences: tuple[Sentence, ...] = field(default=(), repr=False, compare=False)
    #: what `across_cases` needs of a case, kept apart from its model (`poa check` reads no
    #: case models from the cache; and the rules, read once): whether it is public, the rules
    #: it silences. Set for every case that could be read.
    is_public: bool = field(default=False, repr=False, compare=False)
    silenced_rules: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @property
    def case(self) -> Case | None:
        return self.file.case if self.file is not None else None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def public(self) -> bool:
        return self.file.case.public if self.file is not None else self.is_public


@dataclass(frozen=True)
class Project:
    root: Path
    library: Library
    cases: tuple[CaseResult, ...]
    library_key: str = ""  # the library's content digest, where a loader computed it
    #: what only all the cases together show (boilerplate): reported by `poa check` and the
    #: build, not on a case's page, which is made when that case alone is checked
    across: tuple[Finding, ...] = ()
    #: the cache the project was read back from, for what a site makes of the library alone
    cache: Cache | None = None
    #: how many of the cases this load checked afresh (not read back from a cache or memory):
    #: a build that checked many renders many pages anew too (hooks/poakit_cores.py)
    checked_afresh: int = 0

    @property
    def findings(self) -> list[Finding]:
        everything = [*self.library.findings, *(f for c in self.cases for f in c.findings)]
        everything += self.across
        # a snippet's own wording is reported once, however many cases use it
        unique = {str(f): f for f in everything}
        return sorted(unique.values(), key=in_order)

    def case(self, slug: str) -> CaseResult | None:
        return next((c for c in self.cases if c.slug == slug), None)


def load_library(
    folder: Path,
    display: str = SNIPPETS_DIR,
    *,
    cache: Cache | None = None,
    fingerprint: str | None = None,
) -> Library:
    """The snippet library, with every problem found in `library.findings`: what its files
    hold (`source.library`), templates that do not compile, tone rules and requirements that
    break their own examples. With a `cache`, the snippets' compiled templates are kept in it,
    and with the folder's `fingerprint` (`cache.folder_fingerprint`) the library itself: a
    warm `poa check` or build reads it back (20 ms) instead of reading and checking the
    library's files (some 0.4 s)."""
    key = None if cache is None or fingerprint is None else digest("library", display, fingerprint)
    kept = _kept_library(cache.get(key)) if cache is not None and key is not None else None
    library = kept if kept is not None else read_library(folder, display)
    if kept is not None:  # its one absolute path is where it is read now (a cache may move)
        library.root = folder
    if cache is not None:
        environment(library).bytecode_cache = BytecodeCache(cache, "snippet-sandbox")
    if kept is None:
        library.findings.extend(example_findings(library.tone_rules))
        library.findings.extend(requirement_problems(library))
        library.findings.extend(syntax_findings(library))
        if cache is not None and key is not None:
            cache.put(key, pickle.dumps((_LIBRARY, library), protocol=pickle.HIGHEST_PROTOCOL))
    return library


_LIBRARY = 1  # the layout of a kept library; bump when Library changes shape


def _kept_library(data: bytes | None) -> Library | None:
    """The library the cache kept (an entry it verified, as trusted as `Record`s)."""
    if data is None:
        return None
    try:
        layout, library = pickle.loads(data)
    except Exception:  # a class that moved or changed: read again
        return None
    return library if layout == _LIBRARY and isinstance(library, Library) else None


def check_case(
    path: Path,
    library: Library,
    display: str,
    root: Path | None = None,
    inside: Containment | None = None,
    ahead: bytes | None = None,
) -> CaseResult:
    """Load, assemble and review one case; every problem ends up in `findings`. `inside`:
    the `Containment` of `root` when many cases of it are checked; `ahead`: what `case_ahead`
    read of it before (used if the file is unchanged)."""
    slug = slug_of(path)
    if inside is None and root is not None:
        inside = Containment(root)
    problem = _unreadable(path, display, inside)
    if problem is not None:
        return CaseResult(slug, path, display, findings=(problem,))
    try:
        file = load_case(path, display, None if ahead is None else pickle.loads(ahead))
    except InputError as exc:
        return CaseResult(slug, path, display, findings=exc.findings)
    versions, damaged = read_versions(path, display)
    quiet = file.case.silenced_rules
    damaged = tuple(f for f in damaged if f.rule not in quiet)
    result = partial(
        CaseResult,
        slug,
        path,
        display,
        file,
        versions=versions,
        is_public=file.case.public,
        silenced_rules=quiet,
    )
    try:
        letter = assemble(file, library)
    except InputError as exc:
        return result((*exc.findings, *damaged))
    findings = (*review(letter, library, versions=versions), *damaged)
    return result(findings, assembled=True, letter=letter, sentences=letter_sentences(letter))


def case_ahead(path: Path, display: str, inside: Containment | None = None) -> bytes | None:
    """What `check_case` can take of a case file read before it is checked (`read_ahead`),
    as bytes, to come from the process that read it; None for a file it would not read."""
    if _unreadable(path, display, inside) is not None:
        return None
    found = read_ahead(path, display)
    return None if found is None else pickle.dumps(found, pickle.HIGHEST_PROTOCOL)


def one_case_a_slug(
    cases: Sequence[CaseResult], listed: Sequence[Path] = (), base: Path | None = None
) -> tuple[CaseResult, ...]:
    """`cases`, each file that shares its folder and slug with an earlier one (acme.yml after
    acme.yaml) with an error: a site has one page, and one set of downloads, per slug, so it
    could show only one of them. Added after a load, never kept with the case: it comes of
    the other file, not of this one. `listed`: the project's case files in name order
    (`case_paths`; `base` as for `display_path`), where `cases` are only the files named: each
    is held to the first of its slug among them, named or not, as a check of every case holds
    it."""
    first: dict[tuple[str, str], tuple[str, str]] = {}  # (folder, slug) -> (file, as shown)
    for path in listed:
        first.setdefault(_slot(path), (os.path.abspath(path), display_path(path, base)))
    out = []
    for case in cases:
        here = os.path.abspath(case.path)
        taken, shown = first.setdefault(_slot(case.path), (here, case.display))
        if taken != here:
            case = _slug_taken(case, shown)
        out.append(case)
    return tuple(out)


def _slot(path: Path) -> tuple[str, str]:
    return os.path.dirname(os.path.abspath(path)), slug_of(path)


def _slug_taken(case: CaseResult, other: str) -> CaseResult:
    same = error(
        Position(case.display),
        f"this file and {other} have one slug, '{case.slug}', and a site has "
        "one page per slug: it would show only one of them",
        "case-slug",
        f"keep one file: move what this one adds into {other}, then delete this one",
    )
    return replace(case, findings=(same, *case.findings))


def across_cases(cases: Sequence[CaseResult]) -> tuple[Finding, ...]:
    """What only all the cases together show: every sentence that most letters share.

    Only finished letters count: one with errors (an untouched skeleton, a letter half
    written) is not yet the library's wording. A public case is compared with the public cases
    only, so that nothing of a private case (not even how many there are) reaches a published
    page; a private one with all cases. A case may silence it (`silence: [{rule:
    boilerplate, reason: ...}]`)."""
    finished = [c for c in cases if c.assembled and not c.errors]
    public = {c.slug: c.sentences for c in finished if c.public}
    every = {c.slug: c.sentences for c in finished}
    found = {"public": boilerplate(public)}
    found["all"] = found["public"] if len(public) == len(every) else boilerplate(every)
    out: list[Finding] = []
    for case in finished:
        extra = found["public" if case.public else "all"].get(case.slug)
        if extra:
            out += [f for f in extra if f.rule not in case.silenced_rules]
    return tuple(sorted(out, key=in_order))


def load_project(
    root: Path, paths: Sequence[Path] | None = None, *, base: Path | None = None
) -> Project:
    """The library and the given case files (default: all of cases/), each checked, in this
    process; messages show paths relative to `base` (default: the working folder)."""
    base = base or Path.cwd()
    library = load_library(root / SNIPPETS_DIR, display_path(root / SNIPPETS_DIR, base))
    chosen = case_paths(root) if paths is None else list(paths)
    inside = Containment(root)
    cases = tuple(check_case(p, library, display_path(p, base), root, inside) for p in chosen)
    cases = one_case_a_slug(cases)
    return Project(root, library, cases, across=across_cases(cases))


def sendable_letter(root: Path, path: Path) -> tuple[Library, CaseResult, Letter]:
    """One case checked with the library, for a command that needs its letter (`poa render`,
    `poa diff`, `poa packet`): an `InputError` with every error of the library and the case
    if there is one, since a letter with errors is not one to send."""
    project = load_project(root, [path])
    result = project.cases[0]
    problems = [*project.library.findings, *result.errors]
    if problems or result.letter is None:
        raise InputError(problems)
    return project.library, result, result.letter


def _unreadable(path: Path, display: str, inside: Containment | None) -> Finding | None:
    """A case path that cannot or must not be read, as a finding (never an exception)."""
    where = Position(display)
    if not plain_file(path):  # most are: one system call, not three
        if path.is_symlink() and not path.exists():
            return error(
                where,
                "the case file is a link to nothing (its target is missing, or the links loop)",
                "case-missing",
                "replace the link with the case file itself",
            )
        if not path.exists():
            return error(where, "no such case file", "case-missing", "check the path or the slug")
        if path.is_dir():
            return error(where, "expected a case file, found a folder", "case-missing")
    if inside is not None and inside.leaves(path):
        return error(
            where,
            "the case file links to a file outside the project",
            "case-outside",
            "copy the file into cases/ instead of linking to it",
        )
    return None


def plain_file(path: Path) -> bool:
    """A regular file, not a link to one (one `lstat`; False where it cannot be read)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


class Containment:
    """Whether a path is a link (the file itself, or a folder above it in the project) that
    leads outside the project (`leaves`; a path given outside the project on purpose, `poa
    check /tmp/x.yaml`, is not a leak), for many paths of one project at once: the root is
    resolved once, and a folder's answer for the plain files in it is remembered (resolving
    every path of a thousand cases was a tenth of a warm `poa check`). Make one per load: a
    folder replaced by a link since is then seen."""

    def __init__(self, root: Path) -> None:
        self._absolute = root.absolute()
        self._real = root.resolve()
        self._folders: dict[Path, bool] = {}
        # a file of one of these names could be the project folder itself: not remembered
        self._names = {"", ".", "..", self._absolute.name, self._real.name}

    def leaves(self, path: Path) -> bool:
        if path.is_symlink():
            return not path.resolve().is_relative_to(self._real)
        if path.name in self._names:
            return self._leaves(path)
        # not a link: a file is where its folder really is, so its answer is its folder's
        verdict = self._folders.get(path.parent)
        if verdict is None:
            verdict = self._folders[path.parent] = self._leaves(path)
        return verdict

    def _leaves(self, path: Path) -> bool:
        if not path.absolute().is_relative_to(self._absolute):
            return False  # given outside the project on purpose
        special = path.name in ("", ".", "..")
        real = path.resolve() if special else path.parent.resolve() / path.name
        return not real.is_relative_to(self._real)


def errors_in(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.level is Level.ERROR)
