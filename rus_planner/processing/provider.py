"""The RUS Planner Processing provider (id ``rusplanner``)."""

from __future__ import annotations

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..i18n import tr
from ..resources import icon_path, plugin_version, resource_path
from .algorithms.agency_view import AgencyViewAlgorithm
from .algorithms.check_agency_services import CheckAgencyServicesAlgorithm
from .algorithms.check_elements import CheckElementsAlgorithm
from .algorithms.compare_drafts import CompareDraftsAlgorithm
from .algorithms.consultation_report import ConsultationReportAlgorithm
from .algorithms.fetch_agency_data import FetchAgencyDataAlgorithm
from .algorithms.grid_overlay import GridOverlayAlgorithm
from .algorithms.overlay_atlas import OverlayAtlasAlgorithm
from .algorithms.sector_overlay import SectorOverlayAlgorithm
from .algorithms.share_geopackage import ShareGeopackageAlgorithm
from .algorithms.territorial_summary import TerritorialSummaryAlgorithm
from .algorithms.validate_profile import ValidateProfileAlgorithm


def algorithm_classes() -> list[type]:
    """Every algorithm the provider offers; new algorithms are added here."""

    return [
        ValidateProfileAlgorithm,
        CheckElementsAlgorithm,
        CompareDraftsAlgorithm,
        SectorOverlayAlgorithm,
        GridOverlayAlgorithm,
        TerritorialSummaryAlgorithm,
        ConsultationReportAlgorithm,
        OverlayAtlasAlgorithm,
        ShareGeopackageAlgorithm,
        FetchAgencyDataAlgorithm,
        CheckAgencyServicesAlgorithm,
        AgencyViewAlgorithm,
    ]


def shipped_models() -> list:
    """The graphical models in resources/models, offered in the toolbox under the provider."""

    models = []
    for path in sorted(resource_path("models").glob("*.model3")):
        model = QgsProcessingModelAlgorithm()
        if model.fromFile(str(path)):
            model.setSourceFilePath(str(path))
            models.append(model)
    return models


class RusPlannerProvider(QgsProcessingProvider):
    """Offers the RUS Planner algorithms in the toolbox, the modeller and qgis_process."""

    def id(self) -> str:
        return "rusplanner"

    def name(self) -> str:
        return tr("RUS Planner")

    def longName(self) -> str:  # noqa: N802
        return tr("RUS Planner {version}").format(version=plugin_version())

    def icon(self) -> QIcon:
        return QIcon(icon_path())

    def loadAlgorithms(self) -> None:  # noqa: N802
        for algorithm_class in algorithm_classes():
            self.addAlgorithm(algorithm_class())
        for model in shipped_models():
            self.addAlgorithm(model)
