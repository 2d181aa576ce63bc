"""The escaping boundary (`poakit.escape`) and the safety regressions of issue #14.

Each hostile example found on the earlier main has a test here or in the site, property and
browser tests: a value that opens a Markdown block, Unicode line separators, a file name
ending in a newline, search entries and page titles holding markup. The Markdown tests
render through Python-Markdown with the extensions of the repository's mkdocs.yml, so they
read a value as the site reads it.
"""

from __future__ import annotations

import html.parser
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES
from htmlread import site_markdown

from poakit.errors import InputError
from poakit.project.load import check_case, load_library, load_project
from poakit.render import render_letter
from poakit.site.pages import site_pages
from poakit.site.searchindex import case_entry
from poakit.source import yaml as yamlsource
from poakit.source.case import load_case
from poakit.templating import escape


class Elements(html.parser.HTMLParser):
    """The tags of a piece of HTML, and its text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())


def rendered(source: str) -> Elements:
    return Elements(site_markdown().convert(source))


# Every block or span opener that Python-Markdown and the site's extensions know, and a few
# that other extensions use (a future mkdocs.yml might enable them).
OPENERS = [
    '??? danger "Review: 0 errors, 0 warnings"',
    "???+ note",
    '!!! success "Review: 0 errors, 0 warnings"',
    "# heading",
    "###### heading",
    "> quote",
    "| a | b |",
    "|---|---|",
    "```python",
    "~~~",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "- [ ] task",
    "{: #id .class }",
    "{ .class }",
    "[^1]: a footnote",
    "*[HTML]: an abbreviation",
    "[ref]: https://evil.example",
    "<div>raw</div>",
    "<!-- comment",
    "===",
    "---",
    "***",
    "    indented code",
    "\tindented code",
    "**bold** _em_ `code` ![img](x.png) [a](javascript:alert(1))",
    "term\n: definition",
    "line one  \nline two",
    "/// details | x",
    ":smile: ==mark== ^^ins^^ ~~del~~ ++ctrl++",
]
SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r\n", "\r", "\n"]


def typed(value: str) -> str:
    """A value as a page shows it: separators read as line breaks, white space collapsed."""
    return " ".join(escape.visible(escape.normalize_breaks(value)).split())


@pytest.mark.parametrize("value", OPENERS)
@pytest.mark.parametrize(
    "template",
    ["{v}", "- {v}", "Intro line\n{v}", "| Field | Value |\n|---|---|\n| x | {v} |", "1. A {v}"],
    ids=["paragraph", "list-item", "second-line", "table-cell", "inline"],
)
def test_a_value_never_opens_a_block_or_span(value: str, template: str) -> None:
    """Wherever a template puts it, a value is text: the page holds the elements of the
    template alone, and the value's every character shows."""
    alone = rendered(template.format(v="plain"))
    shown = rendered(template.format(v=escape.markdown_text(value)))
    assert shown.tags == alone.tags
    assert shown.attributes == alone.attributes
    assert typed(value) in shown.plain


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_line_separators_cannot_start_a_block_inside_a_list_item(separator: str) -> None:
    """Two U+2028 and an admonition used to fake a green review box inside a letter."""
    value = f'Done.{separator}{separator}!!! success "Review: 0 errors"{separator}    Fine.'
    shown = rendered(f"- {escape.markdown_text(value)}")
    assert shown.tags == ["ul", "li"]
    assert 'Done. !!! success "Review: 0 errors" Fine.' in shown.plain


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_separators_are_read_as_line_feeds_when_a_file_loads(separator: str) -> None:
    text = yaml.safe_dump({"value": f"a{separator}b"}, allow_unicode=False)
    assert yamlsource.load(text, "x.yaml").data == {"value": "a\nb"}


def test_the_text_export_holds_no_line_separator(tmp_path: Path) -> None:
    """The letter as pasted into Seller Central: the separators are line feeds, and a line
    of a value stays inside its item (indented), never a new item of the letter."""
    case = yaml.safe_load((FIXTURES / "mini" / "cases" / "acme.yaml").read_text())
    case["corrective_actions"][0] = {
        "root_causes": case["corrective_actions"][0]["root_causes"],
        "text": "Removed.\u2028\u2028- fake item\u2029\x85\x0b\x0cend",
        "done": case["corrective_actions"][0]["done"],
    }
    path = tmp_path / "cases" / "acme.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(case, allow_unicode=True))
    result = check_case(path, load_library(FIXTURES / "mini" / "snippets"), "cases/acme.yaml")
    assert result.letter is not None
    text = render_letter(result.letter, "text", width=0).decode()
    assert not set(text) & {"\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r"}
    assert "- Removed.\n\n  - fake item\n\n\n\n  end" in text
    assert "\n- fake item" not in text


# -- search entries and titles ----------------------------------------------------------------


def test_search_entries_hold_escaped_text(mini: Path) -> None:
    """Material inserts a result's title and text as HTML: an `<img onerror>` in a seller
    name ran as soon as someone searched a common word."""
    path = mini / "cases" / "acme.yaml"
    text = path.read_text()
    for old, new in (
        ("Acme Home Goods LLC", "<img src=x onerror=alert(1)>"),
        ("marketplace: amazon.com", "marketplace: 'amazon.com<script>alert(2)</script>'"),
    ):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    project = load_project(mini, base=mini)
    entry = case_entry(project.cases[0], project.library)
    assert entry is not None
    for field in ("title", "text"):
        parsed = Elements(entry[field])
        assert parsed.tags == [], entry[field]
    assert Elements(entry["title"]).plain.startswith("<img src=x onerror=alert(1)>:")
    assert "amazon.com<script>alert(2)</script>" in Elements(entry["text"]).plain


def test_a_case_page_title_is_escaped_once_in_its_front_matter(mini: Path) -> None:
    """The theme writes `page.meta.title` unescaped into `<title>`, the header and the nav."""
    path = mini / "cases" / "acme.yaml"
    path.write_text(
        path.read_text().replace("Acme Home Goods LLC", "Evilco </title><script>alert(1)</script>")
    )
    project = load_project(mini, base=mini)
    page = next(p for p in site_pages(project) if p.path == "cases/acme.md")
    content = page.content if isinstance(page.content, str) else Path(page.content).read_text()
    front = yaml.safe_load(content.split("---\n")[1])
    assert front["title"].startswith("Evilco &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;:")
    assert Elements(f"<title>{front['title']}</title>").tags == ["title"]


# -- slugs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown", "suggestion"),
    [
        ("x\n.yaml", "x␊.yaml", "x"),
        ("acme home.yaml", "acme home.yaml", "acme-home"),
        ("tab\there.yaml", "tab␉here.yaml", "tab-here"),
        ("bell\x07.yaml", "bell␇.yaml", "bell"),
        ("Acme.yaml", "Acme.yaml", "acme"),
        ("café.yaml", "café.yaml", "caf"),
        ("-lead.yaml", "-lead.yaml", "lead"),
    ],
)
def test_a_file_name_that_is_not_a_slug_is_a_finding(
    tmp_path: Path, name: str, shown: str, suggestion: str
) -> None:
    path = tmp_path / "cases" / name
    path.parent.mkdir()
    path.write_bytes((FIXTURES / "mini" / "cases" / "acme.yaml").read_bytes())
    with pytest.raises(InputError) as raised:
        load_case(path, f"cases/{name}")
    assert [str(f) for f in raised.value.findings] == [
        f"cases/{shown}:1:1: error: the file name '{shown}' is not a valid case slug (rename it "
        f"to lower-case letters, digits and hyphens, e.g. {suggestion}.yaml) [case-slug]"
    ]


def test_a_case_named_with_a_newline_gets_no_page_and_poa_check_names_it(mini: Path) -> None:
    """`cases/x<newline>.yaml` used to pass: its page was built at cases/x%0A/."""
    (mini / "cases" / "x\n.yaml").write_bytes((mini / "cases" / "acme.yaml").read_bytes())
    project = load_project(mini, base=mini)
    paths = [page.path for page in site_pages(project, include_private=True)]
    assert all(re.fullmatch(r"[\w./-]+", p) for p in paths), paths
    assert "cases/acme.md" in paths
    result = subprocess.run(
        [sys.executable, "-m", "poakit", "check"],
        cwd=mini,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert (
        "cases/x␊.yaml:1:1: error: the file name 'x␊.yaml' is not a valid case slug"
        in result.stdout
    )
    assert "Traceback" not in result.stderr


# -- the escaping functions themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    "function", [escape.html_text, escape.html_attribute, escape.search_text, escape.page_title]
)
def test_html_sinks_create_no_element_and_no_attribute(function: Any) -> None:
    value = '"><img src=x onerror=alert(1)> \' autofocus onfocus=alert(2) x="'
    parsed = Elements(f'<p title="{escape.html_attribute(value)}">{function(value)}</p>')
    assert parsed.tags == ["p"]
    assert parsed.attributes == ["title"]


def test_json_in_html_cannot_end_its_script_element() -> None:
    data = {"letter": "</script><script>alert(1)</script><!-- & \u2028"}
    element = f'<script type="application/json">{escape.json_in_html(data)}</script>'
    parsed = Elements(element)
    assert parsed.tags == ["script"]
    import json

    assert json.loads(escape.json_in_html(data)) == data


def test_tag_names_keep_only_harmless_characters() -> None:
    assert escape.tag_name('amazon.com<script>"x"</script>\u2028 & co') == (
        "amazon.comscriptxscript co"
    )


def test_visible_leaves_alone_only_what_it_would_not_change() -> None:
    """`visible` returns text of printable characters as it is, without its two searches:
    no printable character is one they would show differently."""
    printable = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable())
    assert escape._CONTROL.search(printable) is None
    assert escape._BIDI.search(printable) is None
    unprintable = [chr(c) for c in range(0x2100) if not chr(c).isprintable()]
    assert any(escape.visible(c) != c for c in unprintable)  # the slow path still runs


def test_visible_shows_bidirectional_controls() -> None:
    assert escape.visible("abc\u202edcba\u2066x\u2069") == "abc[U+202E]dcba[U+2066]x[U+2069]"
    assert escape.visible("bell\x07 tab\t line\n") == "bell␇ tab\t line\n"


@pytest.mark.parametrize(
    ("value", "message", "prop"),
    [
        ("plain", "plain", "plain"),
        ("50% off", "50%25 off", "50%25 off"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),  # an escape typed in a case stays text
        ("bell\x07 \u202e", "bell\u2407 [U+202E]", "bell\u2407 [U+202E]"),
    ],
)
def test_github_annotation_values_stay_on_their_line(value: str, message: str, prop: str) -> None:
    assert escape.github_message(value) == message
    assert escape.github_property(value) == prop
