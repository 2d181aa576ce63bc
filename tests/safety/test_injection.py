"""Case values are data in every export, and snippets cannot leave the sandbox.

A hostile case (Jinja, Markdown, HTML, `<script>`, `javascript:` links, control characters,
100,000 characters) is rendered to Markdown, text and DOCX: each value comes out exactly as
typed (control characters as their visible Unicode pictures), never as markup. The built
page is tested in test_safety_site.py. Known Jinja sandbox escapes each end as a finding,
never as output and never as a traceback.
"""

from __future__ import annotations

import html.parser
import io
import re
import zipfile
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURES

from poakit.cli.main import main
from poakit.errors import Position, error
from poakit.letter.letter import Letter
from poakit.model.library import Kind, Snippet
from poakit.project.load import check_case, load_library
from poakit.render import render_letter
from poakit.templating.escape import visible
from poakit.templating.render import RenderError, render

HOSTILE = {
    "jinja": "{{ 7*7 }} {% if true %}yes{% endif %} {# c #} {{ macros_info() }}",
    "markdown": "**bold** _em_ `code` [link](https://evil.example) ![img](x.png) # heading | a |",
    "html": "<b>bold</b> <img src=x onerror=alert(1)> <iframe src=//evil.example></iframe> &amp;",
    "script": "<script>alert(1)</script>",
    "javascript": '[click](javascript:alert(1)) <a href="javascript:alert(1)">x</a>',
    "control": "bell\x07 escape\x1b[31m nul\x00 del\x7f tab\there",
    "long": "L" * 100_000,
}
# The site's Markdown extensions (mkdocs.yml), so the export is read as the site reads it.
EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc", "pymdownx.superfences"]


def hostile_case() -> str:
    """The fixture case with a hostile value in every field the letter prints."""
    case = yaml.safe_load((FIXTURES / "mini" / "cases" / "acme.yaml").read_text())
    h = HOSTILE
    case["seller"].update(name=h["jinja"], store=h["markdown"])
    case["seller"]["signatory"] = {"name": h["html"], "title": h["script"]}
    case["root_causes"][0]["vars"]["supplier"] = f"{h['script']} {h['javascript']}"
    case["root_causes"].append(
        {"id": "b", "issues": ["counterfeit-claims"], "text": f"{h['control']} {h['long']}"}
    )
    case["corrective_actions"][0]["root_causes"].append("b")
    case["preventive_measures"][0]["root_causes"].append("b")
    case["preventive_measures"][0]["owner"] = h["html"]
    case["evidence"][0]["title"] = f"{h['jinja']} {h['markdown']}"
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=120)


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> Letter:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.yaml").write_text(hostile_case(), encoding="utf-8")
    result = check_case(folder / "hostile.yaml", load_library(FIXTURES / "mini" / "snippets"), "x")
    assert result.letter is not None, [str(f) for f in result.findings]
    return result.letter


def _words(text: str) -> str:
    return " ".join(text.split())


class _Html(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_markdown_export_renders_to_exactly_the_typed_text(letter: Letter) -> None:
    source = render_letter(letter, "markdown").decode("utf-8")
    page = _Html()
    page.feed(markdown.markdown(source, extensions=EXTENSIONS))
    text = _words("".join(page.text))
    for value in HOSTILE.values():
        assert _words(visible(value)) in text
    tags = {tag for tag, _ in page.tags}
    assert tags <= {
        "p",
        "h2",
        "ol",
        "ul",
        "li",
        "strong",
        "em",
        "table",
        "thead",
        "tbody",
        "tr",
    } | {
        "th",
        "td",
        "br",
    }
    assert all(attrs == {} or set(attrs) == {"id"} for _, attrs in page.tags)


def test_markdown_export_keeps_only_the_snippets_own_emphasis(letter: Letter) -> None:
    rendered = markdown.markdown(render_letter(letter, "markdown").decode(), extensions=EXTENSIONS)
    assert "<strong>bold</strong>" not in rendered and "<em>em</em>" not in rendered
    assert "<code>" not in rendered and "<h1" not in rendered and "<a " not in rendered


@pytest.mark.parametrize("width", [0, 72])
def test_text_export_holds_every_value_as_typed(letter: Letter, width: int) -> None:
    text = render_letter(letter, "text", width=width).decode("utf-8")
    for value in HOSTILE.values():
        if width == 0:
            assert visible(value) in text
        assert _words(visible(value)) in _words(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), "no raw control character"


def test_docx_export_holds_every_value_as_text(letter: Letter) -> None:
    data = render_letter(letter, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        core = archive.read("docProps/core.xml").decode("utf-8")
    texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
    words = _words(_unescape(" ".join(texts)))
    for value in HOSTILE.values():
        assert _words(visible(value)) in words
    assert "<w:hyperlink" not in xml and "<script" not in xml
    assert _unescape(visible(HOSTILE["jinja"])) in _unescape(core)


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


@pytest.mark.parametrize("fmt", ["markdown", "text", "docx"])
def test_poa_render_writes_each_format_of_a_hostile_case(
    mini: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini / "cases" / "hostile.yaml").write_text(hostile_case(), encoding="utf-8")
    out = mini / f"hostile.{fmt}"
    code = main(["--root", str(mini), "render", "hostile", "--format", fmt, "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    data = out.read_bytes()
    if fmt == "docx":
        data = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert HOSTILE["long"].encode() in data  # the long value made it whole


def test_findings_quoting_case_values_stay_on_one_line() -> None:
    """A value with a newline or an escape sequence cannot break the output or the terminal."""
    finding = error(Position("cases/x.yaml", 3, 5), "unknown reason 'a\nb\x1b[2J'", "r", "x\ty")
    assert str(finding) == "cases/x.yaml:3:5: error: unknown reason 'a␊b␛[2J' (x␉y) [r]"


# -- the sandbox ---------------------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__ }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ range.__self__ }}",
    "{{ os.environ }}",
    "{{ environ }}",
    "{{ seller.environ }}",
    "{{ lipsum.__globals__['os'].environ }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../x' %}",
    "{% import '/etc/hosts' as h %}",
    "{% extends '../../../etc/passwd' %}",
    "{{ '{0.__class__}'.format(seller) }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(seller) }}",
    "{{ '%s'|format(seller.__class__) }}",
    "{{ seller|attr('__class__') }}",
    "{{ seller.items.__self__ }}",
    "{{ asins.append('X') }}",
    "{{ seller.update({'name': 'X'}) }}",
    "{{ 9 ** 9999999 }}",
    "{{ 'x' * 10 ** 9 }}",
    "{{ range(10 ** 9)|list }}",
    "{{ config }}",
    "{{ self.__init__ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ dict.__base__.__subclasses__() }}",
]
RULES = {"snippet-sandbox", "snippet-variable", "snippet-include", "snippet-render"}


@pytest.fixture(scope="module")
def sandbox_library():  # type: ignore[no-untyped-def]
    return load_library(FIXTURES / "mini" / "snippets")


@pytest.mark.parametrize("body", ESCAPES)
def test_known_sandbox_escapes_end_as_findings(sandbox_library, body: str) -> None:  # type: ignore[no-untyped-def]
    snippet = Snippet("attack", Kind.ROOT_CAUSE, "snippets/root-causes/attack.md", _META, body, 6)
    sandbox_library.of(Kind.ROOT_CAUSE)["attack"] = snippet
    context = {"seller": {"name": "Acme"}, "asins": ["B0C1234567"]}
    try:
        with pytest.raises(RenderError) as caught:
            render(sandbox_library, snippet, context, case="cases/x.yaml:1:1")
    finally:
        del sandbox_library.of(Kind.ROOT_CAUSE)["attack"]
    finding = caught.value.finding
    assert finding.rule in RULES
    assert finding.position == Position("snippets/root-causes/attack.md", 6, 1)
    assert "Traceback" not in str(finding)
    assert context == {"seller": {"name": "Acme"}, "asins": ["B0C1234567"]}  # unchanged


_META = load_library(FIXTURES / "mini" / "snippets").root_causes["unverified-supplier"].meta


def test_the_sandbox_still_renders_ordinary_snippets(sandbox_library) -> None:  # type: ignore[no-untyped-def]
    body = "{{ 2 ** 10 }} {{ 'ab' * 3 }} {% for a in asins %}{{ a }}{% endfor %} {{ seller.name }}"
    snippet = Snippet("fine", Kind.ROOT_CAUSE, "snippets/root-causes/fine.md", _META, body, 6)
    sandbox_library.of(Kind.ROOT_CAUSE)["fine"] = snippet
    try:
        text = render(
            sandbox_library, snippet, {"seller": {"name": "Acme"}, "asins": ["B0C1234567"]}, "x"
        )
    finally:
        del sandbox_library.of(Kind.ROOT_CAUSE)["fine"]
    assert text.plain() == "1024 ababab B0C1234567 Acme"
