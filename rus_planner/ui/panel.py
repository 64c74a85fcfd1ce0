"""The "RUS check" dock: choose layers and profile, run the check, review and export findings.

A thin front end that only builds and wires its parts, each owning its piece of the form
(resources/ui/rus_check_panel.ui):

- ``layer_lists.LayerLists``: the element and agency layers, ticked;
- ``profile_tab.ProfileTab`` (with ``profile_tree.ProfileTree``): the profile used, edited, saved;
- ``run_control.RunControl``: Run, Cancel, progress and the status line (the check runs in a
  ``task.CheckTask``); ``findings_store`` writes a finished run;
- ``findings_tab.FindingsTab``: the findings table, counts and filters; ``finding_zoom``
  shows the selected one on the map; ``review_editor.ReviewEditor`` its review;
- ``findings_export.FindingsExport``: GeoPackage, CSV, HTML;
- ``live.LiveModeController`` and ``live_check.LiveCheck``: live mode.

The state is ``core.project_state.ProjectState`` in ``self.state`` (written into the project
when it is saved, read when it is opened: the plugin connects the project's signals to
``on_project_*``; ``project_sync`` does the reading and the moving of results).
"""

from __future__ import annotations

from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.gui import QgsDockWidget, QgsProjectionSelectionWidget
from qgis.PyQt.QtWidgets import QWidget

from ..core.numbers import friendly_time
from ..i18n import tr
from ..qgis_io.project_state import ProjectState
from ..resources import load_ui
from . import results as results_io
from .finding_zoom import zoom_to_finding
from .findings_export import FindingsExport
from .findings_store import store_run
from .findings_tab import FindingsTab
from .layer_lists import LayerLists, plugin_output_ids, roles_from_groups
from .live import LiveModeController
from .live_check import LiveCheck
from .profile_tab import ProfileTab
from .project_sync import move_results_beside, read_state, state_unreadable
from .review_editor import ReviewEditor
from .run_control import LOG_TAG, RunControl

FORM_CLASS, _ = load_ui("rus_check_panel.ui")
DOCK_OBJECT_NAME = "RusPlannerCheckDock"


class RusCheckDock(QgsDockWidget):
    """The panel; everything it shows lives in ``self.state`` (one ProjectState per project)."""

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.setWindowTitle(tr("RUS check"))
        self.iface = iface
        self.body = QWidget(self)
        self.form = FORM_CLASS()
        self.form.setupUi(self.body)
        self.setWidget(self.body)
        self.state = ProjectState()
        self._updating = False

        def state() -> ProjectState:
            return self.state

        form = self.form
        self.layer_lists = LayerLists(form, self)
        self.profile_tab = ProfileTab(form, state, self)
        self.findings = FindingsTab(form, self.state.reviews, self)
        self.review_editor = ReviewEditor(form, state, self.findings, self)
        self.run_control = RunControl(form, iface, self._store_results, self)
        self.exporter = FindingsExport(
            form, state, lambda: self.findings.model.rows, self.results_layers, self
        )
        self.live_check = LiveCheck(state, self._agency_layers, self.results_layers, self)
        self.live = LiveModeController(self.live_check.recheck, self)
        self.crs_widget = QgsProjectionSelectionWidget(self.body)
        self.crs_widget.setObjectName("crsWidget")
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem(self.state.target_crs))
        form.crsLayout.addWidget(self.crs_widget, 1)

        self.layer_lists.ticked.connect(self._on_layers_ticked)
        self.profile_tab.changed.connect(self._on_inputs_changed)
        self.run_control.run_requested.connect(self.run_check)
        self.run_control.profile_failed.connect(self.profile_tab.show_problems)
        self.run_control.succeeded.connect(lambda: form.tabs.setCurrentWidget(form.tabFindings))
        self.findings.finding_selected.connect(self.review_editor.show_finding)
        self.findings.finding_selected.connect(self._zoom_to_selected)
        self.review_editor.changed.connect(self._mark_dirty)
        self.exporter.decimal_comma_changed.connect(self._on_decimal_comma_toggled)
        self.exporter.status.connect(self._status)
        self.live_check.checked.connect(self.reload_rows)
        self.live_check.status.connect(self._status)
        form.liveModeCheck.toggled.connect(self._on_live_mode_toggled)
        self.crs_widget.crsChanged.connect(self._on_crs_changed)
        self.show_state()

    @staticmethod
    def project() -> QgsProject:
        return QgsProject.instance()

    def _mark_dirty(self) -> None:
        if not self._updating:
            self.project().setDirty(True)

    def _status(self, text: str, error: bool = False) -> None:
        self.run_control.show_status(text, error)

    # ------------------------------------------------------------------ project signals
    def on_project_read(self, *_args) -> None:
        """A project was opened: take its state (defaults when it has none).

        Never raises (it is QGIS's readProject slot, and the project is open by now): what is
        damaged in the project gives its default and a warning in the message bar and the log,
        naming the project file and the entry, never the entry's content.
        """
        self.cancel_check()
        self.state, warnings = read_state(self.project())
        if not warnings and not self.state.element_layer_ids and not self.state.agency_layer_ids:
            # No roles stored yet: the RUS groups say them (kept in the project when it is saved).
            # Settings that could not be read start from the plain defaults, as the warning says.
            self.state.element_layer_ids, self.state.agency_layer_ids = roles_from_groups(self.project())
        self.live_check.forget()
        try:
            self.findings.set_reviews(self.state.reviews)
            self.show_state()
        except Exception as error:  # noqa: BLE001 - state that reads but cannot be shown: defaults
            self.state = ProjectState()
            self.findings.set_reviews(self.state.reviews)
            self.show_state()
            warnings.append(state_unreadable(self.project().fileName(), error))
        for message in warnings:
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
            self.iface.messageBar().pushMessage(LOG_TAG, message, Qgis.MessageLevel.Warning, 0)

    def on_project_write(self, document=None) -> None:
        """The project is being saved: move temporary results beside it, then write the state."""
        move_results_beside(self.project(), self.state, self.results_layers(), document)
        self.state.write_to_project(self.project())

    def on_project_cleared(self) -> None:
        self.cancel_check()
        self.state = ProjectState()
        self.live_check.forget()
        self.findings.set_reviews(self.state.reviews)
        self.show_state()

    def on_layers_changed(self, *_args) -> None:
        self._fill_layer_lists()
        self._watch_element_layers()

    def cleanup(self) -> None:
        """Before unload: stop the task and live mode, let go of every layer signal."""
        self.run_control.cleanup()
        self.live.set_enabled(False)
        self.live.unwatch()

    # ------------------------------------------------------------------ state → widgets
    def show_state(self) -> None:
        self._updating = True
        try:
            self._fill_layer_lists()
            self.profile_tab.show_state()
            self.crs_widget.setCrs(QgsCoordinateReferenceSystem(self.state.target_crs))
            self.form.liveModeCheck.setChecked(self.state.live_mode)
            self.exporter.show_state()
            self.reload_rows()
            self.live.set_enabled(self.state.live_mode)
            self._watch_element_layers()
            if self.state.last_run:
                self._status(tr("Last run: {time}").format(time=friendly_time(self.state.last_run, tr)))
            else:  # the empty state: what to do next
                self._status(
                    tr("Choose element layers and press {run}.").format(run=self.form.runButton.text())
                )
        finally:
            self._updating = False

    def _fill_layer_lists(self) -> None:
        state = self.state
        hidden = plugin_output_ids(self.project(), state.results_layer_ids)
        self.layer_lists.fill(state.element_layer_ids, state.agency_layer_ids, hidden)

    def set_layers(self, element_layers, agency_layers) -> None:
        """Tick exactly these layers in the two lists (as a user would)."""
        self.layer_lists.tick(element_layers, agency_layers)

    def _layers(self, layer_ids) -> list:
        layers = [self.project().mapLayer(layer_id) for layer_id in layer_ids]
        return [layer for layer in layers if isinstance(layer, QgsVectorLayer)]

    def _agency_layers(self) -> list:
        return self._layers(self.state.agency_layer_ids)

    # ------------------------------------------------------------------ settings
    def _on_layers_ticked(self, element_ids: list, agency_ids: list) -> None:
        self.state.element_layer_ids = element_ids
        self.state.agency_layer_ids = agency_ids
        self.live_check.forget()
        self._watch_element_layers()
        self._mark_dirty()

    def _on_inputs_changed(self) -> None:
        """The profile or the CRS changed: live mode reads the agency layers again."""
        self.live_check.forget()
        self._mark_dirty()

    def _on_live_mode_toggled(self, checked: bool) -> None:
        self.state.live_mode = bool(checked)
        self.live.set_enabled(checked)
        self._watch_element_layers()
        self._mark_dirty()

    def _on_decimal_comma_toggled(self, checked: bool) -> None:
        self.state.decimal_comma = bool(checked)
        self._mark_dirty()

    def _on_crs_changed(self) -> None:
        crs = self.crs_widget.crs()
        if crs.isValid() and crs.authid() and crs.authid() != self.state.target_crs:
            self.state.target_crs = crs.authid()
            self._on_inputs_changed()

    def _watch_element_layers(self) -> None:
        if self.state.live_mode:
            self.live.watch(self._layers(self.state.element_layer_ids))
        else:
            self.live.unwatch()

    # ------------------------------------------------------------------ profile
    def choose_profile_file(self, path: str) -> bool:
        return self.profile_tab.choose_file(path)

    def save_profile_to_project(self) -> bool:
        return self.profile_tab.save_to_project()

    def save_profile_as(self, path: str) -> bool:
        return self.profile_tab.save_as(path)

    # ------------------------------------------------------------------ run
    @property
    def task(self):
        """The running CheckTask, or None."""
        return self.run_control.task

    def is_running(self) -> bool:
        return self.run_control.is_running()

    def run_check(self) -> bool:
        """Start the check in a background task; False (with the reason shown) when it cannot."""
        return self.run_control.start(
            self._layers(self.state.element_layer_ids), self._layers(self.state.agency_layer_ids), self.state
        )

    def cancel_check(self) -> None:
        self.run_control.cancel()

    def _store_results(self, task, element_layers, agency_layers) -> str | None:
        """Write the findings beside the project and show them; the path of a file the user
        chose to keep (nothing written), else None."""
        kept = store_run(self.project(), self.state, task, element_layers, agency_layers, self)
        if kept is not None:
            return kept
        self.live_check.remember(task)
        self._fill_layer_lists()
        self.reload_rows()
        self._mark_dirty()
        return None

    # ------------------------------------------------------------------ findings
    @property
    def model(self):
        return self.findings.model

    @property
    def proxy(self):
        return self.findings.proxy

    def results_layers(self) -> list:
        """The findings layers of the last run (one per element kind)."""
        layers = [self.project().mapLayer(layer_id) for layer_id in self.state.results_layer_ids]
        return [layer for layer in layers if isinstance(layer, QgsVectorLayer) and layer.isValid()]

    def reload_rows(self) -> None:
        """Fill the table from the findings layer (the one truth, also after a reopen)."""
        self.findings.set_rows(results_io.read_rows(self.results_layers()), bool(self.state.last_run))

    def counts(self) -> dict[str, int]:
        return self.findings.counts()

    def set_filter(self, combo, value) -> None:
        self.findings.set_filter(combo, value)

    def visible_rows(self) -> list[dict]:
        return self.findings.visible_rows()

    def select_row(self, proxy_row: int) -> None:
        self.findings.select_row(proxy_row)

    def selected_row(self) -> tuple[int, dict] | None:
        return self.findings.selected_row()

    def _zoom_to_selected(self, row: dict | None) -> None:
        if row is not None:
            self.zoom_to_finding(row)

    def zoom_to_finding(self, row: dict) -> None:
        """Zoom to the element and the agency feature together, and flash both."""
        name = row.get("agency_layer") or ""
        agency_layer = next((layer for layer in self._agency_layers() if layer.name() == name), None)
        zoom_to_finding(self.iface.mapCanvas(), row, agency_layer)

    def save_review(self) -> bool:
        return self.review_editor.save()

    def export_findings(self, path: str) -> None:
        self.exporter.export(path)
