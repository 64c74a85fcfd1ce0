"""Refusing what cannot be measured truly: a target CRS that distorts Sweden, a layer without a CRS
or whose coordinates cannot be in the CRS it claims (and QGIS 3.22's lost CRS of collections).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)

from ..core.errors import LayerError
from ..core.redact import safe_source
from ..i18n import qgis_language, tr


def is_collection_type(wkb_type) -> bool:
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
    if not is_collection_type(source.wkbType()) or source.providerType() != "ogr":
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
    if not crs.isValid() and is_collection_type(source.wkbType()):
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
