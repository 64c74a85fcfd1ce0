"""The QGIS plugin shell: registers the provider, menu and toolbar; unload removes exactly that."""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .dependencies import install_hint, missing_requirements
from .i18n import install_translator, remove_translator, tr
from .resources import icon_path

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

    # ----------------------------------------------------------------- processing
    def initProcessing(self) -> None:  # noqa: N802 (QGIS's name)
        """Register the provider once; qgis_process relies on this alone."""
        if self.provider is not None:
            return
        from .processing.provider import RusPlannerProvider

        self.provider = RusPlannerProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

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
        missing = missing_requirements()
        if missing:
            message = install_hint(missing)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.Warning)
            self.iface.messageBar().pushMessage(LOG_TAG, message, Qgis.Warning, 0)

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
        import processing

        processing.execAlgorithmDialog(algorithm_id, {})

    # ----------------------------------------------------------------- unload
    def unload(self) -> None:
        """Remove exactly what initGui and initProcessing added."""
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
