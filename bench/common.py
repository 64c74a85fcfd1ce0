"""Shared benchmark plumbing: a headless QGIS with Processing and the plugin, timers, memory."""

from __future__ import annotations

import os
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data" / "sweden"
OUTPUT = REPO / "bench-output"

_APP = None


def start_qgis():
    """Start QgsApplication once, with native Processing and the RUS Planner provider."""
    global _APP
    if _APP is not None:
        return _APP
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO / ".build" / "plugins"))
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication

    _APP = QgsApplication([], False)
    _APP.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from rus_planner.rus_planner.processing.provider import RusPlannerProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("rusplanner") is None:
        _APP._rus_provider = RusPlannerProvider()  # keep a reference for the app's lifetime
        registry.addProvider(_APP._rus_provider)
    OUTPUT.mkdir(exist_ok=True)
    return _APP


@contextmanager
def timer(results: dict, key: str):
    """Wall-clock seconds of the block, stored under key."""
    start = time.perf_counter()
    yield
    results[key] = time.perf_counter() - start


def peak_memory_mb(key: str = "VmHWM:") -> float:
    """Peak resident memory (VmHWM) of this process since start or the last reset_peak_memory();
    key="VmRSS:" for the resident memory now."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for text in status:
                if text.startswith(key):
                    return int(text.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_memory() -> None:
    """Start VmHWM again from the current resident memory (Linux ≥ 4.0), so one line's peak is its own."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        pass


# The benchmark module now running: its lines go to bench-output/results/<module>.txt.
current_module = "bench"


def line(*parts) -> None:
    """Print one benchmark line and keep it with its module's latest results."""
    text = " ".join(str(p) for p in parts)
    print(text, flush=True)
    folder = OUTPUT / "results"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{current_module}.txt", "a", encoding="utf-8") as handle:
        handle.write(text + "\n")


def start_module(name: str) -> None:
    """Forget the module's previous results; it is about to print new ones."""
    global current_module
    current_module = name
    (OUTPUT / "results").mkdir(parents=True, exist_ok=True)
    (OUTPUT / "results" / f"{name}.txt").write_text("", encoding="utf-8")


def gather_results() -> None:
    """bench-output/results.txt: every module's latest results, so that running one module
    (make bench BENCH=check) does not lose the others'."""
    parts = sorted((OUTPUT / "results").glob("*.txt"))
    text = "".join(part.read_text(encoding="utf-8") for part in parts)
    (OUTPUT / "results.txt").write_text(text, encoding="utf-8")
