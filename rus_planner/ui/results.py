"""The findings layers of the panel: a GeoPackage beside the project, in the RUS-resultat group.

Memory layers are lost when a project is saved, so the findings are written to
``<project name>_rus_resultat.gpkg`` beside the .qgz. Before the project has a file the
GeoPackage goes to a temporary folder and is moved beside the project when it is saved
(see ``RusCheckDock.on_project_write``).

A finding has its element's geometry kind, and a QGIS layer draws one kind, so there is
one table and one layer per element kind of the run (nodes, corridors, areas), each styled
by severity with the renderer of the Processing output.

The panel replaces only what it wrote itself. Its GeoPackage carries a table ``OWNER_TABLE``
naming the panel's tables; a file is the panel's to replace when it has that table and
nothing but the tables it names. Anything else (the project's Processing results, a file of
the user's with the same name) is never deleted or written into: the findings go to a file
of their own, and replacing a file that is not the panel's is asked first. The GeoPackage is
written complete beside the target and then moved over it, so a failure leaves it as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from qgis.core import QgsFeature, QgsGeometry, QgsLayerTreeGroup, QgsVectorLayer, QgsWkbTypes

from ..i18n import tr
from ..processing.styles import severity_renderer
from ..qgis_io.export import RESULT_FIELDS, ExportError, conform_geometry, write_geopackage
from ..qgis_io.feature_writing import add_features
from ..qgis_io.staging import atomic_file, free_name, same_file

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

RESULTS_GROUP = "RUS-resultat"
KINDS = ("point", "line", "polygon")
_QGIS_KINDS = {
    QgsWkbTypes.GeometryType.PointGeometry: "point",
    QgsWkbTypes.GeometryType.LineGeometry: "line",
    QgsWkbTypes.GeometryType.PolygonGeometry: "polygon",
}
_MULTI = {
    "point": QgsWkbTypes.Type.MultiPoint,
    "line": QgsWkbTypes.Type.MultiLineString,
    "polygon": QgsWkbTypes.Type.MultiPolygon,
}


#: The table that marks a GeoPackage as the panel's own and names the tables it wrote.
OWNER_TABLE = "rus_planner_panel"
OWNER_FIELDS = (("table_name", "str"), ("kind", "str"), ("written_at", "str"))


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
    import shapely  # not at the top: the plugin loads without shapely (see dependencies.py)

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


def write_results(
    path: str, kinds, rows: list[dict], geometries: list, crs, transform_context=None, before_replace=None
) -> None:
    """One table per element kind of the run (empty ones too: live mode adds to them), and the
    table that marks the file as the panel's, all in a new file moved over ``path`` only when
    complete. ``before_replace`` runs just before that move (to let go of the old layers).

    Raises ExportError or OutputError; ``path`` is then left as it was.
    """
    written_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with atomic_file(path, tr("The findings")) as staged:
        for kind in kinds:
            chosen = [i for i, geometry in enumerate(geometries) if _geometry_kind(geometry) == kind]
            write_geopackage(
                [rows[i] for i in chosen],
                [geometries[i] for i in chosen],
                crs,
                staged,
                layer_name=table_name(kind),
                fields=RESULT_FIELDS,
                transform_context=transform_context,
                wkb_type=_MULTI[kind],
                append_layer=True,
            )
        write_geopackage(
            [{"table_name": table_name(kind), "kind": kind, "written_at": written_at} for kind in kinds],
            [None] * len(kinds),
            crs,
            staged,
            layer_name=OWNER_TABLE,
            fields=OWNER_FIELDS,
            transform_context=transform_context,
            wkb_type=QgsWkbTypes.Type.NoGeometry,
            append_layer=True,
        )
        if before_replace is not None:
            before_replace()


def owned_tables(path: str | Path) -> set[str] | None:
    """The tables the panel wrote into a GeoPackage (by its marker table); None when the file is
    not the panel's. Read without touching the file (SQLite's immutable read-only mode)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            names = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if OWNER_TABLE not in names or "gpkg_contents" not in names:
                return None
            owned = {row[0] for row in connection.execute(f'SELECT table_name FROM "{OWNER_TABLE}"')}
            contents = {row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")}
    except sqlite3.Error:
        return None
    return owned if contents <= owned | {OWNER_TABLE} else None


def is_own_results(path: str | Path) -> bool:
    """True when the file is the panel's own results GeoPackage and holds nothing else."""
    return owned_tables(path) is not None


def results_target(project, current: str) -> tuple[str, str | None]:
    """Where this run's findings go, and a file there that is not the panel's (to ask about
    before replacing it; None when there is nothing to ask).

    The last run's file when it is the panel's own and still where it belongs; else
    ``<project>_rus_resultat.gpkg`` beside the project (a new file while the project has none).
    """
    if current and is_own_results(current) and (is_beside(project, current) or not project.fileName()):
        return current, None
    target = results_path_for(project)
    if os.path.lexists(target) and not is_own_results(target):
        return target, target
    return target, None


def alternative_path(path: str) -> str:
    """A free name beside ``path`` for when the user keeps the file that is there."""
    return str(free_name(path))


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


def reads_replaced_or_own(layer, path: str) -> bool:
    """True for a layer that reads ``path`` (about to be replaced) or a GeoPackage of the panel's own."""
    if layer is None:
        return False
    source = layer.source().split("|")[0]
    if not source or not os.path.exists(source):
        return False
    return (os.path.lexists(path) and same_file(source, path)) or is_own_results(source)


def reads_own(layer) -> bool:
    """True for a layer that reads a GeoPackage of the panel's own."""
    source = layer.source().split("|")[0] if layer is not None else ""
    return bool(source) and is_own_results(source)


def layer_reading(project, path: str):
    """A layer of the project whose data is the file ``path`` (None when there is none)."""
    if not os.path.lexists(path):
        return None
    for layer in project.mapLayers().values():
        source = layer.source().split("|")[0]
        if source and os.path.exists(source) and same_file(source, path):
            return layer
    return None


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
        if stale and not layer.dataProvider().deleteFeatures(stale):
            raise ExportError(
                tr(
                    "The old findings of the edited elements could not be removed from “{layer}”: {reason}"
                ).format(
                    layer=layer.name(),
                    reason=layer.dataProvider().lastError() or tr("the data source gave no reason"),
                )
            )
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
        add_features(layer.dataProvider(), features, layer.name())
    for layer in layers:
        layer.updateExtents()
        layer.triggerRepaint()


def move_beside(project, path: str) -> str:
    """Copy a temporary results GeoPackage beside the (now saved) project; returns the new path.

    Beside the project means ``<project>_rus_resultat.gpkg``, unless a file of that name is
    there that is not the panel's: then the next free name, so nothing of anyone's is replaced.
    """
    target = results_path_for(project)
    if os.path.lexists(target) and same_file(target, path):
        return target
    if os.path.lexists(target) and not is_own_results(target):
        target = alternative_path(target)
    if os.path.exists(path):
        with atomic_file(target, tr("The findings")) as staged:
            shutil.copyfile(path, staged)
    return target
