"""Writing a finished run's findings: the panel's GeoPackage beside the project, its layers, the run.

Only the panel's own GeoPackage is replaced without asking (see ``results.py``); a file that
is not its own is asked about first, with the choice of writing beside it instead.
"""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QMessageBox

from ..core.reviews import now_iso
from ..i18n import tr
from ..qgis_io.export import release_connections
from ..qgis_io.project_state import DataSource
from . import results as results_io


def store_run(project, state, task, element_layers, agency_layers, dialog_parent=None) -> str | None:
    """Write the findings, (re)load the layers, remember the run in ``state``.

    Returns the path of a file the user chose to keep, when nothing was written; None when
    the findings were stored.
    """
    rows, geometries = results_io.result_rows(
        task.result, {layer.name(): layer.id() for layer in element_layers}
    )
    path, not_ours = results_io.results_target(project, state.results_path)
    if not_ours is not None:
        path = ask_replace(not_ours, dialog_parent)
        if path is None:
            return not_ours
    kinds = [k for k in results_io.KINDS if k in {results_io.layer_kind(layer) for layer in element_layers}]

    def let_go_of_old_layers() -> None:
        """The last run's layers that read the file being replaced or a file of the panel's own;
        layers of anyone else (the project's Processing results) stay in the project."""
        results_io.remove_layers(
            project,
            [
                layer_id
                for layer_id in state.results_layer_ids
                if results_io.reads_replaced_or_own(project.mapLayer(layer_id), path)
            ],
        )
        release_connections(path)  # no connection of QGIS's may keep reading the old file

    results_io.write_results(
        path,
        kinds,
        rows,
        geometries,
        task.target_crs,
        project.transformContext(),
        before_replace=let_go_of_old_layers,
    )
    layers = results_io.add_results_layers(project, path, kinds)
    state.results_path = path
    state.results_layer_ids = [layer.id() for layer in layers]
    state.last_run = now_iso()
    state.data_sources = [
        DataSource(role, ref_layer.id(), ref.name, ref.source_text, ref.date or "")
        for role, layers, refs in (
            ("element", element_layers, task.element_refs),
            ("agency", agency_layers, task.agency_refs),
        )
        for ref_layer, ref in zip(layers, refs)
    ]
    return None


def ask_replace(existing: str, dialog_parent=None) -> str | None:
    """Ask before replacing a file the panel did not write: the path to write, or None."""
    other = results_io.alternative_path(existing)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        tr("RUS check"),
        tr(
            "“{path}” exists and was not written by the RUS check panel. Replace it with the findings?"
        ).format(path=existing),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        dialog_parent,
    )
    box.setObjectName("RusPlannerReplaceQuestion")
    box.setInformativeText(
        tr("No keeps it and writes the findings to “{other}”; Cancel writes nothing.").format(other=other)
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Yes:
        return existing
    if answer == QMessageBox.StandardButton.No:
        return other
    return None
