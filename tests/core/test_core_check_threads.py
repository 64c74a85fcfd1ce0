"""core/check.py in threads: layers measured side by side, and whole checks run at once on the
same elements (the live panel and a background task do), against plain unprepared shapely.

GEOS builds a prepared geometry's indexes lazily; a prepared geometry used by two threads at
once races (libgeos/geos#825). The check must lend each thread a copy of its own and leave the
caller's geometries unprepared.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import shapely

from rus_planner.rus_planner.core import check, parallel
from rus_planner.rus_planner.core.check import check_elements
from rus_planner.rus_planner.core.check_model import AgencyLayer, ElementSet
from rus_planner.rus_planner.core.geometry import LayerData
from rus_planner.rus_planner.core.profile import AgencyRule

NEAR_M = 300.0


def _rule(index: int) -> AgencyRule:
    overlap = index % 2 == 0
    return AgencyRule(
        id=f"rule_{index}",
        name_sv=f"Intresse {index}",
        name_en=f"Interest {index}",
        agency="Länsstyrelsen",
        legal_basis="MB 3 kap",
        severity="B" if overlap else "C",
        relation="overlap" if overlap else "within_distance",
        distance_m=None if overlap else NEAR_M,
    )


def _elements(rng) -> ElementSet:
    """Areas of many vertices (their prepared index is worth building), corridors and nodes."""
    centres = rng.uniform(0, 20_000, (90, 2))
    areas = shapely.buffer(shapely.points(centres[:40]), rng.uniform(300, 1_500, 40), quad_segs=32)
    corridors = [
        shapely.LineString([c, c + rng.uniform(-3_000, 3_000, 2), c + rng.uniform(-3_000, 3_000, 2)])
        for c in centres[40:70]
    ]
    nodes = shapely.points(centres[70:]).tolist()
    geometries = np.array([*areas, *corridors, *nodes], dtype=object)
    count = len(geometries)
    kinds = ["area"] * 40 + ["corridor"] * 30 + ["node"] * 20
    return ElementSet(
        geometries=geometries,
        layer_names=kinds,
        fids=list(range(1, count + 1)),
        names=[f"Element {i}" for i in range(count)],
        types=kinds,
    )


def _layers(rng) -> list[AgencyLayer]:
    layers = []
    for index in range(6):
        centres = shapely.points(rng.uniform(0, 20_000, (400, 2)))
        polygons = shapely.buffer(centres, rng.uniform(50, 900, 400), quad_segs=8)
        data = LayerData(
            name=f"layer_{index}",
            source=f"/data/layer_{index}.gpkg",
            kind="polygon",
            geometries=polygons,
            fids=np.arange(1, 401, dtype=np.int64),
            attributes={"NAMN": [f"F{i}" for i in range(400)]},
        )
        layers.append(
            AgencyLayer(
                name=data.name,
                source_text=data.source,
                date="2026-12-01",
                rules=(_rule(index),),
                data={None: data},
            )
        )
    return layers


def _expected(elements: ElementSet, layers: list[AgencyLayer]) -> dict:
    """(element id, rule, feature fid) → overlap m² or distance m, pair by pair, never prepared."""
    expected = {}
    for layer in layers:
        rule = layer.rules[0]
        data = layer.data[None]
        for e, element in enumerate(elements.geometries):
            element_id = f"{elements.layer_names[e]}:{elements.fids[e]}"
            for f, feature in enumerate(data.geometries):
                key = (element_id, rule.id, int(data.fids[f]))
                if rule.relation == "within_distance":
                    distance = shapely.distance(element, feature)
                    if distance <= NEAR_M:
                        expected[key] = distance
                    continue
                common = shapely.intersection(element, feature)
                dimension = shapely.get_dimensions(element)
                if dimension == 2 and common.area > 0:
                    expected[key] = common.area
                elif dimension == 1 and common.length > 0:
                    expected[key] = common.length
                elif dimension == 0 and shapely.intersects(element, feature):
                    expected[key] = 0.0
    return expected


def _found(result) -> dict:
    columns = result.findings
    found = {}
    for row in (dict(zip(columns, values)) for values in zip(*columns.values())):
        key = (row["element_id"], row["rule_id"], row["feature_fid"])
        if row["rule_id"] in {f"rule_{i}" for i in range(1, 6, 2)}:
            found[key] = row["distance_m"]
        elif row["element_id"].startswith("area"):
            found[key] = row["overlap_m2"]
        elif row["element_id"].startswith("corridor"):
            found[key] = row["overlap_length_m"]
        else:
            found[key] = 0.0
    return found


@pytest.fixture
def threaded(monkeypatch):
    """Four measuring threads, whatever the machine's cores and however small the work."""
    monkeypatch.setattr(parallel, "WORKERS", 4)
    monkeypatch.setattr(check, "_THREADED_WORK", 0)


def test_layers_measured_side_by_side_match_plain_shapely(threaded):
    rng = np.random.default_rng(20261205)
    elements, layers = _elements(rng), _layers(rng)
    expected = _expected(elements, layers)
    assert len(expected) > 200  # overlaps and proximities of every kind of element
    assert {key[0].split(":")[0] for key in expected} == {"area", "corridor", "node"}

    result = check_elements(elements, layers, language="en")

    found = _found(result)
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, rel=1e-9, abs=1e-6), key
    # The caller's geometries were never prepared, and a proximity finding (it shows the whole
    # element) shows the caller's own geometry, not a copy another thread may prepare next.
    assert not shapely.is_prepared(elements.geometries).any()
    by_id = {f"{k}:{fid}": g for k, fid, g in zip(elements.layer_names, elements.fids, elements.geometries)}
    proximity = [
        (geometry, by_id[element_id])
        for geometry, element_id, distance in zip(
            result.finding_geometries, result.findings["element_id"], result.findings["distance_m"]
        )
        if distance is not None and distance == distance and distance > 0
    ]
    assert len(proximity) > 100
    assert all(geometry is own for geometry, own in proximity)


def test_whole_checks_at_once_on_the_same_elements_agree(threaded):
    rng = np.random.default_rng(7)
    elements, layers = _elements(rng), _layers(rng)
    alone = check_elements(elements, layers, language="en")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: check_elements(elements, layers, language="en"), range(8)))

    for result in results:
        assert result.finding_rows() == alone.finding_rows()
        assert shapely.equals_exact(result.finding_geometries, alone.finding_geometries, 0).all()
    assert not shapely.is_prepared(elements.geometries).any()
