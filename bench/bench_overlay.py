"""sectoroverlay against the QGIS-native way and against the GEOS floor, on two layouts.

- county: 8 synthetic sector layers in EPSG:3006 over a county-sized extent (200 × 200 km
  around Örebro), 1,000–5,000 irregular polygons each, clustered like real planning layers
  and overlapping inside a layer too; overlaid 2, 4, 6 and 8 at a time.
- dense: 8 layers × 2,000 round polygons (buffers of 200–2,500 m radius, 33 vertices) spread
  evenly over a 100 × 100 km square, the way service areas, buffers and catchments overlap
  in a real region: each sector covers some three quarters of the square.

Each line has three timings on the same GeoPackages:
- ours: the rusplanner:sectoroverlay Processing algorithm, end to end (reading the files,
  writing a temporary layer), with its time split (read / dissolve / node / attribute /
  write) from the algorithm's phase record (rus_planner/core/phases.py);
- native: the fair QGIS-native chain: native:dissolve of each layer first (so neither
  side double counts), then native:union of them one after the other;
- floor: a plain single-threaded shapely pipeline on the geometries already in memory:
  union_all per sector, union_all of the 8 boundaries, polygonize, and each face tagged by
  its point_on_surface against each dissolved sector. No reading, no writing, no
  traceability fields: the least any exact overlay of these inputs costs in GEOS.
Each timing runs in a child process of its own, which first runs its side once on a tiny
input (imports, GDAL and GEOS set up, as in a QGIS session that has run anything before)
and then the timed run. Peak memory is the child's VmHWM (/proc/self/status: the peak
resident memory of its own address space, QGIS included where it is started; the value
before the timed run is shown in brackets). Not getrusage's ru_maxrss: Linux carries the
parent's resident size over an exec into it, so every child would report at least the
parent's. Equal total areas are checked and printed.
BENCH_LAYOUT=dense (or county) runs one layout: make bench BENCH=overlay BENCH_LAYOUT=dense.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, "") and str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUTPUT, line  # noqa: E402

LAYER_SIZES = (5000, 1000, 3000, 2000, 4000, 1500, 2500, 3500)
EXTENT = (420_000.0, 6_480_000.0, 620_000.0, 6_680_000.0)  # metres, EPSG:3006
SEED = 20261122
DENSE_EXTENT = (450_000.0, 6_500_000.0, 550_000.0, 6_600_000.0)  # 100 × 100 km
DENSE_SEED = 20261205


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


def make_dense_layer(index: int, count: int, seed: int = DENSE_SEED):
    """Round polygons of 200–2,500 m radius spread evenly over the square; deterministic."""
    import numpy as np
    import shapely

    rng = np.random.default_rng(seed + 104_729 * index)
    xmin, ymin, xmax, ymax = DENSE_EXTENT
    centres = rng.uniform((xmin, ymin), (xmax, ymax), size=(count, 2))
    radius = rng.uniform(200.0, 2500.0, size=count)
    return shapely.buffer(shapely.points(centres), radius, quad_segs=8)


@dataclass(frozen=True)
class Layout:
    name: str
    sizes: tuple[int, ...]
    maker: object
    seed: int
    counts: tuple[int, ...]  # how many of the layers each line overlays
    description: str

    @property
    def folder(self) -> Path:
        if self.name == "county":
            return OUTPUT / f"overlay_{self.seed}"  # where the earlier bench wrote the same layers
        return OUTPUT / f"overlay_{self.name}_{self.seed}"


LAYOUTS = {
    "county": Layout(
        "county",
        LAYER_SIZES,
        make_layer,
        SEED,
        (2, 4, 6, 8),
        "layers of " + ", ".join(map(str, LAYER_SIZES)) + " clustered polygons (200 x 200 km)",
    ),
    "dense": Layout(
        "dense",
        (2000,) * 8,
        make_dense_layer,
        DENSE_SEED,
        (8,),
        "8 layers of 2000 polygons of 200-2500 m radius, heavily overlapping (100 x 100 km)",
    ),
}


WARMUP = Layout("warmup", (20, 20), make_dense_layer, DENSE_SEED, (2,), "20 polygons twice")


def write_layers(layout: Layout) -> list[str]:
    """Write the layout's layers as GeoPackages once (a new seed writes new ones); their paths."""
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

    folder = layout.folder
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    for index, count in enumerate(layout.sizes):
        path = folder / f"sector_{index + 1}.gpkg"
        paths.append(str(path))
        if path.exists():
            continue
        fields = QgsFields()
        fields.append(qgs_field(f"s{index + 1}_id", QMetaType.Type.Int))
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = f"sector_{index + 1}"
        partial = path.with_suffix(".part.gpkg")
        writer = QgsVectorFileWriter.create(
            str(partial), fields, QgsWkbTypes.Type.MultiPolygon, crs, QgsCoordinateTransformContext(), options
        )
        for number, wkb in enumerate(shapely.to_wkb(layout.maker(index, count, layout.seed))):
            feature = QgsFeature(fields)
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)
            geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes([number + 1])
            writer.addFeature(feature)
        del writer
        partial.rename(path)  # a run stopped half-way leaves no half-written layer behind
    return paths


# --------------------------------------------------------------------------- the three timings


def total_area(layer) -> float:
    return sum(f.geometry().area() for f in layer.getFeatures())


def run_ours(paths: list[str]) -> dict:
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from rus_planner.rus_planner.core.phases import LAST

    context = QgsProcessingContext()
    start, cpu = time.perf_counter(), time.process_time()
    result = processing.run(
        "rusplanner:sectoroverlay",
        {"SECTORS": paths, "TARGET_CRS": "EPSG:3006", "OUTPUT": "TEMPORARY_OUTPUT"},
        context=context,
        feedback=QgsProcessingFeedback(),
    )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _peak_mb()
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = context.getMapLayer(layer)
    phases = LAST.get("sectoroverlay")
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "area": total_area(layer),
        "count": layer.featureCount(),
        "split": phases.text() if phases is not None else "",
    }


def run_native(paths: list[str]) -> dict:
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
    peak = _peak_mb()
    if isinstance(current, str):
        current = context.getMapLayer(current)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "area": total_area(current),
        "count": current.featureCount(),
    }


def read_geometries(path: str):
    """All geometries of a GeoPackage layer as shapely (GDAL's Arrow interface; not timed)."""
    import numpy as np
    import shapely
    from osgeo import gdal

    gdal.UseExceptions()
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    layer = dataset.GetLayer(0)
    definition = layer.GetLayerDefn()
    layer.SetIgnoredFields([definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())])
    # (GDAL 3.6 hands out empty geometries when the fid is left out and a field is ignored)
    key = layer.GetGeometryColumn() or "wkb_geometry"
    wkbs = []
    for batch in layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO", "INCLUDE_FID=YES"]):
        wkbs.append(np.asarray(batch[key], dtype=object))
    return shapely.from_wkb(np.concatenate(wkbs))


def floor_pipeline(sectors: list) -> tuple:
    """The plain shapely overlay: dissolve, node, polygonize, tag. (faces, flags, seconds per step)."""
    import numpy as np
    import shapely

    stamps = [time.perf_counter()]
    dissolved = [shapely.union_all(geometries) for geometries in sectors]
    stamps.append(time.perf_counter())
    noded = shapely.union_all(shapely.boundary(np.asarray(dissolved, dtype=object)))
    stamps.append(time.perf_counter())
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    stamps.append(time.perf_counter())
    points = shapely.point_on_surface(faces)
    flags = np.zeros((len(faces), len(sectors)), dtype=np.uint8)
    for k, sector in enumerate(dissolved):
        shapely.prepare(sector)
        flags[:, k] = shapely.intersects(sector, points)
    covered = flags.any(axis=1)  # polygonize also fills the holes no sector covers
    faces, flags = faces[covered], flags[covered]
    stamps.append(time.perf_counter())
    return faces, flags, np.diff(stamps)


def run_floor(paths: list[str]) -> dict:
    import shapely

    sectors = [read_geometries(path) for path in paths]
    before = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    faces, _flags, steps = floor_pipeline(sectors)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": _peak_mb(),
        "before_mb": before,
        "area": float(shapely.area(faces).sum()),
        "count": len(faces),
        "split": "dissolve {:.2f} / node {:.2f} / polygonize {:.2f} / attribute {:.2f}".format(*steps),
    }


def _peak_mb() -> float:
    """Peak resident memory of this process's address space so far (VmHWM), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for text in status:
            if text.startswith("VmHWM:"):
                return int(text.split()[1]) / 1024  # kB
    return float("nan")


def child(kind: str, paths: list[str], warmup: list[str]) -> dict:
    """One timing in this (child) process, after a run on the tiny warm-up input; a dict."""
    if kind != "floor":
        from common import start_qgis

        start_qgis()
    run = {"ours": run_ours, "native": run_native, "floor": run_floor}[kind]
    run(warmup)
    before = _peak_mb()
    result = run(paths)
    result.setdefault("before_mb", before)  # the floor's own is taken after it read the layers
    return result


def in_child(kind: str, paths: list[str], warmup: list[str]) -> dict:
    """Run one timing in a fresh process, so that its peak memory is its own."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, ",".join(warmup), *paths],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    answers = [text for text in done.stdout.splitlines() if text.startswith("{")]
    if done.returncode != 0 or not answers:
        raise RuntimeError(
            f"{kind} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    return json.loads(answers[-1])


def main() -> None:
    line(
        "sectoroverlay (ours, Processing end to end: read + overlay + write) vs native:dissolve + "
        "native:union chain (native) vs plain single-threaded shapely on geometries in memory (floor)"
    )
    line(
        "(wall-clock seconds decide the ratios; CPU seconds of each process are shown too, because the "
        "machine is shared and ours uses all cores; each timing is a warm run in a child process of its "
        f"own; where the native run takes under {ROUNDS_UNDER_S:.0f} s, ours, native and floor are timed "
        f"{ROUNDS} times in turn and the medians count; peak memory = the child's VmHWM, QGIS included, "
        "its value before the timed run in brackets)"
    )
    wanted = [name for name in os.environ.get("BENCH_LAYOUT", "").split(",") if name]
    warmup = write_layers(WARMUP)
    for layout in LAYOUTS.values():
        if wanted and layout.name not in wanted:
            continue
        paths = write_layers(layout)
        line(f"layout {layout.name}: {layout.description}")
        for n in layout.counts:
            rounds = {"ours": [], "native": [], "floor": []}
            while True:  # ours, native and floor in turn, so that a slow minute of the machine hits all three
                for kind, results in rounds.items():
                    results.append(in_child(kind, paths[:n], warmup))
                if len(rounds["native"]) >= ROUNDS or rounds["native"][0]["seconds"] > ROUNDS_UNDER_S:
                    break
            line(describe(layout.name, n, *(median_run(results) for results in rounds.values())))


#: Each timing is taken this many times (the median counts) where the native run takes less
#: than ROUNDS_UNDER_S seconds; longer native runs are timed once (they average the machine's
#: ups and downs themselves, and three would take too long).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROUNDS_UNDER_S = 90.0


def median_run(results: list[dict]) -> dict:
    """The run with the median wall time, and every run's time ("2.41 / 2.35 / 2.60") beside it."""
    ranked = sorted(results, key=lambda result: result["seconds"])
    middle = dict(ranked[(len(ranked) - 1) // 2])
    middle["times"] = " / ".join(f"{result['seconds']:.2f}" for result in results)
    return middle


def describe(name: str, n: int, ours: dict, native: dict, floor: dict) -> str:
    areas = [ours["area"], native["area"], floor["area"]]
    relative = (max(areas) - min(areas)) / native["area"]
    return (
        f"overlay {name} N={n}{rounds_text(ours)}: ours {ours['seconds']:.2f} s (cpu {ours['cpu']:.2f} s, {ours['count']} pieces; "
        f"{ours['split']}), native {native['seconds']:.2f} s (cpu {native['cpu']:.2f} s, {native['count']} "
        f"features), floor {floor['seconds']:.2f} s ({floor['count']} faces; {floor['split']}); "
        f"ours/native speed-up {native['seconds'] / ours['seconds']:.1f}x, "
        f"ours/floor {ours['seconds'] / floor['seconds']:.2f}x; "
        f"area ours {ours['area'] / 1e6:.6f} native {native['area'] / 1e6:.6f} floor {floor['area'] / 1e6:.6f} km2, "
        f"rel diff {relative:.1e} ({'equal' if relative <= 1e-6 else 'NOT EQUAL'}); "
        f"peak memory ours {ours['peak_mb']:.0f} MB ({ours['before_mb']:.0f}), native {native['peak_mb']:.0f} MB "
        f"({native['before_mb']:.0f}), floor {floor['peak_mb']:.0f} MB ({floor['before_mb']:.0f})"
        + (
            f"; every round's seconds: ours {ours['times']}, native {native['times']}, floor {floor['times']}"
            if " / " in ours["times"]
            else ""
        )
    )


def rounds_text(run: dict) -> str:
    count = run["times"].count(" / ") + 1
    return f" (median of {count} rounds)" if count > 1 else ""


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[4:], sys.argv[3].split(","))), flush=True)
        os._exit(0)  # skip QGIS's teardown: the answer is out
