"""The notice reader's data files: snippets/stores.yaml and snippets/notices/<language>.yaml,
checked like the rest of the library, every problem at its file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from poakit.project.load import load_library
from poakit.source.library import read_library

METRIC_REASON = """---
title: Late Shipment Rate above target
category: performance
summary: Orders confirmed as shipped after their expected ship date.
metric: {name: Late Shipment Rate, target: under 4%, window: 10 and 30 days}
---
Body.
"""

LANGUAGE = """language: xx
name: Test
detect: [aa, bb, cc]
decimal: ","
"""


def _write(root: Path, relative: str, text: str) -> None:
    path = root / "snippets" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _messages(root: Path) -> list[str]:
    return [str(f) for f in load_library(root / "snippets", "snippets").findings]


def test_the_shipped_stores_and_languages_load_clean() -> None:
    library = read_library(REPO / "snippets")
    assert library.findings == []
    stores = library.notices.stores
    assert len(stores) == 21
    assert stores["amazon.co.uk"].metrics["late-shipment-rate"][0] == "Late Dispatch Rate"
    assert set(library.notices.languages) == {"en", "de", "fr", "it", "es", "ja"}
    for code, language in library.notices.languages.items():
        assert language.language == code
        assert not language.months or len(language.months) == 12


def test_a_library_without_the_files_reads_notices_with_its_signals_only(mini: Path) -> None:
    library = load_library(mini / "snippets")
    assert library.findings == []
    assert (library.notices.stores, library.notices.languages) == ({}, {})


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [
        (
            "stores.yaml",
            "stores:\n  amazon.xx:\n    country: X\n    languages: [en]\n"
            "    metrics:\n      inauthentic: [Some Rate]\n",
            "snippets/stores.yaml:6:7: error: reason 'inauthentic' has no metric (name one of: "
            "late-shipment-rate) [notice-data]",
        ),
        (
            "stores.yaml",
            "stores:\n  amazon.xx:\n    country: X\n    languages: [en]\n"
            "    metrics:\n      late-shipping-rate: [Some Rate]\n",
            "snippets/stores.yaml:6:7: error: unknown metric 'late-shipping-rate' (did you mean "
            "'late-shipment-rate'?) [notice-data]",
        ),
        (
            "stores.yaml",
            "stores:\n  amazon.xx:\n    country: X\n    languages: [en]\n"
            "    hosts: [sellercentral.amazon.xx]\n"
            "  amazon.yy:\n    country: Y\n    languages: [en]\n"
            "    hosts: [sellercentral.amazon.xx]\n",
            "snippets/stores.yaml:9:13: error: host 'sellercentral.amazon.xx' is listed for "
            "amazon.xx and amazon.yy (a host shared by several stores names none: leave it out) "
            "[notice-data]",
        ),
        (
            "stores.yaml",
            "stores:\n  ebay.com:\n    country: X\n    languages: [en]\n",
            "snippets/stores.yaml:2:3: error: 'ebay.com' is not a store domain (e.g. "
            "amazon.co.uk) [notice-data]",
        ),
        (
            "stores.yaml",
            "stores:\n  amazon.xx:\n    country: X\n    languages: [english]\n",
            "snippets/stores.yaml:4:17: error: stores.amazon.xx.languages[0]: expected text "
            "matching ^[a-z]{2}$, found 'english' [notice-data]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + "signals:\n  inauthentc: [fake]\n",
            "snippets/notices/xx.yaml:6:3: error: unknown reason 'inauthentc' in 'signals' (did "
            "you mean 'inauthentic'?) [unknown-reason]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + "actions:\n  account-deleted: [gone]\n",
            "snippets/notices/xx.yaml:6:3: error: unknown action 'account-deleted' (did you mean "
            "'account-deactivated'?) [notice-data]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + "routes:\n  plan-of-actions: [send a plan]\n",
            "snippets/notices/xx.yaml:6:3: error: unknown route 'plan-of-actions' (did you mean "
            "'plan-of-action'?) [notice-data]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + 'windows: ["the last {days} days"]\n',
            "snippets/notices/xx.yaml:5:11: error: unknown placeholder {days} in 'the last {days} "
            "days' (use {n}) [notice-template]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + 'deadlines:\n  within: ["within {n} days"]\n',
            "snippets/notices/xx.yaml:6:12: error: 'within {n} days' needs {n} and {unit} "
            "[notice-template]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + 'dates: ["{d} {month} {y}"]\n',
            "snippets/notices/xx.yaml:5:9: error: '{d} {month} {y}' uses {month} but the file "
            "lists no months (add months:, or write the month as a number with {m}) "
            "[notice-template]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + "months: [[one], [two]]\n",
            "snippets/notices/xx.yaml:5:9: error: expected twelve months, January first, found 2 "
            "[notice-data]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + "routes:\n  none: [do not ...]\n",
            "snippets/notices/xx.yaml:6:10: error: '...' must stand between words, found 'do not "
            "...' (write it like 'removed ... listings') [notice-data]",
        ),
        (
            "notices/yy.yaml",
            LANGUAGE,
            "snippets/notices/yy.yaml:1:11: error: the language code is 'xx' but the file is "
            "yy.yaml (name the file xx.yaml, or set language: yy) [notice-data]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE.replace('decimal: ","', 'decimal: ";"'),
            "snippets/notices/xx.yaml:4:10: error: decimal: expected one of '.', ',', found ';' "
            "(expected one of: ',', '.') [notice-data]",
        ),
        (
            "notices/xx.yaml",
            LANGUAGE + "signals: [oops\n",
            "snippets/notices/xx.yaml:6:1: error: invalid YAML: did not find expected ',' or ']' "
            "while parsing a flow sequence started on line 5, column 10 (close the list with ]) "
            "[yaml-syntax]",
        ),
    ],
    ids=[
        "reason-without-metric",
        "unknown-metric",
        "shared-host",
        "not-a-domain",
        "language-code",
        "unknown-reason",
        "unknown-action",
        "unknown-route",
        "unknown-placeholder",
        "missing-placeholder",
        "month-without-months",
        "months-not-twelve",
        "gap-at-the-end",
        "file-name",
        "decimal",
        "yaml",
    ],
)
def test_a_bad_data_file_gives_an_exact_finding(
    mini: Path, relative: str, text: str, expected: str
) -> None:
    _write(mini, "reasons/late-shipment-rate.md", METRIC_REASON)
    _write(mini, relative, text)
    assert _messages(mini) == [expected]


def test_a_detection_word_two_languages_share_is_reported(mini: Path) -> None:
    _write(mini, "notices/xx.yaml", LANGUAGE)
    _write(mini, "notices/yy.yaml", LANGUAGE.replace("xx", "yy").replace("aa,", "dd,"))
    assert _messages(mini) == [
        "snippets/notices/yy.yaml:3:14: error: detection word 'bb' is also in xx.yaml (keep "
        "each detection word in one language file) [notice-data]",
        "snippets/notices/yy.yaml:3:18: error: detection word 'cc' is also in xx.yaml (keep "
        "each detection word in one language file) [notice-data]",
    ]
