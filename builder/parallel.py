"""Map a function over a list in forked worker processes, keeping the order of results.

Workers inherit the function and the list through fork, so nothing big is pickled on
the way in; only each chunk's results travel back. Fork is used on Linux only: elsewhere
(macOS, where forking a process with threads is unsafe) the work runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

_WORK: tuple = ()  # (function, items) for the forked workers
CHUNKS_PER_WORKER = 8  # enough for balance; more chunks spread each worker's card memo thinner


def _run_chunk(start: int, stop: int) -> list:
    function, items = _WORK
    return function(items[start:stop])


def fork_map(function, items: list, workers: int | None = None, least: int = 400, progress=None) -> list:
    """`function(chunk) -> list` over consecutive chunks of `items`, in parallel when worth it."""
    global _WORK
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < least or not can_fork():
        return function(items)
    size = max(1, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    _WORK = (function, items)
    results: list = []
    gc.freeze()  # children's collections then skip inherited objects instead of copying their pages
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for future in [pool.submit(_run_chunk, i, i + size) for i in range(0, len(items), size)]:
                results += future.result()
                if progress:
                    progress(len(results), len(items))
    finally:
        gc.unfreeze()
        _WORK = ()
    return results


def can_fork() -> bool:
    """True where forked workers are safe and available: Linux."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def collections_paused():
    """No cyclic garbage collection inside (workers forked meanwhile inherit that).

    A build makes millions of objects that live until it ends and almost no reference
    cycles, so the collector's passes over them are pure cost; it runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
