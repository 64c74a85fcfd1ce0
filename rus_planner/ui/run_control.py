"""Running the check from the panel: the Run and Cancel buttons, the progress bar, the status line.

Owns ``runButton``, ``cancelButton``, ``progressBar`` and ``statusLabel``. The Run button asks the
dock for a run (``run_requested``); ``start`` refuses
with the reason on the status line when the check cannot run (no layers, a profile with
problems, a CRS that cannot measure), else starts a ``CheckTask`` (``task.py``) in QGIS's task
manager. When the task is done, in the main thread, a failure or a cancel is reported here;
findings are handed to ``store(task, element_layers, agency_layers)`` (the dock writes them)
and ``succeeded`` is emitted.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsCoordinateReferenceSystem, QgsMessageLog, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.errors import LayerError
from ..core.profile import ProfileError
from ..core.redact import safe_source
from ..core.vocabulary import SEVERITIES
from ..i18n import tr
from ..qgis_io.crs_checks import require_projected
from .options import check_options
from .task import CheckTask, layer_ref

LOG_TAG = "RUS Planner"


class RunControl(QObject):
    """Starts, follows and cancels the background check; shows what became of it."""

    run_requested = pyqtSignal()
    profile_failed = pyqtSignal(object)  # the ProfileError that keeps the check from running
    succeeded = pyqtSignal()

    def __init__(self, form, iface, store, parent=None):
        super().__init__(parent)
        self.form = form
        self.iface = iface
        self._store = store
        self.task = None
        self.run_layers = ([], [])  # the element and agency layers of the running check
        form.progressBar.setRange(0, 100)
        form.runButton.clicked.connect(self._on_run_clicked)
        form.cancelButton.clicked.connect(self.cancel)

    def show_status(self, text: str, error: bool = False) -> None:
        self.form.statusLabel.setStyleSheet("color: #b2182b;" if error else "")
        self.form.statusLabel.setText(safe_source(text))  # an error may quote a source, password and all

    def is_running(self) -> bool:
        return self.task is not None

    def _on_run_clicked(self) -> None:
        self.run_requested.emit()  # the dock gathers the inputs and calls start()

    def start(self, element_layers, agency_layers, state) -> bool:
        """Start the check in a background task; False (with the reason shown) when it cannot."""
        if self.task is not None:
            return False
        if not element_layers:
            self.show_status(tr("Tick at least one layer of RUS elements."), error=True)
            return False
        if not agency_layers:
            self.show_status(tr("Choose at least one agency layer."), error=True)
            return False
        try:
            profile = state.profile()
        except ProfileError as error:
            self.profile_failed.emit(error)
            self.show_status(tr("The profile has errors; see the Profile tab."), error=True)
            return False
        crs = QgsCoordinateReferenceSystem(state.target_crs)
        try:
            require_projected(crs)
        except LayerError as error:
            self.show_status(str(error), error=True)
            return False
        self.run_layers = (element_layers, agency_layers)
        task = CheckTask(
            [layer_ref(layer) for layer in element_layers],
            [layer_ref(layer) for layer in agency_layers],
            profile,
            crs,
            QgsProject.instance().transformContext(),
            check_options(),
            self._on_task_done,
        )
        task.progressChanged.connect(self._show_progress)
        self.task = task
        self.form.runButton.setEnabled(False)
        self.form.cancelButton.setEnabled(True)
        self.form.progressBar.setValue(0)
        self.show_status(
            tr("Checking {n} element layers against {m} agency layers…").format(
                n=len(element_layers), m=len(agency_layers)
            )
        )
        QgsApplication.taskManager().addTask(task)
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def cleanup(self) -> None:
        """Before unload: stop the task without reporting back to a dock that is going away."""
        if self.task is not None:
            task, self.task = self.task, None
            task.on_done = None
            task.progressChanged.disconnect(self._show_progress)
            task.cancel()

    def _show_progress(self, value: float) -> None:
        self.form.progressBar.setValue(int(value))

    def _on_task_done(self, task) -> None:
        self.task = None
        self.form.runButton.setEnabled(True)
        self.form.cancelButton.setEnabled(False)
        if task.cancelled:
            self.form.progressBar.setValue(0)
            self.show_status(tr("The run was cancelled; nothing was written."))
            return
        if task.error or task.result is None:
            message = safe_source(task.error) or tr("The check failed.")  # an error may quote a source
            self.show_status(message, error=True)
            if task.details:
                QgsMessageLog.logMessage(safe_source(task.details), LOG_TAG, Qgis.MessageLevel.Critical)
            self.iface.messageBar().pushMessage(LOG_TAG, message, Qgis.MessageLevel.Critical, 10)
            return
        try:
            kept = self._store(task, *self.run_layers)
        except Exception as error:  # noqa: BLE001 - writing the GeoPackage failed: say so, keep the panel
            self.show_status(safe_source(str(error)), error=True)
            return
        if kept is not None:
            self.form.progressBar.setValue(0)
            self.show_status(
                tr("The findings were not written; “{path}” was kept as it was.").format(path=kept)
            )
            return
        for message in task.messages:
            QgsMessageLog.logMessage(safe_source(message), LOG_TAG, Qgis.MessageLevel.Info)
        self.form.progressBar.setValue(100)
        counts = {s: task.result.findings["severity"].count(s) for s in SEVERITIES}
        self.show_status(
            tr("{n} findings: {a} A, {b} B, {c} C, {d} D.").format(
                n=task.result.finding_count, a=counts["A"], b=counts["B"], c=counts["C"], d=counts["D"]
            )
        )
        self.succeeded.emit()
