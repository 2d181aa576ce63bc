"""A letter read back from the text that was sent: its sections, items and labels, each at its
line of the text."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, TESTS

from poakit.letter.readback import read_back
from poakit.model.library import Library
from poakit.project.load import check_case, load_library
from poakit.render.text import letter_text
from poakit.source.case import load_case

LIBRARY: Library = load_library(REPO / "snippets", "snippets")


def _case_file(tmp_path: Path, source: Path):  # type: ignore[no-untyped-def]
    target = tmp_path / "cases" / "acme.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return load_case(target, "cases/acme.yaml")


def test_a_sent_letter_reads_back_into_its_sections(tmp_path: Path) -> None:
    sent = TESTS / "golden" / "sent"
    case_file = _case_file(tmp_path, sent / "brightleaf-trademark.case.yaml")
    text = (sent / "brightleaf-trademark.sent.txt").read_text()
    letter = read_back(text, case_file, LIBRARY.settings.sections, "sent.txt")
    counts = {s.key: (len(s.lead), len(s.items)) for s in letter.sections}
    assert counts == {
        "request": (0, 0),
        "changes": (0, 0),
        "opening": (0, 1),
        "root_causes": (0, 2),
        "corrective_actions": (0, 1),
        "preventive_measures": (0, 2),
        "evidence": (0, 3),
        "closing": (0, 1),
    }
    cause = letter.section("root_causes").items[0]
    assert cause.label == "Trademark complaint (B0D4RT7NQ2)"
    assert cause.text.plain().startswith("We used the the registered trademark NORTHVALE trademark")
    assert str(cause.position) == "sent.txt:8:1"
    measure = letter.section("preventive_measures").items[0]
    assert "a patent search is made before the first order" in measure.text.plain()
    assert not measure.text.plain().endswith("(root causes 1, 2)")


def test_what_poakit_exports_reads_back_as_the_same_words() -> None:
    """A letter of today, exported wrapped at 80 columns and read back: the same paragraphs in
    the same sections, the lead paragraphs (the metric, its rate since the fix) included."""
    path = REPO / "cases" / "peak-outfitters-late-shipment.yaml"
    result = check_case(path, LIBRARY, "cases/peak-outfitters-late-shipment.yaml")
    assert result.letter is not None
    text = letter_text(result.letter, width=80)
    back = read_back(text, result.letter.case_file, LIBRARY.settings.sections, "x.txt")

    def words(items):  # type: ignore[no-untyped-def]
        return [(i.label, " ".join(i.text.plain().split())) for i in items]

    for key in ("opening", "root_causes", "corrective_actions", "preventive_measures", "closing"):
        mine, theirs = result.letter.section(key), back.section(key)
        assert words(theirs.lead) == words(mine.lead), key
        assert [t for _, t in words(theirs.items)] == [t for _, t in words(mine.items)], key
    assert [i.label for i in back.section("root_causes").items] == [
        i.label for i in result.letter.section("root_causes").items
    ]
