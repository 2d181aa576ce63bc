"""`poa sent`, `poa diff` and `poa packet`: after the first letter (the work is in
`project.sent`, `model.versions` with `render.diff`, and `project.packet`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model.case import Event
from ..model.values import plural
from ..model.versions import SentVersion, compare
from ..project import packet, sent
from ..project.load import load_library, sendable_letter
from ..render import DEFAULT_WIDTH
from ..render.diff import diff_text
from ..review.review import today
from ..source.layout import SNIPPETS_DIR, display_path, find_root, resolve_case
from ..source.records import read_versions
from .arguments import day, whole_number


def add_parsers(commands: Any) -> None:
    """`poa sent`, `poa diff` and `poa packet`, added to the subcommands of `poa`."""
    sent = commands.add_parser(
        "sent",
        help="record the letter as sent: keep its text, add the event to follow_up",
        description="Record the case's letter as sent: its text export is kept, byte for "
        "byte, in cases/SLUG/sent/vN-DATE-EVENT.txt, a record never rewritten, and the event "
        "is added to the case's follow_up (comments and layout kept). If follow_up holds that "
        "submission already, with no letter recorded for it, the letter is recorded for it as "
        "the case stood then. Refuses a case with errors, a date after today, before the "
        "notice or before the last version, a letter recorded already, and a damaged records "
        "folder (a file there that is not named as a record is left alone).",
    )
    sent.add_argument("case", metavar="CASE", help="a case file path or slug")
    sent.add_argument(
        "--date",
        type=day,
        metavar="YYYY-MM-DD",
        help="the day it was sent (default: today, or POAKIT_TODAY)",
    )
    sent.add_argument(
        "--event",
        choices=("submitted", "resubmitted"),
        help="submitted (the first letter) or resubmitted (default: the submission follow_up "
        "holds on that day, else submitted for a first letter and resubmitted after one)",
    )
    sent.add_argument(
        "--width",
        type=whole_number,
        metavar="N",
        help=f"wrap the text at N characters, as poa render does (default {DEFAULT_WIDTH}; "
        "0: no wrapping)",
    )
    sent.set_defaults(run=run_sent)

    diff = commands.add_parser(
        "diff",
        help="show what changed between two versions of a case's letter",
        description="Show what changed between two letters of a case, paragraph by paragraph: "
        "' ' unchanged, '-' removed, '+' added, '~' changed, its words marked [-removed-] and "
        "{+added+}. A version is v1, v2, ... (as poa sent recorded them) or 'current' (the "
        "letter the case makes now). With no version: the last one sent against the current "
        "letter; with one: that version against the current letter. What is odd in the "
        "records folder is printed as warnings; the versions that can be read are compared.",
    )
    diff.add_argument("case", metavar="CASE", help="a case file path or slug")
    diff.add_argument("old", nargs="?", metavar="V1", help="the earlier version")
    diff.add_argument("new", nargs="?", metavar="V2", help="the later version")
    diff.add_argument(
        "--width",
        type=whole_number,
        metavar="N",
        help="wrap at N characters (default 80; 0: no wrap)",
    )
    diff.set_defaults(run=run_diff)

    packet = commands.add_parser(
        "packet",
        help="build the upload packet: the letter and its evidence files in one zip",
        description="Build the case's upload packet, a zip file: an index, the letter as text "
        "and as DOCX, and every file its supporting documents name, from the case's evidence "
        "folder (evidence/SLUG/ unless snippets/library.yaml says otherwise), numbered in the "
        "letter's order. A missing file stops it (exit 1); the folder's other checks are "
        "printed as warnings. Never written into docs/, site/, cases/ or snippets/; never "
        "replaces a file without --force.",
    )
    packet.add_argument("case", metavar="CASE", help="a case file path or slug")
    packet.add_argument(
        "--output", "-o", type=Path, required=True, metavar="FILE.zip", help="the packet to write"
    )
    packet.add_argument("--force", action="store_true", help="replace FILE.zip if it exists")
    packet.set_defaults(run=run_packet)


def run_sent(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    path = resolve_case(args.case, root)
    library = load_library(root / SNIPPETS_DIR)
    event = Event(args.event) if args.event else None
    width = DEFAULT_WIDTH if args.width is None else args.width
    done = sent.record_sent(
        path, display_path(path), library, today=today(), date=args.date, event=event, width=width
    )
    version = done.version
    print(f"recorded {version.label}: {version.path}", file=sys.stderr)
    entry = f"{{date: {version.date.isoformat()}, event: {version.event}}}"
    if done.added_event:
        print(f"added {entry} to follow_up in {display_path(path)}", file=sys.stderr)
    else:
        print(
            f"follow_up in {display_path(path)} has {entry} already: the letter is recorded "
            "for it, as the case stood then",
            file=sys.stderr,
        )
    for note in done.notes:
        print(f"poa: note: {note}", file=sys.stderr)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    path = resolve_case(args.case, root)
    versions, odd = read_versions(path, display_path(path))
    for finding in odd:  # warnings, all: what can be read is compared
        print(finding, file=sys.stderr)
    old, new = _compared(args, versions, path)
    shown = {
        name: sent.version_text(name, versions, root, path) for name in {old, new}
    }  # once each
    (old_label, old_text), (new_label, new_text) = shown[old], shown[new]
    width = DEFAULT_WIDTH if args.width is None else args.width
    sys.stdout.write(diff_text(old_label, new_label, compare(old_text, new_text), width))
    return 0


def _compared(
    args: argparse.Namespace, versions: Sequence[SentVersion], path: Path
) -> tuple[str, str]:
    if args.old is not None:
        return args.old, args.new or sent.CURRENT
    if not versions:
        raise UsageError(
            f"no letter of {display_path(path)} is recorded yet: poa sent records the letter "
            "when you send it"
        )
    return versions[-1].name, sent.CURRENT


def run_packet(args: argparse.Namespace) -> int:
    root = find_root(args.root)
    path = resolve_case(args.case, root)
    library, result, _ = sendable_letter(root, path)
    built = packet.plan_packet(root, library, result)
    packet.check_output(args.output, root, built.folder)
    packet.write_packet(built, library, args.output, overwrite=args.force)
    for finding in built.warnings:
        print(finding, file=sys.stderr)
    files, warnings = len(built.attachments), len(built.warnings)
    print(
        f"wrote {args.output}: the letter and {plural(files, 'evidence file')}, "
        f"{plural(warnings, 'warning')}",
        file=sys.stderr,
    )
    return 0
