"""The pure core's tests: shapely, numpy and yaml only, no QGIS.

Collected with the rest of the suite, and once more by ``tests/test_pure_core.py`` in a
fresh interpreter where ``qgis`` cannot be imported (RUS_CORE_WITHOUT_QGIS=1), which proves
the core needs nothing from QGIS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if os.environ.get("RUS_CORE_WITHOUT_QGIS"):
    sys.modules["qgis"] = None  # every "import qgis..." now raises ImportError

TESTS_DIR = Path(__file__).resolve().parents[1]
PLUGINS_DIR = TESTS_DIR.parent / ".build" / "plugins"
# The plugin as QGIS imports it (``rus_planner.rus_planner``), and tests/ for the pure helpers
# shared with the front-end tests (independent.py).
for folder in (PLUGINS_DIR, TESTS_DIR):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def pytest_sessionfinish(session, exitstatus):
    """Without QGIS, nothing may have slipped in (a Qt binding would mean a hidden import)."""
    if os.environ.get("RUS_CORE_WITHOUT_QGIS"):
        leaked = sorted(name for name in sys.modules if name.startswith(("PyQt", "qgis.")))
        if leaked:
            print(f"\nQGIS or Qt modules imported by the pure core: {leaked}")
            session.exitstatus = 1
