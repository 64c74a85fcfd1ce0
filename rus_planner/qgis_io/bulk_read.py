"""Reading a GeoPackage or shapefile all at once through GDAL's Arrow interface, where that gives
exactly what QGIS would read feature by feature (several times faster; a GeoPackage's R-tree
picks the features near the elements).
"""

from __future__ import annotations

from dataclasses import dataclass

from osgeo import gdal, ogr
from qgis.core import QgsProviderRegistry

# numpy and shapely are imported in the functions that use them: QGIS loads this module when it
# starts the plugin, and the plugin must start, and name what is missing, without them
# (dependencies.py, tests/test_plugin.py).

_BULK_SUFFIXES = (".gpkg", ".shp")


@dataclass(frozen=True)
class BulkSource:
    """A file GDAL can read in bulk exactly as QGIS would: its path and layer name."""

    path: str
    layer_name: str | None


def bulk_source(source, target_crs) -> BulkSource | None:
    """The file behind a layer, when reading it with GDAL directly gives what QGIS would give.

    Only for a GeoPackage or shapefile layer already in the target CRS, with no subset
    string and no pending edits: then QGIS reads the very same WKB and feature ids from
    GDAL one feature at a time, and a bulk read gives identical geometries several times
    faster.
    """
    try:
        import shapely  # noqa: F401
        from osgeo import gdal  # noqa: F401
    except ImportError:
        return None
    if not hasattr(source, "providerType") or source.providerType() != "ogr":
        return None
    if source.subsetString() or source.isEditable() or source.sourceCrs() != target_crs:
        return None

    parts = QgsProviderRegistry.instance().decodeUri("ogr", source.source())
    path = parts.get("path") or ""
    if (
        not path.lower().endswith(_BULK_SUFFIXES)
        or parts.get("layerId") not in (None, "")
        or parts.get("subset")
    ):
        return None
    return BulkSource(path, parts.get("layerName") or None)


def read_with_gdal(bulk: BulkSource, wanted, feature_count, rect=None, near=None, near_distance=0.0):
    """All features at once through GDAL's Arrow interface (see bulk_source for when).

    It uses GDAL's own Python bindings, i.e. the GDAL QGIS runs on (a second, bundled GDAL
    in the process crashes qgis_process on exit), and only text attributes. Returns None
    whenever anything is not certain, and the caller reads through QGIS. Touches no QGIS
    object, so layers can be read side by side in threads.

    With ``near`` (a NearArea), a GeoPackage's own R-tree picks the features whose box can
    come within ``near_distance`` of it, and only those are read: elements spread over a
    whole region still cover a small part of it, and reading is most of the cost of a check.
    """
    import numpy as np
    import shapely

    path = bulk.path
    # A shapefile's texts as raw bytes, whatever GDAL's SHAPE_ENCODING: read_layer decodes
    # them with the encoding QGIS uses (LayerRead.encoding).
    options = ["ENCODING="] if path.lower().endswith(".shp") else []
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=options)
    if dataset is None:
        return None
    layer = dataset.GetLayerByName(bulk.layer_name) if bulk.layer_name else dataset.GetLayer(0)
    if layer is None or not hasattr(layer, "GetArrowStreamAsNumPy"):
        return None
    definition = layer.GetLayerDefn()
    fields = {
        definition.GetFieldDefn(i).GetName(): definition.GetFieldDefn(i)
        for i in range(definition.GetFieldCount())
    }
    if any(fields[name].GetType() != ogr.OFTString for name in wanted if name in fields):
        return None
    layer.SetIgnoredFields([name for name in fields if name not in wanted])
    fid_column = layer.GetFIDColumn() or "OGC_FID"
    # Attribute filters to read in turn; [None] is the whole layer (or the box around `near`).
    selections: list[str | None] = [None]
    candidates = None
    if near is not None:
        try:
            candidates = _rtree_candidates(dataset, layer, near, near_distance)
        except Exception:  # noqa: BLE001 - an index that cannot be used: read the usual way
            candidates = None
    if candidates is not None:
        quoted = '"' + fid_column.replace('"', '""') + '"'
        selections = [
            f"{quoted} IN ({','.join(map(str, chunk))})"
            for chunk in (
                candidates[i : i + _FIDS_PER_QUERY].tolist()
                for i in range(0, len(candidates), _FIDS_PER_QUERY)
            )
        ]
    elif rect is not None and dataset.GetDriver().ShortName != "GPKG":
        # A shapefile's own index (.qix) may spare reading what is far off. Not for a GeoPackage:
        # without a usable R-tree a filter reads everything anyway, and it would hide features
        # with no geometry that the log ought to count. A filter costs an index setup too:
        # skip it when the box holds the whole layer anyway.
        xmin, xmax, ymin, ymax = layer.GetExtent(force=0)
        if not (rect[0] <= xmin and rect[1] <= ymin and rect[2] >= xmax and rect[3] >= ymax):
            layer.SetSpatialFilterRect(*rect)
    fids, wkbs, columns = [], [], {name: [] for name in wanted}
    try:
        for selection in selections:
            if selection is not None and layer.SetAttributeFilter(selection) != 0:
                return None
            stream = layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO", "INCLUDE_FID=YES"])
            for batch in stream:
                geometry_key = next(k for k in batch if k != fid_column and k not in columns)
                fids.append(np.asarray(batch[fid_column], dtype=np.int64))
                wkbs.append(np.asarray(batch[geometry_key], dtype=object))
                for name in wanted:
                    columns[name].append(batch[name])
    except Exception:  # noqa: BLE001 - anything unusual: let QGIS read it
        return None
    fid_array = np.concatenate(fids) if fids else np.empty(0, dtype=np.int64)
    wkb_array = np.concatenate(wkbs) if wkbs else np.empty(0, dtype=object)
    if rect is None and len(fid_array) != feature_count:
        return None
    try:
        geometries = shapely.from_wkb(wkb_array)
    except Exception:  # noqa: BLE001 - a geometry shapely cannot parse (curves): QGIS reads it
        return None
    missing = shapely.is_missing(geometries)
    keep = ~missing
    # Text stays raw bytes until read_layer has dropped what it does not keep (see layers._texts).
    values = {
        name: np.concatenate(columns[name])[keep] if columns[name] else np.empty(0, dtype="S1")
        for name in wanted
    }
    return geometries[keep], fid_array[keep].tolist(), values, int(missing.sum()), 0


# Fids per attribute filter: far below SQLite's default limit on the length of a statement.
_FIDS_PER_QUERY = 20_000
# Above this share of a layer's features a plain read beats picking them one by one.
_RTREE_MAX_SHARE = 0.5


def _rtree_candidates(dataset, layer, near, distance):
    """Sorted fids of a GeoPackage layer whose R-tree box may come within the distance of ``near``.

    The GeoPackage R-tree stores every non-empty geometry's box, rounded outwards to
    single precision, so nothing that meets a box is missed. Features it does not hold
    (no geometry, empty geometry) are added, so that they are counted as skipped like in
    any other read. None when the layer has no usable R-tree, or when so many features
    qualify that reading them all is cheaper.
    """
    import numpy as np

    if dataset.GetDriver().ShortName != "GPKG" or not layer.TestCapability(ogr.OLCFastSpatialFilter):
        return None
    rtree = _quote(f"rtree_{layer.GetName()}_{layer.GetGeometryColumn()}")
    if not len(near):
        return np.empty(0, dtype=np.int64)
    # The R-tree answers the box around all of `near` itself: a region's elements against a
    # national layer read only the region's part of the index.
    xmin, ymin, xmax, ymax = near.rect(distance)
    boxes = _sql_columns(
        dataset,
        f"SELECT id, minx, maxx, miny, maxy FROM {rtree} "
        f"WHERE maxx >= {xmin!r} AND minx <= {xmax!r} AND maxy >= {ymin!r} AND miny <= {ymax!r}",
    )
    indexed = _sql_columns(dataset, f"SELECT count(*) AS n FROM {rtree}")
    if boxes is None or indexed is None:
        return None
    ids = boxes["id"].astype(np.int64)
    bounds = np.stack([boxes["minx"], boxes["miny"], boxes["maxx"], boxes["maxy"]], axis=1)
    chosen = ids[near.might_meet(bounds, distance)]
    feature_count = layer.GetFeatureCount(force=0)
    if len(chosen) > _RTREE_MAX_SHARE * max(feature_count, len(ids)):
        return None
    if feature_count != int(indexed["n"][0]):
        fid = _quote(layer.GetFIDColumn() or "fid")
        # "+ 0": a bare key column would become the result's own feature id, not a field.
        missing = _sql_columns(
            dataset,
            f"SELECT {fid} + 0 AS unindexed FROM {_quote(layer.GetName())} "
            f"WHERE {fid} NOT IN (SELECT id FROM {rtree})",
        )
        if missing is None or "unindexed" not in missing:
            return None
        chosen = np.concatenate([chosen, missing["unindexed"].astype(np.int64)])
    return np.unique(chosen)


def _quote(identifier: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def _sql_columns(dataset, statement: str) -> dict | None:
    """The columns of an SQL query on a GDAL dataset as numpy arrays; None when it fails."""
    import numpy as np

    try:
        result = dataset.ExecuteSQL(statement)
    except Exception:  # noqa: BLE001 - no such table after all: the caller reads the usual way
        return None
    if result is None:
        return None
    try:
        batches = list(result.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]))
        names = [
            result.GetLayerDefn().GetFieldDefn(i).GetName()
            for i in range(result.GetLayerDefn().GetFieldCount())
        ]
    except Exception:  # noqa: BLE001
        return None
    finally:
        dataset.ReleaseResultSet(result)
    return {name: np.concatenate([b[name] for b in batches]) if batches else np.empty(0) for name in names}
