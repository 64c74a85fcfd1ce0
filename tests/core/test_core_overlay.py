"""core/overlay.py without QGIS: tiles without seams, collections, cancel, source lists."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from independent import assert_partition, reference_patterns
from shapely.geometry import box


def test_cancel_stops_the_core_between_tiles():
    from rus_planner.rus_planner.core.errors import Cancelled
    from rus_planner.rus_planner.core.overlay import overlay_sectors
    from rus_planner.rus_planner.core.sectors import PreparedSector

    class CancelSoon:
        def __init__(self):
            self.progress = []

        def isCanceled(self):  # noqa: N802
            return len(self.progress) > 1

        def setProgress(self, value):  # noqa: N802
            self.progress.append(value)

    grid = shapely.box(*np.array([[x, 0, x + 8, 8] for x in range(0, 4000, 10)]).T)
    sector = PreparedSector("s", "s", 1.0, "polygon", None, grid, [f"s:{i}" for i in range(len(grid))])
    feedback = CancelSoon()
    with pytest.raises(Cancelled):
        overlay_sectors([sector], feedback=feedback, tile_vertices=100, workers=1)
    assert feedback.progress[0] == 0


def test_tiles_leave_no_seams_and_agree_with_shapely():
    """Forced into many tiles, the core gives the same pieces as in one tile, and the areas
    of every pattern agree with shapely's direct overlay."""
    from rus_planner.rus_planner.core.overlay import overlay_sectors
    from rus_planner.rus_planner.core.sectors import PreparedSector

    rng = np.random.default_rng(3)
    sectors, dissolved = [], {}
    for k in range(3):
        centres = rng.uniform(0, 5000, size=(60, 2))
        geometries = shapely.buffer(shapely.points(centres), rng.uniform(100, 600, size=60), quad_segs=8)
        refs = [f"l{k}:{i}" for i in range(60)]
        sectors.append(PreparedSector(f"s{k}", f"s{k}", 1.0, "polygon", None, geometries, refs))
        dissolved[f"s{k}"] = shapely.union_all(geometries)
    one = overlay_sectors(sectors, workers=1)
    many = overlay_sectors(sectors, tile_vertices=300, workers=2)
    assert one.tiles == 1
    assert many.tiles > 12
    expected = reference_patterns(dissolved)
    total = shapely.union_all(list(dissolved.values())).area
    for result in (one, many):
        rows = [
            {**{f"s{k}": int(result.flags[i, k]) for k in range(3)}, "geometry": g}
            for i, g in enumerate(result.geometries)
        ]
        for row, count in zip(rows, result.sector_count):
            row["sector_count"] = int(count)
            row["sectors"] = ", ".join(s for s in ("s0", "s1", "s2") if row[s])
        assert_partition(rows, ["s0", "s1", "s2"], expected, total)
    assert len(many.geometries) == len(one.geometries)
    # Piece by piece the same polygon, with the same input features named, tiled or not.
    inner = shapely.point_on_surface(one.geometries)
    found, match = shapely.STRtree(many.geometries).query(inner, predicate="within")
    assert sorted(found.tolist()) == list(range(len(one.geometries)))
    for i, j in zip(found.tolist(), match.tolist()):
        assert many.geometries[j].area == pytest.approx(one.geometries[i].area, rel=1e-9)
        assert [many.sources[k][j] for k in range(3)] == [one.sources[k][i] for k in range(3)]

    # With a study area (a ring, so it has a hole), tiled: every pattern, count 0 included.
    area = shapely.Polygon(
        [(300, 300), (4700, 300), (4700, 4200), (300, 4200)], [[(2000, 2000), (3000, 2000), (3000, 2600)]]
    )
    clipped = overlay_sectors(sectors, area, tile_vertices=300, workers=2)
    assert clipped.tiles > 12
    rows = [
        {**{f"s{k}": int(clipped.flags[i, k]) for k in range(3)}, "geometry": g}
        for i, g in enumerate(clipped.geometries)
    ]
    for row in rows:
        row["sector_count"] = sum(row[s] for s in ("s0", "s1", "s2"))
        row["sectors"] = ", ".join(s for s in ("s0", "s1", "s2") if row[s])
    assert_partition(rows, ["s0", "s1", "s2"], reference_patterns(dissolved, area), area.area)


def test_collections_keep_their_area_and_long_source_lists_are_cut_whole():
    from rus_planner.rus_planner.core.overlay import format_sources, overlay_sectors
    from rus_planner.rus_planner.core.sectors import PreparedSector

    collection = shapely.GeometryCollection([box(0, 0, 10, 10), shapely.LineString([(20, 0), (30, 0)])])
    multi = shapely.MultiPolygon([box(5, 0, 15, 10), box(40, 0, 50, 10)])
    sectors = [
        PreparedSector("c", "c", 1.0, "polygon", None, np.array([collection], dtype=object), ["c:1"]),
        PreparedSector("m", "m", 1.0, "polygon", None, np.array([multi], dtype=object), ["m:1"]),
    ]
    result = overlay_sectors(sectors)
    areas = {}
    for flags, geometry in zip(result.flags.tolist(), result.geometries):
        areas[tuple(flags)] = areas.get(tuple(flags), 0) + geometry.area
    assert areas == {(1, 0): 50.0, (1, 1): 50.0, (0, 1): 150.0}

    refs = [f"sektorslager:{n}" for n in range(1000, 1100)]  # 17 characters each
    text = format_sources(refs)
    assert len(text) <= 254
    kept = text.split(";")[:-1]
    assert kept == refs[: len(kept)]
    assert text.endswith(f";…+{100 - len(kept)}")
    assert len(kept) == 13  # 13 × 17 + 12 separators = 233; a 14th would leave no room for ";…+86"
    assert format_sources(refs[:3]) == "sektorslager:1000;sektorslager:1001;sektorslager:1002"


def _sources_by_area(result, sectors):
    """Per sector and piece: the inputs whose intersection with the piece has an area, pair by
    pair with shapely's overlay (not the overlay's tests). A piece's noded edge may lie a
    rounding error off the input edge it follows, so "an area" is more than 1e-6 m²."""
    out = []
    for sector in sectors:
        per_piece = []
        tree = shapely.STRtree(sector.geometries)
        for piece in result.geometries:
            near = tree.query(piece)
            overlap = shapely.area(shapely.intersection(sector.geometries[near], piece)) > 1e-6
            per_piece.append(sorted(near[overlap].tolist()))
        out.append(per_piece)
    return out


@pytest.mark.parametrize("xy_predicates", [True, False], ids=["xy", "points"])
def test_source_lists_name_exactly_the_inputs_whose_area_overlaps_the_piece(xy_predicates, monkeypatch):
    """The pieces' source lists agree with shapely's areas, pair by pair: on overlapping circles, and
    where inputs only touch a piece, along an edge another sector's boundary runs on or at a
    corner; tiled and in one tile; with GEOS's coordinate tests and with points (older GEOS)."""
    from rus_planner.rus_planner.core import overlay_tiles
    from rus_planner.rus_planner.core.overlay import overlay_sectors
    from rus_planner.rus_planner.core.sectors import PreparedSector

    monkeypatch.setattr(overlay_tiles, "has_xy_predicates", lambda: xy_predicates)

    rng = np.random.default_rng(11)
    circles = []
    for _ in range(3):
        centres = rng.uniform(0, 4000, size=(50, 2))
        circles.append(shapely.buffer(shapely.points(centres), rng.uniform(150, 700, size=50), quad_segs=8))
    # A chessboard of 100 m squares (each meets its neighbours along edges and at corners),
    # and a sector whose boundaries run exactly along some of the squares' edges.
    squares = np.array([box(x, y, x + 100, y + 100) for x in range(0, 800, 100) for y in range(0, 800, 100)])
    strips = np.array([box(200, 0, 400, 800), box(0, 300, 800, 500), box(500, 500, 700, 700)])
    corners = np.array([box(100, 100, 300, 300), box(600, 0, 800, 200)])
    layers = [*circles, squares, strips, corners]
    sectors = [
        PreparedSector(f"s{k}", f"s{k}", 1.0, "polygon", None, g, [f"l{k}:{i}" for i in range(len(g))])
        for k, g in enumerate(layers)
    ]
    for result in (
        overlay_sectors(sectors, workers=1),
        overlay_sectors(sectors, tile_vertices=400, workers=2),
    ):
        expected = _sources_by_area(result, sectors)
        assert result.sources == expected
    # The touching cases are really there: squares that meet a piece along an edge or at a
    # corner only, which the lists leave out.
    piece_tree = shapely.STRtree(result.geometries)
    left, right = piece_tree.query(squares, predicate="touches")
    assert len(left) > 50
    for square, piece in zip(left.tolist(), right.tolist()):
        assert square not in result.sources[3][piece]


def test_groups_are_unioned_as_shapely_unions_them():
    """union_groups (a zero buffer per group) against shapely's union_all group by group: a hole
    another member fills, one it only partly fills, members touching along an edge and at a
    corner, nested and duplicated members, a MultiPolygon member, and random circles."""
    from rus_planner.rus_planner.core.overlay_tiles import union_groups

    ring = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (7, 3), (7, 7), (3, 7)]])
    rng = np.random.default_rng(5)
    circles = list(
        shapely.buffer(shapely.points(rng.uniform(0, 50, size=(40, 2))), rng.uniform(1, 8, size=40))
    )
    groups = [
        [ring, box(3, 3, 7, 7)],  # the hole filled
        [ring, box(4, 4, 6, 6)],  # an island in the hole
        [ring, box(2, 2, 5, 5)],  # the hole partly filled, across its edge
        [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 1, 3, 2)],  # along an edge, at a corner
        [box(0, 0, 9, 9), box(2, 2, 3, 3), box(0, 0, 9, 9)],  # nested and duplicated
        [shapely.MultiPolygon([box(0, 0, 1, 1), box(5, 5, 6, 6)]), box(0.5, 0.5, 5.5, 5.5)],
        circles,
    ]
    geometries = np.array([g for group in groups for g in group], dtype=object)
    group_of = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    merged = union_groups(geometries, group_of, np.arange(len(groups)))
    for got, group in zip(merged, groups):
        expected = shapely.union_all(group)
        assert got.area == pytest.approx(expected.area, rel=1e-12)
        assert shapely.symmetric_difference(got, expected).area < 1e-9 * expected.area
        assert shapely.is_valid(got)
    assert shapely.get_num_interior_rings(merged[0]) == 0  # the filled hole is gone
    assert shapely.get_num_geometries(merged[1]) == 2  # the ring and the island in its hole
