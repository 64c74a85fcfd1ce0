"""“New RUS project”: the layer groups, SWEREF 99 TM and the default profile, in one step."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem

from ..core.profile import DEFAULT_PROFILE_PATH, DEFAULT_TARGET_CRS
from ..qgis_io.project_state import ProjectState

# The groups every RUS project shares (Swedish: they are the names colleagues and agencies see).
ELEMENT_GROUP, SECTOR_GROUP, AGENCY_GROUP, OUTPUT_GROUP = (
    "RUS-element",
    "Sektorer",
    "Myndighetsunderlag",
    "Resultat",
)
GROUPS = (ELEMENT_GROUP, SECTOR_GROUP, AGENCY_GROUP, OUTPUT_GROUP)


def setup_rus_project(project) -> ProjectState:
    """Prepare an (empty) project: groups, CRS EPSG:3006, the default profile stored in it.

    The default profile's text is stored as the project's profile, so it can be edited in
    the panel and ``qgis_process --PROJECT_PATH`` uses the same rules.
    """
    root = project.layerTreeRoot()
    for index, name in enumerate(GROUPS):
        if root.findGroup(name) is None:
            root.insertGroup(index, name)
    project.setCrs(QgsCoordinateReferenceSystem(DEFAULT_TARGET_CRS))
    state = ProjectState(target_crs=DEFAULT_TARGET_CRS)
    state.set_profile_text(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"), "project")
    state.write_to_project(project)
    return state
