"""“Share as GeoPackage”: the algorithm's dialog, filled in from the project's RUS state.

The package is written beside the project file and named after it, and the project inside it
finds its layers by relative paths: so a project never saved is first explained and offered a
save, instead of a dialog with nothing filled in.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtWidgets import QFileDialog, QMessageBox

from ..core.redact import safe_source
from ..i18n import tr
from ..qgis_io.project_state import ProjectState

SECTOR_GROUP = "Sektorer"


def share_parameters(project, state: ProjectState | None = None) -> dict:
    """Parameters for rusplanner:sharegeopackage from what the project says each layer is.

    Elements and agency layers come from the plugin's state (layer roles: the panel's own
    ``state`` when given, else what the project file stored), results from the last run,
    sectors from the "Sektorer" group; the package goes beside the project file.
    """
    state = state if state is not None else ProjectState.read_from_project(project)
    layers = project.mapLayers()

    def present(ids):
        return [layer_id for layer_id in ids if layer_id in layers]

    parameters = {
        "ELEMENTS": present(state.element_layer_ids),
        "AGENCY_LAYERS": present(state.agency_layer_ids),
        "RESULTS": present(state.results_layer_ids),
    }
    group = project.layerTreeRoot().findGroup(SECTOR_GROUP)
    if group is not None:
        parameters["SECTORS"] = [node.layerId() for node in group.findLayers() if node.layerId() in layers]
    if project.fileName():
        path = Path(project.fileName())
        parameters["OUTPUT"] = str(path.with_name(f"{path.stem}_dela.gpkg"))
    return parameters


def save_before_sharing(project, parent=None) -> bool:
    """True when the project has a file (saved now if need be); False when the user declined.

    Explains why first: the package is named after the project and written beside it, and
    the project inside it refers to its layers relative to that place.
    """
    if project.fileName():
        return True
    box = QMessageBox(parent)
    box.setObjectName("RusPlannerShareSaveFirst")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Share as GeoPackage"))
    box.setText(tr("Save the project before sharing it."))
    box.setInformativeText(
        tr(
            "The shared GeoPackage is written beside the project file and named after it, and the "
            "project inside it finds its layers from there. This project has not been saved yet."
        )
    )
    save = box.addButton(tr("Save project…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    if box.clickedButton() is not save:
        return False
    path, _ = QFileDialog.getSaveFileName(parent, tr("Save project"), "", tr("QGIS project (*.qgz)"))
    if not path:
        return False
    if not path.lower().endswith((".qgz", ".qgs")):
        path += ".qgz"
    project.setFileName(path)
    if not project.write():
        error = safe_source(project.error())
        project.setFileName("")  # still unsaved, as it was
        QMessageBox.warning(
            parent,
            tr("Share as GeoPackage"),
            tr("The project could not be saved: {error}").format(error=error),
        )
        return False
    return True
