"""The QGIS plugin shell: registers the provider, menu and toolbar; unload removes exactly that."""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .dependencies import install_hint, missing_requirements
from .i18n import install_translator, remove_translator, tr
from .processing.provider import RusPlannerProvider
from .project_files import explain_unreadable_project
from .resources import icon_path
from .ui.agency_fetch_action import run_fetch_dialog
from .ui.new_project import choose_county, county_view, setup_rus_project
from .ui.panel import RusCheckDock
from .ui.share_action import save_before_sharing, share_parameters

LOG_TAG = "RUS Planner"


class RusPlannerPlugin:
    """Created by classFactory; qgis_process calls only initProcessing, the desktop initGui too."""

    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator()
        self.provider = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.menu_title = tr("&RUS Planner")
        self.dock = None
        self._project_connections: list[tuple] = []

    # ----------------------------------------------------------------- processing
    def initProcessing(self) -> None:  # noqa: N802 (QGIS's name)
        """Register the provider once; qgis_process relies on this alone."""
        if self.provider is not None:
            return

        self.provider = RusPlannerProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

        explain_unreadable_project()  # qgis_process --PROJECT_PATH only; see project_files

    # ----------------------------------------------------------------- desktop
    def initGui(self) -> None:  # noqa: N802
        self.initProcessing()
        self.toolbar = self.iface.addToolBar(tr("RUS Planner"))
        self.toolbar.setObjectName("RusPlannerToolbar")
        self._add_action(
            "RusPlannerValidateProfile",
            tr("Validate planning profile…"),
            tr("Check a planning profile (YAML) and list every problem"),
            lambda: self._open_algorithm("rusplanner:validateprofile"),
        )
        self._init_panel()
        missing = missing_requirements()
        if missing:
            message = install_hint(missing)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
            self.iface.messageBar().pushMessage(LOG_TAG, message, Qgis.MessageLevel.Warning, 0)

    def _init_panel(self) -> None:
        """The RUS check dock, its actions, and the project signals that carry its state."""

        self.dock = RusCheckDock(self.iface, self.iface.mainWindow())
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self._add_action(
            "RusPlannerCheckPanel",
            tr("RUS check panel"),
            tr("Show the RUS check: elements against agency layers, reviews and export"),
            self.show_panel,
        )
        self._add_action(
            "RusPlannerShareGeoPackage",
            tr("Share as GeoPackage…"),
            tr(
                "One GeoPackage with the elements, sectors, agency extracts, results, styles and the project, for anyone with plain QGIS"
            ),
            self.share_as_geopackage,
        )
        self._add_action(
            "RusPlannerFetchAgencyData",
            tr("Fetch agency data…"),
            tr(
                "Fetch the agencies' layers for your county into a GeoPackage and the Myndighetsunderlag group"
            ),
            lambda: run_fetch_dialog(self.iface),
        )
        self._add_action(
            "RusPlannerNewProject",
            tr("New RUS project"),
            tr("Start a project with the RUS layer groups, SWEREF 99 TM and the default profile"),
            self.new_rus_project,
        )
        project = QgsProject.instance()
        for signal, slot in (
            (project.readProject, self.dock.on_project_read),
            (project.writeProject, self.dock.on_project_write),
            (project.cleared, self.dock.on_project_cleared),
            (project.layersAdded, self.dock.on_layers_changed),
            (project.layersRemoved, self.dock.on_layers_changed),
        ):
            signal.connect(slot)
            self._project_connections.append((signal, slot))
        self.dock.on_project_read()  # a project may already be open when the plugin is enabled

    def share_as_geopackage(self) -> bool:
        """The share algorithm's dialog filled in; a project never saved is first offered a save."""
        import processing  # QGIS's Processing plugin: QGIS may start it after this one

        project = QgsProject.instance()
        if not save_before_sharing(project, self.iface.mainWindow()):
            return False
        processing.execAlgorithmDialog(
            "rusplanner:sharegeopackage", share_parameters(project, self.dock.state)
        )
        return True

    def show_panel(self) -> None:
        self.dock.setUserVisible(True)
        self.dock.raise_()

    def new_rus_project(self) -> bool:
        """A new project set up for RUS work on the chosen län (QGIS first asks to save the current one)."""

        county = choose_county(self.iface.mainWindow())
        if county is None or self.iface.newProject(True) is False:
            return False
        setup_rus_project(QgsProject.instance(), county)
        view = county_view(county)
        canvas = self.iface.mapCanvas()
        canvas.setDestinationCrs(QgsProject.instance().crs())
        canvas.setReferencedExtent(view)
        canvas.refresh()
        self.dock.on_project_read()
        self.show_panel()
        return True

    def _add_action(self, object_name: str, text: str, tip: str, slot) -> QAction:
        action = QAction(QIcon(icon_path()), text, self.iface.mainWindow())
        action.setObjectName(object_name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.iface.addPluginToMenu(self.menu_title, action)
        self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    @staticmethod
    def _open_algorithm(algorithm_id: str) -> None:
        import processing  # QGIS's Processing plugin: QGIS may start it after this one

        processing.execAlgorithmDialog(algorithm_id, {})

    # ----------------------------------------------------------------- unload
    def unload(self) -> None:
        """Remove exactly what initGui and initProcessing added."""
        for signal, slot in self._project_connections:
            signal.disconnect(slot)
        self._project_connections = []
        if self.dock is not None:
            self.dock.cleanup()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        for action in self.actions:
            self.iface.removePluginMenu(self.menu_title, action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            action.triggered.disconnect()
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)
        self.translator = None
