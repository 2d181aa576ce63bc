"""The progress line of a long `poa check`: on a terminal only, erased before the findings."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from poakit.cli import progress as progress_module
from poakit.cli.main import main
from poakit.cli.progress import ProgressLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_it_shows_after_the_delay_at_most_so_often_and_always_the_last_count() -> None:
    screen, clock = Terminal(), Clock()
    line = ProgressLine(screen, "checking cases", clock)
    line(1, 1000)
    clock.now += ProgressLine.DELAY / 2
    line(2, 1000)
    assert screen.getvalue() == ""  # short work stays silent
    clock.now += ProgressLine.DELAY
    line(3, 1000)
    assert screen.getvalue() == "\rchecking cases: 3 of 1,000"
    clock.now += ProgressLine.EVERY / 2
    line(4, 1000)  # too soon after the last
    line(1000, 1000)  # but the end is always shown
    assert screen.getvalue() == "\rchecking cases: 3 of 1,000\rchecking cases: 1,000 of 1,000"
    line.close()
    assert screen.getvalue().endswith("\r" + " " * len("checking cases: 1,000 of 1,000") + "\r")
    line.close()  # nothing left to erase
    assert screen.getvalue().count("\r") == 4


def test_a_shorter_line_covers_the_longer_one_it_replaces() -> None:
    screen, clock = Terminal(), Clock()
    line = ProgressLine(screen, "x", clock)
    clock.now += ProgressLine.DELAY
    line(1000, 1000)
    clock.now += ProgressLine.EVERY
    line(1, 1)
    assert screen.getvalue().endswith("\rx: 1 of 1".ljust(len("x: 1,000 of 1,000") + 1))


def test_nothing_is_written_where_the_stream_is_not_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    with ProgressLine(stream, "checking cases", clock) as line:
        clock.now += 10
        line(5, 10)
        line(10, 10)
    assert stream.getvalue() == ""


def test_a_real_terminal_is_told_from_a_pipe_and_a_closed_stream() -> None:
    main_end, terminal_end = os.openpty()
    read_end, write_end = os.pipe()
    with open(terminal_end, "w") as terminal, open(write_end, "w") as pipe:
        assert progress_module._is_terminal(terminal)
        assert not progress_module._is_terminal(pipe)
    assert not progress_module._is_terminal(terminal)  # closed: isatty raises ValueError
    os.close(main_end)
    os.close(read_end)


@pytest.mark.parametrize("on_a_terminal", [True, False])
def test_poa_check_erases_its_line_before_the_summary(
    on_a_terminal: bool, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini)
    monkeypatch.setattr(ProgressLine, "DELAY", 0.0)
    monkeypatch.setattr(ProgressLine, "EVERY", 0.0)
    stderr, stdout = Terminal() if on_a_terminal else io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["check", "--no-cache"]) == 0
    summary = "0 errors, 0 warnings in 1 case file and the snippet library\n"
    shown = "checking cases: 1 of 1"
    expected = f"\r{shown}\r{' ' * len(shown)}\r{summary}" if on_a_terminal else summary
    assert stderr.getvalue() == expected
    assert stdout.getvalue() == ""
