"""rusplanner:sectoroverlay — the exact overlay of sector layers into a planar partition."""

from __future__ import annotations

from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.compat import qgs_field
from ...i18n import tr
from ..base import RusAlgorithm
from ..sector_inputs import read_study_area, report_sectors, sector_layer_refs
from ..styles import SectorCountStyler

#: Post-processors must outlive processAlgorithm: Processing holds only a raw pointer to them.
_STYLERS: dict[str, QgsProcessingLayerPostProcessorInterface] = {}


class SectorOverlayAlgorithm(RusAlgorithm):
    """Overlays the sectors' areas into non-overlapping pieces with flags, count and score."""

    SECTORS = "SECTORS"
    PROFILE = "PROFILE"
    EXTENT_LAYER = "EXTENT_LAYER"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT = "OUTPUT"
    GROUP_ID = "overlay"

    def name(self) -> str:
        return "sectoroverlay"

    def displayName(self) -> str:  # noqa: N802
        return tr("Sector overlay (exact)")

    def shortHelpString(self) -> str:  # noqa: N802
        return (
            tr(
                "Lays the sectors' planning layers on top of each other and shows where they meet. "
                "The output is a partition into polygons that do not overlap; each has one field per "
                "sector (1 where the sector is present, else 0), sector_count (how many sectors), "
                "score (the sum of the present sectors' weights) and sectors (their ids). Overlaps "
                "inside one sector are merged first, so nothing is counted twice. The fields "
                "<sector>_src list the input features (layer:feature id) that cover each piece."
            )
            + "\n\n"
            + tr(
                "The planning profile says which layer belongs to which sector, with weights, filters "
                "and buffer distances; without a profile each layer is a sector of its own with weight 1. "
                "Points and lines need a buffer distance in the profile to have an area. With a study "
                "area, the sectors are clipped to it and the output covers all of it, with sector_count "
                "0 where no sector is present. Areas are computed in the target CRS, which must be "
                "projected (metres)."
            )
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SECTORS, tr("Sector layers"), QgsProcessing.SourceType.TypeVectorAnyGeometry
            )
        )
        self.add_profile_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.EXTENT_LAYER,
                tr("Study area"),
                [QgsProcessing.SourceType.TypeVectorPolygon],
                optional=True,
            )
        )
        # Optional only so that a run without the parameter gets the default: QGIS 3.22 refuses
        # a missing CRS value even when the parameter has a default.
        self.add_target_crs_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Sector overlay"), QgsProcessing.SourceType.TypeVectorPolygon
            )
        )

    def process(self, parameters, context, feedback) -> dict:
        import numpy as np
        import shapely

        from ...core.layers import Cancelled, LayerError
        from ...core.overlay import format_sources, overlay_sectors
        from ...core.phases import LAST, Phases
        from ...core.sectors import prepare_sectors

        # Seconds per phase, for make bench (bench/bench_overlay.py); nothing the user sees.
        phases = LAST[self.name()] = Phases()
        steps = QgsProcessingMultiStepFeedback(4, feedback)
        target_crs = self.target_crs(parameters, context)
        refs = sector_layer_refs(self, parameters, self.SECTORS, context)
        # No profile (none given, none in the project) means: each layer is a sector, weight 1.
        profile = self.resolve_profile(parameters, context, feedback, self.PROFILE, default=False)

        transform_context = context.transformContext()
        # The study area first: features that cannot reach it are then not read at all.
        near = read_study_area(self, parameters, self.EXTENT_LAYER, context, target_crs, steps)
        extent = shapely.union_all(near) if near is not None else None

        steps.setCurrentStep(1)
        with phases("read"):
            sectors, messages = prepare_sectors(
                refs, profile, target_crs, transform_context, steps, near=near
            )
        report_sectors(sectors, messages, feedback)
        if steps.isCanceled():
            raise Cancelled()

        steps.setCurrentStep(2)
        with phases("overlay"):
            result = overlay_sectors(sectors, extent, feedback=steps)
        if steps.isCanceled():
            raise Cancelled()

        steps.setCurrentStep(3)
        fields = QgsFields()
        for sector_id in result.sector_ids:
            fields.append(qgs_field(sector_id, QMetaType.Type.Int))
        fields.append(qgs_field("sector_count", QMetaType.Type.Int))
        fields.append(qgs_field("score", QMetaType.Type.Double))
        fields.append(qgs_field("sectors", QMetaType.Type.QString, length=254))
        for sector_id in result.sector_ids:
            fields.append(qgs_field(f"{sector_id}_src", QMetaType.Type.QString, length=254))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, target_crs
        )
        if sink is None:
            raise LayerError(self.invalidSinkError(parameters, self.OUTPUT))

        with phases("write"):
            counts = result.sector_count
            source_columns = [
                [format_sources([sector.feature_refs[i] for i in found]) if found else "" for found in column]
                for sector, column in zip(sectors, result.sources)
            ]
            texts: dict[tuple, str] = {}  # one readable "kultur, transport" per flag pattern
            rows = [
                flags
                + [
                    count,
                    score,
                    texts.get(tuple(flags)) or texts.setdefault(tuple(flags), result.text_of(flags)),
                ]
                + [column[index] for column in source_columns]
                for index, (flags, count, score) in enumerate(
                    zip(result.flags.tolist(), counts.tolist(), result.score.tolist())
                )
            ]
            write_features(sink, result.geometries, rows, steps)

        areas = shapely.area(result.geometries) if len(result.geometries) else np.zeros(0)
        feedback.pushInfo(
            tr("{n} pieces, {area:.1f} km² in total").format(n=len(rows), area=areas.sum() / 1e6)
        )
        for count in range(len(sectors) + 1):
            covered = areas[counts == count].sum()
            if covered:
                feedback.pushInfo(
                    tr("Area covered by {count} sectors: {area:.1f} km²").format(
                        count=count, area=covered / 1e6
                    )
                )
        if context.willLoadLayerOnCompletion(dest_id):
            styler = SectorCountStyler(len(sectors))
            _STYLERS[dest_id] = styler
            context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(styler)
        return {self.OUTPUT: dest_id}


def write_features(sink, geometries, rows, feedback) -> None:
    """Write through the core bridge (imported late: it needs numpy and shapely)."""
    from ...core.layers import write_features as write

    write(sink, geometries, rows, feedback)
