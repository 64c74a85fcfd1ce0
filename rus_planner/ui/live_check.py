"""Live mode's check: the edited elements of one layer checked again, their findings replaced.

``live.py`` decides when (after the edits pause); this decides what: the same pipeline as a
run (``qgis_io.check_run.run_check``) for the edited features only, against the agency layers
as they were read once (by the last run, or here at the first edit), and only in the panel's
own GeoPackage. ``checked`` says that the findings layers changed; ``status`` what happened.
"""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.errors import RusPlannerError
from ..i18n import tr
from ..qgis_io.check_run import read_agency_layers, run_check
from . import results as results_io
from .options import check_options
from .task import layer_ref


class LiveCheck(QObject):
    """Checks edited elements again; keeps the agency layers it read until something changes."""

    checked = pyqtSignal()
    status = pyqtSignal(str, bool)

    def __init__(self, state, agency_layers, results_layers, parent=None):
        super().__init__(parent)
        self._state = state  # () -> the dock's ProjectState
        self._agency_layers = agency_layers  # () -> the ticked agency layers
        self._results_layers = results_layers  # () -> the findings layers of the last run
        self.cache = None  # (agency layers as read, profile, crs)

    def forget(self) -> None:
        """The agency layers, the profile or the CRS changed: read them again at the next edit."""
        self.cache = None

    def remember(self, task) -> None:
        """Keep what a finished run read, unless it read near its elements only: such layers
        cannot answer for an element moved elsewhere (then they are read whole at the first edit)."""
        near_only = task.agency_layers_near_only
        self.cache = None if near_only else (task.agency_layers, task.profile, task.target_crs)

    def _agency_cache(self):
        """The agency layers as the last run read them; read again after a reopen or a change."""
        if self.cache is not None:
            return self.cache
        state = self._state()
        profile = state.profile()
        crs = QgsCoordinateReferenceSystem(state.target_crs)
        refs = [layer_ref(layer) for layer in self._agency_layers()]
        # Whole (no elements to read near): an edit may move an element anywhere.
        layers, _ = read_agency_layers(refs, profile, crs, QgsProject.instance().transformContext())
        self.cache = (layers, profile, crs)
        return self.cache

    def recheck(self, layer, fids) -> None:
        """Check again the given features of an element layer (all when fids is None)."""
        # Only findings in the panel's own GeoPackage are edited: a project's Processing results
        # (the demo's, say) are never written into.
        results = [layer for layer in self._results_layers() if results_io.reads_own(layer)]
        if not results:
            self.status.emit(tr("Run the check once; live mode then follows your edits."), False)
            return
        try:
            agency_layers, profile, crs = self._agency_cache()
            run = run_check(
                [layer_ref(layer, fids)],
                [],
                profile,
                crs,
                QgsProject.instance().transformContext(),
                check_options(),
                agency_layers=agency_layers,
            )
            rows, geometries = results_io.result_rows(run.result, {layer.name(): layer.id()})
            results_io.replace_findings(results, layer.id(), fids, rows, geometries)
        except RusPlannerError as error:
            self.status.emit(str(error), True)
            return
        self.checked.emit()
        self.status.emit(
            tr("Live mode: {n} edited elements checked again.").format(n=run.element_count), False
        )
