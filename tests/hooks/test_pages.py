"""The MkDocs adapter `hooks/poakit_pages.py`, driven through its event functions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import REPO, hook_module


def _hook_today(extra: dict[str, Any], config_file: Path) -> dt.date:
    hook = hook_module("poakit_pages")
    hook.on_startup("build", False)
    hook.on_config(SimpleNamespace(extra=extra, config_file_path=str(config_file)))
    return hook._state["today"]  # type: ignore[no-any-return]


def test_the_hook_counts_to_the_setting_else_to_the_build_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config_file = REPO / "mkdocs.yml"
    assert _hook_today({"poakit": {"today": "2026-01-31"}}, config_file) == dt.date(2026, 1, 31)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")  # 2026-11-27 00:00 UTC
    assert _hook_today({"poakit": {"today": None}}, config_file) == dt.date(2026, 11, 27)


@pytest.mark.parametrize("setting", ["include_private", "cache"])
def test_a_bad_switch_is_a_configuration_error_with_exit_code_2(setting: str) -> None:
    hook = hook_module("poakit_pages")
    hook.on_startup("build", False)
    config = SimpleNamespace(
        extra={"poakit": {setting: "maybe"}}, config_file_path=str(REPO / "mkdocs.yml")
    )
    with pytest.raises(hook.SettingError) as raised:
        hook.on_config(config)
    assert raised.value.exit_code == 2
    assert "is set to 'maybe': expected true or false" in str(raised.value)


def test_the_hooks_stay_small() -> None:
    """The adapter translates; anything of substance belongs in the engine."""
    for path in (REPO / "hooks").glob("*.py"):
        assert len(path.read_text().splitlines()) < 150, path.name


@pytest.mark.parametrize(
    ("command", "value", "expected"),
    [
        ("build", "https://acme.github.io/poakit", "https://acme.github.io/poakit/"),
        ("gh-deploy", "https://acme.github.io/poakit/", "https://acme.github.io/poakit/"),
        ("build", None, "http://127.0.0.1:8000/"),
        ("serve", "https://acme.github.io/poakit/", "http://127.0.0.1:8000/"),  # stays local
    ],
)
def test_the_site_takes_its_address_from_the_setting(
    command: str, value: str | None, expected: str
) -> None:
    hook = hook_module("poakit_pages")
    hook.on_startup(command, False)
    config = SimpleNamespace(
        extra={"poakit": {"site_url": value}},
        config_file_path=str(REPO / "mkdocs.yml"),
        site_url="http://127.0.0.1:8000/",
    )
    hook.on_config(config)
    assert config.site_url == expected


def test_a_bad_site_url_stops_the_build_with_exit_code_2() -> None:
    hook = hook_module("poakit_pages")
    hook.on_startup("build", False)
    config = SimpleNamespace(
        extra={"poakit": {"site_url": "acme.github.io"}}, config_file_path=str(REPO / "mkdocs.yml")
    )
    with pytest.raises(hook.SettingError) as raised:
        hook.on_config(config)
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith("POAKIT_SITE_URL is set to 'acme.github.io': expected")
