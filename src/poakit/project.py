"""A poakit project on disk: the snippet library and the case files, loaded and checked.

This is the one entry point the CLI, the MkDocs hooks and the macros share: it collects every
problem of every file in one pass (collect, then fail once) instead of stopping at the first.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from .case import CaseFile, load_case, slug_of
from .errors import ConfigError, Finding, InputError, Level, Position, error
from .letter import Letter, assemble
from .library import Library, load_library
from .review import review
from .review import today as review_date

T = TypeVar("T")

CASES_DIR = "cases"
SNIPPETS_DIR = "snippets"


@dataclass
class CaseResult:
    """One case file after loading, assembly and review."""

    slug: str
    path: Path
    display: str
    file: CaseFile | None = None
    letter: Letter | None = None
    findings: list[Finding] = field(default_factory=list)
    # What pages and exports made of this result, kept while the result itself is reused
    # (see ProjectCache): a preview rebuild then remakes only the pages of changed cases.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: str, make: Callable[[], T]) -> T:
        if key not in self.memo:
            self.memo[key] = make()
        return cast(T, self.memo[key])

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def public(self) -> bool:
        return self.file is not None and self.file.case.public


@dataclass
class Project:
    root: Path
    library: Library
    cases: list[CaseResult]

    @property
    def findings(self) -> list[Finding]:
        everything = [*self.library.findings, *(f for c in self.cases for f in c.findings)]
        # a snippet's own wording is reported once, however many cases use it
        unique = {str(f): f for f in everything}
        return sorted(unique.values(), key=lambda f: (f.position, f.rule))

    def case(self, slug: str) -> CaseResult | None:
        return next((c for c in self.cases if c.slug == slug), None)


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds a `snippets/` library."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SNIPPETS_DIR).is_dir():
            return folder
    raise ConfigError(
        f"no poakit project here: no '{SNIPPETS_DIR}/' folder in {here} or above it "
        "(run poa inside a poakit checkout, or pass --root)"
    )


def case_paths(root: Path) -> list[Path]:
    folder = root / CASES_DIR
    if not folder.is_dir():
        return []
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as messages show it: relative to `base` (default: the working folder) if inside."""
    base = (base or Path.cwd()).absolute()
    absolute = path.absolute()
    if absolute.is_relative_to(base):
        return absolute.relative_to(base).as_posix()
    return str(absolute)


def load_project(
    root: Path, paths: Sequence[Path] | None = None, *, base: Path | None = None
) -> Project:
    """Load the library and the given case files (default: all of cases/)."""
    base = base or Path.cwd()
    library = load_library(root / SNIPPETS_DIR, display_path(root / SNIPPETS_DIR, base))
    chosen = case_paths(root) if paths is None else list(paths)
    cases = [check_case(path, library, display_path(path, base), root) for path in chosen]
    return Project(root, library, cases)


#: Below this many cases, `check_project` works in one process (starting workers costs more).
PARALLEL_FROM = 64


def check_project(
    root: Path,
    paths: Sequence[Path] | None = None,
    *,
    base: Path | None = None,
    jobs: int | None = None,
) -> Project:
    """`load_project` for `poa check`: the same findings, the cases reviewed on every core.

    Only the findings come back from the workers (the letters stay behind), which is all
    `poa check` reports. Where processes cannot be forked, it works in one process.
    """
    base = base or Path.cwd()
    library = load_library(root / SNIPPETS_DIR, display_path(root / SNIPPETS_DIR, base))
    chosen = case_paths(root) if paths is None else list(paths)
    jobs = jobs or os.cpu_count() or 1
    work = [(path, display_path(path, base)) for path in chosen]
    if (
        jobs < 2
        or len(work) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return Project(root, library, [check_case(p, library, d, root) for p, d in work])
    _WORKER.update(library=library, root=root)
    chunks = [work[i :: jobs * 4] for i in range(jobs * 4)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        done = pool.map(_check_chunk, chunks)
    results = {r.path: r for chunk in done for r in chunk}
    return Project(root, library, [results[p] for p, _ in work])


_WORKER: dict[str, Any] = {}


def _check_chunk(chunk: list[tuple[Path, str]]) -> list[CaseResult]:
    library, root = _WORKER["library"], _WORKER["root"]
    results = []
    for path, display in chunk:
        full = check_case(path, library, display, root)
        results.append(CaseResult(full.slug, full.path, full.display, findings=full.findings))
    return results


class ProjectCache:
    """Loads a project again and again, redoing only what changed since the last load.

    The preview server rebuilds the site on every save; with hundreds of cases, reloading
    and reviewing every one of them would make each rebuild slow. A case is reused while its
    file (size, modification time), the library and the review date are unchanged; the
    library is reused while no file under snippets/ changed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._library: tuple[tuple[object, ...], Library] | None = None
        self._cases: dict[Path, tuple[tuple[object, ...], CaseResult]] = {}

    def load(self) -> Project:
        library = self._current_library()
        today_key = review_date()
        cases = []
        for path in case_paths(self.root):
            key = (_stamp(path), today_key)
            cached = self._cases.get(path)
            if cached is None or cached[0] != key:
                result = check_case(path, library, display_path(path, self.root), self.root)
                self._cases[path] = cached = (key, result)
            cases.append(cached[1])
        return Project(self.root, library, cases)

    def _current_library(self) -> Library:
        folder = self.root / SNIPPETS_DIR
        key = tuple(sorted((str(p), _stamp(p)) for p in folder.rglob("*") if p.is_file()))
        if self._library is None or self._library[0] != key:
            self._library = (key, load_library(folder, display_path(folder, self.root)))
            self._cases.clear()
        return self._library[1]


_CACHES: dict[Path, ProjectCache] = {}


def cached_project(root: Path) -> Project:
    """The project at `root`, sharing one `ProjectCache` per root within this process (the
    MkDocs hook and the macros of one build, and every rebuild of a preview server)."""
    key = root.resolve()
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = ProjectCache(root)
    return cache.load()


def _stamp(path: Path) -> tuple[object, ...]:
    try:
        info = path.stat()
    except OSError:
        return ("missing",)
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def check_case(path: Path, library: Library, display: str, root: Path | None = None) -> CaseResult:
    """Load, assemble and review one case; every problem ends up in `findings`."""
    result = CaseResult(slug_of(path), path, display)
    problem = _unreadable(path, display, root)
    if problem is not None:
        result.findings.append(problem)
        return result
    try:
        result.file = load_case(path, display)
        result.letter = assemble(result.file, library)
    except InputError as exc:
        result.findings.extend(exc.findings)
        return result
    result.findings.extend(review(result.letter, library))
    return result


def _unreadable(path: Path, display: str, root: Path | None) -> Finding | None:
    """A case path that cannot or must not be read, as a finding (never an exception)."""
    where = Position(display)
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
    if root is not None and _leaves(path, root):
        return error(
            where,
            "the case file links to a file outside the project",
            "case-outside",
            "copy the file into cases/ instead of linking to it",
        )
    return None


def _leaves(path: Path, root: Path) -> bool:
    """A link (the file itself, or a folder above it in the project) that leads outside `root`.

    A path given outside the project on purpose (`poa check /tmp/x.yaml`) is not a leak.
    """
    inside = path.absolute().is_relative_to(root.absolute())
    return (path.is_symlink() or inside) and not path.resolve().is_relative_to(root.resolve())


def resolve_case(argument: str, root: Path) -> Path:
    """A case named by path or by slug."""
    candidate = Path(argument)
    if candidate.suffix in (".yaml", ".yml") or os.sep in argument or "/" in argument:
        return candidate
    for suffix in (".yaml", ".yml"):
        path = root / CASES_DIR / f"{argument}{suffix}"
        if path.exists():
            return path
    return root / CASES_DIR / f"{argument}.yaml"


def errors_in(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.level is Level.ERROR)
