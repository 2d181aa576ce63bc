"""`source.yaml` builds a checked document's data itself (`_build`) rather than through
PyYAML's `construct_document`: the same data, or the same finding, for every YAML file of the
project and for the corners of YAML (merge keys, aliases, tags that do not fit their node,
numbers and dates PyYAML reads its own way, values it cannot build)."""

from __future__ import annotations

import pytest
from conftest import REPO

from poakit.errors import InputError
from poakit.source import yaml as yaml_module

CORNERS = [
    "a: 1\nb: [1, 2, {c: d}]\n",
    "base: &base {x: 1, y: [a, b]}\nuse: *base\nagain: *base\n",
    "base: &base {x: 1}\nmerged:\n  <<: *base\n  y: 2\n",
    "merged:\n  <<: [{x: 1}, {y: 2}]\n  z: 3\n",
    "ints: [0x1F, 0o17, 017, 1_000, +5, -0, 1:30, 0b101]\n",
    "floats: [1.5, .inf, -.Inf, 1e3, 6.8523015e+5, 1_000.5, 190:20:30.15]\n",
    "bools: [yes, No, on, OFF, true, False, y, n]\n",
    "nulls: [~, null, Null, '']\ndate: 2026-10-04\nstamp: 2026-10-04T10:00:00Z\n",
    "bad date: 2026-02-30\n",
    "huge: " + "9" * 5000 + "\n",
    "tagged: !!str 2026-10-04\nnumber: !!int '7'\nfloat: !!float '1'\n",
    "wrong: !!map text\n",
    "wrong: !!seq text\n",
    "wrong: !!str {a: b}\n",
    "wrong: !!int [1]\n",
    "equals: =\n",
    "? [a, b]\n: c\n",
    "1: one\n2.5: two\nnull: three\ntrue: four\n2026-10-04: date\n",
    "text: 'line one\n\n  line two'\nfolded: >\n  a\n  b\nliteral: |\n  a\n  b\n",
    "- &a [1, 2]\n- *a\n- *a\n",
    "",
    "# only a comment\n",
    "plain scalar document\n",
]


def _files() -> list[str]:
    """Every YAML file of the project, and the front matter of every snippet."""
    folders = ("cases", "snippets", "notices", "tests/fixtures", "tests/golden")
    paths = [p for f in folders for p in sorted((REPO / f).rglob("*.y*ml"))]
    texts = [p.read_text("utf-8", errors="replace") for p in paths if p.is_file()]
    for snippet in sorted((REPO / "snippets").rglob("*.md")):
        head, sep, _ = snippet.read_text("utf-8").removeprefix("---\n").partition("\n---\n")
        texts += [head] if sep else []
    return texts


def _outcome(text: str) -> object:
    try:
        document = yaml_module.load(text, "file.yaml")
    except InputError as exc:
        return ("findings", [str(f) for f in exc.findings])
    return ("data", document.data, repr(document.data))


def _old(monkeypatch: pytest.MonkeyPatch, text: str) -> object:
    def unusual(loader: object, node: object) -> object:
        raise yaml_module._Unusual

    with monkeypatch.context() as patch:
        patch.setattr(yaml_module, "_build", unusual)
        return _outcome(text)


@pytest.mark.parametrize("text", CORNERS)
def test_the_corners_of_yaml_are_built_as_pyyaml_builds_them(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _outcome(text) == _old(monkeypatch, text)


def test_every_yaml_file_of_the_project_is_built_as_pyyaml_builds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _files()
    assert len(texts) > 250
    for text in texts:
        assert _outcome(text) == _old(monkeypatch, text)
