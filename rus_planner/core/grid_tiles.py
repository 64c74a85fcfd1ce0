"""The regular grid streamed in tiles: memory follows the tile, not the country.

The study area and every sector are cut to one tile of TILE_CELLS × TILE_CELLS cells at a
time (tile edges are cell edges, so every cell is in exactly one tile) and measured there
with the same functions as a whole grid (grid_measure.py); a tile's cells are ready to
write before the next tile is made. Two things are done once for the whole sector, because
cutting to a tile would change them: a line's segments that lie on a cell edge are taken
out first (rectangle clipping drops a segment along the rectangle's edge), and each
point's cell is found from its coordinates. The tiles are made on worker threads, at most
a few ahead of the one being written, so writing and measuring overlap and memory stays
bounded.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely

from .errors import Cancelled
from .grid_cells import cell_keys, key_columns_rows
from .grid_clip import _clip_by_rects, split_by_dimension
from .grid_jobs import MAX_WORKERS, _Ticker, _WorkerTicker
from .grid_measure import (
    TILE_CELLS as DISSOLVE_TILE_CELLS,
)
from .grid_measure import (
    CellValues,
    SectorCells,
    _areal_on_regular_grid,
    _linear_on_regular_grid,
    _measures_of,
    _points_on_regular_grid,
    regular_study_area,
    split_edge_segments,
)

TILE_CELLS = 16 * DISSOLVE_TILE_CELLS  # 256 × 256 cells: 65 536 cells at most per tile
EMPTY_KEYS = np.empty(0, dtype=np.int64)


@dataclass
class _Sector:
    """One sector ready to be cut to tiles: its parts by dimension, indexed once."""

    sector: object
    polygons: object
    lines: object
    points: object
    point_keys: object
    edge_keys: object
    edge_pieces: object
    wants: tuple[bool, bool, bool]
    polygon_tree: object
    line_tree: object


def _prepare(sector, size: float) -> _Sector:
    polygons, lines, points = split_by_dimension(sector.geometries)
    wants = _measures_of(sector, polygons, lines, points)
    edge_keys, edge_pieces = EMPTY_KEYS, np.empty(0, dtype=object)
    if wants[1]:
        lines, edge_keys, edge_pieces = split_edge_segments(lines, size)
    xy = shapely.get_coordinates(points)
    point_keys = cell_keys(
        np.floor(xy[:, 0] / size).astype(np.int64), np.floor(xy[:, 1] / size).astype(np.int64)
    )
    return _Sector(
        sector=sector,
        polygons=polygons,
        lines=lines,
        points=points,
        point_keys=point_keys,
        edge_keys=edge_keys,
        edge_pieces=edge_pieces,
        wants=wants,
        polygon_tree=shapely.STRtree(polygons),
        line_tree=shapely.STRtree(lines),
    )


class TiledGrid:
    """The tiles of one run: which there are, and the cells and measures of each."""

    def __init__(self, sectors, cell_size: float, extent=None, tile_cells: int | None = None):
        tile_cells = tile_cells or TILE_CELLS
        if not cell_size > 0:
            raise ValueError("cell_size must be positive")
        if tile_cells % DISSOLVE_TILE_CELLS:
            raise ValueError("tile_cells must be a multiple of grid_measure.TILE_CELLS")
        self.size = float(cell_size)
        self.tile_cells = int(tile_cells)
        self.sectors = [_prepare(s, self.size) for s in sectors]
        self.study = None
        if extent is not None:
            study, _, _ = split_by_dimension(extent)
            self.study = (study, shapely.STRtree(study))
        self.tiles = self._tiles()

    def _tile_of_box(self, bounds):
        span = self.size * self.tile_cells
        tx0 = np.floor(bounds[:, 0] / span).astype(np.int64)
        ty0 = np.floor(bounds[:, 1] / span).astype(np.int64)
        tx1 = np.floor(bounds[:, 2] / span).astype(np.int64)
        ty1 = np.floor(bounds[:, 3] / span).astype(np.int64)
        return tx0, ty0, tx1, ty1

    def _tiles(self) -> list[tuple[int, int]]:
        """The tiles that can hold a cell: those meeting the study area (or any sector) by box."""
        if self.study is not None:
            geometries = [self.study[0]]
        else:
            geometries = [g for s in self.sectors for g in (s.polygons, s.lines, s.points)]
        geometries = [g for g in geometries if len(g)]
        if not geometries:
            return []
        boxes = shapely.bounds(np.concatenate(geometries))
        tx0, ty0, tx1, ty1 = self._tile_of_box(boxes)
        found = set()
        trees = [(self.study[1], self.study[0])] if self.study is not None else []
        for x0, y0, x1, y1 in zip(tx0.tolist(), ty0.tolist(), tx1.tolist(), ty1.tolist()):
            for ty in range(y0, y1 + 1):
                for tx in range(x0, x1 + 1):
                    found.add((tx, ty))
        tiles = sorted(found, key=lambda t: (t[1], t[0]))
        if trees:  # a large part's box covers many tiles it never meets
            rects = np.array([self.rect(t) for t in tiles])
            boxes = shapely.box(rects[:, 0], rects[:, 1], rects[:, 2], rects[:, 3])
            tile_index, _ = trees[0][0].query(boxes, predicate="intersects")
            tiles = [tiles[i] for i in np.unique(tile_index).tolist()]
        return tiles

    def rect(self, tile) -> tuple[float, float, float, float]:
        """The tile's rectangle; computed as cell index × size, exactly like the cells' corners."""
        tx, ty = tile
        n = self.tile_cells
        return (tx * n * self.size, ty * n * self.size, (tx + 1) * n * self.size, (ty + 1) * n * self.size)

    def _in_tile(self, keys, tile):
        ix, iy = key_columns_rows(keys)
        n = self.tile_cells
        return (ix // n == tile[0]) & (iy // n == tile[1])

    def _cut(self, geometries, tree, rect):
        """The parts that meet the tile, cut to it; single parts of the tree's dimension."""
        if not len(geometries):
            return geometries
        index = tree.query(shapely.box(*rect))
        if not len(index):
            return geometries[:0]
        index.sort()
        n = len(index)
        cut = _clip_by_rects(geometries[index], *(np.full(n, value) for value in rect))
        polygons, lines, _ = split_by_dimension(cut)
        return polygons if shapely.get_type_id(geometries[0]) == 3 else lines

    def measure(self, tile, ticker=None):
        """The tile's cells with every sector's measures (a GridResult), or None without cells."""
        from .grid import _assemble  # grid.py builds on this module

        ticker = ticker or _Ticker(None)
        rect = self.rect(tile)
        study = None
        if self.study is not None:
            parts = self._cut(self.study[0], self.study[1], rect)
            if not len(parts):
                return None
            study = regular_study_area(parts, self.size, ticker)
            if not len(study.keys):
                return None
        results = []
        for prepared in self.sectors:
            ticker.check()
            sector = prepared.sector
            wants_share, wants_length, wants_count = prepared.wants
            cells = SectorCells(id=sector.id, name=sector.name, weight=sector.weight)
            if wants_share:
                polygons = self._cut(prepared.polygons, prepared.polygon_tree, rect)
                cells.share = _areal_on_regular_grid(polygons, self.size, study, ticker)
            if wants_length:
                lines = self._cut(prepared.lines, prepared.line_tree, rect)
                inside = self._in_tile(prepared.edge_keys, tile)
                edges = (prepared.edge_keys[inside], prepared.edge_pieces[inside])
                cells.length = _linear_on_regular_grid(lines, self.size, study, ticker, edges=edges)
            if wants_count:
                inside = self._in_tile(prepared.point_keys, tile)
                cells.count = _points_on_regular_grid(prepared.points[inside], self.size, study)
            results.append(cells)
        if study is not None:
            keys, area = study.keys, study.area
        else:
            used = [v.keys for s in results for v in (s.share, s.count, s.length) if v is not None]
            keys = np.unique(np.concatenate(used)) if used else EMPTY_KEYS
            keys = keys[self._in_tile(keys, tile)]
            if not len(keys):
                return None
            area = np.full(len(keys), self.size * self.size)
        ix, iy = key_columns_rows(keys)
        size = self.size
        cells = shapely.box(ix * size, iy * size, (ix + 1) * size, (iy + 1) * size)
        return _assemble(results, keys, size * size, area, cells, size)

    def empty_result(self):
        """A GridResult without cells but with every sector's columns: what a tile holds."""
        from .grid import _assemble

        empty = CellValues(EMPTY_KEYS, np.empty(0))
        sectors = []
        for prepared in self.sectors:
            sector = prepared.sector
            cells = SectorCells(id=sector.id, name=sector.name, weight=sector.weight)
            for wanted, name in zip(prepared.wants, ("share", "length", "count")):
                if wanted:
                    setattr(cells, name, empty)
            sectors.append(cells)
        return _assemble(
            sectors, EMPTY_KEYS, self.size * self.size, np.empty(0), np.empty(0, object), self.size
        )

    def _measure_then(self, tile, ticker, then):
        result = self.measure(tile, ticker)
        return result if result is None or then is None else then(result)

    def iter_results(self, feedback=None, workers: int | None = None, ahead: int = 2, then=None):
        """Every tile's GridResult in tile order, made on worker threads a few tiles ahead
        (``then(result)`` instead when given: work the threads do with each, e.g. preparing rows).

        Memory holds at most ``workers + ahead`` tiles. The caller's thread reports progress
        per tile and, on cancel, stops the workers at their next check and raises Cancelled.
        """
        ticker = feedback if isinstance(feedback, _Ticker) else _Ticker(feedback)
        total = len(self.tiles)
        workers = max(1, workers or MAX_WORKERS)
        stop = threading.Event()
        worker_ticker = _WorkerTicker(stop)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = []
            next_tile = 0
            try:
                for done in range(total):
                    while next_tile < total and len(pending) < workers + ahead:
                        tile = self.tiles[next_tile]
                        pending.append(pool.submit(self._measure_then, tile, worker_ticker, then))
                        next_tile += 1
                    future = pending.pop(0)
                    while True:
                        ticker.check()
                        try:
                            result = future.result(timeout=0.2)
                            break
                        except TimeoutError:
                            continue
                    ticker.report(done / max(total, 1))
                    if result is not None:
                        yield result
                ticker.report(1.0)
            except BaseException:
                stop.set()
                for future in pending:
                    future.cancel()
                raise
        if stop.is_set():
            raise Cancelled()
