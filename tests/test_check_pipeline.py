"""One pipeline: the Processing algorithm, the panel's background task and live mode give the
same findings on the demo region, in Swedish and in English.

The three front ends are each driven as a user drives them (processing.run with LANGUAGE, the
dock's Run button with QGIS speaking the language, live mode re-checking every element layer
after edits), and their findings are compared row by row: every field and the geometry. The
national parks' overlaps are also counted against QGIS's own spatial join.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import shapely
from panel_helpers import load_plugin, native_pairs, run_and_wait, wait_until
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QSettings

from rus_planner.rus_planner.core.check_model import FINDING_FIELDS
from rus_planner.rus_planner.core.profile_load import load_default_profile

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "orebro_lan.gpkg"

ELEMENTS = ("rus_noder", "rus_strak", "rus_omraden")
AGENCY = ("riksintressen_kulturmiljovard", "nationalparker", "naturminne")
FLOATS = {name for name, kind in FINDING_FIELDS if kind == "float"}


@pytest.fixture
def demo_layers(tmp_path):
    """The demo region's elements and agency layers, from a copy, in the project."""
    path = tmp_path / "örebro län.gpkg"
    shutil.copy(DEMO, path)
    layers = {}
    for name in ELEMENTS + AGENCY:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        assert layer.isValid(), name
        layers[name] = layer
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


@pytest.fixture
def plugin(qgis_iface, qgis_processing, rus_provider, layer_tree_view):
    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    yield plugin
    if plugin.provider is not None:
        plugin.unload()
    project.clear()


@pytest.fixture
def speaking():
    """Set the language QGIS runs in (its override setting), restored afterwards."""
    settings = QSettings()
    before = {key: settings.value(key) for key in ("locale/overrideFlag", "locale/userLocale")}

    def speak(language: str) -> None:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", {"sv": "sv_SE", "en": "en_GB"}[language])

    yield speak
    for key, value in before.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def _key(row: dict) -> tuple:
    return (row["element_id"], row["rule_id"], row["agency_layer"], row["feature_fid"] or -1)


def _comparable(row: dict, geometry) -> dict:
    values = {name: row[name] for name, _ in FINDING_FIELDS}
    for name in FLOATS:
        if values[name] is not None:
            values[name] = round(float(values[name]), 6)
    values["geometry"] = geometry
    return values


def _gpkg_geometry(blob: bytes):
    """A GeoPackage geometry blob as shapely (header: magic, version, flags, srs id, envelope)."""
    if blob is None:
        return None
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 0b111]
    return shapely.from_wkb(bytes(blob[8 + envelope :]))


def _algorithm_findings(path) -> dict:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    (table,) = connection.execute("SELECT table_name FROM gpkg_contents").fetchone()
    (column,) = connection.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchone()
    rows = [dict(row) for row in connection.execute(f'SELECT * FROM "{table}"')]
    connection.close()
    return {_key(row): _comparable(row, _gpkg_geometry(row[column])) for row in rows}


def _panel_findings(dock) -> dict:
    from rus_planner.rus_planner.ui.results import read_rows

    rows = read_rows(dock.results_layers())
    return {_key(row): _comparable(row, shapely.from_wkb(bytes(row["geometry"].asWkb()))) for row in rows}


def _assert_same(found: dict, expected: dict, front_end: str) -> None:
    assert sorted(found) == sorted(expected), front_end
    for key, row in expected.items():
        other = found[key]
        assert {k: v for k, v in other.items() if k != "geometry"} == {
            k: v for k, v in row.items() if k != "geometry"
        }, (front_end, key)
        assert shapely.get_dimensions(other["geometry"]) == shapely.get_dimensions(row["geometry"])
        assert shapely.hausdorff_distance(other["geometry"], row["geometry"]) < 1e-6, (front_end, key)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_algorithm_panel_and_live_mode_give_the_same_findings(
    plugin, demo_layers, speaking, tmp_path, language
):
    import processing

    speaking(language)
    elements = [demo_layers[name] for name in ELEMENTS]
    agency = [demo_layers[name] for name in AGENCY]

    processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": elements,
            "AGENCY_LAYERS": agency,
            "LANGUAGE": ("sv", "en").index(language),
            "OUTPUT": str(tmp_path / "findings.gpkg"),
            "SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    expected = _algorithm_findings(tmp_path / "findings.gpkg")
    # Real findings, in the language asked for, and the parks' overlaps as QGIS's join counts them.
    assert {row["severity"] for row in expected.values()} >= {"A", "B"}
    park_pairs = {
        (row["element_id"], row["feature_fid"])
        for row in expected.values()
        if row["rule_id"] == "nationalpark" and row["relation"] == "overlap"
    }
    assert len(park_pairs) == sum(native_pairs(layer, demo_layers["nationalparker"]) for layer in elements)
    park_rule = next(r for r in load_default_profile().agency_rules if r.id == "nationalpark")
    # The advice follows the nature: the park's own ("move the element") for a conflict only; the
    # visitor-economy area in Tiveden (tema besöksnäring) supports the park (domain.md §6).
    by_nature = {
        (row["nature"], row["advice"]) for row in expected.values() if row["rule_id"] == "nationalpark"
    }
    # (the demo's one park overlap is that area: tests/test_compare_drafts.py has the conflicts)
    assert {nature for nature, _ in by_nature} == {"agreement"}
    assert all(
        advice != park_rule.advice(language) and "Naturvårdsverket" in advice for _, advice in by_nature
    )

    dock = plugin.dock
    dock.set_layers(elements, agency)
    run_and_wait(dock)
    assert dock.form.statusLabel.text().startswith(f"{len(expected)} ")
    _assert_same(_panel_findings(dock), expected, "panel")

    dock.form.liveModeCheck.setChecked(True)
    for layer in elements:  # as after a commit: the whole layer is checked again
        dock.live.mark(layer.id(), None)
    dock.live.flush()
    wait_until(lambda: not dock.live.is_pending(), 30, "live mode did not finish")
    _assert_same(_panel_findings(dock), expected, "live mode")
