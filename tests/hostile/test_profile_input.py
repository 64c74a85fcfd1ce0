"""A hostile or careless PROFILE: the user gets one clear message, promptly, and nothing else.

Each case is what a user found: an alias bomb that hung validateprofile, /dev/zero that was
read for ever, a system file whose lines came back in the messages, a filter with a typo that
made a rule choose nothing while the profile was called valid. Each is run on the core and
through the real qgis_process, and every input file is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from headless import qgis_process
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rus_planner.rus_planner.core.profile import ProfileError
from rus_planner.rus_planner.core.profile_load import MAX_PROFILE_BYTES, load_profile, parse_profile
from rus_planner.rus_planner.core.profile_yaml import MAX_ALIAS_EXPANSION, MAX_ALIASES
from rus_planner.rus_planner.qgis_io.filters import ProfileFilterCheck, filter_problems

RULE = "    agency: Länsstyrelsen\n    legal_basis: MB 3 kap\n    severity: B\n"
GOOD = "name: Test\nagency_rules:\n  - id: r\n    name_sv: R\n    layer: '*r*'\n" + RULE

# "Billion laughs": each level repeats the one above nine times (9^9 values written out).
BOMB = "name: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, level in zip("abcdefgh", "bcdefghi")
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def problems_of(path) -> list:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return caught.value.problems


def only_problem(path) -> str:
    """The one problem a wrong file gets, as the user reads it."""
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def validate_headless(profile: Path) -> tuple[dict, str, float]:
    """validateprofile through the real qgis_process: (results, everything printed, seconds);
    the log's warnings are in results["warnings"]."""
    started = time.monotonic()
    done = qgis_process("run", "rusplanner:validateprofile", "--json", "--", f"PROFILE={profile}", timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, f"qgis_process failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    answer = json.loads(done.stdout[done.stdout.find("{") :])
    results = dict(answer["results"], warnings=answer["log"].get("warning", []))
    return results, done.stdout + done.stderr, elapsed


@pytest.fixture(scope="module")
def startup_seconds(tmp_path_factory) -> float:
    """qgis_process's own time on a trivial profile now (the machine is shared: it varies)."""
    path = tmp_path_factory.mktemp("baseline") / "liten.yaml"
    path.write_text(GOOD, encoding="utf-8")
    results, _, elapsed = validate_headless(path)
    assert results["VALID"] is True
    return elapsed


def assert_prompt(elapsed: float, startup: float) -> None:
    """Promptly: under 5 s in all (≈ 1.4 s on an idle machine, nearly all of it qgis_process
    starting), or at most twice a trivial profile's run while the machine is busy; before,
    these inputs never ended."""
    assert elapsed < max(5.0, 2 * startup), (elapsed, startup)


# --------------------------------------------------------------------------- 1. alias bomb


def test_an_alias_bomb_is_refused_at_its_line_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    message = only_problem(path)
    assert time.monotonic() - started < 1.0
    # Written out by hand: a = 10 values; each alias of b repeats 10 (90 in all), of c 91
    # (819; 909 in all), of d 820 (7 380; 8 289 in all); the first alias of e (line 6)
    # repeats 7 381 more: 15 670 > 10 000.
    assert message == (
        f"{path}, line 6: the aliases (*name) repeat more than 10000 values; a profile that grows "
        "like this (an “alias bomb”) is refused"
    )
    assert MAX_ALIAS_EXPANSION == 10_000


def test_more_than_100_aliases_are_refused_at_the_101st(tmp_path):
    path = tmp_path / "many.yaml"
    aliases = "".join(f"  - *n  # {i + 1}\n" for i in range(MAX_ALIASES + 1))
    path.write_text("name: &n x\ndescription:\n" + aliases, encoding="utf-8")
    assert only_problem(path) == (
        f"{path}, line {2 + MAX_ALIASES + 1}: more than 100 aliases (*name); a profile may repeat a "
        "value by an alias at most 100 times"
    )


def test_an_alias_inside_the_collection_it_names_is_refused(tmp_path):
    path = tmp_path / "endless.yaml"
    path.write_text("name: x\nsectors: &s\n  - id: a\n    layer: *s\n", encoding="utf-8")
    assert only_problem(path) == (
        f"{path}, line 4: the alias *s stands inside the value it names, which makes it endless"
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            BOMB,
            6,
            "the aliases (*name) repeat more than 10000 values; a profile that grows like this (an “alias bomb”) is refused",
        ),
        (
            "name: &n x\ndescription: [" + ", ".join(["*n"] * 101) + "]\n",
            2,
            "more than 100 aliases (*name); a profile may repeat a value by an alias at most 100 times",
        ),
        (
            "name: x\nsectors: &s\n  - id: a\n    layer: *s\n",
            4,
            "the alias *s stands inside the value it names, which makes it endless",
        ),
    ],
)
def test_without_libyaml_the_same_aliases_are_refused(text, line, message):
    """PyYAML without libyaml (some QGIS installs) parses in pure Python: same limits, same lines."""
    for fast in (True, False):
        with pytest.raises(ProfileError) as caught:
            parse_profile(text, "p.yaml", fast=fast)
        assert [str(p) for p in caught.value.problems] == [f"p.yaml, line {line}: {message}"], fast


def test_aliases_a_profile_author_may_use_still_work(tmp_path):
    """The decision: aliases to collections stay (a shared pattern list, a merge key)."""
    path = tmp_path / "shared.yaml"
    path.write_text(
        "name: Delade värden\nagency_rules:\n  - &first\n    id: a\n    name_sv: A\n"
        "    layer: &n2000 ['*natura*2000*', '*n2000*']\n"
        + RULE
        + "  - <<: *first\n    id: b\n    name_sv: B\n"
        "    severity: C\n    layer: *n2000\n",
        encoding="utf-8",
    )
    first, second = load_profile(path).agency_rules
    assert (second.id, second.severity, second.agency, second.legal_basis) == (
        "b",
        "C",
        "Länsstyrelsen",
        "MB 3 kap",
    )
    assert first.layers == second.layers == ("*natura*2000*", "*n2000*")


@pytest.mark.slow
def test_validateprofile_refuses_the_bomb_promptly_and_leaves_it_as_it_was(tmp_path, startup_seconds):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    before = digest(path)
    results, printed, elapsed = validate_headless(path)
    assert_prompt(elapsed, startup_seconds)  # it hung before (≈ 9^9 values walked)
    assert results["VALID"] is False
    assert results["PROBLEM_COUNT"] == 1
    assert results["PROBLEMS"] == (
        f"{path}, line 6: the aliases (*name) repeat more than 10000 values; a profile that grows "
        "like this (an “alias bomb”) is refused"
    )
    assert digest(path) == before


# --------------------------------------------------------------------------- 2. devices, pipes, size, encoding

NOT_ORDINARY = "this is not an ordinary file but a device, a pipe or a socket, which may never end; a profile is a YAML file"


def test_dev_zero_is_refused_without_reading_it(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    started = time.monotonic()
    assert only_problem("/dev/zero") == f"/dev/zero: {NOT_ORDINARY}"
    assert only_problem(link) == f"{link}: {NOT_ORDINARY}"
    assert time.monotonic() - started < 1.0


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert only_problem(fifo) == f"{fifo}: {NOT_ORDINARY}"
    assert time.monotonic() - started < 1.0


def test_a_folder_is_named_as_one(tmp_path):
    folder = tmp_path / "profiler.yaml"
    folder.mkdir()
    assert only_problem(folder) == f"{folder}: this is a folder, not a file; choose the profile's YAML file"


def test_a_file_that_says_it_is_empty_is_read_no_further_than_the_limit(tmp_path):
    """/proc/kallsyms is an ordinary file whose size reads 0 and which holds some 5 MB."""
    kallsyms = Path("/proc/kallsyms")
    assert kallsyms.stat().st_size == 0
    with kallsyms.open("rb") as stream:
        assert len(stream.read(MAX_PROFILE_BYTES + 1)) == MAX_PROFILE_BYTES + 1
    assert only_problem(kallsyms) == (
        "/proc/kallsyms: the file is larger than 1 MB; a profile may be at most 1 MB"
    )


def test_a_file_over_1_mb_is_refused_by_its_size(tmp_path):
    path = tmp_path / "stor.yaml"
    path.write_bytes(GOOD.encode() + b"#" * 2_000_000 + b"\n")
    assert only_problem(path) == f"{path}: the file is 2.0 MB; a profile may be at most 1 MB"


def test_a_latin1_byte_is_named_by_its_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    data = b"name: Test\ndescription: Region\nagency_rules: []\n# V\xe4rmland\n"
    path.write_bytes(data)
    assert only_problem(path) == (
        f"{path}, line 4: the file is not UTF-8 text (a byte that is not UTF-8 at position {data.index(0xE4)}); "
        "save it as UTF-8"
    )


def test_utf16_is_named_as_such(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes(GOOD.encode("utf-16"))
    assert (
        only_problem(path) == f"{path}, line 1: the file is in UTF-16 or UTF-32, not UTF-8; save it as UTF-8"
    )


def test_a_control_character_is_named_by_its_line(tmp_path):
    path = tmp_path / "kontroll.yaml"
    path.write_bytes(b"name: Test\ndescription: a\x07b\n")
    assert only_problem(path) == (
        f"{path}, line 2: the file holds a control character (U+0007) that YAML text may not contain; "
        "a profile is a plain text file"
    )


def test_an_impossible_date_or_number_is_named_by_its_line(tmp_path):
    path = tmp_path / "datum.yaml"
    path.write_text(GOOD + "description: 2024-02-30\n", encoding="utf-8")
    assert only_problem(path) == (
        f"{path}, line 9: this value could not be read as a number or a date (out of range or too long)"
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["/dev/zero", "pipe", "/proc/kallsyms"])
def test_validateprofile_refuses_what_never_ends_promptly(tmp_path, kind, startup_seconds):
    """qgis_process takes only *.yaml: a link named so is what a user would pass."""
    profile = tmp_path / "profil.yaml"
    if kind == "pipe":
        os.mkfifo(profile)
        expected = f"{profile}: {NOT_ORDINARY}"
    else:
        profile.symlink_to(kind)
        expected = (
            f"{profile}: {NOT_ORDINARY}"
            if kind == "/dev/zero"
            else f"{profile}: the file is larger than 1 MB; a profile may be at most 1 MB"
        )
    results, _, elapsed = validate_headless(profile)
    assert_prompt(elapsed, startup_seconds)  # /dev/zero was read for ever before
    assert (results["VALID"], results["PROBLEM_COUNT"], results["PROBLEMS"]) == (False, 1, expected)


# --------------------------------------------------------------------------- 3. nothing of the file echoed

SHADOW = (
    "root:$y$j9T$Hemlig.Salt$QwErTyHemligtHashvarde0123456789:19700:0:99999:7:::\n"
    "daemon:*:19700:0:99999:7:::\n"
    "planerare:$y$j9T$AnnatSalt$ZxCvBnAnnatHashvarde9876543210:19700:0:99999:7:::\n"
)
NOT_A_PROFILE = (
    "this is not a planning profile: none of its top-level keys is one a profile has (version, name, "
    "description, target_crs, sectors, agency_rules, element_types, standing_notices, mode); choose the profile's "
    "YAML file"
)
BINARY = "this is binary data, not text (it holds zero bytes); a profile is a YAML text file in UTF-8"


def secrets_of(text: str) -> set[str]:
    """Every run of 6+ letters or digits in a file: none may show up in a message."""
    return set(re.findall(r"[A-Za-z0-9$./]{6,}", text))


TOP_TEXT = "line 1: expected a mapping (key: value pairs), found a text over several lines"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("shadow", SHADOW, f": {NOT_A_PROFILE}"),
        (
            "passwd",
            "root:x:0:0:root:/root:/bin/bash\nplanerare:x:1000:1000:Hemlig Person:/home/planerare:/bin/bash\n",
            f", {TOP_TEXT}",
        ),
        (
            "ini",
            "[database]\npassword = HemligtLosenord42\nhost = db.region.se\n",
            ", line 2: this is not valid YAML (did not find expected <document start>)",
        ),
        ("json", '{"user": "admin", "password": "HemligtLosenord42"}\n', f": {NOT_A_PROFILE}"),
        ("env", "SECRET_KEY=abcdefgh123\nDB_PASSWORD=HemligtLosenord42\n", f", {TOP_TEXT}"),
        (
            "private key",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
            f", {TOP_TEXT}",
        ),
    ],
)
def test_a_system_file_given_as_profile_echoes_none_of_it(tmp_path, name, content, expected):
    path = tmp_path / f"{name}.yaml"
    path.write_text(content, encoding="utf-8")
    message = only_problem(path)
    assert message == f"{path}{expected}"
    assert not {s for s in secrets_of(content) if s in message.replace(str(path), "")}


def test_a_binary_file_says_what_was_expected(tmp_path):
    path = tmp_path / "bild.yaml"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    path.write_bytes(png)
    assert only_problem(path) == f"{path}, line 3: {BINARY}"  # \r\n, \n, then the zero byte


def test_a_message_quotes_at_most_a_short_part_of_the_offending_line(tmp_path):
    path = tmp_path / "lang.yaml"
    path.write_text(
        GOOD
        + "    k"
        + "x" * 300
        + ": 1\n"
        + "    distance_m: "
        + "z" * 300
        + "\n"
        + "    weight: 'light\n      SecondLineSecret'\n",
        encoding="utf-8",
    )
    keys = (
        "id, name_sv, name_en, layer, source, filter, agency, legal_basis, relation, distance_m, severity, "
        "advice_sv, advice_en, name_field, agency_field, id_field, withheld, nature, nature_for, advice_agreement_sv, advice_agreement_en"
    )
    assert [str(p) for p in problems_of(path)] == [
        f"{path}, line 9, key “agency_rules[1].k{'x' * 36}...”: unknown key; expected one of: {keys}",
        f"{path}, line 10, key “agency_rules[1].distance_m”: expected a number, found the text “{'z' * 37}...”",
        f"{path}, line 11, key “agency_rules[1].weight”: unknown key; expected one of: {keys}",
    ]


def test_a_text_folded_from_several_lines_is_not_quoted(tmp_path):
    path = tmp_path / "veck.yaml"
    path.write_text(
        "name: Test\nsectors:\n  - id: s\n    name_sv: S\n    layer: s\n"
        "    weight: 'light\n      SecondLineSecret'\n",
        encoding="utf-8",
    )
    assert only_problem(path) == (
        f"{path}, line 6, key “sectors[1].weight”: expected a number, found a text over several lines"
    )


@pytest.mark.slow
def test_validateprofile_on_a_shadow_file_prints_nothing_of_it(tmp_path):
    path = tmp_path / "shadow.yaml"
    path.write_text(SHADOW, encoding="utf-8")
    before = digest(path)
    results, printed, _ = validate_headless(path)
    assert (results["VALID"], results["PROBLEMS"]) == (False, f"{path}: {NOT_A_PROFILE}")
    leaked = {s for s in secrets_of(SHADOW) if s in printed.replace(str(path), "")}
    assert not leaked
    assert digest(path) == before


# --------------------------------------------------------------------------- 4. filters


@pytest.fixture
def protected_areas(tmp_path) -> Path:
    """A GeoPackage layer "skydd" with the fields OMRADESTYP and NAMN, written with GDAL alone."""
    from osgeo import ogr, osr

    path = tmp_path / "skydd.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    sweref = osr.SpatialReference()
    sweref.ImportFromEPSG(3006)
    layer = dataset.CreateLayer("skydd", sweref, ogr.wkbPolygon)
    for name in ("OMRADESTYP", "NAMN"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("OMRADESTYP", "SCI")
    feature.SetField("NAMN", "Kvismaren")
    feature.SetGeometry(
        ogr.CreateGeometryFromWkt("POLYGON((500000 6570000,501000 6570000,501000 6571000,500000 6570000))")
    )
    layer.CreateFeature(feature)
    dataset = None
    return path


def gpkg_field_names(path: Path, layer_name: str) -> list[str]:
    """The layer's fields as GDAL reads them (the FID column first, as QGIS shows it)."""
    from osgeo import ogr

    dataset = ogr.Open(str(path))
    layer = dataset.GetLayerByName(layer_name)
    definition = layer.GetLayerDefn()
    return [layer.GetFIDColumn()] + [
        definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())
    ]


def rule_profile(path: Path, filter_text: str, source: str | None = None) -> Path:
    where = f"    source: {source}\n" if source else "    layer: '*natura*'\n"
    text = (
        "name: Filtertest\nagency_rules:\n  - id: n2000\n    name_sv: Natura 2000\n"
        + where
        + RULE
        + f"    filter: {json.dumps(filter_text, ensure_ascii=False)}\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def filter_problem_texts(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_profile(path, check_filter=ProfileFilterCheck())
    return [str(p) for p in caught.value.problems]


def test_a_filter_with_a_syntax_error_is_a_problem_at_its_line(qgis_app, tmp_path):
    path = rule_profile(tmp_path / "syntax.yaml", "\"OMRADESTYP\" <> 'SPA' AND")
    assert load_profile(path).agency_rules[0].filter  # read without QGIS, the profile looked fine
    assert filter_problem_texts(path) == [
        f"{path}, line 9, key “agency_rules[1].filter”: the filter is not a valid QGIS expression: "
        "syntax error, unexpected end of file"
    ]


def test_a_filter_with_an_unknown_function_names_it(qgis_app, tmp_path):
    path = rule_profile(tmp_path / "funktion.yaml", 'lenght("NAMN") > 3')
    assert filter_problem_texts(path) == [
        f"{path}, line 9, key “agency_rules[1].filter”: the filter uses a function QGIS does not know: “lenght”"
    ]


def test_a_misspelled_field_is_named_with_the_fields_the_layer_has(qgis_app, tmp_path, protected_areas):
    before = digest(protected_areas)
    source = f"{protected_areas}|layername=skydd"
    path = rule_profile(tmp_path / "falt.yaml", "\"OMRADESTPY\" <> 'SPA'", source)
    fields = gpkg_field_names(protected_areas, "skydd")
    assert fields == ["fid", "OMRADESTYP", "NAMN"]
    assert filter_problem_texts(path) == [
        f"{path}, line 9, key “agency_rules[1].filter”: the filter refers to unknown field “OMRADESTPY” "
        f"(did you mean “OMRADESTYP”?); the layer has: {', '.join(fields)}"
    ]
    # the same field in other case is the field (QGIS looks fields up so), and a bare path
    # to the file stands for its layers
    for good in (source, str(protected_areas)):
        fine = rule_profile(tmp_path / "ratt.yaml", '"omradestyp" <> \'SPA\' AND "NAMN" IS NOT NULL', good)
        assert load_profile(fine, check_filter=ProfileFilterCheck()).agency_rules[0].filter
    assert digest(protected_areas) == before


def test_a_filter_naming_no_field_is_a_problem(qgis_app, tmp_path):
    path = rule_profile(tmp_path / "konstant.yaml", "'OMRADESTYP' = 'SPA'")
    assert filter_problem_texts(path) == [
        f"{path}, line 9, key “agency_rules[1].filter”: the filter names no field and chooses no feature at "
        "all; a field name is written in double quotes (\"TYP\"), a text in single quotes ('text')"
    ]


def test_filter_problems_is_usable_on_its_own(qgis_app):
    """The function the element check can call against the layer it actually reads."""
    assert filter_problems("\"typ\" = 'vårdcentral'", ["fid", "TYP", "namn"]) == []
    assert filter_problems("\"typ\" = 'vårdcentral'") == []
    assert filter_problems("\"tpy\" = 'x' OR \"namn\" = 'y'", ["TYP", "namn"]) == [
        "the filter refers to unknown field “tpy” (did you mean “TYP”?); the layer has: TYP, namn"
    ]
    assert filter_problems('"x" =', None) == [
        "the filter is not a valid QGIS expression: syntax error, unexpected end of file"
    ]
    assert filter_problems("$area > 1000 AND \"TYP\" = 'x'", ["TYP"]) == []


@pytest.mark.slow
def test_validateprofile_reports_a_misspelled_filter_field(tmp_path, protected_areas):
    before = digest(protected_areas)
    source = f"{protected_areas}|layername=skydd"
    bad = rule_profile(tmp_path / "fel.yaml", "\"OMRADESTPY\" <> 'SPA'", source)
    good = rule_profile(tmp_path / "ratt.yaml", "\"OMRADESTYP\" <> 'SPA'", source)
    profiles = {p: digest(p) for p in (bad, good)}

    results, _, _ = validate_headless(bad)
    assert (results["VALID"], results["PROBLEM_COUNT"]) == (False, 1)
    assert results["PROBLEMS"] == (
        f"{bad}, line 9, key “agency_rules[1].filter”: the filter refers to unknown field “OMRADESTPY” "
        "(did you mean “OMRADESTYP”?); the layer has: fid, OMRADESTYP, NAMN"
    )
    results, _, _ = validate_headless(good)
    assert (results["VALID"], results["PROBLEM_COUNT"], results["RULE_COUNT"]) == (True, 0, 1)
    assert digest(protected_areas) == before
    assert {p: digest(p) for p in profiles} == profiles


@pytest.mark.slow
def test_validateprofile_says_which_filters_it_could_not_check_without_the_password(
    tmp_path, startup_seconds
):
    source = "dbname='rus' host=127.0.0.1 user='planerare' password='HemligtLosen42' table=\"natur\".\"n2000\" (geom)"
    path = rule_profile(tmp_path / "postgis.yaml", "\"OMRADESTYP\" <> 'SPA'", json.dumps(source))
    results, printed, elapsed = validate_headless(path)
    assert results["VALID"] is True  # the syntax is right; the fields could not be looked up
    assert results["warnings"] == [
        "The fields a filter names were not checked against the layer “dbname='rus' host=127.0.0.1 "
        "user='planerare' password='***' table=\"natur\".\"n2000\" (geom)” (only a local file, given by its "
        "full path, is opened while validating); only the filter's syntax was."
    ]
    assert "HemligtLosen42" not in printed
    assert_prompt(elapsed, startup_seconds)  # nothing was connected to


# --------------------------------------------------------------------------- 5. fuzz

FUZZ = settings(
    max_examples=150,
    deadline=2000,  # ms per example: a hang or an expansion shows up here, not as a stuck run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


def load_bytes(data: bytes, check_filter=None):
    """load_profile on a real file holding ``data`` (the path a user would give)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        try:
            return load_profile(path, check_filter=check_filter), []
        except ProfileError as error:
            assert error.problems
            assert all(p.file == str(path) for p in error.problems)
            return None, [str(p).replace(str(path), "<file>") for p in error.problems]


@pytest.mark.timeout(60)
@FUZZ
@given(st.binary(max_size=600) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_fuzzed_files_give_only_profile_errors(data):
    load_bytes(data)


# One anchor per definition: a list of scalars and aliases to earlier anchors.
# -1 stands for the anchor just before (the nesting that makes bombs grow).
anchor_definitions = st.lists(
    st.lists(st.sampled_from([None, -1, -1, -1, 0, 1, 2, 3, 4, 5]), min_size=1, max_size=30),
    min_size=1,
    max_size=10,
) | st.lists(  # wide: many aliases of small anchors
    st.lists(st.sampled_from([None, 0, 0, 0, 0]), min_size=20, max_size=40),
    min_size=3,
    max_size=6,
)


@pytest.mark.timeout(60)
@FUZZ
@given(anchor_definitions)
def test_fuzzed_aliases_are_refused_exactly_beyond_the_limits(definitions):
    """Written out in document order by hand: alias count and values repeated, against the limits."""
    lines = ["name: fuzz", "description:"]
    sizes: list[int] = []
    count = expansion = 0
    expected = None
    for index, items in enumerate(definitions):
        parts, size = [], 1
        for item in items:
            item = index - 1 if item == -1 else item
            if item is None or item < 0 or item >= index:
                parts.append("x")
                size += 1
                continue
            parts.append(f"*a{item}")
            size += sizes[item]
            count += 1
            if expected is None and count > MAX_ALIASES:
                expected = (len(lines) + 1, "more than 100 aliases")
            elif expected is None:
                expansion += sizes[item]
                if expansion > MAX_ALIAS_EXPANSION:
                    expected = (len(lines) + 1, "the aliases (*name) repeat more than 10000 values")
        sizes.append(size)
        lines.append(f"  - &a{index} [{', '.join(parts)}]")
    _, problems = load_bytes(("\n".join(lines) + "\n").encode())
    event(expected[1] if expected else "read")
    if expected is None:
        # not refused: the profile is read and judged (a list is no description)
        assert problems == ["<file>, line 3, key “description”: expected a non-empty text, found a list"]
    else:
        line, words = expected
        assert len(problems) == 1 and problems[0].startswith(f"<file>, line {line}: {words}"), problems


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
expressions = st.text(alphabet="\"'()<>=!+-*/,.% abcTYP_0123456789ANDORNOTINULLåä$@|", max_size=40)
item_keys = st.sampled_from(
    ["id", "name_sv", "layer", "source", "filter", "agency", "legal_basis", "severity", "x"]
)


@pytest.mark.timeout(60)
@FUZZ
@given(
    st.fixed_dictionaries(
        {"name": yaml_scalars},
        optional={
            "sectors": st.lists(
                st.dictionaries(item_keys, yaml_values | expressions, max_size=6), max_size=3
            ),
            "agency_rules": st.lists(
                st.dictionaries(item_keys, yaml_values | expressions, max_size=8), max_size=3
            ),
            "version": yaml_values,
        },
    )
)
def test_fuzzed_profiles_through_validateprofiles_core_give_only_profile_errors(qgis_app, document):
    """load_profile with the filter check, as validateprofile runs it: random structures,
    random filter texts, random sources (nothing but local files is ever opened)."""
    text = yaml.safe_dump(document, allow_unicode=True)
    profile, problems = load_bytes(text.encode("utf-8", "surrogatepass"), ProfileFilterCheck())
    assert (profile is None) == bool(problems)


@pytest.mark.timeout(60)
@FUZZ
@given(expressions, st.none() | st.lists(st.text(max_size=12), max_size=6))
def test_fuzzed_filters_give_messages_not_errors(qgis_app, expression, fields):
    problems = filter_problems(expression, fields)
    assert all(isinstance(p, str) and p and "\n" not in p for p in problems)


def marked_lines(draw_kinds: list[tuple[str, str]]) -> list[str]:
    """A profile-ish file whose every line carries its own marker (mNm on line N)."""
    lines = ["name: Fuzz m1m", "agency_rules:", "  - id: r"]
    for key, kind in draw_kinds:
        n = len(lines) + 1
        value = {
            "text": f"t m{n}m",
            "long": "v" * 60 + f" m{n}m",
            "number": "12",
            "list": f"[a m{n}m, b]",
            "map": f"{{a: m{n}m}}",
            "folded": f"'first m{n}m\n      second m{n + 1}m'",
        }[kind]
        lines += f"    {key}: {value}".split("\n")
    return lines


@pytest.mark.timeout(60)
@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["name_sv", "weight", "severity", "relation", "distance_m", "layer", "filtre", "kxm"]
            ),
            st.sampled_from(["text", "long", "number", "list", "map", "folded"]),
        ),
        max_size=8,
        unique_by=lambda pair: pair[0],
    )
)
def test_no_message_quotes_another_line_than_its_own(kinds):
    lines = marked_lines(kinds)
    _, problems = load_bytes(("\n".join(lines) + "\n").encode())
    for problem in problems:
        found = re.findall(r"m\d+m", problem)
        line = re.match(r"<file>, line (\d+)", problem)
        assert not found or line, problem
        for marker in found:
            assert marker in lines[int(line.group(1)) - 1], problem
        assert not re.search(r"[v]{41}", problem), problem  # at most 40 characters of a value
