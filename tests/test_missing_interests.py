"""The interests that were missing from the default profile (issue 16, item 2), checked end to end
through ``rusplanner:checkelements`` on small layers with the agencies' own layer and field names,
and the standing class D notice for Försvarsmakten's classified riksintressen in every run, in the
findings layer, the summary, the CSV and HTML exports and the consultation report.

The independent answers: which rule, agency, paragraph and class each agency layer (and, for RAÄ's
combined lämningar layer, each antikvarisk bedömning) should give is written out below from the
issue and ../shared/docs/domain.md; every overlap area, length and share is computed by shapely on
the same geometries, following the check's stated semantics (touching is no overlap, a point on a
boundary is; shares in each geometry's own measure).
"""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import pytest
import shapely
from recording import recording_feedback
from shapely.geometry import LineString, Point, box

X0, Y0 = 500_000, 6_500_000
NOTICE = "forsvarsmakten_sekretess"
NOTICE_NAME = "Försvarsmaktens sekretessbelagda riksintressen"

# The RUS elements: an area on farmland, a corridor along a railway, an area with protected
# nature, ancient monuments and three riksintressen under MB 3 kap 8 §.
ELEMENTS = {
    "Logistikområde": box(X0, Y0, X0 + 1000, Y0 + 1000),
    "Västra stråket": LineString([(X0 - 3000, Y0 + 500), (X0 - 1000, Y0 + 500)]),
    "Östra området": box(X0 + 3000, Y0, X0 + 4000, Y0 + 1000),
}

RAA = "Länsstyrelsen / Riksantikvarieämbetet"

# Each agency layer: its name as the agency publishes it, its features with the agency's field
# names, and the rule each feature should meet as (rule id, class, agency, paragraph, name field).
# "BESLMYND" is NVR's deciding authority: where a feature has it, it is the finding's agency.
JORDBRUK = ("jordbruksmark", "B", "Länsstyrelsen / Jordbruksverket", "MB 3 kap 4 §", "blockid")
MKN = ("mkn_vatten", "C", "Vattenmyndigheten / länsstyrelsen", "MB 5 kap 3–4 §§, PBL 2 kap 10 §", "VNAMN")
FORN = ("KML 2 kap 6 och 12 §§", "KML 2 kap", "PBL 2 kap 6 §")
LAYERS = [
    # Jordbruksverket's jordbruksblock (blockid, agoslag): one block inside the logistics area,
    # one half in it, one far from every element.
    (
        "JBV_Jordbruksblock_2021",
        [
            box(X0 + 100, Y0 + 100, X0 + 600, Y0 + 600),
            box(X0 + 800, Y0 + 400, X0 + 1200, Y0 + 900),
            box(X0 + 5000, Y0, X0 + 5500, Y0 + 500),
        ],
        {"blockid": ["ABC123-45", "ABC124-01", "FAR999-99"], "agoslag": ["Åker", "Åker", "Bete"]},
        lambda row: JORDBRUK,
    ),
    # VISS water bodies (EU_CD, VISS_MS_CD, VNAMN): a stream through the logistics area and one
    # 300 m east of it; a lake in the eastern area.
    (
        "Vattendrag - vattenförekomst",
        [
            LineString([(X0 + 250, Y0 - 500), (X0 + 250, Y0 + 1500)]),
            LineString([(X0 + 1300, Y0 - 500), (X0 + 1300, Y0 + 1500)]),
        ],
        {
            "EU_CD": ["SE655275-153234", "SE655300-153500"],
            "VISS_MS_CD": ["WA12345678", "WA87654321"],
            "VNAMN": ["Svartån", "Lillån"],
        },
        lambda row: MKN,
    ),
    (
        "Ekologisk status sjöar",
        [box(X0 + 3200, Y0 + 300, X0 + 3400, Y0 + 500)],
        {"EU_CD": ["SE655400-153700"], "VISS_MS_CD": ["WA11223344"], "VNAMN": ["Östasjön"]},
        lambda row: MKN,
    ),
    # RAÄ's lämningar for one kommun as downloaded (lamningsnummer, lamningstyp,
    # antikvarisk_bedomning): every assessment in one layer, chosen by the assessment.
    (
        "lämningar_kommun_1880",
        [
            Point(X0 + 200, Y0 + 200),
            Point(X0 + 700, Y0 + 700),
            Point(X0 + 900, Y0 + 100),
            Point(X0 + 2000, Y0 + 2000),  # outside every element
            Point(X0 + 400, Y0 + 800),
            Point(X0 + 1000, Y0 + 850),  # on the area's boundary: a point there counts
        ],
        {
            "lamningsnummer": [f"L1880:100{i}" for i in range(1, 7)],
            "lamningstyp": [
                "Gravfält",
                "Boplats",
                "Kolbotten",
                "Stensättning",
                "Fossil åker",
                "Röjningsröse",
            ],
            "antikvarisk_bedomning": [
                "Fornlämning",
                "Möjlig fornlämning",
                "Övrig kulturhistorisk lämning",
                "Fornlämning",
                "Ingen antikvarisk bedömning",
                None,
            ],
        },
        lambda row: {
            "Fornlämning": ("raa_fornlamning", "A", RAA, FORN[0], "lamningsnummer"),
            "Övrig kulturhistorisk lämning": ("raa_lamning_ovrig", "C", RAA, FORN[2], "lamningsnummer"),
        }.get(row["antikvarisk_bedomning"], ("raa_fornlamning_mojlig", "C", RAA, FORN[1], "lamningsnummer")),
    ),
    # RAÄ's WFS lamningar_v1: one layer per assessment.
    (
        "fornlamning",
        [Point(X0 + 3500, Y0 + 500)],
        {"lamningsnummer": ["L1880:2001"], "lamningstyp": ["Hällristning"]},
        lambda row: ("fornlamning", "A", RAA, FORN[0], "lamningsnummer"),
    ),
    (
        "mojligfornlamning",
        [Point(X0 + 3600, Y0 + 600)],
        {"lamningsnummer": ["L1880:2002"], "lamningstyp": ["Härd"]},
        lambda row: ("fornlamning_mojlig", "C", RAA, FORN[1], "lamningsnummer"),
    ),
    (
        "ovrkulthistlamning",
        [Point(X0 + 3700, Y0 + 700)],
        {"lamningsnummer": ["L1880:2003"], "lamningstyp": ["Torplämning"]},
        lambda row: ("lamning_ovrig", "C", RAA, FORN[2], "lamningsnummer"),
    ),
    # Kulturreservat and biotopskyddsområden as separate layers (NAMN, BESLMYND).
    (
        "Kulturreservat",
        [box(X0 + 3000, Y0 + 800, X0 + 3400, Y0 + 1200)],
        {"NAMN": ["Östa kulturreservat"], "BESLMYND": ["Länsstyrelsen i Uppsala län"]},
        lambda row: ("kulturreservat", "A", row["BESLMYND"], "MB 7 kap 9 §", "NAMN"),
    ),
    (
        "Biotopskyddsområden",
        [box(X0 + 3900, Y0 + 100, X0 + 4100, Y0 + 300), box(X0 + 3100, Y0 + 100, X0 + 3200, Y0 + 200)],
        {"NAMN": ["Ekbacken", "Källkärret"], "BESLMYND": ["Skogsstyrelsen", None]},
        lambda row: (
            "biotopskyddsomrade",
            "A",
            row["BESLMYND"] or "Länsstyrelsen / Skogsstyrelsen / kommunen",
            "MB 7 kap 11 §",
            "NAMN",
        ),
    ),
    # Riksintressen under MB 3 kap 8 § (Trafikverket's Namn; NAMN for the others, whose
    # download field names no source gave).
    (
        "Riksintresse järnväg",
        [LineString([(X0 - 2500, Y0 + 500), (X0 + 5000, Y0 + 500)])],
        {"Namn": ["Godsstråket genom Bergslagen"]},
        lambda row: ("ri_kommunikationer", "B", "Trafikverket", "MB 3 kap 8 §", "Namn"),
    ),
    (
        "Riksintresse avfallshantering",
        [box(X0 + 3500, Y0 - 500, X0 + 4500, Y0 + 500)],
        {"NAMN": ["Östa avfallsanläggning"]},
        lambda row: ("ri_avfall", "B", "Naturvårdsverket", "MB 3 kap 8 §", "NAMN"),
    ),
    (
        "Riksintresse elektronisk kommunikation",
        [box(X0 + 3000, Y0, X0 + 3100, Y0 + 100)],
        {"NAMN": ["Radiolänk Östa"]},
        lambda row: ("ri_elektronisk_kommunikation", "B", "Post- och telestyrelsen", "MB 3 kap 8 §", "NAMN"),
    ),
    (
        "Riksintresse slutförvar för använt kärnbränsle",
        [box(X0 + 3800, Y0 + 800, X0 + 4200, Y0 + 1200)],
        {"NAMN": ["Slutförvar Östa"]},
        lambda row: ("ri_slutforvar", "B", "Strålsäkerhetsmyndigheten", "MB 3 kap 8 §", "NAMN"),
    ),
]

# The new rules of item 2 this region exercises (the NVR-selected kulturreservat and biotopskydd
# rules are in test_profile_rules).
NEW_RULES = {
    "jordbruksmark",
    "mkn_vatten",
    "raa_fornlamning",
    "raa_fornlamning_mojlig",
    "raa_lamning_ovrig",
    "fornlamning",
    "fornlamning_mojlig",
    "lamning_ovrig",
    "kulturreservat",
    "biotopskyddsomrade",
    "ri_kommunikationer",
    "ri_avfall",
    "ri_elektronisk_kommunikation",
    "ri_slutforvar",
}


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


def _expected_measures(element, feature):
    """(area, length, element share, feature share) of an overlap, or None when there is none."""
    low = min(shapely.get_dimensions(element), shapely.get_dimensions(feature))
    if low == 0:
        if not element.intersects(feature):  # a point inside or on the boundary overlaps
            return None
    elif not element.intersects(feature) or element.touches(feature):
        return None
    common = element.intersection(feature)
    area = common.area if low == 2 else None
    length = common.length if low == 1 else None
    if (low == 2 and not area) or (low == 1 and not length):
        return None

    def share(geometry):
        dim = shapely.get_dimensions(geometry)
        if dim == 0:
            return 1.0
        if dim == 2:
            return area / geometry.area if low == 2 else 0.0
        return length / geometry.length if low == 1 else 0.0

    return area, length, share(element), share(feature)


def _expected_findings() -> list[tuple]:
    expected = []
    for _, geometries, columns, rule_of in LAYERS:
        for i, feature in enumerate(geometries):
            row = {key: values[i] for key, values in columns.items()}
            rule_id, severity, agency, basis, name_field = rule_of(row)
            for element_name, element in ELEMENTS.items():
                measures = _expected_measures(element, feature)
                if measures is not None:
                    area, length, element_share, feature_share = measures
                    expected.append(
                        (element_name, rule_id, row[name_field], severity, agency, basis)
                        + (_round(area), _round(length), _round(element_share, 6), _round(feature_share, 6))
                    )
    return sorted(expected, key=repr)


def _round(value, digits=3):
    return None if value is None else round(value, digits)


def _found(rows) -> list[tuple]:
    return sorted(
        (
            (
                f["element_name"],
                f["rule_id"],
                f["feature_name"],
                f["severity"],
                f["agency"],
                f["legal_basis"],
                _round(f["overlap_m2"]),
                _round(f["overlap_length_m"]),
                _round(f["element_share"], 6),
                _round(f["feature_share"], 6),
            )
            for f in rows
            if f["rule_id"] != NOTICE
        ),
        key=repr,
    )


@pytest.fixture
def region(tmp_path):
    areas = ["Logistikområde", "Östra området"]
    elements = [
        _write(tmp_path / "rus.gpkg", "rus_omraden", [ELEMENTS[n] for n in areas], {"namn": areas}),
        _write(
            tmp_path / "rus_strak.gpkg",
            "rus_strak",
            [ELEMENTS["Västra stråket"]],
            {"namn": ["Västra stråket"]},
        ),
    ]
    agencies = [
        _write(tmp_path / f"agency{i}.gpkg", name, geometries, columns)
        for i, (name, geometries, columns, _) in enumerate(LAYERS)
    ]
    return {"elements": elements, "agencies": agencies, "tmp": tmp_path}


@pytest.fixture
def checked(rus_provider, region):
    import processing

    tmp = region["tmp"]
    result = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": region["elements"],
            "AGENCY_LAYERS": region["agencies"],
            "OUTPUT": str(tmp / "findings.gpkg"),
            "SUMMARY": str(tmp / "summary.gpkg"),
        },
    )
    return result, _rows(result["OUTPUT"]), _rows(result["SUMMARY"])


def test_the_expected_answer_covers_every_new_interest():
    """Guards the test itself: the region gives each new rule at least one overlap."""
    assert {e[1] for e in _expected_findings()} == NEW_RULES


def test_each_new_interest_is_found_with_its_agency_paragraph_class_and_measure(checked):
    _, rows, _ = checked
    assert _found(rows) == _expected_findings()


def test_hand_checked_measures(checked):
    """A few of shapely's answers by hand, so the geometry of the region is what it says."""
    _, rows, _ = checked
    by = {(f["element_name"], f["rule_id"], f["feature_name"]): f for f in rows}
    block = by[("Logistikområde", "jordbruksmark", "ABC124-01")]
    assert block["overlap_m2"] == pytest.approx(200 * 500)  # 200 × 500 m of the block inside
    assert block["element_share"] == pytest.approx(0.10)
    railway = by[("Västra stråket", "ri_kommunikationer", "Godsstråket genom Bergslagen")]
    assert railway["overlap_length_m"] == pytest.approx(1500.0)  # X0-2500 .. X0-1000
    assert railway["element_share"] == pytest.approx(0.75)
    stream = by[("Logistikområde", "mkn_vatten", "Svartån")]
    assert stream["overlap_length_m"] == pytest.approx(1000.0)
    assert ("Logistikområde", "mkn_vatten", "Lillån") not in by  # 300 m away
    assert ("Logistikområde", "raa_fornlamning", "L1880:1004") not in by  # outside
    assert (
        by[("Östra området", "kulturreservat", "Östa kulturreservat")]["agency"]
        == "Länsstyrelsen i Uppsala län"
    )
    assert by[("Östra området", "biotopskyddsomrade", "Källkärret")]["agency"] == (
        "Länsstyrelsen / Skogsstyrelsen / kommunen"
    )
    assert by[("Östra området", "ri_avfall", "Östa avfallsanläggning")]["overlap_m2"] == pytest.approx(
        500 * 500
    )


def test_the_standing_notice_is_one_class_d_row_per_element_with_its_reason(checked):
    result, rows, summary = checked
    notices = [f for f in rows if f["rule_id"] == NOTICE]
    assert sorted(f["element_name"] for f in notices) == sorted(ELEMENTS)
    for f in notices:
        assert f["severity"] == "D"
        assert f["agency"] == "Försvarsmakten"
        assert f["legal_basis"] == "MB 3 kap 9 §, OSL 15 kap 2 §"
        assert f["agency_layer"] is None and f["feature_fid"] is None  # bound to no agency layer
        assert f["rule_name"] == NOTICE_NAME  # LANGUAGE default: Swedish
        assert f["note"].startswith("Inte kontrollerat: Försvarsmakten redovisar inte")  # all in Swedish
        assert "sekretessbelagda enligt lag" in f["note"]
        assert "samrådet" in f["advice"]
    # The only class D of the run is the notice: every agency layer above was read and checked.
    assert all(f["rule_id"] == NOTICE for f in rows if f["severity"] == "D")
    assert sorted((s["element_name"], s["count_d"]) for s in summary) == sorted((n, 1) for n in ELEMENTS)
    assert all(NOTICE_NAME in s["not_checked"] for s in summary)
    assert all(
        s["findings"] == sum(1 for f in rows if f["element_name"] == s["element_name"]) for s in summary
    )


def _check_a_far_node(tmp_path, **parameters) -> dict:
    """checkelements for one node 20 km from the only agency layer (Jordbruksverket's blocks)."""
    import processing

    elements = _write(tmp_path / "rus.gpkg", "rus_noder", [Point(X0 - 20_000, Y0)], {"namn": ["Nod"]})
    name, geometries, columns, _ = LAYERS[0]
    agency = _write(tmp_path / "jbv.gpkg", name, geometries, columns)
    return processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [elements],
            "AGENCY_LAYERS": [agency],
            "OUTPUT": str(tmp_path / "f.gpkg"),
            "SUMMARY": str(tmp_path / "s.gpkg"),
            **parameters,
        },
    )


def test_an_element_with_no_other_finding_is_class_d_not_clean(rus_provider, tmp_path):
    """An element far from every agency feature still hears what could not be checked."""
    result = _check_a_far_node(tmp_path)
    rows = _rows(result["OUTPUT"])
    assert [(f["rule_id"], f["severity"], f["agency"]) for f in rows] == [(NOTICE, "D", "Försvarsmakten")]
    assert [s["worst_class"] for s in _rows(result["SUMMARY"])] == ["D"]


def test_the_notice_in_english(rus_provider, tmp_path):
    result = _check_a_far_node(tmp_path, LANGUAGE=1)
    (row,) = _rows(result["OUTPUT"])
    assert row["rule_name"] == "The Armed Forces' classified national interests"
    assert row["note"].startswith("Not checked: ")
    assert "classified by law" in row["note"]
    assert "consultation" in row["advice"]


def test_the_notice_reaches_the_csv_the_html_and_the_consultation_report(checked, region):
    import processing

    from rus_planner.rus_planner.qgis_io.export import write_csv, write_html

    result, rows, _ = checked
    tmp = region["tmp"]
    write_csv(rows, tmp / "fynd.csv", decimal_comma=True)
    table = list(
        csv.DictReader(io.StringIO((tmp / "fynd.csv").read_text(encoding="utf-8-sig")), delimiter=";")
    )
    assert sorted(
        r["element_name"] for r in table if r["rule_id"] == NOTICE and r["severity"] == "D"
    ) == sorted(ELEMENTS)
    write_html(rows, tmp / "fynd.html", title="RUS", profile_name="Standardprofil", run_time="2026-12-05")
    html = (tmp / "fynd.html").read_text(encoding="utf-8")
    assert html.count(NOTICE_NAME) >= len(ELEMENTS)

    feedback = recording_feedback()
    report = processing.run(
        "rusplanner:consultationreport",
        {
            "FINDINGS": result["OUTPUT"],
            "ELEMENTS": region["elements"],
            "AGENCY_LAYERS": region["agencies"],
            "OUTPUT_FOLDER": str(tmp / "rapporter"),
        },
        feedback=feedback,
    )
    # The notice is the profile's own, not a rule of "another profile".
    assert not [w for w in feedback.warnings if "does not have" in w or "inte har" in w]
    text = open(report["HTML"], encoding="utf-8").read()
    assert NOTICE_NAME in text
    assert "Försvarsmakten" in text
    assert "sekretessbelagda enligt lag" in text
