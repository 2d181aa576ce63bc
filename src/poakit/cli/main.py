"""The `poa` command: a thin driver over the engine.

Exit codes: 0 no errors; 1 errors found in case or snippet files; 2 usage or configuration
error, or a file that cannot be read or written; 130 interrupted (Ctrl-C), 143 and 129
stopped by SIGTERM or SIGHUP, each after cleaning up; 141 the reader of the output stopped
(`poa check | head`). A user's mistake is printed as `poa: error: ...`, never a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from ..errors import Finding, InputError, PoakitError, UsageError
from ..fileio import write_atomic
from ..model.values import plural
from ..project.load import errors_in, load_library, sendable_letter
from ..project.loader import check_project
from ..render import DEFAULT_WIDTH, FORMATS, render_letter
from ..review.review import today
from ..source.layout import (
    CACHE_DIR,
    SNIPPETS_DIR,
    case_arguments,
    display_path,
    find_root,
    refuse_site_folders,
    resolve_case,
)
from . import followup
from . import stage as stage_command
from .arguments import whole_number
from .github import annotation
from .progress import ProgressLine


class _Version(argparse.Action):
    """`--version`, as argparse's own, with the version read only when it is asked for
    (`poakit.__version__`)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show program's version number and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from .. import __version__

        parser._print_message(f"poakit {__version__}\n", sys.stdout)
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="poa",
        description="Write, check and export Amazon seller Plans of Action from case files.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--root",
        type=Path,
        help="the poakit project folder (default: found from the working folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check",
        help="validate case files and the snippet library, and review every letter",
        description="Validate case files (default: all of cases/) and the snippet library, and "
        "run every check on the assembled letters; where a case's evidence folder "
        "(evidence/SLUG/) exists, check its files against the case too, as warnings. One line "
        "per finding: PATH:LINE:COL: error|warning: MESSAGE [rule-id]. On a terminal, a line "
        "on standard error counts the cases checked while it works. Exit 0: no errors; 1: "
        "errors found; 2: usage or configuration error.",
    )
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="case files to check, each a path or a slug"
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format (github: annotations for a GitHub Actions step)",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help=f"check every case afresh instead of reading back what earlier checks and builds "
        f"kept in {CACHE_DIR}/ (only a check of the whole project reads it; deleting that "
        "folder is always safe)",
    )
    check.set_defaults(run=run_check)

    render = commands.add_parser(
        "render",
        help="export one case's letter",
        description="Export one case's letter. CASE is a path or a slug (cases/SLUG.yaml). "
        "Text is plain (no Markdown), for Seller Central's appeal form; DOCX, a Word document "
        "to attach, needs --output.",
    )
    render.add_argument("case", metavar="CASE", help="a case file path or slug")
    render.add_argument("--format", choices=FORMATS, default="markdown", help="output format")
    render.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of stdout"
    )
    render.add_argument("--force", action="store_true", help="replace FILE if it exists")
    render.add_argument(
        "--width",
        type=whole_number,
        metavar="N",
        help=f"text: wrap lines at N characters (default {DEFAULT_WIDTH}; 0: no wrapping)",
    )
    render.add_argument(
        "--sections",
        action="store_true",
        help="text: only the three answers (root causes, actions taken, preventive measures; "
        "a reply's answers to Amazon's request, or what is new after a denial, first), each "
        "under a label giving its character and word count, for a form with one field per "
        "question",
    )
    render.set_defaults(run=run_render)

    new = commands.add_parser(
        "new",
        help="start a case file: a commented skeleton, optionally filled from the notice",
        description="Write cases/SLUG.yaml, a commented skeleton of a case. With --reason, the "
        "reasons' suggested root causes and measures are listed as choices to keep or delete. "
        "With --from-notice, the pasted notice (a file, or - for standard input; English, "
        "German, French, Italian, Spanish or Japanese) fills in its issues with their ASINs, "
        "orders and complaint IDs, the marketplace, what it asks for and by when, the rates "
        "it quotes and the likely reasons. Never overwrites an existing file.",
    )
    new.add_argument(
        "slug", metavar="SLUG", help="the case's name: lower-case letters, digits, hyphens"
    )
    new.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="ID",
        help="a reason id from the catalogue (repeatable)",
    )
    new.add_argument(
        "--from-notice", metavar="FILE", help="the notice text: a file, or - for stdin"
    )
    new.set_defaults(run=run_new)

    followup.add_parsers(commands)  # poa sent, diff, packet (cli/followup.py)

    schema = commands.add_parser(
        "schema",
        help="print the case file's JSON Schema",
        description="Print the JSON Schema of case files (with the library's reason and snippet "
        "ids), for editor completion. schema/case.schema.json holds a copy.",
    )
    schema.set_defaults(run=run_schema)

    stage_command.add_parser(commands)  # poa stage DIR (cli/stage.py)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # poakit's models use no pydantic plugin, and looking for plugins reads the entry points
    # of every installed package when the first model is validated (some 30 ms of a cold
    # `poa check`'s start, on one core); a value set by the user is kept
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = build_parser()
    args = parser.parse_args(argv)
    stoppers = {signum: signal.signal(signum, _stopped) for signum in _STOPPERS}
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # here, where a reader gone is caught (below), not at exit
        return code
    except InputError as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        return exc.exit_code
    except PoakitError as exc:
        print(f"poa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("poa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader stopped early (`poa check | head`): end quietly, as a program the closed
        # pipe stopped would
        _discard_stdout()
        return 141
    except OSError as exc:  # a full disk, a folder that cannot be read: a message, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"poa: error: {where}{exc.strerror or exc}", file=sys.stderr)
        _discard_stdout()
        return 2
    finally:
        for signum, handler in stoppers.items():
            signal.signal(signum, handler)


def run() -> NoReturn:
    """The `poa` command: `main`, then the exit handlers and a last flush of the output, then
    the end of the process without the interpreter's teardown, which frees every object one by
    one (a thousand cases' results, the library, the modules): some 0.09 s, a thirtieth of a
    cold `poa check` and a seventh of a warm one, for memory the system frees at once."""
    code = main()
    atexit._run_exitfuncs()  # what Python would run at exit (multiprocessing's, logging's)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader is gone: what is left goes nowhere
            if stream is sys.stdout:
                _discard_stdout()
        except (OSError, ValueError):  # closed, or its descriptor is: nothing more to write
            pass
    os._exit(code)


#: The signals that stop `poa` as Ctrl-C does: it cleans up (a half-written file goes) first.
_STOPPERS = (signal.SIGTERM, signal.SIGHUP)


def _stopped(signum: int, frame: object) -> None:
    print(f"poa: stopped by {signal.Signals(signum).name}", file=sys.stderr)
    raise SystemExit(128 + signum)  # as the shell reports a program the signal stopped


def _discard_stdout() -> None:
    """What is left of the output goes nowhere, so that Python's last flush of it at exit
    raises nothing either."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _root(args: argparse.Namespace) -> Path:
    return find_root(args.root)


def run_check(args: argparse.Namespace) -> int:
    root = _root(args)
    cache = None if args.no_cache else root / CACHE_DIR
    paths = case_arguments(args.paths, root) or None
    with ProgressLine(sys.stderr, "checking cases") as progress:
        project = check_project(root, paths, cache_folder=cache, progress=progress)
    findings = project.findings
    if args.format == "json":
        print(json.dumps({"findings": [f.to_json() for f in findings]}, indent=2))
    else:
        line = annotation if args.format == "github" else str
        for finding in findings:
            print(line(finding))
        print(_summary(findings, len(project.cases)), file=sys.stderr)
    return 1 if errors_in(findings) else 0


def _summary(findings: Sequence[Finding], cases: int) -> str:
    errors = errors_in(findings)
    warnings = len(findings) - errors
    return (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')} "
        f"in {plural(cases, 'case file')} and the snippet library"
    )


def run_render(args: argparse.Namespace) -> int:
    root = _root(args)
    if args.output is not None:
        refuse_site_folders(args.output, root, "an export of a letter")
    path = resolve_case(args.case, root)
    _, _, letter = sendable_letter(root, path)
    if args.width is not None and args.format != "text":
        raise UsageError(f"--width shapes text only: add --format text (not {args.format})")
    if args.sections and args.format != "text":
        raise UsageError(f"--sections needs --format text (not {args.format})")
    width = DEFAULT_WIDTH if args.width is None else args.width
    data = render_letter(letter, args.format, width=width, sections=args.sections)
    if args.output is not None:
        write_atomic(args.output, data, overwrite=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    elif args.format == "docx":
        raise UsageError("DOCX is a binary format: give --output FILE.docx")
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def run_new(args: argparse.Namespace) -> int:
    root = _root(args)
    from ..intake import skeleton  # here: the notice reader is for `poa new` alone
    from ..intake.notice import format_summary

    skeleton.check_slug(args.slug)  # before reading a notice from stdin
    notice = args.from_notice
    text = skeleton.notice_text(notice, sys.stdin.buffer) if notice else None
    target, reading = skeleton.new_case(root, args.slug, args.reason, text, today())
    if reading is not None:
        print(format_summary(reading), file=sys.stderr)
    print(
        f"wrote {display_path(target)}: fill in every TBD, then run "
        f"poa check {display_path(target)}",
        file=sys.stderr,
    )
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from ..model.schema import schema_json  # here: only `poa schema` needs it

    library = load_library(_root(args) / SNIPPETS_DIR)
    if library.findings:
        raise InputError(library.findings)
    sys.stdout.write(schema_json(library))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
