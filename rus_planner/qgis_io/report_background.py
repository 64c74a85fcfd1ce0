"""The report maps' orientation: kommun borders and names, tätort names, and names on the agency
features, all placed by QGIS's labeling engine (collisions avoided, no manual offsets). Styled
clones: the inputs keep their own style."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLabelObstacleSettings,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRasterLayer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)

from . import layout as lay

# The map item variable naming the element a page is about ("*" on the overview map); as
# report_maps names it (which imports this module).
ELEMENT_VARIABLE = "rus_element"
ALL_ELEMENTS = "*"

KOMMUN_COLOUR = "#6b6b6b"
TATORT_COLOUR = "#3d3d3d"


def labels(field: str, size: float, colour: str, *, bold=False, italic=False, priority=5, overview=True):
    """Labels of a field with a white halo; the engine drops a label rather than overlap one.
    Without ``overview`` the label is left off the cover's overview map (too small for them)."""
    settings = QgsPalLayerSettings()
    quoted = '"' + field.replace('"', '""') + '"'
    settings.fieldName = (
        quoted
        if overview
        else f"CASE WHEN @{ELEMENT_VARIABLE} = '{ALL_ELEMENTS}' THEN NULL ELSE {quoted} END"
    )
    settings.isExpression = True
    fmt = lay.text_format(size, bold=bold, colour=colour)
    font = fmt.font()
    font.setItalic(italic)
    fmt.setFont(font)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.7)
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    settings.priority = priority
    settings.displayAll = False  # never two labels on top of each other
    obstacle = QgsLabelObstacleSettings()
    obstacle.setIsObstacle(True)
    settings.setObstacleSettings(obstacle)
    return QgsVectorLayerSimpleLabeling(settings)


def kommun_layer(layer, field: str, title: str):
    """Kommun borders as grey dashed lines, their names in grey italics."""
    copy = layer.clone()
    copy.setName(title)
    symbol = QgsFillSymbol.createSimple(
        {
            "color": "0,0,0,0",
            "outline_color": KOMMUN_COLOUR,
            "outline_width": "0.35",
            "outline_style": "dash",
        }
    )
    copy.setRenderer(QgsSingleSymbolRenderer(symbol))
    copy.setLabeling(labels(field, 8, KOMMUN_COLOUR, italic=True, priority=3))
    copy.setLabelsEnabled(True)
    return copy


def tatort_layer(layer, field: str, title: str):
    """Tätorter as small grey dots (or light areas) with their names."""
    copy = layer.clone()
    copy.setName(title)
    if layer.geometryType() == QgsWkbTypes.GeometryType.PointGeometry:
        symbol = QgsMarkerSymbol.createSimple(
            {"name": "circle", "size": "1.4", "color": TATORT_COLOUR, "outline_style": "no"}
        )
    else:
        symbol = QgsFillSymbol.createSimple({"color": "225,225,225,255", "outline_style": "no"})
    copy.setRenderer(QgsSingleSymbolRenderer(symbol))
    copy.setLabeling(labels(field, 7, TATORT_COLOUR, priority=4, overview=False))
    copy.setLabelsEnabled(True)
    return copy


def name_agency_features(copy, field: str | None, colour: str) -> None:
    """The agency's features named on the map in their layer's colour."""
    if not field:
        copy.setLabelsEnabled(False)
        return
    copy.setLabeling(labels(field, 7, colour, bold=True, priority=6, overview=False))
    copy.setLabelsEnabled(True)


def county_outline(zones, crs, title: str):
    """The outline of all the kommuner together (the län, when they are its kommuner), drawn wide."""
    outline = QgsGeometry.unaryUnion(list(zones.geometries.values()))
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}", title, "memory")
    feature = QgsFeature(layer.fields())
    feature.setGeometry(outline)
    layer.dataProvider().addFeatures([feature])
    layer.updateExtents()
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "outline_color": "#3d3d3d", "outline_width": "0.9"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def basemap_layer(source: str, title: str):
    """An optional background map: a WMS/XYZ source ("type=xyz&url=...", "url=...&layers=...") or a
    raster file; None when it cannot be opened (the report is readable without it)."""
    provider = "wms" if "url=" in source else "gdal"
    layer = QgsRasterLayer(source, title, provider)
    return layer if layer.isValid() else None


def background_layers(kommuner, kommun_field, tatorter, tatort_field, zones, crs, texts, basemap=""):
    """The maps' orientation layers, top first: tätorter, kommun borders, the county's outline, a basemap."""
    layers = []
    if tatorter is not None and tatort_field:
        layers.append(tatort_layer(tatorter, tatort_field, texts["tatorter"]))
    if kommuner is not None:
        layers.append(kommun_layer(kommuner, kommun_field, texts["kommun_borders"]))
        layers.append(county_outline(zones, crs, texts["county_outline"]))
    if basemap:
        layer = basemap_layer(basemap, texts["basemap"])
        if layer is not None:
            layers.append(layer)
    return layers
