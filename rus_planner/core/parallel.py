"""Vectorised shapely calls spread over the machine's cores.

shapely 2 releases Python's lock while GEOS works and gives every call its own GEOS
context, so an overlay of many independent pairs runs in threads without copies or
processes. Only plain (unprepared) operations belong here: a prepared geometry builds
its index lazily and must not be shared between threads.
"""

from __future__ import annotations

import os

# Threads for one call; a laptop's cores are shared with QGIS's own rendering threads.
WORKERS = max(1, min(4, os.cpu_count() or 1))
# Below this many items per thread, starting a thread (about 0.1 ms) costs more than it saves
# (an overlay of two polygons of a few dozen vertices takes some 50 µs).
MIN_CHUNK = 100


def in_chunks(function, *arrays, workers: int | None = None):
    """``function(*arrays)`` for element-wise functions, computed in equal slices in parallel.

    The result is the same array, in the same order, as one call on the whole arrays.
    """
    import numpy as np

    count = len(arrays[0]) if arrays else 0
    parts = min(workers or WORKERS, count // MIN_CHUNK)
    if parts <= 1:
        return function(*arrays)
    from concurrent.futures import ThreadPoolExecutor

    edges = np.linspace(0, count, parts + 1).astype(int).tolist()
    with ThreadPoolExecutor(max_workers=parts) as pool:
        futures = [
            pool.submit(function, *(array[start:stop] for array in arrays))
            for start, stop in zip(edges[:-1], edges[1:])
        ]
        return np.concatenate([future.result() for future in futures])


def run_each(function, items, workers: int | None = None, on_each_done=None) -> list:
    """``function(item)`` for every item, side by side; finished futures, in the items' order.

    A failure stays with its item: ``future.result()`` raises it where the caller asks.
    ``on_each_done(done, total)`` runs on the calling thread as items finish; what it
    raises (a cancellation) drops the items not yet started and is raised here.
    """
    from concurrent.futures import Future, ThreadPoolExecutor, as_completed

    items = list(items)
    total = len(items)
    count = min(workers or WORKERS, total)
    if count <= 1:
        futures = []
        for done, item in enumerate(items, start=1):
            future = Future()
            try:
                future.set_result(function(item))
            except Exception as error:  # noqa: BLE001 - handed to the caller, as a pool would
                future.set_exception(error)
            futures.append(future)
            if on_each_done is not None:
                on_each_done(done, total)
        return futures
    pool = ThreadPoolExecutor(max_workers=count)
    try:
        futures = [pool.submit(function, item) for item in items]
        for done, _ in enumerate(as_completed(futures), start=1):
            if on_each_done is not None:
                on_each_done(done, total)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return futures
