"""Publishing with mike against real temporary git repositories: `python -m poakit.publish`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from sites import (
    ACME,
    PRIVATE_CASE,
    PRIVATE_MARKERS,
    SITE_URL,
    WARNING_CASE,
    Published,
    file_texts,
    git,
    git_env,
    published_twice,
    run_publish,
)

from poakit import __version__
from poakit.publish.mike import check_version, suggested_version

pytestmark = pytest.mark.site

REDIRECT = re.compile(r'window\.location\.replace\(\s*"([^"]*)"')
HINT = f"run `make publish VERSION={suggested_version()}` (the project is {__version__})"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return published_twice(tmp_path_factory.getbasetemp() / "published")


def test_each_run_reports_what_it_published_and_pushed(published: Published) -> None:
    first, second = published.runs
    assert first.stdout.splitlines()[:2] == [
        "published 0.1 to gh-pages; 'latest' and the site root lead to it",
        "pushed gh-pages to origin",
    ]
    assert second.stdout.startswith("published 0.2 to gh-pages;")
    assert first.stderr == second.stderr == ""


def test_versions_json_lists_both_versions_with_latest_on_the_newest(
    published: Published,
) -> None:
    versions = json.loads((published.pages / "versions.json").read_text())
    assert versions == [
        {"version": "0.2", "title": "0.2", "aliases": ["latest"]},
        {"version": "0.1", "title": "0.1", "aliases": []},
    ]


def test_gh_pages_holds_both_versions_and_redirects(published: Published) -> None:
    top = git(published.repo, "ls-tree", "gh-pages").splitlines()
    modes = {line.split("\t")[1]: line.split()[0] for line in top}
    # Aliases are real folders of redirect pages, not symlinks: any static host serves them.
    assert modes == {
        ".nojekyll": "100644",
        "0.1": "040000",
        "0.2": "040000",
        "index.html": "100644",
        "latest": "040000",
        "versions.json": "100644",
    }
    for version in ("0.1", "0.2"):
        assert (published.pages / version / "cases" / ACME / "index.html").is_file()


@pytest.mark.parametrize(
    ("page", "target"),
    [
        ("index.html", "latest/"),
        ("latest/index.html", "../0.2/"),
        (f"latest/cases/{ACME}/index.html", f"../../../0.2/cases/{ACME}/"),
    ],
)
def test_root_and_latest_redirect_to_the_newest_version(
    published: Published, page: str, target: str
) -> None:
    html = (published.pages / page).read_text()
    assert REDIRECT.findall(html) == [target]


def test_published_pages_turn_the_version_selector_on(published: Published) -> None:
    html = (published.pages / "0.2" / "index.html").read_text()
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html)
    assert config is not None
    assert json.loads(config[1])["version"] == {"provider": "mike", "alias": True}


def test_published_pages_name_the_sites_address_with_their_version(published: Published) -> None:
    """POAKIT_SITE_URL gives canonical links and the sitemap their host and base path; mike
    adds the version's folder."""
    for version in ("0.1", "0.2"):
        folder = published.pages / version
        page = (folder / "cases" / ACME / "index.html").read_text()
        assert f'<link rel="canonical" href="{SITE_URL}{version}/cases/{ACME}/">' in page
        sitemap = (folder / "sitemap.xml").read_text()
        assert f"<loc>{SITE_URL}{version}/cases/{ACME}/</loc>" in sitemap
        locations = re.findall("<loc>([^<]*)</loc>", sitemap)
        canonical = [
            link
            for path in folder.rglob("*.html")
            for link in re.findall(r'<link rel="canonical" href="([^"]*)"', path.read_text())
        ]
        assert len(locations) > 20 and len(canonical) > 20
        assert all(url.startswith(f"{SITE_URL}{version}/") for url in locations + canonical)


def test_every_published_case_page_names_the_library_version(published: Published) -> None:
    public = {
        path.stem
        for path in (published.repo / "cases").glob("*.yaml")
        if yaml.safe_load(path.read_text()).get("visibility") == "public"
    }
    pages = {path.name: path for path in (published.pages / "0.2" / "cases").glob("*/")}
    assert set(pages) == public and WARNING_CASE in public
    for page in pages.values():
        assert f"snippet library {__version__}" in (page / "index.html").read_text(), page


def test_private_case_is_absent_from_every_published_file(published: Published) -> None:
    texts = file_texts(published.pages)
    assert (published.pages / "0.2" / "cases" / WARNING_CASE / "index.html") in texts
    leaks = [
        (path.relative_to(published.pages).as_posix(), marker)
        for path, data in texts.items()
        for marker in PRIVATE_MARKERS
        if marker.encode() in data
    ]
    assert leaks == []
    assert not any(PRIVATE_CASE in str(path) for path in texts)


def test_push_sends_gh_pages_to_origin(published: Published) -> None:
    local = git(published.repo, "rev-parse", "gh-pages")
    assert git(published.origin, "rev-parse", "gh-pages") == local


def test_sources_are_left_as_they_were(published: Published) -> None:
    assert git(published.repo, "status", "--porcelain", "--untracked-files=all") == ""


# --- errors: each names the problem and the fix; none leaves a gh-pages branch behind ------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _committed(root: Path) -> Path:
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message=Sources")
    return root


def _fails(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = run_publish(root, *args, env=env)
    assert result.stdout == ""
    return result.returncode, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), f"no VERSION given: {HINT}"),
        (("",), f"no VERSION given: {HINT}"),
        (
            ("1.x",),
            "bad version '1.x': expected MAJOR.MINOR or MAJOR.MINOR.PATCH (optionally with a1, "
            f"b1 or rc1), such as '{suggested_version()}'; {HINT}",
        ),
        (
            ("latest",),
            "bad version 'latest': expected MAJOR.MINOR or MAJOR.MINOR.PATCH (optionally with "
            f"a1, b1 or rc1), such as '{suggested_version()}'; {HINT}",
        ),
    ],
)
def test_a_missing_or_bad_version_is_a_usage_error(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    assert _fails(project, *args) == (2, f"poa publish: error: {message}\n")


def test_outside_a_git_repository(project: Path) -> None:
    assert _fails(project, "0.1") == (
        2,
        f"poa publish: error: not a git repository: {project} (mike commits the site to its "
        "gh-pages branch; run `git init`, then commit the sources)\n",
    )


def test_in_a_repository_without_a_commit(project: Path) -> None:
    git(project, "init", "--quiet")
    assert _fails(project, "0.1") == (
        2,
        f"poa publish: error: the git repository in {project} has no commit yet (mike names "
        "the source commit in each deploy): commit the sources first, e.g. "
        "`git add -A && git commit -m Sources`\n",
    )


def test_without_a_git_identity(project: Path) -> None:
    _committed(project)
    assert _fails(project, "0.1", env=git_env(identity=False)) == (
        2,
        "poa publish: error: no git identity for the gh-pages commit: user.name is not set; "
        'set it with `git config user.name "Your Name"` (add --global for every repository), '
        "or set GIT_COMMITTER_NAME in the environment\n",
    )


def test_pushing_without_a_remote(project: Path) -> None:
    _committed(project)
    assert _fails(project, "0.1", "--push") == (
        2,
        "poa publish: error: no remote 'origin' to push to: add it with "
        "`git remote add origin URL`, or publish without --push (PUSH=1)\n",
    )


@pytest.mark.parametrize("value", ["true", " TRUE ", "Yes", "on", "1"])
def test_private_cases_cannot_be_forced_into_a_published_site(project: Path, value: str) -> None:
    env = {**git_env(), "POAKIT_INCLUDE_PRIVATE": value}
    assert _fails(project, "0.1", env=env) == (
        2,
        f"poa publish: error: POAKIT_INCLUDE_PRIVATE is set to {value!r}: a published site "
        "never includes private cases; unset it (`unset POAKIT_INCLUDE_PRIVATE`) and publish "
        "again\n",
    )


@pytest.mark.parametrize("value", ["false # off", "maybe", "2", "ture", "false\ntrue"])
def test_a_switch_value_the_build_could_misread_stops_the_publish(
    project: Path, value: str
) -> None:
    """The guard reads the switch with the build's own parser: what it cannot read as yes or
    no stops both, before mike runs (a value read as "no" here and "yes" there cannot pass)."""
    env = {**git_env(), "POAKIT_INCLUDE_PRIVATE": value}
    assert _fails(project, "0.1", env=env) == (
        2,
        f"poa publish: error: POAKIT_INCLUDE_PRIVATE is set to {value!r}: expected true or "
        "false (also yes/no, on/off, 1/0); unset it, or set it to false\n",
    )


def test_publishing_without_the_sites_address_says_how_to_set_it(project: Path) -> None:
    _committed(project)
    env = {**git_env(), "POAKIT_SITE_URL": ""}
    assert _fails(project, "0.1", env=env) == (
        2,
        "poa publish: error: POAKIT_SITE_URL is not set: a published site needs the address it "
        "is served at, for its canonical links and sitemap; set it, e.g. `make publish "
        f"VERSION={suggested_version()} POAKIT_SITE_URL=https://your-team.github.io/poakit/`\n",
    )
    assert git(project, "branch", "--list", "gh-pages") == ""


def test_a_site_address_the_build_cannot_read_stops_the_publish(project: Path) -> None:
    _committed(project)
    env = {**git_env(), "POAKIT_SITE_URL": "poakit.example.test"}
    assert _fails(project, "0.1", env=env) == (
        2,
        "poa publish: error: POAKIT_SITE_URL is set to 'poakit.example.test': expected an "
        "address starting with https:// (or http://) and a host; set it to the address the "
        "site is served at, such as https://your-team.github.io/poakit/\n",
    )


def test_a_failing_build_reports_mike_and_the_build_output(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Broken\nstrict: true\n")
    (root / "docs" / "index.md").write_text("# Home\n\n[Gone](gone.md)\n")
    _committed(root)
    code, stderr = _fails(root, "0.1")
    assert code == 1
    assert stderr.startswith(
        "poa publish: error: `mike deploy --update-aliases --alias-type redirect 0.1 latest` "
        "failed (exit 1); nothing was published by this step. Its output:\n"
    )
    assert (
        "    WARNING -  Doc file 'index.md' contains a link 'gone.md', but the target is not "
        "found among documentation files.\n" in stderr
    )
    assert "    error: Command '['mkdocs', 'build'" in stderr
    assert "Traceback" not in stderr
    assert git(root, "branch", "--list", "gh-pages") == ""


@pytest.mark.parametrize("version", ["0.1", "1.0", "2.10.3", "1.0rc1", "0.3b2"])
def test_version_strings_that_are_accepted(version: str) -> None:
    assert check_version(version) == version


def test_the_suggested_version_is_major_minor_of_the_project() -> None:
    assert suggested_version("0.1.0") == "0.1"
    assert suggested_version("2.13.4rc1") == "2.13"
    assert re.fullmatch(r"\d+\.\d+", suggested_version())
