"""How the demo project opens (#20 item 2): on the region, with the kommun borders as a light
background under the work, and the sector layers a tick away rather than over everything.

Used by scripts/demo.py while it builds the project (QGIS is running by then).
"""

from __future__ import annotations

# The light background: paper-coloured kommuner with thin grey borders, the län's edge darker.
KOMMUN_STYLE = {"color": "246,244,238,255", "outline_color": "150,150,150,255", "outline_width": "0.3"}
LAN_STYLE = {"color": "0,0,0,0", "outline_color": "90,90,90,255", "outline_width": "0.7"}
TATORT_STYLE = {"name": "circle", "color": "120,120,120,255", "outline_style": "no", "size": "1.2"}
# The agency layers in quiet, fixed colours well apart from the classes' (crimson, ochre, yellow,
# blue-grey), so a finding's colour is never mistaken for the interest's own.
AGENCY_STYLES = {
    "nationalparker": {"color": "65,171,93,110", "outline_color": "35,139,69,255", "outline_width": "0.4"},
    "naturminne": {"color": "65,171,93,110", "outline_color": "35,139,69,255", "outline_width": "0.3"},
    "riksintressen_kulturmiljovard": {
        "color": "128,125,186,70",
        "outline_color": "84,39,143,255",
        "outline_width": "0.3",
    },
}
MARGIN = 0.05  # of the region's size on every side


def open_on_region(project, background: dict, quiet_groups=(), quiet_layers=(), agency=()) -> None:
    """Style the background and agency layers, hide what would cover the work, and make the region's
    extent the project's view (what QGIS shows when the project opens: it stores no map)."""
    from qgis.core import (
        QgsFillSymbol,
        QgsMarkerSymbol,
        QgsRectangle,
        QgsReferencedRectangle,
        QgsSingleSymbolRenderer,
    )

    if "kommuner" in background:
        background["kommuner"].setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(KOMMUN_STYLE)))
    if "lan" in background:
        background["lan"].setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(LAN_STYLE)))
    if "tatorter" in background:
        background["tatorter"].setRenderer(
            QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(TATORT_STYLE))
        )
    for layer in agency:
        if layer.name() in AGENCY_STYLES:
            style = QgsFillSymbol.createSimple(AGENCY_STYLES[layer.name()])
            layer.setRenderer(QgsSingleSymbolRenderer(style))
    root = project.layerTreeRoot()
    for name in quiet_groups:
        group = root.findGroup(name)
        if group is not None:
            group.setItemVisibilityChecked(False)
    for layer in quiet_layers:
        root.findLayer(layer.id()).setItemVisibilityChecked(False)
    region = background.get("lan") or background.get("kommuner")
    extent = region.extent()
    dx, dy = extent.width() * MARGIN, extent.height() * MARGIN
    view = QgsRectangle(
        extent.xMinimum() - dx, extent.yMinimum() - dy, extent.xMaximum() + dx, extent.yMaximum() + dy
    )
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(view, region.crs()))
