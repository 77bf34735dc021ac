"""Work in other processes: the same results, in order, as done here; workers that carry
nothing they do not need, and die with the process that asked for them."""
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from helpers import peak_memory_mib, processes
from leaflet_l10n import forks


def _square_and_where(item):
    return item * item, os.getpid()


def test_many_items_are_done_in_other_processes_and_come_back_in_order():
    results = forks.forked_map(_square_and_where, list(range(200)), workers=2)
    assert [square for square, _ in results] == [i * i for i in range(200)]
    assert os.getpid() not in {pid for _, pid in results}


def test_a_function_the_workers_could_not_be_sent_still_runs_there():
    """What a forked worker calls is inherited, not pickled: a closure over this process's data works."""
    table = {i: f"entry {i}" for i in range(forks.FORK_AT_LEAST)}
    assert forks.forked_map(lambda i: table[i], list(table), workers=2) == list(table.values())


def test_a_few_items_are_done_here():
    assert {pid for _, pid in forks.forked_map(_square_and_where, [1, 2, 3], workers=2)} == {os.getpid()}


def test_an_error_in_a_worker_reaches_the_caller():
    def refuse(item):
        if item == 70:
            raise ValueError("item 70")
        return item
    with pytest.raises(ValueError, match="item 70"):
        forks.forked_map(refuse, list(range(100)), workers=2)


def _where_and_how_big(item):
    if item == "die":
        os._exit(1)
    return item, os.getpid(), peak_memory_mib()


def _served(items, workers=2, items_each=100):
    results = []
    for item, future in forks.served_results(_where_and_how_big, items, workers, items_each=items_each,
                                             preload=["leaflet_l10n.jobs"]):
        try:
            results.append(future.result())
        except Exception as exc:
            results.append((item, type(exc).__name__, None))
    return results


def test_served_items_come_back_in_order_from_other_processes():
    results = _served(list(range(30)))
    assert [item for item, _, _ in results] == list(range(30))
    assert os.getpid() not in {pid for _, pid, _ in results}


def test_each_served_worker_is_replaced_after_so_many_items():
    results = _served(list(range(30)), workers=2, items_each=3)
    by_worker = Counter(pid for _, pid, _ in results)
    assert len(by_worker) >= 10 and max(by_worker.values()) <= 3


def test_a_served_worker_does_not_carry_what_this_process_holds():
    """A build's coordinator holds the library's manifest and plan; a worker forked from it
    started with all of that in its memory, and a library's workers grew with it."""
    ballast = bytearray(os.urandom(1)) * (300 << 20)           # 300 MiB, resident
    sizes = [size for _, _, size in _served(list(range(4)))]
    assert ballast[-1] == ballast[0] and max(sizes) < 200, f"workers of {sizes} MiB inherited the ballast"


def test_a_served_worker_that_dies_fails_only_what_it_held():
    results = _served([*range(10), "die", *range(10, 30)])
    failed = [item for item, outcome, _ in results if outcome == "BrokenProcessPool"]
    assert "die" in failed and len(failed) <= forks.IN_FLIGHT + 1
    assert [item for item, *_ in results] == [*range(10), "die", *range(10, 30)]


SERVED_FOREVER = """
import sys, time
from leaflet_l10n import forks
for item, future in forks.served_results(time.sleep, [3600] * 4, 2, items_each=10):
    pass
"""


def test_served_workers_die_with_the_process_that_asked_for_them():
    process = subprocess.Popen([sys.executable, "-c", SERVED_FOREVER], start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(Path(forks.__file__).parents[1])})
    try:
        deadline = time.monotonic() + 30
        while len(processes(group=process.pid)) < 4 and time.monotonic() < deadline:     # itself, server, 2 workers
            time.sleep(0.05)
        assert len(processes(group=process.pid)) >= 4, "the workers never started"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 5
        while processes(group=process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not processes(group=process.pid), "served workers outlived the process that asked for them"
    finally:
        for pid in processes(group=process.pid):
            os.kill(pid, signal.SIGKILL)

