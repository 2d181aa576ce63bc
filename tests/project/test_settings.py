"""Settings read from mkdocs.yml and the environment: the dashboard's "today"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from poakit.errors import ConfigError
from poakit.project import settings

TODAY = dt.date(2026, 11, 27)


# -- today ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        (dt.date(2026, 11, 27), dt.date(2026, 11, 27)),
        (dt.datetime(2026, 11, 27, 13, 5), dt.date(2026, 11, 27)),
        ("2026-11-27", dt.date(2026, 11, 27)),
    ],
)
def test_today_setting_is_read(value: Any, expected: dt.date | None) -> None:
    assert settings.parse_today(value) == expected


def test_a_bad_today_names_the_setting_its_line_and_the_fix(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  poakit:\n    today: !ENV [POAKIT_TODAY, null]\n")
    with pytest.raises(ConfigError) as caught:
        settings.parse_today("tomorrow", config)
    assert str(caught.value) == (
        "mkdocs.yml:4:5: extra.poakit.today: expected a date as YYYY-MM-DD, found 'tomorrow' "
        "(set POAKIT_TODAY=2026-11-27, or leave it unset to count to the build date)"
    )


def test_mkdocs_yml_reads_today_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.config import load_config

    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    config = load_config(str(REPO / "mkdocs.yml"))
    assert settings.parse_today(config.extra["poakit"]["today"]) == dt.date(2026, 11, 27)
    monkeypatch.delenv("POAKIT_TODAY")
    config = load_config(str(REPO / "mkdocs.yml"))
    assert settings.parse_today(config.extra["poakit"]["today"]) is None


# -- the day of a build (a stage reads it as MkDocs does) ----------------------------------------


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        ("1795737600", dt.date(2026, 11, 27)),
        ("1795823999", dt.date(2026, 11, 27)),
        ("0", dt.date(1970, 1, 1)),
    ],
)
def test_the_build_date_is_source_date_epoch_in_utc_as_mkdocs_reads_it(
    monkeypatch: pytest.MonkeyPatch, epoch: str, expected: dt.date
) -> None:
    from mkdocs.utils import get_build_datetime

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert settings.build_date() == expected == get_build_datetime().date()


def test_without_source_date_epoch_the_build_date_is_today_in_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).date()
    assert before <= settings.build_date() <= dt.datetime.now(dt.UTC).date()


def test_a_source_date_epoch_nobody_can_read_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError) as caught:
        settings.build_date()
    assert str(caught.value) == (
        "SOURCE_DATE_EPOCH is set to 'yesterday': expected whole seconds since 1970 "
        "(e.g. 1795737600), or unset it"
    )


# -- site_url ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("https://acme.github.io/poakit/", "https://acme.github.io/poakit/"),
        ("https://Acme.GitHub.io/poakit", "https://acme.github.io/poakit/"),  # the base path
        (" http://docs.example.test:8080 ", "http://docs.example.test:8080/"),
        ("https://example.test/a/b", "https://example.test/a/b/"),
    ],
)
def test_the_site_url_is_read_as_an_address_with_its_base_path(
    value: str | None, expected: str | None
) -> None:
    assert settings.site_url(value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (
            "acme.github.io/poakit",
            "expected an address starting with https:// (or http://) and a host",
        ),
        (
            "ftp://example.test/",
            "expected an address starting with https:// (or http://) and a host",
        ),
        ("https:///poakit/", "expected an address starting with https:// (or http://) and a host"),
        ("https://example.test/a b/", "expected an address without spaces or control characters"),
        ("https://example.test/?v=1", "expected no query (?...) or fragment (#...)"),
        ("https://example.test/#top", "expected no query (?...) or fragment (#...)"),
        (
            "https://me:secret@example.test/",
            "a user name or password would be published in every page",
        ),
        ("https://example.test:port/", "expected an address such as https://host/path/"),
        (True, "expected an address"),
    ],
)
def test_a_bad_site_url_names_the_value_and_the_fix(value: object, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings.site_url(value)
    assert str(caught.value) == (
        f"POAKIT_SITE_URL is set to {str(value)!r}: {problem}; set it to the address the site "
        "is served at, such as https://your-team.github.io/poakit/"
    )


def test_mkdocs_yml_reads_the_site_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mkdocs.config import load_config

    monkeypatch.setenv("POAKIT_SITE_URL", "https://acme.github.io/poakit")
    config = load_config(str(REPO / "mkdocs.yml"))
    assert settings.site_url(config.extra["poakit"]["site_url"]) == "https://acme.github.io/poakit/"
    monkeypatch.delenv("POAKIT_SITE_URL")
    config = load_config(str(REPO / "mkdocs.yml"))
    assert settings.site_url(config.extra["poakit"]["site_url"]) is None
