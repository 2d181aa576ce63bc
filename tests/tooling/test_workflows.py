"""The GitHub workflows of .github/workflows/: linted, and their steps run here.

- actionlint (with ShellCheck over the `run:` scripts) and zizmor find nothing;
- the publish workflow's steps, run as the runner runs them, publish a tag to a bare
  repository that stands in for GitHub: version X.Y on gh-pages, `latest` moved to it, pushed;
- the checks workflow's steps annotate a broken case.

The steps that use an action stand in as follows: actions/checkout is a clone of the bare
repository at the tag (without credentials, as `persist-credentials: false` leaves it);
actions/cache restores what the previous run kept (nothing on the first run); the `.venv`
that the set-up step makes is this test run's own, linked, so the set-up step finds it done.
`make test`, the last check step, is this suite itself.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from sites import SITE_URL, git, make_repo

WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent
VENV = BIN.parent
# What the runner puts in for each `${{ }}` expression the workflows use (a new one fails here
# until it is added, so these tests keep up with the workflows).
EXPRESSIONS = {
    "github.token": "test-token",
    "github.server_url": "https://github.com",
    "vars.POAKIT_SITE_URL || format('https://{0}.github.io/{1}/', github.repository_owner, "
    "github.event.repository.name)": SITE_URL,
}


def _workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _steps(name: str) -> list[dict[str, Any]]:
    (job,) = _workflow(name)["jobs"].values()
    return list(job["steps"])


# -- linters ------------------------------------------------------------------------------------


def test_the_workflows_pass_actionlint_with_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "ShellCheck is missing: .ci/run installs it (apt-get install shellcheck)"
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    result = subprocess.run(
        [str(BIN / "actionlint"), f"-shellcheck={shellcheck}", *files],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflows_pass_zizmor() -> None:
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-progress", str(WORKFLOWS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


# -- the steps, run here ------------------------------------------------------------------------


def _origin(base: Path) -> tuple[Path, Path]:
    """A repository of the project (sources, Makefile, workflows) and its bare origin."""
    repo = make_repo(base / "work")
    for name in ("Makefile", "pyproject.toml", "README.md", ".ci", ".github", "src"):
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy(source, repo / name)
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message=Make and workflows")
    origin = base / "origin.git"
    git(base, "init", "--quiet", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "--quiet", "origin", "main")
    return repo, origin


def _checkout(origin: Path, ref: str, workspace: Path) -> Path:
    """actions/checkout, as the workflows call it; and the set-up step's .venv, already made."""
    git(workspace.parent, "clone", "--quiet", "--branch", ref, str(origin), str(workspace))
    (workspace / ".venv").symlink_to(VENV, target_is_directory=True)
    os.utime(workspace / "pyproject.toml", (946684800, 946684800))  # older than the stamp
    made = subprocess.run(["make", "-q", ".venv/.installed-stamp"], cwd=workspace, check=False)
    if made.returncode != 0:
        pytest.skip("needs the .venv that `make` makes (.venv/.installed-stamp)")
    return workspace


def _restore(cache: Path | None, workspace: Path) -> None:
    """actions/cache: what an earlier run kept, packed and unpacked into this checkout."""
    if cache is None or not cache.is_dir():
        return
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w") as tar:
        tar.add(cache, arcname=".")
    packed.seek(0)
    with tarfile.open(fileobj=packed) as tar:
        tar.extractall(workspace / ".cache" / "poakit", filter="data")


def _expand(value: object, extra: dict[str, str]) -> str:
    known = {**EXPRESSIONS, **extra}
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: known[m[1]], str(value))


def _run(
    step: dict[str, Any], workspace: Path, home: Path, extra: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """A `run:` step as the runner runs it (bash -eo pipefail), with its outputs."""
    outputs = home / "github-output"
    outputs.write_text("")
    script = home / "step.sh"
    script.write_text(step["run"])
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_WORKSPACE": str(workspace),
        "CI": "true",
        "NO_MKDOCS_2_WARNING": "true",
        "POAKIT_TODAY": "2026-11-27",
        **{key: _expand(value, extra) for key, value in step.get("env", {}).items()},
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return result, found


def _uses(step: dict[str, Any]) -> str:
    return str(step["uses"]).split("@")[0]


def _publish(origin: Path, tag: str, base: Path, cache: Path | None) -> Path:
    """Every step of publish.yml for a push of `tag`; the checkout it ran in."""
    workspace = base / "workspace"
    home = base / "home"
    home.mkdir(parents=True)
    lock: dict[str, str] = {}
    for step in _steps("publish.yml"):
        if "uses" in step:
            action = _uses(step)
            assert action in ("actions/checkout", "actions/cache"), action
            if action == "actions/checkout":
                assert step["with"]["persist-credentials"] is False
                _checkout(origin, tag, workspace)
            else:
                assert step["with"]["path"] == ".cache/poakit"
                assert step["with"]["key"] == "${{ steps.lock.outputs.key }}"
                assert lock["key"].startswith(lock["prefix"])
                _restore(cache, workspace)
            continue
        result, outputs = _run(step, workspace, home, {"github.ref_name": tag})
        assert result.returncode == 0, step["name"] + "\n" + result.stdout + result.stderr
        lock.update(outputs)
    assert "test-token" not in (workspace / ".git" / "config").read_text()  # nothing kept
    return workspace


def _branch_file(origin: Path, path: str) -> str:
    return str(git(origin, "show", f"gh-pages:{path}"))


@pytest.mark.site
def test_the_publish_steps_publish_each_tag_and_move_latest(tmp_path: Path) -> None:
    _, origin = _origin(tmp_path / "github")
    repo = tmp_path / "github" / "work"
    git(repo, "tag", "v0.1")
    git(repo, "push", "--quiet", "origin", "v0.1")
    first = _publish(origin, "v0.1", tmp_path / "run-1", None)
    assert (first / ".cache" / "poakit").is_dir()
    git(repo, "commit", "--quiet", "--allow-empty", "--message=Release 0.2")
    git(repo, "tag", "v0.2")
    git(repo, "push", "--quiet", "origin", "main", "v0.2")
    _publish(origin, "v0.2", tmp_path / "run-2", first / ".cache" / "poakit")

    versions = json.loads(_branch_file(origin, "versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("0.2", ["latest"]), ("0.1", [])]
    assert 'window.location.replace(\n      "../0.2/"' in _branch_file(origin, "latest/index.html")
    page = _branch_file(origin, "0.2/index.html")
    assert f'<link rel="canonical" href="{SITE_URL}0.2/">' in page
    assert f"<loc>{SITE_URL}0.1/</loc>" in _branch_file(origin, "0.1/sitemap.xml")
    log = git(origin, "log", "--format=%cn", "gh-pages")
    assert set(log.split()) == {"github-actions[bot]"}


def test_the_check_steps_annotate_a_broken_case(tmp_path: Path) -> None:
    _, origin = _origin(tmp_path / "github")
    workspace = tmp_path / "workspace"
    home = tmp_path / "home"
    home.mkdir()
    _checkout(origin, "main", workspace)
    case = workspace / "cases" / "acme-home-inauthentic.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("reason: inauthentic", "reason: inauthentc", 1), "utf-8")
    line = 1 + text[: text.index("reason: inauthentic")].count("\n")
    ran = []
    for step in _steps("checks.yml"):
        if "uses" in step:
            assert _uses(step) in ("actions/checkout", "actions/cache")
            continue
        if step["run"] == "make test":
            assert step["if"] == "${{ !cancelled() }}"  # runs whatever poa check found
            continue
        result, _ = _run(step, workspace, home, {})
        ran.append((step["name"], result))
    names = [name for name, _ in ran]
    assert names[-1] == "poa check (annotations on the changed lines)"
    assert all(result.returncode == 0 for _, result in ran[:-1]), ran
    check = ran[-1][1]
    assert check.returncode == 1
    assert check.stdout.startswith(
        f"::error file=cases/acme-home-inauthentic.yaml,line={line},col=15,"
        "title=unknown-reason::unknown reason 'inauthentc' (did you mean 'inauthentic'?)\n"
    )
