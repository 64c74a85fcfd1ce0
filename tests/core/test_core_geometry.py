"""core/geometry.py without QGIS: the coverage grid against brute force, collections of one
kind, feature ids, and the bounding-box sift."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from independent import boxes_meet
from shapely.geometry import box

from rus_planner.rus_planner.core import geometry
from rus_planner.rus_planner.core.errors import LayerError

coordinate = st.floats(min_value=-1_000.0, max_value=1_000.0, allow_nan=False)


size = st.floats(min_value=0.0, max_value=300.0, allow_nan=False)


boxes = st.lists(st.tuples(coordinate, coordinate, size, size), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(ours=boxes, theirs=boxes, distance=st.sampled_from([0.0, 0.5, 25.0, 500.0]))
def test_might_meet_never_misses_a_box_that_meets(ours, theirs, distance):
    """The grid may say "maybe" too often, never "no" wrongly (brute force on every pair)."""
    from rus_planner.rus_planner.core import geometry

    near = geometry.NearArea([box(x, y, x + w, y + h) for x, y, w, h in ours])
    bounds = np.array([(x, y, x + w, y + h) for x, y, w, h in theirs])
    truth = boxes_meet(bounds, near.bounds, distance)
    answer = near.might_meet(bounds, distance)
    assert not (truth & ~answer).any()


def test_might_meet_is_sharp_far_from_the_boxes():
    """Boxes a grid cell or more away are ruled out: the grid really sifts."""
    from rus_planner.rus_planner.core import geometry

    near = geometry.NearArea([box(0, 0, 10, 10), box(990, 990, 1000, 1000)])
    bounds = np.array([[0, 0, 1, 1], [500, 500, 501, 501], [995, 995, 996, 996], [2000, 0, 2001, 1]])
    assert near.might_meet(bounds, 0.0).tolist() == [True, False, True, False]


def test_near_mask_keeps_exactly_the_features_whoseboxes_meet_the_grown_boxes():
    near = geometry.NearArea([box(0, 0, 10, 10)])
    features = np.array(
        [box(15, 0, 16, 1), box(25, 0, 26, 1), shapely.Point(5, 5), shapely.LineString([(0, 30), (100, 30)])],
        dtype=object,
    )
    mask = geometry.near_mask(features, near.boxes(10.0))
    # Grown by 10 m the box reaches x = 20 and y = 20: the first two by hand, brute force agrees.
    assert mask.tolist() == [True, False, True, False]
    assert mask.tolist() == boxes_meet(shapely.bounds(features), near.bounds, 10.0).tolist()
    assert near.rect(10.0) == pytest.approx((-10, -10, 20, 20), abs=1e-5)


def test_collections_of_one_kind_become_multi_geometries_and_mixed_ones_are_refused():
    square, other = box(0, 0, 1, 1), box(2, 0, 3, 1)
    collections = np.array([shapely.GeometryCollection([square, other]), square], dtype=object)
    kind, geometries = geometry.one_kind(collections, "lager")
    assert kind == "polygon"
    assert geometries[0].geom_type == "MultiPolygon" and geometries[0].area == pytest.approx(2.0)
    mixed = np.array([shapely.GeometryCollection([square, shapely.Point(9, 9)])], dtype=object)
    with pytest.raises(LayerError, match="lager"):
        geometry.one_kind(mixed, "lager")


def test_id_problems_count_missing_and_repeated_ids():
    fids = np.array([1, 2, 2, 3, 3, 3, geometry.NULL_FID], dtype=np.int64)
    assert geometry.id_problems(fids) == (1, 5)  # one without an id; 2, 2, 3, 3, 3 repeat
    assert geometry.id_problems(np.array([4, 5, 6], dtype=np.int64)) == (0, 0)
