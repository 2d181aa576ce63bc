"""The layers of ARCHITECTURE.md hold: the import contracts, and no private names borrowed.

`lint-imports` checks the contracts of pyproject.toml (each layer imports only the layers
below it, the model imports nothing of poakit but errors, the engine imports nothing of
MkDocs, no import cycles). What it cannot see is a module reaching into another's private
names (`from .richtext import _MARKER`); the walk below does.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src" / "poakit"


def test_the_layer_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is a test dependency (pyproject.toml)"
    result = subprocess.run(
        [lint], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def _private_imports(path: Path, package: Path | None) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level or (node.module or "").startswith("poakit")
        ):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    where = path.relative_to(REPO)
                    found.append(f"{where}:{node.lineno}: {node.module}.{alias.name}")
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 40
    borrowed = [line for path in modules for line in _private_imports(path, PACKAGE)]
    assert borrowed == []


def test_the_hooks_use_only_poakits_public_names() -> None:
    hooks = sorted((REPO / "hooks").glob("*.py"))
    assert hooks
    borrowed = [line for path in hooks for line in _private_imports(path, None)]
    assert borrowed == []
    for path in hooks:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert not (node.value.id in ("poakit",) and node.attr.startswith("_")), path


def test_every_layer_of_the_design_is_a_folder_of_the_package() -> None:
    layers = {
        "model", "source", "templating", "letter", "review", "render", "intake", "project",
        "site", "publish", "cli",
    }  # fmt: skip
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == layers
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == {"__init__.py", "__main__.py", "errors.py", "fileio.py"}


def test_the_code_is_typed_and_formatted() -> None:
    """mypy --strict (pyproject.toml) and ruff over the engine, the hooks and the tests."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "MYPY_CACHE_DIR": str(REPO / ".cache" / "mypy")}
    for command in (
        [str(bin_dir / "ruff"), "check", "src", "hooks", "tests", "benchmarks"],
        [str(bin_dir / "ruff"), "format", "--check", "src", "hooks", "tests", "benchmarks"],
        [str(bin_dir / "mypy")],
    ):
        result = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False, env=env
        )
        assert result.returncode == 0, " ".join(command) + "\n" + result.stdout + result.stderr
