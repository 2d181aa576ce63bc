"""Compact search entries for case pages, and the project cache the preview server uses."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from poakit import searchindex
from poakit.project import ProjectCache, load_project


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


def test_project_cache_reloads_only_what_changed(mini: Path) -> None:
    cache = ProjectCache(mini)
    first = cache.load()
    again = cache.load()
    assert again.cases[0] is first.cases[0]
    assert again.library is first.library
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("Acme Home Goods LLC", "Acme Renamed LLC"))
    os.utime(case, ns=(time.time_ns(), time.time_ns() + 10**9))
    changed = cache.load()
    assert changed.cases[0] is not first.cases[0]
    assert (
        changed.cases[0].file is not None
        and changed.cases[0].file.case.seller.name == "Acme Renamed LLC"
    )
    assert changed.library is first.library
    snippet = mini / "snippets" / "letter" / "closing.md"
    snippet.write_text(snippet.read_text() + "\nMore.\n")
    os.utime(snippet, ns=(time.time_ns(), time.time_ns() + 2 * 10**9))
    assert cache.load().library is not first.library
