"""Small Markdown builders shared by the generated pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def cell(text: str) -> str:
    """One table cell: on one line, with every pipe escaped exactly once."""
    return BARE_PIPE.sub(r"\\|", " ".join(text.split()))


BARE_PIPE = re.compile(r"(?<!\\)\|")


def fence_safe(text: str) -> str:
    """Text that cannot close the code fence it is placed in."""
    return text.replace("```", "` ` `")
