"""Settings that come from the environment, each read by one parser wherever it is used.

`POAKIT_INCLUDE_PRIVATE` decides whether a build shows private cases. The build reads it
(mkdocs.yml's `extra.poakit.include_private`, through `!ENV`) and `make publish` refuses to
run while it is on: if the two read it differently, a value such as `'false # off'` would
pass the guard and still publish private cases. Both call `include_private`, which knows only
true/false, yes/no, on/off and 1/0 and stops at anything else.

`POAKIT_SITE_URL` is the address a team's site is served at. The build reads it (mkdocs.yml's
`extra.poakit.site_url`) for the canonical links and the sitemap, and `make publish` refuses
to run without it; both call `site_url`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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


SITE_URL = "POAKIT_SITE_URL"
_SITE_URL_EXAMPLE = "https://your-team.github.io/poakit/"


def site_url(value: object) -> str | None:
    """The address the built site is served at (`POAKIT_SITE_URL`), as MkDocs' `site_url`:
    http or https, a host, and a path ending in "/" (added when missing), which is the base
    path of every canonical link and of the sitemap. None when unset or empty. Anything else
    (no scheme or host, a query, a fragment, a user name or password, white space) is a
    `ConfigError` naming the value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    problem = _url_problem(value.strip()) if isinstance(value, str) else "expected an address"
    text = str(value).strip()
    if problem:
        raise ConfigError(
            f"{SITE_URL} is set to {str(value)!r}: {problem}; set it to the address the site "
            f"is served at, such as {_SITE_URL_EXAMPLE}"
        )
    parts = urlsplit(text)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def _url_problem(text: str) -> str | None:
    if re.search(r"[\s\x00-\x1f\x7f]", text):
        return "expected an address without spaces or control characters"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "expected an address such as https://host/path/"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "expected an address starting with https:// (or http://) and a host"
    if parts.username is not None or parts.password is not None:
        return "a user name or password would be published in every page"
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        return "expected no query (?...) or fragment (#...)"
    return None


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
