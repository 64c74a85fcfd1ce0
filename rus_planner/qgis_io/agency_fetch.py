"""Fetch one catalogue service for a region into a GeoPackage of its own: complete, or not at all.

Every page (agency_http.py) is read with GDAL (GML 3.2 for WFS, GeoJSON for OGC API
Features) and appended to one table in a file of this fetch's own. The result says how many
features came and how many the service says match: fewer than it says is not a complete layer,
and the caller (agency_store.py) then keeps the cached copy, or marks the rules class D.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from osgeo import gdal, ogr, osr

from ..core.catalogue import Service
from ..core.errors import Cancelled
from ..core.redact import safe_source
from ..i18n import tr
from .agency_http import HttpSettings, ServiceFailed, oapif_pages, short_reason, wfs_pages

# How GDAL reads a GML page, set for this thread only while it reads: it would fetch the schema a
# page names (DescribeFeatureType) on its own, outside QGIS's network settings, and guess field
# types from values (an NVRID or lämningsnummer would become a number and lose leading zeros).
_GML_READING = {"GML_DOWNLOAD_WFS_SCHEMA": "NO", "GML_FIELDTYPES": "ALWAYS_STRING"}
# The folder each fetch writes its GeoPackage in (made by mkdtemp, removed with the file).
FETCH_PREFIX = ".rus_fetch_"
# The GeoPackages fetch_package_path made in this run: the only ones discard_fetched removes.
_made: set[str] = set()


def fetch_package_path(folder: str | None, layer: str) -> str:
    """A new GeoPackage path for one fetch, in a folder made for it alone (mkdtemp): no other
    file can ever be at its name. Remembered, so that discard_fetched may remove it."""
    path = os.path.join(tempfile.mkdtemp(prefix=FETCH_PREFIX, dir=folder), f"{layer}.gpkg")
    _made.add(os.path.realpath(path))
    return path


@dataclass
class FetchResult:
    """What one service gave: the file and table when complete, else the reason (and its kind)."""

    service: Service
    path: str | None = None
    table: str = ""
    features: int = 0
    matched: int | None = None
    complete: bool = False
    reason: str = ""
    kind: str = ""  # ServiceFailed.kind, "short", "unsupported"
    status: int | None = None
    service_date: str | None = None
    retrieved: str = ""
    seconds: float = 0.0
    pages: int = 0

    @property
    def source(self) -> str:
        """Where the data came from, credentials masked (it goes into the GeoPackage and reports)."""
        service = self.service
        return safe_source(f"{service.url} {service.typename or ''}".strip())


def to_lonlat(bbox, crs: str = "EPSG:3006"):
    """A box in ``crs`` as a lon/lat box (OGC API's default CRS84) that covers it; None stays None."""
    if bbox is None:
        return None
    source = osr.SpatialReference()
    source.SetFromUserInput(crs)
    target = osr.SpatialReference()
    target.ImportFromEPSG(4326)
    for ref in (source, target):
        ref.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)
    xmin, ymin, xmax, ymax = bbox
    corners = [transform.TransformPoint(x, y)[:2] for x in (xmin, xmax) for y in (ymin, ymax)]
    edges = [
        transform.TransformPoint(xmin + (xmax - xmin) * i / 8, y)[:2] for i in range(9) for y in (ymin, ymax)
    ]
    lons = [p[0] for p in corners + edges]
    lats = [p[1] for p in corners + edges]
    return min(lons), min(lats), max(lons), max(lats)


def fetch_service(
    service: Service, bbox, settings: HttpSettings, feedback=None, folder: str | None = None
) -> FetchResult:
    """Fetch the service's features inside ``bbox`` (EPSG:3006) into a new GeoPackage in ``folder``."""
    result = FetchResult(service, table=service.layer)
    result.retrieved = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    if not service.fetchable:
        result.reason = service.not_fetchable_reason()
        result.kind = "unsupported"
        return result
    start = time.monotonic()
    path = fetch_package_path(folder, service.layer)
    writer = _TableWriter(path, service.layer)
    try:
        if service.protocol == "wfs2":
            pages = wfs_pages(service.url, service.typename, service.crs, bbox, settings, feedback)
        else:
            pages = oapif_pages(service.url, service.typename, to_lonlat(bbox), settings, feedback)
        for page in pages:
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            result.pages += 1
            result.matched = page.matched if page.matched is not None else result.matched
            result.service_date = result.service_date or page.service_date
            added = writer.add_page(page.body, "GML" if service.protocol == "wfs2" else "GeoJSON")
            if page.returned is not None and added != page.returned:
                raise ServiceFailed(
                    tr("a page said it holds {said} features, but {read} could be read").format(
                        said=page.returned, read=added
                    ),
                    "broken",
                )
            result.features += added
            if feedback is not None:
                feedback.pushInfo(
                    tr("{service}: {n} features").format(service=service.id, n=result.features)
                    + (f" / {result.matched}" if result.matched is not None else "")
                )
        writer.ensure_table(service.crs)
        writer.close()
        if result.matched is not None and result.features < result.matched:
            result.reason = short_reason(result.features, result.matched)
            result.kind = "short"
        else:
            result.complete = True
            result.path = path
    except ServiceFailed as failure:
        result.reason = failure.reason
        result.kind = failure.kind
        result.status = failure.status
    finally:
        writer.close()
        result.seconds = time.monotonic() - start
        if not result.complete:
            discard_fetched(path)
    return result


def discard_fetched(path: str | None) -> None:
    """Remove a GeoPackage fetch_service wrote in this run, with its SQLite side files and its
    own folder (when nothing else is in it). Any other path is left alone, whatever its name.
    """
    if not path or os.path.realpath(path) not in _made:
        return
    _made.discard(os.path.realpath(path))
    folder = os.path.dirname(path)
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        if os.path.isfile(name):
            os.remove(name)
    try:
        os.rmdir(folder)  # only when empty
    except OSError:
        pass


class _TableWriter:
    """Appends each page's features to one table; the first page fixes the geometry type and CRS."""

    def __init__(self, path: str, table: str):
        self.path = path
        self.table = table
        self.dataset = None
        self.layer = None

    def _open(self, source_layer) -> None:
        driver = ogr.GetDriverByName("GPKG")
        self.dataset = driver.CreateDataSource(self.path)
        srs = source_layer.GetSpatialRef()
        geometry_type = source_layer.GetGeomType()
        if geometry_type in (ogr.wkbNone, ogr.wkbUnknown):
            geometry_type = ogr.wkbUnknown
        self.layer = self.dataset.CreateLayer(
            self.table, srs, geometry_type, ["GEOMETRY_NAME=geom", "FID=fid"]
        )

    def add_page(self, body: bytes, driver: str) -> int:
        name = f"/vsimem/rus_page_{id(self)}.{'gml' if driver == 'GML' else 'json'}"
        gdal.FileFromMemBuffer(name, body)
        earlier = {key: gdal.GetThreadLocalConfigOption(key, None) for key in _GML_READING}
        for key, value in _GML_READING.items():
            gdal.SetThreadLocalConfigOption(key, value)
        try:
            page = gdal.OpenEx(name, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=[driver])
            if page is None:
                raise ServiceFailed(tr("a page of the service's answer could not be read"), "broken")
            source = page.GetLayer(0)
            if source is None:  # a collection with no member
                return 0
            if self.layer is None:
                self._open(source)
            self._add_fields(source.GetLayerDefn())
            definition = self.layer.GetLayerDefn()
            count = 0
            self.layer.StartTransaction()
            for feature in source:
                target = ogr.Feature(definition)
                target.SetFrom(feature, forgiving=True)
                if self.layer.CreateFeature(target) != 0:
                    raise ServiceFailed(tr("a feature could not be written to the GeoPackage"), "broken")
                count += 1
            self.layer.CommitTransaction()
            return count
        finally:
            for key, value in earlier.items():
                gdal.SetThreadLocalConfigOption(key, value)
            gdal.Unlink(name)

    def _add_fields(self, source_definition) -> None:
        have = {
            self.layer.GetLayerDefn().GetFieldDefn(i).GetName().lower()
            for i in range(self.layer.GetLayerDefn().GetFieldCount())
        }
        for i in range(source_definition.GetFieldCount()):
            field = source_definition.GetFieldDefn(i)
            if field.GetName().lower() not in have and field.GetName().lower() not in ("fid", "gml_id"):
                self.layer.CreateField(ogr.FieldDefn(field.GetName(), field.GetType()))

    def ensure_table(self, crs: str) -> None:
        """An empty table when the service had no feature in the box: an honest, complete answer."""
        if self.layer is not None:
            return
        self.dataset = ogr.GetDriverByName("GPKG").CreateDataSource(self.path)
        srs = osr.SpatialReference()
        srs.SetFromUserInput(crs)
        self.layer = self.dataset.CreateLayer(
            self.table, srs, ogr.wkbUnknown, ["GEOMETRY_NAME=geom", "FID=fid"]
        )

    def close(self) -> None:
        self.layer = None
        self.dataset = None
