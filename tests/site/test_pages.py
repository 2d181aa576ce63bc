"""Real MkDocs builds of the site: generated pages, failures, the preview, literal case data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.site

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}


def build(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out), *extra],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
        check=False,
    )


_SERVE_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=False)
config.plugins.on_startup(command="serve", dirty=False)
try:
    build(config)
finally:
    config.plugins.on_shutdown()
"""


def serve_build(root: Path, out: Path) -> None:
    """Build as `mkdocs serve` would (private cases and error pages included).

    In a fresh interpreter: mkdocs-macros imports `hooks/macros` by module name, so builds of
    different project copies in one process would share a stale module.
    """
    run_script(_SERVE_BUILD, root, str(root / "mkdocs.yml"), str(out))


def run_script(script: str, root: Path, *args: str) -> str:
    """Run a Python `script` in a fresh interpreter in `root`; its standard output."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    before = sorted(p for p in (REPO / "docs").rglob("*"))
    result = build(REPO, out)
    assert result.returncode == 0, result.stderr
    assert sorted(p for p in (REPO / "docs").rglob("*")) == before, "the build wrote into docs/"
    return out


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_every_case_has_a_page_with_its_letter(built: Path) -> None:
    cases = sorted(p.stem for p in (REPO / "cases").glob("*.yaml"))
    assert len(cases) >= 3
    for slug in cases:
        html = _html(built, f"cases/{slug}")
        assert "Plan of Action" in html and "Root causes" in html and "Preventive measures" in html


def test_acme_page_shows_letter_text_and_header(built: Path) -> None:
    html = _html(built, "cases/acme-home-inauthentic")
    assert "Acme Home Goods LLC" in html
    assert 'href="../../reasons/inauthentic/"' in html
    assert "QuickWholesale" in html


def test_cases_index_lists_every_case_with_status(built: Path) -> None:
    html = _html(built, "cases")
    for path in (REPO / "cases").glob("*.yaml"):
        assert f'href="{path.stem}/"' in html
    assert "reinstated" in html


def test_catalogue_has_a_page_per_reason_and_measure(built: Path) -> None:
    for kind in ("reasons", "measures"):
        for path in (REPO / "snippets" / kind).glob("*.md"):
            assert (built / kind / path.stem / "index.html").exists(), path


def test_invalid_public_case_fails_the_build_listing_every_error(
    site_project: Path, tmp_path: Path
) -> None:
    bad = site_project / "cases" / "broken.yaml"
    bad.write_text(
        "visibility: public\nseller: {name: X, signatory: {name: A, title: B}}\n"
        "notice: {received: soon, action: warning, issues: [{id: a, reason: inauthentc}]}\n"
    )
    result = build(site_project, tmp_path / "out")
    assert result.returncode == 1
    assert "cases/broken.yaml:3:20: error: notice.received: expected a date" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_files_of_one_slug_fail_the_build_and_the_preview_shows_the_first(
    site_project: Path, tmp_path: Path
) -> None:
    """cases/acme-home-inauthentic.yml beside its .yaml: one page per slug, so a build stops
    at the error rather than drop one of them; the preview shows the first, once."""
    cases = site_project / "cases"
    source = (cases / "acme-home-inauthentic.yaml").read_text()
    (cases / "acme-home-inauthentic.yml").write_text(source.replace("Acme Home", "Qwzyx Other"))
    result = build(site_project, tmp_path / "out")
    assert result.returncode == 1
    assert (
        "cases/acme-home-inauthentic.yml:1:1: error: this file and "
        "cases/acme-home-inauthentic.yaml have one slug" in result.stderr
    )
    out = tmp_path / "preview"
    serve_build(site_project, out)
    assert "Acme Home" in _html(out, "cases/acme-home-inauthentic")
    assert not [p for p in out.rglob("*.html") if b"Qwzyx" in p.read_bytes()]


def test_a_build_without_a_readable_cases_folder_stops_with_a_clear_error(
    site_project: Path, tmp_path: Path
) -> None:
    """Not a site without cases: the build stops, as `poa check` does, without a traceback."""
    shutil.rmtree(site_project / "cases")
    (site_project / "cases").write_text("not a folder\n")
    result = build(site_project, tmp_path / "out")
    assert result.returncode == 2
    assert "cannot read " in result.stderr and "cases/: Not a directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_private_case_is_left_out_of_a_build(site_project: Path, tmp_path: Path) -> None:
    source = (site_project / "cases" / "acme-home-inauthentic.yaml").read_text()
    private = source.replace("visibility: public", "visibility: private").replace(
        "Acme Home Goods LLC", "Zyxwv Secret Trading Ltd"
    )
    (site_project / "cases" / "secret-case.yaml").write_text(private)
    out = tmp_path / "out"
    assert build(site_project, out).returncode == 0
    assert not (out / "cases" / "secret-case").exists()
    leaks = [p for p in out.rglob("*") if p.is_file() and b"Zyxwv" in p.read_bytes()]
    assert leaks == []


def test_preview_shows_private_cases_and_error_pages(site_project: Path, tmp_path: Path) -> None:
    source = (site_project / "cases" / "acme-home-inauthentic.yaml").read_text()
    (site_project / "cases" / "draft.yaml").write_text(
        source.replace("visibility: public", "visibility: private")
    )
    (site_project / "cases" / "broken.yaml").write_text("seller: [\n")
    out = tmp_path / "out"
    serve_build(site_project, out)
    assert "Private case: not published" in _html(out, "cases/draft")
    error_page = _html(out, "cases/broken")
    assert "case file has errors" in error_page
    assert "cases/broken.yaml:2:1: error: invalid YAML" in error_page
    assert "Plan of Action" in _html(out, "cases/acme-home-inauthentic")


def test_case_text_appears_literally_on_the_page(site_project: Path, tmp_path: Path) -> None:
    source = (site_project / "cases" / "acme-home-inauthentic.yaml").read_text()
    hostile = source.replace(
        "name: Acme Home Goods LLC",
        'name: "Evil {{ 7*7 }} {% raw %}x{% endraw %} <script>alert(1)</script>"',
    )
    assert hostile != source
    (site_project / "cases" / "hostile.yaml").write_text(hostile)
    out = tmp_path / "out"
    # The review flags "{{ 7*7 }}" as an unfilled placeholder, which blocks a build of a public
    # case; the preview shows the page with its findings.
    serve_build(site_project, out)
    html = _html(out, "cases/hostile")
    assert "unfilled-field" in html
    assert "Evil {{ 7*7 }} {% raw %}x{% endraw %} &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Evil 49" not in html


#: A preview as `make serve` runs it (`mkdocs serve --dirty`), rebuilt by `rebuild()`.
_PREVIEW = """
import sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
root, out = Path(sys.argv[1]), sys.argv[2]
first = load_config(str(root / "mkdocs.yml"), site_dir=out, strict=False)
first.plugins.on_startup(command="serve", dirty=True)
def rebuild():
    build(load_config(str(root / "mkdocs.yml"), site_dir=out, strict=False), dirty=True)
    return (Path(out) / "cases" / "acme-home-inauthentic" / "index.html").read_text()
"""

#: Saving an edit after a first build, then the rebuild: prints the pages it wrote again.
_EDIT_AND_REBUILD = """
stamps = {p: p.stat().st_mtime_ns for p in Path(out).rglob("index.html")}
case = root / "cases" / "acme-home-inauthentic.yaml"
time.sleep(1.1)
case.write_text(case.read_text().replace("Acme Home Goods LLC", "Acme Edited Goods LLC"))
rebuild()
changed = sorted(str(p.relative_to(out)) for p, t in stamps.items() if p.stat().st_mtime_ns != t)
print("\\n".join(changed))
"""

_DIRTY_PREVIEW = _PREVIEW + "rebuild()\n" + _EDIT_AND_REBUILD

#: `mkdocs serve -f mkdocs.yml`: MkDocs builds first with the configuration file it was
#: given open (its path as typed, relative), then rebuilds with its absolute path.
_RELATIVE_FIRST_PREVIEW = (
    _PREVIEW
    + """
import os
os.chdir(root)
with open("mkdocs.yml", "rb") as given:
    build(load_config(given, site_dir=out, strict=False), dirty=True)
"""
    + _EDIT_AND_REBUILD
)


_UNDO_PREVIEW = (
    _PREVIEW
    + """
case = root / "cases" / "acme-home-inauthentic.yaml"
original = case.read_text()
shown = [rebuild()]
for text in (original.replace("Acme Home Goods LLC", "Acme Edited Goods LLC"), original):
    time.sleep(1.1)
    case.write_text(text)
    shown.append(rebuild())
print(" ".join(str("Acme Edited Goods LLC" in page) for page in shown))
"""
)


def test_preview_shows_an_undone_edit(site_project: Path, tmp_path: Path) -> None:
    """Saving a case back as it was makes pages whose content the cache already holds (from
    before the edit): the preview rebuilds them all the same, and shows the case as saved."""
    shown = run_script(_UNDO_PREVIEW, site_project, str(site_project), str(tmp_path / "out"))
    assert shown.split() == ["False", "True", "False"]


def test_preview_rebuilds_only_the_pages_an_edit_changes(
    site_project: Path, tmp_path: Path
) -> None:
    """`make serve` runs `mkdocs serve --dirty`: after a save, the edited case's page and the
    pages derived from it are rebuilt, with their navigation titles; the others are not."""
    out = tmp_path / "out"
    changed = set(run_script(_DIRTY_PREVIEW, site_project, str(site_project), str(out)).split())
    assert "cases/acme-home-inauthentic/index.html" in changed
    assert "cases/index.html" in changed  # the dashboard names the seller
    assert "cases/brightleaf-trademark/index.html" not in changed
    assert "guide/tone/index.html" not in changed
    page = _html(out, "cases/acme-home-inauthentic")
    assert "Acme Edited Goods LLC" in page
    assert ">None<" not in page
    # pages that were not rebuilt still give the navigation their titles (navigation.prune
    # shows a section's pages only on the pages of that section: the dashboard's is Cases)
    dashboard = _html(out, "cases")
    assert ">None<" not in dashboard and "Lessons learned" in dashboard
    assert "Acme Edited Goods LLC" in (out / "search" / "search_index.json").read_text()
    # the catalogue pages that list the case are made again (each is kept by the digests of
    # the cases it lists); the others are not rebuilt
    for listing in ("reasons/inauthentic", "root-causes/unverified-supplier"):
        assert f"{listing}/index.html" in changed
        assert "Acme Edited Goods LLC" in _html(out, listing)
    assert "reasons/trademark/index.html" not in changed


def test_a_preview_given_its_configuration_file_rebuilds_only_what_an_edit_changes(
    site_project: Path, tmp_path: Path
) -> None:
    """`mkdocs serve -f mkdocs.yml` gives the first build a relative path to the project and
    the next ones an absolute path: the same project for what the first build kept, so the
    first save rebuilds the edited case's pages, not every page (some 7 s at 1,000 cases)."""
    out = tmp_path / "out"
    script = _RELATIVE_FIRST_PREVIEW
    changed = set(run_script(script, site_project, str(site_project), str(out)).split())
    assert "cases/acme-home-inauthentic/index.html" in changed
    assert "cases/brightleaf-trademark/index.html" not in changed
    assert "guide/tone/index.html" not in changed


_MARKDOWN_AFTER_EDIT = (
    _PREVIEW
    + """
import mkdocs.structure.pages as pages
converted = []
render = pages.Page.render
def recording(self, config, files):  # a page the HTML cache serves has its own `render`
    converted.append(self.file.src_uri)
    return render(self, config, files)
pages.Page.render = recording
rebuild()
stamps = {p: p.stat().st_mtime_ns for p in Path(out).rglob("index.html")}
case = root / "cases" / "acme-home-inauthentic.yaml"
time.sleep(1.1)
case.write_text(case.read_text().replace("Acme Home Goods LLC", "Acme Edited Goods LLC"))
converted.clear()
rebuild()
changed = sorted(str(p.relative_to(out)) for p, t in stamps.items() if p.stat().st_mtime_ns != t)
print(" ".join(converted))
print(" ".join(changed))
"""
)


def test_preview_reuses_the_html_of_pages_whose_markdown_changed_only_in_islands(
    site_project: Path, tmp_path: Path
) -> None:
    """A catalogue page lists its cases as finished HTML (an island): after a seller's name
    changes, the page is rebuilt with the new name, but its Markdown is the same once the
    islands are out of it, so its HTML comes from the cache instead of Python-Markdown."""
    out = tmp_path / "out"
    script = _MARKDOWN_AFTER_EDIT
    converted, changed = run_script(script, site_project, str(site_project), str(out)).splitlines()
    reasons = [p for p in changed.split() if p.startswith("reasons/")]
    assert reasons, changed  # the catalogue pages that list the case were rebuilt...
    for page in reasons:
        assert "Acme Edited Goods LLC" in (out / page).read_text(encoding="utf-8")
        assert page.removesuffix("/index.html") + ".md" not in converted.split()  # ...from cache
    assert "cases/acme-home-inauthentic.md" in converted.split()  # its letter did change


def test_case_lists_are_on_the_pages_but_not_read_again_by_the_search(built: Path) -> None:
    """The dashboard and the catalogue pages list cases as HTML the search does not read: each
    case has a search entry of its own, and a seller's name is not indexed again on every page
    that lists the case (nor does the search parse hundreds of links on each)."""
    import json

    seller = "Brightleaf Kitchen Supply Inc."  # a name no snippet's example uses
    for page in ("cases", "reasons/trademark", "measures/ip-clearance-check"):
        html = _html(built, page)
        assert seller in html and "brightleaf-trademark/" in html, page
    pages = [p.read_text(encoding="utf-8") for p in built.rglob("*.html")]
    assert not [p for p in pages if "<!-- poakit-html" in p]  # every island opened
    entries = json.loads((built / "search" / "search_index.json").read_text())["docs"]
    listing = [e for e in entries if e["location"].startswith(("cases/#", "reasons/", "measures/"))]
    listing += [e for e in entries if e["location"] == "cases/"]
    assert listing and not [e["location"] for e in listing if seller in e["text"]]
    assert [e for e in entries if seller in e["title"] + e["text"]]  # the case's own entry


#: A preview's first build, a save that adds a finding, and one that takes it away again:
#: prints what each build logged.
_LOGGED_PREVIEW = (
    _PREVIEW
    + """
import json, logging
logged = []
class Keep(logging.Handler):
    def emit(self, record):
        logged[-1].append(record.getMessage())
logging.getLogger("mkdocs.plugins.poakit").addHandler(Keep())
logging.getLogger("mkdocs.plugins.poakit").setLevel(logging.INFO)
case = root / "cases" / "acme-home-inauthentic.yaml"
original = case.read_text()
for text in (None, original.replace("Acme Home Goods LLC", "Acme Acme Home Goods LLC"), original):
    logged.append([])
    if text:
        time.sleep(1.1)
        case.write_text(text)
    rebuild()
print(json.dumps(logged))
"""
)


def test_a_preview_logs_every_finding_once_then_what_each_save_changed(
    site_project: Path, tmp_path: Path
) -> None:
    """The first build of a preview logs every finding; a rebuild only the findings the save
    brought, and a count (a thousand cases' findings on every save would bury them)."""
    acme = (site_project / "cases" / "acme-home-inauthentic.yaml").read_text()
    doubled = acme.replace("Acme Home Goods LLC", "Acme Home Home Goods LLC")
    (site_project / "cases" / "doubled.yaml").write_text(doubled)
    out = str(tmp_path / "out")
    first, second, third = json.loads(
        run_script(_LOGGED_PREVIEW, site_project, str(site_project), out)
    )
    kept = 'cases/doubled.yaml:11:11: warning: doubled words: "Home Home"'
    added = 'cases/acme-home-inauthentic.yaml:11:11: warning: doubled words: "Acme Acme"'
    assert [line.split(" (")[0] for line in first] == [kept]
    assert [line.split(" (")[0] for line in second] == [
        added,
        "poakit: 2 findings, 1 new and 0 gone since the last build",
    ]
    assert third == ["poakit: 1 finding, 0 new and 1 gone since the last build"]


def test_a_build_logs_every_finding(site_project: Path, tmp_path: Path) -> None:
    """`mkdocs build` (not a preview) logs each finding, as `poa check` prints it."""
    acme = (site_project / "cases" / "acme-home-inauthentic.yaml").read_text()
    doubled = acme.replace("Acme Home Goods LLC", "Acme Home Home Goods LLC")
    (site_project / "cases" / "doubled.yaml").write_text(doubled)
    result = build(site_project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert 'cases/doubled.yaml:11:11: warning: doubled words: "Home Home"' in result.stderr
