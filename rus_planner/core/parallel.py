"""Vectorised shapely calls spread over the machine's cores.

shapely 2 releases Python's lock while GEOS works and gives every call its own GEOS
context, so an overlay of many independent pairs runs in threads without copies or
processes. Only plain (unprepared) operations belong here: a prepared geometry builds
its index lazily and must not be shared between threads (libgeos/geos#825): core/check.py
lends each thread a copy of the elements of its own.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager

import numpy as np

# Threads for one call; a laptop's cores are shared with QGIS's own rendering threads.
WORKERS = max(1, min(4, os.cpu_count() or 1))
# Below this many items per thread, starting a thread (about 0.1 ms) costs more than it saves
# (an overlay of two polygons of a few dozen vertices takes some 50 µs).
MIN_CHUNK = 100

# Set in the threads of run_each and side_by_side: the cores are busy already, so a call
# there is not split again (more threads than cores only add switching).
_side_by_side = threading.local()


def _mark_side_by_side() -> None:
    _side_by_side.active = True


def in_chunks(function, *arrays, workers: int | None = None):
    """``function(*arrays)`` for element-wise functions, computed in equal slices in parallel
    (in one piece inside a thread of ``run_each`` or ``side_by_side``).

    The result is the same array, in the same order, as one call on the whole arrays.
    """

    count = len(arrays[0]) if arrays else 0
    parts = min(workers or WORKERS, count // MIN_CHUNK)
    if getattr(_side_by_side, "active", False):
        parts = 1
    if parts <= 1:
        return function(*arrays)

    edges = np.linspace(0, count, parts + 1).astype(int).tolist()
    with ThreadPoolExecutor(max_workers=parts) as pool:
        futures = [
            pool.submit(function, *(array[start:stop] for array in arrays))
            for start, stop in zip(edges[:-1], edges[1:])
        ]
        return np.concatenate([future.result() for future in futures])


def run_each(function, items, workers: int | None = None) -> list:
    """``function(item)`` for every item, side by side; finished futures, in the items' order.

    A failure stays with its item: ``future.result()`` raises it where the caller asks.
    """

    items = list(items)
    count = min(workers or WORKERS, len(items))
    if count <= 1:
        futures = []
        for item in items:
            future = Future()
            try:
                future.set_result(function(item))
            except Exception as error:  # noqa: BLE001 - handed to the caller, as a pool would
                future.set_exception(error)
            futures.append(future)
        return futures
    with ThreadPoolExecutor(max_workers=count, initializer=_mark_side_by_side) as pool:
        return [pool.submit(function, item) for item in items]


@contextmanager
def side_by_side(function, items, workers: int | None = None):
    """Start ``function(item)`` for every item in threads; yields their futures, in order.

    The caller takes each result when it needs it (``future.result()`` waits for that one
    only) while the others go on. Leaving the block early (a cancellation) drops the items
    not yet started. With one worker, each item is computed when its result is asked for.
    """

    items = list(items)
    count = min(workers or WORKERS, len(items))
    if count <= 1:
        yield [_Deferred(function, item) for item in items]
        return
    pool = ThreadPoolExecutor(max_workers=count, initializer=_mark_side_by_side)
    try:
        yield [pool.submit(function, item) for item in items]
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


class Watch:
    """The futures of ``watched``, in the items' order, and those not finished yet."""

    def __init__(self, futures: list):
        self.futures = futures
        self.pending = set(futures)

    def wait(self, timeout: float = 0.2, *, first: bool = False) -> set:
        """The futures finished within ``timeout`` seconds (all of them, or with ``first`` as soon
        as one is); the caller polls, to report progress and to see a cancellation."""

        done, self.pending = wait(
            self.pending, timeout=timeout, return_when=FIRST_COMPLETED if first else ALL_COMPLETED
        )
        return done


@contextmanager
def watched(function, items, workers: int):
    """Start ``function(item)`` for every item on ``workers`` threads; yields a ``Watch``.

    For long jobs whose caller polls (progress, cancel) instead of waiting for each result.
    Leaving the block (at the end, on a cancellation or a failure) drops the items not
    started yet and waits for the running ones, which stop at their own next check.
    """

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        watch = Watch([pool.submit(function, item) for item in items])
        try:
            yield watch
        finally:
            for future in watch.pending:
                future.cancel()  # an item not started yet never starts


@contextmanager
def in_background():
    """A pool of one thread for work that should run while this thread does something else;
    yields its ``submit``-able executor. Leaving the block waits for what it runs."""

    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


class _Deferred:
    """A future computed on this thread, the first time its result is asked for."""

    _UNSET = object()

    def __init__(self, function, item):
        self._call = (function, item)
        self._value = self._UNSET

    def result(self):
        if self._value is self._UNSET:
            function, item = self._call
            self._value = function(item)
        return self._value
