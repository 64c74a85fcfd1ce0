"""The plugin loads as QGIS loads it, registers its provider, and unload leaves nothing behind."""

from __future__ import annotations

import importlib.metadata

import pytest
from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QToolBar

import rus_planner
from rus_planner.rus_planner.processing.base import RusAlgorithm

EXPECTED_ALGORITHMS = {
    "rusplanner:validateprofile",
    "rusplanner:sectoroverlay",
    "rusplanner:gridoverlay",
    "rusplanner:checkelements",
    "rusplanner:comparedrafts",
    "rusplanner:territorialsummary",
    "rusplanner:consultationreport",
    "rusplanner:overlayatlas",
    "rusplanner:sharegeopackage",
    "rusplanner:fetchagencydata",
    "rusplanner:checkagencyservices",
    "rusplanner:agencyview",
    "rusplanner:RUS-analys",
}

# Signals a plugin typically listens to: none may keep a receiver of ours after unload.
WATCHED_SIGNALS = ("readProject", "writeProject", "layersAdded", "layersWillBeRemoved", "cleared")


def _receivers() -> dict[str, int]:
    project = QgsProject.instance()
    return {name: project.receivers(getattr(project, name)) for name in WATCHED_SIGNALS}


def _our_children(main_window) -> tuple[list, list]:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # run deleteLater
    actions = [a for a in main_window.findChildren(QAction) if a.objectName().startswith("RusPlanner")]
    toolbars = [t for t in main_window.findChildren(QToolBar) if t.objectName().startswith("RusPlanner")]
    return actions, toolbars


@pytest.fixture
def loaded_plugin(qgis_iface, qgis_processing):
    """classFactory → initGui (which calls initProcessing), as the desktop does."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("rusplanner")
    if existing is not None:  # another test registered the provider directly
        registry.removeProvider(existing)
    before = _receivers()
    plugin = rus_planner.classFactory(qgis_iface)
    plugin.initGui()
    yield plugin, before
    if plugin.provider is not None:
        plugin.unload()


def test_provider_and_algorithms_are_registered(loaded_plugin):
    plugin, _ = loaded_plugin
    provider = QgsApplication.processingRegistry().providerById("rusplanner")
    assert provider is plugin.provider
    assert provider.name() == "RUS Planner"
    ids = {alg.id() for alg in provider.algorithms()}
    assert EXPECTED_ALGORITHMS <= ids
    models = [a for a in provider.algorithms() if not isinstance(a, RusAlgorithm)]
    assert {m.id() for m in models} == {"rusplanner:RUS-analys"}, "only shipped models are not RusAlgorithms"
    for algorithm in (a for a in provider.algorithms() if isinstance(a, RusAlgorithm)):
        assert algorithm.name().isascii() and algorithm.name() == algorithm.name().lower()
        assert algorithm.displayName() and algorithm.shortHelpString()
        assert algorithm.groupId() and algorithm.group()


def test_init_processing_alone_is_enough_for_headless_use(qgis_iface, qgis_processing):
    registry = QgsApplication.processingRegistry()
    if registry.providerById("rusplanner") is not None:
        registry.removeProvider(registry.providerById("rusplanner"))
    plugin = rus_planner.classFactory(qgis_iface)
    plugin.initProcessing()
    plugin.initProcessing()  # idempotent: initGui calls it again
    assert registry.providerById("rusplanner") is plugin.provider
    assert len([p for p in registry.providers() if p.id() == "rusplanner"]) == 1
    plugin.unload()
    assert registry.providerById("rusplanner") is None


def test_unload_leaves_nothing_behind(loaded_plugin, qgis_iface):
    plugin, receivers_before = loaded_plugin
    actions, toolbars = _our_children(qgis_iface.mainWindow())
    assert actions and toolbars, "initGui should add an action and a toolbar"
    translator = plugin.translator

    plugin.unload()

    assert QgsApplication.processingRegistry().providerById("rusplanner") is None
    assert _our_children(qgis_iface.mainWindow()) == ([], [])
    assert plugin.actions == [] and plugin.toolbar is None and plugin.provider is None
    assert _receivers() == receivers_before
    if translator is not None:
        assert not QCoreApplication.removeTranslator(translator), "translator still installed"


def test_missing_packages_are_named_in_the_message_bar_and_by_every_algorithm(
    qgis_iface, qgis_processing, monkeypatch
):
    real_version = importlib.metadata.version

    def old_shapely(name):
        if name == "shapely":
            return "1.8.5"  # Debian 12's python3-shapely: too old
        if name == "geopandas":  # never asked for: the plugin does not import it
            raise AssertionError("the runtime check asked for geopandas")
        return real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", old_shapely)
    registry = QgsApplication.processingRegistry()
    if registry.providerById("rusplanner") is not None:
        registry.removeProvider(registry.providerById("rusplanner"))
    qgis_iface.messageBar().clear_messages()

    plugin = rus_planner.classFactory(qgis_iface)
    plugin.initGui()  # the plugin still loads
    try:
        warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
        assert any("shapely>=2" in m and "Installing in QGIS" in m for m in warnings)
        assert not any("geopandas" in m for m in warnings)
        # Models run these same algorithms, which refuse with the same message when run.
        refused = {}
        for algorithm in (a for a in plugin.provider.algorithms() if isinstance(a, RusAlgorithm)):
            ok, message = algorithm.canExecute()
            refused[algorithm.name()] = not ok
            if not ok:
                assert message.startswith("RUS Planner needs the Python packages shapely>=2, which")
                assert "Installing in QGIS" in message
        # validating a profile, fetching agency data and checking the services read YAML only
        for yaml_only in ("validateprofile", "fetchagencydata", "checkagencyservices"):
            assert refused.pop(yaml_only) is False, yaml_only
        assert refused and all(refused.values()), refused
    finally:
        plugin.unload()


def _third_party_imports(paths) -> set[str]:
    """Top-level names of every module these files import that is neither the standard
    library nor part of QGIS itself (qgis, processing, osgeo come with every QGIS; so does
    psycopg2, which QGIS's DB Manager uses: the check in PostGIS needs it and runs in QGIS
    without it, saying so)."""
    import ast
    import sys

    found = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"qgis", "processing", "osgeo", "psycopg2", "__future__"}


def test_the_runtime_check_asks_for_exactly_what_the_plugin_imports():
    from pathlib import Path

    from rus_planner.rus_planner.dependencies import REQUIREMENTS

    root = Path(__file__).resolve().parent.parent
    imported = _third_party_imports([root / "__init__.py", *(root / "rus_planner").rglob("*.py")])
    assert imported == {req.module for req in REQUIREMENTS} == {"shapely", "numpy", "yaml"}


def test_validateprofile_runs_without_shapely_and_numpy(tmp_path):
    """A QGIS whose Python lacks shapely and numpy still validates a profile (it only reads YAML)."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    script = tmp_path / "validate.py"
    script.write_text(
        f"""
import sys
sys.modules["shapely"] = None  # import shapely -> ImportError, as in a Python without it
sys.modules["numpy"] = None
sys.path.insert(0, {str(repo / ".build" / "plugins")!r})
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing
Processing.initialize()
from rus_planner.rus_planner.processing.provider import RusPlannerProvider
provider = RusPlannerProvider()
assert QgsApplication.processingRegistry().addProvider(provider)
import processing
result = processing.run("rusplanner:validateprofile", {{"PROFILE": ""}})
print("VALID", result["VALID"], result["RULE_COUNT"])
print("SHAPELY", "shapely" in sys.modules and sys.modules["shapely"] is not None)
""",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert "VALID True" in done.stdout, done.stdout + done.stderr
    assert "SHAPELY False" in done.stdout


def test_the_readme_section_the_message_points_to_gives_every_install_command():
    """The missing-package message sends the user to the README: the section must exist and
    name every requirement in the command for each system."""
    from pathlib import Path

    from rus_planner.rus_planner.dependencies import REQUIREMENTS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Installing in QGIS", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in section.splitlines() if "install" in line and line.startswith("- ")]
    assert [c.split(":", 1)[0] for c in commands] == [
        "- Debian 13",
        "- Debian 12",
        "- Windows (OSGeo4W Shell, as administrator)",
    ]
    for command in commands:
        for requirement in REQUIREMENTS:
            assert requirement.module in command.lower(), (requirement.spec, command)
            if ">=" in requirement.spec and "pip install" in command:
                assert f'"{requirement.spec}' in command, (requirement.spec, command)
