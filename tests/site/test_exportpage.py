"""The exports as a case page carries them: copy texts, buttons, download files (no build)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import REPO
from htmlread import read, site_markdown

from poakit.project.load import load_project
from poakit.render import DEFAULT_WIDTH, render_letter
from poakit.render.markdown import letter_markdown
from poakit.render.text import answers
from poakit.site import exportpage, pages
from poakit.site.casepages import case_page
from poakit.site.markup import UNINDEXED, open_islands
from poakit.site.pages import site_pages

PAYLOAD = re.compile(r'<script type="application/json" id="poa-copy-text">(.*?)</script>')
BUTTONS = re.compile(r'<p class="poa-actions" data-search-exclude><button [^\n]*</button></p>')


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_project(REPO, base=REPO)


def test_copy_texts_are_the_text_export(project) -> None:  # type: ignore[no-untyped-def]
    for case in project.cases:
        texts = exportpage.copy_texts(case.letter)
        assert texts["letter"] == render_letter(case.letter, "text").decode("utf-8")
        reply = [key for key in ("request", "changes") if case.letter.section(key).items]
        for answer, key in zip(
            answers(case.letter, DEFAULT_WIDTH),
            (*reply, "root_causes", "corrective_actions", "preventive_measures"),
            strict=True,
        ):
            assert texts[key] == answer.text
        assert set(texts) == {"letter", *reply, "root_causes", "corrective_actions"} | {
            "preventive_measures",
            "evidence",
        }


def test_case_page_carries_the_copy_texts_once_as_json(project) -> None:  # type: ignore[no-untyped-def]
    case = project.case("acme-home-inauthentic")
    page = case_page(case, project.library)
    (payload,) = PAYLOAD.findall(page)
    assert json.loads(payload) == exportpage.copy_texts(case.letter)
    assert page.count('data-poa-copy="') == 5
    start = page.index('<p class="poa-actions"')
    bar = page[start : page.index("</p>", start) + 4]
    links = {
        "<poakit-link:cases/acme-home-inauthentic/acme-home-inauthentic.txt>": "Download text (.txt)",
        "<poakit-link:cases/acme-home-inauthentic/acme-home-inauthentic.docx>": "Download Word (.docx)",
    }
    assert re.findall(r'download href="([^"]*)">([^<]*)</a>', bar) == list(links.items())
    # as Markdown made the bar of the links, relative to the page's source, and the button
    markdown = (
        re.sub(r"</?p[^>]*>", "", bar[: bar.index("\n")])
        + "\n"
        + " ".join(
            f"[{label}]({target[len('<poakit-link:cases/') : -1]}){{ .md-button download }}"
            for target, label in links.items()
        )
        + "\n{ .poa-actions data-search-exclude }"
    )
    shown = re.sub(r'href="<poakit-link:cases/([^"]*)>"', r'href="\1"', bar)
    assert read(shown) == read(site_markdown().convert(markdown))


def test_the_letter_on_the_page_reads_as_the_letter_plus_buttons(project) -> None:  # type: ignore[no-untyped-def]
    """...and the marks that keep its sections out of a search index (see markup.UNINDEXED);
    the sections render.html writes as islands read as Markdown would make them."""
    md = site_markdown()
    for case in project.cases:
        with_buttons = exportpage.letter_markdown_with_buttons(case.letter, level=3)
        assert with_buttons.count(UNINDEXED) == sum(
            1 for s in case.letter.sections if s.title and s.items
        )
        assert "poakit-html" in with_buttons  # the shortcut was taken
        page = BUTTONS.sub("", open_islands(md.reset().convert(with_buttons)))
        plain = md.reset().convert(letter_markdown(case.letter, level=3))
        assert read(page.replace(" data-search-exclude", "")) == read(plain), case.slug


def test_a_copy_button_is_the_html_markdown_makes_of_it() -> None:
    island = exportpage._copy_button("evidence", "Copy section", 'Supporting "documents" & <x>')
    button = exportpage._button("evidence", "Copy section", 'Supporting "documents" & <x>')
    made = site_markdown().convert(f"{button}\n{{ .poa-actions data-search-exclude }}")
    assert open_islands(island) == made


def test_case_values_cannot_end_the_payload_script(mini: Path) -> None:
    case = mini / "cases" / "acme.yaml"
    hostile = "Evil </script><script>alert(1)</script> & <!-- Co"
    case.write_text(case.read_text().replace("name: Acme Home Goods LLC", f'name: "{hostile}"'))
    project = load_project(mini, base=mini)
    result = project.cases[0]
    assert result.letter is not None
    (payload,) = PAYLOAD.findall(case_page(result, project.library))
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert hostile in json.loads(payload)["letter"]


def test_downloads_are_made_for_the_cases_the_site_includes(mini: Path) -> None:
    source = (mini / "cases" / "acme.yaml").read_text()
    private = source.replace("visibility: public", "visibility: private")
    (mini / "cases" / "secret.yaml").write_text(private)
    project = load_project(mini, base=mini)
    built = {p.path: p.content for p in site_pages(project)}
    assert {p for p in built if not p.endswith(".md")} == {
        "cases/acme/acme.txt",
        "cases/acme/acme.docx",
    }
    acme = project.case("acme")
    assert built["cases/acme/acme.txt"] == render_letter(acme.letter, "text")
    assert built["cases/acme/acme.docx"] == render_letter(acme.letter, "docx")
    previewed = {p.path for p in site_pages(project, include_private=True)}
    assert {"cases/secret/secret.txt", "cases/secret/secret.docx"} <= previewed


def _downloads(mini: Path) -> tuple[dict[str, bytes], object]:
    project = load_project(mini, base=mini)
    pages = site_pages(project, include_private=True)
    made = {p.path: p.content for p in pages if p.path.startswith("cases/acme/")}
    return made, project.case("acme").letter  # type: ignore[union-attr, return-value]


def test_download_files_follow_a_changed_snippet(mini: Path) -> None:
    first, _ = _downloads(mini)
    vetting = mini / "snippets" / "measures" / "supplier-vetting.md"
    vetting.write_text(vetting.read_text().replace("approves every", "approves **each**"))
    second, letter = _downloads(mini)
    after = SimpleNamespace(letter=letter)
    assert second["cases/acme/acme.txt"] != first["cases/acme/acme.txt"]
    assert second["cases/acme/acme.docx"] == render_letter(after.letter, "docx")
    assert second["cases/acme/acme.docx"] != first["cases/acme/acme.docx"]


def test_the_files_of_a_case_make_its_letter_text_once_and_the_page_as_without() -> None:
    """`prepare_case` hands the text download to the page's copy texts: the page is the one
    `case_page` makes alone, and the text is made once, not twice."""
    project = load_project(REPO)
    calls: list[str] = []
    real = render_letter

    def counting(letter: object, fmt: str, **kwargs: object) -> bytes:
        calls.append(fmt)
        return real(letter, fmt, **kwargs)  # type: ignore[arg-type]

    for case in project.cases:
        if case.letter is None:
            continue
        alone = case_page(case, project.library)
        calls.clear()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pages, "render_letter", counting)
            patch.setattr(exportpage, "render_letter", counting)
            files = pages.prepare_case(case, project.library)
        assert files["page.md"].decode("utf-8") == alone, case.slug
        assert sorted(calls) == ["docx", "text"], case.slug
        assert files["txt"] == real(case.letter, "text")
