"""Element check: rusplanner:checkelements vs. the QGIS-native chain, on the same GeoPackages.

1,000 RUS areas × 10 agency layers × 10,000 features each, synthetic and deterministic,
with realistic sizes in SWEREF 99 TM (RUS areas 1–3 km in radius, agency polygons from a
3 ha natural monument to a 2 km² reserve), written to bench-output/. Two layouts:

* ``dense``: elements and agency features spread over the same 400 × 400 km, so every
  agency feature is a candidate (the hardest case for reading);
* ``regional``: one region's elements (100 × 150 km) against national layers spread over
  Sweden's extent, the way a region checks its RUS against the agencies' national data.

The native chain is what a planner would model without the plugin: per agency layer
(one overlap rule each), native:extractbylocation (features that intersect an element)
then native:intersection (elements × those features). Both must give the same
element × feature pairs with the same overlap areas.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from common import OUTPUT, line, start_qgis, timer

# GeoPackage 1.2, as the GDAL QGIS 3.22 runs on writes it (pyogrio's newer GDAL writes 1.4,
# which QGIS's GDAL warns about on every open).
GPKG_VERSION = {"VERSION": "1.2"}
ELEMENTS = 1_000
LAYERS = 10
FEATURES = 10_000
ROUNDS = 3
# (x0, y0, width, height) of the elements and of the agency features, in EPSG:3006
LAYOUTS = {
    "dense": ((400_000, 6_300_000, 400_000, 400_000), (400_000, 6_300_000, 400_000, 400_000)),
    "regional": ((450_000, 6_520_000, 100_000, 150_000), (270_000, 6_130_000, 650_000, 1_550_000)),
}


def _polygons(rng, count: int, rmin: float, rmax: float, sides: int, extent):
    """Irregular star-convex polygons around random centres (deterministic for a seed)."""
    import shapely

    x0, y0, width, height = extent
    centres = rng.uniform((x0, y0), (x0 + width, y0 + height), size=(count, 2))
    radii = rng.uniform(rmin, rmax, size=count)
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    wobble = rng.uniform(0.75, 1.0, size=(count, sides))
    xs = centres[:, :1] + radii[:, None] * wobble * np.cos(angles)
    ys = centres[:, 1:] + radii[:, None] * wobble * np.sin(angles)
    rings = np.stack([xs, ys], axis=-1)
    rings = np.concatenate([rings, rings[:, :1]], axis=1)
    return shapely.polygons(rings)


def make_data(layout: str) -> tuple[str, list[str]]:
    """Write the elements and the agency layers to GeoPackage (once; the seeds fix them)."""
    import geopandas as gpd

    element_extent, agency_extent = LAYOUTS[layout]
    folder = OUTPUT / f"check_data_{layout}_gpkg12"
    folder.mkdir(parents=True, exist_ok=True)
    elements_path = folder / "bench_omraden.gpkg"
    agency_paths = [folder / f"myndighet_{i:02d}.gpkg" for i in range(1, LAYERS + 1)]
    if not elements_path.exists():
        rng = np.random.default_rng(20261122)
        gpd.GeoDataFrame(
            {"eid": np.arange(ELEMENTS), "namn": [f"Område {i}" for i in range(ELEMENTS)]},
            geometry=_polygons(rng, ELEMENTS, 1_000, 3_000, 32, element_extent),
            crs="EPSG:3006",
        ).to_file(elements_path, engine="pyogrio", dataset_options=GPKG_VERSION)
    for index, path in enumerate(agency_paths):
        if path.exists():
            continue
        rng = np.random.default_rng(1000 + index)
        gpd.GeoDataFrame(
            {"aid": np.arange(FEATURES), "NAMN": [f"Intresse {index}-{i}" for i in range(FEATURES)]},
            geometry=_polygons(rng, FEATURES, 100, 800, 16, agency_extent),
            crs="EPSG:3006",
        ).to_file(path, engine="pyogrio", dataset_options=GPKG_VERSION)
    return str(elements_path), [str(p) for p in agency_paths]


def run_plugin(elements, agency: list) -> dict:
    """checkelements (on paths or open layers); returns {(element eid, layer, feature aid): overlap m²}."""
    import processing
    from qgis.core import QgsFeatureRequest, QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    result = processing.run(
        "rusplanner:checkelements",
        {"ELEMENTS": [elements], "AGENCY_LAYERS": agency, "OUTPUT": "memory:", "SUMMARY": "memory:"},
        context=context,
        feedback=QgsProcessingFeedback(),
    )
    layer = context.getMapLayer(result["OUTPUT"]) if isinstance(result["OUTPUT"], str) else result["OUTPUT"]
    # Only what the comparison needs, as the native side reads only its pieces' ids and areas.
    names = ["element_fid", "agency_layer", "feature_fid", "overlap_m2"]
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setSubsetOfAttributes(names, layer.fields())
    columns = [layer.fields().indexOf(name) for name in names]
    found = {}
    for feature in layer.getFeatures(request):
        element_fid, agency_layer, feature_fid, overlap = (feature.attribute(i) for i in columns)
        if not isinstance(feature_fid, int):
            continue  # the profile's standing notices (class D per element, no agency feature)
        # GeoPackage fids start at 1 and follow the written order: fid - 1 is the eid/aid.
        found[(element_fid - 1, agency_layer, feature_fid - 1)] = overlap
    return found


def run_native(elements, agency: list) -> dict:
    """extract by location + intersection per agency layer; same key as run_plugin."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    found = {}
    for path in agency:
        layer_name = path.name() if hasattr(path, "name") else Path(path).stem
        extracted = processing.run(
            "native:extractbylocation",
            {"INPUT": path, "PREDICATE": [0], "INTERSECT": elements, "OUTPUT": "memory:"},
            context=context,
            feedback=feedback,
        )["OUTPUT"]
        pieces = processing.run(
            "native:intersection",
            {"INPUT": elements, "OVERLAY": extracted, "OUTPUT": "memory:"},
            context=context,
            feedback=feedback,
        )["OUTPUT"]
        pieces = context.getMapLayer(pieces) if isinstance(pieces, str) else pieces
        for feature in pieces.getFeatures():
            area = feature.geometry().area()
            if area > 0:
                key = (feature["eid"], layer_name, feature["aid"])
                found[key] = found.get(key, 0.0) + area
    return found


def pyqgis_floor(elements: str, agency: list[str]) -> tuple[float, float, int]:
    """What QGIS itself costs in this check, whatever the analysis: loading the layers, and
    turning the findings (all 23 fields, with geometry) into QGIS features in a layer, the
    fastest way known (the plugin's own writer, on the findings as read back).

    Returns (seconds to load the layers, seconds to write the features, findings).
    """
    import processing
    import shapely
    from qgis.core import QgsMemoryProviderUtils, QgsProcessingContext, QgsProcessingUtils

    from rus_planner.rus_planner.qgis_io.feature_writing import write_features

    context = QgsProcessingContext()
    result = processing.run(
        "rusplanner:checkelements",
        {"ELEMENTS": [elements], "AGENCY_LAYERS": agency, "OUTPUT": "memory:", "SUMMARY": "memory:"},
        context=context,
    )
    layer = context.getMapLayer(result["OUTPUT"]) if isinstance(result["OUTPUT"], str) else result["OUTPUT"]
    features = list(layer.getFeatures())
    geometries = shapely.from_wkb([bytes(f.geometry().asWkb()) for f in features])
    rows = [
        [None if v is None or (hasattr(v, "isNull") and v.isNull()) else v for v in f.attributes()]
        for f in features
    ]
    times: dict[str, float] = {}
    with timer(times, "load"):
        fresh = QgsProcessingContext()
        for path in [elements, *agency]:
            QgsProcessingUtils.mapLayerFromString(path, fresh)
    with timer(times, "write"):
        target = QgsMemoryProviderUtils.createMemoryLayer(
            "floor", layer.fields(), layer.wkbType(), layer.crs()
        )
        write_features(target.dataProvider(), geometries, rows)
    return times["load"], times["write"], len(rows)


def bench_layout(layout: str, open_layers: bool = False) -> None:
    """One layout, from files (as qgis_process gets them) or from layers already open in QGIS
    (as in the desktop, where the planner's project holds them)."""
    from qgis.core import QgsVectorLayer

    results: dict[str, float] = {}
    with timer(results, "data"):
        elements, agency = make_data(layout)
    if open_layers:
        files = elements, agency
        elements = QgsVectorLayer(elements, Path(elements).stem, "ogr")
        agency = [QgsVectorLayer(path, Path(path).stem, "ogr") for path in agency]
        layout = f"{layout}, layers open in QGIS"
    line(
        f"check [{layout}]: {ELEMENTS} elements × {LAYERS} agency layers × {FEATURES} features "
        f"(data ready in {results['data']:.1f} s)"
    )
    # Warm both up once (imports, provider start, file cache), then take the best of three runs
    # each, in turns, so that a slow spell of the (shared) machine does not favour either side.
    run_plugin(elements, agency[:1])
    run_native(elements, agency[:1])
    for attempt in range(ROUNDS):
        with timer(results, f"plugin{attempt}"):
            ours = run_plugin(elements, agency)
        with timer(results, f"native{attempt}"):
            native = run_native(elements, agency)
    plugin = min(results[f"plugin{i}"] for i in range(ROUNDS))
    native_time = min(results[f"native{i}"] for i in range(ROUNDS))
    same_pairs = set(ours) == set(native)
    worst = max((abs(ours[k] - native[k]) / native[k] for k in native if k in ours), default=0.0)
    line(f"check [{layout}] checkelements: {plugin:.2f} s (best of {ROUNDS}), {len(ours)} overlap findings")
    line(
        f"check [{layout}] native extractbylocation+intersection ×{LAYERS}: {native_time:.2f} s "
        f"(best of {ROUNDS}), {len(native)} pieces"
    )
    line(f"check [{layout}] speed-up: {native_time / plugin:.1f}× (target ≥ 5×)")
    load, write, count = pyqgis_floor(*(files if open_layers else (elements, agency)))
    loading = "" if open_layers else f"loading the {LAYERS + 1} layers {load:.2f} s, "
    line(
        f"check [{layout}] of which QGIS itself costs: {loading}"
        f"turning {count} findings into QGIS features {write:.2f} s"
    )
    line(
        f"check [{layout}] findings identical: {'yes' if same_pairs and worst <= 1e-6 else 'NO'} "
        f"(pairs equal: {same_pairs}, largest relative area difference {worst:.1e})"
    )


def main() -> None:
    start_qgis()
    for layout in LAYOUTS:
        for open_layers in (False, True):
            bench_layout(layout, open_layers)
