"""Reading QGIS feature sources into the core's shapely arrays.

This is the one bridge from QGIS to the vectorised core: reprojection through
QGIS's own transform (so areas agree with QGIS native algorithms), CRS sanity checks
(crs_checks.py), a bulk read through GDAL where it gives the same (bulk_read.py),
repair of invalid geometries and counts of what was skipped, all reported in the
user's terms. Input layers are only read, never modified. Writing results back to QGIS
sinks is feature_writing.py.
"""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)

from ..core.errors import Cancelled, LayerError
from ..core.geometry import (
    LayerData,
    NearArea,
    ReadStats,
    empty_geometries,
    id_problems,
    lineal_part,
    near_mask,
    one_kind,
    polygonal_part,
    repair,
)
from ..core.geos_runtime import runtime_geos_version
from ..i18n import tr
from .bulk_read import bulk_source, read_with_gdal
from .crs_checks import check_crs, is_collection_type, with_provider_crs
from .shapefile_encoding import text_encoding

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

GEOMETRY_KINDS = {
    QgsWkbTypes.GeometryType.PointGeometry: "point",
    QgsWkbTypes.GeometryType.LineGeometry: "line",
    QgsWkbTypes.GeometryType.PolygonGeometry: "polygon",
}


def geometry_kind(source) -> str | None:
    """point / line / polygon for a QgsFeatureSource or layer; None for tables."""
    return GEOMETRY_KINDS.get(QgsWkbTypes.geometryType(source.wkbType()))


# LayerRead.kind of a layer of geometry collections (or of no stated type) until its features tell.
COLLECTION = "collection"


def read_layer(
    source,
    layer_name: str,
    target_crs: QgsCoordinateReferenceSystem,
    transform_context: QgsCoordinateTransformContext | None = None,
    *,
    feedback=None,
    **options,
) -> LayerData:
    """Read every usable geometry of a source into the target CRS as shapely geometries.

    Null and empty geometries are skipped and counted; curves are segmentised; invalid
    geometries are repaired (polygons keep their polygonal part) and counted. ``options``
    are LayerRead's: ``attributes``, ``filter_expression``, ``layer_source``, and ``near``
    (shapely geometries in the target CRS, or a NearArea) with ``near_distance``: features
    whose bounding box is farther than the distance from every one of theirs are left out
    before the costly validity check and counted in ``stats.far``.
    """
    read = LayerRead(source, layer_name, target_crs, transform_context, **options)
    raw = read.fetch_bulk() if read.bulk is not None else None
    if raw is None:
        raw = read.fetch_with_qgis(feedback)
    return read.finish(raw, feedback)


def read_in_bulk(read: LayerRead):
    """A layer read by GDAL directly (any thread); None when it must go through QGIS."""
    raw = read.fetch_bulk()
    return read.finish(raw) if raw is not None else None


class LayerRead:
    """One layer's read in three steps, so that several layers can be read at once.

    The constructor asks QGIS everything it needs (CRS checks, fields, whether GDAL can
    read the file in bulk) and must run on the thread that owns the layer, as must
    ``fetch_with_qgis``. ``fetch_bulk`` (GDAL only) and ``finish`` (shapely only) touch no
    QGIS object and may run on any thread.
    """

    def __init__(
        self,
        source,
        layer_name: str,
        target_crs: QgsCoordinateReferenceSystem,
        transform_context: QgsCoordinateTransformContext | None = None,
        *,
        attributes: tuple[str, ...] = (),
        filter_expression: str | None = None,
        layer_source: str = "",
        near=None,
        near_distance: float = 0.0,
    ):
        source = with_provider_crs(source)
        check_crs(source, layer_name)
        kind = geometry_kind(source)
        if kind is None and is_collection_type(source.wkbType()):
            kind = COLLECTION  # decided from the features themselves in finish()
        if kind is None:
            raise LayerError(
                tr("The layer “{layer}” has no geometries (it is a table).").format(layer=layer_name)
            )
        self.source = source
        self.layer_name = layer_name
        self.layer_source = layer_source
        self.kind = kind
        self.target_crs = target_crs
        self.transform_context = transform_context
        self.filter_expression = filter_expression
        field_names = [f.name() for f in source.fields()]
        self.wanted = [name for name in attributes if name in field_names]
        layer_type = source.wkbType()
        self.may_curve = QgsWkbTypes.isCurvedType(layer_type) or QgsWkbTypes.flatType(layer_type) in (
            QgsWkbTypes.Type.Unknown,
            QgsWkbTypes.Type.GeometryCollection,
        )
        if near is not None and not isinstance(near, NearArea):
            near = NearArea(near)
        self.near = near
        self.near_distance = near_distance
        # With near=, only the box around it is read at all (the provider's spatial index does it).
        self.rect = near.rect(near_distance) if near is not None else None
        # The text encoding of a shapefile: QGIS's, or a better one where the file states none.
        self.encoding, self.encoding_guess, source = text_encoding(source, self.wanted)
        self.source = source
        self.bulk = None
        if not filter_expression and not self.may_curve:
            self.bulk = bulk_source(source, target_crs)
        # Asked only where it is needed (a web service may have to be asked over the network);
        # -1 where it is unknown.
        self.feature_count = -1
        if (self.rect is not None or self.bulk is not None) and hasattr(source, "featureCount"):
            self.feature_count = source.featureCount()

    def fetch_bulk(self):
        """The raw read through GDAL, or None when GDAL cannot read it as QGIS would."""
        return read_with_gdal(
            self.bulk, self.wanted, self.feature_count, self.rect, self.near, self.near_distance
        )

    def fetch_with_qgis(self, feedback=None):
        """The raw read through QGIS: any provider, reprojection, filter expressions, curves."""
        import shapely

        context = self.transform_context or QgsProject.instance().transformContext()
        wkbs, fids, values, skipped_null, curved = _read_with_qgis(
            self.source,
            self.target_crs,
            context,
            self.filter_expression,
            self.wanted,
            self.may_curve,
            feedback,
            self.rect,
            layer_name=self.layer_name,
        )
        geometries = shapely.from_wkb(wkbs) if wkbs else empty_geometries()
        return geometries, fids, values, skipped_null, curved

    def finish(self, raw, feedback=None) -> LayerData:
        """Skip what cannot be used, repair what can, and count both (shapely only)."""
        import numpy as np
        import shapely

        geometries, fids, values, skipped_null, curved = raw
        stats = ReadStats(skipped_null=skipped_null, curved=curved)
        stats.total = stats.skipped_null + len(geometries)
        if self.rect is not None and not self.filter_expression and self.feature_count >= stats.total:
            stats.far = self.feature_count - stats.total  # outside the box: never read
            stats.total += stats.far
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()

        empty = shapely.is_empty(geometries)
        if empty.any():
            stats.skipped_empty = int(empty.sum())
            geometries = geometries[~empty]
            fids = [f for f, e in zip(fids, empty.tolist()) if not e]
            values = {name: _select(column, ~empty) for name, column in values.items()}
        if self.near is not None:
            keep_near = near_mask(geometries, self.near.boxes(self.near_distance))
            if not keep_near.all():
                stats.far += int((~keep_near).sum())
                geometries = geometries[keep_near]
                fids = [f for f, k in zip(fids, keep_near.tolist()) if k]
                values = {name: _select(column, keep_near) for name, column in values.items()}
        # has_m needs GEOS 3.12; inside QGIS shapely may run on the system's older GEOS.
        has_m = shapely.has_m(geometries).any() if runtime_geos_version() >= (3, 12, 0) else True
        if has_m or shapely.has_z(geometries).any():
            geometries = shapely.force_2d(geometries)
        kind = self.kind
        if kind == COLLECTION:
            kind, geometries = one_kind(geometries, self.layer_name)
        invalid = ~shapely.is_valid(geometries)
        if invalid.any():
            repaired = repair(geometries[invalid])
            if kind == "polygon":
                repaired = polygonal_part(repaired)
            elif kind == "line":
                repaired = lineal_part(repaired)
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
        stats.null_ids, stats.duplicate_ids = id_problems(fid_array)
        stats.encoding_guess = self.encoding_guess
        values = {name: _texts(column, self.encoding) for name, column in values.items()}
        return LayerData(
            name=self.layer_name,
            source=self.layer_source,
            kind=kind,
            geometries=geometries,
            fids=fid_array,
            attributes=values,
            stats=stats,
        )


def _read_with_qgis(
    source,
    target_crs,
    context,
    filter_expression,
    wanted,
    may_curve,
    feedback,
    rect=None,
    layer_name: str = "",
):
    """Feature by feature through QGIS: any provider, reprojection, filter expressions, curves."""
    request = QgsFeatureRequest()
    request.setDestinationCrs(target_crs, context)
    if rect is not None:
        request.setFilterRect(with_margin(rect))
    field_names = [f.name() for f in source.fields()]
    if filter_expression:
        from .filters import in_layer_case

        request.setFilterExpression(in_layer_case(filter_expression, field_names))
    if wanted:
        request.setSubsetOfAttributes(wanted, source.fields())
    else:
        request.setSubsetOfAttributes([])
    indices = [field_names.index(name) for name in wanted]
    wkbs: list[bytes] = []
    fids: list[int] = []
    rows: list[list] = []
    skipped_null = curved = 0
    features = source.getFeatures(request)
    for index, feature in enumerate(features):
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
    if not fids and not skipped_null and _iterator_failed(features, source):
        raise LayerError(
            tr("the layer “{layer}” could not be read: the connection to its data source failed").format(
                layer=layer_name
            )
        )
    values = {
        name: [None if v is None or (hasattr(v, "isNull") and v.isNull()) else v for v in column]
        for name, column in zip(wanted, zip(*rows) if rows else [[] for _ in wanted])
    }
    return wkbs, fids, values, skipped_null, curved


def with_margin(rect) -> QgsRectangle:
    """A box filter in the destination CRS, as QGIS documents; QGIS takes it back to the source
    CRS by sampling its edges, so a margin is left for the curvature of the transform."""
    xmin, ymin, xmax, ymax = rect
    margin = max(100.0, 0.01 * max(xmax - xmin, ymax - ymin))
    return QgsRectangle(xmin - margin, ymin - margin, xmax + margin, ymax + margin)


def _iterator_failed(features, source) -> bool:
    """An iterator its provider could not open (a database gone since the layer loaded) yields
    nothing and raises nothing: that is no empty layer. QGIS 3.22 also calls the iterator of a
    layer with pending edits invalid while it reads it well, so such a layer is not judged by it."""
    if not hasattr(features, "isValid") or features.isValid():
        return False
    editable = getattr(source, "isEditable", None)
    editing = editable() if callable(editable) else getattr(source, "editing", False)
    return not editing


def _select(column, mask):
    """The kept entries of an attribute column (a list, or a numpy array from the bulk read)."""
    import numpy as np

    if isinstance(column, np.ndarray):
        return column[np.asarray(mask, dtype=bool)]
    return [v for v, k in zip(column, np.asarray(mask, dtype=bool).tolist()) if k]


def _texts(column, encoding: str = "utf-8") -> list:
    """A bulk-read column as Python values: text decoded, empty text as NULL."""
    import numpy as np

    if not isinstance(column, np.ndarray):
        return column
    if column.dtype.kind == "S":
        column = np.char.decode(column, encoding, "replace")
    return [v or None for v in column.tolist()]
