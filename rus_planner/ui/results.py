"""The findings layers of the panel: a GeoPackage beside the project, in the RUS-resultat group.

Memory layers are lost when a project is saved, so the findings are written to
``<project name>_rus_resultat.gpkg`` beside the .qgz. Before the project has a file the
GeoPackage goes to a temporary folder and is moved beside the project when it is saved
(see ``RusCheckDock.on_project_write``).

A finding has its element's geometry kind, and a QGIS layer draws one kind, so there is
one table and one layer per element kind of the run (nodes, corridors, areas), each styled
by severity with the renderer of the Processing output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from qgis.core import QgsFeature, QgsGeometry, QgsLayerTreeGroup, QgsVectorLayer, QgsWkbTypes

from ..core.export import RESULT_FIELDS, conform_geometry, write_geopackage
from ..i18n import tr

RESULTS_GROUP = "RUS-resultat"
KINDS = ("point", "line", "polygon")
_QGIS_KINDS = {
    QgsWkbTypes.PointGeometry: "point",
    QgsWkbTypes.LineGeometry: "line",
    QgsWkbTypes.PolygonGeometry: "polygon",
}
_MULTI = {
    "point": QgsWkbTypes.MultiPoint,
    "line": QgsWkbTypes.MultiLineString,
    "polygon": QgsWkbTypes.MultiPolygon,
}


def table_name(kind: str) -> str:
    return f"rus_findings_{kind}"


def kind_label(kind: str) -> str:
    return {"point": tr("nodes"), "line": tr("corridors"), "polygon": tr("areas")}[kind]


def layer_kind(layer) -> str | None:
    """point / line / polygon of a vector layer (None for tables)."""
    return _QGIS_KINDS.get(QgsWkbTypes.geometryType(layer.wkbType()))


def results_path_for(project) -> str:
    """Beside the project file; a temporary folder while the project has no file."""
    if project.fileName():
        path = Path(project.fileName())
        return str(path.with_name(f"{path.stem}_rus_resultat.gpkg"))
    folder = Path(tempfile.gettempdir()) / "rus_planner"
    folder.mkdir(exist_ok=True)
    return str(folder / f"rus_resultat_{uuid.uuid4().hex[:8]}.gpkg")


def is_beside(project, path: str) -> bool:
    return bool(project.fileName()) and Path(path).parent == Path(project.fileName()).parent


def result_rows(result, element_layer_ids: dict[str, str]) -> tuple[list[dict], list]:
    """Rows (dicts) and QgsGeometry values from a CheckResult; element layer ids added."""
    import shapely

    rows = []
    for values in result.finding_rows():
        row = dict(zip((name for name, _ in RESULT_FIELDS), values))
        row["element_layer_id"] = element_layer_ids.get(row["element_layer"], "")
        rows.append(row)
    geometries = []
    # output_dimension=3: inside the QGIS desktop shapely may run on the system's older GEOS,
    # which refuses shapely's default of 4 dimensions.
    wkbs = shapely.to_wkb(result.finding_geometries, output_dimension=3) if result.finding_count else []
    for wkb in wkbs:
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        geometries.append(geometry)
    return rows, geometries


def _geometry_kind(geometry) -> str | None:
    return _QGIS_KINDS.get(QgsWkbTypes.geometryType(geometry.wkbType())) if not geometry.isNull() else None


def write_results(path: str, kinds, rows: list[dict], geometries: list, crs, transform_context=None) -> None:
    """One table per element kind of the run (empty ones too: live mode adds to them)."""
    if os.path.exists(path):
        os.remove(path)
    for kind in kinds:
        chosen = [i for i, geometry in enumerate(geometries) if _geometry_kind(geometry) == kind]
        write_geopackage(
            [rows[i] for i in chosen],
            [geometries[i] for i in chosen],
            crs,
            path,
            layer_name=table_name(kind),
            fields=RESULT_FIELDS,
            transform_context=transform_context,
            wkb_type=_MULTI[kind],
            append_layer=True,
        )


def results_group(project) -> QgsLayerTreeGroup:
    """The RUS-resultat group, made at the top of the layer tree when missing.

    At the top because the findings are drawn over the elements they are part of; below
    the element areas they would be hidden.
    """
    root = project.layerTreeRoot()
    group = root.findGroup(RESULTS_GROUP)
    if group is None:
        group = root.insertGroup(0, RESULTS_GROUP)
    return group


def add_results_layers(project, path: str, kinds) -> list[QgsVectorLayer]:
    """Load the GeoPackage's findings tables, styled by severity, into the results group."""
    from ..processing.styles import severity_renderer

    layers = []
    group = results_group(project)
    for kind in kinds:
        name = tr("RUS check findings: {kind}").format(kind=kind_label(kind))
        layer = QgsVectorLayer(f"{path}|layername={table_name(kind)}", name, "ogr")
        if layer.isValid():
            renderer = severity_renderer(layer, "severity")
            if renderer is not None:
                layer.setRenderer(renderer)
        project.addMapLayer(layer, False)
        group.insertLayer(len(layers), layer)
        layers.append(layer)
    # The view could not expand the group while it was empty, and setting an unchanged
    # state tells it nothing: toggle it so the new findings layers show.
    group.setExpanded(False)
    group.setExpanded(True)
    return layers


def remove_layers(project, layer_ids) -> None:
    for layer_id in layer_ids:
        if layer_id and project.mapLayer(layer_id) is not None:
            project.removeMapLayer(layer_id)


def read_rows(layers) -> list[dict]:
    """The layers' findings as rows, with ``geometry``, ``_layer_id`` and the feature id ``_fid``."""
    rows = []
    for layer in layers:
        if layer is None or not layer.isValid():
            continue
        names = [field.name() for field in layer.fields()]
        for feature in layer.getFeatures():
            row = {}
            for name, value in zip(names, feature.attributes()):
                row[name] = None if value is None or (hasattr(value, "isNull") and value.isNull()) else value
            row["geometry"] = QgsGeometry(feature.geometry())
            row["_layer_id"] = layer.id()
            row["_fid"] = feature.id()
            rows.append(row)
    return rows


def replace_findings(layers, element_layer_id: str, element_fids, rows: list[dict], geometries: list) -> None:
    """Live mode: drop the findings of some elements (all of the layer when fids is None), add new."""
    wanted = None if element_fids is None else {int(f) for f in element_fids}
    by_kind = {layer_kind(layer): layer for layer in layers}
    for layer in layers:
        stale = [
            f.id()
            for f in layer.getFeatures()
            if f["element_layer_id"] == element_layer_id
            and (wanted is None or int(f["element_fid"]) in wanted)
        ]
        if stale:
            layer.dataProvider().deleteFeatures(stale)
    for kind, layer in by_kind.items():
        features = []
        names = [field.name() for field in layer.fields()]
        for row, geometry in zip(rows, geometries):
            if _geometry_kind(geometry) != kind:
                continue
            feature = QgsFeature(layer.fields())
            feature.setGeometry(conform_geometry(geometry, layer.wkbType()))
            feature.setAttributes([row.get(name) if name != "fid" else None for name in names])
            features.append(feature)
        if features:
            layer.dataProvider().addFeatures(features)
    for layer in layers:
        layer.updateExtents()
        layer.triggerRepaint()


def move_beside(project, path: str) -> str:
    """Copy a temporary results GeoPackage beside the (now saved) project; returns the new path."""
    target = results_path_for(project)
    if os.path.abspath(target) != os.path.abspath(path) and os.path.exists(path):
        shutil.copyfile(path, target)
    return target
