"""Work on every core (`poakit.project.parallel`): the same results, in order, as one by one."""

from __future__ import annotations

import gc
import json
import os
import time
import weakref

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poakit.project import parallel


def _square(n: int) -> int:
    return n * n


@pytest.mark.parametrize("count", [0, 1, 63, 64, 200])
def test_results_come_back_in_order(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(range(count))
    assert parallel.on_every_core(_square, items, jobs=2) == [n * n for n in items]


def test_the_worker_is_installed_in_the_workers_only() -> None:
    parallel.on_every_core(_square, list(range(100)), jobs=2)
    assert parallel._work is None  # the parent process keeps no worker of its own


class _Cyclic:
    def __init__(self) -> None:
        self.me = self


def _leave_a_cycle(found: list[weakref.ref[_Cyclic]]) -> int:
    assert not gc.isenabled()  # paused while a chunk is worked
    cycle = _Cyclic()
    found.append(weakref.ref(cycle))
    return 1


def test_a_chunk_is_worked_with_the_collector_paused_then_its_cycles_are_freed() -> None:
    """A worker pauses the cyclic collector over a chunk (checking a case leaves no cycles),
    then frees any cycle the chunk left, and leaves the collector as it found it."""
    found: list[weakref.ref[_Cyclic]] = []
    gc.enable()
    parallel._install(lambda n: _leave_a_cycle(found) + n)
    try:
        assert parallel._work_chunk((3, [1, 2])) == (3, [2, 3])
        assert gc.isenabled()
        assert len(found) == 2 and all(ref() is None for ref in found)
        gc.disable()
        parallel._work_chunk((0, [1]))
        assert not gc.isenabled()
    finally:
        parallel._install(None)  # type: ignore[arg-type]
        gc.enable()


def test_one_core_works_in_this_process() -> None:
    assert not parallel.can_fork(jobs=1)
    assert parallel.on_every_core(_square, list(range(100)), jobs=1) == [n * n for n in range(100)]


@pytest.mark.parametrize("frozen_before", [False, True])
def test_the_collector_is_left_as_it_was_found(frozen_before: bool) -> None:
    """Work on every core freezes what this process holds for the workers, then thaws it,
    unless it was frozen already (the preview freezes what its first build loaded)."""
    gc.unfreeze()
    if frozen_before:
        gc.freeze()
    try:
        assert parallel.on_every_core(abs, list(range(-100, 0)), jobs=2) == list(range(100, 0, -1))
        assert (gc.get_freeze_count() > 0) is frozen_before
    finally:
        gc.unfreeze()


def _rows(n: int) -> list[dict[str, object]]:
    return [{"n": n, "cells": [str(n), [n]]} for _ in range(50)]


@pytest.mark.parametrize("enabled", [True, False])
def test_this_process_does_not_collect_while_the_results_come_back(enabled: bool) -> None:
    """What the workers send back is kept: unpickling it set off full collections here, each
    walking all this process held. Afterwards the collector is as it was."""
    parent, collections = os.getpid(), []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and os.getpid() == parent:
            collections.append(info["generation"])

    gc.enable() if enabled else gc.disable()
    gc.callbacks.append(count)
    try:
        done = parallel.on_every_core(_rows, list(range(2000)), jobs=2)  # 300,000 objects
    finally:
        gc.callbacks.remove(count)
        on = gc.isenabled()
        gc.enable()
    assert done[1999] == _rows(1999)
    assert collections == []
    assert on is enabled
    assert gc.get_freeze_count() == 0


def test_tickets_hand_each_number_out_once_across_processes() -> None:
    tickets = parallel.Tickets(3000)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            with os.fdopen(write, "w") as out:
                out.write(json.dumps(list(tickets)))
        finally:
            os._exit(0)
    os.close(write)
    mine = list(tickets)
    with os.fdopen(read) as results:
        theirs = json.loads(results.read())
    os.waitpid(pid, 0)
    assert sorted(mine + theirs) == list(range(3000))
    assert mine == sorted(mine) and theirs == sorted(theirs)
    assert list(tickets) == []  # all taken


def test_halves_meet_in_the_middle_each_number_done_once() -> None:
    """The process walking in order takes what no worker took; the workers take from the
    last; every number is done once, by one of them, and the walker waits for none it did."""
    halves = parallel.Halves(3000)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, a worker
        try:
            taken = []
            for n in halves:
                taken.append(n)
                halves.done[n] = 1
                time.sleep(0.0002)  # slower than the walker: the ends meet on the way
            with os.fdopen(write, "w") as out:
                out.write(json.dumps(taken))
        finally:
            os._exit(0)
    os.close(write)
    while not halves.done[2999]:  # the worker has begun
        time.sleep(0.001)
    mine = [n for n in range(3000) if halves.take(n)]
    with os.fdopen(read) as results:
        theirs = json.loads(results.read())
    os.waitpid(pid, 0)
    assert sorted(mine + theirs) == list(range(3000))
    assert mine == list(range(len(mine)))  # the first ones, in order
    assert theirs == sorted(theirs, reverse=True) and theirs[0] == 2999  # from the last down
    assert mine and all(halves.done[n] for n in theirs)
    assert not any(halves.done[n] for n in mine)
    assert list(halves) == []  # the ends have met


def test_halves_left_to_the_walker_when_their_lock_is_never_released(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed while holding the lock: the workers take no more, and the process
    walking in order takes every number left itself, waiting once, not once a number."""
    monkeypatch.setattr(parallel.Halves, "WAIT", 0.1)
    halves = parallel.Halves(10)
    halves.lock.acquire()
    assert list(halves) == []
    started = time.monotonic()
    assert all(halves.take(n) for n in range(10))
    assert time.monotonic() - started < 0.5


def test_tickets_stop_when_their_lock_is_never_released(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process killed while holding the lock: the others take no more, rather than hang."""
    tickets = parallel.Tickets(10)
    monkeypatch.setattr(parallel.Tickets, "WAIT", 0.1)
    tickets.lock.acquire()
    assert list(tickets) == []


@pytest.mark.parametrize(("count", "jobs"), [(10, 2), (10, 1), (200, 2), (200, 1)])
def test_progress_counts_every_item_once_up_to_the_total(count: int, jobs: int) -> None:
    told: list[tuple[int, int]] = []
    done = parallel.on_every_core(
        _square, list(range(count)), jobs=jobs, progress=lambda *n: told.append(n)
    )
    assert done == [n * n for n in range(count)]
    counts = [d for d, _ in told]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)  # only forward
    assert told[-1] == (count, count) and {t for _, t in told} == {count}
    if count >= parallel.PARALLEL_FROM and jobs > 1:  # a call per chunk, not per item
        assert len(told) == len(parallel.chunks(count, jobs))
    else:
        assert counts == list(range(1, count + 1))


def test_no_work_tells_no_progress() -> None:
    told: list[tuple[int, int]] = []
    assert parallel.on_every_core(_square, [], jobs=2, progress=lambda *n: told.append(n)) == []
    assert told == []


@given(total=st.integers(0, 5000), count=st.integers(1, 8))
def test_chunks_cover_every_item_once_in_order_and_shrink_to_one_at_the_end(
    total: int, count: int
) -> None:
    found = parallel.chunks(total, count)
    assert [n for start, stop in found for n in range(start, stop)] == list(range(total))
    sizes = [stop - start for start, stop in found]
    assert all(size >= 1 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never larger than the one before
    assert max(sizes, default=0) <= max(1, -(-total // (count * parallel.CHUNKS_PER_CORE)))
    if total:
        assert sizes[-1] == 1  # the last worker to finish waits for one item, not a chunk
    if total >= count * parallel.CHUNKS_PER_CORE:  # not one chunk per item, either
        assert len(found) <= 4 * count * parallel.CHUNKS_PER_CORE
