"""Tone rules: the shipped rules keep their examples, the loader reports every problem with
its position, and scanning honours sections, `unless` and `max`."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from poakit.errors import InputError, Level, Position
from poakit.model.sections import KEYS as SECTIONS
from poakit.model.tonerules import ToneRule
from poakit.review import tone as tone_module
from poakit.review.tone import (
    ToneMatch,
    apply_limits,
    check_examples,
    example_matches,
    scan,
    sentence_spans,
)
from poakit.source.tonerules import load_tone_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_tone_rules(ROOT / "snippets" / "tone-rules.yaml", "snippets/tone-rules.yaml")
BY_ID = {rule.id: rule for rule in RULES}


# --- the shipped rules ---------------------------------------------------------------------


def _examples(kind: str) -> Iterator[object]:
    for rule in RULES:
        texts = rule.flag_examples if kind == "flag" else rule.pass_examples
        for index, text in enumerate(texts):
            yield pytest.param(rule, text, id=f"{rule.id}-{kind}-{index}")


@pytest.mark.parametrize(("rule", "text"), list(_examples("flag")))
def test_rule_flags_its_flag_example(rule: ToneRule, text: str) -> None:
    assert example_matches(rule, text), f"{rule.id} does not flag {text!r}"


@pytest.mark.parametrize(("rule", "text"), list(_examples("pass")))
def test_rule_passes_its_pass_example(rule: ToneRule, text: str) -> None:
    assert example_matches(rule, text) == [], f"{rule.id} flags {text!r}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_rule_has_three_examples_of_each_kind(rule: ToneRule) -> None:
    assert len(rule.flag_examples) >= 3
    assert len(rule.pass_examples) >= 3


def test_shipped_rules_keep_all_their_examples() -> None:
    assert check_examples(RULES) == []


def test_shipped_rules_cover_the_reasons_poas_fail() -> None:
    assert set(BY_ID) == {
        "blame-amazon",
        "blame-buyers",
        "blame-competitors",
        "blame-others",
        "emotional-appeal",
        "vague-commitment",
        "future-tense-corrective",
        "pleading-ignorance",
        "flat-denial",
        "unsupported-authenticity-claim",
        "question-to-amazon",
        "support-case-reference",
        "business-introduction",
        "template-phrase",
        "repeated-apology",
        "exclamation",
        "shouting",
        "hedged-action",
        "opened-units-kept-new",
        "unfilled-placeholder",
    }
    assert BY_ID["unfilled-placeholder"].level is Level.ERROR
    assert BY_ID["repeated-apology"].max == 1
    assert BY_ID["future-tense-corrective"].sections == {"corrective_actions"}


# Inputs that make a backtracking pattern take quadratic or exponential time.
HOSTILE = [
    "a" * 50_000,
    "A" * 50_000,
    "a " * 25_000,
    "[" + "a" * 50_000,
    "{{" + " " * 50_000,
    "competitor " * 5_000,
    "x_" * 25_000,
    "we " * 20_000,
    "carrier" + " a" * 25_000,
]


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_patterns_run_in_linear_time(rule: ToneRule) -> None:
    for text in HOSTILE:
        began = time.perf_counter()
        for pattern in (*rule.patterns, *rule.unless):
            for _ in pattern.finditer(text):
                pass
        assert time.perf_counter() - began < 1.0, f"{rule.id} is slow on {text[:20]!r}..."


# --- no false positives ---------------------------------------------------------------------

CLEAN_LETTER = {
    "opening": (
        "On 2 October 2026 Amazon deactivated our account (merchant token A1B2C3D4E5F6G7) after "
        "two buyers reported units of ASIN B0C1234567 as inauthentic. We apologise to both "
        "buyers. This plan sets out the root cause, the actions we completed and the measures "
        "now in place."
    ),
    "root_causes": (
        "1. Unverified supplier. In March 2026 we bought 300 units of B0C1234567 from "
        "QuickWholesale Ltd without checking that it was an authorised BrandCo distributor. Its "
        "invoices do not name BrandCo as the source, so we cannot show where the units came "
        "from. Orders 111-1234567-1234567 and 112-7654321-7654321 were filled from this stock."
    ),
    "corrective_actions": (
        "- On 4 October 2026 we removed all 140 remaining units from sale and had our FBA prep "
        "partner destroy them; the destruction certificate is attached.\n"
        "- On 5 October 2026 we refunded both buyers in full.\n"
        "- On 6 October 2026 we closed our account with QuickWholesale Ltd."
    ),
    "preventive_measures": (
        "- Since 7 October 2026 we buy BrandCo products only from BrandCo Inc. directly. Our "
        "head of purchasing owns this rule and checks every purchase order against the "
        "authorised distributor list before payment.\n"
        "- Our SOP for inbound stock requires an invoice that names the brand, the ASIN and the "
        "quantity before units go to FBA. Since 7 October 2026, 12 shipments passed this check.\n"
        "- We will review our Order Defect Rate every Monday; our ODR was 0.4% on 20 October 2026."
    ),
    "evidence": (
        "- BrandCo Inc. invoices, 1 January to 30 September 2026, with ASIN B0C1234567 "
        "highlighted.\n"
        "- Destruction certificate from the prep partner of Acme Home Goods LLC, 6 October 2026.\n"
        "- UPS and USPS tracking reports for both orders."
    ),
    "closing": "Thank you for reviewing this plan.\n\nJane Doe, Owner, Acme Home Goods LLC",
}


def test_a_clean_letter_raises_nothing() -> None:
    matches = [m for section, text in CLEAN_LETTER.items() for m in scan(RULES, text, section)]
    assert [(m.rule.id, m.text) for m in apply_limits(matches)] == []


@pytest.mark.parametrize("section", SECTIONS)
def test_ids_and_acronyms_raise_nothing(section: str) -> None:
    text = (
        "ASINs B0C1234567, B0CABCDEFG and 0306406152; orders 111-1234567-1234567 and "
        "702-0000000-9999999; complaint ID 1234567890; merchant token A1B2C3D4E5F6G7; FNSKU "
        "X001ABCDEF. Shipped by UPS, USPS and FedEx under our SOP for FBA and FBM; ODR 0.4%, "
        "LSR 1.2%, VTR 98%. Registered with the USPTO; CPSIA test report attached; "
        "Acme Home Goods LLC."
    )
    assert scan(RULES, text, section) == []


# --- loading --------------------------------------------------------------------------------

VALID = """\
rules:
  - id: shouting
    message: shouts
    patterns: ['\\bHEY\\b']
"""


def load_errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "tone-rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_tone_rules(path, "tone-rules.yaml")
    return [str(finding) for finding in caught.value.findings]


def test_a_minimal_rule_gets_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "tone-rules.yaml"
    path.write_text(VALID, encoding="utf-8")
    (rule,) = load_tone_rules(path, "tone-rules.yaml")
    assert rule.id == "shouting"
    assert rule.level is Level.WARNING
    assert rule.fix is None
    assert rule.sections == frozenset(SECTIONS)
    assert rule.unless == ()
    assert rule.max is None
    assert rule.position == Position("tone-rules.yaml", 2, 5)
    assert [p.pattern for p in rule.patterns] == [r"\bHEY\b"]
    assert rule.patterns[0].flags & re.IGNORECASE


def test_regex_that_does_not_compile(tmp_path: Path) -> None:
    text = "rules:\n  - id: x\n    message: m\n    patterns: ['ok', '(we will']\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:4:22: error: regex '(we will' in tone rule 'x' does not compile: "
        "missing ), unterminated subpattern at position 0 (check the brackets, and escape "
        r"characters meant literally: '\(', '\?', '\.') [invalid-regex]"
    ]


def test_regex_that_matches_empty_text(tmp_path: Path) -> None:
    text = "rules:\n  - id: x\n    message: m\n    patterns: ['(?:we will)?']\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:4:16: error: regex '(?:we will)?' in tone rule 'x' matches empty text "
        "(require at least one character: drop the '?' or '*' that makes it all optional) "
        "[invalid-regex]"
    ]


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    text = VALID + "    exemples: {flag: [HEY]}\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:5:5: error: unknown key 'exemples' in tone rule 'shouting' "
        "(did you mean 'examples'?) [unknown-key]"
    ]


def test_unknown_key_without_a_close_match_lists_the_keys(tmp_path: Path) -> None:
    text = VALID + "    colour: red\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:5:5: error: unknown key 'colour' in tone rule 'shouting' (expected one "
        "of: 'id', 'level', 'message', 'fix', 'sections', 'patterns', 'unless', 'max', "
        "'examples') [unknown-key]"
    ]


def test_unknown_key_in_examples(tmp_path: Path) -> None:
    text = VALID + "    examples:\n      flags: [HEY]\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:6:7: error: unknown key 'flags' in the examples of tone rule "
        "'shouting' (did you mean 'flag'?) [unknown-key]"
    ]


@pytest.mark.parametrize(
    ("level", "fix"),
    [
        ("critical", "expected one of: 'error', 'warning'"),
        ("eror", "did you mean 'error'?"),
    ],
)
def test_bad_level(tmp_path: Path, level: str, fix: str) -> None:
    text = VALID + f"    level: {level}\n"
    assert load_errors(tmp_path, text) == [
        f"tone-rules.yaml:5:12: error: unknown level '{level}' in tone rule 'shouting' ({fix}) "
        "[invalid-value]"
    ]


def test_duplicate_id(tmp_path: Path) -> None:
    text = VALID + "  - id: shouting\n    message: m\n    patterns: ['!']\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:5:9: error: duplicate tone rule id 'shouting' (first on line 2) "
        "(give each rule its own id) [duplicate-id]"
    ]


def test_missing_patterns(tmp_path: Path) -> None:
    text = "rules:\n  - id: x\n    message: m\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:2:5: error: tone rule 'x' has no 'patterns' "
        "(add 'patterns:' with at least one regex) [missing-key]"
    ]


def test_missing_id_and_message(tmp_path: Path) -> None:
    text = "rules:\n  - patterns: ['x']\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:2:5: error: tone rule #1 has no 'id' "
        "(add 'id:' with a kebab-case name, e.g. 'id: blame-amazon') [missing-key]",
        "tone-rules.yaml:2:5: error: tone rule #1 has no 'message' "
        "(add 'message:', one line saying what is wrong with the text) [missing-key]",
    ]


def test_bad_section(tmp_path: Path) -> None:
    text = VALID + "    sections: [opening, root-causes]\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:5:25: error: unknown section 'root-causes' in tone rule 'shouting' "
        "(did you mean 'root_causes'?) [invalid-value]"
    ]


def test_id_not_kebab_case(tmp_path: Path) -> None:
    text = "rules:\n  - id: Blame_Amazon\n    message: m\n    patterns: [x]\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:2:9: error: tone rule id 'Blame_Amazon' is not kebab-case "
        "(use lower-case words joined by hyphens, e.g. 'blame-amazon') [invalid-value]"
    ]


def test_message_with_a_final_period(tmp_path: Path) -> None:
    text = "rules:\n  - id: x\n    message: Blames Amazon.\n    patterns: [x]\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:3:14: error: the message of tone rule 'x' ends with a period "
        "(drop the period; the finding adds its own punctuation) [invalid-value]"
    ]


@pytest.mark.parametrize("value", ["-1", "'one'", "true"])
def test_bad_max(tmp_path: Path, value: str) -> None:
    shown = {"-1": "'-1'", "'one'": "'one'", "true": "'true'"}[value]
    text = VALID + f"    max: {value}\n"
    assert load_errors(tmp_path, text) == [
        f"tone-rules.yaml:5:10: error: expected a whole number of 0 or more, found {shown} "
        "[invalid-value]"
    ]


def test_patterns_not_a_list(tmp_path: Path) -> None:
    text = "rules:\n  - id: x\n    message: m\n    patterns: we will\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:4:15: error: expected a list of regexes, found 'we will' "
        "(write 'patterns:' as a list) [invalid-value]"
    ]


def test_a_file_without_rules(tmp_path: Path) -> None:
    assert load_errors(tmp_path, "rule:\n  - id: x\n") == [
        "tone-rules.yaml:1:1: error: unknown key 'rule' in the tone rule file "
        "(did you mean 'rules'?) [unknown-key]",
        "tone-rules.yaml:1:1: error: the tone rule file has no 'rules' (start the file with "
        "'rules:' and list the rules under it) [missing-key]",
    ]


def test_an_empty_file(tmp_path: Path) -> None:
    assert load_errors(tmp_path, "# nothing yet\n") == [
        "tone-rules.yaml:1:1: error: expected a mapping with a 'rules' list, found nothing "
        "(start the file with 'rules:' and list the rules under it) [invalid-value]"
    ]


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "  - id: first\n"
        "    level: loud\n"
        "    message: m\n"
        "    patterns: ['\\bok\\b']\n"
        "  - id: second\n"
        "    message: m\n"
        "    patterns: ['[a-z']\n"
    )
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:3:12: error: unknown level 'loud' in tone rule 'first' "
        "(expected one of: 'error', 'warning') [invalid-value]",
        "tone-rules.yaml:8:16: error: regex '[a-z' in tone rule 'second' does not compile: "
        "unterminated character set at position 0 (check the brackets, and escape characters "
        r"meant literally: '\(', '\?', '\.') [invalid-regex]",
    ]


def test_yaml_errors_come_from_the_yaml_reader(tmp_path: Path) -> None:
    text = "rules:\n  - id: x\n    id: y\n"
    assert load_errors(tmp_path, text) == [
        "tone-rules.yaml:3:5: error: duplicate key 'id' (first on line 2) (keep one of them) "
        "[duplicate-key]"
    ]


# --- scanning -------------------------------------------------------------------------------


def make_rule(
    *patterns: str,
    rule_id: str = "test-rule",
    unless: Sequence[str] = (),
    limit: int | None = None,
    sections: Sequence[str] = SECTIONS,
    flag: Sequence[str] = (),
    passes: Sequence[str] = (),
) -> ToneRule:
    return ToneRule(
        id=rule_id,
        level=Level.WARNING,
        message="m",
        fix=None,
        sections=frozenset(sections),
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in patterns),
        unless=tuple(re.compile(p, re.IGNORECASE) for p in unless),
        max=limit,
        flag_examples=tuple(flag),
        pass_examples=tuple(passes),
        position=Position("rules.yaml", 3, 5),
    )


def found(matches: Sequence[ToneMatch]) -> list[tuple[str, str]]:
    return [(match.rule.id, match.text) for match in matches]


def test_matches_carry_offsets_into_the_text() -> None:
    text = "First line.\nWe WILL remove them."
    (match,) = scan([make_rule(r"\bwe will\b")], text, "closing")
    assert (match.start, match.end, match.text) == (12, 19, "We WILL")
    assert text[match.start : match.end] == match.text


def test_matches_come_in_text_order_across_rules() -> None:
    rules = [make_rule(r"\bsorry\b", rule_id="b"), make_rule(r"\bdevastated\b", rule_id="a")]
    text = "We are devastated. We are sorry. We are devastated."
    assert found(scan(rules, text, "opening")) == [
        ("a", "devastated"),
        ("b", "sorry"),
        ("a", "devastated"),
    ]


def test_overlapping_patterns_of_one_rule_give_one_match() -> None:
    rule = make_rule(r"\bwe will\b", r"\bwe will do better\b")
    assert found(scan([rule], "We will do better.", "closing")) == [
        ("test-rule", "We will do better")
    ]


def test_sections_filter_rules() -> None:
    rule = BY_ID["future-tense-corrective"]
    text = "We will remove all units of B0C1234567."
    assert found(scan([rule], text, "corrective_actions")) == [
        ("future-tense-corrective", "We will")
    ]
    for section in SECTIONS:
        if section != "corrective_actions":
            assert scan([rule], text, section) == []


def test_scan_refuses_an_unknown_section() -> None:
    with pytest.raises(ValueError, match="unknown section 'root-causes'"):
        scan(RULES, "text", "root-causes")


def test_unless_cancels_a_match_in_the_same_sentence_only() -> None:
    rule = make_rule(r"\bgenuine\b", unless=[r"\binvoices?\b"])
    assert scan([rule], "The units are genuine, as the invoices show.", "evidence") == []
    text = "The units are genuine. The invoices are attached."
    assert found(scan([rule], text, "evidence")) == [("test-rule", "genuine")]


def test_shipped_unless_accepts_a_claim_backed_by_evidence() -> None:
    rule = BY_ID["unsupported-authenticity-claim"]
    assert scan([rule], "Our products are genuine; the invoices are attached.", "opening") == []
    assert found(scan([rule], "Our products are genuine. We are sure.", "opening")) == [
        ("unsupported-authenticity-claim", "Our products are genuine")
    ]


def test_apply_limits_keeps_the_matches_beyond_max_over_the_whole_letter() -> None:
    apology = make_rule(r"\bsorry\b", r"\bapologi[sz]e\b", rule_id="apology", limit=1)
    other = make_rule(r"\bdesperate\b", rule_id="other")
    letter = [
        ("opening", "We apologise for the delays. We are desperate."),
        ("root_causes", "The carrier was late."),
        ("closing", "Sorry again. We apologize once more."),
    ]
    matches = [m for section, text in letter for m in scan([apology, other], text, section)]
    assert found(apply_limits(matches)) == [
        ("other", "desperate"),
        ("apology", "Sorry"),
        ("apology", "apologize"),
    ]


def test_apply_limits_counts_each_rule_separately() -> None:
    one = make_rule(r"\bsorry\b", rule_id="one", limit=1)
    none_allowed = make_rule(r"\bsorry\b", rule_id="none-allowed", limit=0)
    matches = scan([one, none_allowed], "Sorry. Sorry.", "closing")
    assert found(apply_limits(matches)) == [
        ("none-allowed", "Sorry"),
        ("one", "Sorry"),
        ("none-allowed", "Sorry"),
    ]


def test_scan_does_not_apply_max() -> None:
    rule = BY_ID["repeated-apology"]
    assert len(scan([rule], "We apologise. We are sorry.", "opening")) == 2
    assert found(apply_limits(scan([rule], "We apologise.", "opening"))) == []


def test_shouting_skips_ids_and_acronyms_but_not_words() -> None:
    rule = BY_ID["shouting"]
    text = "ASIN B0CABCDEFG, SOP, FBA, LLC, UPS, USPS, ODR, USPTO: we NEVER sold FAKES."
    assert found(scan([rule], text, "opening")) == [("shouting", "NEVER"), ("shouting", "FAKES")]


# --- sentences ------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_sentences_split_after_terminal_punctuation() -> None:
    text = 'One. "Two?" Three!\n\u201cFour.\u201d Five'
    assert sentences(text) == ["One.", ' "Two?"', " Three!", "\n\u201cFour.\u201d", " Five"]


def test_sentences_keep_decimals_ids_and_urls_whole() -> None:
    text = "The ODR was 1.8% on B0C.ABC and example.com/a?b=c today."
    assert sentences(text) == [text]


def test_sentences_split_at_blank_lines_and_list_items() -> None:
    text = "Removed units\n- refunded buyers\n1. closed account\n\n12. New supplier"
    assert sentences(text) == [
        "Removed units\n",
        "- refunded buyers\n",
        "1. closed account\n\n",
        "12. New supplier",
    ]


def test_sentence_spans_cover_the_text() -> None:
    text = "A. B? C!  \n\n- D\nE"
    spans = sentence_spans(text)
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


# --- examples -------------------------------------------------------------------------------


def test_check_examples_reports_each_broken_example() -> None:
    rule = make_rule(
        r"\bwe will\b", flag=["We shall see.", "We will see."], passes=["Then we will go."]
    )
    assert check_examples([rule]) == [
        "rules.yaml:3:5: tone rule 'test-rule' does not flag its example 'We shall see.'",
        "rules.yaml:3:5: tone rule 'test-rule' flags 'we will' in its pass example "
        "'Then we will go.'",
    ]


def test_check_examples_reports_a_rule_without_examples() -> None:
    assert check_examples([make_rule("x")]) == [
        "rules.yaml:3:5: tone rule 'test-rule' has no 'flag' examples",
        "rules.yaml:3:5: tone rule 'test-rule' has no 'pass' examples",
    ]


def test_examples_are_read_in_the_rules_first_section() -> None:
    rule = make_rule(r"\bwe will\b", sections=["corrective_actions"], flag=["We will."])
    assert found(example_matches(rule, "We will.")) == [("test-rule", "We will")]


def _unfiltered(rules: tuple[ToneRule, ...], text: str, section: str) -> list[tuple[str, int, int]]:
    """What the patterns find with no literal prefilter: the reference for `scan`."""
    found = []
    for rule in rules:
        if section not in rule.sections:
            continue
        spans = tone_module.sentence_spans(text)
        hits = sorted(
            (h for p in rule.patterns for h in p.finditer(text) if h.end() > h.start()),
            key=lambda h: (h.start(), -h.end()),
        )
        end = -1
        for hit in hits:
            if hit.start() < end:
                continue
            sentence = tone_module._sentence(text, spans, hit.start())
            if not any(u.search(sentence) for u in rule.unless):
                found.append((rule.id, hit.start(), hit.end()))
                end = hit.end()
    return sorted(found, key=lambda f: (f[1], f[2]))


def test_literal_prefilter_never_hides_a_match() -> None:
    shipped = RULES
    texts = [e for r in shipped for e in (*r.flag_examples, *r.pass_examples)]
    texts += [" ".join(texts), "\n".join(texts).upper(), "\n\n".join(texts).lower()]
    for text in texts:
        for section in tone_module.SECTIONS:
            got = [(m.rule.id, m.start, m.end) for m in tone_module.scan(shipped, text, section)]
            assert got == _unfiltered(shipped, text, section), text


def test_required_literals_of_a_pattern() -> None:
    from poakit.review.regexwords import required_literals as literals

    assert literals(re.compile(r"\b(?:carriers?|couriers?) (?:lost|delayed)\b", re.I)) == frozenset(
        {"arrier", "ourier"}
    )
    assert literals(re.compile(r"\bwe (?:will|shall)\b", re.I)) == frozenset({"shall", "will"})
    assert literals(re.compile(r"[a-z]+", re.I)) is None
    assert literals(re.compile(r"x?y", re.I)) == frozenset({"y"})


def test_a_text_met_again_is_not_scanned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    scanner = tone_module.ToneScanner([make_rule(r"\bsorry\b")])
    first = scanner.scan("We are sorry.", "opening")
    monkeypatch.setattr(scanner, "_scan", lambda *args: pytest.fail("scanned again"))
    assert scanner.scan("We are sorry.", "opening") == first
    with pytest.raises(pytest.fail.Exception):  # another section is another scan
        scanner.scan("We are sorry.", "closing")


def test_the_remembered_texts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tone_module, "SCANNED_TEXTS", 3)
    scanner = tone_module.ToneScanner([make_rule(r"\bsorry\b")])
    for n in range(10):
        scanner.scan(f"Sorry, number {n}.", "opening")
    assert len(scanner._scanned) == 3


def test_a_text_forgotten_while_its_letter_is_scanned_is_scanned_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`scan_all` looks for the rules' words only in the texts not scanned before; a text that
    was remembered then, and forgotten while the letter's new texts were scanned, is scanned
    again for every word, not only for those of the new texts."""
    monkeypatch.setattr(tone_module, "SCANNED_TEXTS", 2)
    scanner = tone_module.ToneScanner([make_rule(r"\bsorry\b")])
    remembered = "We are sorry."
    expected = scanner.scan(remembered, "opening")
    parts = [("opening", "A new paragraph."), ("opening", "Another one."), ("opening", remembered)]
    assert scanner.scan_all(parts)[2] == expected != []


def test_the_allowance_counts_the_same_words_in_two_places() -> None:
    """A paragraph met twice is one remembered scan: its match must still count twice."""
    scanner = tone_module.ToneScanner([make_rule(r"\bsorry\b", limit=1)])
    matches = [*scanner.scan("We are sorry.", "opening"), *scanner.scan("We are sorry.", "closing")]
    twice = [*matches, *scanner.scan("We are sorry.", "opening")]
    assert twice[0] is twice[2]  # the very same match object, from the memory
    assert tone_module.beyond_limits(twice) == [False, True, True]
    assert found(apply_limits(twice)) == [("test-rule", "sorry"), ("test-rule", "sorry")]
