"""The built site is safe: private cases appear nowhere, case text never runs, sources stay put.

One real build of the repository's site (`built`, shared by this module) holds three more
cases: two private ones (one says `visibility: private`, one says nothing) whose every
identifying value is a string found nowhere else, and one public case whose values are
hostile: Jinja, Markdown, HTML, `<script>`, `javascript:` links, control characters and
100,000 characters. Every file of that site is searched for the private strings, gzip and
zip (DOCX) contents included, and every HTML file for markup that came from a case.

The switch that includes private cases (`POAKIT_INCLUDE_PRIVATE`, read by mkdocs.yml as
`extra.poakit.include_private`) is proved on a tiny site, which builds in about a second.
"""

from __future__ import annotations

import hashlib
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import FIXTURES, REPO
from hostile import Markup, markup_scan, string_fields, typed
from sites import (
    HOSTILE_RECORD,
    PRIVATE,
    TOKENS,
    HostileSite,
    hostile_build,
    private_case,
    site_files,
    traces,
)
from sites import HOSTILE_SLUG as HOSTILE_MODEL

from poakit.templating.escape import visible

pytestmark = pytest.mark.site

ACME = "acme-home-inauthentic"
HOSTILE_SLUG = "hostile-values"
HOSTILE = {
    "jinja": "{{ 7*7 }} {% if true %}yes{% endif %} {# c #} {{ macros_info() }}",
    "markdown": "**bold** _em_ `code` [link](https://evil.example) ![img](x.png) # heading | a | b |",
    "html": "<b>bold</b> <img src=x onerror=alert(1)> <iframe src=//evil.example></iframe> &amp; &lt;",
    "script": "<script>alert(1)</script>",
    "javascript": '[click](javascript:alert(1)) <a href="javascript:alert(1)">x</a>',
    "control": "bell\x07 escape\x1b[31m nul\x00 del\x7f",
    "long": "L" * 100_000,
}
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {k: v for k, v in os.environ.items() if k != "POAKIT_INCLUDE_PRIVATE"}
ENV["NO_MKDOCS_2_WARNING"] = "true"


def build(root: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env={**ENV, **env},
        timeout=300,
        check=False,
    )


def hostile_case(source: str) -> str:
    """The Acme example with a hostile value in every kind of field a page shows."""
    case = yaml.safe_load(source)
    h = HOSTILE
    case["seller"].update(name=h["jinja"], store=h["markdown"])
    case["seller"]["signatory"] = {"name": h["html"], "title": h["script"]}
    case["notice"]["issues"][0]["summary"] = h["javascript"]
    case["investigation"][0] = {"source": h["script"], "finding": h["long"]}
    case["root_causes"][0]["vars"]["supplier"] = f"{h['script']} {h['jinja']}"
    case["corrective_actions"][1]["text"] = f"{h['markdown']} {h['html']}"
    case["preventive_measures"][0]["owner"] = h["javascript"]
    case["evidence"][0]["title"] = h["html"]
    case["evidence"][1]["kind"] = h["control"]
    case["follow_up"][1]["note"] = f"{h['control']} {h['jinja']}"
    case["lessons"] = list(h.values())
    # The placeholder checks rightly read "{{ }}" as a template left unfilled: this case
    # types it on purpose, and says so, as a user would.
    case["silence"] = [
        {"rule": rule, "reason": "Jinja syntax typed as data on purpose"}
        for rule in ("unfilled-field", "unfilled-placeholder")
    ]
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=120)


# What a private case's recorded letters say (and the public one's, to prove the search finds
# a recorded letter where one is published).
SENT_TOKEN = "Qzxvsentletter"
PUBLIC_SENT = "Zqxvpublicsentletter"


def _record(root: Path, slug: str, text: str) -> None:
    """A letter of the case as `poa sent` keeps it: v1, sent on the day Acme's was."""
    sent = root / "cases" / slug / "sent"
    sent.mkdir(parents=True)
    (sent / "v1-2026-10-09-submitted.txt").write_text(f"{text}\n", encoding="utf-8")


def tree_hash(*folders: Path) -> dict[str, str]:
    """Every file under `folders` (links included, not followed) by its SHA-256."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sources, built site): the repository's site plus the private and hostile cases."""
    root = tmp_path_factory.mktemp("src")
    for name in ("mkdocs.yml", "hooks", "docs", "snippets", "cases"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / name, root / name)
    source = (root / "cases" / f"{ACME}.yaml").read_text(encoding="utf-8")
    sources = "".join(p.read_text(errors="replace") for p in root.rglob("*") if p.is_file())
    unique = [*TOKENS, SENT_TOKEN, PUBLIC_SENT]
    assert [t for t in unique if t.lower() in sources.lower()] == [], "tokens must be unique"
    for n, (slug, replacements) in enumerate(PRIVATE.items()):
        text = private_case(source, replacements, say_private=n == 0)
        (root / "cases" / f"{slug}.yaml").write_text(text, encoding="utf-8")
        _record(root, slug, f"{SENT_TOKEN} {' '.join(replacements.values())}")
    _record(root, ACME, PUBLIC_SENT)
    (root / "cases" / f"{HOSTILE_SLUG}.yaml").write_text(hostile_case(source), encoding="utf-8")
    before = tree_hash(root / "cases", root / "snippets", root / "docs")
    out = tmp_path_factory.mktemp("site")
    result = build(root, out)
    assert result.returncode == 0, result.stderr
    assert tree_hash(root / "cases", root / "snippets", root / "docs") == before
    return root, out


# -- privacy ---------------------------------------------------------------------------------


def test_the_private_cases_are_valid_cases(site: tuple[Path, Path]) -> None:
    """They would publish if public: only their visibility keeps them out."""
    from poakit.project.load import load_project

    root, _ = site
    project = load_project(root, [root / "cases" / f"{slug}.yaml" for slug in PRIVATE], base=root)
    assert [str(f) for c in project.cases for f in c.errors] == []
    assert [c.public for c in project.cases] == [False, False]


def test_no_file_of_the_built_site_holds_a_private_value(site: tuple[Path, Path]) -> None:
    _, out = site
    assert traces(out, TOKENS) == []


def test_the_search_covers_every_kind_of_file(site: tuple[Path, Path]) -> None:
    """The same search finds the public case everywhere a private one would have been."""
    _, out = site
    found = {name.split("!")[0] for name in (t.split(":")[0] for t in traces(out, ["B0C9XK2M4T"]))}
    assert {
        f"cases/{ACME}/index.html",
        f"cases/{ACME}/{ACME}.txt",
        f"cases/{ACME}/{ACME}.docx",
        "search/search_index.json",
    } <= found
    assert traces(out, [f"cases/{ACME}/"]) != []
    assert any(
        n.startswith("sitemap.xml.gz!") for n in (t.split(":")[0] for t in traces(out, [ACME]))
    )


def test_the_letters_a_private_case_sent_never_reach_the_site(site: tuple[Path, Path]) -> None:
    """Each private case has a recorded letter (cases/<slug>/sent/); the public case's recorded
    letter is on its page, so the search would find one where it was published."""
    _, out = site
    assert traces(out, [SENT_TOKEN]) == []
    assert [t.split(":")[0] for t in traces(out, [PUBLIC_SENT])] == [f"cases/{ACME}/index.html"]


def test_private_cases_have_no_page_no_download_no_row(site: tuple[Path, Path]) -> None:
    _, out = site
    for slug in PRIVATE:
        assert not (out / "cases" / slug).exists()
    index = (out / "cases" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="([a-z0-9-]+)/"', index))
    public = {p.stem for p in (REPO / "cases").glob("*.yaml")} | {HOSTILE_SLUG}
    assert linked == public
    assert _dashboard_total(index) == len(public)


def _dashboard_total(page: str) -> int:
    """The "All" count of the cases index's status table."""
    header = re.search(r"<thead>\s*<tr>((?:\s*<th>[^<]*</th>)+)\s*</tr>", page)
    assert header is not None, "the cases index has no status table"
    titles = re.findall(r"<th>([^<]*)</th>", header.group(1))
    row = re.search(r"<tbody>\s*<tr>((?:\s*<td>[^<]*</td>)+)", page[header.end() :])
    assert row is not None and "All" in titles
    return int(re.findall(r"<td>([^<]*)</td>", row.group(1))[titles.index("All")])


# -- case text is data -------------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    """The text of a page and every element in it, as a browser would parse it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_values_show_literally_on_the_case_page(site: tuple[Path, Path], kind: str) -> None:
    _, out = site
    page = _parse(out / "cases" / HOSTILE_SLUG / "index.html")
    assert _words(visible(HOSTILE[kind])) in _words("".join(page.text))


def test_no_markup_from_a_case_reaches_any_page(site: tuple[Path, Path]) -> None:
    _, out = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        page = _parse(path)
        for tag, attributes in page.tags:
            assert tag not in ("iframe", "b"), path
            assert "onerror" not in attributes, path
            assert not (tag == "img" and attributes.get("src") in ("x", "x.png")), path
            for value in attributes.values():
                assert not value.strip().lower().startswith("javascript:"), (path, value)
            assert not (tag == "a" and "evil.example" in attributes.get("href", "")), path
        for attributes, code in page.scripts:
            if "alert(1)" in code:  # only the copy buttons' JSON may hold it, with < escaped
                assert attributes.get("type") == "application/json", path
                assert "<" not in code, path


def test_markdown_in_a_case_is_not_formatted(site: tuple[Path, Path]) -> None:
    _, out = site
    raw = (out / "cases" / HOSTILE_SLUG / "index.html").read_text(encoding="utf-8")
    for markup in ("<strong>bold</strong>", "<em>em</em>", "<code>code</code>", ">heading</h"):
        assert markup not in raw


def test_the_macros_plugin_never_renders_case_text(site: tuple[Path, Path]) -> None:
    """`{{ macros_info() }}` in a case stays text; the macro's output appears nowhere."""
    _, out = site
    page = _parse(out / "cases" / HOSTILE_SLUG / "index.html")
    assert "{{ macros_info() }}" in "".join(page.text)
    assert "{{ 7*7 }}" in "".join(page.text)
    assert traces(out, ["Macros Plugin Environment"]) == []


def test_the_downloads_hold_the_values_literally(site: tuple[Path, Path]) -> None:
    _, out = site
    folder = out / "cases" / HOSTILE_SLUG
    text = _words((folder / f"{HOSTILE_SLUG}.txt").read_text(encoding="utf-8"))
    with zipfile.ZipFile(folder / f"{HOSTILE_SLUG}.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    runs = _words(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))
    words = _unescape_xml(runs)
    for kind in ("jinja", "script", "markdown", "html", "javascript"):
        assert _words(HOSTILE[kind]) in text, kind
    for value in (HOSTILE["jinja"], HOSTILE["script"], visible(HOSTILE["html"])):
        assert _words(value) in words
    assert "<w:hyperlink" not in xml


def _unescape_xml(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


# -- the switch for internal builds, and the preview's address -----------------------------------


def tiny_site(root: Path) -> Path:
    """The mini fixture as a site: only the poakit hook and the include-private switch."""
    shutil.copytree(FIXTURES / "mini", root)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Tiny\n")
    (root / "mkdocs.yml").write_text(
        "site_name: tiny\n"
        f"hooks: ['{REPO / 'hooks' / 'poakit_pages.py'}']\n"
        "extra:\n  poakit:\n    include_private: !ENV [POAKIT_INCLUDE_PRIVATE, false]\n"
    )
    acme = (root / "cases" / "acme.yaml").read_text()
    secret = acme.replace("visibility: public", "visibility: private")
    (root / "cases" / "secret.yaml").write_text(
        secret.replace("Acme Home Goods LLC", "Qzxvtiny Ltd")
    )
    return root


def plain_build(root: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Not --strict: the tiny site lacks the guide pages the generated pages link to."""
    return subprocess.run(
        [*MKDOCS, "build", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        env={**ENV, **env},
        timeout=120,
        check=False,
    )


def test_the_internal_build_switch_includes_private_cases(tmp_path: Path) -> None:
    root = tiny_site(tmp_path / "tiny")
    assert plain_build(root, tmp_path / "public").returncode == 0
    assert traces(tmp_path / "public", ["Qzxvtiny", "cases/secret"]) == []
    result = plain_build(root, tmp_path / "internal", POAKIT_INCLUDE_PRIVATE="true")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "internal" / "cases" / "secret" / "index.html").exists()
    assert traces(tmp_path / "internal", ["Qzxvtiny"]) != []


@pytest.mark.parametrize(
    ("value", "included"),
    [
        *[(None, False), ("", False), ("false", False), ("0", False), ("no", False)],
        *[("OFF", False), (" false ", False), ("False\t", False)],
        *[("true", True), ("1", True), ("yes", True), ("On", True), (" TRUE ", True)],
    ],
)
def test_mkdocs_yml_and_the_one_parser_read_the_switch(
    monkeypatch: pytest.MonkeyPatch, value: str | None, included: bool
) -> None:
    """`!ENV` hands the variable over as YAML reads it; `settings.include_private`, which the
    hook and the publish guard share, reads that the same way in every case and spacing."""
    from mkdocs.utils import yaml_load

    from poakit.project.settings import include_private

    if value is None:
        monkeypatch.delenv("POAKIT_INCLUDE_PRIVATE", raising=False)
    else:
        monkeypatch.setenv("POAKIT_INCLUDE_PRIVATE", value)
    with open(REPO / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml_load(handle)
    assert include_private(config["extra"]["poakit"]["include_private"]) is included
    assert include_private(value) is included


@pytest.mark.parametrize("value", ["false # off", "maybe", "2", "nope"])
def test_a_switch_value_nobody_can_read_stops_the_build(tmp_path: Path, value: str) -> None:
    """Before, `'false # off'` passed the publish guard (YAML: a comment) and made the build
    include private cases (a non-empty string). Now both stop on it, naming it."""
    root = tiny_site(tmp_path / "tiny")
    result = plain_build(root, tmp_path / "out", POAKIT_INCLUDE_PRIVATE=value)
    assert result.returncode == 2, result.stderr
    assert (
        f"Error: POAKIT_INCLUDE_PRIVATE is set to {value!r}: expected true or false "
        "(also yes/no, on/off, 1/0); unset it, or set it to false"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert traces(tmp_path / "out", ["Qzxvtiny"]) == [] if (tmp_path / "out").exists() else True


def test_false_with_spaces_keeps_private_cases_out(tmp_path: Path) -> None:
    root = tiny_site(tmp_path / "tiny")
    result = plain_build(root, tmp_path / "out", POAKIT_INCLUDE_PRIVATE="false ")
    assert result.returncode == 0, result.stderr
    assert traces(tmp_path / "out", ["Qzxvtiny", "cases/secret"]) == []


def test_the_preview_server_binds_to_localhost_only() -> None:
    from mkdocs.utils import yaml_load

    with open(REPO / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml_load(handle)
    assert config["dev_addr"] == "127.0.0.1:8000"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    serve = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert serve is not None
    assert "mkdocs serve --dev-addr 127.0.0.1:8000" in serve.group(1)
    assert "0.0.0.0" not in makefile


# -- a failed build changes nothing ------------------------------------------------------------


def test_a_failed_build_leaves_the_sources_byte_identical(tmp_path: Path) -> None:
    root = tiny_site(tmp_path / "tiny")
    (root / "cases" / "broken.yaml").write_text("visibility: public\nseller: [\n")
    before = tree_hash(root / "cases", root / "snippets", root / "docs")
    result = plain_build(root, tmp_path / "out")
    assert result.returncode == 1
    assert "cases/broken.yaml:3:1: error: invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(root / "cases", root / "snippets", root / "docs") == before


# -- every string field of the model, hostile (issue #14) ----------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """The site with `model-hostile`: a hostile value in every string field of the model
    (tests/hostile.py); shared with the browser test by the session's base folder."""
    return hostile_build(tmp_path_factory.getbasetemp() / "hostile")


def test_every_string_field_of_the_model_is_hostile_or_refused_cleanly(
    hostile_site: HostileSite,
) -> None:
    case = hostile_site.case
    assert set(string_fields()) - case.covered == set()
    clean = re.compile(rf"^cases/{HOSTILE_MODEL}\.yaml:\d+:\d+: error: .+ \[[a-z-]+\]$")
    for where, finding in case.refused.items():
        assert clean.match(finding), (where, finding)
    # Only references into the library may refuse a value: everything else reaches the sinks.
    assert set(case.refused) <= {"notice.issues.reason"}
    assert len(case.payloads) > 50


def test_no_built_file_holds_markup_from_the_case(hostile_site: HostileSite) -> None:
    """Every file of the site (gzip and DOCX contents too): a marker may appear as text or an
    attribute value, never as an element, an attribute, a handler or a script."""
    checked = markup_scan(site_files(hostile_site.site))
    assert checked["html"] >= 5 and checked["json"] >= 1 and checked["xml"] >= 1, checked


def _as_typed(hostile_site: HostileSite, text: str, where: str) -> int:
    """Every marker `text` shows comes with its whole value, as typed; how many it shows."""
    words = " ".join(text.split())
    shown = hostile_site.case.markers_in(words)
    for marker in shown:
        value = typed(hostile_site.case.payloads[marker])
        assert value in words, (where, hostile_site.case.fields[marker], value)
    return len(shown)


def test_pages_show_every_value_as_typed(hostile_site: HostileSite) -> None:
    """No Markdown block, span or separator changed a value: what the page shows of a value,
    it shows whole (Material's tags list apart, which keeps harmless characters only)."""
    out = hostile_site.site
    page = Markup((out / "cases" / HOSTILE_MODEL / "index.html").read_text("utf-8"))
    assert _as_typed(hostile_site, page.plain, "case page") >= 40
    for other in ("cases/index.html", "lessons/index.html", "reasons/inauthentic/index.html"):
        shown = Markup((out / other).read_text("utf-8")).plain
        assert _as_typed(hostile_site, shown, other) >= 1, other


def test_a_recorded_letter_shows_as_text_in_the_versions_diff(hostile_site: HostileSite) -> None:
    """v1 of the hostile case holds a paragraph of markup the letter no longer has: the case
    page's diff shows it removed, as text (no element of it: see the markup test above)."""
    raw = (hostile_site.site / "cases" / HOSTILE_MODEL / "index.html").read_text("utf-8")
    assert '<details class="poakit-diff">' in raw and "<del>A removed paragraph:" in raw
    assert " ".join(HOSTILE_RECORD.split()) in Markup(raw).plain


def test_the_page_title_is_the_seller_name_as_typed(hostile_site: HostileSite) -> None:
    case = hostile_site.case
    page = Markup((hostile_site.site / "cases" / HOSTILE_MODEL / "index.html").read_text("utf-8"))
    titles = [t for t, _ in page.elements if t == "title"]
    assert titles == ["title"]
    raw = (hostile_site.site / "cases" / HOSTILE_MODEL / "index.html").read_text("utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", raw, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert title.startswith(typed(case.data["seller"]["name"]) + ": ")


def test_the_search_entry_shows_the_values_as_typed(hostile_site: HostileSite) -> None:
    index = json.loads((hostile_site.site / "search" / "search_index.json").read_text("utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == f"cases/{HOSTILE_MODEL}/")
    for field in ("title", "text"):
        assert _as_typed(hostile_site, Markup(entry[field]).plain, field) >= 1


def test_the_exports_carry_every_value_as_typed(hostile_site: HostileSite) -> None:
    folder = hostile_site.site / "cases" / HOSTILE_MODEL
    text = (folder / f"{HOSTILE_MODEL}.txt").read_text(encoding="utf-8")
    assert _as_typed(hostile_site, text, "text export") >= 20
    with zipfile.ZipFile(folder / f"{HOSTILE_MODEL}.docx") as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    runs = " ".join(t.text or "" for t in root.iter() if str(t.tag).endswith("}t"))
    assert _as_typed(hostile_site, runs, "DOCX") >= 20
