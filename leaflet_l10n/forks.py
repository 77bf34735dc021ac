"""Work done in processes forked from this one, which die with it.

Forked workers start with everything this process has read (the English, its templates,
the glossary, an imported WeasyPrint), so none of it is pickled or read again. Each asks
the kernel to kill it when its parent dies (PR_SET_PDEATHSIG): a killed run's workers
would otherwise live on, holding memory, after the project lock has passed to another run.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

FORK_AT_LEAST = 64          # fewer items than this are done in this process: forking costs more
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
        with fork_pool(workers) as pool:
            return list(pool.map(_call, items, chunksize=max(1, len(items) // (workers * 4))))
    finally:
        _function = None


def fork_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with, initargs=(os.getpid(),))


def _call(item):
    return _function(item)


def die_with(parent: int) -> None:
    """Make a worker die with the process that started it (see the module's docstring)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)   # Linux
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:            # the parent died before the line above
        os._exit(1)
