"""`poa new`: a commented skeleton, filled from the notice, that the checks turn into a to-do list."""

from __future__ import annotations

import os
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
# The facts a reason requires that a notice does not give: the skeleton leaves them as
# commented lines, and the check lists them.
TO_FILL |= {
    "metric-missing",
    "metric-counts-missing",
    "units-missing",
    "evidence-required",
    "ip-route-missing",
    "fulfilment-missing",
    "grading-missing",
    "incentives-missing",
}


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
    for case in (site_project / "cases").glob("*.yaml"):
        case.unlink()
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


def test_a_reasons_requirements_give_the_skeleton_its_facts(project: Path) -> None:
    """The facts an inauthentic letter must state: a supplier to fill in, the units to count
    (commented until known), an invoice that names its supplier."""
    notice = (NOTICES / "inauthentic-deactivation.txt").read_bytes()
    assert poa(project, "new", "fake", "--from-notice", "-", stdin=notice).returncode == 0
    text = (project / "cases" / "fake.yaml").read_text()
    case = load_case(project / "cases" / "fake.yaml", "cases/fake.yaml").case
    assert [(s.id, s.name, s.address, s.phone, s.website, s.email) for s in case.suppliers] == [
        ("supplier-1", "TBD", "TBD", "TBD", "TBD", "TBD")
    ]
    asin = case.notice.issues[0].asins[0]
    assert case.units == [] and f"# - {{asin: {asin}, supplier: supplier-1, bought: 0" in text
    assert [d.supplier for d in case.evidence] == ["supplier-1"]
    rules = {
        line.rsplit("[", 1)[1].rstrip("]")
        for line in poa(project, "check", "cases/fake.yaml").stdout.decode().splitlines()
        if "[" in line
    }
    assert "units-missing" in rules and "unfilled-field" in rules


def test_a_metric_notice_gives_the_skeleton_its_rate(project: Path) -> None:
    notice = (NOTICES / "order-defect-rate.txt").read_bytes()
    assert poa(project, "new", "odr", "--from-notice", "-", stdin=notice).returncode == 0
    case = load_case(project / "cases" / "odr.yaml", "cases/odr.yaml").case
    assert [(m.name, m.target, m.rate, m.defective) for m in case.metrics] == [
        ("Order Defect Rate", "under 1%", 1.84, None)
    ]
    text = (project / "cases" / "odr.yaml").read_text()
    assert "#   defective: TBD" in text and "#   window_days: TBD" in text


@pytest.mark.parametrize(
    ("reason", "block"),
    [
        ("drop-shipping", "fulfilment: null"),
        ("used-sold-as-new", "grading: null"),
        ("review-manipulation", "incentives: []"),
        ("trademark", "ip: []"),
    ],
)
def test_the_facts_to_fill_in_are_shown_commented(project: Path, reason: str, block: str) -> None:
    assert poa(project, "new", "x", "--reason", reason).returncode == 0
    text = (project / "cases" / "x.yaml").read_text()
    assert any(line.startswith(block) for line in text.splitlines())
    load_case(project / "cases" / "x.yaml", "cases/x.yaml")  # it loads as it is
