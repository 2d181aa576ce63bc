"""`poa new`: a commented skeleton, filled from the notice, that the checks turn into a to-do list."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import TESTS

from poakit.cli.main import main
from poakit.errors import UsageError
from poakit.intake import skeleton
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
    "statement-missing",
    "since-fix-missing",
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
    """The site's sources with no case: no case file, and no case's records either."""
    shutil.rmtree(site_project / "cases")
    (site_project / "cases").mkdir()
    return site_project


def new_case(root: Path, slug: str, notice: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`poa new SLUG --from-notice NOTICE` in-process; what it printed on stderr."""
    assert main(["--root", str(root), "new", slug, "--from-notice", str(notice)]) == 0
    return capsys.readouterr().err


@pytest.fixture
def today(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run inside the project (paths show as cases/...) on the tests' fixed date."""
    monkeypatch.setenv("POAKIT_TODAY", ENV["POAKIT_TODAY"])
    monkeypatch.chdir(project)


def test_notice_becomes_a_case_with_every_id_in_the_right_issue(
    project: Path, capsys: pytest.CaptureFixture[str], today: None
) -> None:
    for notice in CORPUS:
        slug = notice.stem
        assert f"wrote cases/{slug}.yaml" in new_case(project, slug, notice, capsys), slug
        case = load_case(project / "cases" / f"{slug}.yaml", f"cases/{slug}.yaml").case
        expected = yaml.safe_load(notice.with_name(f"{slug}.expected.yaml").read_text())
        want = [
            (i["reason"] or "TBD", i["asins"], i["orders"], i["complaints"])
            for i in expected["issues"]
        ]
        got = [(i.reason, i.asins, i.orders, i.complaints) for i in case.notice.issues]
        assert got == (want or [("TBD", [], [], [])]), slug
        assert case.notice.route == (expected["route"] or "plan-of-action"), slug
        text = notice.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
        assert (case.notice.text or "").splitlines() == [
            line.rstrip() for line in text.strip("\n").splitlines()
        ], slug


def test_every_corpus_skeleton_is_flagged_only_where_it_is_left_to_fill(
    project: Path, capsys: pytest.CaptureFixture[str], today: None
) -> None:
    """`poa check` on every untouched skeleton: only placeholders, empty dates and empty
    required variables, each at its own line of the case file; a reason left TBD stops the
    assembly and is reported as unknown there."""
    for notice in CORPUS:
        new_case(project, notice.stem, notice, capsys)
    assert main(["--root", str(project), "check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert len({f["path"] for f in findings}) == len(CORPUS)
    for finding in findings:
        where = f"{finding['path']}:{finding['line']}: {finding['message']}"
        assert finding["path"].startswith("cases/"), where
        assert finding["rule"] in TO_FILL | {"too-long", "missing-variable", "unknown-reason"}, (
            where
        )
        line = (project / finding["path"]).read_text().splitlines()[finding["line"] - 1]
        if finding["rule"] == "unknown-reason":
            assert line.split("#")[0].strip() == "reason: TBD", where
        if finding["rule"] == "unfilled-field":
            assert "TBD" in line.split("#")[0], where


def test_a_skeleton_says_what_the_notice_asks_for_and_by_when(
    project: Path, capsys: pytest.CaptureFixture[str], today: None
) -> None:
    new_case(project, "uk", NOTICES / "late-dispatch-rate-uk.txt", capsys)
    new_case(project, "nl", NOTICES / "identity-verification-nl.txt", capsys)
    new_case(project, "none", NOTICES / "no-reason.txt", capsys)
    uk = (project / "cases" / "uk.yaml").read_text()
    assert (
        '  route: plan-of-action             # a plan of action: root causes, actions taken, prevention (the notice: "plan of action")\n'
        in uk
    )
    assert '  deadline: 2026-07-20              # the notice: "by 20 July 2026"\n' in uk
    nl = (project / "cases" / "nl.yaml").read_text()
    assert (
        '  route: documents                  # documents only (invoices, a letter of authorisation, an ID): no letter (the notice: "do not need to ... plan of action", "upload the following documents")\n'
        in nl
    )
    # "within 30 days", counted from the day the notice arrived (POAKIT_TODAY)
    assert (
        '  deadline: 2026-12-27              # the notice: "within 30 days", counted from received: check both dates\n'
        in nl
    )
    none = (project / "cases" / "none.yaml").read_text()
    assert (
        "  route: plan-of-action             # the notice does not say what to send: check;" in none
    )
    assert "  deadline:                         # none stated;" in none


def test_the_metrics_the_notice_quotes_fill_the_metrics_block(
    project: Path, capsys: pytest.CaptureFixture[str], today: None
) -> None:
    new_case(project, "uk", NOTICES / "late-dispatch-rate-uk.txt", capsys)
    new_case(project, "fr", NOTICES / "fr-order-defect-rate.txt", capsys)
    uk = load_case(project / "cases" / "uk.yaml", "cases/uk.yaml").case
    assert [m.model_dump() for m in uk.metrics] == [
        {
            "issues": ["late-shipment-rate"],
            "name": "Late Dispatch Rate",
            "target": "under 4%",
            "rate": 6.2,
            "window_days": 30,
            "defective": 41,
            "total": 661,
            "since_fix": None,
        },
        {
            "issues": ["late-shipment-rate"],
            "name": "Late Dispatch Rate",
            "target": "under 4%",
            "rate": 9.1,
            "window_days": 10,
            "defective": 19,
            "total": 209,
            "since_fix": None,
        },
    ]  # the Pre-fulfilment Cancel and Valid Tracking Rates it quotes are within target
    text = (project / "cases" / "fr.yaml").read_text()
    # the letter is English: the store's English name, with the notice's own in a comment
    assert (
        '    name: Order Defect Rate         # the notice says "taux de commandes défectueuses"\n'
        in text
    )
    assert "    defective: 27                   # 27 of 1,412\n" in text


def test_a_doubtful_reading_is_explained_above_its_issue(
    project: Path, capsys: pytest.CaptureFixture[str], today: None
) -> None:
    new_case(project, "pl", NOTICES / "unknown-language-pl.txt", capsys)
    text = (project / "cases" / "pl.yaml").read_text()
    assert (
        "# The notice is in no language poakit reads (de, en, es, fr, it, ja): its ids are filled in,\n"
        in text
    )
    assert (
        "    # the notice is not in a language poakit reads, so its reason was not guessed; possible:\n"
        "    # order-defect-rate (2 points)\n"
        "    - id: issue                     # a short id; root causes name it\n"
        "      reason: TBD                   # a reason id from the catalogue\n"
    ) in text
    weak = project / "weak.txt"
    weak.write_text("Hello,\n\nWe have removed your listing because of its images.\n")
    new_case(project, "weak", weak, capsys)
    text = (project / "cases" / "weak.yaml").read_text()
    assert (
        "    # low confidence: read from 'images' (1 point)\n"
        "    - id: copyright                 # a short id; root causes name it\n"
    ) in text


def test_a_german_notice_is_read_in_german(
    project: Path, capsys: pytest.CaptureFixture[str], today: None
) -> None:
    summary = new_case(project, "de", NOTICES / "de-inauthentic.txt", capsys)
    assert "Language: de" in summary
    text = (project / "cases" / "de.yaml").read_text()
    assert "# The notice was read as German (de); the letter stays in\n" in text
    case = load_case(project / "cases" / "de.yaml", "cases/de.yaml").case
    assert case.notice.evidence_window_days == 365
    assert case.notice.deadline == dt.date(2026, 7, 14)
    assert [(i.reason, i.orders, i.complaints) for i in case.notice.issues] == [
        (
            "inauthentic",
            ["302-4418275-6630917", "028-7730419-1184526"],
            ["50817736240", "50817736241"],
        )
    ]


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
            "poa: error: 'Acme Home' is not a valid case slug: use lower-case letters, digits and hyphens, at most 80 characters (e.g. 'acme-home')\n",
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
    # the notice reader fills in what the notice quotes
    assert [(m.target, m.rate, m.defective, m.total) for m in case.metrics] == [
        ("under 1%", 1.84, 26, 1413)
    ]


def test_a_metric_case_without_figures_shows_the_metric_to_fill_in(project: Path) -> None:
    assert poa(project, "new", "odr", "--reason", "order-defect-rate").returncode == 0
    text = (project / "cases" / "odr.yaml").read_text()
    assert "metrics: []" in text
    assert "  #   name: Order Defect Rate  # as the notice names it" in text
    assert "  #   defective: 0  # the orders counted" in text


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


def test_a_notice_is_read_from_a_file_or_stdin_with_its_line_breaks_made_plain(
    tmp_path: Path,
) -> None:
    pasted = "Dear Seller,\r\nWe removed\rB0C1234567 \xff.\n".encode("latin-1")
    (tmp_path / "notice.txt").write_bytes(pasted)
    expected = "Dear Seller,\nWe removed\nB0C1234567 \ufffd.\n"
    assert skeleton.notice_text(str(tmp_path / "notice.txt"), io.BytesIO()) == expected
    assert skeleton.notice_text("-", io.BytesIO(pasted)) == expected


def test_a_notice_saved_as_utf16_is_read_as_text(tmp_path: Path) -> None:
    """Notepad's "Unicode" is UTF-16 with a byte-order mark; a UTF-8 mark is dropped too."""
    notice = "Dear Seller,\r\nWe removed B0C1234567 — Amazon.de: Grüße\r\n"
    expected = "Dear Seller,\nWe removed B0C1234567 — Amazon.de: Grüße\n"
    for encoding in ("utf-16", "utf-16-be", "utf-8-sig"):
        raw = notice.encode(encoding)
        if encoding == "utf-16-be":
            raw = b"\xfe\xff" + raw
        assert skeleton.notice_text("-", io.BytesIO(raw)) == expected, encoding


def test_a_notice_that_would_make_the_case_too_large_is_refused(project: Path) -> None:
    """A notice under the limit of lines so short that, indented in the case file, they would
    take it past what `poa check` reads: refused, and no case is written."""
    notice = "x\n" * (skeleton.MAX_NOTICE_BYTES // 2)
    with pytest.raises(UsageError, match="the case would be larger than 1000 kB"):
        skeleton.new_case(project, "acme", [], notice, dt.date(2026, 11, 27))
    assert list((project / "cases").iterdir()) == []


def test_a_notice_over_the_limit_is_refused(tmp_path: Path) -> None:
    huge = io.BytesIO(b"x" * (skeleton.MAX_NOTICE_BYTES + 1))
    with pytest.raises(UsageError, match="larger than 500 kB; paste only the notice"):
        skeleton.notice_text("-", huge)
    assert skeleton.notice_text("-", io.BytesIO(b"x" * skeleton.MAX_NOTICE_BYTES)).count("x") == (
        skeleton.MAX_NOTICE_BYTES
    )
