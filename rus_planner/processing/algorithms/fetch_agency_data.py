"""rusplanner:fetchagencydata — fetch the agencies' data for a län (or an extent) into one GeoPackage."""

from __future__ import annotations

import os

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ...core.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    CatalogueError,
    lan_boxes,
    load_catalogue,
    rules_without_source,
)
from ...core.errors import LayerError
from ...i18n import tr
from ...qgis_io.agency_fetch import discard_fetched, fetch_service
from ...qgis_io.agency_http import HttpSettings
from ...qgis_io.agency_store import store_results
from ..base import RusAlgorithm


def _advanced(parameter):
    """Shown under "Advanced" (QGIS 3.36 moved the flag to Qgis.ProcessingParameterFlag)."""
    if hasattr(Qgis, "ProcessingParameterFlag"):
        flag = Qgis.ProcessingParameterFlag.Advanced
    else:
        flag = QgsProcessingParameterDefinition.Flag.FlagAdvanced
    parameter.setFlags(parameter.flags() | flag)
    return parameter


def _shipped_services() -> tuple:
    """The shipped catalogue's services (the THEMES options); none without PyYAML, whose absence
    canExecute names, so that the toolbox still loads."""
    try:
        return load_catalogue(DEFAULT_CATALOGUE_PATH).services
    except (ImportError, CatalogueError):
        return ()


class FetchAgencyDataAlgorithm(RusAlgorithm):
    """Fetches the catalogue's services for a region; never a half layer, never a silent gap."""

    LAN = "LAN"
    EXTENT = "EXTENT"
    THEMES = "THEMES"
    CATALOGUE = "CATALOGUE"
    PAGE_SIZE = "PAGE_SIZE"
    TIMEOUT = "TIMEOUT"
    RETRIES = "RETRIES"
    OUTPUT = "OUTPUT"
    FETCHED = "FETCHED"
    NOT_FETCHED = "NOT_FETCHED"
    STATES = "STATES"
    GROUP_ID = "agency"
    REQUIRES = ("yaml",)

    def name(self) -> str:
        return "fetchagencydata"

    def displayName(self) -> str:  # noqa: N802
        return tr("Fetch agency data")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Fetches the national agencies' data for a county (or an extent) from the services in "
            "RUS Planner's catalogue into one GeoPackage, one table per service, named so that the "
            "default profile's rules pick it up. WFS 2.0 and OGC API Features are read page by page; a "
            "service that fails, or delivers fewer features than it says match, keeps its earlier "
            "complete copy (with its date) or leaves an empty table marked as failed, which the element "
            "check reports as class D with the service's reason. The table rus_agency_fetch records "
            "each layer's source, retrieval time, count and licence."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self._lan = lan_boxes()
        self._services = _shipped_services()
        self.addParameter(
            QgsProcessingParameterEnum(
                self.LAN,
                tr("County (län)"),
                options=[tr("(the extent below)")] + [name for _, name, _ in self._lan],
                defaultValue=0,
            )
        )
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Extent"), optional=True))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.THEMES,
                tr("Themes (none chosen: all)"),
                options=[f"{s.agency}: {s.theme}" for s in self._services],
                allowMultiple=True,
                optional=True,
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterFile(
                    self.CATALOGUE,
                    tr("Catalogue of services (YAML; empty: the one shipped)"),
                    fileFilter=tr("Catalogues (*.yaml *.yml)"),
                    optional=True,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    self.PAGE_SIZE,
                    tr("Features per request"),
                    defaultValue=1000,
                    minValue=1,
                    maxValue=100_000,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    self.TIMEOUT,
                    tr("Time-out per request (s)"),
                    QgsProcessingParameterNumber.Type.Double,
                    defaultValue=60,
                    minValue=1,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    self.RETRIES, tr("Retries"), defaultValue=3, minValue=0, maxValue=10
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT, tr("Agency GeoPackage"), tr("GeoPackage (*.gpkg)")
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.FETCHED, tr("Layers fetched completely")))
        self.addOutput(QgsProcessingOutputNumber(self.NOT_FETCHED, tr("Layers not fetched")))
        self.addOutput(QgsProcessingOutputString(self.STATES, tr("State of each layer")))

    def process(self, parameters, context, feedback) -> dict:
        path = self.parameterAsFile(parameters, self.CATALOGUE, context) or str(DEFAULT_CATALOGUE_PATH)
        try:
            catalogue = load_catalogue(path)
        except CatalogueError as error:
            raise LayerError(str(error)) from None
        services = self._chosen(parameters, context, catalogue)
        bbox = self._region(parameters, context, feedback)
        settings = HttpSettings(
            timeout_s=self.parameterAsDouble(parameters, self.TIMEOUT, context),
            retries=self.parameterAsInt(parameters, self.RETRIES, context),
            page_size=self.parameterAsInt(parameters, self.PAGE_SIZE, context),
        )
        staged, final = self.staged_file_output(parameters, self.OUTPUT, context)
        results = []
        try:
            for index, service in enumerate(services):
                feedback.setProgress(100 * index / max(len(services), 1))
                feedback.pushInfo(
                    tr("Fetching {service} ({agency}: {theme})").format(
                        service=service.id, agency=service.agency, theme=service.theme
                    )
                )
                results.append(
                    fetch_service(service, bbox, settings, feedback, folder=os.path.dirname(staged))
                )
            states = store_results(results, final, feedback, write_to=staged)
        finally:
            for result in results:
                discard_fetched(result.path)
        lines = [
            f"{s.layer}\t{s.status}\t{s.features}\t{'' if s.matched is None else s.matched}\t"
            f"{s.retrieved[:19]}\t{s.reason}"
            for s in states
        ]
        for state in states:
            if state.status == "ok":
                feedback.pushInfo(
                    tr("{layer}: {n} features, complete").format(layer=state.layer, n=state.features)
                )
        self._report_uncovered(catalogue, parameters, context, feedback)
        return {
            self.OUTPUT: final,
            self.FETCHED: sum(s.status == "ok" for s in states),
            self.NOT_FETCHED: sum(s.status != "ok" for s in states),
            self.STATES: "\n".join(lines),
        }

    def _chosen(self, parameters, context, catalogue):
        # Without a value QGIS answers the first option: only a given value chooses.
        given = parameters.get(self.THEMES) not in (None, "", [])
        indexes = self.parameterAsEnums(parameters, self.THEMES, context) if given else []
        if not indexes:
            return list(catalogue.services)
        services = _shipped_services()
        wanted = [services[i].id for i in indexes if 0 <= i < len(services)]
        chosen = [s for s in catalogue.services if s.id in wanted]
        if not chosen:
            raise LayerError(tr("none of the chosen themes is in the catalogue"))
        return chosen

    def _region(self, parameters, context, feedback):
        index = self.parameterAsEnum(parameters, self.LAN, context)
        if index > 0:
            code, name, bbox = self._lan[index - 1]
            feedback.pushInfo(tr("Region: {name} (län {code})").format(name=name, code=code))
            return bbox
        if parameters.get(self.EXTENT):
            crs = QgsCoordinateReferenceSystem("EPSG:3006")
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, crs)
            if not extent.isEmpty():
                return (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
        raise LayerError(
            tr(
                "Choose a county (LAN) or give an extent: the agencies' national layers are fetched for a region."
            )
        )

    def _report_uncovered(self, catalogue, parameters, context, feedback) -> None:
        """The profile's rules that no public service feeds: they stay "not checked"."""
        profile = self.resolve_profile(parameters, context, None, default=True)
        for rule in rules_without_source(profile, catalogue):
            feedback.pushWarning(
                tr("{rule} ({agency}): {reason}").format(
                    rule=rule.rule_id, agency=rule.agency, reason=rule.reason
                )
            )
