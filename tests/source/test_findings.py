"""The one translator of validation errors (`poakit.source.findings`): a case file, a
snippet's front matter and `snippets/library.yaml` are all worded the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from poakit.errors import InputError
from poakit.source.case import load_case
from poakit.source.library import read_library


def _case_findings(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "cases" / "acme.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    with pytest.raises(InputError) as raised:
        load_case(path, "cases/acme.yaml")
    return [str(f) for f in raised.value.findings]


def _library_findings(tmp_path: Path, name: str, text: str) -> list[str]:
    root = tmp_path / "snippets"
    import shutil

    shutil.copytree(FIXTURES / "mini" / "snippets", root)
    (root / name).write_text(text)
    return [str(f) for f in read_library(root).findings]


def test_unknown_keys_read_alike_everywhere(tmp_path: Path) -> None:
    case = (FIXTURES / "mini" / "cases" / "acme.yaml").read_text()
    assert _case_findings(tmp_path, case.replace("seller:", "seler:", 1)) == [
        "cases/acme.yaml:2:1: error: unknown key 'seler' in the case (did you mean 'seller'?) "
        "[case-schema]"
    ]
    snippet = "---\ntitle: x\nreasons: [inauthentic]\nsumary: y\n---\nBody.\n"
    assert _library_findings(tmp_path, "root-causes/bad.md", snippet) == [
        "snippets/root-causes/bad.md:4:1: error: unknown key 'sumary' in the front matter "
        "(did you mean 'summary'?) [snippet-front-matter]"
    ]


def test_wrong_types_say_what_was_expected_and_found(tmp_path: Path) -> None:
    settings = "follow_up_days: soon\nlimits:\n  letter: {words: -3}\n"
    assert sorted(_library_findings(tmp_path, "library.yaml", settings)) == [
        "snippets/library.yaml:1:17: error: follow_up_days: expected a whole number, found 'soon' "
        "[library-settings]",
        "snippets/library.yaml:3:19: error: limits.letter.words: expected a whole number "
        "greater than 0, found the number -3 [library-settings]",
    ]
