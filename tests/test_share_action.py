"""The “Share as GeoPackage” action fills the algorithm in from the project's RUS state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
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


def _answer(seen: dict, choose) -> None:
    """Answer the next modal message box with ``choose(box)`` (the button to click), noting its texts."""
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QMessageBox

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen["title"], seen["text"], seen["informative"] = (
            box.windowTitle(),
            box.text(),
            box.informativeText(),
        )
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        choose(box).click()

    QTimer.singleShot(0, click)


def test_share_before_a_first_save_explains_and_cancel_leaves_the_project_unsaved(qgis_app):
    from qgis.PyQt.QtWidgets import QMessageBox

    from rus_planner.rus_planner.ui.share_action import save_before_sharing

    project = QgsProject()
    seen: dict = {}
    _answer(seen, lambda box: box.button(QMessageBox.StandardButton.Cancel))
    assert save_before_sharing(project) is False
    assert seen["text"] == "Save the project before sharing it."
    assert (
        "written beside the project file" in seen["informative"]
        and "not been saved yet" in seen["informative"]
    )
    assert "Save project…" in seen["buttons"]
    assert project.fileName() == ""


def test_share_before_a_first_save_saves_then_fills_the_dialog(plugin_for_share, tmp_path, monkeypatch):
    """The Share action on a new, unsaved project: explained, saved where the user says, then the
    algorithm's dialog opens with the panel's roles and the package named after the project."""
    import processing
    from qgis.PyQt.QtWidgets import QFileDialog

    plugin = plugin_for_share
    project = QgsProject.instance()
    root = project.layerTreeRoot()
    areas = QgsVectorLayer(f"{DEMO}|layername=rus_omraden", "rus_omraden", "ogr")
    parks = QgsVectorLayer(f"{DEMO}|layername=nationalparker", "nationalparker", "ogr")
    project.addMapLayer(areas, False)
    root.addGroup("RUS-element").addLayer(areas)
    project.addMapLayer(parks, False)
    root.addGroup("Myndighetsunderlag").addLayer(parks)
    plugin.dock.set_layers([areas], [parks])  # chosen in the panel, never saved
    assert project.fileName() == ""

    target = tmp_path / "ny region åäö"  # the user types no suffix
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    opened = []
    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda alg, params: opened.append((alg, params)))
    seen: dict = {}
    _answer(seen, lambda box: next(b for b in box.buttons() if b.text() == "Save project…"))
    assert plugin.share_as_geopackage() is True
    saved = tmp_path / "ny region åäö.qgz"
    assert saved.is_file() and project.fileName() == str(saved)
    ((algorithm, parameters),) = opened
    assert algorithm == "rusplanner:sharegeopackage"
    assert parameters["ELEMENTS"] == [areas.id()] and parameters["AGENCY_LAYERS"] == [parks.id()]
    assert parameters["OUTPUT"] == str(tmp_path / "ny region åäö_dela.gpkg")
    # The roles went into the saved file too.
    reread = QgsProject()
    assert reread.read(str(saved))
    assert ProjectState.read_from_project(reread).element_layer_ids == [areas.id()]


@pytest.fixture
def plugin_for_share(qgis_iface, qgis_processing, rus_provider):
    from panel_helpers import load_plugin

    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    yield plugin
    plugin.unload()
    project.clear()
