"""Types of command-line values shared by the `poa` commands: each says what it expected."""

from __future__ import annotations

import argparse
import datetime as dt


def whole_number(value: str) -> int:
    """A width or a count: 0 or more."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more: {value!r}")
    return int(value)


def day(value: str) -> dt.date:
    """A date as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD: {value!r}") from None
