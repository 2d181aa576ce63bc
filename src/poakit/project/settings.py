"""Settings that come from the environment, each read by one parser wherever it is used.

`POAKIT_INCLUDE_PRIVATE` decides whether a build shows private cases. The build reads it
(mkdocs.yml's `extra.poakit.include_private`, through `!ENV`) and `make publish` refuses to
run while it is on: if the two read it differently, a value such as `'false # off'` would
pass the guard and still publish private cases. Both call `include_private`, which knows only
true/false, yes/no, on/off and 1/0 and stops at anything else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from ..errors import ConfigError

INCLUDE_PRIVATE = "POAKIT_INCLUDE_PRIVATE"
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def switch(name: str, value: object, *, default: bool = False) -> bool:
    """A yes-or-no setting: true/false, yes/no, on/off or 1/0 in any case, trimmed; unset or
    empty is `default`. YAML's own booleans and 0/1 count too (mkdocs.yml's `!ENV` hands the
    variable over already read as YAML). Anything else is a `ConfigError` naming the value."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text == "":
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ConfigError(
        f"{name} is set to {str(value)!r}: expected true or false (also yes/no, on/off, 1/0); "
        f"unset it, or set it to false"
    )


def include_private(value: object) -> bool:
    """Whether a build includes private cases (`POAKIT_INCLUDE_PRIVATE`)."""
    return switch(INCLUDE_PRIVATE, value)


TODAY_SETTING = "extra.poakit.today"


def parse_today(value: Any, config_file: Path | None = None) -> dt.date | None:
    """The configured "today" (a date, or YYYY-MM-DD text); None when unset or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        where = _setting_position(config_file)
        raise ConfigError(
            f"{where}{TODAY_SETTING}: expected a date as YYYY-MM-DD, found {str(value)!r} "
            "(set POAKIT_TODAY=2026-11-27, or leave it unset to count to the build date)"
        ) from None


def build_date() -> dt.date:
    """The day of a build: `SOURCE_DATE_EPOCH` when it is set (reproducible builds), else
    today, in UTC; as MkDocs reads it, so a stage and a build agree on the day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise ConfigError(
            f"SOURCE_DATE_EPOCH is set to {epoch!r}: expected whole seconds since 1970 "
            "(e.g. 1795737600), or unset it"
        ) from None


def _setting_position(config_file: Path | None) -> str:
    """'mkdocs.yml:LINE:COL: ' of the `today:` key, or '' when the file does not say."""
    if config_file is None:
        return ""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return f"{config_file.name}: "
    for number, line in enumerate(lines, start=1):
        match = re.match(r"(\s*)today\s*:", line)
        if match:
            return f"{config_file.name}:{number}:{len(match.group(1)) + 1}: "
    return f"{config_file.name}: "
