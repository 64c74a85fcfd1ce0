"""sectoroverlay against the QGIS-native way: a chain of native:union over dissolved layers.

Both sides read the same GeoPackages: 8 synthetic sector layers in EPSG:3006 over a
county-sized extent (200 × 200 km around Örebro), 1,000–5,000 irregular polygons each,
clustered like real planning layers and overlapping inside a layer too. The native side
dissolves each layer first (native:dissolve), so neither side double counts, then unions
them one after the other. Equal total areas are checked and printed with the times.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from common import OUTPUT, line, peak_memory_mb

LAYER_SIZES = (5000, 1000, 3000, 2000, 4000, 1500, 2500, 3500)
EXTENT = (420_000.0, 6_480_000.0, 620_000.0, 6_680_000.0)  # metres, EPSG:3006
SEED = 20261122


def make_layer(index: int, count: int, seed: int = SEED):
    """Irregular, clustered polygons of 0.05–10 km²; deterministic for a seed and index."""
    import numpy as np
    import shapely

    rng = np.random.default_rng(seed + 7919 * index)
    xmin, ymin, xmax, ymax = EXTENT
    clusters = rng.uniform((xmin, ymin), (xmax, ymax), size=(12, 2))
    clustered = rng.random(count) < 0.7
    centres = rng.uniform((xmin, ymin), (xmax, ymax), size=(count, 2))
    pick = rng.integers(0, len(clusters), size=count)
    spread = rng.normal(0, 9000, size=(count, 2))
    centres[clustered] = clusters[pick[clustered]] + spread[clustered]
    centres = np.clip(centres, (xmin + 3000, ymin + 3000), (xmax - 3000, ymax - 3000))
    radius = np.exp(rng.normal(math.log(500), 0.6, size=count))
    vertices = rng.integers(16, 48, size=count)
    polygons = []
    for (cx, cy), r, n in zip(centres, radius, vertices):
        theta = np.sort(rng.uniform(0, 2 * np.pi, size=n))
        wobble = 1 + 0.25 * np.sin(3 * theta + rng.uniform(0, 6)) + rng.uniform(-0.15, 0.15, size=n)
        ring = np.column_stack((cx + r * wobble * np.cos(theta), cy + r * wobble * np.sin(theta)))
        polygons.append(shapely.Polygon(ring))
    geometries = np.asarray(polygons, dtype=object)
    return shapely.make_valid(geometries)


def write_layers(folder: Path) -> list[str]:
    """Write the 8 layers as GeoPackages once; returns their paths."""
    import shapely
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsFields,
        QgsGeometry,
        QgsVectorFileWriter,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QMetaType

    from rus_planner.rus_planner.qgis_io.compat import qgs_field

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    for index, count in enumerate(LAYER_SIZES):
        path = folder / f"sector_{index + 1}.gpkg"
        paths.append(str(path))
        if path.exists():
            continue
        fields = QgsFields()
        fields.append(qgs_field(f"s{index + 1}_id", QMetaType.Type.Int))
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = f"sector_{index + 1}"
        writer = QgsVectorFileWriter.create(
            str(path), fields, QgsWkbTypes.Type.MultiPolygon, crs, QgsCoordinateTransformContext(), options
        )
        for number, wkb in enumerate(shapely.to_wkb(make_layer(index, count))):
            feature = QgsFeature(fields)
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes([number + 1])
            writer.addFeature(feature)
        del writer
    return paths


def total_area(layer) -> float:
    return sum(f.geometry().area() for f in layer.getFeatures())


def run_ours(paths: list[str]):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    start, cpu = time.perf_counter(), time.process_time()
    result = processing.run(
        "rusplanner:sectoroverlay",
        {"SECTORS": paths, "TARGET_CRS": "EPSG:3006", "OUTPUT": "TEMPORARY_OUTPUT"},
        context=context,
        feedback=QgsProcessingFeedback(),
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = context.getMapLayer(layer)
    return seconds, cpu, total_area(layer), layer.featureCount()


def run_native(paths: list[str]):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    start, cpu = time.perf_counter(), time.process_time()
    dissolved = [
        processing.run(
            "native:dissolve",
            {"INPUT": path, "FIELD": [], "OUTPUT": "TEMPORARY_OUTPUT"},
            context=context,
            feedback=feedback,
        )["OUTPUT"]
        for path in paths
    ]
    current = dissolved[0]
    for other in dissolved[1:]:
        current = processing.run(
            "native:union",
            {"INPUT": current, "OVERLAY": other, "OUTPUT": "TEMPORARY_OUTPUT"},
            context=context,
            feedback=feedback,
        )["OUTPUT"]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if isinstance(current, str):
        current = context.getMapLayer(current)
    return seconds, cpu, total_area(current), current.featureCount()


def main() -> None:
    paths = write_layers(OUTPUT / f"overlay_{SEED}")  # a new seed writes new layers
    line(
        "sectoroverlay vs dissolve+native:union chain; layers of",
        ", ".join(str(n) for n in LAYER_SIZES),
        "polygons (EPSG:3006, 200 x 200 km)",
    )
    line(
        "(wall-clock seconds decide the ratio; CPU seconds of this process are shown too, because the "
        "machine is shared and ours runs its tiles on all cores)"
    )
    for n in (2, 4, 6, 8):
        ours, ours_cpu, our_area, our_count = run_ours(paths[:n])
        native, native_cpu, native_area, native_count = run_native(paths[:n])
        relative = abs(our_area - native_area) / native_area
        line(
            f"overlay N={n}: ours {ours:.2f} s (cpu {ours_cpu:.2f} s, {our_count} pieces), "
            f"native {native:.2f} s (cpu {native_cpu:.2f} s, {native_count} features), "
            f"ratio {native / ours:.1f}x, area ours {our_area / 1e6:.6f} km2 native {native_area / 1e6:.6f} km2, "
            f"rel diff {relative:.1e} ({'equal' if relative <= 1e-6 else 'NOT EQUAL'}), "
            f"peak memory {peak_memory_mb():.0f} MB"
        )
