"""fork_map: the same results as a plain loop, in order, whichever process did the work."""

from __future__ import annotations

import gc
import os
import sys

import pytest

from builder.parallel import collections_paused, fork_map


def _square_with_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


def test_results_keep_the_order_of_the_items_and_come_from_workers():
    items = list(range(5000))
    results = fork_map(_square_with_pid, items, workers=2, least=1)
    assert [square for square, _ in results] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in results}


def test_small_lists_and_one_worker_run_in_this_process():
    assert {pid for _, pid in fork_map(_square_with_pid, list(range(50)), workers=2)} == {os.getpid()}
    assert {pid for _, pid in fork_map(_square_with_pid, list(range(5000)), workers=1)} == {os.getpid()}


def test_progress_reaches_the_total():
    seen: list[tuple[int, int]] = []
    fork_map(_square_with_pid, list(range(3000)), workers=2, least=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3000, 3000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def _fail_on_4321(chunk: list[int]) -> list[int]:
    if 4321 in chunk:
        raise ValueError("item 4321 is bad")
    return chunk


def test_an_error_in_any_chunk_reaches_the_caller():
    with pytest.raises(ValueError, match="4321"):
        fork_map(_fail_on_4321, list(range(6000)), workers=2, least=1)


def test_collections_paused_restores_the_collector():
    assert gc.isenabled()
    with collections_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_where_fork_is_not_linux_the_work_runs_in_this_process_with_the_same_results(monkeypatch):
    items = list(range(5000))
    forked = fork_map(_square_with_pid, items, workers=2, least=1)
    monkeypatch.setattr(sys, "platform", "darwin")
    serial = fork_map(_square_with_pid, items, workers=2, least=1)
    assert serial == [(square, os.getpid()) for square, _ in forked]
