"""Nothing the plugin did not make is deleted or overwritten, and every write is checked.

A hostile user points outputs at the inputs (plain paths, symbolic and hard links,
``|layername=`` and ``ogr:dbname=... table=...`` forms, a layer of the project), points two
outputs at one file, cancels runs that would replace an earlier output, fills the disk in the
middle of a write (a file size limit on the real qgis_process), makes field names that differ
only in case, gives a file or a read-only folder as the report folder and a name field the zones
lack, and presses Run in the panel on the demo project. Every case asserts the exact message
(and qgis_process's exit code where a script would see it), that every input file is byte for
byte what it was, and that an earlier output a cancelled or failed run would have replaced is
byte for byte what it was, with no staging leftovers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from headless import QGIS_PROCESS, qgis_process
from panel_helpers import load_plugin, run_and_wait, wait_until

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DEMO_DATA = REPO / "resources" / "demo" / "orebro_lan.gpkg"
PROFILE = REPO / "resources" / "profiles" / "default_sv.yaml"
ELEMENTS = ("rus_noder", "rus_strak", "rus_omraden")
AGENCY = ("riksintressen_kulturmiljovard", "nationalparker", "naturminne")
SECTORS = ("kultur_miljoer", "transport_strak")
STAGING = ".rus-planner-"
PANEL_TABLES = {"rus_findings_point", "rus_findings_line", "rus_findings_polygon", "rus_planner_panel"}


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def read_only_folder(folder: Path):
    """The folder made unwritable for this process; yields the reason the OS will give.

    Root writes through permissions, and ``chattr +i`` needs a file system that has it
    (not tmpfs, where the test matrix runs): as root the folder is bind-mounted read-only.
    """
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        try:
            yield "Permission denied"
        finally:
            os.chmod(folder, 0o755)
        return
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        yield "Read-only file system"
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below a folder (relative path → SHA-256)."""
    return {str(p.relative_to(folder)): digest(p) for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def staging_left(folder: Path) -> list[str]:
    return [str(p) for p in Path(folder).rglob(f"{STAGING}*")]


def table_digests(gpkg: Path) -> dict[str, str]:
    """Each table of a GeoPackage → a digest of its rows (to show tables untouched in a file that grew)."""
    uri = f"{Path(gpkg).resolve().as_uri()}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    try:
        names = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents ORDER BY 1")]
        out = {}
        for name in names:
            rows = connection.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            out[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        connection.close()


def tables(gpkg: Path) -> set[str]:
    return set(table_digests(gpkg))


def count(gpkg: Path, table: str) -> int:
    uri = f"{Path(gpkg).resolve().as_uri()}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    try:
        return connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        connection.close()


def uri(gpkg: Path, table: str) -> str:
    return f"{gpkg}|layername={table}"


def table_output(gpkg: Path, table: str) -> str:
    return f"ogr:dbname='{gpkg}' table=\"{table}\" (geom)"


def run(algorithm: str, parameters: dict, feedback=None) -> dict:
    import processing

    return processing.run(algorithm, parameters, feedback=feedback)


def refused(algorithm: str, parameters: dict, feedback=None) -> str:
    """The message of a run that must fail."""
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as caught:
        run(algorithm, parameters, feedback)
    return str(caught.value)


def error_lines(done: subprocess.CompletedProcess) -> list[str]:
    """What qgis_process printed as its error (stderr without GDAL's and Python's own noise)."""
    return [
        line
        for line in done.stderr.splitlines()
        if line.strip()
        and "DeprecationWarning" not in line
        and "user_version" not in line
        and not line.startswith(("Warning ", "ERROR 1:", "  return lib."))
        and "RuntimeWarning" not in line
    ]


class Feedback:
    """A Processing feedback that cancels the run when a message containing ``cancel_on`` is
    pushed, or when the progress passes ``cancel_at`` (and keeps every message)."""

    def __new__(cls, cancel_on: str | None = None, cancel_at: float | None = None):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines: list[str] = []
                if cancel_at is not None:
                    self.progressChanged.connect(lambda value: self.cancel() if value > cancel_at else None)

            def pushInfo(self, info):  # noqa: N802
                self.lines.append(info)
                if cancel_on and cancel_on in info:
                    self.cancel()
                super().pushInfo(info)

            def pushWarning(self, warning):  # noqa: N802
                self.lines.append(warning)
                super().pushWarning(warning)

        return _Feedback()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def prepared(rus_provider_module, tmp_path_factory) -> Path:
    """The demo data with a check's findings and a sector overlay beside it, made once."""
    folder = tmp_path_factory.mktemp("prepared")
    data = folder / "orebro.gpkg"
    shutil.copy(DEMO_DATA, data)
    run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [uri(data, name) for name in ELEMENTS],
            "AGENCY_LAYERS": [uri(data, name) for name in AGENCY],
            "PROFILE": str(PROFILE),
            "OUTPUT": str(folder / "findings.gpkg"),
            "SUMMARY": str(folder / "summary.gpkg"),
        },
    )
    run(
        "rusplanner:sectoroverlay",
        {
            "SECTORS": [uri(data, name) for name in SECTORS],
            "PROFILE": str(PROFILE),
            "EXTENT_LAYER": uri(data, "lan"),
            "OUTPUT": str(folder / "overlay.gpkg"),
        },
    )
    return folder


@pytest.fixture
def work(prepared, tmp_path) -> Path:
    """A copy of the prepared folder for one test (a path with a space and å ä ö)."""
    folder = tmp_path / "arbete åäö"
    shutil.copytree(prepared, folder)
    return folder


@pytest.fixture
def provider(rus_provider):
    return rus_provider


def check_parameters(folder: Path, **outputs) -> dict:
    data = folder / "orebro.gpkg"
    return {
        "ELEMENTS": [uri(data, name) for name in ELEMENTS],
        "AGENCY_LAYERS": [uri(data, name) for name in AGENCY],
        "PROFILE": str(PROFILE),
        **outputs,
    }


# --------------------------------------------------------------------------- (2) an output that is an input


def _plain_over_input_cases(folder: Path) -> list[tuple[str, dict, str, Path]]:
    """(algorithm, parameters, message, the input file the output names) for every file output."""
    data = folder / "orebro.gpkg"
    overlay = folder / "overlay.gpkg"
    findings = folder / "findings.gpkg"

    def whole_file(output: str, path: Path, input_label: str) -> str:
        return (
            f"{output}: “{path}” is read by this run ({input_label}); writing it would replace the whole "
            "file and every table in it. Nothing was written; choose another file, or add a new table to "
            f"it with ogr:dbname='{path}' table=\"name\"."
        )

    sectors = [uri(data, name) for name in SECTORS]
    return [
        (
            "rusplanner:sectoroverlay",
            {"SECTORS": sectors, "PROFILE": str(PROFILE), "OUTPUT": str(data)},
            whole_file("Sector overlay", data, "Sector layers"),
            data,
        ),
        (
            "rusplanner:gridoverlay",
            {
                "SECTORS": sectors,
                "PROFILE": str(PROFILE),
                "CELL_SIZE": 5000,
                "EXTENT_LAYER": uri(data, "lan"),
                "OUTPUT": str(data),
            },
            whole_file("Sector grid", data, "Sector layers"),
            data,
        ),
        (
            "rusplanner:checkelements",
            check_parameters(folder, OUTPUT=str(folder / "new.gpkg"), SUMMARY=str(data)),
            whole_file("Summary per element", data, "RUS elements (nodes, corridors, areas)"),
            data,
        ),
        (
            "rusplanner:territorialsummary",
            {"ZONES": uri(data, "kommuner"), "OVERLAY": str(overlay), "OUTPUT": str(overlay)},
            whole_file("Territorial summary", overlay, "Sector overlay (output of Sector overlay)"),
            overlay,
        ),
        (
            "rusplanner:overlayatlas",
            {"OVERLAY": str(overlay), "ZONES": uri(data, "kommuner"), "OUTPUT": str(overlay)},
            whole_file("Atlas (PDF)", overlay, "Sector overlay"),
            overlay,
        ),
        (
            "rusplanner:sharegeopackage",
            {"ELEMENTS": [uri(data, "rus_omraden")], "RESULTS": [str(findings)], "OUTPUT": str(findings)},
            whole_file("GeoPackage", findings, "Results (findings, summaries, overlays)"),
            findings,
        ),
    ]


@pytest.mark.parametrize(
    "algorithm",
    [
        "rusplanner:sectoroverlay",
        "rusplanner:gridoverlay",
        "rusplanner:checkelements",
        "rusplanner:territorialsummary",
        "rusplanner:overlayatlas",
        "rusplanner:sharegeopackage",
    ],
)
def test_every_file_output_that_is_an_input_is_refused_before_anything_is_written(provider, work, algorithm):
    case = next(c for c in _plain_over_input_cases(work) if c[0] == algorithm)
    _, parameters, message, _ = case
    before = snapshot(work)
    assert refused(algorithm, parameters) == message
    assert snapshot(work) == before  # every input byte-identical, and nothing new
    assert staging_left(work) == []


def test_links_layer_names_and_project_layers_are_seen_through(provider, work):
    """A symbolic link, a hard link, ``|layername=``, a different case and a layer object: same file."""
    from qgis.core import QgsProject, QgsVectorLayer

    data = work / "orebro.gpkg"
    symlink = work / "länk.gpkg"
    symlink.symlink_to(data)
    hardlink = work / "hårdlänk.gpkg"
    os.link(data, hardlink)
    before = snapshot(work)
    label = "RUS elements (nodes, corridors, areas)"

    message = refused(
        "rusplanner:checkelements", check_parameters(work, OUTPUT=str(symlink), SUMMARY="memory:")
    )
    assert message.startswith(
        f"Findings: “{symlink}” is read by this run ({label}); writing it would replace"
    )

    message = refused(
        "rusplanner:checkelements", check_parameters(work, OUTPUT="memory:", SUMMARY=str(hardlink))
    )
    assert message.startswith(f"Summary per element: “{hardlink}” is read by this run ({label});")

    # The table form naming an input table (through the link, in other case): that table would be replaced.
    message = refused(
        "rusplanner:checkelements",
        check_parameters(work, OUTPUT=table_output(symlink, "RUS_NODER"), SUMMARY="memory:"),
    )
    assert message == (
        f"Findings: the table “RUS_NODER” of “{symlink}” is read by this run ({label}) and would be "
        "replaced. Nothing was written; choose another table name or another file."
    )

    # A layer of the project, given as a layer object: its file is the input.
    layer = QgsVectorLayer(uri(data, "rus_omraden"), "Områden", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        message = refused(
            "rusplanner:checkelements",
            {
                "ELEMENTS": [layer],
                "AGENCY_LAYERS": [uri(work / "findings.gpkg", "findings")],
                "OUTPUT": str(data),
                "SUMMARY": "memory:",
            },
        )
        assert message.startswith(f"Findings: “{data}” is read by this run ({label});")
        # The same layer by its id in the project.
        message = refused(
            "rusplanner:checkelements",
            {
                "ELEMENTS": [layer.id()],
                "AGENCY_LAYERS": [uri(work / "findings.gpkg", "findings")],
                "OUTPUT": "memory:",
                "SUMMARY": table_output(data, "rus_omraden"),
            },
        )
        assert message.startswith("Summary per element: the table “rus_omraden” of ")
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert snapshot(work) == before
    assert staging_left(work) == []


def test_a_table_added_to_a_file_read_as_a_whole_and_two_outputs_in_one_file_are_refused(provider, work):
    overlay = work / "overlay.gpkg"
    data = work / "orebro.gpkg"
    before = snapshot(work)
    message = refused(
        "rusplanner:territorialsummary",
        {
            "ZONES": uri(data, "kommuner"),
            "OVERLAY": str(overlay),
            "OUTPUT": table_output(overlay, "per_kommun"),
        },
    )
    assert message == (
        f"Territorial summary: the table “per_kommun” would be written into “{overlay}”, which this run reads "
        "as a whole (Sector overlay (output of Sector overlay)). Nothing was written; name the input's table "
        f"(“{overlay}|layername=...”) or write to another file."
    )
    same = work / "same.gpkg"
    message = refused("rusplanner:checkelements", check_parameters(work, OUTPUT=str(same), SUMMARY=str(same)))
    assert message == (
        f"Findings and Summary per element are the same output (“{same}”): the second would replace the "
        "first. Nothing was written; choose two different files or tables."
    )
    message = refused(
        "rusplanner:checkelements",
        check_parameters(work, OUTPUT=table_output(same, "fynd"), SUMMARY=table_output(same, "FYND")),
    )
    assert message.startswith("Findings and Summary per element are the same output")
    assert snapshot(work) == before
    assert not same.exists()
    assert staging_left(work) == []


def test_a_new_table_in_an_input_geopackage_leaves_every_input_table_as_it_was(provider, work):
    """ogr:dbname='input.gpkg' table="new": QGIS adds a table and touches no other (what make demo does)."""
    data = work / "orebro.gpkg"
    before = table_digests(data)
    expected = run("rusplanner:checkelements", check_parameters(work, OUTPUT="memory:", SUMMARY="memory:"))
    findings, summary = expected["OUTPUT"].featureCount(), expected["SUMMARY"].featureCount()
    assert findings > 0

    result = run(
        "rusplanner:checkelements",
        check_parameters(
            work, OUTPUT=table_output(data, "fynd"), SUMMARY=table_output(data, "sammanfattning")
        ),
    )
    assert result["OUTPUT"] == f"{data}|layername=fynd"
    assert result["SUMMARY"] == f"{data}|layername=sammanfattning"
    after = table_digests(data)
    assert {name: after[name] for name in before} == before  # every input table unchanged
    assert set(after) - set(before) == {"fynd", "sammanfattning"}
    assert (count(data, "fynd"), count(data, "sammanfattning")) == (findings, summary)

    # Again: the table it wrote is replaced (not appended to), no temporary table stays behind.
    run(
        "rusplanner:checkelements",
        check_parameters(
            work, OUTPUT=table_output(data, "fynd"), SUMMARY=table_output(data, "sammanfattning")
        ),
    )
    assert set(table_digests(data)) == set(before) | {"fynd", "sammanfattning"}
    assert count(data, "fynd") == findings
    assert {name: table_digests(data)[name] for name in before} == before
    assert staging_left(work) == []


# --------------------------------------------------------------------------- (3) cancel and failure


def test_a_cancelled_overlay_leaves_the_earlier_output_byte_identical(provider, work):
    data = work / "orebro.gpkg"
    output = work / "overlay.gpkg"  # the earlier run's output, to be replaced
    before = snapshot(work)
    feedback = Feedback(cancel_at=60)
    message = refused(
        "rusplanner:sectoroverlay",
        {
            "SECTORS": [uri(data, name) for name in SECTORS],
            "PROFILE": str(PROFILE),
            "EXTENT_LAYER": uri(data, "lan"),
            "OUTPUT": str(output),
        },
        feedback,
    )
    assert message == f"The run was cancelled; nothing was written. The existing {output} is unchanged."
    assert snapshot(work) == before
    assert staging_left(work) == []


def test_a_run_cancelled_after_its_last_write_replaces_no_table(provider, work):
    """Cancel after both tables were written (the last message): the run still counts as cancelled."""
    data = work / "orebro.gpkg"
    results = work / "resultat.gpkg"
    run(
        "rusplanner:checkelements",
        check_parameters(
            work, OUTPUT=table_output(results, "fynd"), SUMMARY=table_output(results, "sammanfattning")
        ),
    )
    before_tables = table_digests(results)
    before = snapshot(work)
    feedback = Feedback(cancel_on="findings:")
    # Other rules (only the parks): a completed run would change both tables.
    message = refused(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [uri(data, name) for name in ELEMENTS],
            "AGENCY_LAYERS": [uri(data, "nationalparker")],
            "OUTPUT": table_output(results, "fynd"),
            "SUMMARY": table_output(results, "sammanfattning"),
        },
        feedback,
    )
    assert message == (
        "The run was cancelled; nothing was written. "
        f"The existing {results}|layername=fynd is unchanged. "
        f"The existing {results}|layername=sammanfattning is unchanged."
    )
    assert any("findings:" in line for line in feedback.lines)  # it was cancelled after writing
    assert snapshot(work) == before
    assert table_digests(results) == before_tables  # no temporary table left either


def test_cancelled_reports_package_and_atlas_leave_earlier_files_byte_identical(provider, work):
    data = work / "orebro.gpkg"
    findings = work / "findings.gpkg"
    reports = work / "rapporter"
    reports.mkdir()
    old = {
        name: f"an earlier {name}".encode()
        for name in ("consultation_overall.pdf", "consultation_report.html")
    }
    for name, content in old.items():
        (reports / name).write_bytes(content)
    package = work / "dela.gpkg"
    shutil.copy(work / "summary.gpkg", package)  # an earlier package (any earlier file)
    atlas = work / "atlas.pdf"
    atlas.write_bytes(b"%PDF an earlier atlas")
    before = snapshot(work)

    message = refused(
        "rusplanner:consultationreport",
        {
            "FINDINGS": str(findings),
            "ELEMENTS": [uri(data, name) for name in ELEMENTS],
            "AGENCY_LAYERS": [uri(data, name) for name in AGENCY],
            "OUTPUT_FOLDER": str(reports),
        },
        Feedback(cancel_on="consultation_overall.pdf"),  # after the first PDF
    )
    assert message == "The run was cancelled; nothing was written."
    message = refused(
        "rusplanner:sharegeopackage",
        {
            "ELEMENTS": [uri(data, "rus_omraden")],
            "AGENCY_LAYERS": [uri(data, name) for name in AGENCY],
            "RESULTS": [str(findings)],
            "OUTPUT": str(package),
        },
        Feedback(cancel_on="features written as"),  # after the first table
    )
    assert message == f"The run was cancelled; nothing was written. The existing {package} is unchanged."
    message = refused(
        "rusplanner:overlayatlas",
        {"OVERLAY": str(work / "overlay.gpkg"), "ZONES": uri(data, "kommuner"), "OUTPUT": str(atlas)},
        Feedback(cancel_at=1),
    )
    assert message == f"The run was cancelled; nothing was written. The existing {atlas} is unchanged."
    assert snapshot(work) == before
    assert staging_left(work) == []


def test_a_package_that_fails_halfway_leaves_the_earlier_one(provider, work, monkeypatch):
    """A failure while writing (here the second table) removes what was staged; the old file stays."""
    from rus_planner.rus_planner.qgis_io import share

    data = work / "orebro.gpkg"
    package = work / "dela.gpkg"
    shutil.copy(work / "summary.gpkg", package)
    before = snapshot(work)
    real = share._write_table
    calls = []

    def failing(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise share.ShareError("the disk is full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(share, "_write_table", failing)
    message = refused(
        "rusplanner:sharegeopackage",
        {"ELEMENTS": [uri(data, "rus_omraden"), uri(data, "rus_noder")], "OUTPUT": str(package)},
    )
    assert message == f"the disk is full (simulated) The existing {package} is unchanged."
    assert snapshot(work) == before
    assert staging_left(work) == []


def test_a_full_disk_in_real_qgis_process_is_an_error_and_the_old_output_stays(work):
    """qgis_process may write at most 400 kB per file (RLIMIT_FSIZE): the grid does not fit."""
    data = work / "orebro.gpkg"
    output = work / "rutnät.gpkg"
    shutil.copy(work / "overlay.gpkg", output)  # an earlier output
    before = snapshot(work)

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    arguments = [
        *[f"SECTORS={uri(data, name)}" for name in SECTORS],
        f"PROFILE={PROFILE}",
        "CELL_SIZE=250",
        f"EXTENT_LAYER={uri(data, 'lan')}",
        f"OUTPUT={output}",
    ]
    done = subprocess.run(
        [str(QGIS_PROCESS), "run", "rusplanner:gridoverlay", "--", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    # A GeoPackage path is written directly (SQLite reports the failed write), not through a sink.
    assert error_lines(done)[-1] == (
        f"Sector grid could not be written: disk I/O error The existing {output} is unchanged."
    )
    assert snapshot(work) == before
    assert staging_left(work) == []


# --------------------------------------------------------------------------- (4) writes checked


def test_a_failed_write_is_an_error_with_the_reason(qgis_app):
    """write_features and add_features check every answer of the sink (memory: wrong geometry kind)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    from rus_planner.rus_planner.qgis_io.feature_writing import WriteError, add_features, write_features

    points = QgsVectorLayer("Point?crs=EPSG:3006&field=namn:string", "punkter", "memory")
    square = shapely.box(0, 0, 1, 1)
    with pytest.raises(WriteError) as caught:
        write_features(points.dataProvider(), [square], [["a"]])
    assert str(caught.value) == (
        "Writing the output failed after 0 features: Could not add feature with geometry type Polygon to "
        "layer of type Point"
    )
    feature = QgsFeature(points.fields())
    feature.setGeometry(QgsGeometry.fromWkt("LINESTRING(0 0, 1 1)"))
    feature.setAttributes(["b"])
    with pytest.raises(WriteError) as caught:
        add_features(points.dataProvider(), [feature], "punkter")
    assert str(caught.value) == (
        "The features of “punkter” could not be written: Could not add feature with geometry type "
        "LineString to layer of type Point"
    )
    assert points.featureCount() == 0


def test_field_names_equal_but_for_case_are_made_unique_and_every_value_written(work):
    """Zones with a field ZONE_AREA_HA: the summary's own zone_area_ha becomes zone_area_ha_2
    (a GeoPackage cannot hold both); before, the table was silently missing and the exit code 0."""
    import geopandas as gpd

    data = work / "orebro.gpkg"
    zones = gpd.read_file(data, layer="kommuner")
    zones["ZONE_AREA_HA"] = 1.5
    zone_file = work / "zoner.gpkg"
    zones.to_file(zone_file, layer="zoner", driver="GPKG")
    output = work / "per_kommun.gpkg"
    done = qgis_process(
        "run",
        "rusplanner:territorialsummary",
        "--",
        f"ZONES={uri(zone_file, 'zoner')}",
        f"OVERLAY={work / 'overlay.gpkg'}",
        "TARGET_CRS=EPSG:3006",
        f"OUTPUT={output}",
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (
        "Territorial summary: fields renamed because another field has the same name apart from upper and "
        "lower case, which a GeoPackage or shapefile cannot hold: zone_area_ha → zone_area_ha_2"
    ) in done.stdout + done.stderr
    written = gpd.read_file(output)
    assert len(written) == len(zones) == 12
    assert (written["ZONE_AREA_HA"] == 1.5).all()
    areas = shapely.area(zones.to_crs("EPSG:3006").geometry.values) / 1e4
    assert written["zone_area_ha_2"].to_numpy() == pytest.approx(areas, rel=1e-6)


# --------------------------------------------------------------------------- (5) folders and fields, headless


def test_report_folder_that_is_a_file_or_read_only_and_a_missing_name_field(work):
    data = work / "orebro.gpkg"
    a_file = work / "rapport.txt"
    a_file.write_text("not a folder")
    read_only = work / "skrivskyddad"
    read_only.mkdir()
    (read_only / "consultation_overall.pdf").write_bytes(b"%PDF an earlier report")
    before = snapshot(work)
    report = [
        "run",
        "rusplanner:consultationreport",
        "--",
        f"FINDINGS={work / 'findings.gpkg'}",
        *[f"ELEMENTS={uri(data, name)}" for name in ELEMENTS],
    ]

    done = qgis_process(*report, f"OUTPUT_FOLDER={a_file}")
    assert done.returncode == 1
    assert error_lines(done)[-1] == (
        f"Output folder could not be written: “{a_file}” is a file, not a folder. Nothing was written; "
        "choose a folder."
    )

    with read_only_folder(read_only) as reason:
        done = qgis_process(*report, f"OUTPUT_FOLDER={read_only}")
    assert done.returncode == 1
    assert error_lines(done)[-1] == (
        f"Output folder could not be written: the folder “{read_only}” cannot be written to ({reason}). "
        "Nothing was written."
    )

    done = qgis_process(
        "run",
        "rusplanner:overlayatlas",
        "--",
        f"OVERLAY={work / 'overlay.gpkg'}",
        f"ZONES={uri(data, 'kommuner')}",
        "NAME_FIELD=kommunnamn",
        f"OUTPUT={work / 'atlas.pdf'}",
    )
    assert done.returncode == 1
    assert error_lines(done)[-1] == (
        "The zone layer has no field “kommunnamn” to name the pages; its fields are: fid, code, name. "
        "Nothing was written."
    )
    assert snapshot(work) == before
    assert staging_left(work) == []


def test_qgis_process_refuses_an_input_as_output_with_exit_code_1(work):
    data = work / "orebro.gpkg"
    before = snapshot(work)
    for algorithm, arguments, output, label in (
        (
            "rusplanner:checkelements",
            [
                *[f"ELEMENTS={uri(data, name)}" for name in ELEMENTS],
                *[f"AGENCY_LAYERS={uri(data, name)}" for name in AGENCY],
                "TARGET_CRS=EPSG:3006",
                f"OUTPUT={data}",
                f"SUMMARY={work / 'ny.gpkg'}",
            ],
            "Findings",
            "RUS elements (nodes, corridors, areas)",
        ),
        (
            "rusplanner:sharegeopackage",
            [f"ELEMENTS={uri(data, 'rus_omraden')}", "TARGET_CRS=EPSG:3006", f"OUTPUT={data}"],
            "GeoPackage",
            "RUS elements",
        ),
    ):
        done = qgis_process("run", algorithm, "--", *arguments)
        assert done.returncode == 1, done.stdout[-2000:]
        assert error_lines(done)[-1] == (
            f"{output}: “{data}” is read by this run ({label}); writing it would replace the whole file and "
            f"every table in it. Nothing was written; choose another file, or add a new table to it with "
            f"ogr:dbname='{data}' table=\"name\"."
        )
    assert snapshot(work) == before
    assert staging_left(work) == []


# --------------------------------------------------------------------------- (1) the panel on the demo project


@pytest.fixture(scope="module")
def demo_made(tmp_path_factory) -> Path:
    """`make demo`'s script, once: its real qgis_process runs add tables to the results they read."""
    made = tmp_path_factory.mktemp("demo") / "demo-output"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py"), "--output", str(made)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return made


@pytest.fixture
def demo(demo_made, tmp_path) -> Path:
    folder = tmp_path / "rus demo åäö"
    shutil.copytree(demo_made, folder)
    return folder


@pytest.fixture
def panel(qgis_iface, qgis_processing, rus_provider):
    from qgis.core import QgsProject

    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    yield plugin.dock
    if plugin.provider is not None:
        plugin.unload()
    project.clear()


class Answerer:
    """Answers the panel's question (a QMessageBox) with one button and keeps what it asked."""

    def __init__(self, button):
        from qgis.PyQt.QtCore import QTimer

        self.button = button
        self.asked: list[tuple[str, str]] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._look)
        self.timer.start(20)

    def _look(self) -> None:
        from qgis.PyQt.QtWidgets import QApplication, QMessageBox

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                self.asked.append((widget.text(), widget.informativeText()))
                widget.button(self.button).click()

    def stop(self) -> None:
        self.timer.stop()


def _open(demo: Path, dock) -> None:
    from qgis.core import QgsProject

    assert QgsProject.instance().read(str(demo / "rus_demo.qgz"))
    assert [layer.name() for layer in dock._layers(dock.state.element_layer_ids)] == list(ELEMENTS)


def _press_run(dock, button):
    answerer = Answerer(button)
    try:
        run_and_wait(dock)
    finally:
        answerer.stop()
    return answerer.asked


def _severity_counts(gpkg: Path, tables_: list[str]) -> dict[str, int]:
    uri_ = f"{gpkg.resolve().as_uri()}?mode=ro&immutable=1"
    connection = sqlite3.connect(uri_, uri=True)
    counts: dict[str, int] = {}
    try:
        for table in tables_:
            for severity, n in connection.execute(
                f'SELECT severity, COUNT(*) FROM "{table}" GROUP BY severity'
            ):
                counts[severity] = counts.get(severity, 0) + n
    finally:
        connection.close()
    return counts


def test_run_in_the_panel_on_the_demo_keeps_every_file_and_writes_its_own(panel, demo):
    """Before: Run deleted rus_resultat.gpkg (the results the project opened with)."""
    from qgis.core import QgsProject
    from qgis.PyQt.QtWidgets import QMessageBox

    dock = panel
    before = snapshot(demo)
    _open(demo, dock)
    demo_layers = {layer.id(): layer.name() for layer in QgsProject.instance().mapLayers().values()}
    assert _press_run(dock, QMessageBox.StandardButton.Cancel) == []  # nothing to ask: a new file
    own = demo / "rus_demo_rus_resultat.gpkg"
    after = snapshot(demo)
    assert {name: after[name] for name in before} == before  # every file there before, byte for byte
    assert set(after) - set(before) == {own.name}
    assert tables(own) == PANEL_TABLES
    assert dock.state.results_path == str(own)
    written = {table: count(own, table) for table in PANEL_TABLES - {"rus_planner_panel"}}
    assert sum(written.values()) == dock.model.rowCount() > 0
    # The same findings as the demo's own Processing run (same layers, same default profile).
    assert _severity_counts(own, list(written)) == _severity_counts(demo / "rus_resultat.gpkg", ["fynd"])
    # The project's own layers are all still there; the panel's layers read its own file.
    remaining = QgsProject.instance().mapLayers()
    assert set(demo_layers) <= set(remaining)
    assert all(remaining[i].isValid() for i in demo_layers)
    assert {layer.source().split("|")[0] for layer in dock.results_layers()} == {str(own)}

    # Again: the panel's own file is replaced without a question, the rest still untouched.
    first = own.stat().st_ino
    assert _press_run(dock, QMessageBox.StandardButton.Cancel) == []
    again = snapshot(demo)
    assert {name: again[name] for name in before} == before
    assert set(again) - set(before) == {own.name}
    assert own.stat().st_ino != first  # a new file, moved over the panel's own
    assert tables(own) == PANEL_TABLES
    assert {table: count(own, table) for table in written} == written
    assert staging_left(demo) == []


def test_a_file_of_the_users_at_the_panels_name_is_asked_about_first(panel, demo):
    from qgis.PyQt.QtWidgets import QMessageBox

    dock = panel
    theirs = demo / "rus_demo_rus_resultat.gpkg"
    shutil.copy(demo / "data" / "orebro_lan.gpkg", theirs)  # the user's own data, by chance that name
    before = snapshot(demo)
    _open(demo, dock)
    other = demo / "rus_demo_rus_resultat_2.gpkg"
    question = (
        f"“{theirs}” exists and was not written by the RUS check panel. Replace it with the findings?",
        f"No keeps it and writes the findings to “{other}”; Cancel writes nothing.",
    )

    assert _press_run(dock, QMessageBox.StandardButton.Cancel) == [question]
    assert dock.form.statusLabel.text() == f"The findings were not written; “{theirs}” was kept as it was."
    assert snapshot(demo) == before

    assert _press_run(dock, QMessageBox.StandardButton.No) == [question]
    after = snapshot(demo)
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) == {other.name}
    assert tables(other) == PANEL_TABLES
    assert dock.state.results_path == str(other)

    # Exporting over a layer's data is refused too (the file dialog only asks about replacing).
    data = demo / "data" / "orebro_lan.gpkg"
    dock.export_findings(str(data))
    text = dock.form.statusLabel.text()
    assert text.startswith(f"“{data}” is the data of the layer “") and text.endswith(
        "”; nothing was exported. Choose another file."
    )
    assert text.split("layer “")[1].split("”")[0] in tables(data)  # one of the layers read from it
    assert snapshot(demo) == after
    assert staging_left(demo) == []


def test_live_mode_never_writes_into_the_projects_processing_findings(panel, demo):
    """The demo project names its Processing findings as the panel's last results: an edit in live
    mode must not delete or add findings there (before, it edited rus_resultat.gpkg in place)."""
    dock = panel
    results = demo / "rus_resultat.gpkg"
    before = digest(results)
    data_tables = table_digests(demo / "data" / "orebro_lan.gpkg")
    _open(demo, dock)
    dock.form.liveModeCheck.setChecked(True)
    areas = dock._layers(dock.state.element_layer_ids)[2]
    feature = next(areas.getFeatures())
    assert areas.startEditing()  # (QGIS itself puts the GeoPackage in WAL mode while it is edited)
    moved = feature.geometry()
    moved.translate(100, 0)
    assert areas.changeGeometry(feature.id(), moved)
    wait_until(lambda: not dock.live.is_pending(), 10, "live mode did not run")
    assert dock.form.statusLabel.text() == "Run the check once; live mode then follows your edits."
    areas.rollBack()
    assert digest(results) == before
    assert table_digests(demo / "data" / "orebro_lan.gpkg") == data_tables
