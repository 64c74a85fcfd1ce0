"""Writing results to QGIS sinks: every value and geometry arrives as given.

``write_features`` fills one feature per row and hands each distinct text over as a
QVariant made once; these tests read the written layer back through QGIS and compare
with the rows and shapely geometries that went in.
"""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

FIELDS = (("name", "str"), ("count", "int"), ("share", "float"), ("note", "str"))


def _memory_sink(geometry_type):
    from qgis.core import QgsCoordinateReferenceSystem, QgsFields, QgsMemoryProviderUtils
    from qgis.PyQt.QtCore import QMetaType

    from rus_planner.rus_planner.qgis_io.compat import qgs_field

    types = {"str": QMetaType.Type.QString, "int": QMetaType.Type.LongLong, "float": QMetaType.Type.Double}
    fields = QgsFields()
    for name, kind in FIELDS:
        fields.append(qgs_field(name, types[kind]))
    return QgsMemoryProviderUtils.createMemoryLayer(
        "written", fields, geometry_type, QgsCoordinateReferenceSystem("EPSG:3006")
    )


def _read_back(layer):
    features = list(layer.getFeatures())
    rows = [
        [None if v is None or (hasattr(v, "isNull") and v.isNull()) else v for v in f.attributes()]
        for f in features
    ]
    geometries = [
        shapely.from_wkb(bytes(f.geometry().asWkb())) if f.hasGeometry() else None for f in features
    ]
    return rows, geometries


def _rows(count: int):
    """Texts that repeat (advice), that never do (names, with å ä ö), empty text and NULLs."""
    advice = "Samråd med länsstyrelsen före remiss; skyddet gäller hela området."
    return [
        [
            f"Område {i} – Ödeshög/Älmhult",
            i * 1_000_000_007,
            i / 7 if i % 3 else None,
            advice if i % 2 else "",
        ]
        for i in range(count)
    ]


def test_values_and_geometries_arrive_as_given(qgis_app):
    from qgis.core import QgsWkbTypes

    from rus_planner.rus_planner.qgis_io.feature_writing import write_features

    count = 2_500
    polygons = [MultiPolygon([Polygon([(i, 0), (i + 1, 0), (i + 1, 1.5), (i, 1)])]) for i in range(count)]
    geometries = shapely.from_wkb(shapely.to_wkb(polygons))
    rows = _rows(count)
    layer = _memory_sink(QgsWkbTypes.Type.MultiPolygon)
    assert write_features(layer.dataProvider(), geometries, (list(r) for r in rows)) == count
    written, shapes = _read_back(layer)
    assert written == rows
    assert all(a.equals_exact(b, 0) for a, b in zip(shapes, polygons))
    assert sum(shapely.area(shapes)) == pytest.approx(count * 1.25)


def test_texts_kept_or_forgotten_give_the_same_layer(qgis_app, monkeypatch):
    """The QVariant cache is bounded; clearing it midway changes nothing in the output."""
    from qgis.core import QgsWkbTypes

    from rus_planner.rus_planner.qgis_io import feature_writing

    lines = shapely.from_wkb(shapely.to_wkb([LineString([(0, i), (i + 1, i)]) for i in range(300)]))
    rows = _rows(300)
    kept = _memory_sink(QgsWkbTypes.Type.LineString)
    feature_writing.write_features(kept.dataProvider(), lines, rows)
    monkeypatch.setattr(feature_writing, "_TEXTS_KEPT", 2)
    forgotten = _memory_sink(QgsWkbTypes.Type.LineString)
    feature_writing.write_features(forgotten.dataProvider(), lines, rows)
    assert _read_back(kept)[0] == _read_back(forgotten)[0] == rows
    assert [g.length for g in _read_back(forgotten)[1]] == pytest.approx([i + 1.0 for i in range(300)])


def test_missing_geometry_is_written_without_one(qgis_app):
    from qgis.core import QgsWkbTypes

    from rus_planner.rus_planner.qgis_io.feature_writing import write_features

    geometries = shapely.from_wkb([shapely.to_wkb(Polygon([(0, 0), (1, 0), (1, 1)])), None, None])
    layer = _memory_sink(QgsWkbTypes.Type.Polygon)
    write_features(layer.dataProvider(), geometries, _rows(3))
    _, shapes = _read_back(layer)
    assert shapes[0].area == pytest.approx(0.5)
    assert shapes[1:] == [None, None]


def test_cancelled_write_stops_at_once(qgis_app):
    from qgis.core import QgsProcessingFeedback, QgsWkbTypes

    from rus_planner.rus_planner.core.errors import Cancelled
    from rus_planner.rus_planner.qgis_io.feature_writing import write_features

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    layer = _memory_sink(QgsWkbTypes.Type.Polygon)
    polygons = shapely.from_wkb(shapely.to_wkb([Polygon([(0, 0), (1, 0), (1, 1)])] * 10))
    with pytest.raises(Cancelled):
        write_features(layer.dataProvider(), polygons, _rows(10), feedback)
    assert layer.featureCount() == 0


def test_columns_of_repeating_values_arrive_as_given(qgis_app, tmp_path):
    """write_columns shares a QVariant among values that repeat (flags, texts, big whole numbers,
    empty texts); read back through QGIS from a memory layer and through GDAL from a
    GeoPackage, every value is the one given, of its own kind (1.0 stays a float, a flag an
    integer, 3 000 000 000 does not wrap)."""
    from osgeo import ogr
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransformContext,
        QgsFields,
        QgsMemoryProviderUtils,
        QgsVectorFileWriter,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QMetaType

    from rus_planner.rus_planner.qgis_io.compat import qgs_field
    from rus_planner.rus_planner.qgis_io.feature_writing import write_columns

    count = 4_500  # more than two of the writer's chunks
    columns = [
        [i % 2 for i in range(count)],  # a flag
        [3_000_000_000 + i % 3 for i in range(count)],  # repeating, beyond 32 bits
        [1.0 if i % 4 else None for i in range(count)],  # a float equal to an integer, and NULL
        ["" if i % 3 else f"kultur:{i % 5}" for i in range(count)],  # empty texts and repeats
        [f"Område {i} – Åre" for i in range(count)],  # texts that never repeat
    ]
    types = [QMetaType.Type.Int, QMetaType.Type.LongLong, QMetaType.Type.Double]
    types += [QMetaType.Type.QString] * 2
    fields = QgsFields()
    for index, kind in enumerate(types):
        fields.append(qgs_field(f"c{index}", kind))
    squares = shapely.box(range(count), 0, [x + 1 for x in range(count)], 1)
    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    layer = QgsMemoryProviderUtils.createMemoryLayer("columns", fields, QgsWkbTypes.Type.Polygon, crs)
    assert write_columns(layer.dataProvider(), squares, columns) == count
    rows, shapes = _read_back(layer)
    assert rows == [list(row) for row in zip(*columns)]
    assert [type(v) for v in rows[1][:3]] == [int, int, float]
    assert shapely.equals_exact(shapes, squares, 0).all()

    path = tmp_path / "columns.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    writer = QgsVectorFileWriter.create(
        str(path), fields, QgsWkbTypes.Type.Polygon, crs, QgsCoordinateTransformContext(), options
    )
    assert write_columns(writer, squares, columns) == count
    del writer
    dataset = ogr.Open(str(path))
    table = dataset.GetLayer(0)
    read = [[f.GetField(i) for i in range(len(columns))] for f in table]
    assert read == [list(row) for row in zip(*columns)]


# --------------------------------------------------------------------------- staging removes only its own


def _shapefile(path, boxes):
    import geopandas as gpd

    gpd.GeoDataFrame({"n": list(range(len(boxes)))}, geometry=boxes, crs="EPSG:3006").to_file(
        path, engine="pyogrio"
    )


def _in_window(path, window):
    """The features GDAL returns for a spatial filter (it uses the .qix when there is one)."""
    from osgeo import ogr

    dataset = ogr.Open(str(path))
    layer = dataset.GetLayer(0)
    layer.SetSpatialFilterRect(*window)
    return sorted(feature.GetField("n") for feature in layer)


def test_a_replaced_shapefile_gets_a_fresh_index_and_an_old_one_is_never_deleted(tmp_path):
    """The old .qix beside a replaced shapefile is replaced by one written for the new data (a
    spatial filter then finds exactly what shapely finds); an index of other software (.sbn)
    stops the move, and every file stays as it was."""
    from osgeo import gdal

    from rus_planner.rus_planner.qgis_io.staging import OutputError, move_into_place, staging_folder

    target = tmp_path / "zoner.shp"
    _shapefile(target, [shapely.box(0, 0, 10, 10)])
    dataset = gdal.OpenEx(str(target), gdal.OF_VECTOR | gdal.OF_UPDATE)
    dataset.ExecuteSQL('CREATE SPATIAL INDEX ON "zoner"')
    dataset = None
    old_index = (tmp_path / "zoner.qix").read_bytes()

    new_boxes = [shapely.box(x, 0, x + 10, 10) for x in range(1000, 5000, 100)]
    staging = staging_folder(tmp_path, "test")
    _shapefile(staging / "zoner.shp", new_boxes)
    move_into_place(staging, tmp_path)
    assert (tmp_path / "zoner.qix").read_bytes() != old_index
    window = (2000, -1, 2550, 11)
    expected = [i for i, b in enumerate(new_boxes) if b.intersects(shapely.box(*window))]
    assert _in_window(target, window) == expected and len(expected) == 6
    assert not staging.exists()

    (tmp_path / "zoner.sbn").write_bytes(b"an index of other software")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    staging = staging_folder(tmp_path, "test")
    _shapefile(staging / "zoner.shp", [shapely.box(0, 0, 1, 1)])
    with pytest.raises(OutputError, match=r"zoner\.sbn.*Nothing was written"):
        move_into_place(staging, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_staging_removes_only_what_it_made_in_this_run(tmp_path):
    """A folder or file that merely looks staged (a user's, an earlier run's) is never removed."""
    from rus_planner.rus_planner.qgis_io.staging import STAGING_PREFIX, remove_staging, staging_folder

    lookalike = tmp_path / f"{STAGING_PREFIX}mina-filer"
    lookalike.mkdir()
    (lookalike / "anteckningar.txt").write_text("viktigt", encoding="utf-8")
    lookalike_file = tmp_path / f"{STAGING_PREFIX}rapport.pdf"
    lookalike_file.write_bytes(b"%PDF")
    remove_staging(lookalike)
    remove_staging(lookalike_file)
    assert (lookalike / "anteckningar.txt").read_text(encoding="utf-8") == "viktigt"
    assert lookalike_file.read_bytes() == b"%PDF"

    made = staging_folder(tmp_path, "test")
    (made / "x.gpkg").write_bytes(b"staged")
    remove_staging(made)
    assert not made.exists()


def test_a_file_is_staged_in_a_private_folder_and_only_that_folder_is_ever_removed(tmp_path):
    """atomic_file writes in a new folder of this user's alone, under the target's own name; on
    success the file replaces the target, on an error the target stays byte for byte; either way
    the folder goes, with the side files the writer left there, and a stranger's files that look
    staged stay."""
    import os
    import stat

    from rus_planner.rus_planner.qgis_io.staging import STAGING_PREFIX, atomic_file

    target = tmp_path / "resultat.gpkg"
    target.write_bytes(b"the user's earlier results")
    strangers = {
        tmp_path / f"{STAGING_PREFIX}resultat-abc123.gpkg": b"a stranger's file",
        tmp_path / "resultat.gpkg-wal": b"not ours either",
    }
    for path, data in strangers.items():
        path.write_bytes(data)

    seen = {}

    def failing_write():
        with atomic_file(target, "test") as staged:
            seen["staged"] = staged
            seen["mode"] = stat.S_IMODE(os.stat(staged.parent).st_mode)
            staged.write_bytes(b"half written")
            (staged.parent / "resultat.gpkg-shm").write_bytes(b"side file")
            raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError):
        failing_write()
    staged = seen["staged"]
    assert staged.name == "resultat.gpkg" and staged.parent.parent == tmp_path
    assert staged.parent.name.startswith(STAGING_PREFIX) and seen["mode"] == 0o700
    assert not staged.parent.exists()
    assert target.read_bytes() == b"the user's earlier results"

    with atomic_file(target, "test") as staged:
        staged.write_bytes(b"new results")
        (staged.parent / "resultat.gpkg-shm").write_bytes(b"side file")
    assert target.read_bytes() == b"new results"
    assert not staged.parent.exists()
    assert {p.name for p in tmp_path.iterdir()} == {"resultat.gpkg", *(p.name for p in strangers)}
    assert all(path.read_bytes() == data for path, data in strangers.items())
