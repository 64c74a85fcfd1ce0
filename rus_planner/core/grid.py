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

import math
import os
import threading
from dataclasses import dataclass, field

import numpy as np
import shapely

from .errors import Cancelled
from .geometry import repair
from .parallel import watched

DEFAULT_CELL_SIZE = 1000.0
SPLIT = 4  # children per axis at each step of the recursion
CHUNK_COORDINATES = 400_000  # work between two cancel checks (about 0.1–0.5 s)
MAX_MASK_CELLS = 60_000_000  # above this the study-area bitmap is not built
KEY_OFFSET = 2**31
MAX_WORKERS = 2
TILE_CELLS = 16  # overlapping parts of a sector are merged in tiles of 16 × 16 cells
FULL_TOLERANCE = 1e-12  # relative: a block clipped to this much of its area is full


# --------------------------------------------------------------------------- ids and keys


def cell_keys(ix, iy):
    """One int64 per cell from its integer column and row (any sign)."""

    return (np.asarray(iy, dtype=np.int64) << 32) | (np.asarray(ix, dtype=np.int64) + KEY_OFFSET)


def key_columns_rows(keys):
    """Inverse of :func:`cell_keys`: (ix, iy)."""

    keys = np.asarray(keys, dtype=np.int64)
    return (keys & 0xFFFFFFFF) - KEY_OFFSET, keys >> 32


def _coordinate_text(value: float) -> str:
    return str(int(round(value))) if float(value).is_integer() else f"{value:.3f}".rstrip("0").rstrip(".")


def scb_ids(ix, iy, cell_size: float) -> tuple[list[str], list[str]]:
    """SCB's ``rutid_scb`` and ``rutid_inspire`` for cells given by column and row.

    ``rutid_scb`` is the easting (6 digits) followed by the northing (7 digits) of the
    lower-left corner: "3940006133000" is the 1 km cell at E 394000, N 6133000, whose
    ``rutid_inspire`` is "SE_CRS3006RES1000mN6133000E394000".
    """

    size_text = _coordinate_text(cell_size)
    east = (np.asarray(ix) * cell_size).tolist()
    north = (np.asarray(iy) * cell_size).tolist()
    if float(cell_size).is_integer():
        east = [int(round(e)) for e in east]
        north = [int(round(n)) for n in north]
        scb = [f"{e:06d}{n:07d}" for e, n in zip(east, north)]
        inspire = [f"SE_CRS3006RES{size_text}mN{n}E{e}" for e, n in zip(east, north)]
    else:
        east = [_coordinate_text(e) for e in east]
        north = [_coordinate_text(n) for n in north]
        scb = [f"{e}_{n}" for e, n in zip(east, north)]
        inspire = [f"SE_CRS3006RES{size_text}mN{n}E{e}" for e, n in zip(east, north)]
    return scb, inspire


def cell_of_point(x: float, y: float, cell_size: float = DEFAULT_CELL_SIZE) -> str:
    """The ``rutid_scb`` of the cell holding a point (its lower-left corner is inside)."""

    ix = np.array([math.floor(x / cell_size)])
    iy = np.array([math.floor(y / cell_size)])
    return scb_ids(ix, iy, cell_size)[0][0]


# --------------------------------------------------------------------------- progress


class _Ticker:
    """Cancel checks and progress for one span [start, end] of the run's 0–100 %."""

    def __init__(self, feedback, start: float = 0.0, end: float = 100.0):
        self.feedback = feedback
        self.start = start
        self.end = end

    def check(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled():
            raise Cancelled()

    def set(self, fraction: float) -> None:
        self.check()
        self.report(fraction)

    def report(self, fraction: float) -> None:
        """Progress only, without the cancel check."""
        if self.feedback is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            self.feedback.setProgress(self.start + (self.end - self.start) * fraction)

    def span(self, first: float, last: float) -> _Ticker:
        width = self.end - self.start
        return _Ticker(self.feedback, self.start + width * first, self.start + width * last)


class _WorkerTicker:
    """The ticker of a worker thread: it only watches the shared cancel flag.

    Progress goes to QGIS from the calling thread alone, so no Qt signal is emitted
    from a worker.
    """

    def __init__(self, cancelled):
        self.cancelled = cancelled

    def check(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled()

    def set(self, fraction: float) -> None:
        self.check()

    def span(self, first: float, last: float) -> _WorkerTicker:
        return self


def run_jobs(jobs, ticker: _Ticker, workers: int | None = None) -> list:
    """Run jobs (callables taking a ticker) on threads; shapely releases the GIL.

    The calling thread polls every 0.2 s: it reports progress and, on cancel, tells the
    workers to stop at their next check, waits for them, then raises ``Cancelled``.
    """

    workers = workers or min(MAX_WORKERS, os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for index, job in enumerate(jobs):
            results.append(job(ticker.span(index / len(jobs), (index + 1) / len(jobs))))
        return results
    stop = threading.Event()
    with watched(lambda job: job(_WorkerTicker(stop)), jobs, workers) as watch:
        futures = watch.futures
        try:
            while watch.pending:
                done = watch.wait(0.2)
                failed = any(f.exception() is not None for f in done)
                if failed or (ticker.feedback is not None and ticker.feedback.isCanceled()):
                    break
                ticker.report(1 - len(watch.pending) / len(futures))
        finally:
            if watch.pending:  # cancelled, failed or interrupted: the others stop at their next check
                stop.set()  # (leaving ``watched`` drops the jobs not started yet)
    errors = [
        f.exception()
        for f in futures
        if not f.cancelled() and f.exception() is not None and not isinstance(f.exception(), Cancelled)
    ]
    if errors:
        raise errors[0]
    if stop.is_set():
        raise Cancelled()
    return [future.result() for future in futures]


def chunked(function, ticker, *arrays, limit: int = CHUNK_COORDINATES):
    """A vectorised shapely function applied in chunks, with a cancel check between them."""

    n = len(arrays[0])
    out = np.empty(n, dtype=object)
    geometries = [a for a in arrays if a.dtype == object]
    weights = sum(shapely.get_num_coordinates(a) for a in geometries) if geometries else np.ones(n)
    for start, stop in _chunks(weights, limit):
        if ticker is not None:
            ticker.check()
        out[start:stop] = function(*(a[start:stop] for a in arrays))
    return out


def _chunks(weights, limit: int):
    """Index ranges whose summed weight stays near limit (at least one item each)."""

    total = len(weights)
    if total == 0:
        return
    cumulative = np.cumsum(weights)
    start = 0
    while start < total:
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + limit, side="right"))
        stop = max(stop, start + 1)
        yield start, min(stop, total)
        start = stop


# --------------------------------------------------------------------------- geometry helpers


def split_by_dimension(geometries):
    """Single-part polygons, lines and points of any mix of (multi/collection) geometries."""

    if len(geometries) == 0:
        empty = np.empty(0, dtype=object)
        return empty, empty, empty
    parts = shapely.get_parts(shapely.get_parts(np.asarray(geometries, dtype=object)))
    parts = parts[~shapely.is_empty(parts)]
    types = shapely.get_type_id(parts)
    polygons = parts[types == 3]
    lines = parts[types == 1]
    rings = parts[types == 2]
    if len(rings):  # a closed ring is measured as the line it is
        coordinates, index = shapely.get_coordinates(rings, return_index=True)
        lines = np.concatenate([lines, shapely.linestrings(coordinates, indices=index)])
    points = parts[types == 0]
    return polygons, lines, points


def overlap_flags(parts, areal: bool):
    """True for parts whose interior overlaps another part of the same sector.

    Only these need a union per cell; parts that merely touch (municipalities sharing a
    border) are summed, which is exact and much cheaper.
    """

    flags = np.zeros(len(parts), dtype=bool)
    if len(parts) < 2:
        return flags
    tree = shapely.STRtree(parts)
    left, right = tree.query(parts, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if len(left) == 0:
        return flags
    pattern = "2********" if areal else "1********"
    overlapping = shapely.relate_pattern(parts[left], parts[right], pattern)
    flags[left[overlapping]] = True
    flags[right[overlapping]] = True
    return flags


def _valid(geometries):
    """Repair the rare invalid piece left by rectangle clipping before it meets an overlay."""

    invalid = ~shapely.is_valid(geometries)
    if invalid.any():
        geometries = geometries.copy()
        geometries[invalid] = repair(geometries[invalid])  # holes stay holes (geometry.repair)
    return geometries


def _measure(geometries, areal: bool):

    return shapely.area(geometries) if areal else shapely.length(geometries)


def union_by_group(groups, geometries, ticker: _Ticker | None = None):
    """Union of the geometries of each group, vectorised as a pairwise tree reduction.

    Returns (group ids sorted, one geometry each). log2(largest group) rounds of one
    vectorised ``shapely.union`` each, instead of a Python loop over cells.
    """

    order = np.argsort(groups, kind="stable")
    groups = np.asarray(groups)[order]
    geometries = np.asarray(geometries, dtype=object)[order]
    while len(groups) > 1:
        same_as_next = np.r_[groups[1:] == groups[:-1], False]
        if not same_as_next.any():
            break
        starts = np.r_[True, groups[1:] != groups[:-1]]
        index = np.arange(len(groups))
        position = index - np.maximum.accumulate(np.where(starts, index, 0))
        first = np.flatnonzero((position % 2 == 0) & same_as_next)
        merged = np.empty(len(first), dtype=object)
        for start, stop in _chunks(shapely.get_num_coordinates(geometries[first]), CHUNK_COORDINATES):
            if ticker is not None:
                ticker.check()
            merged[start:stop] = shapely.union(
                geometries[first[start:stop]], geometries[first[start:stop] + 1]
            )
        geometries[first] = merged
        drop = np.zeros(len(groups), dtype=bool)
        drop[first + 1] = True
        groups, geometries = groups[~drop], geometries[~drop]
    return groups, geometries


# --------------------------------------------------------------------------- study-area mask


class CellMask:
    """Which cells belong to the study area, answerable for whole index ranges at once.

    A summed-area table over the study area's cell bitmap tells in O(1) whether a block
    of cells holds any study-area cell, so the recursion drops blocks outside it early.
    """

    def __init__(self, keys):

        self.keys = np.unique(np.asarray(keys, dtype=np.int64))
        ix, iy = key_columns_rows(self.keys)
        self.table = None
        if len(self.keys) == 0:
            self.x0 = self.y0 = 0
            self.x1 = self.y1 = -1
            return
        self.x0, self.x1 = int(ix.min()), int(ix.max())
        self.y0, self.y1 = int(iy.min()), int(iy.max())
        width, height = self.x1 - self.x0 + 1, self.y1 - self.y0 + 1
        if width * height <= MAX_MASK_CELLS:
            bitmap = np.zeros((height + 1, width + 1), dtype=np.int32)
            bitmap[iy - self.y0 + 1, ix - self.x0 + 1] = 1
            self.table = bitmap.cumsum(axis=0).cumsum(axis=1)

    def coarsen(self, factor: int) -> CellMask:
        """The mask on a grid of factor × factor larger cells aligned with this one."""
        ix, iy = key_columns_rows(self.keys)
        return CellMask(cell_keys(ix // factor, iy // factor))

    def any_in(self, ix0, iy0, ix1, iy1):
        """True for each index range that holds at least one study-area cell."""

        x0, x1 = np.maximum(ix0, self.x0), np.minimum(ix1, self.x1)
        y0, y1 = np.maximum(iy0, self.y0), np.minimum(iy1, self.y1)
        inside = (x0 <= x1) & (y0 <= y1)
        if self.table is None or not inside.any():
            return inside
        t = self.table
        a = np.clip(x0 - self.x0, 0, t.shape[1] - 1)
        b = np.clip(x1 - self.x0 + 1, 0, t.shape[1] - 1)
        c = np.clip(y0 - self.y0, 0, t.shape[0] - 1)
        d = np.clip(y1 - self.y0 + 1, 0, t.shape[0] - 1)
        counts = t[d, b] - t[c, b] - t[d, a] + t[c, a]
        return inside & (counts > 0)


# --------------------------------------------------------------------------- clipping


@dataclass
class Clipped:
    """Parts cut to grid cells: cells a part covers entirely, and the pieces of the rest."""

    full_keys: object  # int64 keys of cells covered entirely by one part
    full_parts: object  # the part index of each full cell
    piece_keys: object  # int64 key of each piece
    pieces: object  # shapely piece (part ∩ cell)
    piece_parts: object  # the part index of each piece


def _clip_by_rects(geometries, x0, y0, x1, y1):
    """Each geometry clipped to its own rectangle (GEOS RectangleIntersection).

    shapely's public clip_by_rect takes one rectangle; its ufunc broadcasts arrays of
    rectangles in one call without the GIL, so it is used when present.
    """

    ufunc = getattr(getattr(shapely, "lib", None), "clip_by_rect", None)
    if ufunc is not None:
        try:
            return ufunc(geometries, x0, y0, x1, y1)
        except TypeError:
            pass
    out = np.empty(len(geometries), dtype=object)
    for index, geometry in enumerate(geometries):
        out[index] = shapely.clip_by_rect(geometry, x0[index], y0[index], x1[index], y1[index])
    return out


def _index_range(bounds, size: float):

    ix0 = np.floor(bounds[:, 0] / size).astype(np.int64)
    iy0 = np.floor(bounds[:, 1] / size).astype(np.int64)
    ix1 = np.maximum(np.ceil(bounds[:, 2] / size).astype(np.int64) - 1, ix0)
    iy1 = np.maximum(np.ceil(bounds[:, 3] / size).astype(np.int64) - 1, iy0)
    return ix0, iy0, ix1, iy1


def _expand_ranges(ix0, iy0, ix1, iy1):
    """All (ix, iy) inside each inclusive index range, and the range each came from."""

    nx = ix1 - ix0 + 1
    ny = iy1 - iy0 + 1
    counts = nx * ny
    owner = np.repeat(np.arange(len(counts)), counts)
    offset = np.cumsum(counts) - counts
    rank = np.arange(int(counts.sum()), dtype=np.int64) - offset[owner]
    return ix0[owner] + rank % nx[owner], iy0[owner] + rank // nx[owner], owner


def clip_to_grid(parts, size: float, *, areal: bool, mask: CellMask | None = None, ticker=None) -> Clipped:
    """Cut single-part polygons (areal) or lines to the cells of the grid of the given size.

    Each step splits every part's cell range into at most 4 × 4 blocks: blocks the part
    contains become full cells without any intersection, blocks it misses (or outside the
    mask) are dropped, and the others are intersected, so the pieces shrink quickly and no
    large polygon is ever intersected with a single cell.
    """

    ticker = ticker or _Ticker(None)
    empty_i = np.empty(0, dtype=np.int64)
    full_keys, full_parts = [empty_i], [empty_i]
    piece_keys, pieces, piece_parts = [empty_i], [np.empty(0, dtype=object)], [empty_i]

    geoms = np.asarray(parts, dtype=object)
    source = np.arange(len(geoms), dtype=np.int64)
    if len(geoms):
        ix0, iy0, ix1, iy1 = _index_range(shapely.bounds(geoms), size)
    while len(geoms):
        ticker.check()
        if mask is not None:
            keep = mask.any_in(ix0, iy0, ix1, iy1)
            geoms, source, ix0, iy0, ix1, iy1 = (a[keep] for a in (geoms, source, ix0, iy0, ix1, iy1))
        single = (ix0 == ix1) & (iy0 == iy1)
        if single.any():
            piece_keys.append(cell_keys(ix0[single], iy0[single]))
            pieces.append(geoms[single])
            piece_parts.append(source[single])
        multi = ~single
        geoms, source, ix0, iy0, ix1, iy1 = (a[multi] for a in (geoms, source, ix0, iy0, ix1, iy1))
        if not len(geoms):
            break

        # Children: each range cut into at most SPLIT × SPLIT blocks.
        nx, ny = ix1 - ix0 + 1, iy1 - iy0 + 1
        sx, sy = -(-nx // SPLIT), -(-ny // SPLIT)
        cx, cy = -(-nx // sx), -(-ny // sy)
        counts = cx * cy
        parent = np.repeat(np.arange(len(geoms)), counts)
        rank = np.arange(int(counts.sum()), dtype=np.int64) - (np.cumsum(counts) - counts)[parent]
        jx, jy = rank % cx[parent], rank // cx[parent]
        c_ix0 = ix0[parent] + jx * sx[parent]
        c_iy0 = iy0[parent] + jy * sy[parent]
        c_ix1 = np.minimum(c_ix0 + sx[parent] - 1, ix1[parent])
        c_iy1 = np.minimum(c_iy0 + sy[parent] - 1, iy1[parent])
        if mask is not None:
            keep = mask.any_in(c_ix0, c_iy0, c_ix1, c_iy1)
            parent, c_ix0, c_iy0, c_ix1, c_iy1 = (a[keep] for a in (parent, c_ix0, c_iy0, c_ix1, c_iy1))
        # GEOS's rectangle clipping is an order of magnitude faster than a general overlay;
        # a child whose clipped area equals the block's is covered entirely.
        x0, y0 = c_ix0 * size, c_iy0 * size
        x1, y1 = (c_ix1 + 1) * size, (c_iy1 + 1) * size
        cut = np.empty(len(parent), dtype=object)
        weights = shapely.get_num_coordinates(geoms)[parent]
        for start, stop in _chunks(weights, CHUNK_COORDINATES):
            ticker.check()
            cut[start:stop] = _clip_by_rects(
                geoms[parent[start:stop]], x0[start:stop], y0[start:stop], x1[start:stop], y1[start:stop]
            )
        measure = _measure(cut, areal)
        full = measure >= (x1 - x0) * (y1 - y0) * (1 - FULL_TOLERANCE) if areal else np.zeros(len(cut), bool)
        hit = ~full & (measure > 0)

        if full.any():
            fx, fy, owner = _expand_ranges(c_ix0[full], c_iy0[full], c_ix1[full], c_iy1[full])
            full_keys.append(cell_keys(fx, fy))
            full_parts.append(source[parent[full]][owner])

        chosen = np.flatnonzero(hit)
        cut = cut[chosen]
        b_ix0, b_iy0, b_ix1, b_iy1 = _index_range(shapely.bounds(cut), size)
        ix0 = np.maximum(b_ix0, c_ix0[chosen])
        iy0 = np.maximum(b_iy0, c_iy0[chosen])
        ix1 = np.maximum(np.minimum(b_ix1, c_ix1[chosen]), ix0)
        iy1 = np.maximum(np.minimum(b_iy1, c_iy1[chosen]), iy0)
        source = source[parent[chosen]]
        geoms = cut

    return Clipped(
        full_keys=np.concatenate(full_keys),
        full_parts=np.concatenate(full_parts),
        piece_keys=np.concatenate(piece_keys),
        pieces=np.concatenate(pieces),
        piece_parts=np.concatenate(piece_parts),
    )


# --------------------------------------------------------------------------- per-cell sums


@dataclass
class CellValues:
    """A measure per cell: sorted cell keys (or row numbers) and one value each."""

    keys: object
    values: object


def _sum_pieces(keys, pieces, flagged, areal: bool, ticker) -> CellValues:
    """Area (or length) per cell of pieces, merging only pieces of overlapping parts.

    A cell with one piece of an overlapping part needs no merge; with two, the measure of
    the union is a + b − (a ∩ b), and the intersection is computed only where they meet;
    only cells with three or more such pieces go through a union.
    """

    measures = _measure(pieces, areal)
    values_keys, values = [keys[~flagged]], [measures[~flagged]]
    if flagged.any():
        f_keys, f_pieces, f_measures = keys[flagged], pieces[flagged], measures[flagged]
        order = np.argsort(f_keys, kind="stable")
        f_keys, f_pieces, f_measures = f_keys[order], f_pieces[order], f_measures[order]
        unique, inverse, counts = np.unique(f_keys, return_inverse=True, return_counts=True)
        size = counts[inverse]
        # Alone in its cell, or all pieces counted as they are (overlaps removed below).
        values_keys.append(f_keys[size <= 2])
        values.append(f_measures[size <= 2])
        first = np.flatnonzero((size == 2) & np.r_[True, f_keys[1:] != f_keys[:-1]])
        if len(first):
            a, b = f_pieces[first], f_pieces[first + 1]
            meet = shapely.intersects(a, b)
            if meet.any():
                ticker.check()
                common = chunked(shapely.intersection, ticker, _valid(a[meet]), _valid(b[meet]))
                values_keys.append(f_keys[first[meet]])
                values.append(-_measure(common, areal))
        many = size > 2
        if many.any():
            groups, merged = union_by_group(f_keys[many], _valid(f_pieces[many]), ticker)
            values_keys.append(groups)
            values.append(_measure(merged, areal))
    all_keys = np.concatenate(values_keys)
    if not len(all_keys):
        return CellValues(np.empty(0, dtype=np.int64), np.empty(0))
    unique, inverse = np.unique(all_keys, return_inverse=True)
    return CellValues(unique, np.bincount(inverse, weights=np.concatenate(values), minlength=len(unique)))


@dataclass
class StudyArea:
    """The study area on the grid: its cells, the area of each inside it, and the clip shapes."""

    keys: object  # sorted int64 cell keys (regular grid) or row numbers (grid layer)
    area: object  # m² of each cell inside the study area
    clip: object  # per cell: None when the whole cell is inside, else cell ∩ study area
    mask: CellMask | None = None

    def locate(self, keys):
        """Index into self.keys of each key, and whether it is there at all."""

        position = np.searchsorted(self.keys, keys)
        position = np.minimum(position, max(len(self.keys) - 1, 0))
        found = (self.keys[position] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)
        return position, found


def _clip_to_study_area(keys, pieces, study: StudyArea | None, ticker=None):
    """Pieces limited to the study area: dropped outside it, cut in its border cells."""

    if study is None:
        return keys, pieces, None
    position, found = study.locate(keys)
    keys, pieces, position = keys[found], pieces[found], position[found]
    shapes = study.clip[position]
    border = shapes != None  # noqa: E711 - element-wise test on an object array
    if border.any():
        pieces = pieces.copy()
        pieces[border] = chunked(shapely.intersection, ticker, _valid(pieces[border]), shapes[border])
    return keys, pieces, position


# --------------------------------------------------------------------------- sector measures


@dataclass
class SectorCells:
    """One sector's measures per cell (only cells where the measure is above 0)."""

    id: str
    name: str
    weight: float
    share: CellValues | None = None  # covered area in m² until normalised
    count: CellValues | None = None
    length: CellValues | None = None
    messages: list[str] = field(default_factory=list)


def dissolve_in_tiles(parts, tile: float, mask: CellMask | None = None, ticker=None):
    """Single-part polygons without overlaps: overlapping parts merged tile by tile.

    Parts that overlap another are cut to tiles (a multiple of the cell size, so tile
    edges are cell edges) and merged per tile; parts that overlap nothing pass as they
    are. Merging a few hundred tiles costs far less than merging the pieces of every
    cell, and the cells then only sum areas.
    """

    flags = overlap_flags(parts, areal=True)
    if not flags.any():
        return parts
    coarse = clip_to_grid(parts[flags], tile, areal=True, mask=mask, ticker=ticker)
    full = np.unique(coarse.full_keys)
    partial = ~np.isin(coarse.piece_keys, full)
    keys, pieces = coarse.piece_keys[partial], coarse.pieces[partial]
    _, merged = union_by_group(keys, _valid(pieces), ticker)
    fx, fy = key_columns_rows(full)
    boxes = shapely.box(fx * tile, fy * tile, (fx + 1) * tile, (fy + 1) * tile)
    merged_parts, _, _ = split_by_dimension(np.concatenate([merged, boxes]))
    return np.concatenate([parts[~flags], merged_parts])


def _areal_on_regular_grid(polygons, size, study, ticker) -> CellValues:

    tiles = study.mask.coarsen(TILE_CELLS) if study is not None else None
    polygons = dissolve_in_tiles(polygons, size * TILE_CELLS, tiles, ticker)
    flags = np.zeros(len(polygons), dtype=bool)
    clipped = clip_to_grid(polygons, size, areal=True, mask=study.mask if study else None, ticker=ticker)
    full = np.unique(clipped.full_keys)
    ticker.check()
    keys, pieces, _ = _clip_to_study_area(clipped.piece_keys, clipped.pieces, study, ticker)
    part_flags = flags[clipped.piece_parts]
    if study is not None:
        _, found = study.locate(clipped.piece_keys)
        part_flags = part_flags[found]
    ticker.check()
    covered = _sum_pieces(keys, pieces, part_flags, True, ticker)
    ticker.check()
    # Full cells: the whole cell (or its part inside the study area) is covered.
    if study is not None:
        position, found = study.locate(full)
        full, full_area = full[found], study.area[position[found]]
    else:
        full_area = np.full(len(full), size * size)
    partial = ~np.isin(covered.keys, full)
    keys = np.concatenate([covered.keys[partial], full])
    values = np.concatenate([covered.values[partial], full_area])
    order = np.argsort(keys)
    keep = values[order] > 0
    return CellValues(keys[order][keep], values[order][keep])


def split_edge_segments(lines, size: float):
    """Lines without their segments that lie exactly on a cell edge, and those segments per cell.

    Rectangle clipping drops a segment that runs along the clip rectangle's edge, so such
    segments (a road digitised along a grid line) are taken out and given to the cell on
    their upper or right side, the same rule as for points on an edge. Returns (lines to
    clip, keys of the edge pieces, edge pieces).
    """

    empty = np.empty(0, dtype=object)
    if not len(lines):
        return lines, np.empty(0, dtype=np.int64), empty
    coords, index = shapely.get_coordinates(lines, return_index=True)
    same = index[1:] == index[:-1]
    x0, y0, x1, y1 = coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1]
    horizontal = same & (y0 == y1) & (x0 != x1) & (np.mod(y0, size) == 0)
    vertical = same & (x0 == x1) & (y0 != y1) & (np.mod(x0, size) == 0)
    on_edge = horizontal | vertical
    if not on_edge.any():
        return lines, np.empty(0, dtype=np.int64), empty
    affected = np.zeros(len(lines), dtype=bool)
    affected[index[:-1][on_edge]] = True
    # The other segments of the affected lines become lines of their own.
    rest = same & ~on_edge & affected[index[:-1]]
    segments = (
        shapely.linestrings(
            np.stack([coords[:-1][rest], coords[1:][rest]], axis=1).reshape(-1, 2),
            indices=np.repeat(np.arange(rest.sum()), 2),
        )
        if rest.any()
        else empty
    )
    # Edge segments cut at the cell corners along them.
    keys, pieces = [], []
    for mask, along, fixed in ((horizontal, (x0, x1), y0), (vertical, (y0, y1), x0)):
        if not mask.any():
            continue
        start = np.minimum(along[0][mask], along[1][mask])
        stop = np.maximum(along[0][mask], along[1][mask])
        line_of = np.round(fixed[mask] / size).astype(np.int64)
        first = np.floor(start / size).astype(np.int64)
        last = np.maximum(np.ceil(stop / size).astype(np.int64) - 1, first)
        cells, _, owner = _expand_ranges(first, np.zeros_like(first), last, np.zeros_like(first))
        a = np.maximum(start[owner], cells * size)
        b = np.minimum(stop[owner], (cells + 1) * size)
        keep = b > a
        cells, owner, a, b = cells[keep], owner[keep], a[keep], b[keep]
        other = fixed[mask][owner]
        if mask is horizontal:
            keys.append(cell_keys(cells, line_of[owner]))
            xy = np.stack([np.c_[a, other], np.c_[b, other]], axis=1)
        else:
            keys.append(cell_keys(line_of[owner], cells))
            xy = np.stack([np.c_[other, a], np.c_[other, b]], axis=1)
        pieces.append(shapely.linestrings(xy.reshape(-1, 2), indices=np.repeat(np.arange(len(a)), 2)))
    return (
        np.concatenate([lines[~affected], segments]),
        np.concatenate(keys),
        np.concatenate(pieces),
    )


def _linear_on_regular_grid(lines, size, study, ticker) -> CellValues:

    lines, edge_keys, edge_pieces = split_edge_segments(lines, size)
    flags = overlap_flags(lines, areal=False)
    clipped = clip_to_grid(lines, size, areal=False, mask=study.mask if study else None, ticker=ticker)
    ticker.check()
    all_keys = np.concatenate([clipped.piece_keys, edge_keys])
    part_flags = np.concatenate([flags[clipped.piece_parts], np.zeros(len(edge_keys), dtype=bool)])
    keys, pieces, _ = _clip_to_study_area(
        all_keys, np.concatenate([clipped.pieces, edge_pieces]), study, ticker
    )
    if study is not None:
        _, found = study.locate(all_keys)
        part_flags = part_flags[found]
    result = _sum_pieces(keys, pieces, part_flags, False, ticker)
    keep = result.values > 0
    return CellValues(result.keys[keep], result.values[keep])


def _points_on_regular_grid(points, size, study) -> CellValues:

    xy = shapely.get_coordinates(points)
    keys = cell_keys(np.floor(xy[:, 0] / size).astype(np.int64), np.floor(xy[:, 1] / size).astype(np.int64))
    if study is not None:
        position, found = study.locate(keys)
        shapes = study.clip[position]
        border = found & (shapes != None)  # noqa: E711
        inside = found.copy()
        inside[border] = shapely.covers(shapes[border], points[border])
        keys = keys[inside]
    unique, counts = np.unique(keys, return_counts=True)
    return CellValues(unique, counts.astype(np.float64))


def _measures_of(sector, polygons, lines, points) -> tuple[bool, bool, bool]:
    """Which measures a sector gets: share, length, count (also when it has no features)."""
    unbuffered = not sector.buffer_m
    return (
        bool(len(polygons)) or sector.kind == "polygon" or not unbuffered,
        bool(len(lines)) or (sector.kind == "line" and unbuffered),
        bool(len(points)) or (sector.kind == "point" and unbuffered),
    )


# --------------------------------------------------------------------------- study area


def regular_study_area(geometries, size: float, ticker=None) -> StudyArea:
    """The cells of a study area (any polygons, overlaps allowed) on the regular grid."""

    ticker = ticker or _Ticker(None)
    polygons, _, _ = split_by_dimension(geometries)
    clipped = clip_to_grid(polygons, size, areal=True, ticker=ticker)
    full = np.unique(clipped.full_keys)
    cell_area = size * size
    # Cells filled by pieces of adjoining parts (a border between two municipalities) are
    # whole; only the others need their pieces merged into a clip shape.
    outside_full = ~np.isin(clipped.piece_keys, full)
    keys, pieces = clipped.piece_keys[outside_full], clipped.pieces[outside_full]
    flagged = overlap_flags(polygons, areal=True)[clipped.piece_parts[outside_full]]
    unique, inverse = np.unique(keys, return_inverse=True)
    summed = np.bincount(inverse, weights=shapely.area(pieces), minlength=len(unique))
    overlapping = np.bincount(inverse, weights=flagged, minlength=len(unique)) > 0
    whole = (summed >= cell_area * (1 - FULL_TOLERANCE)) & ~overlapping
    border = ~whole[inverse]
    groups, shapes = union_by_group(keys[border], _valid(pieces[border]), ticker)
    area = shapely.area(shapes)
    keep = area > 0
    groups = np.concatenate([unique[whole], groups[keep]])
    shapes = np.concatenate([np.full(int(whole.sum()), None, dtype=object), shapes[keep]])
    area = np.concatenate([np.full(int(whole.sum()), cell_area), area[keep]])
    keys = np.concatenate([full, groups])
    areas = np.concatenate([np.full(len(full), cell_area), area])
    clips = np.concatenate([np.full(len(full), None, dtype=object), shapes])
    order = np.argsort(keys)
    return StudyArea(keys=keys[order], area=areas[order], clip=clips[order], mask=CellMask(keys))


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
    cells are those where at least one sector is present.
    """

    if not cell_size > 0:
        raise ValueError("cell_size must be positive")
    ticker = _Ticker(feedback)
    study = None
    if extent is not None:
        study = regular_study_area(extent, cell_size, ticker.span(0.0, 0.05))

    def measure(sector, span) -> SectorCells:
        polygons, lines, points = split_by_dimension(sector.geometries)
        wants_share, wants_length, wants_count = _measures_of(sector, polygons, lines, points)
        cells = SectorCells(id=sector.id, name=sector.name, weight=sector.weight)
        if wants_share:
            cells.share = _areal_on_regular_grid(polygons, cell_size, study, span)
        if wants_length:
            cells.length = _linear_on_regular_grid(lines, cell_size, study, span)
        if wants_count:
            cells.count = _points_on_regular_grid(points, cell_size, study)
        return cells

    jobs = [lambda span, sector=sector: measure(sector, span) for sector in sectors]
    results = run_jobs(jobs, ticker.span(0.05, 0.9))
    if study is not None:
        keys, area = study.keys, study.area
    else:
        used = [
            v.keys for s in results for v in (s.share, s.count, s.length) if v is not None and len(v.keys)
        ]
        keys = np.unique(np.concatenate(used)) if used else np.empty(0, dtype=np.int64)
        area = np.full(len(keys), cell_size * cell_size)
    ticker.check()
    ix, iy = key_columns_rows(keys)
    cells = chunked(
        shapely.box,
        ticker,
        ix * cell_size,
        iy * cell_size,
        (ix + 1) * cell_size,
        (iy + 1) * cell_size,
        limit=200_000,
    )
    ticker.check()
    result = _assemble(results, keys, cell_size * cell_size, area, cells, cell_size)
    ticker.set(0.95)
    return result


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
