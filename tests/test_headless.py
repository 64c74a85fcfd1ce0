"""The real qgis_process binary sees the provider and runs validateprofile (scripts/qgis-process)."""

from __future__ import annotations

import pytest
from headless import qgis_process, run_algorithm
from standing_notice import without_notice

pytestmark = pytest.mark.slow


def test_qgis_process_lists_the_provider_and_its_algorithms():
    done = qgis_process("list")
    assert done.returncode == 0, done.stderr
    assert "RUS Planner" in done.stdout
    assert "rusplanner:validateprofile" in done.stdout


def test_qgis_process_help_describes_validateprofile():
    done = qgis_process("help", "rusplanner:validateprofile")
    assert done.returncode == 0, done.stderr
    assert "PROFILE" in done.stdout
    assert "Every problem is listed with the file, line and key" in done.stdout


def test_validateprofile_on_the_default_profile():
    result = run_algorithm("rusplanner:validateprofile")
    outputs = result["results"]
    assert outputs["VALID"] is True
    assert outputs["PROBLEM_COUNT"] == 0
    assert outputs["SECTOR_COUNT"] == 8
    # issue 16: MB 4 kap by paragraph, zones, NVR layer (33); the missing interests (15 more):
    # jordbruksmark, mkn_vatten, kulturreservat and biotopskydd (by name and from NVR), RAÄ's
    # lämningar (3 by WFS layer, 3 by assessment), riksintressen avfall, PTS and SSM.
    assert outputs["RULE_COUNT"] == 48
    assert outputs["ELEMENT_TYPE_COUNT"] == 3


def test_validateprofile_lists_every_problem_of_a_bad_profile(tmp_path):
    bad = tmp_path / "fel profil.yaml"
    bad.write_text(
        "name: Fel\nsectors:\n  - id: kultur\n    name_sv: Kultur\n    layer: '*kultur*'\n    vikt: 2\n"
        "agency_rules:\n  - id: r\n    name_sv: R\n    agency: A\n    legal_basis: L\n    severity: X\n"
        "    layer: '*r*'\n",
        encoding="utf-8",
    )
    result = run_algorithm("rusplanner:validateprofile", PROFILE=str(bad))
    outputs = result["results"]
    assert outputs["VALID"] is False
    assert outputs["PROBLEM_COUNT"] == 2
    problems = outputs["PROBLEMS"].splitlines()
    assert problems[0].startswith(f"{bad}, line 6, key “sectors[1].vikt”: unknown key")
    assert problems[1].startswith(f"{bad}, line 12, key “agency_rules[1].severity”: unknown severity")


def test_target_crs_may_be_left_out_headless(tmp_path):
    """qgis_process 3.22 does not apply CRS defaults: every algorithm must work without TARGET_CRS."""
    from pathlib import Path

    demo = Path(__file__).resolve().parent.parent / "resources" / "demo" / "orebro_lan.gpkg"
    result = run_algorithm(
        "rusplanner:checkelements",
        ELEMENTS=f"{demo}|layername=rus_omraden",
        AGENCY_LAYERS=f"{demo}|layername=nationalparker",
        OUTPUT=str(tmp_path / "findings.gpkg"),
        SUMMARY=str(tmp_path / "summary.gpkg"),
    )
    assert Path(result["results"]["OUTPUT"]).exists()
    from qgis.core import QgsVectorLayer

    findings = QgsVectorLayer(str(tmp_path / "findings.gpkg"), "f", "ogr")
    assert findings.crs().authid() == "EPSG:3006"
    rows = [{n: f[n] for n in findings.fields().names()} for f in findings.getFeatures()]
    # (the default profile's standing notice for every element, checked and set aside)
    assert [f["feature_name"] for f in without_notice(rows)] == ["Tiveden"]


def test_project_path_makes_algorithms_use_the_projects_profile(qgis_app, tmp_path):
    """`qgis_process run ... --PROJECT_PATH=x.qgz` without PROFILE uses the profile stored in the project."""
    from pathlib import Path

    from qgis.core import QgsProject, QgsVectorLayer

    from rus_planner.rus_planner.qgis_io.project_state import ProjectState

    demo = Path(__file__).resolve().parent.parent / "resources" / "demo" / "orebro_lan.gpkg"
    own_profile = (
        "name: Regionens egen profil\n"
        "agency_rules:\n"
        "  - id: np_egen\n    name_sv: Nationalpark (regionens regel)\n    layer: '*nationalpark*'\n"
        "    agency: Naturvårdsverket\n    legal_basis: MB 7 kap 2 §\n    severity: C\n"
    )
    project = QgsProject()
    state = ProjectState()
    state.set_profile_text(own_profile)
    project_file = tmp_path / "rus åäö.qgz"
    project.setFileName(str(project_file))
    state.write_to_project(project)
    assert project.write()

    def findings(extra: list[str]) -> list:
        output = tmp_path / f"findings_{len(extra)}.gpkg"
        done = qgis_process(
            "run",
            "rusplanner:checkelements",
            *extra,
            "--",
            f"ELEMENTS={demo}|layername=rus_omraden",
            f"AGENCY_LAYERS={demo}|layername=nationalparker",
            f"OUTPUT={output}",
            f"SUMMARY={tmp_path / f'summary_{len(extra)}.gpkg'}",
        )
        assert done.returncode == 0, done.stdout + done.stderr
        layer = QgsVectorLayer(str(output), "f", "ogr")
        rows = [{n: f[n] for n in layer.fields().names()} for f in layer.getFeatures()]
        if not extra:  # the default profile: its standing notice for every element, set aside
            rows = without_notice(rows)
        return [(f["rule_id"], f["severity"]) for f in rows], done.stdout

    with_project, log = findings([f"--PROJECT_PATH={project_file}"])
    assert with_project == [("np_egen", "C")]
    assert "Regionens egen profil" in log
    without_project, _ = findings([])
    assert without_project == [("nationalpark", "A")]  # the shipped default profile
