"""One list of the letter's sections (`poakit.model.sections`): every name comes from it."""

from __future__ import annotations

from poakit.letter.letter import Letter
from poakit.model.library import Settings
from poakit.model.sections import ANSWERS, BY_KEY, DEFAULT_TITLES, KEYS
from poakit.project.load import load_project
from poakit.source.tonerules import SECTIONS as TONE_SECTIONS


def test_the_order_of_a_letter() -> None:
    assert KEYS == (
        "request",
        "changes",
        "opening",
        "root_causes",
        "corrective_actions",
        "preventive_measures",
        "evidence",
        "closing",
    )
    assert KEYS[3:6] == ANSWERS
    assert all(BY_KEY[key].answers_a_question for key in ANSWERS)


def test_settings_tone_rules_and_letters_use_the_same_list(mini) -> None:  # type: ignore[no-untyped-def]
    assert Settings().sections == DEFAULT_TITLES
    assert tuple(TONE_SECTIONS) == KEYS
    letter = load_project(mini, base=mini).cases[0].letter
    assert isinstance(letter, Letter)
    assert tuple(s.key for s in letter.sections) == KEYS
    assert [s.title for s in letter.sections if s.title] == list(DEFAULT_TITLES.values())
