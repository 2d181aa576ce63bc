"""Compact search entries for case pages."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from poakit.project.load import load_project
from poakit.project.loader import Loader
from poakit.project.memo import Memo
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


def test_a_memo_keeps_each_entry_until_its_case_changes(site_project: Path) -> None:
    """A preview keeps each case's entry by the case's digest: after a save, the entries made
    with the memo are the entries made afresh, the edited case's with its new name."""
    loader, memo = Loader(site_project), Memo()

    def made() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        project = loader.load()
        kept = searchindex.entries(project.cases, project.library, memo)
        return kept, searchindex.entries(project.cases, project.library)

    first, fresh = made()
    assert first == fresh and len(memo) == len(first)
    path = site_project / "cases" / "acme-home-inauthentic.yaml"
    path.write_text(path.read_text().replace("Acme Home Goods LLC", "Acme Edited Goods LLC"))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    edited, fresh = made()
    assert edited == fresh and edited != first
    assert any("Acme Edited Goods LLC" in e["title"] for e in edited)
