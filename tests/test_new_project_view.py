"""A new RUS project opens where the work is (#20 item 2): on the chosen län, remembered in the
project as its view; the län extents the plugin ships agree with SCB's boundaries."""

from __future__ import annotations

import pytest
from osgeo import ogr
from panel_helpers import answer_item_dialog, load_plugin
from qgis.core import QgsProject, QgsSettings

from rus_planner.rus_planner.core.counties import COUNTIES, county_extent
from rus_planner.rus_planner.ui.new_project import COUNTY_SETTING


def _scb_extents(shared_data) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
    """Each län's name and extent as GDAL reads SCB's file (OGR's envelope: xmin, xmax, ymin, ymax)."""
    source = ogr.Open(str(shared_data / "lan.gpkg"))
    extents = {}
    for feature in source.GetLayer("lan"):
        xmin, xmax, ymin, ymax = feature.GetGeometryRef().GetEnvelope()
        extents[feature.GetField("code")] = (feature.GetField("name"), (xmin, ymin, xmax, ymax))
    return extents


def test_the_counties_shipped_are_scbs_21_lan(shared_data):
    scb = _scb_extents(shared_data)
    assert [code for code, _name, _extent in COUNTIES] == sorted(scb)
    for code, name, (xmin, ymin, xmax, ymax) in COUNTIES:
        scb_name, (sxmin, symin, sxmax, symax) = scb[code]
        assert name == f"{scb_name} län"
        # Whole metres outside SCB's extent, never inside it.
        assert 0 <= sxmin - xmin < 1 and 0 <= symin - ymin < 1
        assert 0 <= xmax - sxmax < 1 and 0 <= ymax - symax < 1


@pytest.fixture
def plugin(qgis_iface, qgis_processing, rus_provider):
    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    yield plugin
    plugin.unload()
    project.clear()


def test_a_new_rus_project_opens_on_the_chosen_lan(plugin, qgis_iface, shared_data, tmp_path):
    QgsSettings().setValue(COUNTY_SETTING, "06")  # chosen last time: offered first
    seen: dict = {}
    answer_item_dialog("Örebro län", seen)
    assert plugin.new_rus_project() is True
    assert seen["current"] == "Jönköpings län" and len(seen["items"]) == 21
    assert QgsSettings().value(COUNTY_SETTING) == "18"

    _name, (xmin, ymin, xmax, ymax) = _scb_extents(shared_data)["18"]
    canvas = qgis_iface.mapCanvas()
    extent = canvas.extent()
    assert canvas.mapSettings().destinationCrs().authid() == "EPSG:3006"
    # The whole län is in view, centred, and the view is not much more than the län:
    # the canvas keeps its own aspect ratio, so one side fits within the 5 % margins.
    assert extent.xMinimum() <= xmin and extent.yMinimum() <= ymin
    assert extent.xMaximum() >= xmax and extent.yMaximum() >= ymax
    assert extent.center().x() == pytest.approx((xmin + xmax) / 2, abs=10)
    assert extent.center().y() == pytest.approx((ymin + ymax) / 2, abs=10)
    assert min(extent.width() / (xmax - xmin), extent.height() / (ymax - ymin)) < 1.11

    # Kept in the project: it opens there on another machine.
    path = tmp_path / "ny region åäö.qgz"
    project = QgsProject.instance()
    assert project.write(str(path))
    reopened = QgsProject()
    assert reopened.read(str(path))
    view = reopened.viewSettings().defaultViewExtent()
    assert view.crs().authid() == "EPSG:3006"
    assert (view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()) == pytest.approx(
        county_extent("18"), abs=0.01
    )


def test_cancelling_the_choice_of_lan_makes_no_project(plugin, qgis_iface):
    project = QgsProject.instance()
    answer_item_dialog(None)
    assert plugin.new_rus_project() is False
    assert project.layerTreeRoot().findGroup("RUS-element") is None
