"""One sector's share, length and count per cell of the regular grid, and the study area's cells."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from .grid_cells import CellMask, cell_keys, key_columns_rows
from .grid_clip import (
    FULL_TOLERANCE,
    _expand_ranges,
    _measure,
    _valid,
    clip_to_grid,
    overlap_flags,
    split_by_dimension,
    union_by_group,
)
from .grid_jobs import _Ticker, chunked

TILE_CELLS = 16  # overlapping parts of a sector are merged in tiles of 16 × 16 cells


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


def _linear_on_regular_grid(lines, size, study, ticker, edges=None) -> CellValues:
    """Length per cell; ``edges`` (keys, pieces) when the lines' edge segments were split off already."""

    if edges is None:
        lines, edge_keys, edge_pieces = split_edge_segments(lines, size)
    else:
        edge_keys, edge_pieces = edges
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
