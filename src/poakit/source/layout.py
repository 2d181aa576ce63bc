"""Where things are in a poakit project, and how messages show a path."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError, UsageError

CASES_DIR = "cases"
SNIPPETS_DIR = "snippets"
#: What checks and builds keep between runs (see `project.cache`); git-ignored.
CACHE_DIR = ".cache/poakit"
#: The site's sources and its output: no export of a letter (`poa render --output`, `poa
#: packet`) is written into them. An export holds a client's details, and a file there would
#: be taken for a source or published.
SITE_FOLDERS = ("docs", "site", CASES_DIR, SNIPPETS_DIR)


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds a `snippets/` library."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SNIPPETS_DIR).is_dir():
            return folder
    raise ConfigError(
        f"no poakit project here: no '{SNIPPETS_DIR}/' folder in {here} or above it "
        "(run poa inside a poakit checkout, or pass --root)"
    )


def project_folder(config_file: str) -> Path:
    """The project of a site's configuration file, as an absolute path. `mkdocs serve -f
    FILE` gives its first build the path as typed and every rebuild an absolute one: the
    same folder either way, so what the first build kept (keyed by its path) serves the
    rebuilds."""
    return Path(os.path.abspath(config_file)).parent


def case_paths(root: Path) -> list[Path]:
    """Every case file of the project, in name order; none without a cases/ folder, and a
    `ConfigError` for one that cannot be read (not an empty project: a site without cases)."""
    folder = root / CASES_DIR
    try:
        return files_ending(folder, (".yaml", ".yml"))
    except OSError as exc:
        raise ConfigError(
            f"cannot read {display_path(folder)}/: {exc.strerror or exc}"
            + (" (it should be the folder of case files)" if folder.is_file() else "")
        ) from None


def files_ending(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The entries of `folder` whose names end with one of `suffixes`, in name order; none if
    there is no such folder. A folder that cannot be listed (or is a file) raises `OSError`:
    for the caller to report, as it is not an empty one."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(folder / name for name in names if name.endswith(suffixes))


def refuse_site_folders(output: Path, root: Path, what: str) -> None:
    """A `UsageError` if `output` (followed through links) is inside one of the project's
    `SITE_FOLDERS`; `what` names the export in the message ("a packet")."""
    target = output.absolute().resolve()
    for name in SITE_FOLDERS:
        if target.is_relative_to((root / name).resolve()):
            raise UsageError(
                f"{output} is inside {name}/: {what} holds the client's details and must stay "
                "out of the site's sources and output; write it elsewhere"
            )


def slug_of(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as messages show it: relative to `base` (default: the working folder) if inside."""
    base = (base or Path.cwd()).absolute()
    absolute = path.absolute()
    if absolute.is_relative_to(base):
        return absolute.relative_to(base).as_posix()
    return str(absolute)


def case_arguments(arguments: Sequence[str], root: Path) -> list[Path]:
    """The case files `poa check` is given, each once: a path as typed, or a slug. A bare
    name is the project's case of that slug when there is one, even beside a folder of that
    name here (a case's records folder, `cases/acme/`, when run in `cases/`); else the file
    or folder of that name here, if any, which its finding then describes."""
    chosen: dict[Path, Path] = {}
    for argument in arguments:
        path = resolve_case(argument, root)
        if not path.exists() and os.path.lexists(argument):
            path = Path(argument)
        chosen.setdefault(path.absolute(), path)
    return list(chosen.values())


def resolve_case(argument: str, root: Path) -> Path:
    """A case named by path or by slug."""
    candidate = Path(argument)
    if candidate.suffix in (".yaml", ".yml") or os.sep in argument or "/" in argument:
        return candidate
    for suffix in (".yaml", ".yml"):
        path = root / CASES_DIR / f"{argument}{suffix}"
        if path.exists():
            return path
    return root / CASES_DIR / f"{argument}.yaml"
