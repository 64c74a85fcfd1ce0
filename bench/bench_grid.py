"""Grid overlay at 1 km: one county and all of Sweden with 8 sectors, and a QGIS-native chain.

BENCH_GRID_250=1 adds all of Sweden at 250 m (about 7 million land cells); BENCH_GRID_250=only
runs only the two national lines (1 km and 250 m). Each line's peak memory is its own (VmHWM
reset before the run).

The sectors are written once to bench-output/grid_sectors.gpkg: deterministic synthetic
layers spread over Sweden (irregular polygons of 48–160 vertices, buffered corridors,
buffered service points), plus real data (local labour-market regions, buffered tätorter,
riksintressen för kulturmiljövård, national parks in EPSG:4326). The native comparison on
the county is native:creategrid → per sector native:dissolve → native:clip to the county →
native:intersection with the grid → native:fieldcalculator of area, the usual way to get
covered shares per cell in QGIS; the shares are compared cell by cell.
"""

from __future__ import annotations

import math
import os
import resource
import time

from common import OUTPUT, SHARED_DATA, line, peak_memory_mb, reset_peak_memory, start_qgis

SECTORS_GPKG = OUTPUT / "grid_sectors.gpkg"
COUNTY_CODE = "18"  # Örebro län
SEED = 20261122


def _irregular_polygon(rng, x: float, y: float, radius: float, vertices: int):
    """A star-shaped, valid polygon with a ragged edge like a digitised boundary."""
    import numpy as np
    import shapely

    angles = np.sort(rng.uniform(0, 2 * math.pi, vertices))
    radii = radius * rng.uniform(0.55, 1.0, vertices)
    return shapely.Polygon(np.c_[x + radii * np.cos(angles), y + radii * np.sin(angles)])


def _points_in(rng, area, n: int):
    import numpy as np
    import shapely

    shapely.prepare(area)
    xmin, ymin, xmax, ymax = area.bounds
    out = np.empty((0, 2))
    while len(out) < n:
        xy = np.c_[rng.uniform(xmin, xmax, 4 * n), rng.uniform(ymin, ymax, 4 * n)]
        inside = shapely.contains_xy(area, xy[:, 0], xy[:, 1])
        out = np.vstack([out, xy[inside]])
    return out[:n]


def build_sectors() -> list[tuple[str, str]]:
    """Write the 8 sector layers (once); returns (layer name, uri) pairs."""
    import geopandas as gpd
    import numpy as np
    import shapely

    names = [
        "transport_stråk",
        "kompetens_arbetsmarknad",
        "kultur_riksintressen",
        "besöksnäring_nationalparker",
        "hälso_servicepunkter",
        "vattenförsörjning_områden",
        "civilt_försvar_beredskap",
        "socioekonomi_områden",
    ]
    uris = [(n, f"{SECTORS_GPKG}|layername={n}") for n in names]
    if SECTORS_GPKG.exists():
        return uris
    OUTPUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(SEED)
    lan = gpd.read_file(SHARED_DATA / "lan.gpkg")
    sweden = shapely.union_all(lan.geometry.values)
    crs = "EPSG:3006"

    def write(name, geometries, layer_crs=crs):
        gpd.GeoDataFrame(
            {"nr": np.arange(len(geometries))}, geometry=list(geometries), crs=layer_crs
        ).to_file(SECTORS_GPKG, layer=name, driver="GPKG")

    # Transport: 1,500 corridors, random-walk roads buffered 1 km.
    starts = _points_in(rng, sweden, 1500)
    corridors = []
    for x, y in starts:
        steps = rng.normal(0, 2500, (12, 2)).cumsum(axis=0)
        corridors.append(
            shapely.LineString(np.c_[x + steps[:, 0], y + steps[:, 1]]).buffer(1000, quad_segs=4)
        )
    write(names[0], corridors)
    # Skills supply: the real local labour-market regions (they tile Sweden).
    write(names[1], gpd.read_file(SHARED_DATA / "lokal_arbetsmarknad.gpkg").geometry.values)
    # Culture: 3,000 small irregular areas plus the real riksintressen för kulturmiljövård.
    centres = _points_in(rng, sweden, 3000)
    culture = [
        _irregular_polygon(rng, x, y, rng.uniform(400, 4000), int(rng.integers(48, 160))) for x, y in centres
    ]
    culture += list(gpd.read_file(SHARED_DATA / "riksintressen_kulturmiljo.gpkg").geometry.values)
    write(names[2], culture)
    # Visitor economy: 2,000 irregular areas and the real national parks, stored in EPSG:4326
    # as Naturvårdsverket delivers them, so the run reprojects a large layer.
    centres = _points_in(rng, sweden, 2000)
    visitor = gpd.GeoSeries(
        [
            _irregular_polygon(rng, x, y, rng.uniform(1000, 12000), int(rng.integers(48, 160)))
            for x, y in centres
        ],
        crs=crs,
    ).to_crs("EPSG:4326")
    parks = gpd.read_file(SHARED_DATA / "nvr_nationalparker.gpkg").geometry
    write(names[3], list(visitor.values) + list(parks.values), "EPSG:4326")
    # Health care: the real tätorter buffered 10 km (heavily overlapping).
    tatorter = gpd.read_file(SHARED_DATA / "tatorter.gpkg")
    write(names[4], shapely.buffer(tatorter.geometry.values, 10000, quad_segs=16))
    # Water supply: 4,000 small protection areas.
    centres = _points_in(rng, sweden, 4000)
    write(
        names[5],
        [
            _irregular_polygon(rng, x, y, rng.uniform(300, 3000), int(rng.integers(48, 160)))
            for x, y in centres
        ],
    )
    # Civil defence: 800 large areas.
    centres = _points_in(rng, sweden, 800)
    write(
        names[6],
        [
            _irregular_polygon(rng, x, y, rng.uniform(5000, 30000), int(rng.integers(64, 200)))
            for x, y in centres
        ],
    )
    # Socio-economics: the municipalities (a full tiling with shared borders).
    write(names[7], gpd.read_file(SHARED_DATA / "kommuner.gpkg").geometry.values)
    return uris


def _layers(uris):
    from qgis.core import QgsVectorLayer

    layers = []
    for name, uri in uris:
        layer = QgsVectorLayer(uri, name, "ogr")
        assert layer.isValid(), uri
        layers.append(layer)
    return layers


def _county_layer():
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{SHARED_DATA / 'lan.gpkg'}|layername=lan", "lan", "ogr")
    layer.setSubsetString(f"\"code\" = '{COUNTY_CODE}'")
    return layer


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_grid(layers, extent, output, cell_size: float = 1000):
    """Wall seconds, result, CPU seconds (all threads) and the stage times from the log."""
    import processing
    from qgis.core import QgsProcessingFeedback

    class Stages(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, text):  # noqa: N802
            if text.startswith(("Read the layers", "Measured the cells", "Wrote the cells")):
                self.lines.append(text.split(" in ")[-1])

    feedback = Stages()
    reset_peak_memory()
    feedback.start_mb = peak_memory_mb("VmRSS:")
    cpu = _cpu_seconds()
    start = time.perf_counter()
    result = processing.run(
        "rusplanner:gridoverlay",
        {"SECTORS": layers, "CELL_SIZE": cell_size, "EXTENT_LAYER": extent, "OUTPUT": output},
        feedback=feedback,
    )
    seconds = time.perf_counter() - start
    stages = "read {} / measure {} / write {}".format(*feedback.lines) if len(feedback.lines) == 3 else ""
    stages += f"; {feedback.start_mb:.0f} MB resident before the run"
    return seconds, result, _cpu_seconds() - cpu, stages


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def _native_county(layers, county):
    """Covered share per 1 km cell and sector with native algorithms only; {(rutid, sector): share}."""
    import processing
    from qgis.core import QgsCoordinateReferenceSystem, QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    extent = county.extent()
    xmin = math.floor(extent.xMinimum() / 1000) * 1000
    ymin = math.floor(extent.yMinimum() / 1000) * 1000
    xmax = math.ceil(extent.xMaximum() / 1000) * 1000
    ymax = math.ceil(extent.yMaximum() / 1000) * 1000
    cells = processing.run(
        "native:creategrid",
        {
            "TYPE": 2,
            "EXTENT": f"{xmin},{xmax},{ymin},{ymax} [EPSG:3006]",
            "HSPACING": 1000,
            "VSPACING": 1000,
            "CRS": crs,
            "OUTPUT": "memory:",
        },
        feedback=feedback,
    )["OUTPUT"]
    cells = processing.run(
        "native:extractbylocation",
        {"INPUT": cells, "PREDICATE": [0], "INTERSECT": county, "OUTPUT": "memory:"},
        feedback=feedback,
    )["OUTPUT"]
    shares = {}
    for layer in layers:
        projected = processing.run(
            "native:reprojectlayer",
            {"INPUT": layer, "TARGET_CRS": crs, "OUTPUT": "memory:"},
            feedback=feedback,
        )["OUTPUT"]
        clipped = processing.run(
            "native:clip", {"INPUT": projected, "OVERLAY": county, "OUTPUT": "memory:"}, feedback=feedback
        )["OUTPUT"]
        dissolved = processing.run(
            "native:dissolve", {"INPUT": clipped, "FIELD": [], "OUTPUT": "memory:"}, feedback=feedback
        )["OUTPUT"]
        pieces = processing.run(
            "native:intersection",
            {
                "INPUT": cells,
                "OVERLAY": dissolved,
                "INPUT_FIELDS": ["left", "top"],
                "OVERLAY_FIELDS": ["fid"],
                "OUTPUT": "memory:",
            },
            feedback=feedback,
        )["OUTPUT"]
        for feature in pieces.getFeatures():
            key = (round(feature["left"]), round(feature["top"]) - 1000)
            shares[(key, layer.name())] = (
                shares.get((key, layer.name()), 0.0) + feature.geometry().area() / 1e6
            )
    return shares


def main() -> None:
    start_qgis()
    from qgis.core import QgsVectorLayer

    started = time.perf_counter()
    uris = build_sectors()
    line(f"grid: sector layers ready in {time.perf_counter() - started:.1f} s ({SECTORS_GPKG.name})")
    layers = _layers(uris)
    county = _county_layer()
    kommuner = QgsVectorLayer(f"{SHARED_DATA / 'kommuner.gpkg'}|layername=kommuner", "kommuner", "ogr")

    county_out = str(OUTPUT / "grid_county.gpkg")
    sweden_out = str(OUTPUT / "grid_sweden.gpkg")
    sweden_250_out = str(OUTPUT / "grid_sweden_250.gpkg")
    for path in (county_out, sweden_out, sweden_250_out):
        for suffix in ("", "-wal", "-shm"):
            try:
                (OUTPUT / (path.rsplit("/", 1)[1] + suffix)).unlink()
            except FileNotFoundError:
                pass
    with_250 = os.environ.get("BENCH_GRID_250", "")
    if with_250 != "only":
        _county_lines(layers, county, county_out)
    _national_line(layers, kommuner, sweden_out, 1000, "(target < 60 s, < 4096 MB)")
    if with_250:
        _national_line(layers, kommuner, sweden_250_out, 250, "(target < 90 s, < 3072 MB)")


def _county_lines(layers, county, county_out) -> None:
    from qgis.core import QgsVectorLayer

    seconds, result, cpu, stages = _run_grid(layers, county, county_out)
    out = QgsVectorLayer(result["OUTPUT"], "county", "ogr")
    line(
        f"gridoverlay Örebro län 1 km, 8 sectors: {seconds:.2f} s ({stages}; CPU {cpu:.1f} s; {_load()}), "
        f"{out.featureCount()} cells, peak memory {peak_memory_mb():.0f} MB"
    )

    started = time.perf_counter()
    native = _native_county(layers, county)
    native_seconds = time.perf_counter() - started
    ours = {}
    sector_fields = [f.name() for f in out.fields() if f.name().endswith("_share")]
    names = {f"{_field_id(layer.name())}_share": layer.name() for layer in layers}
    for feature in out.getFeatures():
        ident = feature["rutid_scb"]
        key = (int(ident[:6]), int(ident[6:]))
        for name in sector_fields:
            if feature[name]:
                ours[(key, names[name])] = feature[name]
    keys = set(ours) | set(native)
    worst = max((abs(ours.get(k, 0.0) - native.get(k, 0.0)) for k in keys), default=0.0)
    line(
        f"native chain (creategrid+reproject+clip+dissolve+intersection per sector) Örebro län: "
        f"{native_seconds:.2f} s; ratio native/gridoverlay {native_seconds / seconds:.1f}x; "
        f"{len(keys)} cell-sector shares, largest share difference {worst:.2e}"
        + (" (agree)" if worst < 1e-6 else " (DIFFER)")
    )


def _national_line(layers, kommuner, output, cell_size: float, target: str) -> None:
    from qgis.core import QgsVectorLayer

    seconds, result, cpu, stages = _run_grid(layers, kommuner, output, cell_size)
    peak = peak_memory_mb()
    out = QgsVectorLayer(result["OUTPUT"], "sweden", "ogr")
    line(
        f"gridoverlay all of Sweden {cell_size:g} m (extent kommuner), 8 sectors: {seconds:.2f} s ({stages}; "
        f"CPU {cpu:.1f} s; {_load()}), {out.featureCount()} cells, peak memory {peak:.0f} MB {target}"
    )


def _field_id(name: str) -> str:
    from rus_planner.rus_planner.core.sectors import field_safe_id

    return field_safe_id(name)
