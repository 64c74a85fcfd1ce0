"""Wrong numbers never come without a word: geometry and CRS cases a hostile user found.

One test (or a few) per case, each against an answer worked out by hand or by an
independent tool (shapely, PROJ's own scale factors, QGIS's makeValid), and each checks
that the input files it wrote are byte-identical afterwards:

1. duplicate feature ids (a GeoPackage view keyed on a column with repeated values);
2. a bow-tie with a hole is repaired so that the hole stays a hole;
3. a target CRS that distorts Sweden (Web Mercator) is refused, naming EPSG:3006;
4. a GeoPackage table of geometry collections keeps its CRS;
5. a sector overlay saved as a shapefile (10-character field names) keeps every sector;
6. a Latin-1 shapefile without a .cpg file is not read as mojibake.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from recording import recording_feedback
from shapely import wkt
from shapely.geometry import GeometryCollection, LineString, box
from standing_notice import without_notice

ALG = "rusplanner:checkelements"
X0, Y0 = 500_000, 6_500_000  # SWEREF 99 TM, in Örebro län


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _provider(rus_provider):
    """Every test runs the algorithms through Processing."""
    return rus_provider


def write_layer(path: Path, geometries, crs="EPSG:3006", layer=None, **columns) -> str:
    """A GeoPackage or shapefile written by GDAL (pyogrio), independent of the plugin."""
    frame = gpd.GeoDataFrame(columns, geometry=list(geometries), crs=crs)
    frame.to_file(path, engine="pyogrio", **({"layer": layer} if layer else {}))
    return str(path)


def fingerprints(folder: Path) -> dict[str, str]:
    """sha256 of every file under a folder (the inputs a test wrote)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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


def run_check(out: Path, elements, agency_layers, name="run", **extra):
    """checkelements through Processing: (findings, summary, warnings)."""
    import processing

    feedback = recording_feedback()
    result = processing.run(
        ALG,
        {
            "ELEMENTS": list(elements),
            "AGENCY_LAYERS": list(agency_layers),
            "OUTPUT": str(out / f"{name}_findings.gpkg"),
            "SUMMARY": str(out / f"{name}_summary.gpkg"),
            **extra,
        },
        feedback=feedback,
    )
    findings, summary = read_features(result["OUTPUT"]), read_features(result["SUMMARY"])
    if "PROFILE" not in extra:
        # The default profile's standing notice, checked and set aside: these tests are about the data.
        findings, summary = without_notice(findings, summary)
    return findings, summary, feedback.warnings


def add_gpkg_view(path: str, view: str, select: str, geometry_type: str = "POLYGON") -> str:
    """A view registered as a feature table of the GeoPackage (its first column, "fid", is the key)."""
    from osgeo import gdal

    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    dataset.ExecuteSQL(f"CREATE VIEW {view} AS {select}")
    dataset.ExecuteSQL(
        "INSERT INTO gpkg_contents (table_name, identifier, data_type, srs_id) "
        f"VALUES ('{view}', '{view}', 'features', 3006)"
    )
    dataset.ExecuteSQL(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
        f"VALUES ('{view}', 'geom', '{geometry_type}', 3006, 0, 0)"
    )
    dataset = None
    return f"{path}|layername={view}"


# --------------------------------------------------------------------------- 1. duplicate ids


def test_elements_sharing_an_id_keep_their_own_findings(tmp_path):
    """Two areas of a view keyed on a repeated id (7) each overlap a different Natura 2000 site:
    each finding names its own element, the ids differ, and the log names the layer."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    north = box(X0, Y0 + 2000, X0 + 1000, Y0 + 3000)
    south = box(X0, Y0, X0 + 1000, Y0 + 1000)
    path = write_layer(
        inputs / "plan.gpkg", [north, south], layer="omraden", key=[7, 7], namn=["norr", "söder"]
    )
    elements = add_gpkg_view(path, "rus_omraden_vy", "SELECT key AS fid, namn, geom FROM omraden")
    natura = write_layer(
        inputs / "natura2000.gpkg",
        [box(X0 + 500, Y0 + 2000, X0 + 1500, Y0 + 3000), box(X0 + 800, Y0, X0 + 1800, Y0 + 1000)],
        OMRADESNAMN=["Norrmyren", "Södermyren"],
    )
    before = fingerprints(inputs)

    findings, summary, warnings = run_check(tmp_path, [elements], [natura])

    overlaps = {f["element_name"]: f for f in findings if f["rule_id"] == "natura2000"}
    assert set(overlaps) == {"norr", "söder"}
    assert overlaps["norr"]["feature_name"] == "Norrmyren"
    assert overlaps["norr"]["overlap_m2"] == pytest.approx(500 * 1000, rel=1e-12)  # x 500–1000
    assert overlaps["söder"]["feature_name"] == "Södermyren"
    assert overlaps["söder"]["overlap_m2"] == pytest.approx(200 * 1000, rel=1e-12)  # x 800–1000
    # Both keep the provider's fid (7), and the ids tell them apart.
    assert [overlaps[n]["element_fid"] for n in ("norr", "söder")] == [7, 7]
    assert overlaps["norr"]["element_id"] != overlaps["söder"]["element_id"]
    assert {s["element_id"] for s in summary} == {
        overlaps["norr"]["element_id"],
        overlaps["söder"]["element_id"],
    }
    assert {s["element_name"]: s["count_a"] for s in summary} == {"norr": 1, "söder": 1}
    assert any(
        w.startswith("rus_omraden_vy: 2 features share their feature id with another feature")
        for w in warnings
    ), warnings
    assert fingerprints(inputs) == before


def test_agency_features_sharing_an_id_do_not_hide_each_other(tmp_path):
    """An area overlaps Natura 2000 site X and lies 200 m from site Y, both with fid 1 (a view):
    the overlap (A) must not swallow the proximity to the other site (C, within 500 m)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    area = write_layer(inputs / "omraden.gpkg", [box(X0, Y0, X0 + 1000, Y0 + 1000)], namn=["området"])
    site_x = box(X0 + 900, Y0, X0 + 1900, Y0 + 1000)  # overlaps 100 m × 1000 m
    site_y = box(X0 - 1200, Y0, X0 - 200, Y0 + 1000)  # 200 m west of the area
    path = write_layer(
        inputs / "n2000.gpkg",
        [site_x, site_y],
        layer="platser",
        key=[1, 1],
        OMRADESNAMN=["X-myren", "Y-mossen"],
    )
    natura = add_gpkg_view(path, "natura2000_vy", "SELECT key AS fid, OMRADESNAMN, geom FROM platser")
    before = fingerprints(inputs)

    findings, _, warnings = run_check(tmp_path, [area], [natura])

    found = sorted((f["rule_id"], f["feature_name"], f["severity"]) for f in findings)
    assert found == [
        ("natura2000", "X-myren", "A"),
        ("natura2000_omgivning", "Y-mossen", "C"),
    ]
    (near,) = [f for f in findings if f["feature_name"] == "Y-mossen"]
    assert near["distance_m"] == pytest.approx(200.0, abs=1e-9)
    assert any(w.startswith("natura2000_vy: 2 features share their feature id") for w in warnings), warnings
    assert fingerprints(inputs) == before


# --------------------------------------------------------------------------- 2. bow-tie with a hole

# A bow-tie: two triangles touching at (500, 500), each 1000 m high with its apex there, so each
# is 1000 × 500 / 2 = 250 000 m². The hole is the 200 m square around the crossing point: the
# lobes cover half of it (where |y − 500| ≤ |x − 500|, the left and right quarter-triangles),
# 40 000 / 2 = 20 000 m², and the other half, above and below the crossing, lies outside both lobes.
BOWTIE_WITH_HOLE = (
    f"POLYGON(({X0} {Y0}, {X0 + 1000} {Y0 + 1000}, {X0 + 1000} {Y0}, {X0} {Y0 + 1000}, {X0} {Y0}),"
    f"({X0 + 400} {Y0 + 400}, {X0 + 600} {Y0 + 400}, {X0 + 600} {Y0 + 600}, {X0 + 400} {Y0 + 600},"
    f" {X0 + 400} {Y0 + 400}))"
)
# Holes stay holes: 2 × 250 000 − 20 000.
BOWTIE_AREA = 2 * 250_000 - 20_000


def test_bowtie_with_a_hole_keeps_the_hole(tmp_path):
    """The repair keeps the hole a hole: an element inside the hole gets no (false) class A, and
    one over the right lobe gets exactly the lobe less the hole's part in it."""
    from qgis.core import QgsGeometry

    from rus_planner.rus_planner.core.geometry import _structure_by_rings, repair

    bowtie = wkt.loads(BOWTIE_WITH_HOLE)
    assert not bowtie.is_valid
    # What the candidates make of it: GEOS's default (linework) and QGIS 3.22's makeValid turn the
    # hole's part outside the lobes into area (500 000); buffer(0) keeps one lobe only.
    assert shapely.make_valid(bowtie).area == pytest.approx(500_000, rel=1e-12)
    assert QgsGeometry.fromWkt(BOWTIE_WITH_HOLE).makeValid().area() == pytest.approx(500_000, rel=1e-12)
    assert bowtie.buffer(0).area == pytest.approx(250_000 - 10_000, rel=1e-12)
    assert repair([bowtie])[0].area == pytest.approx(BOWTIE_AREA, rel=1e-12)
    assert _structure_by_rings(bowtie).area == pytest.approx(BOWTIE_AREA, rel=1e-12)  # the fallback

    inputs = tmp_path / "in"
    inputs.mkdir()
    natura = write_layer(inputs / "natura2000.gpkg", [bowtie], OMRADESNAMN=["Fjärilen"])
    # In the hole, above the crossing: |y − 500| ≥ 60 > |x − 500| ≤ 20, so outside both lobes.
    in_hole = box(X0 + 480, Y0 + 560, X0 + 520, Y0 + 590)
    right_half = box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)
    elements = write_layer(inputs / "omraden.gpkg", [in_hole, right_half], namn=["i hålet", "halva"])
    before = fingerprints(inputs)

    findings, _, warnings = run_check(tmp_path, [elements], [natura])

    overlaps = [f for f in findings if f["relation"] == "overlap"]
    assert [f["element_name"] for f in overlaps] == ["halva"]
    # The right lobe (250 000) less the hole's right quarter-triangle: base 200, height 100.
    assert overlaps[0]["overlap_m2"] == pytest.approx(250_000 - 200 * 100 / 2, rel=1e-12)
    assert any(w == "natura2000: 1 invalid geometries were repaired" for w in warnings), warnings
    assert fingerprints(inputs) == before


@pytest.mark.slow
def test_bowtie_with_a_hole_in_qgis_process(tmp_path):
    """The same through the real qgis_process, where shapely runs on the GEOS QGIS links (3.11 on
    Debian 12; repairing by structure needs 3.10)."""
    from headless import run_algorithm

    inputs = tmp_path / "in"
    inputs.mkdir()
    natura = write_layer(inputs / "natura2000.gpkg", [wkt.loads(BOWTIE_WITH_HOLE)], OMRADESNAMN=["Fjärilen"])
    elements = write_layer(
        inputs / "omraden.gpkg",
        [box(X0 + 480, Y0 + 560, X0 + 520, Y0 + 590), box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)],
        namn=["i hålet", "halva"],
    )
    before = fingerprints(inputs)
    run_algorithm(
        ALG,
        ELEMENTS=elements,
        AGENCY_LAYERS=natura,
        OUTPUT=tmp_path / "findings.gpkg",
        SUMMARY=tmp_path / "summary.gpkg",
    )
    overlaps = [f for f in read_features(str(tmp_path / "findings.gpkg")) if f["relation"] == "overlap"]
    assert [(f["element_name"], f["overlap_m2"]) for f in overlaps] == [
        ("halva", pytest.approx(240_000, rel=1e-12))
    ]
    assert fingerprints(inputs) == before


# --------------------------------------------------------------------------- 3. target CRS

MERCATOR_REFUSAL = (
    "The target CRS EPSG:3857 distorts too much to measure in Sweden: areas in it are up to 679.0 % off "
    "their true size and lengths up to 179.2 % (near Treriksröset); RUS Planner accepts at most 1 %. "
    "Choose SWEREF 99 TM (EPSG:3006), or a SWEREF 99 or RT90 zone, or UTM zone 32–35 N for data inside "
    "the zone."
)


def test_crs_distortion_is_measured_against_proj(qgis_app):
    """The measured distortion agrees with PROJ's own scale factors and with the hand formula:
    Web Mercator's areal scale is 1 / cos²φ, 3.83 at Örebro (59.27° N) and 7.8 at Treriksröset."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsPoint

    from rus_planner.rus_planner.qgis_io.crs_checks import SWEDISH_PLACES, measuring_distortion

    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    assert 1 / math.cos(math.radians(59.27)) ** 2 == pytest.approx(3.83, abs=0.01)
    assert mercator.factors(QgsPoint(15.21, 59.27)).arealScale() == pytest.approx(3.83, abs=0.01)
    worst = measuring_distortion(mercator)
    assert worst.place == "Treriksröset"
    # PROJ's factors for EPSG:3857 are on its sphere; against the WGS 84 ellipsoid, with
    # w = 1 − e² sin²φ, x = aλ and y = a ln tan(π/4 + φ/2) give a scale along the parallel of
    # a / (N cos φ) = √w / cos φ and along the meridian of a / (M cos φ) = w^1.5 / ((1 − e²) cos φ).
    lat = math.radians(next(lat for name, _, lat in SWEDISH_PLACES if name == "Treriksröset"))
    e2 = 0.00669437999014  # WGS 84
    w = 1 - e2 * math.sin(lat) ** 2
    along_parallel = math.sqrt(w) / math.cos(lat)
    along_meridian = w**1.5 / ((1 - e2) * math.cos(lat))
    assert worst.area == pytest.approx(along_parallel * along_meridian - 1, rel=1e-3)
    assert worst.length == pytest.approx(max(along_parallel, along_meridian) - 1, rel=1e-3)
    # SWEREF 99 TM: worst at Haparanda, 9° east of its central meridian; PROJ agrees.
    sweref = QgsCoordinateReferenceSystem("EPSG:3006")
    worst = measuring_distortion(sweref)
    assert worst.place == "Haparanda"
    assert worst.area == pytest.approx(sweref.factors(QgsPoint(24.14, 65.84)).arealScale() - 1, rel=1e-3)
    assert worst.area < 0.004


@pytest.mark.parametrize(
    ("code", "accepted"),
    [
        ("EPSG:3006", True),  # SWEREF 99 TM
        ("EPSG:3010", True),  # SWEREF 99 16 30, a regional zone
        ("EPSG:3021", True),  # RT90 2.5 gon V
        ("EPSG:32633", True),  # WGS 84 / UTM 33N, inside its zone
        ("EPSG:25834", True),  # ETRS89 / UTM 34N
        ("EPSG:3857", False),  # Web Mercator: areas ×3.8 at Örebro
        ("EPSG:3034", False),  # LCC Europe: areas 6 % off in Skåne
        ("EPSG:3035", False),  # LAEA Europe: true areas, but lengths 1.2 % off at Treriksröset
        ("EPSG:27700", False),  # British National Grid: not made for Sweden at all
    ],
)
def test_which_target_crs_is_accepted(qgis_app, code, accepted):
    from qgis.core import QgsCoordinateReferenceSystem

    from rus_planner.rus_planner.core.errors import LayerError
    from rus_planner.rus_planner.qgis_io.crs_checks import require_projected

    crs = QgsCoordinateReferenceSystem(code)
    if accepted:
        require_projected(crs)
    else:
        with pytest.raises(LayerError, match=r"EPSG:3006"):
            require_projected(crs)


def test_web_mercator_is_refused_by_every_algorithm(tmp_path):
    """Every algorithm with TARGET_CRS goes through the one check, with the same message."""
    import processing
    from qgis.core import QgsProcessingException

    inputs = tmp_path / "in"
    inputs.mkdir()
    area = write_layer(inputs / "omraden.gpkg", [box(X0, Y0, X0 + 1000, Y0 + 1000)], namn=["området"])
    sector = write_layer(inputs / "kultur.gpkg", [box(X0, Y0, X0 + 500, Y0 + 500)], namn=["k"])
    before = fingerprints(inputs)
    runs = {
        "rusplanner:checkelements": {"ELEMENTS": [area], "AGENCY_LAYERS": [sector], "SUMMARY": "memory:"},
        "rusplanner:sectoroverlay": {"SECTORS": [sector]},
        "rusplanner:gridoverlay": {"SECTORS": [sector], "CELL_SIZE": 1000},
        "rusplanner:territorialsummary": {"ZONES": area, "OVERLAY": sector},
        "rusplanner:sharegeopackage": {"ELEMENTS": [area], "OUTPUT": str(tmp_path / "dela.gpkg")},
    }
    for algorithm, parameters in runs.items():
        parameters = {"OUTPUT": "memory:", **parameters, "TARGET_CRS": "EPSG:3857"}
        with pytest.raises(QgsProcessingException) as refused:
            processing.run(algorithm, parameters)
        assert str(refused.value) == MERCATOR_REFUSAL, algorithm
    assert not (tmp_path / "dela.gpkg").exists()
    assert fingerprints(inputs) == before


@pytest.mark.slow
def test_web_mercator_refused_by_qgis_process(tmp_path):
    """Headless: exit code 1 and the message, nothing written."""
    from headless import qgis_process

    inputs = tmp_path / "in"
    inputs.mkdir()
    area = write_layer(inputs / "omraden.gpkg", [box(X0, Y0, X0 + 1000, Y0 + 1000)], namn=["området"])
    before = fingerprints(inputs)
    done = qgis_process(
        "run",
        ALG,
        "--",
        f"ELEMENTS={area}",
        f"AGENCY_LAYERS={area}",
        "TARGET_CRS=EPSG:3857",
        f"OUTPUT={tmp_path / 'f.gpkg'}",
        f"SUMMARY={tmp_path / 's.gpkg'}",
    )
    assert done.returncode == 1
    assert MERCATOR_REFUSAL in done.stdout + done.stderr
    assert not (tmp_path / "f.gpkg").exists()
    assert fingerprints(inputs) == before


# --------------------------------------------------------------------------- 4. geometry collections


def test_geometry_collections_keep_their_crs(tmp_path):
    """A GeoPackage table of geometry collections (QGIS 3.22 gives the layer no CRS) is read in its
    file's CRS: in EPSG:4326 too, where skipping the reprojection would put it in the sea off Africa."""
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    site = box(X0, Y0, X0 + 1000, Y0 + 1000)
    inputs = tmp_path / "in"
    inputs.mkdir()
    natura_3006 = write_layer(
        inputs / "natura2000_samling.gpkg", [GeometryCollection([site])], OMRADESNAMN=["Samlingen"]
    )
    natura_4326 = write_layer(
        inputs / "natura2000_wgs84.gpkg",
        [GeometryCollection([shapely.transform(site, lambda xy: list(zip(*to_wgs84.transform(*xy.T))))])],
        crs="EPSG:4326",
        OMRADESNAMN=["Samlingen i grader"],
    )
    elements = write_layer(
        inputs / "omraden.gpkg",
        [GeometryCollection([box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)])],
        namn=["halva"],
    )
    before = fingerprints(inputs)
    from qgis.core import QgsVectorLayer

    assert not QgsVectorLayer(natura_3006, "n", "ogr").crs().isValid()  # the trap itself

    findings, summary, warnings = run_check(tmp_path, [elements], [natura_3006, natura_4326])

    overlaps = sorted((f["feature_name"], f["overlap_m2"]) for f in findings if f["relation"] == "overlap")
    # 500 m × 1000 m; the corners of the EPSG:4326 copy went to degrees and back (sub-millimetre).
    assert overlaps == [
        ("Samlingen", pytest.approx(500_000, rel=1e-12)),
        ("Samlingen i grader", pytest.approx(500_000, rel=1e-6)),
    ]
    assert [s["element_name"] for s in summary] == ["halva"]
    assert not [w for w in warnings if "coordinate reference system" in w or "could not be checked" in w], (
        warnings
    )
    assert fingerprints(inputs) == before


def test_mixed_geometry_collections_are_class_d_with_the_reason(tmp_path):
    """Collections mixing a polygon and a line cannot be measured as one kind: class D, saying why."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    mixed = GeometryCollection(
        [box(X0, Y0, X0 + 1000, Y0 + 1000), LineString([(X0 - 500, Y0 + 1500), (X0 + 1500, Y0 + 1500)])]
    )
    natura = write_layer(inputs / "natura2000_blandad.gpkg", [mixed], OMRADESNAMN=["Blandad"])
    elements = write_layer(inputs / "omraden.gpkg", [box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)], namn=["halva"])
    before = fingerprints(inputs)

    findings, _, warnings = run_check(tmp_path, [elements], [natura])

    reason = (
        "The layer “natura2000_blandad” holds geometry collections that mix kinds (lines, polygons). RUS Planner "
        "measures one kind of geometry per layer (areas of polygons, lengths of lines), so it cannot "
        "read this layer without losing some of it. Save its points, lines and polygons as layers of "
        "their own and use those."
    )
    assert {(f["severity"], f["note"]) for f in findings} == {("D", f"Not checked: {reason}")}
    assert len(findings) == 2  # both Natura 2000 rules
    assert any(reason in w for w in warnings), warnings
    assert fingerprints(inputs) == before


def test_collections_through_a_processing_source_get_the_right_reason(tmp_path):
    """Where QGIS hands over only a feature source (the territorial summary's zones), the layer's
    missing CRS cannot be mended: the message says why, instead of claiming the file has none."""
    import processing
    from qgis.core import QgsProcessingException

    inputs = tmp_path / "in"
    inputs.mkdir()
    zones = write_layer(
        inputs / "kommuner.gpkg", [GeometryCollection([box(X0, Y0, X0 + 1000, Y0 + 1000)])], name=["K"]
    )
    findings = write_layer(inputs / "fynd.gpkg", [box(X0, Y0, X0 + 10, Y0 + 10)], severity=["A"])
    before = fingerprints(inputs)
    with pytest.raises(QgsProcessingException, match="is a table of geometry collections"):
        processing.run(
            "rusplanner:territorialsummary", {"ZONES": zones, "FINDINGS": findings, "OUTPUT": "memory:"}
        )
    assert fingerprints(inputs) == before


# --------------------------------------------------------------------------- 5. shapefile overlay


def test_overlay_saved_as_shapefile_keeps_every_sector(tmp_path):
    """A sector overlay written as a shapefile shortens "kompetensforsorjning" to "kompetensf" and
    "transport_src" to "transport_": the summary still has every sector, under its full id, with
    the areas of the GeoPackage run, and says which names it matched."""
    import processing

    inputs = tmp_path / "in"
    inputs.mkdir()
    sectors = [
        write_layer(inputs / "kompetensforsorjning.gpkg", [box(X0, Y0, X0 + 1000, Y0 + 1000)], namn=["a"]),
        write_layer(inputs / "transport.gpkg", [box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)], namn=["b"]),
        write_layer(inputs / "kultur.gpkg", [box(X0, Y0, X0 + 200, Y0 + 200)], namn=["c"]),
    ]
    zones = write_layer(
        inputs / "kommuner.gpkg",
        [box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)],
        name=["Väst", "Öst"],
    )
    before = fingerprints(inputs)
    results = {}
    for suffix in ("gpkg", "shp"):
        overlay = processing.run(
            "rusplanner:sectoroverlay", {"SECTORS": sectors, "OUTPUT": str(tmp_path / f"overlay.{suffix}")}
        )["OUTPUT"]
        feedback = recording_feedback()
        out = processing.run(
            "rusplanner:territorialsummary",
            {"ZONES": zones, "OVERLAY": overlay, "OUTPUT": str(tmp_path / f"summary_{suffix}.gpkg")},
            feedback=feedback,
        )["OUTPUT"]
        results[suffix] = ({row["name"]: row for row in read_features(out)}, feedback.warnings)
    from qgis.core import QgsVectorLayer

    shp_fields = QgsVectorLayer(str(tmp_path / "overlay.shp"), "o", "ogr").fields().names()
    assert "kompetensf" in shp_fields and "transport_src" not in shp_fields  # the trap itself

    by_zone, warnings = results["shp"]
    # By hand: Väst is x 0–1000, Öst 1000–2000 (1 km high, 100 ha each).
    expected = {
        "Väst": {"kompetensforsorjning_ha": 100.0, "transport_ha": 50.0, "kultur_ha": 4.0},
        "Öst": {"kompetensforsorjning_ha": 0.0, "transport_ha": 50.0, "kultur_ha": 0.0},
    }
    for zone, values in expected.items():
        for name, value in values.items():
            assert by_zone[zone][name] == pytest.approx(value, abs=1e-9), (zone, name)
            assert by_zone[zone][name] == pytest.approx(results["gpkg"][0][zone][name], abs=1e-9)
    assert "kompetensf_ha" not in by_zone["Väst"]
    assert any(
        w.endswith(
            "the field “kompetensf” is read as the sector “kompetensforsorjning”: a shapefile keeps "
            "only 10 characters of a field name."
        )
        for w in warnings
    ), warnings
    assert results["gpkg"][1] == []
    assert fingerprints(inputs) == before


def test_unmatchable_shortened_sectors_are_reported_not_dropped(qgis_app):
    """Two ids that shorten alike cannot be told apart: both are named in the log, and their
    fields are still summarised under the shortened names."""
    from rus_planner.rus_planner.core.summary import name_sectors, overlay_flag_fields

    fields = [
        "halso_sjuk",
        "halso_sj_1",
        "kultur",
        "sector_cou",
        "score",
        "sectors",
        "halso_sj_2",
        "halso_sj_3",
        "kultur_src",
    ]
    flags = overlay_flag_fields(fields)
    assert flags == ["halso_sjuk", "halso_sj_1", "kultur"]
    names = name_sectors(flags, fields, ["halso_sjukvard_norr", "kultur", "halso_sjukvard_syd"])
    assert names.ids == {"halso_sjuk": "halso_sjuk", "halso_sj_1": "halso_sj_1", "kultur": "kultur"}
    assert names.unknown == ["halso_sjuk", "halso_sj_1"]
    assert names.missing == ["halso_sjukvard_norr", "halso_sjukvard_syd"]


# --------------------------------------------------------------------------- 6. text encoding


def _latin1_shapefile(folder: Path, name: str, cpg: str | None) -> str:
    """A shapefile whose .dbf holds ISO-8859-1 bytes, with or without a .cpg, and no language id."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.shp"
    frame = gpd.GeoDataFrame(
        {"NAMN": ["Älgön västra"]}, geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000)], crs="EPSG:3006"
    )
    frame.to_file(path, engine="pyogrio", encoding="ISO-8859-1")
    (folder / f"{name}.cpg").unlink(missing_ok=True)
    dbf = bytearray((folder / f"{name}.dbf").read_bytes())
    dbf[29] = 0  # no language driver id either: the file states no encoding at all
    (folder / f"{name}.dbf").write_bytes(bytes(dbf))
    if cpg:
        (folder / f"{name}.cpg").write_text(cpg)
    assert "Älgön västra".encode("latin-1") in bytes(dbf)
    return str(path)


@pytest.mark.parametrize("target", ["EPSG:3006", "EPSG:3010"], ids=["read by GDAL", "read by QGIS"])
def test_latin1_shapefile_without_cpg_is_not_mojibake(tmp_path, target):
    inputs = tmp_path / "in"
    undeclared = _latin1_shapefile(inputs / "utan", "naturreservat_latin1", cpg=None)
    declared = _latin1_shapefile(inputs / "med", "nationalpark_latin1", cpg="ISO-8859-1")
    elements = write_layer(inputs / "omraden.gpkg", [box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)], namn=["halva"])
    before = fingerprints(inputs)

    findings, _, warnings = run_check(tmp_path, [elements], [undeclared, declared], TARGET_CRS=target)

    assert sorted((f["rule_id"], f["feature_name"]) for f in findings) == [
        ("nationalpark", "Älgön västra"),
        ("naturreservat", "Älgön västra"),
    ]
    assert [w for w in warnings if "encoding" in w] == [
        "naturreservat_latin1: the file does not state the encoding of its texts (it has no .cpg file) and "
        "they are not valid in the layer's encoding; they were read as windows-1252. Add a .cpg file naming "
        "the encoding, or set it in the layer properties (Source › Data source encoding)."
    ]
    assert fingerprints(inputs) == before


@pytest.mark.slow
def test_postgis_view_with_a_repeated_key(tmp_path):
    """The same with a real PostGIS view keyed on a column with repeated values (key='fid')."""
    import subprocess

    from servers import postgis_server

    inputs = tmp_path / "in"
    inputs.mkdir()
    area = write_layer(inputs / "omraden.gpkg", [box(X0, Y0, X0 + 1000, Y0 + 1000)], namn=["området"])
    sites = write_layer(
        inputs / "platser.gpkg",
        [box(X0 + 900, Y0, X0 + 1900, Y0 + 1000), box(X0 - 1200, Y0, X0 - 200, Y0 + 1000)],
        key=[1, 1],
        OMRADESNAMN=["X-myren", "Y-mossen"],
    )
    before = fingerprints(inputs)
    with postgis_server() as server:
        server.load(sites, "platser", "platser")
        view = (
            'CREATE VIEW natura2000_vy AS SELECT key AS fid, omradesnamn AS "OMRADESNAMN", geom FROM platser'
        )
        psql = ["psql", "-h", server.host, "-p", str(server.port), "-U", server.user, "-d", server.dbname]
        subprocess.run([*psql, "-v", "ON_ERROR_STOP=1", "-c", view], check=True, capture_output=True)
        # QGIS refuses such a view unless its key's unicity check is off, as users turn it off
        # for large views (the "Check primary key unicity" box when adding the layer).
        uri = server.layer_uri("natura2000_vy").replace(
            "sslmode=disable", "sslmode=disable checkPrimaryKeyUnicity='0'"
        )
        findings, _, warnings = run_check(tmp_path, [area], [f"postgres://{uri}"])
    found = sorted((f["rule_id"], f["feature_name"], f["severity"]) for f in findings)
    assert found == [("natura2000", "X-myren", "A"), ("natura2000_omgivning", "Y-mossen", "C")]
    assert any("2 features share their feature id" in w for w in warnings), warnings
    assert fingerprints(inputs) == before
