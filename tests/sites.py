"""The site as the publishing, link and browser tests see it, each made once per test session:

- `plain_build`: `mkdocs build --strict` of the sources plus a case whose review warns;
- `published_twice`: the sources in a temporary git repository, published as 0.1 then 0.2 with
  the publish driver (`python -m poakit.publish`, what `make publish` runs);
- `zensical_build`: the sources of the plain build staged (`poa stage`) and built by Zensical,
  as `make build-zensical` does.

Every build of the whole site costs seconds, so tests/test_links.py and tests/test_browser.py
share the plain build, and tests/test_publish.py and tests/test_browser.py the published one.
"""

from __future__ import annotations

import ast
import datetime as dt
import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO

SOURCES = ("mkdocs.yml", "hooks", "docs", "snippets", "cases")
Completed = subprocess.CompletedProcess[str]
WARNING_CASE, WARNING_SELLER = "quillfeather-warning", "Quillfeather Stationers Ltd"
PRIVATE_CASE = "zyxwv-private"
# Strings found nowhere else, so any trace of the private case in a published file shows.
PRIVATE_MARKERS = ("Zyxwvut Confidential Trading", "ZQ9PRIVATE7741", PRIVATE_CASE)
ACME = "acme-home-inauthentic"
# Where the published test site says it is served (POAKIT_SITE_URL): a host that resolves nowhere.
SITE_URL = "https://poakit.example.test/guide/"


def copy_sources(dest: Path) -> Path:
    """The site's sources (config, hooks, guide, library, cases) copied to `dest`."""
    dest.mkdir(parents=True)
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, dest / name)
    return dest


def add_warning_case(root: Path) -> None:
    """A public case whose review has one warning (blame-others), for the review panel."""
    text = (root / "cases" / f"{ACME}.yaml").read_text(encoding="utf-8")
    text = text.replace("Acme Home Goods LLC", WARNING_SELLER)
    blamed = text.replace(
        "We also\n      wrote", "The mix-up was beyond our control. We also\n      wrote"
    )
    assert blamed != text, "the Acme case changed: pick another place for the warning"
    (root / "cases" / f"{WARNING_CASE}.yaml").write_text(blamed, encoding="utf-8")


def add_private_case(root: Path) -> None:
    text = (root / "cases" / f"{ACME}.yaml").read_text(encoding="utf-8")
    private = (
        text.replace("visibility: public", "visibility: private")
        .replace("Acme Home Goods LLC", PRIVATE_MARKERS[0])
        .replace("A1B2C3D4E5F6G7", PRIVATE_MARKERS[1])
    )
    assert "visibility: private" in private and PRIVATE_MARKERS[1] in private
    (root / "cases" / f"{PRIVATE_CASE}.yaml").write_text(private, encoding="utf-8")


def git_env(identity: bool = True) -> dict[str, str]:
    """The environment of a plain build or publish run: no git configuration of the user's
    (identity only from here) and none of the settings that change what a build includes."""
    unwanted = ("POAKIT_INCLUDE_PRIVATE", "POAKIT_VERSION_PROVIDER", "POAKIT_SITE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in unwanted}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", NO_MKDOCS_2_WARNING="true")
    if identity:
        for role in ("AUTHOR", "COMMITTER"):
            env[f"GIT_{role}_NAME"] = "Poakit Tests"
            env[f"GIT_{role}_EMAIL"] = "tests@poakit.invalid"
    return env


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        env=env or git_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_repo(dest: Path) -> Path:
    """The sources, with a warning case and a private case, committed to a new repository."""
    copy_sources(dest)
    shutil.copy(REPO / ".gitignore", dest / ".gitignore")  # mike builds into site/ first
    add_warning_case(dest)
    add_private_case(dest)
    git(dest, "init", "--quiet", "--initial-branch=main")
    git(dest, "add", "--all")
    git(dest, "commit", "--quiet", "--message=Site sources")
    return dest


def run_publish(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """What `make publish VERSION=... [PUSH=1]` runs, from the project folder, with the site's
    address set (`SITE_URL`) unless `env` sets POAKIT_SITE_URL itself."""
    return subprocess.run(
        [sys.executable, "-m", "poakit.publish", *args],
        cwd=repo,
        env={"POAKIT_SITE_URL": SITE_URL, **(env or git_env())},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def export_branch(repo: Path, branch: str, dest: Path) -> Path:
    """The tree of `branch`, written to `dest` (as a static host would receive it)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", branch],
        cwd=repo,
        env=git_env(),
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def file_texts(root: Path) -> dict[Path, bytes]:
    """Every file under `root` with its content, gzip files decompressed (sitemap.xml.gz)."""
    texts = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        texts[path] = gzip.decompress(data) if path.suffix == ".gz" else data
    return texts


@dataclass(frozen=True)
class Published:
    repo: Path
    origin: Path
    pages: Path
    runs: tuple[subprocess.CompletedProcess[str], ...]


_published: dict[Path, Published] = {}


def published_twice(base: Path) -> Published:
    """Versions 0.1 then 0.2 published (and pushed to a bare origin) from a fresh repository."""
    if base not in _published:
        _published[base] = _publish_twice(base)
    return _published[base]


def _publish_twice(base: Path) -> Published:
    repo = make_repo(base / "repo")
    origin = base / "origin.git"
    git(base, "init", "--quiet", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    runs = tuple(run_publish(repo, version, "--push") for version in ("0.1", "0.2"))
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    pages = export_branch(repo, "gh-pages", base / "gh-pages")
    return Published(repo, origin, pages, runs)


_plain: dict[Path, Path] = {}


def build(
    root: Path, out: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the project in `root` into `out` (`env` added to a plain
    environment)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    return subprocess.run(
        command,
        cwd=root,
        env={**git_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def plain_build(base: Path) -> Path:
    """The sources plus the warning case, built as `make build` does; the built folder."""
    if base not in _plain:
        root = copy_sources(base / "sources")
        add_warning_case(root)
        result = build(root, base / "site")
        assert result.returncode == 0, result.stdout + result.stderr
        _plain[base] = base / "site"
    return _plain[base]


# -- private cases, and the scan of a built site for any trace of them ---------------------------

# Each private case's identifying values, as replacements of the Acme example's.
PRIVATE = {
    "qzxv-private-explicit": {
        "Acme Home Goods LLC": "Qzxvbrook Trading Company",
        "Acme Home": "Qzxvbrook Storefront",
        "A1B2C3D4E5F6G7": "AQZXV7731MERCHT",
        "B0C1234567": "B0QZXV7731",
        "B0C9XK2M4T": "B0QZXV7732",
        "111-1234567-1234567": "902-7731001-7731001",
        "113-5550192-4418830": "902-7731002-7731002",
        "114-2203917-6650124": "902-7731003-7731003",
        "1234567890": "7731900001",
        "1234598761": "7731900002",
        "Jane Doe": "Wynona Qzxvhart",
        "QuickWholesale Ltd": "Qzxvwholesale Limited",
    },
    "qzxv-private-by-default": {
        "Acme Home Goods LLC": "Qzxvmoor Household Supplies",
        "Acme Home": "Qzxvmoor Outlet",
        "A1B2C3D4E5F6G7": "AQZXV8842MERCHT",
        "B0C1234567": "B0QZXV8841",
        "B0C9XK2M4T": "B0QZXV8842",
        "111-1234567-1234567": "903-8842001-8842001",
        "113-5550192-4418830": "903-8842002-8842002",
        "114-2203917-6650124": "903-8842003-8842003",
        "1234567890": "8842900001",
        "1234598761": "8842900002",
        "Jane Doe": "Orsolya Qzxvgard",
        "QuickWholesale Ltd": "Qzxvtrade Limited",
    },
}
TOKENS = sorted({slug for slug in PRIVATE} | {t for m in PRIVATE.values() for t in m.values()})


def private_case(source: str, replacements: dict[str, str], *, say_private: bool) -> str:
    text = source
    for old, new in replacements.items():  # longest first is the dict's order
        text = text.replace(old, new)
    visibility = "visibility: private\n" if say_private else ""
    return text.replace("visibility: public\n", visibility)


def add_private_cases(root: Path) -> None:
    """The two private cases of `PRIVATE` (one says `visibility: private`, one says nothing),
    made from the Acme example in `root`."""
    source = (root / "cases" / f"{ACME}.yaml").read_text(encoding="utf-8")
    for n, (slug, replacements) in enumerate(PRIVATE.items()):
        text = private_case(source, replacements, say_private=n == 0)
        (root / "cases" / f"{slug}.yaml").write_text(text, encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def build_script(script: str, root: Path, *args: str) -> tuple[Any, Completed]:
    """Runs `script` (a build in a fresh interpreter: mkdocs-macros imports hooks/macros by
    module name) in the project `root` with `args`; the Python literal its last line printed,
    and the run."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "true", "SOURCE_DATE_EPOCH": "1790000000"},
        timeout=600,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    return ast.literal_eval(lines[-1]), result


def site_files(out: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of a built site, and what is inside each gzip and zip (DOCX) file."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name, data = path.relative_to(out).as_posix(), path.read_bytes()
        yield name, data
        if name.endswith(".gz"):
            yield f"{name}!", gzip.decompress(data)
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield f"{name}!{member}", archive.read(member)


def traces(out: Path, tokens: list[str]) -> list[str]:
    lowered = [t.lower().encode() for t in tokens]
    return [
        f"{name}: {token.decode()}"
        for name, data in site_files(out)
        for token in lowered
        if token in data.lower()
    ]


# -- a case with a hostile value in every string field (see hostile.py) -------------------------

HOSTILE_SLUG = "model-hostile"


@dataclass(frozen=True)
class HostileSite:
    root: Path
    site: Path
    case: Any  # hostile.Hostile


def hostile_base() -> dict[str, Any]:
    """The Acme example with an entry of every kind a case can hold, every check silenced
    (this case tests escaping; a warning about wording must not take a field out of it)."""
    from poakit.project.load import load_library
    from poakit.review.review import CHECK_RULES as RULES

    case = yaml.safe_load((REPO / "cases" / f"{ACME}.yaml").read_text(encoding="utf-8"))
    case["follow_up"] = [
        {"date": dt.date(2026, 10, 9), "event": "submitted", "sent": "v1", "note": "n"},
        {"date": dt.date(2026, 10, 10), "event": "info-requested", "note": "n"},
        {"date": dt.date(2026, 10, 11), "event": "resubmitted", "sent": "v2", "changes": ["c"]},
        {"date": dt.date(2026, 10, 12), "event": "note", "note": "n"},
        {"date": dt.date(2026, 10, 13), "event": "reinstated", "note": "n"},
    ]
    for document in case["evidence"]:
        document.setdefault("kind", "invoice")
        document.setdefault("file", "invoices.pdf")
    # every block of facts, so that each of their text fields gets a hostile value
    issue, asin = "counterfeit-claims", "B0C1234567"
    since = {"rate": 0.4, "defective": 3, "total": 702, "start": dt.date(2026, 10, 5)}
    case["metrics"] = [
        {
            "issues": [issue],
            "name": "Order Defect Rate",
            "target": "under 1%",
            "rate": 2.1,
            "defective": 26,
            "total": 1240,
            "window_days": 60,
            "since_fix": {**since, "end": dt.date(2026, 10, 8)},
        }
    ]
    case["ip"] = [
        {
            "issues": [issue],
            "right": "R",
            "owner": "O",
            "owner_email": "o@example.com",
            "route": "not-used",
            "change": "c",
        }
    ]
    case["fulfilment"] = {
        "ships_from": "supplier",
        "supplier": case["suppliers"][0]["id"],
        "agreement": dt.date(2026, 10, 3),
        "seller_of_record": True,
        "returns": "r",
        "stock_out": "s",
    }
    case["grading"] = {
        "rule": "r",
        "opened": "used",
        "stock": [{"asin": asin, "checked": 2, "sealed": 1, "opened": 1}],
    }
    case["incentives"] = [
        {"what": "w", "asins": [asin], "count": 1, "value": 1, "currency": "USD", "period": "p"}
    ]
    case["root_causes"][0]["title"] = "t"
    library = load_library(REPO / "snippets")
    rules = sorted({*RULES, *(rule.id for rule in library.tone_rules)})
    case["silence"] = [{"rule": rule, "reason": "escaping test"} for rule in rules]
    return case


_hostile: dict[Path, HostileSite] = {}

#: A paragraph of the hostile case's first letter that the letter no longer has: the case
#: page's diff shows it removed, as text.
HOSTILE_RECORD = (
    "A removed paragraph: <zqmrecord-el zqmrecord-at=1 onmouseover=alert(1)> "
    "</script><script>alert(1)</script> {{ 7*7 }} --> <!-- & [x](javascript:alert(1))"
)


def record_hostile_version(root: Path, library: Any) -> None:
    """v1 of the hostile case as `poa sent` would keep it: the letter, one paragraph more."""
    from poakit.project.load import check_case
    from poakit.render import render_letter

    path = root / "cases" / f"{HOSTILE_SLUG}.yaml"
    result = check_case(path, library, f"cases/{HOSTILE_SLUG}.yaml", root)
    assert result.letter is not None, [str(f) for f in result.findings]
    text = render_letter(result.letter, "text").decode("utf-8") + "\n" + HOSTILE_RECORD + "\n"
    sent = root / "cases" / HOSTILE_SLUG / "sent"
    sent.mkdir(parents=True)
    (sent / "v1-2026-10-09-submitted.txt").write_text(text, encoding="utf-8")


def hostile_build(base: Path) -> HostileSite:
    """The sources plus the hostile case, built with `mkdocs build --strict`."""
    if base not in _hostile:
        from hostile import hostile_case

        from poakit.project.load import load_library

        root = copy_sources(base / "sources")
        library = load_library(root / "snippets")
        case = hostile_case(hostile_base(), library, root / "cases", HOSTILE_SLUG)
        record_hostile_version(root, library)
        result = build(root, base / "site")
        assert result.returncode == 0, result.stdout + result.stderr
        _hostile[base] = HostileSite(root, base / "site", case)
    return _hostile[base]


# -- the staged tree, built by Zensical (issue #20) ----------------------------------------------


def run_stage(root: Path, folder: Path, env: dict[str, str] | None = None) -> Completed:
    """`poa stage FOLDER --force` in the project `root`, as `make stage` runs it."""
    command = [sys.executable, "-m", "poakit", "stage", str(folder), "--force"]
    return _run(command, root, env)


def run_zensical(folder: Path) -> Completed:
    """`zensical build --clean -f FOLDER/mkdocs.yml`, as `make build-zensical` runs it; the
    site goes to FOLDER/site."""
    command = [
        sys.executable,
        "-m",
        "zensical",
        "build",
        "--clean",
        "-f",
        str(folder / "mkdocs.yml"),
    ]
    return _run(command, folder, None)


def _run(command: list[str], cwd: Path, env: dict[str, str] | None) -> Completed:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**git_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass(frozen=True)
class ZensicalSite:
    root: Path  # the project's sources
    stage: Path  # what `poa stage` wrote
    site: Path  # what Zensical built of it
    build: Completed


_zensical: dict[Path, ZensicalSite] = {}


def zensical_build(base: Path, *, private: bool = False) -> ZensicalSite:
    """The sources of `plain_build` (plus the private cases of `PRIVATE` with `private`),
    staged, then built by Zensical; made once per base folder."""
    if base not in _zensical:
        root = copy_sources(base / "sources")
        add_warning_case(root)
        if private:
            add_private_cases(root)
        staged = run_stage(root, base / "stage")
        assert staged.returncode == 0, staged.stderr
        built = run_zensical(base / "stage")
        assert built.returncode == 0, built.stdout + built.stderr
        _zensical[base] = ZensicalSite(root, base / "stage", base / "stage" / "site", built)
    return _zensical[base]
