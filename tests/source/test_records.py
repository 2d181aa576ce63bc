"""Reading the letters a case sent (`poakit.source.records`): read, never repaired."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import unlistable

from poakit.model.case import Event
from poakit.source.records import read_versions, sent_folder


def _records(tmp_path: Path, files: dict[str, bytes]) -> Path:
    case = tmp_path / "cases" / "acme.yaml"
    folder = sent_folder(case)
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return case


def test_versions_come_in_number_order_with_their_text(tmp_path: Path) -> None:
    case = _records(
        tmp_path,
        {
            "v10-2026-10-20-resubmitted.txt": b"ten\n",
            "v2-2026-10-09-resubmitted.txt": b"two\r\n",
            "v1-2026-10-07-submitted.txt": b"one\n",
            **{f"v{n}-2026-10-1{n - 3}-resubmitted.txt": b"x" for n in range(3, 10)},
            ".DS_Store": b"\0",
        },
    )
    versions, problems = read_versions(case, "cases/acme.yaml")
    assert problems == ()
    assert [v.number for v in versions] == list(range(1, 11))
    first, second = versions[:2]
    assert (first.date, first.event, first.text) == (dt.date(2026, 10, 7), Event.SUBMITTED, "one\n")
    assert second.text == "two\r\n"  # byte for byte: the line endings as sent
    assert first.path == "cases/acme/sent/v1-2026-10-07-submitted.txt"
    assert first.label == "v1 (submitted on 7 October 2026)"


def test_no_folder_no_versions(tmp_path: Path) -> None:
    assert read_versions(tmp_path / "cases" / "acme.yaml", "cases/acme.yaml") == ((), ())


def test_what_does_not_belong_is_a_warning_and_is_not_read(tmp_path: Path) -> None:
    case = _records(
        tmp_path,
        {
            "v1-2026-10-07-submitted.txt": b"one\n",
            "draft.txt": b"a draft\n",
            "v3-2026-10-01-resubmitted.txt": b"three\n",
            "v4-2026-10-08-resubmitted.txt": b"\xff\xfe not utf-8",
        },
    )
    versions, problems = read_versions(case, "cases/acme.yaml")
    assert [v.name for v in versions] == ["v1", "v3"]
    assert [str(p) for p in problems] == [
        "cases/acme/sent/draft.txt:1:1: warning: draft.txt is not a record of `poa sent` "
        "(expected a name such as v1-2026-09-30-submitted.txt) (move it out of the folder; poa "
        "sent writes the records) [sent-record]",
        "cases/acme/sent/v4-2026-10-08-resubmitted.txt:1:1: warning: the file is not UTF-8 text "
        "but UTF-16 (byte 0xff) (save the file as UTF-8) [sent-record]",
        "cases/acme/sent/v3-2026-10-01-resubmitted.txt:1:1: warning: "
        "v3-2026-10-01-resubmitted.txt follows v1: records are numbered v1, v2, ... without gaps "
        "(restore the missing record from git; never renumber records) [sent-record]",
        "cases/acme/sent/v3-2026-10-01-resubmitted.txt:1:1: warning: "
        "v3-2026-10-01-resubmitted.txt is dated before v1 (2026-10-07) (restore the records "
        "from git; never rename records) [sent-record]",
    ]


def test_a_missing_first_record_is_named_as_such(tmp_path: Path) -> None:
    case = _records(tmp_path, {"v2-2026-10-08-resubmitted.txt": b"two\n"})
    _, problems = read_versions(case, "cases/acme.yaml")
    assert [p.message for p in problems] == [
        "v2-2026-10-08-resubmitted.txt comes first, without v1: records are numbered v1, v2, "
        "... without gaps"
    ]


def test_without_strays_only_the_records_are_read_and_judged(tmp_path: Path) -> None:
    """`strays=False` (what `poa sent` reads): a file not named as a record is left out, a
    damaged record is not."""
    case = _records(
        tmp_path,
        {
            "v1-2026-10-07-submitted.txt": b"one\n",
            "README": b"notes\n",
            "v3-2026-10-09-resubmitted.txt": b"three\n",
        },
    )
    versions, problems = read_versions(case, "cases/acme.yaml", strays=False)
    assert [v.name for v in versions] == ["v1", "v3"]
    assert [p.position.path for p in problems] == ["cases/acme/sent/v3-2026-10-09-resubmitted.txt"]
    _, every = read_versions(case, "cases/acme.yaml")
    assert [p.position.path for p in every] == [
        "cases/acme/sent/README",
        "cases/acme/sent/v3-2026-10-09-resubmitted.txt",
    ]


def test_a_record_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not a letter\n")
    case = _records(tmp_path, {})
    (sent_folder(case) / "v1-2026-10-07-submitted.txt").symlink_to(secret)
    versions, problems = read_versions(case, "cases/acme.yaml")
    assert versions == ()
    assert [p.rule for p in problems] == ["sent-record"]
    assert "is a link" in problems[0].message


def test_a_folder_that_cannot_be_listed_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as a folder without read permission does for anyone but root (who runs these tests)
    case = _records(tmp_path, {"v1-2026-10-07-submitted.txt": b"one\n"})
    unlistable(monkeypatch, sent_folder(case))
    versions, problems = read_versions(case, "cases/acme.yaml")
    assert versions == ()
    assert [str(p) for p in problems] == [
        "cases/acme/sent:1:1: warning: sent cannot be read (Permission denied) (give your user "
        "permission to read the folder) [sent-record]"
    ]
