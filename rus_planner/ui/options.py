"""How the panel runs the check: as ``rusplanner:checkelements`` runs, in the language QGIS speaks."""

from __future__ import annotations

from ..i18n import qgis_language
from ..qgis_io.check_run import CheckOptions


def panel_language() -> str:
    """The language of the findings and of the profile's names: Swedish or English."""
    return "sv" if qgis_language() == "sv" else "en"


def check_options() -> CheckOptions:
    """As rusplanner:checkelements runs: the findings in the language QGIS speaks, bulk reads."""
    return CheckOptions(language=panel_language())
