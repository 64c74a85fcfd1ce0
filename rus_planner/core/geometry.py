"""Geometries as the analysis holds them: a layer's shapely geometries with ids and attributes,
their repair, the area around the elements that matters, and what a read did to a layer.

Pure Python on shapely and numpy (no QGIS): ``qgis_io.layers`` fills these from QGIS or
GDAL, and the check, the overlays and the grid work on them.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from .errors import LayerError
from .geos_runtime import runtime_geos_version
from .texts import tr

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


@dataclass
class ReadStats:
    """What happened to a layer's features on the way in."""

    total: int = 0
    used: int = 0
    repaired: int = 0
    skipped_null: int = 0
    skipped_empty: int = 0
    skipped_unrepairable: int = 0
    curved: int = 0
    far: int = 0  # left out because they cannot touch the area of interest (read_layer's near=)
    duplicate_ids: int = 0  # used features whose feature id another used feature has too
    null_ids: int = 0  # used features without a feature id
    encoding_guess: str = ""  # the text encoding assumed for a file that does not state its own


@dataclass
class LayerData:
    """A layer's geometries (shapely, in the target CRS) with feature ids and chosen attributes."""

    name: str
    source: str
    kind: str  # point / line / polygon
    geometries: object  # numpy array of shapely geometries
    fids: object  # numpy int64 array
    attributes: dict[str, list] = field(default_factory=dict)
    stats: ReadStats = field(default_factory=ReadStats)


def empty_geometries():
    import numpy as np

    return np.empty(0, dtype=object)


class NearArea:
    """Where features matter: the bounding boxes of some geometries, grown by a distance.

    Built once for the elements of a check and asked once per agency layer: which features
    can be near enough to count. ``might_meet`` answers for many boxes at once from a
    coverage grid (never a false "no"); ``near_mask`` then decides box by box.
    """

    GRID_CELLS = 512

    def __init__(self, geometries):
        import numpy as np
        import shapely

        self.bounds = shapely.bounds(np.asarray(geometries, dtype=object)).reshape(-1, 4)
        self._boxes: dict[float, object] = {}
        self._grids: dict[float, tuple] = {}

    def __len__(self) -> int:
        return len(self.bounds)

    @staticmethod
    def _grow(distance: float) -> float:
        return float(distance) * (1 + 1e-9) + 1e-6  # never lose a pair at exactly the distance

    def grown_bounds(self, distance: float):
        grow = self._grow(distance)
        return self.bounds + [-grow, -grow, grow, grow]

    def rect(self, distance: float) -> tuple[float, float, float, float] | None:
        """The box around all of it, grown by the distance; None when there is nothing."""
        if not len(self.bounds):
            return None
        grown = self.grown_bounds(distance)
        return (
            float(grown[:, 0].min()),
            float(grown[:, 1].min()),
            float(grown[:, 2].max()),
            float(grown[:, 3].max()),
        )

    def boxes(self, distance: float):
        """The grown boxes as shapely polygons (for an STRtree query)."""
        import shapely

        if distance not in self._boxes:
            grown = self.grown_bounds(distance)
            self._boxes[distance] = shapely.box(grown[:, 0], grown[:, 1], grown[:, 2], grown[:, 3])
        return self._boxes[distance]

    def might_meet(self, bounds, distance: float):
        """For boxes given as (xmin, ymin, xmax, ymax) rows: False where none of ours can meet them.

        A summed-area table over a grid of the grown boxes answers each row in four look-ups,
        so a layer's whole spatial index is sifted in about a millisecond.
        """
        import numpy as np

        bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
        if not len(self.bounds):
            return np.zeros(len(bounds), dtype=bool)
        if distance not in self._grids:
            self._grids[distance] = self._coverage(self.grown_bounds(distance))
        (xmin, ymin, size_x, size_y), cells, table = self._grids[distance]
        col0 = np.floor((bounds[:, 0] - xmin) / size_x)
        col1 = np.floor((bounds[:, 2] - xmin) / size_x)
        row0 = np.floor((bounds[:, 1] - ymin) / size_y)
        row1 = np.floor((bounds[:, 3] - ymin) / size_y)
        outside = (col1 < 0) | (row1 < 0) | (col0 >= cells) | (row0 >= cells)
        col0, col1 = (np.clip(c, 0, cells - 1).astype(np.intp) for c in (col0, col1))
        row0, row1 = (np.clip(r, 0, cells - 1).astype(np.intp) for r in (row0, row1))
        covered = (
            table[row1 + 1, col1 + 1] - table[row0, col1 + 1] - table[row1 + 1, col0] + table[row0, col0]
        )
        return ~outside & (covered > 0)

    def _coverage(self, grown):
        """The grid's origin and cell size, its cell count per side, and its summed-area table."""
        import numpy as np

        cells = self.GRID_CELLS
        xmin, ymin = grown[:, 0].min(), grown[:, 1].min()
        size_x = (grown[:, 2].max() - xmin) / cells or 1.0
        size_y = (grown[:, 3].max() - ymin) / cells or 1.0
        # A cell counts as covered when any box reaches into it (rounding outwards).
        col0 = np.clip((grown[:, 0] - xmin) // size_x, 0, cells - 1).astype(np.intp)
        col1 = np.clip((grown[:, 2] - xmin) // size_x, 0, cells - 1).astype(np.intp)
        row0 = np.clip((grown[:, 1] - ymin) // size_y, 0, cells - 1).astype(np.intp)
        row1 = np.clip((grown[:, 3] - ymin) // size_y, 0, cells - 1).astype(np.intp)
        corners = np.zeros((cells + 1, cells + 1), dtype=np.int32)
        np.add.at(corners, (row0, col0), 1)
        np.add.at(corners, (row0, col1 + 1), -1)
        np.add.at(corners, (row1 + 1, col0), -1)
        np.add.at(corners, (row1 + 1, col1 + 1), 1)
        covered = corners.cumsum(axis=0).cumsum(axis=1)[:cells, :cells] > 0
        table = np.zeros((cells + 1, cells + 1), dtype=np.int32)
        table[1:, 1:] = covered.cumsum(axis=0, dtype=np.int32).cumsum(axis=1, dtype=np.int32)
        return (xmin, ymin, size_x, size_y), cells, table


def near_mask(geometries, near_boxes):
    """True where a geometry's box meets one of the (grown) boxes of ``near`` (NearArea.boxes)."""
    import numpy as np
    import shapely

    if not len(geometries):
        return np.zeros(0, dtype=bool)
    if not len(near_boxes):
        return np.zeros(len(geometries), dtype=bool)
    hits = shapely.STRtree(geometries).query(near_boxes)[1]  # bounding boxes only, no predicate
    mask = np.zeros(len(geometries), dtype=bool)
    mask[hits] = True
    return mask


def structure_repair_available() -> bool:
    """Whether shapely can repair by structure here: shapely ≥ 2.1 on a GEOS ≥ 3.10 (see repair)."""

    import shapely

    if runtime_geos_version() < (3, 10, 0):
        return False
    return "method" in inspect.signature(shapely.make_valid).parameters


def repair(geometries):
    """Valid geometries in which a polygon's holes stay holes.

    GEOS's default repair ('linework', also QGIS 3.22's makeValid) rebuilds a polygon from
    all its rings with odd–even parity, so where a hole crosses a bow-tie's crossing or its
    edge the hole's part outside the shell becomes area: land that is not protected would
    overlap a Natura 2000 area (a false class A). ``buffer(0)`` is worse, it drops a bow-tie's
    second lobe. Repairing by 'structure' (GEOS ≥ 3.10) makes every ring valid on its own,
    unites the shells and subtracts the holes: the area is the shell's less the holes'.
    Where it is not available (shapely 2.0, or an older GEOS under QGIS) the same is done
    ring by ring.
    """
    import numpy as np
    import shapely

    geometries = np.asarray(geometries, dtype=object)
    if structure_repair_available():
        return shapely.make_valid(geometries, method="structure", keep_collapsed=False)
    out = np.empty(len(geometries), dtype=object)
    out[:] = [_structure_by_rings(geometry) for geometry in geometries]
    return out


def _structure_by_rings(geometry):
    """make_valid(method="structure") for polygons, from GEOS's default repair of single rings."""
    import shapely

    if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return shapely.make_valid(geometry) if geometry is not None else None

    def area_of(ring):
        return polygonal_part([shapely.make_valid(shapely.Polygon(ring))])[0]

    pieces = []
    for polygon in shapely.get_parts(geometry):
        shell = area_of(polygon.exterior)
        holes = [area_of(ring) for ring in polygon.interiors]
        pieces.append(shell.difference(shapely.union_all(holes)) if holes else shell)
    return shapely.union_all(pieces) if len(pieces) != 1 else pieces[0]


def one_kind(geometries, layer_name: str):
    """(kind, geometries) for a layer of geometry collections: each as a Multi* of its one kind.

    The check, the overlays and the summaries measure one kind per layer (areas of polygons,
    lengths of lines). A layer whose collections mix points, lines and polygons is refused with
    the reason, rather than measured by one kind and silently losing the others' conflicts.
    """
    import numpy as np
    import shapely

    parts, owner = shapely.get_parts(geometries, return_index=True)
    while len(parts) and (shapely.get_type_id(parts) == 7).any():  # collections in collections
        parts, inner = shapely.get_parts(parts, return_index=True)
        owner = owner[inner]
    filled = ~shapely.is_empty(parts)
    parts, owner = parts[filled], owner[filled]
    dimensions = sorted(set(shapely.get_dimensions(parts).tolist()))
    if len(dimensions) > 1:
        kinds = {0: tr("points"), 1: tr("lines"), 2: tr("polygons")}
        raise LayerError(
            tr(
                "The layer “{layer}” holds geometry collections that mix kinds ({kinds}). RUS Planner "
                "measures one kind of geometry per layer (areas of polygons, lengths of lines), so "
                "it cannot read this layer without losing some of it. Save its points, lines and "
                "polygons as layers of their own and use those."
            ).format(layer=layer_name, kinds=", ".join(kinds[d] for d in dimensions))
        )
    kind = {0: "point", 1: "line", 2: "polygon"}[dimensions[0]] if dimensions else "polygon"
    collections = np.flatnonzero(shapely.get_type_id(geometries) == 7)
    if len(collections):
        build = {"point": shapely.multipoints, "line": shapely.multilinestrings}.get(
            kind, shapely.multipolygons
        )
        geometries = geometries.copy()
        by_owner: dict[int, list] = {}
        for index, part in zip(owner.tolist(), parts):
            by_owner.setdefault(index, []).append(part)
        for index in collections.tolist():
            # Overlapping polygons of one collection make an invalid multipolygon: repaired next.
            geometries[index] = build(by_owner.get(index, []))
    return kind, geometries


# QGIS's FID_NULL: the id of a feature that has none.
NULL_FID = -(2**63)


def id_problems(fids) -> tuple[int, int]:
    """(features without an id, features whose id another feature has too)."""
    import numpy as np

    null = fids == NULL_FID
    ids = np.sort(fids[~null]) if null.any() else np.sort(fids)
    repeated = ids[1:] == ids[:-1]
    if not repeated.any():
        return int(null.sum()), 0
    _, counts = np.unique(ids, return_counts=True)
    return int(null.sum()), int(counts[counts > 1].sum())


def polygonal_part(geometries):
    """Keep only polygons from make_valid's output (it may add stray lines and points)."""
    import shapely

    out = []
    for geometry in geometries:
        if geometry is None:
            out.append(None)
            continue
        if geometry.geom_type in ("Polygon", "MultiPolygon"):
            out.append(geometry)
            continue
        parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
        out.append(shapely.union_all(parts) if parts else shapely.Polygon())
    return out


def lineal_part(geometries):
    import shapely

    out = []
    for geometry in geometries:
        if geometry is None or geometry.geom_type in ("LineString", "MultiLineString"):
            out.append(geometry)
            continue
        parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("LineString", "MultiLineString")]
        out.append(shapely.multilinestrings(parts) if parts else shapely.LineString())
    return out


def describe_stats(stats: ReadStats, layer_name: str) -> list[str]:
    """Log lines (translated) that say what was repaired or skipped in a layer."""
    lines = []
    if stats.repaired:
        lines.append(
            tr("{layer}: {n} invalid geometries were repaired").format(layer=layer_name, n=stats.repaired)
        )
    if stats.skipped_null:
        lines.append(
            tr("{layer}: {n} features without geometry were skipped").format(
                layer=layer_name, n=stats.skipped_null
            )
        )
    if stats.skipped_empty:
        lines.append(
            tr("{layer}: {n} features with empty geometry were skipped").format(
                layer=layer_name, n=stats.skipped_empty
            )
        )
    if stats.skipped_unrepairable:
        lines.append(
            tr("{layer}: {n} geometries could not be repaired and were skipped").format(
                layer=layer_name, n=stats.skipped_unrepairable
            )
        )
    if stats.curved:
        lines.append(
            tr("{layer}: {n} curved geometries were converted to straight segments").format(
                layer=layer_name, n=stats.curved
            )
        )
    if stats.duplicate_ids:
        lines.append(
            tr(
                "{layer}: {n} features share their feature id with another feature (the layer's key "
                "is not unique, e.g. a database view keyed on a column with repeated values). Each "
                "feature is still checked on its own, but ids in the results (element_fid, "
                "feature_fid, sources) cannot tell them apart: give the layer a unique key."
            ).format(layer=layer_name, n=stats.duplicate_ids)
        )
    if stats.null_ids:
        lines.append(
            tr(
                "{layer}: {n} features have no feature id (an empty key). Each feature is still "
                "checked on its own, but the results cannot point back to them: give the layer a "
                "unique key."
            ).format(layer=layer_name, n=stats.null_ids)
        )
    if stats.encoding_guess:
        lines.append(
            tr(
                "{layer}: the file does not state the encoding of its texts (it has no .cpg file) "
                "and they are not valid in the layer's encoding; they were read as {encoding}. "
                "Add a .cpg file naming the encoding, or set it in the layer properties (Source › "
                "Data source encoding)."
            ).format(layer=layer_name, encoding=stats.encoding_guess)
        )
    return lines
