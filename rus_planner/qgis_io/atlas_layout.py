"""The sector atlas's page from a print layout template: the shipped
resources/layouts/sektorsatlas.qpt, or a user's own copy of it changed in QGIS's layout designer.

The template holds the page's design; the run fills in what is the run's own. Items are found by
their id: "map" (required: the atlas-driven overlay map), "locator", "legend", "scalebar". Its
texts are expressions over layout variables the run sets in the report's language (@rus_title,
@rus_subtitle, @rus_figures, @rus_crs, @rus_sources, @rus_provenance, @rus_page, @rus_of) and the
page's zone ("zone_name", "figures"), so a user may reword, move or restyle any of them.
"""

from __future__ import annotations

from qgis.core import (
    QgsExpressionContextUtils,
    QgsLayerTree,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsPrintLayout,
    QgsReadWriteContext,
    QgsUnitTypes,
)
from qgis.PyQt.QtXml import QDomDocument

from ..core.errors import RusPlannerError
from ..i18n import tr
from ..resources import resource_path
from . import layout as lay

TEMPLATE = resource_path("layouts", "sektorsatlas.qpt")


def read_template(path: str) -> QDomDocument:
    """The template as a DOM document; a clear message when it cannot be read or is no layout."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise RusPlannerError(
            tr("The layout template “{path}” could not be read ({reason}).").format(
                path=path, reason=getattr(error, "strerror", None) or error
            )
        ) from None
    document = QDomDocument()
    parsed = document.setContent(text)
    if (
        not (parsed[0] if isinstance(parsed, tuple) else parsed)
        or document.documentElement().tagName() != "Layout"
    ):
        raise RusPlannerError(
            tr(
                "“{path}” is not a QGIS print layout template (.qpt): save one from the layout designer."
            ).format(path=path)
        )
    return document


def atlas_document(project, zones, overlay, variables: dict, legend_title: str, language: str, template=None):
    """The atlas layout over ``zones`` (the coverage, fields zone_name and figures) showing ``overlay``."""
    path = str(template or TEMPLATE)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.undoStack().blockCommands(True)  # nobody undoes a generated atlas
    _, loaded = layout.loadFromTemplate(read_template(path), QgsReadWriteContext(), True)
    map_item = layout.itemById("map")
    if not loaded or not isinstance(map_item, QgsLayoutItemMap):
        raise RusPlannerError(
            tr(
                "The layout template “{path}” has no map item with the id “map”: give the atlas map that id."
            ).format(path=path)
        )
    keep = []
    map_item.setCrs(zones.crs())
    map_item.setLayers([zones, overlay])
    map_item.setKeepLayerSet(True)
    map_item.setAtlasDriven(True)
    map_item.zoomToExtent(zones.extent())
    locator = layout.itemById("locator")
    if isinstance(locator, QgsLayoutItemMap):
        locator.setCrs(zones.crs())
        locator.setLayers([zones])
        locator.setKeepLayerSet(True)
        locator.setAtlasDriven(False)
        locator.zoomToExtent(zones.extent())
    legend = layout.itemById("legend")
    if isinstance(legend, QgsLayoutItemLegend):
        root = QgsLayerTree()
        for layer in (overlay, zones):
            root.addLayer(layer)
        legend.setAutoUpdateModel(False)
        legend.model().setRootGroup(root)
        legend.setLinkedMap(map_item)
        legend.setTitle(legend_title)
        keep.append(root)
    bar = layout.itemById("scalebar")
    if isinstance(bar, QgsLayoutItemScaleBar):
        bar.setLinkedMap(map_item)
        lay.write_numbers(bar, language)
        bar.applyDefaultSize(
            QgsUnitTypes.DistanceUnit.DistanceKilometers
            if map_item.scale() > 40_000
            else QgsUnitTypes.DistanceUnit.DistanceMeters
        )
    for name, value in variables.items():
        QgsExpressionContextUtils.setLayoutVariable(layout, name, value)
    atlas = layout.atlas()
    atlas.setCoverageLayer(zones)
    atlas.setEnabled(True)
    return lay.Document(layout, keep)
