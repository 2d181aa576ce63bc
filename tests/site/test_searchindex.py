"""Compact search entries for case pages."""

from __future__ import annotations

import json
from pathlib import Path

from poakit.project.load import load_project
from poakit.site import searchindex


def test_a_case_entry_holds_what_a_case_is_searched_by(mini: Path) -> None:
    project = load_project(mini, base=mini)
    entry = searchindex.case_entry(project.cases[0], project.library)
    assert entry == {
        "location": "cases/acme/",
        "title": "Acme Home Goods LLC: Inauthentic item complaints",
        "text": "Acme Home Goods LLC Acme Home amazon.com submitted Inauthentic item complaints "
        "B0C1234567 111-1234567-1234567 1234567890",
    }


def test_merge_replaces_the_theme_entries_of_case_pages() -> None:
    index = {
        "config": {"lang": ["en"]},
        "docs": [
            {"location": "cases/acme/", "title": "Acme", "text": "the whole letter"},
            {"location": "cases/acme/#root-causes", "title": "Root causes", "text": "more letter"},
            {"location": "reasons/inauthentic/", "title": "Inauthentic", "text": "guidance"},
        ],
    }
    extra = [{"location": "cases/acme/", "title": "Acme: Inauthentic", "text": "Acme B0C1234567"}]
    merged = json.loads(searchindex.merge(json.dumps(index), extra))
    assert merged["config"] == index["config"]
    assert merged["docs"] == [index["docs"][2], extra[0]]
