"""`poa stage DIR` as a user runs it: what it prints, its exit codes, what it writes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, poa

from poakit.cli.main import main
from poakit.cli.progress import ProgressLine

CONFIG = "site_name: Mini\nplugins:\n  - search\n  - macros\nhooks:\n  - hooks/poakit_pages.py\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The mini fixture as a site: a guide page and the config."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Mini\n\n{{ case_count() }} case\n")
    (root / "mkdocs.yml").write_text(CONFIG)
    return root


def test_stage_writes_the_tree_and_says_how_to_build_it(project: Path) -> None:
    result = poa("stage", "../out", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "staged 12 pages and 3 other files in ../out: build it with zensical build -f "
        "../out/mkdocs.yml\n"
    )
    assert (project.parent / "out" / "docs" / "index.md").read_text() == "# Mini\n\n1 case\n"


def test_stage_into_docs_is_a_usage_error(project: Path) -> None:
    result = poa("stage", "docs/site", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (
        "poa: error: cannot stage into docs/site: it is inside docs/, which the stage reads "
        "(choose a folder outside docs/, cases/ and snippets/, e.g. stage)\n"
    )
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md"]


def test_stage_again_needs_force(project: Path) -> None:
    assert poa("stage", "out", cwd=project).returncode == 0
    again = poa("stage", "out", cwd=project)
    assert again.returncode == 2
    assert again.stderr == "poa: error: out already exists; pass --force to replace it\n"
    assert poa("stage", "out", "--force", cwd=project).returncode == 0


def test_a_case_with_errors_stops_the_stage_with_exit_1(project: Path) -> None:
    (project / "cases" / "broken.yaml").write_text("visibility: public\nseller: [\n")
    result = poa("stage", "out", cwd=project)
    assert result.returncode == 1
    assert result.stderr.startswith("cases/broken.yaml:3:1: error: invalid YAML: ")
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


def test_stage_is_in_the_help(project: Path) -> None:
    result = poa("stage", "--help", cwd=project)
    assert result.returncode == 0
    assert "usage: poa stage [-h] [--force] DIR" in result.stdout
    assert "zensical build -f DIR/mkdocs.yml" in " ".join(result.stdout.split())


def test_stage_on_a_terminal_counts_the_cases_it_makes_then_erases_the_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.chdir(project)
    monkeypatch.setattr(ProgressLine, "DELAY", 0.0)
    stderr = Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    assert main(["stage", "../out"]) == 0
    shown = "making the cases' pages: 1 of 1"
    assert stderr.getvalue().startswith(f"\r{shown}\r{' ' * len(shown)}\rstaged 12 pages")
