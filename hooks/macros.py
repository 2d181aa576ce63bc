"""mkdocs-macros module: guidance pages call into the engine for live tables and checklists.

Only pages with `render_macros: true` are rendered (generated pages never are), and every
macro returns Markdown built by `poakit.guide`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from poakit.site import guide


def define_env(env: Any) -> None:
    root = Path(env.conf.config_file_path).parent
    data = guide.GuideData(root)
    for name in guide.MACROS:
        env.macro(getattr(data, name), name)
    env.variables["poakit_version"] = guide.library_version()
