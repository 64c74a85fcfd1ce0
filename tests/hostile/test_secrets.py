"""Planted secrets never leave: credentials in layer sources, through every writer.

A real PostGIS (trust authentication: the planted password is sent and ignored, so the
layers load) and a real QGIS Server WFS (it ignores unknown URL parameters) serve layers
whose sources carry a password with an escaped quote and a space, ``user:password@`` with
``@`` (encoded, and raw where the server is unreachable) and ``&`` in the password, and
``apikey``, ``token``, ``access_token`` and ``key`` in the URL. With them the test runs checkelements, territorialsummary, consultationreport and
sharegeopackage, the panel's exports, the project state and ``make demo``'s script, then
looks for the planted text in every byte written (GeoPackages raw and table by table, the
project inside a GeoPackage hex-decoded and unzipped, the .qgz unzipped, PDF text through
pdftotext) and in every message the plugin gives. Every planted piece (each side of the quote, the
space, the ``@`` and the ``&``) contains the marker PLANTED, so a half-masked secret is found
too; the layers are shown to have been read (findings from them, their masked sources in
the outputs), so an empty output cannot pass for a safe one.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from servers import free_port, postgis_server, wfs_server, write_wfs_project
from standing_notice import NOTICE_ID, without_notice

from rus_planner.rus_planner.core.redact import safe_source

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MARKER = re.compile(rb"(?i)planted")  # (no test or fixture is named with it: tmp paths carry their names)
# As written inside the source: the password is PLANTEDpg1'PLANTEDpg2 PLANTEDpg3.
PG_PASSWORD = r"PLANTEDpg1\'PLANTEDpg2 PLANTEDpg3"
# An @ percent-encoded (QGIS refuses a raw one in a loadable URL: the unreachable layer has one).
URL_PASSWORD = "PLANTEDuser1%40PLANTEDuser2&PLANTEDuser3"
URL_QUERY = "apikey=PLANTEDapikey&token=PLANTEDtoken&access_token=PLANTEDaccess&key=PLANTEDkey"
SHARED_INPUTS = ("riksintressen_kulturmiljo.gpkg", "kommuner.gpkg")


# --------------------------------------------------------------------------- looking for secrets


def leaks_in_file(path: Path) -> list[str]:
    """Where in a file the marker shows: its bytes and every layer decoded from them."""
    decoded = _decoded(path.name, path.read_bytes(), on_disk=path)
    return [f"{path.name}: {where}" for where, data in decoded if MARKER.search(data)]


def _decoded(where: str, data: bytes, depth: int = 0, on_disk: Path | None = None):
    """The bytes, then what they hold: SQLite tables (every text and blob), zip members, hex
    text (QGIS stores a project in a GeoPackage as the hex of its .qgz), PDF text."""
    yield where, data
    if depth > 4 or len(data) < 8:
        return
    if data.startswith(b"SQLite format 3\x00"):
        for table, value in _sqlite_values(data, on_disk):
            yield from _decoded(f"{where}/{table}", value, depth + 1)
    elif data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _decoded(f"{where}/{member}", archive.read(member), depth + 1)
    elif data.startswith(b"%PDF"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=120
        ).stdout
        # A PDF whose text is drawn as outlines cannot be searched: fail rather than pass vacuously.
        assert text.strip(), f"{where}: a PDF with no text to search (pdftotext found none)"
        yield f"{where} (pdftotext)", text
    elif len(data) % 2 == 0 and re.fullmatch(rb"[0-9A-Fa-f]+", data):
        yield from _decoded(f"{where} (hex)", bytes.fromhex(data.decode("ascii")), depth + 1)


def _sqlite_values(data: bytes, on_disk: Path | None) -> list[tuple[str, bytes]]:
    """(table, value) for every text and blob of every table. A file on disk is read in place,
    read-only, so SQLite adds what its write-ahead log holds (QGIS may still have it open)."""
    with tempfile.TemporaryDirectory() as folder:
        if on_disk is None:
            on_disk = Path(folder) / "copy.sqlite"
            on_disk.write_bytes(data)
        connection = sqlite3.connect(f"file:{on_disk}?mode=ro", uri=True)
        values = []
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        values.append((table, value.encode("utf-8")))
                    elif isinstance(value, bytes):
                        values.append((table, value))
        connection.close()
    return values


def leaks_in_folder(folder: Path) -> tuple[list[str], int]:
    """(every leak, the number of files looked at) below a folder. SQLite's -wal and -shm files
    come and go while QGIS keeps a GeoPackage open: they are searched as bytes while they exist
    (the database read covers what they hold in any case)."""
    leaks, count = [], 0
    for path in sorted(folder.rglob("*")):
        if path.name.endswith(("-wal", "-shm", "-journal")):
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            leaks += [f"{path.name}: bytes"] if MARKER.search(data) else []
        elif path.is_file():
            leaks += leaks_in_file(path)
        else:
            continue
        count += 1
    return leaks, count


def test_the_search_finds_what_it_looks_for(tmp_path, qgis_app):
    """The search itself: a marker hidden in a hex-encoded zip inside a GeoPackage table, and in
    a PDF's compressed text, is found (the tests below would pass vacuously otherwise)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.qgs", "<datasource>password='PlAnTeDz'</datasource>")
    database = tmp_path / "hidden.gpkg"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE qgis_projects (name TEXT, content TEXT)")
    connection.execute("INSERT INTO qgis_projects VALUES ('RUS', ?)", (buffer.getvalue().hex(),))
    connection.commit()
    connection.close()
    assert MARKER.search(buffer.getvalue()) is None  # compressed: not visible raw
    assert leaks_in_file(database) == ["hidden.gpkg: hidden.gpkg/qgis_projects (hex)/x.qgs"]

    from qgis.core import Qgis, QgsLayout, QgsLayoutExporter, QgsLayoutItemLabel, QgsProject

    layout = QgsLayout(QgsProject.instance())
    layout.initializeDefaults()
    label = QgsLayoutItemLabel(layout)
    label.setText("token=PLANTEDpdf")
    label.adjustSizeToText()
    layout.addLayoutItem(label)
    pdf = tmp_path / "hidden.pdf"
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText  # as the plugin's reports (3.44: outlines)
    assert QgsLayoutExporter(layout).exportToPdf(str(pdf), settings) == 0
    assert MARKER.search(pdf.read_bytes()) is None  # the PDF's text is compressed
    assert leaks_in_file(pdf) == ["hidden.pdf: hidden.pdf (pdftotext)"]


# --------------------------------------------------------------------------- the hostile run


class Recorder:
    """Every message of one run: the feedback's and QGIS's message log (all tags)."""

    def __init__(self):
        from qgis.core import QgsApplication

        self.feedback_messages: list[str] = []
        self.log: list[tuple[str, str]] = []
        self._log = QgsApplication.messageLog()
        self._log.messageReceived.connect(self._logged)

    def _logged(self, message, tag, _level):
        self.log.append((tag, message))

    def feedback(self):
        from qgis.core import QgsProcessingFeedback

        messages = self.feedback_messages

        class Feedback(QgsProcessingFeedback):
            def pushInfo(self, text):  # noqa: N802
                messages.append(text)

            def pushWarning(self, text):  # noqa: N802
                messages.append(text)

            def reportError(self, text, fatalError=False):  # noqa: N802, N803
                messages.append(text)

            def pushDebugInfo(self, text):  # noqa: N802
                messages.append(text)

            def pushCommandInfo(self, text):  # noqa: N802
                messages.append(text)

            def pushConsoleInfo(self, text):  # noqa: N802
                messages.append(text)

            def setProgressText(self, text):  # noqa: N802
                messages.append(text)

        return Feedback()

    def close(self):
        self._log.messageReceived.disconnect(self._logged)


def _fingerprints(folder: Path) -> dict:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in SHARED_INPUTS}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, shared_data) -> Path:
    """The shared data this module reads, copied once: every read below is of these copies,
    which are the same bytes after all the runs (compared by hash at the end)."""
    folder = tmp_path_factory.mktemp("inputs")
    for name in SHARED_INPUTS:
        shutil.copy(shared_data / name, folder / name)
    before = _fingerprints(folder)
    assert before == _fingerprints(shared_data)
    yield folder
    assert _fingerprints(folder) == before


@pytest.fixture(scope="module")
def servers(tmp_path_factory, inputs, qgis_app):
    """PostGIS with riksintressen and kommuner; QGIS Server publishing riksintressen over WFS."""
    from qgis.core import QgsVectorLayer

    folder = tmp_path_factory.mktemp("servers")
    copy = folder / "riksintressen_kulturmiljo.gpkg"
    shutil.copy(inputs / "riksintressen_kulturmiljo.gpkg", copy)
    layer = QgsVectorLayer(f"{copy}|layername=riksintressen_kulturmiljo", "riksintressen_kulturmiljo", "ogr")
    assert layer.isValid()
    write_wfs_project(folder / "wfs.qgs", [layer])
    with postgis_server() as postgis, wfs_server(folder / "wfs.qgs") as wfs:
        postgis.load(
            inputs / "riksintressen_kulturmiljo.gpkg",
            "riksintressen_kulturmiljo",
            "riksintressen_kulturmiljo",
        )
        postgis.load(inputs / "kommuner.gpkg", "kommuner", "kommuner")
        yield postgis, wfs


@pytest.fixture(scope="module")
def sources(servers):
    """The planted sources as a user would give them to qgis_process."""
    postgis, wfs = servers
    host = wfs.url.removeprefix("http://")
    wfs_source = wfs.layer_uri("riksintressen_kulturmiljo").replace(
        f"url='{wfs.url}'", f"url='http://wuser:{URL_PASSWORD}@{host}?{URL_QUERY}'"
    )
    assert URL_QUERY in wfs_source
    return {
        "pg_agency": "postgres://" + postgis.layer_uri("riksintressen_kulturmiljo", password=PG_PASSWORD),
        "pg_zones": "postgres://" + postgis.layer_uri("kommuner", password=PG_PASSWORD),
        "wfs_agency": "wfs://" + wfs_source,
        # unreachable: class D, with its reason in the findings and the log
        "wfs_down": f"wfs://url='http://wuser:PLANTEDdown1@PLANTEDdown2@127.0.0.1:{free_port()}/?apikey=PLANTEDdown3' "
        "typename='natura2000' version='1.1.0'",
    }


@pytest.fixture(scope="module")
def elements(tmp_path_factory, inputs) -> str:
    """Three areas inside riksintressen (so the planted layers give findings of their own)."""
    folder = tmp_path_factory.mktemp("elements")
    features = gpd.read_file(inputs / "riksintressen_kulturmiljo.gpkg", engine="pyogrio").head(3)
    frame = gpd.GeoDataFrame(
        {"namn": [f"Område {i}" for i in range(3)]},
        geometry=[g.representative_point().buffer(400) for g in features.geometry],
        crs=features.crs,
    )
    path = folder / "rus_omraden.gpkg"
    frame.to_file(path, engine="pyogrio")
    return str(path)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, rus_provider_module, servers, sources, elements):
    """Every algorithm with the planted sources; returns (output folder, recorder, results)."""
    import processing

    out = tmp_path_factory.mktemp("outputs")
    recorder = Recorder()
    agency = [sources["pg_agency"], sources["wfs_agency"], sources["wfs_down"]]
    results = {}
    try:
        results["check"] = processing.run(
            "rusplanner:checkelements",
            {
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": agency,
                "LANGUAGE": 1,
                "OUTPUT": str(out / "findings.gpkg"),
                "SUMMARY": str(out / "summary.gpkg"),
            },
            feedback=recorder.feedback(),
        )
        results["summary"] = processing.run(
            "rusplanner:territorialsummary",
            {
                "ZONES": sources["pg_zones"],
                "FINDINGS": str(out / "findings.gpkg"),
                "OUTPUT": str(out / "per_kommun.gpkg"),
            },
            feedback=recorder.feedback(),
        )
        results["report"] = processing.run(
            "rusplanner:consultationreport",
            {
                "FINDINGS": str(out / "findings.gpkg"),
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": [sources["pg_agency"], sources["wfs_agency"]],
                "LANGUAGE": 1,
                "OUTPUT_FOLDER": str(out / "reports"),
            },
            feedback=recorder.feedback(),
        )
        results["share"] = processing.run(
            "rusplanner:sharegeopackage",
            {
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": [sources["pg_agency"], sources["wfs_agency"]],
                "RESULTS": [str(out / "findings.gpkg"), str(out / "summary.gpkg")],
                "AGENCY_EXTRACT": 0,
                "OUTPUT": str(out / "share.gpkg"),
            },
            feedback=recorder.feedback(),
        )
    finally:
        recorder.close()
    return out, recorder, results


def _findings(path: Path) -> list[dict]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    table = connection.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
    rows = [dict(row) for row in connection.execute(f'SELECT * FROM "{table}"')]
    connection.close()
    # The default profile's standing notice (no layer, no source), checked and set aside.
    return without_notice(rows)


def test_the_hostile_layers_were_read_and_named_without_their_secrets(hostile_run):
    out, recorder, _ = hostile_run
    findings = _findings(out / "findings.gpkg")
    by_source = {}
    for row in findings:
        by_source.setdefault(row["data_source"], []).append(row)
    pg = [s for s in by_source if 'table="public"."riksintressen_kulturmiljo"' in s]
    wfs = [s for s in by_source if "typename='riksintressen_kulturmiljo'" in s]
    down = [s for s in by_source if "typename='natura2000'" in s]
    assert len(pg) == len(wfs) == len(down) == 1, sorted(by_source)
    # The masked sources say where the data came from, credentials replaced by ***.
    assert "host=127.0.0.1" in pg[0] and "password='***'" in pg[0] and "key='fid'" in pg[0]
    assert "http://wuser:***@127.0.0.1:" in wfs[0]
    assert "apikey=***&token=***&access_token=***&key=***" in wfs[0]
    # Both served layers were checked for real: class B findings (riksintressen), the same
    # elements from both; the unreachable one is class D for every element.
    assert {r["severity"] for r in by_source[pg[0]]} == {"B"}
    assert sorted(r["element_id"] for r in by_source[pg[0]]) == sorted(
        r["element_id"] for r in by_source[wfs[0]]
    )
    assert len(by_source[pg[0]]) >= 3
    assert {r["severity"] for r in by_source[down[0]]} == {"D"}  # one per element and Natura 2000 rule
    assert len({r["element_id"] for r in by_source[down[0]]}) == 3
    assert all(r["note"] for r in by_source[down[0]])
    # The shared package names them, and says their credentials stay behind.
    warnings = [m for m in recorder.feedback_messages if "holds credentials" in m]
    assert len(warnings) == 2, recorder.feedback_messages


def test_no_output_file_holds_a_secret(hostile_run):
    out, _, results = hostile_run
    leaks, count = leaks_in_folder(out)
    names = {path.name for path in out.rglob("*") if path.is_file()}
    assert {
        "findings.gpkg",
        "summary.gpkg",
        "per_kommun.gpkg",
        "share.gpkg",
        "consultation_report.html",
    } <= names
    assert len([n for n in names if n.endswith(".pdf")]) >= 2
    assert count >= 7
    assert leaks == []


def test_the_shared_project_and_sources_table_hold_no_secret(hostile_run):
    """Looked at directly too: the project inside the package, and its rus_sources table."""
    out, _, _ = hostile_run
    connection = sqlite3.connect(out / "share.gpkg")
    (content,) = connection.execute("SELECT content FROM qgis_projects").fetchone()
    sources_table = connection.execute("SELECT layer_name, source FROM rus_sources").fetchall()
    connection.close()
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as archive:
        project = next(archive.read(n) for n in archive.namelist() if n.endswith(".qgs")).decode("utf-8")
    assert "<datasource>" in project and "share.gpkg" in project  # the layers point into the package
    assert not MARKER.search(project.encode())
    masked = [source for _, source in sources_table if "***" in source]
    assert len(masked) == 2, sources_table
    assert not any(MARKER.search(str(cell).encode()) for row in sources_table for cell in row)


def test_no_message_holds_a_secret(hostile_run):
    """The feedback of every run and the plugin's and Processing's log. (QGIS's own WFS provider
    logs the URL it could not reach, credentials and all, under its tag "WFS": not ours to mask.)"""
    _, recorder, _ = hostile_run
    assert any("could not be checked" in m for m in recorder.feedback_messages)  # the unreachable layer
    ours = recorder.feedback_messages + [m for tag, m in recorder.log if tag in ("RUS Planner", "Processing")]
    assert [m for m in ours if MARKER.search(m.encode())] == []


def test_an_error_that_quotes_the_source_is_masked(rus_provider_module, servers, tmp_path):
    """QGIS's own "could not load source layer" message quotes the parameter as given: the
    algorithm's error reaches the user without the password, still naming the source."""
    import processing
    from qgis.core import QgsProcessingException

    postgis, _ = servers
    missing = "postgres://" + postgis.layer_uri("no_such_table", password=PG_PASSWORD)
    recorder = Recorder()
    try:
        with pytest.raises(QgsProcessingException) as raised:
            processing.run(
                "rusplanner:territorialsummary",
                {"ZONES": missing, "FINDINGS": "", "OUTPUT": str(tmp_path / "z.gpkg")},
                feedback=recorder.feedback(),
            )
    finally:
        recorder.close()
    message = str(raised.value)
    assert "ZONES" in message and "no_such_table" in message and "password='***'" in message
    assert not MARKER.search(message.encode())
    assert [m for m in recorder.feedback_messages if MARKER.search(m.encode())] == []


def test_exports_mask_secrets_in_rows_written_before_redaction(hostile_run, sources, tmp_path):
    """The panel's exports of findings whose text still carries credentials (a findings file
    written by an older version): CSV (both separators), HTML and GeoPackage carry none."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry

    from rus_planner.rus_planner.qgis_io.export import EXPORT_FIELDS, write_csv, write_geopackage, write_html

    out, _, _ = hostile_run
    rows = _findings(out / "findings.gpkg")[:3]
    planted = dict(rows[0])
    planted.update(
        data_source=sources["pg_agency"],
        note=f"Not checked: reading it failed (Error transferring {sources['wfs_agency']})",
        agency_layer=sources["wfs_down"],
        review_position="password='PLANTEDposition' said the planner",
    )
    rows = [*rows, planted]
    raw = [sources["pg_agency"], f"wfs: {sources['wfs_agency']}"]
    write_csv(rows, tmp_path / "a.csv")
    write_csv(rows, tmp_path / "b.csv", decimal_comma=True)
    write_html(rows, tmp_path / "c.html", title="RUS", sources=raw)
    geometries = [QgsGeometry.fromWkt("POINT (500000 6500000)")] * len(rows)
    write_geopackage(rows, geometries, QgsCoordinateReferenceSystem("EPSG:3006"), tmp_path / "d.gpkg")
    leaks, count = leaks_in_folder(tmp_path)
    assert count >= 4  # (a GeoPackage may still have its -wal beside it)
    assert leaks == []
    csv_text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "password='***'" in csv_text and "apikey=***" in csv_text  # the sources are still named
    assert {name for name, _ in EXPORT_FIELDS} >= {"data_source", "note"}


def test_project_state_stores_sources_without_secrets(sources, tmp_path, qgis_app):
    from qgis.core import QgsProject

    from rus_planner.rus_planner.qgis_io.project_state import DataSource, ProjectState

    state = ProjectState(
        last_run="2025-01-01T00:00:00+00:00",
        data_sources=[
            DataSource("agency", "pg1", "riksintressen", sources["pg_agency"], "2025-01-01"),
            DataSource("agency", "wfs1", "riksintressen (WFS)", sources["wfs_agency"]),
        ],
    )
    project = QgsProject()
    project.setFileName(str(tmp_path / "state.qgz"))
    state.write_to_project(project)
    assert project.write()
    assert leaks_in_file(tmp_path / "state.qgz") == []
    reopened = QgsProject()
    assert reopened.read(str(tmp_path / "state.qgz"))
    back = ProjectState.read_from_project(reopened)
    assert [s.source for s in back.data_sources] == [
        safe_source(sources["pg_agency"]),
        safe_source(sources["wfs_agency"]),
    ]
    assert "host=127.0.0.1" in back.data_sources[0].source


def test_a_project_written_with_credentials_kept_out_keeps_authcfg_and_names_the_layers(
    servers, sources, tmp_path
):
    """share_credentials.keep_credentials_out on a project whose layers read PostGIS and the WFS with inline
    credentials (QGIS itself writes them into the layer and, half-masked, into the layer tree)
    and one PostGIS layer that refers to an authentication configuration instead."""
    from qgis.core import QgsProject, QgsVectorLayer

    from rus_planner.rus_planner.qgis_io.share_credentials import keep_credentials_out

    postgis, _ = servers

    def layers() -> list:
        pg = QgsVectorLayer(sources["pg_agency"].removeprefix("postgres://"), "ri_pg", "postgres")
        wfs = QgsVectorLayer(sources["wfs_agency"].removeprefix("wfs://"), "ri_wfs", "WFS")
        with_id = QgsVectorLayer(
            postgis.layer_uri("kommuner").replace("sslmode", "authcfg=k7x9q2m sslmode"), "k", "postgres"
        )
        assert pg.isValid() and wfs.isValid()
        return [pg, wfs, with_id]

    plain = QgsProject()
    plain.addMapLayers(layers())
    assert plain.write(str(tmp_path / "plain.qgs"))
    assert MARKER.search((tmp_path / "plain.qgs").read_bytes())  # what QGIS alone writes
    plain.removeAllMapLayers()

    project = QgsProject()
    project.addMapLayers(layers())
    masked = keep_credentials_out(project)
    for name in ("shared.qgs", "shared.qgz"):
        masked.clear()
        assert project.write(str(tmp_path / name))
        assert sorted(masked) == ["ri_pg", "ri_wfs"]
        assert leaks_in_file(tmp_path / name) == []
    text = (tmp_path / "shared.qgs").read_text(encoding="utf-8")
    assert "authcfg=k7x9q2m" in text
    assert "password='***'" in text and "apikey=***" in text and "wuser:***@" in text
    project.removeAllMapLayers()


def test_a_layer_named_by_its_source_is_checked_and_shared_without_its_secret(
    rus_provider_module, sources, elements, tmp_path
):
    """QGIS 3.44's Processing names a layer it loads from a source string after the whole
    string, password and API key included. Given such layers (built here so every QGIS
    version sees the same names), the findings and the shared package name them by their
    table / feature type, and no byte or message holds the secret."""
    import processing
    from qgis.core import QgsVectorLayer

    pg_source = sources["pg_agency"].removeprefix("postgres://")
    wfs_source = sources["wfs_agency"].removeprefix("wfs://")
    pg = QgsVectorLayer(pg_source, pg_source, "postgres")
    wfs = QgsVectorLayer(wfs_source, wfs_source, "WFS")
    assert pg.isValid() and wfs.isValid()
    assert MARKER.search(pg.name().encode()) and MARKER.search(wfs.name().encode())
    recorder = Recorder()
    try:
        processing.run(
            "rusplanner:checkelements",
            {
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": [pg, wfs],
                "OUTPUT": str(tmp_path / "f.gpkg"),
                "SUMMARY": str(tmp_path / "s.gpkg"),
            },
            feedback=recorder.feedback(),
        )
        processing.run(
            "rusplanner:sharegeopackage",
            {
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": [pg, wfs],
                "AGENCY_EXTRACT": 0,
                "OUTPUT": str(tmp_path / "share.gpkg"),
            },
            feedback=recorder.feedback(),
        )
    finally:
        recorder.close()
    findings = _findings(tmp_path / "f.gpkg")
    assert {r["agency_layer"] for r in findings} == {"riksintressen_kulturmiljo"}
    assert len(findings) >= 6  # both layers were read: at least three elements each
    connection = sqlite3.connect(tmp_path / "share.gpkg")
    tables = {name for (name,) in connection.execute("SELECT table_name FROM gpkg_contents")}
    names = [name for (name,) in connection.execute("SELECT layer_name FROM rus_sources")]
    connection.close()
    assert {"riksintressen_kulturmiljo", "riksintressen_kulturmiljo_2"} <= tables, tables
    assert names.count("riksintressen_kulturmiljo") == 2, names
    leaks, count = leaks_in_folder(tmp_path)
    assert count >= 2 and leaks == []
    assert [m for m in recorder.feedback_messages if MARKER.search(m.encode())] == []


def test_the_demo_with_secret_bearing_agency_layers_writes_none(servers, sources, tmp_path, capsys):
    """`make demo`'s script with two more agency layers (PostGIS and WFS, credentials inline):
    every file it writes and everything it prints is free of them."""
    out = tmp_path / "demo"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "demo.py"),
            "--output",
            str(out),
            "--agency",
            sources["pg_agency"],
            "--agency",
            sources["wfs_agency"],
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, safe_source(done.stdout[-3000:] + done.stderr[-3000:])
    leaks, count = leaks_in_folder(out)
    printed = [line for line in (done.stdout + done.stderr).splitlines() if MARKER.search(line.encode())]
    with capsys.disabled():
        print(
            f"\ndemo with secrets in two agency sources: {count} files searched, {len(leaks)} leaks, "
            f"{len(printed)} printed lines with a secret"
        )
    assert leaks == []
    assert printed == []
    # The planted layers took part: in the checked command, as findings and in the project.
    assert "apikey=***" in done.stdout and "wuser:***@" in done.stdout  # the commands, as printed
    checked = {r["data_source"] for r in _demo_findings(out / "rus_resultat.gpkg")}
    assert any("password='***'" in s and "host=127.0.0.1" in s for s in checked)
    assert any("apikey=***" in s and "typename='riksintressen_kulturmiljo'" in s for s in checked)
    assert done.stdout.count("The credentials in the source of") == 2  # both layers are in the project


def _demo_findings(path: Path) -> list[dict]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    rows = [
        dict(row)
        for row in connection.execute('SELECT data_source FROM "fynd" WHERE rule_id != ?', (NOTICE_ID,))
    ]
    connection.close()
    return rows  # without the default profile's standing notice (no layer, no source)
