"""rusplanner:gridoverlay and core/grid.py against hand-computed cells, SCB ids and shapely.

Expected values come from hand calculation (small cases), from SCB's published id scheme
(domain.md) and from shapely/geopandas applied independently to the same real data —
never from the algorithm's own earlier output.
"""

from __future__ import annotations

import hashlib
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely

REPO = Path(__file__).resolve().parent.parent
CELL = 1e6  # m² of a 1 km cell


# --------------------------------------------------------------------------- helpers


def memory_layer(name: str, kind: str, geometries, crs: str = "EPSG:3006", fields=()):
    """A memory layer of WKT geometries (None for a null geometry) with optional fields."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
    from qgis.PyQt.QtCore import QMetaType

    from rus_planner.rus_planner.qgis_io.compat import qgs_field

    layer = QgsVectorLayer(f"{kind}?crs={crs}", name, "memory")
    provider = layer.dataProvider()
    provider.addAttributes(
        [qgs_field(n, QMetaType.Type.QString if t is str else QMetaType.Type.Double) for n, t in fields]
    )
    layer.updateFields()
    features = []
    for item in geometries:
        wkt, values = item if isinstance(item, tuple) else (item, [])
        feature = QgsFeature(layer.fields())
        if wkt is not None:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(list(values))
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    return layer


def run_grid(params, feedback=None):
    import processing
    from qgis.core import QgsProcessingContext, QgsProject

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    result = processing.run("rusplanner:gridoverlay", {"OUTPUT": "memory:", **params}, feedback=feedback)
    return result


def rows(layer) -> dict[str, dict]:
    """Features of an output layer keyed by rutid_scb (or the first field), with geometry."""
    out = {}
    for feature in layer.getFeatures():
        attributes = dict(zip(layer.fields().names(), feature.attributes()))
        attributes["_geometry"] = shapely.from_wkb(bytes(feature.geometry().asWkb()))
        key = attributes.get("rutid_scb") or feature.id()
        out[key] = attributes
    return out


def snapshot(layer):
    """Every feature's id, attributes and geometry: to show an input was not modified."""
    return [
        (f.id(), [str(a) for a in f.attributes()], f.geometry().asWkt(6) if f.hasGeometry() else None)
        for f in layer.getFeatures()
    ]


class Recorder:
    """A Processing feedback that keeps every message."""

    def __init__(self):
        from qgis.core import QgsProcessingFeedback

        self.feedback = QgsProcessingFeedback()
        self.messages: list[str] = []
        for signal in ("pushInfo", "pushWarning", "reportError", "pushDebugInfo"):
            original = getattr(self.feedback, signal)

            def wrapper(text, *args, _original=original):
                self.messages.append(text)
                return _original(text, *args)

            setattr(self.feedback, signal, wrapper)


def reference_keys(xy, size=1000.0):
    """(E, N) of the lower-left corner of the cell holding each point, computed by hand."""
    return [(math.floor(x / size) * size, math.floor(y / size) * size) for x, y in xy]


# --------------------------------------------------------------------------- (a) hand-made cells


def hand_layers():
    half = memory_layer(
        "half",
        "Polygon",
        [
            "POLYGON((394000 6133000, 394500 6133000, 394500 6134000, 394000 6134000, 394000 6133000))",
            # Inside the first square: must not be counted twice.
            "POLYGON((394000 6133000, 394500 6133000, 394500 6133500, 394000 6133500, 394000 6133000))",
        ],
    )
    quarter = memory_layer(
        "quarter",
        "Polygon",
        ["POLYGON((394500 6133500, 395000 6133500, 395000 6134000, 394500 6134000, 394500 6133500))"],
    )
    holed = memory_layer(
        "holed",
        "MultiPolygon",
        [
            "MULTIPOLYGON(((395000 6133000, 396000 6133000, 396000 6134000, 395000 6134000, 395000 6133000),"
            "(395200 6133200, 395400 6133200, 395400 6133400, 395200 6133400, 395200 6133200)))"
        ],
    )
    points = memory_layer(
        "points",
        "Point",
        [
            "POINT(394500 6133500)",
            "POINT(394100 6133100)",
            "POINT(395000 6133000)",  # on the corner: belongs to the cell whose lower-left it is
            None,  # null geometry: skipped and counted
        ],
    )
    lines = memory_layer(
        "lines",
        "LineString",
        [
            "LINESTRING(393500 6133500, 396500 6133500)",
            "LINESTRING(395000 6133500, 395500 6133500)",  # lies on the first: not counted twice
        ],
    )
    return [half, quarter, holed, points, lines]


def test_hand_made_cells_have_exact_shares_counts_and_lengths(rus_provider):
    layers = hand_layers()
    before = [snapshot(layer) for layer in layers]
    recorder = Recorder()
    result = run_grid({"SECTORS": layers, "CELL_SIZE": 1000}, recorder.feedback)
    out = rows(result["OUTPUT"])
    assert result["CELL_COUNT"] == 4
    assert set(out) == {"3930006133000", "3940006133000", "3950006133000", "3960006133000"}

    cell = out["3940006133000"]
    assert cell["half_share"] == pytest.approx(0.5, abs=1e-12)  # overlap inside the layer once
    assert cell["quarter_share"] == pytest.approx(0.25, abs=1e-12)
    assert cell["holed_share"] == 0
    assert cell["points_count"] == 2
    assert cell["lines_length_m"] == pytest.approx(1000, abs=1e-9)
    assert (cell["sector_count"], cell["score"]) == (4, 4.0)
    assert cell["sectors"] == "half,quarter,points,lines"
    assert cell["cell_area"] == pytest.approx(CELL)

    holed = out["3950006133000"]
    assert holed["holed_share"] == pytest.approx(1 - 0.04, abs=1e-12)  # 200 m × 200 m hole
    assert holed["points_count"] == 1
    assert holed["lines_length_m"] == pytest.approx(1000, abs=1e-9)  # the 500 m duplicate merged
    assert (holed["sector_count"], holed["sectors"]) == (3, "holed,points,lines")

    for key in ("3930006133000", "3960006133000"):
        assert out[key]["lines_length_m"] == pytest.approx(500, abs=1e-9)
        assert (out[key]["sector_count"], out[key]["points_count"], out[key]["half_share"]) == (1, 0, 0)
    assert any("without geometry" in m for m in recorder.messages)
    assert [snapshot(layer) for layer in layers] == before


def test_profile_weights_make_the_score(rus_provider, tmp_path):
    profile = tmp_path / "weights.yaml"
    profile.write_text(
        "name: Vikter\nsectors:\n"
        "  - id: halva\n    name_sv: Halva\n    weight: 2.5\n    layer: half\n"
        "  - id: fjardedel\n    name_sv: Fjärdedel\n    weight: 0.5\n    layer: quarter\n"
        "  - id: service\n    name_sv: Service\n    weight: 3\n    layer: points\n    buffer_m: 100\n",
        encoding="utf-8",
    )
    half, quarter, _, points, _ = hand_layers()
    out = rows(run_grid({"SECTORS": [half, quarter, points], "PROFILE": str(profile)})["OUTPUT"])
    cell = out["3940006133000"]
    assert cell["score"] == pytest.approx(2.5 + 0.5 + 3)
    # Buffered points are areas: the discs around (394500, 6133500) and (394100, 6133100) lie
    # inside the cell, the one around the corner (395000, 6133000) is split into four quarters.
    disc = shapely.Point(0, 0).buffer(100, quad_segs=16).area
    assert cell["service_share"] == pytest.approx(2.25 * disc / CELL, rel=1e-12)
    assert "service_count" not in cell
    corner = out["3950006133000"]
    assert corner["service_share"] == pytest.approx(disc / 4 / CELL, rel=1e-12)
    assert (corner["sector_count"], corner["score"]) == (1, 3.0)


# --------------------------------------------------------------------------- (b) SCB ids


def test_output_cells_are_scb_cells(rus_provider):
    layer = memory_layer("blob", "Polygon", [shapely.Point(394321, 6133777).buffer(1700).wkt])
    for size in (1000, 250):
        out = rows(run_grid({"SECTORS": [layer], "CELL_SIZE": size})["OUTPUT"])
        assert out
        for key, cell in out.items():
            xmin, ymin, xmax, ymax = cell["_geometry"].bounds
            assert (xmax - xmin, ymax - ymin) == (size, size)
            assert xmin % size == 0 and ymin % size == 0
            assert key == f"{int(xmin):06d}{int(ymin):07d}"
            assert cell["rutid_inspire"] == f"SE_CRS3006RES{size}mN{int(ymin)}E{int(xmin)}"
            assert cell["rutstorl"] == size
            assert cell["blob_share"] > 0  # without a study area only cells with a sector
        total = sum(c["blob_share"] for c in out.values()) * size * size
        assert total == pytest.approx(shapely.Point(0, 0).buffer(1700).area, rel=1e-9)


# --------------------------------------------------------------------------- (c) real data


def _county(shared_data, code="18"):
    import geopandas as gpd

    lan = gpd.read_file(shared_data / "lan.gpkg")
    return shapely.union_all(lan[lan["code"] == code].geometry.values)


_OREBRO: dict = {}


@pytest.fixture
def orebro_run(rus_provider, shared_data):
    """One run over Örebro län, shared by the tests that read it (rus_provider is per test)."""
    from qgis.core import QgsVectorLayer

    if _OREBRO:
        return _OREBRO["run"]

    def load(path, layer, name):
        loaded = QgsVectorLayer(f"{shared_data / path}|layername={layer}", name, "ogr")
        assert loaded.isValid(), path
        return loaded

    extent = load("lan.gpkg", "lan", "lan")
    extent.setSubsetString("\"code\" = '18'")
    sectors = [
        load("riksintressen_kulturmiljo.gpkg", "riksintressen_kulturmiljo", "kultur"),
        load("nvr_nationalparker.gpkg", "nationalparker", "nationalparker"),
        load("nvr_naturminne.gpkg", "naturminne_polygon", "naturminne"),
        load("tatorter.gpkg", "tatorter", "tatorter"),
    ]
    used = (
        "lan.gpkg",
        "riksintressen_kulturmiljo.gpkg",
        "nvr_nationalparker.gpkg",
        "nvr_naturminne.gpkg",
        "tatorter.gpkg",
    )
    digests = {p: hashlib.sha256((shared_data / p).read_bytes()).hexdigest() for p in used}
    result = run_grid({"SECTORS": sectors, "EXTENT_LAYER": extent, "CELL_SIZE": 1000})
    _OREBRO["run"] = (result, rows(result["OUTPUT"]), digests)
    return _OREBRO["run"]


def test_real_data_areas_equal_shapely_on_the_dissolved_sectors(orebro_run, shared_data):
    import geopandas as gpd

    _, out, _ = orebro_run
    county = _county(shared_data)
    files = {
        "kultur": ("riksintressen_kulturmiljo.gpkg", None),
        "nationalparker": ("nvr_nationalparker.gpkg", None),
        "naturminne": ("nvr_naturminne.gpkg", "naturminne_polygon"),
    }
    cells = list(out.values())
    # Every cell meets the county, and every cell of the county is there (no holes).
    grid_cells = shapely.union_all([c["_geometry"] for c in cells])
    assert shapely.difference(county, grid_cells).area == pytest.approx(0, abs=1e-3)
    assert all(c["_geometry"].intersection(county).area > 0 for c in cells[:: max(len(cells) // 300, 1)])
    assert sum(c["cell_area"] for c in cells) == pytest.approx(county.area, rel=1e-9)
    rng = np.random.default_rng(18)
    for name, (path, layer) in files.items():
        frame = gpd.read_file(shared_data / path, layer=layer).to_crs("EPSG:3006")
        dissolved = shapely.union_all(shapely.make_valid(frame.geometry.values)).intersection(county)
        covered = sum(c[f"{name}_share"] for c in cells) * CELL
        assert dissolved.area > 5e4  # naturminnen are small: about 0.1 km² in the county
        assert covered == pytest.approx(dissolved.area, rel=1e-6), name
        with_sector = [c for c in cells if c[f"{name}_share"] > 0]
        sample = [
            with_sector[i] for i in rng.choice(len(with_sector), min(60, len(with_sector)), replace=False)
        ]
        sample += [cells[i] for i in rng.choice(len(cells), 60, replace=False)]
        for cell in sample:
            expected = cell["_geometry"].intersection(dissolved).area / CELL
            assert cell[f"{name}_share"] == pytest.approx(expected, abs=1e-9), (name, cell["rutid_scb"])


def test_real_data_point_counts_equal_an_independent_count(orebro_run, shared_data):
    import geopandas as gpd

    _, out, _ = orebro_run
    county = _county(shared_data)
    points = gpd.read_file(shared_data / "tatorter.gpkg").geometry
    inside = [(p.x, p.y) for p in points if county.covers(p)]
    expected: dict[str, int] = {}
    for x, y in reference_keys(inside):
        key = f"{int(x):06d}{int(y):07d}"
        expected[key] = expected.get(key, 0) + 1
    got = {key: c["tatorter_count"] for key, c in out.items() if c["tatorter_count"]}
    assert got == expected
    assert sum(got.values()) == len(inside) > 20
    present = [c for c in out.values() if c["sector_count"]]
    for cell in present[:: max(len(present) // 200, 1)]:
        flags = [
            cell["kultur_share"] > 0,
            cell["nationalparker_share"] > 0,
            cell["naturminne_share"] > 0,
            cell["tatorter_count"] > 0,
        ]
        assert cell["sector_count"] == sum(flags) == cell["score"]


def test_real_data_inputs_unchanged(orebro_run, shared_data):
    _, _, digests = orebro_run
    for path, digest in digests.items():
        assert hashlib.sha256((shared_data / path).read_bytes()).hexdigest() == digest


# --------------------------------------------------------------------------- (d) grid layer, extent, bad input


def test_existing_grid_layer_keeps_its_cells_and_fields(rus_provider):
    # A population-grid-like layer: 500 m cells offset by 250 m, so not SCB-aligned.
    cells, features = [], []
    for i in range(4):
        for j in range(3):
            x, y = 394250 + 500 * i, 6133250 + 500 * j
            cell = shapely.box(x, y, x + 500, y + 500)
            cells.append(cell)
            features.append((cell.wkt, [f"{x}{y}", float(10 * i + j)]))
    grid = memory_layer("befolkning", "Polygon", features, fields=[("rutid_scb", str), ("beftotalt", float)])
    disc = shapely.Point(395000, 6133800).buffer(600)
    square = shapely.box(394600, 6133300, 395300, 6133900)  # overlaps the disc: counted once
    sector_geometry = disc.union(square)
    sector = memory_layer("omrade", "Polygon", [disc.wkt, square.wkt])
    stations = memory_layer("stationer", "Point", ["POINT(394750 6133750)", "POINT(394300 6133300)"])
    before = snapshot(grid)
    out = run_grid({"SECTORS": [sector, stations], "GRID_LAYER": grid, "CELL_SIZE": 7})["OUTPUT"]
    names = out.fields().names()
    assert names[:2] == ["rutid_scb", "beftotalt"] and "omrade_share" in names
    got = {f["rutid_scb"]: f for f in out.getFeatures()}
    assert len(got) == 12
    for (_, (ident, population)), cell in zip(features, cells):
        feature = got[ident]
        assert feature["beftotalt"] == population
        assert shapely.from_wkb(bytes(feature.geometry().asWkb())).equals(cell)
        expected = cell.intersection(sector_geometry).area / cell.area
        assert feature["omrade_share"] == pytest.approx(expected, abs=1e-12)
    # (394750, 6133750) is a corner of four cells: counted once, in one of them.
    assert sum(f["stationer_count"] for f in got.values()) == 2
    assert snapshot(grid) == before


def test_extent_limits_the_cells_and_clips_the_sectors(rus_provider):
    sector = memory_layer(
        "stort", "Polygon", ["POLYGON((390000 6130000, 400000 6130000, 400000 6140000, 390000 6130000))"]
    )
    study = shapely.Polygon([(394200, 6133000), (396000, 6133000), (396000, 6134500), (394200, 6134500)])
    extent = memory_layer("studie", "Polygon", [study.wkt])
    out = rows(run_grid({"SECTORS": [sector], "EXTENT_LAYER": extent})["OUTPUT"])
    assert set(out) == {"3940006133000", "3950006133000", "3940006134000", "3950006134000"}
    triangle = shapely.Polygon([(390000, 6130000), (400000, 6130000), (400000, 6140000)])
    for cell in out.values():
        inside = cell["_geometry"].intersection(study)
        assert cell["cell_area"] == pytest.approx(inside.area)
        assert cell["stort_share"] == pytest.approx(inside.intersection(triangle).area / CELL, abs=1e-12)
    assert out["3940006134000"]["cell_area"] == pytest.approx(800 * 500)


def test_bad_input_is_explained(rus_provider, shared_data):
    from qgis.core import QgsProcessingException, QgsVectorLayer

    no_crs = QgsVectorLayer(
        str(shared_data / "kommuner_sweref99tm_no_crs_member.geojson"), "kommuner_no_crs", "ogr"
    )
    assert no_crs.isValid()
    with pytest.raises(QgsProcessingException, match="cannot be in that CRS"):
        run_grid({"SECTORS": [no_crs]})
    square = memory_layer("ruta", "Polygon", ["POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"])
    with pytest.raises(QgsProcessingException, match="geographic"):
        run_grid({"SECTORS": [square], "TARGET_CRS": "EPSG:4326"})
    with pytest.raises(QgsProcessingException, match="cells"):
        run_grid({"SECTORS": [hand_layers()[2]], "CELL_SIZE": 0.1, "EXTENT_LAYER": _big_extent()})
    empty = memory_layer(
        "tomma",
        "Polygon",
        [None, "POLYGON EMPTY", "POLYGON((394000 6133000, 394500 6133000, 394000 6133500, 394000 6133000))"],
    )
    recorder = Recorder()
    out = rows(run_grid({"SECTORS": [empty]}, recorder.feedback)["OUTPUT"])
    assert out["3940006133000"]["tomma_share"] == pytest.approx(0.125)
    assert any("1 features without geometry" in m for m in recorder.messages)
    assert any("1 features with empty geometry" in m for m in recorder.messages)


def _big_extent():
    return memory_layer(
        "sverige",
        "Polygon",
        ["POLYGON((200000 6100000, 950000 6100000, 950000 7700000, 200000 7700000, 200000 6100000))"],
    )


# --------------------------------------------------------------------------- (e) qgis_process


@pytest.mark.slow
def test_qgis_process_binary(rus_provider, shared_data, tmp_path):
    import geopandas as gpd

    output = tmp_path / "grid.gpkg"
    completed = subprocess.run(
        [
            str(REPO / "scripts" / "qgis-process"),
            "run",
            "rusplanner:gridoverlay",
            "--",
            f"SECTORS={shared_data / 'nvr_nationalparker.gpkg'}|layername=nationalparker",
            f"SECTORS={shared_data / 'tatorter.gpkg'}|layername=tatorter",
            f"EXTENT_LAYER={shared_data / 'lan.gpkg'}|layername=lan|subset=\"code\" = '18'",
            "CELL_SIZE=1000",
            f"OUTPUT={output}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    frame = gpd.read_file(output)
    county = _county(shared_data)
    parks = gpd.read_file(shared_data / "nvr_nationalparker.gpkg").to_crs("EPSG:3006")
    dissolved = shapely.union_all(parks.geometry.values).intersection(county)
    assert frame["nationalparker_share"].sum() * CELL == pytest.approx(dissolved.area, rel=1e-6)
    assert frame["tatorter_count"].sum() == sum(
        county.covers(p) for p in gpd.read_file(shared_data / "tatorter.gpkg").geometry
    )
    assert frame["cell_area"].sum() == pytest.approx(county.area, rel=1e-9)
    assert frame["rutid_scb"].str.len().eq(13).all()


def test_geopackage_output_equals_the_feature_sink(rus_provider, tmp_path):
    """A .gpkg destination (overwriting an old file) holds the same cells and values."""
    from qgis.core import QgsVectorLayer

    layers = hand_layers()
    memory = rows(run_grid({"SECTORS": layers})["OUTPUT"])
    path = tmp_path / "rutnat.gpkg"
    path.write_bytes(b"an older file that is overwritten")
    result = run_grid({"SECTORS": layers, "OUTPUT": str(path)})
    assert result["OUTPUT"] == str(path)
    written = QgsVectorLayer(str(path), "rutnat", "ogr")
    assert written.isValid() and written.crs().authid() == "EPSG:3006"
    on_disk = rows(written)
    assert set(on_disk) == set(memory)
    for key, cell in memory.items():
        other = on_disk[key]
        assert other["_geometry"].equals(cell["_geometry"])
        for name, value in cell.items():
            if name not in ("_geometry", "fid"):
                assert (
                    other[name] == pytest.approx(value) if isinstance(value, float) else other[name] == value
                )


def test_works_in_a_graphical_model(rus_provider, tmp_path):
    """gridoverlay as a model step whose output feeds a native algorithm."""
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterMultipleLayers,
        QgsVectorLayer,
    )

    model = QgsProcessingModelAlgorithm("grid model", "tests")
    model.addModelParameter(
        QgsProcessingParameterMultipleLayers("sectors", "Sectors"), QgsProcessingModelParameter("sectors")
    )
    grid = QgsProcessingModelChildAlgorithm("rusplanner:gridoverlay")
    grid.setChildId("grid")
    grid.addParameterSources(
        "SECTORS", [QgsProcessingModelChildParameterSource.fromModelParameter("sectors")]
    )
    grid.addParameterSources("CELL_SIZE", [QgsProcessingModelChildParameterSource.fromStaticValue(1000)])
    model.addChildAlgorithm(grid)
    extract = QgsProcessingModelChildAlgorithm("native:extractbyattribute")
    extract.setChildId("extract")
    extract.addParameterSources(
        "INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("grid", "OUTPUT")]
    )
    extract.addParameterSources(
        "FIELD", [QgsProcessingModelChildParameterSource.fromStaticValue("sector_count")]
    )
    extract.addParameterSources("OPERATOR", [QgsProcessingModelChildParameterSource.fromStaticValue(3)])  # >=
    extract.addParameterSources("VALUE", [QgsProcessingModelChildParameterSource.fromStaticValue("3")])
    output = QgsProcessingModelOutput("busy", "Busy cells")
    output.setChildId("extract")
    output.setChildOutputName("OUTPUT")
    extract.setModelOutputs({"busy": output})
    model.addChildAlgorithm(extract)
    model.updateDestinationParameters()
    # QGIS 3.22 names the model's output "extract:busy"; 3.3x+ names a model made in code after the
    # output's description: ask the model, as the modeller's dialog does.
    (busy_output,) = [p.name() for p in model.destinationParameterDefinitions()]
    result = processing.run(model, {"sectors": hand_layers(), busy_output: str(tmp_path / "busy.gpkg")})
    busy = QgsVectorLayer(result[busy_output], "busy", "ogr")
    assert sorted(f["rutid_scb"] for f in busy.getFeatures()) == ["3940006133000", "3950006133000"]


def test_loaded_output_is_styled_by_sector_count(rus_provider, layer_tree_view):
    """The post-processor styles the loaded grid; the algorithm itself never touches the project."""
    import processing
    from qgis.core import QgsProject

    project = QgsProject.instance()
    before = set(project.mapLayers())
    layers = hand_layers()
    processing.runAndLoadResults("rusplanner:gridoverlay", {"SECTORS": layers, "OUTPUT": "TEMPORARY_OUTPUT"})
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    try:
        assert len(added) == 1
        renderer = added[0].renderer()
        assert renderer.type() == "graduatedSymbol"
        assert renderer.classAttribute() == "sector_count"
        assert [(r.lowerValue(), r.upperValue()) for r in renderer.ranges()] == [
            (n - 0.5, n + 0.5) for n in range(len(layers) + 1)
        ]
    finally:
        project.removeMapLayers([layer.id() for layer in added])
