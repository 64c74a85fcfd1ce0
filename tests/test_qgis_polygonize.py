"""qgis_io.qgis_polygonize: the faces of QGIS's polygonizer against shapely's and a hand case,
and Python's other threads running while it works (the reason it exists)."""

from __future__ import annotations

import threading
import time

import numpy as np
import shapely

from rus_planner.rus_planner.qgis_io.qgis_polygonize import polygonize_outside_gil


def noded_circles(count: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    circles = shapely.buffer(
        shapely.points(rng.random((count, 2)) * 20_000 + [500_000, 6_550_000]),
        rng.random(count) * 1_500 + 200,
        quad_segs=8,
    )
    return shapely.union_all(shapely.boundary(circles))


def test_square_with_a_square_inside_gives_the_two_faces_worked_out_by_hand():
    lines = shapely.union_all([shapely.box(0, 0, 10, 10).boundary, shapely.box(2, 2, 8, 8).boundary])
    faces = polygonize_outside_gil(lines)
    faces = faces[np.argsort(shapely.area(faces))]
    assert shapely.area(faces).tolist() == [36.0, 64.0]
    assert shapely.get_num_interior_rings(faces).tolist() == [0, 1]  # the ring around the inner one


def test_same_faces_as_shapely_on_overlapping_circles():
    lines = noded_circles(300)
    ours = polygonize_outside_gil(lines)
    theirs = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    assert len(ours) == len(theirs) > 1000
    key = lambda faces: sorted(shapely.to_wkb(shapely.normalize(faces)).tolist())  # noqa: E731
    assert key(ours) == key(theirs)


def test_empty_lines_give_no_faces():
    assert len(polygonize_outside_gil(shapely.from_wkt("MULTILINESTRING EMPTY"))) == 0


def test_other_threads_run_while_it_polygonizes():
    """A counting thread hardly moves while shapely polygonizes (it holds Python's lock) and
    moves on while QGIS does: the writer of the overlay is such a thread."""

    lines = noded_circles(1500)
    counted = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counted[0] += 1

    def counted_during(work) -> int:
        before = counted[0]
        work()
        return counted[0] - before

    thread = threading.Thread(target=count)
    thread.start()
    try:
        time.sleep(0.05)
        during_shapely = counted_during(lambda: shapely.polygonize([lines]))
        during_ours = counted_during(lambda: polygonize_outside_gil(lines))
    finally:
        stop.set()
        thread.join()
    print(f"counted while shapely polygonized: {during_shapely}, while QGIS did: {during_ours}")
    assert during_ours > 10 * max(during_shapely, 1_000)
