"""Fetching the agencies' data for a region, against real local servers: paging, bbox, cache, failures.

The agency server of tests/servers.py serves NVR-shaped protected areas (NVRID, NAMN, SKYDDSTYP,
BESLSTATUS) over WFS 2.0 (COUNT/STARTINDEX, numberMatched) and OGC API Features (limit, next
links) on 127.0.0.1, and fails on demand. Every count and geometry is compared with the features
the server was given (shapely), not with the fetch's own earlier output.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing

import geopandas as gpd
import pytest
import shapely
from servers import agency_service
from shapely.geometry import box

from rus_planner.rus_planner.core.catalogue import Service
from rus_planner.rus_planner.qgis_io.agency_fetch import fetch_service
from rus_planner.rus_planner.qgis_io.agency_http import HttpSettings
from rus_planner.rus_planner.qgis_io.agency_store import META_TABLE, read_states, store_results

X0, Y0 = 480_000, 6_540_000  # SWEREF 99 TM, Örebro län
COUNT = 2_500
PAGE = 1_000


def _features(count: int = COUNT, columns: int = 50):
    """A grid of small reserves, 400 m apart; every fifth not in force (BESLSTATUS)."""
    features = []
    for i in range(count):
        x, y = X0 + (i % columns) * 400, Y0 + (i // columns) * 400
        values = {
            "NVRID": str(2_000_000 + i),
            "NAMN": f"Reservat {i}",
            "SKYDDSTYP": "Naturreservat",
            "BESLSTATUS": "Överklagat" if i % 5 == 0 else "Gällande",
        }
        features.append((box(x, y, x + 200, y + 150), values))
    return features


FEATURES = _features()


def _service(server, protocol: str, mode: str = "ok", layer: str = "skyddadeomraden") -> Service:
    url = f"{server.base}{'wfs' if protocol == 'wfs2' else 'oapif'}/{mode}"
    return Service(
        id=layer,
        agency="Naturvårdsverket",
        theme="Skyddade områden",
        rules=("nvr_naturreservat",),
        protocol=protocol,
        url=url,
        typename=f"rus:{server.typename}" if protocol == "wfs2" else server.typename,
        crs="EPSG:3006",
        id_field="NVRID",
        name_field="NAMN",
        licence="CC0 1.0",
        attribution="Naturvårdsverket",
        documentation="https://example.invalid/doc",
        checked="2026-12-05",
        verified=True,
        layer=layer,
    )


@pytest.fixture(scope="module")
def server():
    with agency_service(FEATURES, typename="skyddadeomraden", honour_bbox=True, slow_seconds=4) as running:
        yield running


def _read(path: str, layer: str) -> gpd.GeoDataFrame:
    return gpd.read_file(path, layer=layer, engine="pyogrio")


def _expected(bbox=None):
    if bbox is None:
        return FEATURES
    area = box(*bbox)
    return [(g, v) for g, v in FEATURES if area.intersects(g.envelope)]


@pytest.mark.parametrize("protocol", ["wfs2", "oapif"])
def test_multi_page_fetch_is_complete_and_equal_to_the_served_features(qgis_app, server, protocol, tmp_path):
    settings = HttpSettings(timeout_s=20, retries=0, page_size=PAGE)
    result = fetch_service(_service(server, protocol), None, settings, folder=str(tmp_path))
    assert result.complete, result.reason
    assert (result.features, result.matched, result.pages) == (COUNT, COUNT, 3)
    frame = _read(result.path, "skyddadeomraden")
    assert sorted(frame["NVRID"]) == sorted(v["NVRID"] for _, v in FEATURES)
    served = {v["NVRID"]: g for g, v in FEATURES}
    if protocol == "oapif":  # GeoJSON comes in CRS84: compare in SWEREF 99 TM
        frame = frame.to_crs("EPSG:3006")
    worst = max(shapely.hausdorff_distance(g, served[n]) for g, n in zip(frame.geometry, frame["NVRID"]))
    assert worst < (1e-6 if protocol == "wfs2" else 0.01)
    assert set(frame.columns) >= {"NVRID", "NAMN", "SKYDDSTYP", "BESLSTATUS"}
    assert (frame["BESLSTATUS"] == "Gällande").sum() == sum(
        v["BESLSTATUS"] == "Gällande" for _, v in FEATURES
    )
    pages = [r for r in server.requests if "/items" in r or "GetFeature" in r]
    assert len(pages) >= 3


@pytest.mark.parametrize("protocol", ["wfs2", "oapif"])
def test_bbox_fetches_only_the_region(qgis_app, server, protocol, tmp_path):
    region = (X0 + 2_000, Y0 + 4_000, X0 + 6_000, Y0 + 9_000)
    settings = HttpSettings(timeout_s=20, retries=0, page_size=PAGE)
    result = fetch_service(_service(server, protocol), region, settings, folder=str(tmp_path))
    assert result.complete, result.reason
    if protocol == "wfs2":
        expected = {v["NVRID"] for _, v in _expected(region)}
    else:  # the server selects by a lon/lat box that covers the region: at least the region
        expected = None
    got = set(_read(result.path, "skyddadeomraden")["NVRID"])
    if expected is not None:
        assert got == expected and len(got) == 11 * 13
    else:
        assert {v["NVRID"] for _, v in _expected(region)} <= got < {v["NVRID"] for _, v in FEATURES}


@pytest.mark.parametrize(
    ("mode", "kind", "words"),
    [
        ("exception200", "exception", "Service WFS is disabled"),
        ("http500", "http", "HTTP 500"),
        ("truncated", "broken", "broke off"),
        ("short", "short", "delivered 1,250 of the 2,500"),
        ("slow", "timeout", "within 1 s"),
    ],
)
def test_wfs_failures_are_not_complete_and_say_why(qgis_app, server, tmp_path, mode, kind, words):
    settings = HttpSettings(timeout_s=1, retries=0, page_size=PAGE)
    result = fetch_service(_service(server, "wfs2", mode), None, settings, folder=str(tmp_path))
    assert not result.complete
    assert result.kind == kind, result.reason
    assert words in result.reason
    assert result.path is None and not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("protocol", "words"),
    [("wfs2", "sent the same features again"), ("oapif", "sent the same features again")],
)
def test_a_server_that_does_not_page_is_not_counted_twice(qgis_app, server, tmp_path, protocol, words):
    settings = HttpSettings(timeout_s=20, retries=0, page_size=PAGE)
    result = fetch_service(_service(server, protocol, "nostart"), None, settings, folder=str(tmp_path))
    assert not result.complete and result.kind == "broken" and words in result.reason
    assert result.features == PAGE  # the first page only, never the same one twice


def test_retries_with_back_off_then_gives_up(qgis_app, server, tmp_path):
    waits = []
    settings = HttpSettings(timeout_s=5, retries=2, backoff_s=0.5, page_size=PAGE, sleep=waits.append)
    before = len(server.feature_requests("wfs", "http500"))
    result = fetch_service(_service(server, "wfs2", "http500"), None, settings, folder=str(tmp_path))
    assert result.kind == "http" and result.status == 500
    assert waits == [0.5, 1.0]
    assert len(server.feature_requests("wfs", "http500")) - before == 3


def test_cache_refresh_and_failure_keep_the_complete_copy(qgis_app, server, tmp_path):
    output = str(tmp_path / "myndighetsunderlag.gpkg")
    settings = HttpSettings(timeout_s=20, retries=0, page_size=PAGE)
    first = fetch_service(_service(server, "wfs2"), None, settings, folder=str(tmp_path))
    (state,) = store_results([first], output)
    assert (state.status, state.features, state.matched) == ("ok", COUNT, COUNT)
    retrieved = state.retrieved
    # a refresh that fails keeps the copy and its date
    failed = fetch_service(_service(server, "wfs2", "exception200"), None, settings, folder=str(tmp_path))
    (state,) = store_results([failed], output)
    assert state.status == "cached" and state.retrieved == retrieved
    assert "Service WFS is disabled" in state.reason and retrieved[:10] in state.reason
    assert len(_read(output, "skyddadeomraden")) == COUNT
    # a short refresh is not complete either
    short = fetch_service(_service(server, "wfs2", "short"), None, settings, folder=str(tmp_path))
    (state,) = store_results([short], output)
    assert state.status == "cached" and len(_read(output, "skyddadeomraden")) == COUNT
    # a good refresh replaces it (here: only the region)
    region = (X0, Y0, X0 + 1_000, Y0 + 1_000)
    fresh = fetch_service(_service(server, "wfs2"), region, settings, folder=str(tmp_path))
    (state,) = store_results([fresh], output)
    assert state.status == "ok" and state.features == len(_expected(region)) == 9
    assert len(_read(output, "skyddadeomraden")) == 9
    with closing(sqlite3.connect(output)) as db:
        (last_change,) = db.execute(
            "SELECT last_change FROM gpkg_contents WHERE table_name = 'skyddadeomraden'"
        ).fetchone()
        rows = db.execute(f"SELECT layer, status, source FROM {META_TABLE}").fetchall()
    assert last_change[:19] == state.retrieved[:19]
    assert rows == [("skyddadeomraden", "ok", f"{server.base}wfs/ok rus:skyddadeomraden")]


def test_no_cache_leaves_an_empty_layer_marked_failed(qgis_app, server, tmp_path):
    output = str(tmp_path / "underlag.gpkg")
    settings = HttpSettings(timeout_s=20, retries=0, page_size=PAGE)
    failed = fetch_service(_service(server, "oapif", "http500", layer="naturreservat"), None, settings)
    (state,) = store_results([failed], output)
    assert state.status == "failed" and "HTTP 500" in state.reason
    assert len(_read(output, "naturreservat")) == 0
    assert read_states(output)["naturreservat"].status == "failed"


def test_a_file_not_written_by_the_fetch_is_never_replaced(qgis_app, server, tmp_path):
    from rus_planner.rus_planner.core.errors import LayerError

    foreign = tmp_path / "egen.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:3006").to_file(
        foreign, engine="pyogrio"
    )
    before = foreign.read_bytes()
    result = fetch_service(_service(server, "wfs2"), (X0, Y0, X0 + 500, Y0 + 500), HttpSettings(timeout_s=20))
    with pytest.raises(LayerError):
        store_results([result], str(foreign))
    assert foreign.read_bytes() == before


def test_a_catalogue_entry_without_an_address_is_not_fetched(qgis_app, server):
    service = dataclasses.replace(_service(server, "oapif"), url=None)
    result = fetch_service(service, None, HttpSettings())
    assert result.kind == "unsupported" and "no verified address" in result.reason


def test_cancel_stops_between_pages_and_leaves_no_file(qgis_app, server, tmp_path):
    from qgis.core import QgsFeedback

    from rus_planner.rus_planner.core.errors import Cancelled

    class CancelAfterFirstPage(QgsFeedback):
        def pushInfo(self, text):  # noqa: N802 - the fetch reports each page
            self.cancel()

    before = len(server.feature_requests("wfs", "ok"))
    with pytest.raises(Cancelled):
        fetch_service(
            _service(server, "wfs2"),
            None,
            HttpSettings(page_size=PAGE),
            CancelAfterFirstPage(),
            str(tmp_path),
        )
    assert len(server.feature_requests("wfs", "ok")) - before == 1
    assert not list(tmp_path.iterdir())


def test_a_cached_copy_is_checked_with_the_date_it_was_retrieved(qgis_app, rus_provider, server, tmp_path):
    """The check reads the kept copy, and its findings carry the copy's retrieval date."""
    import processing

    output = str(tmp_path / "underlag.gpkg")
    settings = HttpSettings(timeout_s=20, retries=0, page_size=PAGE)
    (ok,) = store_results([fetch_service(_service(server, "wfs2"), None, settings)], output)
    with closing(sqlite3.connect(output)) as db:  # as if it had been fetched on 1 September
        db.execute(
            "UPDATE gpkg_contents SET last_change = '2026-09-01T08:00:00Z' WHERE table_name = 'skyddadeomraden'"
        )
        db.execute(f"UPDATE {META_TABLE} SET retrieved = '2026-09-01T08:00:00+00:00'")
        db.commit()
    (state,) = store_results([fetch_service(_service(server, "wfs2", "http500"), None, settings)], output)
    assert state.status == "cached" and "2026-09-01" in state.reason
    elements = tmp_path / "element.gpkg"
    area = box(X0 - 10, Y0 - 10, X0 + 900, Y0 + 500)
    gpd.GeoDataFrame({"namn": ["centrum"]}, geometry=[area], crs="EPSG:3006").to_file(
        elements, engine="pyogrio"
    )
    result = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [str(elements)],
            "AGENCY_LAYERS": [f"{output}|layername=skyddadeomraden"],
            "OUTPUT": str(tmp_path / "findings.gpkg"),
            "SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    findings = gpd.read_file(result["OUTPUT"], engine="pyogrio")
    mine = findings[findings["rule_id"] == "nvr_naturreservat"]
    expected = {
        v["NVRID"] for g, v in FEATURES if v["BESLSTATUS"] == "Gällande" and area.intersection(g).area > 0
    }
    assert set(mine["agency_id"]) == expected and len(expected) == 4  # 6 touched, 2 not in force
    assert set(mine["severity"]) == {"A"}
    assert set(findings[findings["agency_layer"] == "skyddadeomraden"]["data_date"]) == {"2026-09-01"}
    # every finding from the kept copy says so, with its date and why it was not refreshed
    notes = set(mine["note"])
    assert len(notes) == 1 and next(iter(notes)).startswith(
        "Kept copy: data retrieved 2026-09-01; the last refresh failed"
    )
    assert "500" in next(iter(notes))


def test_only_a_fetch_s_own_file_and_folder_are_ever_removed(qgis_app, tmp_path):
    """discard_fetched removes a GeoPackage a fetch made in this run, its SQLite side files and
    its own folder; a file of the same name anywhere else (the user's), one in a folder that only
    looks like a fetch's, and a stranger's file in a fetch's folder stay."""
    from pathlib import Path

    from rus_planner.rus_planner.qgis_io.agency_fetch import FETCH_PREFIX, discard_fetched, fetch_package_path

    users = tmp_path / "naturreservat.gpkg"
    users.write_bytes(b"planerarens egna data")
    discard_fetched(str(users))
    assert users.read_bytes() == b"planerarens egna data"

    lookalike = tmp_path / f"{FETCH_PREFIX}abc123"
    lookalike.mkdir()
    (lookalike / "naturreservat.gpkg").write_bytes(b"an earlier run's, or the user's")
    discard_fetched(str(lookalike / "naturreservat.gpkg"))
    assert (lookalike / "naturreservat.gpkg").read_bytes() == b"an earlier run's, or the user's"

    own = Path(fetch_package_path(str(tmp_path), "naturreservat"))
    own.write_bytes(b"x")
    Path(f"{own}-wal").write_bytes(b"x")
    discard_fetched(str(own))
    assert sorted(p.name for p in tmp_path.iterdir()) == [lookalike.name, "naturreservat.gpkg"]

    own = Path(fetch_package_path(str(tmp_path), "naturreservat"))
    own.write_bytes(b"x")
    (own.parent / "annat.txt").write_text("någon annans")
    discard_fetched(str(own))
    assert [p.name for p in own.parent.iterdir()] == ["annat.txt"]
