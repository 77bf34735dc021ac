"""Work done in other processes, which die with this one.

- `forked_map`: workers forked from this process start with everything it has read (the
  English, its templates, the glossary), so none of it is pickled or read again. For a
  short burst of work, such as checking the catalogues the cache lacks.
- `served_results`: workers started by multiprocessing's fork server, which has imported
  the modules named and nothing else. A worker's memory then does not grow with what this
  process holds (a library's manifest and plan), and each worker is replaced on its own
  after a number of items, so the others keep working and no core waits for the last
  item of a batch. For long runs, such as a build's render jobs.

Every worker dies with this process: a killed run's workers would otherwise live on,
holding memory, after the project lock has passed to another run. A forked worker asks
the kernel to kill it when its parent dies (PR_SET_PDEATHSIG). A served worker's parent is
the fork server, which lives while any of its workers does, so it watches this process
instead; once they are gone, the server exits too.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

FORK_AT_LEAST = 64          # fewer items than this are done in this process: forking costs more
IN_FLIGHT = 2               # items queued at a served worker: it never waits for the next one
AHEAD = 8                   # items a worker may run ahead of the oldest unfinished one
_PR_SET_PDEATHSIG = 1
_function: Callable | None = None       # what forked_map's workers call; they inherit it


def forked_map(function: Callable, items: Sequence, workers: int | None = None) -> list:
    """`function(item)` for each item, in order, in up to `workers` forked processes (default:
    one per core). Items and results are pickled; `function` and what it refers to are not."""
    global _function
    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers <= 1 or len(items) < FORK_AT_LEAST:
        return [function(item) for item in items]
    _function = function
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with, initargs=(os.getpid(),)) as pool:
            return list(pool.map(_call, items, chunksize=max(1, len(items) // (workers * 4))))
    finally:
        _function = None


def _call(item):
    return _function(item)


def served_results(function: Callable, items: Iterable, workers: int, *, items_each: int,
                   preload: Sequence[str] = (), start: Callable[[], None] | None = None
                   ) -> Iterator[tuple[object, Future]]:
    """Each item and the finished future of `function(item)`, in order, from `workers` processes the
    fork server starts (importing `preload` once, for all; each new worker then calls `start`).
    A worker is replaced after `items_each` items. A worker that dies fails only the items it held."""
    context = start_server(preload)

    def new_worker() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(1, mp_context=context, initializer=_start_served,
                                   initargs=(start,))
    slots = [_Slot(new_worker) for _ in range(workers)]
    remaining, ahead = iter(items), deque()
    try:
        while True:
            for slot in slots:
                while len(slot.in_flight) < IN_FLIGHT and len(ahead) < AHEAD * workers \
                        and (item := next(remaining, _END)) is not _END:
                    ahead.append((item, slot.submit(function, item, items_each)))
            if not ahead:
                return
            if not ahead[0][1].done():
                wait([f for slot in slots for f in slot.in_flight], return_when=FIRST_COMPLETED)
            while ahead and ahead[0][1].done():
                yield ahead.popleft()
            for slot in slots:
                slot.in_flight = {f for f in slot.in_flight if not f.done()}
    finally:                                            # no worker outlives the call
        for slot in slots:
            slot.worker.shutdown(wait=True, cancel_futures=True)


_END = object()


def start_server(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    """The fork server's context. The server is started now if it is not running (once a
    process, importing `preload`), so that it gets ready while this process does other work."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    multiprocessing.forkserver.ensure_running()
    return context


class _Slot:
    """One core's worker, replaced by a new one after so many items, or when it died."""

    def __init__(self, new_worker: Callable[[], ProcessPoolExecutor]):
        self.new_worker, self.worker, self.given, self.in_flight = new_worker, new_worker(), 0, set()

    def submit(self, function: Callable, item, items_each: int) -> Future:
        if self.given >= items_each:                     # it finishes what it holds, then exits
            self.worker.shutdown(wait=False)
            self.worker, self.given = self.new_worker(), 0
        try:
            future = self.worker.submit(function, item)
        except BrokenProcessPool:                        # it died: what it held has failed
            self.worker, self.given = self.new_worker(), 0
            future = self.worker.submit(function, item)
        self.given += 1
        self.in_flight.add(future)
        return future


def _start_served(start: Callable[[], None] | None) -> None:
    """In a served worker. Its parent is the fork server, which lives while any worker does, so
    the worker watches the process that asked for it (through multiprocessing's sentinel)."""
    coordinator = multiprocessing.parent_process()
    threading.Thread(target=_exit_after, args=(coordinator.join,), daemon=True).start()
    if start:
        start()


def _exit_after(wait: Callable[[], None]) -> None:
    wait()
    os._exit(1)


def die_with(parent: int) -> None:
    """Make a worker die with the process that started it (see the module's docstring)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)   # Linux
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:            # the parent died before the line above
        os._exit(1)
