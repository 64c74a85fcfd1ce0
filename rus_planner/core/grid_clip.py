"""Polygons and lines cut to grid cells by a 4 × 4 block recursion, and the geometry helpers it needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .geometry import repair
from .grid_cells import CellMask, cell_keys
from .grid_jobs import CHUNK_COORDINATES, _chunks, _Ticker

SPLIT = 4  # children per axis at each step of the recursion
FULL_TOLERANCE = 1e-12  # relative: a block clipped to this much of its area is full


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
