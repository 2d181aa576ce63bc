"""Prose checks: what a reader notices at once, each flagged where it must be and passed where
it must not be, at the case entry or the snippet line the words came from."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from poakit.project.load import check_case, load_library
from poakit.review import prose
from poakit.review.prose import problems

FLAG = [
    ("We used the the registered trademark NORTHVALE.", "doubled-word", 'doubled words: "the the"'),
    (
        "The units were removed removed on 4 October 2026.",
        "doubled-word",
        'doubled words: "removed removed"',
    ),
    ("The parcels went to to the buyers.", "doubled-word", 'doubled words: "to to"'),
    (
        "We refunded the buyer , then closed the offer.",
        "snippet-artefact",
        'a space before punctuation: "We refunded the buyer , then closed the offer."',
    ),
    (
        "We refunded the buyer,, then closed the offer.",
        "snippet-artefact",
        'doubled punctuation: "We refunded the buyer,, then closed the offer."',
    ),
    (
        "We closed the offer for ().",
        "snippet-artefact",
        'empty brackets: "We closed the offer for ()."',
    ),
    (
        "The filters fit. the brand does not make them.",
        "snippet-artefact",
        'a sentence starting in lower case: "The filters fit. the brand does not make th..."',
    ),
    (
        "the brand does not make them.",
        "snippet-artefact",
        'a sentence starting in lower case: "the brand does not make th..."',
    ),
    (
        "We removed the card (it asked for reviews.",
        "unbalanced",
        "'(' without ')': \"We removed the card (it asked for reviews.\"",
    ),
    (
        "We removed the card) today.",
        "unbalanced",
        "')' without '(': \"We removed the card) today.\"",
    ),
    (
        'The card said "5-star experience.',
        "unbalanced",
        'an odd number of quotation marks: "The card said "5-star experience."',
    ),
]
PASS = [
    "Sunridge Supply Co., a seller on amazon.com, raised its prices.",
    "We checked e.g. the seals, the film and the weight.",
    "Brightleaf Kitchen Supply Inc. and its supplier agreed on 4 October 2026.",
    "The order report (26 of 1,240 orders) is attached... and highlighted.",
    "That that is so had had no effect.",
    'The card asked for a "5-star experience" (see the photo).',
    "Order 111-1234567-1234567 shipped 2 units.",
]


@pytest.mark.parametrize(("text", "rule", "message"), FLAG, ids=[f[0][:40] for f in FLAG])
def test_flags(text: str, rule: str, message: str) -> None:
    assert [(p.rule, p.message) for p in problems(text)] == [(rule, message)]


@pytest.mark.parametrize("text", PASS, ids=[t[:40] for t in PASS])
def test_passes(text: str) -> None:
    assert list(problems(text)) == []


def _check(root: Path, change: dict) -> list[str]:  # type: ignore[type-arg]
    path = root / "cases" / "acme.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(change)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = check_case(path, load_library(root / "snippets"), "cases/acme.yaml", root)
    return [str(f) for f in result.findings]


def test_a_doubled_word_typed_in_the_case_points_at_the_case_entry(mini: Path) -> None:
    cause = {
        "id": "c",
        "issues": ["counterfeit-claims"],
        "title": "Stock mixed",
        "text": "We we mixed the stock of B0C1234567.",
    }
    data = yaml.safe_load((mini / "cases" / "acme.yaml").read_text())
    data["root_causes"].append(cause)
    found = _check(mini, {"root_causes": data["root_causes"]})
    assert [f for f in found if "[doubled-word]" in f] == [
        'cases/acme.yaml:34:3: warning: doubled words: "We we" (delete the repeated word; check '
        "the variable, which may repeat the snippet's own word) [doubled-word]"
    ]


def test_a_sentence_said_twice_in_one_letter(mini: Path) -> None:
    data = yaml.safe_load((mini / "cases" / "acme.yaml").read_text())
    twice = "We moved every unit of B0C1234567 to its own storage location."
    data["corrective_actions"].append(
        {"root_causes": ["unvetted-supplier"], "text": twice, "done": "2026-10-05"}
    )
    data["corrective_actions"].append(
        {"root_causes": ["unvetted-supplier"], "text": twice, "done": "2026-10-05"}
    )
    found = _check(mini, {"corrective_actions": data["corrective_actions"]})
    assert [f for f in found if "[repeated-sentence]" in f] == [
        f'cases/acme.yaml:45:3: warning: this sentence is already in the letter: "{twice}" '
        "(say it once, where it belongs) [repeated-sentence]"
    ]


def test_a_paragraph_met_again_is_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "We checked the the invoices ( twice."
    first = problems(text)
    monkeypatch.setattr(prose, "_find_problems", lambda text: pytest.fail("checked again"))
    assert problems(text) == first and [p.rule for p in first] == [
        "doubled-word",
        "unbalanced",
    ]
    with pytest.raises(pytest.fail.Exception):
        problems(text + " Another paragraph.")
