"""`make demo` end to end: files, a project that reopens from relative paths, outputs that agree."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import shapely
from plain_qgis import open_in_plain_qgis

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_folder(demo_output) -> Path:
    """The demo, run once per session and moved (conftest.demo_output)."""
    return demo_output


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


def test_demo_writes_the_shareable_geopackage_that_plain_qgis_opens(demo_folder, tmp_path):
    """#20 item 6: the package the regions pass on, with the project inside, opened by the system's
    QGIS without the plugin (tests/test_share.py's plain reader), every layer from the same file."""
    package = demo_folder / "rus_demo_dela.gpkg"
    assert package.is_file()
    tables = {row[0] for row in sqlite3.connect(package).execute("SELECT table_name FROM gpkg_contents")}
    assert {"rus_noder", "rus_strak", "rus_omraden", "nationalparker", "rus_sources"} <= tables
    opened = open_in_plain_qgis(f"geopackage:{package}?projectName=RUS", tmp_path / "home")
    assert opened["ok"] is True and opened["plugins"] == []
    names = {layer["name"] for layer in opened["layers"]}
    assert {"rus_noder", "rus_strak", "rus_omraden", "nationalparker"} <= names
    for layer in opened["layers"]:
        assert layer["valid"], layer["name"]
        assert layer["source"].startswith(str(package)), layer["source"]
    findings = [layer for layer in opened["layers"] if layer["group"] and "esult" in layer["group"]]
    assert findings and sum(layer["features"] for layer in findings) > 0


def test_the_project_opens_on_the_region_over_light_kommun_borders(qgis_app, demo_folder):
    """#20 item 2: the project's view is the län (its extent from the demo data, read by GDAL),
    the kommuner are drawn as a light background under everything, the sectors a tick away."""
    from osgeo import ogr
    from qgis.core import QgsProject

    source = ogr.Open(str(demo_folder / "data" / "orebro_lan.gpkg"))  # kept: its layers die with it
    xmin, xmax, ymin, ymax = source.GetLayer("lan").GetExtent()
    project = QgsProject()
    assert project.read(str(demo_folder / "rus_demo.qgz"))
    view = project.viewSettings().defaultViewExtent()
    assert view.crs().authid() == "EPSG:3006"
    assert view.xMinimum() < xmin and view.yMinimum() < ymin
    assert view.xMaximum() > xmax and view.yMaximum() > ymax
    assert view.width() == pytest.approx((xmax - xmin) * 1.1) and view.height() == pytest.approx(
        (ymax - ymin) * 1.1
    )
    root = project.layerTreeRoot()
    assert root.children()[-1].name() == "Bakgrund"  # drawn first, under the work
    (kommuner,) = project.mapLayersByName("kommuner")
    symbol = kommuner.renderer().symbol()
    assert symbol.color().lightness() > 230  # a light fill ...
    assert symbol.symbolLayer(0).strokeColor().lightness() < 200  # ... with borders one can see
    assert root.findLayer(kommuner.id()).isVisible()
    assert not root.findGroup("Sektorer").isVisible()
