"""No broken internal link: MkDocs' strict validation at build time, then LinkChecker over the
built files (file:// URLs only; LinkChecker leaves other URLs unchecked unless --check-extern).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from sites import build, git_env, plain_build

pytestmark = pytest.mark.site


@contextmanager
def readable_folder() -> Iterator[Path]:
    """A temporary folder anyone may read. Run as root, LinkChecker drops to user `nobody`,
    who cannot enter pytest's own temporary folders (mode 0700) and would report every file
    as missing."""
    folder = Path(tempfile.mkdtemp(prefix="poakit-links-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def linkcheck(start: Path) -> subprocess.CompletedProcess[str]:
    """LinkChecker from `start`, following every local link; errors only, no progress lines."""
    command = [sys.executable, "-m", "linkcheck", "--no-warnings", "--no-status", str(start)]
    return subprocess.run(
        command, env=git_env(), capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The plain build (shared with the browser tests), copied where LinkChecker can read it."""
    site = plain_build(tmp_path_factory.getbasetemp() / "plain")
    with readable_folder() as folder:
        yield Path(shutil.copytree(site, folder / "site"))


def test_the_built_site_has_no_broken_internal_link(built: Path) -> None:
    result = linkcheck(built / "index.html")
    assert result.returncode == 0, result.stdout
    summary = re.search(
        r"(\d+) links in \d+ URLs checked\. 0 warnings found\. 0 errors found", result.stdout
    )
    assert summary is not None, result.stdout
    # It followed the links: at least every page was reached, not only the start page.
    pages = list(built.rglob("index.html"))
    assert int(summary[1]) > len(pages) > 50


def test_the_link_check_reports_a_broken_link() -> None:
    with readable_folder() as folder:
        (folder / "index.html").write_text(
            '<html><body><a href="guide/">guide</a> <a href="missing/">missing</a></body></html>'
        )
        (folder / "guide").mkdir()
        (folder / "guide" / "index.html").write_text(
            '<html><body><a href="../">home</a></body></html>'
        )
        result = linkcheck(folder / "index.html")
    assert result.returncode == 1
    assert f"Real URL   file://{folder}/missing/" in result.stdout
    assert "1 error found" in result.stdout


class _SettingsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data; tags such as `!ENV` do not matter here and read as null."""


def _no_value(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_SettingsLoader.add_multi_constructor("!", _no_value)
_SettingsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _no_value)


def test_the_sites_settings_fail_a_build_on_a_missing_page_or_heading(tmp_path: Path) -> None:
    """mkdocs.yml's `strict` and `validation:` on a two-page project (a full build is slow)."""
    settings = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=_SettingsLoader)
    assert settings["strict"] is True
    config = {key: settings[key] for key in ("strict", "validation", "markdown_extensions")}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({"site_name": "links", **config}))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n[A page](no-such-page.md), [a heading](guide.md#no-such-heading), "
        "[a good heading](guide.md#steps).\n"
    )
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Steps\n")
    result = build(tmp_path, tmp_path / "out")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("WARNING")] == [
        "WARNING -  Doc file 'index.md' contains a link 'no-such-page.md', but the target is "
        "not found among documentation files.",
        "WARNING -  Doc file 'index.md' contains a link 'guide.md#no-such-heading', but the doc "
        "'guide.md' does not contain an anchor '#no-such-heading'.",
    ]
    assert "Aborted with 2 warnings in strict mode!" in result.stdout + result.stderr
