"""Reading agency layers fast without losing anything: the GeoPackage R-tree prefilter, the
coverage grid behind it, and the threads that read layers and check them side by side.

Every answer is checked against an independent one: bounding boxes compared with numpy
on geometries read by geopandas, and whole-layer reads through QGIS's own iterator.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from independent import boxes_meet
from shapely.geometry import Point, Polygon, box

REACH = 2_000.0  # metres: a proximity rule's distance


def _layers():
    from rus_planner.rus_planner.qgis_io import layers

    return layers


def _qgis_layer(path: str, name: str = "layer"):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, name, "ogr")
    assert layer.isValid(), path
    return layer


@pytest.fixture
def orebro_kommuner(shared_data):
    """Örebro län's 12 kommuner: elements of one region, as a RUS has them."""
    kommuner = gpd.read_file(shared_data / "kommuner.gpkg")
    in_orebro = kommuner["code"].astype(str).str.startswith("18")
    assert in_orebro.sum() == 12
    return np.asarray(kommuner[in_orebro].geometry.values, dtype=object)


# --------------------------------------------------------------------------- the coverage grid


# --------------------------------------------------------------------------- the R-tree prefilter


def test_rtree_prefilter_reads_exactly_the_features_near_the_elements(qgis_app, shared_data, orebro_kommuner):
    """Tätorter of all Sweden (real, EPSG:3006) near Örebro län's kommuner: the features kept
    are those whose box meets a kommun's box grown by the reach (numpy on geopandas' read),
    the rest of Sweden is counted as far, and the geometries equal the file's."""
    layers = _layers()
    from qgis.core import QgsCoordinateReferenceSystem

    path = str(shared_data / "tatorter.gpkg")
    source = _qgis_layer(path)
    read = layers.LayerRead(
        source,
        "tatorter",
        QgsCoordinateReferenceSystem("EPSG:3006"),
        attributes=("name",),
        near=orebro_kommuner,
        near_distance=REACH,
    )
    assert read.bulk is not None
    data = read.finish(read.fetch_bulk())

    frame = gpd.read_file(path, fid_as_index=True)
    near_bounds = shapely.bounds(orebro_kommuner)
    expected = frame.index.to_numpy()[boxes_meet(frame.geometry.bounds.to_numpy(), near_bounds, REACH)]
    assert 0 < len(expected) < len(frame) / 5
    assert sorted(data.fids.tolist()) == sorted(expected.tolist())
    by_fid = dict(zip(frame.index.tolist(), frame.geometry.values))
    assert all(shapely.equals_exact(g, by_fid[f], 0) for g, f in zip(data.geometries, data.fids.tolist()))
    assert data.stats.far == len(frame) - len(expected)
    assert data.stats.total == len(frame) == data.stats.used + data.stats.far


def test_rtree_prefilter_agrees_with_a_read_through_qgis(qgis_app, shared_data, orebro_kommuner):
    """The same features and geometries as QGIS's own iterator on the same layer."""
    layers = _layers()
    from qgis.core import QgsCoordinateReferenceSystem

    source = _qgis_layer(str(shared_data / "riksintressen_kulturmiljo.gpkg"))
    read = layers.LayerRead(
        source, "ri", QgsCoordinateReferenceSystem("EPSG:3006"), near=orebro_kommuner, near_distance=0.0
    )
    fast = read.finish(read.fetch_bulk())
    through_qgis = read.finish(read.fetch_with_qgis())
    assert fast.stats.far > 0
    assert sorted(fast.fids.tolist()) == sorted(through_qgis.fids.tolist())
    order_fast, order_qgis = np.argsort(fast.fids), np.argsort(through_qgis.fids)
    assert shapely.equals_exact(fast.geometries[order_fast], through_qgis.geometries[order_qgis], 0).all()


def _write_gpkg(path: Path, geometries, spatial_index: bool = True) -> str:
    """A GeoPackage written by GDAL (not the plugin), with or without its R-tree."""
    frame = gpd.GeoDataFrame(
        {"NAMN": [f"n{i}" for i in range(len(geometries))]}, geometry=geometries, crs="EPSG:3006"
    )
    frame.to_file(path, engine="pyogrio", layer_options={"SPATIAL_INDEX": "YES" if spatial_index else "NO"})
    return str(path)


@pytest.mark.parametrize("spatial_index", [True, False], ids=["with R-tree", "without R-tree"])
def test_features_without_geometry_far_away_are_still_counted(qgis_app, tmp_path, spatial_index):
    """The R-tree holds no empty or missing geometry: such features are read anyway, so the log
    still says they were skipped, with or without an index."""
    layers = _layers()
    from qgis.core import QgsCoordinateReferenceSystem

    x, y = 500_000, 6_500_000
    geometries = [box(x, y, x + 100, y + 100), box(x + 90_000, y, x + 90_100, y + 100), None, Polygon()]
    geometries += [box(x + 50_000 + i, y, x + 50_001 + i, y + 1) for i in range(20)]
    path = _write_gpkg(tmp_path / "skyddat.gpkg", geometries, spatial_index)
    read = layers.LayerRead(
        _qgis_layer(path),
        "skyddat",
        QgsCoordinateReferenceSystem("EPSG:3006"),
        attributes=("NAMN",),
        near=[Point(x + 50, y + 50).buffer(10)],
    )
    data = read.finish(read.fetch_bulk())
    assert data.fids.tolist() == [1]
    assert data.attributes["NAMN"] == ["n0"]
    assert (data.stats.skipped_null, data.stats.skipped_empty) == (1, 1)
    assert data.stats.far == 21
    assert data.stats.total == len(geometries)


# --------------------------------------------------------------------------- threads


def test_in_chunks_gives_the_result_of_one_call(qgis_app):
    from rus_planner.rus_planner.core.parallel import in_chunks

    rng = np.random.default_rng(7)
    centres = shapely.points(rng.uniform(0, 10_000, size=(3_000, 2)))
    a = shapely.buffer(centres, 300, quad_segs=4)
    b = shapely.buffer(shapely.points(shapely.get_x(centres) + 200, shapely.get_y(centres)), 250, quad_segs=4)
    assert shapely.equals_exact(
        in_chunks(shapely.intersection, a, b, workers=3), shapely.intersection(a, b), 0
    ).all()


def test_in_chunks_splits_only_where_the_cores_are_free(qgis_app):
    """On the caller's thread a call is split over the workers; inside a thread of
    side_by_side or run_each (the cores are busy already) it is one call, same result."""
    from rus_planner.rus_planner.core.parallel import in_chunks, run_each, side_by_side

    values = np.arange(1_000, dtype=float)
    threads_per_call = []

    def square(part):
        threads_per_call.append((threading.get_ident(), len(part)))
        return part * part

    assert (in_chunks(square, values, workers=2) == values * values).all()
    assert sorted(size for _, size in threads_per_call) == [500, 500]
    for run in (lambda f, items: list(run_each(f, items, workers=2)), None):
        threads_per_call.clear()
        if run is None:
            with side_by_side(lambda n: in_chunks(square, values + n, workers=2), range(4), 2) as futures:
                results = [f.result() for f in futures]
        else:
            results = [f.result() for f in run(lambda n: in_chunks(square, values + n, workers=2), range(4))]
        assert all((r == (values + n) ** 2).all() for n, r in enumerate(results))
        assert sorted(size for _, size in threads_per_call) == [1_000] * 4


def test_run_each_keeps_order_and_failures(qgis_app):
    from rus_planner.rus_planner.core.parallel import run_each

    def slow_square(n):
        time.sleep(0.01 * (5 - n % 5))
        if n == 3:
            raise ValueError("three")
        return n * n

    for workers in (1, 2):
        futures = run_each(slow_square, range(8), workers=workers)
        outcomes = [f.result() if f.exception() is None else str(f.exception()) for f in futures]
        assert outcomes == [0, 1, 4, "three", 16, 25, 36, 49]


@pytest.mark.parametrize("workers", [1, 2])
def test_side_by_side_gives_results_in_order_and_drops_the_rest_when_cancelled(qgis_app, workers):
    from rus_planner.rus_planner.core.parallel import side_by_side

    started = []

    def record(n):
        started.append(n)
        time.sleep(0.02)
        return -n

    with side_by_side(record, range(6), workers) as futures:
        assert [f.result() for f in futures] == [0, -1, -2, -3, -4, -5]
    started.clear()

    def cancel_after_the_first():
        with side_by_side(record, range(40), workers) as futures:
            futures[0].result()
            raise KeyboardInterrupt  # what a cancelled run raises in its place

    with pytest.raises(KeyboardInterrupt):
        cancel_after_the_first()
    assert len(started) < 40  # what had not started was dropped


def test_check_is_the_same_in_threads_as_on_one_thread(qgis_app, shared_data, orebro_kommuner, monkeypatch):
    """The layers read and checked side by side give the very findings of one thread, in the
    same order (the findings themselves are checked against shapely in test_check_elements).
    The threshold below which the check stays on one thread is lifted: these layers are small."""
    from qgis.core import QgsCoordinateReferenceSystem

    from rus_planner.rus_planner.core import check, check_model, parallel
    from rus_planner.rus_planner.core.profile_load import load_default_profile
    from rus_planner.rus_planner.qgis_io import check_read

    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    count = len(orebro_kommuner)
    elements = check_model.ElementSet(
        orebro_kommuner, ["kommuner"] * count, list(range(count)), [None] * count, ["Område"] * count
    )
    refs = []
    for name in ("riksintressen_kulturmiljo", "tatorter", "kommuner", "lan"):
        path = str(shared_data / f"{name}.gpkg")
        refs.append(check_model.LayerRef(name, path, _qgis_layer(path, name)))
    monkeypatch.setattr(check, "_THREADED_WORK", 0)
    results = {}
    for workers, deferred in ((1, False), (2, False), (1, True), (2, True)):
        monkeypatch.setattr(parallel, "WORKERS", workers)
        layers, warnings = check_read.prepare_agency_layers(
            refs, load_default_profile(), crs, elements=elements, defer_bulk=deferred
        )
        assert all(layer.pending for layer in layers) == deferred
        result = check_read.check_elements(elements, layers)
        results[workers, deferred] = result, sorted(warnings + result.warnings)
    serial, serial_warnings = results[1, False]
    assert serial.finding_count > 50
    for other, other_warnings in results.values():
        assert serial.finding_rows() == other.finding_rows()
        assert shapely.equals_exact(serial.finding_geometries, other.finding_geometries, 0).all()
        assert serial.summary_rows() == other.summary_rows()
        assert serial_warnings == other_warnings


def _deferred_check(shared_data, orebro_kommuner):
    from qgis.core import QgsCoordinateReferenceSystem

    from rus_planner.rus_planner.core import check_model
    from rus_planner.rus_planner.core.profile_load import load_default_profile
    from rus_planner.rus_planner.qgis_io import check_read

    count = len(orebro_kommuner)
    elements = check_model.ElementSet(
        orebro_kommuner, ["kommuner"] * count, list(range(count)), [None] * count, ["Område"] * count
    )
    path = str(shared_data / "riksintressen_kulturmiljo.gpkg")
    refs = [
        check_model.LayerRef(
            "riksintressen_kulturmiljo", path, _qgis_layer(path, "riksintressen_kulturmiljo")
        )
    ]
    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    layers, _ = check_read.prepare_agency_layers(
        refs, load_default_profile(), crs, elements=elements, defer_bulk=True
    )
    return check_read.check_elements(elements, layers)


def test_a_deferred_file_gdal_cannot_read_is_read_through_qgis(
    qgis_app, shared_data, orebro_kommuner, monkeypatch
):
    """GDAL gives up on the file after all (None): QGIS reads it on the calling thread, same findings."""
    from rus_planner.rus_planner.qgis_io import check_read

    expected = _deferred_check(shared_data, orebro_kommuner)
    monkeypatch.setattr(check_read, "read_in_bulk", lambda read: None)
    through_qgis = _deferred_check(shared_data, orebro_kommuner)
    assert expected.finding_count > 10
    assert through_qgis.finding_rows() == expected.finding_rows()


def test_a_deferred_file_that_fails_gives_class_d(qgis_app, shared_data, orebro_kommuner, monkeypatch):
    """Reading fails in the thread: every element gets a class D finding and a warning says why."""
    from rus_planner.rus_planner.qgis_io import check_read

    def broken(read):
        raise OSError("disk I/O error")

    monkeypatch.setattr(check_read, "read_in_bulk", broken)
    result = _deferred_check(shared_data, orebro_kommuner)
    assert result.finding_count == len(orebro_kommuner)
    assert set(result.findings["severity"]) == {"D"}
    assert all("disk I/O error" in note for note in result.findings["note"])
    assert any("riksintressen_kulturmiljo" in w and "disk I/O error" in w for w in result.warnings)


def test_threads_never_share_prepared_elements(qgis_app, orebro_kommuner):
    """Two threads borrowing the elements at once get different copies, equal to the last bit."""
    from rus_planner.rus_planner.core.check import _GeometryLoan

    loan = _GeometryLoan(orebro_kommuner, 2)
    both_in = threading.Barrier(2)
    held = []

    def borrow():
        with loan.borrow() as geometries:
            held.append(geometries)
            both_in.wait(timeout=5)

    threads = [threading.Thread(target=borrow) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = held
    assert first is not second
    assert not any(a is b for a, b in zip(first, second))
    assert shapely.equals_exact(first, second, 0).all()
