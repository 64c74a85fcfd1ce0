"""The report's maps: styled copies of the elements, the agency data and the findings for the
print layouts (report_pdf.py), so the inputs themselves are never touched."""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsRectangle,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType, QVariant
from qgis.PyQt.QtGui import QColor

from ..core.report import ElementEntry
from ..core.report_scope import recipients
from . import layout as lay
from .compat import qgs_field
from .feature_writing import add_features
from .report_background import ALL_ELEMENTS, ELEMENT_VARIABLE, name_agency_features
from .share import effective_crs, source_names

# Colours of the agency layers on the maps: apart from the severity colours (red, orange,
# yellow, grey) and the elements' dark blue, so a reader never mistakes one for the other.
AGENCY_PALETTE = ("#2b8cbe", "#31a354", "#756bb1", "#8c6d31", "#e7298a", "#1b9e77", "#636363")


ELEMENT_COLOUR = "#1f3a5f"


OTHER_ELEMENT_COLOUR = "#8a98ab"


@dataclass
class MapLayers:
    """Styled map copies shared by every document of one run."""

    project: QgsProject
    crs: object
    elements: list  # memory layers per geometry kind (fields element_id, name)
    findings: dict  # receiving agency (None = every agency) → styled layers of the affected parts
    agency: dict  # agency layer name → styled copy
    extents: dict  # element_id → QgsRectangle in the map CRS
    overview: QgsRectangle
    background: list = None  # kommun borders, tätorter (under everything else)


def read_elements(
    layers: list,
    crs,
    transform_context,
    name_fields,
    texts,
    known: set | None = None,
    zones=None,
    id_field: str | None = None,
) -> tuple[list, list, dict]:
    """Copy the element layers into memory layers in the map CRS, one per geometry kind.

    Returns (styled layers, ElementEntry per element in input order, extents). The ids
    are "layer name:fid", as the element check writes them; where the findings name the
    layer otherwise (``known``: their element_layer values, e.g. the table name when the
    check ran in qgis_process), that name is used so elements and findings meet. With
    ``zones`` (report_inputs.Zones) each entry names the kommuner it lies in. With ``id_field``,
    a layer that has that field gives each element the field's value as its id instead (the
    agency view's elements: "region:layer:fid", unique across regions).
    """

    kinds = {
        QgsWkbTypes.GeometryType.PointGeometry: "point",
        QgsWkbTypes.GeometryType.LineGeometry: "line",
        QgsWkbTypes.GeometryType.PolygonGeometry: "polygon",
    }
    memory: dict[str, QgsVectorLayer] = {}
    features: dict[str, list] = {}
    entries: list[ElementEntry] = []
    extents: dict[str, QgsRectangle] = {}
    for layer in layers:
        kind = kinds.get(layer.geometryType())
        if kind is None:
            continue
        transform = QgsCoordinateTransform(layer.crs(), crs, transform_context)
        name_field = next((f for f in name_fields if layer.fields().indexOf(f) >= 0), None)
        own_ids = bool(id_field) and layer.fields().indexOf(id_field) >= 0
        layer_name = next((n for n in source_names(layer) if known and n in known), layer.name())
        if kind not in memory:
            memory[kind] = memory_layer(kind, crs, f"{texts['element_legend']} ({texts[kind]})")
            features[kind] = []
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            geometry.transform(transform)
            element_id = str(feature[id_field]) if own_ids else f"{layer_name}:{feature.id()}"
            name = feature[name_field] if name_field else None
            name = None if name is None or (isinstance(name, QVariant) and name.isNull()) else str(name)
            copy = QgsFeature(memory[kind].fields())
            copy.setGeometry(geometry)
            copy.setAttributes([element_id, name or element_id])
            features[kind].append(copy)
            kommuner = zones.touching(geometry) if zones is not None else ()
            entries.append(ElementEntry(element_id, name or "", texts[kind], layer_name, kommuner=kommuner))
            extents[element_id] = geometry.boundingBox()
    styled = []
    for kind in ("polygon", "line", "point"):
        if kind in memory:
            add_features(memory[kind].dataProvider(), features[kind], memory[kind].name())
            memory[kind].updateExtents()
            memory[kind].setRenderer(element_renderer(kind, texts))
            memory[kind].setLabeling(element_labels())
            memory[kind].setLabelsEnabled(True)
            styled.insert(0, memory[kind])  # points on top, areas at the bottom
    return styled, entries, extents


def memory_layer(kind: str, crs, name: str, fields=("element_id", "name")) -> QgsVectorLayer:
    """An empty multi-geometry memory layer of the kind with text fields, for a map's copies."""
    geometry = {"point": "MultiPoint", "line": "MultiLineString", "polygon": "MultiPolygon"}[kind]
    layer = QgsVectorLayer(f"{geometry}?crs={crs.authid()}", name, "memory")
    layer.dataProvider().addAttributes([qgs_field(field, QMetaType.Type.QString) for field in fields])
    layer.updateFields()
    return layer


def simple_symbol(kind: str, colour: str, *, strong: bool, fill_alpha: int = 0):
    if kind == "point":
        return QgsMarkerSymbol.createSimple(
            {
                "name": "circle",
                "size": "4.2" if strong else "2.4",
                "color": "0,0,0,0" if strong else colour,
                "outline_color": colour if strong else "white",
                "outline_width": "0.8" if strong else "0.3",
            }
        )
    if kind == "line":
        return QgsLineSymbol.createSimple({"color": colour, "width": "1.3" if strong else "0.6"})
    fill = "0,0,0,0"
    if fill_alpha:
        c = QColor(colour)
        fill = f"{c.red()},{c.green()},{c.blue()},{fill_alpha}"
    return QgsFillSymbol.createSimple(
        {"color": fill, "outline_color": colour, "outline_width": "0.8" if strong else "0.35"}
    )


def element_renderer(kind: str, texts: dict) -> QgsRuleBasedRenderer:
    """The element a page is about stands out; the others are context."""
    root = QgsRuleBasedRenderer.Rule(None)
    current = f"\"element_id\" = @{ELEMENT_VARIABLE} OR @{ELEMENT_VARIABLE} = '{ALL_ELEMENTS}'"
    root.appendChild(
        QgsRuleBasedRenderer.Rule(
            simple_symbol(kind, ELEMENT_COLOUR, strong=True), 0, 0, current, texts["this_element"]
        )
    )
    other = QgsRuleBasedRenderer.Rule(
        simple_symbol(kind, OTHER_ELEMENT_COLOUR, strong=False), 0, 0, "", texts["other_elements"]
    )
    other.setIsElse(True)
    root.appendChild(other)
    return QgsRuleBasedRenderer(root)


def element_labels() -> QgsVectorLayerSimpleLabeling:
    settings = QgsPalLayerSettings()
    settings.isExpression = True
    settings.fieldName = (
        f"CASE WHEN \"element_id\" = @{ELEMENT_VARIABLE} OR @{ELEMENT_VARIABLE} = '{ALL_ELEMENTS}' "
        'THEN "name" END'
    )
    fmt = lay.text_format(8, bold=True, colour=ELEMENT_COLOUR)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    return QgsVectorLayerSimpleLabeling(settings)


def agency_copy(layer: QgsVectorLayer, index: int, name: str = "", label_field: str | None = None):
    """A copy of an agency layer in one palette colour, named as the report's sources name it
    (not after its file) and its features named (the input keeps its own style)."""
    copy = layer.clone()
    if name:
        copy.setName(name)
    colour = AGENCY_PALETTE[index % len(AGENCY_PALETTE)]
    kind = {
        QgsWkbTypes.GeometryType.PointGeometry: "point",
        QgsWkbTypes.GeometryType.LineGeometry: "line",
    }.get(layer.geometryType(), "polygon")
    symbol = simple_symbol(kind, colour, strong=False, fill_alpha=60)
    if kind == "polygon":
        symbol.symbolLayer(0).setStrokeWidth(0.6)
    copy.setRenderer(QgsSingleSymbolRenderer(symbol))
    name_agency_features(copy, label_field, QColor(colour).darker(140).name())
    return copy


def findings_maps(layer, crs, transform_context, renderer_factory, texts: dict, severities: dict) -> dict:
    """Map layers of the affected parts: receiving agency (None = all) → one styled layer per kind.

    The findings are copied into memory layers per geometry kind with the parts of any
    geometry collection taken apart (a findings layer of mixed elements stores
    collections, which a renderer cannot tell apart by kind); the input is not touched.
    """
    kinds = {
        QgsWkbTypes.GeometryType.PolygonGeometry: "polygon",
        QgsWkbTypes.GeometryType.LineGeometry: "line",
        QgsWkbTypes.GeometryType.PointGeometry: "point",
    }
    source_crs = effective_crs(layer)
    transform = (
        QgsCoordinateTransform(source_crs, crs, transform_context)
        if source_crs.isValid() and source_crs != crs
        else None
    )
    parts: dict = {}  # (agency, kind) → [(severity, agency, geometry)]
    overlap_index = layer.fields().indexOf("overlap_m2")
    for feature in layer.getFeatures():
        geometry = QgsGeometry(feature.geometry())
        if geometry.isNull() or geometry.isEmpty():
            continue
        if transform is not None:
            geometry.transform(transform)
        severity = _value(feature["severity"])
        if severity == "D":  # not checked: no part of the element is known to be affected
            continue
        agency = _value(feature["agency"]) or texts["agency_unknown"]
        pieces = geometry.asGeometryCollection() if geometry.isMultipart() else [geometry]
        # An area's finding without a common area (a point or a line inside it, a proximity) stands
        # for the whole element: drawn as its outline, never as if all of it were affected.
        whole_area = overlap_index < 0 or _value(feature.attributes()[overlap_index]) is None
        by_kind: dict = {}
        for piece in pieces:
            kind = kinds.get(piece.type())
            if kind == "polygon" and whole_area:
                piece, kind = piece.convertToType(QgsWkbTypes.GeometryType.LineGeometry, True), "line"
            if kind and piece is not None and not piece.isNull():
                by_kind.setdefault(kind, []).append(piece)
        for kind, kind_pieces in by_kind.items():
            merged = QgsGeometry.collectGeometry(kind_pieces)
            for key in (None, *recipients(agency)):
                parts.setdefault(key, {}).setdefault(kind, []).append((severity, agency, merged))
    maps: dict = {}
    for key, groups in parts.items():
        maps[key] = []
        for kind in ("point", "line", "polygon"):  # top first
            if kind not in groups:
                continue
            memory = memory_layer(kind, crs, f"{texts['affected']} ({texts[kind]})", ("severity", "agency"))
            features = []
            for severity, agency, geometry in groups[kind]:
                feature = QgsFeature(memory.fields())
                feature.setGeometry(geometry)
                feature.setAttributes([severity, agency])
                features.append(feature)
            add_features(memory.dataProvider(), features, memory.name())
            memory.updateExtents()
            renderer = renderer_factory(memory, "severity")
            if isinstance(renderer, QgsRuleBasedRenderer):
                for rule in renderer.rootRule().children():
                    for severity, label in severities.items():
                        if f"'{severity}'" in rule.filterExpression():
                            rule.setLabel(label)
                    emphasise(rule.symbol())
            memory.setRenderer(renderer)
            maps[key].append(memory)
    return maps


def finding_extents(layer, crs, transform_context) -> dict:
    """element_id → extent of its findings in the map CRS (for elements not among the inputs)."""
    source_crs = effective_crs(layer)
    transform = (
        QgsCoordinateTransform(source_crs, crs, transform_context)
        if source_crs.isValid() and source_crs != crs
        else None
    )
    extents: dict = {}
    for feature in layer.getFeatures():
        geometry = QgsGeometry(feature.geometry())
        if geometry.isNull() or geometry.isEmpty():
            continue
        if transform is not None:
            geometry.transform(transform)
        key = _value(feature["element_id"])
        box = extents.setdefault(key, QgsRectangle(geometry.boundingBox()))
        box.combineExtentWith(geometry.boundingBox())
    return extents


def _value(value):
    return None if value is None or (isinstance(value, QVariant) and value.isNull()) else str(value)


def emphasise(symbol) -> None:
    """Affected parts drawn wider than the element above them, so they show as a halo."""
    if isinstance(symbol, QgsLineSymbol):
        symbol.setWidth(2.4)
    elif isinstance(symbol, QgsMarkerSymbol):
        symbol.setSize(3.6)


def element_extent(entry: ElementEntry, extents: dict) -> QgsRectangle:
    """The element with room around it for the agency features near it."""
    box = QgsRectangle(extents.get(entry.element_id) or QgsRectangle())
    reach = max([as_float(f.get("distance_m")) for f in entry.findings] + [0.0])
    size = max(box.width(), box.height())
    margin = max(0.15 * size, reach + 300.0, 2500.0)
    box.grow(margin)
    return box


def as_float(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0
