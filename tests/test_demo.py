"""`make demo` end to end: files, a project that reopens from relative paths, outputs that agree."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """Run the demo, then move its folder: the project must not depend on where it was made."""
    made = tmp_path_factory.mktemp("made") / "demo-output"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py"), "--output", str(made)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Findings per class: A:" in done.stdout
    assert "Project:" in done.stdout
    moved = tmp_path_factory.mktemp("moved") / "rus-demo åäö"
    shutil.move(str(made), str(moved))
    return moved


def test_demo_writes_project_results_and_data(demo_folder):
    for name in ("rus_demo.qgz", "rus_resultat.gpkg", "data/orebro_lan.gpkg", "data/README.md"):
        assert (demo_folder / name).exists(), name
    tables = {
        row[0]
        for row in sqlite3.connect(demo_folder / "rus_resultat.gpkg").execute(
            "SELECT table_name FROM gpkg_contents"
        )
    }
    assert {"sektorsoverlagring", "fynd", "element_sammanfattning", "kommun_sammanfattning"} <= tables


def test_the_project_reopens_with_every_layer_and_the_plugin_state(qgis_app, demo_folder):
    from qgis.core import QgsProject

    from rus_planner.rus_planner.qgis_io.project_state import ProjectState

    project = QgsProject()
    assert project.read(str(demo_folder / "rus_demo.qgz"))
    layers = list(project.mapLayers().values())
    assert len(layers) >= 17
    for layer in layers:
        assert layer.isValid(), layer.name()
        assert str(demo_folder) in layer.source(), layer.source()  # resolved from relative paths
    root = project.layerTreeRoot()
    assert [group.name() for group in root.children()] == [
        "RUS-element",
        "Resultat",
        "Myndighetsunderlag",
        "Sektorer",
        "Bakgrund",
    ]
    names = {layer.id(): layer.name() for layer in layers}
    state = ProjectState.read_from_project(project)
    assert [names[i] for i in state.element_layer_ids] == ["rus_noder", "rus_strak", "rus_omraden"]
    assert [names[i] for i in state.agency_layer_ids] == [
        "riksintressen_kulturmiljovard",
        "nationalparker",
        "naturminne",
    ]
    assert state.last_run
    assert {source.name for source in state.data_sources} >= {"rus_noder", "nationalparker"}
    assert Path(state.results_path) == demo_folder / "rus_resultat.gpkg"
    assert project.crs().authid() == "EPSG:3006"


def _table(gpkg: Path, table: str):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
    assert layer.isValid(), table
    return layer


def test_the_outputs_agree_with_each_other(qgis_app, demo_folder):
    results = demo_folder / "rus_resultat.gpkg"
    overlay = _table(results, "sektorsoverlagring")
    zones = _table(results, "kommun_sammanfattning")
    findings = _table(results, "fynd")
    elements = _table(results, "element_sammanfattning")

    sector_ids = [n for n in overlay.fields().names() if f"{n}_src" in overlay.fields().names()]
    assert len(sector_ids) == 7
    pieces = [(shapely.from_wkb(bytes(f.geometry().asWkb())), f) for f in overlay.getFeatures()]
    for zone in zones.getFeatures():
        zone_geometry = shapely.from_wkb(bytes(zone.geometry().asWkb()))
        for sector_id in sector_ids:
            expected = sum(
                shapely.area(shapely.intersection(zone_geometry, g)) for g, f in pieces if f[sector_id] == 1
            )
            assert zone[f"{sector_id}_ha"] * 1e4 == pytest.approx(expected, rel=1e-6, abs=1.0), (
                zone["name"],
                sector_id,
            )

    severities = [f["severity"] for f in findings.getFeatures()]
    assert severities, "the demo region has findings (the Tiveden area meets the national park)"
    assert "A" in severities and "B" in severities
    per_element = list(elements.getFeatures())
    assert sum(f["findings"] for f in per_element) == len(severities)
    for letter in "ABCD":
        assert sum(f[f"count_{letter.lower()}"] for f in per_element) == severities.count(letter)
