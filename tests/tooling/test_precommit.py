"""The pre-commit hooks run `poa check` on the case and snippet files a commit changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


@pytest.fixture
def repo(site_project: Path, tmp_path: Path) -> Path:
    shutil.copy(REPO / ".pre-commit-config.yaml", site_project / ".pre-commit-config.yaml")
    (site_project / ".venv").symlink_to(REPO / ".venv")
    env = _env(tmp_path)
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=site_project, check=True, env=env)
    return site_project


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }


def run(repo: Path, tmp_path: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=_env(tmp_path),
    )


def test_a_clean_case_passes(repo: Path, tmp_path: Path) -> None:
    result = run(repo, tmp_path, "cases/acme-home-inauthentic.yaml")
    assert result.returncode == 0, result.stdout
    assert "poa check (changed case files)" in result.stdout and "Passed" in result.stdout


def test_a_broken_case_fails_with_its_findings(repo: Path, tmp_path: Path) -> None:
    case = repo / "cases" / "acme-home-inauthentic.yaml"
    case.write_text(case.read_text().replace("reason: inauthentic", "reason: inauthentc"))
    result = run(repo, tmp_path, "cases/acme-home-inauthentic.yaml")
    assert result.returncode == 1
    assert (
        "unknown reason 'inauthentc' (did you mean 'inauthentic'?) [unknown-reason]"
        in result.stdout
    )


def test_a_snippet_change_checks_the_library_and_every_case(repo: Path, tmp_path: Path) -> None:
    snippet = repo / "snippets" / "letter" / "closing.md"
    snippet.write_text(snippet.read_text() + "\nThe remaining documents: TBD.\n")
    result = run(repo, tmp_path, "snippets/letter/closing.md")
    assert result.returncode == 1
    assert "poa check (snippet library and every case)" in result.stdout
    assert (
        "snippets/letter/closing.md" in result.stdout and "[unfilled-placeholder]" in result.stdout
    )
