"""rusplanner:checkagencyservices — “Kontrollera tjänsterna”: how each catalogue service answers, in a table."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.catalogue import DEFAULT_CATALOGUE_PATH, CatalogueError, load_catalogue
from ...core.errors import LayerError
from ...i18n import tr
from ...qgis_io.agency_check import check_services
from ...qgis_io.agency_http import HttpSettings
from ...qgis_io.compat import qgs_field
from ..base import RusAlgorithm

COLUMNS = (
    ("service", QMetaType.Type.QString),
    ("agency", QMetaType.Type.QString),
    ("theme", QMetaType.Type.QString),
    ("protocol", QMetaType.Type.QString),
    ("result", QMetaType.Type.QString),
    ("http_status", QMetaType.Type.Int),
    ("matched", QMetaType.Type.LongLong),
    ("seconds", QMetaType.Type.Double),
    ("detail", QMetaType.Type.QString),
)


class CheckAgencyServicesAlgorithm(RusAlgorithm):
    """One small request per service: OK, the exception text, the HTTP status or a time-out."""

    CATALOGUE = "CATALOGUE"
    TIMEOUT = "TIMEOUT"
    OUTPUT = "OUTPUT"
    TABLE = "TABLE"
    GROUP_ID = "agency"
    REQUIRES = ("yaml",)

    def name(self) -> str:
        return "checkagencyservices"

    def displayName(self) -> str:  # noqa: N802
        return tr("Check the agency services")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Asks every service in RUS Planner's catalogue for one feature and lists how it answered: "
            "OK (with the number of features it reports), an exception report (also one sent with HTTP "
            "200), an HTTP status, a time-out, a broken answer, or why the service is not fetched "
            "(no verified address, or a download made by hand)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFile(
                self.CATALOGUE,
                tr("Catalogue of services (YAML; empty: the one shipped)"),
                fileFilter=tr("Catalogues (*.yaml *.yml)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.TIMEOUT,
                tr("Time-out per request (s)"),
                QgsProcessingParameterNumber.Type.Double,
                defaultValue=20,
                minValue=1,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Service check"), QgsProcessing.SourceType.TypeVector, optional=True
            )
        )
        self.addOutput(QgsProcessingOutputString(self.TABLE, tr("Service check (text)")))

    def process(self, parameters, context, feedback) -> dict:
        path = self.parameterAsFile(parameters, self.CATALOGUE, context) or str(DEFAULT_CATALOGUE_PATH)
        try:
            catalogue = load_catalogue(path)
        except CatalogueError as error:
            raise LayerError(str(error)) from None
        settings = HttpSettings(timeout_s=self.parameterAsDouble(parameters, self.TIMEOUT, context))
        checks = check_services(catalogue.services, settings, feedback)
        rows = [
            [
                c.service.id,
                c.service.agency,
                c.service.theme,
                c.service.protocol,
                c.result,
                c.http_status,
                c.matched,
                round(c.seconds, 3),
                c.detail,
            ]
            for c in checks
        ]
        results = {self.TABLE: "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)}
        if parameters.get(self.OUTPUT):
            fields = QgsFields()
            for name, kind in COLUMNS:
                fields.append(qgs_field(name, kind))
            sink, dest_id = self.parameterAsSink(
                parameters,
                self.OUTPUT,
                context,
                fields,
                QgsWkbTypes.Type.NoGeometry,
                QgsCoordinateReferenceSystem(),
            )
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
            for row in rows:
                feature = QgsFeature(fields)
                feature.setAttributes(row)
                if not sink.addFeature(feature):
                    raise QgsProcessingException(tr("a row of the service check could not be written"))
            results[self.OUTPUT] = dest_id
        for check in checks:
            line = f"{check.service.id}: {check.result} – {check.detail}"
            if check.result == "OK":
                feedback.pushInfo(line)
            else:
                feedback.pushWarning(line)
        return results
