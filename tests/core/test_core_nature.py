"""Finding nature, element status, scale tolerance and the plan's mode (issue 16, item 3), in the pure core.

Independent answers: natures and advice written out from the issue and domain.md §6 (a RUS is
non-binding: a visitor-economy area at a national park is an agreement; an existing element is
not a proposal); the "near" cases are hand-built squares whose depths and gaps are read off the
coordinates, and their distances and overlap areas are shapely's on the same geometries.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from test_core_check import findings_by, layer

from rus_planner.rus_planner.core.check import check_elements
from rus_planner.rus_planner.core.check_model import ElementSet
from rus_planner.rus_planner.core.finding_nature import (
    NatureCase,
    element_status,
    nature_of,
    scale_denominator,
    tolerance_m,
)
from rus_planner.rus_planner.core.profile import AgencyRule

PARK = AgencyRule(
    id="nationalpark",
    name_sv="Nationalpark",
    name_en="National park",
    agency="Naturvårdsverket",
    legal_basis="MB 7 kap 2 §, MB 4 kap 8 §",
    severity="A",
    advice_sv="Nationalparker är det starkaste områdesskyddet. Flytta elementet utanför parken.",
    advice_en="National parks are the strongest area protection. Move the element outside the park.",
    nature_for=(NatureCase("agreement", themes=("besöksnäring",)),),
)
RAILWAY = AgencyRule(
    id="ri_kommunikationer",
    name_sv="Riksintresse för kommunikationer",
    name_en="National interest for communications",
    agency="Trafikverket",
    legal_basis="MB 3 kap 8 §",
    severity="B",
    advice_en="Agree with Trafikverket how the railway's function is kept.",
    nature_for=(NatureCase("agreement", element_types=("strak",)),),
)
FLOOD = AgencyRule(
    id="oversvamning",
    name_sv="Översvämningsområde",
    name_en="Flood area",
    agency="Myndigheten för civilt försvar (MCF)",
    legal_basis="PBL 2 kap 5 §",
    severity="C",
    nature="information",
)
NEAR_PARK = AgencyRule(
    id="nationalpark_omgivning",
    name_sv="Nära nationalpark",
    name_en="Near a national park",
    agency="Naturvårdsverket",
    legal_basis="MB 7 kap 2 §",
    severity="C",
    relation="within_distance",
    distance_m=1000.0,
)


def element_set(geometries, *, themes=None, type_ids=None, statuses=None, scales=None) -> ElementSet:
    count = len(geometries)
    scales = scales or [None] * count
    tolerances = np.array([tolerance_m(s) for s in scales], dtype=float)
    return ElementSet(
        geometries=np.array(geometries, dtype=object),
        layer_names=["element"] * count,
        fids=list(range(1, count + 1)),
        names=[f"E{i}" for i in range(1, count + 1)],
        types=["area"] * count,
        type_ids=type_ids,
        statuses=statuses,
        themes=themes,
        scales=scales,
        tolerances=tolerances if tolerances.any() else None,
    )


def test_status_scale_and_tolerance_as_regions_write_them():
    assert [
        element_status(v) for v in ("Befintlig", "planerad", "Utvecklingsområde", "under study", "?")
    ] == [
        "existing",
        "planned",
        "under_study",
        "under_study",
        None,
    ]
    assert [
        scale_denominator(v) for v in ("1:250 000", "250000", 100000, "1:50\u00a0000", "skiss", None)
    ] == [
        250000.0,
        250000.0,
        100000.0,
        50000.0,
        None,
        None,
    ]
    assert tolerance_m(250000.0) == pytest.approx(250.0)  # 1 mm on a 1:250 000 map
    assert tolerance_m(None, 100.0) == 100.0 and tolerance_m(50000.0, 100.0) == 100.0


def test_nature_follows_the_rule_the_element_and_its_status():
    assert nature_of(PARK, "omrade", "besöksnäring", None, "planned") == "agreement"
    assert nature_of(PARK, "omrade", "Besöksnäring", None, None) == "agreement"  # any case
    assert nature_of(PARK, "omrade", "transport", None, None) == "conflict"
    assert nature_of(PARK, "omrade", "transport", None, "existing") == "information"
    assert nature_of(RAILWAY, "strak", None, None, None) == "agreement"
    assert nature_of(RAILWAY, "nod", None, None, None) == "conflict"
    assert nature_of(FLOOD, "nod", None, None, None) == "information"


def test_the_check_gives_each_finding_its_nature_and_advice_by_nature():
    park = shapely.box(0, 0, 1000, 1000)
    visitor_area = shapely.box(500, 500, 700, 700)  # theme besöksnäring: supports the park
    logistics = shapely.box(800, 800, 1200, 1200)  # theme transport: a conflict
    existing_town = shapely.box(100, 100, 200, 200)  # existing: information
    elements = element_set(
        [visitor_area, logistics, existing_town],
        themes=["Besöksnäring", "transport", "transport"],
        statuses=[None, "planned", element_status("befintlig")],
    )
    result = check_elements(elements, [layer("nationalparker", PARK, [park], [1], ["Parken"])], language="en")
    found = findings_by(result, "element_id", "rule_id")
    visitor, conflict, existing = (found[(f"element:{i}", "nationalpark")] for i in (1, 2, 3))
    assert (visitor["nature"], conflict["nature"], existing["nature"]) == (
        "agreement",
        "conflict",
        "information",
    )
    assert all(row["severity"] == "A" for row in (visitor, conflict, existing))  # the class stays the rule's
    assert conflict["advice"] == PARK.advice_en  # only a conflict is told to move
    assert "Move the element" not in visitor["advice"] and "Naturvårdsverket" in visitor["advice"]
    assert "Move the element" not in existing["advice"]
    assert (conflict["element_status"], existing["element_status"]) == ("planned", "existing")
    summary = {k: result.summary[k] for k in ("count_conflict", "count_agreement", "count_information")}
    assert summary == {
        "count_conflict": [0, 1, 0],
        "count_agreement": [1, 0, 0],
        "count_information": [0, 0, 1],
    }


def test_class_d_findings_have_no_nature():
    from rus_planner.rus_planner.core.check_model import AgencyLayer

    broken = AgencyLayer(name="parker", source_text="x", date=None, rules=(PARK,), error="HTTP 500")
    result = check_elements(element_set([shapely.box(0, 0, 1, 1)], themes=["besöksnäring"]), [broken])
    assert result.findings["severity"] == ["D"] and result.findings["nature"] == [None]


def test_the_regionplan_mode_words_conflicts_with_national_interests():
    railway = shapely.LineString([(0, 50), (1000, 50)])
    node_area = shapely.box(400, 0, 600, 100)
    flood_area = shapely.box(0, 0, 1000, 1000)
    flood = layer("oversvamning", FLOOD, [flood_area], [1], ["Ån"])
    for mode, expected in (("rus", False), ("regionplan", True)):
        result = check_elements(
            element_set([node_area], type_ids=["omrade"]),
            [layer("riksintresse_jarnvag", RAILWAY, [railway], [1], ["Banan"]), flood],
            language="en",
            mode=mode,
        )
        found = {key[0]: row for key, row in findings_by(result, "rule_id").items()}
        advice = found["ri_kommunikationer"]["advice"]
        assert advice.startswith(RAILWAY.advice_en)
        assert ("regionplan must show how this interest is met (PBL 7 kap)" in advice) is expected
        # information is information in both modes, and PBL 2 kap is no national interest
        assert found["oversvamning"]["nature"] == "information"
        assert "PBL 7 kap" not in found["oversvamning"]["advice"]


def test_a_schematic_element_is_near_within_its_scale_tolerance():
    # An area drawn at 1:250 000: tolerance 250 m. Each park is read off the coordinates:
    element = shapely.box(0, 0, 1000, 1000)
    parks = [
        shapely.box(900, 0, 2000, 1000),  # 1: 100 m deep, less than 250 m: near, class C
        shapely.box(500, 0, 2000, 1000),  # 2: 500 m deep: inside, class A
        shapely.box(1100, 0, 2000, 1000),  # 3: a gap of 100 m: near, at that distance
        shapely.box(1000, 2000, 2000, 3000),  # 4: over 1 000 m away: nothing
        shapely.box(-500, 1000, 500, 2000),  # 5: touches the element's edge: near, 0 m
        shapely.box(0, -1400, 1000, -1200),  # 6: a gap of 1 200 m: nothing
    ]
    result = check_elements(
        element_set([element], scales=[250000.0]),
        [layer("nationalparker", PARK, parks, [1, 2, 3, 4, 5, 6], [f"P{i}" for i in range(1, 7)])],
        language="en",
    )
    found = {key[0]: row for key, row in findings_by(result, "feature_fid").items()}
    assert set(found) == {1, 2, 3, 5}
    assert (found[2]["relation"], found[2]["severity"]) == ("overlap", "A")
    assert found[2]["note"] is None
    for fid in (1, 3, 5):
        assert (found[fid]["relation"], found[fid]["severity"]) == ("near", "C")
        assert "250 m" in found[fid]["note"] and "1:250,000" in found[fid]["note"]
    assert found[1]["overlap_m2"] == pytest.approx(shapely.area(shapely.intersection(element, parks[0])))
    assert (
        found[3]["distance_m"] == pytest.approx(shapely.distance(element, parks[2])) == pytest.approx(100.0)
    )
    assert found[5]["distance_m"] == pytest.approx(0.0) and found[5]["overlap_m2"] is None
    # The same element drawn exactly (no scale) overlaps parks 1 and 2 only, both class A.
    exact = check_elements(
        element_set([element]),
        [layer("nationalparker", PARK, parks, [1, 2, 3, 4, 5, 6], [f"P{i}" for i in range(1, 7)])],
    )
    assert sorted(zip(exact.findings["feature_fid"], exact.findings["severity"])) == [(1, "A"), (2, "A")]


def test_a_near_finding_takes_the_place_of_a_proximity_finding_on_the_same_feature():
    element = shapely.box(0, 0, 1000, 1000)
    park = shapely.box(1100, 0, 2000, 1000)  # 100 m away
    both = layer("nationalparker", PARK, [park], [7], ["Parken"])
    both.rules = (PARK, NEAR_PARK)
    schematic = check_elements(element_set([element], scales=[250000.0]), [both], language="en")
    assert list(zip(schematic.findings["rule_id"], schematic.findings["relation"])) == [
        ("nationalpark", "near")
    ]
    exact = check_elements(element_set([element]), [both], language="en")
    assert list(zip(exact.findings["rule_id"], exact.findings["relation"])) == [
        ("nationalpark_omgivning", "within_distance")
    ]


def test_a_feature_without_an_agency_id_is_known_by_its_geometry_across_a_renumbering_download():
    """Issue 16 item 5: where the agency gives no id, reviews and drafts match on the feature's
    geometry, so a new download that renumbers the features (and re-digitises nothing) keeps them."""
    from rus_planner.rus_planner.core.reviews import ReviewBook, ReviewKey

    element = shapely.box(0, 0, 1000, 1000)
    parks = [shapely.box(500, 500, 1500, 1500), shapely.box(-200, -200, 100, 100)]
    first = check_elements(element_set([element]), [layer("parker", PARK, parks, [1, 2], ["Ö", "V"])])
    # The new download: the same two parks, in another order, with other feature ids, one
    # coordinate off by a millimetre (a re-projection's rounding).
    moved = [shapely.box(-200, -200, 100.001, 100), parks[0]]
    second = check_elements(element_set([element]), [layer("parker", PARK, moved, [71, 72], ["V", "Ö"])])
    refs = lambda result: dict(zip(result.findings["feature_name"], result.findings["feature_ref"]))  # noqa: E731
    assert refs(first) == refs(second) and len(set(refs(first).values())) == 2
    assert all(ref.startswith("g") for ref in refs(first).values())
    rows = lambda result: [dict(zip(result.findings, values)) for values in zip(*result.findings.values())]  # noqa: E731
    east_first = next(r for r in rows(first) if r["feature_name"] == "Ö")
    east_second = next(r for r in rows(second) if r["feature_name"] == "Ö")
    assert (east_first["feature_fid"], east_second["feature_fid"]) == (1, 72)
    book = ReviewBook()
    book.record(ReviewKey.of_finding(east_first), "accepted", "Godtas efter samråd")
    assert book.of_finding(east_second).position == "Godtas efter samråd"
    assert book.of_finding(next(r for r in rows(second) if r["feature_name"] == "V")).position == ""
    # a layer that gives ids keeps keying on them, and carries no geometry reference
    with_ids = layer("parker", PARK, parks, [1, 2], ["Ö", "V"])
    for data in with_ids.data.values():
        data.attributes["NVRID"] = ["2001", "2002"]
    assert check_elements(element_set([element]), [with_ids]).findings["feature_ref"] == [None, None]
