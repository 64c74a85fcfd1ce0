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
    "rusplanner:territorialsummary",
    "rusplanner:consultationreport",
    "rusplanner:overlayatlas",
    "rusplanner:sharegeopackage",
    "rusplanner:RUS-analys",
}

# Signals a plugin typically listens to: none may keep a receiver of ours after unload.
WATCHED_SIGNALS = ("readProject", "writeProject", "layersAdded", "layersWillBeRemoved", "cleared")


def _receivers() -> dict[str, int]:
    project = QgsProject.instance()
    return {name: project.receivers(getattr(project, name)) for name in WATCHED_SIGNALS}


def _our_children(main_window) -> tuple[list, list]:
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)  # run deleteLater
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

    def without_geopandas(name):
        if name == "geopandas":
            raise importlib.metadata.PackageNotFoundError(name)
        if name == "shapely":
            return "1.8.5"  # Debian 12's python3-shapely: too old
        return real_version(name)

    monkeypatch.setattr(importlib.metadata, "version", without_geopandas)
    registry = QgsApplication.processingRegistry()
    if registry.providerById("rusplanner") is not None:
        registry.removeProvider(registry.providerById("rusplanner"))
    qgis_iface.messageBar().clear_messages()

    plugin = rus_planner.classFactory(qgis_iface)
    plugin.initGui()  # the plugin still loads
    try:
        warnings = qgis_iface.messageBar().get_messages(Qgis.Warning)
        assert any(
            "geopandas>=0.14" in m and "shapely>=2" in m and "Installing in QGIS" in m for m in warnings
        )
        # Models run these same algorithms, which refuse with the same message when run.
        for algorithm in (a for a in plugin.provider.algorithms() if isinstance(a, RusAlgorithm)):
            ok, message = algorithm.canExecute()
            assert not ok
            assert "shapely>=2, geopandas>=0.14" in message and "Installing in QGIS" in message
    finally:
        plugin.unload()


def test_the_readme_section_the_message_points_to_gives_every_install_command():
    """The missing-package message sends the user to the README: the section must exist and
    name every requirement in the command for each system."""
    from pathlib import Path

    from rus_planner.rus_planner.dependencies import REQUIREMENTS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Installing in QGIS", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in section.splitlines() if "install" in line and "`" in line]
    assert [c.split(":", 1)[0] for c in commands] == ["- Windows (OSGeo4W Shell)", "- Linux and macOS"]
    for command in commands:
        for requirement in REQUIREMENTS:
            assert requirement.spec.split(">=")[0] in command.lower(), (requirement.spec, command)
            if ">=" in requirement.spec:
                assert f'"{requirement.spec}"' in command
