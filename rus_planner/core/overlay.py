"""The exact sector overlay: a planar partition of the sectors' dissolved areas.

Why this shape: a chain of pairwise unions re-overlays the growing result against every
new layer, and double counts overlaps inside one layer. Here every sector is dissolved
once, the dissolved boundaries are noded together once and polygonized into faces, and
each face is tagged with point-in-polygon tests — one overlay instead of N. The work is
split into spatial tiles so that every step is small (progress and cancel answer within
a second), the tiles run on all cores (shapely 2 releases the GIL inside GEOS), and the
faces cut by tile edges are merged back afterwards, so the tiling leaves no seams.

Traceability: every output piece lists, per sector, the input features whose area
overlaps the piece ("layer:fid;layer:fid"), see ``format_sources``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import Cancelled, RusPlannerError
from .geometry import repair
from .sectors import PreparedSector
from .texts import tr

#: Roughly how many input vertices one tile holds; small enough that one tile's GEOS
#: calls take well under a second, large enough that tile overhead stays small.
TILE_VERTICES = 40_000
#: Longest text of a "<sector>_src" field; 254 keeps the field valid in shapefiles too.
SOURCE_FIELD_LIMIT = 254


class OverlayError(RusPlannerError):
    """The sectors cannot be overlaid as given (for example points without a buffer)."""


@dataclass
class OverlayResult:
    """The planar partition: one row per output polygon, one flag column per sector."""

    sector_ids: list[str]
    weights: list[float]
    geometries: object  # numpy array of shapely Polygons, none overlapping
    flags: object  # numpy uint8 array (n pieces × n sectors): 1 where the sector is present
    sources: list[list[list[int]]] = field(default_factory=list)  # [sector][piece] → input indices
    tiles: int = 1

    @property
    def sector_count(self):
        """How many sectors cover each piece."""
        return self.flags.sum(axis=1).astype("int64")

    @property
    def score(self):
        """The sum of the present sectors' weights for each piece."""
        import numpy as np

        return self.flags.astype("float64") @ np.asarray(self.weights, dtype="float64")

    def sector_text(self, index: int) -> str:
        """The ids of the sectors present in a piece, readable: "kultur, transport"."""
        return self.text_of(self.flags[index])

    def text_of(self, flags) -> str:
        """The readable ids for one row of flags."""
        return ", ".join(sid for sid, flag in zip(self.sector_ids, flags) if flag)


def check_areal(sectors: list[PreparedSector]) -> None:
    """Refuse sectors that have no area: the exact overlay is a partition of areas."""
    import shapely

    for sector in sectors:
        geometries = sector.geometries
        if len(geometries) == 0:
            continue
        if sector.is_areal and (shapely.get_dimensions(geometries) == 2).all():
            continue
        layers = ", ".join(f"“{name}”" for name in sector.layer_names) or sector.name
        raise OverlayError(
            tr(
                "The sector “{sector}” ({layers}) has points or lines but no buffer, so it has no "
                "area to overlay. Give the sector a buffer distance (buffer_m) in the planning "
                "profile, or use the grid overlay, which counts points and measures lines per cell."
            ).format(sector=sector.id, layers=layers)
        )


def format_sources(refs: list[str], limit: int = SOURCE_FIELD_LIMIT) -> str:
    """Join feature references with ";" and cut whole references to fit, saying how many were cut."""
    text = ";".join(refs)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    used = 0
    for index, ref in enumerate(refs):
        suffix = f";…+{len(refs) - index - 1}"
        extra = len(ref) + (1 if kept else 0)
        if used + extra + len(suffix) > limit:
            return ";".join(kept) + f"{';' if kept else ''}…+{len(refs) - len(kept)}"
        kept.append(ref)
        used += extra
    return text  # pragma: no cover - the loop always returns when the text is too long


def overlay_sectors(
    sectors: list[PreparedSector],
    extent=None,
    *,
    feedback=None,
    workers: int | None = None,
    tile_vertices: int = TILE_VERTICES,
) -> OverlayResult:
    """Overlay areal sectors into non-overlapping pieces with per-sector flags.

    ``extent`` (a shapely polygonal geometry, or None) clips the sectors, and the output
    then covers all of it, with all flags 0 where no sector is present. ``feedback`` is
    anything with ``isCanceled()`` and ``setProgress(percent)`` (a QgsProcessingFeedback).
    """
    import os

    import numpy as np
    import shapely

    from .parallel import watched

    check_areal(sectors)
    ids = [s.id for s in sectors]
    weights = [float(s.weight) for s in sectors]
    inputs = []
    for sector in sectors:
        geometries = np.asarray(sector.geometries, dtype=object)
        odd = ~np.isin(shapely.get_type_id(geometries), (3, 6))  # not (Multi)Polygon: keep the areas
        if odd.any():
            geometries = geometries.copy()
            geometries[odd] = [_polygonal(g) for g in geometries[odd]]
        inputs.append(geometries)
    if extent is not None:
        extent = _polygonal(repair([extent])[0])  # holes stay holes (geometry.repair)
        if shapely.is_empty(extent):
            extent = None  # an empty study area is reported by the caller; nothing clips
    empty = OverlayResult(ids, weights, np.empty(0, dtype=object), np.zeros((0, len(ids)), np.uint8))
    empty.sources = [[] for _ in ids]

    bounds = _total_bounds(inputs, extent)
    if bounds is None:
        return empty
    vertices = sum(int(shapely.get_num_coordinates(g).sum()) for g in inputs if len(g))
    if extent is not None:
        vertices += int(shapely.get_num_coordinates(extent))
    rects = _tile_grid(bounds, max(1, math.ceil(vertices / max(tile_vertices, 1))))

    # Which input geometries each tile needs, found in the main thread (STRtree queries hold the GIL).
    boxes = shapely.box(*np.asarray(rects).T)
    per_tile: list[list[object]] = [[None] * len(inputs) for _ in rects]
    for k, geometries in enumerate(inputs):
        if not len(geometries):
            continue
        tile_idx, geom_idx = shapely.STRtree(geometries).query(boxes, predicate="intersects")
        order = np.argsort(tile_idx, kind="stable")
        tile_idx, geom_idx = tile_idx[order], geom_idx[order]
        cuts = np.searchsorted(tile_idx, np.arange(len(rects) + 1))
        for t in range(len(rects)):
            per_tile[t][k] = geom_idx[cuts[t] : cuts[t + 1]]
    extent_tiles = None
    if extent is not None:
        extent_tiles = shapely.intersects(extent, boxes)

    def wanted(t: int) -> bool:
        if extent_tiles is not None:
            return bool(extent_tiles[t])
        return any(idx is not None and len(idx) for idx in per_tile[t])

    todo = [t for t in range(len(rects)) if wanted(t)]
    workers = workers or min(len(todo), os.cpu_count() or 1, 8) or 1
    results: dict[int, _Tile] = {}
    _progress(feedback, 0)
    tile_inputs = [
        (
            rects[t],
            [inputs[k][per_tile[t][k]] if per_tile[t][k] is not None else None for k in range(len(inputs))],
            extent,
        )
        for t in todo
    ]
    with watched(lambda args: _overlay_tile(*args), tile_inputs, workers) as watch:
        tile_of = dict(zip(watch.futures, todo))
        while watch.pending:
            done = watch.wait(0.2, first=True)
            if _cancelled(feedback):
                raise Cancelled()  # leaving ``watched`` drops the tiles not started yet
            for future in done:
                t = tile_of[future]
                tile = future.result()
                # Local candidate indices → indices into the sector's input array.
                tile.sources = [
                    (faces, per_tile[t][k][local]) if len(faces) else (faces, local)
                    for k, (faces, local) in enumerate(tile.sources)
                ]
                results[t] = tile
            _progress(feedback, 85 * len(results) / max(len(todo), 1))

    tiles = [results[t] for t in todo if len(results[t].faces)]
    if not tiles:
        return empty
    faces = np.concatenate([tile.faces for tile in tiles])
    flags = np.concatenate([tile.flags for tile in tiles])
    offsets = np.cumsum([0] + [len(tile.faces) for tile in tiles])
    pairs = []
    for k in range(len(inputs)):
        face_parts = [tile.sources[k][0] + offsets[i] for i, tile in enumerate(tiles)]
        input_parts = [tile.sources[k][1] for tile in tiles]
        pairs.append((np.concatenate(face_parts), np.concatenate(input_parts)))
    if _cancelled(feedback):
        raise Cancelled()

    if len(rects) > 1:
        faces, flags, pairs = _merge_tile_seams(faces, flags, pairs, rects, bounds, feedback)
    _progress(feedback, 95)

    sources: list[list[list[int]]] = []
    for face_idx, input_idx in pairs:
        per_face: list[list[int]] = [[] for _ in range(len(faces))]
        if len(face_idx):
            order = np.lexsort((input_idx, face_idx))
            face_idx, input_idx = face_idx[order], input_idx[order]
            keep = np.ones(len(face_idx), dtype=bool)
            keep[1:] = (face_idx[1:] != face_idx[:-1]) | (input_idx[1:] != input_idx[:-1])
            for f, i in zip(face_idx[keep].tolist(), input_idx[keep].tolist()):
                per_face[f].append(i)
        sources.append(per_face)
    _progress(feedback, 100)
    return OverlayResult(ids, weights, faces, flags, sources, tiles=len(rects))


# --------------------------------------------------------------------------- tiles


@dataclass
class _Tile:
    faces: object
    flags: object
    sources: list  # per sector: (face indices, local candidate indices)


def _overlay_tile(rect, candidates: list, extent) -> _Tile:
    """Dissolve, node, polygonize and tag one tile; touches only its own objects."""
    import numpy as np
    import shapely

    box = shapely.box(*rect)
    extent_piece = None
    if extent is not None:
        extent_piece = _polygonal(shapely.intersection(extent, box))
        if extent_piece.is_empty:
            extent_piece = None
    sectors: list[_TileSector | None] = []
    for geometries in candidates:
        if geometries is None or not len(geometries):
            sectors.append(None)
            continue
        clipped = geometries.copy()
        crossing = ~shapely.contains_properly(box, clipped)
        if crossing.any():
            clipped[crossing] = [_polygonal(g) for g in shapely.intersection(clipped[crossing], box)]
        if extent_piece is not None:
            shapely.prepare(extent_piece)
            outside = ~shapely.contains_properly(extent_piece, clipped)
            if outside.any():
                clipped[outside] = [
                    _polygonal(g) for g in shapely.intersection(clipped[outside], extent_piece)
                ]
        sector = _dissolve(clipped)
        sectors.append(sector if len(sector.parts) else None)
    boundaries = [shapely.boundary(s.whole) for s in sectors if s is not None]
    if extent_piece is not None:
        boundaries.append(shapely.boundary(extent_piece))
    nothing = _Tile(np.empty(0, dtype=object), np.zeros((0, len(candidates)), np.uint8), [])
    nothing.sources = [(np.empty(0, np.int64), np.empty(0, np.int64)) for _ in candidates]
    if not boundaries:
        return nothing
    if len(boundaries) == 1:
        only = next(s for s in sectors if s is not None).whole if extent_piece is None else extent_piece
        faces = shapely.get_parts(only)
    else:
        noded = shapely.union_all(np.asarray(boundaries, dtype=object))
        faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = faces[shapely.area(faces) > 0]
    points = shapely.point_on_surface(faces)
    flags = np.zeros((len(faces), len(candidates)), dtype=np.uint8)
    component_of = []
    for k, sector in enumerate(sectors):
        if sector is None:
            component_of.append(None)
            continue
        face_idx, part_idx = shapely.STRtree(sector.parts).query(points)
        shapely.prepare(sector.parts)
        inside = shapely.intersects(sector.parts[part_idx], points[face_idx])
        face_idx, part_idx = face_idx[inside], part_idx[inside]
        flags[face_idx, k] = 1
        component = np.full(len(faces), -1, dtype=np.int64)
        component[face_idx] = part_idx
        component_of.append(component)
    if extent_piece is not None:
        shapely.prepare(extent_piece)
        keep = shapely.intersects(extent_piece, points)
    else:
        keep = flags.any(axis=1)
    faces, flags = faces[keep], flags[keep]

    sources = []
    for k, sector in enumerate(sectors):
        if sector is None:
            sources.append((np.empty(0, np.int64), np.empty(0, np.int64)))
            continue
        component = component_of[k][keep]
        rows = np.flatnonzero(component >= 0)
        part = component[rows]
        # A part dissolved from one input feature: that feature is the only contributor.
        single = sector.member_count[part] == 1
        face_list = [rows[single]]
        input_list = [sector.first_member[part[single]]]
        shared = rows[~single]
        if len(shared):
            face_idx, member_idx = _overlapping_pairs(faces[shared], points[shared], sector, part[~single])
            face_list.append(shared[face_idx])
            input_list.append(member_idx)
        sources.append((np.concatenate(face_list), np.concatenate(input_list)))
    return _Tile(faces, flags, sources)


def _overlapping_pairs(pieces, points, sector, piece_part):
    """(piece, input) pairs where the input's area overlaps the piece, not just touches it."""
    import numpy as np
    import shapely

    piece_idx, input_idx = shapely.STRtree(sector.inputs).query(pieces)
    same = sector.part_of[input_idx] == piece_part[piece_idx]  # only members of the piece's part
    piece_idx, input_idx = piece_idx[same], input_idx[same]
    shapely.prepare(sector.inputs)
    meets = shapely.intersects(sector.inputs[input_idx], pieces[piece_idx])
    piece_idx, input_idx = piece_idx[meets], input_idx[meets]
    # Most contributors cover the piece's inner point; only the others need the full test.
    covers_point = shapely.intersects(sector.inputs[input_idx], points[piece_idx])
    check = np.flatnonzero(~covers_point)
    overlaps = covers_point.copy()
    if len(check):
        overlaps[check] = ~shapely.touches(sector.inputs[input_idx[check]], pieces[piece_idx[check]])
    return piece_idx[overlaps], input_idx[overlaps]


@dataclass
class _TileSector:
    inputs: object  # the clipped input geometries (index = candidate index)
    parts: object  # dissolved, pairwise disjoint polygons
    part_of: object  # for each input: its part
    member_count: object  # for each part: how many inputs it dissolves
    first_member: object  # for each part: one input in it
    whole: object  # the parts as one MultiPolygon


def _dissolve(geometries) -> _TileSector:
    """Merge overlapping or touching geometries; only connected groups are unioned, which is
    far cheaper than one union of everything because most features touch nothing."""
    import numpy as np
    import shapely

    n = len(geometries)
    nonempty = ~shapely.is_empty(geometries)
    label = np.arange(n)
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    pair = (left < right) & nonempty[left] & nonempty[right]
    left, right = left[pair], right[pair]
    while len(left):  # connected components by label propagation
        low = np.minimum(label[left], label[right])
        changed = (label[left] != low) | (label[right] != low)
        if not changed.any():
            break
        np.minimum.at(label, left, low)
        np.minimum.at(label, right, low)
        label = label[label]
    roots, part_of, member_count = np.unique(label, return_inverse=True, return_counts=True)
    part_of = np.asarray(part_of).reshape(-1)
    order = np.argsort(part_of, kind="stable")
    starts = np.searchsorted(part_of[order], np.arange(len(roots)))
    first_member = order[starts]
    parts = geometries[first_member].copy()
    for p in np.flatnonzero(member_count > 1):
        parts[p] = _polygonal(shapely.union_all(geometries[order[starts[p] : starts[p] + member_count[p]]]))
    usable = nonempty[first_member] & ~shapely.is_empty(parts)
    if not usable.all():
        remap = np.full(len(parts), -1)
        remap[usable] = np.arange(int(usable.sum()))
        parts, member_count, first_member = parts[usable], member_count[usable], first_member[usable]
        part_of = remap[part_of]
    polygons = shapely.get_parts(parts) if len(parts) else parts
    whole = shapely.multipolygons(polygons) if len(polygons) else shapely.MultiPolygon()
    return _TileSector(geometries, parts, part_of, member_count, first_member, whole)


def _merge_tile_seams(faces, flags, pairs, rects, bounds, feedback):
    """Merge pieces that a tile edge cut apart but that carry the same flags."""
    import numpy as np
    import shapely

    grid = np.asarray(rects)
    inner_x = np.unique(grid[:, [0, 2]])[1:-1]
    inner_y = np.unique(grid[:, [1, 3]])[1:-1]
    tolerance = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * 1e-9
    fb = shapely.bounds(faces)
    on_seam = _near(fb[:, 0], inner_x, tolerance) | _near(fb[:, 2], inner_x, tolerance)
    on_seam |= _near(fb[:, 1], inner_y, tolerance) | _near(fb[:, 3], inner_y, tolerance)
    if not on_seam.any():
        return faces, flags, pairs
    seam_idx = np.flatnonzero(on_seam)
    patterns, group = np.unique(flags[seam_idx], axis=0, return_inverse=True)
    group = np.asarray(group).reshape(-1)
    new_faces, new_flags = [], []
    face_to_piece = np.full(len(faces), -1, dtype=np.int64)
    for g in range(len(patterns)):
        if _cancelled(feedback):
            raise Cancelled()
        members = seam_idx[group == g]
        # Only faces that meet are unioned (in small connected groups), never a whole pattern.
        merged = _dissolve(faces[members])
        pieces, piece_part = shapely.get_parts(merged.parts, return_index=True)
        base = len(new_faces)
        new_faces.extend(pieces.tolist())
        new_flags.extend([patterns[g]] * len(pieces))
        per_part = np.bincount(piece_part, minlength=len(merged.parts))
        first_piece = np.searchsorted(piece_part, np.arange(len(merged.parts)))
        part = merged.part_of
        direct = (part >= 0) & (per_part[np.maximum(part, 0)] == 1)
        face_to_piece[members[direct]] = base + first_piece[part[direct]]
        split = np.flatnonzero(~direct)  # a group that came out as several polygons
        if len(split):
            inner = shapely.point_on_surface(faces[members[split]])
            point_idx, piece_idx = shapely.STRtree(pieces).query(inner, predicate="intersects")
            face_to_piece[members[split[point_idx]]] = base + piece_idx
    keep = np.flatnonzero(~on_seam)
    renumber = np.full(len(faces), -1, dtype=np.int64)
    renumber[keep] = np.arange(len(keep))
    mapped = face_to_piece >= 0
    renumber[mapped] = len(keep) + face_to_piece[mapped]
    out_faces = np.concatenate([faces[keep], np.asarray(new_faces, dtype=object)])
    out_flags = np.concatenate(
        [flags[keep], np.asarray(new_flags, dtype=np.uint8).reshape(-1, flags.shape[1])]
    )
    out_pairs = []
    for face_idx, input_idx in pairs:
        target = renumber[face_idx]
        ok = target >= 0
        out_pairs.append((target[ok], input_idx[ok]))
    return out_faces, out_flags, out_pairs


# --------------------------------------------------------------------------- helpers


def _polygonal(geometry):
    """The polygonal part of a geometry (overlays may add stray lines or points)."""
    import shapely

    if geometry is None:
        return shapely.Polygon()
    kind = shapely.get_type_id(geometry)
    if kind in (3, 6):  # Polygon, MultiPolygon
        return geometry
    if kind == 7:  # GeometryCollection
        parts = shapely.get_parts(geometry)
        parts = parts[shapely.get_dimensions(parts) == 2]
        if not len(parts):
            return shapely.Polygon()
        polygons = shapely.get_parts(parts)  # flattens nested MultiPolygons
        return polygons[0] if len(polygons) == 1 else shapely.multipolygons(polygons)
    return shapely.Polygon()


def _total_bounds(inputs, extent):
    import numpy as np
    import shapely

    if extent is not None:
        return tuple(float(v) for v in shapely.bounds(extent))
    boxes = [shapely.bounds(g) for g in inputs if len(g)]
    if not boxes:
        return None
    b = np.concatenate(boxes)
    return (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))


def _tile_grid(bounds, n_tiles: int) -> list[tuple[float, float, float, float]]:
    """About n_tiles rectangles covering bounds, near-square; shared edges use identical floats."""
    import numpy as np

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


def _near(values, lines, tolerance):
    """True where a value lies within tolerance of one of the sorted lines."""
    import numpy as np

    if not len(lines):
        return np.zeros(len(values), dtype=bool)
    pos = np.clip(np.searchsorted(lines, values), 1, len(lines)) - 1
    nearest = np.minimum(
        np.abs(values - lines[pos]), np.abs(values - lines[np.minimum(pos + 1, len(lines) - 1)])
    )
    return nearest <= tolerance


def _cancelled(feedback) -> bool:
    return feedback is not None and feedback.isCanceled()


def _progress(feedback, percent: float) -> None:
    if feedback is not None:
        feedback.setProgress(percent)
