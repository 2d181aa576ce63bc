"""The case page's header: who, where, what the notice did and asks for, and by when."""

from __future__ import annotations

from pathlib import Path

import pytest

from poakit.project.load import load_project
from poakit.site.casepages import case_page


def header(mini: Path, notice_lines: str) -> list[str]:
    case = mini / "cases" / "acme.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("  evidence_window_days: 365\n", notice_lines), encoding="utf-8")
    project = load_project(mini, base=mini)
    (result,) = project.cases
    page = case_page(result, project.library)
    return [line for line in page.splitlines() if line.startswith("| ")][:8]


@pytest.mark.parametrize(
    ("lines", "asks", "by"),
    [
        ("  evidence_window_days: 365\n", "plan of action", None),
        (
            "  route: documents\n  deadline: 2026-07-20\n",
            "documents only",
            "| Reply by | 20 July 2026 |",
        ),
        ("  route: none\n", "nothing to send", None),
        ("  route: retraction\n", "retraction", None),
    ],
)
def test_the_header_says_what_the_notice_asks_for_and_by_when(
    mini: Path, lines: str, asks: str, by: str | None
) -> None:
    rows = header(mini, lines)
    assert f"| Asks for | {asks} |" in rows
    assert rows.index(f"| Asks for | {asks} |") == 4  # after the notice's date and action
    assert (by in rows) if by else not any(row.startswith("| Reply by") for row in rows)
