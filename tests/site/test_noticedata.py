"""The guide's tables of stores and notice languages, made from the library's data."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

from poakit.model.library import Library
from poakit.model.notices import NoticeData, Store
from poakit.project.load import load_library
from poakit.site.noticedata import languages_table, stores_table


def test_every_store_is_a_row_with_its_names_for_the_metrics() -> None:
    rows = stores_table(load_library(REPO / "snippets")).splitlines()[2:]
    assert len(rows) == 21
    uk = next(row for row in rows if row.startswith("| amazon\\.co\\.uk |"))
    assert "Late Shipment Rate: Late Dispatch Rate, Late Despatch Rate" in uk
    assert "| sellercentral\\.amazon\\.co\\.uk |" in uk


def test_every_language_is_a_row_with_examples() -> None:
    rows = languages_table(load_library(REPO / "snippets")).splitlines()[2:]
    german = next(row for row in rows if row.startswith("| German"))
    assert "| 14\\. Juli 2026 | 6,2 % | in den letzten 365 Tagen |" in german
    assert len(rows) == 6


def test_a_library_without_the_data_says_so(tmp_path: Path) -> None:
    library = Library(tmp_path)
    assert stores_table(library) == "*The library lists no stores (snippets/stores.yaml).*"
    assert languages_table(library).startswith("*The library lists no notice languages")


def test_store_text_stays_text(tmp_path: Path) -> None:
    store = Store(country="<b>X</b> | y", languages=["en"], note="# not a heading [x](y)")
    library = Library(tmp_path, notices=NoticeData(stores={"amazon.xx": store}))
    row = stores_table(library).splitlines()[2]
    assert "&lt;b&gt;X&lt;/b&gt; \\| y" in row
    assert "\\# not a heading \\[x\\]\\(y\\)" in row
