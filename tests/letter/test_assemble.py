"""Replies (`poakit.letter.assemble`): a letter after Amazon's request or denial opens with the
answers, or with what is new, then gives the full plan. Golden files: tests/golden/replies/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, TESTS

from poakit.letter.assemble import assemble
from poakit.letter.letter import Letter
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
