"""The upload packet (`poakit.project.packet`): what it holds, in which order, and where it may
be written; the evidence folder's checks in `poa check` and never in a site."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from poakit.errors import InputError, UsageError
from poakit.model.library import Settings, UploadLimit
from poakit.project.load import load_project
from poakit.project.loader import Loader, check_project
from poakit.project.packet import check_output, plan_packet, write_packet
from poakit.render import render_letter

PDF = b"%PDF-1.7\n" + b"1" * 300
PNG = b"\x89PNG\r\n\x1a\n" + b"2" * 40

SECOND = """  - title: Photo of the label, October 2026
    kind: photo
    date: 2026-10-03
    file: "Label photo (front) #1.png"
  - title: Supplier letter, without a file
  - title: The invoices again, for the second ASIN
    date: 2026-09-12
    file: brandco-invoices.pdf
"""


@pytest.fixture
def project(mini: Path) -> Path:
    case = mini / "cases" / "acme.yaml"
    text = case.read_text()
    case.write_text(text.replace("follow_up:", SECOND + "follow_up:"))
    folder = mini / "evidence" / "acme"
    folder.mkdir(parents=True)
    (folder / "brandco-invoices.pdf").write_bytes(PDF)
    (folder / "Label photo (front) #1.png").write_bytes(PNG)
    return mini


def _packet(root: Path, limit: int | None = None):  # type: ignore[no-untyped-def]
    loaded = load_project(root, [root / "cases" / "acme.yaml"], base=root)
    loaded.library.settings = Settings(upload_limit=UploadLimit(max_bytes=limit))
    return plan_packet(root, loaded.library, loaded.cases[0], root), loaded.library


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_packet_holds_the_index_the_letter_and_each_file_once_in_order(
    project: Path, tmp_path: Path
) -> None:
    packet, library = _packet(project)
    out = tmp_path / "acme-packet.zip"
    write_packet(packet, library, out, overwrite=False)
    members = _zip(out)
    assert list(members) == [
        "index.txt",
        "plan-of-action.txt",
        "plan-of-action.docx",
        "01-brandco-invoices.pdf",
        "02-Label-photo-front-1.png",
    ]
    assert members["plan-of-action.txt"] == render_letter(packet.letter, "text")
    assert members["01-brandco-invoices.pdf"] == PDF
    assert members["02-Label-photo-front-1.png"] == PNG
    index = members["index.txt"].decode("utf-8")
    assert index.splitlines()[3:] == [
        "Letter",
        "  plan-of-action.txt   the Plan of Action as text, to paste into the appeal form",
        "  plan-of-action.docx  the Plan of Action as a Word document, to attach",
        "",
        "Supporting documents, in the order the letter lists them",
        "  01-brandco-invoices.pdf",
        "      BrandCo invoices, January to September 2026",
        "      The invoices again, for the second ASIN",
        "      12 September 2026; 309 bytes; from brandco-invoices.pdf",
        "      SHA-256 " + hashlib.sha256(PDF).hexdigest(),
        "  02-Label-photo-front-1.png",
        "      Photo of the label, October 2026",
        "      3 October 2026; 48 bytes; from Label photo (front) #1.png",
        "      SHA-256 " + hashlib.sha256(PNG).hexdigest(),
        "",
        "Listed in the letter, with no file",
        "  - Supplier letter, without a file",
        "",
        "Upload limit: none set (upload_limit in snippets/library.yaml).",
    ]
    assert index.startswith("Upload packet: Acme Home Goods LLC (acme)\n")


def test_the_same_inputs_give_the_same_bytes(project: Path, tmp_path: Path) -> None:
    packet, library = _packet(project)
    write_packet(packet, library, tmp_path / "a.zip", overwrite=False)
    write_packet(packet, library, tmp_path / "b.zip", overwrite=False)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO((tmp_path / "a.zip").read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_missing_file_stops_the_packet(project: Path) -> None:
    (project / "evidence" / "acme" / "brandco-invoices.pdf").unlink()
    with pytest.raises(InputError) as caught:
        _packet(project)
    assert [str(f) for f in caught.value.findings] == [
        "cases/acme.yaml:44:11: error: file 'brandco-invoices.pdf' is not in the evidence "
        "folder evidence/acme (put the file there, or correct its name) [evidence-file-missing]",
        "cases/acme.yaml:52:11: error: file 'brandco-invoices.pdf' is not in the evidence "
        "folder evidence/acme (put the file there, or correct its name) [evidence-file-missing]",
    ]


def test_a_file_over_the_limit_is_packed_with_a_warning(project: Path) -> None:
    packet, _ = _packet(project, limit=100)
    assert [f.rule for f in packet.warnings] == ["evidence-file-size", "evidence-file-size"]
    assert len(packet.attachments) == 2


def test_an_existing_packet_is_replaced_only_with_force(project: Path, tmp_path: Path) -> None:
    packet, library = _packet(project)
    out = tmp_path / "out" / "acme.zip"
    out.parent.mkdir()
    out.write_bytes(b"keep me")
    with pytest.raises(UsageError) as caught:
        write_packet(packet, library, out, overwrite=False)
    assert "already exists" in str(caught.value) and "--force" in str(caught.value)
    assert out.read_bytes() == b"keep me"
    write_packet(packet, library, out, overwrite=True)
    assert "index.txt" in _zip(out)
    assert [p.name for p in out.parent.iterdir()] == ["acme.zip"]  # no temporary file left


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("docs/packet.zip", "is inside docs/: a packet holds the client's details"),
        ("site/x/packet.zip", "is inside site/"),
        ("cases/packet.zip", "is inside cases/"),
        ("evidence/acme/packet.zip", "is inside the evidence folder evidence/acme"),
        ("packet.pdf", "--output names the packet, a .zip file (not packet.pdf)"),
    ],
)
def test_a_packet_never_goes_where_a_site_or_the_evidence_is(
    project: Path, where: str, message: str
) -> None:
    packet, _ = _packet(project)
    with pytest.raises(UsageError) as caught:
        check_output(project / where, project, packet.folder)
    assert message in str(caught.value)


def test_poa_check_reads_the_evidence_folder_and_a_site_never_does(project: Path) -> None:
    (project / "evidence" / "acme" / "extra.pdf").write_bytes(PDF)
    checked = check_project(project, base=project)
    assert [f.rule for f in checked.findings] == ["evidence-file-unlisted"]
    built = Loader(project, base=project).load()
    assert [f.rule for f in built.findings] == []


def test_no_evidence_folder_no_evidence_checks(mini: Path) -> None:
    assert check_project(mini, base=mini).findings == []


def test_the_evidence_folder_is_kept_out_of_git() -> None:
    """The client's own files: the default folder is git-ignored in the repository."""
    from conftest import REPO

    assert "/evidence/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
