"""core/check.py without QGIS: elements and agency layers built in memory, measured against
hand-computed overlaps and shapely's distances."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from rus_planner.rus_planner.core.check import check_elements
from rus_planner.rus_planner.core.check_model import AgencyLayer, ElementSet
from rus_planner.rus_planner.core.errors import Cancelled
from rus_planner.rus_planner.core.geometry import LayerData
from rus_planner.rus_planner.core.profile import AgencyRule

AREA = shapely.box(0, 0, 100, 100)
ROAD_LINK = shapely.LineString([(0, 200), (300, 200)])
NODE = shapely.Point(500, 500)

NATURA = AgencyRule(
    id="natura2000",
    name_sv="Natura 2000-område",
    name_en="Natura 2000 site",
    agency="Länsstyrelsen",
    legal_basis="MB 4 kap 8 §",
    severity="A",
)
ROAD = AgencyRule(
    id="vag_riksintresse",
    name_sv="Riksintresse väg",
    name_en="National interest road",
    agency="Trafikverket",
    legal_basis="MB 3 kap 8 §",
    severity="C",
    relation="within_distance",
    distance_m=250.0,
)


def elements() -> ElementSet:
    return ElementSet(
        geometries=np.array([AREA, ROAD_LINK, NODE], dtype=object),
        layer_names=["omraden", "strak", "noder"],
        fids=[1, 2, 3],
        names=["Logistikområde", "Stråket", "Noden"],
        types=["area", "corridor", "node"],
    )


def layer(name, rule, geometries, fids, names) -> AgencyLayer:
    data = LayerData(
        name=name,
        source=f"/data/{name}.gpkg",
        kind="polygon" if geometries[0].geom_type == "Polygon" else "line",
        geometries=np.array(geometries, dtype=object),
        fids=np.array(fids, dtype=np.int64),
        attributes={"NAMN": names},
    )
    return AgencyLayer(
        name=name, source_text=data.source, date="2026-11-30", rules=(rule,), data={None: data}
    )


def findings_by(result, *keys):
    columns = result.findings
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    return {tuple(row[k] for k in keys): row for row in rows}


def test_overlap_and_distance_against_hand_and_shapely():
    natura_sites = [shapely.box(50, 50, 150, 150), shapely.box(1000, 1000, 1100, 1100)]
    road = shapely.LineString([(400, 0), (400, 1000)])
    result = check_elements(
        elements(),
        [
            layer("natura2000", NATURA, natura_sites, [10, 11], ["Ekoparken", "Fjärran"]),
            layer("vagar", ROAD, [road], [20], ["E20"]),
        ],
        language="en",
    )
    found = findings_by(result, "element_id", "rule_id")
    assert set(found) == {
        ("omraden:1", "natura2000"),  # 50 × 50 m of the area lies in the site
        ("strak:2", "vag_riksintresse"),  # 100 m from the road
        ("noder:3", "vag_riksintresse"),  # 100 m from the road
    }  # the area is 300 m from the road: beyond 250 m, no finding
    overlap = found[("omraden:1", "natura2000")]
    assert overlap["overlap_m2"] == pytest.approx(2500.0)
    assert overlap["element_share"] == pytest.approx(0.25)
    assert overlap["feature_share"] == pytest.approx(0.25)
    assert (overlap["feature_fid"], overlap["feature_name"], overlap["severity"]) == (10, "Ekoparken", "A")
    assert overlap["rule_name"] == "Natura 2000 site"
    for element_id, geometry in (("strak:2", ROAD_LINK), ("noder:3", NODE)):
        row = found[(element_id, "vag_riksintresse")]
        assert row["distance_m"] == pytest.approx(shapely.distance(geometry, road))
        assert (row["severity"], row["feature_name"], row["agency"]) == ("C", "E20", "Trafikverket")
    summary = dict(zip(result.summary["element_id"], result.summary["worst_class"]))
    assert summary == {"omraden:1": "A", "strak:2": "C", "noder:3": "C"}
    assert result.not_checked == []


def test_a_layer_that_could_not_be_read_is_class_d_for_every_element():
    broken = AgencyLayer(
        name="natura2000",
        source_text="https://example.invalid/wfs",
        date=None,
        rules=(NATURA,),
        error="HTTP 500 from the server",
    )
    result = check_elements(elements(), [broken], language="en")
    found = findings_by(result, "element_id", "severity")
    assert set(found) == {("omraden:1", "D"), ("strak:2", "D"), ("noder:3", "D")}
    assert all("HTTP 500" in row["note"] for row in found.values())
    assert result.not_checked == [("natura2000", True)]
    assert "not “no conflict”" in " ".join(result.warnings)


def test_a_deferred_read_needs_someone_to_read_it():
    pending = layer("natura2000", NATURA, [shapely.box(0, 0, 1, 1)], [1], ["x"])
    pending.pending = {None: ("ref", "read")}
    with pytest.raises(ValueError, match="DeferredReads"):
        check_elements(elements(), [pending])


def test_cancel_stops_the_check():
    class Cancelling:
        def isCanceled(self):  # noqa: N802 (QgsFeedback's name)
            return True

        def setProgress(self, value):  # noqa: N802
            pass

    site = layer("natura2000", NATURA, [shapely.box(50, 50, 150, 150)], [10], ["Ekoparken"])
    with pytest.raises(Cancelled):
        check_elements(elements(), [site], feedback=Cancelling())
