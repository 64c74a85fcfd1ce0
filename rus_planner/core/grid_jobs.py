"""Cancel checks, progress and worker threads for the grid's long vectorised work."""

from __future__ import annotations

import os
import threading

import numpy as np
import shapely

from .errors import Cancelled
from .parallel import watched

CHUNK_COORDINATES = 400_000  # work between two cancel checks (about 0.1–0.5 s)
MAX_WORKERS = 2


# --------------------------------------------------------------------------- progress


class _Ticker:
    """Cancel checks and progress for one span [start, end] of the run's 0–100 %."""

    def __init__(self, feedback, start: float = 0.0, end: float = 100.0):
        self.feedback = feedback
        self.start = start
        self.end = end

    def check(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled():
            raise Cancelled()

    def set(self, fraction: float) -> None:
        self.check()
        self.report(fraction)

    def report(self, fraction: float) -> None:
        """Progress only, without the cancel check."""
        if self.feedback is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            self.feedback.setProgress(self.start + (self.end - self.start) * fraction)

    def span(self, first: float, last: float) -> _Ticker:
        width = self.end - self.start
        return _Ticker(self.feedback, self.start + width * first, self.start + width * last)


class _WorkerTicker:
    """The ticker of a worker thread: it only watches the shared cancel flag.

    Progress goes to QGIS from the calling thread alone, so no Qt signal is emitted
    from a worker.
    """

    def __init__(self, cancelled):
        self.cancelled = cancelled

    def check(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled()

    def set(self, fraction: float) -> None:
        self.check()

    def span(self, first: float, last: float) -> _WorkerTicker:
        return self


def run_jobs(jobs, ticker: _Ticker, workers: int | None = None) -> list:
    """Run jobs (callables taking a ticker) on threads; shapely releases the GIL.

    The calling thread polls every 0.2 s: it reports progress and, on cancel, tells the
    workers to stop at their next check, waits for them, then raises ``Cancelled``.
    """

    workers = workers or min(MAX_WORKERS, os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for index, job in enumerate(jobs):
            results.append(job(ticker.span(index / len(jobs), (index + 1) / len(jobs))))
        return results
    stop = threading.Event()
    with watched(lambda job: job(_WorkerTicker(stop)), jobs, workers) as watch:
        futures = watch.futures
        try:
            while watch.pending:
                done = watch.wait(0.2)
                failed = any(f.exception() is not None for f in done)
                if failed or (ticker.feedback is not None and ticker.feedback.isCanceled()):
                    break
                ticker.report(1 - len(watch.pending) / len(futures))
        finally:
            if watch.pending:  # cancelled, failed or interrupted: the others stop at their next check
                stop.set()  # (leaving ``watched`` drops the jobs not started yet)
    errors = [
        f.exception()
        for f in futures
        if not f.cancelled() and f.exception() is not None and not isinstance(f.exception(), Cancelled)
    ]
    if errors:
        raise errors[0]
    if stop.is_set():
        raise Cancelled()
    return [future.result() for future in futures]


def chunked(function, ticker, *arrays, limit: int = CHUNK_COORDINATES):
    """A vectorised shapely function applied in chunks, with a cancel check between them."""

    n = len(arrays[0])
    out = np.empty(n, dtype=object)
    geometries = [a for a in arrays if a.dtype == object]
    weights = sum(shapely.get_num_coordinates(a) for a in geometries) if geometries else np.ones(n)
    for start, stop in _chunks(weights, limit):
        if ticker is not None:
            ticker.check()
        out[start:stop] = function(*(a[start:stop] for a in arrays))
    return out


def _chunks(weights, limit: int):
    """Index ranges whose summed weight stays near limit (at least one item each)."""

    total = len(weights)
    if total == 0:
        return
    cumulative = np.cumsum(weights)
    start = 0
    while start < total:
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + limit, side="right"))
        stop = max(stop, start + 1)
        yield start, min(stop, total)
        start = stop
