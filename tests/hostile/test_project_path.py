"""`qgis_process run ... --PROJECT_PATH=<demo project>`: the three project-aware algorithms run on the
demo project (made here from the demo data), use the project's own profile, and give what the
same run without the project gives with that profile as a file.

The project's layers and the inputs are the same files, so the algorithms read layers that belong
to the project (QGIS finds them by source); the element check reads them in its threads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from demo_projects import build_demo_project, digest, findings_dicts, findings_rows, layer
from headless import qgis_process
from standing_notice import without_notice

pytestmark = pytest.mark.slow

# The region's own rules: other ids, names and severities than the shipped default profile,
# and a distance rule the default does not have.
OWN_PROFILE = """\
name: Regionens egen profil
agency_rules:
  - id: np_egen
    name_sv: Nationalpark (regionens regel)
    layer: '*nationalpark*'
    agency: Naturvårdsverket
    legal_basis: MB 7 kap 2 §
    severity: C
  - id: kultur_500
    name_sv: Kulturmiljö inom 500 m (regionens regel)
    layer: '*kulturmiljovard*'
    agency: Länsstyrelsen
    legal_basis: MB 3 kap 6 §
    relation: within_distance
    distance_m: 500
    severity: D
"""
ELEMENTS = ("rus_noder", "rus_strak", "rus_omraden")
AGENCY = ("nationalparker", "riksintressen_kulturmiljovard")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, qgis_app):
    """The demo project with the region's own profile stored in it, and that profile as a file."""
    from qgis.core import QgsProject

    from rus_planner.rus_planner.qgis_io.project_state import ProjectState

    folder = tmp_path_factory.mktemp("project") / "rus demo åäö"
    path = build_demo_project(folder)
    project = QgsProject()
    assert project.read(str(path)), project.error()
    state = ProjectState.read_from_project(project)
    assert state.element_layer_ids and state.agency_layer_ids  # the demo's roles came along
    state.set_profile_text(OWN_PROFILE)
    state.write_to_project(project)
    assert project.write(), project.error()
    profile_file = folder / "egen profil.yaml"
    profile_file.write_text(OWN_PROFILE, encoding="utf-8")
    return {"project": path, "data": folder / "data" / "orebro_lan.gpkg", "profile": profile_file}


def _run(algorithm: str, options: list[str], **parameters) -> tuple[dict, str]:
    """qgis_process run with --json; asserts rc 0; returns (results, the whole output)."""
    arguments = [
        f"{key}={v}"
        for key, value in parameters.items()
        for v in (value if isinstance(value, tuple) else [value])
    ]
    done = qgis_process("run", algorithm, "--json", *options, "--", *arguments, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"rc {done.returncode}:\n{output[-4000:]}"
    assert "Traceback" not in output
    return json.loads(done.stdout[done.stdout.find("{") :])["results"], output


def _inputs(demo) -> dict:
    data = demo["data"]
    return {
        "ELEMENTS": tuple(layer(data, name) for name in ELEMENTS),
        "AGENCY_LAYERS": tuple(layer(data, name) for name in AGENCY),
        "TARGET_CRS": "EPSG:3006",
        "LANGUAGE": "0",
    }


@pytest.fixture(scope="module")
def checked(demo, tmp_path_factory):
    """checkelements three ways: with the project, with its profile as a file, with neither."""
    out = tmp_path_factory.mktemp("checked")
    before = {name: digest(demo[name]) for name in ("project", "data", "profile")}
    runs = {}
    for name, options, extra in (
        ("project", [f"--PROJECT_PATH={demo['project']}"], {}),
        ("file", [], {"PROFILE": str(demo["profile"])}),
        ("default", [], {}),
    ):
        results, log = _run(
            "rusplanner:checkelements",
            options,
            **_inputs(demo),
            **extra,
            OUTPUT=str(out / f"findings_{name}.gpkg"),
            SUMMARY=str(out / f"summary_{name}.gpkg"),
        )
        runs[name] = {"findings": Path(results["OUTPUT"]), "log": log}
    assert {name: digest(demo[name]) for name in ("project", "data", "profile")} == before
    return runs


def test_checkelements_uses_the_projects_profile(checked):
    with_project = findings_rows(checked["project"]["findings"])
    assert with_project, "the demo elements meet national parks and cultural heritage areas"
    assert "Profile: Regionens egen profil (stored in the project)" in checked["project"]["log"]
    # The same profile given as a file: the very same findings, field by field.
    assert with_project == findings_rows(checked["file"]["findings"])
    # Without the project the shipped default profile decides: other rules, other classes.
    # (with the default profile's standing notice for every element, checked and set aside)
    default_rules = {f["rule_id"] for f in without_notice(findings_dicts(checked["default"]["findings"]))}
    assert default_rules == {"nationalpark", "ri_kulturmiljo"}


def test_the_projects_rules_give_the_pairs_qgis_measures(checked, demo):
    """Independent answer: QGIS's own geometry predicates over every element × feature pair."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsVectorLayer

    data = demo["data"]
    sweref = QgsCoordinateReferenceSystem("EPSG:3006")

    def features(name):
        """(fid, geometry in SWEREF 99 TM): the national parks come in EPSG:4326."""
        source = QgsVectorLayer(layer(data, name), name, "ogr")
        assert source.isValid()
        transform = QgsCoordinateTransform(source.crs(), sweref, QgsProject.instance().transformContext())
        found = []
        for feature in source.getFeatures():
            geometry = feature.geometry()
            geometry.transform(transform)
            found.append((feature.id(), geometry))
        return found

    parks, heritage = features("nationalparker"), features("riksintressen_kulturmiljovard")
    expected = {"np_egen": set(), "kultur_500": set()}
    for element_layer in ELEMENTS:
        for fid, geometry in features(element_layer):
            for park_fid, park in parks:
                if geometry.intersects(park):
                    expected["np_egen"].add((element_layer, fid, park_fid))
            for site_fid, site in heritage:
                if geometry.distance(site) <= 500:
                    expected["kultur_500"].add((element_layer, fid, site_fid))
    assert expected["np_egen"] and expected["kultur_500"]

    found = findings_dicts(checked["project"]["findings"])
    got = {"np_egen": set(), "kultur_500": set()}
    for finding in found:
        got[finding["rule_id"]].add(
            (finding["element_layer"], finding["element_fid"], finding["feature_fid"])
        )
    assert got == expected
    assert {(f["rule_id"], f["severity"]) for f in found} == {("np_egen", "C"), ("kultur_500", "D")}


def test_territorialsummary_with_the_project(checked, demo, tmp_path):
    """Per municipality, the findings per class: equal without the project and to QGIS's count."""
    from qgis.core import QgsVectorLayer

    zones = layer(demo["data"], "kommuner")
    findings = str(checked["project"]["findings"])
    tables = {}
    for name, options in (("project", [f"--PROJECT_PATH={demo['project']}"]), ("plain", [])):
        results, _ = _run(
            "rusplanner:territorialsummary",
            options,
            ZONES=zones,
            FINDINGS=findings,
            TARGET_CRS="EPSG:3006",
            OUTPUT=str(tmp_path / f"zones_{name}.gpkg"),
        )
        summary = QgsVectorLayer(results["OUTPUT"], name, "ogr")
        assert summary.isValid()
        tables[name] = sorted(
            (
                f["name"],
                f["findings_a"],
                f["findings_b"],
                f["findings_c"],
                f["findings_d"],
                f["findings_total"],
            )
            for f in summary.getFeatures()
        )
    assert tables["project"] == tables["plain"]

    municipalities = QgsVectorLayer(zones, "kommuner", "ogr")
    found = findings_dicts(checked["project"]["findings"])
    expected = []
    for zone in municipalities.getFeatures():
        counts = {
            s: sum(1 for f in found if f["severity"] == s and f["geometry"].intersects(zone.geometry()))
            for s in "ABCD"
        }
        expected.append(
            (zone["name"], counts["A"], counts["B"], counts["C"], counts["D"], sum(counts.values()))
        )
    assert tables["project"] == sorted(expected)
    assert sum(row[-1] for row in expected) >= len(found)  # every finding lies in some municipality


def test_consultationreport_with_the_project(checked, demo, tmp_path):
    """The report names the project's profile and its rules; without the project it warns that
    the findings hold rules the default profile does not have."""
    inputs = _inputs(demo)
    found = findings_dicts(checked["project"]["findings"])
    # One report per receiving agency: each agency a finding names ("A / länsstyrelsen"), the kommun
    # left to the kommun reports, "länsstyrelsen" written "Länsstyrelsen".
    parts = {p.strip() for f in found for p in f["agency"].split("/")} - {"kommunen", ""}
    agencies = {
        "Länsstyrelsen" if p.lower().startswith("länsstyrelse") else p[0].upper() + p[1:] for p in parts
    }
    reports = {}
    for name, options in (("project", [f"--PROJECT_PATH={demo['project']}"]), ("plain", [])):
        results, log = _run(
            "rusplanner:consultationreport",
            options,
            FINDINGS=str(checked["project"]["findings"]),
            ELEMENTS=inputs["ELEMENTS"],
            AGENCY_LAYERS=inputs["AGENCY_LAYERS"],
            LANGUAGE="0",
            OUTPUT_FOLDER=str(tmp_path / name),
        )
        assert results["PDF_COUNT"] == 1 + len(agencies)
        for pdf in [results["OVERALL_PDF"], *results["AGENCY_PDFS"].split(";")]:
            assert Path(pdf).read_bytes().startswith(b"%PDF")
        reports[name] = (Path(results["HTML"]).read_text(encoding="utf-8"), log)
    html, log = reports["project"]
    assert "Regionens egen profil" in html
    assert "Nationalpark (regionens regel)" in html and "Kulturmiljö inom 500 m (regionens regel)" in html
    assert "does not have" not in log
    plain_html, plain_log = reports["plain"]
    assert "Standardprofil Sverige" in plain_html and "Regionens egen profil" not in plain_html
    assert "does not have (kultur_500, np_egen)" in plain_log
