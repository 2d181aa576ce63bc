"""The site's configuration, `mkdocs.yml`, read without MkDocs, and the copy a staged tree
carries (see `stage`).

MkDocs reads the file with two extras over plain YAML: `!ENV` (a value from the environment)
and `INHERIT` (a parent file). `read_config` resolves `!ENV` as MkDocs does and refuses
`INHERIT` and Python tags by name, so a stage builds from the values a build would see.

`staged_config` is that configuration for a tree whose pages are finished: no hooks, no
macros plugin, nothing watched, poakit's own settings resolved away. Zensical reads it as it
is; MkDocs (with Material) builds it too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..project.settings import site_url

CONFIG_FILE = "mkdocs.yml"
#: The first line of every staged mkdocs.yml: how `poa stage --force` knows a folder it may replace.
STAGED_HEADER = "# Written by `poa stage`: "
_HEADER = (
    STAGED_HEADER + "the site with every page finished; no hooks, no macros.\n"
    "# Build it with `zensical build -f mkdocs.yml` or `mkdocs build -f mkdocs.yml`; do not edit\n"
    "# it by hand: `make stage` writes it again from the project's mkdocs.yml.\n"
)
_MACROS = "macros"
#: Keys of mkdocs.yml that only mean something to the project's own build (its hooks and
#: watched folders); a staged tree has neither.
_PROJECT_ONLY = ("hooks", "watch")


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader with MkDocs' `!ENV` tag."""


def _env_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """`!ENV VAR` or `!ENV [VAR, OTHER, default]`: the first variable that is set, read as
    YAML reads a plain value (`true` is a boolean), else the default (else None). The same
    rules as MkDocs' `yaml_env_tag`."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
        if len(children) > 1:
            default = loader.construct_object(children.pop())
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            "expected a variable name or a list after !ENV, found a mapping",
            node.start_mark,
        )
    for name in names:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_config(path: Path) -> dict[str, Any]:
    """The configuration in `path`, `!ENV` values resolved from the environment now."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path.name}:{mark.line + 1}:{mark.column + 1}" if mark else path.name
        raise ConfigError(f"{where}: {exc.problem or exc.context}") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path.name}: expected a mapping of settings, found {type(data).__name__}"
        )
    if "INHERIT" in data:
        raise ConfigError(
            f"{path.name}: INHERIT is not supported by poa stage (copy the parent's settings "
            f"into {path.name})"
        )
    return data


def docs_dir(config: Mapping[str, Any]) -> str:
    return str(config.get("docs_dir") or "docs")


def poakit_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """`extra.poakit`: the settings poakit's build reads (include_private, today, cache)."""
    extra = config.get("extra") or {}
    settings = extra.get("poakit") if isinstance(extra, dict) else None
    return dict(settings) if isinstance(settings, dict) else {}


def macros_options(config: Mapping[str, Any]) -> dict[str, Any] | None:
    """The options of the macros plugin, or None when the site does not use it."""
    for name, options in _plugins(config.get("plugins")):
        if name == _MACROS:
            return dict(options)
    return None


def _plugins(value: object) -> list[tuple[str, dict[str, Any]]]:
    """`plugins:` as (name, options) pairs: MkDocs takes a list of names and one-key
    mappings, or one mapping of names to options."""
    if isinstance(value, dict):
        return [(str(k), dict(v or {})) for k, v in value.items()]
    pairs: list[tuple[str, dict[str, Any]]] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            pairs += [(str(k), dict(v or {})) for k, v in item.items()]
        else:
            pairs.append((str(item), {}))
    return pairs


def staged_config(config: Mapping[str, Any], not_in_nav: Iterable[str]) -> dict[str, Any]:
    """The configuration of a staged tree (see the module). `not_in_nav`: patterns of the
    pages that are linked but not listed in the navigation, as the project's hooks mark them."""
    places: dict[str, Any] = {"docs_dir": "docs", "site_dir": "site"}  # the tree's own
    staged = {k: places.pop(k, v) for k, v in config.items() if k not in _PROJECT_ONLY} | places
    plugins = [
        name if not options else {name: options}
        for name, options in _plugins(config.get("plugins"))
        if name != _MACROS  # the stage rendered them
    ]
    if "plugins" in config:
        staged["plugins"] = plugins
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("name") == "material":
        # Zensical's default look is its own ("modern"); this is Material's, as MkDocs builds
        # it. MkDocs and Material accept the key and ignore it.
        staged["theme"] = {**theme, "variant": theme.get("variant", "classic")}
    patterns = [*str(config.get("not_in_nav") or "").splitlines(), *not_in_nav]
    if patterns:
        staged["not_in_nav"] = "\n".join(dict.fromkeys(p for p in patterns if p.strip()))
    poakit = dict(dict(config.get("extra") or {}).get("poakit") or {})
    url = site_url(poakit.get("site_url"))  # POAKIT_SITE_URL, read as the build reads it
    if url is not None:
        staged["site_url"] = url
    extra = {k: v for k, v in dict(config.get("extra") or {}).items() if k != "poakit"}
    if extra:
        staged["extra"] = _dates_as_text(extra)
    else:
        staged.pop("extra", None)
    return staged


def _dates_as_text(value: Any) -> Any:
    """Dates as YYYY-MM-DD text: Zensical 0.0.73 stops on a date anywhere in `extra`."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes text of several lines as a block (`|`), as a person would."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def dump_config(config: Mapping[str, Any]) -> bytes:
    """The staged mkdocs.yml: a header saying where it comes from, then plain YAML."""
    body = yaml.dump(dict(config), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return (_HEADER + body).encode("utf-8")


def is_staged(path: Path) -> bool:
    """Whether `path` (a mkdocs.yml) was written by `poa stage`."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(STAGED_HEADER)) == STAGED_HEADER.encode("utf-8")
    except OSError:
        return False
