"""The default profile's agency rules (issue 16, item 1): precise layer-name patterns, one rule
per MB 4 kap paragraph, NVR's combined layer selected by its own fields in any case, and the
deciding authority taken from the data (BESLMYND). Expected answers are written by hand."""

from __future__ import annotations

import fnmatch

import geopandas as gpd
import pytest
from shapely.geometry import box

NVR_RULES = {
    "nvr_nationalpark",
    "nvr_naturreservat",
    "nvr_naturminne",
    "nvr_kulturreservat",
    "nvr_biotopskyddsomrade",
}

# Realistic agency layer names: the Länsstyrelsen and Försvarsmakten layer titles quoted in
# ../shared/docs/domain.md and the agencies' catalogues, the layers of ../shared/data/sweden
# and resources/demo, and service type names (N2000_WFS:N2000, SkyddadeOmraden). Each with the
# rule ids it must match, exactly: an empty set means "no rule" (checked as generic overlap).
LAYER_NAMES = {
    # MB 4 kap, Länsstyrelsernas lager
    "LST Riksintresse Obruten kust MB4kap3": {"ri_4kap3"},
    "Riksintressen Rörligt friluftsliv (MB 4 kap2)": {"ri_4kap2"},
    "Riksintresse Högexploaterad kust (MB 4 kap4)": {"ri_4kap4"},
    "Riksintresse Obrutet fjäll (MB 4 kap5)": {"ri_4kap5"},
    "Riksintresse Skyddade vattendrag (MB 4 kap6)": {"ri_4kap6"},
    "Skyddade vattendrag (MB 4 kap6)": {"ri_4kap6"},
    "Nationalstadspark (MB 4 kap7)": {"ri_4kap7"},
    "LST_RI_MB4kap2_2023": {"ri_4kap2"},  # a year after the paragraph is no other paragraph
    "riksintresse_friluftsliv_MB4kap2": {"ri_4kap2"},  # matched two rules before, see below
    # MB 3 kap
    "Riksintresse friluftsliv MB 3 kap 6 §": {"ri_friluftsliv"},
    "ri_friluftsliv": {"ri_friluftsliv"},
    "Riksintresse för friluftsliv": {"ri_friluftsliv"},
    "Riksintresse naturvård MB 3 kap 6 §": {"ri_naturvard"},
    "riksintressen_kulturmiljo": {"ri_kulturmiljo"},
    "riksintressen_kulturmiljovard": {"ri_kulturmiljo"},
    "RAÄ Riksintresse för kulturmiljövård MB 3 kap 6": {"ri_kulturmiljo"},
    "Riksintresse för vindbruk": {"ri_energi"},
    "Vindbrukskollen Vindkraftverk": set(),  # the wind-power register, no national interest
    "Vindbrukskollen Projekteringsområden": set(),
    "Riksintresse kommunikationer påverkansområde": {"ri_kommunikationer"},  # two rules before
    "Riksintressen totalförsvaret": {"ri_totalforsvar"},
    # Försvarsmakten
    "Påverkansområde för buller eller annan risk": {"totalforsvar_paverkansomrade"},
    "Påverkansområde väderradar": {"totalforsvar_paverkansomrade"},
    "Påverkansområde civil flygplats": {"totalforsvar_paverkansomrade"},
    "Påverkansområde övrigt": {"totalforsvar_paverkansomrade"},
    "Lågflygningsområde med påverkansområde": {"totalforsvar_paverkansomrade"},
    "Område med särskilt behov av hinderfrihet": {"totalforsvar_hinderfrihet"},
    "Stoppområde för höga objekt": {"totalforsvar_hinderfrihet"},
    "Stoppområde för vindkraftverk": {"totalforsvar_hinderfrihet"},
    # Naturvårdsverket
    "N2000_WFS:N2000": {"natura2000", "natura2000_omgivning"},
    "PS.ProtectedSites.Natura2000": {"natura2000", "natura2000_omgivning"},
    "nationalparker": {"nationalpark"},
    "nvr_nationalparker": {"nationalpark"},
    "naturminne": {"naturminne"},
    "naturminne_polygon": {"naturminne"},
    "naturminne_punkter": {"naturminne"},
    "biosfaromraden": set(),  # biosphere areas protect nothing by law
    "SkyddadeOmraden": NVR_RULES,
    "skyddade_omraden": NVR_RULES,
    "Skyddade områden i kommunens ÖP": set(),  # not NVR's layer: no rule claims it by a loose name
    # Vattenskydd, risker, strandskydd
    "Vattenskyddsomraden_Sverige": {"vattenskyddsomrade", "vattenskyddsomrade_sekundar_tertiar"},
    "Farligt gods rekommenderade vägar": {"farligt_gods"},
    "Utvidgat strandskydd": {"strandskydd"},
    "Översvämningskartering 100-årsflöde": {"oversvamning"},
    "Förutsättningar för skred i finkornig jordart": {"skred"},
    # Issue 16, item 2: the interests that were missing, by the agencies' own layer names
    # Jordbruksverket / länsstyrelsen (MB 3 kap 4 §)
    "JBV_Jordbruksblock_2021": {"jordbruksmark"},
    "Jordbruksblock Uppsala län 2023": {"jordbruksmark"},
    "SJV Markklasser 2025": {"jordbruksmark"},
    "Brukningsvärd jordbruksmark Norrbotten": {"jordbruksmark"},
    # VISS and SGU (MB 5 kap)
    "Vattendrag - vattenförekomst": {"mkn_vatten"},
    "Ekologisk status sjöar": {"mkn_vatten"},
    "Grundvattenförekomster": {"mkn_vatten"},
    "Vattendrag - övrigt vatten": set(),  # no quality standard
    "viss:Vattenskyddsomraden_Sverige": {"vattenskyddsomrade", "vattenskyddsomrade_sekundar_tertiar"},
    # RAÄ lämningar (KML 2 kap): WFS lamningar_v1 type names and the GeoPackage downloads
    "fornlamning": {"fornlamning"},
    "mojligfornlamning": {"fornlamning_mojlig"},
    "ovrkulthistlamning": {"lamning_ovrig"},
    "Fornlämningar": {"fornlamning"},
    "lämningar_kommun_1880": {"raa_fornlamning", "raa_fornlamning_mojlig", "raa_lamning_ovrig"},
    "lämningar_län_uppsala": {"raa_fornlamning", "raa_fornlamning_mojlig", "raa_lamning_ovrig"},
    # Kulturreservat and biotopskydd (MB 7 kap 9 and 11 §§)
    "Kulturreservat": {"kulturreservat"},
    "nvr_kulturreservat": {"kulturreservat"},
    "Biotopskydd": {"biotopskyddsomrade"},
    "Biotopskyddsområden": {"biotopskyddsomrade"},
    # Riksintressen MB 3 kap 8 §
    "Riksintressen kommunikationer": {"ri_kommunikationer"},
    "Riksintresse för kommunikationer": {"ri_kommunikationer"},
    "Riksintresse järnväg": {"ri_kommunikationer"},
    "Riksintresse flygplats påverkansområde": {"ri_kommunikationer"},
    "Riksintresse sjöfart farled": {"ri_kommunikationer"},
    "Järnväg - Befintlig": set(),  # a railway layer is no riksintresse by its name alone
    "Riksintresse energiproduktion": {"ri_energi"},
    "Riksintresseområden för vindbruk": {"ri_energi"},
    "Riksintresse avfallshantering": {"ri_avfall"},
    "Riksintresse elektronisk kommunikation": {"ri_elektronisk_kommunikation"},  # not Trafikverket's
    "Riksintresse för anläggningar för elektronisk kommunikation": {"ri_elektronisk_kommunikation"},
    "Riksintresse slutförvar för använt kärnbränsle": {"ri_slutforvar"},
    "Riksintresse totalförsvarets militära del": {"ri_totalforsvar"},
    # Not agency data at all (demo and shared data)
    "kommuner": set(),
    "tatorter": set(),
    "lokal_arbetsmarknad": set(),
    "kultur_miljoer": set(),
}

# The patterns of the rules in question as the profile had them before (commit before issue
# 16), written out by hand: they show that the names above really collided.
OLD_PATTERNS = {
    "ri_friluftsliv": ["*riksintresse*frilufts*", "*ri_frilufts*"],
    "ri_4kap": [
        "*4*kap*",
        "*obruten*kust*",
        "*högexploaterad*kust*",
        "*rörligt*friluftsliv*",
        "*rorligt*friluftsliv*",
        "*obrutet*fjäll*",
        "*skyddade*vattendrag*",
        "*nationalstadspark*",
    ],
    "ri_kommunikationer": [
        "*riksintresse*kommunikation*",
        "*ri_kommunikation*",
        "*ri_väg*",
        "*ri_jarnvag*",
        "*ri_järnväg*",
    ],
    "totalforsvar_paverkansomrade": ["*påverkansområde*", "*paverkansomrade*"],
    "ri_energi": ["*riksintresse*energi*", "*ri_energi*", "*vindbruk*"],
    "naturreservat": ["*naturreservat*", "*nature_reserve*", "*skyddadeomraden*"],
}


def _old_rules(name: str) -> set[str]:
    folded = name.casefold()
    return {
        rule
        for rule, patterns in OLD_PATTERNS.items()
        if any(fnmatch.fnmatchcase(folded, p.casefold()) for p in patterns)
    }


@pytest.fixture(scope="module")
def profile():
    from rus_planner.rus_planner.core.profile_load import load_default_profile

    return load_default_profile()


@pytest.mark.parametrize("name", list(LAYER_NAMES))
def test_each_layer_name_matches_exactly_its_rules(profile, name):
    assert {r.id for r in profile.rules_for_layer(name)} == LAYER_NAMES[name]


def test_the_old_patterns_collided():
    assert _old_rules("riksintresse_friluftsliv_MB4kap2") == {"ri_friluftsliv", "ri_4kap"}
    assert _old_rules("Riksintresse kommunikationer påverkansområde") == {
        "ri_kommunikationer",
        "totalforsvar_paverkansomrade",
    }
    assert _old_rules("LST_RI_MB4kap2_2023") == {"ri_4kap"}  # and every "4 kap" was one rule
    assert _old_rules("Vindbrukskollen Vindkraftverk") == {"ri_energi"}


def test_the_4_kap_rules_name_the_county_board_and_their_paragraph(profile):
    rules = {r.id: r for r in profile.agency_rules}
    assert "ri_4kap" not in rules
    for paragraph in range(2, 8):
        rule = rules[f"ri_4kap{paragraph}"]
        assert rule.agency == "Länsstyrelsen"
        assert rule.legal_basis == f"MB 4 kap {paragraph} §"
        assert rule.severity == "B"
        assert rule.advice_sv and rule.advice_en
    advice = [rules[f"ri_4kap{p}"].advice_sv for p in range(2, 8)]
    assert len(set(advice)) == 6  # each its own advice
    assert rules["natura2000"].legal_basis == "MB 4 kap 8 §, 7 kap 28 a §"
    assert "7 kap 28 a §" in rules["natura2000"].advice_sv
    assert not any("Riksdag" in r.agency for r in profile.agency_rules)


def test_corrected_legal_bases_and_agencies(profile):
    rules = {r.id: r for r in profile.agency_rules}
    assert rules["farligt_gods"].legal_basis == "PBL 2 kap 5 §"
    assert "riksintresse" in rules["farligt_gods"].advice_sv  # "inte om riksintresse"
    assert rules["strandskydd"].legal_basis == "MB 7 kap 13–15 §§, 18 c §"
    assert "100 m" in rules["strandskydd"].advice_sv and "18 c §" in rules["strandskydd"].advice_sv
    assert rules["vattenskyddsomrade"].severity == "A"
    assert rules["vattenskyddsomrade_sekundar_tertiar"].severity == "C"
    assert all(
        "föreskrifter" in rules[r].advice_sv
        for r in ("vattenskyddsomrade", "vattenskyddsomrade_sekundar_tertiar")
    )
    assert not any("MSB" in r.agency for r in profile.agency_rules)
    assert "Myndigheten för civilt försvar (MCF)" in rules["oversvamning"].agency


# --------------------------------------------------------------------------- the check itself

X0, Y0 = 500_000, 6_500_000


def _write(path, geometries, **columns):
    gpd.GeoDataFrame(columns, geometry=list(geometries), crs="EPSG:3006").to_file(path, engine="pyogrio")
    return str(path)


def _findings(output: str) -> list[dict]:
    """The rows of a findings layer, NULL as None."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(output, "out", "ogr")
    assert layer.isValid()
    return [{n: _value(f[n]) for n in layer.fields().names()} for f in layer.getFeatures()]


def _value(value):
    from qgis.PyQt.QtCore import QVariant

    return None if value is None or (isinstance(value, QVariant) and value.isNull()) else value


def _rounded(value):
    return None if value is None else round(value)


def test_nvr_layer_with_lower_case_fields_is_selected_by_its_own_attributes(rus_provider, tmp_path):
    """Naturvårdsregistret's combined layer with field names in lower case (as a WFS gives them):
    each kind by SKYDDSTYP, only BESLSTATUS 'Gällande', the agency from BESLMYND."""
    import processing

    east = box(X0, Y0, X0 + 1000, Y0 + 1000)  # element "öst"
    west = box(X0 - 3000, Y0, X0 - 2000, Y0 + 1000)  # element "väst"
    elements = _write(tmp_path / "rus_omraden.gpkg", [east, west], namn=["öst", "väst"])
    features = [
        # 0: reserve in force, half over "öst" (0.5 km²), decided by the county board
        (box(X0 + 500, Y0, X0 + 1500, Y0 + 1000), "Naturreservat", "Gällande", "Länsstyrelsen i Örebro län"),
        # 1: appealed reserve over all of "öst": not in force, not checked as a reserve
        (box(X0, Y0, X0 + 1000, Y0 + 1000), "Naturreservat", "Överklagat", "Länsstyrelsen i Örebro län"),
        # 2: cultural reserve in force in "öst" (200 × 200 m = 0.04 km²): nvr_kulturreservat (item 2)
        (box(X0, Y0, X0 + 200, Y0 + 200), "Kulturreservat", "Gällande", "Länsstyrelsen i Örebro län"),
        # 3: national park, a quarter of "väst" (0.25 km²)
        (box(X0 - 3000, Y0, X0 - 2500, Y0 + 500), "Nationalpark", "Gällande", "Riksdag/Regering"),
        # 4: natural monument in "väst" (0.01 km²), decided by the municipality
        (box(X0 - 2150, Y0 + 850, X0 - 2050, Y0 + 950), "Naturminne", "Gällande", "Örebro kommun"),
        # 5: reserve in force in "väst" with no deciding authority given (0.1 km²)
        (box(X0 - 2200, Y0 + 500, X0 - 2000, Y0 + 1000), "Naturreservat", "Gällande", None),
        # 6: far from both
        (box(X0 + 9000, Y0, X0 + 9100, Y0 + 100), "Naturreservat", "Gällande", "Länsstyrelsen i Örebro län"),
        # 7: habitat protection area in "öst" (100 × 100 m = 0.01 km²), decided by Skogsstyrelsen
        (box(X0 + 900, Y0 + 900, X0 + 1000, Y0 + 1000), "Biotopskyddsområde", "Gällande", "Skogsstyrelsen"),
    ]
    path = tmp_path / "nvr.gpkg"
    gpd.GeoDataFrame(
        {
            "namn": [f"{f[1]} {i}" for i, f in enumerate(features)],
            "skyddstyp": [f[1] for f in features],
            "beslstatus": [f[2] for f in features],
            "beslmynd": [f[3] for f in features],
        },
        geometry=[f[0] for f in features],
        crs="EPSG:3006",
    ).to_file(path, layer="skyddade_omraden", engine="pyogrio")
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{path}|layername=skyddade_omraden", "skyddade_omraden", "ogr")
    assert layer.fields().names()[1:] == ["namn", "skyddstyp", "beslstatus", "beslmynd"]

    result = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [elements],
            "AGENCY_LAYERS": [layer],
            "OUTPUT": str(tmp_path / "findings.gpkg"),
            "SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    findings = _findings(result["OUTPUT"])
    assert sorted(
        (
            f["element_name"],
            f["rule_id"],
            f["feature_name"],
            f["agency"],
            f["severity"],
            _rounded(f["overlap_m2"]),
        )
        for f in findings
    ) == [
        # the default profile's standing notice: one class D row per element (item 2)
        ("väst", "forsvarsmakten_sekretess", None, "Försvarsmakten", "D", None),
        ("väst", "nvr_nationalpark", "Nationalpark 3", "Naturvårdsverket", "A", 250_000),
        ("väst", "nvr_naturminne", "Naturminne 4", "Örebro kommun", "A", 10_000),
        ("väst", "nvr_naturreservat", "Naturreservat 5", "Länsstyrelsen / kommunen", "A", 100_000),
        ("öst", "forsvarsmakten_sekretess", None, "Försvarsmakten", "D", None),
        ("öst", "nvr_biotopskyddsomrade", "Biotopskyddsområde 7", "Skogsstyrelsen", "A", 10_000),
        ("öst", "nvr_kulturreservat", "Kulturreservat 2", "Länsstyrelsen i Örebro län", "A", 40_000),
        ("öst", "nvr_naturreservat", "Naturreservat 0", "Länsstyrelsen i Örebro län", "A", 500_000),
    ]


def test_field_references_take_the_layers_case(qgis_app):
    from rus_planner.rus_planner.qgis_io.filters import in_layer_case

    fields = ["skyddstyp", "beslstatus", "Namn"]
    assert (
        in_layer_case("\"SKYDDSTYP\" = 'SKYDDSTYP' AND \"BESLSTATUS\" = 'Gällande'", fields)
        == "\"skyddstyp\" = 'SKYDDSTYP' AND \"beslstatus\" = 'Gällande'"
    )
    assert (
        in_layer_case("lower(SKYDDSTYP) = 'naturreservat'", fields)
        == "lower(\"skyddstyp\") = 'naturreservat'"
    )
    assert in_layer_case('"NAMN" = @layer_name', fields) == '"Namn" = @layer_name'
    # already in the layer's case, or a field the layer lacks: left as written
    assert in_layer_case("\"skyddstyp\" = 'x'", fields) == "\"skyddstyp\" = 'x'"
    assert in_layer_case("\"ZON\" = 'x'", fields) == "\"ZON\" = 'x'"
