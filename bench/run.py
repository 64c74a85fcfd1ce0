"""`make bench`: run every bench/bench_*.py module's main() in turn, in one process.

Each module times RUS Planner and the QGIS-native way on the same data and prints both
times and their ratio. Select modules with: make bench BENCH=overlay. Every module's latest
lines are kept in bench-output/results/ and gathered in bench-output/results.txt.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import OUTPUT, gather_results, line, start_qgis  # noqa: E402


def main() -> int:
    wanted = os.environ.get("BENCH", "")
    OUTPUT.mkdir(exist_ok=True)
    start_qgis()
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if wanted:
        modules = [m for m in modules if any(w in m for w in wanted.split(","))]
    if not modules:
        line("no benchmarks found")
        return 1
    for name in modules:
        common.start_module(name)
        line(f"== {name}")
        try:
            importlib.import_module(name).main()
        finally:
            gather_results()
    return 0


if __name__ == "__main__":
    sys.exit(main())
