"""mkdocs.yml read without MkDocs (with `!ENV` as MkDocs reads it), and the staged copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from poakit.errors import ConfigError
from poakit.site import siteconfig


def write(folder: Path, text: str) -> Path:
    path = folder / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, {"a": None, "b": False, "c": "fallback"}),
        ({"ONE": "true", "TWO": "2026-01-02"}, {"a": True, "b": True, "c": dt.date(2026, 1, 2)}),
        ({"ONE": "", "THREE": "x y"}, {"a": None, "b": None, "c": "x y"}),
        ({"ONE": "no # off"}, {"a": "no # off", "b": "no # off", "c": "fallback"}),
    ],
)
def test_env_values_are_read_as_mkdocs_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: object
) -> None:
    from mkdocs.utils import yaml_load

    for name in ("ONE", "TWO", "THREE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    path = write(
        tmp_path,
        "site_name: x\na: !ENV ONE\nb: !ENV [ONE, false]\nc: !ENV [TWO, THREE, fallback]\n",
    )
    ours = siteconfig.read_config(path)
    with path.open(encoding="utf-8") as handle:
        theirs = yaml_load(handle)
    assert {k: ours[k] for k in "abc"} == expected
    assert {k: theirs[k] for k in "abc"} == expected


def test_the_projects_own_config_reads_as_mkdocs_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.utils import yaml_load

    monkeypatch.setenv("POAKIT_INCLUDE_PRIVATE", "off")
    with (REPO / "mkdocs.yml").open(encoding="utf-8") as handle:
        assert siteconfig.read_config(REPO / "mkdocs.yml") == yaml_load(handle)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site_name: [x\n", "mkdocs.yml:2:1: expected ',' or ']', but got '<stream end>'"),
        ("a: !!python/name:os.system\n", "mkdocs.yml:1:4: could not determine a constructor"),
        ("a: !ENV {x: 1}\n", "mkdocs.yml:1:4: expected a variable name or a list after !ENV"),
        ("- a\n", "mkdocs.yml: expected a mapping of settings, found list"),
        ("INHERIT: base.yml\n", "mkdocs.yml: INHERIT is not supported by poa stage (copy"),
    ],
)
def test_a_config_the_stage_cannot_read_says_where_and_why(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        siteconfig.read_config(write(tmp_path, text))
    assert str(caught.value).startswith(message)


def test_a_missing_config_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^cannot read mkdocs\.yml: No such file"):
        siteconfig.read_config(tmp_path / "mkdocs.yml")


CONFIG = {
    "site_name": "poakit",
    "docs_dir": "pages",
    "strict": True,
    "theme": {"name": "material", "font": False},
    "not_in_nav": "/drafts/*.md\n",
    "plugins": [
        "search",
        {"tags": {}},
        {"macros": {"module_name": "hooks/macros"}},
        {"x": {"a": 1}},
    ],
    "hooks": ["hooks/poakit_pages.py"],
    "watch": ["cases", "snippets"],
    "extra": {
        "poakit": {"include_private": False, "today": dt.date(2026, 1, 2)},
        "version": {"provider": ""},
        "launch": dt.date(2026, 3, 4),
    },
}


def test_the_staged_config_has_no_hooks_no_macros_and_nothing_watched() -> None:
    staged = siteconfig.staged_config(CONFIG, ["/cases/*.md"])
    assert "hooks" not in staged and "watch" not in staged
    assert staged["plugins"] == ["search", "tags", {"x": {"a": 1}}]
    assert (staged["docs_dir"], staged["site_dir"]) == ("docs", "site")
    assert staged["strict"] is True and staged["site_name"] == "poakit"
    assert staged["not_in_nav"] == "/drafts/*.md\n/cases/*.md"


def test_the_staged_config_drops_poakits_settings_and_keeps_dates_as_text() -> None:
    """Nothing reads extra.poakit without the hooks, and Zensical 0.0.73 stops on a date in
    `extra` (TypeError: failed to extract field Project.extra)."""
    staged = siteconfig.staged_config(CONFIG, [])
    assert staged["extra"] == {"version": {"provider": ""}, "launch": "2026-03-04"}
    assert CONFIG["extra"]["poakit"]["today"] == dt.date(2026, 1, 2)  # the input is untouched


def test_the_staged_config_asks_zensical_for_materials_look() -> None:
    assert siteconfig.staged_config(CONFIG, [])["theme"] == {
        "name": "material",
        "font": False,
        "variant": "classic",
    }
    modern = {**CONFIG, "theme": {"name": "material", "variant": "modern"}}
    assert siteconfig.staged_config(modern, [])["theme"]["variant"] == "modern"


def test_the_staged_file_says_who_wrote_it_and_reads_back(tmp_path: Path) -> None:
    data = siteconfig.dump_config(siteconfig.staged_config(CONFIG, ["/cases/*.md"]))
    path = tmp_path / "mkdocs.yml"
    path.write_bytes(data)
    assert data.startswith(siteconfig.STAGED_HEADER.encode())
    assert siteconfig.is_staged(path)
    assert "not_in_nav: |-\n  /drafts/*.md\n  /cases/*.md\n" in data.decode()
    assert yaml.safe_load(data) == siteconfig.staged_config(CONFIG, ["/cases/*.md"])
    path.write_text("site_name: mine\n")
    assert not siteconfig.is_staged(path)
    assert not siteconfig.is_staged(tmp_path / "missing.yml")


@pytest.mark.parametrize(
    ("plugins", "options"),
    [
        (None, None),
        (["search", "macros"], {}),
        ([{"macros": {"render_by_default": False}}], {"render_by_default": False}),
        ({"search": None, "macros": {"on_undefined": "strict"}}, {"on_undefined": "strict"}),
    ],
)
def test_the_macros_options_in_every_form_mkdocs_accepts(plugins: object, options: object) -> None:
    assert siteconfig.macros_options({"plugins": plugins}) == options


def test_the_staged_site_has_the_address_the_build_would_have() -> None:
    """POAKIT_SITE_URL reaches the staged mkdocs.yml through the same parser as the build."""
    from poakit.site.siteconfig import staged_config

    config = {"site_name": "x", "site_url": "http://127.0.0.1:8000/"}
    assert staged_config(config, [])["site_url"] == "http://127.0.0.1:8000/"
    config["extra"] = {"poakit": {"site_url": "https://Acme.example/poakit"}}
    assert staged_config(config, [])["site_url"] == "https://acme.example/poakit/"
