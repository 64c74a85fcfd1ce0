"""“Share as GeoPackage”: the algorithm's dialog, filled in from the project's RUS state."""

from __future__ import annotations

from pathlib import Path

from ..qgis_io.project_state import ProjectState

SECTOR_GROUP = "Sektorer"


def share_parameters(project) -> dict:
    """Parameters for rusplanner:sharegeopackage from what the project says each layer is.

    Elements and agency layers come from the plugin's state (layer roles), results from the
    last run, sectors from the "Sektorer" group; the package goes beside the project file.
    """
    state = ProjectState.read_from_project(project)
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
