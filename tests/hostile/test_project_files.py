"""Damaged project files: qgis_process --PROJECT_PATH and the desktop say what failed, in which
file and what to do, never with a traceback and never quoting the file; inputs stay untouched.

Every case starts from the demo project (made here from the demo data) and damages it the way
files get damaged: cut short, garbage inside the archive, a folder or a device in its place, a
plugin entry hand-edited into broken JSON or YAML. Each expected message is written out here.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from demo_projects import build_demo_project, digest, findings_dicts, findings_rows, layer
from headless import qgis_process
from standing_notice import without_notice

pytestmark = pytest.mark.slow

PLANTED = "PLANTED-innehåll-7731"  # in every damaged part: no message may quote it
DAMAGED_ADVICE = (
    "The file is damaged or not a QGIS project; it may have been cut short while it was copied "
    "or downloaded. Copy it again, or use a copy saved earlier."
)
PATH_ADVICE = "Give the path of the project file itself (.qgz or .qgs)."


@pytest.fixture(scope="module")
def demo(tmp_path_factory, qgis_app):
    """The demo project and, beside it, projects whose RUS Planner entries are damaged."""
    from qgis.core import QgsProject

    folder = tmp_path_factory.mktemp("files") / "rus demo åäö"
    path = build_demo_project(folder)
    broken = {
        # JSON cut short, JSON of another shape, JSON nested deeper than Python parses.
        "broken_json.qgz": {
            "reviews": '[{"key": ["' + PLANTED,
            "last_run/sources": "{{{" + PLANTED,
        },
        "odd_json.qgz": {
            "reviews": '{"' + PLANTED + '": 5}',
            "last_run/sources": "[" * 200_000 + "]" * 200_000,
        },
        # A profile hand-edited into YAML that does not parse (and a comment that must not show).
        "broken_yaml.qgz": {
            "profile/mode": "project",
            # Line 2's second ": " makes a mapping where a value was expected.
            "profile/yaml": f"# {PLANTED}\nname: Region: Örebro\nagency_rules: []\n",
        },
    }
    for name, entries in broken.items():
        project = QgsProject()
        assert project.read(str(path)), project.error()
        for key, value in entries.items():
            project.writeEntry("RUSPlanner", key, value)
        assert project.write(str(folder / name)), project.error()
    return folder


def _check(project_path: str | None, out: Path, timeout: int = 300):
    """checkelements on the demo areas, with --PROJECT_PATH when given; the finished process."""
    data = Path(__file__).resolve().parents[2] / "resources" / "demo" / "orebro_lan.gpkg"
    options = [f"--PROJECT_PATH={project_path}"] if project_path is not None else []
    return qgis_process(
        "run",
        "rusplanner:checkelements",
        *options,
        "--",
        f"ELEMENTS={layer(data, 'rus_omraden')}",
        f"AGENCY_LAYERS={layer(data, 'nationalparker')}",
        f"OUTPUT={out / 'findings.gpkg'}",
        f"SUMMARY={out / 'summary.gpkg'}",
        timeout=timeout,
    )


def _assert_refused(done, out: Path, lines: list[str]) -> None:
    """rc 1, exactly these lines of ours on stderr, no traceback, nothing quoted, nothing written."""
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    ours = [line for line in done.stderr.splitlines() if line.startswith("RUS Planner: ")]
    assert ours == [f"RUS Planner: {line}" for line in lines]
    assert "Traceback" not in output
    assert PLANTED not in output
    assert not (out / "findings.gpkg").exists() and not (out / "summary.gpkg").exists()


def test_a_truncated_qgz(demo, tmp_path):
    damaged = tmp_path / "avklippt.qgz"
    whole = (demo / "rus_demo.qgz").read_bytes()
    damaged.write_bytes(whole[: len(whole) // 2])
    before = digest(damaged)
    done = _check(str(damaged), tmp_path)
    _assert_refused(
        done,
        tmp_path,
        [
            f"The QGIS project “{damaged}” could not be opened: it is not a complete .qgz archive. {DAMAGED_ADVICE}"
        ],
    )
    assert f'Could not load the QGIS project "{damaged}"' in done.stderr  # QGIS's own line follows
    assert digest(damaged) == before


def test_a_qgz_whose_project_is_garbage_xml(demo, tmp_path):
    damaged = tmp_path / "skräp.qgz"
    with zipfile.ZipFile(damaged, "w") as archive:
        # The second "<" on line 4 is where the XML breaks: line 4, column 2.
        archive.writestr("skräp.qgs", f'<?xml version="1.0"?>\n<qgis version="3.22">\n<layer>\n<<{PLANTED}')
    before = digest(damaged)
    done = _check(str(damaged), tmp_path)
    _assert_refused(
        done,
        tmp_path,
        [
            f"The QGIS project “{damaged}” could not be opened: its XML is broken at line 4, column 2. "
            f"{DAMAGED_ADVICE}"
        ],
    )
    assert digest(damaged) == before


def test_a_folder_named_like_a_project(demo, tmp_path):
    folder = tmp_path / "projekt.qgz"
    folder.mkdir()
    (folder / "rus_demo.qgs").write_text(PLANTED, encoding="utf-8")
    before = digest(folder)
    done = _check(str(folder), tmp_path)
    _assert_refused(
        done,
        tmp_path,
        [
            f"The QGIS project “{folder}” could not be opened: it is a folder, not a project file. {PATH_ADVICE}"
        ],
    )
    assert digest(folder) == before


def test_a_device_is_refused_before_anything_is_read():
    """/dev/zero never ends: it is refused by what it is, quickly (a read would never return)."""
    done = _check("/dev/zero", Path("/nonexistent-output"), timeout=120)
    _assert_refused(
        done,
        Path("/nonexistent-output"),
        [
            "The QGIS project “/dev/zero” could not be opened: it is not an ordinary file (a device, a "
            f"pipe or a socket). {PATH_ADVICE}"
        ],
    )
    assert stat.S_ISCHR(Path("/dev/zero").stat().st_mode)


def test_a_pipe_no_one_writes_is_refused_before_anything_is_read(tmp_path):
    """A FIFO named like a project: opening it for reading would wait for a writer for ever."""
    pipe = tmp_path / "rör.qgz"
    os.mkfifo(pipe)
    done = _check(str(pipe), tmp_path, timeout=120)
    _assert_refused(
        done,
        tmp_path,
        [
            f"The QGIS project “{pipe}” could not be opened: it is not an ordinary file (a device, a "
            f"pipe or a socket). {PATH_ADVICE}"
        ],
    )
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_project_file_that_is_not_there(tmp_path):
    missing = tmp_path / "finns inte.qgz"
    done = _check(str(missing), tmp_path)
    _assert_refused(
        done,
        tmp_path,
        [
            f"The QGIS project “{missing}” could not be opened: there is no such file. "
            "Check the path given with --PROJECT_PATH."
        ],
    )
    assert not missing.exists()


def test_a_broken_profile_in_the_project_stops_the_run_with_what_to_do(demo, tmp_path):
    project = demo / "broken_yaml.qgz"
    before = digest(demo)
    done = _check(str(project), tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "Traceback" not in output and PLANTED not in output
    error = output[output.index("ERROR:") :].splitlines()
    assert error[0] == f"ERROR:\tThe planning profile stored in the project “{project}” cannot be used:"
    assert error[1].startswith("the project's profile, line 2: this is not valid YAML (")
    assert error[2] == (
        "Give a profile file with PROFILE, or open the project in QGIS, correct the profile on the "
        "Profile tab of the RUS check panel and save the project."
    )
    assert not (tmp_path / "findings.gpkg").exists()
    assert digest(demo) == before


@pytest.mark.parametrize("name", ["broken_json.qgz", "odd_json.qgz"])
def test_damaged_reviews_and_sources_do_not_stop_a_run(demo, tmp_path, name):
    """The run needs neither: it runs as without the project (whose profile is the default)."""
    before = digest(demo)
    (tmp_path / "with").mkdir()
    (tmp_path / "plain").mkdir()
    done = _check(str(demo / name), tmp_path / "with")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Traceback" not in output and PLANTED not in output
    assert "Profile: Standardprofil Sverige (the default profile)" in output
    plain = _check(None, tmp_path / "plain")
    assert plain.returncode == 0, plain.stderr[-2000:]
    with_project = findings_rows(tmp_path / "with" / "findings.gpkg")
    assert with_project == findings_rows(tmp_path / "plain" / "findings.gpkg")
    # The demo's tourism area Tiveden lies in Tiveden national park: class A by the default profile.
    # (with the default profile's standing notice for every element, checked and set aside)
    found = without_notice(findings_dicts(tmp_path / "with" / "findings.gpkg"))
    assert [(f["feature_name"], f["severity"]) for f in found] == [("Tiveden", "A")]
    assert digest(demo) == before


# ---------------------------------------------------------------------------- the desktop


@pytest.fixture
def plugin(qgis_iface, qgis_processing, rus_provider):
    from panel_helpers import load_plugin
    from qgis.core import QgsProject

    QgsProject.instance().clear()
    qgis_iface.messageBar().clear_messages()
    plugin = load_plugin(qgis_iface)
    yield plugin
    if plugin.provider is not None:
        plugin.unload()
    QgsProject.instance().clear()


def _open(plugin, path: Path):
    """Open the project as the desktop does (readProject reaches the panel), and once more by hand:
    the handler must not raise either way."""
    from qgis.core import QgsProject

    project = QgsProject.instance()
    assert project.read(str(path)), project.error()
    plugin.dock.on_project_read()
    return project


def _warnings(qgis_iface) -> list[str]:
    from qgis.core import Qgis

    return [m.split(":", 1)[1] for m in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)]


@pytest.mark.parametrize("name", ["broken_json.qgz", "odd_json.qgz"])
def test_the_desktop_opens_a_project_with_damaged_entries_and_keeps_defaults(plugin, qgis_iface, demo, name):
    path = demo / name
    before = digest(demo)
    project = _open(plugin, path)
    state = plugin.dock.state
    assert len(state.reviews) == 0 and state.data_sources == []  # the defaults of what is damaged
    assert len(state.element_layer_ids) == 3 and len(state.agency_layer_ids) == 3  # the rest is read
    assert all(project.mapLayer(layer_id) is not None for layer_id in state.element_layer_ids)
    expected = [
        f"The reviews stored in the project “{path}” are damaged and could not be read; the project "
        "opens without them. Saving the project replaces them with the reviews made from now on: keep "
        "a copy of the project file if you need the old ones.",
        f"The data sources of the last run stored in the project “{path}” are damaged and could not be "
        "read; they are left out until the check is run again.",
    ]
    assert _warnings(qgis_iface) == expected * 2  # once per opening above
    assert not any(PLANTED in m for m in _warnings(qgis_iface))
    assert digest(demo) == before


def test_the_desktop_keeps_a_broken_profile_to_be_corrected_and_does_not_run_it(plugin, qgis_iface, demo):
    path = demo / "broken_yaml.qgz"
    before = digest(demo)
    _open(plugin, path)
    dock = plugin.dock
    warning = (
        f"The planning profile stored in the project “{path}” cannot be used (problems found: 1; they "
        "are listed on the Profile tab of the RUS check panel). Correct it there and save the project, "
        "or choose another profile; the check does not run until then."
    )
    assert _warnings(qgis_iface) == [warning, warning]
    assert dock.form.profileEdit.toPlainText().startswith(f"# {PLANTED}\nname: Region: Örebro")  # kept
    assert dock.form.profileErrors.toPlainText().startswith(
        "the project's profile, line 2: this is not valid YAML"
    )
    assert dock.run_check() is False
    assert dock.form.statusLabel.text() == "The profile has errors; see the Profile tab."
    assert digest(demo) == before


def test_the_desktop_handler_never_raises(plugin, qgis_iface, demo, monkeypatch):
    """Whatever goes wrong reading the state: a warning naming the kind of error only, and defaults."""
    from rus_planner.rus_planner.qgis_io.project_state import ProjectState

    def fails(_project):
        raise RuntimeError(PLANTED)

    monkeypatch.setattr(ProjectState, "read_from_project", staticmethod(fails))
    path = demo / "rus_demo.qgz"
    _open(plugin, path)
    assert plugin.dock.state == ProjectState()
    message = (
        f"The RUS Planner settings stored in the project “{path}” could not be read (RuntimeError); the "
        "RUS check panel starts from its defaults. Saving the project replaces them."
    )
    assert _warnings(qgis_iface) == [message, message]


def test_the_real_desktop_opens_damaged_projects_without_a_python_error(demo, tmp_path):
    """The real QGIS desktop under Xvfb: the message bar says what is damaged, nothing raises.

    A .qgz QGIS cannot read at all never reaches the plugin (QGIS reports it itself).
    """
    from desktop_launcher import run_desktop

    truncated = tmp_path / "avklippt.qgz"
    whole = (demo / "rus_demo.qgz").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    projects = [str(demo / "broken_json.qgz"), str(demo / "broken_yaml.qgz"), str(truncated)]
    before = digest(demo), digest(truncated)
    result, errors = run_desktop(
        tmp_path,
        "damaged_projects.py",
        tmp_path / "unused.png",
        "en_US",
        {"RUS_DESKTOP_PROJECTS": json.dumps(projects)},
    )
    assert "error" not in result, result.get("error")
    assert errors == []
    json_case, yaml_case, cut_case = (result["projects"][p] for p in projects)
    assert json_case["opened"] and json_case["reviews"] == 0 and json_case["sources"] == 0
    assert json_case["elements"] == 3
    assert json_case["messages"] == [
        [
            "RUS Planner",
            f"The data sources of the last run stored in the project “{projects[0]}” are damaged and could "
            "not be read; they are left out until the check is run again.",
        ],
        [
            "RUS Planner",
            f"The reviews stored in the project “{projects[0]}” are damaged and could not be read; the "
            "project opens without them. Saving the project replaces them with the reviews made from now "
            "on: keep a copy of the project file if you need the old ones.",
        ],
    ]  # the newest message on top
    assert yaml_case["opened"]
    assert yaml_case["messages"] == [
        [
            "RUS Planner",
            f"The planning profile stored in the project “{projects[1]}” cannot be used (problems found: 1; "
            "they are listed on the Profile tab of the RUS check panel). Correct it there and save the "
            "project, or choose another profile; the check does not run until then.",
        ]
    ]
    assert yaml_case["profile_text"].startswith(f"# {PLANTED}\nname: Region: Örebro")
    assert yaml_case["profile_errors"].startswith("the project's profile, line 2: this is not valid YAML")
    assert cut_case == {**cut_case, "opened": False, "messages": []}
    assert not any(PLANTED in text for case in result["projects"].values() for _, text in case["messages"])
    assert (digest(demo), digest(truncated)) == before
