"""Shared fixtures: a small project copied to a temporary folder, and the repository root."""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from poakit.model.case import Case, FollowUp

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "true")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/mini: one reason, three snippets, one public case."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


@pytest.fixture
def replies(mini: Path) -> Path:
    """The mini project with the library's two reply parts (the words before the answers to
    Amazon's request, and before what is new after a denial)."""
    for name in ("reply-request.md", "reply-changes.md"):
        shutil.copy(REPO / "snippets" / "letter" / name, mini / "snippets" / "letter" / name)
    return mini


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A copy of the repository's site sources (config, hooks, docs, library, cases)."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("mkdocs.yml", "hooks", "docs", "snippets", "cases"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One Chromium for the whole session (see tests/browser.py)."""
    from browser import chromium

    with chromium() as instance:
        yield instance


def hook_module(name: str) -> ModuleType:
    """A fresh copy of a hook module of hooks/ (MkDocs loads hooks by path, not as modules
    of a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "hooks" / f"{name}.py")
    assert spec and spec.loader
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


# -- small cases for the tests of status, timeline and lessons ----------------------------------


def entries(*events: tuple[str, str] | tuple[str, str, dict[str, Any]]) -> list[FollowUp]:
    """Follow-up entries from (date, event) or (date, event, extra keys) tuples."""
    made = []
    for item in events:
        extra = item[2] if len(item) == 3 else {}  # type: ignore[misc]
        made.append(FollowUp.model_validate({"date": item[0], "event": item[1], **extra}))
    return made


def case_with(follow_up: list[dict[str, Any]], **seller: Any) -> Case:
    return Case.model_validate(
        {
            "visibility": "public",
            "seller": {"name": "Acme", "signatory": {"name": "A", "title": "B"}, **seller},
            "notice": {
                "received": "2026-10-02",
                "action": "warning",
                "issues": [{"id": "a", "reason": "inauthentic"}],
            },
            "follow_up": follow_up,
        }
    )


def with_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of case data with each dotted path ("units.0.sold") set to its value: None
    deletes it, an index one past the end of a list appends."""
    data = copy.deepcopy(data)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) else last
        if value is None:
            del node[key]
        elif isinstance(node, list) and key == len(node):
            node.append(value)
        else:
            node[key] = value
    return data


def poa(
    *args: str, cwd: Path, today: str = "2026-11-27", stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    """The `poa` command as a user runs it in `cwd`: a plain environment, a fixed today
    (`POAKIT_TODAY`); its output captured, or sent to `stdout` (a file, a pipe's end)."""
    return subprocess.run(
        [sys.executable, "-m", "poakit", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "POAKIT_TODAY": today},
    )


def golden_blocks(path: Path) -> dict[str, list[str]]:
    """A golden file of blocks: each `[name]` header line, and the lines that follow it."""
    blocks: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text().splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            blocks[current] = []
        elif line:
            blocks[current].append(line)
    return blocks


def unlistable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`folder` denies listing it, as a folder without read permission does."""
    listing = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return listing(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
