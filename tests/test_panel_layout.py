"""The panel stays in small parts (#15): no module of rus_planner/ui over 400 lines, and the dock
builds its parts rather than holding their code."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "rus_planner" / "ui"
LIMIT = 400


def test_no_ui_module_is_over_the_limit():
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in UI.glob("*.py")}
    assert "panel.py" in lengths and len(lengths) > 10
    assert {name: n for name, n in lengths.items() if n > LIMIT} == {}


def test_no_module_of_the_plugin_is_over_the_limit():
    """The whole package, not only ui/: core, qgis_io and processing were split the same way."""
    package = UI.parent
    lengths = {
        path.relative_to(package).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in package.rglob("*.py")
    }
    assert len(lengths) > 80
    assert {name: n for name, n in lengths.items() if n > LIMIT} == {}


def test_the_dock_builds_one_object_of_each_part():
    """Each part of the form is built once, in the dock's __init__."""
    tree = ast.parse((UI / "panel.py").read_text(encoding="utf-8"))
    dock = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "RusCheckDock")
    init = next(node for node in dock.body if isinstance(node, ast.FunctionDef) and node.name == "__init__")
    built = [
        node.func.id
        for node in ast.walk(init)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    parts = (
        "LayerLists",
        "ProfileTab",
        "FindingsTab",
        "ReviewEditor",
        "RunControl",
        "FindingsExport",
        "LiveCheck",
        "LiveModeController",
    )
    assert {part: built.count(part) for part in parts} == dict.fromkeys(parts, 1)
