"""rusplanner:checkelements against independent answers: hand-computed cases, brute-force
shapely on layers reprojected by QGIS's own native:reprojectlayer, real PostGIS and WFS
servers, and the real qgis_process binary."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from headless import qgis_process
from recording import recording_feedback
from servers import free_port, postgis_server, wfs_server, write_wfs_project
from shapely.geometry import LineString, Point, Polygon, box
from standing_notice import without_notice

ALG = "rusplanner:checkelements"
SQUARE = box(500_000, 6_500_000, 501_000, 6_501_000)  # 1 km² in SWEREF 99 TM, in Örebro län
X0, Y0 = 500_000, 6_500_000


# --------------------------------------------------------------------------- helpers


def write_layer(path: Path, geometries, crs="EPSG:3006", **columns) -> str:
    """A GeoPackage (or shapefile) written by GDAL, independent of the plugin."""
    frame = gpd.GeoDataFrame(
        columns or {"namn": [f"f{i}" for i in range(len(geometries))]}, geometry=list(geometries), crs=crs
    )
    frame.to_file(path, engine="pyogrio")
    return str(path)


def read_features(path: str) -> list[dict]:
    """An output layer as dicts with a shapely 'geometry'."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid(), path
    rows = []
    for feature in layer.getFeatures():
        row = {name: _plain(feature[name]) for name in layer.fields().names()}
        geometry = feature.geometry()
        row["geometry"] = shapely.from_wkb(bytes(geometry.asWkb())) if not geometry.isNull() else None
        rows.append(row)
    return rows


def _plain(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value


def run_check(
    tmp_path: Path, elements, agency_layers, profile=None, name="run", feedback=None, **extra
) -> tuple[list, list]:
    import processing

    parameters = {
        "ELEMENTS": list(elements),
        "AGENCY_LAYERS": list(agency_layers),
        "OUTPUT": str(tmp_path / f"{name}_findings.gpkg"),
        "SUMMARY": str(tmp_path / f"{name}_summary.gpkg"),
        **extra,
    }
    if profile:
        parameters["PROFILE"] = str(profile)
    result = processing.run(ALG, parameters, feedback=feedback)
    findings, summary = read_features(result["OUTPUT"]), read_features(result["SUMMARY"])
    if profile:  # a test's own profile has no standing notices
        return findings, summary
    # The default profile's standing notice, checked and set aside (test_missing_interests tests it).
    return without_notice(findings, summary)


def reproject_to_3006(source: str) -> list:
    """Geometries of a layer in EPSG:3006 via QGIS's native reprojection (not the plugin's reader)."""
    import processing
    from qgis.core import QgsVectorLayer

    out = processing.run(
        "native:reprojectlayer", {"INPUT": source, "TARGET_CRS": "EPSG:3006", "OUTPUT": "memory:"}
    )["OUTPUT"]
    if isinstance(out, str):
        out = QgsVectorLayer(out)
    rows = []
    for feature in out.getFeatures():
        geometry = shapely.from_wkb(bytes(feature.geometry().asWkb()))
        rows.append((feature.id(), shapely.make_valid(geometry) if not geometry.is_valid else geometry))
    return rows


@pytest.fixture(autouse=True)
def _provider(rus_provider):
    """Every test runs the algorithm through Processing."""
    return rus_provider


# --------------------------------------------------------------------------- (a) real data


@pytest.fixture(scope="module")
def real_elements(tmp_path_factory, shared_data):
    """Nodes (tätorter in Örebro län), corridors between the largest, and 3 km areas around them."""
    folder = tmp_path_factory.mktemp("real")
    towns = gpd.read_file(shared_data / "tatorter.gpkg", engine="pyogrio")
    towns = towns[towns["lan_code"] == "18"].sort_values("pop", ascending=False).reset_index(drop=True)
    nodes = write_layer(folder / "noder.gpkg", towns.geometry, namn=towns["name"].tolist())
    big = towns.head(6)
    pairs = list(itertools.combinations(range(len(big)), 2))
    corridors = write_layer(
        folder / "strak.gpkg",
        [LineString([big.geometry[a], big.geometry[b]]) for a, b in pairs],
        namn=[f"{big['name'][a]}–{big['name'][b]}" for a, b in pairs],
    )
    areas = write_layer(
        folder / "omraden.gpkg",
        [g.buffer(3000, quad_segs=16) for g in towns.head(15).geometry],
        namn=towns.head(15)["name"].tolist(),
    )
    return folder, [nodes, corridors, areas]


REAL_PROFILE = """
version: 1
name: Test profile with proximity
agency_rules:
  - {id: kultur, name_sv: Kultur, layer: "*riksintressen_kultur*", agency: RAÄ, legal_basis: MB 3:6, severity: B, name_field: namn}
  - {id: kultur_nara, name_sv: Nära kultur, layer: "*riksintressen_kultur*", agency: RAÄ, legal_basis: MB 3:6,
     severity: C, relation: within_distance, distance_m: 2000, name_field: namn}
  - {id: np, name_sv: Nationalpark, layer: "*nationalpark*", agency: NV, legal_basis: MB 7:2, severity: A}
  - {id: np_nara, name_sv: Nära nationalpark, layer: "*nationalpark*", agency: NV, legal_basis: MB 7:2, severity: C,
     relation: within_distance, distance_m: 5000}
  - {id: nm, name_sv: Naturminne, layer: "*naturminne*", agency: LST, legal_basis: MB 7:10, severity: A}
"""


def _expected_pairs(elements_by_id, features, distance=None):
    """Brute force over every pair: overlap by measure (area / length > 0, a point on or in),
    or proximity within the distance; no spatial index, no predicate shortcuts."""
    overlap, near = {}, {}
    for element_id, element in elements_by_id.items():
        for fid, feature in features:
            common = element.intersection(feature)
            dim = min(shapely.get_dimensions(element), shapely.get_dimensions(feature))
            if dim == 0:
                hit = element.intersects(feature)
            elif dim == 1:
                hit = common.length > 0
            else:
                hit = common.area > 0
            if hit:
                overlap[(element_id, fid)] = common
            elif distance is not None and element.distance(feature) <= distance:
                near[(element_id, fid)] = element.distance(feature)
    return overlap, near


def test_real_data_matches_brute_force(real_elements, shared_data, tmp_path):
    """Pairs, areas, lengths and distances on real Swedish data equal an independent computation."""
    folder, element_paths = real_elements
    profile = tmp_path / "profile.yaml"
    profile.write_text(REAL_PROFILE, encoding="utf-8")
    agency = {
        "riksintressen_kulturmiljo": (str(shared_data / "riksintressen_kulturmiljo.gpkg"), 2000),
        "nvr_nationalparker": (str(shared_data / "nvr_nationalparker.gpkg"), 5000),
        "naturminne_polygon": (
            str(shared_data / "nvr_naturminne.gpkg") + "|layername=naturminne_polygon",
            None,
        ),
    }
    findings, summary = run_check(tmp_path, element_paths, [s for s, _ in agency.values()], profile=profile)

    elements = {}
    for path in element_paths:
        layer = Path(path).stem
        for fid, geometry in reproject_to_3006(path):
            elements[f"{layer}:{fid}"] = geometry
    assert len(summary) == len(elements)

    total_overlaps = 0
    for layer_name, (source, distance) in agency.items():
        features = reproject_to_3006(source)
        overlap, near = _expected_pairs(elements, features, distance)
        got = [f for f in findings if f["agency_layer"] == layer_name]
        got_overlap = {(f["element_id"], f["feature_fid"]): f for f in got if f["relation"] == "overlap"}
        got_near = {(f["element_id"], f["feature_fid"]): f for f in got if f["relation"] == "within_distance"}
        assert set(got_overlap) == set(overlap), layer_name
        assert set(got_near) == set(near), layer_name
        total_overlaps += len(overlap)
        for key, common in overlap.items():
            finding = got_overlap[key]
            element = elements[key[0]]
            if element.geom_type.endswith("Polygon"):
                assert finding["overlap_m2"] == pytest.approx(common.area, rel=1e-6)
                assert finding["element_share"] == pytest.approx(common.area / element.area, rel=1e-6)
            elif element.geom_type.endswith("LineString"):
                assert finding["overlap_length_m"] == pytest.approx(common.length, rel=1e-6)
                assert finding["element_share"] == pytest.approx(common.length / element.length, rel=1e-6)
            else:
                assert finding["element_share"] == 1.0
            assert finding["distance_m"] == 0.0
        for key, expected_distance in near.items():
            assert abs(got_near[key]["distance_m"] - expected_distance) < 1e-3
    # The data must exercise every kind of finding, or the comparison proves little.
    assert total_overlaps >= 10
    relations = {(f["element_layer"], f["relation"]) for f in findings}
    assert {("noder", "overlap"), ("strak", "overlap"), ("omraden", "overlap")} <= relations
    assert ("noder", "within_distance") in relations
    assert {f["agency_layer"] for f in findings if f["relation"] == "overlap"} >= {
        "riksintressen_kulturmiljo",
        "nvr_nationalparker",
    }


def test_findings_carry_the_agencys_own_ids(real_elements, shared_data, tmp_path):
    """Every finding names the agency feature by the agency's own id (domain.md: NVRID, ri_id...):
    the rule's id_field where it names one, else a common one; read independently by GDAL."""
    folder, element_paths = real_elements
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        REAL_PROFILE.replace("name_field: namn}", "name_field: namn, id_field: RI_ID}"), "utf-8"
    )
    sources = {
        "riksintressen_kulturmiljo": (shared_data / "riksintressen_kulturmiljo.gpkg", None, "ri_id"),
        "nvr_nationalparker": (shared_data / "nvr_nationalparker.gpkg", None, "NVRID"),
        "naturminne_polygon": (shared_data / "nvr_naturminne.gpkg", "naturminne_polygon", "NVRID"),
    }
    paths = [str(path) + (f"|layername={layer}" if layer else "") for path, layer, _ in sources.values()]
    findings, _ = run_check(tmp_path, element_paths, paths, profile=profile)
    checked = set()
    for layer_name, (path, layer, field) in sources.items():
        table = gpd.read_file(path, layer=layer, engine="pyogrio", fid_as_index=True)
        for finding in (f for f in findings if f["agency_layer"] == layer_name):
            assert finding["agency_id"] == str(table.loc[finding["feature_fid"], field]), finding
            checked.add(layer_name)
    assert checked == {"riksintressen_kulturmiljo", "nvr_nationalparker"} or checked == set(sources)
    assert sum(1 for f in findings if f["agency_id"]) >= 10


def test_real_data_against_native_extract_by_location(real_elements, shared_data, tmp_path):
    """The areas that overlap a riksintresse are the ones QGIS's extract by location picks
    with the same meaning of overlap (intersects, but not only touches)."""
    import processing

    folder, element_paths = real_elements
    source = str(shared_data / "riksintressen_kulturmiljo.gpkg")
    findings, _ = run_check(tmp_path, [element_paths[2]], [source])
    reported = {f["element_name"] for f in findings if f["severity"] == "B"}
    intersects = processing.run(
        "native:extractbylocation",
        {"INPUT": element_paths[2], "PREDICATE": [0], "INTERSECT": source, "OUTPUT": "memory:"},
    )["OUTPUT"]
    touches = processing.run(
        "native:extractbylocation",
        {"INPUT": element_paths[2], "PREDICATE": [4], "INTERSECT": source, "OUTPUT": "memory:"},
    )["OUTPUT"]
    native = {f["namn"] for f in intersects.getFeatures()} - {f["namn"] for f in touches.getFeatures()}
    assert reported == native
    assert reported


# --------------------------------------------------------------------------- (b) hand-checked cases


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    """A 1 km Natura 2000 square, a 1 km riksintresse square and elements placed by hand."""
    folder = tmp_path_factory.mktemp("hand")
    layers = {
        "natura2000": write_layer(
            folder / "natura2000.gpkg", [SQUARE], OMRADESNAMN=["Testmyren"], OMRADESKOD=["SE0240001"]
        ),
        "ri": write_layer(folder / "riksintresse_kulturmiljovard.gpkg", [SQUARE], namn=["Testbyn"]),
        "nodes": write_layer(
            folder / "noder.gpkg",
            [
                Point(X0 + 1499, Y0 + 500),  # 499 m east of the square
                Point(X0 + 1501, Y0 + 500),  # 501 m east
                Point(X0 + 1000, Y0 + 500),  # on the boundary
                Point(X0 + 500, Y0 + 500),  # inside
            ],
            namn=["499 m", "501 m", "gräns", "inne"],
        ),
        "corridor": write_layer(
            folder / "strak.gpkg",
            [LineString([(X0 - 500, Y0 + 500), (X0 + 1500, Y0 + 500)])],
            namn=["Tvärstråket"],
        ),
        "areas": write_layer(
            folder / "omraden.gpkg",
            [box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000), box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)],
            namn=["granne", "halva"],
        ),
    }
    return folder, layers


def _by_name(findings, element_name, rule_id=None):
    return [
        f
        for f in findings
        if f["element_name"] == element_name and (rule_id is None or f["rule_id"] == rule_id)
    ]


def test_corridor_crossing_riksintresse_length_share(hand, tmp_path):
    _, layers = hand
    findings, summary = run_check(tmp_path, [layers["corridor"]], [layers["ri"]])
    (finding,) = findings
    # 2,000 m corridor, 1,000 m of it inside the square: half its length, none of the square's area.
    assert finding["rule_id"] == "ri_kulturmiljo"
    assert finding["severity"] == "B"
    assert finding["overlap_length_m"] == pytest.approx(1000.0, abs=1e-6)
    assert finding["element_share"] == pytest.approx(0.5, abs=1e-9)
    assert finding["feature_share"] == 0.0
    assert finding["overlap_m2"] is None
    assert finding["feature_name"] == "Testbyn"
    assert finding["agency"] == "Riksantikvarieämbetet / länsstyrelsen"
    assert finding["legal_basis"] == "MB 3 kap 6 §"
    assert finding["advice"].startswith("Läs riksintressebeskrivningen")
    assert finding["element_type"] == "Stråk"
    assert finding["geometry"].length == pytest.approx(1000.0, abs=1e-6)  # the affected part
    assert "riksintresse_kulturmiljovard.gpkg" in finding["data_source"]
    assert finding["data_date"] and len(finding["data_date"]) == 10
    (row,) = summary
    assert (row["worst_class"], row["count_b"], row["findings"]) == ("B", 1, 1)
    assert row["agencies"] == "Riksantikvarieämbetet / länsstyrelsen"


def test_findings_in_english(hand, tmp_path):
    """LANGUAGE=1 takes the profile's English texts (read here straight from its YAML)."""
    import yaml

    profile = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "resources/profiles/default_sv.yaml").read_text("utf-8")
    )
    rule = next(r for r in profile["agency_rules"] if r["id"] == "ri_kulturmiljo")
    corridor = next(t for t in profile["element_types"] if t["id"] == "strak")
    _, layers = hand
    findings, _ = run_check(tmp_path, [layers["corridor"]], [layers["ri"]], LANGUAGE=1)
    (finding,) = findings
    assert (finding["rule_name"], finding["advice"]) == (rule["name_en"], rule["advice_en"])
    assert finding["element_type"] == corridor["name_en"] == "Corridor"
    assert finding["overlap_length_m"] == pytest.approx(1000.0, abs=1e-6)


def test_nodes_499_and_501_m_point_on_boundary_and_inside(hand, tmp_path):
    _, layers = hand
    findings, summary = run_check(tmp_path, [layers["nodes"]], [layers["natura2000"]])
    near = _by_name(findings, "499 m")
    assert [(f["rule_id"], f["severity"]) for f in near] == [("natura2000_omgivning", "C")]
    assert near[0]["distance_m"] == pytest.approx(499.0, abs=1e-3)
    assert near[0]["feature_name"] == "Testmyren"
    assert _by_name(findings, "501 m") == []
    # A node on the boundary overlaps (class A); its proximity finding on the same pair is suppressed.
    boundary = _by_name(findings, "gräns")
    assert [(f["rule_id"], f["severity"], f["element_share"]) for f in boundary] == [("natura2000", "A", 1.0)]
    inside = _by_name(findings, "inne")
    assert [(f["rule_id"], f["severity"]) for f in inside] == [("natura2000", "A")]
    worst = {row["element_name"]: row["worst_class"] for row in summary}
    assert worst == {"499 m": "C", "501 m": None, "gräns": "A", "inne": "A"}


def test_polygons_touching_along_an_edge_do_not_overlap(hand, tmp_path):
    _, layers = hand
    findings, _ = run_check(tmp_path, [layers["areas"]], [layers["natura2000"], layers["ri"]])
    neighbour = _by_name(findings, "granne")
    # Touching: no overlap finding on either layer, only "within 500 m" at distance 0.
    assert [(f["rule_id"], f["distance_m"]) for f in neighbour] == [("natura2000_omgivning", 0.0)]
    half = _by_name(findings, "halva")
    assert sorted((f["rule_id"], f["severity"]) for f in half) == [
        ("natura2000", "A"),
        ("ri_kulturmiljo", "B"),
    ]
    for finding in half:
        assert finding["overlap_m2"] == pytest.approx(500_000.0, rel=1e-9)
        assert finding["element_share"] == pytest.approx(0.5, rel=1e-9)
        assert finding["feature_share"] == pytest.approx(0.5, rel=1e-9)
        assert finding["geometry"].area == pytest.approx(500_000.0, rel=1e-9)


def test_agency_layer_in_wgs84(hand, tmp_path):
    """A Natura 2000 layer in EPSG:4326 (reprojected by GDAL) gives the same half overlap."""
    folder, layers = hand
    wgs84 = gpd.GeoDataFrame({"OMRADESNAMN": ["Testmyren"]}, geometry=[SQUARE], crs="EPSG:3006").to_crs(
        "EPSG:4326"
    )
    path = tmp_path / "natura2000_wgs84.gpkg"
    wgs84.to_file(path, engine="pyogrio")
    findings, _ = run_check(tmp_path, [layers["areas"]], [str(path)])
    (half,) = [f for f in findings if f["element_name"] == "halva" and f["relation"] == "overlap"]
    assert half["overlap_m2"] == pytest.approx(500_000.0, rel=1e-6)
    assert half["severity"] == "A"


def test_layer_without_crs_gives_class_d(hand, tmp_path):
    _, layers = hand
    shapefile = tmp_path / "naturreservat_utan_crs.shp"
    with pytest.warns(UserWarning, match="crs"):  # GDAL's warning is exactly the point here
        gpd.GeoDataFrame({"NAMN": ["Utan CRS"]}, geometry=[SQUARE]).to_file(shapefile, engine="pyogrio")
    assert not shapefile.with_suffix(".prj").exists()
    findings, summary = run_check(tmp_path, [layers["nodes"]], [str(shapefile)])
    assert len(findings) == 4
    assert {(f["severity"], f["rule_id"]) for f in findings} == {("D", "naturreservat")}
    assert all("coordinate reference system" in f["note"] for f in findings)
    assert all(f["feature_fid"] is None for f in findings)
    assert {row["worst_class"] for row in summary} == {"D"}


def test_mislabelled_crs_gives_class_d(hand, shared_data, tmp_path):
    _, layers = hand
    source = str(shared_data / "kommuner_sweref99tm_no_crs_member.geojson")
    findings, _ = run_check(tmp_path, [layers["corridor"]], [source])
    (finding,) = findings
    assert finding["severity"] == "D"
    assert "cannot be in that CRS" in finding["note"]


def test_unreachable_wfs_and_invalid_layer_give_class_d_and_the_run_finishes(hand, tmp_path):
    from qgis.core import QgsVectorLayer

    _, layers = hand
    port = free_port()  # nothing listens here
    unreachable = f"wfs://url=http://127.0.0.1:{port}/ typename=natura2000 version=1.1.0"
    broken = QgsVectorLayer(str(tmp_path / "missing_vattenskydd.gpkg"), "vattenskydd", "ogr")
    assert not broken.isValid()
    findings, summary = run_check(tmp_path, [layers["nodes"]], [unreachable, broken, layers["ri"]])
    d = [f for f in findings if f["severity"] == "D"]
    # Natura 2000 has two rules (overlap, within 500 m): 2 × 4 nodes; water protection two
    # (the strict zones, the secondary and tertiary zones): 2 × 4.
    assert sorted({(f["agency_layer"], f["rule_id"]) for f in d}) == [
        ("natura2000", "natura2000"),
        ("natura2000", "natura2000_omgivning"),
        ("vattenskydd", "vattenskyddsomrade"),
        ("vattenskydd", "vattenskyddsomrade_sekundar_tertiar"),
    ]
    assert len(d) == 16
    # The working layer is still checked.
    assert {f["element_name"] for f in findings if f["severity"] == "B"} == {"gräns", "inne"}
    assert all(row["count_d"] == 4 for row in summary)


def test_wfs_that_never_answers_times_out_as_class_d(hand, tmp_path):
    """A server that accepts the connection and then says nothing: QGIS gives up after its
    network time-out, and the layer is class D for every node, not "no conflict"."""
    import socket
    import threading

    from qgis.core import QgsNetworkAccessManager

    _, layers = hand
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept_and_hold():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    previous = QgsNetworkAccessManager.timeout()
    QgsNetworkAccessManager.setTimeout(1500)
    try:
        silent = f"wfs://url=http://127.0.0.1:{listener.getsockname()[1]}/ typename=natura2000 version=1.1.0"
        findings, _ = run_check(tmp_path, [layers["nodes"]], [silent])
    finally:
        QgsNetworkAccessManager.setTimeout(previous)
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()
    assert held, "QGIS never connected to the silent server"
    assert len(findings) == 8  # two Natura 2000 rules × four nodes
    assert {f["severity"] for f in findings} == {"D"}


def test_invalid_and_empty_agency_geometries_are_repaired_and_counted(hand, tmp_path):
    """A self-intersecting (bow-tie) Natura 2000 polygon is repaired as shapely's make_valid
    repairs it, an empty one is skipped, and the log says so."""
    from shapely import wkt

    _, layers = hand
    bowtie = wkt.loads(
        f"POLYGON(({X0} {Y0}, {X0 + 1000} {Y0 + 1000}, {X0 + 1000} {Y0}, {X0} {Y0 + 1000}, {X0} {Y0}))"
    )
    assert not bowtie.is_valid
    path = write_layer(
        tmp_path / "natura2000_trasig.gpkg", [bowtie, Polygon()], OMRADESNAMN=["Fjärilen", "Tom"]
    )
    feedback = recording_feedback()
    findings, _ = run_check(tmp_path, [layers["areas"]], [path], feedback=feedback)
    (half,) = [f for f in findings if f["element_name"] == "halva" and f["relation"] == "overlap"]
    expected = box(X0 + 500, Y0, X0 + 1500, Y0 + 1000).intersection(shapely.make_valid(bowtie)).area
    assert half["overlap_m2"] == pytest.approx(expected, rel=1e-9)
    assert half["overlap_m2"] == pytest.approx(250_000.0, rel=1e-9)  # the east triangle of the bow tie
    assert any("1 invalid geometries were repaired" in w for w in feedback.warnings)
    assert any("1 features with empty geometry were skipped" in w for w in feedback.warnings)


def test_cancel_stops_the_check():
    from rus_planner.rus_planner.core.check import check_elements
    from rus_planner.rus_planner.core.check_model import AgencyLayer, ElementSet
    from rus_planner.rus_planner.core.errors import Cancelled
    from rus_planner.rus_planner.core.geometry import LayerData
    from rus_planner.rus_planner.core.profile_load import load_default_profile

    class Cancelling:
        def isCanceled(self):  # noqa: N802
            return True

        def setProgress(self, value):  # noqa: N802
            pass

    rule = load_default_profile().rules_for_layer("natura2000")[0]
    data = LayerData("n", "", "polygon", np.array([SQUARE], dtype=object), np.array([1]))
    layer = AgencyLayer("natura2000", "", None, (rule,), {None: data})
    elements = ElementSet(np.array([SQUARE], dtype=object), ["e"], [1], ["x"], ["Område"])
    with pytest.raises(Cancelled):
        check_elements(elements, [layer], feedback=Cancelling())


def test_withheld_rule_gives_class_d(hand, tmp_path):
    _, layers = hand
    profile = tmp_path / "withheld.yaml"
    profile.write_text(
        "version: 1\nname: Hemlig\nagency_rules:\n"
        "  - {id: hemlig, name_sv: Totalförsvar, layer: '*natura*', agency: Försvarsmakten, "
        "legal_basis: MB 3:9, severity: A, withheld: true}\n",
        encoding="utf-8",
    )
    findings, _ = run_check(tmp_path, [layers["nodes"]], [layers["natura2000"]], profile=profile)
    assert [(f["severity"], f["rule_id"]) for f in findings] == [("D", "hemlig")] * 4
    assert all("withheld" in f["note"] for f in findings)


def test_unmatched_layer_gets_generic_overlap_rule(hand, tmp_path):
    folder, layers = hand
    other = write_layer(tmp_path / "kommunens_egna_intressen.gpkg", [SQUARE], namn=["Eget"])
    findings, _ = run_check(tmp_path, [layers["areas"]], [other])
    (finding,) = findings
    assert (finding["rule_id"], finding["severity"], finding["element_name"]) == (
        "generic_overlap",
        "B",
        "halva",
    )
    assert "kommunens_egna_intressen" in finding["rule_name"]


def _swedish_in_ts(source: str) -> str:
    """The committed Swedish translation of a source string, read from the .ts itself."""
    import xml.etree.ElementTree as ET

    ts = Path(__file__).resolve().parent.parent / "i18n" / "rus_planner_sv.ts"
    for message in ET.parse(ts).getroot().iter("message"):
        if message.findtext("source") == source:
            return message.findtext("translation")
    raise AssertionError(f"not in the .ts: {source}")


@pytest.mark.parametrize("qgis_runs_in", ["sv", "en"])
def test_generic_rule_speaks_the_language_asked_for(hand, tmp_path, qgis_runs_in):
    """LANGUAGE decides the generic rule's name and advice, not the language QGIS runs in."""
    from rus_planner.rus_planner import i18n

    _, layers = hand
    other = write_layer(tmp_path / "kommunens_egna_intressen.gpkg", [SQUARE], namn=["Eget"])
    advice = (
        "The profile has no rule for this layer. Find out which agency is responsible and how the "
        "interest is protected."
    )
    translator = i18n.install_translator("sv") if qgis_runs_in == "sv" else None
    try:
        if qgis_runs_in == "sv":
            assert translator is not None and i18n.tr(advice) != advice  # QGIS really speaks Swedish
        (swedish,), _ = run_check(tmp_path, [layers["areas"]], [other], name="sv", LANGUAGE=0)
        (english,), _ = run_check(tmp_path, [layers["areas"]], [other], name="en", LANGUAGE=1)
    finally:
        i18n.remove_translator(translator)
    assert english["rule_name"] == "Overlap with kommunens_egna_intressen"
    assert english["advice"] == advice
    assert swedish["rule_name"] == _swedish_in_ts("Overlap with {layer}").format(
        layer="kommunens_egna_intressen"
    )
    assert swedish["advice"] == _swedish_in_ts(advice)
    assert swedish["rule_name"] != english["rule_name"]


def test_mixed_element_kinds_write_one_geopackage_layer(hand, tmp_path):
    """A file keeps each finding's own kind, with its CRS, one sub-layer per type in QGIS."""
    from qgis.core import QgsVectorLayer

    _, layers = hand
    feedback = recording_feedback()
    findings, summary = run_check(
        tmp_path, [layers["nodes"], layers["corridor"], layers["areas"]], [layers["ri"]], feedback=feedback
    )
    assert any("one layer per geometry type" in w for w in feedback.warnings)
    kinds = {f["geometry"].geom_type for f in findings}
    assert kinds == {"MultiPoint", "MultiLineString", "MultiPolygon"}
    assert len(summary) == 4 + 1 + 2
    path = tmp_path / "run_findings.gpkg"
    whole = QgsVectorLayer(str(path), "findings", "ogr")
    assert whole.crs().authid() == "EPSG:3006"
    for geometry_type, kind in (
        ("Point", "MultiPoint"),
        ("LineString", "MultiLineString"),
        ("Polygon", "MultiPolygon"),
    ):
        part = QgsVectorLayer(f"{path}|geometrytype={geometry_type}", geometry_type, "ogr")
        assert part.isValid()
        assert part.crs().authid() == "EPSG:3006"
        # All the file's rows, the standing notice's (one per element) included.
        expected = sum(1 for f in read_features(str(path)) if f["geometry"].geom_type == kind)
        assert part.featureCount() == expected > 0


def test_mixed_element_kinds_in_memory_are_collections(hand):
    """A memory layer cannot hold a generic geometry type: collections keep every finding."""
    import processing

    _, layers = hand
    feedback = recording_feedback()
    result = processing.run(
        ALG,
        {
            "ELEMENTS": [layers["nodes"], layers["corridor"], layers["areas"]],
            "AGENCY_LAYERS": [layers["ri"]],
            "OUTPUT": "memory:",
            "SUMMARY": "memory:",
        },
        feedback=feedback,
    )
    assert any("geometry collections" in w for w in feedback.warnings)
    geometries = [shapely.from_wkb(bytes(f.geometry().asWkb())) for f in result["OUTPUT"].getFeatures()]
    assert {g.geom_type for g in geometries} == {"GeometryCollection"}
    assert {p.geom_type for g in geometries for p in shapely.get_parts(g)} == {
        "Point",
        "LineString",
        "Polygon",
    }


def test_geographic_target_crs_is_refused(hand, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    _, layers = hand
    with pytest.raises(QgsProcessingException, match="geographic"):
        processing.run(
            ALG,
            {
                "ELEMENTS": [layers["nodes"]],
                "AGENCY_LAYERS": [layers["ri"]],
                "TARGET_CRS": "EPSG:4326",
                "OUTPUT": "memory:",
                "SUMMARY": "memory:",
            },
        )


def test_severity_style(hand, tmp_path):
    from qgis.core import QgsRenderContext, QgsVectorLayer

    from rus_planner.rus_planner.processing.styles import SeverityStyler

    _, layers = hand
    findings, _ = run_check(tmp_path, [layers["areas"]], [layers["natura2000"]], name="style")
    layer = QgsVectorLayer(str(tmp_path / "style_findings.gpkg"), "findings", "ogr")
    SeverityStyler("severity").postProcessLayer(layer, None, None)
    renderer = layer.renderer()
    labels = [rule.label() for rule in renderer.rootRule().children()]
    assert [label[0] for label in labels] == ["A", "B", "C", "D"]
    # Drawn D first and A last, so the worst class is on top where findings share a geometry.
    assert renderer.orderByEnabled()
    (clause,) = renderer.orderBy().list()
    assert (clause.expression().expression(), clause.ascending()) == ('"severity"', False)
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    colours = {
        f["severity"]: renderer.symbolsForFeature(f, context)[0].color().name() for f in layer.getFeatures()
    }
    renderer.stopRender(context)
    # D: the default profile's standing notice (Försvarsmakten's classified riksintressen).
    assert colours == {"A": "#d6336a", "C": "#ffee33", "D": "#a3bcc6"}


def test_outputs_are_styled_by_severity_when_loaded(hand, tmp_path, layer_tree_view):
    """Through Processing's own load-on-completion: the post-processor colours both outputs."""
    import processing
    from qgis.core import QgsProject

    _, layers = hand
    project = QgsProject.instance()
    before = set(project.mapLayers())
    processing.runAndLoadResults(
        ALG,
        {
            "ELEMENTS": [layers["areas"]],
            "AGENCY_LAYERS": [layers["natura2000"]],
            "OUTPUT": str(tmp_path / "loaded_findings.gpkg"),
            "SUMMARY": str(tmp_path / "loaded_summary.gpkg"),
        },
    )
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    try:
        assert len(added) == 2
        for layer in added:
            rules = layer.renderer().rootRule().children()
            assert [rule.label()[0] for rule in rules] == ["A", "B", "C", "D"]
            field = "severity" if "severity" in layer.fields().names() else "worst_class"
            assert all(f'"{field}"' in rule.filterExpression() for rule in rules)
    finally:
        project.removeMapLayers([layer.id() for layer in added])


# --------------------------------------------------------------------------- (c) PostGIS and WFS


def _comparable(findings):
    return sorted(
        (
            f["element_id"],
            f["rule_id"],
            f["feature_name"],
            round(f["overlap_m2"] or 0.0, 3),
            round(f["distance_m"], 3),
        )
        for f in findings
    )


@pytest.fixture(scope="module")
def postgis(shared_data):
    with postgis_server() as server:
        server.load(
            shared_data / "riksintressen_kulturmiljo.gpkg",
            "riksintressen_kulturmiljo",
            "riksintressen_kulturmiljo",
        )
        yield server


@pytest.fixture(scope="module")
def wfs(tmp_path_factory, shared_data, qgis_app):
    from qgis.core import QgsVectorLayer

    folder = tmp_path_factory.mktemp("wfs")
    copy = folder / "riksintressen_kulturmiljo.gpkg"
    shutil.copy(shared_data / "riksintressen_kulturmiljo.gpkg", copy)
    layer = QgsVectorLayer(f"{copy}|layername=riksintressen_kulturmiljo", "riksintressen_kulturmiljo", "ogr")
    assert layer.isValid()
    write_wfs_project(folder / "wfs.qgs", [layer])
    with wfs_server(folder / "wfs.qgs") as server:
        yield server


@pytest.mark.slow
def test_postgis_and_wfs_equal_geopackage(real_elements, shared_data, postgis, wfs, tmp_path):
    folder, element_paths = real_elements
    elements = element_paths[1:]  # corridors and areas
    from_file, _ = run_check(
        tmp_path, elements, [str(shared_data / "riksintressen_kulturmiljo.gpkg")], name="file"
    )
    secret_uri = "postgres://" + postgis.layer_uri("riksintressen_kulturmiljo", password="s3cret-pw")
    from_postgis, _ = run_check(tmp_path, elements, [secret_uri], name="pg")
    from_wfs, _ = run_check(
        tmp_path, elements, ["wfs://" + wfs.layer_uri("riksintressen_kulturmiljo")], name="wfs"
    )
    assert len(from_file) >= 5
    assert {f["severity"] for f in from_file} == {"B"}
    assert _comparable(from_postgis) == _comparable(from_file)
    assert _comparable(from_wfs) == _comparable(from_file)
    # Areas from all three sources agree closely (the WFS carries 8 decimals).
    for a, b, c in zip(
        *(
            sorted(x, key=lambda f: (f["element_id"], f["feature_name"]))
            for x in (from_file, from_postgis, from_wfs)
        )
    ):
        if a["overlap_m2"] is not None:
            assert b["overlap_m2"] == pytest.approx(a["overlap_m2"], rel=1e-9)
            assert c["overlap_m2"] == pytest.approx(a["overlap_m2"], rel=1e-6)
    assert all("s3cret-pw" not in f["data_source"] for f in from_postgis)
    assert all("host=127.0.0.1" in f["data_source"] for f in from_postgis)
    assert all(f["agency_layer"] for f in from_wfs)


# --------------------------------------------------------------------------- (d) the real binary, (e) inputs


def _fingerprint(path: str) -> str:
    return hashlib.sha256(Path(path.split("|")[0]).read_bytes()).hexdigest()


@pytest.mark.slow
def test_qgis_process_binary(hand, tmp_path):
    _, layers = hand
    unreachable = f"wfs://url=http://127.0.0.1:{free_port()}/ typename=natura2000"
    output, summary = tmp_path / "bin_findings.gpkg", tmp_path / "bin_summary.gpkg"
    done = qgis_process(
        "run",
        ALG,
        "--json",
        "--",
        f"ELEMENTS={layers['corridor']}",
        f"ELEMENTS={layers['areas']}",
        f"AGENCY_LAYERS={layers['ri']}",
        f"AGENCY_LAYERS={unreachable}",
        "TARGET_CRS=EPSG:3006",
        f"OUTPUT={output}",
        f"SUMMARY={summary}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout[done.stdout.find("{") :])
    assert Path(result["results"]["OUTPUT"]) == output
    findings = without_notice(read_features(str(output)))
    corridor = [f for f in findings if f["element_name"] == "Tvärstråket" and f["severity"] == "B"]
    assert len(corridor) == 1
    assert corridor[0]["overlap_length_m"] == pytest.approx(1000.0, abs=1e-6)
    # The unreachable service: two rules × three elements, all class D.
    assert len([f for f in findings if f["severity"] == "D"]) == 6
    assert {r["element_name"]: r["worst_class"] for r in read_features(str(summary))} == {
        "Tvärstråket": "B",
        "granne": "D",
        "halva": "B",
    }


def test_inputs_are_not_modified(hand, tmp_path):
    from qgis.core import QgsVectorLayer

    _, layers = hand
    inputs = [layers["nodes"], layers["corridor"], layers["areas"], layers["ri"], layers["natura2000"]]
    before = {path: _fingerprint(path) for path in inputs}
    memory = QgsVectorLayer("Polygon?crs=EPSG:3006&field=namn:string", "natura2000_minne", "memory")
    from qgis.core import QgsFeature, QgsGeometry

    feature = QgsFeature(memory.fields())
    feature.setGeometry(QgsGeometry.fromWkt(SQUARE.wkt))
    feature.setAttributes(["minne"])
    memory.dataProvider().addFeatures([feature])
    wkt_before = [f.geometry().asWkt() for f in memory.getFeatures()]
    run_check(tmp_path, inputs[:3], [*inputs[3:], memory])
    assert {path: _fingerprint(path) for path in inputs} == before
    assert [f.geometry().asWkt() for f in memory.getFeatures()] == wkt_before
    assert memory.featureCount() == 1 and not memory.isModified()


def test_tree_query_pairs_and_distances():
    """The tree query finds exactly the pairs a hand count gives (one box per node, none for the far node)."""
    from rus_planner.rus_planner.core.check_measure import _overlap, _proximity

    features = np.array([box(i * 10, 0, i * 10 + 5, 5) for i in range(1000)], dtype=object)
    elements = np.array([Point(i * 10 + 2, 2) for i in range(0, 1000, 100)] + [Point(1e6, 1e6)], dtype=object)
    block = _overlap(elements, features)
    assert sorted(zip(block["element"].tolist(), block["feature"].tolist())) == [
        (k, k * 100) for k in range(10)
    ]
    near = _proximity(elements, features, 5.0)
    assert sorted(set(near["element"].tolist())) == list(range(10))
    assert math.isclose(near["distance"].min(), 0.0)


def test_data_date_is_the_date_the_geopackage_states_not_the_file_time(tmp_path):
    """A GeoPackage says when its table was written (gpkg_contents.last_change); copying the file
    or opening it for update changes only the file's time. A shapefile states nothing: its
    file time is all there is. Reading the date leaves the file byte-identical."""
    import hashlib
    import os
    import sqlite3

    from rus_planner.rus_planner.qgis_io.check_read import file_date

    squares = [shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)]
    gpkg = Path(write_layer(tmp_path / "skyddade.gpkg", squares))
    with sqlite3.connect(gpkg) as connection:
        connection.execute("UPDATE gpkg_contents SET last_change = '2024-03-15T10:00:00.000Z'")
    connection.close()
    january_2020 = 1_577_880_000  # 2020-01-01 12:00 UTC
    shapefile = Path(write_layer(tmp_path / "strandskydd.shp", squares))
    for path in (gpkg, shapefile):
        os.utime(path, (january_2020, january_2020))
    before = hashlib.sha256(gpkg.read_bytes()).hexdigest()

    assert file_date(f"{gpkg}|layername=skyddade") == "2024-03-15"
    assert file_date(f"{gpkg}|layername=SKYDDADE") == "2024-03-15"  # table names in any case
    assert file_date(str(gpkg)) == "2024-03-15"  # the one feature table
    assert file_date(str(shapefile)) == "2020-01-01"
    assert file_date(f"{gpkg}|layername=no_such_table") == "2020-01-01"
    assert file_date("https://example.invalid/wfs?typename=x") is None
    assert hashlib.sha256(gpkg.read_bytes()).hexdigest() == before
    assert os.path.getmtime(gpkg) == january_2020
