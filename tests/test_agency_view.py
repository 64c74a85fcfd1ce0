"""rusplanner:agencyview: three regions' packages (made by sharegeopackage from real checks) in one
table per agency, counted against the check's own findings files read with sqlite3."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import subprocess
import time
import unicodedata
from collections import Counter
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pytest

ALG = "rusplanner:agencyview"
REGIONS = {"orebro": "18", "uppsala": "03", "jonkoping": "06"}
# The regions as the report names them (REGION_NAMES), in the packages' order.
NAMED = {"orebro": "Örebro län", "uppsala": "Uppsala län", "jonkoping": "Jönköpings län"}


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


# --------------------------------------------------------------------------- the report over every region


def _pdf_text(path, first: int | None = None, last: int | None = None, layout: bool = True) -> str:
    """pdftotext's text (poppler, not QGIS), every run of white space as one blank."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else [])]
    args += [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def _receivers(agency: str) -> set[str]:
    """The agencies a finding goes to, as the issue states them: each agency its text names
    ("A / b"), the kommun left out, "länsstyrelsen" written "Länsstyrelsen"."""
    parts = {p.strip() for p in agency.split("/")} - {"kommunen", ""}
    return {"Länsstyrelsen" if p.lower().startswith("länsstyrelse") else p[0].upper() + p[1:] for p in parts}


def _package_findings(path: Path) -> list[tuple]:
    """(agency, severity, element_id) of every finding in a shared package, read with sqlite3 alone:
    the result tables rus_sources names that carry the findings' columns."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as db:
        found = []
        for (table,) in db.execute("SELECT table_name FROM rus_sources WHERE role = 'result'").fetchall():
            columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            if {"agency", "severity", "element_id", "rule_id"} <= columns:
                found += db.execute(f'SELECT agency, severity, element_id FROM "{table}"').fetchall()
        return found


@pytest.fixture(scope="module")
def report(packages, tmp_path_factory):
    """The agency view of the three regions with its report, timed."""
    import processing

    paths, _ = packages
    folder = tmp_path_factory.mktemp("agency_report")
    before = _fingerprint(paths)
    started = time.perf_counter()
    result = processing.run(
        ALG,
        {
            "PACKAGES": [str(p) for p in paths],
            "OUTPUT": str(folder / "view.gpkg"),
            "REPORT_FOLDER": str(folder / "rapport"),
            "REGION_NAMES": "; ".join(NAMED[p.stem] for p in paths),
        },
    )
    seconds = time.perf_counter() - started
    assert _fingerprint(paths) == before  # the packages are only read, the report's reading too
    return result, folder / "rapport", seconds


def test_the_report_has_one_pdf_per_receiving_agency_counted_as_the_packages_hold(packages, report):
    paths, _ = packages
    result, folder, seconds = report
    findings = {path.stem: _package_findings(path) for path in paths}
    agencies = {agency for rows in findings.values() for agency, _, _ in rows}
    receivers = set().union(*(_receivers(a) for a in agencies))
    assert len(agencies) >= 3 and len(receivers) >= 4
    pdfs = result["AGENCY_PDFS"].split(";")
    assert len(pdfs) == len(receivers) and all(Path(p).parent == folder for p in pdfs)
    assert result["PDF_COUNT"] == 1 + len(pdfs) and Path(result["OVERALL_PDF"]).is_file()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [Path(p).name for p in [*pdfs, result["OVERALL_PDF"]]] + ["consultation_report.html"]
    )
    # The länsstyrelser of the three regions get one report together, addressed to all three.
    addressees = {r: r for r in receivers} | {
        "Länsstyrelsen": "Länsstyrelserna i Örebro län, Uppsala län och Jönköpings län"
    }
    for receiver in receivers:
        path = next(p for p in pdfs if f"Till {addressees[receiver]} " in _pdf_text(p, 1, 1, layout=False))
        own = [s for rows in findings.values() for agency, s, _ in rows if receiver in _receivers(agency)]
        cover = _pdf_text(path, 1, 1, layout=False)
        assert re.search(r"Iakttagelser (\d+)", cover).group(1) == str(len(own)), receiver
        layout_cover = _pdf_text(path, 1, 1)
        for severity, count in Counter(own).items():  # the counts per class, class by class
            assert re.search(rf"{severity} {severity} – [^0-9]+ {count}\b", layout_cover), (
                receiver,
                severity,
            )
    overall = _pdf_text(result["OVERALL_PDF"], 1, 1, layout=False)
    every = [s for rows in findings.values() for _, s, _ in rows]
    assert re.search(r"Iakttagelser (\d+)", overall).group(1) == str(len(every))
    pages = {Path(p).name: _pdf_pages(p) for p in [result["OVERALL_PDF"], *pdfs]}
    print(f"agencyview with REPORT_FOLDER, 3 regions: {seconds:.1f} s, {len(every)} findings, pages {pages}")


def test_every_element_keeps_its_region_and_its_own_findings(packages, report):
    """Two regions' "rus_omraden:1" are two elements: each finding row of the HTML names its
    element as "<region>:<id>", and the element pages name their region."""
    paths, _ = packages
    result, _, _ = report
    html = Path(result["HTML"]).read_text(encoding="utf-8")
    shown = Counter(re.findall(r'<tr class="finding[^"]*"[^>]*data-element="([^"]+)"', html))
    want = Counter(
        f"{NAMED[path.stem]}:{element}"
        for path in paths
        for _, s, element in _package_findings(path)
        if s != "D"
    )
    assert shown == want and len(want) > 10
    bare = Counter(element for path in paths for _, s, element in _package_findings(path) if s != "D")
    assert len(bare) < len(want)  # the same ids in several regions: told apart only by the region
    text = _pdf_text(result["OVERALL_PDF"], layout=False)
    for region in NAMED.values():
        assert f"({region})" in text, region  # "Nora (Örebro län)": each element's name with its region
    assert "(orebro)" not in text  # the names given, not the file names
    cover = _pdf_text(result["OVERALL_PDF"], 1, 1, layout=False)
    assert "Örebro län, Uppsala län och Jönköpings län" in cover  # the cover's region


def test_a_cancelled_report_leaves_the_folder_and_the_packages_as_they_were(packages, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    class CancelAfterTheFirstDocument(QgsProcessingFeedback):
        def pushInfo(self, info):  # "Wrote …" after each PDF: cancel once the first is out
            super().pushInfo(info)
            if info.startswith("Wrote"):
                self.cancel()

    paths, _ = packages
    before = _fingerprint(paths)
    folder = tmp_path / "rapport"
    folder.mkdir()
    earlier = folder / "consultation_report.html"
    earlier.write_text("<p>förra remissens rapport</p>", encoding="utf-8")
    feedback = CancelAfterTheFirstDocument()
    with pytest.raises(QgsProcessingException, match="cancelled"):
        processing.run(
            ALG,
            {
                "PACKAGES": [str(p) for p in paths],
                "OUTPUT": str(tmp_path / "view.gpkg"),
                "REPORT_FOLDER": str(folder),
            },
            feedback=feedback,
        )
    assert any(line.startswith("Wrote") for line in feedback.textLog().splitlines())  # cancelled mid-report
    assert [p.name for p in folder.iterdir()] == ["consultation_report.html"]  # no hidden folder either
    assert earlier.read_text(encoding="utf-8") == "<p>förra remissens rapport</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport"]  # nor the view
    assert _fingerprint(paths) == before


def test_a_file_that_is_no_package_stops_the_report_before_anything_is_written(
    packages, shared_data, tmp_path
):
    import processing
    from qgis.core import QgsProcessingException

    paths, _ = packages
    other = tmp_path / "lan.gpkg"
    other.write_bytes((shared_data / "lan.gpkg").read_bytes())
    before = _fingerprint([*paths, other])
    with pytest.raises(
        QgsProcessingException, match="“.*lan.gpkg” is not a package from Share as GeoPackage"
    ):
        processing.run(
            ALG,
            {
                "PACKAGES": [*(str(p) for p in paths), str(other)],
                "OUTPUT": str(tmp_path / "view.gpkg"),
                "REPORT_FOLDER": str(tmp_path / "rapport"),
            },
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lan.gpkg"]  # no report folder, no view
    assert _fingerprint([*paths, other]) == before


@pytest.mark.parametrize(
    ("names", "counted"), [("Örebro län; Uppsala län", 2), ("Örebro län;; Jönköpings län", 2), (" ; ; ", 0)]
)
def test_region_names_that_do_not_match_the_packages_are_refused_before_anything_is_written(
    packages, tmp_path, names, counted
):
    """Two names for three packages, an empty one between, or only separators: said, and no view
    or report folder made (a name per package, in order, is what gives each finding its region)."""
    import processing
    from qgis.core import QgsProcessingException

    paths, _ = packages
    before = _fingerprint(paths)
    parameters = {
        "PACKAGES": [str(p) for p in paths],
        "REGION_NAMES": names,
        "OUTPUT": str(tmp_path / "view.gpkg"),
        "REPORT_FOLDER": str(tmp_path / "rapport"),
    }
    with pytest.raises(
        QgsProcessingException, match=f"one region name per package.*3 packages, {counted} names"
    ):
        processing.run(ALG, parameters)
    assert list(tmp_path.iterdir()) == [] and _fingerprint(paths) == before


# --------------------------------------------------------------------------- loaded into PostGIS


@pytest.fixture
def connection(tmp_path):
    """A PostGIS server and a QGIS connection to it, whose data source holds a password."""
    from qgis.core import QgsProviderRegistry
    from servers import postgis_server

    with postgis_server() as server:
        metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
        uri = (
            f"dbname='{server.dbname}' host={server.host} port={server.port} user='{server.user}' "
            f"password='{PASSWORD}' sslmode=disable"
        )
        metadata.saveConnection(metadata.createConnection(uri, SAVED), "regionernas-databas")
        try:
            yield server
        finally:
            metadata.deleteConnection("regionernas-databas")


PASSWORD = "Hemligt-lösen-4711"
# A connection whose user name and password are stored (as the connection dialogue's boxes do).
SAVED = {"saveUsername": True, "savePassword": True}


def _database_counts(server, schema: str) -> tuple[dict, Counter, dict]:
    """(table → comment, (agency, region, class) → findings, table → (rows, SRID, area)), read with psycopg2."""
    import psycopg2

    with closing(psycopg2.connect(server.dsn)) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
            (schema,),
        )
        comments = dict(cursor.fetchall())
        found, shapes = Counter(), {}
        for table in comments:
            if table.startswith("agencies") or table == "annat":
                continue
            cursor.execute(
                f'SELECT agency, region, severity, count(*) FROM "{schema}"."{table}" GROUP BY 1, 2, 3'
            )
            found.update({(a, r, s): n for a, r, s, n in cursor.fetchall()})
            cursor.execute(
                f'SELECT count(*), min(ST_SRID(geom)), sum(ST_Area(geom)) FROM "{schema}"."{table}"'
            )
            shapes[table] = cursor.fetchone()
    return comments, found, shapes


def test_the_view_is_loaded_into_postgis_in_one_transaction(packages, connection, tmp_path):
    """The same counts as the findings files (sqlite3) per agency, region and class; the areas
    as geopandas measures them in the original findings; a table the plugin did not write
    stops the load with nothing changed; a second load replaces the first; no password shown."""
    import processing
    import psycopg2
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    paths, expected = packages
    before = _fingerprint(paths)
    feedback = QgsProcessingFeedback()
    parameters = {
        "PACKAGES": [str(p) for p in paths],
        "OUTPUT": str(tmp_path / "view.gpkg"),
        "DATABASE": "regionernas-databas",
        "SCHEMA": "remiss 2026",
    }
    processing.run(ALG, parameters, feedback=feedback)
    assert _fingerprint(paths) == before
    comments, found, shapes = _database_counts(connection, "remiss 2026")
    want = Counter(
        {
            (agency, region, severity): n
            for region, counts in expected.items()
            for (agency, severity), n in counts.items()
        }
    )
    assert found == want and sum(want.values()) > 50
    assert set(comments.values()) == {"RUS Planner: agency view"} and "agencies" in comments
    assert {srid for _, srid, _ in shapes.values()} == {3006}
    # Areas: the findings' geometries, as geopandas measures them in the regions' own findings files.
    areas = sum(gpd.read_file(path).area.sum() for path in Path(paths[0]).parent.glob("findings_*.gpkg"))
    assert sum(area or 0 for _, _, area in shapes.values()) == pytest.approx(areas, rel=1e-9)
    assert PASSWORD not in feedback.textLog() and "remiss 2026" in feedback.textLog()

    # A table of the same name that something else made: refused, nothing changed.
    with closing(psycopg2.connect(connection.dsn)) as db, db, db.cursor() as cursor:
        cursor.execute('CREATE TABLE "remiss 2026".annat (id int)')
        cursor.execute('ALTER TABLE "remiss 2026".agencies RENAME TO agencies_gammal')
        cursor.execute('CREATE TABLE "remiss 2026".agencies (planerarens int)')
    with pytest.raises(QgsProcessingException, match="did not write") as refused:
        processing.run(ALG, {**parameters, "OUTPUT": str(tmp_path / "view2.gpkg")})
    assert PASSWORD not in str(refused.value)
    comments_after, found_after, _ = _database_counts(connection, "remiss 2026")
    assert found_after == found and comments_after["agencies"] is None  # the user's table is untouched

    # A load that fails half-way (the database refuses its last table) leaves the first view whole.
    with closing(psycopg2.connect(connection.dsn)) as db, db, db.cursor() as cursor:
        cursor.execute('DROP TABLE "remiss 2026".agencies')
        cursor.execute('ALTER TABLE "remiss 2026".agencies_gammal RENAME TO agencies')
        cursor.execute(
            "CREATE FUNCTION stopp() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN IF EXISTS "
            "(SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity LIKE '%.agencies') "
            "THEN RAISE EXCEPTION 'stoppad av testet'; END IF; END $$; "
            "CREATE EVENT TRIGGER stopp ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
            "EXECUTE FUNCTION stopp()"
        )
    with pytest.raises(QgsProcessingException, match="stoppad av testet.*nothing was changed"):
        processing.run(ALG, {**parameters, "OUTPUT": str(tmp_path / "view4.gpkg")})
    assert _database_counts(connection, "remiss 2026")[1] == found

    # Without the clash, a second load replaces the first view's tables; the user's table stays.
    with closing(psycopg2.connect(connection.dsn)) as db, db, db.cursor() as cursor:
        cursor.execute("DROP EVENT TRIGGER stopp")
    processing.run(ALG, {**parameters, "PACKAGES": [str(paths[0])], "OUTPUT": str(tmp_path / "view3.gpkg")})
    comments, found, _ = _database_counts(connection, "remiss 2026")
    first = next(iter(REGIONS))
    assert found == Counter({k: n for k, n in want.items() if k[1] == first})
    assert "annat" in comments and comments["annat"] is None


def test_a_connection_that_cannot_be_opened_is_said_before_anything_is_read(packages, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsProviderRegistry
    from servers import free_port

    paths, _ = packages
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    uri = f"dbname='rus' host=127.0.0.1 port={free_port()} user='planerare' password='{PASSWORD}' sslmode=disable"
    metadata.saveConnection(metadata.createConnection(uri, SAVED), "ingen-databas")
    try:
        with pytest.raises(QgsProcessingException, match="could not be opened") as failed:
            processing.run(
                ALG,
                {
                    "PACKAGES": [str(paths[0])],
                    "OUTPUT": str(tmp_path / "v.gpkg"),
                    "DATABASE": "ingen-databas",
                },
            )
        assert PASSWORD not in str(failed.value)
        with pytest.raises(QgsProcessingException, match="no PostgreSQL connection named"):
            processing.run(
                ALG, {"PACKAGES": [str(paths[0])], "OUTPUT": str(tmp_path / "v.gpkg"), "DATABASE": "saknas"}
            )
    finally:
        metadata.deleteConnection("ingen-databas")
    assert not (tmp_path / "v.gpkg").exists()
