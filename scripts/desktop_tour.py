"""Run by `qgis --code` (tests/test_desktop_demo.py, scripts/screenshots.py): the demo project
opened as a new user opens it, the RUS check run from the panel, a finding selected.

Two screenshots of the whole window, 1280 × 800: ``<stem>_check.png`` just after opening (the
map on the region, the Check tab with the roles the project knows) and ``<stem>_findings.png``
after the run (the Findings tab, the first finding shown on the map). What the desktop showed
goes to a JSON file for the test to assert. Environment:

RUS_TOUR_PROJECT       the .qgz to open
RUS_DESKTOP_SCREENSHOT ``<folder>/<stem>.png``: where the screenshots go
RUS_DESKTOP_RESULT     the JSON file to write
"""

import json
import os
import traceback
from pathlib import Path

import qgis.utils
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QAction, QDockWidget

PROJECT = os.environ["RUS_TOUR_PROJECT"]
RESULT = os.environ["RUS_DESKTOP_RESULT"]
SHOT = Path(os.environ["RUS_DESKTOP_SCREENSHOT"])
WIDTH, HEIGHT = 1280, 800
state = {"result": {}}


def _shot(name: str) -> str:
    path = SHOT.with_name(f"{SHOT.stem}_{name}.png")
    qgis.utils.iface.mainWindow().grab().save(str(path))
    return str(path)


def _fail(error):
    state["result"]["error"] = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    _write()
    QgsApplication.exit(1)


def _write():
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(state["result"], handle, ensure_ascii=False)


def _ticked(widget) -> list:
    items = [widget.item(i) for i in range(widget.count())]
    return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]


def _extent(canvas) -> list:
    e = canvas.extent()
    return [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]


def _start():
    """The panel open beside the map (as a user keeps it), then the project opened."""
    try:
        window = qgis.utils.iface.mainWindow()
        window.resize(WIDTH, HEIGHT)
        for name in ("ProcessingToolbox", "Browser", "Browser2"):
            dock = window.findChild(QDockWidget, name)
            if dock is not None:
                dock.hide()
        plugin = qgis.utils.plugins["rus_planner"]
        window.findChild(QAction, "RusPlannerCheckPanel").trigger()
        window.resizeDocks([plugin.dock], [int(WIDTH * 0.42)], Qt.Orientation.Horizontal)
        state["dock"] = plugin.dock
        QgsApplication.processEvents()
        state["result"]["empty_status"] = plugin.dock.form.statusLabel.text()
        qgis.utils.iface.addProject(PROJECT)
        QTimer.singleShot(3000, _opened)
    except Exception as error:  # noqa: BLE001 - reported to the test
        _fail(error)


def _opened():
    try:
        dock = state["dock"]
        canvas = qgis.utils.iface.mapCanvas()
        project = QgsProject.instance()
        state["result"].update(
            {
                "project_title": project.title(),
                "canvas_crs": canvas.mapSettings().destinationCrs().authid(),
                "canvas_extent": _extent(canvas),
                "canvas_size": [canvas.width(), canvas.height()],
                "elements_ticked": _ticked(dock.form.elementList),
                "agency_ticked": _ticked(dock.form.agencyList),
                "elements_order": [
                    dock.form.elementList.item(i).text() for i in range(dock.form.elementList.count())
                ],
                "elements_listed": dock.form.elementList.count(),
                "agency_listed": dock.form.agencyList.count(),
                "status_opened": dock.form.statusLabel.text(),
                "legend": dock.findings.legend.text(),
                "visible_layers": [layer.name() for layer in canvas.layers()],
                "shot_check": _shot("check"),
            }
        )
        if not dock.run_check():
            raise RuntimeError(dock.form.statusLabel.text())
        QTimer.singleShot(500, _wait)
    except Exception as error:  # noqa: BLE001
        _fail(error)


def _wait():
    if state["dock"].is_running():
        QTimer.singleShot(300, _wait)
        return
    try:
        dock = state["dock"]
        model = dock.model
        dock.form.findingsView.sortByColumn(model.column("severity"), Qt.SortOrder.AscendingOrder)
        dock.select_row(0)  # zooms to the element and the agency feature, and flashes them
        QTimer.singleShot(4000, _finish)  # the zoomed map rendered, the flash over
    except Exception as error:  # noqa: BLE001
        _fail(error)


def _finish():
    try:
        dock = state["dock"]
        proxy = dock.proxy
        columns = range(proxy.columnCount())
        QgsApplication.processEvents()
        state["result"].update(
            {
                "status_after_run": dock.form.statusLabel.text(),
                "current_tab": dock.form.tabs.tabText(dock.form.tabs.currentIndex()),
                "headers": [proxy.headerData(c, Qt.Orientation.Horizontal) for c in columns],
                "first_row": [proxy.index(0, c).data() for c in columns],
                "first_row_tooltips": [proxy.index(0, c).data(Qt.ItemDataRole.ToolTipRole) for c in columns],
                "rows": proxy.rowCount(),
                "counts": dock.counts(),
                "results_layers": [layer.name() for layer in dock.results_layers()],
                "canvas_extent_selected": _extent(qgis.utils.iface.mapCanvas()),
                "shot_findings": _shot("findings"),
            }
        )
        _write()
    except Exception as error:  # noqa: BLE001
        _fail(error)
        return
    QgsApplication.exit(0)


QTimer.singleShot(4000, _start)
