"""Work spread over the cores: forked processes that inherit what the parent loaded.

Checking a thousand cases is a few seconds of CPU; on two cores it takes half as long. The
workers are forked, so they start with the library already loaded in memory (sending it to
them would cost more than the work). Where processes cannot be forked, or there is little
work, it runs in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")

#: Below this many items, starting workers costs more than it saves.
PARALLEL_FROM = 64
#: Chunks per worker, at most, before the last ones shrink (`chunks`): small ones keep every
#: core busy to the end (a thousand cases in 32 chunks finish some 0.2 s sooner on two cores
#: than in 8).
CHUNKS_PER_CORE = 16
#: Once the items left are fewer than this many chunks' worth per worker, each chunk takes
#: that share of them: chunks shrink to a single item at the end, so that the workers finish
#: within an item of each other, not within a chunk (some 0.2 s of one core's work at a
#: thousand cases).
SHRINK_FROM = 4


def cores(jobs: int | None = None) -> int:
    return jobs or os.cpu_count() or 1


def can_fork(jobs: int | None = None) -> bool:
    return cores(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods()


#: Told how many of how many items are done, as they are (`on_every_core`).
Progress = Callable[[int, int], None]


def on_every_core(
    work: Callable[[T], U],
    items: Sequence[T],
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[U]:
    """`work` over `items`, in their order, in forked processes when there are enough;
    `progress` is told how many are done after each item (one by one) or each chunk."""
    total = len(items)
    if total < PARALLEL_FROM or not can_fork(jobs):
        results = []
        for item in items:
            results.append(work(item))
            if progress is not None:
                progress(len(results), total)
        return results
    count = cores(jobs)
    numbered = [(start, list(items[start:stop])) for start, stop in chunks(total, count)]
    context = multiprocessing.get_context("fork")
    ordered: list[Any] = [None] * total
    done = 0
    # in this order: the workers fork (their collector on) before this process pauses its own
    with (
        frozen(),
        context.Pool(count, initializer=_install, initargs=(work,)) as pool,
        uncollected(),
    ):
        for start, chunk in pool.imap_unordered(_work_chunk, numbered):
            ordered[start : start + len(chunk)] = chunk
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return ordered


def chunks(total: int, count: int) -> list[tuple[int, int]]:
    """The (start, stop) of each chunk of `total` items shared by `count` workers, in order:
    `CHUNKS_PER_CORE` of the same size for each worker at most, then, over the last
    `SHRINK_FROM` chunks' worth for each worker, each a share of what is left, down to one
    item (guided scheduling: a worker taking the last chunk finishes about when the others
    do)."""
    largest = max(1, -(-total // (count * CHUNKS_PER_CORE)))
    out: list[tuple[int, int]] = []
    start = 0
    while start < total:
        share = -(-(total - start) // (count * SHRINK_FROM))
        stop = start + min(largest, share)
        out.append((start, stop))
        start = stop
    return out


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """What this process holds kept out of the garbage collections of the processes it forks
    meanwhile, so that they do not copy its memory (`gc.freeze`); left frozen afterwards if it
    was frozen before (the preview freezes what its first build loaded)."""
    before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not before:
            gc.unfreeze()


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """Python's cyclic garbage collector paused while results come in (read back from the
    cache, or sent back by workers): they are kept, not garbage, and a thousand of them grow
    the heap enough for several full collections, each walking all of it (0.1 to 0.3 s a
    load; a cold build's 0.5 to 0.7 s of CPU, taken from the workers on two cores).
    Afterwards they join the oldest generation directly (through `gc.freeze`), rather than
    be walked once more by the first collection of the young ones; a collector that was
    frozen stays frozen."""
    enabled, frozen_before = gc.isenabled(), gc.get_freeze_count() > 0
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if not frozen_before:
            gc.unfreeze()  # everything frozen goes to the oldest generation
        if enabled:
            gc.enable()


class Tickets:
    """The numbers 0 to `count` - 1, each handed out once, to whichever process asks first:
    work shared by a process and those it forks, each taking the next item when it is free,
    so none waits while another still has a queue. Iterating takes numbers until none is
    left. The count lives in shared memory, behind a lock; a process that cannot get the lock
    within `WAIT` seconds (one killed while holding it) takes no more."""

    WAIT = 10.0

    def __init__(self, count: int) -> None:
        self.count = count
        context = multiprocessing.get_context("fork")
        self.lock, self._next = context.Lock(), context.RawValue("q", 0)

    def __iter__(self) -> Iterator[int]:
        while self.lock.acquire(timeout=self.WAIT):
            try:
                number = self._next.value
                self._next.value = number + 1
            finally:
                self.lock.release()
            if number >= self.count:
                return
            yield number


class Halves:
    """The numbers 0 to `count` - 1, shared by a process that walks them in order from the
    first (`take`) and processes it forks that take them from the last (iterating): they
    meet in the middle, so the first process does its share without waiting for anyone and,
    when it reaches the others' share, finds it done (`done`, set by them). The two ends live
    in shared memory, behind a lock; a forked process that cannot get the lock within `WAIT`
    seconds (one killed while holding it) takes no more, and the first process then does all
    that is left itself."""

    WAIT = 10.0

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self.count, self.lock = count, context.Lock()
        self._low, self._high = context.RawValue("q", 0), context.RawValue("q", count - 1)
        self.done = context.RawArray("b", count)
        self._stuck = False  # the lock was not to be had: everything left is the taker's

    def take(self, number: int) -> bool:
        """For the process walking in order: whether `number` is its own to do (no other
        process took it); if not, another did, and marks it `done` when it has."""
        if self._stuck or not self.lock.acquire(timeout=self.WAIT):
            self._stuck = True
            return True
        try:
            if number > self._high.value:
                return False
            self._low.value = number + 1
            return True
        finally:
            self.lock.release()

    def __iter__(self) -> Iterator[int]:
        """For a forked process: the numbers it takes, from the last down, until the ends
        meet."""
        while self.lock.acquire(timeout=self.WAIT):
            try:
                number = self._high.value
                if number < self._low.value:
                    return
                self._high.value = number - 1
            finally:
                self.lock.release()
            yield number


class ReadAhead(Generic[T]):
    """`work` started on `items` ahead of time, in a process forked to use the core that is
    idle while this one does something else first (loads the library, on which the rest
    depends); from the last item down, as the work that follows takes them from the first.
    `collect` stops it, after the item in hand, and gives what it did, by index: as bytes,
    `work`'s own encoding, for whoever uses them. Nothing where it cannot fork, and nothing of
    an item whose `work` gave None or failed (the work that follows does it as usual). Use it
    as a context manager: leaving it uncollected stops the process."""

    #: how each result travels: its index and length, then its bytes
    _FRAME = struct.Struct("<QQ")

    def __init__(self, work: Callable[[T], bytes | None], items: Sequence[T]) -> None:
        self._pid: int | None = None
        self._pipe = -1
        if not items or not can_fork():
            return
        stop = multiprocessing.get_context("fork").RawValue("b", 0)
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or no process left for it: nothing is read ahead
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the forked process (its coverage is not collected)
            os.close(read)
            code = 1
            try:
                self._run(work, items, stop, write)
                code = 0
            finally:  # never the parent's exit handlers, nor its `finally` blocks
                os._exit(code)
        os.close(write)
        self._pid, self._pipe, self._stop = pid, read, stop

    @classmethod
    def _run(
        cls, work: Callable[[T], bytes | None], items: Sequence[T], stop: Any, out: int
    ) -> None:  # pragma: no cover - runs in the forked process
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # stopped, not cleaned up
            signal.signal(signum, signal.SIG_DFL)
        gc.disable()  # it keeps what it made until the end: nothing to collect
        done: list[bytes] = []
        for index in range(len(items) - 1, -1, -1):
            if stop.value:
                break
            try:
                data = work(items[index])
            except Exception:  # the work that follows meets it again, and reports it
                data = None
            if data is not None:
                done += (cls._FRAME.pack(index, len(data)), data)
        with open(out, "wb") as pipe:
            pipe.writelines(done)

    def collect(self) -> dict[int, bytes]:
        """Stop the process and give what it did: the result of each item it finished."""
        if self._pid is None:
            return {}
        self._stop.value = 1
        try:
            with open(self._pipe, "rb", closefd=False) as pipe:
                data = pipe.read()
        finally:
            self._end()
        return self.frames(data)

    @classmethod
    def frames(cls, data: bytes) -> dict[int, bytes]:
        """The results in `data`, as the process wrote them; a last one cut short (the process
        was killed as it wrote) is left out."""
        found: dict[int, bytes] = {}
        at, size = 0, cls._FRAME.size
        while at + size <= len(data):
            index, length = cls._FRAME.unpack_from(data, at)
            at += size
            if at + length > len(data):
                break
            found[index] = data[at : at + length]
            at += length
        return found

    def _end(self) -> None:
        pid, self._pid = self._pid, None
        if pid is None:
            return
        os.close(self._pipe)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pid is not None:  # not collected: not wanted
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._end()


_work: Callable[[Any], Any] | None = None  # set in each worker only (see `_install`)


def _install(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work
    for signum in (signal.SIGTERM, signal.SIGHUP):  # a worker stops as the pool tells it
        signal.signal(signum, signal.SIG_DFL)


def _work_chunk(numbered: tuple[int, list[Any]]) -> tuple[int, list[Any]]:
    """A chunk's items worked in turn, with the cyclic garbage collector paused: checking a
    case leaves no reference cycles, so the collections that its allocations set off find
    nothing, yet walk every young object each time (some 3% of a worker's instructions). One
    collection of the young objects afterwards frees whatever cycle an item did leave, so
    that at most a chunk's worth ever waits."""
    assert _work is not None
    number, chunk = numbered
    enabled = gc.isenabled()
    gc.disable()
    try:
        return number, [_work(item) for item in chunk]
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()
