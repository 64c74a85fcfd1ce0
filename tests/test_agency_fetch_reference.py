"""The fetch against two real OGC servers on 127.0.0.1: QGIS Server (its OGC API Features endpoint
/wfs3, and its WFS, which has no 2.0) and pygeoapi, each serving a GeoPackage of 2 500 NVR-shaped
reserves. Pages, next links, bbox and the coordinates are compared with the GeoPackage (shapely)."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pytest
import shapely
from servers import pygeoapi_server, wfs_server, write_wfs_project
from shapely.geometry import box

from rus_planner.rus_planner.core.catalogue import Service
from rus_planner.rus_planner.qgis_io.agency_fetch import fetch_service, to_lonlat
from rus_planner.rus_planner.qgis_io.agency_http import HttpSettings

X0, Y0 = 480_000, 6_540_000
COUNT = 2_500
REGION = (X0 + 2_000, Y0 + 4_000, X0 + 6_000, Y0 + 9_000)


def _frame() -> gpd.GeoDataFrame:
    geometries = [
        box(X0 + (i % 50) * 400, Y0 + (i // 50) * 400, X0 + (i % 50) * 400 + 200, Y0 + (i // 50) * 400 + 150)
        for i in range(COUNT)
    ]
    return gpd.GeoDataFrame(
        {
            "NVRID": [str(2_000_000 + i) for i in range(COUNT)],
            "NAMN": [f"Reservat {i}" for i in range(COUNT)],
            "SKYDDSTYP": "Naturreservat",
            "BESLSTATUS": ["Överklagat" if i % 5 == 0 else "Gällande" for i in range(COUNT)],
        },
        geometry=geometries,
        crs="EPSG:3006",
    )


FRAME = _frame()


def _service(url: str, protocol: str, typename: str) -> Service:
    return Service(
        id="skyddadeomraden",
        agency="Naturvårdsverket",
        theme="Skyddade områden",
        rules=("nvr_naturreservat",),
        protocol=protocol,
        url=url,
        typename=typename,
        crs="EPSG:3006",
        id_field="NVRID",
        name_field="NAMN",
        licence="CC0 1.0",
        attribution="Naturvårdsverket",
        documentation="https://example.invalid/doc",
        checked="2026-12-05",
        verified=True,
        layer="skyddadeomraden",
    )


def _check_complete(result, expected: gpd.GeoDataFrame, tolerance_m: float) -> None:
    assert result.complete, result.reason
    got = gpd.read_file(result.path, layer="skyddadeomraden", engine="pyogrio").to_crs("EPSG:3006")
    assert sorted(got["NVRID"]) == sorted(expected["NVRID"])
    served = dict(zip(expected["NVRID"], expected.geometry))
    worst = max(shapely.hausdorff_distance(g, served[n]) for g, n in zip(got.geometry, got["NVRID"]))
    assert worst < tolerance_m
    assert dict(zip(got["NVRID"], got["BESLSTATUS"])) == dict(zip(expected["NVRID"], expected["BESLSTATUS"]))


@pytest.fixture(scope="module")
def qgis_server(tmp_path_factory, qgis_app):
    from qgis.core import QgsVectorLayer

    folder = tmp_path_factory.mktemp("qgis_server")
    path = folder / "nvr.gpkg"
    FRAME.to_file(path, layer="skyddadeomraden", engine="pyogrio")
    layer = QgsVectorLayer(f"{path}|layername=skyddadeomraden", "skyddadeomraden", "ogr")
    project = folder / "nvr.qgs"
    write_wfs_project(project, [layer])
    with wfs_server(project) as server:
        yield server


def test_qgis_server_ogc_api_features_in_pages(qgis_server, tmp_path):
    service = _service(qgis_server.url + "wfs3", "oapif", "skyddadeomraden")
    result = fetch_service(
        service, None, HttpSettings(timeout_s=60, retries=0, page_size=1_000), folder=str(tmp_path)
    )
    assert (result.features, result.matched, result.pages) == (COUNT, COUNT, 3)
    assert result.service_date  # QGIS Server stamps its answers (timeStamp)
    _check_complete(result, FRAME, tolerance_m=0.2)  # it rounds CRS84 to 6 decimals (≤ 0.11 m)


def test_qgis_server_ogc_api_features_bbox(qgis_server, tmp_path):
    service = _service(qgis_server.url + "wfs3", "oapif", "skyddadeomraden")
    result = fetch_service(service, REGION, HttpSettings(timeout_s=60, page_size=100), folder=str(tmp_path))
    # the server selects by the lon/lat box that covers the region: every feature in it, none far off
    lonlat = box(*to_lonlat(REGION))
    expected = FRAME[FRAME.to_crs("EPSG:4326").intersects(lonlat)]
    assert len(expected) < COUNT / 5 and FRAME.intersects(box(*REGION)).sum() <= len(expected)
    _check_complete(result, expected, tolerance_m=0.2)


def test_qgis_server_has_no_wfs_2_and_the_fetch_says_so(qgis_server, tmp_path):
    """QGIS Server answers WFS 1.0/1.1 only: a WFS 2.0 GetFeature is refused, and the reason is its own."""
    service = _service(qgis_server.url, "wfs2", "skyddadeomraden")
    result = fetch_service(service, None, HttpSettings(timeout_s=60, retries=0), folder=str(tmp_path))
    assert not result.complete and result.kind == "http" and result.status == 400
    assert "HTTP 400" in result.reason


@pytest.fixture(scope="module")
def pygeoapi(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pygeoapi")
    path = folder / "nvr.gpkg"
    FRAME.to_crs("EPSG:4326").to_file(path, layer="skyddadeomraden", engine="pyogrio")
    with pygeoapi_server(path, "skyddadeomraden") as server:
        yield server


def test_pygeoapi_pages_by_next_links_without_a_total(qgis_app, pygeoapi, tmp_path):
    service = _service(pygeoapi.url, "oapif", "skyddadeomraden")
    result = fetch_service(
        service, None, HttpSettings(timeout_s=60, retries=0, page_size=1_000), folder=str(tmp_path)
    )
    # pygeoapi's GeoPackage provider gives no numberMatched: the fetch follows next links to the end
    assert (result.features, result.matched, result.pages) == (COUNT, None, 3)
    _check_complete(result, FRAME, tolerance_m=1e-6)


def test_pygeoapi_bbox(qgis_app, pygeoapi, tmp_path):
    service = _service(pygeoapi.url, "oapif", "skyddadeomraden")
    result = fetch_service(service, REGION, HttpSettings(timeout_s=60, page_size=50), folder=str(tmp_path))
    lonlat = box(*to_lonlat(REGION))
    expected = FRAME[FRAME.to_crs("EPSG:4326").intersects(lonlat)]
    _check_complete(result, expected, tolerance_m=1e-6)
    assert result.pages == -(-len(expected) // 50) + (1 if len(expected) % 50 == 0 else 0)


def test_a_collection_the_server_does_not_have(qgis_app, pygeoapi, tmp_path):
    service = dataclasses.replace(_service(pygeoapi.url, "oapif", "finns_inte"))
    result = fetch_service(service, None, HttpSettings(timeout_s=60, retries=0), folder=str(tmp_path))
    assert not result.complete and result.kind == "http" and result.status == 404
