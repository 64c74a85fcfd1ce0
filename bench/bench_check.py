"""Element check: rusplanner:checkelements vs. the QGIS-native chain, on the same GeoPackages.

1,000 RUS areas × 10 agency layers × 10,000 features each, synthetic but of realistic
sizes in SWEREF 99 TM (areas 1–3 km in radius, agency polygons 3 ha–2 km²), written to
bench-output/. The native chain is what a planner would model without the plugin: per
agency layer (one overlap rule each), native:extractbylocation (features that intersect
an element) then native:intersection (elements × those features). Both must give the
same element × feature pairs with the same overlap areas.
"""

from __future__ import annotations

import numpy as np
from common import OUTPUT, line, start_qgis, timer

ELEMENTS = 1_000
LAYERS = 10
FEATURES = 10_000
X0, Y0, SIZE = 400_000.0, 6_300_000.0, 400_000.0  # a 400 × 400 km part of southern Sweden


def _polygons(rng, count: int, rmin: float, rmax: float, sides: int):
    """Irregular convex-ish polygons around random centres (deterministic for a seed)."""
    import shapely

    centres = rng.uniform((X0, Y0), (X0 + SIZE, Y0 + SIZE), size=(count, 2))
    radii = rng.uniform(rmin, rmax, size=count)
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    wobble = rng.uniform(0.75, 1.0, size=(count, sides))
    xs = centres[:, :1] + radii[:, None] * wobble * np.cos(angles)
    ys = centres[:, 1:] + radii[:, None] * wobble * np.sin(angles)
    rings = np.stack([xs, ys], axis=-1)
    rings = np.concatenate([rings, rings[:, :1]], axis=1)
    return shapely.polygons(rings)


def make_data() -> tuple[str, list[str]]:
    """Write the elements and the agency layers to GeoPackage (once; the seed fixes them)."""
    import geopandas as gpd

    folder = OUTPUT / "check_data"
    folder.mkdir(parents=True, exist_ok=True)
    elements_path = folder / "bench_omraden.gpkg"
    agency_paths = [folder / f"myndighet_{i:02d}.gpkg" for i in range(1, LAYERS + 1)]
    if not elements_path.exists():
        rng = np.random.default_rng(20261122)
        geometries = _polygons(rng, ELEMENTS, 1_000, 3_000, 32)
        gpd.GeoDataFrame(
            {"eid": np.arange(ELEMENTS), "namn": [f"Område {i}" for i in range(ELEMENTS)]},
            geometry=geometries,
            crs="EPSG:3006",
        ).to_file(elements_path, engine="pyogrio")
    for index, path in enumerate(agency_paths):
        if path.exists():
            continue
        rng = np.random.default_rng(1000 + index)
        # radius 100–800 m: from a 3 ha natural monument to a 2 km² reserve
        geometries = _polygons(rng, FEATURES, 100, 800, 16)
        gpd.GeoDataFrame(
            {"aid": np.arange(FEATURES), "NAMN": [f"Intresse {index}-{i}" for i in range(FEATURES)]},
            geometry=geometries,
            crs="EPSG:3006",
        ).to_file(path, engine="pyogrio")
    return str(elements_path), [str(p) for p in agency_paths]


def run_plugin(elements: str, agency: list[str]) -> dict:
    """checkelements; returns {(element eid, layer, feature aid): overlap m²}."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    result = processing.run(
        "rusplanner:checkelements",
        {"ELEMENTS": [elements], "AGENCY_LAYERS": agency, "OUTPUT": "memory:", "SUMMARY": "memory:"},
        context=context,
        feedback=QgsProcessingFeedback(),
    )
    layer = context.getMapLayer(result["OUTPUT"]) if isinstance(result["OUTPUT"], str) else result["OUTPUT"]
    found = {}
    for feature in layer.getFeatures():
        # GeoPackage fids start at 1 and follow the written order: fid - 1 is the eid/aid.
        key = (feature["element_fid"] - 1, feature["agency_layer"], feature["feature_fid"] - 1)
        found[key] = feature["overlap_m2"]
    return found


def run_native(elements: str, agency: list[str]) -> dict:
    """extract by location + intersection per agency layer; same key as run_plugin."""
    from pathlib import Path

    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    found = {}
    for path in agency:
        layer_name = Path(path).stem
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


def main() -> None:
    start_qgis()
    results: dict[str, float] = {}
    with timer(results, "data"):
        elements, agency = make_data()
    line(
        f"check data: {ELEMENTS} elements × {LAYERS} agency layers × {FEATURES} features "
        f"(ready in {results['data']:.1f} s)"
    )
    # Warm both up once (imports, provider start, file cache), then take the better of two runs each.
    run_plugin(elements, agency[:1])
    run_native(elements, agency[:1])
    for attempt in range(2):
        with timer(results, f"plugin{attempt}"):
            ours = run_plugin(elements, agency)
        with timer(results, f"native{attempt}"):
            native = run_native(elements, agency)
    results["plugin"] = min(results["plugin0"], results["plugin1"])
    results["native"] = min(results["native0"], results["native1"])
    same_pairs = set(ours) == set(native)
    worst = max((abs(ours[k] - native[k]) / native[k] for k in native if k in ours), default=0.0)
    same_areas = same_pairs and worst <= 1e-6
    line(f"checkelements: {results['plugin']:.2f} s (best of 2), {len(ours)} overlap findings")
    line(
        f"native extractbylocation+intersection ×{LAYERS}: {results['native']:.2f} s (best of 2), "
        f"{len(native)} pieces"
    )
    line(f"check speed-up: {results['native'] / results['plugin']:.1f}× (target ≥ 5×)")
    line(
        f"check findings identical: {'yes' if same_areas else 'NO'} "
        f"(pairs equal: {same_pairs}, largest relative area difference {worst:.1e})"
    )
