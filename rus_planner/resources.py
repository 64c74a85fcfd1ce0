"""Paths to the plugin's shipped resources (icons, profiles, .ui files, models, demo data)."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt import uic

PLUGIN_DIR = Path(__file__).resolve().parent.parent
RESOURCES_DIR = PLUGIN_DIR / "resources"


def resource_path(*parts: str) -> Path:
    """A file under resources/, e.g. resource_path("icons", "rus_planner.svg")."""
    return RESOURCES_DIR.joinpath(*parts)


def icon_path(name: str = "rus_planner.svg") -> str:
    return str(resource_path("icons", name))


def plugin_version() -> str:
    """The version in metadata.txt (reports name it so agencies can verify a run)."""
    for line in (PLUGIN_DIR / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("version="):
            return line.split("=", 1)[1].strip()
    return "unknown"


def ui_path(name: str) -> str:
    """A Designer form under resources/ui/, e.g. ui_path("rus_check_panel.ui")."""
    return str(resource_path("ui", name))


def load_ui(name: str):
    """The (form class, Qt base class) of a Designer form, compiled at run time (no pyuic output)."""

    return uic.loadUiType(ui_path(name))
