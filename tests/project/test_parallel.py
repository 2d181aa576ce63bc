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


# -- ReadAhead ------------------------------------------------------------------------------


def _encoded(n: int) -> bytes | None:
    if n % 7 == 3:
        return None  # nothing to give for this one
    return f"item {n}".encode() * (n % 5)  # some empty, some longer


def test_read_ahead_gives_what_it_did_from_the_last_item_down() -> None:
    items = list(range(500))
    with parallel.ReadAhead(_encoded, items) as ahead:
        time.sleep(0.3)  # the child has time to do all of them
        done = ahead.collect()
    expected = {n: _encoded(n) for n in items if _encoded(n) is not None}
    assert done == expected


def _slowly(n: int) -> bytes:
    time.sleep(0.01)
    return str(n).encode()


def test_read_ahead_stops_when_collected_after_the_item_in_hand() -> None:
    items = list(range(10_000))  # 100 s of work: collected long before
    started = time.monotonic()
    with parallel.ReadAhead(_slowly, items) as ahead:
        time.sleep(0.2)
        done = ahead.collect()
    assert time.monotonic() - started < 5
    assert 0 < len(done) < len(items)
    assert sorted(done) == list(range(len(items) - len(done), len(items)))  # the last ones
    assert all(done[n] == str(n).encode() for n in done)


def _failing(n: int) -> bytes:
    if n == 95:
        raise RuntimeError("a bug in the work")
    return b"x"


def test_an_item_whose_work_fails_is_left_to_the_work_that_follows() -> None:
    with parallel.ReadAhead(_failing, list(range(100))) as ahead:
        time.sleep(0.2)
        done = ahead.collect()
    assert set(done) == set(range(100)) - {95}


def _forked_children() -> list[int]:
    """The processes this one forked that have not been waited for (zombies included)."""
    own = os.getpid()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == own:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="lists processes through /proc")
def test_read_ahead_left_uncollected_stops_its_process_and_leaves_none_behind() -> None:
    before = set(_forked_children())
    with pytest.raises(KeyboardInterrupt), parallel.ReadAhead(_slowly, list(range(10_000))):
        assert len(set(_forked_children()) - before) == 1
        raise KeyboardInterrupt  # Ctrl-C while the library loads
    assert set(_forked_children()) == before


def test_read_ahead_does_nothing_where_it_cannot_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda jobs=None: False)
    with parallel.ReadAhead(_encoded, list(range(100))) as ahead:
        assert ahead.collect() == {}


def test_read_ahead_of_nothing_forks_nothing() -> None:
    before = set(_forked_children()) if os.path.isdir("/proc") else set()
    with parallel.ReadAhead(_encoded, []) as ahead:
        if os.path.isdir("/proc"):
            assert set(_forked_children()) == before
        assert ahead.collect() == {}


@given(st.lists(st.tuples(st.integers(0, 2**40), st.binary(max_size=40)), max_size=8), st.data())
def test_read_ahead_frames_cut_short_lose_only_the_last(
    results: list[tuple[int, bytes]], data: st.DataObject
) -> None:
    """A process killed as it writes: the results it wrote whole are kept, the one it was
    writing is not, and nothing is read from beyond what was written."""
    framed = b"".join(parallel.ReadAhead._FRAME.pack(n, len(b)) + b for n, b in results)
    assert parallel.ReadAhead.frames(framed) == dict(results)
    cut = data.draw(st.integers(0, len(framed)))
    kept = parallel.ReadAhead.frames(framed[:cut])
    whole, at = {}, 0
    for n, b in results:
        at += parallel.ReadAhead._FRAME.size + len(b)
        if at <= cut:
            whole[n] = b
    assert kept == whole
