"""The element check run in PostGIS gives the very findings the check in QGIS gives.

Real data (../shared/data/sweden) in a real PostGIS (tests/servers.py): RUS areas made from
kommuner, nodes from tatorter, corridors between tatorter, against riksintressen för
kulturmiljövård (SWEREF 99 TM), nationalparker and naturminnen (WGS 84, reprojected on the
way), with rules that filter, a distance rule, a filter that cannot be checked, a table
that does not exist and one the user may not read. Both paths are run through
rusplanner:checkelements on the same PostGIS layers and every column is compared (floats to
1e-6, geometries by their symmetric difference).
"""

from __future__ import annotations

import math
import re
import subprocess
import time

import geopandas as gpd
import pytest
import shapely
from servers import postgis_server

ALG = "rusplanner:checkelements"
# Stockholm, Uppsala, Södermanland, Östergötland, Jönköping, Gotland, Blekinge, Örebro, Västmanland
COUNTIES = ("01", "03", "04", "05", "06", "09", "10", "18", "19")

PROFILE = """
version: 1
name: PostGIS-test
agency_rules:
  - {id: ri_kultur, name_sv: Riksintresse kulturmiljövård, layer: "*riksintressen*", agency: Länsstyrelsen,
     legal_basis: MB 3 kap 6 §, severity: B, name_field: namn, id_field: ri_id}
  - {id: ri_kultur_stockholm, name_sv: Riksintresse i Stockholms län, layer: "*riksintressen*",
     agency: Länsstyrelsen i Stockholms län, legal_basis: MB 3 kap 6 §, severity: A, name_field: namn,
     filter: "\\"LANSKOD\\" = '01'"}
  - {id: ri_kultur_nara, name_sv: Nära riksintresse, layer: "*riksintressen*", agency: Länsstyrelsen,
     legal_basis: MB 3 kap 6 §, severity: C, relation: within_distance, distance_m: 3000, name_field: namn}
  - {id: nationalpark, name_sv: Nationalpark, layer: "*nationalpark*", agency: Naturvårdsverket,
     legal_basis: MB 7 kap 2 §, severity: A, agency_field: BESLMYND,
     filter: "\\"BESLSTATUS\\" = 'Gällande' AND \\"AREA_HA\\" > 1000"}
  - {id: nationalpark_trasig, name_sv: Nationalpark (fel fält), layer: "*nationalpark*",
     agency: Naturvårdsverket, legal_basis: MB 7 kap 2 §, severity: A, filter: "\\"SKYDDSTYPX\\" = 'x'"}
  - {id: naturminne, name_sv: Naturminne, layer: "*naturminne*", agency: Länsstyrelsen,
     legal_basis: MB 7 kap 10 §, severity: A, filter: "lower(\\"NAMN\\") LIKE '%ek%' OR \\"AREA_HA\\" >= 1"}
  - {id: naturminne_nara, name_sv: Nära naturminne, layer: "*naturminne*", agency: Länsstyrelsen,
     legal_basis: MB 7 kap 10 §, severity: C, relation: within_distance, distance_m: 500}
  - {id: naturminne_upphavt, name_sv: Upphävt naturminne, layer: "*naturminne*", agency: Länsstyrelsen,
     legal_basis: MB 7 kap 10 §, severity: A, filter: "\\"BESLSTATUS\\" = 'Upphävt'"}
  - {id: naturminne_jamtland, name_sv: Naturminne i Jämtland, layer: "*naturminne*", agency: Länsstyrelsen,
     legal_basis: MB 7 kap 10 §, severity: A, filter: "\\"LAN\\" = 'Jämtlands Län'"}
  - {id: inget, name_sv: Inget, layer: "*saknas*", agency: Ingen, legal_basis: Ingen, severity: A}
"""


@pytest.fixture(scope="module")
def database(shared_data, tmp_path_factory):
    """The elements and the agency layers as tables of one PostGIS database."""
    folder = tmp_path_factory.mktemp("pg_elements")
    kommuner = gpd.read_file(shared_data / "kommuner.gpkg")
    kommuner = kommuner[kommuner["code"].str[:2].isin(COUNTIES)].reset_index(drop=True)
    tatorter = gpd.read_file(shared_data / "tatorter.gpkg")
    tatorter = tatorter[tatorter["lan_code"].isin(COUNTIES)].sort_values("code").reset_index(drop=True)
    areas = gpd.GeoDataFrame({"namn": kommuner["name"]}, geometry=kommuner.geometry, crs="EPSG:3006")
    nodes = gpd.GeoDataFrame({"namn": tatorter["name"]}, geometry=tatorter.geometry, crs="EPSG:3006")
    # Corridors: from each of every tenth tätort to the next one in the same county.
    lines, names = [], []
    for _, group in tatorter.groupby("lan_code"):
        points = group.geometry.tolist()
        for a, b, name in zip(points[::10], points[1::10], group["name"].tolist()[::10]):
            lines.append(shapely.LineString([a, b]))
            names.append(f"stråk {name}")
    corridors = gpd.GeoDataFrame({"namn": names}, geometry=lines, crs="EPSG:3006")
    path = folder / "elements.gpkg"
    schematic = gpd.GeoDataFrame({"namn": names, "skala": "1:250 000"}, geometry=lines, crs="EPSG:3006")
    for name, frame in (
        ("rus_omraden", areas),
        ("rus_noder", nodes),
        ("rus_strak", corridors),
        ("rus_schematiska", schematic),
    ):
        frame.to_file(path, layer=name, engine="pyogrio")
    with postgis_server() as server:
        for layer in ("rus_omraden", "rus_noder", "rus_strak", "rus_schematiska"):
            server.load(path, layer, layer)
        server.load(
            shared_data / "riksintressen_kulturmiljo.gpkg", "riksintressen_kulturmiljo", "riksintressen"
        )
        server.load(shared_data / "nvr_nationalparker.gpkg", "nationalparker", "nationalparker")
        server.load(shared_data / "nvr_naturminne.gpkg", "naturminne_polygon", "naturminne_polygon")
        server.load(shared_data / "nvr_naturminne.gpkg", "naturminne_punkt", "naturminne_punkt")
        server.load(shared_data / "nvr_naturminne.gpkg", "naturminne_polygon", "hemlig")
        server.load(shared_data / "nvr_naturminne.gpkg", "naturminne_punkt", "vagrar")
        server.load(shared_data / "nvr_naturminne.gpkg", "naturminne_punkt", "trog")
        psql = ["psql", "-h", server.host, "-p", str(server.port), "-U", "postgres", "-d", server.dbname]
        subprocess.run(
            [
                *psql,
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "CREATE ROLE planerare LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO planerare; "
                "REVOKE SELECT ON hemlig FROM planerare; "
                # A table QGIS loads but whose rows cannot be read: its policy fails past the first rows.
                "CREATE FUNCTION vagra() RETURNS boolean LANGUAGE plpgsql AS "
                "$$BEGIN RAISE EXCEPTION 'uppgifterna är spärrade'; END$$; "
                "ALTER TABLE vagrar ENABLE ROW LEVEL SECURITY; CREATE POLICY vagra ON vagrar USING (fid < 3 OR vagra()); "
                # A table that answers slowly, but only to the check's read-only queries.
                "CREATE FUNCTION trog() RETURNS boolean LANGUAGE plpgsql AS "
                "$$BEGIN PERFORM pg_sleep(60); RETURN true; END$$; "
                "ALTER TABLE trog ENABLE ROW LEVEL SECURITY; CREATE POLICY trog ON trog "
                "USING (current_setting('transaction_read_only') = 'off' OR trog());",
            ],
            check=True,
            capture_output=True,
        )
        yield server, path


def _uri(server, table: str) -> str:
    return (
        f"postgres://dbname='{server.dbname}' host={server.host} port={server.port} user='planerare' "
        f'sslmode=disable key=\'fid\' table="public"."{table}" (geom)'
    )


def _run(server, tmp_path, name: str, where: int, elements=None, agencies=None):
    import processing
    from qgis.core import QgsVectorLayer

    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    feedback = _Recording()
    parameters = {
        "ELEMENTS": [_uri(server, t) for t in elements or ("rus_omraden", "rus_noder", "rus_strak")],
        "AGENCY_LAYERS": [
            _uri(server, t)
            for t in agencies
            or (
                "riksintressen",
                "nationalparker",
                "naturminne_polygon",
                "naturminne_punkt",
                "saknas",
                "hemlig",
                "vagrar",
            )
        ],
        "PROFILE": str(profile),
        "OUTPUT": str(tmp_path / f"{name}.gpkg"),
        "SUMMARY": str(tmp_path / f"{name}_summary.gpkg"),
        "IN_DATABASE": where,
    }
    result = processing.run(ALG, parameters, feedback=feedback)
    rows = []
    layer = QgsVectorLayer(result["OUTPUT"], name, "ogr")
    names = [n for n in layer.fields().names() if n != "fid"]
    for feature in layer.getFeatures():
        value = {n: _plain(feature[n]) for n in names}
        value["geometry"] = shapely.from_wkb(bytes(feature.geometry().asWkb()))
        rows.append(value)
    summary = QgsVectorLayer(result["SUMMARY"], name, "ogr")
    summary_rows = [
        {n: _plain(f[n]) for n in summary.fields().names() if n != "fid"} for f in summary.getFeatures()
    ]
    return rows, summary_rows, feedback


def _Recording():
    from qgis.core import QgsProcessingFeedback

    class Recording(QgsProcessingFeedback):
        """Keeps what the algorithm tells, in order."""

        def __init__(self):
            super().__init__()
            self.infos, self.warnings, self.lines = [], [], []

        def pushInfo(self, text):  # noqa: N802 - QGIS's name
            self.infos.append(text)
            self.lines.append(text)

        def pushWarning(self, text):  # noqa: N802 - QGIS's name
            self.warnings.append(text)
            self.lines.append(text)

        @property
        def last(self):
            return self.lines[-1]

    return Recording()


def _plain(value):
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)
    return a == b


@pytest.mark.slow
@pytest.mark.parametrize("shares", [False, True], ids=["one_connection", "shared_between_connections"])
def test_the_check_in_postgis_gives_the_findings_of_the_check_in_qgis(
    database, rus_provider, shared_data, tmp_path, monkeypatch, shares
):
    from rus_planner.rus_planner.qgis_io import check_postgis

    # Split between connections, as for many elements, or not.
    monkeypatch.setattr(check_postgis, "PARTITION_FROM", 1 if shares else 10**9)
    server, elements_path = database
    local, local_summary, local_log = _run(server, tmp_path, "local", 2)
    in_db, db_summary, db_log = _run(server, tmp_path, "in_db", 1)
    assert any("runs in the PostGIS database" in line for line in db_log.infos)
    assert not any("runs in the PostGIS database" in line for line in local_log.infos)

    # Real findings of every kind: all classes, overlaps of areas, lines and points, distances.
    rules = {row["rule_id"] for row in local}
    assert {"ri_kultur", "ri_kultur_stockholm", "ri_kultur_nara", "nationalpark", "naturminne"} <= rules
    assert {row["severity"] for row in local} == {"A", "B", "C", "D"}
    assert {row["element_type"] for row in local if row["rule_id"] == "ri_kultur"} >= {
        "area",
        "node",
        "corridor",
    }
    assert any(row["overlap_length_m"] for row in local)
    assert any(row["distance_m"] and row["distance_m"] > 0 for row in local)

    # The table whose rows cannot be read is class D on both paths; QGIS reads it as empty (its
    # provider reports no error), the database says why.
    for rows in (local, in_db):
        refused = [row for row in rows if row["agency_layer"] == "vagrar"]
        assert len(refused) == len(local_summary) and {row["severity"] for row in refused} == {"D"}
    assert {row["note"] for row in local if row["agency_layer"] == "vagrar"} == {
        "Not checked: the layer has 0 features"
    }
    assert {row["note"] for row in in_db if row["agency_layer"] == "vagrar"} == {
        "Not checked: reading it failed (uppgifterna är spärrade)"
    }

    # A filter that picks nothing at all is class D; one that picks only far features is no conflict.
    for rows in (local, in_db):
        assert {row["severity"] for row in rows if row["rule_id"] == "naturminne_upphavt"} == {"D"}
        assert not [row for row in rows if row["rule_id"] == "naturminne_jamtland"]

    assert len(in_db) == len(local)
    for position, (mine, theirs) in enumerate(zip(in_db, local)):
        for column in theirs:
            if column == "geometry" or (column == "note" and theirs["agency_layer"] == "vagrar"):
                continue
            assert _same(mine[column], theirs[column]), (position, column, mine[column], theirs[column])
        difference = shapely.symmetric_difference(mine["geometry"], theirs["geometry"])
        size = max(theirs["geometry"].area, theirs["geometry"].length, 1.0)
        assert max(difference.area, difference.length) <= 1e-6 * size, (position, theirs["element_id"])
    assert len(db_summary) == len(local_summary)
    for mine, theirs in zip(db_summary, local_summary):
        assert all(_same(mine[c], theirs[c]) for c in theirs if c != "not_checked"), (mine, theirs)
        assert re.sub("vagrar: [^;]*", "", mine["not_checked"]) == re.sub(
            "vagrar: [^;]*", "", theirs["not_checked"]
        )
    # The parks' overlaps, against shapely on the GeoPackages (parks reprojected by pyproj).
    parks = gpd.read_file(shared_data / "nvr_nationalparker.gpkg").to_crs("EPSG:3006")
    parks = parks[(parks["BESLSTATUS"] == "Gällande") & (parks["AREA_HA"] > 1000)]
    expected = 0
    for layer in ("rus_omraden", "rus_noder", "rus_strak"):
        frame = gpd.read_file(elements_path, layer=layer)
        for geometry in frame.geometry:
            hits = parks[parks.intersects(geometry)]
            expected += sum(
                geometry.geom_type == "Point"
                or shapely.intersection(geometry, park).length > 0
                or shapely.intersection(geometry, park).area > 0
                for park in hits.geometry
            )
    assert expected > 5
    assert sum(row["rule_id"] == "nationalpark" for row in in_db) == expected

    closing = [line for line in db_log.lines if line.startswith("Agency layers not checked")]
    assert closing == [line for line in local_log.lines if line.startswith("Agency layers not checked")]


def test_where_the_check_runs_is_chosen_and_can_be_forced(database, rus_provider, tmp_path):
    """Automatic: in the database when all layers are there, else here, saying why; forced into
    the database when a layer is elsewhere: a clear refusal. Without the parameter: automatic."""
    import processing
    from qgis.core import QgsProcessingException

    server, elements_path = database
    agencies = ("riksintressen",)
    automatic, _, log = _run(server, tmp_path, "auto", 0, agencies=agencies)
    assert any("runs in the PostGIS database" in line for line in log.infos)
    here, _, _ = _run(server, tmp_path, "here", 2, agencies=agencies)
    assert len(automatic) == len(here) > 50

    profile = tmp_path / "profile.yaml"
    parameters = {
        "ELEMENTS": [f"{elements_path}|layername=rus_omraden"],
        "AGENCY_LAYERS": [_uri(server, "riksintressen")],
        "PROFILE": str(profile),
        "OUTPUT": "TEMPORARY_OUTPUT",
        "SUMMARY": "TEMPORARY_OUTPUT",
    }
    feedback = _Recording()
    processing.run(ALG, parameters, feedback=feedback)  # no IN_DATABASE: automatic
    assert any("runs here, not in the database" in line and "rus_omraden" in line for line in feedback.infos)
    with pytest.raises(QgsProcessingException, match="cannot run in the database.*is not a PostGIS table"):
        processing.run(ALG, {**parameters, "IN_DATABASE": 1}, feedback=_Recording())

    # Elements drawn at a small scale have a tolerance that only the check in QGIS applies.
    feedback = _Recording()
    processing.run(ALG, {**parameters, "ELEMENTS": [_uri(server, "rus_schematiska")]}, feedback=feedback)
    assert any("runs here" in line and "tolerance" in line for line in feedback.infos)


def test_a_cancel_stops_the_queries_in_the_database(database, rus_provider, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    server, _ = database
    feedback = _Recording()
    started = time.monotonic()
    feedback.isCanceled = lambda: time.monotonic() - started > 2.0  # asked by the check itself
    parameters = {
        "ELEMENTS": [_uri(server, "rus_omraden")],
        "AGENCY_LAYERS": [_uri(server, "trog")],
        "OUTPUT": str(tmp_path / "cancelled.gpkg"),
        "SUMMARY": "TEMPORARY_OUTPUT",
        "IN_DATABASE": 1,
    }
    with pytest.raises(QgsProcessingException, match="The run was cancelled"):
        processing.run(ALG, parameters, feedback=feedback)
    assert 2.0 < time.monotonic() - started < 10  # not the table's 60 s per row
    assert not (tmp_path / "cancelled.gpkg").exists()
