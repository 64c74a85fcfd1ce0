"""The real QGIS desktop under Xvfb: the RUS check panel on Örebro data after a run, in English
and in Swedish, with screenshots in test-output/ (panel_en.png, panel_sv.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from desktop_launcher import run_desktop

REPO = Path(__file__).resolve().parent.parent
DESKTOP = Path(__file__).resolve().parent / "desktop"

pytestmark = pytest.mark.slow


def run_panel(tmp_path: Path, shared_data: Path, screenshot: Path, locale: str) -> tuple[dict, list[dict]]:
    work = tmp_path / "arbete åäö"
    work.mkdir()
    result, errors = run_desktop(
        tmp_path,
        "panel_check.py",
        screenshot,
        locale,
        {"RUS_DESKTOP_DATA": str(shared_data), "RUS_DESKTOP_WORK": str(work)},
    )
    assert "error" not in result, result.get("error")
    return result, errors


def _check_common(result: dict, errors: list, screenshot: Path) -> None:
    assert errors == []
    assert result["dock_visible"] is True
    # Tätorter (points) and their 3 km areas against the real agency data: the areas meet
    # Tiveden and Garphyttan national parks (A) and riksintressen (B).
    assert result["counts"]["A"] >= 2 and result["counts"]["B"] >= 30
    assert result["rows"] == sum(result["counts"].values())
    assert result["first_row"][2] == "A"  # sorted by class (the third column)
    assert result["selected_overlap_m2"] > 1e6  # a finding one can see on the map
    assert result["extent_after"] != result["extent_before"]
    # New RUS project opened the map on Örebro län (SCB's extent: x 457 943–544 182, y 6 506 396–6 665 078).
    xmin, ymin, xmax, ymax = (float(v) for v in result["extent_new_project"].replace(" : ", ",").split(","))
    assert xmin < 457_943 and ymin < 6_506_396 and xmax > 544_182 and ymax > 6_665_078
    assert (ymin + ymax) / 2 == pytest.approx((6_506_396 + 6_665_078) / 2, abs=3000)
    assert result["groups"] == ["RUS-resultat", "RUS-element", "Sektorer", "Myndighetsunderlag", "Resultat"]
    assert result["crs"] == "EPSG:3006"
    assert result["results_rendered"] == ["RuleRenderer", "RuleRenderer"]
    assert result["canvas_layers"][:2] == result["results_layers"]  # drawn on top
    assert screenshot.stat().st_size > 50_000


def test_panel_in_english(tmp_path, shared_data, test_output):
    screenshot = test_output / "panel_en.png"
    result, errors = run_panel(tmp_path, shared_data, screenshot, "en_US")
    _check_common(result, errors, screenshot)
    assert result["dock_title"] == "RUS check"
    assert result["tabs"] == ["Check", "Findings", "Profile"]
    assert (
        result["headers"][:3] == ["Element", "Interest", "Class"]
        and result["selected_row"][7] == "In dialogue with the agency"
    )
    assert result["results_layers"] == ["RUS check findings: nodes", "RUS check findings: areas"]


def test_panel_in_swedish(tmp_path, shared_data, test_output):
    screenshot = test_output / "panel_sv.png"
    result, errors = run_panel(tmp_path, shared_data, screenshot, "sv_SE")
    _check_common(result, errors, screenshot)
    assert result["dock_title"] == "RUS-kontroll"
    assert result["tabs"] == ["Kontroll", "Iakttagelser", "Profil"]
    assert (
        result["headers"][:3] == ["Element", "Intresse", "Klass"]
        and result["selected_row"][7] == "I dialog med myndigheten"
    )
    assert result["results_layers"] == [
        "RUS-kontroll – iakttagelser: noder",
        "RUS-kontroll – iakttagelser: områden",
    ]
