"""“Kontrollera tjänsterna” against the local failure server: one row per service, its real answer."""

from __future__ import annotations

import pytest
from servers import agency_service
from shapely.geometry import box

X0, Y0 = 480_000, 6_540_000
FEATURES = [
    (box(X0 + i * 300, Y0, X0 + i * 300 + 200, Y0 + 200), {"NVRID": str(2_000_000 + i), "NAMN": f"R {i}"})
    for i in range(30)
]
MODES = ("ok", "exception200", "http500", "truncated", "empty", "slow")


def _entry(service_id: str, protocol: str, url: str, typename: str | None) -> str:
    return f"""  - id: {service_id}
    agency: Naturvårdsverket
    theme: Test {service_id}
    rules: []
    protocol: {protocol}
    url: {url if url else "null"}
    typename: {typename if typename else "null"}
    crs: EPSG:3006
    id_field: NVRID
    name_field: NAMN
    licence: CC0 1.0
    attribution: Naturvårdsverket
    documentation: https://example.invalid/doc
    checked: 2026-12-05
    verified: {"true" if url else "false"}
    verification: a test entry
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory, qgis_app, rus_provider_module):
    import processing

    folder = tmp_path_factory.mktemp("check")
    with agency_service(FEATURES, typename="skyddadeomraden", slow_seconds=3) as server:
        entries = [_entry(f"wfs_{m}", "wfs2", f"{server.base}wfs/{m}", "rus:skyddadeomraden") for m in MODES]
        entries += [
            _entry(f"oapif_{m}", "oapif", f"{server.base}oapif/{m}", "skyddadeomraden") for m in MODES
        ]
        entries.append(_entry("utan_adress", "oapif", "", None))
        catalogue = folder / "katalog.yaml"
        catalogue.write_text("services:\n" + "".join(entries), encoding="utf-8")
        result = processing.run(
            "rusplanner:checkagencyservices",
            {"CATALOGUE": str(catalogue), "TIMEOUT": 1, "OUTPUT": str(folder / "check.gpkg")},
        )
    import geopandas as gpd

    frame = gpd.read_file(result["OUTPUT"], engine="pyogrio")
    print("\n" + frame[["service", "result", "http_status", "matched", "detail"]].to_string(index=False))
    return {row.service: row for row in frame.itertuples()}, result["TABLE"]


@pytest.mark.parametrize("kind", ["wfs", "oapif"])
def test_each_answer_is_named(table, kind):
    rows, _ = table
    assert (rows[f"{kind}_ok"].result, rows[f"{kind}_ok"].matched) == ("OK", 30)
    assert rows[f"{kind}_exception200"].result == "exception"
    assert "is disabled" in rows[f"{kind}_exception200"].detail
    assert (rows[f"{kind}_http500"].result, rows[f"{kind}_http500"].http_status) == ("HTTP", 500)
    assert "OutOfMemoryError" in rows[f"{kind}_http500"].detail
    assert rows[f"{kind}_slow"].result == "time-out"
    assert rows[f"{kind}_empty"].result == "broken" and "empty body" in rows[f"{kind}_empty"].detail


def test_truncated_and_unaddressed(table):
    rows, text = table
    assert rows["wfs_truncated"].result == "broken"
    assert rows["oapif_truncated"].result == "broken"
    assert rows["utan_adress"].result == "not fetched" and "no verified address" in rows["utan_adress"].detail
    assert len(text.splitlines()) == 13
