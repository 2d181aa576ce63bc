"""The lessons page and its charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from poakit.project.load import load_project
from poakit.site import charts, lessons

TODAY = dt.date(2026, 11, 27)


# -- charts and lessons ---------------------------------------------------------------------


def test_chart_is_deterministic_and_escapes_labels() -> None:
    series = lessons.SERIES
    bars = [charts.Bar("<b>Fish & chips</b>", (2, 1, 0)), charts.Bar("B" * 60, (0, 0, 1))]
    svg = charts.stacked_bars("Outcomes", series, bars)
    assert svg == charts.stacked_bars("Outcomes", series, bars)
    assert svg.startswith('<div class="poakit-chart">\n<svg ')
    assert "&lt;b&gt;Fish &amp; chips&lt;/b&gt;" in svg and "<b>" not in svg
    assert "B" * 37 + "…" in svg  # long labels are cut; the full label is in the tooltip
    assert "\n\n" not in svg  # a blank line would end the HTML block in Markdown
    assert charts.stacked_bars("Empty", series, []) == ""


def test_lessons_page_with_no_cases(mini: Path) -> None:
    library = load_project(mini).library
    assert lessons.lessons_page([], library) == (
        "# Lessons learned\n\nNo published cases yet: lessons appear here as cases are recorded.\n"
    )


def test_lessons_count_a_measure_once_per_case(mini: Path) -> None:
    project = load_project(mini)
    (result,) = project.cases
    assert result.file is not None
    tallies = lessons.by_measure([result, result], project.library)
    assert {m: t.values for m, t in tallies.items()} == {
        "remove-suspect-inventory": (0, 0, 2),
        "supplier-vetting": (0, 0, 2),
    }
    assert lessons.reason_anchor("inauthentic") == "reason-inauthentic"
