"""The “Share as GeoPackage” action fills the algorithm in from the project's RUS state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsVectorLayer

from rus_planner.rus_planner.qgis_io.project_state import ProjectState
from rus_planner.rus_planner.ui.share_action import share_parameters

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "orebro_lan.gpkg"


def test_share_action_parameters_come_from_the_project_and_run(rus_provider, tmp_path):
    import processing

    project = QgsProject()
    project.setFileName(str(tmp_path / "region åäö.qgz"))

    def add(name: str, group):
        layer = QgsVectorLayer(f"{DEMO}|layername={name}", name, "ogr")
        assert layer.isValid()
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        return layer

    root = project.layerTreeRoot()
    elements = [add("rus_omraden", root.addGroup("RUS-element"))]
    sectors_group = root.addGroup("Sektorer")
    sectors = [add("kultur_miljoer", sectors_group), add("transport_strak", sectors_group)]
    agency = [add("nationalparker", root.addGroup("Myndighetsunderlag"))]
    add("kommuner", root)  # background: not part of the package

    state = ProjectState(
        element_layer_ids=[layer.id() for layer in elements] + ["a_layer_no_longer_in_the_project"],
        agency_layer_ids=[layer.id() for layer in agency],
    )
    state.write_to_project(project)

    parameters = share_parameters(project)
    assert parameters["ELEMENTS"] == [elements[0].id()]
    assert parameters["AGENCY_LAYERS"] == [agency[0].id()]
    assert parameters["SECTORS"] == [layer.id() for layer in sectors]
    assert parameters["RESULTS"] == []
    assert parameters["OUTPUT"] == str(tmp_path / "region åäö_dela.gpkg")

    context = QgsProcessingContext()
    context.setProject(project)
    processing.run(
        "rusplanner:sharegeopackage", parameters, context=context, feedback=QgsProcessingFeedback()
    )
    tables = {
        row[0]
        for row in sqlite3.connect(parameters["OUTPUT"]).execute("SELECT table_name FROM gpkg_contents")
    }
    assert {"rus_omraden", "kultur_miljoer", "transport_strak", "nationalparker"} <= tables
    assert "kommuner" not in tables
