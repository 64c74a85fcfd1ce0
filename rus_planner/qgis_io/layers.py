"""Reading QGIS feature sources into the core's shapely arrays, and writing results back.

This is the one bridge between QGIS and the vectorised core: reprojection through
QGIS's own transform (so areas agree with QGIS native algorithms), CRS sanity checks,
repair of invalid geometries and counts of what was skipped, all reported in the
user's terms. Input layers are only read, never modified.
"""

from __future__ import annotations

import codecs
import locale
import math
from dataclasses import dataclass
from itertools import islice

from osgeo import gdal, ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsSettings,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.errors import Cancelled, LayerError, RusPlannerError
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
    runtime_geos_version,
)
from ..core.redact import safe_source
from ..i18n import qgis_language, tr

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


def _is_collection_type(wkb_type) -> bool:
    """A layer whose features may be of any kind: geometry collections, or no stated type."""
    return QgsWkbTypes.flatType(wkb_type) in (
        QgsWkbTypes.Type.GeometryCollection,
        QgsWkbTypes.Type.Unknown,
    )


def with_provider_crs(source):
    """The source, or a copy of the layer carrying its provider's CRS where QGIS left it none.

    QGIS 3.22 gives a GeoPackage table of geometry collections no CRS although the file
    states one (its provider still knows it). Reading such a layer as it is would skip the
    reprojection; the copy reads the same features with the CRS set, and the user's layer
    stays as it was.
    """
    if not hasattr(source, "dataProvider") or source.sourceCrs().isValid():
        return source
    if not _is_collection_type(source.wkbType()) or source.providerType() != "ogr":
        return source  # a layer truly without CRS (a memory layer's provider says 4326): refused
    provider = source.dataProvider()
    if provider is None or not provider.crs().isValid():
        return source
    copy = source.clone()
    copy.setCrs(provider.crs())
    return copy


def require_projected(crs: QgsCoordinateReferenceSystem) -> None:
    """Refuse a CRS that cannot measure Sweden truly: degrees, or too much scale distortion.

    Every area, length and distance the plugin reports is planar in this CRS, so the CRS
    itself must be true to scale where Swedish data lie: see measuring_distortion for the rule.
    """
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
    distortion = measuring_distortion(crs)
    name = crs.authid() or crs.description()
    if distortion is None:
        raise LayerError(
            tr(
                "The target CRS {crs} is made for another part of the world: its area of use does not "
                "reach Sweden, so areas and distances in it cannot be trusted here. Choose SWEREF 99 TM "
                "(EPSG:3006)."
            ).format(crs=name)
        )
    if max(distortion.area, distortion.length) > MAX_DISTORTION:
        raise LayerError(
            tr(
                "The target CRS {crs} distorts too much to measure in Sweden: areas in it are up to "
                "{area} % off their true size and lengths up to {length} % (near {place}); RUS Planner "
                "accepts at most 1 %. Choose SWEREF 99 TM (EPSG:3006), or a SWEREF 99 or RT90 zone, or "
                "UTM zone 32–35 N for data inside the zone."
            ).format(
                crs=name,
                area=_decimal(100 * distortion.area),
                length=_decimal(100 * distortion.length),
                place=distortion.place,
            )
        )


# Largest relative error of an area or a length the plugin accepts from the target CRS.
MAX_DISTORTION = 0.01
# Places spread over Sweden, its extremes included (name, longitude, latitude in WGS 84).
SWEDISH_PLACES = (
    ("Smygehuk", 13.36, 55.34),
    ("Malmö", 13.00, 55.61),
    ("Göteborg", 11.97, 57.71),
    ("Strömstad", 11.17, 58.94),
    ("Kalmar", 16.36, 56.66),
    ("Visby", 18.30, 57.64),
    ("Örebro", 15.21, 59.27),
    ("Stockholm", 18.07, 59.33),
    ("Falun", 15.63, 60.61),
    ("Idre", 12.71, 61.86),
    ("Sundsvall", 17.31, 62.39),
    ("Östersund", 14.64, 63.18),
    ("Umeå", 20.26, 63.83),
    ("Storuman", 17.11, 65.10),
    ("Haparanda", 24.14, 65.84),
    ("Jokkmokk", 19.82, 66.61),
    ("Kiruna", 20.23, 67.86),
    ("Treriksröset", 20.55, 69.06),
)


@dataclass(frozen=True)
class Distortion:
    """The worst relative errors of areas and lengths in a CRS over Sweden, and where."""

    area: float
    length: float
    place: str


def measuring_distortion(crs: QgsCoordinateReferenceSystem) -> Distortion | None:
    """How far a CRS's planar areas and lengths are from the true (ellipsoidal) ones in Sweden.

    Measured, not looked up in a list, so that any CRS is judged by the same rule: around
    each place of SWEDISH_PLACES inside the CRS's area of use (all of them for a CRS without
    one), 16 radii of 100 m on the WGS 84 ellipsoid (north by the meridian's radius of
    curvature, east by the prime vertical's) are projected, and their planar lengths and the
    area of the 16-gon they span are compared with the true ones. SWEREF 99 TM stays below
    0.4 % in area everywhere in Sweden, its zones, RT90 and UTM inside their zones far
    below; Web Mercator is 3.8 times too large at Örebro. None when no place is inside the
    area of use.
    """
    key = crs.authid() or crs.toWkt()
    if key not in _DISTORTIONS:
        _DISTORTIONS[key] = _measure_distortion(crs)
    return _DISTORTIONS[key]


_DISTORTIONS: dict[str, Distortion | None] = {}
# WGS 84: semi-major axis (m) and first eccentricity squared.
_A, _E2 = 6_378_137.0, 0.00669437999014


def _measure_distortion(crs: QgsCoordinateReferenceSystem) -> Distortion | None:

    to_crs = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance().transformContext()
    )
    bounds = crs.bounds()
    worst: Distortion | None = None
    radius = 100.0
    directions = [math.radians(22.5 * i) for i in range(16)]
    true_area = 8 * radius**2 * math.sin(math.pi / 8)  # the 16-gon: 16 triangles of ½ r² sin 22.5°
    for place, lon, lat in SWEDISH_PLACES:
        if not bounds.isNull() and not bounds.isEmpty() and not bounds.contains(QgsPointXY(lon, lat)):
            continue
        phi = math.radians(lat)
        w = 1 - _E2 * math.sin(phi) ** 2
        north = math.degrees(radius / (_A * (1 - _E2) / w**1.5))  # degrees of latitude per radius
        east = math.degrees(radius / (_A / math.sqrt(w) * math.cos(phi)))  # of longitude
        ring = [QgsPointXY(lon + east * math.sin(t), lat + north * math.cos(t)) for t in directions]
        try:
            x0, y0 = _xy(to_crs.transform(QgsPointXY(lon, lat)))
            planar = [_xy(to_crs.transform(point)) for point in ring]
        except Exception:  # noqa: BLE001 - a place the CRS cannot reach: it is judged by the others
            continue
        lengths = [math.hypot(x - x0, y - y0) / radius for x, y in planar]
        shoelace = 0.5 * abs(
            sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(planar, planar[1:] + planar[:1]))
        )
        if not all(map(math.isfinite, [*lengths, shoelace])):
            continue
        here = Distortion(
            area=abs(shoelace / true_area - 1.0),
            length=max(abs(length - 1.0) for length in lengths),
            place=place,
        )
        if worst is None or max(here.area, here.length) > max(worst.area, worst.length):
            worst = here
    return worst


def _xy(point) -> tuple[float, float]:
    return point.x(), point.y()


def _decimal(value: float) -> str:
    """A number with one decimal as the user reads it: decimal comma in Swedish."""

    text = f"{value:,.1f}"
    if qgis_language() == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def check_crs(source, layer_name: str) -> None:
    """Refuse a layer with no CRS, or whose coordinates cannot be in the CRS it claims."""

    layer_name = safe_source(layer_name)  # a layer named after its source may carry a password
    crs = source.sourceCrs()
    if not crs.isValid() and _is_collection_type(source.wkbType()):
        raise LayerError(
            tr(
                "The layer “{layer}” is a table of geometry collections, and QGIS gives such a "
                "layer no coordinate reference system (CRS) of its own here, even where the file "
                "states one. Set its CRS in the layer properties, or save its points, lines and "
                "polygons as layers of their own."
            ).format(layer=layer_name)
        )
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
        if kind is None and _is_collection_type(source.wkbType()):
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
        self.encoding, self.encoding_guess, source = _text_encoding(source, self.wanted)
        self.source = source
        self.bulk = None
        if not filter_expression and not self.may_curve:
            self.bulk = _bulk_source(source, target_crs)
        # Asked only where it is needed (a web service may have to be asked over the network);
        # -1 where it is unknown.
        self.feature_count = -1
        if (self.rect is not None or self.bulk is not None) and hasattr(source, "featureCount"):
            self.feature_count = source.featureCount()

    def fetch_bulk(self):
        """The raw read through GDAL, or None when GDAL cannot read it as QGIS would."""
        return _read_with_gdal(
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
        # In the destination CRS, as QGIS documents; QGIS takes it back to the source CRS by
        # sampling its edges, so leave a margin for the curvature of the transform.
        xmin, ymin, xmax, ymax = rect
        margin = max(100.0, 0.01 * max(xmax - xmin, ymax - ymin))
        request.setFilterRect(QgsRectangle(xmin - margin, ymin - margin, xmax + margin, ymax + margin))
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


def _iterator_failed(features, source) -> bool:
    """An iterator its provider could not open (a database gone since the layer loaded) yields
    nothing and raises nothing: that is no empty layer. QGIS 3.22 also calls the iterator of a
    layer with pending edits invalid while it reads it well, so such a layer is not judged by it."""
    if not hasattr(features, "isValid") or features.isValid():
        return False
    editable = getattr(source, "isEditable", None)
    editing = editable() if callable(editable) else getattr(source, "editing", False)
    return not editing


_BULK_SUFFIXES = (".gpkg", ".shp")


@dataclass(frozen=True)
class BulkSource:
    """A file GDAL can read in bulk exactly as QGIS would: its path and layer name."""

    path: str
    layer_name: str | None


def _bulk_source(source, target_crs) -> BulkSource | None:
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


def _read_with_gdal(bulk: BulkSource, wanted, feature_count, rect=None, near=None, near_distance=0.0):
    """All features at once through GDAL's Arrow interface (see _bulk_source for when).

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
    # Text stays raw bytes until read_layer has dropped what it does not keep (see _texts).
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


def _text_encoding(source, wanted) -> tuple[str, str, object]:
    """(the Python codec for the source's texts, the encoding guessed or "", the source to read).

    A GeoPackage is UTF-8. A shapefile states its encoding in a .cpg file or in its .dbf
    header, and QGIS's provider then decodes with it; where it states none, QGIS decodes with
    the layer's own encoding setting (UTF-8 unless the user chose another). If the texts are
    not valid in that encoding (a Latin-1 file from an older Windows program read as UTF-8
    gives “�lg�n” for “Älgön”), QGIS's default encoding setting (Settings › Options ›
    Data Sources) is used, else Windows-1252, the Swedish Windows encoding (which Latin-1's
    letters are part of), and a copy of the layer set to it is read: the user's layer stays
    as it was and the log says which encoding was assumed.
    """
    path = _shapefile_path(source) if wanted else None
    if path is None:
        return "utf-8", "", source
    stated = _python_codec(source.dataProvider().encoding())
    declared, samples = _dbf_encoding_and_texts(path, wanted)
    if declared or stated is None or all(_decodes(text, stated) for text in samples):
        return stated or "utf-8", "", source
    fallback = _qgis_default_encoding() or "windows-1252"
    if stated == _python_codec(fallback) or not all(
        _decodes(text, _python_codec(fallback)) for text in samples
    ):
        return stated, "", source  # nothing better to offer
    copy = source.clone()
    copy.setProviderEncoding(fallback)
    return _python_codec(fallback), fallback, copy


def _shapefile_path(source) -> str | None:
    """The .shp behind an OGR layer (not a panel snapshot: it has no provider), else None."""
    if not hasattr(source, "dataProvider") or source.providerType() != "ogr":
        return None
    if source.dataProvider() is None:
        return None

    path = QgsProviderRegistry.instance().decodeUri("ogr", source.source()).get("path") or ""
    return path if path.lower().endswith((".shp", ".dbf")) else None


def _dbf_encoding_and_texts(path: str, wanted) -> tuple[str, list[bytes]]:
    """The encoding a shapefile states (.cpg or .dbf header; "" for none) and, where it states
    none, the raw bytes of its non-ASCII texts in the wanted fields."""
    import numpy as np

    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=["ENCODING="])
    layer = dataset.GetLayer(0) if dataset is not None else None
    if layer is None:
        return "", []
    declared = layer.GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE") or layer.GetMetadataItem(
        "ENCODING_FROM_LDID", "SHAPEFILE"
    )
    if declared:
        return declared, []
    definition = layer.GetLayerDefn()
    texts = [
        definition.GetFieldDefn(i).GetName()
        for i in range(definition.GetFieldCount())
        if definition.GetFieldDefn(i).GetType() == ogr.OFTString
        and definition.GetFieldDefn(i).GetName() in wanted
    ]
    if not texts or not hasattr(layer, "GetArrowStreamAsNumPy"):
        return "", []
    layer.SetIgnoredFields(
        [
            definition.GetFieldDefn(i).GetName()
            for i in range(definition.GetFieldCount())
            if definition.GetFieldDefn(i).GetName() not in texts
        ]
        + ["OGR_GEOMETRY"]
    )
    samples: set[bytes] = set()
    for batch in layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]):
        for name in texts:
            column = np.asarray(batch[name])
            if column.dtype.kind == "S":
                samples.update(v for v in column.tolist() if not v.isascii())
            else:
                samples.update(v for v in column.tolist() if isinstance(v, bytes) and not v.isascii())
    return "", list(samples)


def _decodes(text: bytes, codec: str) -> bool:
    try:
        text.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _python_codec(name: str | None) -> str | None:
    """Python's name for an encoding QGIS names ("System": the system's), or None."""

    if not name:
        return None
    if name.lower() == "system":
        name = locale.getpreferredencoding(False)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _qgis_default_encoding() -> str | None:
    """The encoding set in QGIS's options for files that state none; None when it is the system's."""

    name = QgsSettings().value("UI/encoding", "") or ""
    return name if _python_codec(name) and name.lower() != "system" else None


def write_features(sink, geometries, rows, feedback=None) -> int:
    """Write shapely geometries with attribute rows (lists in the sink's field order) to a QGIS sink.

    Turning values into QGIS features is most of the cost of writing thousands of them, so
    one feature is filled and handed over per row (the sink keeps its own copy), and each
    text that repeats becomes a QVariant once: the rule's advice, the layer's source or an
    element's name repeat on many findings, and a ready QVariant is copied without
    converting the text again. ``rows`` may be a generator (it is read a chunk at a time);
    returns the count written.
    """

    import shapely

    # output_dimension=3 (not shapely's default 4): inside qgis_process the system GEOS that
    # QGIS loaded can serve shapely's calls, and GEOS < 3.12 refuses 4 ("must be 2 or 3").
    wkbs = shapely.to_wkb(geometries, output_dimension=3) if len(geometries) else []
    rows = iter(rows)
    variants = _Variants()
    feature = QgsFeature()
    geometry = QgsGeometry()
    empty = QgsGeometry()
    written = 0
    for start in range(0, len(wkbs), _CHUNK):
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        chunk = wkbs[start : start + _CHUNK]
        columns = list(zip(*islice(rows, len(chunk))))
        for index, column in enumerate(columns):
            # Only texts that repeat: making a QVariant costs more than one conversion.
            distinct = set(column)
            if _REPEATS * len(distinct) <= len(column) and str in set(map(type, distinct)):
                columns[index] = map(variants.__getitem__, column)
        for wkb, values in zip(chunk, zip(*columns)):
            if wkb is None:
                feature.setGeometry(empty)
            else:
                geometry.fromWkb(wkb)
                feature.setGeometry(geometry)
            feature.setAttributes(list(values))
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise WriteError(
                    tr("Writing the output failed after {n} features: {reason}").format(
                        n=written, reason=sink.lastError() or tr("the data source gave no reason")
                    )
                )
            written += 1
    return written


class WriteError(RusPlannerError):
    """Features could not be written to an output (the sink refused them)."""


def add_features(sink, features, layer_name: str) -> None:
    """Add features to a sink or a data provider and check that every one arrived.

    A data provider answers ``(ok, features)``, a sink ``ok``: both are checked, so a refused
    write is an error with the sink's reason, never a layer with features silently missing.
    """
    if not features:
        return
    answer = sink.addFeatures(features)
    ok = answer[0] if isinstance(answer, tuple) else bool(answer)
    if not ok:
        reason = sink.lastError() if hasattr(sink, "lastError") else ""
        raise WriteError(
            tr("The features of “{layer}” could not be written: {reason}").format(
                layer=layer_name, reason=reason or tr("the data source gave no reason")
            )
        )


class _Variants(dict):
    """Text → its QVariant, made when the text comes a second time (a text written once is
    cheaper handed over as it is); other values (NULL) map to themselves."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def __missing__(self, value):
        if value.__class__ is not str:
            self[value] = value
            return value
        if value not in self.seen:
            self.seen.add(value)
            return value
        if len(self) >= _TEXTS_KEPT:  # texts that never repeat (ids): bound the memory
            self.clear()
            self.seen.clear()
        variant = self[value] = QVariant(value)
        return variant


# Rows turned into features between two looks at the cancel button.
_CHUNK = 2000
# Distinct texts kept as QVariants while writing.
_TEXTS_KEPT = 50_000
# A column's texts become QVariants when each repeats this often in a chunk (on average).
_REPEATS = 4
