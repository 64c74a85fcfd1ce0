"""rusplanner:sectoroverlay — the exact overlay of sector layers into a planar partition."""

from __future__ import annotations

from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterMultipleLayers,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.errors import Cancelled, LayerError
from ...core.phases import LAST, Phases
from ...i18n import tr
from ...qgis_io.compat import qgs_field
from ...qgis_io.feature_writing import write_columns
from ..base import RusAlgorithm
from ..sector_inputs import read_study_area, report_sectors, sector_layer_refs
from ..styles import SectorCountStyler

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

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
        self.add_study_area_parameter(self.EXTENT_LAYER)
        # Optional only so that a run without the parameter gets the default: QGIS 3.22 refuses
        # a missing CRS value even when the parameter has a default.
        self.add_target_crs_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Sector overlay"), QgsProcessing.SourceType.TypeVectorPolygon
            )
        )

    def process(self, parameters, context, feedback) -> dict:
        import shapely

        from ...core.overlay import overlay_chunks
        from ...qgis_io.qgis_polygonize import polygonize_outside_gil
        from ...qgis_io.sector_read import prepare_sectors

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

        fields = QgsFields()
        for sector in sectors:
            fields.append(qgs_field(sector.id, QMetaType.Type.Int))
        fields.append(qgs_field("sector_count", QMetaType.Type.Int))
        fields.append(qgs_field("score", QMetaType.Type.Double))
        fields.append(qgs_field("sectors", QMetaType.Type.QString, length=254))
        for sector in sectors:
            fields.append(qgs_field(f"{sector.id}_src", QMetaType.Type.QString, length=254))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, target_crs
        )
        if sink is None:
            raise LayerError(self.invalidSinkError(parameters, self.OUTPUT))

        # Each chunk of pieces is written while the threads work on the next tiles.
        steps.setCurrentStep(2)
        writer = PieceWriter(sink, sectors, steps)
        for chunk in overlay_chunks(
            sectors, extent, feedback=steps, phases=phases, polygonize=polygonize_outside_gil
        ):
            with phases("write"):
                writer.write(chunk)
        if steps.isCanceled():
            raise Cancelled()
        steps.setCurrentStep(3)

        feedback.pushInfo(
            tr("{n} pieces, {area:.1f} km² in total").format(n=writer.count, area=writer.areas.sum() / 1e6)
        )
        for count, covered in enumerate(writer.areas.tolist()):
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


class PieceWriter:
    """Writes the overlay's pieces chunk by chunk: flags, count, score, sectors, sources."""

    def __init__(self, sink, sectors, feedback):
        import numpy as np

        self.sink = sink
        self.sectors = sectors
        self.feedback = feedback
        self.count = 0
        self.areas = np.zeros(len(sectors) + 1)  # area covered by 0, 1, ... sectors
        self.texts: dict[tuple, str] = {}  # one readable "kultur, transport" per flag pattern
        self.refs = [np.asarray(sector.feature_refs, dtype=object) for sector in sectors]

    def write(self, chunk) -> None:
        import numpy as np
        import shapely

        from ...core.overlay import source_texts

        n = len(chunk.geometries)
        counts = chunk.sector_count
        self.areas += np.bincount(counts, weights=shapely.area(chunk.geometries), minlength=len(self.areas))
        # One readable "kultur, transport" per pattern of flags, made once for the whole run;
        # a pattern is known by its bits (sorting whole rows costs more than the rest here).
        if chunk.flags.shape[1] <= 62:
            bits = chunk.flags.astype(np.int64) @ (
                np.int64(1) << np.arange(chunk.flags.shape[1], dtype=np.int64)
            )
            _, first, which = np.unique(bits, return_index=True, return_inverse=True)
            patterns = chunk.flags[first]
        else:
            patterns, which = np.unique(chunk.flags, axis=0, return_inverse=True)
        texts = [
            self.texts.get(key) or self.texts.setdefault(key, chunk.text_of(key))
            for key in map(tuple, patterns.tolist())
        ]
        columns = [
            *chunk.flags.T.tolist(),
            counts.tolist(),
            chunk.score.tolist(),
            list(map(texts.__getitem__, np.asarray(which).reshape(-1).tolist())),
            *(source_texts(pairs, refs, n) for refs, pairs in zip(self.refs, chunk.pairs)),
        ]
        write_columns(self.sink, chunk.geometries, columns, self.feedback)
        self.count += n
