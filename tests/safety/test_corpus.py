"""Bad input: every malformed file gets its exact finding, and none crashes, hangs or bloats.

Two golden corpora hold the committed inputs:

- `tests/golden/bad-cases/NAME.case.yaml` with `NAME.expected` (run by test_case_errors.py);
- `tests/golden/bad-snippets/NAME/`, files laid over the `mini` fixture's `snippets/`, with
  `NAME.expected` holding every finding of the whole project (run here).

Inputs that cannot or should not be committed (a 10 MB file, a 240,000-column line, symlinks,
a named pipe) are made by the tests below. Anything that could hang runs under a time bound:
`signal.alarm` in-process, or a subprocess with `timeout=`; the bombs and huge files run in a
subprocess that reports its own peak memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, TESTS

from poakit.project.load import check_case, load_library, load_project
from poakit.render.markdown import letter_markdown
from poakit.source import yaml as yamlsource

GOLDEN = TESTS / "golden"
BAD_CASES = sorted((GOLDEN / "bad-cases").glob("*.case.yaml"))
BAD_SNIPPETS = sorted(p for p in (GOLDEN / "bad-snippets").iterdir() if p.is_dir())
SECONDS = 20  # far above the ~0.1 s any of these takes; only a hang comes near it
MEGABYTES = 60  # peak memory a bad file may add to the process (the 10 MB file adds ~1 MB)


@contextlib.contextmanager
def deadline(seconds: int = SECONDS) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _expected(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _overlay(mini: Path, corpus_entry: Path) -> None:
    shutil.copytree(corpus_entry, mini / "snippets", dirs_exist_ok=True)


# -- the snippet corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("entry", BAD_SNIPPETS, ids=[p.name for p in BAD_SNIPPETS])
def test_bad_snippet_gives_exact_findings(entry: Path, mini: Path) -> None:
    _overlay(mini, entry)
    with deadline():
        project = load_project(mini, base=mini)
    assert [str(f) for f in project.findings] == _expected(entry.with_suffix(".expected"))
    assert project.findings, "a bad snippet must give at least one finding"
    # A snippet that failed to render produced no output: the case using it has no letter.
    used = "snippets/root-causes/unverified-supplier.md"
    if any(f.position.path == used for f in project.findings):
        assert project.cases[0].letter is None


def test_corpus_has_at_least_forty_files_each_with_its_expected_findings() -> None:
    cases = {p.name.removesuffix(".case.yaml") for p in BAD_CASES}
    snippets = {p.name for p in BAD_SNIPPETS}
    assert len(cases) + len(snippets) >= 40
    expected_cases = {
        p.name.removesuffix(".expected") for p in (GOLDEN / "bad-cases").glob("*.expected")
    }
    expected_snippets = {
        p.name.removesuffix(".expected") for p in (GOLDEN / "bad-snippets").glob("*.expected")
    }
    assert expected_cases == cases
    assert expected_snippets == snippets


def test_corpus_covers_every_spine_error_class_and_the_safety_ones() -> None:
    cases = {p.name.removesuffix(".case.yaml") for p in BAD_CASES}
    snippets = {p.name for p in BAD_SNIPPETS}
    spine = {  # issue #2's ten kinds of bad case file
        "broken-yaml",
        "wrong-type",
        "missing-field",
        "unknown-reason",
        "unknown-snippet",
        "unknown-variable",
        "unknown-issue",
        "duplicate-ids",
        "non-utf8",
        "empty",
    }
    safety_cases = {
        "billion-laughs",
        "recursive-alias",
        "duplicate-key",
        "tabs",
        "bom-positions",
        "crlf-positions",
        "control-character",
        "nul-byte",
        "python-tag",
        "deep-nesting",
        "huge-number",
        "invalid-date",
        "multiple-documents",
        "utf16",
    }
    safety_snippets = {
        "include-loop",
        "include-self",
        "include-etc-passwd",
        "include-parent-path",
        "front-matter-billion-laughs",
        "front-matter-recursive-alias",
        "front-matter-tabs",
        "front-matter-duplicate-key",
        "front-matter-control-character",
        "non-utf8",
        "crlf-positions",
        "bom-positions",
        "power-bomb",
        "repeat-bomb",
    }
    safety_snippets |= set(RENDER_BUDGET_BOMBS)
    assert spine | safety_cases <= cases
    assert safety_snippets <= snippets


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("bad-cases/crlf-positions.case.yaml", b"\r\n"),
        ("bad-cases/bom-positions.case.yaml", b"\xef\xbb\xbf"),
        ("bad-cases/nul-byte.case.yaml", b"\x00"),
        ("bad-cases/control-character.case.yaml", b"\x07"),
        ("bad-cases/utf16.case.yaml", b"\xff\xfe"),
        ("bad-snippets/crlf-positions/root-causes/bad.md", b"\r\n"),
        ("bad-snippets/bom-positions/root-causes/bad.md", b"\xef\xbb\xbf"),
    ],
)
def test_corpus_bytes_arrive_as_committed(path: str, marker: bytes) -> None:
    """The .gitattributes beside the corpora keep git from normalising these bytes away."""
    assert marker in (GOLDEN / path).read_bytes()


# -- inputs made by the tests --------------------------------------------------------------------

BASE_CASE = (FIXTURES / "mini" / "cases" / "acme.yaml").read_text(encoding="utf-8")


@pytest.fixture
def library():  # type: ignore[no-untyped-def]
    return load_library(FIXTURES / "mini" / "snippets")


def _check(root: Path, name: str, library) -> list[str]:  # type: ignore[no-untyped-def]
    with deadline():
        result = check_case(root / "cases" / name, library, f"cases/{name}", root)
    assert result.letter is None
    return [str(f) for f in result.findings]


def test_a_10_mb_case_is_refused_without_reading_it_all(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "huge.yaml").write_bytes(b"lessons:\n  - " + b"x" * 10_000_000 + b"\n")
    assert _check(tmp_path, "huge.yaml", library) == [
        "cases/huge.yaml:1:1: error: the file is larger than 1000 kB (a case or snippet file is "
        "a few kilobytes; split or shorten it) [too-large]"
    ]


def test_a_very_long_line_gives_the_right_column(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    asins = ", ".join(["B0C1234567"] * 20_000) + ", B0BAD"
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "long.yaml").write_text(
        BASE_CASE.replace("asins: [B0C1234567]", f"asins: [{asins}]", 1)
    )
    assert _check(tmp_path, "long.yaml", library) == [
        "cases/long.yaml:15:240015: error: notice.issues[0].asins[20000]: expected an ASIN of 10 "
        "capital letters or digits, found 'B0BAD' (e.g. B0C1234567) [case-schema]"
    ]


def test_a_case_linking_outside_the_repository_is_not_read(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "cases").mkdir(parents=True)
    outside.mkdir()
    (outside / "client.yaml").write_text(BASE_CASE)
    (project / "cases" / "linked.yaml").symlink_to(outside / "client.yaml")
    assert _check(project, "linked.yaml", library) == [
        "cases/linked.yaml:1:1: error: the case file links to a file outside the project (copy "
        "the file into cases/ instead of linking to it) [case-outside]"
    ]


def test_a_cases_folder_linking_outside_the_repository_is_not_read(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "client.yaml").write_text(BASE_CASE)
    (project / "cases").symlink_to(outside, target_is_directory=True)
    assert _check(project, "client.yaml", library) == [
        "cases/client.yaml:1:1: error: the case file links to a file outside the project (copy "
        "the file into cases/ instead of linking to it) [case-outside]"
    ]


def test_a_link_inside_the_repository_is_fine(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "real.yaml").write_text(BASE_CASE)
    (tmp_path / "cases" / "alias.yaml").symlink_to(tmp_path / "cases" / "real.yaml")
    result = check_case(tmp_path / "cases" / "alias.yaml", library, "cases/alias.yaml", tmp_path)
    assert result.letter is not None
    assert [f for f in result.findings if f.level == "error"] == []


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_link_to_nothing_is_a_finding(tmp_path: Path, library, kind: str) -> None:  # type: ignore[no-untyped-def]
    cases = tmp_path / "cases"
    cases.mkdir()
    if kind == "dangling":
        (cases / "x.yaml").symlink_to(cases / "gone.yaml")
    else:
        (cases / "x.yaml").symlink_to(cases / "y.yaml")
        (cases / "y.yaml").symlink_to(cases / "x.yaml")
    assert _check(tmp_path, "x.yaml", library) == [
        "cases/x.yaml:1:1: error: the case file is a link to nothing (its target is missing, or "
        "the links loop) (replace the link with the case file itself) [case-missing]"
    ]


def test_a_folder_named_like_a_case_is_a_finding(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases" / "folder.yaml").mkdir(parents=True)
    assert _check(tmp_path, "folder.yaml", library) == [
        "cases/folder.yaml:1:1: error: expected a case file, found a folder [case-missing]"
    ]


def test_a_named_pipe_never_hangs_the_check(tmp_path: Path) -> None:
    """Opening a FIFO blocks until a writer comes: the check must not open it at all."""
    (tmp_path / "cases").mkdir()
    shutil.copytree(FIXTURES / "mini" / "snippets", tmp_path / "snippets")
    os.mkfifo(tmp_path / "cases" / "pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "poakit", "--root", str(tmp_path), "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "cases/pipe.yaml:1:1: error: expected a text file, found a special file (a pipe or a "
        "device) [unreadable]"
    ]
    assert "Traceback" not in result.stderr


def test_a_snippet_linking_outside_the_library_is_not_read(mini: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\nreasons: [inauthentic]\n---\nNot reviewed.\n")
    (mini / "snippets" / "root-causes" / "linked.md").symlink_to(secret)
    with deadline():
        findings = [str(f) for f in load_library(mini / "snippets").findings]
    assert findings == [
        "snippets/root-causes/linked.md:1:1: error: the snippet file links to a file outside the "
        "snippet library (copy the file into snippets/ instead of linking to it) [snippet-outside]"
    ]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda p: p.write_bytes(b"---\ntitle: x\n---\n" + b"x" * 10_000_000),
            "the file is larger than 1000 kB (a case or snippet file is a few kilobytes; split "
            "or shorten it) [too-large]",
        ),
        (lambda p: p.mkdir(), "expected a text file, found a folder [unreadable]"),
        (
            lambda p: os.mkfifo(p),
            "expected a text file, found a special file (a pipe or a device) [unreadable]",
        ),
    ],
    ids=["10-mb", "folder", "named-pipe"],
)
def test_snippet_files_that_cannot_be_read_are_findings(mini: Path, make, expected: str) -> None:  # type: ignore[no-untyped-def]
    make(mini / "snippets" / "measures" / "odd.md")
    with deadline():
        findings = [str(f) for f in load_library(mini / "snippets").findings]
    assert findings == [f"snippets/measures/odd.md:1:1: error: {expected}"]


# -- memory and time, measured in a child process ------------------------------------------------

_MEASURE = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from poakit.project.load import load_library
    from poakit.project.load import check_case, load_project
    library = load_library(Path(sys.argv[1]))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = []
    for kind, name in zip(sys.argv[2::2], sys.argv[3::2]):
        target = Path(name)
        if kind == "case":
            findings = check_case(target, library, target.name, target.parent.parent).findings
        else:
            findings = load_project(target, base=target).findings
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        report.append({"kb": peak - before, "findings": [str(f) for f in findings]})
    print(json.dumps(report))
    """
)


def _measure(targets: list[tuple[str, Path]]) -> list[tuple[int, list[str]]]:
    """Load each target in one fresh interpreter: for each, the findings and how far the
    process's peak memory had grown (MB) over what it was before the first load."""
    arguments = [str(part) for target in targets for part in target]
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(FIXTURES / "mini" / "snippets"), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [(entry["kb"] // 1024, entry["findings"]) for entry in json.loads(result.stdout)]


CASE_BOMBS = ["billion-laughs", "recursive-alias", "deep-nesting", "huge-number"]
# Each way around the render budget found by issue #14, and a few more (see sandbox.py).
RENDER_BUDGET_BOMBS = [
    "ljust-bomb",
    "rjust-bomb",
    "zfill-bomb",
    "center-filter-bomb",
    "expandtabs-bomb",
    "format-width-bomb",
    "format-nested-width-bomb",
    "percent-width-bomb",
    "format-filter-bomb",
    "join-bomb",
    "join-method-bomb",
    "list-repeat-bomb",
    "power-tower",
    "multiply-bomb",
    "nested-range-loops",
    "nested-text-loops",
    "recursive-loop",
    "macro-fan-out",
    "namespace-doubling",
    "replace-bomb",
    "indent-bomb",
    "wordwrap-bomb",
    "batch-fill-bomb",
    "slice-bomb",
    "literal-loop-bomb",
    "output-bomb",
]
SNIPPET_BOMBS = [
    "front-matter-billion-laughs",
    "power-bomb",
    "repeat-bomb",
    "range-bomb",
    *RENDER_BUDGET_BOMBS,
]


def test_bombs_and_huge_files_stay_small_in_memory(tmp_path: Path) -> None:
    """YAML bombs, a 10 MB case and snippet bombs: exact findings, and the process's peak
    memory grows by less than MEGABYTES over all of them together (it grows by ~1 MB)."""
    targets: list[tuple[str, Path]] = []
    expected: list[list[str]] = []
    (tmp_path / "cases").mkdir()
    for name in CASE_BOMBS:
        shutil.copy(GOLDEN / "bad-cases" / f"{name}.case.yaml", tmp_path / "cases" / f"{name}.yaml")
        targets.append(("case", tmp_path / "cases" / f"{name}.yaml"))
        lines = _expected(GOLDEN / "bad-cases" / f"{name}.expected")
        expected.append([line.replace(f"cases/{name}.yaml", f"{name}.yaml") for line in lines])
    huge = tmp_path / "cases" / "huge.yaml"
    huge.write_bytes(b"lessons:\n" + b"  - lol\n" * 1_250_000)  # 10 MB of valid YAML
    assert huge.stat().st_size == 10_000_009
    targets.append(("case", huge))
    expected.append(
        [
            "huge.yaml:1:1: error: the file is larger than 1000 kB (a case or snippet file is a "
            "few kilobytes; split or shorten it) [too-large]"
        ]
    )
    for name in SNIPPET_BOMBS:
        project = tmp_path / name
        shutil.copytree(FIXTURES / "mini", project)
        _overlay(project, GOLDEN / "bad-snippets" / name)
        targets.append(("project", project))
        expected.append(_expected(GOLDEN / "bad-snippets" / f"{name}.expected"))
    measured = _measure(targets)
    assert [findings for _, findings in measured] == expected
    assert [grown for grown, _ in measured if grown >= MEGABYTES] == []


def test_a_billion_laughs_would_expand_beyond_any_memory() -> None:
    """The corpus bomb really is one: nine levels of nine aliases, 9**9 strings if expanded."""
    text = (GOLDEN / "bad-cases" / "billion-laughs.case.yaml").read_text()
    assert text.count("*") == 8 * 9 and "&i" in text
    assert 100 * yamlsource.MAX_NODES < 9**9


def test_poa_check_reports_the_whole_case_corpus_in_one_run(mini: Path) -> None:
    """All bad cases at once through the real command: exit 1, every finding, no traceback."""
    for source in BAD_CASES:
        shutil.copy(source, mini / "cases" / source.name.replace(".case.yaml", ".yaml"))
    result = subprocess.run(
        [sys.executable, "-m", "poakit", "check"],
        cwd=mini,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = sorted(
        line
        for p in BAD_CASES
        for line in _expected(p.with_name(p.name.replace(".case.yaml", ".expected")))
    )
    assert sorted(result.stdout.splitlines()) == expected


# -- unusual but valid input loads fine ----------------------------------------------------------


def _letter_of(root: Path, name: str, library) -> str:  # type: ignore[no-untyped-def]
    result = check_case(root / "cases" / name, library, f"cases/{name}", root)
    assert [f for f in result.findings if f.level == "error"] == []
    assert result.letter is not None
    return letter_markdown(result.letter)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    ],
    ids=["lf", "crlf", "bom", "bom-crlf"],
)
def test_crlf_and_bom_cases_load_to_the_same_letter(tmp_path: Path, library, encode) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "plain.yaml").write_text(BASE_CASE)
    (tmp_path / "cases" / "odd.yaml").write_bytes(encode(BASE_CASE))
    assert _letter_of(tmp_path, "odd.yaml", library) == _letter_of(tmp_path, "plain.yaml", library)


def test_crlf_and_bom_snippets_render_the_same(mini: Path) -> None:
    before = load_project(mini, base=mini)
    for path in (mini / "snippets").rglob("*.md"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    after = load_project(mini, base=mini)
    assert after.findings == before.findings
    assert before.cases[0].letter is not None and after.cases[0].letter is not None
    assert letter_markdown(after.cases[0].letter) == letter_markdown(before.cases[0].letter)


def test_a_root_cause_sharing_its_id_with_an_issue_is_fine(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "same.yaml").write_text(
        BASE_CASE.replace("unvetted-supplier", "counterfeit-claims")
    )
    assert (
        "counterfeit-claims"
        in (tmp_path / "cases" / "same.yaml").read_text().split("root_causes:")[1]
    )
    _letter_of(tmp_path, "same.yaml", library)


@pytest.mark.parametrize("value", ["=", "'='", "~x", "'*not-an-alias'", '"&not-an-anchor"'])
def test_yaml_oddities_that_are_plain_text_load_as_text(value: str) -> None:
    document = yamlsource.load(f"summary: {value}\n", "x.yaml")
    assert isinstance(document.data["summary"], str)
