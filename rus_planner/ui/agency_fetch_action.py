"""“Hämta myndighetsunderlag…”: the fetchagencydata dialog filled in from the project, its layers
loaded into the “Myndighetsunderlag” group afterwards.

A thin front end: Processing's own dialog runs the algorithm (in the background, with progress and
Cancel); this module only proposes the parameters and puts the fetched tables in the project.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsFillSymbol, QgsProject, QgsSingleSymbolRenderer, QgsVectorLayer, QgsWkbTypes

from ..i18n import tr
from ..qgis_io.agency_store import read_states

AGENCY_GROUP = "Myndighetsunderlag"
# One outline colour per agency (the first word of its name), so the group reads at a glance.
_COLOURS = {
    "Naturvårdsverket": "35,132,67",
    "Länsstyrelsen": "33,102,172",
    "Riksantikvarieämbetet": "140,81,10",
    "Statistiska": "120,120,120",
}


def fetch_parameters(project: QgsProject, canvas_extent=None) -> dict:
    """Parameters for rusplanner:fetchagencydata: the GeoPackage beside the project, and the map's
    extent (in the project's CRS) for when no county is chosen."""
    parameters: dict = {}
    if project.fileName():
        path = Path(project.fileName())
        parameters["OUTPUT"] = str(path.with_name(f"{path.stem}_myndighetsunderlag.gpkg"))
    if canvas_extent is not None and not canvas_extent.isEmpty() and project.crs().isValid():
        parameters["EXTENT"] = (
            f"{canvas_extent.xMinimum()},{canvas_extent.xMaximum()},"
            f"{canvas_extent.yMinimum()},{canvas_extent.yMaximum()} [{project.crs().authid()}]"
        )
    return parameters


def load_fetched_layers(project: QgsProject, path: str) -> list[QgsVectorLayer]:
    """Every table of an agency GeoPackage into the "Myndighetsunderlag" group (made when missing),
    styled by agency; a table already loaded from the same source is reloaded, not added twice.
    A table whose fetch failed is loaded too, named so: the check makes its rules class D."""
    root = project.layerTreeRoot()
    group = root.findGroup(AGENCY_GROUP) or root.insertGroup(0, AGENCY_GROUP)
    loaded = []
    for state in read_states(path).values():
        source = f"{path}|layername={state.layer}"
        existing = [layer for layer in project.mapLayers().values() if layer.source() == source]
        name = state.theme or state.layer
        if state.status == "failed":
            name = tr("{theme} (not fetched)").format(theme=name)
        elif state.status == "cached":
            name = tr("{theme} (retrieved {date})").format(theme=name, date=state.retrieved[:10])
        if existing:
            layer = existing[0]
            layer.setName(name)
            layer.reload()
        else:
            layer = QgsVectorLayer(source, name, "ogr")
            if not layer.isValid():
                continue
            _style(layer, state.agency)
            project.addMapLayer(layer, False)
            group.addLayer(layer)
        loaded.append(layer)
    return loaded


def _style(layer: QgsVectorLayer, agency: str) -> None:
    colour = next((c for key, c in _COLOURS.items() if agency.startswith(key)), "90,90,90")
    if layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
        return  # points and lines keep QGIS's default symbol
    symbol = QgsFillSymbol.createSimple(
        {"color": f"{colour},60", "outline_color": f"{colour},255", "outline_width": "0.4"}
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def run_fetch_dialog(iface) -> list[QgsVectorLayer]:
    """Open the algorithm's dialog filled in; load what it wrote into the project."""
    import processing  # QGIS's Processing plugin: QGIS may start it after this one

    project = QgsProject.instance()
    results = processing.execAlgorithmDialog(
        "rusplanner:fetchagencydata", fetch_parameters(project, iface.mapCanvas().extent())
    )
    output = (results or {}).get("OUTPUT")
    if not output or not Path(output).is_file():
        return []
    return load_fetched_layers(project, output)
