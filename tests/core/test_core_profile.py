"""The planning profile: the default loads; each kind of bad file gets its own clear message."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rus_planner.rus_planner.core.profile import DEFAULT_PROFILE_PATH, ProfileError
from rus_planner.rus_planner.core.profile_load import load_default_profile, load_profile, parse_profile

GOOD_SECTOR = "sectors:\n  - id: kultur\n    name_sv: Kultur\n    layer: '*kultur*'\n"


def test_default_profile_covers_the_domain():
    profile = load_default_profile()
    assert profile.target_crs == "EPSG:3006"
    assert {s.id for s in profile.sectors} == {
        "transport",
        "kompetensforsorjning",
        "kultur",
        "besoksnaring",
        "halso_sjukvard",
        "vattenforsorjning",
        "civilt_forsvar",
        "socioekonomi",
    }
    rules = {r.id: r for r in profile.agency_rules}
    for needed in (
        "natura2000",
        "naturreservat",
        "nationalpark",
        "vattenskyddsomrade",
        "strandskydd",
        "oversvamning",
        "skred",
        "ri_totalforsvar",
        "totalforsvar_paverkansomrade",
        "ri_kulturmiljo",
        "ri_naturvard",
        "ri_kommunikationer",
        "ri_rennaring",
        "ri_4kap2",
        "ri_4kap7",
    ):
        assert needed in rules, needed
    assert rules["natura2000"].severity == "A"
    assert rules["natura2000"].legal_basis == "MB 4 kap 8 §, 7 kap 28 a §"
    assert rules["ri_kulturmiljo"].severity == "B"
    assert rules["farligt_gods"].relation == "within_distance"
    assert rules["farligt_gods"].distance_m == 150.0
    assert {t.geometry for t in profile.element_types} == {"point", "line", "polygon"}


def test_layer_matching_by_name_pattern_and_source():
    profile = load_default_profile()
    assert [r.id for r in profile.rules_for_layer("riksintressen_kulturmiljo")] == ["ri_kulturmiljo"]
    assert [r.id for r in profile.rules_for_layer("Nationalparker")] == ["nationalpark"]
    assert {r.id for r in profile.rules_for_layer("N2000_WFS:N2000")} == {
        "natura2000",
        "natura2000_omgivning",
    }
    assert profile.sector_for_layer("Hälso- och sjukvård servicepunkter").id == "halso_sjukvard"
    assert profile.sector_for_layer("kommuner") is None
    assert profile.element_type_for_layer("RUS stråk 2030", "line").id == "strak"
    assert profile.element_type_for_layer("mina punkter", "point").id == "nod"
    source_profile = parse_profile(
        "name: p\nsectors:\n  - id: s\n    name_sv: S\n    source: /data/s.gpkg|layername=a\n"
    )
    assert source_profile.sector_for_layer("anything", "/data/s.gpkg|layername=a").id == "s"
    assert source_profile.sector_for_layer("anything", "/data/other.gpkg") is None


def test_values_are_converted():
    profile = parse_profile(
        "name: Test\nsectors:\n  - id: a\n    name_sv: Å\n    weight: 2\n    layer: [x, y]\n    buffer_m: 250\n"
        "agency_rules:\n  - id: r\n    name_sv: R\n    agency: Länsstyrelsen\n    legal_basis: MB 3 kap 6 §\n"
        "    severity: c\n    relation: within_distance\n    distance_m: 500\n    layer: '*x*'\n"
    )
    sector = profile.sectors[0]
    assert (sector.weight, sector.layers, sector.buffer_m, sector.name_en) == (2.0, ("x", "y"), 250.0, "Å")
    rule = profile.agency_rules[0]
    assert (rule.severity, rule.relation, rule.distance_m) == ("C", "within_distance", 500.0)


BAD_PROFILES = [
    # (case, bytes, expected line, expected key, words in the message)
    ("yaml syntax", b"name: x\nsectors: [\n  - id: a\n", 3, None, "not valid YAML"),
    (
        "unknown key",
        b"name: x\n" + GOOD_SECTOR.encode() + b"    wieght: 2\n",
        6,
        "sectors[1].wieght",
        "did you mean “weight”",
    ),
    (
        "wrong type",
        b"name: x\n" + GOOD_SECTOR.encode() + b"    weight: tung\n",
        6,
        "sectors[1].weight",
        "expected a number, found the text “tung”",
    ),
    (
        "missing id",
        b"name: x\nsectors:\n  - name_sv: K\n    layer: k\n",
        3,
        "sectors[1].id",
        "required key is missing",
    ),
    (
        "duplicate ids",
        b"name: x\n" + GOOD_SECTOR.encode() + b"  - id: kultur\n    name_sv: K2\n    layer: k\n",
        6,
        "sectors[2].id",
        "duplicate id “kultur” (first used on line 3)",
    ),
    (
        "negative distance",
        b"name: x\nagency_rules:\n  - id: r\n    name_sv: R\n    agency: A\n    legal_basis: L\n"
        b"    severity: C\n    layer: x\n    relation: within_distance\n    distance_m: -5\n",
        10,
        "agency_rules[1].distance_m",
        "must not be negative",
    ),
    (
        "unknown severity",
        b"name: x\nagency_rules:\n  - id: r\n    name_sv: R\n    agency: A\n    legal_basis: L\n"
        b"    severity: E\n    layer: x\n",
        7,
        "agency_rules[1].severity",
        "expected one of A, B, C, D",
    ),
    ("non-utf8", b"name: V\xe4rmland\n", 1, None, "not UTF-8"),
    ("empty", b"", None, None, "the file is empty"),
    ("only a comment", b"# nothing here\n", None, None, "the file is empty"),
    ("a list at the top", b"- a\n- b\n", 1, None, "expected a mapping"),
    ("python tag", b"name: !!python/object/apply:os.system ['true']\n", 1, None, "not valid YAML"),
    ("duplicate key", b"name: x\nname: y\n" + GOOD_SECTOR.encode(), 2, "name", "key given twice"),
]


@pytest.mark.parametrize(
    ("case", "data", "line", "key", "words"), BAD_PROFILES, ids=[c[0] for c in BAD_PROFILES]
)
def test_bad_profile_gets_a_clear_message(tmp_path, case, data, line, key, words):
    path = tmp_path / "min profil.yaml"
    path.write_bytes(data)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line, case
    assert problem.key == key, case
    assert words in problem.message, problem.message
    assert str(path) in str(caught.value)


def test_a_10_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"name: x\n" + b"# padding\n" * 1_000_000)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert "10.0 MB" in str(caught.value)
    assert "at most 1 MB" in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path / "finns_inte.yaml")
    assert "finns_inte.yaml" in str(caught.value)
    assert "could not be read" in str(caught.value)


def test_every_problem_is_listed_not_just_the_first():
    with pytest.raises(ProfileError) as caught:
        parse_profile(
            "name: x\nsectors:\n  - id: a\n    name_sv: A\n    layer: a\n    weight: -1\n"
            "agency_rules:\n  - id: r\n    name_sv: R\n    agency: A\n    legal_basis: L\n    severity: Q\n"
            "    layer: x\n    colour: red\n",
            "p.yaml",
        )
    keys = [p.key for p in caught.value.problems]
    assert keys == ["sectors[1].weight", "agency_rules[1].severity", "agency_rules[1].colour"]
    assert [p.line for p in caught.value.problems] == [6, 12, 14]


def test_within_distance_rule_needs_a_distance():
    with pytest.raises(ProfileError) as caught:
        parse_profile(
            "name: x\nagency_rules:\n  - id: r\n    name_sv: R\n    agency: A\n    legal_basis: L\n"
            "    severity: C\n    layer: x\n    relation: within_distance\n"
        )
    assert "needs a distance_m greater than 0" in str(caught.value)


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzzed_bytes_raise_only_profile_errors(data):
    try:
        parse_profile(data, "fuzz.yaml")
    except ProfileError as error:
        assert error.problems
        assert all(p.file == "fuzz.yaml" for p in error.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["name", "version", "sectors", "agency_rules", "element_types", "target_crs", "x"]),
        yaml_values,
        max_size=6,
    )
)
def test_fuzzed_structures_raise_only_profile_errors(document):
    import yaml

    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        parse_profile(text, "fuzz.yaml")
    except ProfileError as error:
        assert error.problems


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="-:[]{}&*!|>'\"%@` \n\tabc#?,.0123456789", max_size=200))
def test_fuzzed_yaml_punctuation_raises_only_profile_errors(text):
    try:
        parse_profile(text, "fuzz.yaml")
    except ProfileError as error:
        assert error.problems


def test_default_profile_file_is_shipped_in_resources():
    assert DEFAULT_PROFILE_PATH.parts[-3:] == ("resources", "profiles", "default_sv.yaml")


def test_the_readme_example_profile_is_valid():
    """The README documents the format with a complete example; it must stay loadable."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    profile = parse_profile(block, "README.md")
    assert [s.id for s in profile.sectors] == ["transport", "halso_sjukvard"]
    assert profile.sectors[0].weight == 2.0
    assert profile.sectors[1].source == "/data/region/vardcentraler.gpkg|layername=vardcentraler"
    assert [r.severity for r in profile.agency_rules] == ["A", "A", "C", "B"]
    assert profile.agency_rules[3].withheld is True
    park = profile.agency_rules[1]
    assert (park.nature, [(c.themes, c.nature) for c in park.nature_for]) == (
        "conflict",
        [(("besöksnäring",), "agreement")],
    )
    assert profile.mode == "rus"
    assert [t.geometry for t in profile.element_types] == ["point", "line", "polygon"]
    assert [t.tolerance_m for t in profile.element_types] == [0.0, 250.0, 0.0]


def test_headless_layers_match_by_the_sub_layer_their_source_names():
    """qgis_process names "x.gpkg|layername=rus_noder" after the file; the profile still matches."""
    from rus_planner.rus_planner.core.naming import display_name, source_layer_name

    assert source_layer_name("/d/orebro_lan.gpkg|layername=rus_noder") == "rus_noder"
    assert (
        source_layer_name('dbname=\'gis\' host=localhost table="agency"."natura2000" (geom)') == "natura2000"
    )
    assert source_layer_name("dbname='gis' table=public.nationalparker (geom)") == "nationalparker"
    assert source_layer_name(
        "url='http://127.0.0.1:8080/wfs' typename='rus:vattenskydd' version='2.0.0'"
    ) == ("vattenskydd")
    assert source_layer_name("/d/tatorter.gpkg") is None
    assert display_name("orebro_lan", "/d/orebro_lan.gpkg|layername=rus_noder") == "rus_noder"
    assert display_name("Mina noder", "/d/orebro_lan.gpkg|layername=rus_noder") == "Mina noder"

    profile = load_default_profile()
    source = "/d/orebro_lan.gpkg|layername="
    assert profile.element_type_for_layer("orebro_lan", None) is None
    assert (
        profile.sector_for_layer("orebro_lan", source + "halso_sjukvard_servicepunkter").id
        == "halso_sjukvard"
    )
    assert [r.id for r in profile.rules_for_layer("orebro_lan", source + "nationalparker")] == [
        "nationalpark"
    ]
    assert profile.rules_for_layer("orebro_lan", source + "kommuner") == []


def test_element_type_from_the_sub_layer_name():
    profile = load_default_profile()
    source = "/d/orebro_lan.gpkg|layername=rus_strak"
    assert profile.element_type_for_layer("orebro_lan", "line", source).id == "strak"
    assert profile.element_type_for_layer("orebro_lan", None, source).id == "strak"
