"""Reading QGIS feature sources into the core's shapely arrays, and writing results back.

This is the one bridge between QGIS and the vectorised core: reprojection through
QGIS's own transform (so areas agree with QGIS native algorithms), CRS sanity checks,
repair of invalid geometries and counts of what was skipped, all reported in the
user's terms. Input layers are only read, never modified.
"""

from __future__ import annotations

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
) -> LayerData:
    """Read every usable geometry of a source into the target CRS as shapely geometries.

    Null and empty geometries are skipped and counted; curves are segmentised; invalid
    geometries are repaired (polygons keep their polygonal part) and counted.
    """
    import numpy as np
    import shapely

    check_crs(source, layer_name)
    kind = geometry_kind(source)
    if kind is None:
        raise LayerError(
            tr("The layer “{layer}” has no geometries (it is a table).").format(layer=layer_name)
        )
    context = transform_context or QgsProject.instance().transformContext()
    request = QgsFeatureRequest()
    request.setDestinationCrs(target_crs, context)
    if filter_expression:
        request.setFilterExpression(filter_expression)
    field_names = [f.name() for f in source.fields()]
    wanted = [name for name in attributes if name in field_names]
    if wanted:
        request.setSubsetOfAttributes(wanted, source.fields())
    else:
        request.setSubsetOfAttributes([])

    stats = ReadStats()
    wkbs: list[bytes] = []
    fids: list[int] = []
    values: dict[str, list] = {name: [] for name in wanted}
    for index, feature in enumerate(source.getFeatures(request)):
        if index % 2000 == 0 and feedback is not None:
            if feedback.isCanceled():
                raise Cancelled()
        stats.total += 1
        geometry = feature.geometry()
        if geometry is None or geometry.isNull():
            stats.skipped_null += 1
            continue
        if geometry.isEmpty():
            stats.skipped_empty += 1
            continue
        if QgsWkbTypes.isCurvedType(geometry.wkbType()):
            stats.curved += 1
            geometry = QgsGeometry(geometry.constGet().segmentize())
        wkbs.append(bytes(geometry.asWkb()))
        fids.append(feature.id())
        for name in wanted:
            value = feature[name]
            values[name].append(
                None if value is None or (hasattr(value, "isNull") and value.isNull()) else value
            )

    geometries = shapely.from_wkb(wkbs) if wkbs else np.empty(0, dtype=object)
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
        values = {name: [v for v, k in zip(column, keep) if k] for name, column in values.items()}
    stats.used = len(geometries)
    return LayerData(
        name=layer_name,
        source=layer_source,
        kind=kind,
        geometries=geometries,
        fids=fid_array,
        attributes=values,
        stats=stats,
    )


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
