"""`poa sent`, `poa diff` and `poa packet` as a user runs them (`poakit.cli.followup`): output
lines, exit codes, files written, and bad input (an unknown version, a missing evidence file, a
file over the size limit, an existing output)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import poa

from poakit.cli.main import main
from poakit.project import sent


def test_sent_records_the_letter_and_says_what_it_did(mini: Path) -> None:
    result = poa("sent", "acme", "--date", "2026-10-07", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "recorded v1 (submitted on 7 October 2026): "
        "cases/acme/sent/v1-2026-10-07-submitted.txt\n"
        "follow_up in cases/acme.yaml has {date: 2026-10-07, event: submitted} already: the "
        "letter is recorded for it, as the case stood then\n"
    )
    record = mini / "cases" / "acme" / "sent" / "v1-2026-10-07-submitted.txt"
    assert record.read_text() == poa("render", "acme", "--format", "text", cwd=mini).stdout
    added = poa("sent", "acme", "--date", "2026-10-09", "--width", "0", cwd=mini)
    assert added.returncode == 0, added.stderr
    assert "added {date: 2026-10-09, event: resubmitted} to follow_up in cases/acme.yaml\n" in (
        added.stderr
    )
    assert "poa: note: v2 is the same letter as v1" in added.stderr
    assert (
        "  - {date: 2026-10-09, event: resubmitted}\n" in (mini / "cases" / "acme.yaml").read_text()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2026-13-01"), "argument --date: expected a date as YYYY-MM-DD: '2026-13-01'"),
        (("--date", "2026-11-28"), "--date 2026-11-28 is after today (2026-11-27)"),
        (("--event", "denied"), "argument --event: invalid choice: 'denied'"),
    ],
)
def test_sent_refuses_what_cannot_be_and_writes_nothing(
    mini: Path, args: tuple[str, ...], message: str
) -> None:
    before = (mini / "cases" / "acme.yaml").read_bytes()
    result = poa("sent", "acme", *args, cwd=mini)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert (mini / "cases" / "acme.yaml").read_bytes() == before
    assert not (mini / "cases" / "acme").exists()


def test_diff_compares_versions_and_names_an_unknown_one(mini: Path) -> None:
    assert poa("sent", "acme", "--date", "2026-10-07", cwd=mini).returncode == 0
    same = poa("diff", "acme", cwd=mini)
    assert same.returncode == 0, same.stderr
    assert same.stdout == (
        "--- v1 (submitted on 7 October 2026)\n+++ the current letter (not sent)\n"
        "(no differences)\n"
    )
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("units: 140", "units: 150"))
    changed = poa("diff", "acme", "v1", "current", cwd=mini)
    assert "[-140-] {+150+}" in changed.stdout
    unknown = poa("diff", "acme", "v7", cwd=mini)
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "poa: error: no version 'v7' of cases/acme.yaml (recorded: v1; or 'current' for the "
        "letter the case makes now)\n"
    )


def test_a_stray_file_among_the_records_stops_neither_diff_nor_sent(mini: Path) -> None:
    """A file not named as a record (a README) is a warning of `poa check`; `poa diff` prints
    it and compares, `poa sent` records beside it. A damaged record still stops `poa sent`."""
    assert poa("sent", "acme", "--date", "2026-10-07", cwd=mini).returncode == 0
    folder = mini / "cases" / "acme" / "sent"
    (folder / "README").write_text("what these are\n")
    compared = poa("diff", "acme", cwd=mini)
    assert compared.returncode == 0, compared.stderr
    assert "(no differences)" in compared.stdout
    assert compared.stderr.startswith("cases/acme/sent/README:1:1: warning: README is not a")
    recorded = poa("sent", "acme", "--date", "2026-10-09", cwd=mini)
    assert recorded.returncode == 0, recorded.stderr
    assert (folder / "v2-2026-10-09-resubmitted.txt").is_file()
    (folder / "v4-2026-10-10-resubmitted.txt").write_text("a record out of its place\n")
    refused = poa("sent", "acme", "--date", "2026-10-11", cwd=mini)
    assert refused.returncode == 1
    assert "v4-2026-10-10-resubmitted.txt follows v2" in refused.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "README",
        "v1-2026-10-07-submitted.txt",
        "v2-2026-10-09-resubmitted.txt",
        "v4-2026-10-10-resubmitted.txt",
    ]


def test_diff_without_a_recorded_letter_says_how_to_record_one(mini: Path) -> None:
    result = poa("diff", "acme", cwd=mini)
    assert result.returncode == 2
    assert result.stderr == (
        "poa: error: no letter of cases/acme.yaml is recorded yet: poa sent records the letter "
        "when you send it\n"
    )


def _evidence(mini: Path, data: bytes) -> None:
    folder = mini / "evidence" / "acme"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brandco-invoices.pdf").write_bytes(data)


def test_packet_builds_the_zip_and_never_overwrites(mini: Path, tmp_path: Path) -> None:
    _evidence(mini, b"%PDF-1.7\n")
    out = tmp_path / "acme-packet.zip"
    result = poa("packet", "acme", "--output", str(out), cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"wrote {out}: the letter and 1 evidence file, 0 warnings\n"
    again = poa("packet", "acme", "-o", str(out), cwd=mini)
    assert again.returncode == 2
    assert f"poa: error: {out} already exists; choose another name or pass --force" in again.stderr
    assert poa("packet", "acme", "-o", str(out), "--force", cwd=mini).returncode == 0


def test_packet_stops_at_a_missing_file(mini: Path, tmp_path: Path) -> None:
    result = poa("packet", "acme", "-o", str(tmp_path / "p.zip"), cwd=mini)
    assert result.returncode == 1
    assert result.stderr == (
        "cases/acme.yaml:44:11: error: file 'brandco-invoices.pdf' is not in the evidence folder "
        "evidence/acme (put the file there, or correct its name) [evidence-file-missing]\n"
    )
    assert not (tmp_path / "p.zip").exists()


def test_a_file_over_the_size_limit_is_a_warning_in_check_and_packet(
    mini: Path, tmp_path: Path
) -> None:
    (mini / "snippets" / "library.yaml").write_text("upload_limit: {max_bytes: 1000}\n")
    _evidence(mini, b"%PDF-1.7\n" + b"0" * 2000)
    warning = (
        "cases/acme.yaml:44:11: warning: file 'brandco-invoices.pdf' is 2 kB, over the upload "
        "limit of 1 kB (upload_limit in snippets/library.yaml) (compress it, or split it into "
        "parts each under the limit) [evidence-file-size]\n"
    )
    check = poa("check", cwd=mini)
    assert (check.returncode, check.stdout) == (0, warning)
    packet = poa("packet", "acme", "-o", str(tmp_path / "p.zip"), cwd=mini)
    assert packet.returncode == 0
    assert packet.stderr.startswith(warning)


def test_help_describes_the_follow_up_commands(mini: Path) -> None:
    listing = poa("--help", cwd=mini).stdout
    for command in ("sent", "diff", "packet"):
        assert command in listing
    assert "never rewritten" in poa("sent", "--help", cwd=mini).stdout
    assert "[-removed-]" in poa("diff", "--help", cwd=mini).stdout
    assert "evidence/SLUG/" in poa("packet", "--help", cwd=mini).stdout


@pytest.mark.parametrize(
    "command",
    [
        ("render", "acme", "-o", "out.md"),
        ("diff", "acme", "current", "current"),
        ("packet", "acme"),
    ],
)
def test_a_letter_with_errors_is_not_rendered_compared_or_packed(
    mini: Path, command: tuple[str, ...]
) -> None:
    """`poa render`, `poa diff ... current` and `poa packet` need the case's letter: a case
    with an error stops each with its finding (exit 1), and nothing is written."""
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("reason: inauthentic", "reason: inauthentc"))
    output = ("--output", "packet.zip") if command[0] == "packet" else ()
    result = poa(*command, *output, cwd=mini)
    assert result.returncode == 1
    assert result.stderr == (
        "cases/acme.yaml:14:15: error: unknown reason 'inauthentc' "
        "(did you mean 'inauthentic'?) [unknown-reason]\n"
    )
    assert not (mini / "out.md").exists() and not (mini / "packet.zip").exists()


def test_diff_of_the_current_letter_with_itself_checks_the_case_once(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    checked: list[Path] = []
    real = sent.sendable_letter

    def counting(root: Path, path: Path):  # type: ignore[no-untyped-def]
        checked.append(path)
        return real(root, path)

    monkeypatch.chdir(mini)
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    monkeypatch.setattr(sent, "sendable_letter", counting)
    assert main(["diff", "acme", "current", "current"]) == 0
    assert len(checked) == 1
    assert "+++ the current letter (not sent)" in capsys.readouterr().out
