"""rusplanner:consultationreport — PDF reports per agency and overall, plus one HTML file."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

from ...core.check_model import ELEMENT_NAME_FIELDS
from ...core.errors import Cancelled, RusPlannerError
from ...core.redact import safe_source
from ...core.report import Source, build_report, report_texts
from ...core.report_html import render_html
from ...core.vocabulary import SEVERITY_COLOURS
from ...i18n import tr
from ...qgis_io.check_read import file_date
from ...qgis_io.crs_checks import check_crs
from ...qgis_io.layout import export_pdf, render_png
from ...qgis_io.report_maps import MapLayers, agency_copy, finding_extents, findings_maps, read_elements
from ...qgis_io.report_pdf import OVERVIEW, build_document
from ...qgis_io.share import effective_crs, source_names
from ...resources import plugin_version
from ..base import RusAlgorithm
from ..styles import severity_renderer

# Fields a findings layer must have to be reported (the rest are shown when present).
REQUIRED_FIELDS = ("element_id", "severity", "agency", "agency_layer")


class ConsultationReportAlgorithm(RusAlgorithm):
    """Turns the findings of the element check (with reviews) into consultation documents."""

    FINDINGS = "FINDINGS"
    ELEMENTS = "ELEMENTS"
    AGENCY_LAYERS = "AGENCY_LAYERS"
    PROFILE = "PROFILE"
    LANGUAGE = "LANGUAGE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    OVERALL_PDF = "OVERALL_PDF"
    AGENCY_PDFS = "AGENCY_PDFS"
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
            "check: one PDF per responsible agency and one overall PDF, and the same content as one "
            "self-contained HTML file.\n\n"
            "Each document starts with a summary (findings per class and per agency), the planning "
            "profile, the plugin version, the time of the run and every data source with its date. Then "
            "each element gets a page with a map of the element, the agency data and the affected parts "
            "(legend and scale bar) and a table of its findings: class, interest, legal basis, measures, "
            "advice, the planner's position (when reviewed) and the data source.\n\n"
            "The report is written in Swedish or English, whatever language QGIS runs in. Name the "
            "profile the check was run with; without one the profile stored in the project, else the "
            "default profile, is named."
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
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.ELEMENTS,
                tr("RUS elements (nodes, corridors, areas)"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.AGENCY_LAYERS,
                tr("Agency layers (shown on the maps)"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
                optional=True,
            )
        )
        self.add_profile_parameter(tr("Planning profile the check was run with (YAML)"))
        self.add_language_parameter(tr("Report language"))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile(self.OVERALL_PDF, tr("Overall report (PDF)")))
        self.addOutput(QgsProcessingOutputString(self.AGENCY_PDFS, tr("Reports per agency (PDF files)")))
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
        for layer in [*element_layers, *agency_layers]:
            check_crs(layer, layer.name())
        language = self.language(parameters, context)
        profile = self.resolve_profile(parameters, context, feedback)
        # Written into a hidden folder inside the output folder and moved out when complete:
        # a failed or cancelled run leaves earlier reports as they were.
        folder, final_folder = self.staged_folder_output(parameters, self.OUTPUT_FOLDER, context)

        findings = read_findings(findings_layer, feedback)
        known = {r.id for r in profile.agency_rules} | {n.id for n in profile.standing_notices}
        unknown = sorted({f.get("rule_id") for f in findings} - known - {None})
        unknown = [r for r in unknown if r != "generic_overlap"]
        if unknown:
            feedback.pushWarning(
                tr(
                    "The findings hold rules the profile “{profile}” does not have ({rules}): was the check "
                    "run with another profile?"
                ).format(profile=profile.name, rules=", ".join(unknown))
            )

        crs = effective_crs(findings_layer)
        if not crs.isValid() or crs.isGeographic():
            crs = QgsCoordinateReferenceSystem("EPSG:3006")
        project = QgsProject()
        project.setCrs(crs)
        project.metadata().setTitle(tr("Consultation report"))
        texts = report_texts(language)
        elements, entries, extents = read_elements(
            element_layers,
            crs,
            context.transformContext(),
            ELEMENT_NAME_FIELDS,
            texts,
            known={f.get("element_layer") for f in findings},
        )
        if not entries and not findings:
            raise RusPlannerError(tr("The element layers hold no elements and there are no findings."))

        sources = report_sources(element_layers, agency_layers, findings)
        model = build_report(
            findings,
            entries,
            sources,
            profile_name=profile.name,
            plugin_version=plugin_version(),
            created=datetime.now(timezone.utc).replace(microsecond=0),
            colours=SEVERITY_COLOURS,
            language=language,
        )

        findings_maps_ = findings_maps(
            findings_layer, crs, context.transformContext(), severity_renderer, texts, model.severities
        )
        # Keyed by the name the findings use for the layer (desktop and qgis_process differ).
        named = {f.get("agency_layer") for f in findings}
        agency_maps = {
            next((n for n in source_names(layer) if n in named), layer.name()): agency_copy(layer, i)
            for i, layer in enumerate(agency_layers)
        }
        for element_id, box in finding_extents(findings_layer, crs, context.transformContext()).items():
            extents.setdefault(element_id, box)
        overview = QgsRectangle()
        overview.setMinimal()
        for box in extents.values():
            overview.combineExtentWith(box)
        maps = MapLayers(project, crs, elements, findings_maps_, agency_maps, extents, overview)
        project.addMapLayers(
            [*elements, *(m for ms in findings_maps_.values() for m in ms), *agency_maps.values()], False
        )

        sections = [model.overall, *model.agencies]
        written: list[str] = []
        figures = {}
        for number, section in enumerate(sections):
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(100.0 * number / (len(sections) + 1))
            doc, regions = build_document(model, section, maps, feedback)
            name = f"consultation_{section.slug}.pdf"
            export_pdf(doc, os.path.join(folder, name))
            written.append(os.path.join(final_folder, name))
            feedback.pushInfo(
                tr("Wrote {path} ({pages} pages).").format(path=written[-1], pages=doc.page_count)
            )
            if section.agency is None:  # the HTML shows the overall document's figures
                # The overview is a third of a page wide: finer, so it stays sharp at 640 px.
                figures = {
                    key: render_png(doc, region, dpi=150 if key == OVERVIEW else 110)
                    for key, region in regions.items()
                }
        overall_pdf, agency_pdfs = written[0], written[1:]
        html_path = os.path.join(final_folder, "consultation_report.html")
        try:
            with open(os.path.join(folder, "consultation_report.html"), "w", encoding="utf-8") as handle:
                handle.write(render_html(model, figures, figures.pop(OVERVIEW, None)))
        except OSError as error:
            raise RusPlannerError(
                tr("The report {path} could not be written ({reason}); nothing was written.").format(
                    path=html_path, reason=error.strerror or error
                )
            ) from None
        feedback.pushInfo(tr("Wrote {path}.").format(path=html_path))
        feedback.setProgress(100.0)
        return {
            self.OVERALL_PDF: overall_pdf,
            self.AGENCY_PDFS: ";".join(agency_pdfs),
            self.HTML: html_path,
            self.PDF_COUNT: len(written),
            self.OUTPUT_FOLDER: final_folder,
        }


def report_sources(element_layers, agency_layers, findings: list[dict]) -> list:
    """Every layer the report rests on, with its source and date: elements, then agency data.

    Agency layers are named as the findings name them, with the source and date the check
    recorded; agency layers given only for the maps are added from their files.
    """

    sources = [
        Source("element", layer.name(), safe_source(layer.source()), file_date(layer.source()))
        for layer in element_layers
    ]
    seen = set()
    for finding in findings:
        name = finding.get("agency_layer")
        if name and name not in seen:
            seen.add(name)
            # A findings file written before sources were redacted may still carry a password.
            source = safe_source(finding.get("data_source"))
            sources.append(Source("agency", name, source, finding.get("data_date")))
    for layer in agency_layers:
        if layer.name() not in seen:
            seen.add(layer.name())
            sources.append(
                Source("agency", layer.name(), safe_source(layer.source()), file_date(layer.source()))
            )
    return sources


def read_findings(layer, feedback=None) -> list[dict]:
    """The findings as dicts, NULL as None and dates as ISO text."""

    names = layer.fields().names()
    rows = []
    for feature in layer.getFeatures():
        if feedback is not None and feedback.isCanceled():
            break
        row = {}
        for name, value in zip(names, feature.attributes()):
            if value is None or (isinstance(value, QVariant) and value.isNull()):
                value = None
            elif isinstance(value, QDateTime):
                value = value.toString("yyyy-MM-dd HH:mm")
            elif isinstance(value, QDate):
                value = value.toString("yyyy-MM-dd")
            row[name] = value
        rows.append(row)
    return rows
