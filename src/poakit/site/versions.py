"""The "Versions sent" part of a case page: each letter `poa sent` recorded, and what changed.

Each version is listed with the day and the event that sent it; under the list, the diff
from each version to the next (the same comparison `poa diff` prints), and, when the letter
on the page differs from the last one sent, the diff to it. The diffs are finished HTML in
an island (see `markup.html_island`), every piece of letter text escaped for HTML: a letter
holds case data. Only the cases a site shows reach here, so a private case's versions never
reach a built site.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..letter.letter import Letter
from ..model.values import format_date
from ..model.versions import Change, SentVersion, Skipped, changed, compare, in_view
from ..render import render_letter
from ..render.text import count_words
from ..templating.escape import html_text
from .markup import UNINDEXED, html_island, table

HEADING = "Versions sent"
ANCHOR = "versions-sent"


def versions_blocks(versions: Sequence[SentVersion], letter: Letter | None) -> list[str]:
    """The Markdown blocks of the section; none for a case that recorded no version."""
    if not versions:
        return []
    rows = [
        (f"v{v.number}", format_date(v.date), str(v.event), str(count_words(v.text)))
        for v in versions
    ]
    # UNINDEXED: the letters sent stay out of a search index that takes the page in
    blocks = [f"## {HEADING} {UNINDEXED}", table(("Version", "Sent", "Event", "Words"), rows)]
    diffs = [
        _details(f"From {a.label} to {b.label}", compare(a.text, b.text))
        for a, b in itertools.pairwise(versions)
    ]
    last = versions[-1]
    if letter is not None:
        current = compare(last.text, render_letter(letter, "text").decode("utf-8"))
        if changed(current):
            blocks.append(
                f"The letter on this page has changed since {last.name} was sent on "
                f"{format_date(last.date)}; the last comparison below shows how."
            )
            diffs.append(_details(f"From {last.label} to the letter on this page", current))
        else:
            blocks.append(f"The letter on this page is {last.name}, as sent.")
    if diffs:
        blocks.append(html_island("\n".join(diffs)))
    return blocks


def _details(summary: str, changes: Sequence[Change]) -> str:
    body = "\n".join(_part(part) for part in in_view(changes))
    if not changed(changes):
        body = '<p class="poakit-diff__skipped">No differences: the same letter.</p>'
    return (
        f'<details class="poakit-diff">\n<summary>{html_text(summary)}</summary>\n'
        f'<div class="poakit-diff__body">\n{body}\n</div>\n</details>'
    )


def _part(part: Change | Skipped) -> str:
    if isinstance(part, Skipped):
        n = part.count
        units = f"{n} paragraph{'s' if n != 1 else ''} or list item{'s' if n != 1 else ''}"
        return f'<p class="poakit-diff__skipped">({units} unchanged)</p>'
    if part.kind == "changed":
        inner = " ".join(_run(run.kind, run.text) for run in part.words)
    else:
        inner = _run(part.kind, part.text)
    return f'<p class="poakit-diff__{part.kind}">{inner}</p>'


def _run(kind: str, text: str) -> str:
    escaped = html_text(text)
    if kind == "removed":
        return f"<del>{escaped}</del>"
    if kind == "added":
        return f"<ins>{escaped}</ins>"
    return escaped
