"""Run the real qgis_process binary through scripts/qgis-process (for tests of every algorithm)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QGIS_PROCESS = REPO / "scripts" / "qgis-process"


def qgis_process(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """qgis_process with the plugin from this work tree; returns the finished process."""
    return subprocess.run(
        [str(QGIS_PROCESS), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def run_algorithm(algorithm: str, timeout: int = 600, **parameters) -> dict:
    """`qgis_process run ALG --json -- KEY=VALUE ...`; returns the parsed JSON (results under "results")."""
    arguments = [f"{key}={value}" for key, value in parameters.items()]
    done = qgis_process("run", algorithm, "--json", "--", *arguments, timeout=timeout)
    assert done.returncode == 0, f"qgis_process failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    start = done.stdout.find("{")
    return json.loads(done.stdout[start:])
