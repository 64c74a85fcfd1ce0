"""Shared by the panel tests: load the plugin as QGIS does, wait for tasks, build Örebro layers."""

from __future__ import annotations

import time

from qgis.core import QgsApplication, QgsProject, QgsVectorFileWriter, QgsVectorLayer

import rus_planner


def wait_until(predicate, timeout: float = 120.0, message: str = "timed out") -> None:
    """Let Qt deliver events (task results, timers) until the predicate holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, message
        QgsApplication.processEvents()
        time.sleep(0.01)


def load_plugin(iface):
    """classFactory → initGui, as the desktop does; returns the plugin (unload it after)."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("rusplanner")
    if existing is not None:
        registry.removeProvider(existing)
    plugin = rus_planner.classFactory(iface)
    plugin.initGui()
    return plugin


def run_and_wait(dock) -> None:
    dock.form.runButton.click()
    assert dock.is_running(), dock.form.statusLabel.text()
    wait_until(lambda: not dock.is_running(), message="the check task did not finish")


def orebro_layers(shared_data, folder):
    """Örebro län: tätorter buffered 3 km as RUS areas (a GeoPackage with å ä ö in its path),
    riksintressen för kulturmiljövård and the national parks (EPSG:4326) as agency layers."""
    import processing

    points = QgsVectorLayer(f"{shared_data / 'tatorter.gpkg'}|layername=tatorter", "tatorter", "ogr")
    points.setSubsetString("lan_code = '18'")
    assert points.featureCount() == 59
    buffered = processing.run(
        "native:buffer", {"INPUT": points, "DISTANCE": 3000, "SEGMENTS": 8, "OUTPUT": "memory:"}
    )["OUTPUT"]
    path = folder / "områden örebro.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "omraden"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(
        buffered, str(path), QgsProject.instance().transformContext(), options
    )
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    areas = QgsVectorLayer(f"{path}|layername=omraden", "Områden Örebro län", "ogr")
    kultur = QgsVectorLayer(
        str(shared_data / "riksintressen_kulturmiljo.gpkg"), "riksintressen_kulturmiljo", "ogr"
    )
    parks = QgsVectorLayer(str(shared_data / "nvr_nationalparker.gpkg"), "nationalparker", "ogr")
    for layer in (areas, kultur, parks):
        assert layer.isValid(), layer.name()
    return areas, kultur, parks


def native_pairs(elements, agency) -> int:
    """How many element × agency feature pairs intersect, by QGIS's own spatial join."""
    import processing

    result = processing.run(
        "native:joinattributesbylocation",
        {
            "INPUT": elements,
            "JOIN": agency,
            "PREDICATE": [0],
            "METHOD": 0,
            "DISCARD_NONMATCHING": True,
            "OUTPUT": "memory:",
        },
    )
    return result["OUTPUT"].featureCount()


def answer_item_dialog(item: str | None, seen: dict | None = None) -> None:
    """Answer the next QInputDialog (a list to choose from) with ``item``, or cancel it (None),
    as a user would; ``seen`` gets its label and items."""
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QComboBox, QInputDialog

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        if seen is not None:
            seen["label"], seen["items"] = dialog.labelText(), dialog.comboBoxItems()
            seen["current"] = dialog.findChild(QComboBox).currentText()
        if item is None:
            dialog.reject()
        else:
            dialog.setTextValue(item)
            dialog.accept()

    QTimer.singleShot(0, answer)
