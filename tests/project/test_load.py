"""Which case paths lead outside the project: `leaves`, and `Containment` for many at once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from poakit.project.load import Containment
from poakit.project.loader import Loader
from poakit.source.layout import CACHE_DIR


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "cases").mkdir(parents=True)
    outside.mkdir()
    for folder in (project / "cases", outside):
        (folder / "plain.yaml").write_text("visibility: private\n")
    return project, outside


def test_containment_finds_the_links_that_lead_outside(tmp_path: Path) -> None:
    project, outside = _layout(tmp_path)
    cases = project / "cases"
    (cases / "out.yaml").symlink_to(outside / "plain.yaml")
    (cases / "in.yaml").symlink_to(cases / "plain.yaml")
    (project / "linked").symlink_to(outside, target_is_directory=True)
    paths = [
        cases / "plain.yaml",
        cases / "out.yaml",
        cases / "in.yaml",
        cases / "missing.yaml",
        project / "linked" / "plain.yaml",
        cases / ".." / "linked" / "plain.yaml",
        outside / "plain.yaml",  # given outside the project on purpose: not a leak
    ]
    inside = Containment(project)
    answers = [inside.leaves(p) for p in paths]
    assert answers == [Containment(project).leaves(p) for p in paths]  # one at a time
    assert answers == [False, True, False, False, True, True, False]


def test_containment_answers_each_path_as_if_it_were_asked_alone(tmp_path: Path) -> None:
    """`Containment` remembers its answer for the plain files of a folder: asked in either
    order, with names that could be the project folder itself (reached through a link, and
    really), it answers as a new one asked about each path alone."""
    project, outside = _layout(tmp_path)
    cases = project / "cases"
    through = tmp_path / "through"
    through.symlink_to(project, target_is_directory=True)
    for name in ("project", "through"):
        (cases / name).write_text("visibility: private\n")
        (outside / name).write_text("visibility: private\n")
    (cases / "out.yaml").symlink_to(outside / "plain.yaml")
    paths = [
        through / "cases" / "plain.yaml",
        through / "cases" / "project",
        through / "cases" / "through",
        through / "cases" / "out.yaml",
        through,
        tmp_path / "project",
        cases / "plain.yaml",
        outside / "project",
        outside / "through",
        through / "cases" / ".." / ".." / "outside" / "plain.yaml",
        through / ".." / "outside",  # beside the project, through its link: outside
        through / ".." / "project",  # the project folder itself, so reached: inside
    ]
    for root in (project, through):
        alone = [Containment(root).leaves(p) for p in paths]
        for order in (paths, paths[::-1]):
            inside = Containment(root)
            assert {p: inside.leaves(p) for p in order} == dict(zip(paths, alone, strict=True))
    assert [Containment(through).leaves(p) for p in paths[:4]] == [False, False, False, True]


def test_a_folder_turned_into_a_link_is_seen_by_the_next_containment(tmp_path: Path) -> None:
    project, outside = _layout(tmp_path)
    case = project / "cases" / "plain.yaml"
    assert not Containment(project).leaves(case)
    shutil.rmtree(project / "cases")
    (project / "cases").symlink_to(outside, target_is_directory=True)
    assert Containment(project).leaves(case)


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_warm_load_never_reads_a_case_that_leads_outside(tmp_path: Path, kind: str) -> None:
    """Read back from the cache or checked afresh, a case that links outside the project is
    a finding, never read: a load with a cache decides it before it looks anything up."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "snippets", project / "snippets")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(REPO / "cases" / "acme-home-inauthentic.yaml", outside / "client.yaml")
    if kind == "file":
        (project / "cases").mkdir()
        (project / "cases" / "client.yaml").symlink_to(outside / "client.yaml")
    else:
        (project / "cases").symlink_to(outside, target_is_directory=True)
    for _ in range(2):
        loaded = Loader(project).load(cache_folder=project / CACHE_DIR)
        (case,) = loaded.cases
        assert [f.rule for f in case.findings] == ["case-outside"] and case.file is None


# -- a case read ahead (`case_ahead`) --------------------------------------------------------


def _checked(result: object) -> object:
    from dataclasses import replace

    return replace(result, letter=None, file=None)  # type: ignore[type-var]


def test_a_case_read_ahead_is_used_if_the_file_still_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from poakit.project.load import case_ahead, check_case, load_library
    from poakit.source import yaml as yaml_module

    root = tmp_path / "project"
    shutil.copytree(REPO / "snippets", root / "snippets")
    shutil.copytree(REPO / "cases", root / "cases")
    library = load_library(root / "snippets")
    path = root / "cases" / "acme-home-inauthentic.yaml"
    display = "cases/acme-home-inauthentic.yaml"
    ahead = case_ahead(path, display, Containment(root))
    assert ahead is not None
    expected = check_case(path, library, display, root)

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(yaml_module, "load", not_again)
        assert _checked(check_case(path, library, display, root, ahead=ahead)) == _checked(expected)
    # edited since it was read ahead: the check reads the file as it is now
    path.write_text(path.read_text().replace("received: 2026", "received: soon 2026", 1))
    edited = check_case(path, library, display, root)
    assert edited.errors  # the date no longer parses
    assert check_case(path, library, display, root, ahead=ahead) == edited
    # read ahead under another name for it: its positions would name another file
    other = case_ahead(path, "elsewhere.yaml", Containment(root))
    assert check_case(path, library, display, root, ahead=other) == edited


def test_a_case_the_check_would_not_read_is_not_read_ahead(tmp_path: Path) -> None:
    from poakit.project.load import case_ahead

    project, outside = _layout(tmp_path)
    cases = project / "cases"
    (cases / "out.yaml").symlink_to(outside / "plain.yaml")
    os.mkfifo(cases / "pipe.yaml")  # reading it would wait for a writer for ever
    (cases / "broken.yaml").write_text("seller: [\n")
    inside = Containment(project)
    for name in ("out.yaml", "pipe.yaml", "broken.yaml", "missing.yaml"):
        assert case_ahead(cases / name, name, inside) is None
    assert case_ahead(cases / "plain.yaml", "plain.yaml", inside) is not None
