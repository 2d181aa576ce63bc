"""Checks of a case's evidence folder (`poakit.review.attachments`): each rule, its position."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from poakit.model.library import Library, Settings, UploadLimit
from poakit.project.load import load_library
from poakit.review.attachments import attachment_findings
from poakit.source.case import load_case
from poakit.source.evidence import read_folder

PDF = b"%PDF-1.7\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 50


def _findings(mini: Path, files: dict[str, bytes], limit: int | None = 1000) -> list[str]:
    folder = mini / "evidence" / "acme"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    library = load_library(mini / "snippets")
    library.settings = Settings(upload_limit=UploadLimit(max_bytes=limit))
    case = load_case(mini / "cases" / "acme.yaml", "cases/acme.yaml")
    listing = read_folder(folder, "evidence/acme")
    assert listing is not None
    return [str(f) for f in attachment_findings(case, library, listing)]


def _edit(mini: Path, old: str, new: str) -> None:
    path = mini / "cases" / "acme.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_folder_that_matches_the_case_is_clean(mini: Path) -> None:
    assert _findings(mini, {"brandco-invoices.pdf": PDF}) == []


def test_a_missing_file(mini: Path) -> None:
    assert _findings(mini, {}) == [
        "cases/acme.yaml:44:11: warning: file 'brandco-invoices.pdf' is not in the evidence "
        "folder evidence/acme (put the file there, or correct its name) [evidence-file-missing]"
    ]


def test_a_name_that_differs_in_capitals_is_named(mini: Path) -> None:
    found = _findings(mini, {"BrandCo-Invoices.PDF": PDF})
    assert found[0].endswith(
        "(did you mean 'BrandCo-Invoices.PDF'? (names differ in capitals)) [evidence-file-missing]"
    )


def test_a_name_that_leads_out_of_the_folder(mini: Path, tmp_path: Path) -> None:
    _edit(mini, "file: brandco-invoices.pdf", "file: ../../cases/acme.yaml")
    assert _findings(mini, {}) == [
        "cases/acme.yaml:44:11: warning: file '../../cases/acme.yaml' leads out of the "
        "evidence folder (keep the evidence files inside the case's evidence folder) "
        "[evidence-file-missing]"
    ]


def test_a_file_over_the_size_limit(mini: Path) -> None:
    big = mini / "evidence" / "acme" / "brandco-invoices.pdf"
    big.parent.mkdir(parents=True)
    big.write_bytes(PDF)
    os.truncate(big, 12_345_678)  # sparse: the size without the bytes
    assert _findings(mini, {}, 10_000_000) == [
        "cases/acme.yaml:44:11: warning: file 'brandco-invoices.pdf' is 12.3 MB, over the upload "
        "limit of 10 MB (upload_limit in snippets/library.yaml) (compress it, or split it into "
        "parts each under the limit) [evidence-file-size]"
    ]


def test_no_limit_set_no_size_check(mini: Path) -> None:
    assert _findings(mini, {"brandco-invoices.pdf": PDF * 100}, None) == []


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (PNG, "its content is a PNG image"),
        (b"<html>not a scan</html>", None),
    ],
)
def test_content_that_is_not_what_the_name_says(mini: Path, data: bytes, found: str | None) -> None:
    said = f": {found}" if found else " (its first bytes match no type poakit recognises)"
    assert _findings(mini, {"brandco-invoices.pdf": data}) == [
        f"cases/acme.yaml:44:11: warning: file 'brandco-invoices.pdf' is not a PDF{said} "
        "(export the file again in the type its name says, or rename it to match its content) "
        "[evidence-file-content]"
    ]


def test_an_undated_document_cannot_be_checked_against_the_window(mini: Path) -> None:
    _edit(mini, "    date: 2026-09-12\n", "")
    assert _findings(mini, {"brandco-invoices.pdf": PDF}) == [
        "cases/acme.yaml:38:5: warning: document 'BrandCo invoices, January to September 2026' "
        "has a file but no date, so the 365-day evidence window cannot be checked (add date: "
        "YYYY-MM-DD, the date the document bears) [evidence-file-undated]"
    ]


def test_files_no_document_lists(mini: Path) -> None:
    assert _findings(mini, {"brandco-invoices.pdf": PDF, "old/2019-invoices.pdf": b""}) == [
        "cases/acme.yaml:37:1: warning: evidence/acme/old/2019-invoices.pdf is in the evidence "
        "folder, but no document lists it (add a document with file: old/2019-invoices.pdf, or "
        "move the file out of the folder) [evidence-file-unlisted]"
    ]


def test_a_case_may_silence_a_rule_with_a_reason(mini: Path) -> None:
    _edit(
        mini,
        "follow_up:",
        "silence:\n  - {rule: evidence-file-unlisted, reason: the old invoices stay here}\n"
        "follow_up:",
    )
    assert _findings(mini, {"brandco-invoices.pdf": PDF, "old.pdf": PDF}) == []


def test_the_size_limit_is_data_with_its_source() -> None:
    library: Library = load_library(Path(__file__).resolve().parents[2] / "snippets")
    limit = library.settings.upload_limit
    assert limit.max_bytes == 10_000_000
    assert limit.source is not None and "ZQ9RTTZKQVHXMHF" in limit.source
    assert limit.note is not None and "not for appeals" in limit.note
