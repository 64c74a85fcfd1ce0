"""The "RUS check" dock: choose layers and profile, run the check, review and export findings.

A thin front end: the check is ``core.check`` run in a QgsTask (``task.py``), the state is
``core.project_state.ProjectState`` (written into the project when it is saved, read when
it is opened: the plugin connects the project's signals to ``on_project_*``), the export
is ``core.export``. The widgets come from resources/ui/rus_check_panel.ui.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsMapLayer,
    QgsMessageLog,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget, QgsProjectionSelectionWidget
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QFileDialog, QHeaderView, QListWidgetItem, QTreeWidgetItem, QWidget

from ..core.profile import DEFAULT_PROFILE_PATH, ProfileError
from ..core.redact import safe_source
from ..core.reviews import ReviewKey, now_iso, status_label
from ..core.vocabulary import REVIEW_STATUSES, SEVERITIES, SEVERITY_BACKGROUND
from ..i18n import qgis_language, tr
from ..qgis_io.project_state import DataSource, ProjectState, unreadable_messages
from ..resources import load_ui
from . import results as results_io
from .live import LiveModeController
from .models import FindingsFilterModel, FindingsModel, element_label

FORM_CLASS, _ = load_ui("rus_check_panel.ui")
DOCK_OBJECT_NAME = "RusPlannerCheckDock"
LOG_TAG = "RUS Planner"


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
        self.task = None
        self._agency_cache = None  # (agency layers as read, profile, crs) for live mode
        self._updating = False

        self.model = FindingsModel(self.state.reviews, self)
        self.proxy = FindingsFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.live = LiveModeController(self.recheck_elements, self)

        self.crs_widget = QgsProjectionSelectionWidget(self.body)
        self.crs_widget.setObjectName("crsWidget")
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem(self.state.target_crs))
        self.form.crsLayout.addWidget(self.crs_widget, 1)
        self._setup_widgets()
        self._connect_widgets()
        self.show_state()

    # ------------------------------------------------------------------ setup
    def _setup_widgets(self) -> None:
        form = self.form
        form.profileCombo.addItem(tr("Default profile (Sweden)"), "default")
        form.profileCombo.addItem(tr("Profile file"), "file")
        form.profileCombo.addItem(tr("The project's profile"), "project")
        for status in REVIEW_STATUSES:
            form.statusCombo.addItem(status_label(status), status)
        form.findingsView.setModel(self.proxy)
        form.findingsView.verticalHeader().setVisible(False)
        header = form.findingsView.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        form.findingsView.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        form.progressBar.setRange(0, 100)
        tree_header = form.profileTree.header()
        tree_header.setStretchLastSection(False)
        tree_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        tree_header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._fill_filters()

    def _connect_widgets(self) -> None:
        form = self.form
        form.elementList.itemChanged.connect(self._on_layer_ticked)
        form.agencyList.itemChanged.connect(self._on_layer_ticked)
        form.profileCombo.currentIndexChanged.connect(self._on_profile_mode_chosen)
        form.profileBrowseButton.clicked.connect(self.browse_profile_file)
        form.runButton.clicked.connect(self.run_check)
        form.cancelButton.clicked.connect(self.cancel_check)
        form.liveModeCheck.toggled.connect(self._on_live_mode_toggled)
        form.decimalCommaCheck.toggled.connect(self._on_decimal_comma_toggled)
        self.crs_widget.crsChanged.connect(self._on_crs_changed)
        form.severityFilter.currentIndexChanged.connect(self._apply_filters)
        form.agencyFilter.currentIndexChanged.connect(self._apply_filters)
        form.elementFilter.currentIndexChanged.connect(self._apply_filters)
        form.findingsView.selectionModel().selectionChanged.connect(self._on_finding_selected)
        form.saveReviewButton.clicked.connect(self.save_review)
        form.exportButton.clicked.connect(self.export_dialog)
        form.saveProfileButton.clicked.connect(self.save_profile_to_project)
        form.saveProfileAsButton.clicked.connect(self.save_profile_as_dialog)
        form.profileTree.itemChanged.connect(self._on_profile_item_edited)

    @staticmethod
    def project() -> QgsProject:
        return QgsProject.instance()

    def _mark_dirty(self) -> None:
        if not self._updating:
            self.project().setDirty(True)

    # ------------------------------------------------------------------ project signals
    def on_project_read(self, *_args) -> None:
        """A project was opened: take its state (defaults when it has none).

        Never raises (it is QGIS's readProject slot, and the project is open by now): what is
        damaged in the project gives its default and a warning in the message bar and the log,
        naming the project file and the entry, never the entry's content.
        """
        self.cancel_check()
        project_file = self.project().fileName()
        try:
            self.state = ProjectState.read_from_project(self.project())
            warnings = unreadable_messages(self.state, project_file)
        except Exception as error:  # noqa: BLE001 - whatever a project holds, it opens
            self.state = ProjectState()
            warnings = [_state_unreadable(project_file, error)]
        try:
            self.state.profile()
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
            warnings.append(_state_unreadable(project_file, error))
        self._agency_cache = None
        try:
            self.model.set_reviews(self.state.reviews)
            self.show_state()
        except Exception as error:  # noqa: BLE001 - state that reads but cannot be shown: defaults
            self.state = ProjectState()
            self.model.set_reviews(self.state.reviews)
            self.show_state()
            warnings.append(_state_unreadable(project_file, error))
        for message in warnings:
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
            self.iface.messageBar().pushMessage(LOG_TAG, message, Qgis.MessageLevel.Warning, 0)

    def on_project_write(self, document=None) -> None:
        """The project is being saved: move temporary results beside it, then write the state."""
        project = self.project()
        path = self.state.results_path
        if (
            path
            and project.fileName()
            and not results_io.is_beside(project, path)
            and results_io.is_own_results(path)  # a project's other results stay where they are
        ):
            new_path = results_io.move_beside(project, path)
            for layer in self.results_layers():
                table = layer.source().split("|layername=", 1)[-1]
                layer.setDataSource(f"{new_path}|layername={table}", layer.name(), "ogr")
                if document is not None:
                    _rewrite_layer_source(document, layer.id(), project.writePath(new_path), table)
            self.state.results_path = new_path
        self.state.write_to_project(project)

    def on_project_cleared(self) -> None:
        self.cancel_check()
        self.state = ProjectState()
        self._agency_cache = None
        self.model.set_reviews(self.state.reviews)
        self.show_state()

    def on_layers_changed(self, *_args) -> None:
        self._fill_layer_lists()
        self._watch_element_layers()

    def cleanup(self) -> None:
        """Before unload: stop the task and live mode, let go of every layer signal."""
        if self.task is not None:
            task, self.task = self.task, None
            task.on_done = None  # the dock is going away: nothing to report to
            task.progressChanged.disconnect(self._show_progress)
            task.cancel()
        self.live.set_enabled(False)
        self.live.unwatch()

    def _show_progress(self, value: float) -> None:
        self.form.progressBar.setValue(int(value))

    # ------------------------------------------------------------------ state → widgets
    def show_state(self) -> None:
        self._updating = True
        try:
            form = self.form
            self._fill_layer_lists()
            form.profileCombo.setCurrentIndex(max(0, form.profileCombo.findData(self.state.profile_mode)))
            form.profilePathEdit.setText(self.state.profile_path)
            self.crs_widget.setCrs(QgsCoordinateReferenceSystem(self.state.target_crs))
            form.liveModeCheck.setChecked(self.state.live_mode)
            form.decimalCommaCheck.setChecked(self.state.decimal_comma)
            self.show_profile()
            self.reload_rows()
            self.live.set_enabled(self.state.live_mode)
            self._watch_element_layers()
            if self.state.last_run:
                self._status(tr("Last run: {time}").format(time=self.state.last_run))
            else:
                self._status("")
        finally:
            self._updating = False

    def _vector_layers(self) -> list:
        layers = [
            layer
            for layer in self.project().mapLayers().values()
            if layer.type() == QgsMapLayer.LayerType.VectorLayer
            and layer.isSpatial()
            and layer.id() not in self.state.results_layer_ids
        ]
        return sorted(layers, key=lambda layer: layer.name().casefold())

    def _fill_layer_lists(self) -> None:
        for widget, chosen in (
            (self.form.elementList, self.state.element_layer_ids),
            (self.form.agencyList, self.state.agency_layer_ids),
        ):
            widget.blockSignals(True)
            widget.clear()
            for layer in self._vector_layers():
                item = QListWidgetItem(layer.name(), widget)
                item.setData(Qt.ItemDataRole.UserRole, layer.id())
                item.setToolTip(safe_source(layer.source()))  # no passwords on screen
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if layer.id() in chosen else Qt.CheckState.Unchecked)
            widget.blockSignals(False)

    def _on_layer_ticked(self, _item) -> None:
        def ticked(widget) -> list[str]:
            items = (widget.item(i) for i in range(widget.count()))
            return [
                item.data(Qt.ItemDataRole.UserRole)
                for item in items
                if item.checkState() == Qt.CheckState.Checked
            ]

        self.state.element_layer_ids = ticked(self.form.elementList)
        self.state.agency_layer_ids = ticked(self.form.agencyList)
        self._agency_cache = None
        self._watch_element_layers()
        self._mark_dirty()

    def set_layers(self, element_layers, agency_layers) -> None:
        """Tick exactly these layers in the two lists (as a user would)."""
        for widget, layers in (
            (self.form.elementList, element_layers),
            (self.form.agencyList, agency_layers),
        ):
            wanted = {layer.id() for layer in layers}
            for index in range(widget.count()):
                item = widget.item(index)
                item.setCheckState(
                    Qt.CheckState.Checked
                    if item.data(Qt.ItemDataRole.UserRole) in wanted
                    else Qt.CheckState.Unchecked
                )

    def _layers(self, layer_ids) -> list:
        layers = [self.project().mapLayer(layer_id) for layer_id in layer_ids]
        return [layer for layer in layers if isinstance(layer, QgsVectorLayer)]

    def _status(self, text: str, error: bool = False) -> None:
        self.form.statusLabel.setStyleSheet("color: #b2182b;" if error else "")
        self.form.statusLabel.setText(safe_source(text))  # an error may quote a source, password and all

    # ------------------------------------------------------------------ profile
    @staticmethod
    def _language() -> str:
        return "sv" if qgis_language() == "sv" else "en"

    def _check_options(self):
        """As rusplanner:checkelements runs: the findings in the language QGIS speaks, bulk reads."""
        from ..qgis_io.check_run import CheckOptions

        return CheckOptions(language=self._language())

    def _profile_text(self) -> str:
        if self.state.profile_yaml.strip():
            return self.state.profile_yaml
        return DEFAULT_PROFILE_PATH.read_text(encoding="utf-8")

    def show_profile(self) -> None:
        """The profile in effect: its text in the editor, its sectors and rules in the tree."""
        self.form.profileEdit.setPlainText(self._profile_text())
        self.form.profileErrors.clear()
        try:
            profile = self.state.profile()
        except ProfileError as error:
            self._show_profile_problems(error)
            self.form.profileTree.clear()
            return
        self._fill_profile_tree(profile)

    def _fill_profile_tree(self, profile) -> None:
        """Sectors with weights, rules with severities (both editable), element types."""
        language = self._language()
        tree = self.form.profileTree
        tree.blockSignals(True)
        tree.clear()
        self.form.profileNameLabel.setText(
            tr("{name} — {label}").format(name=profile.name, label=self.state.profile_label())
        )
        sectors = QTreeWidgetItem(tree, [tr("Sectors ({n})").format(n=len(profile.sectors)), "", ""])
        for index, sector in enumerate(profile.sectors):
            buffer = tr("buffer {m:g} m").format(m=sector.buffer_m) if sector.buffer_m else ""
            item = QTreeWidgetItem(sectors, [sector.name(language), f"{sector.weight:g}", buffer])
            item.setToolTip(1, tr("Weight in the sector overlay; double-click to change it"))
            item.setData(1, Qt.ItemDataRole.UserRole, ("sectors", index, "weight"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        rules = QTreeWidgetItem(tree, [tr("Agency rules ({n})").format(n=len(profile.agency_rules)), "", ""])
        for index, rule in enumerate(profile.agency_rules):
            relation = (
                tr("within {m:g} m").format(m=rule.distance_m)
                if rule.relation == "within_distance"
                else tr("overlap")
            )
            item = QTreeWidgetItem(rules, [rule.name(language), rule.severity, relation])
            item.setToolTip(0, f"{rule.agency} — {rule.legal_basis}")
            item.setToolTip(1, tr("Severity class A–D; double-click to change it"))
            item.setData(1, Qt.ItemDataRole.UserRole, ("agency_rules", index, "severity"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            colour = SEVERITY_BACKGROUND.get(rule.severity)
            if colour:
                item.setBackground(1, QColor(colour))
        elements = QTreeWidgetItem(
            tree, [tr("Element types ({n})").format(n=len(profile.element_types)), "", ""]
        )
        for element_type in profile.element_types:
            QTreeWidgetItem(elements, [element_type.name(language), element_type.geometry, ""])
        sectors.setExpanded(True)
        rules.setExpanded(True)
        tree.blockSignals(False)

    def _on_profile_item_edited(self, item, column: int) -> None:
        """A weight or severity changed in the tree: write it into the YAML text (saved later)."""
        import yaml

        from .profile_text import set_value

        path = item.data(column, Qt.ItemDataRole.UserRole) if column == 1 else None
        if not path:
            return
        text = item.text(1).strip().replace(",", ".")
        if path[-1] == "weight":
            try:
                valid = float(text) >= 0
            except ValueError:
                valid = False
            message = tr("A weight is a number of 0 or more.")
        else:
            text = text.upper()
            valid = text in SEVERITIES
            message = tr("A severity is one of A, B, C, D.")
        if not valid:
            self.form.profileErrors.setStyleSheet("color: #b2182b;")
            self.form.profileErrors.setPlainText(message)
            QTimer.singleShot(0, self.show_profile_tree_from_editor)  # not while the item is in use
            return
        try:
            updated = set_value(self.form.profileEdit.toPlainText(), path, text)
        except (ValueError, yaml.YAMLError) as error:  # the text in the editor no longer parses
            self.form.profileErrors.setPlainText(str(error))
            return
        self.form.profileEdit.setPlainText(updated)
        self.form.profileErrors.setStyleSheet("")
        self.form.profileErrors.setPlainText(tr("Changed in the text; save to use it."))
        QTimer.singleShot(0, self.show_profile_tree_from_editor)  # not while the item is in use

    def show_profile_tree_from_editor(self) -> None:
        """Refill the tree from the editor's text (when it parses)."""
        from ..core.profile import parse_profile

        try:
            profile = parse_profile(self.form.profileEdit.toPlainText(), self.state.profile_label())
        except ProfileError as error:
            self._show_profile_problems(error)
            return
        self._fill_profile_tree(profile)

    def _show_profile_problems(self, error: ProfileError) -> None:
        self.form.profileErrors.setPlainText("\n".join(str(problem) for problem in error.problems))
        self.form.profileErrors.setStyleSheet("color: #b2182b;")

    def _on_profile_mode_chosen(self, _index) -> None:
        if self._updating:
            return
        mode = self.form.profileCombo.currentData()
        if mode == "default":
            self.state.use_default_profile()
        elif mode == "file":
            if self.state.profile_mode != "file" and not self.browse_profile_file():
                self._select_profile_mode(self.state.profile_mode)
                return
        elif mode == "project" and self.state.profile_mode != "project":
            self.state.set_profile_text(self._profile_text(), "project")
        self._agency_cache = None
        self.form.profilePathEdit.setText(self.state.profile_path)
        self.show_profile()
        self._mark_dirty()

    def _select_profile_mode(self, mode: str) -> None:
        self._updating = True
        try:
            self.form.profileCombo.setCurrentIndex(max(0, self.form.profileCombo.findData(mode)))
        finally:
            self._updating = False

    def browse_profile_file(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Choose a planning profile"),
            self.state.profile_path,
            tr("Planning profiles (*.yaml *.yml)"),
        )
        return bool(path) and self.choose_profile_file(path)

    def choose_profile_file(self, path: str) -> bool:
        """Use a profile file (its text is kept in the project too); False with the problems shown."""
        from ..core.profile import parse_profile, read_profile_bytes

        try:
            # bounded, ordinary files only (/dev/zero or a pipe would hang the desktop); the
            # bytes parsed first so a binary or non-UTF-8 file is named with its line
            data = read_profile_bytes(path)
            parse_profile(data, str(path))
            text = data.decode("utf-8-sig")
            self.state.set_profile_text(text, "file", str(path))
        except OSError as error:
            self.form.profileErrors.setPlainText(
                tr("The profile {path} could not be read ({reason}).").format(
                    path=path, reason=error.strerror
                )
            )
            return False
        except (ProfileError, UnicodeDecodeError) as error:
            if isinstance(error, ProfileError):
                self._show_profile_problems(error)
            else:
                self.form.profileErrors.setPlainText(tr("The profile is not UTF-8 text."))
            self.form.tabs.setCurrentWidget(self.form.tabProfile)
            return False
        self._agency_cache = None
        self._select_profile_mode("file")
        self.form.profilePathEdit.setText(str(path))
        self.show_profile()
        self._mark_dirty()
        return True

    def save_profile_to_project(self) -> bool:
        """Validate the edited text; keep it as the project's profile, or show every problem."""
        try:
            profile = self.state.set_profile_text(self.form.profileEdit.toPlainText(), "project")
        except ProfileError as error:
            self._show_profile_problems(error)
            return False
        self.form.profileErrors.setStyleSheet("")
        self.form.profileErrors.setPlainText(tr("Saved in the project: {name}").format(name=profile.name))
        self._select_profile_mode("project")
        self.form.profilePathEdit.setText("")
        self._fill_profile_tree(profile)
        self._agency_cache = None
        self._mark_dirty()
        return True

    def save_profile_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save the planning profile"), "", tr("Planning profiles (*.yaml *.yml)")
        )
        if path:
            self.save_profile_as(path)

    def save_profile_as(self, path: str) -> bool:
        text = self.form.profileEdit.toPlainText()
        try:
            self.state.set_profile_text(text, "file", path)
        except ProfileError as error:
            self._show_profile_problems(error)
            return False
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as error:
            self.form.profileErrors.setPlainText(
                tr("The profile {path} could not be written ({reason}).").format(
                    path=path, reason=error.strerror
                )
            )
            return False
        return self.choose_profile_file(path)

    # ------------------------------------------------------------------ settings
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
            self._agency_cache = None
            self._mark_dirty()

    def _watch_element_layers(self) -> None:
        if self.state.live_mode:
            self.live.watch(self._layers(self.state.element_layer_ids))
        else:
            self.live.unwatch()

    # ------------------------------------------------------------------ run
    def is_running(self) -> bool:
        return self.task is not None

    def run_check(self) -> bool:
        """Start the check in a background task; False (with the reason shown) when it cannot."""
        from ..core.errors import LayerError
        from ..qgis_io.layers import require_projected
        from .task import CheckTask, layer_ref

        if self.task is not None:
            return False
        element_layers = self._layers(self.state.element_layer_ids)
        agency_layers = self._layers(self.state.agency_layer_ids)
        if not element_layers:
            self._status(tr("Tick at least one layer of RUS elements."), error=True)
            return False
        if not agency_layers:
            self._status(tr("Choose at least one agency layer."), error=True)
            return False
        try:
            profile = self.state.profile()
        except ProfileError as error:
            self._show_profile_problems(error)
            self._status(tr("The profile has errors; see the Profile tab."), error=True)
            return False
        crs = QgsCoordinateReferenceSystem(self.state.target_crs)
        try:
            require_projected(crs)
        except LayerError as error:
            self._status(str(error), error=True)
            return False
        self._run_layers = (element_layers, agency_layers)
        task = CheckTask(
            [layer_ref(layer) for layer in element_layers],
            [layer_ref(layer) for layer in agency_layers],
            profile,
            crs,
            self.project().transformContext(),
            self._check_options(),
            self._on_task_done,
        )
        task.progressChanged.connect(self._show_progress)
        self.task = task
        self.form.runButton.setEnabled(False)
        self.form.cancelButton.setEnabled(True)
        self.form.progressBar.setValue(0)
        self._status(
            tr("Checking {n} element layers against {m} agency layers…").format(
                n=len(element_layers), m=len(agency_layers)
            )
        )
        QgsApplication.taskManager().addTask(task)
        return True

    def cancel_check(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_task_done(self, task) -> None:
        self.task = None
        self.form.runButton.setEnabled(True)
        self.form.cancelButton.setEnabled(False)
        if task.cancelled:
            self.form.progressBar.setValue(0)
            self._status(tr("The run was cancelled; nothing was written."))
            return
        if task.error or task.result is None:
            message = safe_source(task.error) or tr("The check failed.")  # an error may quote a source
            self._status(message, error=True)
            if task.details:
                QgsMessageLog.logMessage(safe_source(task.details), LOG_TAG, Qgis.MessageLevel.Critical)
            self.iface.messageBar().pushMessage(LOG_TAG, message, Qgis.MessageLevel.Critical, 10)
            return
        try:
            kept = self._store_results(task)
        except Exception as error:  # noqa: BLE001 - writing the GeoPackage failed: say so, keep the panel
            self._status(safe_source(str(error)), error=True)
            return
        if kept is not None:
            self.form.progressBar.setValue(0)
            self._status(tr("The findings were not written; “{path}” was kept as it was.").format(path=kept))
            return
        for message in task.messages:
            QgsMessageLog.logMessage(safe_source(message), LOG_TAG, Qgis.MessageLevel.Info)
        self.form.progressBar.setValue(100)
        counts = {s: task.result.findings["severity"].count(s) for s in SEVERITIES}
        self._status(
            tr("{n} findings: {a} A, {b} B, {c} C, {d} D.").format(
                n=task.result.finding_count, a=counts["A"], b=counts["B"], c=counts["C"], d=counts["D"]
            )
        )
        self.form.tabs.setCurrentWidget(self.form.tabFindings)

    def _store_results(self, task) -> str | None:
        """Write the findings beside the project, (re)load the layers, remember the run.

        Only the panel's own GeoPackage is replaced without asking (see ui/results.py); a file
        that is not its own is asked about first. Returns the path of a file the user chose to
        keep, when nothing was written; None when the findings were stored.
        """
        from ..qgis_io.export import release_connections

        project = self.project()
        element_layers, agency_layers = self._run_layers
        rows, geometries = results_io.result_rows(
            task.result, {layer.name(): layer.id() for layer in element_layers}
        )
        path, not_ours = results_io.results_target(project, self.state.results_path)
        if not_ours is not None:
            path = self._ask_replace(not_ours)
            if path is None:
                return not_ours
        kinds = [
            k for k in results_io.KINDS if k in {results_io.layer_kind(layer) for layer in element_layers}
        ]

        def let_go_of_old_layers() -> None:
            """The last run's layers that read the file being replaced or a file of the panel's own;
            layers of anyone else (the project's Processing results) stay in the project."""
            results_io.remove_layers(
                project,
                [
                    layer_id
                    for layer_id in self.state.results_layer_ids
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
        self.state.results_path = path
        self.state.results_layer_ids = [layer.id() for layer in layers]
        self.state.last_run = now_iso()
        self.state.data_sources = [
            DataSource(role, ref_layer.id(), ref.name, ref.source_text, ref.date or "")
            for role, layers, refs in (
                ("element", element_layers, task.element_refs),
                ("agency", agency_layers, task.agency_refs),
            )
            for ref_layer, ref in zip(layers, refs)
        ]
        # Read near these elements only, they cannot answer for an element moved elsewhere:
        # live mode then reads the agency layers whole at its first edit.
        near_only = task.agency_layers_near_only
        self._agency_cache = None if near_only else (task.agency_layers, task.profile, task.target_crs)
        self._fill_layer_lists()
        self.reload_rows()
        self._mark_dirty()
        return None

    def _ask_replace(self, existing: str) -> str | None:
        """Ask before replacing a file the panel did not write: the path to write, or None."""
        from qgis.PyQt.QtWidgets import QMessageBox

        other = results_io.alternative_path(existing)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("RUS check"),
            tr(
                "“{path}” exists and was not written by the RUS check panel. Replace it with the findings?"
            ).format(path=existing),
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            self,
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

    # ------------------------------------------------------------------ live mode
    def _ensure_agency_cache(self):
        """The agency layers as the last run read them; read again after a reopen or a change."""
        if self._agency_cache is not None:
            return self._agency_cache
        from ..qgis_io.check_run import read_agency_layers
        from .task import layer_ref

        profile = self.state.profile()
        crs = QgsCoordinateReferenceSystem(self.state.target_crs)
        refs = [layer_ref(layer) for layer in self._layers(self.state.agency_layer_ids)]
        # Whole (no elements to read near): an edit may move an element anywhere.
        layers, _ = read_agency_layers(refs, profile, crs, self.project().transformContext())
        self._agency_cache = (layers, profile, crs)
        return self._agency_cache

    def recheck_elements(self, layer, fids) -> None:
        """Check again the given features of an element layer (all when fids is None)."""
        from ..core.errors import RusPlannerError
        from ..qgis_io.check_run import run_check
        from .task import layer_ref

        # Only findings in the panel's own GeoPackage are edited: a project's Processing results
        # (the demo's, say) are never written into.
        results = [layer for layer in self.results_layers() if results_io.reads_own(layer)]
        if not results:
            self._status(tr("Run the check once; live mode then follows your edits."))
            return
        try:
            agency_layers, profile, crs = self._ensure_agency_cache()
            run = run_check(
                [layer_ref(layer, fids)],
                [],
                profile,
                crs,
                self.project().transformContext(),
                self._check_options(),
                agency_layers=agency_layers,
            )
            rows, geometries = results_io.result_rows(run.result, {layer.name(): layer.id()})
            results_io.replace_findings(results, layer.id(), fids, rows, geometries)
        except RusPlannerError as error:
            self._status(str(error), error=True)
            return
        self.reload_rows()
        self._status(tr("Live mode: {n} edited elements checked again.").format(n=run.element_count))

    # ------------------------------------------------------------------ findings
    def results_layers(self) -> list:
        """The findings layers of the last run (one per element kind)."""
        layers = [self.project().mapLayer(layer_id) for layer_id in self.state.results_layer_ids]
        return [layer for layer in layers if isinstance(layer, QgsVectorLayer) and layer.isValid()]

    def reload_rows(self) -> None:
        """Fill the table from the findings layer (the one truth, also after a reopen)."""
        rows = results_io.read_rows(self.results_layers())
        self.model.set_rows(rows)
        self._fill_filters()
        self._update_counts()
        self.form.findingsView.resizeColumnsToContents()
        self._on_finding_selected()

    def _update_counts(self) -> None:
        counts = dict.fromkeys(SEVERITIES, 0)
        for row in self.model.rows:
            if row.get("severity") in counts:
                counts[row["severity"]] += 1
        cells = " ".join(
            f'<span style="background:{SEVERITY_BACKGROUND[s]};">&nbsp;<b>{s}</b> {counts[s]}&nbsp;</span>'
            for s in SEVERITIES
        )
        shown = tr("{shown} of {total} shown").format(shown=self.proxy.rowCount(), total=len(self.model.rows))
        self.form.countsLabel.setText(f"{cells}&nbsp;&nbsp;{shown}")

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for row in self.model.rows if row.get("severity") == s) for s in SEVERITIES}

    def _fill_filters(self) -> None:
        form = self.form
        rows = self.model.rows
        choices = (
            (form.severityFilter, tr("All classes"), [(s, s) for s in SEVERITIES]),
            (
                form.agencyFilter,
                tr("All agencies"),
                sorted({(r.get("agency") or "",) * 2 for r in rows if r.get("agency")}),
            ),
            (
                form.elementFilter,
                tr("All elements"),
                sorted(
                    {(element_label(r), r.get("element_id")) for r in rows}, key=lambda c: c[0].casefold()
                ),
            ),
        )
        for combo, everything, items in choices:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for label, value in items:
                combo.addItem(label, value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self, *_args) -> None:
        self.proxy.set_filters(
            self.form.severityFilter.currentData(),
            self.form.agencyFilter.currentData(),
            self.form.elementFilter.currentData(),
        )
        self._update_counts()

    def set_filter(self, combo, value) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def visible_rows(self) -> list[dict]:
        return [
            self.proxy.index(i, 0).data(Qt.ItemDataRole.UserRole + 1) for i in range(self.proxy.rowCount())
        ]

    def select_row(self, proxy_row: int) -> None:
        self.form.findingsView.selectRow(proxy_row)

    def selected_row(self) -> tuple[int, dict] | None:
        indexes = self.form.findingsView.selectionModel().selectedRows()
        if not indexes:
            return None
        source = self.proxy.mapToSource(indexes[0])
        return source.row(), self.model.rows[source.row()]

    def _on_finding_selected(self, *_args) -> None:
        selected = self.selected_row()
        self.form.reviewGroup.setEnabled(selected is not None)
        if selected is None:
            return
        _, row = selected
        review = self.state.reviews.get(ReviewKey.of_finding(row))
        self.form.statusCombo.setCurrentIndex(max(0, self.form.statusCombo.findData(review.status)))
        self.form.positionEdit.setPlainText(review.position)
        self.zoom_to_finding(row)

    def _agency_layer(self, name: str):
        return next(
            (layer for layer in self._layers(self.state.agency_layer_ids) if layer.name() == name), None
        )

    def zoom_to_finding(self, row: dict) -> None:
        """Zoom to the element and the agency feature together, and flash both."""
        canvas = self.iface.mapCanvas()
        destination = canvas.mapSettings().destinationCrs()
        project = self.project()
        shapes: list[tuple[QgsGeometry, QgsCoordinateReferenceSystem]] = []
        element_layer = project.mapLayer(row.get("element_layer_id") or "")
        element_geometry = None
        if isinstance(element_layer, QgsVectorLayer) and row.get("element_fid") is not None:
            feature = element_layer.getFeature(int(row["element_fid"]))
            if feature.isValid() and feature.hasGeometry():
                element_geometry = feature.geometry()
                shapes.append((element_geometry, element_layer.crs()))
        results = self.project().mapLayer(row.get("_layer_id") or "")
        if element_geometry is None and row.get("geometry") is not None and results is not None:
            shapes.append((row["geometry"], results.crs()))
        agency_layer = self._agency_layer(row.get("agency_layer") or "")
        if agency_layer is not None and row.get("feature_fid") is not None:
            feature = agency_layer.getFeature(int(row["feature_fid"]))
            if feature.isValid() and feature.hasGeometry():
                shapes.append((feature.geometry(), agency_layer.crs()))
        extent = QgsRectangle()
        extent.setMinimal()
        for geometry, crs in shapes:
            try:
                box = QgsCoordinateTransform(crs, destination, project).transformBoundingBox(
                    geometry.boundingBox()
                )
            except Exception:  # noqa: BLE001 - a feature outside the CRS's area is not zoomed to
                continue
            extent.combineExtentWith(box)
        if not shapes or extent.isNull():
            return
        minimum = 0.01 if destination.isGeographic() else 1000.0
        if extent.width() < minimum and extent.height() < minimum:
            centre = extent.center()
            extent = QgsRectangle(
                centre.x() - minimum, centre.y() - minimum, centre.x() + minimum, centre.y() + minimum
            )
        else:
            extent.scale(1.2)
        canvas.setExtent(extent)
        canvas.refresh()
        for geometry, crs in shapes:
            canvas.flashGeometries([geometry], crs)

    def save_review(self) -> bool:
        """Record the status and position for the selected finding (matched by its key)."""
        selected = self.selected_row()
        if selected is None:
            return False
        source_row, row = selected
        self.state.reviews.record(
            ReviewKey.of_finding(row),
            self.form.statusCombo.currentData(),
            self.form.positionEdit.toPlainText(),
        )
        self.model.review_changed(source_row)
        self._mark_dirty()
        return True

    # ------------------------------------------------------------------ export
    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Export findings"),
            "",
            tr("GeoPackage (*.gpkg);;CSV for Excel (*.csv);;HTML summary (*.html)"),
        )
        if path:
            self.export_findings(path)

    def export_findings(self, path: str) -> None:
        """GeoPackage, CSV or HTML by the file's suffix; every row with its review columns."""
        from ..core.errors import RusPlannerError
        from ..qgis_io.export import with_reviews, write_csv, write_geopackage, write_html

        rows = [
            {k: v for k, v in row.items() if k not in ("geometry", "_fid", "_layer_id", "fid")}
            for row in self.model.rows
        ]
        rows = with_reviews(rows, self.state.reviews)
        suffix = Path(path).suffix.lower()
        if suffix not in (".csv", ".html", ".htm", ".gpkg"):
            path = f"{path}.gpkg"
        reader = results_io.layer_reading(self.project(), path)
        if reader is not None:  # the file dialog asked about replacing, not about destroying a layer's data
            self._status(
                tr(
                    "“{path}” is the data of the layer “{layer}”; nothing was exported. Choose another file."
                ).format(path=path, layer=reader.name()),
                error=True,
            )
            return
        try:
            if suffix == ".csv":
                write_csv(rows, path, decimal_comma=self.state.decimal_comma)
            elif suffix in (".html", ".htm"):
                try:
                    profile_name = self.state.profile().name
                except ProfileError:
                    profile_name = ""
                write_html(
                    rows,
                    path,
                    title=tr("RUS check: findings"),
                    profile_name=profile_name,
                    run_time=self.state.last_run,
                    sources=[f"{s.name}: {s.source} {s.date}".strip() for s in self.state.data_sources],
                )
            else:
                results = self.results_layers()
                crs = results[0].crs() if results else QgsCoordinateReferenceSystem(self.state.target_crs)
                write_geopackage(rows, [row["geometry"] for row in self.model.rows], crs, path)
        except RusPlannerError as error:
            self._status(str(error), error=True)
            return
        self._status(tr("{n} findings exported to {path}").format(n=len(rows), path=path))


def _rewrite_layer_source(document, layer_id: str, path: str, table: str) -> None:
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


def _state_unreadable(project_file: str, error: Exception) -> str:
    """The warning for RUS Planner state a project holds but that cannot be used at all.

    Only the kind of error is named: its text could quote the damaged entry.
    """
    return tr(
        "The RUS Planner settings stored in the project “{file}” could not be read ({reason}); "
        "the RUS check panel starts from its defaults. Saving the project replaces them."
    ).format(file=project_file, reason=type(error).__name__)
