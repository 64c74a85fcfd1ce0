"""Load-time styles of the outputs, shared by the algorithms, the panel, reports and the demo.

Applied through layer post-processors when Processing loads an output, never by touching
the project from inside an algorithm.
"""

from __future__ import annotations

from qgis.core import (
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGraduatedSymbolRenderer,
    QgsProcessingLayerPostProcessorInterface,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSymbol,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

from ..core.vocabulary import SEVERITY_COLOURS, severity_labels
from ..i18n import tr


class SeverityStyler(QgsProcessingLayerPostProcessorInterface):
    """Colours findings (or the summary) by severity class when the output is loaded."""

    def __init__(self, field_name: str):
        super().__init__()
        self.field_name = field_name

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        renderer = severity_renderer(layer, self.field_name)
        if renderer is not None:
            layer.setRenderer(renderer)
            layer.triggerRepaint()


def severity_renderer(layer, field_name: str):
    """A rule-based renderer with one rule per class and geometry kind (mixed layers too)."""

    geometry_type = layer.geometryType()
    kinds = (
        [geometry_type]
        if geometry_type
        in (
            QgsWkbTypes.GeometryType.PointGeometry,
            QgsWkbTypes.GeometryType.LineGeometry,
            QgsWkbTypes.GeometryType.PolygonGeometry,
        )
        else [
            QgsWkbTypes.GeometryType.PointGeometry,
            QgsWkbTypes.GeometryType.LineGeometry,
            QgsWkbTypes.GeometryType.PolygonGeometry,
        ]
    )
    kind_filter = {
        QgsWkbTypes.GeometryType.PointGeometry: "geometry_type($geometry) = 'Point'",
        QgsWkbTypes.GeometryType.LineGeometry: "geometry_type($geometry) = 'Line'",
        QgsWkbTypes.GeometryType.PolygonGeometry: "geometry_type($geometry) = 'Polygon'",
    }
    labels = severity_labels(tr)
    root = QgsRuleBasedRenderer.Rule(None)
    for severity, colour in SEVERITY_COLOURS.items():
        for kind in kinds:
            symbol = QgsSymbol.defaultSymbol(kind)
            if symbol is None:
                continue
            symbol.setColor(QColor(colour))
            if kind == QgsWkbTypes.GeometryType.PolygonGeometry:
                symbol.setOpacity(0.7)
            expression = f"\"{field_name}\" = '{severity}'"
            if len(kinds) > 1:
                expression += f" AND {kind_filter[kind]}"
            root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, labels[severity]))
    renderer = QgsRuleBasedRenderer(root)
    # The worst class drawn last, on top: an element's class D notice never hides its A finding.
    renderer.setOrderBy(
        QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause(f'"{field_name}"', False)])
    )
    renderer.setOrderByEnabled(True)
    return renderer


class SectorCountStyler(QgsProcessingLayerPostProcessorInterface):
    """Styles the loaded output graduated by sector_count, from pale (0) to dark (all sectors)."""

    def __init__(self, max_count: int, outlines: bool = True):
        super().__init__()
        self.max_count = max(1, int(max_count))
        self.outlines = outlines

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if isinstance(layer, QgsVectorLayer) and layer.isValid():
            layer.setRenderer(sector_count_renderer(self.max_count, self.outlines))
            layer.triggerRepaint()


def sector_count_renderer(max_count: int, outlines: bool = True):
    """A graduated renderer with one class per sector count 0..max_count.

    Grids go without outlines (thousands of cells would turn grey) and with a clearer 0 class.
    """

    ramp = QgsGradientColorRamp(QColor("#fff7bc"), QColor("#b30000"))
    ranges = []
    for count in range(max_count + 1):
        if count == 0:
            color = "240,240,240,120" if outlines else "240,240,240,80"
        else:
            c = ramp.color((count - 1) / max(max_count - 1, 1))
            color = f"{c.red()},{c.green()},{c.blue()},255"
        outline = (
            {"outline_color": "90,90,90,160", "outline_width": "0.1"} if outlines else {"outline_style": "no"}
        )
        symbol = QgsFillSymbol.createSimple({"color": color, **outline})
        label = tr("{n} sectors").format(n=count) if count != 1 else tr("1 sector")
        ranges.append(QgsRendererRange(count - 0.5, count + 0.5, symbol, label))
    renderer = QgsGraduatedSymbolRenderer("sector_count", ranges)
    renderer.setClassAttribute("sector_count")
    return renderer
