"""The agency view's report: many regions' shared packages as the layers a consultation report reads.

The elements (role "element") and agency layers (role "agency") of each package written by
``sharegeopackage`` are read through GDAL read-only (QGIS's OGR provider would open a
GeoPackage for update and rewrite its header: the packages must stay byte for byte) into
memory layers in the view's CRS, and the findings of every region (agency_view.read_package)
into one memory layer. Element ids become "<region>:<layer>:<fid>" (and the findings' ids
"<region>:<their id>"), so two regions' "rus_omraden:1" stay two elements, and each element's
name carries its region ("Nora kulturstad (orebro)"): every page and table says where it lies.
An agency layer of the same name in several packages (a national dataset each region cut to
its findings) becomes one layer, each feature once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osgeo import ogr, osr
from qgis.core import (
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsGeometryCollection,
    QgsMemoryProviderUtils,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..core.check_model import ELEMENT_NAME_FIELDS, FINDING_FIELDS
from ..core.errors import Cancelled
from ..core.report import Source
from ..core.report_scope import recipients
from ..core.vocabulary import REVIEW_FIELDS
from ..i18n import tr
from .agency_view import RegionFindings, open_package
from .compat import qgs_field
from .feature_writing import add_features
from .report_inputs import report_sources

# The field of the element copies that holds their id across regions (report_maps.read_elements).
ELEMENT_ID_FIELD = "rus_element_id"
# The element copies' name field (one of check_model.ELEMENT_NAME_FIELDS).
ELEMENT_NAME_FIELD = "namn"
_KINDS = {
    QgsWkbTypes.GeometryType.PointGeometry: QgsWkbTypes.Type.MultiPoint,
    QgsWkbTypes.GeometryType.LineGeometry: QgsWkbTypes.Type.MultiLineString,
    QgsWkbTypes.GeometryType.PolygonGeometry: QgsWkbTypes.Type.MultiPolygon,
}
_OGR_KINDS = {
    ogr.wkbPoint: QgsWkbTypes.GeometryType.PointGeometry,
    ogr.wkbMultiPoint: QgsWkbTypes.GeometryType.PointGeometry,
    ogr.wkbLineString: QgsWkbTypes.GeometryType.LineGeometry,
    ogr.wkbMultiLineString: QgsWkbTypes.GeometryType.LineGeometry,
    ogr.wkbPolygon: QgsWkbTypes.GeometryType.PolygonGeometry,
    ogr.wkbMultiPolygon: QgsWkbTypes.GeometryType.PolygonGeometry,
}
_FIELD_TYPES = {
    ogr.OFTInteger: QMetaType.Type.LongLong,
    ogr.OFTInteger64: QMetaType.Type.LongLong,
    ogr.OFTReal: QMetaType.Type.Double,
}
_FINDING_TYPES = {
    "str": QMetaType.Type.QString,
    "int": QMetaType.Type.LongLong,
    "float": QMetaType.Type.Double,
}


@dataclass
class ReportLayers:
    """What the report of the agency view reads: memory layers, and the sources as the packages state them."""

    findings: object  # QgsVectorLayer of every region's findings (geometry collections)
    elements: list = field(default_factory=list)
    agency: list = field(default_factory=list)
    sources: list = field(default_factory=list)


def regional(name: str, region: str) -> str:
    """An element's name with its region, as the report shows it."""
    return f"{name} ({region})"


def report_layers(regions: list[RegionFindings], crs, profile, feedback=None) -> ReportLayers:
    """The findings, elements, agency layers and sources of every region's package, in ``crs``."""
    target = osr.SpatialReference()
    target.SetFromUserInput(crs.authid() or crs.toWkt())
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    findings, rows = _findings_layer(regions, crs)
    layers = ReportLayers(findings)
    agency: dict[str, _Merged] = {}
    element_sources, agency_sources = [], {}
    for region in regions:
        dataset, sources = open_package(region.path)
        named = {row[1] for row in region.rows}  # the findings' element_layer values
        for source in sources:
            role, table_name = source.GetField("role"), source.GetField("table_name") or ""
            table = dataset.GetLayerByName(table_name) if role in ("element", "agency") else None
            if table is None:
                continue
            layer_name = source.GetField("layer_name") or table_name
            date, origin = source.GetField("source_date"), source.GetField("source") or ""
            if role == "element":
                key = next((n for n in (layer_name, table_name) if n in named), layer_name)
                name = f"{region.region}:{key}"
                layers.elements += _element_layers(table, name, region.region, crs, target, feedback)
                element_sources.append(
                    Source("element", name, origin, date, regional(layer_name, region.region))
                )
            else:
                merged = agency.setdefault(layer_name, _Merged(layer_name))
                merged.read(table, target, feedback)
                agency_sources.setdefault(layer_name, (origin, date))
        dataset = None
    for merged in agency.values():
        layers.agency += merged.layers(crs)
    # The agency data as the findings name it (their own source and date), then the rest as shared.
    found = report_sources([], [], rows, profile)
    listed = {s.name for s in found}
    rest = []
    for name, (origin, date) in agency_sources.items():
        if name not in listed:
            rules = [r for r in profile.agency_rules if r.matches_layer(name)]
            agencies = " / ".join(dict.fromkeys(a for r in rules for a in recipients(r.agency)))
            rest.append(Source("agency", name, origin, date, name, "", agencies))
    layers.sources = [*element_sources, *found, *rest]
    return layers


def _findings_layer(regions: list[RegionFindings], crs):
    """Every region's findings in one memory layer (and as dicts): ids and names with the region."""
    names = [name for name, _ in FINDING_FIELDS]
    reviewed = [
        name
        for name, _ in REVIEW_FIELDS
        if any(r.reviews and any(name in x for x in r.reviews) for r in regions)
    ]
    fields = QgsFields()
    fields.append(qgs_field("region", QMetaType.Type.QString))
    for name, kind in FINDING_FIELDS:
        fields.append(qgs_field(name, _FINDING_TYPES[kind]))
    for name in reviewed:
        fields.append(qgs_field(name, QMetaType.Type.QString))
    layer = QgsMemoryProviderUtils.createMemoryLayer(
        tr("Findings"), fields, QgsWkbTypes.Type.GeometryCollection, crs
    )
    element_id, element_layer, element_name = (
        names.index(n) for n in ("element_id", "element_layer", "element_name")
    )
    features, rows = [], []
    for region in regions:
        for index, (row, wkb) in enumerate(zip(region.rows, region.geometries)):
            values = list(row)
            for column in (element_id, element_layer):
                if values[column] is not None:
                    values[column] = f"{region.region}:{values[column]}"
            if values[element_name]:
                values[element_name] = regional(values[element_name], region.region)
            review = region.reviews[index] if region.reviews else {}
            values += [review.get(name) for name in reviewed]
            feature = QgsFeature(fields)
            feature.setAttributes([region.region, *values])
            if wkb is not None:
                feature.setGeometry(_collection(wkb))
            features.append(feature)
            rows.append(dict(zip(names + reviewed, values)))
    add_features(layer.dataProvider(), features, layer.name())
    layer.updateExtents()
    return layer, rows


def _collection(wkb: bytes) -> QgsGeometry:
    """A finding's geometry as a collection: a layer of mixed findings holds only collections."""
    geometry = QgsGeometry()
    geometry.fromWkb(wkb)
    collection = QgsGeometryCollection()
    for part in geometry.constParts():
        collection.addGeometry(part.clone())
    return QgsGeometry(collection)


def _features(table, target, feedback):
    """(fid, QgsGeometry in the target CRS, the OGR feature) of each feature with a geometry."""
    source = table.GetSpatialRef()
    transform = None
    if source is not None and not source.IsSame(target):
        source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        transform = osr.CoordinateTransformation(source, target)
    table.ResetReading()
    for index, feature in enumerate(table):
        if index % 2000 == 0 and feedback is not None and feedback.isCanceled():
            raise Cancelled()
        shape = feature.GetGeometryRef()
        if shape is None or shape.IsEmpty():
            continue
        if transform is not None:
            shape = shape.Clone()
            shape.Transform(transform)
        geometry = QgsGeometry()
        geometry.fromWkb(bytes(shape.ExportToIsoWkb()))
        yield feature.GetFID(), geometry, feature


def _by_kind(geometry: QgsGeometry) -> dict:
    """The geometry per kind (point, line, polygon), each as a multi geometry."""
    parts = [geometry] if geometry.type() in _KINDS else geometry.asGeometryCollection()
    kinds: dict = {}
    for part in parts:
        if part.type() in _KINDS:
            kinds.setdefault(part.type(), []).append(part)
    found = {}
    for kind, pieces in kinds.items():
        collected = QgsGeometry.collectGeometry(pieces) if len(pieces) > 1 else QgsGeometry(pieces[0])
        collected.convertToMultiType()
        found[kind] = collected
    return found


def _element_layers(table, name: str, region: str, crs, target, feedback) -> list:
    """A package's element table as memory layers (one per kind): id across regions, name with region."""
    definition = table.GetLayerDefn()
    columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    name_column = next((columns.index(c) for c in ELEMENT_NAME_FIELDS if c in columns), -1)
    fields = QgsFields()
    fields.append(qgs_field(ELEMENT_ID_FIELD, QMetaType.Type.QString))
    fields.append(qgs_field(ELEMENT_NAME_FIELD, QMetaType.Type.QString))
    features: dict = {}
    for fid, geometry, source in _features(table, target, feedback):
        own = (
            source.GetField(name_column)
            if name_column >= 0 and source.IsFieldSetAndNotNull(name_column)
            else None
        )
        for kind, part in _by_kind(geometry).items():
            feature = QgsFeature(fields)
            feature.setGeometry(part)
            feature.setAttributes([f"{name}:{fid}", regional(str(own), region) if own else None])
            features.setdefault(kind, []).append(feature)
    return [_memory(name, fields, kind, crs, kind_features) for kind, kind_features in features.items()]


def _memory(name: str, fields, kind, crs, features):
    layer = QgsMemoryProviderUtils.createMemoryLayer(name, fields, _KINDS[kind], crs)
    add_features(layer.dataProvider(), features, name)
    layer.updateExtents()
    return layer


class _Merged:
    """One agency layer from every package that holds it: the first package's fields, each feature once."""

    def __init__(self, name: str):
        self.name = name
        self.fields: QgsFields | None = None
        self.columns: list[str] = []
        self.kind = None  # the declared kind of an empty table
        self.features: dict = {}
        self.seen: set = set()

    def read(self, table, target, feedback) -> None:
        definition = table.GetLayerDefn()
        if self.fields is None:
            self.fields = QgsFields()
            for i in range(definition.GetFieldCount()):
                column = definition.GetFieldDefn(i)
                kind = _FIELD_TYPES.get(column.GetType(), QMetaType.Type.QString)
                self.fields.append(qgs_field(column.GetName(), kind))
                self.columns.append(column.GetName())
            self.kind = _OGR_KINDS.get(ogr.GT_Flatten(table.GetGeomType()))
        present = {definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())}
        for fid, geometry, source in _features(table, target, feedback):
            key = (fid, bytes(geometry.asWkb()))
            if key in self.seen:  # the same feature of a national dataset, shared by two regions
                continue
            self.seen.add(key)
            values = [_value(source, c) if c in present else None for c in self.columns]
            for kind, part in _by_kind(geometry).items():
                feature = QgsFeature(self.fields)
                feature.setGeometry(part)
                feature.setAttributes(values)
                self.features.setdefault(kind, []).append(feature)

    def layers(self, crs) -> list:
        if not self.features and self.kind is not None:  # empty everywhere: still a layer of the run
            return [_memory(self.name, self.fields, self.kind, crs, [])]
        return [_memory(self.name, self.fields, kind, crs, found) for kind, found in self.features.items()]


def _value(feature, column: str):
    index = feature.GetFieldIndex(column)
    if index < 0 or not feature.IsFieldSetAndNotNull(index):
        return None
    kind = feature.GetFieldDefnRef(index).GetType()
    if kind in (ogr.OFTInteger, ogr.OFTInteger64):
        return feature.GetFieldAsInteger64(index)
    if kind == ogr.OFTReal:
        return feature.GetFieldAsDouble(index)
    return feature.GetFieldAsString(index)
