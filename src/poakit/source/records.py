"""Reading the letters a case sent: the records `poa sent` keeps beside the case file.

A case `cases/<slug>.yaml` keeps its records in `cases/<slug>/sent/`, one file per version,
named `v<N>-<YYYY-MM-DD>-<event>.txt` and holding the text export as it was sent. Anything
else in the folder, a gap in the numbers or dates that run backwards is a warning: the
records are read, never repaired.
"""

from __future__ import annotations

import itertools
import os
import stat
from pathlib import Path, PurePosixPath

from ..errors import Finding, InputError, Position, warning
from ..model.versions import SENT_FOLDER, SentVersion, parse_record_name
from . import yaml
from .layout import slug_of

RULE = "sent-record"


def sent_folder(case_path: Path) -> Path:
    """Where the case's records are: cases/<slug>/sent/ beside cases/<slug>.yaml."""
    return case_path.parent / slug_of(case_path) / SENT_FOLDER


def sent_display(case_display: str, case_path: Path) -> str:
    """The records folder as messages show it, next to the case file's shown path."""
    return str(PurePosixPath(case_display).parent / slug_of(case_path) / SENT_FOLDER)


def read_versions(
    case_path: Path, case_display: str, *, strays: bool = True
) -> tuple[tuple[SentVersion, ...], tuple[Finding, ...]]:
    """The case's versions in number order, and what is wrong in its records folder;
    `strays=False`: without the files that are not named as records (a README), which
    take nothing from the records."""
    folder = sent_folder(case_path)
    shown = sent_display(case_display, case_path)
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return (), ()
    if not stat.S_ISDIR(mode):
        return (), (_odd(shown, "is not a folder (a link or a file)", "make it a plain folder"),)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return (), (
            _odd(
                shown, f"cannot be read ({reason})", "give your user permission to read the folder"
            ),
        )
    versions: list[SentVersion] = []
    problems: list[Finding] = []
    for entry in entries:
        if entry.name.startswith(".") or not (strays or parse_record_name(entry.name)):
            continue  # an editor's or the system's own file, or a stray one not asked for
        version, problem = _read(entry, f"{shown}/{entry.name}")
        if version is not None:
            versions.append(version)
        problems += problem
    versions.sort(key=lambda v: v.number)
    return tuple(versions), (*problems, *_sequence(versions))


def _read(path: Path, shown: str) -> tuple[SentVersion | None, list[Finding]]:
    parsed = parse_record_name(path.name)
    if parsed is None:
        return None, [
            _odd(
                shown,
                "is not a record of `poa sent` (expected a name such as "
                "v1-2026-09-30-submitted.txt)",
                "move it out of the folder; poa sent writes the records",
            )
        ]
    if path.is_symlink():
        return None, [_odd(shown, "is a link; a record is a file of its own", "copy the file")]
    try:
        text = yaml.read_text(path, shown)
    except InputError as exc:  # not a file, not UTF-8, too large: reported, not read
        return None, [warning(f.position, f.message, RULE, f.fix) for f in exc.findings]
    number, day, event = parsed
    return SentVersion(number, day, event, text, shown), []


def _sequence(versions: list[SentVersion]) -> list[Finding]:
    """Numbers from v1 without gaps or repeats, and dates that never run backwards."""
    problems: list[Finding] = []
    for expected, version in enumerate(versions, start=1):
        if version.number != expected:
            if version.number < expected:
                what = "repeats a number"
            else:
                what = f"follows v{expected - 1}" if expected > 1 else "comes first, without v1"
            problems.append(
                _odd(
                    version.path,
                    f"{what}: records are numbered v1, v2, ... without gaps",
                    "restore the missing record from git; never renumber records",
                )
            )
            break
    for earlier, later in itertools.pairwise(versions):
        if later.date < earlier.date:
            problems.append(
                _odd(
                    later.path,
                    f"is dated before {earlier.name} ({earlier.date.isoformat()})",
                    "restore the records from git; never rename records",
                )
            )
    return problems


def _odd(shown: str, what: str, fix: str) -> Finding:
    return warning(Position(shown), f"{PurePosixPath(shown).name} {what}", RULE, fix)
