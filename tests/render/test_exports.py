"""Exports of a letter: plain text for the Seller Central form, and DOCX to attach.

Every example case in cases/ is exported both ways and read back: the text has no Markdown
left and names every ASIN of the notice; the DOCX has the letter's headings, items and
documents, is byte-identical from one render to the next, and LibreOffice opens it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO, TESTS

from poakit.cli.main import main
from poakit.letter.letter import Letter
from poakit.project.load import check_case, load_library, load_project
from poakit.render import DEFAULT_WIDTH, render_letter
from poakit.render.docx import TABLE_HEADER, TITLE, ZIP_TIMESTAMP, evidence_cells
from poakit.render.runs import Run, text_blocks
from poakit.render.text import answers, count_words, letter_text, section_body, wrap
from poakit.templating.richtext import CLOSE, OPEN, RichText

EXAMPLES = sorted(p.stem for p in (REPO / "cases").glob("*.yaml"))
GOLDEN = TESTS / "golden" / "letters"
MINI_LIBRARY = TESTS / "fixtures" / "mini" / "snippets"
LIST_MARKER = re.compile(r"^\s*(?:-|\d+\.)\s")


@pytest.fixture(scope="module")
def letters() -> dict[str, Letter]:
    project = load_project(REPO, base=REPO)
    made = {c.slug: c.letter for c in project.cases if c.letter is not None}
    assert sorted(made) == EXAMPLES, [str(f) for c in project.cases for f in c.errors]
    return made


def _text(letter: Letter, **options: object) -> str:
    return render_letter(letter, "text", **options).decode("utf-8")  # type: ignore[arg-type]


def _docx(letter: Letter) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_letter(letter, "docx")))


def _golden_letter(name: str, tmp_path: Path, library: Path = MINI_LIBRARY) -> Letter:
    target = tmp_path / f"{name}.yaml"
    shutil.copy(GOLDEN / f"{name}.case.yaml", target)
    result = check_case(target, load_library(library), f"cases/{name}.yaml")
    assert result.letter is not None, [str(f) for f in result.findings]
    return result.letter


# -- text: every example case ------------------------------------------------------------------
@pytest.mark.parametrize("slug", EXAMPLES)
def test_text_export_has_no_markdown_and_every_id(slug: str, letters: dict[str, Letter]) -> None:
    letter = letters[slug]
    text = _text(letter)
    assert "**" not in text and "](" not in text and "\\" not in text and "`" not in text
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == []
    # every ASIN of the notice, and its order and complaint IDs, survive wrapping whole
    issues = letter.case.notice.issues
    ids = {x for issue in issues for x in (*issue.asins, *issue.orders, *issue.complaints)}
    assert ids and sorted(x for x in ids if x not in text) == []


@pytest.mark.parametrize("slug", EXAMPLES)
def test_text_export_wraps_without_changing_a_word(slug: str, letters: dict[str, Letter]) -> None:
    letter = letters[slug]
    wrapped, unwrapped = _text(letter), _text(letter, width=0)
    assert wrapped.split() == unwrapped.split()
    too_long = [line for line in wrapped.splitlines() if len(line) > DEFAULT_WIDTH]
    assert [line for line in too_long if " " in line.strip()] == []
    assert max(len(line) for line in unwrapped.splitlines()) > DEFAULT_WIDTH


# -- text: wrapping, sections, counts ----------------------------------------------------------
def test_wrap_hangs_continuation_lines_under_the_item_text() -> None:
    text = (
        "1. one two three four\n- alpha beta gamma delta\n  - nested item text here\n  tail words"
    )
    assert wrap(text, 14) == (
        "1. one two\n   three four\n- alpha beta\n  gamma delta\n  - nested\n    item text\n"
        "    here\n  tail words"
    )


def test_wrap_never_splits_an_id_or_a_long_word() -> None:
    assert wrap("orders 111-1234567-1234567 and B0C1234567", 12) == (
        "orders\n111-1234567-1234567\nand\nB0C1234567"
    )


def test_width_0_keeps_each_paragraph_on_one_line() -> None:
    line = "word " * 40
    assert wrap(line, 0) == line


def test_count_words_ignores_list_markers() -> None:
    assert count_words("1. We bought 140 units.\n   - of B0C1234567 -- now\n2. Done") == 8


def test_sections_print_each_answer_with_its_length(tmp_path: Path) -> None:
    letter = _golden_letter("acme", tmp_path)
    body = section_body(letter, letter.section("root_causes"), DEFAULT_WIDTH)
    assert body == (
        "1. Unverified supplier. We bought units of B0C1234567 from QuickWholesale Ltd, a\n"
        "   wholesaler we had not verified as an authorised distributor."
    )
    text = _text(letter, sections=True)
    assert text.startswith(f"=== Root causes ({len(body)} characters, 20 words) ===\n{body}\n\n")
    assert [a.title for a in answers(letter)] == [
        "Root causes",
        "Actions taken",
        "Preventive measures",
    ]
    for answer in answers(letter, DEFAULT_WIDTH):
        label = f"=== {answer.title} ({answer.characters} characters, {answer.words} words) ==="
        assert f"{label}\n{answer.text}\n" in text
    assert "Supporting documents" not in text and "Jane Doe" not in text


def test_text_keeps_case_values_as_typed(tmp_path: Path) -> None:
    text = _text(_golden_letter("hostile", tmp_path))
    assert "**Bold** Name\n[Owner](javascript:alert(1)), Evil {{ 7*7 }} Corp" in text


# -- DOCX: every example case ------------------------------------------------------------------
def _paragraph_texts(letter: Letter) -> list[str]:
    """What each DOCX paragraph must say: the unwrapped text export, line by line, without
    list markers; the supporting documents are in a table instead. The points of Amazon's
    request keep their numbers (typed, not a Word list, whose numbers would run on into the
    root causes)."""
    lines = [f"{TITLE}: {letter.case.seller.name}"]
    for section in letter.sections:
        if not section.everything:
            continue
        if section.title:
            lines.append(section.title)
        if section.key == "request":
            body = section_body(letter, section, width=0)
            lines += [line.strip() for line in body.splitlines()]
            continue
        if section.key != "evidence":
            body = section_body(letter, section, width=0)
        else:  # the lead paragraphs; the documents themselves are a table
            body = "\n".join(item.text.plain() for item in section.lead)
        lines += [LIST_MARKER.sub("", line).strip() for line in body.splitlines()]
    name, title, business = letter.signature
    return [line for line in lines if line] + [f"{name}\n{title}, {business}"]


@pytest.mark.parametrize("slug", EXAMPLES)
def test_docx_reads_back_with_the_letters_headings_and_items(
    slug: str, letters: dict[str, Letter]
) -> None:
    letter = letters[slug]
    document = _docx(letter)
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs] == _paragraph_texts(letter)
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
        s.title for s in letter.sections if s.title and s.everything
    ]
    styles = [p.style.name for p in paragraphs]
    assert styles[0] == "Title"
    assert styles.count("List Number") == len(letter.section("root_causes").items)
    measures = [*letter.section("corrective_actions").items]
    measures += letter.section("preventive_measures").items
    assert styles.count("List Bullet") >= len(measures)


@pytest.mark.parametrize("slug", EXAMPLES)
def test_docx_lists_the_supporting_documents_in_a_table(
    slug: str, letters: dict[str, Letter]
) -> None:
    letter = letters[slug]
    (table,) = _docx(letter).tables
    rows = [tuple(cell.text for cell in row.cells) for row in table.rows]
    items = letter.section("evidence").items
    assert rows == [TABLE_HEADER, *(evidence_cells(item) for item in items)]
    text = _text(letter, width=0)
    for title, date, covers, file in rows[1:]:
        (line,) = [line for line in text.splitlines() if line.startswith(f"- {title}")]
        assert all(part in line for part in (date, covers, file))


def test_docx_is_byte_identical_from_one_render_to_the_next(letters: dict[str, Letter]) -> None:
    letter = letters["acme-home-inauthentic"]
    first, second = render_letter(letter, "docx"), render_letter(letter, "docx")
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {ZIP_TIMESTAMP}
    props = docx.Document(io.BytesIO(first)).core_properties
    assert props.created is not None and props.created.date() == letter.case.notice.received
    assert props.modified == props.created
    assert (props.author, props.title) == ("Jane Doe", f"{TITLE}: Acme Home Goods LLC")


def test_docx_keeps_case_values_as_plain_runs(tmp_path: Path) -> None:
    letter = _golden_letter("hostile", tmp_path)
    document = _docx(letter)
    title, *_, signature = document.paragraphs
    assert title.text == f"{TITLE}: Evil {{{{ 7*7 }}}} Corp <script>alert(1)</script>"
    assert signature.text == (
        "**Bold** Name\n[Owner](javascript:alert(1)), Evil {{ 7*7 }} Corp <script>alert(1)</script>"
    )
    assert not any(run.bold or run.italic for run in signature.runs)


def test_snippet_emphasis_becomes_run_formatting(tmp_path: Path) -> None:
    library = tmp_path / "snippets"
    shutil.copytree(MINI_LIBRARY, library)
    vetting = library / "measures" / "supplier-vetting.md"
    vetting.write_text(
        vetting.read_text().replace("approves every new", "approves **every** new *{{ owner }}*")
    )
    letter = _golden_letter("acme", tmp_path, library)
    (paragraph,) = [p for p in _docx(letter).paragraphs if "approves" in p.text]
    styled = [(r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs if r.bold or r.italic]
    assert styled == [("every", True, False), ("Head of purchasing", False, True)]
    assert "approves every new Head of purchasing supplier" in _text(letter, width=0)


def test_text_blocks_read_the_skeleton_as_plain_does() -> None:
    text = RichText(
        f"Intro **bold** and [a link](x) `code` {OPEN}0{CLOSE}:\n\n- first\n  item\n    - nested",
        ("**as typed**",),
    )
    blocks = text_blocks(text)
    assert [(b.kind, b.depth, b.text) for b in blocks] == [
        (None, 0, "Intro bold and a link code **as typed**:"),
        ("bullet", 0, "first item"),
        ("bullet", 1, "nested"),
    ]
    assert Run("bold", bold=True) in blocks[0].runs
    assert Run("**as typed**") in blocks[0].runs
    assert text.plain() == "Intro bold and a link code **as typed**:\n\n- first item\n    - nested"


def test_libreoffice_converts_every_example_docx_to_pdf(
    letters: dict[str, Letter], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice not found: .ci/run must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    sources = []
    for slug, letter in letters.items():
        sources.append(tmp_path / f"{slug}.docx")
        sources[-1].write_bytes(render_letter(letter, "docx"))
    out = tmp_path / "pdf"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for source in sources:
        pdf = out / f"{source.stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, (source.name, result.stdout)
        assert pdf.read_bytes().startswith(b"%PDF")


# -- the command -------------------------------------------------------------------------------
def _poa(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_render_text_defaults_to_80_columns_and_width_0_unwraps(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    code, wrapped, _ = _poa(capsys, "render", "acme", "--format", "text")
    assert code == 0
    assert max(map(len, wrapped.splitlines())) <= 80
    code, unwrapped, _ = _poa(capsys, "render", "acme", "--format", "text", "--width", "0")
    assert code == 0 and wrapped != unwrapped and wrapped.split() == unwrapped.split()
    mini_case = check_case(mini / "cases" / "acme.yaml", load_library(mini / "snippets"), "acme")
    assert mini_case.letter is not None
    assert unwrapped == letter_text(mini_case.letter, 0)


def test_render_sections_and_docx_to_a_file(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    code, out, _ = _poa(capsys, "render", "acme", "--format", "text", "--sections")
    assert code == 0 and out.startswith("=== Root causes (") and "=== Actions taken (" in out
    code, _, err = _poa(capsys, "render", "acme", "--format", "docx", "-o", "acme.docx")
    assert (code, err) == (0, "wrote acme.docx\n")
    assert (
        docx.Document(str(mini / "acme.docx")).paragraphs[0].text == f"{TITLE}: Acme Home Goods LLC"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "docx"), "poa: error: DOCX is a binary format: give --output FILE.docx\n"),
        (
            ("--format", "docx", "--sections", "-o", "x.docx"),
            "poa: error: --sections needs --format text (not docx)\n",
        ),
        (
            ("--width", "40"),
            "poa: error: --width shapes text only: add --format text (not markdown)\n",
        ),
    ],
)
def test_render_option_mistakes_exit_2(
    args: tuple[str, ...],
    message: str,
    mini: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(mini)
    assert _poa(capsys, "render", "acme", *args) == (2, "", message)
    assert not (mini / "x.docx").exists()


def test_render_rejects_a_negative_width(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    with pytest.raises(SystemExit) as exit_info:
        main(["render", "acme", "--format", "text", "--width", "-1"])
    assert exit_info.value.code == 2
    assert "argument --width: expected a whole number, 0 or more: '-1'" in capsys.readouterr().err


def test_docx_bytes_do_not_depend_on_the_process_or_time_zone(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "acme.docx"
    command = [sys.executable, "-m", "poakit", "render", "acme", "--format", "docx", "-o", str(out)]
    env = {**os.environ, "TZ": "Asia/Tokyo"}
    subprocess.run(command, cwd=mini, env=env, check=True, capture_output=True, timeout=120)
    here = check_case(mini / "cases" / "acme.yaml", load_library(mini / "snippets"), "acme")
    assert here.letter is not None
    assert out.read_bytes() == render_letter(here.letter, "docx")


# -- DOCX: every construct at once -------------------------------------------------------------
NESTED_SNIPPET = """---
title: Supplier checks
reasons: [inauthentic]
kind: preventive
variables:
  who:
    description: Who checks each supplier.
    example: Marco
---
Since {{ since|date }}, **{{ who }}** checks *every* supplier:

- the **registration**
    - two references
        1. by phone
- a [link](https://x.example) and `code`
"""


def test_docx_with_every_construct_reads_back_with_its_styles_and_text(tmp_path: Path) -> None:
    """Nested lists, emphasis, the table and values XML cannot hold, in one document."""
    library = tmp_path / "snippets"
    shutil.copytree(MINI_LIBRARY, library)
    (library / "measures" / "supplier-checks.md").write_text(NESTED_SNIPPET, encoding="utf-8")
    case = yaml.safe_load((MINI_LIBRARY.parent / "cases" / "acme.yaml").read_text())
    case["seller"]["name"] = "Acme <&> \x01 \ufffe"
    case["seller"]["signatory"]["name"] = "Jane\tDoe"
    case["root_causes"].append(
        {
            "id": "b",
            "issues": ["counterfeit-claims"],
            "title": "Root <cause> & co",
            "text": "a\tb\nc",
        }
    )
    case["preventive_measures"].append(
        {"root_causes": ["unvetted-supplier", "b"], "snippet": "supplier-checks"}
        | {"since": "2026-10-05", "vars": {"who": "<b>Q&A</b>\x07"}}
    )
    case["evidence"][0]["complaints"] = ["123\x1b"]
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(case, allow_unicode=False), encoding="utf-8")
    result = check_case(tmp_path / "x.yaml", load_library(library), "cases/x.yaml")
    assert result.letter is not None, [str(f) for f in result.findings]
    data = render_letter(result.letter, "docx")
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]

    assert paragraphs[0] == ("Title", f"{TITLE}: Acme <&> \u2401 \ufffd")
    assert document.core_properties.title == f"{TITLE}: Acme <&> \u2401 \ufffd"
    assert document.core_properties.author == "Jane\tDoe"
    label = "Root <cause> & co. "
    assert ("List Number", f"{label}a\tb\nc") in paragraphs
    start = paragraphs.index(
        ("List Bullet", "Since 5 October 2026, <b>Q&A</b>\u2407 checks every supplier:")
    )
    assert paragraphs[start + 1 : start + 5] == [
        ("List Bullet 2", "the registration"),
        ("List Bullet 3", "two references"),
        ("List Number 3", "by phone"),
        ("List Bullet 2", "a link and code (root causes 1, 2)"),
    ]
    styled = document.paragraphs[start : start + 5]
    runs = [(r.text, r.bold, r.italic) for p in styled for r in p.runs if r.bold or r.italic]
    assert runs == [
        ("<b>Q&A</b>\u2407", True, None),
        ("every", None, True),
        ("registration", True, None),
        (" (root causes 1, 2)", None, True),
    ]
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert [cell.text for cell in table.rows[0].cells] == list(TABLE_HEADER)
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert table.rows[1].cells[2].text == "B0C1234567, 111-1234567-1234567, complaint 123\u241b"
    assert paragraphs[-1] == ("Normal", "Jane\tDoe\nOwner, Acme <&> \u2401 \ufffd")
