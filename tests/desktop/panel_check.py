"""Run by `qgis --code`: a new RUS project on Örebro data, the RUS check panel run, a finding
selected and reviewed; screenshot the window, write what the panel shows, quit."""

import json
import os
import traceback

import processing
import qgis.utils
from qgis.core import (
    QgsApplication,
    QgsFillSymbol,
    QgsMarkerSymbol,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QInputDialog

RESULT = os.environ["RUS_DESKTOP_RESULT"]
SCREENSHOT = os.environ["RUS_DESKTOP_SCREENSHOT"]
DATA = os.environ["RUS_DESKTOP_DATA"]
WORK = os.environ["RUS_DESKTOP_WORK"]
state = {}


def _fail(error):
    dock = state.get("dock")
    status = dock.form.statusLabel.text() if dock is not None else ""
    status += "\n" + state.get("details", "")
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump({"error": "".join(traceback.format_exception(error)) + f"\npanel status: {status}"}, handle)
    QgsApplication.exit(1)


def _layer(path, name, layer_name=None, subset=None):
    uri = f"{path}|layername={layer_name}" if layer_name else path
    layer = QgsVectorLayer(uri, name, "ogr")
    if subset:
        layer.setSubsetString(subset)
    return layer


def _style(layer, symbol):
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def _choose_orebro():
    """Answer the län question as a user would: pick Örebro län, OK."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, QInputDialog):
        QTimer.singleShot(50, _choose_orebro)
        return
    dialog.setTextValue("Örebro län")
    dialog.accept()


def _start():
    try:
        window = qgis.utils.iface.mainWindow()
        window.resize(1400, 900)
        plugin = qgis.utils.plugins["rus_planner"]
        QTimer.singleShot(0, _choose_orebro)  # New RUS project asks which län
        window.findChild(QAction, "RusPlannerNewProject").trigger()
        state["extent_new_project"] = qgis.utils.iface.mapCanvas().extent().toString(0)
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        nodes = _layer(f"{DATA}/tatorter.gpkg", "Tätorter Örebro län", "tatorter", "lan_code = '18'")
        areas_path = os.path.join(WORK, "utvecklingsområden.gpkg")
        processing.run(
            "native:buffer",
            {"INPUT": nodes, "DISTANCE": 3000, "SEGMENTS": 8, "OUTPUT": areas_path},
        )
        areas = _layer(areas_path, "Utvecklingsområden 3 km")
        kultur = _layer(f"{DATA}/riksintressen_kulturmiljo.gpkg", "riksintressen_kulturmiljo")
        parks = _layer(f"{DATA}/nvr_nationalparker.gpkg", "nationalparker")
        for layer, group in (
            (nodes, "RUS-element"),
            (areas, "RUS-element"),
            (kultur, "Myndighetsunderlag"),
            (parks, "Myndighetsunderlag"),
        ):
            project.addMapLayer(layer, False)
            root.findGroup(group).addLayer(layer)
        # Quiet, fixed colours for the inputs, so the severity colours of the findings stand out.
        _style(
            nodes, QgsMarkerSymbol.createSimple({"color": "#08519c", "size": "2.2", "outline_color": "white"})
        )
        _style(areas, QgsFillSymbol.createSimple({"color": "158,202,225,90", "outline_color": "#3182bd"}))
        _style(kultur, QgsFillSymbol.createSimple({"color": "189,189,189,110", "outline_color": "#636363"}))
        _style(parks, QgsFillSymbol.createSimple({"color": "116,196,118,140", "outline_color": "#238b45"}))
        dock = plugin.dock
        window.findChild(QAction, "RusPlannerCheckPanel").trigger()
        dock.set_layers([nodes, areas], [kultur, parks])
        state.update(plugin=plugin, dock=dock, nodes=nodes, areas=areas)
        if not dock.run_check():
            raise RuntimeError(dock.form.statusLabel.text())
        state["task"] = dock.task
        QTimer.singleShot(500, _wait)
    except Exception as error:  # noqa: BLE001 - reported to the test
        _fail(error)


def _wait():
    if state["dock"].is_running():
        QTimer.singleShot(300, _wait)
        return
    task = state.get("task")
    state["details"] = getattr(task, "details", "") if task is not None else ""
    try:
        _after_run()
    except Exception as error:  # noqa: BLE001
        _fail(error)


def _after_run():
    dock = state["dock"]
    window = qgis.utils.iface.mainWindow()
    canvas = qgis.utils.iface.mapCanvas()
    before = canvas.extent().toString(0)
    dock.set_filter(dock.form.severityFilter, None)
    dock.form.findingsView.sortByColumn(dock.model.column("severity"), 0)
    # The finding with the largest overlap: a finding one can see on the map.
    rows = dock.visible_rows()
    largest = max(range(len(rows)), key=lambda i: rows[i].get("overlap_m2") or 0)
    dock.select_row(largest)
    state["selected"] = largest
    dock.form.statusCombo.setCurrentIndex(dock.form.statusCombo.findData("in_dialogue"))
    dock.form.positionEdit.setPlainText(
        "Samråd med länsstyrelsen: området avgränsas så att riksintresset inte skadas påtagligt."
    )
    dock.form.saveReviewButton.click()
    area = window.size().width()
    window.resizeDocks([dock], [int(area * 0.42)], Qt.Orientation.Horizontal)
    toolbox = window.findChild(QDockWidget, "ProcessingToolbox")
    if toolbox is not None:
        toolbox.hide()
    state["before"] = before
    QTimer.singleShot(4000, _finish)  # the zoomed extent rendered, the flash (3 × 0.5 s) over


def _finish():
    try:
        dock = state["dock"]
        window = qgis.utils.iface.mainWindow()
        canvas = qgis.utils.iface.mapCanvas()
        QgsApplication.processEvents()
        window.grab().save(SCREENSHOT)
        view = dock.form.findingsView
        model = view.model()
        result = {
            "dock_visible": dock.isVisible(),
            "dock_title": dock.windowTitle(),
            "tabs": [dock.form.tabs.tabText(i) for i in range(dock.form.tabs.count())],
            "headers": [model.headerData(i, 1) for i in range(model.columnCount())],
            "counts": dock.counts(),
            "rows": model.rowCount(),
            "first_row": [model.index(0, c).data() for c in range(model.columnCount())],
            "selected_row": [model.index(state["selected"], c).data() for c in range(model.columnCount())],
            "selected_overlap_m2": dock.selected_row()[1].get("overlap_m2"),
            "status": dock.form.statusLabel.text(),
            "extent_before": state["before"],
            "extent_new_project": state["extent_new_project"],
            "extent_after": canvas.extent().toString(0),
            "results_layers": [layer.name() for layer in dock.results_layers()],
            "groups": [g.name() for g in QgsProject.instance().layerTreeRoot().children()],
            "crs": QgsProject.instance().crs().authid(),
            "canvas_layers": [layer.name() for layer in canvas.layers()],
            "results_rendered": [layer.renderer().type() for layer in dock.results_layers()],
        }
        with open(RESULT, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False)
    except Exception as error:  # noqa: BLE001
        _fail(error)
        return
    QgsApplication.exit(0)


QTimer.singleShot(4000, _start)
