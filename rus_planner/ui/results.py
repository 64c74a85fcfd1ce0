"""The findings layer of the panel: a GeoPackage beside the project, in the RUS-resultat group.

Memory layers are lost when a project is saved, so the findings are written to
``<project name>_rus_resultat.gpkg`` beside the .qgz. Before the project has a file the
GeoPackage goes to a temporary folder and is moved beside the project when it is saved
(see ``RusCheckDock.write_to_project``). The layer is styled by severity with the same
renderer as the Processing output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from qgis.core import QgsFeature, QgsGeometry, QgsLayerTreeGroup, QgsVectorLayer

from ..core.export import RESULT_FIELDS, conform_geometry, write_geopackage
from ..i18n import tr

RESULTS_GROUP = "RUS-resultat"
PARENT_GROUP = "Resultat"  # made by "New RUS project"; the results go inside when it exists
TABLE = "rus_findings"


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
    wkbs = shapely.to_wkb(result.finding_geometries) if result.finding_count else []
    for wkb in wkbs:
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        geometries.append(geometry)
    return rows, geometries


def write_results(path: str, rows: list[dict], geometries: list, crs, transform_context=None) -> None:
    write_geopackage(
        rows,
        geometries,
        crs,
        path,
        layer_name=TABLE,
        fields=RESULT_FIELDS,
        transform_context=transform_context,
    )


def results_group(project) -> QgsLayerTreeGroup:
    """The RUS-resultat group (inside Resultat when the project has it), made when missing."""
    root = project.layerTreeRoot()
    group = root.findGroup(RESULTS_GROUP)
    if group is not None:
        return group
    parent = root.findGroup(PARENT_GROUP) or root
    return parent.insertGroup(0, RESULTS_GROUP)


def add_results_layer(project, path: str) -> QgsVectorLayer:
    """Load the GeoPackage's findings, styled by severity, into the results group."""
    from ..processing.algorithms.check_elements import severity_renderer

    layer = QgsVectorLayer(f"{path}|layername={TABLE}", tr("RUS check findings"), "ogr")
    if layer.isValid():
        renderer = severity_renderer(layer, "severity")
        if renderer is not None:
            layer.setRenderer(renderer)
    project.addMapLayer(layer, False)
    results_group(project).insertLayer(0, layer)
    return layer


def remove_layer(project, layer_id: str) -> None:
    if layer_id and project.mapLayer(layer_id) is not None:
        project.removeMapLayer(layer_id)


def read_rows(layer) -> list[dict]:
    """The layer's findings as rows, with ``geometry`` and the layer's feature id ``_fid``."""
    if layer is None or not layer.isValid():
        return []
    names = [field.name() for field in layer.fields()]
    rows = []
    for feature in layer.getFeatures():
        row = {}
        for name, value in zip(names, feature.attributes()):
            row[name] = None if value is None or (hasattr(value, "isNull") and value.isNull()) else value
        row["geometry"] = QgsGeometry(feature.geometry())
        row["_fid"] = feature.id()
        rows.append(row)
    return rows


def replace_findings(layer, element_layer_id: str, element_fids, rows: list[dict], geometries: list) -> None:
    """Live mode: drop the findings of some elements (all of the layer when fids is None), add new."""
    provider = layer.dataProvider()
    wanted = None if element_fids is None else {int(f) for f in element_fids}
    stale = [
        f.id()
        for f in layer.getFeatures()
        if f["element_layer_id"] == element_layer_id and (wanted is None or int(f["element_fid"]) in wanted)
    ]
    if stale:
        provider.deleteFeatures(stale)
    features = []
    names = [field.name() for field in layer.fields()]
    for row, geometry in zip(rows, geometries):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(conform_geometry(geometry, layer.wkbType()))
        feature.setAttributes([row.get(name) if name != "fid" else None for name in names])
        features.append(feature)
    if features:
        provider.addFeatures(features)
    layer.updateExtents()
    layer.triggerRepaint()


def move_beside(project, path: str) -> str:
    """Copy a temporary results GeoPackage beside the (now saved) project; returns the new path."""
    target = results_path_for(project)
    if os.path.abspath(target) != os.path.abspath(path) and os.path.exists(path):
        shutil.copyfile(path, target)
    return target
