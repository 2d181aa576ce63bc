"""How numbers, rates, amounts and periods read in a letter."""

from __future__ import annotations

import datetime as dt

import pytest

from poakit.model.values import (
    format_date,
    format_date_range,
    format_money,
    format_number,
    format_percent,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1240, "1,240"),
        (7, "7"),
        (3180.0, "3,180"),
        (1318.4, "1,318.4"),
        (None, "[TBD]"),
        ("12", "12"),
    ],
)
def test_numbers(value: object, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(2.1, "2.1%"), (7.80, "7.8%"), (0.456, "0.46%"), (95, "95%")]
)
def test_rates(value: float, text: str) -> None:
    assert format_percent(value) == text


def test_money_keeps_cents_only_where_there_are_some() -> None:
    assert format_money(3180, "USD") == "3,180 USD"
    assert format_money(1318.4, "USD") == "1,318.40 USD"


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ((2026, 10, 5), (2026, 10, 20), "5 to 20 October 2026"),
        ((2026, 9, 25), (2026, 10, 6), "25 September to 6 October 2026"),
        ((2025, 12, 20), (2026, 1, 10), "20 December 2025 to 10 January 2026"),
    ],
)
def test_periods_say_the_year_and_month_once(
    start: tuple[int, int, int], end: tuple[int, int, int], text: str
) -> None:
    assert format_date_range(dt.date(*start), dt.date(*end)) == text


def test_dates_name_every_month_in_english() -> None:
    # spelled out here, not by strftime("%B"), which follows the process's LC_TIME
    months = "January February March April May June July August September October November December"
    for number, name in enumerate(months.split(), start=1):
        assert format_date(dt.date(2026, number, 4)) == f"4 {name} 2026"
    assert format_date(dt.date(999, 12, 31)) == "31 December 999"
    assert format_date(None) == "[TBD]"
