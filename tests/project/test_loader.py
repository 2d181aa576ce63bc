"""Loading a project again and again (`poakit.project.loader`): what a later load reads back
from the memo or the cache equals what it would make afresh.

A cache that is ever stale publishes a wrong letter, so every test here compares a warm result
with a cold one, or changes one input and checks that the result follows it.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
import yaml
from conftest import REPO, unlistable

from poakit.project import loader as loader_module
from poakit.project import parallel
from poakit.project.cache import Cache
from poakit.project.load import CaseResult, load_project
from poakit.project.loader import Loader, Record, check_project
from poakit.site.pages import Page, prepare_case, site_pages
from poakit.source.layout import CACHE_DIR

TODAY = "2026-11-27"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", TODAY)


def _cache(root: Path) -> Path:
    return root / CACHE_DIR


def _load(root: Path, *, prepare: bool = True) -> tuple[CaseResult, ...]:
    loader = Loader(root)
    return loader.load(cache_folder=_cache(root), prepare=prepare_case if prepare else None).cases


def _contents(pages: list[Page]) -> dict[str, bytes]:
    def data(content: str | bytes | Path) -> bytes:
        if isinstance(content, Path):
            return content.read_bytes()
        return content.encode() if isinstance(content, str) else content

    return {page.path: data(page.content) for page in pages}


def _site(root: Path) -> dict[str, bytes]:
    project = Loader(root).load(cache_folder=_cache(root), prepare=prepare_case)
    return _contents(site_pages(project, include_private=True))


def _fresh(root: Path) -> dict[str, bytes]:
    return _contents(site_pages(load_project(root, base=root), include_private=True))


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir(parents=True)
    for name in ("snippets", "cases"):
        shutil.copytree(REPO / name, root / name)
    return root


def _date_a_document_after_today(root: Path) -> None:
    """One example case gets a document dated 2026-12-03, after TODAY: an evidence-in-future
    error until that day."""
    path = root / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("date: 2026-09-30", "date: 2026-12-03", 1))


def _project_with_problems(tmp_path: Path) -> Path:
    """A copy of the project with an error in a case (a document dated after TODAY) and a case
    file that is not YAML."""
    root = _project_copy(tmp_path)
    _date_a_document_after_today(root)
    (root / "cases" / "broken.yaml").write_text("visibility: public\nseller: [\n")
    return root


def test_a_record_reads_back_as_the_same_case_and_findings() -> None:
    for result in load_project(REPO, base=REPO).cases:
        assert result.file is not None
        record = Record.of(
            result.file.case, result.findings, result.assembled, dt.date(2026, 11, 27)
        )
        assert Record.from_bytes(record.to_bytes()) == record, result.slug
        assert Record.from_bytes(b"not a record") is None


def test_the_site_from_the_cache_equals_the_site_made_fresh(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    cold = _fresh(root)
    first = _site(root)  # checks every case and fills the cache
    second = _site(root)  # reads every case back
    assert first == cold
    assert second == cold
    warm = _load(root)
    assert all(r.letter is None and set(r.files) == {"page.md", "txt", "docx"} for r in warm)
    assert all(isinstance(path, Path) for r in warm for path in r.files.values())


def test_a_loader_reloads_only_what_changed(mini: Path) -> None:
    loader = Loader(mini)
    first = loader.load()
    again = loader.load()
    assert again.cases[0] is first.cases[0]
    assert again.library is first.library
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("Acme Home Goods LLC", "Acme Renamed LLC"))
    os.utime(case, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = loader.load()
    assert (first.checked_afresh, again.checked_afresh, changed.checked_afresh) == (1, 0, 1)
    assert changed.cases[0] is not first.cases[0]
    assert changed.cases[0].case is not None
    assert changed.cases[0].case.seller.name == "Acme Renamed LLC"
    assert changed.library is first.library
    snippet = mini / "snippets" / "letter" / "closing.md"
    snippet.write_text(snippet.read_text() + "\nMore.\n")
    os.utime(snippet, ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    assert loader.load().library is not first.library


def test_a_loader_that_loads_once_remembers_nothing(mini: Path) -> None:
    # `poa check`'s loader: the same cases, read back from the cache, and an empty memo
    Loader(mini).load(cache_folder=_cache(mini), findings_only=True)  # fills the cache
    remembering = Loader(mini)
    once = Loader(mini, remember=False)
    kept = remembering.load(cache_folder=_cache(mini), findings_only=True)
    loaded = once.load(cache_folder=_cache(mini), findings_only=True)
    assert kept.checked_afresh == loaded.checked_afresh == 0  # read back from the cache
    assert [(c.slug, c.findings, c.key) for c in loaded.cases] == [
        (c.slug, c.findings, c.key) for c in kept.cases
    ]
    assert len(remembering.memo) == 1
    assert len(once.memo) == 0
    again = once.load(cache_folder=_cache(mini), findings_only=True)  # still right, unmemoised
    assert again.cases[0] is not loaded.cases[0]
    assert again.cases[0].findings == loaded.cases[0].findings


def test_editing_a_case_is_seen_by_the_next_load(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    _site(root)
    path = root / "cases" / "acme-home-inauthentic.yaml"
    text = path.read_text()
    path.write_text(text.replace("Acme Home", "Zenith Home", 1))
    pages = _site(root)
    assert b"Zenith Home" in pages["cases/acme-home-inauthentic.md"]
    assert b"Zenith Home" in pages["cases/acme-home-inauthentic/acme-home-inauthentic.txt"]
    path.write_text(text)  # back as it was: the earlier entry is read again
    assert b"Zenith Home" not in _site(root)["cases/acme-home-inauthentic.md"]


def test_a_library_change_is_seen_by_every_case(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    _site(root)
    # every letter opens with one of the library's openings (chosen by the notice's action)
    for opening in (root / "snippets" / "letter").glob("opening*.md"):
        opening.write_text(opening.read_text().rstrip() + " A sentence added to the opening.\n")
    pages = _site(root)
    letters = [b" ".join(data.split()) for path, data in pages.items() if path.endswith(".txt")]
    assert letters and all(b"A sentence added to the opening." in data for data in letters)
    assert pages == _fresh(root)


def test_another_day_reuses_a_case_unless_its_dates_meet_the_new_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    _date_a_document_after_today(root)
    first = {r.slug: r for r in _load(root)}
    assert "evidence-in-future" in {f.rule for f in first["acme-home-inauthentic"].findings}
    monkeypatch.setenv("POAKIT_TODAY", "2026-12-05")
    entries = {p.name: p.stat().st_mtime_ns for p in _cache(root).rglob("entries/*/*")}
    second = {r.slug: r for r in _load(root)}
    assert "evidence-in-future" not in {f.rule for f in second["acme-home-inauthentic"].findings}
    written = {
        p.name
        for p in _cache(root).rglob("entries/*/*")
        if entries.get(p.name) != p.stat().st_mtime_ns
    }
    assert written == {second["acme-home-inauthentic"].key}  # only that case was checked again
    assert _site(root) == _fresh(root)


def test_an_unwritable_cache_only_makes_it_slower(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    _cache(root).parent.mkdir(parents=True)
    _cache(root).write_text("a file where the cache folder would be")
    assert _site(root) == _fresh(root)


def test_cases_checked_on_every_core_equal_cases_checked_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    serial = _fresh(root)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    assert _site(root) == serial


def test_a_cache_made_in_another_folder_gives_the_same_site(tmp_path: Path) -> None:
    """No absolute path in any key: a copied project (and its cache) reads its cache back."""
    first = _project_copy(tmp_path / "a")
    made = _site(first)
    moved = tmp_path / "b" / "elsewhere"
    shutil.copytree(first, moved)
    entries = {p.name for p in _cache(moved).rglob("entries/*/*")}
    assert _site(moved) == made
    assert {p.name for p in _cache(moved).rglob("entries/*/*")} == entries  # nothing made anew


def _poa(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "poakit", "--root", str(root), *args],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "POAKIT_TODAY": TODAY},
        timeout=120,
        check=False,
    )


def test_poa_check_reports_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    cold = _poa(root, "check", "--no-cache")
    assert not _cache(root).exists()
    first, second = _poa(root, "check"), _poa(root, "check")
    assert _cache(root).is_dir()
    assert cold.stdout == first.stdout == second.stdout
    assert cold.stderr == first.stderr == second.stderr
    assert cold.returncode == first.returncode == second.returncode


def test_a_build_after_poa_check_makes_the_files_the_check_did_not(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    assert _poa(root, "check").returncode == 0
    assert _site(root) == _fresh(root)


def test_poa_check_sees_an_edit_after_a_cached_check(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    assert _poa(root, "check").returncode == 0
    path = root / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("received: 2026", "received: soon 2026", 1))
    after = _poa(root, "check")
    assert after.returncode == 1
    assert "cases/acme-home-inauthentic.yaml" in after.stdout


def test_poa_checks_parallel_path_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_with_problems(tmp_path)
    serial = check_project(root, base=root)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    parallel_ = check_project(root, base=root)
    assert [r.slug for r in parallel_.cases] == [r.slug for r in serial.cases]
    assert parallel_.findings == serial.findings
    assert {f.rule for f in parallel_.findings} >= {"evidence-in-future", "yaml-syntax"}


def test_a_result_is_plain_data(tmp_path: Path) -> None:
    """No memo, no handle, no closure: what a load gives can be compared and pickled."""
    import pickle

    root = _project_copy(tmp_path)
    for result in _load(root):
        assert pickle.loads(pickle.dumps(result)) == result
    assert not any(hasattr(CaseResult, name) for name in ("remember", "kept", "slim", "reload"))


def test_the_cache_is_only_ever_read_through_verification(tmp_path: Path) -> None:
    """Every file the loader hands a site is a blob whose content matches its name."""
    root = _project_copy(tmp_path)
    _site(root)
    cache = Cache(_cache(root))
    for result in _load(root):
        for path in result.files.values():
            assert isinstance(path, Path)
            name, _, extension = path.name.partition(".")
            assert cache.blob_path(name, extension) == path


def test_a_letter_recorded_as_sent_reaches_the_page_through_cache_and_memo(mini: Path) -> None:
    """The records beside a case are part of what its page is made from: a new record, or a
    record changed on disk, makes the page again, from the cache and from a running preview."""
    loader = Loader(mini)
    first = _contents(site_pages(loader.load(cache_folder=_cache(mini), prepare=prepare_case)))
    sent = mini / "cases" / "acme" / "sent"
    sent.mkdir(parents=True)
    (sent / "v1-2026-10-07-submitted.txt").write_text("The letter as sent.\n")
    for again in (loader, Loader(mini)):  # the preview's memo, then a new process's cache
        project = again.load(cache_folder=_cache(mini), prepare=prepare_case)
        page = _contents(site_pages(project))["cases/acme.md"].decode()
        assert "## Versions sent" in page and "The letter as sent." in page
    assert first["cases/acme.md"] != page.encode()
    (sent / "v1-2026-10-07-submitted.txt").write_text("Another text.\n")
    for again in (loader, Loader(mini)):
        project = again.load(cache_folder=_cache(mini), prepare=prepare_case)
        assert b"Another text." in _contents(site_pages(project))["cases/acme.md"]
    assert _site(mini) == _fresh(mini)


@pytest.mark.parametrize("cached", [False, True])
def test_poa_check_reads_each_evidence_folder_with_and_without_the_cache(
    tmp_path: Path, cached: bool
) -> None:
    """The checks of the evidence folder need the case model: a check that keeps only
    findings from its workers must still have it (a merge once dropped it)."""
    root = _project_copy(tmp_path)
    folder = root / "evidence" / "acme-home-inauthentic"
    folder.mkdir(parents=True)
    (folder / "stray-notes.pdf").write_bytes(b"%PDF-1.4\n%stray\n")
    cache = _cache(root) if cached else None
    for _ in range(2):  # the second reads back what the first kept, where there is a cache
        project = check_project(root, base=root, cache_folder=cache)
        rules = {f.rule for f in project.findings if "acme-home-inauthentic" in f.position.path}
        assert "evidence-file-unlisted" in rules


@pytest.mark.parametrize("beside", ["nothing", "a name not in ASCII", "unlistable"])
def test_a_warm_check_finds_the_evidence_folder_whatever_lies_beside_it(
    tmp_path: Path, beside: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load lists the evidence folder once, and looks up only the cases it names; what
    it cannot list, or a name a disk that ignores case may match otherwise, turns that off."""
    root = _project_copy(tmp_path)
    folder = root / "evidence" / "acme-home-inauthentic"
    folder.mkdir(parents=True)
    (folder / "stray-notes.pdf").write_bytes(b"%PDF-1.4\n%stray\n")
    (root / "evidence" / "NORTHWIND-KITCHEN-ODR").mkdir()  # not that case's folder here
    if beside == "a name not in ASCII":
        (root / "evidence" / "\u212aelvin").mkdir()
    if beside == "unlistable":
        unlisting = types.SimpleNamespace(**{**vars(os), "listdir": _unlistable})
        monkeypatch.setattr(loader_module, "os", unlisting)  # the loader's listing only
    for _ in range(2):  # cold, then warm
        project = check_project(root, base=root, cache_folder=_cache(root))
        unlisted = {
            f.position.path.split("/")[-1]
            for f in project.findings
            if f.rule == "evidence-file-unlisted"
        }
        assert unlisted == {"acme-home-inauthentic.yaml"}


def test_a_records_folder_that_cannot_be_listed_is_reported_by_every_load(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No traceback, and nothing kept of it: once the folder can be read again, the next
    load (of the same loader, and through the cache) finds its records."""
    folder = mini / "cases" / "acme" / "sent"
    folder.mkdir(parents=True)
    (folder / "v1-2026-10-07-submitted.txt").write_text("The letter as sent.\n")
    denied = monkeypatch.context()
    unlistable(denied.__enter__(), folder)
    loader = Loader(mini)
    for _ in range(2):
        project = loader.load(cache_folder=_cache(mini))
        assert "sent cannot be read" in "\n".join(str(f) for f in project.findings)
        assert project.cases[0].key is None  # never kept in the cache
    denied.__exit__(None, None, None)  # readable again
    fresh = loader.load(cache_folder=_cache(mini))
    assert [v.name for v in fresh.cases[0].versions] == ["v1"]
    kept = Loader(mini).load(cache_folder=_cache(mini))  # read back from the cache
    for project in (fresh, kept):
        assert "sent cannot be read" not in "\n".join(str(f) for f in project.findings)
        assert project.cases[0].key is not None


def _unlistable(path: object) -> list[str]:
    raise PermissionError(13, "Permission denied", str(path))


def test_poa_check_reads_records_back_without_case_models_and_finds_the_same(
    tmp_path: Path,
) -> None:
    """`poa check` keeps no case model (see `Record`): a cold one gets none back from its
    workers, a warm one reads none from the cache; yet the checks over all cases still know which cases are public and what each silences."""
    root = _project_copy(tmp_path)
    for other in (root / "cases").iterdir():  # one letter and its copies: most letters share
        if not other.name.startswith("northwind-kitchen-odr"):
            (shutil.rmtree if other.is_dir() else Path.unlink)(other)
    source = yaml.safe_load((root / "cases" / "northwind-kitchen-odr.yaml").read_text())
    for name, changes in {
        "copy-a": {},
        "copy-b": {},
        "copy-private": {"visibility": "private"},  # compared with all cases, not the public
        "copy-quiet": {"silence": [{"rule": "boilerplate", "reason": "a test's own copy"}]},
    }.items():
        text = yaml.safe_dump({**source, **changes}, sort_keys=False, allow_unicode=True)
        (root / "cases" / f"{name}.yaml").write_text(text)
    cold = check_project(root, base=root)
    fresh = cold.findings
    assert any(f.rule == "boilerplate" for f in fresh)  # the copies share every sentence
    assert not any(f.rule == "boilerplate" and "copy-quiet" in f.position.path for f in fresh)
    first = check_project(root, base=root, cache_folder=_cache(root))
    warm = check_project(root, base=root, cache_folder=_cache(root))
    assert [str(f) for f in first.findings] == [str(f) for f in fresh]
    assert [str(f) for f in warm.findings] == [str(f) for f in fresh]
    # no case model unpickled, nor sent back by the workers of a cold check
    assert all(c.file is None for p in (cold, first, warm) for c in p.cases if c.assembled)
    assert {c.slug for c in warm.cases if c.public} == {c.slug for c in first.cases if c.public}


def test_the_library_is_read_back_from_the_cache_and_follows_every_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm load reads the checked library back from the cache instead of its files; a
    changed file, or a cache made in another folder, never gives a stale library."""
    root = _project_copy(tmp_path / "a")
    first = Loader(root).load(cache_folder=_cache(root), findings_only=True).library

    def unread(*args: object) -> None:
        raise AssertionError("the library's files were read again")

    with monkeypatch.context() as patch:
        patch.setattr("poakit.project.load.read_library", unread)
        again = Loader(root).load(cache_folder=_cache(root), findings_only=True).library
    assert again is not first and again.root == root / "snippets"
    assert [str(f) for f in again.findings] == [str(f) for f in first.findings]
    assert again.measures.keys() == first.measures.keys()

    snippet = root / "snippets" / "measures" / "supplier-vetting.md"
    snippet.write_text(snippet.read_text() + "\nA sentence added in the test.\n")
    changed = Loader(root).load(cache_folder=_cache(root), findings_only=True).library
    assert "A sentence added in the test." in changed.measures["supplier-vetting"].body

    moved = tmp_path / "b" / "project"  # the project and its cache, in another folder
    shutil.copytree(root, moved)
    with monkeypatch.context() as patch:
        patch.setattr("poakit.project.load.read_library", unread)
        elsewhere = Loader(moved).load(cache_folder=_cache(moved), findings_only=True).library
    assert elsewhere.root == moved / "snippets"


@pytest.mark.parametrize("frozen_before", [False, True])
def test_results_read_back_join_the_oldest_generation(frozen_before: bool) -> None:
    """Read back with the collector paused, the results skip the young generations (they are
    kept, not garbage); a collector that was frozen stays frozen, one that was not is not."""
    if frozen_before:
        gc.freeze()
    try:
        with parallel.uncollected():
            assert not gc.isenabled()
            kept = [[n] for n in range(1000)]
        assert gc.isenabled()
        assert (gc.get_freeze_count() > 0) is frozen_before
        if not frozen_before:
            oldest = {id(o) for o in gc.get_objects(generation=2)}
            assert all(id(item) in oldest for item in kept)
    finally:
        gc.unfreeze()


def test_a_key_is_read_only_from_a_plain_file_of_a_plain_size(tmp_path: Path) -> None:
    """What a case's key is made from (`_plain_bytes`): the bytes of a regular file of at
    most `MAX_BYTES`; nothing for a link, a folder, a named pipe (without waiting on it), a
    file too large, or one that is not there."""
    from poakit.project.loader import _plain_bytes
    from poakit.source.yaml import MAX_BYTES

    made = {
        "plain.yaml": lambda p: p.write_bytes(b"visibility: private\n"),
        "empty.yaml": lambda p: p.write_bytes(b""),
        "limit.yaml": lambda p: p.write_bytes(b"#" * MAX_BYTES),
        "over.yaml": lambda p: p.write_bytes(b"#" * (MAX_BYTES + 1)),
        "link.yaml": lambda p: p.symlink_to(tmp_path / "plain.yaml"),
        "folder.yaml": lambda p: p.mkdir(),
        "pipe.yaml": lambda p: os.mkfifo(p),
    }
    for name, make in made.items():
        make(tmp_path / name)
    read = {name: _plain_bytes(tmp_path / name) for name in [*made, "missing.yaml"]}
    assert read == {
        "plain.yaml": b"visibility: private\n",
        "empty.yaml": b"",
        "limit.yaml": b"#" * MAX_BYTES,
        "over.yaml": None,
        "link.yaml": None,
        "folder.yaml": None,
        "pipe.yaml": None,
        "missing.yaml": None,
    }


def test_a_case_file_swapped_for_a_link_after_it_was_looked_at_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`_plain_bytes` opens without following a link: a file replaced by a link between its
    `lstat` and its `open` (here, an `lstat` that sees the plain file the link leads to) is
    refused, not read through the link."""
    from poakit.project.loader import _plain_bytes

    target = tmp_path / "elsewhere.yaml"
    target.write_bytes(b"visibility: private\n")
    link = tmp_path / "case.yaml"
    link.symlink_to(target)
    late = types.SimpleNamespace(**{**vars(os), "lstat": os.stat})  # sees the file, not the link
    monkeypatch.setattr(loader_module, "os", late)
    assert _plain_bytes(target) == b"visibility: private\n"
    assert _plain_bytes(link) is None


@pytest.mark.parametrize(
    ("value", "kept"), [(None, True), (True, True), (False, False), ("maybe", False)]
)
def test_a_site_finds_its_cache_folder_from_its_settings(
    tmp_path: Path, value: object, kept: bool
) -> None:
    """The hooks' one way to the cache: none when it is off, or when the setting is not a
    switch (the hook that loads the project reports that, once)."""
    settings = {} if value is None else {"cache": value}
    found = loader_module.site_cache_folder(str(tmp_path / "mkdocs.yml"), settings)
    assert found == (tmp_path / CACHE_DIR if kept else None)


# -- cases read ahead while the library loads ------------------------------------------------


def _slow_library(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The library takes 0.3 s to load, so the cases are all read ahead meanwhile; the list
    gets how many were, at each load that reads ahead."""
    counts: list[int] = []
    slow = Loader._current_library
    start = parallel.ReadAhead.__init__

    def started(self: parallel.ReadAhead[Path], work: object, items: list[Path]) -> None:
        start(self, work, items)  # type: ignore[arg-type]
        self.items = items  # type: ignore[attr-defined]

    def current_library(self: Loader, cache: Cache | None) -> object:
        time.sleep(0.3)
        return slow(self, cache)

    collect = parallel.ReadAhead.collect

    def counted(self: parallel.ReadAhead[Path]) -> dict[int, bytes]:
        found = collect(self)
        if self.items:  # type: ignore[attr-defined]
            counts.append(len(found))
        return found

    monkeypatch.setattr(Loader, "_current_library", current_library)
    monkeypatch.setattr(parallel.ReadAhead, "__init__", started)
    monkeypatch.setattr(parallel.ReadAhead, "collect", counted)
    monkeypatch.setattr(loader_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    return counts


def test_cases_read_ahead_while_the_library_loads_are_checked_as_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_with_problems(tmp_path)
    (root / "cases" / "folder.yaml").mkdir()
    serial = check_project(root, base=root)
    site = _fresh(root)
    counts = _slow_library(monkeypatch)
    ahead = check_project(root, base=root)
    cases = len(list((root / "cases").glob("*.yaml")))
    # every case but the two the check reports as unreadable was read ahead
    assert counts == [cases - 2]
    assert [r.slug for r in ahead.cases] == [r.slug for r in serial.cases]
    assert ahead.findings == serial.findings
    assert {f.rule for f in ahead.findings} >= {"evidence-in-future", "yaml-syntax"}
    assert _site(root) == site  # a cold build reads ahead too (no cache yet)
    assert counts == [cases - 2, cases - 2]


def test_nothing_is_read_ahead_when_the_cache_or_the_memo_has_the_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    counts = _slow_library(monkeypatch)
    loader = Loader(root)
    loader.load(cache_folder=_cache(root))  # cold: read ahead
    loader.load(cache_folder=_cache(root))  # the library is loaded: nothing to overlap
    Loader(root).load(cache_folder=_cache(root))  # the cache has every case
    assert len(counts) == 1 and counts[0] > 0
