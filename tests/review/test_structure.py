"""The review: each check flags what it should, passes what it should, at the right line."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, TESTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poakit.cli.main import main
from poakit.project.load import check_case, load_library
from poakit.review.structure import _touches, stands_in

TODAY = dt.date(2026, 11, 27)
GOLDEN = TESTS / "golden" / "reviews"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POAKIT_TODAY", TODAY.isoformat())


@pytest.fixture
def toned(mini: Path) -> Path:
    """The mini project with the shipped tone rules."""
    shutil.copy(REPO / "snippets" / "tone-rules.yaml", mini / "snippets" / "tone-rules.yaml")
    return mini


def _case(root: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((root / "cases" / "acme.yaml").read_text())


def _findings(root: Path, data: dict) -> list[str]:  # type: ignore[type-arg]
    path = root / "cases" / "acme.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = check_case(path, load_library(root / "snippets"), "cases/acme.yaml", root)
    return [f"{f.position.line}:{f.rule}" for f in result.findings]


def _rules(root: Path, data: dict) -> set[str]:  # type: ignore[type-arg]
    return {line.split(":", 1)[1] for line in _findings(root, data)}


def test_clean_case_passes_every_check(toned: Path) -> None:
    assert _findings(toned, _case(toned)) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (
            lambda c: c["notice"]["issues"].append({"id": "late", "reason": "inauthentic"}),
            "issue-unanswered",
        ),
        (lambda c: c.pop("corrective_actions"), "no-corrective-action"),
        (lambda c: c.pop("preventive_measures"), "no-preventive-measure"),
        (
            lambda c: c["notice"]["issues"][0]["orders"].append("222-2222222-2222222"),
            "id-not-covered",
        ),
        (lambda c: c["corrective_actions"][0].pop("done"), "corrective-undated"),
        (
            lambda c: c["corrective_actions"][0].update(done=dt.date(2026, 12, 1)),
            "corrective-in-future",
        ),
        (lambda c: c["preventive_measures"][0].pop("since"), "preventive-no-start"),
        (lambda c: c["preventive_measures"][0].pop("owner"), "preventive-no-owner"),
        (lambda c: c["evidence"][0].update(date=dt.date(2024, 1, 1)), "evidence-outside-window"),
        (lambda c: c["evidence"][0].update(date=dt.date(2027, 1, 1)), "evidence-in-future"),
        (lambda c: c["evidence"][0].update(file="invoices.docx"), "evidence-file-type"),
        (
            lambda c: c["root_causes"][0].update(snippet=None, vars={}, text="The buyer lied."),
            "blame-buyers",
        ),
        (
            lambda c: c["corrective_actions"][0].update(
                snippet=None, vars={}, text="We will remove the units."
            ),
            "future-tense-corrective",
        ),
        (lambda c: c["root_causes"][0]["vars"].update(supplier="TBD"), "unfilled-field"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_each_check_flags_its_failure(toned: Path, change, rule: str) -> None:  # type: ignore[no-untyped-def]
    data = _case(toned)
    change(data)
    assert rule in _rules(toned, data)


def test_missing_evidence_for_an_asin_when_the_reason_requires_it(toned: Path) -> None:
    reason = toned / "snippets" / "reasons" / "inauthentic.md"
    reason.write_text(
        reason.read_text().replace(
            "category: product", "category: product\nrequires_evidence: true"
        )
    )
    data = _case(toned)
    assert _findings(toned, data) == []
    data["notice"]["issues"][0]["asins"].append("B0C7654321")
    assert "19:evidence-missing-asin" in _findings(toned, data)  # yaml.safe_dump: one ASIN a line


def test_placeholder_printed_by_a_snippet_points_at_the_snippet(toned: Path) -> None:
    snippet = toned / "snippets" / "measures" / "remove-suspect-inventory.md"
    snippet.write_text(
        snippet.read_text().replace(
            "{% if units %}all {{ units }} remaining units{% else %}the remaining units{% endif %}",
            "{{ units }} units",
        )
    )
    data = _case(toned)
    data["corrective_actions"][0]["vars"] = {}
    path = toned / "cases" / "acme.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    library = load_library(toned / "snippets", "snippets")
    result = check_case(path, library, "cases/acme.yaml", toned)
    assert [(str(f.position), f.rule) for f in result.findings] == [
        ("snippets/measures/remove-suspect-inventory.md:10:1", "unfilled-placeholder")
    ]


def test_length_limits_come_from_the_library(toned: Path) -> None:
    (toned / "snippets" / "library.yaml").write_text(
        "limits:\n  letter: {words: 20}\n  root_causes: {characters: 50}\n"
    )
    assert sorted(_rules(toned, _case(toned))) == ["too-long"]
    assert len(_findings(toned, _case(toned))) == 2


def test_words_from_a_snippet_point_at_the_snippet(toned: Path) -> None:
    snippet = toned / "snippets" / "measures" / "supplier-vetting.md"
    snippet.write_text(
        snippet.read_text().replace("we check ten", "we will do better and check ten")
    )
    library = load_library(toned / "snippets", "snippets")
    result = check_case(toned / "cases" / "acme.yaml", library, "cases/acme.yaml", toned)
    assert [(str(f.position), f.rule) for f in result.findings] == [
        ("snippets/measures/supplier-vetting.md:8:1", "vague-commitment")
    ]


def test_words_from_the_case_point_at_the_case_entry(toned: Path) -> None:
    data = _case(toned)
    data["root_causes"][0]["vars"]["supplier"] = "a competitor filed this, QuickWholesale Ltd"
    assert _findings(toned, data) == ["28:blame-competitors"]  # the root cause entry


def test_silence_drops_a_rule_with_a_reason(toned: Path) -> None:
    data = _case(toned)
    data["root_causes"][0].update(snippet=None, vars={}, text="The buyer lied.")
    data["silence"] = [{"rule": "blame-buyers", "reason": "quoted from the buyer's message"}]
    assert "blame-buyers" not in _rules(toned, data)


def test_silencing_an_unknown_rule_is_an_error(toned: Path) -> None:
    data = _case(toned)
    data["silence"] = [{"rule": "blame-buyer", "reason": "typo"}]
    path = toned / "cases" / "acme.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = check_case(path, load_library(toned / "snippets"), "cases/acme.yaml", toned)
    assert [str(f) for f in result.findings][-1].endswith(
        "error: unknown rule 'blame-buyer' in silence (did you mean 'blame-buyers'?) [unknown-rule]"
    )


def test_a_poa_written_the_way_poas_fail_gives_the_golden_findings(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    target = tmp_path / "cases" / "bad-poa.yaml"
    shutil.copy(GOLDEN / "bad-poa.case.yaml", target)
    result = check_case(target, load_library(REPO / "snippets"), "cases/bad-poa.yaml")
    expected = (GOLDEN / "bad-poa.expected").read_text().splitlines()
    assert [str(f) for f in result.findings] == expected
    rules = {f.rule for f in result.findings}
    assert {
        "blame-buyers",
        "blame-competitors",
        "pleading-ignorance",
        "vague-commitment",
        "emotional-appeal",
        "question-to-amazon",
        "repeated-apology",
        "issue-unanswered",
        "future-tense-corrective",
        "evidence-file-type",
    } <= rules


def test_shipped_examples_have_no_errors() -> None:
    results = [
        check_case(p, load_library(REPO / "snippets"), p.name)
        for p in sorted((REPO / "cases").glob("*.yaml"))
    ]
    assert [str(f) for r in results for f in r.findings if f.level == "error"] == []
    assert any(r.file and r.file.case.silence for r in results), (
        "an example shows a well-handled warning"
    )


def test_check_json_output_and_exit_code(toned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _case(toned)
    data["corrective_actions"][0].pop("done")
    (toned / "cases" / "acme.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["--root", str(toned), "check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["level"]) for f in report["findings"]] == [
        ("corrective-undated", "error")
    ]
    assert set(report["findings"][0]) == {
        "path",
        "line",
        "column",
        "level",
        "message",
        "fix",
        "rule",
    }


def test_every_string_of_a_case_is_found_in_order_with_its_place() -> None:
    """`unfilled_fields` reads every string value of the case file (`_strings`)."""
    from poakit.review.structure import _strings

    data = {
        "seller": {"name": "A", "tags": ["x", 3, {"deep": ["y", None, "z"]}]},
        "empty": {},
        "list": [],
        "n": 7,
        5: "keyed by a number",
        "last": "w",
    }
    assert _strings(data) == [
        (("seller", "name"), "A"),
        (("seller", "tags", 0), "x"),
        (("seller", "tags", 2, "deep", 0), "y"),
        (("seller", "tags", 2, "deep", 2), "z"),
        (("5",), "keyed by a number"),
        (("last",), "w"),
    ]
    assert _strings("only") == [((), "only")]


_YAML_KEYS = st.one_of(st.sampled_from(["notice", "text", "seller", "name"]), st.integers(0, 3))
_YAML_DATA = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_YAML_KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_YAML_DATA)
def test_the_quick_look_for_a_placeholder_reads_every_string_the_check_reads(data: object) -> None:
    """`_texts`, which tells whether a case can hold a placeholder at all, reads the strings
    `_strings` gives the check, in the same order, and leaves out the same: the notice's
    text, whatever is under it."""
    from poakit.review.structure import _NOTICE, _strings, _texts

    for case in (data, {"notice": data}):
        assert _texts(case) == [value for loc, value in _strings(case) if loc[:2] != _NOTICE]


def test_a_placeholder_anywhere_in_a_case_is_found_and_none_where_there_is_none(
    tmp_path: Path,
) -> None:
    """The check stops early when no value holds any word its patterns need (`can_match`):
    a placeholder in the last value of the file is still found, and a clean case has none."""
    from poakit.review.tone import ToneScanner

    library = load_library(REPO / "snippets")
    (rule,) = [r for r in library.tone_rules if r.id == "unfilled-placeholder"]
    scanner = ToneScanner((rule,))
    assert not scanner.can_match("Our supplier's name and the order date.")  # no "<", "[", "{{"...
    assert scanner.can_match("Our <supplier name>.") and scanner.can_match("Signed: TBD")
    source = yaml.safe_load((REPO / "cases" / "acme-home-inauthentic.yaml").read_text())
    clean = tmp_path / "clean.yaml"
    clean.write_text(yaml.safe_dump(source, sort_keys=False), encoding="utf-8")
    assert [
        f for f in check_case(clean, library, "clean.yaml").findings if f.rule == "unfilled-field"
    ] == []
    source["lessons"] = [*source.get("lessons", []), "Signed on XXX by ________"]
    dirty = tmp_path / "dirty.yaml"
    dirty.write_text(yaml.safe_dump(source, sort_keys=False), encoding="utf-8")
    found = [
        f for f in check_case(dirty, library, "dirty.yaml").findings if f.rule == "unfilled-field"
    ]
    assert [f.message for f in found] == [
        f"lessons[{len(source['lessons']) - 1}] still holds the placeholder 'XXX'"
    ]


# -- an id named in the letter --------------------------------------------------------------

_ID_CHARS = "B0X9-_ a.,\n(é٣²Ⅻ"  # word characters of several kinds, hyphen, and others


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(_ID_CHARS, max_size=24), st.text(_ID_CHARS, max_size=6))
def test_an_id_stands_in_the_text_as_the_regex_finds_it(text: str, value: str) -> None:
    expected = re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text) is not None
    assert stands_in(text, value) is expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ASIN B01 was", True),
        ("(B01)", True),
        ("B01", True),
        ("B012", False),
        ("xB01", False),
        ("B01-2", False),
        ("B01_", False),
        ("B01é", False),
        ("B01٣", False),  # an Arabic-Indic digit is a word character too
        ("B012 and then B01.", True),  # the second occurrence counts
    ],
)
def test_an_id_touched_by_a_word_character_is_another_id(text: str, found: bool) -> None:
    assert stands_in(text, "B01") is found


def test_every_character_touches_an_id_as_the_regex_class_says() -> None:
    word = re.compile(r"[\w-]")
    differ = [c for c in map(chr, range(sys.maxunicode + 1)) if bool(word.match(c)) != _touches(c)]
    assert differ == []
