"""rusplanner:consultationreport — PDF reports per agency and overall, plus one HTML file."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ...core.errors import RusPlannerError
from ...i18n import tr
from ...qgis_io.crs_checks import check_crs
from ..base import RusAlgorithm
from ..report_run import BASEMAP_SETTING, ReportRequest, write_report

__all__ = ["BASEMAP_SETTING", "ConsultationReportAlgorithm"]

# Fields a findings layer must have to be reported (the rest are shown when present).
REQUIRED_FIELDS = ("element_id", "severity", "agency", "agency_layer")


class ConsultationReportAlgorithm(RusAlgorithm):
    """Turns the findings of the element check (with reviews) into consultation documents."""

    FINDINGS = "FINDINGS"
    ELEMENTS = "ELEMENTS"
    AGENCY_LAYERS = "AGENCY_LAYERS"
    PROFILE = "PROFILE"
    LANGUAGE = "LANGUAGE"
    KOMMUNER = "KOMMUNER"
    KOMMUN_NAME_FIELD = "KOMMUN_NAME_FIELD"
    TATORTER = "TATORTER"
    REGION = "REGION"
    RUS_VERSION = "RUS_VERSION"
    CONTACT = "CONTACT"
    BASEMAP = "BASEMAP"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    OVERALL_PDF = "OVERALL_PDF"
    AGENCY_PDFS = "AGENCY_PDFS"
    KOMMUN_PDFS = "KOMMUN_PDFS"
    HTML = "HTML"
    PDF_COUNT = "PDF_COUNT"
    GROUP_ID = "report"

    def name(self) -> str:
        return "consultationreport"

    def displayName(self) -> str:  # noqa: N802
        return tr("Consultation report (PDF and HTML)")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Makes the documents for a consultation (samråd, remiss) from the findings of the element "
            "check: one PDF per receiving agency (only its interests), one per kommun (every interest "
            "touching the kommun's part of the elements, when a kommun layer is given) and one overall "
            "PDF, and the overall report as one self-contained, accessible HTML file.\n\n"
            "Each document opens with the region, the RUS version, the date, a contact, how to read it, "
            "the findings per class, and the interests that were not checked, with the reason (class D, "
            "withheld interests, rules without a layer in the run). Each element with findings gets a map "
            "(the element, the affected parts, the agency's features by name, kommun borders and tätort "
            "names) and a table of its findings: class, interest, legal basis, measures, recommendation "
            "and the planner's position and status (from the findings or the project's reviews). The "
            "elements without findings share one table; each data source is listed once, with its agency, "
            "date and licence, never with a local path or a password.\n\n"
            "The report is written in Swedish or English, whatever language QGIS runs in. Give the agency "
            "layers of the run and the profile the check was run with; without one the profile stored "
            "in the project, else the default profile, is named."
        )

    def flags(self):
        # Print layouts render with QPainter on PDF devices: run in the main thread, like
        # QGIS's own layout export algorithms.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.FINDINGS,
                tr("Findings of the element check"),
                [QgsProcessing.SourceType.TypeVectorAnyGeometry],
            )
        )
        self.add_elements_parameter()
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.AGENCY_LAYERS,
                tr("Agency layers (shown on the maps)"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.KOMMUNER,
                tr("Kommuner (one report per kommun, borders and names on the maps)"),
                [QgsProcessing.SourceType.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.KOMMUN_NAME_FIELD,
                tr("Kommun name field"),
                parentLayerParameterName=self.KOMMUNER,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.TATORTER,
                tr("Urban areas (tätorter, names on the maps)"),
                [QgsProcessing.SourceType.TypeVectorAnyGeometry],
                optional=True,
            )
        )
        for name, label in (
            (self.REGION, tr("Region (e.g. Örebro län)")),
            (self.RUS_VERSION, tr("RUS version or draft")),
            (self.CONTACT, tr("Contact")),
            (
                self.BASEMAP,
                tr(
                    "Background map (WMS/XYZ source or raster file; else the setting rus_planner/report/basemap)"
                ),
            ),
        ):
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))
        self.add_profile_parameter(tr("Planning profile the check was run with (YAML)"))
        self.add_language_parameter(tr("Report language"))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile(self.OVERALL_PDF, tr("Overall report (PDF)")))
        self.addOutput(QgsProcessingOutputString(self.AGENCY_PDFS, tr("Reports per agency (PDF files)")))
        self.addOutput(QgsProcessingOutputString(self.KOMMUN_PDFS, tr("Reports per kommun (PDF files)")))
        self.addOutput(QgsProcessingOutputFile(self.HTML, tr("Report (HTML)")))
        self.addOutput(QgsProcessingOutputNumber(self.PDF_COUNT, tr("Number of PDF files")))

    def process(self, parameters, context, feedback) -> dict:

        findings_layer = self.parameterAsVectorLayer(parameters, self.FINDINGS, context)
        if findings_layer is None or not findings_layer.isValid():
            raise RusPlannerError(tr("The findings layer could not be loaded."))
        missing = [n for n in REQUIRED_FIELDS if findings_layer.fields().indexOf(n) < 0]
        if missing:
            raise RusPlannerError(
                tr(
                    "The layer “{layer}” is not a findings layer of the element check (it lacks the "
                    "fields {fields}). Run “Check elements against agency layers” first."
                ).format(layer=findings_layer.name(), fields=", ".join(missing))
            )
        element_layers = self.parameterAsLayerList(parameters, self.ELEMENTS, context)
        if not element_layers:
            raise RusPlannerError(tr("Choose at least one layer of RUS elements."))
        agency_layers = self.parameterAsLayerList(parameters, self.AGENCY_LAYERS, context) or []
        kommuner = self.parameterAsVectorLayer(parameters, self.KOMMUNER, context)
        tatorter = self.parameterAsVectorLayer(parameters, self.TATORTER, context)
        for layer in [*element_layers, *agency_layers, *(x for x in (kommuner, tatorter) if x)]:
            check_crs(layer, layer.name())
        language = self.language(parameters, context)
        profile = self.resolve_profile(parameters, context, feedback)
        # Written into a hidden folder inside the output folder and moved out when complete:
        # a failed or cancelled run leaves earlier reports as they were.
        folder, final_folder = self.staged_folder_output(parameters, self.OUTPUT_FOLDER, context)

        files = write_report(
            ReportRequest(
                findings_layer,
                element_layers,
                agency_layers,
                profile,
                language,
                kommuner=kommuner,
                kommun_field=self.parameterAsString(parameters, self.KOMMUN_NAME_FIELD, context),
                tatorter=tatorter,
                region=self.parameterAsString(parameters, self.REGION, context).strip(),
                rus_version=self.parameterAsString(parameters, self.RUS_VERSION, context).strip(),
                contact=self.parameterAsString(parameters, self.CONTACT, context).strip(),
                basemap=self.parameterAsString(parameters, self.BASEMAP, context).strip(),
                project=context.project(),
            ),
            folder,
            final_folder,
            context.transformContext(),
            feedback,
        )
        feedback.setProgress(100.0)
        return {
            self.OVERALL_PDF: files.overall,
            self.AGENCY_PDFS: ";".join(files.agency),
            self.KOMMUN_PDFS: ";".join(files.kommun),
            self.HTML: files.html,
            self.PDF_COUNT: files.count,
            self.OUTPUT_FOLDER: final_folder,
        }
