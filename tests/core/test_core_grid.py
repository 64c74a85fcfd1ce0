"""core/grid.py without QGIS: hand-computed cells, SCB ids, cancel."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

CELL = 1e6  # m² of a 1 km cell


def test_core_union_of_many_overlapping_parts_in_one_cell():
    from rus_planner.rus_planner.core.grid import overlay_regular_grid
    from rus_planner.rus_planner.core.sectors import PreparedSector

    # Five overlapping discs and a square crossing four cells: the union, once.
    discs = [shapely.Point(500 + 60 * i, 500).buffer(200) for i in range(5)]
    square = shapely.box(800, 800, 1300, 1300)
    geometries = np.array([*discs, square], dtype=object)
    sector = PreparedSector("s", "s", 1.0, "polygon", None, geometries, [])
    result = overlay_regular_grid([sector], 1000)
    union = shapely.union_all(geometries)
    ix, iy = np.floor(np.array([b[:2] for b in shapely.bounds(result.cells)]) / 1000).T
    for j in range(len(result.keys)):
        box = shapely.box(ix[j] * 1000, iy[j] * 1000, ix[j] * 1000 + 1000, iy[j] * 1000 + 1000)
        assert result.share["s"][j] == pytest.approx(union.intersection(box).area / CELL, abs=1e-12)
    assert len(result.keys) == 4
    assert (result.share["s"] * CELL).sum() == pytest.approx(union.area, rel=1e-12)


def test_lines_along_cell_edges_are_measured_once():
    """A segment on a grid line belongs to the cell above or to the right, like a point."""
    from rus_planner.rus_planner.core.grid import overlay_regular_grid
    from rus_planner.rus_planner.core.sectors import PreparedSector

    lines = np.array(
        [
            shapely.LineString([(393500, 6133000), (395500, 6133000)]),  # along the row edge
            shapely.LineString([(395000, 6133200), (395000, 6133700), (395300, 6133700)]),  # column edge
        ],
        dtype=object,
    )
    sector = PreparedSector("v", "v", 1.0, "line", None, lines, [])
    result = overlay_regular_grid([sector], 1000)
    got = dict(zip(result.ids()[0], result.length["v"].tolist()))
    assert got == pytest.approx(
        {"3930006133000": 500, "3940006133000": 1000, "3950006133000": 500 + 500 + 300}
    )
    assert sum(got.values()) == pytest.approx(sum(line.length for line in lines))


def test_scb_ids_follow_the_published_scheme():
    from rus_planner.rus_planner.core.grid_cells import cell_of_point, scb_ids

    assert cell_of_point(394500, 6133500) == "3940006133000"  # the example in domain.md
    assert cell_of_point(394000, 6133000) == "3940006133000"  # the corner belongs to the cell
    assert cell_of_point(393999.9, 6133000) == "3930006133000"
    scb, inspire = scb_ids(np.array([394]), np.array([6133]), 1000.0)
    assert (scb, inspire) == (["3940006133000"], ["SE_CRS3006RES1000mN6133000E394000"])
    scb, inspire = scb_ids(np.array([394000 // 250 + 2]), np.array([6133000 // 250 + 1]), 250.0)
    assert (scb, inspire) == (["3945006133250"], ["SE_CRS3006RES250mN6133250E394500"])


def test_cancel_stops_the_core_quickly():
    import time

    from rus_planner.rus_planner.core.errors import Cancelled
    from rus_planner.rus_planner.core.grid import overlay_regular_grid
    from rus_planner.rus_planner.core.sectors import PreparedSector

    class CancelAfter:
        def __init__(self, calls):
            self.calls = calls

        def isCanceled(self):  # noqa: N802
            self.calls -= 1
            return self.calls < 0

        def setProgress(self, value):  # noqa: N802
            pass

    rng = np.random.default_rng(1)
    discs = shapely.buffer(shapely.points(rng.uniform(0, 300_000, (3000, 2))), 5000)
    sectors = [PreparedSector(f"s{i}", "s", 1.0, "polygon", None, discs, []) for i in range(4)]
    started = time.perf_counter()
    with pytest.raises(Cancelled):
        overlay_regular_grid(sectors, 250, feedback=CancelAfter(3))
    # The run itself takes far longer; the bound leaves room for a busy 2-core machine.
    assert time.perf_counter() - started < 3
