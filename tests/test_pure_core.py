"""The analysis core runs without QGIS: its tests (tests/core) in a fresh Python where
``import qgis`` fails, so a QGIS import slipped into the core fails here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_core_tests_pass_with_qgis_unimportable():
    environment = {**os.environ, "RUS_CORE_WITHOUT_QGIS": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:pytest_qgis",
        "-W",
        "ignore::pytest.PytestConfigWarning",
        "--confcutdir",
        str(REPO / "tests" / "core"),
        str(REPO / "tests" / "core"),
    ]
    run = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed.group(1)) >= 40, run.stdout[-2000:]
    assert "failed" not in run.stdout and "skipped" not in run.stdout
