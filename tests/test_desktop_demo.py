"""Desktop tests that look (#20 item 7): the real QGIS desktop under Xvfb opens the demo project
as a new user would, in English and in Swedish; the map is on the region, the panel knows the
roles, a run from the panel agrees with qgis_process, and screenshots land in test-output/
(demo_<lang>_check.png, demo_<lang>_findings.png) for a person to look at."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from desktop_launcher import run_desktop
from osgeo import ogr
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
TOUR = REPO / "scripts" / "desktop_tour.py"

pytestmark = pytest.mark.slow


def open_demo(tmp_path: Path, demo_output: Path, screenshot: Path, locale: str) -> dict:
    """The tour on a copy of the demo (the panel writes its findings beside the project)."""
    demo = tmp_path / "demo åäö"
    shutil.copytree(demo_output, demo)
    result, errors = run_desktop(
        tmp_path, str(TOUR), screenshot, locale, {"RUS_TOUR_PROJECT": str(demo / "rus_demo.qgz")}
    )
    assert "error" not in result, result.get("error")
    assert errors == []
    return result


def _region(demo_output: Path) -> tuple[float, float, float, float]:
    source = ogr.Open(str(demo_output / "data" / "orebro_lan.gpkg"))  # kept: its layers die with it
    xmin, xmax, ymin, ymax = source.GetLayer("lan").GetExtent()
    return xmin, ymin, xmax, ymax


def _processing_findings(demo_output: Path) -> tuple[dict, set]:
    """What qgis_process found on the same data (the demo's `fynd`): counts per class, and the
    (element, agency feature) of every class A finding (rule names follow the language)."""
    with sqlite3.connect(demo_output / "rus_resultat.gpkg") as db:
        counts = dict(db.execute("SELECT severity, COUNT(*) FROM fynd GROUP BY severity"))
        strongest = set(db.execute("SELECT element_name, feature_name FROM fynd WHERE severity = 'A'"))
    return {s: counts.get(s, 0) for s in "ABCD"}, strongest


def _check(result: dict, demo_output: Path) -> None:
    # The map opens on the region: all of the län in view, centred, not a country away.
    xmin, ymin, xmax, ymax = _region(demo_output)
    exmin, eymin, exmax, eymax = result["canvas_extent"]
    assert result["canvas_crs"] == "EPSG:3006"
    assert exmin <= xmin and eymin <= ymin and exmax >= xmax and eymax >= ymax
    assert (exmin + exmax) / 2 == pytest.approx((xmin + xmax) / 2, abs=0.02 * (ymax - ymin))
    assert (eymin + eymax) / 2 == pytest.approx((ymin + ymax) / 2, abs=0.02 * (ymax - ymin))
    assert min((exmax - exmin) / (xmax - xmin), (eymax - eymin) / (ymax - ymin)) < 1.2
    assert "kommuner" in result["visible_layers"]

    # The roles the project stored are ticked; the plugin's outputs are never offered.
    assert sorted(result["elements_ticked"]) == ["rus_noder", "rus_omraden", "rus_strak"]
    assert sorted(result["agency_ticked"]) == [
        "nationalparker",
        "naturminne",
        "riksintressen_kulturmiljovard",
    ]
    assert sorted(result["elements_order"][:3]) == sorted(result["elements_ticked"])  # seen at once, on top
    # 3 elements + 3 agency + 7 sectors + 3 background layers; none of Resultat's.
    assert result["elements_listed"] == result["agency_listed"] == 16

    # A run from the panel finds what qgis_process found; its first row is a planner's.
    counts, strongest = _processing_findings(demo_output)
    assert result["counts"] == counts
    assert result["rows"] == sum(counts.values())
    element, interest, severity, _nature, agency, measure, *_ = result["first_row"]
    assert severity == "A"
    assert any(element == e and interest.split(": ", 1)[1].startswith(f) for e, f in strongest), (
        element,
        interest,
        strongest,
    )
    assert agency
    assert re.fullmatch(r"[\d\u00a0,.<  ]+\u00a0(ha|km²|m|km) [^\d]+", measure), measure
    assert result["canvas_extent_selected"] != result["canvas_extent"]  # the finding shown on the map

    # Screenshots a person can look at: the whole window, 1280 × 800.
    for key in ("shot_check", "shot_findings"):
        with Image.open(result[key]) as image:
            assert image.size == (1280, 800)
            assert len(set(image.convert("RGB").resize((160, 100)).getdata())) > 200  # not a blank window


def test_the_demo_in_the_desktop_in_english(tmp_path, demo_output, test_output):
    result = open_demo(tmp_path, demo_output, test_output / "demo_en.png", "en_US")
    _check(result, demo_output)
    assert result["empty_status"] == "Choose element layers and press Run check."
    assert result["current_tab"] == "Findings"
    assert result["headers"][:7] == [
        "Element",
        "Interest",
        "Class",
        "Nature",
        "Agency",
        "Distance / overlap",
        "Position",
    ]
    assert result["first_row_tooltips"][2].startswith("A – strong protection overlapped\n")
    assert result["first_row"][5].endswith(" overlap")
    assert result["first_row"][3] in ("conflict", "agreement", "information")
    assert "B – riksintresse overlapped" in result["legend"]


def test_the_demo_in_the_desktop_in_swedish(tmp_path, demo_output, test_output):
    result = open_demo(tmp_path, demo_output, test_output / "demo_sv.png", "sv_SE")
    _check(result, demo_output)
    assert result["current_tab"] == "Iakttagelser"
    assert result["headers"][:3] == ["Element", "Intresse", "Klass"]
    assert result["headers"][6] == "Ställningstagande"
    assert result["first_row"][3] in ("konflikt", "samstämmighet", "information")  # the lead's labels
    assert (
        "," in result["first_row"][5] or "\u00a0m " in result["first_row"][5]
    )  # a decimal comma, or whole metres
    assert "." not in result["first_row"][5]
