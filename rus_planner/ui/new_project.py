"""“New RUS project”: the layer groups, SWEREF 99 TM, the default profile and the view of the
chosen län, in one step."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle, QgsReferencedRectangle, QgsSettings
from qgis.PyQt.QtWidgets import QInputDialog

from ..core.counties import COUNTIES, COUNTY_CRS, county_extent
from ..core.profile import DEFAULT_PROFILE_PATH, DEFAULT_TARGET_CRS
from ..i18n import tr
from ..qgis_io.project_state import ProjectState

COUNTY_SETTING = "rus_planner/new_project_county"  # the län chosen last time: the next default

# The groups every RUS project shares (Swedish: they are the names colleagues and agencies see).
ELEMENT_GROUP, SECTOR_GROUP, AGENCY_GROUP, OUTPUT_GROUP = (
    "RUS-element",
    "Sektorer",
    "Myndighetsunderlag",
    "Resultat",
)
GROUPS = (ELEMENT_GROUP, SECTOR_GROUP, AGENCY_GROUP, OUTPUT_GROUP)


def choose_county(parent=None) -> str | None:
    """Ask which län the project is for (the last one chosen first); its code, or None if cancelled."""
    names = [name for _code, name, _extent in COUNTIES]
    codes = [code for code, _name, _extent in COUNTIES]
    last = QgsSettings().value(COUNTY_SETTING, "", str)
    name, ok = QInputDialog.getItem(
        parent,
        tr("New RUS project"),
        tr("Which län is the strategy for? The map opens there."),
        names,
        codes.index(last) if last in codes else 0,
        False,
    )
    if not ok or name not in names:
        return None
    code = codes[names.index(name)]
    QgsSettings().setValue(COUNTY_SETTING, code)
    return code


def county_view(code: str) -> QgsReferencedRectangle | None:
    """The extent to open a project of this län on (with a margin), in SWEREF 99 TM."""
    extent = county_extent(code)
    if extent is None:
        return None
    return QgsReferencedRectangle(QgsRectangle(*extent), QgsCoordinateReferenceSystem(COUNTY_CRS))


def setup_rus_project(project, county: str | None = None) -> ProjectState:
    """Prepare an (empty) project: groups, CRS EPSG:3006, the default profile stored in it and,
    for a ``county`` (län code), its extent as the project's view.

    The default profile's text is stored as the project's profile, so it can be edited in
    the panel and ``qgis_process --PROJECT_PATH`` uses the same rules. The view is where the
    project opens on every machine (QGIS uses a project's default view when no map is stored).
    """
    root = project.layerTreeRoot()
    for index, name in enumerate(GROUPS):
        if root.findGroup(name) is None:
            root.insertGroup(index, name)
    project.setCrs(QgsCoordinateReferenceSystem(DEFAULT_TARGET_CRS))
    view = county_view(county) if county else None
    if view is not None:
        project.viewSettings().setDefaultViewExtent(view)
    state = ProjectState(target_crs=DEFAULT_TARGET_CRS)
    state.set_profile_text(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"), "project")
    state.write_to_project(project)
    return state
