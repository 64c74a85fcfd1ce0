"""Shared fixtures: the plugin loaded as QGIS loads it, the real Swedish data, an output folder.

The work tree is linked into .build/plugins as ``rus_planner`` (make bootstrap does it), so
``import rus_planner`` is the plugin package exactly as QGIS imports it, and the code lives
under ``rus_planner.rus_planner``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PLUGINS_DIR = REPO / ".build" / "plugins"
SHARED_DATA = REPO.parent / "shared" / "data" / "sweden"
TEST_OUTPUT = REPO / "test-output"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if not (PLUGINS_DIR / "rus_planner").exists():
    PLUGINS_DIR.mkdir(parents=True, exist_ok=True)
    (PLUGINS_DIR / "rus_planner").symlink_to(Path("..") / "..")
sys.path.insert(0, str(PLUGINS_DIR))


def _compile_translation() -> None:
    """Keep the Swedish .qm current for tests run without make (lrelease is fast)."""
    import subprocess

    ts = REPO / "i18n" / "rus_planner_sv.ts"
    qm = ts.with_suffix(".qm")
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        subprocess.run(["lrelease", "-silent", str(ts), "-qm", str(qm)], check=True)


_compile_translation()


@pytest.fixture(scope="session")
def shared_data(tmp_path_factory) -> Path:
    """../shared/data/sweden: real open data (see its README), as a copy for this session.

    A test that loads a GeoPackage into QGIS as a user would (QgsVectorLayer, a project)
    gets QGIS's OGR provider, which opens it for update and so rewrites its SQLite header;
    ../shared itself is read-only in CI and must stay byte-identical (see the guard below).
    """
    import shutil

    assert SHARED_DATA.is_dir(), f"the shared data folder is missing: {SHARED_DATA}"
    copy = tmp_path_factory.mktemp("shared") / "sweden"
    shutil.copytree(SHARED_DATA, copy)
    for path in [copy, *copy.iterdir()]:
        path.chmod(path.stat().st_mode | 0o200)  # the copy is the session's own
    return copy


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory) -> Path:
    """`make demo` once per session (scripts/demo.py), its folder then moved: what it made must
    not depend on where it was made (relative paths). Shared by test_demo and the desktop tests."""
    import shutil
    import subprocess

    made = tmp_path_factory.mktemp("made") / "demo-output"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py"), "--output", str(made)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Findings per class: A:" in done.stdout
    assert "Project:" in done.stdout
    moved = tmp_path_factory.mktemp("moved") / "rus-demo åäö"
    shutil.move(str(made), str(moved))
    return moved


@pytest.fixture(scope="session")
def test_output() -> Path:
    """A folder for artifacts a person should look at (screenshots, rendered pages)."""
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT


_LIVE_PROVIDERS: list = []


def _registered_provider():
    """The RUS Planner provider in the registry, registering it as the plugin does if needed."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("rusplanner")
    if provider is None:
        from rus_planner.rus_planner.processing.provider import RusPlannerProvider

        provider = RusPlannerProvider()
        assert registry.addProvider(provider)
        # The registry owns the C++ object, but its Python half (our algorithms) dies with the
        # last Python reference: keep one, or the next test finds a bare QgsProcessingProvider.
        _LIVE_PROVIDERS.append(provider)
    return provider


@pytest.fixture
def rus_provider(qgis_app, qgis_processing):
    """The provider for processing.run; function-scoped on purpose: the plugin tests unload it
    (QGIS deletes it), so every test that needs it asks the registry afresh."""
    return _registered_provider()


@pytest.fixture(scope="module")
def rus_provider_module(qgis_app, qgis_processing):
    """The same for module-scoped fixtures that run algorithms once for a whole file."""
    return _registered_provider()


@pytest.fixture
def layer_tree_view(qgis_iface, monkeypatch):
    """A real QgsLayerTreeView on the project's layer tree behind iface.layerTreeView().

    QGIS 3.40+ hands iface.layerTreeView() to QgsProcessingGuiUtils.addResultLayers when Processing
    loads results; pytest-qgis's iface would answer with a MagicMock, which the C++ API rejects.
    """
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    view = QgsLayerTreeView()
    model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view)
    view.setModel(model)
    monkeypatch.setattr(qgis_iface, "layerTreeView", lambda: view, raising=False)
    yield view
    view.setModel(None)
    view.deleteLater()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Keep the fault handler on while QGIS and Qt shut down after the last test: a crash
    there (seen once on QGIS 3.44 after every test had passed) then says where it happened."""
    import faulthandler

    faulthandler.enable(file=sys.__stderr__, all_threads=True)


@pytest.fixture(autouse=True, scope="session")
def _nothing_running_at_exit(qgis_app):
    """After the last test, before QGIS exits: no task still running, no layer (and so no
    provider thread, such as the WFS provider's downloader) left in the project.

    QGIS 3.44 crashed once at exit after every test had passed; a thread still at work
    while QGIS tears down is the usual cause.
    """
    yield
    from qgis.core import QgsApplication, QgsProject

    manager = QgsApplication.taskManager()
    manager.cancelAll()
    for _ in range(3000):  # up to 30 s
        if not manager.countActiveTasks():
            break
        QgsApplication.processEvents()
        time.sleep(0.01)
    QgsProject.instance().clear()
    QgsApplication.processEvents()


def _shared_state() -> dict:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in SHARED_DATA.iterdir() if p.is_file()}


@pytest.fixture(autouse=True)
def _shared_data_stays_untouched():
    """../shared is read-only in CI, and a user's inputs must stay byte-identical: a test (or
    the code it runs) that opens a shared file for writing fails here, named."""
    before = _shared_state() if SHARED_DATA.is_dir() else {}
    yield
    if before:
        after = _shared_state()
        changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        assert not changed, f"this test changed files in {SHARED_DATA}: {changed}"
