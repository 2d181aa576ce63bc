"""The `poa` command as a user runs it: output lines, exit codes, files written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TESTS, poa

GOLDEN = TESTS / "golden" / "letters"


def test_help_lists_the_commands(mini: Path) -> None:
    result = poa("--help", cwd=mini)
    assert result.returncode == 0
    for command in ("check", "render"):
        assert command in result.stdout


def test_version_is_the_installed_packages(mini: Path) -> None:
    """`--version` reads the version when asked (poakit/__init__.py), as argparse's did."""
    from importlib.metadata import version

    result = poa("--version", cwd=mini)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"poakit {version('poakit')}\n",
        "",
    )
    assert "--version    show program's version number and exit" in poa("--help", cwd=mini).stdout


def test_poa_ends_with_its_code_output_and_exit_handlers_without_a_teardown(mini: Path) -> None:
    """`run` (the `poa` script, `python -m poakit`) skips the interpreter's teardown only: the
    command's exit code, its whole output through a pipe and the exit handlers are kept."""
    program = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran'))\n"
        "sys.argv = ['poa', 'schema']\n"
        "from poakit.cli.main import run\n"
        "run()\n"
        "print('not reached')\n"
    )
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    ended = subprocess.run(
        [sys.executable, "-c", program],
        cwd=mini,
        capture_output=True,
        text=True,
        timeout=120,
        env=buffered,
    )
    through_main = subprocess.run(
        [sys.executable, "-c", "import sys; from poakit.cli.main import main; main(['schema'])"],
        cwd=mini,
        capture_output=True,
        text=True,
        timeout=120,
        env=buffered,
    )
    assert ended.returncode == through_main.returncode == 0
    assert len(ended.stdout) > 8192  # more than one buffer of output, all of it
    # the handler's words, written after the command's and flushed by `run` alone
    output, _, handler = ended.stdout.rpartition("exit handler ran\n")
    assert handler == "" and output == through_main.stdout and json.loads(output)
    assert "not reached" not in ended.stdout
    quiet = poa("check", "--format", "json", cwd=mini, stdout=subprocess.DEVNULL)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_check_clean_project_exits_0(mini: Path) -> None:
    result = poa("check", cwd=mini)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "0 errors, 0 warnings in 1 case file and the snippet library\n"


def test_check_reports_findings_one_per_line_and_exits_1(mini: Path) -> None:
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("reason: inauthentic", "reason: inauthentc"))
    result = poa("check", cwd=mini)
    assert result.returncode == 1
    assert result.stdout == (
        "cases/acme.yaml:14:15: error: unknown reason 'inauthentc' "
        "(did you mean 'inauthentic'?) [unknown-reason]\n"
    )
    assert "Traceback" not in result.stderr


def test_check_names_paths_relative_to_where_it_runs(mini: Path) -> None:
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("reason: inauthentic", "reason: inauthentc"))
    result = poa("check", "acme.yaml", cwd=mini / "cases")
    assert result.stdout.startswith("acme.yaml:14:15: error:")


def test_usage_errors_exit_2(mini: Path, tmp_path: Path) -> None:
    assert poa("check", "--format", "xml", cwd=mini).returncode == 2
    outside = poa("check", cwd=tmp_path)
    assert outside.returncode == 2
    assert outside.stderr.startswith("poa: error: no poakit project here")


def test_check_takes_slugs_and_checks_each_case_once(mini: Path) -> None:
    result = poa("check", "acme", "cases/acme.yaml", "./cases/acme.yaml", "acme", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "0 errors, 0 warnings in 1 case file and the snippet library\n"
    (mini / "cases" / "acme" / "sent").mkdir(parents=True)  # a records folder named as the slug
    beside = poa("check", "acme", cwd=mini / "cases")
    assert beside.returncode == 0, beside.stdout
    assert beside.stderr == "0 errors, 0 warnings in 1 case file and the snippet library\n"
    missing = poa("check", "nope", "cases", cwd=mini)
    assert missing.returncode == 1
    assert missing.stdout == (
        "cases:1:1: error: expected a case file, found a folder [case-missing]\n"
        "cases/nope.yaml:1:1: error: no such case file (check the path or the slug) "
        "[case-missing]\n"
    )


def test_two_files_of_one_slug_are_an_error_and_poa_new_makes_none(mini: Path) -> None:
    cases = mini / "cases"
    other = (cases / "acme.yaml").read_text().replace("Acme Home", "Other Seller")
    (cases / "acme.yml").write_text(other)
    result = poa("check", cwd=mini)
    assert result.returncode == 1
    assert result.stdout == (
        "cases/acme.yml:1:1: error: this file and cases/acme.yaml have one slug, 'acme', and a "
        "site has one page per slug: it would show only one of them (keep one file: move what "
        "this one adds into cases/acme.yaml, then delete this one) [case-slug]\n"
    )
    assert poa("check", "--no-cache", cwd=mini).stdout == result.stdout
    # named one by one, in any order, a file is held to the first of its slug as in a whole
    # check: the later file has the error whether or not the earlier one is named too
    in_cases = result.stdout.replace("cases/", "")  # paths as shown from inside cases/
    for where, named, expected in (
        (mini, ["cases/acme.yml"], result.stdout),
        (mini, ["cases/acme.yml", "cases/acme.yaml"], result.stdout),
        (cases, ["acme.yml"], in_cases),
    ):
        alone = poa("check", *named, cwd=where)
        assert (alone.returncode, alone.stdout) == (1, expected), named
    first = poa("check", "cases/acme.yaml", cwd=mini)
    assert first.returncode == 0 and "case-slug" not in first.stdout, first.stdout
    (cases / "acme.yaml").rename(cases / "beta.yml")
    (cases / "acme.yml").rename(cases / "beta.yaml")
    refused = poa("new", "beta", cwd=mini)
    assert refused.returncode == 2
    assert refused.stderr.startswith("poa: error: cases/beta.yaml already exists")
    (cases / "beta.yaml").unlink()
    refused = poa("new", "beta", cwd=mini)
    assert refused.returncode == 2
    assert refused.stderr.startswith("poa: error: cases/beta.yml already exists")
    assert sorted(p.name for p in cases.iterdir()) == ["beta.yml"]


def test_a_slug_too_long_is_refused_with_one_that_fits(mini: Path) -> None:
    result = poa("new", "a" * 81, cwd=mini)
    assert result.returncode == 2
    assert result.stderr == (
        f"poa: error: '{'a' * 81}' is not a valid case slug: use lower-case letters, digits "
        f"and hyphens, at most 80 characters (e.g. '{'a' * 80}')\n"
    )


@pytest.mark.parametrize("command", [("check",), ("render", "acme"), ("new", "beta")])
def test_a_poakit_today_that_is_not_a_date_is_a_configuration_error(
    mini: Path, command: tuple[str, ...]
) -> None:
    result = poa(*command, cwd=mini, today="2026-13-01")
    assert result.returncode == 2
    assert result.stderr == (
        "poa: error: POAKIT_TODAY: expected a date as YYYY-MM-DD (e.g. 2026-10-04), found "
        "'2026-13-01'\n"
    )
    assert sorted(p.name for p in (mini / "cases").iterdir()) == ["acme.yaml"]


@pytest.mark.parametrize(
    "command", [("render", "acme", "--format", "text"), ("check", "--format", "json")]
)
def test_a_reader_that_stops_early_ends_poa_quietly(mini: Path, command: tuple[str, ...]) -> None:
    """`poa ... | head`: the pipe closes before poa writes; no traceback, exit 141."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = poa(*command, cwd=mini, stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 141
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_a_cases_path_that_is_not_a_folder_is_a_clear_error(mini: Path) -> None:
    """cases/ that cannot be listed (a file here; unreadable for a user without the right)
    is not an empty project: `poa check` would pass and a build publish no case."""
    shutil.rmtree(mini / "cases")
    (mini / "cases").write_text("not a folder\n")
    result = poa("check", cwd=mini)
    assert result.returncode == 2
    assert result.stderr == (
        "poa: error: cannot read cases/: Not a directory (it should be the folder of case files)\n"
    )


def test_a_full_disk_under_the_output_is_a_message(mini: Path) -> None:
    with open("/dev/full", "w") as full:
        result = poa("render", "acme", "--format", "text", cwd=mini, stdout=full)
    assert result.returncode == 2
    assert result.stderr == "poa: error: No space left on device\n"


def test_sigterm_stops_poa_as_ctrl_c_does_leaving_no_partial_file(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM (a CI job cancelled, `timeout`) mid-write: the temporary file goes, the exit
    code is 143, and the handlers poa set are taken back when it returns."""
    from poakit import fileio
    from poakit.cli.main import main

    real = fileio._publish

    def terminated(temporary: str, path: Path, overwrite: bool) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        real(temporary, path, overwrite)

    monkeypatch.setattr(fileio, "_publish", terminated)
    monkeypatch.chdir(mini)
    monkeypatch.setenv("POAKIT_TODAY", "2026-11-27")
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stopped:
        main(["render", "acme", "--format", "text", "-o", "letter.txt"])
    assert stopped.value.code == 143
    assert sorted(p.name for p in mini.iterdir() if "letter" in p.name) == []
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.parametrize(
    "target", ["docs/letter.txt", "cases/acme.yaml", "snippets/x.txt", "site/a/letter.txt"]
)
def test_render_never_writes_into_the_site_folders(mini: Path, target: str) -> None:
    before = {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()}
    result = poa("render", "acme", "--format", "text", "-o", target, "--force", cwd=mini)
    folder = target.split("/")[0]
    assert result.returncode == 2
    assert result.stderr == (
        f"poa: error: {target} is inside {folder}/: an export of a letter holds the client's "
        "details and must stay out of the site's sources and output; write it elsewhere\n"
    )
    assert {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()} == before


def test_render_markdown_by_slug(mini: Path) -> None:
    result = poa("render", "acme", cwd=mini)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / "acme.md").read_text()


def test_render_text_to_a_file_never_overwrites_without_force(mini: Path) -> None:
    out = mini / "letter.txt"
    assert poa("render", "acme", "--format", "text", "--output", str(out), cwd=mini).returncode == 0
    first = out.read_bytes()
    out.write_text("keep me")
    refused = poa("render", "acme", "--format", "text", "-o", str(out), cwd=mini)
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text() == "keep me"
    assert (
        poa("render", "acme", "--format", "text", "-o", str(out), "--force", cwd=mini).returncode
        == 0
    )
    assert out.read_bytes() == first
    assert sorted(p.name for p in mini.iterdir() if p.name.startswith(".letter")) == []


def test_render_of_a_broken_case_prints_its_findings(mini: Path) -> None:
    case = mini / "cases" / "acme.yaml"
    case.write_text(case.read_text().replace("received: 2026-10-02", "received: soon"))
    result = poa("render", "acme", cwd=mini)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "cases/acme.yaml:9:13: error: notice.received: expected a date" in result.stderr


@pytest.mark.parametrize("name", ["nope", "cases/nope.yaml"])
def test_render_of_a_missing_case(mini: Path, name: str) -> None:
    result = poa("render", name, cwd=mini)
    assert result.returncode == 1
    assert "no such case file" in result.stderr


def test_the_command_starts_without_the_site_modules() -> None:
    # only `poa stage` needs them (some 20 ms of every start); the others import them never
    code = (
        "import sys, poakit.cli.main; "
        "print(sorted(m for m in sys.modules if m.startswith('poakit.site')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


_PLUGINS = """
import os
from poakit.cli.main import main
try:
    main(["check", "--no-cache"])
except SystemExit:
    pass
from pydantic.plugin import _loader
print(os.environ["PYDANTIC_DISABLE_PLUGINS"], _loader._plugins is None)
"""


@pytest.mark.parametrize(
    ("given", "expected"), [(None, "__all__ True\n"), ("some-plugin", "some-plugin False\n")]
)
def test_poa_looks_for_no_pydantic_plugin_unless_told_to(
    mini: Path, given: str | None, expected: str
) -> None:
    # looking for plugins reads every installed package's entry points: some 30 ms of a
    # cold check's start; a user's own PYDANTIC_DISABLE_PLUGINS is kept
    env = {"PATH": "/usr/bin:/bin", "POAKIT_TODAY": "2026-11-27"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    result = subprocess.run(
        [sys.executable, "-c", _PLUGINS], cwd=mini, capture_output=True, text=True, env=env
    )
    assert "0 errors" in result.stderr
    assert result.stdout == expected


_BUILT = """
import pydantic
from poakit.cli.main import main
try:
    main(["check"])
except SystemExit:
    pass
def models(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from models(sub)
built = {m.__name__ for m in models(pydantic.BaseModel)
         if m.__module__.startswith("poakit.") and m.__pydantic_complete__}
print(sorted(built))
"""


def test_a_warm_check_builds_no_validator(mini: Path) -> None:
    # the models' validators are built on first use (`defer_build`), and a warm `poa check`
    # reads its findings back without validating anything: some 0.08 s of its start
    assert poa("check", cwd=mini).returncode == 0  # fills the cache
    result = subprocess.run(
        [sys.executable, "-c", _BUILT],
        cwd=mini,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "POAKIT_TODAY": "2026-11-27"},
    )
    assert "0 errors" in result.stderr
    assert result.stdout == "[]\n"
    fresh = subprocess.run(
        [sys.executable, "-c", _BUILT.replace('["check"]', '["check", "--no-cache"]')],
        cwd=mini,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "POAKIT_TODAY": "2026-11-27"},
    )
    assert "Case" in fresh.stdout  # the same measure sees a fresh check build them
