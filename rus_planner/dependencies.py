"""Which Python packages the analysis needs, and what to tell the user when one is missing.

Checked from package metadata so that plugin start-up does not import geopandas.
The plugin never installs anything itself.
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
    Requirement("geopandas", "geopandas", (0, 14), "geopandas>=0.14"),
    Requirement("yaml", "PyYAML", (5, 1), "pyyaml"),
)


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


def missing_requirements() -> list[Requirement]:
    """The requirements that are absent or too old in this Python."""
    missing = []
    for req in REQUIREMENTS:
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
