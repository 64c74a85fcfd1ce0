"""Independent answers shared by the front-end tests and the pure core's (tests/core):
brute-force box meetings and every sector pattern's area computed directly with shapely."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely


def pieces(rows, ids) -> dict[tuple, float]:
    """Total area per flag pattern (a tuple of 0/1 in the order of ids)."""
    out: dict[tuple, float] = {}
    for row in rows:
        key = tuple(int(row[i]) for i in ids)
        out[key] = out.get(key, 0.0) + row["geometry"].area
    return out


def reference_patterns(dissolved: dict[str, object], extent=None) -> dict[tuple, float]:
    """For every 0/1 pattern: intersection of the present sectors minus the union of the absent
    ones (inside the extent when there is one), computed directly with shapely."""
    ids = list(dissolved)
    out = {}
    for pattern in itertools.product((0, 1), repeat=len(ids)):
        present = [dissolved[i] for i, flag in zip(ids, pattern) if flag]
        absent = [dissolved[i] for i, flag in zip(ids, pattern) if not flag]
        if present:
            area = shapely.intersection_all(present + ([extent] if extent is not None else []))
        elif extent is not None:
            area = extent
        else:
            continue  # without a study area, the uncovered rest of the world is not output
        if absent:
            area = shapely.difference(area, shapely.union_all(absent))
        out[pattern] = area.area
    return out


def assert_partition(rows, ids, reference, total):
    """Areas per pattern, the total, and that no two pieces overlap."""
    got = pieces(rows, ids)
    for pattern, expected in reference.items():
        if expected > 0:
            assert got.get(pattern, 0.0) == pytest.approx(expected, rel=1e-6), pattern
        else:
            assert got.get(pattern, 0.0) <= total * 1e-12, pattern
    assert set(got) <= {p for p, a in reference.items() if a > 0}
    geometries = np.array([r["geometry"] for r in rows], dtype=object)
    assert shapely.area(geometries).sum() == pytest.approx(total, rel=1e-6)
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    pair = left < right
    overlaps = shapely.area(shapely.intersection(geometries[left[pair]], geometries[right[pair]]))
    assert overlaps.sum() <= total * 1e-9
    for row in rows:
        flags = [int(row[i]) for i in ids]
        assert row["sector_count"] == sum(flags)
        assert row["sectors"] == ", ".join(i for i, f in zip(ids, flags) if f)


def boxes_meet(bounds, other_bounds, distance: float):
    """For each row of bounds: does it meet one of other_bounds grown by distance (brute force)?"""
    grown = other_bounds + [-distance, -distance, distance, distance]
    meets = (
        (bounds[:, None, 0] <= grown[None, :, 2])
        & (bounds[:, None, 2] >= grown[None, :, 0])
        & (bounds[:, None, 1] <= grown[None, :, 3])
        & (bounds[:, None, 3] >= grown[None, :, 1])
    )
    return meets.any(axis=1)
