"""Loading a whole project again and again, redoing only what changed.

A build, `poa check` of the whole project, and every rebuild of the preview server load all
the cases. Most did not change since the last time, so:

- within one process, a `Loader` keeps each case's result in its memo while the file (its
  modification time, size and inode), the library and the review date stand;
- across processes, each checked case is kept in the cache (`project.cache`) as a `Record`
  under a key made of its bytes, the path messages show for it and the library's digest,
  with the files a site made of it (`Prepare`): its page, text and DOCX, as verified blobs;
- what must be checked is checked on every core (`project.parallel`).

A result read back from the cache has its findings but no letter; a site gets the files it
made when the case was checked, and `poa check` gets no case model (see `Record`).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import pickle
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from ..errors import ConfigError, Finding
from ..model.case import Case, CaseFile
from ..model.document import Document
from ..model.library import Library
from ..review.boilerplate import Sentence
from ..review.review import today as review_date
from ..source.evidence import evidence_base, evidence_path
from ..source.layout import (
    CACHE_DIR,
    CASES_DIR,
    SNIPPETS_DIR,
    case_paths,
    display_path,
    project_folder,
    slug_of,
)
from ..source.records import sent_folder
from ..source.yaml import MAX_BYTES
from .cache import Cache, digest, folder_fingerprint
from .load import (
    CaseResult,
    Containment,
    Project,
    across_cases,
    case_ahead,
    check_case,
    load_library,
    one_case_a_slug,
)
from .memo import Memo
from .packet import attachment_check
from .parallel import PARALLEL_FROM, Progress, ReadAhead, on_every_core, uncollected
from .settings import switch

#: What a site makes of a freshly checked case while its letter is at hand: files by name
#: ("page.md", "txt", "docx"), kept with the case in the cache.
Prepare = Callable[[CaseResult, Library], dict[str, bytes]]

_RECORD = 4  # the layout of a pickled Record; bump when it changes


@dataclass(frozen=True)
class Record:
    """A case's checked state, as the cache keeps it: the case, its findings, whether its
    letter was assembled, the day it was checked, and the digests of the files made of it.

    The case model is pickled on its own (`case`), and what the checks over all cases need of
    it is kept beside it (`public`, `silenced`, `latest`): `poa check` reads a thousand
    records back without unpickling a thousand case models (0.57 s of 1.4 s). Make one with
    `Record.of`."""

    case: bytes | None  # the pickled case model (`case_model`)
    findings: tuple[Finding, ...]
    assembled: bool
    checked_on: dt.date
    files: dict[str, str] = field(default_factory=dict)  # name -> blob digest
    sentences: tuple[Sentence, ...] = ()  # for the boilerplate check over all cases
    public: bool = False
    silenced: frozenset[str] = frozenset()  # the rules the case silences
    latest: dt.date | None = None  # its latest completion or document date (`valid_on`)

    @staticmethod
    def of(
        case: Case | None,
        findings: tuple[Finding, ...],
        assembled: bool,
        checked_on: dt.date,
        files: dict[str, str] | None = None,
        sentences: tuple[Sentence, ...] = (),
    ) -> Record:
        if case is None:
            return Record(None, findings, assembled, checked_on, files or {}, sentences)
        dates = [a.done for a in case.corrective_actions] + [d.date for d in case.evidence]
        return Record(
            pickle.dumps(case, protocol=pickle.HIGHEST_PROTOCOL),
            findings,
            assembled,
            checked_on,
            files or {},
            sentences,
            case.public,
            case.silenced_rules,
            max((day for day in dates if day is not None), default=None),
        )

    def case_model(self) -> Case | None:
        """The case model, unpickled now; None if there is none or it is not a case."""
        try:
            case = pickle.loads(self.case) if self.case is not None else None
        except Exception:  # a class that moved or changed: made again
            return None
        return case if isinstance(case, Case) else None

    def valid_on(self, today: dt.date) -> bool:
        """Whether checking again on `today` would find the same: the review compares only
        completion and document dates with the day (and names the day when one is after it)."""
        if today == self.checked_on or self.case is None or not self.assembled:
            return True
        return self.latest is None or self.latest <= min(today, self.checked_on)

    def to_bytes(self) -> bytes:
        """Pickle, because a case's free-form `vars` keep their YAML types (a date stays a
        date). The cache only ever unpickles an entry whose digest it verified, and is as
        trusted as the project folder it sits in (whose hooks MkDocs runs anyway)."""
        return pickle.dumps((_RECORD, self), protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(data: bytes) -> Record | None:
        """The record in `data`; None if it is from another layout or not a record."""
        try:
            layout, record = pickle.loads(data)
        except Exception:  # a class that moved or changed: made again
            return None
        if layout != _RECORD or not isinstance(record, Record):
            return None
        if not (record.case is None or isinstance(record.case, bytes)):
            return None
        return record if all(isinstance(f, Finding) for f in record.findings) else None


class Loader:
    """Loads the project in `root` again and again (see the module). Messages show paths
    relative to `base` (default: `root`). `remember=False`, for a loader that loads once
    (`poa check`): nothing is kept in memory for a next load, and nothing is looked up (the
    stamps of a thousand case files and records folders: some 0.05 s)."""

    def __init__(self, root: Path, *, base: Path | None = None, remember: bool = True) -> None:
        self.root = root
        self.base = base or root
        self.remember = remember
        self.memo = Memo()
        self._library: tuple[tuple[object, ...], Library, str] | None = None
        self._latest: Project | None = None

    def latest(self) -> Project:
        """The project as the last `load` gave it (a build's macros see what its hook
        loaded); loaded now, without the cache, if nothing loaded it yet."""
        return self._latest or self.load()

    def load(
        self,
        *,
        cache_folder: Path | None = None,
        prepare: Prepare | None = None,
        findings_only: bool = False,
        progress: Progress | None = None,
    ) -> Project:
        """Every case of the project; with `cache_folder`, read back from and kept in the
        cache; with `prepare`, each with the files a site makes of it. `findings_only`: the
        cases a worker checks come back without their case file (`poa check` prints only
        findings; sending a thousand cases back from the workers costs half a second).
        `progress` is told how many of the cases checked afresh are done, as they are."""
        cache = Cache(cache_folder) if cache_folder is not None else None
        paths = case_paths(self.root)
        # A load that checks every case (nothing loaded yet, nothing cached) reads them ahead
        # on the core that is idle while the library loads.
        cold = self._library is None and (cache is None or cache.empty())
        ahead_of = paths if cold and len(paths) >= PARALLEL_FROM else []
        read = partial(_case_ahead, self.base, Containment(self.root))
        with ReadAhead(read, ahead_of) as ahead:
            if cache is not None:
                cache.tidy()
            library, library_key = self._current_library(cache)
            found = {ahead_of[index]: data for index, data in ahead.collect().items()}
        work = _Work(
            library,
            library_key,
            self.root,
            self.base,
            cache,
            prepare,
            review_date(),
            findings_only,
            found,
        )
        folders = work.case_folders if self.remember else None
        keys: dict[Path, tuple[object, ...] | None] = {
            path: (
                *("result", path, _stamp(path), _records_stamp(path, folders), library_key),
                *(work.today, cache_folder, prepare, findings_only),
            )
            if self.remember
            else None
            for path in paths
        }
        results: dict[Path, CaseResult | None] = {}
        with uncollected():
            for path, key in keys.items():
                results[path] = (key is not None and self.memo.find(key)) or work.kept(path)
        todo = [path for path, found in results.items() if found is None]
        results.update(zip(todo, on_every_core(work.fresh, todo, progress=progress), strict=True))
        cases = tuple(r for r in results.values() if r is not None)
        if self.remember:
            for key, result in zip(keys.values(), cases, strict=True):
                self.memo.keep(key, result)
            self.memo.sweep()
        cases = one_case_a_slug(cases)
        across = across_cases(cases)
        self._latest = Project(
            self.root,
            library,
            cases,
            library_key,
            across=across,
            cache=cache,
            checked_afresh=len(todo),
        )
        return self._latest

    def _current_library(self, cache: Cache | None) -> tuple[Library, str]:
        folder = self.root / SNIPPETS_DIR
        # every entry, followed through links or not: a file that became a link or a folder
        stamps = tuple(sorted((str(p), _stamp(p), _lstamp(p)) for p in folder.rglob("*")))
        if self._library is None or self._library[0] != stamps:
            fingerprint = folder_fingerprint(folder)
            display = display_path(folder, self.base)
            library = load_library(folder, display, cache=cache, fingerprint=fingerprint)
            self._library = (stamps, library, fingerprint)
        return self._library[1], self._library[2]


@dataclass(frozen=True)
class _Work:
    """Checks one case for a load: from the cache if it can, else for real (in a worker)."""

    library: Library
    library_key: str
    root: Path
    base: Path
    cache: Cache | None
    prepare: Prepare | None
    today: dt.date
    findings_only: bool = False
    ahead: Mapping[Path, bytes] = field(default_factory=dict)  # read ahead (`case_ahead`)

    @functools.cached_property
    def inside(self) -> Containment:
        return Containment(self.root)

    def _display(self, path: Path) -> str:
        return _display(path, self.base)

    def key(self, path: Path) -> str | None:
        """What the case's results are made from, as a digest (its key in the cache and in a
        site's memo); None for anything but a plain file of a plain size (links, pipes,
        devices, huge files are checked afresh, and reported, every time)."""
        if self.inside.leaves(path):
            return None
        data = _plain_bytes(path)
        if data is None:
            return None
        records = _records(path, self.case_folders if path.parent == self._cases else None)
        if records is None:
            return None
        return digest("case", self._display(path), data, self.library_key, records)

    @functools.cached_property
    def _cases(self) -> Path:
        return self.root / CASES_DIR

    @functools.cached_property
    def case_folders(self) -> frozenset[str] | None:
        """The folders of cases/, listed once a load (for the keys, and for the memo's
        stamps): a case without one has no records."""
        return _folders(self._cases)

    def kept(self, path: Path) -> CaseResult | None:
        """The case as the cache kept it, with its files intact; None if anything is missing,
        damaged or from another day that could change the review."""
        if self.cache is None:
            return None
        key = self.key(path)
        if key is None:
            return None
        data = self.cache.get(key)
        record = None if data is None else Record.from_bytes(data)
        if record is None or not record.valid_on(self.today):
            return None
        # `poa check` needs no case model (see Record) but to check an evidence folder
        needed = not self.findings_only or self._has_evidence_folder(path)
        case = record.case_model() if needed else None
        if case is None and record.case is not None and needed:
            return None
        files: dict[str, Path | bytes] = {}
        if self.prepare is not None:
            if not record.files and record.assembled:
                return None  # checked by `poa check`, which makes no files: make them now
            for name, blob in record.files.items():
                found = self.cache.blob_path(blob, _extension(name))
                if found is None:
                    return None
                files[name] = found
        return self._result(path, key, record, case, files)

    def _has_evidence_folder(self, path: Path) -> bool:
        slug, names = slug_of(path), self._evidence_names
        if names is not None and slug.isascii() and slug.lower() not in names:
            return False
        return evidence_path(self.root, self.library.settings.evidence_folder, slug).is_dir()

    @functools.cached_property
    def _evidence_names(self) -> frozenset[str] | None:
        """What the evidence folder holds, in lower case, listed once a load (a thousand cases
        without a folder of their own then need no look-up each); a name found is still
        looked up, as a disk that ignores case finds it. None where the folder cannot be
        listed, or holds a name that is not ASCII (which such a disk may match otherwise)."""
        try:
            names = os.listdir(evidence_base(self.root, self.library.settings.evidence_folder))
        except (OSError, ValueError):
            return None
        if not all(name.isascii() for name in names):
            return None
        return frozenset(name.lower() for name in names)

    def _result(
        self,
        path: Path,
        key: str,
        record: Record,
        case: Case | None,
        files: Mapping[str, Path | bytes],
    ) -> CaseResult:
        display = self._display(path)
        file = None
        if case is not None:
            file = CaseFile(slug_of(path), path, Document(display, None), case)
        return CaseResult(
            slug_of(path),
            path,
            display,
            file,
            record.findings,
            record.assembled,
            files=files,
            key=key,
            sentences=record.sentences,
            is_public=record.public,
            silenced_rules=record.silenced,
        )

    def fresh(self, path: Path) -> CaseResult:
        """Check the case, make its files, keep both in the cache; the result without its
        letter (a thousand letters held in memory would cost 100 MB)."""
        # nothing reads a findings-only result's key when there is no cache to keep it in
        key = None if self.findings_only and self.cache is None else self.key(path)
        result = check_case(
            path, self.library, self._display(path), self.root, self.inside, self.ahead.get(path)
        )
        made = (
            self.prepare(result, self.library)
            if self.prepare is not None and result.letter is not None
            else {}
        )
        files: dict[str, Path | bytes] = dict(made)
        blobs: dict[str, str] = {}
        if self.cache is not None and key is not None:
            for name, data in made.items():
                kept = self.cache.blob(data, _extension(name))
                if kept is not None:
                    files[name], blobs[name] = kept, kept.name.split(".")[0]
            record = Record.of(
                result.case,
                result.findings,
                result.assembled,
                self.today,
                blobs,
                result.sentences,
            )
            if len(blobs) == len(made):
                self.cache.put(key, record.to_bytes())
        # The case model stays (without its YAML positions) for a build. `poa check` needs
        # only what the checks over all cases read of it, unless the evidence folder's check
        # reads it too: a thousand case models sent back from the workers cost a second.
        slim_file = result.file
        if slim_file is not None and self.findings_only and not self._has_evidence_folder(path):
            slim_file = None
        elif slim_file is not None:
            slim_file = replace(slim_file, source=Document(result.display, None))
        return replace(result, file=slim_file, letter=None, files=files, key=key)


def _case_ahead(base: Path, inside: Containment, path: Path) -> bytes | None:
    return case_ahead(path, _display(path, base), inside)


def _display(path: Path, base: Path) -> str:
    if path.is_absolute() and base.is_absolute():  # then the working folder is moot
        return _shown(path, base)
    return display_path(path, base)


@functools.lru_cache(maxsize=16384)
def _shown(path: Path, base: Path) -> str:
    """`display_path` of absolute paths, asked for every case twice a load (pathlib's
    `relative_to` is slow), remembered."""
    return display_path(path, base)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1]


#: How a key's file is opened: to read, never through a link (one swapped in since `lstat`),
#: as bytes, not inherited by child processes; flags a system lacks are left out (Windows has
#: no O_NOFOLLOW, and only Windows has O_BINARY).
_READ_PLAIN = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _plain_bytes(path: Path) -> bytes | None:
    """The bytes of a plain file (not a link, a folder, a pipe or a device) of at most
    `MAX_BYTES`; None for anything else, or what cannot be read. A key is read for every case
    of every load: one `lstat`, and an `open` that refuses a link (the file swapped for one
    since), where `plain_file` and `Path.open` took three system calls and more Path work."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        handle = os.open(path, _READ_PLAIN)
    except (OSError, ValueError):
        return None
    try:
        data = os.read(handle, info.st_size + 1)
        while len(data) <= MAX_BYTES and (more := os.read(handle, MAX_BYTES + 1 - len(data))):
            data += more  # the file grew since it was looked at
    except OSError:
        return None
    finally:
        os.close(handle)
    return data if len(data) <= MAX_BYTES else None


def _records(path: Path, folders: frozenset[str] | None = None) -> bytes | None:
    """What the case's records (cases/<slug>/sent/) hold, for its key: each name and its
    bytes (a few kilobytes each; the case page shows them); None when the folder cannot be
    listed (the case is then checked afresh, and its finding shown, every time). `folders`:
    as for `_sent`."""
    folder = _sent(path, folders)
    if folder is None or folder.is_symlink():
        return b""
    entries = _listing(folder)
    if entries is None:
        return None
    parts = []
    for entry in entries:
        try:
            data = entry.read_bytes() if entry.is_file() else b""
        except OSError:
            data = b"?"
        parts.append(digest("record", entry.name, data).encode())
    return b"\n".join(parts)


def _records_stamp(path: Path, folders: frozenset[str] | None = None) -> tuple[object, ...]:
    """What the case's records folder is now, to tell whether a memo's result is current.
    `folders`: as for `_sent`."""
    folder = _sent(path, folders)
    if folder is None:
        return ()
    entries = _listing(folder)
    if entries is None:  # a stamp equal to none: what a memo kept is never taken for it
        return (object(),)
    return (_stamp(folder), *((p.name, _stamp(p)) for p in entries))


def _sent(path: Path, folders: frozenset[str] | None) -> Path | None:
    """The case's records folder, if it has one. `folders`: the folders beside the case file
    (`_folders`), when they were listed: a case without one has no records, and needs no
    look-up of its own."""
    if folders is not None and slug_of(path) not in folders:
        return None
    folder = sent_folder(path)
    return folder if folder.is_dir() else None


def _folders(folder: Path) -> frozenset[str] | None:
    """The names of the folders (or links to folders) in `folder`, from one listing; None
    when it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries if entry.is_dir())
    except OSError:
        return None


def _listing(folder: Path) -> list[Path] | None:
    """The folder's entries in order; None when it cannot be listed (no read permission)."""
    try:
        return sorted(folder.iterdir())
    except OSError:
        return None


def _stamp(path: Path) -> tuple[object, ...]:
    try:
        info = path.stat()
    except OSError:
        return ("missing",)
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def _lstamp(path: Path) -> tuple[object, ...]:
    """`_stamp` of the entry itself, not followed if it is a link."""
    try:
        info = path.lstat()
    except OSError:
        return ("missing",)
    return (info.st_mode, info.st_mtime_ns, info.st_size, info.st_ino)


# -- the whole project, for `poa check` ------------------------------------------------------


def check_project(
    root: Path,
    paths: Sequence[Path] | None = None,
    *,
    base: Path | None = None,
    cache_folder: Path | None = None,
    progress: Progress | None = None,
) -> Project:
    """`poa check`: the findings of the given cases (default: all of cases/) and the library,
    the cases checked on every core. A check of the whole project with a `cache_folder`
    reads back the cases that did not change since they were last checked; the cases it
    checks come back with their findings only (see `Loader.load`). `progress` is told how
    many of the cases checked afresh are done, as they are."""
    base = base or Path.cwd()
    if paths is None:
        project = Loader(root, base=base, remember=False).load(
            cache_folder=cache_folder, findings_only=True, progress=progress
        )
    else:
        library = load_library(root / SNIPPETS_DIR, display_path(root / SNIPPETS_DIR, base))
        check = partial(_findings_only, library, root, base, Containment(root))
        checked = on_every_core(check, list(paths), progress=progress)
        cases = one_case_a_slug(checked, _listed_cases(root), base)
        project = Project(root, library, cases, across=across_cases(cases))
    return _with_evidence_folders(project, base)


def _listed_cases(root: Path) -> list[Path]:
    """The project's case files, for the cases named one by one to be held to; none where
    cases/ cannot be listed (the files named are still checked, each on its own)."""
    try:
        return case_paths(root)
    except ConfigError:
        return []


def _with_evidence_folders(project: Project, base: Path) -> Project:
    """The checks of each case's evidence folder added, where the folder exists: read now,
    never kept in the cache (the folder is not part of what a case's key is made from), and
    never part of a site (its findings name the client's files)."""
    cases = []
    for result in project.cases:
        found = attachment_check(project.root, project.library, result, base)
        cases.append(replace(result, findings=(*result.findings, *found)) if found else result)
    return replace(project, cases=tuple(cases))


def _findings_only(
    library: Library, root: Path, base: Path, inside: Containment, path: Path
) -> CaseResult:
    result = check_case(path, library, display_path(path, base), root, inside)
    return replace(result, letter=None)


# -- one loader per project in a process -------------------------------------------------------

_LOADERS: dict[Path, Loader] = {}


def loader(root: Path) -> Loader:
    """The one `Loader` of `root` in this process, shared by the MkDocs hook and the macros
    of one build, and by every rebuild of a preview server."""
    key = root.resolve()
    if key not in _LOADERS:
        _LOADERS[key] = Loader(root)
    return _LOADERS[key]


def cache_folder(root: Path, settings: Mapping[str, object]) -> Path | None:
    """The project's cache folder, unless the site's settings (mkdocs.yml's extra.poakit)
    turn it off with `cache: false`."""
    on = switch("extra.poakit.cache", settings.get("cache"), default=True)
    return root / CACHE_DIR if on else None


def site_cache_folder(config_file: str, settings: Mapping[str, object]) -> Path | None:
    """`cache_folder` of the project whose site configuration is `config_file`; None also when
    the setting is not a switch (the hook that loads the project reports that, once)."""
    try:
        return cache_folder(project_folder(config_file), settings)
    except ConfigError:
        return None
