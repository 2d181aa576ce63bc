"""What changed between two letters, for the terminal (`poakit.render.diff`): exact output."""

from __future__ import annotations

from poakit.model.versions import compare
from poakit.render.diff import diff_text

OLD = """Root causes

1. Late confirmation. Orders left on time, but we confirmed them in one file a
   day.

Actions taken

- We connected the label software to Seller Central.
- We hired a fourth packer.

Preventive measures

- Weekly capacity check.
"""


def test_each_change_is_marked_with_one_unit_around_it() -> None:
    new = OLD.replace("in one file a\n   day.", "in one file a day, uploaded at 11:00.")
    new = new.replace("- We hired a fourth packer.\n", "")
    new = new.replace("- Weekly capacity check.\n", "- Weekly capacity check.\n- Daily trace.\n")
    assert diff_text("v1 (submitted)", "v2 (resubmitted)", compare(OLD, new), width=60) == (
        "--- v1 (submitted)\n"
        "+++ v2 (resubmitted)\n"
        "  Root causes\n"
        "~ 1. Late confirmation. Orders left on time, but we\n"
        "  confirmed them in one file a [-day.-] {+day, uploaded at\n"
        "  11:00.+}\n"
        "  Actions taken\n"
        "  - We connected the label software to Seller Central.\n"
        "- - We hired a fourth packer.\n"
        "  Preventive measures\n"
        "  - Weekly capacity check.\n"
        "+ - Daily trace.\n"
    )


def test_unchanged_stretches_are_counted() -> None:
    new = OLD.replace("- Weekly capacity check.", "- A weekly capacity check.")
    assert diff_text("a", "b", compare(OLD, new)).splitlines()[2:] == [
        "  (5 paragraphs or list items unchanged)",
        "  Preventive measures",
        "~ - [-Weekly-] {+A weekly+} capacity check.",
    ]


def test_the_same_letter_has_no_differences() -> None:
    assert diff_text("v1", "v2", compare(OLD, OLD)) == "--- v1\n+++ v2\n(no differences)\n"


def test_control_characters_from_a_case_show_as_symbols() -> None:
    out = diff_text("a", "b", compare("Old.\n", "Evil\x1b[31m red.\n"))
    assert "\x1b" not in out and "␛[31m" in out
