"""The real QGIS desktop under Xvfb loads the plugin without a Python error (screenshots saved)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DESKTOP = Path(__file__).resolve().parent / "desktop"

pytestmark = pytest.mark.slow


def run_desktop(tmp_path: Path, screenshot: Path, locale: str = "en_US") -> tuple[dict, list[dict]]:
    """Start qgis under xvfb-run with the plugin enabled; return what loaded and any errors."""
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
            str(DESKTOP / "startup_check.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result_file.exists(), (
        f"QGIS did not finish the check:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    errors = []
    if errors_file.exists():
        errors = [json.loads(line) for line in errors_file.read_text(encoding="utf-8").splitlines()]
    return json.loads(result_file.read_text(encoding="utf-8")), errors


def test_desktop_loads_the_plugin_without_python_errors(tmp_path, test_output):
    screenshot = test_output / "desktop_en.png"
    result, errors = run_desktop(tmp_path, screenshot, "en_US")
    assert errors == []
    assert result["plugin_loaded"] is True
    assert "rus_planner" in result["active_plugins"]
    assert result["provider"] == "RUS Planner"
    assert "rusplanner:validateprofile" in result["algorithms"]
    assert "Validate planning profile…" in result["actions"]
    assert result["toolbar_visible"] is True
    assert any("RUS Planner" in m for m in result["plugin_menu"])
    assert screenshot.stat().st_size > 20_000  # a real window, not a blank image


def test_desktop_in_swedish(tmp_path, test_output):
    screenshot = test_output / "desktop_sv.png"
    result, errors = run_desktop(tmp_path, screenshot, "sv_SE")
    assert errors == []
    assert result["plugin_loaded"] is True
    assert "Validera planeringsprofil…" in result["actions"]
