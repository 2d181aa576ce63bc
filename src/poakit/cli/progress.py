"""A progress line on the terminal while `poa` checks many cases.

A cold `poa check` of a thousand cases takes several seconds; on a terminal it says how far it
is, on one line of standard error rewritten in place, and erases that line before the findings
are printed. Where standard error is not a terminal (a pipe, a file, CI), nothing is written:
the findings and the summary are the same bytes with or without it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO


class ProgressLine:
    """Told `(done, total)` as work advances (a `parallel.Progress`), shows
    "WHAT: DONE of TOTAL" on `stream` if it is a terminal: only once the work has taken
    `DELAY` seconds (short work stays silent), at most every `EVERY` seconds, and always the
    last count. Leaving the `with` block erases the line."""

    DELAY = 0.5
    EVERY = 0.1

    def __init__(
        self, stream: TextIO, what: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream, self.what, self.clock = stream, what, clock
        self.started = clock()
        self.shown_at: float | None = None
        self.width = 0  # of the line on screen; 0 when none is
        self.on = _is_terminal(stream)

    def __call__(self, done: int, total: int) -> None:
        if not self.on:
            return
        now = self.clock()
        if now - self.started < self.DELAY:
            return
        if self.shown_at is not None and now - self.shown_at < self.EVERY and done < total:
            return
        self.shown_at = now
        text = f"{self.what}: {done:,} of {total:,}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False
