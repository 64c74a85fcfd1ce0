"""What both sector overlays read the same way: the sector layers, the study area, the log."""

from __future__ import annotations

from qgis.core import QgsVectorLayer

from ..core.errors import LayerError
from ..core.geometry import describe_stats
from ..core.redact import safe_source
from ..core.sectors import SectorLayerRef
from ..i18n import tr
from ..qgis_io.layers import read_layer


def sector_layer_refs(algorithm, parameters, name: str, context) -> list:
    """The chosen sector layers as SectorLayerRefs; an unreadable one is named, none is refused."""

    refs = []
    for layer in algorithm.parameterAsLayerList(parameters, name, context):
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            raise LayerError(
                tr("The layer “{layer}” could not be read as a vector layer.").format(
                    layer=safe_source(layer.name()) if layer is not None else "?"
                )
            )
        refs.append(SectorLayerRef(safe_source(layer.name()), layer.source(), layer))  # names reach outputs
    if not refs:
        raise LayerError(tr("Choose at least one sector layer."))
    return refs


def read_study_area(algorithm, parameters, name: str, context, target_crs, feedback):
    """The study area's polygons in the target CRS, or None when none was given.

    Read before the sectors, so sector features that cannot reach it are never read.
    """

    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        return None
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    layer_name = layer.name() if layer is not None else tr("study area")
    data = read_layer(source, layer_name, target_crs, context.transformContext(), feedback=feedback)
    for message in describe_stats(data.stats, layer_name):
        feedback.pushWarning(message)
    if not len(data.geometries):
        raise LayerError(tr("The study area “{layer}” has no usable polygons.").format(layer=layer_name))
    return data.geometries


def report_sectors(sectors, messages, feedback) -> None:
    """Log what each sector was made of, what was repaired or skipped, and empty sectors."""

    for message in messages:
        feedback.pushWarning(message)
    for sector in sectors:
        for layer_name, stats in sector.stats:
            for message in describe_stats(stats, layer_name):
                feedback.pushWarning(message)
        feedback.pushInfo(
            tr("Sector “{id}” ({name}): {n} features from {layers}").format(
                id=sector.id, name=sector.name, n=len(sector.geometries), layers=", ".join(sector.layer_names)
            )
        )
        if not len(sector.geometries):
            feedback.pushWarning(
                tr("The sector “{id}” has no usable features; it is absent (0) everywhere.").format(
                    id=sector.id
                )
            )
