"""Run by `qgis --code`: wait for the window, screenshot it, write what loaded, quit."""

import json
import os

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QLineEdit, QToolBar

RESULT = os.environ["RUS_DESKTOP_RESULT"]
SCREENSHOT = os.environ["RUS_DESKTOP_SCREENSHOT"]


def _finish():
    window = qgis.utils.iface.mainWindow()
    window.resize(1400, 900)
    toolbar = window.findChild(QToolBar, "RusPlannerToolbar")
    if toolbar is not None:
        toolbar.show()
    toolbox = window.findChild(QDockWidget, "ProcessingToolbox")
    if toolbox is not None:
        toolbox.show()
        search = toolbox.findChild(QLineEdit)
        if search is not None:
            search.setText("rusplanner")
    QgsApplication.processEvents()
    window.grab().save(SCREENSHOT)
    actions = [a.text() for a in window.findChildren(QAction) if a.objectName().startswith("RusPlanner")]
    menus = [a.text() for a in window.menuBar().actions()]
    plugin_menu = [
        sub.text()
        for top in window.menuBar().actions()
        if top.menu() is not None
        for sub in top.menu().actions()
        if sub.menu() is not None and "RUS" in sub.text()
    ]
    provider = QgsApplication.processingRegistry().providerById("rusplanner")
    result = {
        "active_plugins": list(qgis.utils.active_plugins),
        "plugin_loaded": "rus_planner" in qgis.utils.plugins,
        "provider": provider.name() if provider else None,
        "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else [],
        "actions": actions,
        "toolbar_visible": bool(toolbar and toolbar.isVisible()),
        "menus": menus,
        "plugin_menu": plugin_menu,
    }
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
    QgsApplication.exit(0)


QTimer.singleShot(4000, _finish)
