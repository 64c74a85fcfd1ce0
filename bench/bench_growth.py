"""Growth: how the element check's time and memory grow with elements and with agency features,
run in QGIS and in PostGIS, with the fitted growth exponent (1.0: cost grows with elements +
features, not with their product).

Synthetic, deterministic data in a real PostGIS (tests/servers.py): RUS areas (0.5–1.5 km in
radius) and agency polygons (50–300 m) spread over Sweden's extent in SWEREF 99 TM, one overlap
rule and one 200 m proximity rule on the agency table. Two series: elements 1k, 10k (100k) against
100k agency features, and agency features 10k, 100k (1M) against 10k elements — the full grid
with BENCH_FULL=1 (make bench BENCH=growth BENCH_FULL=1), which takes a good while.

Each point runs rusplanner:checkelements on the same PostGIS tables twice: IN_DATABASE=2 (read
through QGIS, checked in QGIS) and IN_DATABASE=1 (checked in the database). Time is wall-clock for
the whole algorithm, findings written to a GeoPackage included; memory is the growth of this
process's resident memory during the run, sampled every 5 ms (the database server's own memory
is not counted). The machine is shared: timings vary by ±20 % between runs.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import numpy as np
from common import OUTPUT, REPO, line, start_qgis

sys.path.insert(0, str(REPO / "tests"))

EXTENT = (270_000, 6_130_000, 650_000, 1_550_000)  # x0, y0, width, height
FULL = os.environ.get("BENCH_FULL", "") not in ("", "0")
ELEMENT_SERIES = (1_000, 10_000, 100_000) if FULL else (1_000, 10_000)
FEATURE_SERIES = (10_000, 100_000, 1_000_000) if FULL else (10_000, 100_000)
FIXED_FEATURES = 100_000
FIXED_ELEMENTS = 10_000 if FULL else 1_000

PROFILE = """
version: 1
name: Tillväxt
agency_rules:
  - {id: overlap, name_sv: Överlapp, layer: "myndighet*", agency: Myndigheten, legal_basis: MB 3 kap,
     severity: B, name_field: namn}
  - {id: nara, name_sv: Nära, layer: "myndighet*", agency: Myndigheten, legal_basis: MB 3 kap,
     severity: C, relation: within_distance, distance_m: 200}
"""


def _polygons(rng, count: int, rmin: float, rmax: float, sides: int):
    import shapely

    x0, y0, width, height = EXTENT
    centres = rng.uniform((x0, y0), (x0 + width, y0 + height), size=(count, 2))
    radii = rng.uniform(rmin, rmax, size=count)
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    wobble = rng.uniform(0.75, 1.0, size=(count, sides))
    xs = centres[:, :1] + radii[:, None] * wobble * np.cos(angles)
    ys = centres[:, 1:] + radii[:, None] * wobble * np.sin(angles)
    rings = np.stack([xs, ys], axis=-1)
    return shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))


def _load(server, table: str, geometries) -> None:
    """A table with a primary key, a GiST index and fresh statistics, filled by COPY."""
    import io

    import psycopg2
    import shapely
    from psycopg2 import sql

    name = sql.Identifier(table)
    hexes = shapely.to_wkb(shapely.set_srid(geometries, 3006), hex=True, include_srid=True)
    text = "".join(f"{i + 1}\tnamn {i + 1}\t{h}\n" for i, h in enumerate(hexes.tolist()))
    with psycopg2.connect(server.dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "CREATE TABLE {} (fid bigint PRIMARY KEY, namn text, geom geometry(Polygon, 3006))"
            ).format(name)
        )
        cursor.copy_expert(
            sql.SQL("COPY {} (fid, namn, geom) FROM STDIN").format(name).as_string(connection),
            io.StringIO(text),
        )
        cursor.execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(name))
    connection = psycopg2.connect(server.dsn)
    connection.autocommit = True
    connection.cursor().execute(sql.SQL("VACUUM ANALYZE {}").format(name))
    connection.close()


def _uri(server, table: str) -> str:
    return (
        f"postgres://dbname='{server.dbname}' host={server.host} port={server.port} user='{server.user}' "
        f'sslmode=disable key=\'fid\' table="public"."{table}" (geom)'
    )


class _PeakMemory:
    """The largest growth of this process's resident memory while the block runs (MB)."""

    def __enter__(self):
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.start = self.peak = self._rss()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _rss(self) -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * self.page

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self._rss())
        self.mb = (self.peak - self.start) / 2**20


def _run(server, elements: str, agency: str, where: int, profile) -> tuple[float, float, int]:
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    output = OUTPUT / f"growth_{where}.gpkg"
    with _PeakMemory() as memory:
        start = time.perf_counter()
        result = processing.run(
            "rusplanner:checkelements",
            {
                "ELEMENTS": [_uri(server, elements)],
                "AGENCY_LAYERS": [_uri(server, agency)],
                "PROFILE": str(profile),
                "IN_DATABASE": where,
                "OUTPUT": str(output),
                "SUMMARY": "TEMPORARY_OUTPUT",
            },
            context=QgsProcessingContext(),
            feedback=QgsProcessingFeedback(),
        )
        seconds = time.perf_counter() - start
    findings = QgsVectorLayer(result["OUTPUT"], "f", "ogr").featureCount()
    return seconds, memory.mb, findings


def _exponent(sizes, values) -> float:
    """The slope of log(value) against log(size): cost ∝ size^exponent."""
    if len(sizes) < 2:
        return float("nan")
    return float(np.polyfit(np.log(sizes), np.log(np.maximum(values, 1e-9)), 1)[0])


def main() -> None:
    import shapely  # noqa: F401
    from servers import postgis_server

    start_qgis()
    profile = OUTPUT / "growth_profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    line(
        f"growth: {'full grid' if FULL else 'default points (BENCH_FULL=1 for the full grid)'}; "
        "time = whole checkelements run, memory = growth of this process (the database's not counted)"
    )
    with postgis_server() as server:
        started = time.perf_counter()
        element_counts = sorted({*ELEMENT_SERIES, FIXED_ELEMENTS})
        feature_counts = sorted({*FEATURE_SERIES, FIXED_FEATURES})
        for count in element_counts:
            _load(server, f"rus_{count}", _polygons(np.random.default_rng(count), count, 500, 1_500, 24))
        for count in feature_counts:
            _load(
                server, f"myndighet_{count}", _polygons(np.random.default_rng(7 + count), count, 50, 300, 12)
            )
        line(f"growth: data loaded into PostGIS in {time.perf_counter() - started:.0f} s")
        _run(server, f"rus_{element_counts[0]}", f"myndighet_{feature_counts[0]}", 2, profile)  # warm up
        series = (
            ("elements", [(n, FIXED_FEATURES) for n in ELEMENT_SERIES]),
            ("agency features", [(FIXED_ELEMENTS, n) for n in FEATURE_SERIES]),
        )
        line(
            f"{'series':<16} {'elements':>9} {'features':>9} {'findings':>9} "
            f"{'QGIS s':>8} {'QGIS MB':>8} {'PostGIS s':>9} {'PostGIS MB':>10} {'speed-up':>8}"
        )
        for name, points in series:
            times = {2: [], 1: []}
            for elements, features in points:
                measured = {}
                for where in (2, 1):
                    measured[where] = _run(server, f"rus_{elements}", f"myndighet_{features}", where, profile)
                    times[where].append(measured[where][0])
                (local, local_mb, found), (in_db, db_mb, found_db) = measured[2], measured[1]
                same = "" if found == found_db else f"  FINDINGS DIFFER: {found} vs {found_db}"
                line(
                    f"{name:<16} {elements:>9,} {features:>9,} {found:>9,} {local:>8.2f} {local_mb:>8.0f} "
                    f"{in_db:>9.2f} {db_mb:>10.0f} {local / in_db:>7.1f}×{same}"
                )
            sizes = [p[0] if name == "elements" else p[1] for p in points]
            line(
                f"{name:<16} growth exponent: QGIS {_exponent(sizes, times[2]):.2f}, "
                f"PostGIS {_exponent(sizes, times[1]):.2f} (1.0 = linear)"
            )
