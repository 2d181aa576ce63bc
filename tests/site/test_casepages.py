"""The case page's header: who, where, what the notice did and asks for, and by when."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from htmlread import read, site_markdown

from poakit import __version__
from poakit.errors import Finding, Level, Position
from poakit.model.case import Case
from poakit.model.library import Library
from poakit.model.values import format_date
from poakit.model.values import plural as _count
from poakit.project.load import load_library, load_project
from poakit.site import dashboard
from poakit.site.casepages import _case_header, _review_panel, case_page
from poakit.site.markup import open_islands, resolve_links
from poakit.site.urls import file_link
from poakit.templating.escape import markdown_text


def header(mini: Path, notice_lines: str) -> list[str]:
    """The header's rows as `| label | value |`, their text as a reader sees it."""
    case = mini / "cases" / "acme.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("  evidence_window_days: 365\n", notice_lines), encoding="utf-8")
    project = load_project(mini, base=mini)
    (result,) = project.cases
    page = open_islands(case_page(result, project.library))
    table = page[page.index("<table>") : page.index("</table>")]
    rows = re.findall(r"<tr>\n<td>(.*?)</td>\n<td>(.*?)</td>\n</tr>", table)
    return [f"| {label} | {re.sub('<[^>]+>', '', value)} |" for label, value in rows]


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
    assert rows.index(f"| Asks for | {asks} |") == 3  # after the notice's date and action
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


# -- the header as an island -----------------------------------------------------------------


def _header_markdown(case: Case, library: Library) -> str:
    """The Markdown table the header stands for (as the page wrote it before it was HTML)."""
    seller, notice = case.seller, case.notice
    store = f" ({markdown_text(seller.store)})" if seller.store else ""
    reasons = ", ".join(
        dict.fromkeys(
            f"[{markdown_text(library.reason_title(i.reason))}](../reasons/{i.reason}.md)"
            for i in notice.issues
        )
    )
    label = dashboard.status_of(case.follow_up).label
    rows = [
        ("Seller", markdown_text(seller.name) + store),
        ("Marketplace", markdown_text(seller.marketplace)),
        ("Notice", f"{format_date(notice.received)}, {notice.action.replace('-', ' ')}"),
        ("Asks for", "plan of action"),
        ("Reasons", reasons),
        ("Status", f"[{label}](#follow-up)" if case.follow_up else label),
        ("Built with", f"snippet library {__version__}"),
    ]
    lines = ["|  |  |", "|---|---|"]
    lines += ["| " + " | ".join(" ".join(c.split()) for c in row) + " |" for row in rows]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def mini_library() -> Library:
    return load_library(Path(__file__).parent.parent / "fixtures" / "mini" / "snippets")


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("follow_up", [False, True])
def test_the_header_reads_as_the_table_markdown_makes(
    mini_library: Library, value: str, follow_up: bool
) -> None:
    path = Path(__file__).parent.parent / "fixtures" / "mini" / "cases" / "acme.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["seller"].update(name=f"Seller {value}", store=value, marketplace=f"{value}.example")
    data["follow_up"] = [{"date": "2026-10-05", "event": "submitted"}] if follow_up else []
    case = Case.model_validate(data)
    island = _case_header(case, mini_library)
    html = open_islands(island)
    # Markdown keeps a link's docs-relative path (MkDocs rewrites it); here the island's link
    # is resolved as from the page's folder, to compare the two
    shown = re.sub(r'href="<poakit-link:([^"]*)>"', r'href="../\1"', html)
    assert read(shown) == read(site_markdown().convert(_header_markdown(case, mini_library)))
    for tag in ("<script", "<img", "<b>", "<strong"):
        assert tag not in html
    links = re.findall(r'href="([^"]*)"', html)
    assert links == ["<poakit-link:reasons/inauthentic.md>", *(["#follow-up"] if follow_up else [])]
    # the site's URL of the reason page, from the case page, with and without directory URLs
    for directory_urls, url in (
        (True, "../../reasons/inauthentic/"),
        (False, "../reasons/inauthentic.html"),
    ):
        link = partial(file_link, "cases/acme.md", directory_urls=directory_urls)
        assert f'href="{url}"' in resolve_links(html, link)
