"""How a case value reads in a letter: dates, lists, yes-or-no, and a missing value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any


def plural(n: int, noun: str) -> str:
    """'1 warning', '3 warnings': a count and its noun."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


#: English month names, whatever the locale: `%B` would follow `LC_TIME` ("Oktober").
_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)


def format_date(value: dt.date | None) -> str:
    """'4 October 2026': unambiguous in every marketplace."""
    if value is None:
        return format_value(None)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_date_range(start: dt.date | None, end: dt.date | None) -> str:
    """'5 October to 2 November 2026': a period, its year (and month) said once."""
    if start is None or end is None:
        return format_value(None)
    if start.year != end.year:
        return f"{format_date(start)} to {format_date(end)}"
    if start.month != end.month:
        return f"{start.day} {_MONTHS[start.month - 1]} to {format_date(end)}"
    return f"{start.day} to {format_date(end)}"


def format_number(value: Any) -> str:
    """'1,240' for 1240; '3,180.5' for 3180.5: thousands separated, no needless decimals."""
    if value is None:
        return format_value(None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _, decimals = f"{value:,.2f}".partition(".")
        decimals = decimals.rstrip("0")
        return f"{whole}.{decimals}" if decimals else whole
    return f"{int(value):,}"


def format_percent(value: Any) -> str:
    """'2.1%' for 2.1: a rate as Amazon prints it, without trailing zeros."""
    if value is None:
        return format_value(None)
    return f"{format_number(round(float(value), 2))}%"


def format_money(value: Any, currency: str = "") -> str:
    """'3,180 USD' for 3180 and 'USD', '1,318.40 USD' for 1318.4: the amount (cents only
    where there are some), then the currency code as the case gives it."""
    if isinstance(value, float) and not value.is_integer():
        amount = f"{value:,.2f}"
    else:
        amount = format_number(value)
    return f"{amount} {currency}".strip()


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
