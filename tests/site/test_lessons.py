"""The lessons page and its charts."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest

from poakit.project.load import CaseResult, load_project
from poakit.project.loader import Loader
from poakit.project.memo import Memo
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


def test_a_memo_remakes_only_the_edited_cases_part_and_the_same_page(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview keeps each case's part of the page by the case's digest: after a save, the
    page made with the memo is the page made afresh, and only the edited case's part is
    made again."""
    loader, memo = Loader(site_project), Memo()
    made: list[str] = []
    real_part = lessons._part

    def part(result: CaseResult, *rest: Any) -> Any:
        made.append(result.slug)
        return real_part(result, *rest)

    monkeypatch.setattr(lessons, "_part", part)

    def page() -> tuple[str, str]:
        cases = [c for c in loader.load().cases if c.file is not None]
        return lessons.lessons_page(cases, loader.latest().library, memo=memo), (
            lessons.lessons_page(cases, loader.latest().library)
        )

    first, fresh = page()
    assert first == fresh
    made.clear()
    path = site_project / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("Acme Home Goods LLC", "Acme Edited Goods LLC"))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    edited, fresh = page()
    assert edited == fresh and "Acme Edited Goods LLC" in edited and edited != first
    # the memo remade one part; the page made without it, every part
    assert made.count("acme-home-inauthentic") == 2 and len(made) == 1 + len(loader.latest().cases)
