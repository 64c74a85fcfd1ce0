"""The shipped graphical model runs through the qgis_process binary by its path; outputs checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from headless import run_algorithm
from standing_notice import NOTICE_ID

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "resources" / "models" / "rus_analys.model3"
DEMO = REPO / "resources" / "demo" / "orebro_lan.gpkg"
pytestmark = pytest.mark.slow


def uri(name: str) -> str:
    return f"{DEMO}|layername={name}"


def geometries(path: str, where=None, crs: str = "EPSG:3006") -> list:
    """A layer's geometries in EPSG:3006, reprojected by QGIS's native algorithm."""
    import processing
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "x", "ogr")
    assert layer.isValid(), path
    if layer.crs().authid() != crs:
        layer = processing.run(
            "native:reprojectlayer", {"INPUT": layer, "TARGET_CRS": crs, "OUTPUT": "memory:"}
        )["OUTPUT"]
    return [
        (shapely.from_wkb(bytes(f.geometry().asWkb())), f)
        for f in layer.getFeatures()
        if where is None or where(f)
    ]


def test_the_model_runs_headless_and_its_outputs_are_right(qgis_processing, tmp_path):
    out = {
        name: str(tmp_path / f"{name}.gpkg") for name in ("overlay", "grid", "findings", "elements", "zones")
    }
    result = run_algorithm(
        str(MODEL),
        timeout=900,
        sektorer=uri("kultur_miljoer"),
        utbredning=uri("lan"),
        rutstorlek=2000,
        element=uri("rus_omraden"),
        myndighetslager=uri("nationalparker"),
        zoner=uri("kommuner"),
        crs="EPSG:3006",
        **{
            "sektorsoverlagring:OVERLAY": out["overlay"],
            "rutnat:GRID": out["grid"],
            "kontroll:FINDINGS": out["findings"],
            "kontroll:ELEMENT_SUMMARY": out["elements"],
            "sammanstallning:ZONE_SUMMARY": out["zones"],
        },
    )
    assert set(result["results"]) >= {
        "sektorsoverlagring:OVERLAY",
        "rutnat:GRID",
        "kontroll:FINDINGS",
        "sammanstallning:ZONE_SUMMARY",
    }

    county = shapely.union_all([g for g, _ in geometries(uri("lan"))])
    culture = shapely.intersection(
        shapely.union_all([g for g, _ in geometries(uri("kultur_miljoer"))]), county
    )

    overlay_area = sum(
        shapely.area(g) for g, f in geometries(out["overlay"], lambda f: f["kultur_miljoer"] == 1)
    )
    assert overlay_area == pytest.approx(shapely.area(culture), rel=1e-6)

    grid = geometries(out["grid"])
    covered = sum(f["kultur_miljoer_share"] * shapely.area(g) for g, f in grid)
    assert covered == pytest.approx(shapely.area(culture), rel=1e-6)
    assert all(abs(shapely.area(g) - 4e6) < 1e-3 or shapely.area(g) < 4e6 for g, _ in grid)

    areas = geometries(uri("rus_omraden"))
    parks = geometries(uri("nationalparker"))  # EPSG:4326 in the file, reprojected by native:reprojectlayer
    expected_pairs = {
        (a["namn"], p["NAMN"])
        for a_geometry, a in areas
        for p_geometry, p in parks
        if shapely.area(shapely.intersection(a_geometry, p_geometry)) > 0
    }
    found = geometries(out["findings"])
    # (and the default profile's standing notice, one class D per element, checked and set aside)
    notices = [f["element_name"] for _, f in found if f["rule_id"] == NOTICE_ID]
    assert sorted(notices) == sorted(a["namn"] for _, a in areas)
    assert {
        (f["element_name"], f["feature_name"]) for _, f in found if f["rule_id"] != NOTICE_ID
    } == expected_pairs
    assert expected_pairs == {("Besöksnäringsområde Tiveden", "Tiveden")}
    assert {f["severity"] for _, f in found if f["rule_id"] != NOTICE_ID} == {"A"}

    for zone_geometry, zone in geometries(out["zones"]):
        expected = shapely.area(shapely.intersection(zone_geometry, culture))
        assert zone["kultur_miljoer_ha"] * 1e4 == pytest.approx(expected, rel=1e-6, abs=1.0), zone["name"]
        expected_a = sum(1 for g, f in found if f["severity"] == "A" and shapely.intersects(zone_geometry, g))
        assert zone["findings_a"] == expected_a, zone["name"]


def test_the_model_builds_with_the_same_output_names_on_this_qgis(rus_provider, tmp_path):
    """build_model.py on this QGIS (3.22, 3.40 and 3.44 in the matrix) gives the shipped model's
    `<step>:<OUTPUT>` names, which README and scripts use; QGIS 3.3x+ would otherwise name them after
    the outputs' descriptions."""
    import subprocess
    import sys

    from qgis.core import QgsProcessingModelAlgorithm

    built = tmp_path / "rus_analys.model3"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_model.py"), str(built)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr

    def output_names(path):
        model = QgsProcessingModelAlgorithm()
        assert model.fromFile(str(path))
        return sorted(p.name() for p in model.destinationParameterDefinitions())

    expected = [
        "kontroll:ELEMENT_SUMMARY",
        "kontroll:FINDINGS",
        "rutnat:GRID",
        "sammanstallning:ZONE_SUMMARY",
        "sektorsoverlagring:OVERLAY",
    ]
    assert output_names(built) == output_names(MODEL) == expected
