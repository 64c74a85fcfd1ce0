"""rusplanner:sharegeopackage: one .gpkg that plain QGIS opens with every layer styled.

The package is opened the way a recipient opens it: by a separate /usr/bin/python3 with a
clean environment (no plugin path, a fresh QGIS profile, no venv), from a copy in another
folder, reading the project from the GeoPackage's project storage. Feature counts are
checked against geopandas and the findings layer, not against the package code.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import report_data
from plain_qgis import open_in_plain_qgis
from report_data import release
from standing_notice import NOTICE_ID


@pytest.fixture(scope="module")
def provider(rus_provider_module):
    return rus_provider_module


@pytest.fixture(scope="module")
def inputs(provider, shared_data, tmp_path_factory):
    """Elements, agency layers and the check's findings and summary; a sector and its overlay."""
    import processing
    from qgis.core import QgsVectorLayer

    folder = tmp_path_factory.mktemp("share_inputs")
    path = report_data.write_elements(shared_data, folder)
    elements = report_data.element_layers(path)
    agencies = report_data.agency_layers(shared_data)
    check = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": elements,
            "AGENCY_LAYERS": agencies,
            "OUTPUT": str(folder / "findings.gpkg"),
            "SUMMARY": str(folder / "summary.gpkg"),
        },
    )
    findings = QgsVectorLayer(check["OUTPUT"], "findings", "ogr")
    summary = QgsVectorLayer(check["SUMMARY"], "summary", "ogr")
    sector = QgsVectorLayer(
        f"{shared_data / 'lokal_arbetsmarknad.gpkg'}|layername=lokal_arbetsmarknad",
        "kompetens_arbetsmarknad",
        "ogr",
    )
    county = QgsVectorLayer(f"{shared_data / 'lan.gpkg'}|layername=lan", "lan", "ogr")
    county.setSubsetString("code = '18'")
    overlay = processing.run(
        "rusplanner:sectoroverlay",
        {"SECTORS": [sector], "EXTENT_LAYER": county, "OUTPUT": str(folder / "overlay.gpkg")},
    )["OUTPUT"]
    overlay = QgsVectorLayer(overlay, "overlay", "ogr")
    assert all(layer.isValid() for layer in (findings, summary, sector, overlay))
    data = {
        "elements": elements,
        "agencies": agencies,
        "findings": findings,
        "summary": summary,
        "sector": sector,
        "overlay": overlay,
        "folder": folder,
    }
    yield data
    release(data)


def share(inputs, output: Path, extract: int, margin: float = 2000.0) -> dict:
    import processing

    return processing.run(
        "rusplanner:sharegeopackage",
        {
            "ELEMENTS": inputs["elements"],
            "SECTORS": [inputs["sector"]],
            "AGENCY_LAYERS": inputs["agencies"],
            "RESULTS": [inputs["findings"], inputs["summary"], inputs["overlay"]],
            "AGENCY_EXTRACT": extract,
            "MARGIN": margin,
            "OUTPUT": str(output),
        },
    )


@pytest.fixture(scope="module")
def package(inputs, tmp_path_factory):
    """The package written in one folder, then moved (with its name) to another, as when sent."""
    written = tmp_path_factory.mktemp("share_out") / "rus_package.gpkg"
    result = share(inputs, written, extract=0)
    moved_dir = tmp_path_factory.mktemp("recipient")
    moved = moved_dir / "rus_package.gpkg"
    shutil.copy(written, moved)
    written.unlink()
    opened = open_in_plain_qgis(f"geopackage:{moved}?projectName=RUS", moved_dir / "home")
    return {"result": result, "path": moved, "opened": opened}


def test_package_opens_without_the_plugin_with_every_layer_valid_and_styled(package):
    opened = package["opened"]
    assert opened["ok"] and opened["plugins"] == []
    assert opened["crs"] == "EPSG:3006"
    layers = {layer["name"]: layer for layer in opened["layers"]}
    expected = {
        "rus_noder",
        "rus_strak",
        "rus_omraden",
        "kompetens_arbetsmarknad",
        "riksintressen_kulturmiljo",
        "nationalparker",
        # The check's outputs hold geometry collections (mixed elements): split by kind.
        "findings_points",
        "findings_lines",
        "findings_areas",
        "summary_points",
        "summary_lines",
        "summary_areas",
        "overlay",
    }
    assert expected <= set(layers)
    assert package["result"]["LAYER_COUNT"] == len(expected)
    for name in expected:
        layer = layers[name]
        assert layer["valid"], name
        # The layers live in the moved file: the project's sources are relative to it.
        assert layer["source"].startswith(str(package["path"])), layer["source"]
        assert layer["crs"] == "EPSG:3006", name
    for name in ("rus_noder", "rus_strak", "rus_omraden"):
        assert layers[name]["renderer"] == "singleSymbol" and layers[name]["symbol"] == "#1f3a5f"
        assert layers[name]["labels"] and layers[name]["group"] == "RUS elements"
    assert layers["riksintressen_kulturmiljo"]["symbol"] == "#2b8cbe"
    assert layers["nationalparker"]["symbol"] == "#31a354"
    assert layers["kompetens_arbetsmarknad"]["symbol"] == "#41ab5d"
    for kind in ("points", "lines", "areas"):
        assert layers[f"findings_{kind}"]["renderer"] == "RuleRenderer"
        assert layers[f"summary_{kind}"]["renderer"] == "RuleRenderer"
        assert layers[f"findings_{kind}"]["group"] == "Results"
    assert layers["overlay"]["renderer"] == "graduatedSymbol"


def test_package_names_profile_version_time_and_sources(package):
    from qgis.core import QgsVectorLayer

    opened = package["opened"]
    repo = Path(__file__).resolve().parent.parent
    version = next(
        line.split("=", 1)[1].strip()
        for line in (repo / "metadata.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("version=")
    )
    assert "Standardprofil Sverige" in opened["abstract"] and version in opened["abstract"]
    sources = QgsVectorLayer(f"{package['path']}|layername=rus_sources", "sources", "ogr")
    rows = {f["table_name"]: f for f in sources.getFeatures()}
    assert set(rows) >= {"rus_noder", "riksintressen_kulturmiljo", "findings_lines", "overlay"}
    assert rows["findings_lines"]["layer_name"] == "findings"
    for row in rows.values():
        assert row["profile"] == "Standardprofil Sverige" and row["plugin_version"] == version
        assert row["created"].startswith("20")
    assert "riksintressen_kulturmiljo.gpkg" in rows["riksintressen_kulturmiljo"]["source"]
    assert rows["riksintressen_kulturmiljo"]["source_date"]
    layers = {layer["name"]: layer for layer in opened["layers"]}
    assert "riksintressen_kulturmiljo.gpkg" in layers["riksintressen_kulturmiljo"]["abstract"]


def test_styles_are_stored_in_layer_styles(package):
    with sqlite3.connect(package["path"]) as db:
        styles = dict(db.execute("SELECT f_table_name, useAsDefault FROM layer_styles").fetchall())
        projects = db.execute("SELECT name FROM qgis_projects").fetchall()
    assert projects == [("RUS",)]
    for table in ("rus_noder", "rus_strak", "rus_omraden", "findings_areas", "summary_points", "overlay"):
        assert styles.get(table) == 1, table


def test_agency_extract_near_the_elements_matches_geopandas(inputs, package, shared_data):
    """Features truly intersecting the elements' extent grown by the margin (geopandas .cx)."""
    import geopandas as gpd
    import pandas as pd

    frames = []
    for name in ("rus_noder", "rus_strak", "rus_omraden"):
        frames.append(gpd.read_file(inputs["folder"] / "rus_orebro.gpkg", layer=name))
    xmin, ymin, xmax, ymax = pd.concat(frames).total_bounds
    margin = 2000.0
    kultur = gpd.read_file(shared_data / "riksintressen_kulturmiljo.gpkg")
    kultur = kultur[kultur["lanskod"] == "18"]
    parks = gpd.read_file(shared_data / "nvr_nationalparker.gpkg").to_crs(3006)
    expected = {
        "riksintressen_kulturmiljo": len(
            kultur.cx[xmin - margin : xmax + margin, ymin - margin : ymax + margin]
        ),
        "nationalparker": len(parks.cx[xmin - margin : xmax + margin, ymin - margin : ymax + margin]),
    }
    layers = {layer["name"]: layer for layer in package["opened"]["layers"]}
    for name, count in expected.items():
        assert 0 < count < {"riksintressen_kulturmiljo": 53, "nationalparker": 30}[name]
        assert layers[name]["features"] == count, name
    findings = inputs["findings"]
    for kind, geometry in (("points", "Point"), ("lines", "Line"), ("areas", "Polygon")):
        expected = sum(
            1
            for f in findings.getFeatures()
            if any(
                p.type() == {"Point": 0, "Line": 1, "Polygon": 2}[geometry]
                for p in f.geometry().asGeometryCollection()
            )
        )
        assert layers[f"findings_{kind}"]["features"] == expected > 0
    assert layers["rus_noder"]["features"] == 3


def test_only_the_features_used_keep_their_ids(inputs, tmp_path):
    from qgis.core import QgsVectorLayer

    output = tmp_path / "used.gpkg"
    share(inputs, output, extract=1)
    used: dict = {}
    for feature in inputs["findings"].getFeatures():
        if feature["rule_id"] == NOTICE_ID:  # the standing notice: no agency layer, nothing shared
            continue
        used.setdefault(feature["agency_layer"], set()).add(feature["feature_fid"])
    assert set(used) == {"riksintressen_kulturmiljo", "nationalparker"}
    for name, fids in used.items():
        table = QgsVectorLayer(f"{output}|layername={name}", name, "ogr")
        assert {f.id() for f in table.getFeatures()} == fids
        names = {f["namn"] if name == "riksintressen_kulturmiljo" else f["NAMN"] for f in table.getFeatures()}
        expected = {f["feature_name"] for f in inputs["findings"].getFeatures() if f["agency_layer"] == name}
        assert names == expected


def test_inputs_are_untouched_and_bad_input_is_named(inputs, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsVectorLayer

    watched = [*inputs["elements"], *inputs["agencies"], inputs["findings"]]

    def state():
        return [(x.subsetString(), x.featureCount(), x.selectedFeatureCount(), x.source()) for x in watched]

    before = state()
    share(inputs, tmp_path / "again.gpkg", extract=0)
    assert before == state()
    missing = QgsVectorLayer(str(tmp_path / "no_such.gpkg"), "missing", "ogr")
    with pytest.raises(QgsProcessingException):
        processing.run(
            "rusplanner:sharegeopackage",
            {"ELEMENTS": [missing], "OUTPUT": str(tmp_path / "bad.gpkg")},
        )
    with pytest.raises(QgsProcessingException, match="geographic|projected|metres|meter"):
        processing.run(
            "rusplanner:sharegeopackage",
            {"ELEMENTS": inputs["elements"], "TARGET_CRS": "EPSG:4326", "OUTPUT": str(tmp_path / "deg.gpkg")},
        )
    assert not os.path.exists(tmp_path / "bad.gpkg")


@pytest.mark.slow
def test_qgis_process_writes_a_package_plain_qgis_opens(inputs, shared_data, tmp_path):
    """The same algorithm through the real qgis_process binary (layers given as sources)."""
    from headless import run_algorithm

    elements = inputs["folder"] / "rus_orebro.gpkg"
    output = tmp_path / "headless.gpkg"
    run_algorithm(
        "rusplanner:sharegeopackage",
        ELEMENTS=f"{elements}|layername=rus_omraden",
        AGENCY_LAYERS=f"{shared_data / 'nvr_nationalparker.gpkg'}|layername=nationalparker",
        RESULTS=str(inputs["folder"] / "findings.gpkg"),
        AGENCY_EXTRACT=2,
        OUTPUT=str(output),
    )
    opened = open_in_plain_qgis(f"geopackage:{output}?projectName=RUS", tmp_path / "home")
    layers = {layer["name"]: layer for layer in opened["layers"]}
    assert opened["ok"] and all(layer["valid"] for layer in opened["layers"])
    # qgis_process names the layer after its file; the package uses the table's name.
    assert layers["nationalparker"]["features"] == 30
    assert layers["findings_areas"]["renderer"] == "RuleRenderer"


def test_a_layer_whose_coordinates_contradict_its_crs_is_refused(inputs, shared_data, tmp_path):
    """The real GeoJSON with SWEREF 99 TM coordinates but no crs member (read as WGS 84)."""
    import processing
    from qgis.core import QgsProcessingException, QgsVectorLayer

    mislabelled = QgsVectorLayer(
        str(shared_data / "kommuner_sweref99tm_no_crs_member.geojson"), "kommuner_bad", "ogr"
    )
    assert mislabelled.isValid()
    with pytest.raises(QgsProcessingException, match="kommuner_bad.*cannot be in that CRS"):
        processing.run(
            "rusplanner:sharegeopackage",
            {"ELEMENTS": inputs["elements"], "SECTORS": [mislabelled], "OUTPUT": str(tmp_path / "bad.gpkg")},
        )
    assert not (tmp_path / "bad.gpkg").exists()


def test_cancel_leaves_no_package(inputs, tmp_path):
    from qgis.core import QgsProcessingFeedback

    from rus_planner.rus_planner.core.errors import Cancelled
    from rus_planner.rus_planner.qgis_io.share import PackageLayer, write_package

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    output = tmp_path / "cancelled.gpkg"
    with pytest.raises(Cancelled):
        write_package(
            str(output),
            [PackageLayer(inputs["elements"][0], "element")],
            inputs["elements"][0].crs(),
            None,
            title="t",
            abstract="a",
            provenance={},
            group_names={},
            feedback=feedback,
        )
    assert not output.exists()
