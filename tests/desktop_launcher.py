"""Start the real QGIS desktop under Xvfb with the plugin, run a check script, collect its result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DESKTOP = Path(__file__).resolve().parent / "desktop"


def run_desktop(
    tmp_path: Path,
    script: str,
    screenshot: Path,
    locale: str,
    extra_env: dict | None = None,
    timeout: int = 300,
) -> tuple[dict, list[dict]]:
    """qgis --code tests/desktop/<script> in its own profile; returns (result JSON, Python errors).

    The profile's startup.py (tests/desktop/startup_hook.py) records every Python error
    raised while QGIS and the plugin load, before the check script runs.
    """
    profiles = tmp_path / "profiles"
    python_dir = profiles / "profiles" / "default" / "python"
    python_dir.mkdir(parents=True)
    shutil.copy(DESKTOP / "startup_hook.py", python_dir / "startup.py")
    result_file, errors_file = tmp_path / "result.json", tmp_path / "errors.jsonl"
    env = dict(
        os.environ,
        RUS_QGIS_PROFILES=str(profiles),
        RUS_QGIS_LOCALE=locale,
        RUS_DESKTOP_RESULT=str(result_file),
        RUS_DESKTOP_ERRORS=str(errors_file),
        RUS_DESKTOP_SCREENSHOT=str(screenshot),
        **(extra_env or {}),
    )
    env.pop("QT_QPA_PLATFORM", None)  # a real X display this time
    done = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            str(REPO / "scripts" / "run-qgis"),
            "--nologo",
            "--code",
            str(DESKTOP / script),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result_file.exists(), f"QGIS did not finish:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    errors = []
    if errors_file.exists():
        errors = [json.loads(line) for line in errors_file.read_text(encoding="utf-8").splitlines()]
    return json.loads(result_file.read_text(encoding="utf-8")), errors
