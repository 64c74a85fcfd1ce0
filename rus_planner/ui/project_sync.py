"""The panel's state and the project file: read it when a project opens, move results when it is saved.

Whatever a project holds, it opens: damaged RUS Planner state gives its defaults and a
warning that names the project file and the entry, never the entry's content.
"""

from __future__ import annotations

from ..core.profile import ProfileError
from ..i18n import tr
from ..qgis_io.project_state import ProjectState, unreadable_messages
from . import results as results_io


def read_state(project) -> tuple[ProjectState, list[str]]:
    """The project's state (defaults when it has none or it cannot be read) and the warnings."""
    project_file = project.fileName()
    try:
        state = ProjectState.read_from_project(project)
        warnings = unreadable_messages(state, project_file)
    except Exception as error:  # noqa: BLE001 - whatever a project holds, it opens
        state = ProjectState()
        warnings = [state_unreadable(project_file, error)]
    try:
        state.profile()
    except ProfileError as error:
        # The text stays in the editor to be corrected; the check refuses to run until then.
        warnings.append(
            tr(
                "The planning profile stored in the project “{file}” cannot be used (problems "
                "found: {count}; they are listed on the Profile tab of the RUS check panel). "
                "Correct it there and save the project, or choose another profile; the check "
                "does not run until then."
            ).format(file=project_file, count=len(error.problems))
        )
    except Exception as error:  # noqa: BLE001 - e.g. a profile file that cannot be read
        warnings.append(state_unreadable(project_file, error))
    return state, warnings


def state_unreadable(project_file: str, error: Exception) -> str:
    """The warning for RUS Planner state a project holds but that cannot be used at all.

    Only the kind of error is named: its text could quote the damaged entry.
    """
    return tr(
        "The RUS Planner settings stored in the project “{file}” could not be read ({reason}); "
        "the RUS check panel starts from its defaults. Saving the project replaces them."
    ).format(file=project_file, reason=type(error).__name__)


def move_results_beside(project, state, results_layers, document=None) -> None:
    """The project is being saved: a results GeoPackage of the panel's in a temporary folder
    moves beside it, and its layers (and the XML being written) follow it."""
    path = state.results_path
    if not (
        path
        and project.fileName()
        and not results_io.is_beside(project, path)
        and results_io.is_own_results(path)  # a project's other results stay where they are
    ):
        return
    new_path = results_io.move_beside(project, path)
    for layer in results_layers:
        table = layer.source().split("|layername=", 1)[-1]
        layer.setDataSource(f"{new_path}|layername={table}", layer.name(), "ogr")
        if document is not None:
            rewrite_layer_source(document, layer.id(), project.writePath(new_path), table)
    state.results_path = new_path


def rewrite_layer_source(document, layer_id: str, path: str, table: str) -> None:
    """Point a layer's <datasource> in the project XML being saved at the moved GeoPackage."""
    layers = document.elementsByTagName("maplayer")
    for index in range(layers.count()):
        element = layers.at(index).toElement()
        if element.firstChildElement("id").text() != layer_id:
            continue
        source = element.firstChildElement("datasource")
        while source.hasChildNodes():
            source.removeChild(source.firstChild())
        source.appendChild(document.createTextNode(f"{path}|layername={table}"))
