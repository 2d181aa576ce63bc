"""Which case paths lead outside the project: `leaves`, and `Containment` for many at once."""

from __future__ import annotations

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
