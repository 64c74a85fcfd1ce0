"""gridoverlay's regular grid written tile by tile: straight into a GeoPackage, or through a sink.

A tile's cells are written as soon as they are measured (core/grid_tiles.py), so no output
ever holds the country in memory. A plain GeoPackage path is written with GDAL and SQLite
directly (qgis_io/grid_gpkg.py; several times faster than a sink for millions of cells);
every other output (memory, shapefile, a table in a GeoPackage, a database) through the
Processing sink as before.
"""

from __future__ import annotations

import time

from qgis.core import QgsProcessingContext, QgsProcessingOutputLayerDefinition
from qgis.PyQt.QtCore import QMetaType

from ..core.errors import Cancelled
from ..i18n import tr
from ..qgis_io.feature_writing import WriteError, write_features
from ..qgis_io.grid_gpkg import GpkgCellWriter
from ..qgis_io.staging import count_features
from .checked_sink import unique_field_names

# numpy is imported in the functions that use it (see grid_overlay.py for why).


def field_specs(fields) -> list[tuple[str, str, int]]:
    """(name, kind, width) of QgsFields for the GeoPackage writer."""
    specs = []
    for field in fields:
        kind = field.type()
        if kind in (QMetaType.Type.Int, QMetaType.Type.LongLong, 2, 4):
            specs.append((field.name(), "integer", 0))
        elif kind in (QMetaType.Type.Double, 6):
            specs.append((field.name(), "real", 0))
        else:
            specs.append((field.name(), "text", max(field.length(), 0)))
    return specs


def tile_columns(result) -> list:
    """The values of a tile's cells, one column per output field (the order of _output_fields)."""
    import numpy as np

    scb, inspire = result.ids()
    columns: list = [scb, inspire, np.full(len(result.keys), float(result.cell_size))]
    columns.append(np.round(result.cell_area, 6))
    for sector in result.sectors:
        for store in (result.share, result.count, result.length):
            if sector.id in store:
                columns.append(store[sector.id])
    columns += [result.sector_count, result.score, result.present]
    return columns


class Totals:
    """What the log says about the whole grid, summed tile by tile."""

    def __init__(self, sectors):
        self.sectors = sectors
        self.cells = 0
        self.km2 = {}
        self.with_share = {}
        self.points = {}
        self.metres = {}
        self.by_count = [0] * (len(sectors) + 1)

    def add(self, result) -> None:
        import numpy as np

        self.cells += len(result.keys)
        full = result.cell_size * result.cell_size
        for sector in result.sectors:
            if sector.id in result.share:
                share = result.share[sector.id]
                self.km2[sector.id] = self.km2.get(sector.id, 0.0) + float(share.sum()) * full / 1e6
                self.with_share[sector.id] = self.with_share.get(sector.id, 0) + int((share > 0).sum())
            if sector.id in result.count:
                self.points[sector.id] = self.points.get(sector.id, 0) + int(result.count[sector.id].sum())
            if sector.id in result.length:
                self.metres[sector.id] = self.metres.get(sector.id, 0.0) + float(
                    result.length[sector.id].sum()
                )
        counts = np.bincount(result.sector_count, minlength=len(self.by_count))
        for index, n in enumerate(counts.tolist()):
            self.by_count[index] += n

    def report(self, feedback) -> None:
        feedback.pushInfo(tr("{n} cells").format(n=self.cells))
        for sector in self.sectors:
            parts = []
            if sector.id in self.km2:
                parts.append(
                    tr("{km2:.1f} km² in {n} cells").format(
                        km2=self.km2[sector.id], n=self.with_share[sector.id]
                    )
                )
            if sector.id in self.points:
                parts.append(tr("{n} points").format(n=self.points[sector.id]))
            if sector.id in self.metres:
                parts.append(tr("{km:.1f} km of lines").format(km=self.metres[sector.id] / 1000))
            feedback.pushInfo(tr("  {id}: {what}").format(id=sector.id, what=", ".join(parts)))
        for count, cells in enumerate(self.by_count):
            if cells:
                feedback.pushInfo(tr("  {count} sectors: {n} cells").format(count=count, n=cells))


def write_tiles(algorithm, parameters, context, fields, crs, tiled, feedback):
    """Measure and write every tile; returns (output id, Totals, seconds measuring, seconds writing).

    Measuring runs on worker threads ahead of the writing; "measuring" is the time this
    thread waited for a tile, "writing" the time it spent writing.
    """
    totals = Totals(tiled.empty_result().sectors)
    direct = algorithm._outputs.direct_gpkg_output(algorithm.OUTPUT)
    waited = wrote = 0.0
    if direct is None:
        from qgis.core import QgsWkbTypes

        sink, dest_id = algorithm.parameterAsSink(
            parameters, algorithm.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, crs
        )
        if sink is None:
            raise WriteError(algorithm.invalidSinkError(parameters, algorithm.OUTPUT))
        writer = None
    else:
        staged, dest_id = direct
        fields, _ = unique_field_names(fields)
        table = _table_name(dest_id)
        label = algorithm.parameterDefinition(algorithm.OUTPUT).description()
        writer = GpkgCellWriter(staged, table, field_specs(fields), crs.toWkt(), label)
    tiles = tiled.iter_results(feedback, then=lambda result: _prepared(writer, result))
    try:
        while True:
            clock = time.perf_counter()
            result, rows = next(tiles, (None, None))
            waited += time.perf_counter() - clock
            if result is None:
                break
            clock = time.perf_counter()
            if writer is None:
                write_features(sink, result.cells, zip(*rows), feedback)
            else:
                if feedback.isCanceled():
                    raise Cancelled()
                writer.write(rows)
            totals.add(result)
            wrote += time.perf_counter() - clock
        clock = time.perf_counter()
        if writer is not None:
            writer.close()
            written = count_features(staged, table)
            if written != writer.count:
                raise WriteError(
                    tr(
                        "{output} could not be written: only {written} of {total} features reached the file."
                    ).format(output=dest_id, written=written or 0, total=writer.count)
                )
            _load_on_completion(algorithm, parameters, context, dest_id)
        wrote += time.perf_counter() - clock
    except BaseException:
        tiles.close()  # the workers stop at their next check
        if writer is not None:
            writer.abort()
        raise
    return dest_id, totals, waited, wrote


def _prepared(writer, result):
    """(result, its rows for the writer): done on the measuring threads, ahead of the writing."""
    from ..core.grid_cells import key_columns_rows

    columns = tile_columns(result)
    if writer is None:
        return result, [c.tolist() if hasattr(c, "tolist") else c for c in columns]
    ix, iy = key_columns_rows(result.keys)
    size = result.cell_size
    return result, writer.prepare(ix * size, iy * size, (ix + 1) * size, (iy + 1) * size, columns)


def _table_name(path: str) -> str:
    """The table is named after the file, as Processing names a sink's table."""
    from pathlib import Path

    return Path(path).stem


def _load_on_completion(algorithm, parameters, context, dest_id: str) -> None:
    """Load the GeoPackage when the run ends, as Processing would have for its sink."""
    value = parameters.get(algorithm.OUTPUT)
    if not isinstance(value, QgsProcessingOutputLayerDefinition) or value.destinationProject is None:
        return
    name = value.destinationName or algorithm.parameterDefinition(algorithm.OUTPUT).description()
    details = QgsProcessingContext.LayerDetails(name, value.destinationProject, algorithm.OUTPUT)
    context.addLayerToLoadOnCompletion(dest_id, details)
