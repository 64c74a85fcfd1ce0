"""Nature, status and scale read from the element layers, and two RUS drafts compared (issue 16, items 3 and 6),
end to end through ``rusplanner:checkelements`` and ``rusplanner:comparedrafts`` with the default profile.

Independent answers: a small region drawn by hand whose every finding is known from its
coordinates (which element lies in which park or site, by how much), and the changes between
its two drafts counted by hand below.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from rus_planner.rus_planner.core.reviews import ReviewKey
from rus_planner.rus_planner.qgis_io.project_state import ProjectState

X0, Y0 = 480_000, 6_550_000
NOTICE = "forsvarsmakten_sekretess"
PARK = box(X0, Y0, X0 + 5000, Y0 + 5000)  # a national park
SITE = box(X0 + 10_000, Y0, X0 + 12_000, Y0 + 2000)  # a Natura 2000 site


def _write(path, layer, geometries, columns):
    gpd.GeoDataFrame(columns, geometry=list(geometries), crs="EPSG:3006").to_file(
        path, layer=layer, engine="pyogrio"
    )
    return f"{path}|layername={layer}"


def _value(value):
    from qgis.PyQt.QtCore import QVariant

    return None if value is None or (isinstance(value, QVariant) and value.isNull()) else value


def _rows(output: str) -> list[dict]:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(output, "out", "ogr")
    assert layer.isValid()
    return [{n: _value(f[n]) for n in layer.fields().names()} for f in layer.getFeatures()]


@pytest.fixture
def agencies(tmp_path):
    return [
        _write(tmp_path / "np.gpkg", "nationalparker", [PARK], {"NAMN": ["Parken"], "NVRID": ["NVR1"]}),
        _write(
            tmp_path / "n2k.gpkg",
            "natura2000",
            [SITE],
            {"OMRADESNAMN": ["Kärret"], "SITECODE": ["SE0240001"]},
        ),
    ]


def test_nature_status_and_scale_come_from_the_elements_own_fields(rus_provider, tmp_path, agencies):
    """Four areas in or by the park, each read off the coordinates:
    1 a visitor-economy area 1 km inside the park: agreement, class A;
    2 a planned logistics area 1 km inside: conflict, class A, the park's own advice ("Flytta");
    3 an existing town 1 km inside: information, class A;
    4 an area drawn at 1:250 000 that reaches 100 m into the park: near (tolerance 250 m), class C."""
    import processing

    areas = [
        box(X0 + 1000, Y0 + 1000, X0 + 2000, Y0 + 2000),
        box(X0 + 3000, Y0 + 1000, X0 + 4000, Y0 + 2000),
        box(X0 + 1000, Y0 + 3000, X0 + 2000, Y0 + 4000),
        box(X0 + 4900, Y0 + 3000, X0 + 6000, Y0 + 4000),
    ]
    elements = _write(
        tmp_path / "rus.gpkg",
        "rus_omraden",
        areas,
        {
            "namn": ["Besöksområde", "Logistikområde", "Tätorten", "Schematiskt område"],
            "TEMA": ["Besöksnäring", "transport", "socioekonomi", "kultur"],  # any case
            "Status": ["planerad", "Planerad", "befintlig", None],
            "skala": [None, None, None, "1:250 000"],
        },
    )
    result = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [elements],
            "AGENCY_LAYERS": [agencies[0]],
            "LANGUAGE": 1,
            "OUTPUT": str(tmp_path / "findings.gpkg"),
            "SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    rows = {r["element_name"]: r for r in _rows(result["OUTPUT"]) if r["rule_id"] == "nationalpark"}
    got = {n: (r["severity"], r["nature"], r["relation"], r["element_status"]) for n, r in rows.items()}
    assert got == {
        "Besöksområde": ("A", "agreement", "overlap", "planned"),
        "Logistikområde": ("A", "conflict", "overlap", "planned"),
        "Tätorten": ("A", "information", "overlap", "existing"),
        "Schematiskt område": ("C", "conflict", "near", None),
    }
    assert "Move the element outside the park" in rows["Logistikområde"]["advice"]
    assert "Move the element" not in rows["Besöksområde"]["advice"]
    assert rows["Schematiskt område"]["overlap_m2"] == pytest.approx(100 * 1000)
    assert "250 m" in rows["Schematiskt område"]["note"]
    notices = [r for r in _rows(result["OUTPUT"]) if r["rule_id"] == NOTICE]
    assert len(notices) == 4 and all(r["nature"] is None and r["severity"] == "D" for r in notices)
    summary = {r["element_name"]: r for r in _rows(result["SUMMARY"])}
    assert (summary["Besöksområde"]["count_agreement"], summary["Besöksområde"]["count_conflict"]) == (1, 0)
    assert (
        summary["Tätorten"]["count_information"] == 1 and summary["Tätorten"]["element_status"] == "existing"
    )


def _drafts(tmp_path):
    """The samrådsversion and the utställningsversion, in two files with different feature ids.

    Samråd: A in the park (1 km inside), B in the Natura 2000 site (1 000 × 1 000 m), C far away.
    Utställning: D, new, in the park; C; B enlarged to 1 500 × 1 000 m in the site; A moved out
    of the park (3 km east of it) — written in this order, so every fid differs."""
    first = {
        "A": box(X0 + 1000, Y0 + 1000, X0 + 2000, Y0 + 2000),
        "B": box(X0 + 10_500, Y0 + 500, X0 + 11_500, Y0 + 1500),
        "C": box(X0 + 30_000, Y0, X0 + 31_000, Y0 + 1000),
    }
    second = {
        "D": box(X0 + 2500, Y0 + 2500, X0 + 3000, Y0 + 3000),
        "C": first["C"],
        "B": box(X0 + 10_500, Y0 + 500, X0 + 12_000, Y0 + 1500),
        "A": box(X0 + 8000, Y0 + 1000, X0 + 9000, Y0 + 2000),
    }
    paths = []
    for label, draft in (("samrad", first), ("utstallning", second)):
        paths.append(
            _write(tmp_path / f"{label}.gpkg", "rus_omraden", list(draft.values()), {"namn": list(draft)})
        )
    return paths


# By hand: A × park removed; B × site changed (its overlap with the 2 000 × 2 000 m site grows
# from 1 000 × 1 000 to 1 500 × 1 000 m²); D × park new, and D's standing notice new; the
# notices of A, B and C unchanged.
# B also lies 0 m from the site: the proximity rule (500 m) is set aside for an overlapping pair.
EXPECTED = {
    ("removed", "A", "nationalpark"),
    ("changed", "B", "natura2000"),
    ("new", "D", "nationalpark"),
    ("new", "D", NOTICE),
    ("unchanged", "A", NOTICE),
    ("unchanged", "B", NOTICE),
    ("unchanged", "C", NOTICE),
}


def test_two_drafts_compared_against_a_hand_count_with_the_reviews_carried(rus_provider, tmp_path, agencies):
    import processing
    from qgis.core import QgsProject, QgsVectorLayer

    old_path, new_path = _drafts(tmp_path)
    project = QgsProject.instance()
    project.clear()
    old_layer = QgsVectorLayer(old_path, "RUS samråd", "ogr")
    new_layer = QgsVectorLayer(new_path, "RUS utställning", "ogr")
    project.addMapLayers([old_layer, new_layer])
    # The planner's position on B × Natura 2000 in the samrådsversion, keyed as the panel keys it.
    state = ProjectState.read_from_project(project)
    old_b = {"element_layer_id": old_layer.id(), "element_fid": 2, "agency_layer": "natura2000"}
    old_b.update(feature_fid=1, rule_id="natura2000", agency_id="SE0240001")
    state.reviews.record(
        ReviewKey.of_finding(old_b),
        "in_dialogue",
        "Området minskas i utställningen.",
        agency_view="Länsstyrelsen: betydande påverkan kan inte uteslutas.",
        response_date="2026-10-01",
        diarienummer="403-1234-2026",
        action="Minska området",
        decided_by="Regionstyrelsen",
    )
    state.write_to_project(project)
    try:
        result = processing.run(
            "rusplanner:comparedrafts",
            {
                "OLD": [old_layer],
                "NEW": [new_layer],
                "AGENCY_LAYERS": agencies,
                "OUTPUT": str(tmp_path / "changes.gpkg"),
            },
        )
        rows = _rows(result["OUTPUT"])
        got = {(r["change"], r["element_name"], r["rule_id"]) for r in rows}
        assert got == EXPECTED and len(rows) == len(EXPECTED)
        changed = next(r for r in rows if r["change"] == "changed")
        assert changed["what_changed"] == "overlap"
        assert (changed["overlap_m2_old"], changed["overlap_m2_new"]) == pytest.approx((1_000_000, 1_500_000))
        assert changed["review_status"] == "in_dialogue"
        assert changed["review_diarienummer"] == "403-1234-2026"
        assert changed["review_agency_view"].startswith("Länsstyrelsen")
        # carried in the project: the new draft's B finding has the same review
        carried = ProjectState.read_from_project(project).reviews
        new_b = {**old_b, "element_layer_id": new_layer.id(), "element_fid": 3}
        review = carried.of_finding(new_b)
        assert (review.status, review.action, review.decided_by) == (
            "in_dialogue",
            "Minska området",
            "Regionstyrelsen",
        )
        assert review.response_date == "2026-10-01"
        # the removed A × park finding: no review was recorded, and none is invented
        removed = next(r for r in rows if r["change"] == "removed")
        assert removed["review_status"] == "new" and not removed["review_position"]
    finally:
        project.clear()


def test_saved_findings_of_two_runs_are_compared_without_checking_again(rus_provider, tmp_path, agencies):
    import processing

    outputs = []
    for index, path in enumerate(_drafts(tmp_path)):
        result = processing.run(
            "rusplanner:checkelements",
            {
                "ELEMENTS": [path],
                "AGENCY_LAYERS": agencies,
                "OUTPUT": str(tmp_path / f"findings{index}.gpkg"),
                "SUMMARY": str(tmp_path / f"summary{index}.gpkg"),
            },
        )
        outputs.append(result["OUTPUT"])
    # No agency layers: the drafts are saved findings, so none are needed.
    result = processing.run(
        "rusplanner:comparedrafts",
        {
            "OLD": [outputs[0]],
            "NEW": [outputs[1]],
            "CARRY_REVIEWS": False,
            "OUTPUT": str(tmp_path / "c.gpkg"),
        },
    )
    got = {(r["change"], r["element_name"], r["rule_id"]) for r in _rows(result["OUTPUT"])}
    assert got == EXPECTED


def test_element_layers_without_agency_layers_are_refused_with_the_reason(rus_provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    old_path, new_path = _drafts(tmp_path)
    with pytest.raises(QgsProcessingException, match="needs the agency layers"):
        processing.run(
            "rusplanner:comparedrafts", {"OLD": [old_path], "NEW": [new_path], "OUTPUT": "TEMPORARY_OUTPUT"}
        )
