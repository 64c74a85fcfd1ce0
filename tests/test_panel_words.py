"""The panel speaks a planner's language (#20 item 3): what to do next when it is empty, the
table's columns in the planner's order, areas in ha or km² and lengths in m or km, and the
classes A–D explained where they are shown."""

from __future__ import annotations

import re

import pytest
from panel_helpers import load_plugin, orebro_layers, run_and_wait
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProject,
)
from qgis.PyQt.QtCore import Qt

from rus_planner.rus_planner.core.vocabulary import SEVERITY_COLOURS


@pytest.fixture
def plugin(qgis_iface, qgis_processing, rus_provider):
    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    yield plugin
    if plugin.provider is not None:
        plugin.unload()
    project.clear()


def _number(text: str) -> float:
    """'1 234,5' or '1,234.5' → 1234.5 (the panel writes the language's way)."""
    text = text.replace("\u00a0", "").replace(" ", "")
    return float(text.replace(",", ".")) if "," in text and "." not in text else float(text.replace(",", ""))


def test_empty_panel_says_what_to_do_next(plugin):
    dock = plugin.dock
    dock.on_project_read()
    assert dock.form.statusLabel.text() == "Choose element layers and press Run check."
    assert dock.findings.empty_label.text() == (
        "No findings yet. Choose element layers and press Run check on the Check tab."
    )
    assert not dock.findings.empty_label.isHidden() and dock.form.findingsView.isHidden()
    legend = dock.findings.legend
    for letter, colour in SEVERITY_COLOURS.items():
        assert colour in legend.text() and f"{letter} – " in legend.text()
    assert "could not be checked" in legend.toolTip() and "not “no conflict”" in legend.toolTip()


def test_table_columns_units_and_class_explanations_after_a_run(plugin, shared_data, tmp_path):
    folder = tmp_path / "data åäö"
    folder.mkdir()
    areas, kultur, parks = orebro_layers(shared_data, folder)
    QgsProject.instance().addMapLayers([areas, kultur, parks])
    dock = plugin.dock
    dock.set_layers([areas], [kultur, parks])
    run_and_wait(dock)
    model = dock.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(7)]
    assert headers == ["Element", "Interest", "Class", "Nature", "Agency", "Distance / overlap", "Position"]
    assert "B – riksintresse overlapped" in model.headerData(
        2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert dock.findings.empty_label.isHidden() and not dock.form.findingsView.isHidden()

    dock.form.findingsView.sortByColumn(model.column("severity"), Qt.SortOrder.AscendingOrder)
    proxy = dock.proxy
    row = proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    assert proxy.index(0, model.column("severity")).data() == "A"
    assert proxy.index(0, model.column("element")).data() == row["element_name"]
    assert (
        proxy.index(0, model.column("interest"))
        .data()
        .startswith(f"{row['rule_name']}: {row['feature_name']}")
    )
    assert proxy.index(0, model.column("agency")).data() == row["agency"]
    assert row["nature"] in ("conflict", "agreement", "information")
    assert proxy.index(0, model.column("nature")).data() == row["nature"]  # English labels are the values
    tooltip = proxy.index(0, model.column("severity")).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("A – strong protection overlapped\n") and "permit" in tooltip
    assert (
        proxy.index(0, model.column("severity")).data(Qt.ItemDataRole.BackgroundRole).color().name()
        == (SEVERITY_COLOURS["A"])
    )

    # The overlap, measured independently: the element and the park's polygon intersected in SWEREF 99 TM.
    element = areas.getFeature(row["element_fid"]).geometry()
    park = next(
        parks.getFeatures(QgsFeatureRequest().setFilterExpression(f"\"NAMN\" = '{row['feature_name']}'"))
    )
    park_geometry = park.geometry()
    park_geometry.transform(
        QgsCoordinateTransform(parks.crs(), QgsCoordinateReferenceSystem("EPSG:3006"), QgsProject.instance())
    )
    expected_m2 = element.intersection(park_geometry).area()
    text = proxy.index(0, model.column("measure")).data()
    value, unit = re.fullmatch(r"(.+)\u00a0(ha|km²) overlap", text).groups()
    assert unit == ("km²" if expected_m2 >= 1e6 else "ha")
    scale = 1e6 if unit == "km²" else 1e4
    decimals = len(re.split("[,.]", value)[-1]) if re.search("[,.]", value) else 0
    assert _number(value) * scale == pytest.approx(expected_m2, abs=0.5 * 10**-decimals * scale)
