"""The case store and the HTML cache: what a later run reads back equals what it would make.

A cache that is ever stale publishes a wrong letter, so every test here compares a warm result
with a cold one, or changes one input and checks that the result follows it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from test_site import build

from poakit import project as project_module
from poakit.casecache import KEPT_GENERATIONS, Record
from poakit.project import STORE_DIR, CaseResult, ProjectCache, check_project, load_project
from poakit.site import Page, prepare_case, site_pages

TODAY = "2026-11-27"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", TODAY)


def _store(root: Path) -> Path:
    return root / STORE_DIR


def _load(root: Path, *, prepare: bool = True) -> list[CaseResult]:
    cache = ProjectCache(root)
    cache.use(_store(root), prepare_case if prepare else None)
    return cache.load().cases


def _contents(pages: list[Page]) -> dict[str, bytes]:
    def data(content: str | bytes | Path) -> bytes:
        if isinstance(content, Path):
            return content.read_bytes()
        return content.encode() if isinstance(content, str) else content

    return {page.path: data(page.content) for page in pages}


def _site(root: Path) -> dict[str, bytes]:
    cache = ProjectCache(root)
    cache.use(_store(root), prepare_case)
    return _contents(site_pages(cache.load(), include_private=True))


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("snippets", "cases"):
        shutil.copytree(REPO / name, root / name)
    return root


def _date_a_document_after_today(root: Path) -> None:
    """One example case gets a document dated 2026-12-03, after TODAY: an evidence-in-future
    error until that day."""
    path = root / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("date: 2026-09-30", "date: 2026-12-03", 1))


def test_a_record_reads_back_as_the_same_case_and_findings() -> None:
    for result in load_project(REPO, base=REPO).cases:
        assert result.file is not None
        record = Record(result.file.case, result.findings, result.assembled, dt.date(2026, 11, 27))
        assert Record.from_bytes(record.to_bytes()) == record, result.slug
        assert Record.from_bytes(record.to_bytes()[:-5]) is None
        assert Record.from_bytes(b"not a record") is None


def test_the_site_from_the_store_equals_the_site_made_fresh(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    cold = _contents(site_pages(load_project(root, base=root), include_private=True))
    first = _site(root)  # checks every case and fills the store
    second = _site(root)  # reads every case back
    assert first == cold
    assert second == cold
    warm = _load(root)
    assert all(r.letter is None and r.stored is not None for r in warm)


def test_a_damaged_entry_counts_as_missing(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    cold = _site(root)
    for record in _store(root).rglob("*.record"):
        record.write_bytes(record.read_bytes()[:40])
    for page in _store(root).rglob("*.page.md"):
        page.unlink()
    assert _site(root) == cold


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


def test_a_library_or_code_change_is_a_new_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    _load(root)
    generations = _store(root) / "cases"
    assert len(list(generations.iterdir())) == 1
    snippet = next((root / "snippets" / "measures").glob("*.md"))
    for n in range(KEPT_GENERATIONS + 1):
        snippet.write_text(snippet.read_text() + f"\nA sentence added to the body ({n}).\n")
        results = _load(root)
        assert all(r.stored is not None for r in results)
    assert len(list(generations.iterdir())) == KEPT_GENERATIONS


def test_another_day_reuses_a_case_unless_its_dates_meet_the_new_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    _date_a_document_after_today(root)
    first = {r.slug: r for r in _load(root)}
    assert "evidence-in-future" in {f.rule for f in first["acme-home-inauthentic"].findings}
    records = {p.name: p for p in _store(root).rglob("*.record")}
    for record in records.values():
        os.utime(record, (1_000_000_000, 1_000_000_000))
    monkeypatch.setenv("POAKIT_TODAY", "2026-12-05")
    second = {r.slug: r for r in _load(root)}
    assert "evidence-in-future" not in {f.rule for f in second["acme-home-inauthentic"].findings}
    rechecked = {n for n, p in records.items() if p.stat().st_mtime > 1_000_000_000}
    assert rechecked == {f"{second['acme-home-inauthentic'].stored[1]}.record"}  # type: ignore[index]
    # every other case, and the site made from the store, is as a fresh check makes it
    fresh = _contents(site_pages(load_project(root, base=root), include_private=True))
    assert _site(root) == fresh


def test_an_unwritable_store_only_makes_it_slower(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    _store(root).parent.mkdir(parents=True)
    _store(root).write_text("a file where the store folder would be")
    cold = _contents(site_pages(load_project(root, base=root), include_private=True))
    assert _site(root) == cold


def test_cases_checked_on_every_core_equal_cases_checked_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    serial = _contents(site_pages(load_project(root, base=root), include_private=True))
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 2)
    assert _site(root) == serial


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


def test_poa_check_reports_the_same_with_and_without_the_store(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    cold = _poa(root, "check", "--no-cache")
    assert not _store(root).exists()
    first, second = _poa(root, "check"), _poa(root, "check")
    assert _store(root).is_dir()
    assert cold.stdout == first.stdout == second.stdout
    assert cold.stderr == first.stderr == second.stderr
    assert cold.returncode == first.returncode == second.returncode


def test_poa_check_sees_an_edit_after_a_cached_check(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    assert _poa(root, "check").returncode == 0
    path = root / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("received: 2026", "received: soon 2026", 1))
    after = _poa(root, "check")
    assert after.returncode == 1
    assert "cases/acme-home-inauthentic.yaml" in after.stdout


@pytest.mark.site
def test_a_second_build_reads_page_html_from_the_cache_and_writes_the_same_site(
    site_project: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(site_project, first).returncode == 0
    kept = sorted((_store(site_project) / "html").rglob("*.json"))
    assert kept
    assert build(site_project, second).returncode == 0
    assert _tree(first) == _tree(second)
    # Proof that the second build read the cache: a mark put into every kept page shows up.
    for entry in kept:
        entry.write_text(entry.read_text().replace("</h1>", " CACHED-MARK</h1>", 1))
    third = tmp_path / "third"
    assert build(site_project, third).returncode == 0
    page = (third / "cases" / "acme-home-inauthentic" / "index.html").read_text()
    assert "CACHED-MARK" in page
    # ...and that a changed case is rendered afresh.
    case = site_project / "cases" / "acme-home-inauthentic.yaml"
    case.write_text(case.read_text().replace("Acme Home", "Zenith Home"))
    fourth = tmp_path / "fourth"
    assert build(site_project, fourth).returncode == 0
    page = (fourth / "cases" / "acme-home-inauthentic" / "index.html").read_text()
    assert "CACHED-MARK" not in page
    assert "Zenith Home" in page


@pytest.mark.site
def test_the_cache_can_be_turned_off(site_project: Path, tmp_path: Path) -> None:
    config = site_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  poakit:\n", "  poakit:\n    cache: false\n", 1))
    assert build(site_project, tmp_path / "out").returncode == 0
    assert not _store(site_project).exists()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_what_an_edit_left_behind_is_dropped_after_a_day(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    before = {r.slug: r.stored[1] for r in _load(root) if r.stored}  # type: ignore[index]
    old_key = before["acme-home-inauthentic"]
    path = root / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("Acme Home", "Zenith Home", 1))
    _load(root)  # the old entry is younger than a day: kept (another checkout may use it)
    left = list(_store(root).rglob(f"{old_key}.*"))
    assert left
    for entry in left:
        os.utime(entry, (1_000_000_000, 1_000_000_000))
    path.write_text(path.read_text() + "\n# edited again\n")
    _load(root)
    assert not list(_store(root).rglob(f"{old_key}.*"))
    others = [key for slug, key in before.items() if slug != "acme-home-inauthentic"]
    assert all(list(_store(root).rglob(f"{key}.record")) for key in others)


def test_poa_checks_parallel_path_finds_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project_copy(tmp_path)
    _date_a_document_after_today(root)
    (root / "cases" / "broken.yaml").write_text("visibility: public\nseller: [\n")
    serial = check_project(root, base=root)
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 2)
    parallel = check_project(root, base=root)
    assert [r.slug for r in parallel.cases] == [r.slug for r in serial.cases]
    assert parallel.findings == serial.findings
    assert {f.rule for f in parallel.findings} >= {"evidence-in-future", "yaml-syntax"}
