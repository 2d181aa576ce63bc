"""The macros module: guidance pages call into the engine for live tables and checklists.

Only pages with `render_macros: true` are rendered (generated pages never are), and every
macro returns Markdown built by `poakit.site.guide`.

Two builders load this file: mkdocs-macros under MkDocs, and Zensical's emulation of it.
Both hand `define_env` an `env` with `project_dir` (the folder of the config being built) and
`variables["extra"]`; only MkDocs' has `conf.config_file_path`, so this reads neither that nor
the working folder, which Zensical leaves as the caller's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from poakit.site import guide


def define_env(env: Any) -> None:
    data = guide.GuideData(project_root(env))
    for name, function in guide.macros(data).items():
        env.macro(function, name)
    env.variables.update(guide.variables())


def project_root(env: Any) -> Path:
    """The poakit project: `extra.poakit.root` when the config names one (relative to the
    config's folder), else the config's own folder."""
    folder = Path(env.project_dir)
    extra = env.variables.get("extra") or {}
    named = (extra.get("poakit") or {}).get("root")
    return (folder / str(named)).resolve() if named else folder
