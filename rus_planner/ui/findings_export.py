"""Exporting the findings with their reviews: GeoPackage, CSV for Excel or an HTML summary.

Owns ``exportButton`` and ``decimalCommaCheck`` (the CSV's number format, kept in the
project: ``decimal_comma_changed``). What happened is told as ``status(text, error)``.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import QFileDialog

from ..core.errors import RusPlannerError
from ..core.profile import ProfileError
from ..i18n import tr
from ..qgis_io.export import with_reviews, write_csv, write_geopackage, write_html
from . import results as results_io

INTERNAL_COLUMNS = ("geometry", "_fid", "_layer_id", "fid")


class FindingsExport(QObject):
    """Writes the table's findings (every row, not only the filtered ones) to a file."""

    decimal_comma_changed = pyqtSignal(bool)
    status = pyqtSignal(str, bool)

    def __init__(self, form, state, rows, results_layers, dialog_parent=None):
        super().__init__(dialog_parent)
        self.form = form
        self._state = state  # () -> the dock's ProjectState
        self._rows = rows  # () -> the findings rows of the table
        self._results_layers = results_layers  # () -> the findings layers of the last run
        self._dialog_parent = dialog_parent
        form.exportButton.clicked.connect(self.export_dialog)
        form.decimalCommaCheck.toggled.connect(self.decimal_comma_changed)

    def show_state(self) -> None:
        self.form.decimalCommaCheck.setChecked(self._state().decimal_comma)

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._dialog_parent,
            tr("Export findings"),
            "",
            tr("GeoPackage (*.gpkg);;CSV for Excel (*.csv);;HTML summary (*.html)"),
        )
        if path:
            self.export(path)

    def export(self, path: str) -> None:
        """GeoPackage, CSV or HTML by the file's suffix; every row with its review columns."""
        state = self._state()
        all_rows = self._rows()
        rows = [{k: v for k, v in row.items() if k not in INTERNAL_COLUMNS} for row in all_rows]
        rows = with_reviews(rows, state.reviews)
        suffix = Path(path).suffix.lower()
        if suffix not in (".csv", ".html", ".htm", ".gpkg"):
            path = f"{path}.gpkg"
        reader = results_io.layer_reading(QgsProject.instance(), path)
        if reader is not None:  # the file dialog asked about replacing, not about destroying a layer's data
            self.status.emit(
                tr(
                    "“{path}” is the data of the layer “{layer}”; nothing was exported. Choose another file."
                ).format(path=path, layer=reader.name()),
                True,
            )
            return
        try:
            if suffix == ".csv":
                write_csv(rows, path, decimal_comma=state.decimal_comma)
            elif suffix in (".html", ".htm"):
                try:
                    profile_name = state.profile().name
                except ProfileError:
                    profile_name = ""
                write_html(
                    rows,
                    path,
                    title=tr("RUS check: findings"),
                    profile_name=profile_name,
                    run_time=state.last_run,
                    sources=[f"{s.name}: {s.source} {s.date}".strip() for s in state.data_sources],
                    resolved=state.reviews.resolved_by_change(all_rows),
                )
            else:
                results = self._results_layers()
                crs = results[0].crs() if results else QgsCoordinateReferenceSystem(state.target_crs)
                write_geopackage(rows, [row["geometry"] for row in all_rows], crs, path)
        except RusPlannerError as error:
            self.status.emit(str(error), True)
            return
        self.status.emit(tr("{n} findings exported to {path}").format(n=len(rows), path=path), False)
