"""`poa stage DIR`: the site as a builder-neutral docs tree (the work is `site.stage`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..source.layout import find_root
from .progress import ProgressLine


def add_parser(commands: Any) -> None:
    """`poa stage`, added to the subcommands of `poa`."""
    command = commands.add_parser(
        "stage",
        help="write the site as a finished docs tree that any builder can build (Zensical)",
        description="Write DIR/mkdocs.yml and DIR/docs/: the guide's pages with their macros "
        "rendered, every page poakit generates as Markdown, the assets and the downloads, and "
        "the site's settings without hooks or macros. Public cases only, as `make build` "
        "(POAKIT_INCLUDE_PRIVATE decides the same way). Then build it with "
        "`zensical build -f DIR/mkdocs.yml` (the site goes to DIR/site/), or with MkDocs. "
        "DIR must be outside docs/, cases/ and snippets/. On a terminal, a line on standard "
        "error counts the cases whose pages it makes afresh.",
    )
    command.add_argument("folder", type=Path, metavar="DIR", help="the folder to write")
    command.add_argument(
        "--force",
        action="store_true",
        help="replace DIR if an earlier poa stage wrote it (its built site too); "
        "any other folder is never replaced",
    )
    command.set_defaults(run=run_stage)


def run_stage(args: argparse.Namespace) -> int:
    from ..site.siteconfig import CONFIG_FILE  # here: only `poa stage` needs the site's modules
    from ..site.stage import stage

    root = find_root(args.root)
    with ProgressLine(sys.stderr, "making the cases' pages") as progress:
        staged = stage(root, args.folder, force=args.force, progress=progress)
    for finding in staged.findings:
        print(finding, file=sys.stderr)
    print(
        f"staged {staged.pages} pages and {staged.files} other files in {args.folder}: "
        f"build it with zensical build -f {args.folder / CONFIG_FILE}",
        file=sys.stderr,
    )
    return 0
