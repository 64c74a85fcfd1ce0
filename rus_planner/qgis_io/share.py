"""Share as GeoPackage: one file with the layers, their styles and a QGIS project inside.

A QGIS bridge (like ``layers.py``). What a recipient (an agency, another region) gets is
one .gpkg that plain QGIS opens without this plugin: every layer as a table, its style in
``layer_styles`` (so even dragging a single table onto a map shows it styled), the QGIS
project in the GeoPackage's project storage (``qgis_projects``) with relative layer
sources pointing into the same file, and a ``rus_sources`` table naming each layer's
origin and date, the planning profile, the plugin version and the time of the run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsGeometry,
    QgsLayerMetadata,
    QgsMemoryProviderUtils,
    QgsProject,
    QgsProviderRegistry,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..core import naming
from ..core.errors import Cancelled, RusPlannerError
from ..core.redact import has_credentials, safe_source
from ..core.vocabulary import slug, unique
from ..i18n import tr
from .compat import qgs_field
from .feature_writing import add_features
from .share_credentials import keep_credentials_out

PROJECT_NAME = "RUS"
SOURCES_TABLE = "rus_sources"
ROLES = ("element", "sector", "agency", "result")


class ShareError(RusPlannerError):
    """The package could not be written (unwritable file, a layer GDAL refuses)."""


@dataclass
class PackageLayer:
    """One layer going into the package, with where it came from and how it is styled."""

    layer: QgsVectorLayer
    role: str  # one of ROLES
    origin: QgsVectorLayer | None = None  # the input a split layer comes from
    request: QgsFeatureRequest | None = None  # what to copy (None = everything)
    renderer: object = None  # None = keep the layer's own style
    labeling: object = None
    extract: str = ""  # how the features were chosen, in words
    source: str = ""
    date: str | None = None


def _uri_names(layer) -> tuple[str, str]:
    """(table name, file stem) of a layer's source; empty where the source has none."""

    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()) or {}
    path = parts.get("path") or ""
    return parts.get("layerName") or "", os.path.splitext(os.path.basename(path))[0] if path else ""


def effective_crs(layer):
    """The layer's CRS, or its provider's where QGIS leaves the layer without one.

    QGIS 3.22 gives a layer of geometry collections (the check's findings for mixed
    elements) no CRS although the file states one; the provider still knows it.
    """
    crs = layer.crs()
    if not crs.isValid() and layer.dataProvider() is not None:
        crs = layer.dataProvider().crs()
    return crs


def with_crs(layer):
    """The layer itself, or a copy carrying its provider's CRS (see ``effective_crs``)."""
    crs = effective_crs(layer)
    if crs == layer.crs() or not crs.isValid():
        return layer
    copy = layer.clone()
    copy.setCrs(crs)
    return copy


def source_names(layer) -> tuple[str, ...]:
    """The names a layer goes by (``naming.source_names``), from its source as its provider decodes it."""
    return naming.source_names(layer.name(), *_uri_names(layer))


def display_name(layer) -> str:
    """The layer's name, or its table's when the name is only the file's (a headless run).

    Never a name that carries a credential (QGIS 3.44's Processing names a layer loaded
    from a source string after that string): the table's name, else the masked name.
    """
    table, stem = _uri_names(layer)
    return naming.display_name(layer.name(), layer.source(), table=table, stem=stem)


def project_uri(path: str, name: str = PROJECT_NAME) -> str:
    """The project storage URI of a project inside a GeoPackage."""
    return f"geopackage:{path}?projectName={name}"


def table_name(name: str, taken: set[str]) -> str:
    """A lower-case ASCII table name, unique in the package ("Nationalparker 2020" → nationalparker_2020)."""
    base = slug(name, fallback="layer", length=50, digit_prefix="t_", keep_underscores=True)
    candidate = unique(base, taken, (SOURCES_TABLE, "layer_styles", "qgis_projects"))
    taken.add(candidate)
    return candidate


KIND_SUFFIXES = {
    QgsWkbTypes.GeometryType.PointGeometry: "points",
    QgsWkbTypes.GeometryType.LineGeometry: "lines",
    QgsWkbTypes.GeometryType.PolygonGeometry: "areas",
}


def split_by_kind(layer: QgsVectorLayer) -> list[QgsVectorLayer]:
    """A layer of mixed geometry kinds (collections, or a generic column) as one memory layer per kind.

    A findings layer of mixed elements (nodes, corridors and areas together) stores
    geometry collections; QGIS gives such a layer no symbology and most other GIS cannot
    read it, so the package holds ``<name>_points``, ``<name>_lines`` and ``<name>_areas``
    instead, every attribute kept. A layer of one kind is returned as it is.
    """
    if layer.geometryType() == QgsWkbTypes.GeometryType.NullGeometry:
        return [layer]
    # Look at the features, not the declared type: a GeoPackage table with a generic
    # geometry column reports its first feature's type but may hold every kind.
    present = {f.geometry().type() for f in layer.getFeatures() if not f.geometry().isNull()}
    if layer.geometryType() in KIND_SUFFIXES and present <= {layer.geometryType()}:
        return [layer]
    multi = {
        QgsWkbTypes.GeometryType.PointGeometry: QgsWkbTypes.Type.MultiPoint,
        QgsWkbTypes.GeometryType.LineGeometry: QgsWkbTypes.Type.MultiLineString,
        QgsWkbTypes.GeometryType.PolygonGeometry: QgsWkbTypes.Type.MultiPolygon,
    }
    features: dict = {kind: [] for kind in KIND_SUFFIXES}
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if geometry.isNull() or geometry.isEmpty():
            continue
        parts = geometry.asGeometryCollection() if geometry.isMultipart() else [geometry]
        for kind in KIND_SUFFIXES:
            mine = [part for part in parts if part.type() == kind]
            if mine:
                copy = QgsFeature(feature)
                collected = QgsGeometry.collectGeometry(mine)
                collected.convertToMultiType()
                copy.setGeometry(collected)
                features[kind].append(copy)
    layers = []
    for kind, suffix in KIND_SUFFIXES.items():
        if not features[kind]:
            continue
        part = QgsMemoryProviderUtils.createMemoryLayer(
            f"{layer.name()}_{suffix}", layer.fields(), multi[kind], effective_crs(layer)
        )
        add_features(part.dataProvider(), features[kind], part.name())
        part.updateExtents()
        layers.append(part)
    return layers


def extent_request(extent: QgsRectangle) -> QgsFeatureRequest:
    """Features that truly intersect an extent (not only by bounding box).

    The extent is in the package CRS: ``_write_table`` sets that CRS as the request's
    destination, and QGIS then reads the filter rectangle in it.
    """
    request = QgsFeatureRequest().setFilterRect(QgsRectangle(extent))
    request.setFlags(request.flags() | QgsFeatureRequest.Flag.ExactIntersect)
    return request


def write_package(
    path: str,
    layers: list[PackageLayer],
    crs,
    transform_context,
    *,
    title: str,
    abstract: str,
    provenance: dict,
    group_names: dict,
    feedback=None,
) -> list[str]:
    """Write the layers, their styles, the sources table and the project; returns the table names.

    ``provenance`` holds "profile", "plugin_version" and "created" (ISO text);
    ``group_names`` maps each role to the layer-tree group the recipient sees.
    """

    if os.path.exists(path):
        # Callers write to a new file of their own and move it into place when complete
        # (processing/outputs.py): a file already there is not ours to replace.
        raise ShareError(
            tr("{path} exists already; the package is written to a new file only.").format(path=path)
        )
    taken: set[str] = set()
    written: list[tuple[str, PackageLayer, int]] = []
    for number, item in enumerate(layers):
        if feedback is not None:
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(80.0 * number / max(1, len(layers)))
        name = table_name(display_name(item.layer), taken)
        count = _write_table(path, name, item, crs, transform_context, first=not written)
        written.append((name, item, count))
        if feedback is not None:
            feedback.pushInfo(
                tr("{layer}: {n} features written as “{table}”.").format(
                    layer=display_name(item.layer), n=count, table=name
                )
            )
            if has_credentials((item.origin or item.layer).source()):
                feedback.pushWarning(
                    tr(
                        "The data source of “{layer}” holds credentials (a password, key or token). The "
                        "package names the source without them: whoever reloads the layer from its source "
                        "must supply their own."
                    ).format(layer=display_name(item.layer))
                )
    _write_sources(path, written, provenance, first=not written)

    project = QgsProject()
    project.setCrs(crs)
    project.setTitle(title)
    project.writeEntry("Paths", "/Absolute", False)
    metadata = project.metadata()
    metadata.setTitle(title)
    metadata.setAbstract(abstract)
    metadata.setAuthor("RUS Planner")
    project.setMetadata(metadata)
    root = project.layerTreeRoot()
    groups = {}
    for role in ROLES:
        if any(item.role == role for _, item, _ in written):
            groups[role] = root.addGroup(group_names.get(role, role))
    sources_layer = QgsVectorLayer(f"{path}|layername={SOURCES_TABLE}", tr("Data sources"), "ogr")
    for name, item, count in written:
        layer = QgsVectorLayer(f"{path}|layername={name}", display_name(item.layer), "ogr")
        if not layer.isValid():
            raise ShareError(
                tr("The table “{table}” could not be read back from {path}.").format(table=name, path=path)
            )
        if layer.featureCount() != count:  # what reached the file, not what was handed over
            raise ShareError(
                tr(
                    "The table “{table}” holds {written} of {total} features; the package was not kept."
                ).format(table=name, written=layer.featureCount(), total=count)
            )
        _style(layer, item)
        message = layer.saveStyleToDatabase(name, item.extract or "", True, "")
        if message:
            raise ShareError(
                tr("The style of “{layer}” could not be stored: {reason}").format(layer=name, reason=message)
            )
        layer_metadata = QgsLayerMetadata()
        layer_metadata.setTitle(display_name(item.layer))
        layer_metadata.setAbstract(
            tr("Source: {source} ({date}). {extract}")
            .format(
                source=safe_source(item.source), date=item.date or tr("date not known"), extract=item.extract
            )
            .strip()
        )
        layer.setMetadata(layer_metadata)
        project.addMapLayer(layer, False)
        groups[item.role].addLayer(layer)
    if sources_layer.isValid():
        project.addMapLayer(sources_layer, True)
    outside = keep_credentials_out(project)  # every layer points into the package: stays empty
    if not project.write(project_uri(path)):
        raise ShareError(
            tr("The QGIS project could not be stored in {path}: {reason}").format(
                path=path, reason=project.error()
            )
        )
    # Let go of the package's layers now (the signal hooks above keep the project alive until
    # Python collects it): QGIS closes the file only when no layer reads it any more.
    project.clear()
    for layer_name in outside if feedback is not None else ():
        feedback.pushWarning(
            tr(
                "The layer “{layer}” in the package's project reads from outside the package; its "
                "credentials were left out, so the receiver must supply them to open it."
            ).format(layer=layer_name)
        )
    if feedback is not None:
        feedback.setProgress(100.0)
    return [name for name, _, _ in written]


def _style(layer: QgsVectorLayer, item: PackageLayer) -> None:
    if item.renderer is not None:
        layer.setRenderer(item.renderer.clone())
    elif item.layer.renderer() is not None:
        layer.setRenderer(item.layer.renderer().clone())
    labeling = item.labeling if item.labeling is not None else item.layer.labeling()
    if labeling is not None:
        layer.setLabeling(labeling.clone())
        layer.setLabelsEnabled(item.labeling is not None or item.layer.labelsEnabled())


def _write_table(path, name, item: PackageLayer, crs, transform_context, first: bool) -> int:
    """Copy the chosen features into the package, in the package CRS, keeping GeoPackage fids."""
    request = QgsFeatureRequest(item.request) if item.request is not None else QgsFeatureRequest()
    request.setDestinationCrs(crs, transform_context)
    source = item.layer.materialize(request)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (
        QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
        if first
        else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    )
    error, message, _path, _layer = QgsVectorFileWriter.writeAsVectorFormatV3(
        source, path, transform_context, options
    )
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise ShareError(
            tr("The layer “{layer}” could not be written to {path}: {reason}").format(
                layer=display_name(item.layer), path=path, reason=message
            )
        )
    return source.featureCount()


def _write_sources(path: str, written, provenance: dict, first: bool) -> None:
    """The table that lets a recipient verify the package: origin and date of every layer."""
    fields = QgsFields()
    for field_name in ("table_name", "role", "layer_name", "source", "source_date", "features", "extract"):
        fields.append(
            qgs_field(
                field_name, QMetaType.Type.LongLong if field_name == "features" else QMetaType.Type.QString
            )
        )
    for field_name in ("profile", "plugin_version", "created"):
        fields.append(qgs_field(field_name, QMetaType.Type.QString))
    table = QgsMemoryProviderUtils.createMemoryLayer(SOURCES_TABLE, fields, QgsWkbTypes.Type.NoGeometry)
    features = []
    for name, item, count in written:
        feature = QgsFeature(fields)
        feature.setAttributes(
            [
                name,
                item.role,
                safe_source(display_name(item.origin or item.layer)),
                safe_source(item.source),
                item.date,
                count,
                item.extract,
                provenance.get("profile"),
                provenance.get("plugin_version"),
                provenance.get("created"),
            ]
        )
        features.append(feature)
    add_features(table.dataProvider(), features, SOURCES_TABLE)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = SOURCES_TABLE
    options.actionOnExistingFile = (
        QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
        if first
        else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    )
    error, message, _path, _layer = QgsVectorFileWriter.writeAsVectorFormatV3(
        table, path, QgsProject.instance().transformContext(), options
    )
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise ShareError(tr("The table of sources could not be written: {reason}").format(reason=message))
