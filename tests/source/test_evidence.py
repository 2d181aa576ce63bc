"""Reading a case's evidence folder (`poakit.source.evidence`): names, sizes, first bytes."""

from __future__ import annotations

from pathlib import Path

from poakit.source.evidence import HEAD_BYTES, evidence_path, read_folder


def test_the_folder_is_beside_the_project_unless_absolute(tmp_path: Path) -> None:
    assert evidence_path(tmp_path, "evidence", "acme") == tmp_path / "evidence" / "acme"
    assert evidence_path(tmp_path, "/srv/files", "acme") == Path("/srv/files/acme")


def test_files_are_read_by_their_path_in_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "evidence" / "acme"
    (folder / "invoices").mkdir(parents=True)
    (folder / "invoices" / "brandco.pdf").write_bytes(b"%PDF-1.7" + b"x" * 100)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("x")
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(b"%PDF-")
    (folder / "link.pdf").symlink_to(outside)
    found = read_folder(folder, "evidence/acme")
    assert found is not None
    assert sorted(found.files) == ["invoices/brandco.pdf", "link.pdf", "photo.png"]
    invoice = found.files["invoices/brandco.pdf"]
    assert (invoice.size, invoice.head) == (108, (b"%PDF-1.7" + b"x" * 100)[:HEAD_BYTES])
    assert found.files["link.pdf"].outside and not invoice.outside


def test_no_folder_is_none(tmp_path: Path) -> None:
    assert read_folder(tmp_path / "evidence" / "acme", "evidence/acme") is None
