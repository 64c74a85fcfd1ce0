"""The real QGIS desktop under Xvfb loads the plugin without a Python error (screenshots saved)."""

from __future__ import annotations

import pytest
from desktop_launcher import run_desktop

pytestmark = pytest.mark.slow


def test_desktop_loads_the_plugin_without_python_errors(tmp_path, test_output):
    screenshot = test_output / "desktop_en.png"
    result, errors = run_desktop(tmp_path, "startup_check.py", screenshot, "en_US", timeout=240)
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
    result, errors = run_desktop(tmp_path, "startup_check.py", screenshot, "sv_SE", timeout=240)
    assert errors == []
    assert result["plugin_loaded"] is True
    assert "Validera planeringsprofil…" in result["actions"]
