"""rusplanner:sectoroverlay: the exact planar partition against independent answers.

Real data (Örebro län) is checked pattern by pattern against a reference computed here
with geopandas/pyproj/shapely from the same files; small hand cases against areas worked
out by hand; bad input against the messages a user should see; and the same algorithm
through processing.run, the real qgis_process binary and a run that loads its output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from headless import qgis_process
from independent import assert_partition, pieces, reference_patterns
from shapely.geometry import box

ALG = "rusplanner:sectoroverlay"
X0, Y0 = 500_000, 6_550_000  # hand cases sit in Örebro län, in SWEREF 99 TM metres


# --------------------------------------------------------------------------- helpers


def memory_layer(name: str, wkts, kind: str = "Polygon", crs: str | None = "EPSG:3006", offset=True):
    """A memory layer; hand geometries are given near (0, 0) and moved into Sweden."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    uri = f"{kind}?crs={crs}" if crs else kind
    layer = QgsVectorLayer(uri + "&field=namn:string" if crs else uri + "?field=namn:string", name, "memory")
    assert layer.isValid()
    features = []
    for index, wkt in enumerate(wkts):
        feature = QgsFeature(layer.fields())
        if wkt is None:
            feature.setGeometry(QgsGeometry())
        else:
            geometry = QgsGeometry.fromWkt(wkt)
            if offset and not geometry.isEmpty():
                geometry.translate(X0, Y0)
            feature.setGeometry(geometry)
        feature.setAttributes([f"{name}{index + 1}"])
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


class Log:
    """A feedback that keeps every message, to check what the user is told."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines: list[str] = []

            def pushInfo(self, text):  # noqa: N802
                self.lines.append(text)
                super().pushInfo(text)

            def pushWarning(self, text):  # noqa: N802
                self.lines.append(text)
                super().pushWarning(text)

            def reportError(self, text, fatalError=False):  # noqa: N802, N803
                self.lines.append(text)
                super().reportError(text, fatalError)

            @property
            def text(self) -> str:
                return "\n".join(self.lines)

        return _Feedback()


def run(parameters: dict, feedback=None) -> list[dict]:
    """processing.run into memory; the output as dicts with a shapely 'geometry'."""
    import processing
    from qgis.core import QgsProcessingContext

    context = QgsProcessingContext()
    result = processing.run(
        ALG, {"OUTPUT": "TEMPORARY_OUTPUT", **parameters}, context=context, feedback=feedback
    )
    return read_layer_rows(result["OUTPUT"])


def read_layer_rows(layer) -> list[dict]:
    from qgis.core import QgsVectorLayer

    if isinstance(layer, (str, Path)):
        layer = QgsVectorLayer(str(layer), "out", "ogr")
    assert layer.isValid()
    rows = []
    for feature in layer.getFeatures():
        row = {name: feature[name] for name in layer.fields().names()}
        row["geometry"] = shapely.from_wkb(bytes(feature.geometry().asWkb()))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- real data


ÖREBRO_PROFILE = """
version: 1
name: Örebro test
sectors:
  - id: kultur
    name_sv: Kultur
    weight: 2
    layer: ["riksintressen_kulturmiljo"]
    filter: "lanskod = '18'"
  - id: natur
    name_sv: Nationalparker
    weight: 1
    layer: ["nationalparker"]
  - id: naturminne
    name_sv: Naturminnen
    weight: 0.5
    layer: ["naturminne_polygon"]
  - id: service
    name_sv: Service
    weight: 1.5
    layer: ["tatorter"]
    filter: "lan_code = '18'"
    buffer_m: 2000
"""
WEIGHTS = {"kultur": 2.0, "natur": 1.0, "naturminne": 0.5, "service": 1.5}


@pytest.fixture(scope="module")
def reference(shared_data):
    """The sectors read with geopandas (pyogrio), reprojected with pyproj, dissolved with shapely."""
    import geopandas as gpd

    def read(file, layer):
        frame = gpd.read_file(shared_data / file, layer=layer, engine="pyogrio")
        return frame.to_crs(3006) if frame.crs.to_epsg() != 3006 else frame

    lan = read("lan.gpkg", "lan")
    kultur = read("riksintressen_kulturmiljo.gpkg", "riksintressen_kulturmiljo")
    tatorter = read("tatorter.gpkg", "tatorter")
    points = tatorter[tatorter["lan_code"] == "18"].geometry.values
    return {
        "extent": shapely.union_all(lan[lan["code"] == "18"].geometry.values),
        "kultur": shapely.union_all(shapely.make_valid(kultur[kultur["lanskod"] == "18"].geometry.values)),
        "natur": shapely.union_all(
            shapely.make_valid(read("nvr_nationalparker.gpkg", "nationalparker").geometry.values)
        ),
        "naturminne": shapely.union_all(
            shapely.make_valid(read("nvr_naturminne.gpkg", "naturminne_polygon").geometry.values)
        ),
        # The profile's 2 km service area around each tätort, as the plugin documents it (16 segments
        # per quarter circle).
        "service": shapely.union_all(shapely.buffer(points, 2000, quad_segs=16)),
    }


def gpkg_layer(shared_data, file, layer, subset=None, name=None):
    from qgis.core import QgsVectorLayer

    vector = QgsVectorLayer(f"{shared_data / file}|layername={layer}", name or layer, "ogr")
    assert vector.isValid()
    if subset:
        assert vector.setSubsetString(subset)
    return vector


def test_orebro_every_pattern_with_profile_and_study_area(rus_provider, shared_data, reference, tmp_path):
    profile = tmp_path / "orebro.yaml"
    profile.write_text(ÖREBRO_PROFILE, encoding="utf-8")
    layers = [
        gpkg_layer(shared_data, "riksintressen_kulturmiljo.gpkg", "riksintressen_kulturmiljo"),
        gpkg_layer(shared_data, "nvr_nationalparker.gpkg", "nationalparker"),
        gpkg_layer(shared_data, "nvr_naturminne.gpkg", "naturminne_polygon"),
        gpkg_layer(shared_data, "tatorter.gpkg", "tatorter"),
    ]
    extent = gpkg_layer(shared_data, "lan.gpkg", "lan", subset="\"code\" = '18'", name="orebro_lan")
    rows = run(
        {"SECTORS": layers, "PROFILE": str(profile), "EXTENT_LAYER": extent, "TARGET_CRS": "EPSG:3006"}
    )

    ids = ["kultur", "natur", "naturminne", "service"]
    expected = reference_patterns({i: reference[i] for i in ids}, reference["extent"])
    # Örebro län holds all four sectors and every one meets another somewhere.
    assert all(
        expected[p] > 0 for p in [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (1, 0, 0, 1)]
    )
    assert_partition(rows, ids, expected, reference["extent"].area)
    # The count-0 area of the län is part of the output.
    assert pieces(rows, ids)[(0, 0, 0, 0)] == pytest.approx(expected[(0, 0, 0, 0)], rel=1e-6)
    for row in rows:
        assert row["score"] == pytest.approx(sum(WEIGHTS[i] for i in ids if row[i]))
        # Traceability: a sector present in a piece names its source features; absent, none.
        for i in ids:
            assert bool(row[f"{i}_src"]) == bool(row[i])
    sources = {r["natur_src"] for r in rows if r["natur"]}
    assert all(s.startswith("nationalparker:") for s in sources)


def test_orebro_without_study_area_covers_the_union(rus_provider, shared_data, reference):
    layers = [
        gpkg_layer(
            shared_data, "riksintressen_kulturmiljo.gpkg", "riksintressen_kulturmiljo", "lanskod = '18'"
        ),
        gpkg_layer(shared_data, "nvr_nationalparker.gpkg", "nationalparker"),
        gpkg_layer(shared_data, "nvr_naturminne.gpkg", "naturminne_polygon"),
    ]
    rows = run({"SECTORS": layers, "TARGET_CRS": "EPSG:3006"})
    # Without a profile each layer is a sector named after it, weight 1.
    ids = ["riksintressen_kulturmiljo", "nationalparker", "naturminne_polygon"]
    dissolved = dict(zip(ids, [reference["kultur"], reference["natur"], reference["naturminne"]]))
    expected = reference_patterns(dissolved)
    assert_partition(rows, ids, expected, shapely.union_all(list(dissolved.values())).area)
    assert all(row["score"] == row["sector_count"] for row in rows)


# --------------------------------------------------------------------------- hand cases


SQUARE_A = "POLYGON((0 0,10 0,10 10,0 10,0 0))"
SQUARE_B = "POLYGON((5 5,15 5,15 15,5 15,5 5))"


def flags_and_areas(rows, ids) -> dict[tuple, float]:
    return {k: round(v, 9) for k, v in pieces(rows, ids).items()}


def test_two_overlapping_squares(rus_provider):
    rows = run({"SECTORS": [memory_layer("a", [SQUARE_A]), memory_layer("b", [SQUARE_B])]})
    assert flags_and_areas(rows, ["a", "b"]) == {(1, 0): 75.0, (0, 1): 75.0, (1, 1): 25.0}
    assert len(rows) == 3
    both = next(r for r in rows if r["sector_count"] == 2)
    assert both["sectors"] == "a, b"
    assert both["score"] == 2.0
    assert (both["a_src"], both["b_src"]) == ("a:1", "b:1")
    assert shapely.equals(both["geometry"], box(X0 + 5, Y0 + 5, X0 + 10, Y0 + 10))


def test_weights_from_the_profile_make_the_score(rus_provider, tmp_path):
    profile = tmp_path / "weights.yaml"
    profile.write_text(
        "name: vikter\nsectors:\n"
        "  - {id: kultur, name_sv: Kultur, weight: 2.5, layer: ['a']}\n"
        "  - {id: transport, name_sv: Transport, weight: 0.25, layer: ['b']}\n",
        encoding="utf-8",
    )
    rows = run(
        {"SECTORS": [memory_layer("a", [SQUARE_A]), memory_layer("b", [SQUARE_B])], "PROFILE": str(profile)}
    )
    scores = {(r["kultur"], r["transport"]): r["score"] for r in rows}
    assert scores == {(1, 0): 2.5, (0, 1): 0.25, (1, 1): 2.75}


def test_the_project_profile_applies_when_no_file_is_given(rus_provider):
    import processing
    from qgis.core import QgsProcessingContext, QgsProject

    from rus_planner.rus_planner.qgis_io.project_state import ProjectState

    project = QgsProject()
    state = ProjectState()
    state.set_profile_text(
        "name: projektets\nsectors:\n  - {id: kultur, name_sv: Kultur, weight: 3, layer: ['a']}\n"
    )
    state.write_to_project(project)
    context = QgsProcessingContext()
    context.setProject(project)
    result = processing.run(
        ALG, {"SECTORS": [memory_layer("a", [SQUARE_A])], "OUTPUT": "TEMPORARY_OUTPUT"}, context=context
    )
    rows = read_layer_rows(result["OUTPUT"])
    assert [(r["kultur"], r["score"]) for r in rows] == [(1, 3.0)]


def test_a_hole_stays_a_hole(rus_provider):
    ring = "POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,8 2,8 8,2 8,2 2))"  # 64 m²
    inner = "POLYGON((1 1,9 1,9 9,1 9,1 1))"  # 64 m², 36 of them in the hole
    rows = run({"SECTORS": [memory_layer("ring", [ring]), memory_layer("inner", [inner])]})
    assert flags_and_areas(rows, ["ring", "inner"]) == {(1, 0): 36.0, (0, 1): 36.0, (1, 1): 28.0}
    hole = next(r["geometry"] for r in rows if (r["ring"], r["inner"]) == (0, 1))
    assert shapely.equals(hole, box(X0 + 2, Y0 + 2, X0 + 8, Y0 + 8))
    ring_only = next(r["geometry"] for r in rows if (r["ring"], r["inner"]) == (1, 0))
    assert not ring_only.contains(shapely.Point(X0 + 5, Y0 + 5))


def test_a_sector_inside_another(rus_provider):
    small = "POLYGON((2 2,4 2,4 4,2 4,2 2))"
    rows = run({"SECTORS": [memory_layer("big", [SQUARE_A]), memory_layer("small", [small])]})
    assert flags_and_areas(rows, ["big", "small"]) == {(1, 0): 96.0, (1, 1): 4.0}


def test_shared_edges_touch_but_do_not_overlap(rus_provider):
    right = "POLYGON((10 0,20 0,20 10,10 10,10 0))"
    rows = run({"SECTORS": [memory_layer("west", [SQUARE_A]), memory_layer("east", [right])]})
    assert flags_and_areas(rows, ["west", "east"]) == {(1, 0): 100.0, (0, 1): 100.0}
    assert len(rows) == 2
    # Touching along the edge does not make a feature a source of the neighbour's piece.
    assert {r["west_src"] for r in rows} == {"west:1", ""}


def test_self_intersecting_input_is_repaired_and_counted(rus_provider):
    bowtie = "POLYGON((0 0,10 10,10 0,0 10,0 0))"  # two triangles of 25 m² meeting at (5, 5)
    lower = "POLYGON((0 0,10 0,10 5,0 5,0 0))"
    bow = memory_layer("bowtie", [bowtie])
    log = Log()
    rows = run({"SECTORS": [bow, memory_layer("lower", [lower])]}, feedback=log)
    assert flags_and_areas(rows, ["bowtie", "lower"]) == {(1, 0): 25.0, (0, 1): 25.0, (1, 1): 25.0}
    assert "bowtie: 1 invalid geometries were repaired" in log.text
    # The input itself is untouched: still the invalid bow-tie.
    assert (
        next(bow.getFeatures()).geometry().asWkt()
        == "Polygon ((500000 6550000, 500010 6550010, 500010 6550000, 500000 6550010, 500000 6550000))"
    )


def test_overlapping_features_in_one_layer_are_not_counted_twice(rus_provider):
    first = "POLYGON((0 0,10 0,10 10,0 10,0 0))"
    second = "POLYGON((5 0,15 0,15 10,5 10,5 0))"
    other = "POLYGON((12 0,20 0,20 10,12 10,12 0))"
    rows = run({"SECTORS": [memory_layer("a", [first, second]), memory_layer("b", [other])]})
    assert flags_and_areas(rows, ["a", "b"]) == {(1, 0): 120.0, (1, 1): 30.0, (0, 1): 50.0}
    assert max(r["sector_count"] for r in rows) == 2
    a_only = next(r for r in rows if (r["a"], r["b"]) == (1, 0))
    assert a_only["a_src"] == "a:1;a:2"
    both = next(r for r in rows if (r["a"], r["b"]) == (1, 1))
    assert (both["a_src"], both["b_src"]) == ("a:2", "b:1")


def test_study_area_clips_and_is_covered_with_count_zero(rus_provider):
    area = memory_layer("area", ["POLYGON((-5 -5,8 -5,8 8,-5 8,-5 -5))"])  # 169 m²
    rows = run(
        {"SECTORS": [memory_layer("a", [SQUARE_A]), memory_layer("b", [SQUARE_B])], "EXTENT_LAYER": area}
    )
    # a ∩ area = [0,8]² = 64; b ∩ area = [5,8]² = 9, all of it inside a.
    assert flags_and_areas(rows, ["a", "b"]) == {(0, 0): 105.0, (1, 0): 55.0, (1, 1): 9.0}
    zero = next(r for r in rows if r["sector_count"] == 0)
    assert (zero["sectors"], zero["score"], zero["a_src"]) == ("", 0.0, "")


def test_buffered_points_become_a_sector(rus_provider, tmp_path):
    profile = tmp_path / "service.yaml"
    profile.write_text(
        "name: service\nsectors:\n  - {id: service, name_sv: Service, layer: ['vardcentraler'], buffer_m: 100}\n",
        encoding="utf-8",
    )
    points = memory_layer("vardcentraler", ["POINT(0 0)", "POINT(50 0)"], kind="Point")
    rows = run({"SECTORS": [points], "PROFILE": str(profile)})
    expected = shapely.union_all(shapely.buffer(shapely.points([[X0, Y0], [X0 + 50, Y0]]), 100, quad_segs=16))
    assert len(rows) == 1
    assert rows[0]["geometry"].area == pytest.approx(expected.area, rel=1e-9)
    assert rows[0]["service_src"] == "vardcentraler:1;vardcentraler:2"


# --------------------------------------------------------------------------- bad input


def failure(parameters: dict) -> str:
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as caught:
        run(parameters)
    return str(caught.value)


def test_layer_without_crs_is_refused(rus_provider):
    from qgis.core import QgsCoordinateReferenceSystem

    layer = memory_layer("utan_crs", [SQUARE_A], crs=None)
    layer.setCrs(QgsCoordinateReferenceSystem())  # a memory layer otherwise defaults to WGS 84
    assert "has no coordinate reference system" in failure({"SECTORS": [layer]})


def test_mislabelled_crs_is_refused(rus_provider, shared_data):
    from qgis.core import QgsVectorLayer

    path = shared_data / "kommuner_sweref99tm_no_crs_member.geojson"
    layer = QgsVectorLayer(str(path), "kommuner", "ogr")
    message = failure({"SECTORS": [layer]})
    assert "“kommuner” says its CRS is EPSG:4326" in message
    assert "cannot be in that CRS" in message


def test_geographic_target_crs_is_refused(rus_provider):
    message = failure({"SECTORS": [memory_layer("a", [SQUARE_A])], "TARGET_CRS": "EPSG:4326"})
    assert "geographic (degrees)" in message


def test_points_without_buffer_are_refused(rus_provider):
    points = memory_layer("noder", ["POINT(0 0)"], kind="Point")
    message = failure({"SECTORS": [memory_layer("a", [SQUARE_A]), points]})
    assert "“noder” (“noder”) has points or lines but no buffer" in message
    assert "buffer_m" in message


def test_null_and_empty_geometries_are_skipped_and_counted(rus_provider):
    layer = memory_layer("glesa", [SQUARE_A, None, "POLYGON EMPTY"])
    log = Log()
    rows = run({"SECTORS": [layer]}, feedback=log)
    assert [r["geometry"].area for r in rows] == [100.0]
    assert "glesa: 1 features without geometry were skipped" in log.text
    assert "glesa: 1 features with empty geometry were skipped" in log.text


def test_inputs_are_unchanged(rus_provider, tmp_path):
    import geopandas as gpd

    path = tmp_path / "input.gpkg"
    gpd.GeoDataFrame(
        {"namn": ["x", "y"]},
        geometry=[
            box(X0, Y0, X0 + 10, Y0 + 10),
            shapely.from_wkt(
                f"POLYGON(({X0} {Y0},{X0 + 10} {Y0 + 10},{X0 + 10} {Y0},{X0} {Y0 + 10},{X0} {Y0}))"
            ),
        ],
        crs=3006,
    ).to_file(path, engine="pyogrio")
    from qgis.core import QgsVectorLayer

    on_disk = QgsVectorLayer(str(path), "fil", "ogr")
    memory = memory_layer("minne", [SQUARE_B, "POLYGON((0 0,10 10,10 0,0 10,0 0))", None])

    def fingerprint(layer):
        return layer.featureCount(), [(f.id(), bytes(f.geometry().asWkb())) for f in layer.getFeatures()]

    before = [fingerprint(on_disk), fingerprint(memory)]
    file_bytes = path.read_bytes()
    run({"SECTORS": [on_disk, memory]})
    assert [fingerprint(on_disk), fingerprint(memory)] == before
    assert path.read_bytes() == file_bytes


def test_cancel_from_the_feedback_stops_the_run(rus_provider):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    squares = [f"POLYGON(({x} 0,{x + 8} 0,{x + 8} 8,{x} 8,{x} 0))" for x in range(0, 500, 10)]
    feedback = QgsProcessingFeedback()
    # Cancel as soon as reading is done and the overlay starts (as a user pressing Cancel would).
    feedback.progressChanged.connect(lambda percent: feedback.cancel() if percent > 0 else None)
    with pytest.raises(QgsProcessingException, match="cancelled"):
        run({"SECTORS": [memory_layer("a", squares)]}, feedback=feedback)


# --------------------------------------------------------------------------- core, many tiles


# --------------------------------------------------------------------------- front ends


def test_qgis_process_binary(shared_data, reference, tmp_path):
    output = tmp_path / "overlay.gpkg"
    kultur = tmp_path / "kultur_18.gpkg"
    import geopandas as gpd

    frame = gpd.read_file(shared_data / "riksintressen_kulturmiljo.gpkg", engine="pyogrio")
    frame[frame["lanskod"] == "18"].to_file(kultur, layer="kultur", engine="pyogrio")
    done = qgis_process(
        "run",
        ALG,
        "--json",
        "--",
        f"SECTORS={kultur}",
        f"SECTORS={shared_data / 'nvr_nationalparker.gpkg'}",
        f"OUTPUT={output}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout[done.stdout.find("{") :])
    assert Path(result["results"]["OUTPUT"]) == output
    rows = read_layer_rows(output)
    ids = [name for name in rows[0] if name not in ("fid", "geometry") and not name.endswith("_src")][:2]
    assert set(ids) == {"kultur_18", "nvr_nationalparker"}
    dissolved = {"kultur_18": reference["kultur"], "nvr_nationalparker": reference["natur"]}
    dissolved = {i: dissolved[i] for i in ids}
    assert_partition(
        rows, ids, reference_patterns(dissolved), shapely.union_all(list(dissolved.values())).area
    )


def test_output_is_styled_graduated_when_loaded(rus_provider, qgis_iface, layer_tree_view):
    import processing
    from qgis.core import QgsGraduatedSymbolRenderer, QgsProject

    result = processing.runAndLoadResults(
        ALG,
        {
            "SECTORS": [memory_layer("a", [SQUARE_A]), memory_layer("b", [SQUARE_B])],
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    layer = QgsProject.instance().mapLayer(result["OUTPUT"])
    assert layer is not None
    renderer = layer.renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer)
    assert renderer.classAttribute() == "sector_count"
    assert [(r.lowerValue(), r.upperValue()) for r in renderer.ranges()] == [
        (-0.5, 0.5),
        (0.5, 1.5),
        (1.5, 2.5),
    ]
    QgsProject.instance().removeMapLayer(layer.id())


def test_without_loading_no_post_processor_is_set(rus_provider):
    import processing
    from qgis.core import QgsProcessingContext

    from rus_planner.rus_planner.processing.algorithms import sector_overlay

    context = QgsProcessingContext()
    before = dict(sector_overlay._STYLERS)
    result = processing.run(
        ALG, {"SECTORS": [memory_layer("a", [SQUARE_A])], "OUTPUT": "TEMPORARY_OUTPUT"}, context=context
    )
    assert not context.layersToLoadOnCompletion()
    assert sector_overlay._STYLERS == before  # nothing to style, so no post-processor is kept
    assert result["OUTPUT"].renderer().type() != "graduatedSymbol"  # nothing styled the layer


def test_works_inside_a_model_feeding_another_algorithm(rus_provider):
    """Graphical-modeller use: the overlay's output is the input of native:extractbyattribute."""
    import processing
    from qgis.core import (
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterMultipleLayers,
    )

    static = QgsProcessingModelChildParameterSource.fromStaticValue
    model = QgsProcessingModelAlgorithm("overlap_only", "tests")
    model.addModelParameter(
        QgsProcessingParameterMultipleLayers(
            "layers", "layers", QgsProcessing.SourceType.TypeVectorAnyGeometry
        ),
        QgsProcessingModelParameter("layers"),
    )
    overlay = QgsProcessingModelChildAlgorithm(ALG)
    overlay.setChildId("overlay")
    overlay.addParameterSources(
        "SECTORS", [QgsProcessingModelChildParameterSource.fromModelParameter("layers")]
    )
    overlay.addParameterSources("TARGET_CRS", [static("EPSG:3006")])
    model.addChildAlgorithm(overlay)
    extract = QgsProcessingModelChildAlgorithm("native:extractbyattribute")
    extract.setChildId("extract")
    extract.addParameterSources(
        "INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("overlay", "OUTPUT")]
    )
    extract.addParameterSources("FIELD", [static("sector_count")])
    extract.addParameterSources("OPERATOR", [static(3)])  # >=
    extract.addParameterSources("VALUE", [static("2")])
    output = QgsProcessingModelOutput("overlaps")
    output.setChildId("extract")
    output.setChildOutputName("OUTPUT")
    extract.setModelOutputs({"overlaps": output})
    model.addChildAlgorithm(extract)
    model.updateDestinationParameters()

    layers = [memory_layer("a", [SQUARE_A]), memory_layer("b", [SQUARE_B])]
    result = processing.run(model, {"layers": layers, "extract:overlaps": "TEMPORARY_OUTPUT"})
    rows = read_layer_rows(result["extract:overlaps"])
    assert [(r["a"], r["b"], round(r["geometry"].area, 9)) for r in rows] == [(1, 1, 25.0)]
