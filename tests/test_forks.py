"""Work in forked processes: the same results, in order, as done here."""
import os

import pytest

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
