"""`poa new`: a commented skeleton, filled from the notice, that the checks turn into a to-do list."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import TESTS

from poakit.cli.main import main
from poakit.source.case import load_case

NOTICES = TESTS / "notices"
CORPUS = sorted(NOTICES.glob("*.txt"))
ENV = {"PATH": "/usr/bin:/bin", "POAKIT_TODAY": "2026-11-27"}
TO_FILL = {"unfilled-field", "corrective-undated", "preventive-no-start"}


def poa(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "poakit", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        env=ENV,
    )


@pytest.fixture
def project(site_project: Path) -> Path:
    """The site's sources with no case: no case file, and no case's records either."""
    shutil.rmtree(site_project / "cases")
    (site_project / "cases").mkdir()
    return site_project


@pytest.mark.parametrize("notice", CORPUS, ids=[p.stem for p in CORPUS])
def test_notice_becomes_a_case_with_every_id_in_the_right_issue(
    project: Path, notice: Path
) -> None:
    result = poa(project, "new", "acme", "--from-notice", str(notice))
    assert result.returncode == 0, result.stderr.decode()
    case = load_case(project / "cases" / "acme.yaml", "cases/acme.yaml").case
    expected = yaml.safe_load(notice.with_name(f"{notice.stem}.expected.yaml").read_text())
    want = [
        (i["reason"], i["asins"], i["orders"], i["complaints"])
        for i in expected["issues"]
        if i["reason"]
    ]
    got = [
        (i.reason, i.asins, i.orders, i.complaints) for i in case.notice.issues if i.reason != "TBD"
    ]
    assert got == want
    text = notice.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    assert (case.notice.text or "").splitlines() == [
        line.rstrip() for line in text.strip("\n").splitlines()
    ]
    assert b"wrote cases/acme.yaml" in result.stderr


def test_untouched_skeleton_lists_exactly_what_to_fill_in(project: Path) -> None:
    notice = (NOTICES / "inauthentic-deactivation.txt").read_bytes()
    assert poa(project, "new", "acme", "--from-notice", "-", stdin=notice).returncode == 0
    check = poa(project, "check", "cases/acme.yaml")
    assert check.returncode == 1
    lines = check.stdout.decode().splitlines()
    rules = {line.rsplit("[", 1)[1].rstrip("]") for line in lines}
    assert rules <= TO_FILL | {"too-long"}
    text = (project / "cases" / "acme.yaml").read_text()
    placeholders = sum(line.split("#")[0].count("TBD") for line in text.splitlines())
    assert sum("unfilled-field" in line for line in lines) == placeholders


def test_reason_prefills_its_suggestions(project: Path) -> None:
    assert poa(project, "new", "odr", "--reason", "order-defect-rate").returncode == 0
    case = load_case(project / "cases" / "odr.yaml", "cases/odr.yaml").case
    assert [i.reason for i in case.notice.issues] == ["order-defect-rate"]
    assert case.root_causes and case.corrective_actions and case.preventive_measures
    assert case.visibility == "private"
    first = (project / "cases" / "odr.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/case.schema.json"


def test_never_overwrites(project: Path) -> None:
    target = project / "cases" / "acme.yaml"
    target.write_text("keep: me\n")
    result = poa(project, "new", "acme", "--reason", "inauthentic")
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        == "poa: error: cases/acme.yaml already exists; poa new never overwrites a case\n"
    )
    assert target.read_text() == "keep: me\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Acme Home"],
            "poa: error: 'Acme Home' is not a valid case slug: use lower-case letters, digits and hyphens (e.g. 'acme-home')\n",
        ),
        (
            ["acme", "--reason", "inauthentc"],
            "poa: error: unknown reason 'inauthentc' (did you mean 'inauthentic'?)\n",
        ),
        (
            ["acme", "--from-notice", "missing.txt"],
            "poa: error: cannot read the notice missing.txt: No such file or directory\n",
        ),
    ],
)
def test_bad_arguments_are_clear_errors(project: Path, args: list[str], message: str) -> None:
    result = poa(project, "new", *args)
    assert result.returncode == 2
    assert result.stderr.decode() == message
    assert list((project / "cases").iterdir()) == []


def test_hostile_notices_still_give_a_loadable_case(project: Path) -> None:
    junk = bytes(range(256)) * 50 + b"\r\nASIN: B0C1234567\rOrder 111-1234567-1234567\n"
    assert poa(project, "new", "junk", "--from-notice", "-", stdin=junk).returncode == 0
    case = load_case(project / "cases" / "junk.yaml", "cases/junk.yaml").case
    assert "B0C1234567" in [a for i in case.notice.issues for a in i.asins]


def test_an_interrupted_write_leaves_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", crash)
    assert main(["--root", str(project), "new", "acme", "--reason", "inauthentic"]) == 130
    assert list((project / "cases").iterdir()) == []
