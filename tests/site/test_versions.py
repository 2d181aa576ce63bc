"""The "Versions sent" part of a case page (`poakit.site.versions`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import REPO

from poakit.model.case import Event
from poakit.model.versions import SentVersion
from poakit.project.load import load_project
from poakit.render import render_letter
from poakit.site.casepages import case_page
from poakit.site.markup import open_islands
from poakit.site.versions import versions_blocks


def _version(number: int, day: int, text: str) -> SentVersion:
    event = Event.SUBMITTED if number == 1 else Event.RESUBMITTED
    return SentVersion(number, dt.date(2026, 10, day), event, text, f"v{number}.txt")


def test_a_case_that_sent_nothing_has_no_such_part() -> None:
    assert versions_blocks([], None) == []


def test_the_versions_are_listed_with_each_diff_to_the_next(mini: Path) -> None:
    letter = load_project(mini, base=mini).cases[0].letter
    assert letter is not None
    current = render_letter(letter, "text").decode("utf-8")
    first = current.replace("all 140 remaining units", "the remaining units")
    blocks = versions_blocks([_version(1, 7, first), _version(2, 9, current)], letter)
    heading, rows, note, island = blocks
    assert heading == "## Versions sent { data-search-exclude }"  # a staged index skips it
    assert rows.splitlines()[2:] == [
        "| v1 | 7 October 2026 | submitted | 119 |",
        "| v2 | 9 October 2026 | resubmitted | 120 |",
    ]
    assert note == "The letter on this page is v2, as sent."
    html = open_islands(island)
    assert html.count("<details") == 1
    assert "From v1 (submitted on 7 October 2026) to v2 (resubmitted on 9 October 2026)" in html
    assert '<p class="poakit-diff__changed">' in html
    assert "<del>the</del> <ins>all 140</ins> remaining units" in html


def test_a_letter_changed_since_the_last_version_is_compared_with_it(mini: Path) -> None:
    letter = load_project(mini, base=mini).cases[0].letter
    blocks = versions_blocks([_version(1, 7, "An older letter.\n")], letter)
    assert blocks[2] == (
        "The letter on this page has changed since v1 was sent on 7 October 2026; the last "
        "comparison below shows how."
    )
    assert "From v1 (submitted on 7 October 2026) to the letter on this page" in blocks[3]


def test_letter_text_in_a_diff_is_escaped() -> None:
    hostile = "Evil <script>alert(1)</script> --> <!-- & {{ 7*7 }}\n"
    (island,) = versions_blocks([_version(1, 7, "Fine.\n"), _version(2, 9, hostile)], None)[2:]
    html = open_islands(island)
    assert "<script>" not in html and "-->" not in html and "<!--" not in html
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; --&gt; &lt;!-- &amp; {{ 7*7 }}" in html


def test_the_examples_show_their_versions() -> None:
    """peak-outfitters-late-shipment (information requested) and tidewater-goods-dropship
    (denied) keep the first letter they sent, and show how the next one differs."""
    project = load_project(REPO, [REPO / "cases" / f"{s}.yaml" for s in EXAMPLES], base=REPO)
    for result in project.cases:
        page = case_page(result, project.library)
        assert "## Versions sent" in page, result.slug
        assert re.search(r"\| v1 \| \d+ September 2026 \| submitted \|", page), result.slug
        assert "<summary>From v1 (submitted on " in page
        assert '<strong>Letter:</strong> <a href="#versions-sent">v1</a>, as sent' in page


EXAMPLES = ("peak-outfitters-late-shipment", "tidewater-goods-dropship")
