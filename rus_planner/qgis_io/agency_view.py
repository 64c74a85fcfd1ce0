"""The agency view: the findings of many regions' shared GeoPackages, one table per agency.

Each package written by ``sharegeopackage`` (share.py) names its tables and their roles in
``rus_sources``; its findings are the result tables that carry the check's finding fields
(a findings layer of mixed kinds is shared as one table per kind). The packages are opened
through GDAL read-only, never for update (QGIS's OGR provider would rewrite a GeoPackage's
header), and their findings are written, region by region and in each package's own order,
to one GeoPackage: a table per agency with the region as its first column, and the table
``agencies`` with the counts per agency, region and class.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from types import MappingProxyType

from osgeo import gdal, ogr, osr

from ..core.check_model import FINDING_FIELDS, SEVERITY_ORDER
from ..core.errors import Cancelled, RusPlannerError
from ..core.naming import element_labels
from ..core.vocabulary import REVIEW_FIELDS, slug, unique
from ..i18n import tr
from .share import SOURCES_TABLE

# The fields that make a result table a findings table (the summary and overlays lack them).
_FINDING_MARKS = {"element_id", "rule_id", "severity", "agency", "agency_layer"}
_OGR_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger64, "float": ogr.OFTReal}
COUNTS_TABLE = "agencies"
# A row without review columns (one shared, read-only mapping).
NO_REVIEW = MappingProxyType({})


class AgencyViewError(RusPlannerError):
    """A package that cannot be read, or an output that cannot be written."""


@dataclass
class RegionFindings:
    """One region's findings: rows of FINDING_FIELDS values and their geometries (WKB, target CRS)."""

    region: str
    path: str
    tables: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    geometries: list = field(default_factory=list)
    # Per row, the review columns its table holds (NO_REVIEW where it holds none).
    reviews: list = field(default_factory=list)


def region_names(paths: list[str], given: str = "") -> list[str]:
    """Each package's region: the names ``given`` (";" between them, in the packages' order), else
    its file name without .gpkg; two of one name get "name (2)". Named, a report can say
    "Länsstyrelserna i Örebro län och Uppsala län" where file names would say "orebro, uppsala"."""
    if not given.strip():
        return element_labels([os.path.splitext(os.path.basename(path))[0] for path in paths])
    names = [name.strip() for name in given.split(";")]
    if names[-1] == "" and len(names) > 1:
        names.pop()  # "Örebro län; Uppsala län;" ends with its separator
    if len(names) != len(paths) or not all(names):
        raise AgencyViewError(
            tr(
                "Give one region name per package, in the packages' order and separated by semicolons "
                "(e.g. “Örebro län; Uppsala län”): {packages} packages, {names} names given."
            ).format(packages=len(paths), names=len([n for n in names if n]))
        )
    return element_labels(names)


def _srs(authid_or_wkt: str) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.SetFromUserInput(authid_or_wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def open_package(path: str):
    """(dataset, its rus_sources table) of a shared GeoPackage, opened through GDAL read-only."""
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GPKG"])
    except RuntimeError:  # GDAL raising instead of returning None (its exceptions switched on)
        dataset = None
    if dataset is None:
        raise AgencyViewError(tr("“{path}” is not a GeoPackage that can be opened.").format(path=path))
    sources = dataset.GetLayerByName(SOURCES_TABLE)
    if sources is None:
        raise AgencyViewError(
            tr("“{path}” is not a package from Share as GeoPackage: it has no table {table}.").format(
                path=path, table=SOURCES_TABLE
            )
        )
    return dataset, sources


def read_package(path: str, region: str, target: str, feedback=None) -> RegionFindings:
    """The findings of one shared GeoPackage, in the target CRS (an authid or WKT)."""
    dataset, sources = open_package(path)
    found = RegionFindings(region, path)
    names = [FINDING_FIELDS[i][0] for i in range(len(FINDING_FIELDS))]
    target_srs = _srs(target)
    for source in sources:
        if source.GetField("role") != "result":
            continue
        table = dataset.GetLayerByName(source.GetField("table_name") or "")
        if table is None:
            continue
        definition = table.GetLayerDefn()
        columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
        if not _FINDING_MARKS <= set(columns):
            continue
        found.tables.append(table.GetName())
        positions = [columns.index(name) if name in columns else -1 for name in names]
        reviewed = [(name, columns.index(name)) for name, _ in REVIEW_FIELDS if name in columns]
        layer_srs = table.GetSpatialRef()
        transform = None
        if layer_srs is not None and not layer_srs.IsSame(target_srs):
            layer_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            transform = osr.CoordinateTransformation(layer_srs, target_srs)
        for index, feature in enumerate(table):
            if index % 2000 == 0 and feedback is not None and feedback.isCanceled():
                raise Cancelled()
            found.rows.append(
                [
                    feature.GetField(p) if p >= 0 and feature.IsFieldSetAndNotNull(p) else None
                    for p in positions
                ]
            )
            # The planner's positions, where the shared findings carry them.
            found.reviews.append(
                {n: feature.GetField(p) for n, p in reviewed if feature.IsFieldSetAndNotNull(p)}
                if reviewed
                else NO_REVIEW
            )
            geometry = feature.GetGeometryRef()
            if geometry is not None and transform is not None:
                geometry = geometry.Clone()
                geometry.Transform(transform)
            found.geometries.append(bytes(geometry.ExportToIsoWkb()) if geometry is not None else None)
    return found


def by_agency(regions: list[RegionFindings]) -> dict[str, list[tuple[str, list, bytes | None]]]:
    """agency → its findings as (region, row, geometry), regions in the order given."""
    agency = [name for name, _ in FINDING_FIELDS].index("agency")
    grouped: dict[str, list] = {}
    for region in regions:
        for row, geometry in zip(region.rows, region.geometries):
            name = (row[agency] or "").strip() or tr("agency not stated")
            grouped.setdefault(name, []).append((region.region, row, geometry))
    return dict(sorted(grouped.items(), key=lambda item: item[0].casefold()))


def table_names(grouped: dict) -> dict[str, str]:
    """agency → its table's name: ASCII, unique regardless of case, never the counts table's."""
    taken: set[str] = set()
    tables = {}
    for agency in grouped:
        name = unique(
            slug(agency, fallback="myndighet", length=50, digit_prefix="t_"), taken, (COUNTS_TABLE,)
        )
        taken.add(name)
        tables[agency] = name
    return tables


def count_rows(grouped: dict, tables: dict, regions: list[str]) -> list[list]:
    """The counts table's rows: agency, table, region, findings and findings per class A–D."""
    severity = [name for name, _ in FINDING_FIELDS].index("severity")
    rows = []
    for agency, findings in grouped.items():
        for region in regions:
            classes = [row[severity] for r, row, _ in findings if r == region]
            if classes:
                rows.append(
                    [
                        agency,
                        tables[agency],
                        region,
                        len(classes),
                        *(classes.count(s) for s in SEVERITY_ORDER),
                    ]
                )
    return rows


def write_view(path: str, grouped: dict, target: str, regions: list[str], feedback=None) -> dict[str, str]:
    """One table per agency and the counts table; agency → table name."""
    driver = ogr.GetDriverByName("GPKG")
    dataset = driver.CreateDataSource(path)
    if dataset is None:
        raise AgencyViewError(tr("“{path}” could not be written.").format(path=path))
    srs = _srs(target)
    tables = table_names(grouped)
    for agency, findings in grouped.items():
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        name = tables[agency]
        kinds = {ogr.CreateGeometryFromWkb(g).GetGeometryType() for _, _, g in findings if g is not None}
        geometry_type = ogr.GT_Flatten(kinds.pop()) if len(kinds) == 1 else ogr.wkbUnknown
        layer = dataset.CreateLayer(name, srs, geometry_type, ["FID=fid", "GEOMETRY_NAME=geom"])
        layer.CreateField(ogr.FieldDefn("region", ogr.OFTString))
        for field_name, kind in FINDING_FIELDS:
            layer.CreateField(ogr.FieldDefn(field_name, _OGR_TYPES[kind]))
        definition = layer.GetLayerDefn()
        dataset.StartTransaction()
        for region, row, geometry in findings:
            feature = ogr.Feature(definition)
            feature.SetField(0, region)
            for index, value in enumerate(row, start=1):
                if value is not None:
                    feature.SetField(index, value)
            if geometry is not None:
                feature.SetGeometry(ogr.CreateGeometryFromWkb(geometry))
            if layer.CreateFeature(feature) != 0:
                raise AgencyViewError(tr("“{path}” could not be written.").format(path=path))
        dataset.CommitTransaction()
    counts_rows = count_rows(grouped, tables, regions)
    counts = dataset.CreateLayer(COUNTS_TABLE, None, ogr.wkbNone, ["FID=fid"])
    for field_name, kind in (
        ("agency", ogr.OFTString),
        ("table_name", ogr.OFTString),
        ("region", ogr.OFTString),
    ):
        counts.CreateField(ogr.FieldDefn(field_name, kind))
    for field_name in ("findings", "count_a", "count_b", "count_c", "count_d"):
        counts.CreateField(ogr.FieldDefn(field_name, ogr.OFTInteger64))
    dataset.StartTransaction()
    for values in counts_rows:
        feature = ogr.Feature(counts.GetLayerDefn())
        for index, value in enumerate(values):
            feature.SetField(index, value)
        if counts.CreateFeature(feature) != 0:
            raise AgencyViewError(tr("“{path}” could not be written.").format(path=path))
    dataset.CommitTransaction()
    dataset.FlushCache()
    dataset = None
    return tables
