"""The generated catalogue: a page per reason, root cause and measure, each reachable from its
index, linked to each other, showing snippets rendered with the sample case."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import REPO

from poakit.project.load import load_project
from poakit.project.loader import Loader
from poakit.site import catalogue
from poakit.site.pages import Page, site_pages

LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)")
HREF = re.compile(r'<a href="<poakit-link:([^"#]+\.md)>"')


def _pages(root: Path, *, include_private: bool = False) -> dict[str, str]:
    project = load_project(root, base=root)
    pages: list[Page] = site_pages(project, include_private=include_private)
    return {p.path: p.content for p in pages if isinstance(p.content, str)}


@pytest.fixture(scope="module")
def shipped() -> dict[str, str]:
    return _pages(REPO)


def _links(path: str, content: str) -> set[str]:
    """The pages `content` links to: by Markdown links, and by the raw HTML lists' links,
    marked with the page's path under docs/ (`markup.site_link`)."""
    folder = posixpath.dirname(path)
    found = {posixpath.normpath(posixpath.join(folder, target)) for target in LINK.findall(content)}
    return found | {unquote(target) for target in HREF.findall(content)}


@pytest.mark.parametrize(
    ("folder", "kind"),
    [("reasons", "reasons"), ("root-causes", "root-causes"), ("measures", "measures")],
)
def test_every_snippet_has_a_page_linked_from_its_index(
    shipped: dict[str, str], folder: str, kind: str
) -> None:
    expected = {f"{folder}/{p.stem}.md" for p in (REPO / "snippets" / kind).glob("*.md")}
    assert expected <= set(shipped)
    assert expected - _links(f"{folder}/index.md", shipped[f"{folder}/index.md"]) == set()


def test_links_between_generated_pages_resolve(shipped: dict[str, str]) -> None:
    catalogue = [p for p in shipped if p.split("/")[0] in ("reasons", "root-causes", "measures")]
    broken = [
        f"{path} -> {target}"
        for path in catalogue
        for target in _links(path, shipped[path])
        if target not in shipped
    ]
    assert broken == []


def test_reason_page_links_its_root_causes_and_measures(shipped: dict[str, str]) -> None:
    links = _links("reasons/inauthentic.md", shipped["reasons/inauthentic.md"])
    assert "root-causes/unverified-supplier.md" in links
    assert "measures/supplier-vetting.md" in links
    assert "cases/acme-home-inauthentic.md" in links


def test_reason_page_shows_metric_and_signals(shipped: dict[str, str]) -> None:
    page = shipped["reasons/late-shipment-rate.md"]
    assert "| Target | under 4% |" in page
    assert "| Window | 10 and 30 days |" in page
    assert "“late shipment rate”" in page
    assert "## Investigation checklist" in page and "## Evidence to gather" in page


def test_document_only_reason_says_so(shipped: dict[str, str]) -> None:
    page = shipped["reasons/identity-verification.md"]
    assert '!!! note "Documents, not a Plan of Action"' in page
    assert "| Answer with | documents |" in page


def test_measure_page_renders_its_example_and_explains_its_variables(
    shipped: dict[str, str],
) -> None:
    page = shipped["measures/supplier-vetting.md"]
    assert '!!! example "As a preventive measure"' in page
    assert "    Since 5 October 2026, we buy only from brand owners" in page
    assert "Maya Chen \\(operations manager\\) checks each new supplier" in page
    assert "| `result` | the entry's `vars:` | no |" in page
    assert "| `owner` | the case |  | The `owner:` of the preventive measure" in page
    assert "| Systemic change | yes: a lasting change of process |" in page


def test_measure_of_both_kinds_shows_both_renderings(shipped: dict[str, str]) -> None:
    page = shipped["measures/repricer-floor-and-ceiling.md"]
    assert '!!! example "As a corrective action"\n    On 4 October 2026 we set' in page
    assert (
        '!!! example "As a preventive measure"\n    Since 5 October 2026, none of our 312' in page
    )


def test_root_cause_page_renders_its_example(shipped: dict[str, str]) -> None:
    page = shipped["root-causes/unverified-supplier.md"]
    assert "    We bought 420 units of B0C1234567 between January and September 2026" in page
    assert "[Inauthentic (counterfeit) item complaints](../reasons/inauthentic.md)" in page


def test_indexes_are_tables_grouped_for_scanning(shipped: dict[str, str]) -> None:
    reasons = shipped["reasons/index.md"]
    assert "## Performance" in reasons and "## Intellectual property" in reasons
    assert "| Reason | What it is | Target | Answer with |" in reasons
    assert "| Reason | What it is | Answer with |" in reasons  # no targets outside metrics
    measures = shipped["measures/index.md"]
    assert "## Corrective actions" in measures and "## Preventive measures" in measures
    assert "| Root cause | Reasons | What it says |" in shipped["root-causes/index.md"]


def test_private_cases_are_not_cited_by_the_catalogue(mini: Path) -> None:
    source = (mini / "cases" / "acme.yaml").read_text(encoding="utf-8")
    private = source.replace("visibility: public", "visibility: private")
    (mini / "cases" / "draft.yaml").write_text(private.replace("Acme", "Zyxwv"), encoding="utf-8")
    published = _pages(mini)
    for page in ("reasons/inauthentic.md", "root-causes/unverified-supplier.md"):
        assert "cases/acme.md" in _links(page, published[page])
        assert "Zyxwv" not in published[page]
    shown = _pages(mini, include_private=True)["reasons/inauthentic.md"]
    assert "cases/draft.md" in _links("reasons/inauthentic.md", shown)


def test_snippet_that_cannot_render_shows_the_problem(mini: Path) -> None:
    path = mini / "snippets" / "measures" / "supplier-vetting.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip() + " {{ undeclared_name }}\n", encoding="utf-8")
    page = _pages(mini)["measures/supplier-vetting.md"]
    assert '!!! failure "As a preventive measure: does not render"' in page
    assert "undeclared\\_name" in page


def test_reason_page_states_its_requirements_with_their_sources(shipped: dict[str, str]) -> None:
    page = shipped["reasons/inauthentic.md"]
    section = page[page.index("## What the letter must state") : page.index("## Investigation")]
    assert "| The letter states | Backed by | In the case |" in section
    assert "with its address, phone number, website and e-mail" in section
    assert "`units`" in section
    assert "- **invoices**: Amazon's invoice requirements" in section
    metric = shipped["reasons/order-defect-rate.md"]
    assert "the rate since the fix" in metric.lower() and "*(a warning)*" in metric
    assert "Seller Central help 200285170" in metric


@pytest.mark.parametrize(
    "reason", sorted(p.stem for p in (REPO / "snippets" / "reasons").glob("*.md"))
)
def test_every_reason_page_cites_a_source_for_each_requirement(
    shipped: dict[str, str], reason: str
) -> None:
    page = shipped[f"reasons/{reason}.md"]
    section = page[page.index("## What the letter must state") :].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    sources = [line for line in section.splitlines() if line.startswith("- **")]
    assert len(sources) == len(rows) - 1  # one source per requirement (the first row is the header)


def test_a_build_reads_the_snippets_details_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Examples, variables and template depend on the library alone: the first build keeps
    them in the cache, the next (a fresh process: a fresh memo) reads them back; an entry that
    is not what was kept is made again."""
    folder = tmp_path / "cache"
    first = {p.path: p.content for p in site_pages(Loader(REPO).load(cache_folder=folder))}
    made: list[str] = []
    real = catalogue._details
    monkeypatch.setattr(catalogue, "_details", lambda s, lib: made.append(s.id) or real(s, lib))
    again = {p.path: p.content for p in site_pages(Loader(REPO).load(cache_folder=folder))}
    assert again == first and made == []
    project = Loader(REPO).load(cache_folder=folder)
    assert project.cache is not None
    snippet = next(iter(project.library.measures.values()))
    key = ("details", project.library_key, snippet.template_name)
    project.cache.put(catalogue.digest(*key), b'{"not": "a list of blocks"}')
    assert {p.path: p.content for p in site_pages(project)} == first
    assert made == [snippet.id]
