"""The exact sector overlay: a planar partition of the sectors' dissolved areas.

Why this shape: a chain of pairwise unions re-overlays the growing result against every
new layer, and double counts overlaps inside one layer. Here every sector is dissolved
once, the dissolved boundaries are noded together once and polygonized into faces, and
each face is tagged with point-in-polygon tests — one overlay instead of N. The work is
split into spatial tiles so that every step is small (progress and cancel answer within
a second), the tiles run on all cores (shapely 2 releases the GIL inside GEOS), and the
faces cut by tile edges are merged back afterwards, so the tiling leaves no seams.

Pieces come out in chunks (``overlay_chunks``): a tile's pieces that no tile edge cuts as
soon as that tile is done, in tile order, then the merged pieces along the tile edges; the
caller writes one chunk while the threads work on the next tiles.

Traceability: every output piece lists, per sector, the input features whose area
overlaps the piece ("layer:fid;layer:fid"), see ``format_sources`` and ``source_texts``.
The tile work is in overlay_tiles.py, the tile grid and the seams in overlay_seams.py.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np
import shapely

from .errors import Cancelled, RusPlannerError
from .geometry import repair
from .overlay_seams import inner_edges, merge_tile_seams, tile_grid
from .overlay_tiles import polygonal, polygonal_each, run_tile
from .parallel import Watch, in_background, watched
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
    #: Per sector: (piece indices, input indices), sorted and unique, where the input overlaps the piece.
    pairs: list = field(default_factory=list)
    tiles: int = 1

    @property
    def sources(self) -> list[list[list[int]]]:
        """[sector][piece] → the indices of the input features that overlap the piece."""
        out = []
        for face_idx, input_idx in self.pairs:
            per_face: list[list[int]] = [[] for _ in range(len(self.geometries))]
            for f, i in zip(face_idx.tolist(), input_idx.tolist()):
                per_face[f].append(i)
            out.append(per_face)
        return out

    @property
    def sector_count(self):
        """How many sectors cover each piece."""
        return self.flags.sum(axis=1).astype("int64")

    @property
    def score(self):
        """The sum of the present sectors' weights for each piece."""

        # Not a matrix product: that goes to BLAS, whose threads then spin beside the tiles.
        return (self.flags * np.asarray(self.weights, dtype="float64")).sum(axis=1)

    def sector_text(self, index: int) -> str:
        """The ids of the sectors present in a piece, readable: "kultur, transport"."""
        return self.text_of(self.flags[index])

    def text_of(self, flags) -> str:
        """The readable ids for one row of flags."""
        return ", ".join(sid for sid, flag in zip(self.sector_ids, flags) if flag)


def check_areal(sectors: list[PreparedSector]) -> None:
    """Refuse sectors that have no area: the exact overlay is a partition of areas."""

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


def source_texts(pairs, refs, count: int) -> list[str]:
    """The "<sector>_src" texts of ``count`` pieces from one sector's sorted (piece, input)
    pairs and its features' references (a list, or a numpy object array made once per
    sector); "" where no input overlaps the piece."""

    face_idx, input_idx = pairs
    if not len(face_idx):
        return [""] * count
    names = np.asarray(refs, dtype=object)[input_idx]
    texts = np.full(count, "", dtype=object)
    starts = np.flatnonzero(np.r_[True, face_idx[1:] != face_idx[:-1]])
    ends = np.r_[starts[1:], len(names)]
    single = ends - starts == 1  # one input: its reference is the text (the most common case)
    texts[face_idx[starts[single]]] = names[starts[single]]
    names = names.tolist()
    join = ";".join
    for face, s, e in zip(
        face_idx[starts[~single]].tolist(), starts[~single].tolist(), ends[~single].tolist()
    ):
        text = join(names[s:e])
        texts[face] = text if len(text) <= SOURCE_FIELD_LIMIT else format_sources(names[s:e])
    long = [face for face in face_idx[starts[single]].tolist() if len(texts[face]) > SOURCE_FIELD_LIMIT]
    for face in long:  # one reference longer than the field (a very long layer name)
        texts[face] = format_sources([texts[face]])
    return texts.tolist()


def overlay_sectors(
    sectors: list[PreparedSector],
    extent=None,
    *,
    feedback=None,
    workers: int | None = None,
    tile_vertices: int = TILE_VERTICES,
    phases=None,
) -> OverlayResult:
    """Overlay areal sectors into non-overlapping pieces with per-sector flags.

    ``extent`` (a shapely polygonal geometry, or None) clips the sectors, and the output
    then covers all of it, with all flags 0 where no sector is present. ``feedback`` is
    anything with ``isCanceled()`` and ``setProgress(percent)`` (a QgsProcessingFeedback).
    All of ``overlay_chunks`` in one result.
    """

    chunks = list(
        overlay_chunks(
            sectors, extent, feedback=feedback, workers=workers, tile_vertices=tile_vertices, phases=phases
        )
    )
    ids = [s.id for s in sectors]
    if not chunks:
        return _empty(ids, [float(s.weight) for s in sectors])
    offsets = np.cumsum([0] + [len(c.geometries) for c in chunks])
    pairs = [
        (
            np.concatenate([c.pairs[k][0] + offsets[i] for i, c in enumerate(chunks)]),
            np.concatenate([c.pairs[k][1] for c in chunks]),
        )
        for k in range(len(ids))
    ]
    return OverlayResult(
        ids,
        chunks[0].weights,
        np.concatenate([c.geometries for c in chunks]),
        np.concatenate([c.flags for c in chunks]),
        pairs,
        tiles=chunks[0].tiles,
    )


def overlay_chunks(
    sectors: list[PreparedSector],
    extent=None,
    *,
    feedback=None,
    workers: int | None = None,
    tile_vertices: int = TILE_VERTICES,
    phases=None,
    polygonize=None,
):
    """``overlay_sectors`` piece by piece: yields OverlayResults, each final.

    First each tile's pieces that no inner tile edge touches, in tile order, as soon as the
    tile is done (the next tiles go on in the threads meanwhile), then the pieces along the
    tile edges, merged. ``phases`` (core.phases.Phases) gets the threads' seconds per step;
    ``polygonize`` (noded lines → faces) replaces shapely's (overlay_tiles.polygonize_lines),
    e.g. by one that lets the other threads run meanwhile.
    """

    check_areal(sectors)
    ids = [s.id for s in sectors]
    weights = [float(s.weight) for s in sectors]
    inputs = []
    for sector in sectors:
        inputs.append(polygonal_each(np.asarray(sector.geometries, dtype=object)))  # keep the areas
    if extent is not None:
        extent = polygonal(repair([extent])[0])  # holes stay holes (geometry.repair)
        if shapely.is_empty(extent):
            extent = None  # an empty study area is reported by the caller; nothing clips

    bounds = _total_bounds(inputs, extent)
    if bounds is None:
        return
    vertices = sum(int(shapely.get_num_coordinates(g).sum()) for g in inputs if len(g))
    if extent is not None:
        vertices += int(shapely.get_num_coordinates(extent))
    rects = tile_grid(bounds, max(1, math.ceil(vertices / max(tile_vertices, 1))))
    seams = inner_edges(rects, bounds)

    # Which input geometries each tile needs, found in the main thread (STRtree queries hold the GIL).
    boxes = shapely.box(*np.asarray(rects).T)
    per_tile: list[list[object]] = [[None] * len(inputs) for _ in rects]
    for k, geometries in enumerate(inputs):
        if not len(geometries):
            continue
        tile_idx, geom_idx = shapely.STRtree(geometries).query(boxes)
        order = np.argsort(tile_idx, kind="stable")
        tile_idx, geom_idx = tile_idx[order], geom_idx[order]
        cuts = np.searchsorted(tile_idx, np.arange(len(rects) + 1))
        for t in range(len(rects)):
            per_tile[t][k] = geom_idx[cuts[t] : cuts[t + 1]]
    extent_tiles = shapely.intersects(extent, boxes) if extent is not None else None

    def wanted(t: int) -> bool:
        if extent_tiles is not None:
            return bool(extent_tiles[t])
        return any(idx is not None and len(idx) for idx in per_tile[t])

    todo = [t for t in range(len(rects)) if wanted(t)]
    workers = workers or min(len(todo), os.cpu_count() or 1, 8) or 1
    _progress(feedback, 0)
    tile_inputs = [
        (
            rects[t],
            [inputs[k][per_tile[t][k]] if per_tile[t][k] is not None else None for k in range(len(inputs))],
            extent,
            seams,
            phases,
            per_tile[t],
            polygonize,
        )
        for t in todo
    ]
    seam_parts = []  # (faces, flags, pairs) of each tile's faces along the tile edges

    def check_cancel():
        if _cancelled(feedback):
            raise Cancelled()

    with (
        watched(run_tile, tile_inputs, workers) as watch,
        in_background() as background,
    ):
        merging = None
        for number, future in enumerate(watch.futures):
            while not future.done():  # in tile order; the threads meanwhile go on with the next
                watch.wait(0.2, first=True)
                check_cancel()  # leaving ``watched`` drops the tiles not started yet
            check_cancel()
            seam, inner = future.result()
            if seam is not None:
                seam_parts.append(seam)
            if number == len(todo) - 1 and seam_parts:
                # Every tile is in: the faces along the tile edges are merged in a thread of
                # their own while the caller writes the last tile's pieces.
                merging = background.submit(merge_tile_seams, seam_parts, len(inputs), check_cancel, phases)
                seam_parts = []
            _progress(feedback, 85 * (number + 1) / len(todo))
            if inner is not None:
                yield OverlayResult(ids, weights, *inner, len(rects))
        if merging is not None:
            while not merging.done():
                Watch([merging]).wait(0.2)
                check_cancel()
            faces, flags, pairs = merging.result()
            _progress(feedback, 95)
            yield OverlayResult(ids, weights, faces, flags, pairs, len(rects))
    _progress(feedback, 100)


# --------------------------------------------------------------------------- helpers


def _empty(ids, weights) -> OverlayResult:

    empty = np.empty(0, np.int64)
    return OverlayResult(
        ids,
        weights,
        np.empty(0, dtype=object),
        np.zeros((0, len(ids)), np.uint8),
        [(empty, empty) for _ in ids],
    )


def _total_bounds(inputs, extent):

    if extent is not None:
        return tuple(float(v) for v in shapely.bounds(extent))
    boxes = [shapely.bounds(g) for g in inputs if len(g)]
    if not boxes:
        return None
    b = np.concatenate(boxes)
    return (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))


def _cancelled(feedback) -> bool:
    return feedback is not None and feedback.isCanceled()


def _progress(feedback, percent: float) -> None:
    if feedback is not None:
        feedback.setProgress(percent)
