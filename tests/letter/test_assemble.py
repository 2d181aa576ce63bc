"""Assembly (`poakit.letter.assemble`): a letter after Amazon's request or denial opens with the
answers, or with what is new, then gives the full plan (golden files: tests/golden/replies/);
the case's facts open their sections, the opening and closing are chosen by those facts, and
every reference between facts is checked."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, TESTS, with_changes

from poakit.errors import InputError
from poakit.letter.assemble import assemble, conditions, standard_context
from poakit.letter.letter import Letter
from poakit.model.library import STANDARD_VARIABLES, Library
from poakit.project.load import check_case, load_library
from poakit.render.markdown import letter_markdown
from poakit.render.text import answers, letter_text
from poakit.source.case import load_case

GOLDEN = TESTS / "golden" / "replies"
CASES = sorted(GOLDEN.glob("*.case.yaml"))


def _letter(root: Path, source: Path) -> tuple[str, Letter, list[str]]:
    name = source.name.removesuffix(".case.yaml")
    target = root / "cases" / f"{name}.yaml"
    shutil.copy(source, target)
    result = check_case(target, load_library(root / "snippets"), f"cases/{name}.yaml")
    assert result.letter is not None, [str(f) for f in result.findings]
    return name, result.letter, [str(f) for f in result.findings]


@pytest.mark.parametrize("source", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_reply_letters_match_golden(replies: Path, source: Path) -> None:
    name, letter, findings = _letter(replies, source)
    assert findings == []
    assert letter_text(letter, 80) == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    assert letter_markdown(letter) == (GOLDEN / f"{name}.md").read_text(encoding="utf-8")


def test_a_reply_opens_with_the_answers_then_gives_the_full_plan(replies: Path) -> None:
    _, letter, _ = _letter(replies, GOLDEN / "info-requested.case.yaml")
    filled = [s.key for s in letter.sections if s.items]
    assert filled == [
        "request",
        *("opening", "root_causes", "corrective_actions", "preventive_measures"),
        *("evidence", "closing"),
    ]
    request = letter.section("request").items
    assert [item.label for item in request[1:]] == [
        "Invoices covering the last 365 days for B0C1234567.",
        "The contact details of your supplier.",
    ]
    assert [item.position.line for item in request[1:]] == [51, 55]  # each point's line
    assert answers(letter)[0].title == "Answers to your request"


def test_a_resubmission_after_a_denial_opens_with_what_is_new(replies: Path) -> None:
    _, letter, _ = _letter(replies, GOLDEN / "denied.case.yaml")
    assert [s.key for s in letter.sections if s.items][:2] == ["changes", "opening"]
    text = letter_text(letter)
    assert text.startswith("What is new since our last letter\n\nThis revised Plan of Action")
    assert "replaces our letter of 7 October 2026, which was not accepted on 12 October" in text


def test_the_letter_as_a_submission_sent_it_answers_only_what_came_before(
    replies: Path,
) -> None:
    """The first letter went out before Amazon asked: as sent, it is the plan alone."""
    name, current, _ = _letter(replies, GOLDEN / "info-requested.case.yaml")
    case = load_case(replies / "cases" / f"{name}.yaml", f"cases/{name}.yaml")
    first = assemble(case, load_library(replies / "snippets"), upto=0)
    assert first.section("request").items == ()
    reply = letter_text(current)
    assert letter_text(first) == reply[reply.index("This Plan of Action") :]


def test_the_tone_checks_read_the_answers(replies: Path) -> None:
    shutil.copy(REPO / "snippets" / "tone-rules.yaml", replies / "snippets" / "tone-rules.yaml")
    source = (GOLDEN / "info-requested.case.yaml").read_text()
    pleading = source.replace(
        "every unit of\n          B0C1234567 we sold in that time.",
        "every unit of\n          B0C1234567 we sold in that time. We beg you to reinstate us.",
    )
    assert pleading != source
    (replies / "cases" / "pleading.case.yaml").write_text(pleading)
    _, _, findings = _letter(replies, replies / "cases" / "pleading.case.yaml")
    assert findings == [
        "cases/pleading.yaml:51:9: warning: appeals to emotion or hardship, which a reviewer "
        'cannot weigh: "beg" (cut it; the reviewer decides on the root cause, the actions and '
        "the evidence, so give them facts with dates and figures instead) [emotional-appeal]"
    ]


def test_a_library_without_the_reply_part_names_it(mini: Path) -> None:
    """The mini library has no reply-request snippet: the case that needs it is told which."""
    shutil.copy(GOLDEN / "info-requested.case.yaml", mini / "cases" / "acme.yaml")
    result = check_case(mini / "cases" / "acme.yaml", load_library(mini / "snippets"), "c.yaml")
    assert [str(f) for f in result.findings] == [
        "c.yaml:1:1: error: unknown letter snippet 'reply-request' "
        "(expected one of: 'closing', 'opening') [unknown-snippet]"
    ]


# -- the facts of a case: leads, chosen parts, references ---------------------------------

LIBRARY: Library = load_library(REPO / "snippets", "snippets")
TABLES = TESTS / "golden" / "requirements"


def _case(reason: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    base: dict[str, Any] = yaml.safe_load((TABLES / "_base.yaml").read_text())
    own = yaml.safe_load((TABLES / f"{reason}.yaml").read_text())["case"]
    own_changes = own.pop("set", {})
    base.update(own)
    return with_changes(with_changes(base, own_changes), changes or {})


def _write(data: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "cases" / "a.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=1000))
    return path


def _built(data: dict[str, Any], tmp_path: Path):  # type: ignore[no-untyped-def]
    result = check_case(_write(data, tmp_path), LIBRARY, "cases/a.yaml")
    assert result.letter is not None, [str(f) for f in result.findings]
    return result.letter


def test_the_metric_opens_the_root_causes_and_its_rate_since_the_fix_the_measures(
    tmp_path: Path,
) -> None:
    letter = _built(_case("order-defect-rate"), tmp_path)
    assert [i.text.plain() for i in letter.section("root_causes").lead] == [
        "Our Order Defect Rate was 2.1% over the 60 days before the notice (26 of 1,240 "
        "orders with a defect), against Amazon's target of under 1%."
    ]
    assert [i.text.plain() for i in letter.section("preventive_measures").lead] == [
        "From 5 to 20 October 2026, after the actions above, our Order Defect Rate was 0.4% "
        "(3 of 702 orders with a defect)."
    ]
    assert str(letter.section("root_causes").lead[0].position) == "cases/a.yaml:40:1"  # metrics:


def test_a_metric_counts_what_its_reason_counts(tmp_path: Path) -> None:
    letter = _built(_case("on-time-delivery-rate"), tmp_path)
    assert "(62 of 400 units delivered late)" in letter.section("root_causes").lead[0].text.plain()


def test_suppliers_and_units_open_the_supporting_documents_in_order(tmp_path: Path) -> None:
    lead = _built(_case("inauthentic"), tmp_path).section("evidence").lead
    assert [i.snippet.id for i in lead] == ["supplier-list", "units-accounting", "documents-intro"]  # type: ignore[union-attr]
    units = lead[1].text.plain()
    assert (
        "- B0C1234567 from QuickWholesale Ltd: 90 bought, none on an invoice we can attach; 30 sold; 60 removed; 0 on hand."
        in units
    )


def test_facts_are_given_to_every_snippet_for_its_issues() -> None:
    case = load_case(REPO / "cases" / "acme-home-inauthentic.yaml", "acme").case
    context = standard_context(case, case.notice.issues, LIBRARY)
    assert {
        "metrics",
        "suppliers",
        "accounting",
        "ip",
        "fulfilment",
        "grading",
        "incentives",
        "evidence",
    } <= set(context)
    assert set(context) == STANDARD_VARIABLES
    assert [s["role_words"] for s in context["suppliers"]] == [
        "an authorised distributor of the brand",
        "a supplier we could not verify",
    ]
    assert [u["invoiced"] for u in context["accounting"]] == [700, 480, 0, 0]


def test_a_snippets_own_variable_wins_over_a_standard_one(tmp_path: Path) -> None:
    """`units` is a variable of several snippets; the case's units accounting is `accounting`."""
    data = _case(
        "inauthentic",
        {
            "root_causes.0": {
                "id": "cause",
                "issues": ["issue"],
                "snippet": "unverified-supplier",
                "vars": {"supplier": "QuickWholesale Ltd"},
            }
        },
    )
    text = _built(data, tmp_path).section("root_causes").items[0].text.plain()
    assert text.startswith(
        "We bought the units of B0C1234567 and B0C9XK2M4T from QuickWholesale Ltd"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"units.0.supplier": "nobody"},
            "cases/a.yaml:62:13: error: unknown supplier 'nobody' (expected one of: 'brandco', 'quick') [unknown-reference]",
        ),
        (
            {"evidence.0.supplier": "brandc"},
            "cases/a.yaml:43:13: error: unknown supplier 'brandc' (did you mean 'brandco'?) [unknown-reference]",
        ),
        (
            {
                "metrics": [
                    {
                        "issues": ["isue"],
                        "name": "Order Defect Rate",
                        "target": "under 1%",
                        "rate": 2,
                    }
                ]
            },
            "cases/a.yaml:85:5: error: unknown notice issue 'isue' (did you mean 'issue'?) [unknown-reference]",
        ),
        (
            {"suppliers.1.id": "brandco"},
            "cases/a.yaml:53:7: error: duplicate supplier id 'brandco' (give each one its own id) [duplicate-id]",
        ),
    ],
)
def test_references_between_facts_are_checked(
    changes: dict[str, Any], message: str, tmp_path: Path
) -> None:
    path = _write(_case("inauthentic", changes), tmp_path)
    with pytest.raises(InputError) as raised:
        assemble(load_case(path, "cases/a.yaml"), LIBRARY)
    assert message in [str(f) for f in raised.value.findings]


def test_conditions_of_a_case() -> None:
    case = load_case(REPO / "cases" / "peak-outfitters-late-shipment.yaml", "peak").case
    assert conditions(case) == frozenset({"listing", "metrics", "since-fix", "evidence"})


def test_a_library_without_fitting_parts_uses_opening_and_closing(mini: Path) -> None:
    result = check_case(mini / "cases" / "acme.yaml", load_library(mini / "snippets"), "acme")
    assert result.letter is not None
    assert [
        i.snippet.id for k in ("opening", "closing") for i in result.letter.section(k).items
    ] == ["opening", "closing"]  # type: ignore[union-attr]
