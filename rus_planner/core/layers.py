"""Reading QGIS feature sources into the core's shapely arrays, and writing results back.

This is the one bridge between QGIS and the vectorised core: reprojection through
QGIS's own transform (so areas agree with QGIS native algorithms), CRS sanity checks,
repair of invalid geometries and counts of what was skipped, all reported in the
user's terms. Input layers are only read, never modified.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)

from ..i18n import tr
from .errors import RusPlannerError

GEOMETRY_KINDS = {
    QgsWkbTypes.PointGeometry: "point",
    QgsWkbTypes.LineGeometry: "line",
    QgsWkbTypes.PolygonGeometry: "polygon",
}


class LayerError(RusPlannerError):
    """A layer cannot be used as it is (no CRS, wrong CRS, not loaded...)."""


class Cancelled(RusPlannerError):
    """The user cancelled the run."""

    def __init__(self):
        super().__init__(tr("The run was cancelled; nothing was written."))


@dataclass
class ReadStats:
    """What happened to a layer's features on the way in."""

    total: int = 0
    used: int = 0
    repaired: int = 0
    skipped_null: int = 0
    skipped_empty: int = 0
    skipped_unrepairable: int = 0
    curved: int = 0
    far: int = 0  # left out because they cannot touch the area of interest (read_layer's near=)


@dataclass
class LayerData:
    """A layer's geometries (shapely, in the target CRS) with feature ids and chosen attributes."""

    name: str
    source: str
    kind: str  # point / line / polygon
    geometries: object  # numpy array of shapely geometries
    fids: object  # numpy int64 array
    attributes: dict[str, list] = field(default_factory=dict)
    stats: ReadStats = field(default_factory=ReadStats)


def geometry_kind(source) -> str | None:
    """point / line / polygon for a QgsFeatureSource or layer; None for tables."""
    return GEOMETRY_KINDS.get(QgsWkbTypes.geometryType(source.wkbType()))


@functools.lru_cache(maxsize=1)
def runtime_geos_version() -> tuple[int, ...]:
    """The GEOS that shapely's calls really reach.

    Inside QGIS (the desktop, qgis_process) the system GEOS that QGIS links is found first,
    so shapely runs on it, while ``shapely.geos_version`` still names shapely's bundled
    copy (3.14 against 3.11 on Debian 12): a function newer than the system GEOS then
    mixes the two libraries and returns garbage or fails at random.
    """
    import ctypes
    import re

    import shapely

    try:
        function = ctypes.CDLL(None).GEOSversion
    except (AttributeError, OSError):  # no GEOS in the global scope: shapely uses its own
        return tuple(shapely.geos_version)
    function.restype = ctypes.c_char_p
    match = re.match(rb"(\d+)\.(\d+)\.(\d+)", function() or b"")
    return tuple(int(part) for part in match.groups()) if match else tuple(shapely.geos_version)


def require_projected(crs: QgsCoordinateReferenceSystem) -> None:
    """Metres are needed for areas, lengths and distances: refuse degrees."""
    if not crs.isValid():
        raise LayerError(
            tr("The target CRS is not valid. Choose a projected CRS such as SWEREF 99 TM (EPSG:3006).")
        )
    if crs.isGeographic():
        raise LayerError(
            tr(
                "The target CRS {crs} is geographic (degrees), so areas and distances in metres "
                "cannot be computed. Choose a projected CRS such as SWEREF 99 TM (EPSG:3006)."
            ).format(crs=crs.authid() or crs.description())
        )


def check_crs(source, layer_name: str) -> None:
    """Refuse a layer with no CRS, or whose coordinates cannot be in the CRS it claims."""
    crs = source.sourceCrs()
    if not crs.isValid():
        raise LayerError(
            tr(
                "The layer “{layer}” has no coordinate reference system (CRS), so it cannot be "
                "placed on the map. Set its CRS in the layer properties (Swedish national data "
                "is usually SWEREF 99 TM, EPSG:3006)."
            ).format(layer=layer_name)
        )
    extent = source.sourceExtent()
    if extent.isNull():
        return
    if crs.isGeographic():
        plausible = QgsRectangle(-180.5, -90.5, 180.5, 90.5)
    else:
        bounds = crs.bounds()  # area of use, in WGS 84
        if bounds.isNull() or bounds.isEmpty():
            return
        to_crs = QgsCoordinateTransform(
            QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance().transformContext()
        )
        try:
            plausible = to_crs.transformBoundingBox(bounds)
        except Exception:  # noqa: BLE001 - a CRS QGIS cannot transform is checked no further
            return
        margin = max(plausible.width(), plausible.height())
        plausible.grow(margin)
    if not plausible.contains(extent):
        raise LayerError(
            tr(
                "The layer “{layer}” says its CRS is {crs}, but its coordinates ({xmin:.0f}, {ymin:.0f} – "
                "{xmax:.0f}, {ymax:.0f}) cannot be in that CRS. The file probably lacks or misstates its "
                "CRS: set the right one in the layer properties (Swedish data is usually SWEREF 99 TM, "
                "EPSG:3006)."
            ).format(
                layer=layer_name,
                crs=crs.authid() or crs.description(),
                xmin=extent.xMinimum(),
                ymin=extent.yMinimum(),
                xmax=extent.xMaximum(),
                ymax=extent.yMaximum(),
            )
        )


def read_layer(
    source,
    layer_name: str,
    target_crs: QgsCoordinateReferenceSystem,
    transform_context: QgsCoordinateTransformContext | None = None,
    *,
    attributes: tuple[str, ...] = (),
    filter_expression: str | None = None,
    feedback=None,
    layer_source: str = "",
    near=None,
    near_distance: float = 0.0,
) -> LayerData:
    """Read every usable geometry of a source into the target CRS as shapely geometries.

    Null and empty geometries are skipped and counted; curves are segmentised; invalid
    geometries are repaired (polygons keep their polygonal part) and counted.
    With ``near`` (shapely geometries in the target CRS), features whose bounding box is
    farther than ``near_distance`` from every one of theirs are left out before the costly
    validity check and counted in ``stats.far``: they cannot overlap or come near them.
    """
    import numpy as np
    import shapely

    check_crs(source, layer_name)
    kind = geometry_kind(source)
    if kind is None:
        raise LayerError(
            tr("The layer “{layer}” has no geometries (it is a table).").format(layer=layer_name)
        )
    field_names = [f.name() for f in source.fields()]
    wanted = [name for name in attributes if name in field_names]
    layer_type = source.wkbType()
    may_curve = QgsWkbTypes.isCurvedType(layer_type) or QgsWkbTypes.flatType(layer_type) in (
        QgsWkbTypes.Unknown,
        QgsWkbTypes.GeometryCollection,
    )
    stats = ReadStats()
    # With near=, only the box around it is read at all (the provider's spatial index does it).
    rect = _near_rect(near, near_distance) if near is not None else None
    bulk = None
    if not filter_expression and not may_curve:
        bulk = _read_with_gdal(source, target_crs, wanted, rect)
    if bulk is not None:
        geometries, fids, values, stats.skipped_null = bulk
    else:
        context = transform_context or QgsProject.instance().transformContext()
        wkbs, fids, values, stats.skipped_null, stats.curved = _read_with_qgis(
            source, target_crs, context, filter_expression, wanted, may_curve, feedback, rect
        )
        geometries = shapely.from_wkb(wkbs) if wkbs else np.empty(0, dtype=object)
    stats.total = stats.skipped_null + len(geometries)
    if rect is not None and not filter_expression and source.featureCount() >= stats.total:
        stats.far = source.featureCount() - stats.total  # outside the box: never read
        stats.total += stats.far
    if feedback is not None and feedback.isCanceled():
        raise Cancelled()

    empty = shapely.is_empty(geometries)
    if empty.any():
        stats.skipped_empty = int(empty.sum())
        geometries = geometries[~empty]
        fids = [f for f, e in zip(fids, empty.tolist()) if not e]
        values = {name: _select(column, ~empty) for name, column in values.items()}
    if near is not None:
        keep_near = _near_mask(geometries, near, near_distance)
        if not keep_near.all():
            stats.far += int((~keep_near).sum())
            geometries = geometries[keep_near]
            fids = [f for f, k in zip(fids, keep_near.tolist()) if k]
            values = {name: _select(column, keep_near) for name, column in values.items()}
    # has_m needs GEOS 3.12; inside QGIS shapely may run on the system's older GEOS.
    has_m = shapely.has_m(geometries).any() if runtime_geos_version() >= (3, 12, 0) else True
    if has_m or shapely.has_z(geometries).any():
        geometries = shapely.force_2d(geometries)
    invalid = ~shapely.is_valid(geometries)
    if invalid.any():
        repaired = shapely.make_valid(geometries[invalid])
        if kind == "polygon":
            repaired = _polygonal_part(repaired)
        elif kind == "line":
            repaired = _lineal_part(repaired)
        geometries[invalid] = repaired
        stats.repaired = int(invalid.sum())
    keep = ~(shapely.is_empty(geometries) | shapely.is_missing(geometries))
    stats.skipped_unrepairable = int((~keep).sum())
    fid_array = np.asarray(fids, dtype=np.int64)
    if not keep.all():
        geometries = geometries[keep]
        fid_array = fid_array[keep]
        values = {name: _select(column, keep) for name, column in values.items()}
    stats.used = len(geometries)
    values = {name: _texts(column) for name, column in values.items()}
    return LayerData(
        name=layer_name,
        source=layer_source,
        kind=kind,
        geometries=geometries,
        fids=fid_array,
        attributes=values,
        stats=stats,
    )


def _near_rect(near, distance: float) -> tuple[float, float, float, float] | None:
    """The box around all of ``near`` grown by the distance; None when there is nothing near."""
    import numpy as np
    import shapely

    if not len(near):
        return None
    xmin, ymin, xmax, ymax = shapely.total_bounds(np.asarray(near, dtype=object)).tolist()
    grow = float(distance) * (1 + 1e-9) + 1e-6
    return (xmin - grow, ymin - grow, xmax + grow, ymax + grow)


def _near_mask(geometries, near, distance: float):
    """True where a geometry's box meets some box of ``near`` grown by the distance."""
    import numpy as np
    import shapely

    if not len(geometries):
        return np.zeros(0, dtype=bool)
    if not len(near):
        return np.zeros(len(geometries), dtype=bool)
    bounds = shapely.bounds(np.asarray(near, dtype=object))
    grow = float(distance) * (1 + 1e-9) + 1e-6  # never lose a pair at exactly the distance
    boxes = shapely.box(bounds[:, 0] - grow, bounds[:, 1] - grow, bounds[:, 2] + grow, bounds[:, 3] + grow)
    hits = shapely.STRtree(geometries).query(boxes)[1]  # bounding boxes only, no predicate
    mask = np.zeros(len(geometries), dtype=bool)
    mask[hits] = True
    return mask


def _read_with_qgis(source, target_crs, context, filter_expression, wanted, may_curve, feedback, rect=None):
    """Feature by feature through QGIS: any provider, reprojection, filter expressions, curves."""
    request = QgsFeatureRequest()
    request.setDestinationCrs(target_crs, context)
    if rect is not None:
        # In the destination CRS, as QGIS documents; QGIS takes it back to the source CRS by
        # sampling its edges, so leave a margin for the curvature of the transform.
        xmin, ymin, xmax, ymax = rect
        margin = max(100.0, 0.01 * max(xmax - xmin, ymax - ymin))
        request.setFilterRect(QgsRectangle(xmin - margin, ymin - margin, xmax + margin, ymax + margin))
    if filter_expression:
        request.setFilterExpression(filter_expression)
    field_names = [f.name() for f in source.fields()]
    if wanted:
        request.setSubsetOfAttributes(wanted, source.fields())
    else:
        request.setSubsetOfAttributes([])
    indices = [field_names.index(name) for name in wanted]
    wkbs: list[bytes] = []
    fids: list[int] = []
    rows: list[list] = []
    skipped_null = curved = 0
    for index, feature in enumerate(source.getFeatures(request)):
        if index % 2000 == 0 and feedback is not None and feedback.isCanceled():
            raise Cancelled()
        if not feature.hasGeometry():
            skipped_null += 1
            continue
        geometry = feature.geometry()
        # Per-feature work is the cost of reading: test for curves only where the type allows them.
        if may_curve and QgsWkbTypes.isCurvedType(geometry.wkbType()):
            curved += 1
            geometry = QgsGeometry(geometry.constGet().segmentize())
        wkbs.append(bytes(geometry.asWkb()))
        fids.append(feature.id())
        if indices:
            attributes = feature.attributes()
            rows.append([attributes[i] for i in indices])
    values = {
        name: [None if v is None or (hasattr(v, "isNull") and v.isNull()) else v for v in column]
        for name, column in zip(wanted, zip(*rows) if rows else [[] for _ in wanted])
    }
    return wkbs, fids, values, skipped_null, curved


_BULK_SUFFIXES = (".gpkg", ".shp")


def _read_with_gdal(source, target_crs, wanted, rect=None):
    """All features at once through GDAL's Arrow interface when QGIS would only pass them through.

    Only for a GeoPackage or shapefile layer already in the target CRS, with no subset
    string and no pending edits, and only text attributes: then QGIS reads the very same
    WKB and feature ids from GDAL one feature at a time, and the bulk read gives identical
    geometries several times faster. It uses GDAL's own Python bindings, i.e. the GDAL QGIS
    runs on (a second, bundled GDAL in the process crashes qgis_process on exit). Returns
    None whenever any of this is not certain, and the caller reads through QGIS.
    """
    import numpy as np

    try:
        import shapely
        from osgeo import gdal, ogr
    except ImportError:
        return None
    if not hasattr(source, "providerType") or source.providerType() != "ogr":
        return None
    if source.subsetString() or source.isEditable() or source.sourceCrs() != target_crs:
        return None
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri("ogr", source.source())
    path = parts.get("path") or ""
    if (
        not path.lower().endswith(_BULK_SUFFIXES)
        or parts.get("layerId") not in (None, "")
        or parts.get("subset")
    ):
        return None
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    if dataset is None:
        return None
    layer = dataset.GetLayerByName(parts["layerName"]) if parts.get("layerName") else dataset.GetLayer(0)
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
    if rect is not None:
        # A filter costs an index setup; skip it when the box holds the whole layer anyway.
        xmin, xmax, ymin, ymax = layer.GetExtent(force=0)
        if not (rect[0] <= xmin and rect[1] <= ymin and rect[2] >= xmax and rect[3] >= ymax):
            layer.SetSpatialFilterRect(*rect)
    fid_column = layer.GetFIDColumn() or "OGC_FID"
    fids, wkbs, columns = [], [], {name: [] for name in wanted}
    try:
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
    if rect is None and len(fid_array) != source.featureCount():
        return None
    try:
        geometries = shapely.from_wkb(wkb_array)
    except Exception:  # noqa: BLE001 - a geometry shapely cannot parse (curves): QGIS reads it
        return None
    missing = shapely.is_missing(geometries)
    keep = ~missing
    # Text stays raw bytes until read_layer has dropped what it does not keep (see _texts).
    values = {
        name: np.concatenate(columns[name])[keep] if columns[name] else np.empty(0, dtype="S1")
        for name in wanted
    }
    return geometries[keep], fid_array[keep].tolist(), values, int(missing.sum())


def _select(column, mask):
    """The kept entries of an attribute column (a list, or a numpy array from the bulk read)."""
    import numpy as np

    if isinstance(column, np.ndarray):
        return column[np.asarray(mask, dtype=bool)]
    return [v for v, k in zip(column, np.asarray(mask, dtype=bool).tolist()) if k]


def _texts(column) -> list:
    """A bulk-read column as Python values: UTF-8 text decoded, empty text as NULL."""
    import numpy as np

    if not isinstance(column, np.ndarray):
        return column
    if column.dtype.kind == "S":
        column = np.char.decode(column, "utf-8", "replace")
    return [v or None for v in column.tolist()]


def _polygonal_part(geometries):
    """Keep only polygons from make_valid's output (it may add stray lines and points)."""
    import shapely

    out = []
    for geometry in geometries:
        if geometry is None:
            out.append(None)
            continue
        if geometry.geom_type in ("Polygon", "MultiPolygon"):
            out.append(geometry)
            continue
        parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
        out.append(shapely.union_all(parts) if parts else shapely.Polygon())
    return out


def _lineal_part(geometries):
    import shapely

    out = []
    for geometry in geometries:
        if geometry is None or geometry.geom_type in ("LineString", "MultiLineString"):
            out.append(geometry)
            continue
        parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("LineString", "MultiLineString")]
        out.append(shapely.multilinestrings(parts) if parts else shapely.LineString())
    return out


def describe_stats(stats: ReadStats, layer_name: str) -> list[str]:
    """Log lines (translated) that say what was repaired or skipped in a layer."""
    lines = []
    if stats.repaired:
        lines.append(
            tr("{layer}: {n} invalid geometries were repaired").format(layer=layer_name, n=stats.repaired)
        )
    if stats.skipped_null:
        lines.append(
            tr("{layer}: {n} features without geometry were skipped").format(
                layer=layer_name, n=stats.skipped_null
            )
        )
    if stats.skipped_empty:
        lines.append(
            tr("{layer}: {n} features with empty geometry were skipped").format(
                layer=layer_name, n=stats.skipped_empty
            )
        )
    if stats.skipped_unrepairable:
        lines.append(
            tr("{layer}: {n} geometries could not be repaired and were skipped").format(
                layer=layer_name, n=stats.skipped_unrepairable
            )
        )
    if stats.curved:
        lines.append(
            tr("{layer}: {n} curved geometries were converted to straight segments").format(
                layer=layer_name, n=stats.curved
            )
        )
    return lines


def write_features(sink, fields, geometries, rows, feedback=None) -> int:
    """Write shapely geometries with attribute rows (lists in field order) to a QGIS sink."""
    import shapely

    # output_dimension=3 (not shapely's default 4): inside qgis_process the system GEOS that
    # QGIS loaded can serve shapely's calls, and GEOS < 3.12 refuses 4 ("must be 2 or 3").
    wkbs = shapely.to_wkb(geometries, output_dimension=3) if len(geometries) else []
    written = 0
    batch: list[QgsFeature] = []
    for index, (wkb, row) in enumerate(zip(wkbs, rows)):
        if index % 2000 == 0 and feedback is not None and feedback.isCanceled():
            raise Cancelled()
        feature = QgsFeature(fields)
        geometry = QgsGeometry()
        if wkb is not None:
            geometry.fromWkb(wkb)
        feature.setGeometry(geometry)
        feature.setAttributes(list(row))
        batch.append(feature)
        if len(batch) >= 5000:
            sink.addFeatures(batch, QgsFeatureSink.FastInsert)
            written += len(batch)
            batch = []
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)
        written += len(batch)
    return written
