"""`site.stage`: the site as a finished docs tree that any builder can build.

Most checks read one stage of the repository's site (made once for the module); the rest use a
tiny site (the mini fixture, a guide page with macros, and a config like the project's).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest
import yaml
from conftest import FIXTURES, REPO
from sites import copy_sources

from poakit.errors import ConfigError, InputError, UsageError
from poakit.project.loader import loader
from poakit.site import guide, stage
from poakit.site.markup import UNINDEXED
from poakit.site.pages import site_pages
from poakit.site.siteconfig import STAGED_HEADER, read_config

UNSEARCHABLE = "search:\n  exclude: true\n"


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The day and the switch a stage reads, fixed: a stage must not depend on the clock."""
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    monkeypatch.delenv("POAKIT_INCLUDE_PRIVATE", raising=False)


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sources, staged tree) of the repository's site."""
    base = tmp_path_factory.mktemp("stage")
    root = copy_sources(base / "sources")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POAKIT_TODAY", "2026-11-27")
        patch.delenv("POAKIT_INCLUDE_PRIVATE", raising=False)
        stage.stage(root, base / "out")
    return root, base / "out"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def text(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


# -- what a stage holds ----------------------------------------------------------------------


def test_a_stage_holds_every_page_of_docs_and_every_generated_page(
    staged: tuple[Path, Path],
) -> None:
    root, out = staged
    written = set(tree(out))
    sources = {
        f"docs/{p.relative_to(root / 'docs').as_posix()}" for p in (root / "docs").rglob("*.*")
    }
    generated = {f"docs/{p.path}" for p in site_pages(loader(root).latest())}
    assert written == sources | generated | {"mkdocs.yml"}
    assert {"docs/cases/acme-home-inauthentic/acme-home-inauthentic.docx"} <= generated


def test_the_staged_config_has_no_hooks_no_macros_no_absolute_path(
    staged: tuple[Path, Path],
) -> None:
    root, out = staged
    raw = text(out, "mkdocs.yml")
    config = yaml.safe_load(raw)
    assert raw.startswith(STAGED_HEADER)
    assert "hooks" not in config and "watch" not in config
    assert config["plugins"] == ["search", "tags"]
    assert "poakit" not in config["extra"] and "!ENV" not in raw
    assert str(root) not in raw and str(out) not in raw
    assert config["nav"] == read_config(root / "mkdocs.yml")["nav"]
    assert config["not_in_nav"].splitlines() == [
        "/cases/*.md",
        "/measures/*.md",
        "/reasons/*.md",
        "/root-causes/*.md",
    ]


def test_the_guides_macros_are_rendered_and_the_flag_is_gone(staged: tuple[Path, Path]) -> None:
    root, out = staged
    asked = [p for p in (root / "docs").rglob("*.md") if "render_macros: true" in p.read_text()]
    assert len(asked) >= 8
    for source in asked:
        page = text(out, f"docs/{source.relative_to(root / 'docs').as_posix()}")
        assert "render_macros" not in page
        for name in guide.MACROS:
            assert f"{{{{ {name}(" not in page, (source.name, name)
    understand = text(out, "docs/guide/understand.md")
    assert "[Inauthentic (counterfeit) item complaints](../reasons/inauthentic.md)" in understand
    # What the guide shows as Jinja on purpose ({% raw %}) stays Jinja.
    assert "`{{ done|date }}`" in text(out, "docs/guide/write-a-snippet.md")


def test_pages_that_ask_for_no_macros_are_copied_byte_for_byte(staged: tuple[Path, Path]) -> None:
    root, out = staged
    for name in ("guide/add-a-case.md", "guide/follow-up.md", "assets/poakit-exports.js"):
        assert (out / "docs" / name).read_bytes() == (root / "docs" / name).read_bytes(), name


def test_generated_pages_have_their_html_islands_opened(staged: tuple[Path, Path]) -> None:
    _, out = staged
    for name, data in tree(out).items():
        assert b"<!-- poakit-html" not in data, name  # either kind of island
    assert '<script type="application/json" id="poa-copy-text">' in text(
        out, "docs/cases/acme-home-inauthentic.md"
    )


def test_case_pages_are_indexed_by_their_head_only(staged: tuple[Path, Path]) -> None:
    """No hook adds the compact entries to a staged site's index: its case pages are indexed
    as pages, their sections marked out of the index, so each is found by its head."""
    _, out = staged
    case = text(out, "docs/cases/acme-home-inauthentic.md")
    head = case.split("\n---\n")[0]
    assert UNSEARCHABLE not in head and 'title: "Acme Home Goods LLC: ' in head
    assert f"## Plan of Action {UNINDEXED}" in case and f"### Root causes {UNINDEXED}" in case
    # Pages that are left out of search for their own sake stay out.
    for name in ("docs/cases/index.md", "docs/tags.md"):
        assert UNSEARCHABLE in text(out, name), name


# -- the same inputs, the same bytes ----------------------------------------------------------


def test_a_stage_is_deterministic_wherever_it_is_written(
    staged: tuple[Path, Path], tmp_path: Path
) -> None:
    root, out = staged
    again = tmp_path / "elsewhere" / "another-name"
    stage.stage(root, again)
    assert tree(again) == tree(out)


def test_the_day_comes_from_the_setting_else_from_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tiny(tmp_path / "tiny")
    monkeypatch.delenv("POAKIT_TODAY")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27 00:00 UTC
    stage.stage(root, tmp_path / "by-epoch")
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    stage.stage(root, tmp_path / "by-setting")
    assert tree(tmp_path / "by-epoch") == tree(tmp_path / "by-setting")


# -- a tiny site ------------------------------------------------------------------------------

TINY_CONFIG = """\
site_name: Tiny
strict: true
theme:
  name: material
plugins:
  - search
  - macros:
      module_name: hooks/macros
      render_by_default: false
      on_error_fail: true
hooks:
  - hooks/poakit_pages.py
watch: [cases, snippets]
extra:
  poakit:
    include_private: !ENV [POAKIT_INCLUDE_PRIVATE, false]
    today: !ENV [POAKIT_TODAY, null]
"""
TINY_INDEX = """\
---
render_macros: true
title: Tiny
---
# Tiny

{{ case_count() }} published case(s), library {{ poakit_version }}; {{ unknown }} stays.
"""


def tiny(root: Path, *, private: bool = True) -> Path:
    """The mini fixture as a site, with a private case (its seller: Qzxvtiny Secret Goods)."""
    shutil.copytree(FIXTURES / "mini", root)
    (root / "docs" / "assets").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(TINY_INDEX, encoding="utf-8")
    (root / "docs" / "plain.md").write_text("# Plain\n\n{{ not_rendered() }}\n", encoding="utf-8")
    (root / "docs" / "assets" / "x.css").write_bytes(b"p { color: red }\n")
    (root / "docs" / ".hidden.md").write_text("# Hidden\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(TINY_CONFIG, encoding="utf-8")
    if private:
        public = (root / "cases" / "acme.yaml").read_text(encoding="utf-8")
        secret = public.replace("visibility: public", "visibility: private")
        secret = secret.replace("Acme Home Goods LLC", "Qzxvtiny Secret Goods")
        (root / "cases" / "secret.yaml").write_text(secret, encoding="utf-8")
    return root


def test_a_tiny_stage_renders_only_the_pages_that_ask(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = stage.stage(tiny(tmp_path / "tiny"), out)
    index = text(out, "docs/index.md")
    assert index == (
        "---\ntitle: Tiny\n---\n# Tiny\n\n"
        "1 published case(s), library 0.1.0; {{ unknown }} stays.\n"
    )
    assert text(out, "docs/plain.md") == "# Plain\n\n{{ not_rendered() }}\n"
    assert (out / "docs" / "assets" / "x.css").read_bytes() == b"p { color: red }\n"
    assert not (out / "docs" / ".hidden.md").exists()
    assert (result.folder, result.pages) == (out, sum(1 for n in tree(out) if n.endswith(".md")))
    assert result.files == len(tree(out)) - result.pages


def test_private_cases_stay_out_unless_the_switch_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tiny(tmp_path / "tiny")
    for slug, text in (("secret", "Qzxvtiny letter as sent"), ("acme", "Zqxvpublic letter")):
        sent = root / "cases" / slug / "sent"  # what `poa sent` keeps of each case
        sent.mkdir(parents=True)
        (sent / "v1-2026-10-07-submitted.txt").write_text(text + "\n", encoding="utf-8")
    stage.stage(root, tmp_path / "public")
    public = tree(tmp_path / "public")
    assert "docs/cases/acme.md" in public and "docs/cases/secret.md" not in public
    assert not any(b"qzxvtiny" in data.lower() for data in public.values())
    assert b"Zqxvpublic letter" in public["docs/cases/acme.md"]
    monkeypatch.setenv("POAKIT_INCLUDE_PRIVATE", "yes")
    stage.stage(root, tmp_path / "internal")
    assert b"Qzxvtiny Secret Goods" in (tmp_path / "internal/docs/cases/secret.md").read_bytes()


def test_a_switch_value_nobody_can_read_stops_the_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POAKIT_INCLUDE_PRIVATE", "false # off")
    with pytest.raises(ConfigError) as caught:
        stage.stage(tiny(tmp_path / "tiny"), tmp_path / "out")
    assert str(caught.value) == (
        "POAKIT_INCLUDE_PRIVATE is set to 'false # off': expected true or false "
        "(also yes/no, on/off, 1/0); unset it, or set it to false"
    )
    assert not (tmp_path / "out").exists()


def test_every_error_a_build_stops_on_stops_the_stage_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    root = tiny(tmp_path / "tiny")
    (root / "cases" / "broken.yaml").write_text("visibility: private\nseller: [\n")
    index = root / "docs" / "index.md"
    index.write_text(TINY_INDEX + '\n{{ snippet_example("no-such-measure") }}\n\n{{ oops( }}\n')
    with pytest.raises(InputError) as caught:
        stage.stage(root, tmp_path / "out")
    # Collect, then fail once: the case (private, but unreadable: it might be public) and the
    # guide's macros in one run.
    broken, jinja = (str(f) for f in caught.value.findings)
    assert broken.startswith("cases/broken.yaml:3:1: error: invalid YAML: ")
    assert jinja == (
        "docs/index.md:11:1: error: invalid Jinja: unexpected '}', expected ')' "
        "(see the macros in src/poakit/site/guide.py) [guide-macro]"
    )
    assert not (tmp_path / "out").exists()
    index.write_text(TINY_INDEX + '\n{{ snippet_example("no-such-measure") }}\n')
    (root / "cases" / "broken.yaml").unlink()
    with pytest.raises(InputError) as caught:
        stage.stage(root, tmp_path / "out")
    assert [str(f) for f in caught.value.findings] == [
        "docs/index.md:9:1: error: a macro failed: no measure snippet 'no-such-measure' in "
        "the library (see the macros in src/poakit/site/guide.py) [guide-macro]"
    ]


def test_strict_undefined_names_are_errors_when_the_config_says_so(tmp_path: Path) -> None:
    root = tiny(tmp_path / "tiny")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("on_error_fail: true", "on_undefined: strict"))
    with pytest.raises(InputError) as caught:
        stage.stage(root, tmp_path / "out")
    assert [str(f) for f in caught.value.findings] == [
        "docs/index.md:7:1: error: a macro failed: 'unknown' is undefined "
        "(see the macros in src/poakit/site/guide.py) [guide-macro]"
    ]


@pytest.mark.parametrize(
    ("front", "by_default", "rendered"),
    [
        ("", True, True),
        ("", False, False),
        ("render_macros: true\n", False, True),
        ("render_macros: false\n", True, False),
        ("title: [unclosed\n", True, True),  # front matter nobody can read counts as none
    ],
)
def test_a_page_is_rendered_as_mkdocs_macros_would(
    front: str, by_default: bool, rendered: bool
) -> None:
    page = (f"---\n{front}---\n" if front else "") + "{{ 6 * 7 }}\n"
    environment = jinja2.Environment(keep_trailing_newline=True)
    result = stage.guide_page(page, environment, render_by_default=by_default)
    assert result.endswith("42\n") is rendered
    assert ("render_macros" in result) is (not rendered and "render_macros" in front)


# -- where a stage may be written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "reason"),
    [
        ("docs", "it is inside docs/, which the stage reads"),
        ("docs/staged", "it is inside docs/, which the stage reads"),
        ("cases/out", "it is inside cases/, which the stage reads"),
        ("snippets", "it is inside snippets/, which the stage reads"),
    ],
)
def test_a_folder_the_stage_reads_is_refused(tmp_path: Path, folder: str, reason: str) -> None:
    root = tiny(tmp_path / "tiny")
    before = tree(root)
    with pytest.raises(UsageError) as caught:
        stage.stage(root, root / folder)
    assert str(caught.value) == (
        f"cannot stage into {root / folder}: {reason} (choose a folder outside docs/, "
        "cases/ and snippets/, e.g. stage)"
    )
    assert tree(root) == before


@pytest.mark.parametrize("folder", [".", ".."])
def test_the_project_and_the_folders_above_it_are_refused(tmp_path: Path, folder: str) -> None:
    root = tiny(tmp_path / "tiny")
    with pytest.raises(UsageError, match="it holds the project itself"):
        stage.stage(root, root / folder)
    assert (root / "mkdocs.yml").read_text() == TINY_CONFIG


def test_a_link_into_docs_is_refused_as_docs_is(tmp_path: Path) -> None:
    root = tiny(tmp_path / "tiny")
    os.symlink(root / "docs", tmp_path / "link")
    with pytest.raises(UsageError, match="it is inside docs/"):
        stage.stage(root, tmp_path / "link")


def test_an_existing_folder_needs_force_and_must_be_an_earlier_stage(tmp_path: Path) -> None:
    root = tiny(tmp_path / "tiny")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match=r"mine already exists; pass --force to replace it$"):
        stage.stage(root, mine)
    with pytest.raises(UsageError) as caught:
        stage.stage(root, mine, force=True)
    assert str(caught.value) == (
        f"cannot replace {mine}: poa stage did not write it (its mkdocs.yml does not start "
        "with the stage's header); choose a new or empty folder"
    )
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    (mine / "notes.txt").unlink()
    stage.stage(root, mine)  # empty: no --force needed


def test_force_replaces_an_earlier_stage_whole(tmp_path: Path) -> None:
    root = tiny(tmp_path / "tiny")
    out = tmp_path / "out"
    stage.stage(root, out)
    (out / "site").mkdir()
    (out / "site" / "stale.html").write_text("old build")
    (root / "docs" / "plain.md").unlink()
    stage.stage(root, out, force=True)
    assert not (out / "site").exists() and not (out / "docs" / "plain.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny"]  # no scratch left


def test_a_file_named_like_a_generated_page_is_an_error(tmp_path: Path) -> None:
    root = tiny(tmp_path / "tiny")
    (root / "docs" / "cases").mkdir()
    (root / "docs" / "cases" / "acme.md").write_text("# Mine\n")
    with pytest.raises(ConfigError, match=r"^docs/cases/acme\.md: poakit makes this page"):
        stage.stage(root, tmp_path / "out")


def test_the_repositorys_own_config_is_the_one_the_stage_reads() -> None:
    """A sanity check on the fixture: the tiny config keeps the shape of the real one."""
    real = yaml.safe_load((REPO / "mkdocs.yml").read_text().replace("!ENV", ""))
    tiny_config = yaml.safe_load(TINY_CONFIG.replace("!ENV", ""))
    assert {"plugins", "hooks", "watch", "extra"} <= set(real) & set(tiny_config)
