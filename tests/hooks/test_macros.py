"""The macros module `hooks/macros.py`, with the `env` each builder hands it.

mkdocs-macros passes its plugin: `project_dir` is a property over `conf.config_file_path`.
Zensical's emulation passes a `MacroEnv` whose `conf` is a plain dict with no
`config_file_path`, and runs in the caller's working folder. The module must find the project
from what both have: `project_dir`, and `extra.poakit.root` when the config names one. (A real
Zensical build of the repository's config: tests/builders/test_zensical.py.)
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import REPO, hook_module

from poakit.site import guide


class Env:
    """What `define_env` uses of an env: `macro`, `variables`, `project_dir`."""

    def __init__(self, project_dir: Path, extra: dict[str, Any] | None = None, **more: Any):
        self.project_dir = str(project_dir)
        self.variables: dict[str, Any] = {"extra": extra or {}}
        self.macros: dict[str, Any] = {}
        for name, value in more.items():
            setattr(self, name, value)

    def macro(self, function: Any, name: str) -> None:
        self.macros[name] = function


def mkdocs_env(folder: Path, extra: dict[str, Any] | None = None) -> Env:
    conf = SimpleNamespace(
        config_file_path=str(folder / "mkdocs.yml"), docs_dir=str(folder / "docs")
    )
    return Env(folder, extra, conf=conf)


def zensical_env(folder: Path, extra: dict[str, Any] | None = None) -> Env:
    conf = {"root_dir": str(folder), "docs_dir": "docs", "extra": extra or {}}
    return Env(folder, extra, conf=conf)


@pytest.mark.parametrize("make", [mkdocs_env, zensical_env])
def test_define_env_registers_every_macro_and_the_version(
    make: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # Zensical leaves the caller's folder: it must not matter
    env = make(REPO)
    hook_module("macros").define_env(env)
    assert set(env.macros) == set(guide.MACROS)
    assert env.variables["poakit_version"] == guide.library_version()
    assert env.macros["case_count"]() == sum(1 for _ in (REPO / "cases").glob("*.yaml"))


@pytest.mark.parametrize("make", [mkdocs_env, zensical_env])
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "site"),
        ({"poakit": {"include_private": False}}, "site"),
        ({"poakit": {"root": ".."}}, ""),
        ({"poakit": {"root": "../project"}}, "project"),
    ],
)
def test_the_project_is_the_configs_folder_unless_extra_names_one(
    make: Any, tmp_path: Path, extra: dict[str, Any], expected: str
) -> None:
    folder = tmp_path / "site"
    assert hook_module("macros").project_root(make(folder, extra)) == tmp_path / expected


def test_the_module_never_reads_the_config_path_or_the_working_folder() -> None:
    source = (REPO / "hooks" / "macros.py").read_text(encoding="utf-8")
    code = source.split('"""', 2)[2]  # past the docstring, which names them
    assert "config_file_path" not in code and "getcwd" not in code and "cwd()" not in code
