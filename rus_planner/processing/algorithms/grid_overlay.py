"""rusplanner:gridoverlay — sector shares, counts and lengths per cell of the SCB grid."""

from __future__ import annotations

import time

from qgis.core import (
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.errors import Cancelled, LayerError
from ...core.geometry import describe_stats
from ...i18n import tr
from ...qgis_io.compat import qgs_field
from ...qgis_io.feature_writing import write_features
from ...qgis_io.layers import read_layer
from ..base import RusAlgorithm
from ..sector_inputs import read_study_area, report_sectors, sector_layer_refs
from ..styles import SectorCountStyler

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

#: Post-processors must outlive processAlgorithm: Processing keeps only a raw pointer to them.
_STYLERS: dict[str, QgsProcessingLayerPostProcessorInterface] = {}

#: Above this many cells a run would take hours and tens of GB: refuse with the numbers.
MAX_CELLS = 50_000_000


class GridOverlayAlgorithm(RusAlgorithm):
    """Measures every sector per grid cell: covered share, point count, line length."""

    SECTORS = "SECTORS"
    PROFILE = "PROFILE"
    CELL_SIZE = "CELL_SIZE"
    GRID_LAYER = "GRID_LAYER"
    EXTENT_LAYER = "EXTENT_LAYER"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT = "OUTPUT"
    CELL_COUNT = "CELL_COUNT"
    GROUP_ID = "overlay"

    def name(self) -> str:
        return "gridoverlay"

    def displayName(self) -> str:  # noqa: N802
        return tr("Sector overlay on a grid")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Measures the sectors' planning layers on a grid, so sectors can be compared cell by "
            "cell and joined with statistics. By default the grid is SCB's statistical grid: square "
            "cells of the given size in SWEREF 99 TM with corners on multiples of the size, named "
            "like SCB names them (rutid_scb, rutid_inspire). An existing grid layer, such as SCB's "
            "population grid, can be used instead; its cells and fields are kept.\n\n"
            "Per cell and sector: <sector>_share, the share of the cell covered by the sector (0–1, "
            "overlaps inside a sector counted once); for points without a buffer <sector>_count, "
            "the number of points; for lines without a buffer <sector>_length_m, the length in "
            "metres. A sector is present in a cell when its share, count or length is above 0, "
            "however small. sector_count is the number of present sectors, score the sum of their "
            "weights and sectors their ids.\n\n"
            "With a study area only its cells are made (with 0 where no sector is present) and the "
            "sectors are clipped to it; cell_area is the part of each cell inside it (m²). Without "
            "one, the cells are those where a sector is present. The planning profile says which "
            "layer belongs to which sector, with weights, filters and buffer distances; without a "
            "profile each layer is a sector of its own with weight 1. The target CRS must be "
            "projected (metres)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SECTORS, tr("Sector layers"), QgsProcessing.SourceType.TypeVectorAnyGeometry
            )
        )
        self.add_profile_parameter()
        self.addParameter(
            QgsProcessingParameterNumber(
                self.CELL_SIZE,
                tr("Cell size (metres, SCB grid)"),
                QgsProcessingParameterNumber.Type.Double,
                defaultValue=1000.0,
                minValue=0.01,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.GRID_LAYER,
                tr("Existing grid (instead of the SCB grid; its fields are kept)"),
                [QgsProcessing.SourceType.TypeVectorPolygon],
                optional=True,
            )
        )
        self.add_study_area_parameter(self.EXTENT_LAYER)
        # Optional only so that a run without the parameter gets the default: QGIS 3.22 refuses
        # a missing CRS value even when the parameter has a default.
        self.add_target_crs_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Sector grid"), QgsProcessing.SourceType.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.CELL_COUNT, tr("Number of cells")))

    # ------------------------------------------------------------------ run

    def process(self, parameters, context, feedback) -> dict:
        from ...core.grid import overlay_grid_layer
        from ...qgis_io.sector_read import prepare_sectors

        steps = QgsProcessingMultiStepFeedback(4, feedback)
        target_crs = self.target_crs(parameters, context)
        cell_size = self.parameterAsDouble(parameters, self.CELL_SIZE, context)
        if not cell_size > 0:
            raise LayerError(tr("The cell size must be more than 0 metres."))

        refs = sector_layer_refs(self, parameters, self.SECTORS, context)
        profile = self.resolve_profile(parameters, context, feedback, default=False)

        transform_context = context.transformContext()
        clock = time.perf_counter()
        # The study area first: sector features that cannot reach it are never read.
        extent = read_study_area(self, parameters, self.EXTENT_LAYER, context, target_crs, steps)
        grid = None
        if parameters.get(self.GRID_LAYER):
            grid = self._read_grid(parameters, context, target_crs, steps)
            feedback.pushInfo(
                tr("Existing grid “{layer}”: {n} cells; the cell size is not used.").format(
                    layer=grid[0], n=len(grid[1].geometries)
                )
            )
        if steps.isCanceled():
            raise Cancelled()

        steps.setCurrentStep(1)
        sectors, messages = prepare_sectors(refs, profile, target_crs, transform_context, steps, near=extent)
        report_sectors(sectors, messages, feedback)
        if steps.isCanceled():
            raise Cancelled()
        if grid is None:
            self._check_cell_count(sectors, extent, cell_size)
            if target_crs.authid() != "EPSG:3006":
                feedback.pushWarning(
                    tr(
                        "SCB's grid and cell ids are defined in SWEREF 99 TM (EPSG:3006); in {crs} the "
                        "cells are aligned to its coordinates and the ids only name their corners."
                    ).format(crs=target_crs.authid() or target_crs.description())
                )

        feedback.pushInfo(tr("Read the layers in {s:.1f} s").format(s=time.perf_counter() - clock))
        clock = time.perf_counter()
        steps.setCurrentStep(2)
        if grid is None:
            return self._tiled(parameters, context, target_crs, sectors, cell_size, extent, steps, feedback)
        result = overlay_grid_layer(sectors, grid[1].geometries, extent, feedback=steps)
        if steps.isCanceled():
            raise Cancelled()

        feedback.pushInfo(tr("Measured the cells in {s:.1f} s").format(s=time.perf_counter() - clock))
        clock = time.perf_counter()
        steps.setCurrentStep(3)
        dest_id = self._write(parameters, context, target_crs, result, grid, steps)
        feedback.pushInfo(tr("Wrote the cells in {s:.1f} s").format(s=time.perf_counter() - clock))
        self._report_result(result, feedback)
        self._style(context, dest_id, len(sectors))
        return {self.OUTPUT: dest_id, self.CELL_COUNT: len(result.keys)}

    def _tiled(self, parameters, context, target_crs, sectors, cell_size, extent, steps, feedback) -> dict:
        """The SCB grid measured and written tile by tile (processing/grid_writing.py)."""
        from ...core.grid_tiles import TiledGrid
        from ..grid_writing import write_tiles

        clock = time.perf_counter()
        tiled = TiledGrid(sectors, cell_size, extent)
        prepared = time.perf_counter() - clock
        feedback.pushInfo(
            tr("{n} tiles of {cells} × {cells} cells").format(n=len(tiled.tiles), cells=tiled.tile_cells)
        )
        fields, renamed = self._output_fields(tiled.empty_result(), None)
        dest_id, totals, waited, wrote = write_tiles(
            self, parameters, context, fields, target_crs, tiled, steps
        )
        if steps.isCanceled():
            raise Cancelled()
        feedback.pushInfo(tr("Measured the cells in {s:.1f} s").format(s=prepared + waited))
        feedback.pushInfo(tr("Wrote the cells in {s:.1f} s").format(s=wrote))
        totals.report(feedback)
        self._style(context, dest_id, len(sectors))
        return {self.OUTPUT: dest_id, self.CELL_COUNT: totals.cells}

    def _style(self, context, dest_id: str, sectors: int) -> None:
        if context.willLoadLayerOnCompletion(dest_id):
            styler = SectorCountStyler(sectors, outlines=False)
            _STYLERS[dest_id] = styler
            context.layerToLoadOnCompletionDetails(dest_id).setPostProcessor(styler)

    # ------------------------------------------------------------------ steps

    def _read_grid(self, parameters, context, target_crs, feedback):
        """(name, LayerData with every field, QgsFields kept) of the existing grid."""

        source = self.parameterAsSource(parameters, self.GRID_LAYER, context)
        if source is None:
            raise LayerError(self.invalidSourceError(parameters, self.GRID_LAYER))
        layer = self.parameterAsVectorLayer(parameters, self.GRID_LAYER, context)
        layer_name = layer.name() if layer is not None else tr("grid")
        kept = QgsFields()
        for field in source.fields():
            if field.name().lower() != "fid":  # the file's own feature id, not data
                kept.append(QgsField(field))
        data = read_layer(
            source,
            layer_name,
            target_crs,
            context.transformContext(),
            attributes=tuple(f.name() for f in kept),
            feedback=feedback,
        )
        for message in describe_stats(data.stats, layer_name):
            feedback.pushWarning(message)
        if not len(data.geometries):
            raise LayerError(tr("The grid “{layer}” has no usable cells.").format(layer=layer_name))
        return layer_name, data, kept

    def _check_cell_count(self, sectors, extent, cell_size) -> None:
        """Refuse a cell size that would make an absurd number of cells, before making any."""
        import numpy as np
        import shapely

        if extent is not None:
            area = float(shapely.area(extent).sum())
        else:
            boxes = [shapely.total_bounds(s.geometries) for s in sectors if len(s.geometries)]
            area = float(sum((b[2] - b[0] + cell_size) * (b[3] - b[1] + cell_size) for b in boxes))
        estimate = int(np.ceil(area / (cell_size * cell_size)))
        if estimate > MAX_CELLS:
            raise LayerError(
                tr(
                    "A cell size of {size} m would make about {n} cells, more than {max} can be handled. "
                    "Choose a larger cell size or a smaller study area."
                ).format(size=f"{cell_size:g}", n=f"{estimate:,}", max=f"{MAX_CELLS:,}")
            )

    def _output_fields(self, result, grid):
        """(QgsFields, renamed fields) with our fields renamed where the grid has the name."""
        fields = QgsFields()
        taken: set[str] = set()
        renamed: list[str] = []
        if grid is not None:
            for field in grid[2]:
                fields.append(QgsField(field))
                taken.add(field.name().lower())

        def add(name: str, kind, **kwargs) -> str:
            candidate, n = name, 2
            while candidate.lower() in taken:
                candidate = f"{name}_{n}"
                n += 1
            taken.add(candidate.lower())
            fields.append(qgs_field(candidate, kind, **kwargs))
            if candidate != name:
                renamed.append(f"{name} → {candidate}")
            return candidate

        names: dict[str, str] = {}
        if grid is None:
            names["rutid_scb"] = add("rutid_scb", QMetaType.Type.QString, length=20)
            names["rutid_inspire"] = add("rutid_inspire", QMetaType.Type.QString, length=48)
            names["rutstorl"] = add("rutstorl", QMetaType.Type.Double)
        names["cell_area"] = add("cell_area", QMetaType.Type.Double)
        for sector in result.sectors:
            if sector.id in result.share:
                names[("share", sector.id)] = add(f"{sector.id}_share", QMetaType.Type.Double)
            if sector.id in result.count:
                names[("count", sector.id)] = add(f"{sector.id}_count", QMetaType.Type.Int)
            if sector.id in result.length:
                names[("length", sector.id)] = add(f"{sector.id}_length_m", QMetaType.Type.Double)
        names["sector_count"] = add("sector_count", QMetaType.Type.Int)
        names["score"] = add("score", QMetaType.Type.Double)
        names["sectors"] = add("sectors", QMetaType.Type.QString, length=254)
        return fields, renamed

    def _write(self, parameters, context, target_crs, result, grid, feedback) -> str:
        import numpy as np

        fields, renamed = self._output_fields(result, grid)
        if renamed:
            feedback.pushWarning(
                tr("Fields renamed because the grid already has fields of that name: {names}").format(
                    names=", ".join(renamed)
                )
            )
        n = len(result.keys)
        columns: list = []  # an existing grid's cells (the SCB grid is written by grid_writing.py)
        data = grid[1]
        for field in grid[2]:
            values = data.attributes[field.name()]
            columns.append([values[i] for i in result.keys.tolist()])
        columns.append(np.round(result.cell_area, 6))
        for sector in result.sectors:
            if sector.id in result.share:
                columns.append(result.share[sector.id])
            if sector.id in result.count:
                columns.append(result.count[sector.id])
            if sector.id in result.length:
                columns.append(result.length[sector.id])
        columns += [result.sector_count, result.score, result.present]

        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, target_crs
        )
        if sink is None:
            raise LayerError(self.invalidSinkError(parameters, self.OUTPUT))
        lists = [c.tolist() if isinstance(c, np.ndarray) else c for c in columns]
        write_features(sink, result.cells, _with_progress(zip(*lists), n, feedback), feedback)
        return dest_id

    def _report_result(self, result, feedback) -> None:
        import numpy as np

        feedback.pushInfo(tr("{n} cells").format(n=len(result.keys)))
        for sector in result.sectors:
            parts = []
            if sector.id in result.share:
                share = result.share[sector.id]
                parts.append(
                    tr("{km2:.1f} km² in {n} cells").format(
                        km2=float((share * _full_areas(result)).sum()) / 1e6, n=int((share > 0).sum())
                    )
                )
            if sector.id in result.count:
                parts.append(tr("{n} points").format(n=int(result.count[sector.id].sum())))
            if sector.id in result.length:
                parts.append(
                    tr("{km:.1f} km of lines").format(km=float(result.length[sector.id].sum()) / 1000)
                )
            feedback.pushInfo(tr("  {id}: {what}").format(id=sector.id, what=", ".join(parts)))
        for count in range(len(result.sectors) + 1):
            cells = int(np.count_nonzero(result.sector_count == count))
            if cells:
                feedback.pushInfo(tr("  {count} sectors: {n} cells").format(count=count, n=cells))


def _with_progress(rows, total: int, feedback, every: int = 5000):
    """Rows passed through, reporting progress while a large grid is written."""
    for index, row in enumerate(rows):
        if index % every == 0:
            feedback.setProgress(100.0 * index / max(total, 1))
        yield row


def _full_areas(result):
    import shapely

    if result.cell_size is not None:
        return result.cell_size * result.cell_size
    return shapely.area(result.cells)
