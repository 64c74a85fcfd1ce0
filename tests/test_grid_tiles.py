"""The SCB grid in tiles (core/grid_tiles.py) written straight into a GeoPackage (qgis_io/grid_gpkg.py).

Expected shares come from shapely's general overlay (intersection of each cell with the
dissolved sector inside the study area) on the same real data, never from the plugin's
rectangle clipping; the GeoPackage is checked by SQLite's own rtreecheck and by GDAL.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import shapely

REPO = Path(__file__).resolve().parent.parent
SIZE = 250.0
STUDY_CODES = ("1814", "1880")  # Lekeberg and Örebro: two neighbouring kommuner


def _ogr_geometries(path, layer_name=None, where=None):
    from osgeo import ogr

    dataset = ogr.Open(str(path))
    layer = dataset.GetLayerByName(layer_name) if layer_name else dataset.GetLayer(0)
    if where:
        layer.SetAttributeFilter(where)
    return np.array([shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb())) for f in layer], dtype=object)


def _synthetic_areas(study):
    """Overlapping irregular areas across the study area (many cross a tile edge)."""
    rng = np.random.default_rng(19)
    xmin, ymin, xmax, ymax = study.bounds
    centres = np.c_[rng.uniform(xmin, xmax, 60), rng.uniform(ymin, ymax, 60)]
    areas = []
    for x, y in centres:
        angles = np.sort(rng.uniform(0, 2 * np.pi, 40))
        radii = rng.uniform(1500, 6000) * rng.uniform(0.6, 1.0, 40)
        areas.append(shapely.Polygon(np.c_[x + radii * np.cos(angles), y + radii * np.sin(angles)]))
    return areas


def _memory_polygons(name, geometries):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:3006", name, "memory")
    features = []
    for geometry in geometries:
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromWkt(geometry.wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _exact_shares(cells, study, sector_geometries):
    """area(cell ∩ study ∩ union(sector)) / area(cell), by shapely's general overlay, per cell."""
    union = shapely.intersection(shapely.union_all(sector_geometries), study)
    # Cut the union into 8 km blocks first (general overlay too), so each cell meets a small piece.
    block = 8000.0
    bx, by = (
        np.floor(shapely.get_x(shapely.centroid(cells)) / block),
        np.floor(shapely.get_y(shapely.centroid(cells)) / block),
    )
    shares = np.zeros(len(cells))
    for key in set(zip(bx.tolist(), by.tolist())):
        chosen = (bx == key[0]) & (by == key[1])
        piece = shapely.intersection(
            union, shapely.box(key[0] * block, key[1] * block, (key[0] + 1) * block, (key[1] + 1) * block)
        )
        shares[chosen] = shapely.area(shapely.intersection(cells[chosen], piece)) / (SIZE * SIZE)
    return shares


@pytest.fixture(scope="module")
def sample(shared_data, rus_provider_module):
    """Two kommuner at 250 m, 3 sectors, tiles of 32 × 32 cells; the exact overlay beside it."""
    kommuner = shared_data / "kommuner.gpkg"
    where = "code IN ({})".format(", ".join(f"'{c}'" for c in STUDY_CODES))
    study = shapely.union_all(_ogr_geometries(kommuner, "kommuner", where))
    county = _ogr_geometries(kommuner, "kommuner", "code LIKE '18%'")
    culture = _ogr_geometries(shared_data / "riksintressen_kulturmiljo.gpkg")
    areas = _synthetic_areas(study)
    xmin, ymin, xmax, ymax = study.bounds
    ix = np.arange(np.floor(xmin / SIZE), np.ceil(xmax / SIZE))
    iy = np.arange(np.floor(ymin / SIZE), np.ceil(ymax / SIZE))
    gx, gy = np.meshgrid(ix, iy)
    boxes = shapely.box(
        gx.ravel() * SIZE, gy.ravel() * SIZE, (gx.ravel() + 1) * SIZE, (gy.ravel() + 1) * SIZE
    )
    shapely.prepare(study)
    boxes = boxes[shapely.intersects(study, boxes)]
    inside = shapely.intersection(boxes, study)
    keep = shapely.area(inside) > 0
    boxes, inside = boxes[keep], inside[keep]
    corners = shapely.bounds(boxes)
    ids = [f"{int(x):06d}{int(y):07d}" for x, y in corners[:, :2].tolist()]
    expected = {
        "cell_area": dict(zip(ids, shapely.area(inside))),
        "kultur_share": dict(zip(ids, _exact_shares(boxes, study, culture))),
        "ytor_share": dict(zip(ids, _exact_shares(boxes, study, areas))),
        "lan_share": dict(zip(ids, _exact_shares(boxes, study, county))),
    }
    return {
        "layers": (culture, areas, county),
        "uris": (kommuner, where, shared_data),
        "expected": expected,
    }


def _run(sample, output, tmp_path, monkeypatch):
    import processing
    from qgis.core import QgsVectorLayer

    from rus_planner.rus_planner.core import grid_tiles

    monkeypatch.setattr(grid_tiles, "TILE_CELLS", 32)  # 8 km tiles: many tile edges in the sample
    kommuner, where, shared_data = sample["uris"]
    extent = QgsVectorLayer(f"{kommuner}|layername=kommuner", "kommuner", "ogr")
    extent.setSubsetString(where.replace("code", '"code"'))
    culture = QgsVectorLayer(str(shared_data / "riksintressen_kulturmiljo.gpkg"), "kultur", "ogr")
    county = QgsVectorLayer(f"{kommuner}|layername=kommuner", "lan", "ogr")
    county.setSubsetString("\"code\" LIKE '18%'")
    areas = _memory_polygons("ytor", sample["layers"][1])
    return processing.run(
        "rusplanner:gridoverlay",
        {"SECTORS": [culture, areas, county], "CELL_SIZE": SIZE, "EXTENT_LAYER": extent, "OUTPUT": output},
    )


def _values(layer_source):
    from qgis.core import QgsVectorLayer

    layer = layer_source if not isinstance(layer_source, str) else QgsVectorLayer(layer_source, "out", "ogr")
    assert layer.isValid()
    names = layer.fields().names()
    return {f["rutid_scb"]: dict(zip(names, f.attributes())) for f in layer.getFeatures()}


@pytest.mark.parametrize("target", ["gpkg", "memory"])
def test_tiles_give_the_exact_overlay_shares(sample, tmp_path, monkeypatch, target):
    """Both outputs (GeoPackage written directly, memory layer through the sink) hold exactly the
    study area's cells, with shares equal to shapely's exact overlay to 1e-9."""
    output = str(tmp_path / "rutnät.gpkg") if target == "gpkg" else "memory:"
    result = _run(sample, output, tmp_path, monkeypatch)
    if target == "gpkg":
        assert result["OUTPUT"] == output
    got = _values(result["OUTPUT"])
    expected = sample["expected"]
    assert set(got) == set(expected["cell_area"])
    assert result["CELL_COUNT"] == len(got)
    for field in ("kultur_share", "ytor_share", "lan_share"):
        worst = max(abs(got[k][field] - v) for k, v in expected[field].items())
        assert worst < 1e-9, field
        assert sum(v > 0 for v in expected[field].values()) > 1000  # a real test: many covered cells
    worst = max(abs(got[k]["cell_area"] - v) for k, v in expected["cell_area"].items())
    assert worst < 1e-6  # written rounded to 1e-6 m²
    if target == "gpkg":
        assert [p.name for p in tmp_path.iterdir()] == ["rutnät.gpkg"]  # nothing staged left beside it
        database = sqlite3.connect(output)
        try:
            assert database.execute("SELECT rtreecheck('rtree_rutnät_geom')").fetchone() == ("ok",)
            assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            database.close()
        _gdal_agrees(output, got)


def _gdal_agrees(path, cells):
    """GDAL reads the file as a GeoPackage: count, extent and its R-tree answer a window query."""
    from osgeo import ogr

    dataset = ogr.Open(path)
    layer = dataset.GetLayer(0)
    assert layer.GetFeatureCount() == len(cells)
    assert layer.GetGeomType() == ogr.wkbPolygon
    some = sorted(cells)[len(cells) // 2]
    x, y = int(some[:6]), int(some[6:])
    layer.SetSpatialFilterRect(x + 1, y + 1, x + 2, y + 2)
    assert [f["rutid_scb"] for f in layer] == [some]
    layer.SetSpatialFilter(None)
    feature = next(iter(layer))
    geometry = shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToWkb()))
    x, y = int(feature["rutid_scb"][:6]), int(feature["rutid_scb"][6:])
    assert shapely.equals(geometry, shapely.box(x, y, x + SIZE, y + SIZE))


_MEMORY_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {plugins!r})
    import numpy as np, shapely
    from osgeo import osr
    from rus_planner.rus_planner.core.grid_tiles import TiledGrid
    from rus_planner.rus_planner.core.sectors import PreparedSector
    from rus_planner.rus_planner.qgis_io.grid_gpkg import GpkgCellWriter
    from rus_planner.rus_planner.processing.grid_writing import tile_columns

    side = float(sys.argv[1])
    rng = np.random.default_rng(5)
    discs = shapely.buffer(shapely.points(rng.uniform(0, side, (400, 2)) + 6e6), rng.uniform(200, 3000, 400))
    sectors = [PreparedSector(f"s{{i}}", "s", 1.0, "polygon", None, discs, []) for i in range(3)]
    extent = np.array([shapely.box(6e6, 6e6, 6e6 + side, 6e6 + side)], dtype=object)
    tiled = TiledGrid(sectors, 100.0, extent, tile_cells=32)
    srs = osr.SpatialReference(); srs.ImportFromEPSG(3006)
    names = ["rutid_scb", "rutid_inspire", "rutstorl", "cell_area", "s0", "s1", "s2", "n", "score", "sectors"]
    kinds = ["text", "text", "real", "real", "real", "real", "real", "integer", "real", "text"]
    writer = GpkgCellWriter(sys.argv[2], "cells", [(n, k, 0) for n, k in zip(names, kinds)], srs.ExportToWkt(), "x")
    def status(key):
        return int(next(l for l in open("/proc/self/status") if l.startswith(key)).split()[1])
    open("/proc/self/clear_refs", "w").write("5")
    before = status("VmRSS:")
    def prepare(result):
        from rus_planner.rus_planner.core.grid_cells import key_columns_rows
        ix, iy = key_columns_rows(result.keys)
        return writer.prepare(ix * 100.0, iy * 100.0, (ix + 1) * 100.0, (iy + 1) * 100.0, tile_columns(result))
    for rows in tiled.iter_results(then=prepare):
        writer.write(rows)
    writer.close()
    print(writer.count, status("VmHWM:") - before)
    """
)


def test_memory_follows_the_tile_not_the_area(tmp_path):
    """16 times the cells (16 km → 64 km square at 100 m, tiles of 32 × 32 cells) adds almost
    nothing to the peak: tiles are written as they come; a whole-area run grew by ~1 kB a cell."""
    script = tmp_path / "memory.py"
    script.write_text(_MEMORY_SCRIPT.format(plugins=str(REPO / ".build" / "plugins")), encoding="utf-8")
    peaks = {}
    for side in (16_000, 64_000):
        done = subprocess.run(
            [sys.executable, str(script), str(side), str(tmp_path / f"{side}.gpkg")],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=True,
        )
        cells, growth_kb = map(int, done.stdout.split()[-2:])
        peaks[side] = (cells, growth_kb)
    (small, small_kb), (large, large_kb) = peaks[16_000], peaks[64_000]
    assert (small, large) == (160 * 160, 640 * 640)
    # 384 000 more cells; at ~1 kB each a country-sized buffer would add ~375 MB.
    assert large_kb - small_kb < 40 * 1024, peaks


def test_cancel_stops_within_a_second_and_leaves_the_old_output(rus_provider, tmp_path):
    """A 4 million cell grid cancelled while it runs: stopped within a second, the earlier output
    byte for byte as it was, nothing staged left."""
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    output = tmp_path / "rutnät.gpkg"
    output.write_bytes(b"an earlier output")
    square = shapely.box(400_000, 6_400_000, 600_000, 6_600_000)
    rng = np.random.default_rng(3)
    discs = shapely.buffer(shapely.points(rng.uniform(400_000, 600_000, (300, 2)) + [0, 6_000_000]), 8000)
    feedback = QgsProcessingFeedback()
    cancelled_at = []

    def cancel():
        cancelled_at.append(time.perf_counter())
        feedback.cancel()

    timer = threading.Timer(2.0, cancel)
    timer.start()
    try:
        with pytest.raises(QgsProcessingException):
            processing.run(
                "rusplanner:gridoverlay",
                {
                    "SECTORS": [_memory_polygons("skivor", discs)],
                    "CELL_SIZE": 100,
                    "EXTENT_LAYER": _memory_polygons("ruta", [square]),
                    "OUTPUT": str(output),
                },
                feedback=feedback,
            )
        stopped = time.perf_counter()
    finally:
        timer.cancel()
    assert cancelled_at, "the run ended before it could be cancelled"
    assert stopped - cancelled_at[0] < 1.0
    assert output.read_bytes() == b"an earlier output"
    assert [p.name for p in tmp_path.iterdir()] == ["rutnät.gpkg"]


def test_a_geopackage_written_directly_is_loaded_and_styled(rus_provider, layer_tree_view, tmp_path):
    """Processing loads the GeoPackage written without a sink, as it loads a sink's, with its style."""
    import processing
    from qgis.core import QgsProject

    project = QgsProject.instance()
    before = set(project.mapLayers())
    discs = shapely.buffer(shapely.points([[394_500, 6_133_500], [396_100, 6_134_900]]), 700)
    output = tmp_path / "rutor.gpkg"
    result = processing.runAndLoadResults(
        "rusplanner:gridoverlay",
        {"SECTORS": [_memory_polygons("skivor", discs)], "CELL_SIZE": 250, "OUTPUT": str(output)},
    )
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    try:
        assert result["OUTPUT"] == str(output)
        assert len(added) == 1
        layer = added[0]
        assert layer.isValid() and layer.source().startswith(str(output))
        assert layer.featureCount() == result["CELL_COUNT"] > 0
        assert layer.renderer().type() == "graduatedSymbol"
        assert layer.renderer().classAttribute() == "sector_count"
    finally:
        project.removeMapLayers([layer.id() for layer in added])
