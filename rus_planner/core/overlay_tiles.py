"""One tile of the exact sector overlay: dissolve, node, polygonize, tag (see overlay.py).

Runs in a worker thread: only shapely and numpy, on the tile's own arrays (shapely 2
releases Python's lock inside GEOS, so tiles run side by side on all cores). Imports no
QGIS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import shapely

from .geos_runtime import has_xy_predicates

#: Outline vertices per piece tried as proof of overlap before the exact test; four settle
#: three quarters of the pairs the inner point leaves open in dense layers.
OUTLINE_SAMPLES = 4


@dataclass
class Tile:
    """A tile's faces, split into those no inner tile edge touches (final) and those it does."""

    faces: object  # shapely Polygons
    flags: object  # uint8 (faces × sectors)
    pairs: list  # per sector: (face indices, candidate indices) where the input overlaps the face
    on_seam: object  # bool per face: its bounds touch an inner tile edge (merged afterwards)


@dataclass
class TileSector:
    inputs: object  # the clipped input geometries (index = candidate index)
    parts: object  # dissolved, pairwise disjoint (Multi)Polygons
    part_of: object  # for each input: its part
    member_count: object  # for each part: how many inputs it dissolves
    first_member: object  # for each part: one input in it
    whole: object  # the parts as one MultiPolygon


@dataclass(frozen=True)
class Seams:
    """The inner tile edges (sorted x and y values) and how near counts as on them."""

    xs: object
    ys: object
    tolerance: float

    def touch(self, faces):
        """True for each face whose bounding box touches an inner tile edge."""

        if not len(faces):
            return np.zeros(0, dtype=bool)
        fb = shapely.bounds(faces)
        on = near(fb[:, 0], self.xs, self.tolerance) | near(fb[:, 2], self.xs, self.tolerance)
        return on | near(fb[:, 1], self.ys, self.tolerance) | near(fb[:, 3], self.ys, self.tolerance)


def polygonize_lines(noded):
    """The faces the noded lines (one geometry) enclose, by shapely: exact, but it holds
    Python's lock while it runs, so the caller may hand in a ``polygonize`` that does not."""

    return shapely.get_parts(shapely.polygonize([noded]))


def overlay_tile(rect, candidates: list, extent, seams: Seams, phases=None, polygonize=None) -> Tile:
    """Dissolve, node, polygonize and tag one tile; touches only its own objects.

    ``polygonize`` (noded lines → array of faces) defaults to ``polygonize_lines``.

    ``phases`` (a core.phases.Phases or None) gets the tile's seconds per step: CPU
    seconds of this thread, so that tiles side by side (and waiting for a core) add up to
    the work done, not to the time spent waiting.
    """

    start = time.thread_time()
    box = shapely.box(*rect)
    extent_piece = None
    if extent is not None:
        extent_piece = polygonal(shapely.intersection(extent, box))
        if extent_piece.is_empty:
            extent_piece = None
    sectors: list[TileSector | None] = []
    for geometries in candidates:
        if geometries is None or not len(geometries):
            sectors.append(None)
            continue
        clipped = geometries.copy()
        crossing = ~inside_rect(clipped, rect)
        if crossing.any():
            clipped[crossing] = polygonal_each(shapely.intersection(clipped[crossing], box))
        if extent_piece is not None:
            shapely.prepare(extent_piece)
            outside = ~shapely.contains_properly(extent_piece, clipped)
            if outside.any():
                clipped[outside] = polygonal_each(shapely.intersection(clipped[outside], extent_piece))
        sector = dissolve(clipped)
        sectors.append(sector if len(sector.parts) else None)
    start = _lap(phases, "dissolve", start)

    boundaries = [shapely.boundary(s.whole) for s in sectors if s is not None]
    if extent_piece is not None:
        boundaries.append(shapely.boundary(extent_piece))
    if not boundaries:
        nothing = [(np.empty(0, np.int64), np.empty(0, np.int64)) for _ in candidates]
        return Tile(
            np.empty(0, dtype=object), np.zeros((0, len(candidates)), np.uint8), nothing, np.zeros(0, bool)
        )
    if len(boundaries) == 1:
        only = next(s for s in sectors if s is not None).whole if extent_piece is None else extent_piece
        faces = shapely.get_parts(only)
    else:
        noded = shapely.union_all(np.asarray(boundaries, dtype=object))
        # The noded lines as one geometry: splitting them into parts first only makes
        # Python objects that polygonize would have to read.
        faces = (polygonize or polygonize_lines)(noded)
    faces = faces[shapely.area(faces) > 0]
    start = _lap(phases, "node", start)

    points = shapely.point_on_surface(faces)
    flags = np.zeros((len(faces), len(candidates)), dtype=np.uint8)
    part_of_face = []
    for k, sector in enumerate(sectors):
        if sector is None:
            part_of_face.append(None)
            continue
        face_idx, part_idx = shapely.STRtree(sector.parts).query(points)
        shapely.prepare(sector.parts)
        inside = shapely.intersects(sector.parts[part_idx], points[face_idx])
        face_idx, part_idx = face_idx[inside], part_idx[inside]
        flags[face_idx, k] = 1
        part = np.full(len(faces), -1, dtype=np.int64)
        part[face_idx] = part_idx
        part_of_face.append(part)
    if extent_piece is not None:
        shapely.prepare(extent_piece)
        keep = shapely.intersects(extent_piece, points)
    else:
        keep = flags.any(axis=1)
    faces, flags, points = faces[keep], flags[keep], points[keep]

    outline = outline_samples(faces)
    pairs = []
    for k, sector in enumerate(sectors):
        if sector is None:
            pairs.append((np.empty(0, np.int64), np.empty(0, np.int64)))
            continue
        component = part_of_face[k][keep]
        rows = np.flatnonzero(component >= 0)
        part = component[rows]
        # A part dissolved from one input feature: that feature is the only contributor.
        single = sector.member_count[part] == 1
        face_list = [rows[single]]
        input_list = [sector.first_member[part[single]]]
        shared = rows[~single]
        if len(shared):
            face_idx, member_idx = overlapping_pairs(
                faces[shared], points[shared], outline[shared], sector, part[~single]
            )
            face_list.append(shared[face_idx])
            input_list.append(member_idx)
        pairs.append((np.concatenate(face_list), np.concatenate(input_list)))
    on_seam = seams.touch(faces)
    _lap(phases, "attribute", start)
    return Tile(faces, flags, pairs, on_seam)


def run_tile(job):
    """One tile, on a worker thread: its faces split into those along a tile edge and the
    others, each as (faces, flags, pairs) with the pairs naming the sectors' own input
    indices, sorted; None for a part without faces."""

    rect, candidates, extent, seams, phases, candidate_idx, polygonize = job
    tile = overlay_tile(rect, candidates, extent, seams, phases, polygonize)
    start = time.thread_time()
    # Local candidate indices → indices into the sector's input array.
    pairs = [
        (faces, candidate_idx[k][local]) if len(faces) else (faces, local)
        for k, (faces, local) in enumerate(tile.pairs)
    ]
    parts = []
    for keep in (tile.on_seam, ~tile.on_seam):
        parts.append((tile.faces[keep], tile.flags[keep], select_faces(pairs, keep)) if keep.any() else None)
    if phases is not None:
        phases.add("attribute", time.thread_time() - start)
    return tuple(parts)


def select_faces(pairs, keep):
    """The pairs of the kept faces, renumbered to them, sorted and unique."""

    renumber = np.full(len(keep), -1, dtype=np.int64)
    renumber[keep] = np.arange(int(keep.sum()))
    out = []
    for face_idx, input_idx in pairs:
        target = renumber[face_idx]
        ok = target >= 0
        out.append(sorted_unique(target[ok], input_idx[ok]))
    return out


def sorted_unique(face_idx, input_idx):
    """The pairs sorted by face, then input, each once (one sort of a combined key)."""

    face_idx, input_idx = face_idx.astype(np.int64), input_idx.astype(np.int64)
    if not len(face_idx):
        return face_idx, input_idx
    span = int(input_idx.max()) + 1
    key = np.unique(face_idx * span + input_idx)
    return key // span, key % span


def overlapping_pairs(pieces, points, outline, sector: TileSector, piece_part):
    """(piece, input) pairs where the input's area overlaps the piece, not just touches it.

    Cheapest tests first, each a proof: an input that holds the piece's inner point overlaps
    it (on the input's edge too: the edge then runs through the piece's interior), and so
    does one with a vertex of the piece's outline strictly inside it (the piece's interior
    comes up to that vertex). Only the others are tested against the whole piece; of those
    that meet it, one with any vertex of the piece strictly inside overlaps it, and only the
    rest are tested for touching alone.
    """

    piece_idx, input_idx = shapely.STRtree(sector.inputs).query(pieces)
    same = sector.part_of[input_idx] == piece_part[piece_idx]  # only members of the piece's part
    piece_idx, input_idx = piece_idx[same], input_idx[same]
    shapely.prepare(sector.inputs)
    overlaps = shapely.intersects(sector.inputs[input_idx], points[piece_idx])
    rest = np.flatnonzero(~overlaps)
    if len(rest):
        for k in range(outline.shape[1]):
            inside = strictly_inside(sector.inputs[input_idx[rest]], outline[piece_idx[rest], k])
            overlaps[rest[inside]] = True
            rest = rest[~inside]
    if len(rest):
        rest = rest[shapely.intersects(sector.inputs[input_idx[rest]], pieces[piece_idx[rest]])]
    if len(rest):  # they meet: any vertex of the piece strictly inside proves more than touching
        inside = vertex_inside(sector.inputs[input_idx[rest]], pieces[piece_idx[rest]])
        overlaps[rest[inside]] = True
        rest = rest[~inside]
    if len(rest):
        overlaps[rest] = ~shapely.touches(sector.inputs[input_idx[rest]], pieces[piece_idx[rest]])
    # Unprepared here, on this thread: many inputs are the caller's own geometries, and their
    # prepared copies would otherwise be freed one by one on the main thread at the very end.
    shapely.destroy_prepared(sector.inputs)
    return piece_idx[overlaps], input_idx[overlaps]


def vertex_inside(inputs, pieces):
    """True for each (input, piece) pair where a vertex of the piece lies strictly inside
    the input: a few hundred point tests cost less than one ``touches``."""

    coordinates, owner = shapely.get_coordinates(pieces, return_index=True)
    at = coordinates if has_xy_predicates() else shapely.points(coordinates)
    inside = strictly_inside(inputs[owner], at)
    return np.bincount(owner[inside], minlength=len(pieces)) > 0


def strictly_inside(geometries, at):
    """True where each point lies in its geometry's interior; ``at`` is coordinates (n × 2,
    for the ``*_xy`` predicates, where for a point contains is contains_properly) or points."""

    if at.dtype == object:
        return shapely.contains_properly(geometries, at)
    return shapely.contains_xy(geometries, at[:, 0], at[:, 1])


def outline_samples(pieces, count: int = OUTLINE_SAMPLES):
    """``count`` vertices of each piece's outline (its rings), spread evenly along them:
    pieces × count × (x, y), tested with the ``*_xy`` predicates where GEOS has them, else
    as points (pieces × count). Inside QGIS shapely's calls may reach the GEOS that QGIS
    loaded, which can be older than 3.12 (``has_xy_predicates``)."""

    coordinates, owner = shapely.get_coordinates(pieces, return_index=True)
    if len(coordinates):  # pieces have an area, so each has vertices of its own
        starts = np.searchsorted(owner, np.arange(len(pieces)))
        sizes = np.bincount(owner, minlength=len(pieces))
        samples = coordinates[starts[:, None] + (np.arange(count)[None, :] * sizes[:, None]) // count]
    else:
        samples = np.zeros((len(pieces), count, 2))
    return samples if has_xy_predicates() else shapely.points(samples)


def inside_rect(geometries, rect):
    """True for each geometry inside the rectangle's interior: its bounding box is, strictly
    (exact, and far cheaper than a containment test against the rectangle)."""

    bounds = shapely.bounds(geometries)
    xmin, ymin, xmax, ymax = rect
    return (bounds[:, 0] > xmin) & (bounds[:, 1] > ymin) & (bounds[:, 2] < xmax) & (bounds[:, 3] < ymax)


def dissolve(geometries, kinds=None) -> TileSector:
    """Merge overlapping or touching geometries; only groups whose bounding boxes chain
    together are unioned, which is far cheaper than one union of everything because most
    features meet nothing. (Boxes, not shapes: the box join costs next to nothing, and a
    group whose members turn out not to meet still unions correctly, as a MultiPolygon.)
    With ``kinds`` (one integer per geometry), only geometries of the same kind merge."""

    n = len(geometries)
    nonempty = ~shapely.is_empty(geometries)
    label = np.arange(n)
    left, right = shapely.STRtree(geometries).query(geometries)
    pair = (left < right) & nonempty[left] & nonempty[right]
    if kinds is not None:
        pair &= kinds[left] == kinds[right]
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
    merged = np.flatnonzero(member_count > 1)
    if len(merged):
        parts[merged] = union_groups(geometries, part_of, merged)
    usable = nonempty[first_member] & ~shapely.is_empty(parts)
    if not usable.all():
        remap = np.full(len(parts), -1)
        remap[usable] = np.arange(int(usable.sum()))
        parts, member_count, first_member = parts[usable], member_count[usable], first_member[usable]
        part_of = remap[part_of]
    polygons = shapely.get_parts(parts) if len(parts) else parts
    whole = shapely.multipolygons(polygons) if len(polygons) else shapely.MultiPolygon()
    return TileSector(geometries, parts, part_of, member_count, first_member, whole)


def union_groups(geometries, group_of, groups):
    """The union of each of ``groups`` (``group_of`` names each geometry's group), all in one
    call: a group's polygons as one MultiPolygon, buffered by 0. The zero buffer nodes all the
    rings at once and keeps what lies inside at least one of them, which is their union; a
    cascaded union overlays them pair by pair and takes a third to a half longer on these
    groups (the exact-area tests hold it to shapely's overlay)."""

    rank = np.full(int(group_of.max()) + 1, -1, dtype=np.int64)
    rank[groups] = np.arange(len(groups))
    member_rank = rank[group_of]
    members = np.flatnonzero(member_rank >= 0)
    members = members[np.argsort(member_rank[members], kind="stable")]
    polygons, owner = shapely.get_parts(geometries[members], return_index=True)
    bundles = shapely.multipolygons(polygons, indices=member_rank[members][owner])
    return polygonal_each(shapely.buffer(bundles, 0))


def polygonal_each(geometries):
    """``polygonal`` of each geometry (an array), looking only at those that are not polygons."""

    odd = ~np.isin(shapely.get_type_id(geometries), (3, 6))
    if odd.any():
        geometries = geometries.copy()
        geometries[odd] = [polygonal(g) for g in geometries[odd]]
    return geometries


def polygonal(geometry):
    """The polygonal part of a geometry (overlays may add stray lines or points)."""

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


def near(values, lines, tolerance):
    """True where a value lies within tolerance of one of the sorted lines."""

    if not len(lines):
        return np.zeros(len(values), dtype=bool)
    pos = np.clip(np.searchsorted(lines, values), 1, len(lines)) - 1
    nearest = np.minimum(
        np.abs(values - lines[pos]), np.abs(values - lines[np.minimum(pos + 1, len(lines) - 1)])
    )
    return nearest <= tolerance


def _lap(phases, name: str, start: float) -> float:
    now = time.thread_time()
    if phases is not None:
        phases.add(name, now - start)
    return now
