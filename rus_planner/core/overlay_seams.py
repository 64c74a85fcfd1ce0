"""The tiles of the exact sector overlay and the merging of faces that tile edges cut apart.

Only shapely and numpy; imports no QGIS.
"""

from __future__ import annotations

import math
import time

import numpy as np
import shapely

from .overlay_tiles import Seams, dissolve, sorted_unique


def tile_grid(bounds, n_tiles: int) -> list[tuple[float, float, float, float]]:
    """About n_tiles rectangles covering bounds, near-square; shared edges use identical floats."""

    xmin, ymin, xmax, ymax = bounds
    width, height = max(xmax - xmin, 1e-9), max(ymax - ymin, 1e-9)
    nx = max(1, round(math.sqrt(n_tiles * width / height)))
    ny = max(1, math.ceil(n_tiles / nx))
    if n_tiles == 1:
        nx = ny = 1
    # A margin keeps the outermost tile edges off the data, so no input touches them.
    pad = max(width, height) * 1e-6
    xs = np.linspace(xmin - pad, xmax + pad, nx + 1)
    ys = np.linspace(ymin - pad, ymax + pad, ny + 1)
    return [(xs[i], ys[j], xs[i + 1], ys[j + 1]) for j in range(ny) for i in range(nx)]


def inner_edges(rects, bounds) -> Seams:
    """The tile edges inside the grid: faces touching them may continue in the next tile."""

    grid = np.asarray(rects)
    tolerance = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * 1e-9
    return Seams(np.unique(grid[:, [0, 2]])[1:-1], np.unique(grid[:, [1, 3]])[1:-1], tolerance)


def merge_tile_seams(seam_parts, sector_count: int, check_cancel, phases):
    """All tiles' faces along the tile edges, merged where a tile edge cut one apart."""

    start = time.perf_counter()
    faces = np.concatenate([part[0] for part in seam_parts])
    flags = np.concatenate([part[1] for part in seam_parts])
    offsets = np.cumsum([0] + [len(part[0]) for part in seam_parts])
    pairs = [
        (
            np.concatenate([part[2][k][0] + offsets[i] for i, part in enumerate(seam_parts)]),
            np.concatenate([part[2][k][1] for part in seam_parts]),
        )
        for k in range(sector_count)
    ]
    faces, flags, pairs = merge_seam_faces(faces, flags, pairs, check_cancel)
    if phases is not None:
        phases.add("seams", time.perf_counter() - start)
    return faces, flags, [sorted_unique(*p) for p in pairs]


def merge_seam_faces(faces, flags, pairs, check_cancel):
    """Merge faces that a tile edge cut apart but that carry the same flags.

    ``faces`` are the faces touching an inner tile edge, ``pairs`` per sector (face, input)
    index pairs; returns the merged faces, their flags and the pairs renumbered to them.
    One dissolve for all flag patterns at once, faces joining only faces of their own
    pattern. ``check_cancel()`` is called before the merge (it raises to stop).
    """

    check_cancel()
    patterns, pattern_of = np.unique(flags, axis=0, return_inverse=True)
    pattern_of = np.asarray(pattern_of).reshape(-1)
    merged = dissolve(faces, kinds=pattern_of)
    pieces, piece_part = shapely.get_parts(merged.parts, return_index=True)
    out_flags = patterns[pattern_of[merged.first_member[piece_part]]].astype(np.uint8)
    per_part = np.bincount(piece_part, minlength=len(merged.parts))
    first_piece = np.searchsorted(piece_part, np.arange(len(merged.parts)))
    part = merged.part_of
    face_to_piece = np.full(len(faces), -1, dtype=np.int64)
    direct = (part >= 0) & (per_part[np.maximum(part, 0)] == 1)
    face_to_piece[direct] = first_piece[part[direct]]
    split = np.flatnonzero(~direct & (part >= 0))  # a group that came out as several polygons
    if len(split):
        inner = shapely.point_on_surface(faces[split])
        point_idx, piece_idx = shapely.STRtree(pieces).query(inner, predicate="intersects")
        same = piece_part[piece_idx] == part[split[point_idx]]  # its own group's polygon
        face_to_piece[split[point_idx[same]]] = piece_idx[same]
    out_pairs = []
    for face_idx, input_idx in pairs:
        target = face_to_piece[face_idx]
        ok = target >= 0
        out_pairs.append((target[ok], input_idx[ok]))
    return np.asarray(pieces, dtype=object), out_flags.reshape(-1, flags.shape[1]), out_pairs
