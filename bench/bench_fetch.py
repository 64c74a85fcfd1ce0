"""Fetching agency data: 20,000 features in pages of 1,000 from a local agency server, into a GeoPackage.

The agency server of tests/servers.py (on 127.0.0.1, in this process's threads) serves 20,000
NVR-shaped reserves over WFS 2.0 (GML 3.2, COUNT/STARTINDEX) and OGC API Features (GeoJSON,
limit + next links). Timed: rusplanner's fetch into its agency GeoPackage (fetch + store), and the
QGIS-native way for OGC API Features — QGIS's own OAPIF provider reading every feature and
QgsVectorFileWriter writing them to a GeoPackage. Both must give the same 20,000 NVRIDs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from common import REPO, line, start_qgis

FEATURES = 20_000
PAGE = 1_000
ROUNDS = 3


def _features():
    from shapely.geometry import box

    x0, y0 = 480_000, 6_540_000
    out = []
    for i in range(FEATURES):
        x, y = x0 + (i % 200) * 400, y0 + (i // 200) * 400
        values = {
            "NVRID": str(2_000_000 + i),
            "NAMN": f"Reservat {i}",
            "SKYDDSTYP": "Naturreservat",
            "BESLSTATUS": "Gällande",
        }
        out.append((box(x, y, x + 200, y + 150), values))
    return out


def _service(base: str, protocol: str):
    from rus_planner.rus_planner.core.catalogue import Service

    return Service(
        id="skyddadeomraden",
        agency="Naturvårdsverket",
        theme="Skyddade områden",
        rules=("nvr_naturreservat",),
        protocol=protocol,
        url=f"{base}{'wfs' if protocol == 'wfs2' else 'oapif'}/ok",
        typename="rus:skyddadeomraden" if protocol == "wfs2" else "skyddadeomraden",
        crs="EPSG:3006",
        id_field="NVRID",
        name_field="NAMN",
        licence="CC0 1.0",
        attribution="Naturvårdsverket",
        documentation="https://example.invalid",
        checked="2026-12-05",
        verified=True,
        layer="skyddadeomraden",
    )


def ours(base: str, protocol: str, folder: Path) -> tuple[float, int, int]:
    """(seconds, features, pages) of fetchagencydata's fetch + store for one service."""
    from rus_planner.rus_planner.qgis_io.agency_fetch import fetch_service
    from rus_planner.rus_planner.qgis_io.agency_http import HttpSettings
    from rus_planner.rus_planner.qgis_io.agency_store import store_results

    output = folder / f"ours_{protocol}.gpkg"
    output.unlink(missing_ok=True)
    start = time.perf_counter()
    result = fetch_service(
        _service(base, protocol), None, HttpSettings(timeout_s=120, page_size=PAGE), folder=str(folder)
    )
    (state,) = store_results([result], str(output))
    seconds = time.perf_counter() - start
    assert state.status == "ok" and state.features == FEATURES, state.reason
    return seconds, state.features, result.pages


def native(base: str, folder: Path) -> tuple[float, int]:
    """QGIS's OAPIF provider (pages of PAGE) read into a GeoPackage with QgsVectorFileWriter."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter, QgsVectorLayer

    output = folder / "native_oapif.gpkg"
    output.unlink(missing_ok=True)
    start = time.perf_counter()
    layer = QgsVectorLayer(f"pageSize={PAGE} typename='skyddadeomraden' url='{base}oapif/ok'", "n", "OAPIF")
    assert layer.isValid()
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(output), QgsCoordinateTransformContext(), options
    )
    seconds = time.perf_counter() - start
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    written = QgsVectorLayer(str(output), "w", "ogr").featureCount()
    return seconds, written


def server_only(base: str, protocol: str) -> float:
    """Seconds the local server itself needs for the same pages (urllib, answers discarded): the floor."""
    import urllib.request

    from rus_planner.rus_planner.qgis_io.agency_http import oapif_url, wfs_url

    start = time.perf_counter()
    for page in range(FEATURES // PAGE):
        if protocol == "wfs2":
            url = wfs_url(f"{base}wfs/ok", "rus:skyddadeomraden", "EPSG:3006", None, page * PAGE, PAGE)
        else:
            url = oapif_url(f"{base}oapif/ok", "skyddadeomraden", None, PAGE) + f"&offset={page * PAGE}"
        with urllib.request.urlopen(url, timeout=120) as answer:
            answer.read()
    return time.perf_counter() - start


def main() -> None:
    start_qgis()
    sys.path.insert(0, str(REPO / "tests"))
    from servers import agency_service

    features = _features()
    with agency_service(features, typename="skyddadeomraden") as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        line(f"fetch: {FEATURES} features in pages of {PAGE} from a local agency server (127.0.0.1)")
        for protocol in ("wfs2", "oapif"):
            ours(server.base, protocol, folder)  # warm up
            times = [ours(server.base, protocol, folder) for _ in range(ROUNDS)]
            best = min(t for t, _, _ in times)
            floor = min(server_only(server.base, protocol) for _ in range(ROUNDS))
            line(
                f"fetch [{protocol}] fetchagencydata fetch+store: {best:.2f} s (best of {ROUNDS}), "
                f"{times[0][1]} features, {times[0][2]} pages, {FEATURES / best:,.0f} features/s; "
                f"the test server alone needs {floor:.2f} s for these pages"
            )
        native(server.base, folder)
        native_times = [native(server.base, folder) for _ in range(ROUNDS)]
        best_native = min(t for t, _ in native_times)
        line(
            f"fetch [oapif] QGIS OAPIF provider → QgsVectorFileWriter GeoPackage: {best_native:.2f} s "
            f"(best of {ROUNDS}), {native_times[0][1]} features"
        )


if __name__ == "__main__":
    main()
