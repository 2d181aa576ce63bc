"""Versions of a letter (`poakit.model.versions`): record names, and what changed between two."""

from __future__ import annotations

import datetime as dt

import pytest

from poakit.model.case import Event
from poakit.model.versions import (
    Change,
    SentVersion,
    Skipped,
    Words,
    changed,
    compare,
    find_version,
    in_view,
    parse_record_name,
    record_name,
    units,
)

LETTER = """Root causes

1. Late confirmation. Orders left on time, but we confirmed them in one file a
   day, uploaded at 11:00.
2. Peak volume. Orders rose to 160 a day against a capacity of 100.

Actions taken

- We connected the label software to Seller Central.
"""


def test_a_record_name_gives_number_day_and_event() -> None:
    name = record_name(2, dt.date(2026, 10, 8), Event.RESUBMITTED)
    assert name == "v2-2026-10-08-resubmitted.txt"
    assert parse_record_name(name) == (2, dt.date(2026, 10, 8), Event.RESUBMITTED)


@pytest.mark.parametrize(
    "name",
    [
        "v0-2026-10-08-submitted.txt",  # numbers start at 1
        "v2-2026-02-30-submitted.txt",  # no such day
        "v2-2026-10-08-denied.txt",  # only submissions send a letter
        "v2-2026-10-08-submitted.md",
        "notes.txt",
        "v2-2026-10-08-submitted.txt.bak",
    ],
)
def test_other_names_are_not_records(name: str) -> None:
    assert parse_record_name(name) is None


def test_units_do_not_depend_on_the_wrapping_width() -> None:
    unwrapped = LETTER.replace("a\n   day", "a day")
    assert units(LETTER) == units(unwrapped)
    assert units(LETTER) == [
        "Root causes",
        "1. Late confirmation. Orders left on time, but we confirmed them in one file a day, "
        "uploaded at 11:00.",
        "2. Peak volume. Orders rose to 160 a day against a capacity of 100.",
        "Actions taken",
        "- We connected the label software to Seller Central.",
    ]


def test_a_nested_list_item_keeps_its_indent() -> None:
    assert units("1. Cause.\n   - first\n   - second\n") == [
        "1. Cause.",
        "   - first",
        "   - second",
    ]


def test_compare_tells_same_added_removed_and_changed_units() -> None:
    new = LETTER.replace("160 a day", "about 160 a day").replace(
        "- We connected", "- We hired a packer.\n- We connected"
    )
    new = new.replace("Actions taken\n", "")
    changes = compare(LETTER, new)
    assert [c.kind for c in changes] == ["same", "same", "changed", "removed", "added", "same"]
    assert changes[2].words == (
        Words("same", "2. Peak volume. Orders rose to"),
        Words("added", "about"),
        Words("same", "160 a day against a capacity of 100."),
    )
    assert changes[3].text == "Actions taken"
    assert changes[4].text == "- We hired a packer."
    assert changed(changes)
    assert not changed(compare(LETTER, LETTER))


def test_a_unit_unlike_any_other_is_removed_and_added_not_changed() -> None:
    changes = compare("A short note about invoices.\n", "Something else entirely here.\n")
    assert [c.kind for c in changes] == ["removed", "added"]


def test_the_view_keeps_one_unit_around_each_change_and_counts_the_rest() -> None:
    same = [Change("same", str(n), str(n)) for n in range(6)]
    added = Change("added", "", "new")
    view = in_view([*same[:4], added, *same[4:]])
    assert view == [Skipped(3), same[3], added, same[4], Skipped(1)]
    assert in_view(same) == [Skipped(6)]


@pytest.mark.parametrize(("name", "number"), [("v2", 2), ("V2", 2), ("2", 2), ("v1", 1)])
def test_a_version_is_found_by_its_name_or_number(name: str, number: int) -> None:
    versions = [
        SentVersion(n, dt.date(2026, 10, n), Event.SUBMITTED, f"letter {n}", f"v{n}.txt")
        for n in (1, 2)
    ]
    found = find_version(versions, name)
    assert found is not None and found.number == number
    for other in ("v3", "current", "", "v", "02"):
        assert find_version(versions, other) is None
