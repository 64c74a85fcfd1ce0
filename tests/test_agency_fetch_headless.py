"""Headless, end to end: fetchagencydata (qgis_process) → checkelements → findings, on local agency servers.

A catalogue of the shipped catalogue's shape points at two agency servers on 127.0.0.1: NVR's
skyddade områden (NVRID, NAMN, SKYDDSTYP, BESLSTATUS) over WFS 2.0 in pages, and Natura 2000
over a WFS that answers HTTP 500. The check then finds each RUS area's reserves in force (the
default profile's nvr_* rules, computed here with shapely) and makes the Natura 2000 rules class D
with the service's own reason.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import geopandas as gpd
import pytest
from headless import qgis_process, run_algorithm
from servers import agency_service
from shapely.geometry import box

X0, Y0 = 480_000, 6_540_000
TYPES = ("Naturreservat", "Nationalpark", "Kulturreservat", "Naturminne", "Biotopskyddsområde")


def _reserves():
    features = []
    for i in range(1_200):
        x, y = X0 + (i % 40) * 500, Y0 + (i // 40) * 500
        values = {
            "NVRID": str(2_000_000 + i),
            "NAMN": f"Område {i}",
            "SKYDDSTYP": TYPES[i % len(TYPES)],
            "BESLSTATUS": "Överklagat" if i % 7 == 0 else "Gällande",
        }
        features.append((box(x, y, x + 300, y + 200), values))
    return features


RESERVES = _reserves()
ELEMENTS = {
    "centrum": box(X0 + 1_000, Y0 + 1_000, X0 + 3_100, Y0 + 2_100),
    "norr": box(X0 + 5_200, Y0 + 9_100, X0 + 6_900, Y0 + 10_300),
    "utanför": box(X0 + 40_000, Y0 + 40_000, X0 + 41_000, Y0 + 41_000),
}
CATALOGUE = """\
services:
  - id: skyddadeomraden
    agency: Naturvårdsverket
    theme: Skyddade områden
    rules: [nvr_nationalpark, nvr_naturreservat, nvr_naturminne, nvr_kulturreservat, nvr_biotopskyddsomrade]
    protocol: wfs2
    url: {nvr}wfs/ok
    typename: rus:skyddadeomraden
    crs: EPSG:3006
    id_field: NVRID
    name_field: NAMN
    licence: CC0 1.0
    attribution: Naturvårdsverket
    documentation: https://example.invalid/nvr
    checked: 2026-12-05
    verified: true
  - id: natura2000
    agency: Naturvårdsverket
    theme: Natura 2000
    rules: [natura2000, natura2000_omgivning]
    protocol: wfs2
    url: {n2000}wfs/http500?token=hemligt
    typename: rus:natura2000
    crs: EPSG:3006
    id_field: OMRADESKOD
    name_field: OMRADESNAMN
    licence: CC0 1.0
    attribution: Naturvårdsverket
    documentation: https://example.invalid/n2000
    checked: 2026-12-05
    verified: true
"""
RULE_OF = {
    "Naturreservat": "nvr_naturreservat",
    "Nationalpark": "nvr_nationalpark",
    "Kulturreservat": "nvr_kulturreservat",
    "Naturminne": "nvr_naturminne",
    "Biotopskyddsområde": "nvr_biotopskyddsomrade",
}


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fetch")
    with (
        agency_service(RESERVES, typename="skyddadeomraden", honour_bbox=True) as nvr,
        agency_service(
            [(box(X0, Y0, X0 + 10, Y0 + 10), {"OMRADESKOD": "SE1", "OMRADESNAMN": "x"})],
            typename="natura2000",
        ) as n2000,
    ):
        catalogue = folder / "katalog.yaml"
        catalogue.write_text(CATALOGUE.format(nvr=nvr.base, n2000=n2000.base), encoding="utf-8")
        output = folder / "myndighetsunderlag.gpkg"
        extent = f"{X0 - 100},{X0 + 12_000},{Y0 - 100},{Y0 + 12_000} [EPSG:3006]"
        result = run_algorithm(
            "rusplanner:fetchagencydata",
            EXTENT=extent,
            CATALOGUE=str(catalogue),
            PAGE_SIZE=100,
            TIMEOUT=20,
            RETRIES=1,
            OUTPUT=str(output),
        )
        requests = list(nvr.requests)
    return folder, output, result, requests


def test_fetch_reports_each_layer_and_pages(fetched):
    _, output, result, requests = fetched
    results = result["results"]
    assert (results["FETCHED"], results["NOT_FETCHED"]) == (1, 1)
    inside = [
        v for g, v in RESERVES if g.envelope.intersects(box(X0 - 100, Y0 - 100, X0 + 12_000, Y0 + 12_000))
    ]
    frame = gpd.read_file(output, layer="skyddadeomraden", engine="pyogrio")
    assert sorted(frame["NVRID"]) == sorted(v["NVRID"] for v in inside)
    pages = [r for r in requests if "GetFeature" in r]
    assert len(pages) == -(-len(inside) // 100)  # ceil: every page of 100 asked once
    with closing(sqlite3.connect(output)) as db:
        rows = dict(
            db.execute(
                "SELECT layer, status || '|' || coalesce(reason, '') || '|' || source FROM rus_agency_fetch"
            )
        )
    assert rows["skyddadeomraden"].startswith("ok||")
    status, reason, source = rows["natura2000"].split("|")
    assert status == "failed" and "HTTP 500" in reason and "OutOfMemoryError" in reason
    assert "hemligt" not in source and "token=***" in source  # the source is stored redacted


def test_check_finds_the_fetched_layers_by_their_catalogue_names(fetched):
    folder, output, _, _ = fetched
    elements = folder / "rus_omraden.gpkg"
    gpd.GeoDataFrame({"namn": list(ELEMENTS)}, geometry=list(ELEMENTS.values()), crs="EPSG:3006").to_file(
        elements, layer="omraden", engine="pyogrio"
    )
    findings_path = folder / "findings.gpkg"
    done = qgis_process(
        "run",
        "rusplanner:checkelements",
        "--",
        f"ELEMENTS={elements}|layername=omraden",
        f"AGENCY_LAYERS={output}|layername=skyddadeomraden",
        f"AGENCY_LAYERS={output}|layername=natura2000",
        "TARGET_CRS=EPSG:3006",
        f"OUTPUT={findings_path}",
        f"SUMMARY={folder / 'summary.gpkg'}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    findings = gpd.read_file(findings_path, engine="pyogrio")
    expected = {
        (name, RULE_OF[values["SKYDDSTYP"]], values["NVRID"])
        for name, element in ELEMENTS.items()
        for geometry, values in RESERVES
        if values["BESLSTATUS"] == "Gällande" and element.intersection(geometry).area > 0
    }
    assert len(expected) > 10
    nvr = findings[findings["agency_layer"] == "skyddadeomraden"]
    assert {(r.element_name, r.rule_id, r.agency_id) for r in nvr.itertuples()} == expected
    assert set(nvr["severity"]) == {"A"}
    n2000 = findings[findings["agency_layer"] == "natura2000"]
    assert sorted(zip(n2000["element_name"], n2000["rule_id"])) == sorted(
        (name, rule) for name in ELEMENTS for rule in ("natura2000", "natura2000_omgivning")
    )
    assert set(n2000["severity"]) == {"D"}
    assert all("HTTP 500" in note and "could not be fetched" in note for note in n2000["note"])
