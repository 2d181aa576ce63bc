"""A poakit project on disk: the snippet library and the case files, loaded and checked.

This is the one entry point the CLI, the MkDocs hooks and the macros share: it collects every
problem of every file in one pass (collect, then fail once) instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from .case import CaseFile, load_case, slug_of
from .casecache import RECORD, CaseStore, Record, folder_fingerprint
from .errors import ConfigError, Finding, InputError, Level, Position, error
from .letter import Letter, assemble
from .library import Library, load_library
from .review import review
from .review import today as review_date
from .yamlsource import MAX_BYTES, Document

T = TypeVar("T")
U = TypeVar("U")

CASES_DIR = "cases"
SNIPPETS_DIR = "snippets"
#: Where checked cases and the files made from them are kept (see `casecache`).
STORE_DIR = ".cache/poakit"


def store_folder(root: Path, settings: Mapping[str, Any]) -> Path | None:
    """The project's cache folder, unless the site's settings (mkdocs.yml's extra.poakit)
    turn it off with `cache: false`."""
    return root / STORE_DIR if settings.get("cache", True) else None


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
    # A result read back from a CaseStore has its case and findings but no letter (nor YAML
    # positions); `assembled` says a letter exists, `reload` checks the file again for it.
    assembled: bool = False
    stored: tuple[CaseStore, str] | None = field(default=None, repr=False, compare=False)
    reload: Callable[[], CaseResult] | None = field(default=None, repr=False, compare=False)

    def remember(self, key: str, make: Callable[[], T]) -> T:
        if key not in self.memo:
            self.memo[key] = make()
        return cast(T, self.memo[key])

    def kept(self, name: str, make: Callable[[], bytes]) -> Path | bytes:
        """A file made from this case: kept in the case store (its path) when there is one,
        made only if the store lacks it; else just made (its bytes)."""
        if self.stored is None:
            return make()
        store, key = self.stored
        path = store.path(key, name)
        if path.is_file():
            return path
        data = make()
        return store.write(key, name, data) or data

    def full_letter(self) -> Letter | None:
        """The letter, checking the case file again if this result came from the store."""
        if self.letter is None and self.assembled and self.reload is not None:
            fresh = self.reload()
            self.file, self.letter = fresh.file or self.file, fresh.letter
        return self.letter

    def slim(self) -> CaseResult:
        """This result without its letter and YAML positions: what a site keeps of a case
        once its page and files are made (a thousand letters would cost 100 MB)."""
        self.letter = None
        if self.file is not None:
            empty = Document(self.display, None)
            self.file = CaseFile(self.file.slug, self.file.path, empty, self.file.case)
        return self

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
    store: Path | None = None,
) -> Project:
    """`load_project` for `poa check`: the same findings, the cases reviewed on every core.

    Only the findings come back from the workers (the letters stay behind), which is all
    `poa check` reports. Where processes cannot be forked, it works in one process. With a
    `store` folder (see `ProjectCache`), a check of the whole project reads back the cases
    that did not change since they were last checked.
    """
    base = base or Path.cwd()
    if paths is None and store is not None:
        cache = ProjectCache(root, base=base)
        cache.use(store)
        return cache.load()
    library = load_library(root / SNIPPETS_DIR, display_path(root / SNIPPETS_DIR, base))
    chosen = case_paths(root) if paths is None else list(paths)
    work = [(path, display_path(path, base)) for path in chosen]
    if len(work) < PARALLEL_FROM or not _can_fork(jobs):
        return Project(root, library, [check_case(p, library, d, root) for p, d in work])
    return Project(
        root, library, _on_every_core(partial(_findings_only, library, root), work, jobs)
    )


def _findings_only(library: Library, root: Path, item: tuple[Path, str]) -> CaseResult:
    full = check_case(item[0], library, item[1], root)
    return CaseResult(full.slug, full.path, full.display, findings=full.findings)


def _can_fork(jobs: int | None = None) -> bool:
    return (jobs or os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


_WORKER: dict[str, Callable[[Any], Any]] = {}


def _on_every_core(work: Callable[[T], U], items: Sequence[T], jobs: int | None = None) -> list[U]:
    """`work` over `items` in forked processes (which inherit the loaded library), in order."""
    jobs = jobs or os.cpu_count() or 1
    _WORKER["work"] = work
    chunks = [list(items[i :: jobs * 4]) for i in range(jobs * 4)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        done = pool.map(_work_chunk, chunks)
    # chunk i holds items i, i + n, i + 2n...: put them back in order
    ordered: list[U] = [None] * len(items)  # type: ignore[list-item]
    for i, chunk in enumerate(done):
        ordered[i :: jobs * 4] = chunk
    return ordered


def _work_chunk(chunk: list[Any]) -> list[Any]:
    return [_WORKER["work"](item) for item in chunk]


#: What a site makes of each freshly checked case (its page, its files), while the case's
#: letter is at hand; see `ProjectCache`.
Prepare = Callable[[CaseResult, Library], None]


class ProjectCache:
    """Loads a project again and again, redoing only what changed since the last load.

    The preview server rebuilds the site on every save; with hundreds of cases, reloading
    and reviewing every one of them would make each rebuild slow. A case is reused while its
    file (size, modification time), the library and the review date are unchanged; the
    library is reused while no file under snippets/ changed.

    With a `store` folder, results also outlive the process (see `casecache`): a case whose
    bytes, library, review date and code are unchanged is read back, not checked again.
    Cases that must be checked are then checked on every core, each `prepare`d (its page and
    files made and stored) where it was checked, and kept `slim`.
    """

    def __init__(self, root: Path, *, base: Path | None = None) -> None:
        self.root = root
        self.base = base or root  # messages show paths relative to this folder
        self.store_folder: Path | None = None
        self.prepare: Prepare | None = None
        self._library: tuple[tuple[object, ...], Library, str] | None = None
        self._cases: dict[Path, tuple[tuple[object, ...], CaseResult]] = {}

    def use(self, store_folder: Path | None, prepare: Prepare | None = None) -> None:
        """Keep results in `store_folder` (None: in memory only); `prepare` each new one."""
        if (store_folder, prepare) != (self.store_folder, self.prepare):
            self.store_folder, self.prepare = store_folder, prepare
            self._cases.clear()

    def load(self) -> Project:
        library, fingerprint = self._current_library()
        today_key = review_date()
        store = None
        if self.store_folder is not None:
            store = CaseStore(self.store_folder, fingerprint)
        cases: dict[Path, CaseResult] = {}
        missing: list[tuple[Path, tuple[object, ...]]] = []
        for path in case_paths(self.root):
            key: tuple[object, ...] = (_stamp(path), today_key)
            cached = self._cases.get(path)
            if cached is not None and cached[0] == key:
                cases[path] = cached[1]
            else:
                missing.append((path, key))
        for (path, key), result in zip(missing, self._check(missing, library, store), strict=True):
            self._cases[path] = (key, result)
            cases[path] = result
        if store is not None and missing:
            store.prune()
            store.drop_unused({r.stored[1] for r in cases.values() if r.stored is not None})
        return Project(self.root, library, list(cases.values()))

    def _check(
        self,
        missing: list[tuple[Path, tuple[object, ...]]],
        library: Library,
        store: CaseStore | None,
    ) -> list[CaseResult]:
        checker = _Checker(library, self.root, self.base, store, self.prepare, review_date())
        paths = [path for path, _ in missing]
        if store is None or len(paths) < PARALLEL_FROM or not _can_fork():
            return [checker(path) for path in paths]
        # Read back what the store has here; check the rest on every core.
        results = {path: checker.stored(path) for path in paths}
        todo = [path for path, result in results.items() if result is None]
        if len(todo) >= PARALLEL_FROM:
            results.update(zip(todo, _fork_map(checker, todo), strict=True))
        return [results[path] or checker(path) for path in paths]

    def _current_library(self) -> tuple[Library, str]:
        folder = self.root / SNIPPETS_DIR
        key = tuple(sorted((str(p), _stamp(p)) for p in folder.rglob("*") if p.is_file()))
        if self._library is None or self._library[0] != key:
            library = load_library(folder, display_path(folder, self.base))
            self._library = (key, library, folder_fingerprint(folder))
            self._cases.clear()
        return self._library[1], self._library[2]


class _Checker:
    """Checks one case for a `ProjectCache`: from its store if it can, else for real."""

    def __init__(
        self,
        library: Library,
        root: Path,
        base: Path,
        store: CaseStore | None,
        prepare: Prepare | None,
        today: dt.date,
    ) -> None:
        self.library, self.root, self.base = library, root, base
        self.store, self.prepare, self.today = store, prepare, today

    def __call__(self, path: Path) -> CaseResult:
        return self.stored(path) or self.fresh(path)

    def _display(self, path: Path) -> str:
        return display_path(path, self.base)

    def _key(self, path: Path) -> str | None:
        """The case's key in the store; None for anything but a plain file of a plain size
        (links, pipes, devices, huge files are checked afresh, and reported, every time)."""
        if self.store is None or not self._plain_folder(path.parent):
            return None
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):  # lstat: a link is not plain
                return None
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError:
            return None
        return None if len(data) > MAX_BYTES else self.store.key(self._display(path), data)

    @functools.cache  # noqa: B019 - one checker per load, and a handful of folders
    def _plain_folder(self, folder: Path) -> bool:
        """A folder inside the project that no link leads out of (see `_leaves`)."""
        return folder.resolve().is_relative_to(self.root.resolve())

    def stored(self, path: Path) -> CaseResult | None:
        key = self._key(path)
        if key is None or self.store is None:
            return None
        data = self.store.read(key)
        record = None if data is None else Record.from_bytes(data)
        if record is None or not record.valid_on(self.today):
            if record is not None:  # its page names findings of another day: make it again
                self.store.forget(key)
            return None
        display = self._display(path)
        result = CaseResult(
            slug_of(path), path, display, findings=record.findings, assembled=record.assembled
        )
        if record.case is not None:
            result.file = CaseFile(result.slug, path, Document(display, None), record.case)
        result.stored = (self.store, key)
        result.reload = self.reload(result)
        return result

    def reload(self, result: CaseResult) -> Callable[[], CaseResult]:
        """How `result` gets its letter back: by checking its file again."""
        return partial(check_case, result.path, self.library, result.display, self.root)

    def fresh(self, path: Path) -> CaseResult:
        key = self._key(path)
        result = check_case(path, self.library, self._display(path), self.root)
        result.reload = self.reload(result)
        if key is not None and self.store is not None:
            result.stored = (self.store, key)
        if self.prepare is not None:
            self.prepare(result, self.library)
        if result.stored is None:
            return result
        case = result.file.case if result.file else None
        record = Record(case, result.findings, result.assembled, self.today)
        store, key = result.stored
        store.write(key, RECORD, record.to_bytes())
        return result.slim()

    def fresh_to_send(self, path: Path) -> CaseResult:
        """`fresh`, in a worker: without its reload, a closure over the library that the
        parent process gives back (see `_fork_map`)."""
        result = self.fresh(path)
        result.reload = None
        return result


def _fork_map(checker: _Checker, paths: list[Path]) -> list[CaseResult]:
    """`checker.fresh` over `paths` on every core: the workers store what they make, and send
    back slim results (their pages and files are in the store)."""
    results = _on_every_core(checker.fresh_to_send, paths)
    for result in results:
        result.reload = checker.reload(result)
        if result.stored is not None:  # the parent's own store, not a copy per case
            result.stored = (cast(CaseStore, checker.store), result.stored[1])
    return results


_CACHES: dict[Path, ProjectCache] = {}


def project_cache(root: Path) -> ProjectCache:
    """The one `ProjectCache` of `root` in this process, shared by the MkDocs hook and the
    macros of one build, and by every rebuild of a preview server."""
    key = root.resolve()
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = ProjectCache(root)
    return cache


def cached_project(root: Path) -> Project:
    """The project at `root`, loaded through its shared `ProjectCache`."""
    return project_cache(root).load()


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
    result.assembled = True
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
