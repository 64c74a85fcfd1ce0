"""Which Python packages the plugin imports at run time, and what to tell the user when one is missing.

Exactly the third-party packages the plugin's own code imports (QGIS, its Processing plugin and
GDAL's Python bindings come with every QGIS). geopandas is not one of them: it is the tests' and the
benchmarks' independent oracle only, and installing it into QGIS's Python can pull a second GDAL
(pyogrio) that crashes qgis_process at exit. Checked from package metadata, so start-up imports
nothing. The plugin never installs anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from .i18n import tr


@dataclass(frozen=True)
class Requirement:
    module: str
    distribution: str
    minimum: tuple[int, ...]
    spec: str  # the requirement as a package index writes it


REQUIREMENTS = (
    Requirement("shapely", "shapely", (2, 0), "shapely>=2"),
    Requirement("numpy", "numpy", (1, 21), "numpy>=1.21"),
    Requirement("yaml", "PyYAML", (5, 1), "pyyaml"),
)

#: What the geometry algorithms need; validating a profile only reads YAML.
ANALYSIS = ("shapely", "numpy", "yaml")


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def missing_requirements(modules: tuple[str, ...] = ANALYSIS) -> list[Requirement]:
    """The requirements among `modules` that are absent or too old in this Python."""
    missing = []
    for req in (r for r in REQUIREMENTS if r.module in modules):
        try:
            version = metadata.version(req.distribution)
        except metadata.PackageNotFoundError:
            missing.append(req)
            continue
        if _version_tuple(version) < req.minimum:
            missing.append(req)
    return missing


def install_hint(missing: list[Requirement]) -> str:
    """One message that says exactly which packages are needed, and where to read how to add them."""
    names = ", ".join(req.spec for req in missing)
    return tr(
        "RUS Planner needs the Python packages {names}, which this QGIS cannot use. "
        "Install them into the Python that QGIS runs, then restart QGIS: the section "
        "“Installing in QGIS” of the plugin's README gives the command for Windows, Linux and macOS."
    ).format(names=names)
