"""The consultation report as PDF: QGIS print layouts built from the report model.

A QGIS bridge (like ``layers.py``): it prepares styled copies of the layers for the maps
(the inputs are never touched) and lays out one document per report section: a cover
page with the summary and the data sources, then one page per element with its map
(the element, the agency data, the affected parts), legend, scale bar and its findings.
"""

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
from qgis.PyQt.QtCore import QMetaType, Qt, QVariant
from qgis.PyQt.QtGui import QColor

from ..core.errors import Cancelled
from ..core.redact import safe_source
from ..core.report import ElementEntry, ReportModel, ReportSection
from . import layout as lay
from .compat import qgs_field
from .feature_writing import add_features
from .share import effective_crs, source_names

# Colours of the agency layers on the maps: apart from the severity colours (red, orange,
# yellow, grey) and the elements' dark blue, so a reader never mistakes one for the other.
AGENCY_PALETTE = ("#2b8cbe", "#31a354", "#756bb1", "#8c6d31", "#e7298a", "#1b9e77", "#636363")
ELEMENT_COLOUR = "#1f3a5f"
OTHER_ELEMENT_COLOUR = "#8a98ab"
ELEMENT_VARIABLE = "rus_element"
ALL_ELEMENTS = "*"

# Page geometry (mm) of an element page.
MAP_RECT = (lay.MARGIN, lay.HEADER_BOTTOM, 190.0, 108.0)
LEGEND_RECT = (207.0, lay.HEADER_BOTTOM, 78.0, 108.0)
SCALEBAR_Y = 137.0
TABLE_RECT = (lay.MARGIN, 147.0, lay.CONTENT_WIDTH, 51.0)
FIGURE_RECT = (lay.MARGIN, lay.HEADER_BOTTOM, lay.CONTENT_WIDTH, 120.0)
# The cover's overview map; its region is returned under the key OVERVIEW.
OVERVIEW_RECT = (172.0, 35.0, lay.PAGE_WIDTH - lay.MARGIN - 172.0, 72.0)
OVERVIEW = ""
FINDING_COLUMNS = (
    ("severity", 13),
    ("interest", 42),
    ("agency", 32),
    ("legal_basis", 28),
    ("measure", 34),
    ("advice", 54),
    ("position", 40),
    ("source", 30),
)


@dataclass
class MapLayers:
    """Styled map copies shared by every document of one run."""

    project: QgsProject
    crs: object
    elements: list  # memory layers per geometry kind (fields element_id, name)
    findings: dict  # agency (None = every agency) → styled layers of the affected parts
    agency: dict  # agency layer name → styled copy
    extents: dict  # element_id → QgsRectangle in the map CRS
    overview: QgsRectangle


# --------------------------------------------------------------------------- map layers


def read_elements(
    layers: list, crs, transform_context, name_fields, texts, known: set | None = None
) -> tuple[list, list, dict]:
    """Copy the element layers into memory layers in the map CRS, one per geometry kind.

    Returns (styled layers, ElementEntry per element in input order, extents). The ids
    are "layer name:fid", as the element check writes them; where the findings name the
    layer otherwise (``known``: their element_layer values, e.g. the table name when the
    check ran in qgis_process), that name is used so elements and findings meet.
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
        layer_name = next((n for n in source_names(layer) if known and n in known), layer.name())
        if kind not in memory:
            memory[kind] = _memory_layer(kind, crs, f"{texts['element_legend']} ({texts[kind]})")
            features[kind] = []
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            geometry.transform(transform)
            element_id = f"{layer_name}:{feature.id()}"
            name = feature[name_field] if name_field else None
            name = None if name is None or (isinstance(name, QVariant) and name.isNull()) else str(name)
            copy = QgsFeature(memory[kind].fields())
            copy.setGeometry(geometry)
            copy.setAttributes([element_id, name or element_id])
            features[kind].append(copy)
            entries.append(ElementEntry(element_id, name or "", texts[kind], layer_name))
            extents[element_id] = geometry.boundingBox()
    styled = []
    for kind in ("polygon", "line", "point"):
        if kind in memory:
            add_features(memory[kind].dataProvider(), features[kind], memory[kind].name())
            memory[kind].updateExtents()
            memory[kind].setRenderer(element_renderer(kind, texts))
            memory[kind].setLabeling(_element_labels())
            memory[kind].setLabelsEnabled(True)
            styled.insert(0, memory[kind])  # points on top, areas at the bottom
    return styled, entries, extents


def _memory_layer(kind: str, crs, name: str) -> QgsVectorLayer:
    geometry = {"point": "MultiPoint", "line": "MultiLineString", "polygon": "MultiPolygon"}[kind]
    layer = QgsVectorLayer(f"{geometry}?crs={crs.authid()}", name, "memory")
    layer.dataProvider().addAttributes(
        [qgs_field("element_id", QMetaType.Type.QString), qgs_field("name", QMetaType.Type.QString)]
    )
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


def _element_labels() -> QgsVectorLayerSimpleLabeling:
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


def agency_copy(layer: QgsVectorLayer, index: int) -> QgsVectorLayer:
    """A copy of an agency layer in one palette colour (the input keeps its own style)."""
    copy = layer.clone()
    colour = AGENCY_PALETTE[index % len(AGENCY_PALETTE)]
    kind = {
        QgsWkbTypes.GeometryType.PointGeometry: "point",
        QgsWkbTypes.GeometryType.LineGeometry: "line",
    }.get(layer.geometryType(), "polygon")
    copy.setRenderer(QgsSingleSymbolRenderer(simple_symbol(kind, colour, strong=False, fill_alpha=80)))
    copy.setLabelsEnabled(False)
    return copy


def findings_maps(layer, crs, transform_context, renderer_factory, texts: dict, severities: dict) -> dict:
    """Map layers of the affected parts: agency (None = all) → one styled layer per kind.

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
    for feature in layer.getFeatures():
        geometry = QgsGeometry(feature.geometry())
        if geometry.isNull() or geometry.isEmpty():
            continue
        if transform is not None:
            geometry.transform(transform)
        severity = _value(feature["severity"])
        agency = _value(feature["agency"]) or texts["agency_unknown"]
        pieces = geometry.asGeometryCollection() if geometry.isMultipart() else [geometry]
        by_kind: dict = {}
        for piece in pieces:
            kind = kinds.get(piece.type())
            if kind:
                by_kind.setdefault(kind, []).append(piece)
        for kind, kind_pieces in by_kind.items():
            merged = QgsGeometry.collectGeometry(kind_pieces)
            for key in (None, agency):
                parts.setdefault(key, {}).setdefault(kind, []).append((severity, agency, merged))
    maps: dict = {}
    for key, groups in parts.items():
        maps[key] = []
        for kind in ("point", "line", "polygon"):  # top first
            if kind not in groups:
                continue
            memory = _findings_layer(kind, crs, f"{texts['affected']} ({texts[kind]})")
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
                    _emphasise(rule.symbol())
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


def _findings_layer(kind: str, crs, name: str) -> QgsVectorLayer:
    geometry = {"point": "MultiPoint", "line": "MultiLineString", "polygon": "MultiPolygon"}[kind]
    layer = QgsVectorLayer(f"{geometry}?crs={crs.authid()}", name, "memory")
    layer.dataProvider().addAttributes(
        [qgs_field("severity", QMetaType.Type.QString), qgs_field("agency", QMetaType.Type.QString)]
    )
    layer.updateFields()
    return layer


def _value(value):
    return None if value is None or (isinstance(value, QVariant) and value.isNull()) else str(value)


def _emphasise(symbol) -> None:
    """Affected parts drawn wider than the element above them, so they show as a halo."""
    if isinstance(symbol, QgsLineSymbol):
        symbol.setWidth(2.4)
    elif isinstance(symbol, QgsMarkerSymbol):
        symbol.setSize(3.6)


def element_extent(entry: ElementEntry, extents: dict) -> QgsRectangle:
    """The element with room around it for the agency features near it."""
    box = QgsRectangle(extents.get(entry.element_id) or QgsRectangle())
    reach = max([_float(f.get("distance_m")) for f in entry.findings] + [0.0])
    size = max(box.width(), box.height())
    margin = max(0.15 * size, reach + 300.0, 2500.0)
    box.grow(margin)
    return box


def _float(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0


# --------------------------------------------------------------------------- documents


def build_document(
    model: ReportModel, section: ReportSection, maps: MapLayers, feedback=None
) -> tuple[lay.Document, dict]:
    """One PDF's layout: cover page, then a page (or more) per element.

    Returns the document and, per element id, the page region of its map, legend and
    scale bar (the HTML report's figures; the cover's overview map under OVERVIEW).
    Raises Cancelled when the feedback is cancelled.
    """
    t = model.texts
    doc = lay.new_document(maps.project, model.title(section))
    findings = maps.findings.get(section.agency, [])
    agency = [
        maps.agency[name]
        for name in maps.agency
        if section.agency is None or name in {f.get("agency_layer") for f in section.findings}
    ]
    map_layers = [*maps.elements, *findings, *agency]

    _cover(doc, model, section, maps, map_layers)
    figures = {OVERVIEW: lay.page_region(doc, 0, OVERVIEW_RECT)} if section.elements else {}
    for entry in section.elements:
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        page = lay.add_page(doc)
        subtitle = " · ".join(p for p in (entry.label, entry.element_type, entry.layer) if p)
        lay.add_header(doc, page, model.title(section), subtitle)
        extent = element_extent(entry, maps.extents)
        map_item = lay.add_map(
            doc, page, MAP_RECT, map_layers, extent, maps.crs, {ELEMENT_VARIABLE: entry.element_id}
        )
        lay.add_legend(doc, page, LEGEND_RECT, map_item, map_layers, t["legend"])
        lay.add_scalebar(doc, page, lay.MARGIN, SCALEBAR_Y, map_item)
        lay.add_label(
            doc,
            page,
            t["crs"].format(crs=maps.crs.authid()),
            (120.0, SCALEBAR_Y + 2, 82.0, 5.0),
            7,
            colour=lay.MUTED,
            align=Qt.AlignmentFlag.AlignRight,
        )
        figures[entry.element_id] = lay.page_region(doc, page, FIGURE_RECT)
        if entry.findings:
            columns = [lay.Column(t[key], width) for key, width in FINDING_COLUMNS]
            continued = t["continued"].format(name=subtitle)

            def header(new_page, continued=continued):
                lay.add_header(doc, new_page, model.title(section), continued)

            lay.add_table(
                doc,
                page,
                TABLE_RECT,
                columns,
                [_finding_row(model, f) for f in entry.findings],
                on_new_page=header,
            )
        else:
            lay.add_label(doc, page, t["no_findings"], TABLE_RECT, 9, colour=lay.MUTED)
    lay.add_footers(doc, model.provenance(), t["page"], t["of"])
    return doc, figures


def _finding_row(model: ReportModel, f: dict) -> list:
    severity = f.get("severity")
    interest = model.interest_text(f)
    if f.get("note"):
        interest += f"\n{safe_source(f['note'])}"
    return [
        (severity, model.colours.get(severity)),
        interest,
        f.get("agency") or "",
        f.get("legal_basis") or "",
        model.measure_text(f),
        f.get("advice") or "",
        model.review_text(f) or model.texts["no_position"],
        breakable(model.source_text(f)),
    ]


def breakable(text: str, limit: int = 24) -> str:
    """Long paths get spaces after their separators so a narrow table cell can wrap them."""
    words = []
    for word in str(text).split(" "):
        if len(word) > limit:
            for separator in ("/", "\\", "|", "&", "_"):
                word = word.replace(separator, separator + " ")
        words.append(word)
    return " ".join(words)


def _cover(doc: lay.Document, model: ReportModel, section: ReportSection, maps: MapLayers, layers) -> None:
    t = model.texts
    page = lay.add_page(doc)
    lay.add_header(doc, page, model.title(section), t["subtitle"])

    def header(new_page):  # a long list of agencies or sources continues on its own page
        lay.add_header(doc, new_page, model.title(section), t["continued"].format(name=t["summary"]))

    left = lay.MARGIN
    width = 150.0
    lay.add_label(doc, page, t["intro"], (left, 29, width, 22), 8.5)
    meta = [
        [t["profile"], model.profile_name],
        [t["plugin_version"], model.plugin_version],
        [t["created"], model.created_text],
        [t["elements"], str(len(section.elements))],
        [t["findings"], str(len(section.findings))],
    ]
    lay.add_table(
        doc, page, (left, 53, width, 30), [lay.Column("", 45), lay.Column("", 105)], meta, header=False
    )
    counts = section.counts()
    rows = [[(s, model.colours.get(s)), model.severities[s], str(n)] for s, n in counts.items()]
    columns = [lay.Column(t["severity"], 15), lay.Column("", 110), lay.Column(t["count"], 25)]
    lay.add_table(doc, page, (left, 90, width, 30), columns, rows)
    if section.agency is None and model.agencies:
        rows = []
        for agency in model.agencies:
            c = agency.counts()
            rows.append([agency.agency, *(str(c[s]) for s in c), str(sum(c.values()))])
        columns = [lay.Column(t["agency"], 80)] + [lay.Column(s, 11) for s in counts] + [lay.Column("Σ", 26)]
        lay.add_label(doc, page, t["per_agency"], (left, 124, width, 5), 9, bold=True, colour=lay.ACCENT)
        lay.add_table(doc, page, (left, 130, width, 68), columns, rows, on_new_page=header)

    right = 172.0
    right_width = lay.PAGE_WIDTH - lay.MARGIN - right
    if section.elements:
        extent = QgsRectangle(maps.overview)
        extent.grow(max(extent.width(), extent.height()) * 0.05 + 500)
        lay.add_label(doc, page, t["overview"], (right, 29, right_width, 5), 9, bold=True, colour=lay.ACCENT)
        lay.add_map(doc, page, OVERVIEW_RECT, layers, extent, maps.crs, {ELEMENT_VARIABLE: ALL_ELEMENTS})
    sources = model.sources_for(section)
    rows = [
        [safe_source(s.name), s.date or t["date_unknown"], breakable(safe_source(s.source))] for s in sources
    ]
    columns = [
        lay.Column(t["layer"], 33),
        lay.Column(t["date"], 20),
        lay.Column(t["source"], right_width - 53),
    ]
    lay.add_label(doc, page, t["sources"], (right, 111, right_width, 5), 9, bold=True, colour=lay.ACCENT)
    lay.add_table(doc, page, (right, 117, right_width, 81), columns, rows, size=6.5, on_new_page=header)
