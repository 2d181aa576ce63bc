"""How a case value reads in a letter: dates, lists, yes-or-no, and a missing value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any


def format_date(value: dt.date | None) -> str:
    """'4 October 2026': unambiguous in every marketplace."""
    if value is None:
        return format_value(None)
    return f"{value.day} {value:%B %Y}"


def join_and(values: Iterable[Any]) -> str:
    items = [format_value(v) for v in values]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def format_value(value: Any) -> str:
    """How a case value reads in a letter."""
    if value is None:
        return "[TBD]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)
