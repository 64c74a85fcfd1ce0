#!/usr/bin/env python3
"""`make demo`: the whole RUS job on the demo region (Örebro län), headless, into one folder.

1. Runs the algorithms with the real qgis_process (scripts/qgis-process), printing each
   command so it can be copied: validate the profile, exact sector overlay, 1 km grid
   overlay, element check, territorial summary per municipality, and the reports and the
   shareable GeoPackage where those algorithms are installed.
2. Builds a ready QGIS project (.qgz) beside the results: every layer grouped (RUS-element,
   Sektorer, Myndighetsunderlag, Resultat, Bakgrund), styled, with relative paths and the
   plugin's state (layer roles, profile, last run and its data sources).
3. Prints where everything is and a short summary.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QGIS_PROCESS = REPO / "scripts" / "qgis-process"
DEMO_DATA = REPO / "resources" / "demo" / "orebro_lan.gpkg"
PROFILE = REPO / "resources" / "profiles" / "default_sv.yaml"
PLUGINS = REPO / ".build" / "plugins"  # the work tree linked as the plugin package rus_planner

ELEMENTS = ["rus_noder", "rus_strak", "rus_omraden"]
AGENCY = ["riksintressen_kulturmiljovard", "nationalparker", "naturminne"]
SECTORS = [
    "transport_strak",
    "kompetensforsorjning_arbetsmarknad",
    "kultur_miljoer",
    "besoksnaring_besoksmal",
    "halso_sjukvard_servicepunkter",
    "civilt_forsvar_beredskapsnoder",
    "socioekonomi_landsbygd",
]
BACKGROUND = ["kommuner", "lan", "tatorter"]
SHARE_NAME = "rus_demo_dela.gpkg"  # the shareable GeoPackage with the project inside
# Each layer's dataset and licence as resources/demo/README.md states them, written into the demo's
# copy of the data as GeoPackage metadata (the reports name sources from the data's own metadata).
# riksintressen_kulturmiljovard: open data whose licence its source does not name, so none is stated.
DATASETS = {
    "lan": ("Län – SCB Digitala gränser 2024", "CC0 1.0"),
    "kommuner": ("Kommuner – SCB Digitala gränser 2024", "CC0 1.0"),
    "tatorter": ("Tätorter 2020 – SCB", "CC0 1.0"),
    "nationalparker": ("Nationalparker – Naturvårdsregistret, Naturvårdsverket", "CC0 1.0"),
    "naturminne": ("Naturminnen – Naturvårdsregistret, Naturvårdsverket", "CC0 1.0"),
    "riksintressen_kulturmiljovard": ("Riksintressen för kulturmiljövården, län 18 – länsstyrelserna", ""),
    "rus_noder": ("RUS-noder (illustrativa, demo)", "CC0 1.0"),
    "rus_strak": ("RUS-stråk (illustrativa, demo)", "CC0 1.0"),
    "rus_omraden": ("RUS-områden (illustrativa, demo)", "CC0 1.0"),
}
RESULT_TABLES = {
    "overlay": "sektorsoverlagring",
    "grid": "rutnat_1km",
    "findings": "fynd",
    "element_summary": "element_sammanfattning",
    "zone_summary": "kommun_sammanfattning",
}


def say(text: str = "") -> None:
    print(text, flush=True)


def safe(text: str) -> str:
    """The text with credentials masked, as the plugin writes sources (an --agency source may hold some)."""
    if str(PLUGINS) not in sys.path:
        sys.path.insert(0, str(PLUGINS))
    from rus_planner.rus_planner.core.redact import safe_source

    return safe_source(text)


class Runner:
    """Runs algorithms through qgis_process and remembers what is installed."""

    def __init__(self):
        listing = self.call(["list"]).stdout
        self.available = {
            line.split()[0] for line in listing.splitlines() if line.strip().startswith("rusplanner:")
        }

    @staticmethod
    def call(arguments: list[str]) -> subprocess.CompletedProcess:
        done = subprocess.run([str(QGIS_PROCESS), *arguments], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            say(safe(done.stdout[-4000:]))  # qgis_process echoes its inputs, sources and all
            say(safe(done.stderr[-4000:]))
            raise SystemExit(f"qgis_process failed: {' '.join(arguments[:2])}")
        return done

    def run(self, algorithm: str, parameters: list[tuple[str, str]]) -> dict:
        shown = " ".join(shlex.quote(safe(f"{k}={v}")) for k, v in parameters)
        say(f"$ scripts/qgis-process run {algorithm} -- {shown}")
        done = self.call(["run", algorithm, "--json", "--", *[f"{k}={v}" for k, v in parameters]])
        return json.loads(done.stdout[done.stdout.find("{") :])["results"]


def write_dataset_metadata(gpkg: Path) -> None:
    """DATASETS as the GeoPackage metadata extension holds a layer's metadata (QGIS's XML, as QGIS
    itself writes it: scope dataset, one reference per table); gpkg_contents stays as it was."""
    from xml.sax.saxutils import escape

    connection = sqlite3.connect(gpkg)
    with connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
            "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
            "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')"
        )
        connection.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, "
            "table_name TEXT, column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT NULL "
            "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, md_parent_id INTEGER)"
        )
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            connection.execute(
                "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, 'gpkg_metadata', "
                "'http://www.geopackage.org/spec120/#extension_metadata', 'read-write')",
                (table,),
            )
        for table, (title, licence) in DATASETS.items():
            xml = (
                "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis>\n  <type>dataset</type>\n"
                f"  <title>{escape(title)}</title>\n"
                + (f"  <license>{escape(licence)}</license>\n" if licence else "")
                + "</qgis>\n"
            )
            cursor = connection.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES ('dataset', 'http://mrcc.com/qgis.dtd', 'text/xml', ?)",
                (xml,),
            )
            connection.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) VALUES ('table', ?, ?)",
                (table, cursor.lastrowid),
            )
    connection.close()


def layer_uri(gpkg: Path, name: str) -> str:
    return f"{gpkg}|layername={name}"


def table_output(gpkg: Path, table: str) -> str:
    """A Processing destination that adds a table to an existing (or new) GeoPackage."""
    return f"ogr:dbname='{gpkg}' table=\"{table}\" (geom)"


def run_analyses(runner: Runner, data: Path, results: Path, reports: Path, extra_agency=()) -> dict:
    """Every algorithm on the demo data; ``extra_agency`` are further agency layers (any QGIS source)."""
    produced = {}
    extra = [("AGENCY_LAYERS", source) for source in extra_agency]
    runner.run("rusplanner:validateprofile", [("PROFILE", str(PROFILE))])
    sectors = [("SECTORS", layer_uri(data, name)) for name in SECTORS]
    extent = ("EXTENT_LAYER", layer_uri(data, "lan"))
    profile = ("PROFILE", str(PROFILE))
    crs = ("TARGET_CRS", "EPSG:3006")
    if "rusplanner:sectoroverlay" in runner.available:
        runner.run(
            "rusplanner:sectoroverlay",
            [*sectors, profile, extent, crs, ("OUTPUT", table_output(results, RESULT_TABLES["overlay"]))],
        )
        produced["overlay"] = RESULT_TABLES["overlay"]
    if "rusplanner:gridoverlay" in runner.available:
        runner.run(
            "rusplanner:gridoverlay",
            [
                *sectors,
                profile,
                ("CELL_SIZE", "1000"),
                extent,
                ("OUTPUT", table_output(results, RESULT_TABLES["grid"])),
            ],
        )
        produced["grid"] = RESULT_TABLES["grid"]
    if "rusplanner:checkelements" in runner.available:
        runner.run(
            "rusplanner:checkelements",
            [
                *[("ELEMENTS", layer_uri(data, name)) for name in ELEMENTS],
                *[("AGENCY_LAYERS", layer_uri(data, name)) for name in AGENCY],
                *extra,
                profile,
                crs,
                ("OUTPUT", table_output(results, RESULT_TABLES["findings"])),
                ("SUMMARY", table_output(results, RESULT_TABLES["element_summary"])),
            ],
        )
        produced["findings"] = RESULT_TABLES["findings"]
        produced["element_summary"] = RESULT_TABLES["element_summary"]
    if "rusplanner:territorialsummary" in runner.available and (
        "overlay" in produced or "findings" in produced
    ):
        parameters = [("ZONES", layer_uri(data, "kommuner"))]
        if "overlay" in produced:
            parameters.append(("OVERLAY", layer_uri(results, produced["overlay"])))
        if "findings" in produced:
            parameters.append(("FINDINGS", layer_uri(results, produced["findings"])))
        parameters += [crs, ("OUTPUT", table_output(results, RESULT_TABLES["zone_summary"]))]
        runner.run("rusplanner:territorialsummary", parameters)
        produced["zone_summary"] = RESULT_TABLES["zone_summary"]
    if "rusplanner:consultationreport" in runner.available and "findings" in produced:
        reports.mkdir(exist_ok=True)
        runner.run(
            "rusplanner:consultationreport",
            [
                ("FINDINGS", layer_uri(results, produced["findings"])),
                *[("ELEMENTS", layer_uri(data, name)) for name in ELEMENTS],
                *[("AGENCY_LAYERS", layer_uri(data, name)) for name in AGENCY],
                *extra,
                ("KOMMUNER", layer_uri(data, "kommuner")),
                ("KOMMUN_NAME_FIELD", "name"),
                ("TATORTER", layer_uri(data, "tatorter")),
                ("REGION", "Örebro län"),
                ("RUS_VERSION", "Demo – illustrativt utkast"),
                ("CONTACT", "RUS Planner-demo (ingen verklig kontakt)"),
                profile,
                ("OUTPUT_FOLDER", str(reports)),
            ],
        )
        produced["reports"] = str(reports)
    if "rusplanner:overlayatlas" in runner.available and "overlay" in produced:
        reports.mkdir(exist_ok=True)
        runner.run(
            "rusplanner:overlayatlas",
            [
                ("OVERLAY", layer_uri(results, produced["overlay"])),
                ("ZONES", layer_uri(data, "kommuner")),
                ("NAME_FIELD", "name"),
                ("LANGUAGE", "0"),
                ("OUTPUT", str(reports / "sektorsatlas.pdf")),
            ],
        )
        produced["atlas"] = str(reports / "sektorsatlas.pdf")
    if "rusplanner:sharegeopackage" in runner.available and "findings" in produced:
        share = results.with_name(SHARE_NAME)  # named after the project, as the Share action names it
        runner.run(
            "rusplanner:sharegeopackage",
            [
                *[("ELEMENTS", layer_uri(data, name)) for name in ELEMENTS],
                *sectors,
                *[("AGENCY_LAYERS", layer_uri(data, name)) for name in AGENCY],
                *[("RESULTS", layer_uri(results, produced[key])) for key in ("findings", "element_summary")],
                profile,
                crs,
                ("OUTPUT", str(share)),
            ],
        )
        produced["share"] = str(share)
    return produced


def build_project(
    output: Path, data: Path, results: Path, produced: dict, started: str, extra_agency=()
) -> Path:
    """The .qgz: groups, styles, relative paths and the plugin's state."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(PLUGINS))
    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsProject,
        QgsVectorLayer,
    )

    app = QgsApplication([], False)
    app.initQgis()
    from rus_planner.rus_planner.i18n import install_translator
    from rus_planner.rus_planner.qgis_io.project_state import DataSource, ProjectState

    install_translator("sv")  # a Swedish region's project: legends and class names in Swedish
    from rus_planner.rus_planner.processing.styles import sector_count_renderer, severity_renderer

    project = QgsProject.instance()
    project.clear()
    project.setTitle("RUS-demo Örebro län")
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3006"))
    root = project.layerTreeRoot()
    groups = {
        name: root.addGroup(name)
        for name in ("RUS-element", "Resultat", "Myndighetsunderlag", "Sektorer", "Bakgrund")
    }

    def add(gpkg: Path, table: str, group: str, title: str | None = None) -> QgsVectorLayer:
        layer = QgsVectorLayer(layer_uri(gpkg, table), title or table, "ogr")
        if not layer.isValid():
            raise SystemExit(f"could not open {table} in {gpkg}")
        project.addMapLayer(layer, False)
        groups[group].addLayer(layer)
        return layer

    elements = [add(data, name, "RUS-element") for name in ELEMENTS]
    for layer in elements:
        style_element(layer)
    agency = [add(data, name, "Myndighetsunderlag") for name in AGENCY]
    for source in extra_agency:
        layer = source_layer(source)
        if layer is None:
            say(f"The agency layer {safe(source)} could not be opened; it is left out of the project.")
            continue
        project.addMapLayer(layer, False)
        groups["Myndighetsunderlag"].addLayer(layer)
        agency.append(layer)
    for name in SECTORS:
        add(data, name, "Sektorer").setOpacity(0.6)
    background = {name: add(data, name, "Bakgrund") for name in BACKGROUND}
    findings_layers = []
    if "findings" in produced:
        # Nodes, corridors and areas together: the tables hold points, lines and polygons,
        # so each is shown as one layer per geometry type (as QGIS itself offers).
        kinds = (("Polygon", "områden"), ("LineString", "stråk"), ("Point", "noder"))
        for geometry_type, kind in kinds:
            uri = f"{produced['findings']}|geometrytype={geometry_type}"
            layer = add(results, uri, "Resultat", f"Fynd – {kind}")
            layer.setRenderer(severity_renderer(layer, "severity"))
            findings_layers.append(layer)
        for geometry_type, kind in kinds:
            uri = f"{produced['element_summary']}|geometrytype={geometry_type}"
            layer = add(results, uri, "Resultat", f"Elementsammanfattning – {kind}")
            layer.setRenderer(severity_renderer(layer, "worst_class"))
            root.findLayer(layer.id()).setItemVisibilityChecked(False)
    if "zone_summary" in produced:
        zone = add(results, produced["zone_summary"], "Resultat", "Kommunsammanfattning")
        if "score_mean" in zone.fields().names():
            style_by_quantiles(zone, "score_mean")
        root.findLayer(zone.id()).setItemVisibilityChecked(False)
    if "overlay" in produced:
        overlay = add(results, produced["overlay"], "Resultat", "Sektorsöverlagring")
        overlay.setRenderer(
            sector_count_renderer(int(overlay.maximumValue(overlay.fields().indexOf("sector_count"))))
        )
    if "grid" in produced:
        grid = add(results, produced["grid"], "Resultat", "Rutnät 1 km")
        grid.setRenderer(sector_count_renderer(int(grid.maximumValue(grid.fields().indexOf("sector_count")))))
        root.findLayer(grid.id()).setItemVisibilityChecked(False)
    for group_name in ("Sektorer", "Bakgrund"):
        groups[group_name].setExpanded(False)
    from demo_view import open_on_region  # scripts/: the region in view, kommun borders under the work

    quiet = [project.mapLayersByName("Sektorsöverlagring")[0]] if "overlay" in produced else []
    open_on_region(project, background, quiet_groups=["Sektorer"], quiet_layers=quiet, agency=agency)

    state = ProjectState(
        element_layer_ids=[layer.id() for layer in elements],
        agency_layer_ids=[layer.id() for layer in agency],
        results_path=str(results),
        results_layer_ids=[layer.id() for layer in findings_layers],
        last_run=started,
        data_sources=[
            DataSource("element", layer.id(), layer.name(), layer.source(), "") for layer in elements
        ]
        + [DataSource("agency", layer.id(), layer.name(), layer.source(), "") for layer in agency],
    )
    project_path = output / "rus_demo.qgz"
    project.setFileName(str(project_path))  # first, so paths in the state are written relative
    state.write_to_project(project)
    from rus_planner.rus_planner.qgis_io.share_credentials import keep_credentials_out

    # The demo folder is made to be passed on: no layer source in it keeps a password or key.
    masked = keep_credentials_out(project)
    if not project.write():
        raise SystemExit(f"could not write {project_path}: {safe(project.error())}")
    for name in masked:
        say(
            f"The credentials in the source of {name} are left out of the project: supply them on opening it."
        )
    app.exitQgis()
    return project_path


def source_layer(source: str):
    """A layer from any QGIS source as qgis_process takes it ("postgres://...", a file ...), or None."""
    from qgis.core import QgsProcessingUtils, QgsVectorLayer

    from rus_planner.rus_planner.core.naming import source_layer_name

    ok, provider, uri = QgsProcessingUtils.decodeProviderKeyAndUri(source)
    provider, uri = (provider, uri) if ok else ("ogr", source)
    layer = QgsVectorLayer(uri, safe(source_layer_name(uri) or Path(uri.split("|")[0]).stem), provider)
    return layer if layer.isValid() else None


def style_element(layer) -> None:
    """Nodes as large dots, corridors as thick lines, areas hatched: RUS elements on top."""
    from qgis.core import QgsSingleSymbolRenderer, QgsSymbol, QgsWkbTypes
    from qgis.PyQt.QtGui import QColor

    symbol = QgsSymbol.defaultSymbol(layer.geometryType())
    symbol.setColor(QColor("#1f4e79"))
    if layer.geometryType() == QgsWkbTypes.GeometryType.PointGeometry:
        symbol.setSize(4.0)
    elif layer.geometryType() == QgsWkbTypes.GeometryType.LineGeometry:
        symbol.setWidth(1.2)
    else:
        symbol.setOpacity(0.5)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def style_by_quantiles(layer, field: str, classes: int = 5) -> None:
    from qgis.core import QgsClassificationQuantile, QgsGradientColorRamp, QgsGraduatedSymbolRenderer
    from qgis.PyQt.QtGui import QColor

    renderer = QgsGraduatedSymbolRenderer(field)
    renderer.setClassificationMethod(QgsClassificationQuantile())
    renderer.updateClasses(layer, classes)
    renderer.updateColorRamp(QgsGradientColorRamp(QColor("#f7fbff"), QColor("#08306b")))
    layer.setRenderer(renderer)


def print_summary(results: Path, produced: dict) -> None:
    """Findings per class and the strongest sector overlaps, read back from the results."""

    connection = sqlite3.connect(results)
    if "findings" in produced:
        counts = dict(
            connection.execute(f'SELECT severity, COUNT(*) FROM "{produced["findings"]}" GROUP BY severity')
        )
        say("Findings per class: " + ", ".join(f"{c}: {counts.get(c, 0)}" for c in "ABCD"))
        for row in connection.execute(
            f'SELECT severity, element_name, rule_name, feature_name FROM "{produced["findings"]}" '
            "WHERE severity IN ('A', 'B') ORDER BY severity, element_name LIMIT 6"
        ):
            say(f"  {row[0]}  {row[1]} – {row[2]}: {row[3]}")
    if "overlay" in produced:
        say("Strongest sector overlaps (where most sectors meet):")
        for count, sectors, area in strongest_overlaps(results, produced["overlay"]):
            say(f"  {count} sectors: {sectors} ({area / 1e6:.1f} km²)")
    connection.close()


def strongest_overlaps(results: Path, table: str, top: int = 5) -> list[tuple[int, str, float]]:
    """Sector combinations with the most sectors, largest area first (areas from GeoPackage WKB)."""
    import shapely

    areas: dict[tuple[int, str], float] = {}
    connection = sqlite3.connect(results)
    for count, sectors, blob in connection.execute(f'SELECT sector_count, sectors, geom FROM "{table}"'):
        areas[(count, sectors)] = areas.get((count, sectors), 0.0) + shapely.area(_gpkg_geometry(blob))
    connection.close()
    ranked = sorted(areas.items(), key=lambda item: (-item[0][0], -item[1]))[:top]
    return [(count, sectors, area) for (count, sectors), area in ranked]


def _gpkg_geometry(blob: bytes):
    """Standard WKB inside a GeoPackage geometry blob (after its header and envelope)."""
    import shapely

    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 0b111]
    return shapely.from_wkb(blob[8 + envelope :])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=REPO / "demo-output")
    parser.add_argument(
        "--agency",
        action="append",
        default=[],
        metavar="SOURCE",
        help="a further agency layer, any QGIS source (file, postgres://..., wfs://...); repeatable",
    )
    args = parser.parse_args()
    output = args.output.resolve()
    if output.exists():
        shutil.rmtree(output)
    (output / "data").mkdir(parents=True)
    data = output / "data" / "orebro_lan.gpkg"
    shutil.copy(DEMO_DATA, data)
    write_dataset_metadata(data)
    shutil.copy(REPO / "resources" / "demo" / "README.md", output / "data" / "README.md")
    results = output / "rus_resultat.gpkg"
    reports = output / "rapporter"
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")

    say("RUS Planner demo: Örebro län (illustrative RUS elements and sectors on real open data)")
    runner = Runner()
    produced = run_analyses(runner, data, results, reports, args.agency)
    project_path = build_project(output, data, results, produced, started, args.agency)

    say()
    say(f"Project:  {project_path}")
    say(f"Results:  {results}")
    if reports.exists():
        for path in sorted(reports.iterdir()):
            say(f"Report:   {path}")
    if "share" in produced:
        say(f"Share:    {produced['share']} (the project inside: QGIS › Project › Open From › GeoPackage)")
    say(f"Data:     {data} (licences in {output / 'data' / 'README.md'})")
    print_summary(results, produced)
    say(f"Open it:  qgis {project_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
