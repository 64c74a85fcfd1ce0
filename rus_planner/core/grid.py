"""Sector measures on a grid: covered share, point count and line length per cell.

The regular grid is SCB's statistical grid: square cells in SWEREF 99 TM whose corners
lie on multiples of the cell size, named like SCB names them (``rutid_scb`` is the
6-digit easting and the 7-digit northing of the lower-left corner). Only the cells that
are needed are ever made: the cells of the study area when one is given, else the cells
a sector touches. Nothing is rasterised, so the shares are exact areas.

How it stays fast on a national 1 km grid: every polygon part is cut by a quadtree-like
recursion over integer cell ranges (4 × 4 blocks per step), so a large polygon is cut
into small pieces before any single cell is intersected; blocks that a part contains are
filled at once without any intersection, and blocks outside the study area are dropped.
Overlaps inside one sector are merged first, tile by tile (16 × 16 cells, only the parts
that really overlap another part), so nothing is counted twice and the cells only sum.

The SCB grid is measured tile by tile (grid_tiles.py, 256 × 256 cells): a tile's cells
are ready to write before the next tile is made, so memory follows the tile, not the
country. The cell ids and keys are in grid_cells.py, the cutting in grid_clip.py, one sector's
measures per cell in grid_measure.py, cancel checks and threads in grid_jobs.py; this
module assembles them on the regular grid or on an existing grid layer.

Definitions (kept in step with the exact overlay):

* ``<id>_share`` = area(cell ∩ study area ∩ union of the sector) / area(cell), 0–1;
* ``<id>_count`` = points of a point sector without buffer in the cell (each part of a
  multipoint counts; a point on a cell edge belongs to the cell to its upper right, as
  in SCB's grid, where a cell holds its lower-left corner);
* ``<id>_length_m`` = length in metres of the union of a line sector in the cell (on
  the SCB grid a stretch along a cell edge goes to the cell above or to the right, like
  a point; on an existing grid layer it counts in both cells that share the edge; where
  two lines of a sector lie on top of each other along a cell edge, both are counted);
* on an existing grid layer a point on a shared edge is counted in one of the cells;
* a sector is *present* in a cell when its share, count or length is above 0 — a sliver
  of any size counts, so no threshold hides a real overlap;
* ``sector_count`` = number of present sectors; ``score`` = sum of the present sectors'
  weights (not weighted by share), exactly as the exact overlay defines it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .grid_cells import DEFAULT_CELL_SIZE, key_columns_rows, scb_ids
from .grid_clip import clip_to_grid, overlap_flags, split_by_dimension
from .grid_jobs import CHUNK_COORDINATES, _chunks, _Ticker
from .grid_measure import (
    CellValues,
    SectorCells,
    _measures_of,
    _sum_pieces,
    dissolve_in_tiles,
)
from .grid_tiles import TiledGrid

# --------------------------------------------------------------------------- results


@dataclass
class GridResult:
    """Cells and their measures, ready to write: one entry per cell in every array."""

    cells: object  # shapely polygons (the cells)
    keys: object  # int64 cell keys (regular grid) or row numbers of the grid layer
    cell_area: object  # m² of each cell inside the study area (the whole cell without one)
    sectors: list[SectorCells]
    share: dict[str, object]  # sector id -> share 0–1 per cell
    count: dict[str, object]  # sector id -> point count per cell
    length: dict[str, object]  # sector id -> line length (m) per cell
    sector_count: object
    score: object
    present: list[str]  # comma-separated ids of the present sectors per cell
    cell_size: float | None = None

    def ids(self) -> tuple[list[str], list[str]]:
        """SCB ids of the cells of a regular grid."""
        ix, iy = key_columns_rows(self.keys)
        return scb_ids(ix, iy, self.cell_size)


def _present_text(present, ids) -> list[str]:
    """Comma-separated ids of the present sectors, built once per distinct combination."""

    n = present.shape[1]
    if not len(ids) or not n:
        return [""] * n
    combos, inverse = np.unique(present.T, axis=0, return_inverse=True)
    texts = np.array([",".join(ids[row]) for row in combos], dtype=object)
    return texts[inverse.reshape(-1)].tolist()


def _assemble(sectors: list[SectorCells], keys, cell_area_full, cell_area, cells, cell_size) -> GridResult:
    """Map every sector's values onto the output cells and derive count, score and ids."""

    n = len(keys)
    share, count, length = {}, {}, {}
    present = np.zeros((len(sectors), n), dtype=bool)
    for index, sector in enumerate(sectors):
        for name, store, scale in (
            ("share", share, cell_area_full),
            ("count", count, None),
            ("length", length, None),
        ):
            values: CellValues | None = getattr(sector, name)
            if values is None:
                continue
            column = np.zeros(n)
            position = np.searchsorted(keys, values.keys)
            position = np.minimum(position, max(n - 1, 0))
            found = (keys[position] == values.keys) if n else np.zeros(len(values.keys), dtype=bool)
            column[position[found]] = values.values[found]
            if scale is not None:
                column = np.clip(column / scale, 0.0, 1.0)
            if name == "count":
                column = column.astype(np.int64)
            store[sector.id] = column
            present[index] |= column > 0
    weights = np.array([s.weight for s in sectors], dtype=float).reshape(-1, 1)
    ids = np.array([s.id for s in sectors], dtype=object)
    text = _present_text(present, ids)
    return GridResult(
        cells=cells,
        keys=keys,
        cell_area=cell_area,
        sectors=sectors,
        share=share,
        count=count,
        length=length,
        sector_count=present.sum(axis=0).astype(np.int64),
        score=(present * weights).sum(axis=0) if len(sectors) else np.zeros(n),
        present=text,
        cell_size=cell_size,
    )


def overlay_regular_grid(
    sectors, cell_size: float = DEFAULT_CELL_SIZE, extent=None, feedback=None
) -> GridResult:
    """Shares, counts and lengths of prepared sectors on the SCB-aligned grid of cell_size.

    sectors: ``PreparedSector`` objects (geometries in a projected CRS, metres).
    extent: optional polygons of the study area; the cells are then those of the study
    area (with zeros where no sector is), and sectors are clipped to it. Without it the
    cells are those where at least one sector is present. All cells at once, sorted by
    key: the tiles of grid_tiles.TiledGrid put together (a large grid is better written
    tile by tile, as it comes from ``TiledGrid.iter_results``).
    """

    tiled = TiledGrid(sectors, cell_size, extent)
    ticker = _Ticker(feedback)
    results = list(tiled.iter_results(ticker.span(0.0, 0.9)))
    result = concatenate(results, tiled)
    ticker.set(0.95)
    return result


def concatenate(results: list[GridResult], tiled: TiledGrid) -> GridResult:
    """One GridResult of the tiles' results, sorted by cell key."""

    if not results:
        return tiled.empty_result()
    keys = np.concatenate([r.keys for r in results])
    order = np.argsort(keys, kind="stable")

    def joined(values):
        return np.concatenate([np.asarray(v) for v in values])[order]

    return GridResult(
        cells=joined(r.cells for r in results),
        keys=keys[order],
        cell_area=joined(r.cell_area for r in results),
        sectors=results[0].sectors,
        share={k: joined(r.share[k] for r in results) for k in results[0].share},
        count={k: joined(r.count[k] for r in results) for k in results[0].count},
        length={k: joined(r.length[k] for r in results) for k in results[0].length},
        sector_count=joined(r.sector_count for r in results),
        score=joined(r.score for r in results),
        present=joined(np.array(r.present, dtype=object) for r in results).tolist(),
        cell_size=tiled.size,
    )


# --------------------------------------------------------------------------- an existing grid layer


def _pair_with_cells(pieces, tree, cells, areal: bool, ticker):
    """(cell row, piece ∩ cell) for every piece and every cell it meets; full cells apart."""

    piece_index, cell_index = tree.query(pieces, predicate="intersects")
    full = np.zeros(len(piece_index), dtype=bool)
    cut = np.empty(len(piece_index), dtype=object)
    shapely.prepare(pieces)
    for start, stop in _chunks(shapely.get_num_coordinates(pieces)[piece_index], CHUNK_COORDINATES):
        ticker.check()
        p, c = pieces[piece_index[start:stop]], cells[cell_index[start:stop]]
        if areal:
            full[start:stop] = shapely.contains(p, c)
        rest = ~full[start:stop]
        cut[start:stop][rest] = shapely.intersection(p[rest], c[rest])
    shapely.destroy_prepared(pieces)
    return piece_index, cell_index, full, cut


def overlay_grid_layer(sectors, cells, extent=None, feedback=None) -> GridResult:
    """Shares, counts and lengths of prepared sectors on the cells of an existing grid.

    cells: shapely polygons (e.g. SCB's population grid) in the sectors' CRS; the result
    keeps their order (``keys`` are row numbers into cells) so their fields can be kept.
    With an extent, only cells that meet the study area are kept and sectors are clipped
    to it.
    """

    ticker = _Ticker(feedback)
    cells = np.asarray(cells, dtype=object)
    rows = np.arange(len(cells), dtype=np.int64)
    full_area = shapely.area(cells)
    targets = cells
    area = full_area
    if extent is not None:
        polygons, _, _ = split_by_dimension(extent)
        dissolved = shapely.union_all(polygons) if len(polygons) else shapely.Polygon()
        shapely.prepare(dissolved)
        inside = shapely.contains(dissolved, cells)
        meets = inside | shapely.intersects(dissolved, cells)
        clipped = cells.copy()
        border = meets & ~inside
        clipped[border] = shapely.intersection(cells[border], dissolved)
        area = shapely.area(clipped)
        keep = inside | (border & (area > 0))
        rows, targets, area, full_area = rows[keep], clipped[keep], area[keep], full_area[keep]
        cells = cells[keep]
    tree = shapely.STRtree(targets)
    # Coarse tiles first, so a large polygon is cut small before it meets the cells.
    side = float(np.sqrt(np.median(full_area))) if len(full_area) else DEFAULT_CELL_SIZE
    tile = max(side, 1.0) * 8
    results = []
    n = max(len(sectors), 1)
    for index, sector in enumerate(sectors):
        span = ticker.span(0.05 + 0.85 * index / n, 0.05 + 0.85 * (index + 1) / n)
        span.set(0.0)
        polygons, lines, points = split_by_dimension(sector.geometries)
        wants_share, wants_length, wants_count = _measures_of(sector, polygons, lines, points)
        result = SectorCells(id=sector.id, name=sector.name, weight=sector.weight)
        for geoms, areal, attribute, wanted in (
            (polygons, True, "share", wants_share),
            (lines, False, "length", wants_length),
        ):
            if not wanted:
                continue
            if areal:  # overlaps merged per tile first, so the cells only sum
                geoms = dissolve_in_tiles(geoms, tile, None, span)
                flags = np.zeros(len(geoms), dtype=bool)
            else:
                flags = overlap_flags(geoms, areal)
            if areal:
                coarse = clip_to_grid(geoms, tile, areal=areal, ticker=span)
                fx, fy = key_columns_rows(coarse.full_keys)
                full_tiles = shapely.box(fx * tile, fy * tile, (fx + 1) * tile, (fy + 1) * tile)
                pieces = np.concatenate([coarse.pieces, full_tiles])
                parts = np.concatenate([coarse.piece_parts, coarse.full_parts])
            else:  # lines meet the cells whole: rectangle clipping would drop tile-edge segments
                pieces, parts = geoms, np.arange(len(geoms))
            piece_index, cell_index, full, cut = _pair_with_cells(pieces, tree, targets, areal, span)
            part_flags = flags[parts[piece_index]]
            rest = ~full
            summed = _sum_pieces(cell_index[rest], cut[rest], part_flags[rest], areal, span)
            column = np.zeros(len(targets))
            column[summed.keys] = summed.values
            if areal:
                column[np.unique(cell_index[full])] = area[np.unique(cell_index[full])]
            keep = column > 0
            setattr(result, attribute, CellValues(np.flatnonzero(keep), column[keep]))
        if wants_count:
            point_index, cell_index = tree.query(points, predicate="intersects")
            # A point on a shared edge belongs to one cell only: the first one.
            order = np.lexsort((cell_index, point_index))
            point_index, cell_index = point_index[order], cell_index[order]
            first = (
                np.r_[True, point_index[1:] != point_index[:-1]] if len(point_index) else np.zeros(0, bool)
            )
            unique, counts = np.unique(cell_index[first], return_counts=True)
            result.count = CellValues(unique.astype(np.int64), counts.astype(np.float64))
        results.append(result)
        span.set(1.0)
    result = _assemble(results, np.arange(len(targets), dtype=np.int64), full_area, area, cells, None)
    result.keys = rows
    ticker.set(0.95)
    return result
