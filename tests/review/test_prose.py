"""Prose checks: what a reader notices at once, each flagged where it must be and passed where
it must not be, at the case entry or the snippet line the words came from."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poakit.project.load import check_case, load_library, load_project
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


def _illusions(text: str) -> list[tuple[int, int]]:
    return [r.span for r in prose._lexical_illusion().check_with_flags(text)]


#: Characters where reading a phrase as runs of word characters can go wrong: case that only
#: the pattern's own folding matches (the Kelvin sign is "k", the long s is not "s", dotted capital I is "i", final
#: sigma is not sigma), word characters outside ASCII letters (after which a repeat may start
#: inside a run), the ' and - the pattern's edges refuse, white space beyond the space.
_TRICKY = (
    "abAB ab ab  1_é\u00c9\u212ak\u017fsS\u0130i\u03a3\u03c3\u03c2\u00df\u1e9e'-.,(\n\t\u00a0\u2028"
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_TRICKY, max_size=40))
def test_the_doubled_word_prefilter_never_hides_a_match(text: str) -> None:
    """`may_double` may say yes where proselint finds nothing, never no where it finds."""
    if _illusions(text):
        assert prose.may_double(text), text


#: What the artefact patterns look for, and around it: letters of both cases, digits, the
#: abbreviations they skip, white space.
_PUNCTUATION = 'aZ0 .,;:!?()[]"\u201c\u201d\nCo.e.g.No'


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_PUNCTUATION, max_size=30))
def test_each_artefact_quick_look_finds_what_its_pattern_finds(text: str) -> None:
    """An artefact pattern runs only where its quick pattern matches: never where it could
    match itself."""
    for pattern, what, quick in prose._ARTEFACTS:
        if quick is not None and pattern.search(text):
            assert quick.search(text), (what, text)


def test_each_artefact_is_still_found() -> None:
    found = {p.message.split(":")[0] for p in problems("Sent it . Then ,, and () then. next x")}
    assert found >= {
        "a space before punctuation",
        "doubled punctuation",
        "empty brackets",
        "a sentence starting in lower case",
    }


@pytest.mark.parametrize(
    "text",
    [
        "We used the the mark.",
        "the cat the cat sat",
        "a b c d a b c d",
        "K \u212a",  # Kelvin sign: the same letter to the pattern
        "\u0130 i",
        "\u03a3 \u03c3",
        "1ab ab",  # a repeat may start inside a run after a digit
        "ab ab1",  # and end inside one before a digit
        "x_y y",
        "\u00e9ab ab",
        "ab\u00a0ab",
        "We we",
    ],
)
def test_the_prefilter_lets_through_what_proselint_flags(text: str) -> None:
    assert _illusions(text) and prose.may_double(text)


@pytest.mark.parametrize(
    "text",
    [
        "We refunded every buyer within two days.",
        "the cat sat on the mat",  # a word again, not a phrase
        "a b c d e a b c d e",  # five words again: longer than the pattern repeats
        "\u017f s",  # long s is not s to the pattern
        "\u03c3 \u03c2",
        "ab abc",
        "the, the",  # not white space between them
    ],
)
def test_the_prefilter_stops_what_cannot_be_doubled(text: str) -> None:
    assert not _illusions(text) and not prose.may_double(text)


def test_the_prefilter_passes_every_shipped_paragraph_proselint_flags() -> None:
    """Every paragraph of the repository's letters, every snippet file whole and line by line,
    and this module's examples: where proselint finds a doubled phrase, the prefilter lets it
    through; most of the rest it stops."""
    texts = [
        item.text.plain()
        for result in load_project(REPO, base=REPO).cases
        if result.letter is not None
        for section in result.letter.sections
        for item in section.everything
    ]
    for path in sorted((REPO / "snippets").rglob("*.md")):
        body = path.read_text()
        texts += [body, *body.splitlines()]
    texts += [text for text, _, _ in FLAG] + PASS
    flagged = [t for t in texts if _illusions(t)]
    assert len(flagged) >= 3  # this module's examples at least
    assert all(prose.may_double(t) for t in flagged)
    assert sum(map(prose.may_double, texts)) < len(texts) / 10
