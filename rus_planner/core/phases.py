"""Where one run's time goes: wall-clock seconds per phase, for benchmarks and debugging.

An algorithm times its phases with a ``Phases`` (``with phases("read"): ...``, a
``time.perf_counter`` pair each, nothing else) and keeps it in ``LAST`` under its name;
``make bench`` reads it after the run. Nothing here is shown to the user.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

#: The latest run's phases per algorithm name, e.g. LAST["sectoroverlay"].seconds.
LAST: dict[str, Phases] = {}


class Phases:
    """Seconds per named phase, in the order the phases first ran."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()  # worker threads add their steps' seconds too

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def text(self) -> str:
        """ "read 0.12 / dissolve 0.30 / ..." in seconds."""
        return " / ".join(f"{name} {value:.2f}" for name, value in self.seconds.items())
