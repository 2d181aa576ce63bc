"""The case page's header: who, where, what the notice did and asks for, and by when."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from htmlread import read, site_markdown

from poakit.errors import Finding, Level, Position
from poakit.project.load import load_project
from poakit.site.casepages import _count, _review_panel, case_page
from poakit.site.markup import open_islands
from poakit.templating.escape import markdown_text


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


# -- the review panel ------------------------------------------------------------------------

HOSTILE = [
    "plain words",
    '<script>alert("x")</script> & -->',
    "**bold** _under_ `code` [link](x.md) ![img](y.png) \\*",
    "# heading\n- list\n1. one\n> quote\n    indented",
    '!!! note "x"\n{ .class } | pipe | &amp; &#60;',
    "  edges  \u2028 and breaks\r\n",
]


def _panel_markdown(findings: list[Finding], silence: list[SimpleNamespace], display: str) -> str:
    """The admonition the panel stands for (as the page wrote it before it was HTML), every
    value as Markdown text. A fix is stripped first: Markdown reads `*fix *` as asterisks,
    not italics (the panel in Markdown showed them; the HTML shows italics)."""
    errors = sum(1 for f in findings if f.level is Level.ERROR)
    kind = "failure" if errors else "warning" if findings else "success"
    title = f"Review: {_count(errors, 'error')}, {_count(len(findings) - errors, 'warning')}"
    lines = [f'!!! {kind} "{title}"']
    if not findings:
        lines.append("    Every check passed.")
    for f in findings:
        where = f.position
        place = f"line {where.line}" if where.path == display else f"{where.path} line {where.line}"
        fix = f" *{markdown_text(f.fix.strip())}*" if f.fix else ""
        lines.append(
            f"    - **{f.level}** ({markdown_text(place)}, `{f.rule}`): "
            f"{markdown_text(f.message)}.{fix}"
        )
    if silence:
        lines.append("\n    Silenced for this case:\n")
        lines += [f"    - `{s.rule}`: {markdown_text(s.reason)}" for s in silence]
    return "\n".join(lines)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize("silenced", [0, 2])
def test_the_review_panel_reads_as_the_admonition_markdown_makes(
    value: str, count: int, silenced: int
) -> None:
    display = "cases/acme.yaml"
    findings = [
        Finding(
            Position(display if n % 2 else f"snippets/{value}.md", n + 1),
            Level.ERROR if n == 2 else Level.WARNING,
            f"message {n}: {value}",
            f"rule-{n}",
            f"fix {value}" if n != 1 else None,
        )
        for n in range(count)
    ]
    silence = [SimpleNamespace(rule=f"rule-{n}", reason=f"reason {value}") for n in range(silenced)]
    (island,) = _review_panel(findings, SimpleNamespace(silence=silence), display)
    md = site_markdown()
    expected = read(md.convert(_panel_markdown(findings, silence, display)))
    html = open_islands(island)
    assert read(html) == expected
    assert "<script" not in html and "<img" not in html and "<a " not in html
