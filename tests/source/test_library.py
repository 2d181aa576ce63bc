"""The snippet library loader: front matter validation, template errors, cross-references."""

from __future__ import annotations

from pathlib import Path

import pytest

from poakit.project.load import load_library, load_project


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / "snippets" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _messages(root: Path) -> list[str]:
    return [str(f) for f in load_library(root / "snippets", "snippets").findings]


def test_fixture_library_loads_clean(mini: Path) -> None:
    library = load_library(mini / "snippets")
    assert library.findings == []
    assert set(library.reasons) == {"inauthentic"}
    assert set(library.measures) == {"remove-suspect-inventory", "supplier-vetting"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: x\n",
            "snippets/root-causes/bad.md:1:1: error: expected front matter: a '---' line, YAML, "
            "then another '---' line (start the file with ---, a title: line, and ---) "
            "[snippet-front-matter]",
        ),
        (
            "---\ntitle: x\nreasons: [inauthentic]\n",
            "snippets/root-causes/bad.md:1:1: error: the front matter has no closing '---' line "
            "[snippet-front-matter]",
        ),
        (
            "---\nreasons: [inauthentic]\n---\nBody.\n",
            "snippets/root-causes/bad.md:2:1: error: missing required key 'title' in the front "
            "matter [snippet-front-matter]",
        ),
        (
            "---\ntitle: x\nreasons: [inauthentic]\nsumary: y\n---\nBody.\n",
            "snippets/root-causes/bad.md:4:1: error: unknown key 'sumary' in the front matter "
            "(did you mean 'summary'?) [snippet-front-matter]",
        ),
        (
            "---\ntitle: x\nreasons: [inauthentik]\n---\nBody.\n",
            "snippets/root-causes/bad.md:3:11: error: unknown reason 'inauthentik' in 'reasons' "
            "(did you mean 'inauthentic'?) [unknown-reason]",
        ),
        (
            "---\ntitle: x\nreasons: [inauthentic]\nvariables:\n  supplier: {required: true}\n---\nB\n",
            "snippets/root-causes/bad.md:5:13: error: missing required key 'description' in "
            "variables.supplier [snippet-front-matter]",
        ),
        (
            "---\ntitle: x\nreasons: [inauthentic]\n---\nLine one.\n{% if x %}\n",
            "snippets/root-causes/bad.md:6:1: error: invalid template: Unexpected end of template. "
            "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost "
            "block that needs to be closed is 'if'. [snippet-syntax]",
        ),
    ],
    ids=[
        "no-front-matter",
        "unclosed",
        "no-title",
        "unknown-key",
        "unknown-reason",
        "variable-without-description",
        "template-syntax",
    ],
)
def test_bad_snippet_gives_exact_finding(mini: Path, text: str, expected: str) -> None:
    _write(mini, "root-causes/bad.md", text)
    assert expected in _messages(mini)


def test_a_snippet_folder_that_cannot_be_read_is_named(mini: Path) -> None:
    """Not only "unknown measure" on every case that uses one: the folder is the problem."""
    measures = mini / "snippets" / "measures"
    for path in measures.iterdir():
        path.unlink()
    measures.rmdir()
    measures.write_text("not a folder\n")
    assert (
        "snippets/measures:1:1: error: cannot read the folder: Not a directory (make it a "
        "folder of snippet files that you may read) [unreadable]"
    ) in _messages(mini)


def test_reason_suggesting_a_missing_snippet_is_reported(mini: Path) -> None:
    reason = mini / "snippets" / "reasons" / "inauthentic.md"
    reason.write_text(
        reason.read_text()
        .replace("[supplier-vetting]", "[supplier-vetting, nope]")
        .replace("supplier-vetting]", "supplier-vetting, supplier-vettin]")
    )
    assert any(
        "unknown measure 'supplier-vettin' in 'measures' (did you mean 'supplier-vetting'?)" in m
        for m in _messages(mini)
    )


def test_undeclared_variable_names_snippet_line_and_case(mini: Path) -> None:
    _write(
        mini,
        "root-causes/unverified-supplier.md",
        "---\ntitle: Unverified supplier\nreasons: [inauthentic]\nvariables:\n"
        "  supplier: {description: The supplier., required: true}\n---\n"
        "We bought from {{ supplier }}.\nIt is based in {{ supplier_country }}.\n",
    )
    project = load_project(mini, base=mini)
    messages = [str(f) for f in project.findings]
    assert messages == [
        "snippets/root-causes/unverified-supplier.md:8:1: error: 'supplier_country' is undefined "
        "in snippet 'unverified-supplier' (used by case cases/acme.yaml:23:5) (declare it under "
        "'variables' in the snippet, or use a standard variable) [snippet-variable]"
    ]


def test_sandbox_blocks_python_internals(mini: Path) -> None:
    _write(
        mini,
        "root-causes/unverified-supplier.md",
        "---\ntitle: Unverified supplier\nreasons: [inauthentic]\nvariables:\n"
        "  supplier: {description: The supplier., required: true}\n---\n"
        "{{ supplier.__class__.__mro__[1].__subclasses__() }}\n",
    )
    project = load_project(mini, base=mini)
    assert [f.rule for f in project.findings] == ["snippet-sandbox"]
    assert project.cases[0].letter is None
