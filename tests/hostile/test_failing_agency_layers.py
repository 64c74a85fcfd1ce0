"""An agency layer that could not be fully read is class D with its reason, never "no conflict".

Each case is a way a hostile world hands the check an incomplete layer: an agency WFS 2.0 or
OGC API Features server (tests/servers.py, on localhost) that answers its feature requests
with an exception report under HTTP 200, with HTTP 500, with a body cut off or empty, with
fewer features than it says match, with no features or none with a geometry; a GeoPackage
that is empty or holds only empty geometries; a rule filter that does not parse, names a
field the layer lacks or picks nothing; the same layer given twice. Every test asserts the
exact reason on every element, that the run ends normally, and the log's closing count line;
the sound server's findings are checked against shapely.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from headless import qgis_process
from servers import agency_service
from shapely.geometry import Point, Polygon, box
from standing_notice import NOTICE_ID, without_notice

ALG = "rusplanner:checkelements"
X0, Y0 = 500_000, 6_500_000  # SWEREF 99 TM, in Örebro län
NEAR_M = 500  # the default profile's "near Natura 2000" distance
RULES = ("natura2000", "natura2000_omgivning")  # the default profile's two Natura 2000 rules

# Six Natura 2000 areas: one with a hole, one far off; fields as Naturvårdsverket names them.
FEATURES = [
    (
        box(X0, Y0, X0 + 1000, Y0 + 1000),
        {"OMRADESKOD": "SE0240001", "OMRADESNAMN": "Testmyren", "OMRADESTYP": "SCI"},
    ),
    (
        Polygon(
            [(X0 + 3000, Y0), (X0 + 4000, Y0), (X0 + 4000, Y0 + 1000), (X0 + 3000, Y0 + 1000)],
            [[(X0 + 3400, Y0 + 400), (X0 + 3600, Y0 + 400), (X0 + 3600, Y0 + 600), (X0 + 3400, Y0 + 600)]],
        ),
        {"OMRADESKOD": "SE0240002", "OMRADESNAMN": "Hålskogen", "OMRADESTYP": "SPA"},
    ),
    (
        Point(X0 + 1800, Y0 + 2500).buffer(400, quad_segs=16),
        {"OMRADESKOD": "SE0240003", "OMRADESNAMN": "Rundkärret", "OMRADESTYP": "SCI"},
    ),
    (
        box(X0 + 6000, Y0 + 3000, X0 + 7000, Y0 + 3500),
        {"OMRADESKOD": "SE0240004", "OMRADESNAMN": "Långängen", "OMRADESTYP": "SPA"},
    ),
    (
        box(X0 - 2000, Y0 - 2000, X0 - 1200, Y0 - 1500),
        {"OMRADESKOD": "SE0240005", "OMRADESNAMN": "Södra mossen", "OMRADESTYP": "SCI"},
    ),
    (
        box(X0 + 80_000, Y0 + 80_000, X0 + 81_000, Y0 + 81_000),
        {"OMRADESKOD": "SE0240006", "OMRADESNAMN": "Fjärran", "OMRADESTYP": "SCI"},
    ),
]
# RUS areas: overlapping, near (< 500 m), touching, and far from every Natura 2000 area.
ELEMENTS = {
    "halva": box(X0 + 500, Y0 + 200, X0 + 1500, Y0 + 800),
    "hålet": box(X0 + 3300, Y0 + 300, X0 + 3700, Y0 + 700),
    "nära": box(X0 + 2300, Y0 + 2300, X0 + 2600, Y0 + 2700),
    "granne": box(X0 + 7000, Y0 + 3000, X0 + 7500, Y0 + 3500),
    "ödemark": box(X0 + 30_000, Y0 + 30_000, X0 + 31_000, Y0 + 31_000),
}


# --------------------------------------------------------------------------- helpers


def _write(path: Path, geometries, layer: str, **columns) -> str:
    """A GeoPackage written by GDAL (not by the plugin)."""
    frame = gpd.GeoDataFrame(columns, geometry=list(geometries), crs="EPSG:3006")
    frame.to_file(path, layer=layer, engine="pyogrio")
    return f"{path}|layername={layer}"


def _digest(path: str) -> str:
    return hashlib.sha256(Path(path.split("|")[0]).read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _provider(rus_provider):
    return rus_provider


@pytest.fixture(scope="module")
def elements(tmp_path_factory):
    folder = tmp_path_factory.mktemp("elements")
    return _write(folder / "rus_omraden.gpkg", ELEMENTS.values(), "omraden", namn=list(ELEMENTS))


@pytest.fixture(scope="module")
def service():
    with agency_service(FEATURES) as server:
        yield server


class Log:
    """Everything the algorithm reports, in order (info and warnings alike)."""

    def __init__(self):
        from qgis.core import QgsProcessingFeedback

        log = self

        class _Feedback(QgsProcessingFeedback):
            def pushInfo(self, text):  # noqa: N802
                log.lines.append(text)
                super().pushInfo(text)

            def pushWarning(self, text):  # noqa: N802
                log.lines.append(text)
                log.warnings.append(text)
                super().pushWarning(text)

            def reportError(self, text, fatal=False):  # noqa: N802
                log.lines.append(text)
                super().reportError(text, fatal)

        self.lines: list[str] = []
        self.warnings: list[str] = []
        self.feedback = _Feedback()

    @property
    def last(self) -> str:
        """The algorithm's own last line (processing.run adds "Results: {...}" after it)."""
        return next(line for line in reversed(self.lines) if not line.startswith("Results: {"))


def run(tmp_path: Path, elements: str, agency_layers: list, name: str = "run", **extra):
    """checkelements through Processing: (findings, summary, log). An exception fails the test."""
    import processing
    from qgis.core import QgsVectorLayer

    log = Log()
    files = [elements] + [s for s in agency_layers if isinstance(s, str) and Path(s.split("|")[0]).is_file()]
    before = {path: _digest(path) for path in files}
    result = processing.run(
        ALG,
        {
            "ELEMENTS": [elements],
            "AGENCY_LAYERS": list(agency_layers),
            "TARGET_CRS": "EPSG:3006",
            "OUTPUT": str(tmp_path / f"{name}_findings.gpkg"),
            "SUMMARY": str(tmp_path / f"{name}_summary.gpkg"),
            **extra,
        },
        feedback=log.feedback,
    )
    assert {path: _digest(path) for path in files} == before, "an input file was modified"

    def rows(path):
        layer = QgsVectorLayer(path, "out", "ogr")
        assert layer.isValid(), path
        out = []
        for feature in layer.getFeatures():
            row = {n: feature[n] for n in layer.fields().names()}
            row = {k: (None if hasattr(v, "isNull") and v.isNull() else v) for k, v in row.items()}
            geometry = feature.geometry()
            row["geometry"] = None if geometry.isNull() else shapely.from_wkb(bytes(geometry.asWkb()))
            out.append(row)
        return out

    findings, summary = rows(result["OUTPUT"]), rows(result["SUMMARY"])
    if "PROFILE" not in extra:  # a test's own profile has no standing notices
        # The default profile's standing notice, checked and set aside: these tests are about the layers.
        findings, summary = without_notice(findings, summary)
    return findings, summary, log


def assert_class_d_everywhere(findings, summary, log, layer: str, reason: str, rules=RULES, total=1):
    """Every element has a class D finding per rule with exactly this reason, and nothing else for
    the layer; the summary names it; the log says so and ends with the count of unchecked layers."""
    note = f"Not checked: {reason}"
    mine = [f for f in findings if f["agency_layer"] == layer]
    assert sorted((f["element_name"], f["rule_id"]) for f in mine) == sorted(
        (element, rule) for element in ELEMENTS for rule in rules
    )
    assert {f["severity"] for f in mine} == {"D"}
    assert {f["note"] for f in mine} == {note}
    assert all(f["feature_fid"] is None for f in mine)
    assert {row["element_name"]: row["count_d"] for row in summary} == dict.fromkeys(ELEMENTS, len(rules))
    assert all(f"{layer}: {reason}" in row["not_checked"] for row in summary)
    assert any(reason in w and layer in w and "class D" in w for w in log.warnings), log.warnings
    assert log.last == f"Agency layers not checked: 1 of {total} – {layer}; their findings are class D."


def expected_findings(features):
    """The findings the default profile's Natura 2000 rules give, computed with shapely alone:
    (element, rule, OMRADESNAMN) → overlap area (A) or distance (C)."""
    expected = {}
    for element_name, element in ELEMENTS.items():
        for geometry, values in features:
            common = element.intersection(geometry)
            if common.area > 0:
                expected[(element_name, "natura2000", values["OMRADESNAMN"])] = common.area
            elif element.distance(geometry) <= NEAR_M:
                expected[(element_name, "natura2000_omgivning", values["OMRADESNAMN"])] = element.distance(
                    geometry
                )
    return expected


def assert_findings_right(findings, layer: str, tolerance: float, via_degrees: bool = False):
    """``via_degrees``: the features came in CRS84, and the round trip blurs the exact touch of
    "granne" and "Långängen" into either a sliver of overlap or a gap of a hair's breadth."""
    expected = expected_findings(FEATURES)
    mine = [f for f in findings if f["agency_layer"] == layer]
    got = {
        (f["element_name"], f["rule_id"], f["feature_name"]): (
            f["overlap_m2"] if f["rule_id"] == "natura2000" else f["distance_m"]
        )
        for f in mine
    }
    sliver = ("granne", "natura2000", "Långängen")
    if via_degrees and sliver in got:
        assert got.pop(sliver) < 0.01  # m²: 500 m of common edge, a few micrometres wide
        got[("granne", "natura2000_omgivning", "Långängen")] = 0.0
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=tolerance), key
    # The data exercises both rules, a hole, a touching pair and an element far from all.
    assert {rule for _, rule, _ in expected} == set(RULES)
    assert ("hålet", "natura2000", "Hålskogen") in expected
    assert expected[("granne", "natura2000_omgivning", "Långängen")] == 0.0
    assert not any(key[0] == "ödemark" for key in expected)
    assert {f["severity"] for f in mine} == {"A", "C"}
    assert {f["severity"] for f in mine if f["rule_id"] == "natura2000"} == {"A"}


# --------------------------------------------------------------------------- WFS 2.0.0


def wfs(service, mode: str) -> str:
    return "wfs://" + service.wfs_uri(mode)


def test_wfs_sound_server_findings_equal_shapely(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "ok")])
    assert_findings_right(findings, "natura2000", tolerance=1e-3)
    assert not any(f["severity"] == "D" for f in findings)
    assert all(row["not_checked"] is None for row in summary)
    assert log.last == "Agency layers not checked: none of 1."
    # A sound read asks the service nothing beyond what QGIS asks: not the plugin's own probe
    # (COUNT=1 without SRSNAME; QGIS 3.44 asks COUNT=1 with SRSNAME itself, for the geometry type).
    from rus_planner.rus_planner.qgis_io.web_services import probe_url

    probe = probe_url("WFS", service.wfs_uri("ok"))
    probe_path = probe[probe.index("/wfs/") :]
    assert "COUNT=1" in probe and "SRSNAME" not in probe
    assert probe_path not in service.requests, "\n".join(service.requests)


def test_wfs_exception_report_with_http_200(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "exception200")])
    reason = "the service answered with an exception report: Service WFS is disabled"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_wfs_http_500(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "http500")])
    reason = "the service answered HTTP 500: java.lang.OutOfMemoryError: Java heap space"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_wfs_truncated_body(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "truncated")])
    reason = "the service's answer broke off before its end (Connection closed)"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_wfs_empty_body(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "empty")])
    reason = "the service answered with an empty body (HTTP 200)"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_wfs_fewer_features_than_number_matched(service, elements, tmp_path):
    """The server stops at half its features and says numberMatched="6": the three it sent
    hold a conflict, but the layer as a whole was not checked."""
    findings, summary, log = run(tmp_path, elements, [wfs(service, "short")])
    reason = "the service delivered 3 of the 6 features it reports"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_wfs_with_no_features(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "nofeatures")])
    assert_class_d_everywhere(findings, summary, log, "natura2000", "the layer has 0 features")


def test_wfs_with_only_empty_geometries(service, elements, tmp_path):
    findings, summary, log = run(tmp_path, elements, [wfs(service, "emptygeom")])
    reason = "all 6 features of the layer have an empty geometry"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_wfs_read_box_by_box(service, elements, tmp_path):
    """With restrictToRequestBBOX QGIS asks for the box around the elements only: a sound server's
    findings are right, and a disabled one is still class D (an empty box is asked about)."""
    sound, _, log = run(tmp_path, elements, ["wfs://" + service.wfs_uri("ok", only_the_box=True)], name="ok")
    assert_findings_right(sound, "natura2000", tolerance=1e-3)
    assert log.last == "Agency layers not checked: none of 1."
    assert any("BBOX=" in r for r in service.feature_requests("wfs", "ok"))
    findings, summary, log = run(
        tmp_path, elements, ["wfs://" + service.wfs_uri("exception200", only_the_box=True)], name="failing"
    )
    reason = "the service answered with an exception report: Service WFS is disabled"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


# --------------------------------------------------------------------------- OGC API Features


def oapif(service, mode: str) -> str:
    return "oapif://" + service.oapif_uri(mode)


def test_oapif_sound_server_findings_equal_shapely(service, elements, tmp_path):
    """The items come in CRS84 and QGIS takes them back to SWEREF 99 TM: within a millimetre."""
    findings, summary, log = run(tmp_path, elements, [oapif(service, "ok")])
    assert_findings_right(findings, "natura2000", tolerance=0.01, via_degrees=True)
    assert not any(f["severity"] == "D" for f in findings)
    assert log.last == "Agency layers not checked: none of 1."


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (
            "exception200",
            "the service answered with an exception report: Service OGC API Features is disabled",
        ),
        ("http500", "the service answered HTTP 500: java.lang.OutOfMemoryError: Java heap space"),
        ("truncated", "the service's answer broke off before its end (Connection closed)"),
        ("empty", "the service answered with an empty body (HTTP 200)"),
        ("short", "the service delivered 3 of the 6 features it reports"),
        ("nofeatures", "the layer has 0 features"),
        ("emptygeom", "all 6 features of the layer have an empty geometry"),
    ],
)
def test_oapif_failing_server(service, elements, tmp_path, mode, reason):
    findings, summary, log = run(tmp_path, elements, [oapif(service, mode)])
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_oapif_failing_while_reading(service, elements, tmp_path):
    """The layer loads (QGIS's first small page answers), then every larger page gets HTTP 500:
    QGIS reads no feature; the service reports 6, and the provider's own error is quoted."""
    findings, summary, log = run(tmp_path, elements, [oapif(service, "pages500")])
    note = findings[0]["note"]
    prefix = "Not checked: the service delivered 0 of the 6 features it reports ("
    quoted = (
        f"{prefix}Download of items failed: Error transferring "
        f"{service.base}oapif/pages500/collections/natura2000/items - server replied: Internal Server Error"
    )
    # QGIS 3.40+ adds the start of the server's answer, which the note shortens with "…".
    assert note == quoted + ")" or (
        note.startswith(quoted + " Server response: ") and note.endswith("…)") and "OutOfMemoryE" in note
    ), note
    reason = note[len("Not checked: ") :]
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


# --------------------------------------------------------------------------- files: empty layers


def test_geopackage_with_no_features(elements, tmp_path):
    empty = _write(tmp_path / "natura2000.gpkg", [], "natura2000", OMRADESNAMN=[])
    findings, summary, log = run(tmp_path, elements, [empty])
    assert_class_d_everywhere(findings, summary, log, "natura2000", "the layer has 0 features")


def test_geopackage_with_only_empty_geometries(elements, tmp_path):
    empty = _write(
        tmp_path / "natura2000.gpkg",
        [None, Polygon(), None, Polygon()],
        "natura2000",
        OMRADESNAMN=["a", "b", "c", "d"],
    )
    findings, summary, log = run(tmp_path, elements, [empty])
    reason = "all 4 features of the layer have an empty geometry"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason)


def test_features_only_far_from_the_elements_are_no_conflict(elements, tmp_path):
    """0 features near the elements is an honest "no conflict", not class D."""
    far = [(g, v) for g, v in FEATURES if v["OMRADESNAMN"] == "Fjärran"]
    source = _write(
        tmp_path / "natura2000.gpkg",
        [g for g, _ in far],
        "natura2000",
        OMRADESNAMN=[v["OMRADESNAMN"] for _, v in far],
    )
    findings, summary, log = run(tmp_path, elements, [source])
    assert findings == []
    assert {row["worst_class"] for row in summary} == {None}
    assert log.last == "Agency layers not checked: none of 1."


@pytest.mark.slow
def test_postgis_gone_after_the_layer_was_opened(elements, tmp_path):
    """A database that stops after its layer was read once: QGIS's next read takes the pooled
    connection, gives no feature, raises nothing and records no provider error (or, once the
    pool has let the connection go, its iterator is invalid) — not an empty layer, class D."""
    from qgis.core import QgsVectorLayer
    from servers import postgis_server

    source = _write(
        tmp_path / "natura2000.gpkg",
        [g for g, _ in FEATURES],
        "natura2000",
        OMRADESNAMN=[v["OMRADESNAMN"] for _, v in FEATURES],
    )
    with postgis_server() as database:
        database.load(source.split("|")[0], "natura2000", "natura2000")
        layer = QgsVectorLayer(database.layer_uri("natura2000"), "natura2000", "postgres")
        assert layer.isValid() and layer.featureCount() == len(FEATURES)
        sound, _, _ = run(tmp_path, elements, [layer], name="up")
        assert len(sound) == len(expected_findings(FEATURES))
    findings, summary, log = run(tmp_path, elements, [layer], name="down")
    reasons = {
        "the layer reports 6 features, but reading it gave none",  # the pooled connection, gone bad
        "the layer “natura2000” could not be read: the connection to its data source failed",
    }
    (note,) = {f["note"] for f in findings}
    assert note.removeprefix("Not checked: ") in reasons
    assert_class_d_everywhere(findings, summary, log, "natura2000", note.removeprefix("Not checked: "))


# --------------------------------------------------------------------------- rule filters

FILTER_PROFILE = """
version: 1
name: Filters
agency_rules:
  - {id: sci, name_sv: SCI, layer: "*natura*", agency: NV, legal_basis: MB 7:28a, severity: A,
     name_field: OMRADESNAMN, filter: "\\"OMRADESTYP\\" = 'SCI'"}
  - {id: spa_lower_case, name_sv: SPA, layer: "*natura*", agency: NV, legal_basis: MB 7:28a, severity: A,
     name_field: OMRADESNAMN, filter: "\\"omradestyp\\" = 'SPA'"}
  - {id: unknown_field, name_sv: Okänt fält, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,
     severity: A, filter: "\\"OMRADESTYPX\\" = 'SPA'"}
  - {id: not_an_expression, name_sv: Trasigt, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,
     severity: A, filter: "\\"OMRADESTYP\\" = = 'SPA'"}
  - {id: picks_nothing, name_sv: Inget, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,
     severity: A, filter: "\\"OMRADESTYP\\" = 'SAC'"}
  - {id: far_only, name_sv: Fjärran, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,
     severity: A, filter: "\\"OMRADESNAMN\\" = 'Fjärran'"}
  - {id: constant_never, name_sv: Aldrig, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,
     severity: A, filter: "'OMRADESTYP' = 'SPA'"}
  - {id: constant_always, name_sv: Alltid, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,
     severity: B, name_field: OMRADESNAMN, filter: "1 = 1"}
"""


def test_rule_filters_that_cannot_select_are_class_d_and_the_others_are_checked(elements, tmp_path):
    profile = tmp_path / "filters.yaml"
    profile.write_text(FILTER_PROFILE, encoding="utf-8")
    source = _write(
        tmp_path / "natura2000.gpkg",
        [g for g, _ in FEATURES],
        "natura2000",
        **{key: [v[key] for _, v in FEATURES] for key in FEATURES[0][1]},
    )
    findings, summary, log = run(tmp_path, elements, [source], PROFILE=str(profile))
    d = {f["rule_id"]: set() for f in findings if f["severity"] == "D"}
    for f in findings:
        if f["severity"] == "D":
            d[f["rule_id"]].add((f["element_name"], f["note"]))
    assert set(d) == {"unknown_field", "not_an_expression", "picks_nothing", "constant_never"}
    for rule, pairs in d.items():
        assert {element for element, _ in pairs} == set(ELEMENTS), rule
        assert len({note for _, note in pairs}) == 1, rule
    notes = {rule: next(iter(pairs))[1] for rule, pairs in d.items()}
    # The words are validateprofile's (core.filters), here against the layer really read.
    assert notes["unknown_field"] == (
        "Not checked: the filter refers to unknown field “OMRADESTYPX” (did you mean “OMRADESTYP”?); "
        "the layer has: fid, OMRADESKOD, OMRADESNAMN, OMRADESTYP"
    )
    assert notes["not_an_expression"] == (
        "Not checked: the filter is not a valid QGIS expression: syntax error, unexpected EQ"
    )
    assert notes["constant_never"] == (
        "Not checked: the filter names no field and chooses no feature at all; a field name is "
        "written in double quotes (\"TYP\"), a text in single quotes ('text')"
    )
    assert notes["picks_nothing"] == "Not checked: the rule's filter picks none of the layer's 6 features"
    # A filter that keeps every feature filters nothing: its rule is checked on all of them, with a warning.
    everything = {
        (element_name, v["OMRADESNAMN"])
        for element_name, element in ELEMENTS.items()
        for g, v in FEATURES
        if element.intersection(g).area > 0
    }
    assert {
        (f["element_name"], f["feature_name"]) for f in findings if f["rule_id"] == "constant_always"
    } == everything
    assert any("1 = 1" in w and "keeps every feature" in w for w in log.warnings), log.warnings
    # The sound filters are checked as shapely says (a field name in another case included).
    for rule, kind in (("sci", "SCI"), ("spa_lower_case", "SPA")):
        picked = [(g, v) for g, v in FEATURES if v["OMRADESTYP"] == kind]
        expected = {
            (element_name, v["OMRADESNAMN"]): element.intersection(g).area
            for element_name, element in ELEMENTS.items()
            for g, v in picked
            if element.intersection(g).area > 0
        }
        got = {
            (f["element_name"], f["feature_name"]): f["overlap_m2"] for f in findings if f["rule_id"] == rule
        }
        assert set(got) == set(expected) and expected, rule
        for key, area in expected.items():
            assert got[key] == pytest.approx(area, rel=1e-9)
    # A filter that picks only features far from every element: no conflict, not class D.
    assert not [f for f in findings if f["rule_id"] == "far_only"]
    assert any("OMRADESTYPX" in w and "class D" in w for w in log.warnings)
    assert log.last == "Agency layers not checked: 1 of 1 – natura2000 (in part); their findings are class D."


def test_a_layer_whose_only_rule_has_a_broken_filter_is_not_checked_at_all(elements, tmp_path):
    profile = tmp_path / "one_rule.yaml"
    profile.write_text(
        "version: 1\nname: One rule\nagency_rules:\n"
        '  - {id: n2000, name_sv: Natura 2000, layer: "*natura*", agency: NV, legal_basis: MB 7:28a,\n'
        '     severity: A, filter: "\\"TYP\\" = \'SCI\'"}\n',
        encoding="utf-8",
    )
    source = _write(
        tmp_path / "natura2000.gpkg", [g for g, _ in FEATURES], "natura2000", OMRADESTYP=["SCI"] * 6
    )
    findings, summary, log = run(tmp_path, elements, [source], PROFILE=str(profile))
    reason = "the filter refers to unknown field “TYP”; the layer has: fid, OMRADESTYP"
    assert_class_d_everywhere(findings, summary, log, "natura2000", reason, rules=("n2000",))


# --------------------------------------------------------------------------- the same layer twice


def test_the_same_geopackage_twice_is_checked_once(elements, tmp_path):
    source = _write(
        tmp_path / "natura2000.gpkg",
        [g for g, _ in FEATURES],
        "natura2000",
        OMRADESNAMN=[v["OMRADESNAMN"] for _, v in FEATURES],
    )
    plain = source.split("|")[0]  # the file's only layer, named differently
    once, _, _ = run(tmp_path, elements, [source], name="once")
    twice, _, log = run(
        tmp_path, elements, [source, plain, str(tmp_path / "." / "natura2000.gpkg")], name="twice"
    )
    key = lambda f: (f["element_name"], f["rule_id"], f["feature_name"], f["overlap_m2"], f["distance_m"])  # noqa: E731
    assert sorted(map(key, twice)) == sorted(map(key, once))
    assert len(once) == len(expected_findings(FEATURES))
    duplicates = [w for w in log.warnings if "same data source" in w]
    assert len(duplicates) == 2, log.warnings
    assert log.last == "Agency layers not checked: none of 1."


def test_the_same_wfs_twice_is_checked_once(service, elements, tmp_path):
    """Written twice with other reading options (paging, version): one feature type, checked once."""
    other = service.wfs_uri("ok").replace("pagingEnabled='false'", "pagingEnabled='true'")
    findings, _, log = run(tmp_path, elements, [wfs(service, "ok"), "wfs://" + other])
    assert_findings_right(findings, "natura2000", tolerance=1e-3)
    assert len([w for w in log.warnings if "same data source" in w]) == 1


# --------------------------------------------------------------------------- qgis_process


@pytest.mark.slow
def test_qgis_process_exits_0_and_ends_with_the_count(service, elements, tmp_path):
    """The real binary: a disabled WFS and a sound file; exit code 0, class D in the output file,
    and the last line of its log counts the layer not checked."""
    good = _write(
        tmp_path / "riksintresse_kulturmiljovard.gpkg",
        [FEATURES[0][0]],
        "riksintresse_kulturmiljovard",
        namn=["Testbyn"],
    )
    output, summary = tmp_path / "bin_findings.gpkg", tmp_path / "bin_summary.gpkg"
    done = qgis_process(
        "run",
        ALG,
        "--",
        f"ELEMENTS={elements}",
        f"AGENCY_LAYERS={wfs(service, 'exception200')}",
        f"AGENCY_LAYERS={good}",
        "TARGET_CRS=EPSG:3006",
        "LANGUAGE=1",
        f"OUTPUT={output}",
        f"SUMMARY={summary}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # The algorithm's log is what stands before qgis_process's own "Results" block; a warning
    # reads "WARNING:<tab>text".
    own = done.stdout.split("\nResults\n")[0].splitlines()
    lines = [line.split("\t")[-1].strip() for line in own if line.strip() and not line.startswith("---")]
    assert lines[-1] == "Agency layers not checked: 1 of 2 – natura2000; their findings are class D.", lines
    findings = [f for f in without_notice(_rows(str(output))) if f["severity"] == "D"]
    assert len(findings) == 2 * len(ELEMENTS)
    assert {f["note"] for f in findings} == {
        "Not checked: the service answered with an exception report: Service WFS is disabled"
    }
    assert {f["agency_layer"] for f in _rows(str(output)) if f["severity"] == "B"} == {
        "riksintresse_kulturmiljovard"
    }


def _rows(path: str) -> list[dict]:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid(), path
    return [{n: feature[n] for n in layer.fields().names()} for feature in layer.getFeatures()]


# --------------------------------------------------------------------------- panel and reports


@pytest.fixture
def plugin(qgis_iface, qgis_processing):
    from panel_helpers import load_plugin
    from qgis.core import QgsProject

    QgsProject.instance().clear()
    plugin = load_plugin(qgis_iface)
    yield plugin
    if plugin.provider is not None:
        plugin.unload()
    QgsProject.instance().clear()


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("exception200", "the service answered with an exception report: Service WFS is disabled"),
        ("short", "the service delivered 3 of the 6 features it reports"),
    ],
)
def test_panel_shows_class_d_with_its_reason(plugin, service, elements, tmp_path, mode, reason):
    """The dock reads a snapshot in a background task, where the provider's own errors are out of
    reach: the same reason comes from the service itself, in the table and at the end of the log."""
    from panel_helpers import run_and_wait
    from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
    from qgis.PyQt.QtCore import Qt

    from rus_planner.rus_planner.ui.panel import LOG_TAG

    project = QgsProject.instance()
    project.setFileName(str(tmp_path / "panel.qgz"))
    areas = QgsVectorLayer(elements, "RUS-områden", "ogr")
    agency = QgsVectorLayer(service.wfs_uri(mode), "natura2000", "WFS")
    assert areas.isValid() and agency.isValid()
    project.addMapLayers([areas, agency])
    messages = []
    collect = lambda text, tag, level: messages.append(text) if tag == LOG_TAG else None  # noqa: E731
    QgsApplication.messageLog().messageReceived.connect(collect)
    try:
        dock = plugin.dock
        dock.set_layers([areas], [agency])
        run_and_wait(dock)
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(collect)
    # Two rules per element for the layer, and the default profile's standing notice.
    assert dock.counts() == {"A": 0, "B": 0, "C": 0, "D": 3 * len(ELEMENTS)}
    model = dock.model
    measure = model.COLUMNS.index("measure")
    notices = [row for row in range(model.rowCount()) if model.rows[row]["rule_id"] == NOTICE_ID]
    assert len(notices) == len(ELEMENTS)
    shown = {
        (
            model.data(model.index(row, model.COLUMNS.index("severity")), Qt.ItemDataRole.DisplayRole),
            model.data(model.index(row, measure), Qt.ItemDataRole.DisplayRole),
        )
        for row in range(model.rowCount())
        if row not in notices
    }
    assert shown == {("D", f"Not checked: {reason}")}
    assert messages[-1] == "Agency layers not checked: 1 of 1 – natura2000; their findings are class D."


def test_consultation_report_lists_class_d_with_its_reason(service, elements, tmp_path):
    import html
    import re

    import processing

    findings, _, _ = run(tmp_path, elements, [wfs(service, "http500")])
    reason = "the service answered HTTP 500: java.lang.OutOfMemoryError: Java heap space"
    result = processing.run(
        "rusplanner:consultationreport",
        {
            "FINDINGS": str(tmp_path / "run_findings.gpkg"),
            "ELEMENTS": [elements],
            "LANGUAGE": 1,
            "OUTPUT_FOLDER": str(tmp_path / "reports"),
        },
    )
    page = Path(result["HTML"]).read_text(encoding="utf-8")
    # Class D is named once per interest, agency and reason among the interests not checked, with
    # the elements it concerns (every element here), not in a row per element.
    rows = re.findall(r'<tr class="not-checked">(.*?)</tr>', page, re.DOTALL)
    cells = [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)] for row in rows]
    failed = [c for c in cells if c[2] == f"Not checked: {reason}"]
    assert {c[0] for c in failed} == {f["rule_name"] for f in findings}
    assert len(findings) == 2 * len(ELEMENTS)
    assert all(c[3] == f"all {len(ELEMENTS)} elements" for c in failed)
    notices = [c for c in cells if c[1] == "Försvarsmakten" and c[3] != "the whole run"]
    assert len(notices) == 1 and notices[0][3] == f"all {len(ELEMENTS)} elements"
    assert '<tr class="finding"' not in page  # no finding of class A–C: no element has a table
