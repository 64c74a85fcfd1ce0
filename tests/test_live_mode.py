"""Live mode: editing an element in the edit buffer makes a finding appear and disappear."""

from __future__ import annotations

import pytest
from panel_helpers import load_plugin, run_and_wait, wait_until
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from standing_notice import NOTICE_ID

from rus_planner.rus_planner.ui import live

# A national park 1 km × 1 km (hand-made, SWEREF 99 TM); the node starts 5 km east of it.
PARK = "Polygon((500000 6570000, 501000 6570000, 501000 6571000, 500000 6571000, 500000 6570000))"
INSIDE = QgsPointXY(500500, 6570500)
OUTSIDE = QgsPointXY(506000, 6570500)


@pytest.fixture
def panel(qgis_iface, qgis_processing, rus_provider):
    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    nodes = QgsVectorLayer("Point?crs=EPSG:3006&field=namn:string", "Noder åäö", "memory")
    node = QgsFeature(nodes.fields())
    node.setAttributes(["Kärnan"])
    node.setGeometry(QgsGeometry.fromPointXY(OUTSIDE))
    nodes.dataProvider().addFeatures([node])
    parks = QgsVectorLayer("Polygon?crs=EPSG:3006&field=NAMN:string", "nationalparker", "memory")
    park = QgsFeature(parks.fields())
    park.setAttributes(["Testparken"])
    park.setGeometry(QgsGeometry.fromWkt(PARK))
    parks.dataProvider().addFeatures([park])
    project.addMapLayers([nodes, parks])
    dock = plugin.dock
    dock.set_layers([nodes], [parks])
    yield dock, nodes
    if nodes.isEditable():
        nodes.rollBack()
    plugin.unload()
    project.clear()


def _findings(dock) -> list[tuple]:
    return sorted((r["element_fid"], r["rule_id"], r["severity"]) for r in dock.model.rows)


def _notice(fid) -> tuple:
    """The default profile's standing notice: class D for every element in every run."""
    return (fid, NOTICE_ID, "D")


def test_editing_a_geometry_makes_a_finding_appear_and_disappear(panel):
    dock, nodes = panel
    run_and_wait(dock)
    fid = next(nodes.getFeatures()).id()
    assert _findings(dock) == [_notice(fid)]
    dock.form.liveModeCheck.setChecked(True)
    assert live.DELAY_MS < 1000  # edits are checked again within a second of the last one

    assert nodes.startEditing()
    assert nodes.changeGeometry(fid, QgsGeometry.fromPointXY(INSIDE))
    assert dock.live.is_pending()  # the timer, not this test, runs the re-check
    found = sorted([(fid, "nationalpark", "A"), _notice(fid)])
    wait_until(lambda: _findings(dock) == found, 10, "no finding appeared")
    assert [layer.featureCount() for layer in dock.results_layers()] == [2]  # the map follows too
    assert dock.counts()["A"] == 1

    assert nodes.changeGeometry(fid, QgsGeometry.fromPointXY(OUTSIDE))
    wait_until(lambda: _findings(dock) == [_notice(fid)], 10, "the finding did not disappear")
    assert [layer.featureCount() for layer in dock.results_layers()] == [1]


def test_an_added_feature_is_checked_and_a_rollback_restores_the_layer(panel):
    dock, nodes = panel
    run_and_wait(dock)
    dock.form.liveModeCheck.setChecked(True)
    assert nodes.startEditing()
    added = QgsFeature(nodes.fields())
    added.setAttributes(["Ny nod"])
    added.setGeometry(QgsGeometry.fromPointXY(INSIDE))
    assert nodes.addFeature(added)
    # The new node's national park finding, and a standing notice for each of the two nodes.
    wait_until(lambda: len(dock.model.rows) == 3, 10, "the added feature was not checked")
    rows = sorted((r["element_name"], r["rule_id"], r["severity"]) for r in dock.model.rows)
    assert rows == [("Kärnan", NOTICE_ID, "D"), ("Ny nod", NOTICE_ID, "D"), ("Ny nod", "nationalpark", "A")]

    nodes.rollBack()
    wait_until(
        lambda: (
            not dock.live.is_pending()
            and [(r["element_name"], r["rule_id"]) for r in dock.model.rows] == [("Kärnan", NOTICE_ID)]
        ),
        10,
        "rollback not followed",
    )
    # The check never modified the input layer.
    assert nodes.featureCount() == 1
    assert next(nodes.getFeatures()).geometry().asPoint() == OUTSIDE


def test_without_live_mode_edits_are_not_checked(panel):
    dock, nodes = panel
    run_and_wait(dock)
    fid = next(nodes.getFeatures()).id()
    assert nodes.startEditing()
    assert nodes.changeGeometry(fid, QgsGeometry.fromPointXY(INSIDE))
    assert not dock.live.is_pending()
    run_and_wait(dock)  # an explicit run sees the edit buffer
    assert _findings(dock) == sorted([(fid, "nationalpark", "A"), _notice(fid)])
