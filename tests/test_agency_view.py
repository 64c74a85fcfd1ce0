"""rusplanner:agencyview: three regions' packages (made by sharegeopackage from real checks) in one
table per agency, counted against the check's own findings files read with sqlite3."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pytest

ALG = "rusplanner:agencyview"
REGIONS = {"orebro": "18", "uppsala": "03", "jonkoping": "06"}


def _write_elements(shared_data: Path, folder: Path, county: str) -> Path:
    """A region's RUS elements: its kommuner as areas, its tätorter as nodes."""
    kommuner = gpd.read_file(shared_data / "kommuner.gpkg")
    tatorter = gpd.read_file(shared_data / "tatorter.gpkg")
    path = folder / f"rus_{county}.gpkg"
    areas = kommuner[kommuner["code"].str[:2] == county]
    gpd.GeoDataFrame({"namn": areas["name"]}, geometry=areas.geometry, crs=3006).to_file(
        path, layer="rus_omraden", engine="pyogrio"
    )
    nodes = tatorter[tatorter["lan_code"] == county]
    gpd.GeoDataFrame({"namn": nodes["name"]}, geometry=nodes.geometry, crs=3006).to_file(
        path, layer="rus_noder", engine="pyogrio"
    )
    return path


def _count(path: Path) -> Counter:
    """(agency, severity) → findings in a findings GeoPackage, read with sqlite3 alone."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as db:
        (table,) = db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()
        rows = db.execute(f'SELECT agency, severity, count(*) FROM "{table}" GROUP BY agency, severity')
        return Counter({(agency, severity): n for agency, severity, n in rows})


def _fingerprint(paths) -> dict:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def packages(rus_provider_module, shared_data, tmp_path_factory):
    """Each region checked against national layers and shared as a package; its findings counted."""
    import processing

    folder = tmp_path_factory.mktemp("agency_view")
    agencies = [
        f"{shared_data / 'riksintressen_kulturmiljo.gpkg'}|layername=riksintressen_kulturmiljo",
        f"{shared_data / 'nvr_nationalparker.gpkg'}|layername=nationalparker",
        f"{shared_data / 'nvr_naturminne.gpkg'}|layername=naturminne_polygon",
    ]
    made, expected = [], {}
    for region, county in REGIONS.items():
        elements = _write_elements(shared_data, folder, county)
        layers = [f"{elements}|layername=rus_omraden", f"{elements}|layername=rus_noder"]
        check = processing.run(
            "rusplanner:checkelements",
            {
                "ELEMENTS": layers,
                "AGENCY_LAYERS": agencies,
                "OUTPUT": str(folder / f"findings_{region}.gpkg"),
                "SUMMARY": str(folder / f"summary_{region}.gpkg"),
            },
        )
        package = folder / f"{region}.gpkg"
        processing.run(
            "rusplanner:sharegeopackage",
            {
                "ELEMENTS": layers,
                "AGENCY_LAYERS": agencies,
                "RESULTS": [check["OUTPUT"], check["SUMMARY"]],
                "AGENCY_EXTRACT": 1,
                "OUTPUT": str(package),
            },
        )
        made.append(package)
        expected[region] = _count(Path(check["OUTPUT"]))
    return made, expected


def test_one_table_per_agency_with_every_region_counted(packages, tmp_path):
    import processing

    paths, expected = packages
    before = _fingerprint(paths)
    result = processing.run(ALG, {"PACKAGES": [str(p) for p in paths], "OUTPUT": str(tmp_path / "view.gpkg")})
    assert _fingerprint(paths) == before  # the packages are only read

    agencies = {agency for counts in expected.values() for agency, _ in counts}
    assert len(agencies) >= 3 and result["AGENCIES"] == len(agencies)
    assert result["FINDINGS"] == sum(sum(c.values()) for c in expected.values())
    view = tmp_path / "view.gpkg"
    with closing(sqlite3.connect(f"{view.resolve().as_uri()}?mode=ro", uri=True)) as db:
        tables = dict(db.execute("SELECT DISTINCT agency, table_name FROM agencies"))
        assert set(tables) == agencies
        for agency, table in tables.items():
            got = Counter(
                {
                    (region, severity): n
                    for region, severity, n in db.execute(
                        f'SELECT region, severity, count(*) FROM "{table}" GROUP BY region, severity'
                    )
                }
            )
            want = Counter(
                {
                    (region, severity): n
                    for region, counts in expected.items()
                    for (a, severity), n in counts.items()
                    if a == agency
                }
            )
            assert got == want, agency
            assert {a for (a,) in db.execute(f'SELECT DISTINCT agency FROM "{table}"')} == {agency}
        # The counts table says the same, class by class.
        for agency, region, findings, a, b, c, d in db.execute(
            "SELECT agency, region, findings, count_a, count_b, count_c, count_d FROM agencies"
        ):
            counts = expected[region]
            assert [counts[(agency, s)] for s in "ABCD"] == [a, b, c, d]
            assert findings == a + b + c + d
        # Every region shows up, and the findings keep their CRS.
        regions = {r for (r,) in db.execute("SELECT DISTINCT region FROM agencies")}
        assert regions == set(REGIONS)
        assert {s for (s,) in db.execute("SELECT DISTINCT srs_id FROM gpkg_geometry_columns")} == {3006}


def test_a_file_that_is_no_package_is_named(packages, shared_data, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    paths, _ = packages
    other = tmp_path / "lan.gpkg"
    other.write_bytes((shared_data / "lan.gpkg").read_bytes())
    with pytest.raises(QgsProcessingException, match="is not a package from Share as GeoPackage"):
        processing.run(ALG, {"PACKAGES": [str(paths[0]), str(other)], "OUTPUT": str(tmp_path / "v.gpkg")})
    assert not (tmp_path / "v.gpkg").exists()
    before = _fingerprint(paths[:1])
    with pytest.raises(QgsProcessingException, match="is read by this run"):
        processing.run(ALG, {"PACKAGES": [str(paths[0])], "OUTPUT": str(paths[0])})
    assert _fingerprint(paths[:1]) == before
