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
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsSettings,
)

from ...core.check_model import ELEMENT_NAME_FIELDS
from ...core.errors import Cancelled, RusPlannerError
from ...core.redact import safe_source
from ...core.report_build import build_report
from ...core.report_html import render_html
from ...core.report_texts import report_texts
from ...core.vocabulary import SEVERITY_COLOURS
from ...i18n import tr
from ...qgis_io.crs_checks import check_crs
from ...qgis_io.layout import export_pdf, render_png
from ...qgis_io.project_state import ProjectState
from ...qgis_io.report_background import background_layers
from ...qgis_io.report_inputs import (
    Zones,
    apply_reviews,
    basemap_source,
    name_field,
    read_findings,
    report_sources,
    resolved_rows,
    unmatched_rules,
)
from ...qgis_io.report_maps import MapLayers, agency_copy, finding_extents, findings_maps, read_elements
from ...qgis_io.report_pdf import OVERVIEW, build_document
from ...qgis_io.share import display_name, effective_crs, source_names
from ...resources import plugin_version
from ..base import RusAlgorithm
from ..styles import severity_renderer

# Where a user keeps a background map for every report (QgsSettings): any raster source QGIS opens.
BASEMAP_SETTING = "rus_planner/report/basemap"
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

        crs = effective_crs(findings_layer)
        if not crs.isValid() or crs.isGeographic():
            crs = QgsCoordinateReferenceSystem("EPSG:3006")
        zones, kommun_field = None, None
        if kommuner is not None:
            kommun_field = name_field(
                kommuner, self.parameterAsString(parameters, self.KOMMUN_NAME_FIELD, context)
            )
            if kommun_field is None:
                raise RusPlannerError(
                    tr(
                        "The kommun layer “{layer}” has no name field: choose the field that names them."
                    ).format(layer=kommuner.name())
                )
            zones = Zones(kommuner, kommun_field, crs, context.transformContext())
        findings = read_findings(findings_layer, feedback, zones, crs, context.transformContext())
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
        project_state = ProjectState.read_from_project(context.project()) if context.project() else None
        if project_state is not None and len(project_state.reviews):
            ids = {display_name(layer): layer.id() for layer in element_layers}
            ids.update({layer.name(): layer.id() for layer in element_layers})
            count = apply_reviews(findings, project_state.reviews, ids)
            feedback.pushInfo(tr("Reviews from the project: {n} findings.").format(n=count))

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
            zones=zones,
        )
        if not entries and not findings:
            raise RusPlannerError(tr("The element layers hold no elements and there are no findings."))

        run_layers = [(n, layer.source()) for layer in agency_layers for n in source_names(layer)]
        if project_state is not None:
            run_layers += [(s.name, s.source) for s in project_state.data_sources if s.role == "agency"]
        model = build_report(
            findings,
            entries,
            report_sources(element_layers, agency_layers, findings, profile),
            profile_name=profile.name,
            plugin_version=plugin_version(),
            created=datetime.now(timezone.utc).replace(microsecond=0),
            colours=SEVERITY_COLOURS,
            language=language,
            region=self.parameterAsString(parameters, self.REGION, context).strip(),
            rus_version=self.parameterAsString(parameters, self.RUS_VERSION, context).strip(),
            contact=self.parameterAsString(parameters, self.CONTACT, context).strip(),
            unmatched_rules=unmatched_rules(profile, run_layers, findings, language),
            kommuner=zones.all_names() if zones is not None else (),
        )
        if project_state is not None and len(project_state.reviews):
            model.resolved = resolved_rows(findings, project_state.reviews, ids, model)
        maps = self._maps(model, project, crs, context, findings_layer, findings, agency_layers, profile)
        maps.elements, maps.extents = elements, {**extents, **maps.extents}
        basemap = self.parameterAsString(parameters, self.BASEMAP, context).strip() or str(
            QgsSettings().value(BASEMAP_SETTING, "") or ""
        )
        background = background_layers(
            kommuner, kommun_field, tatorter, tatorter and name_field(tatorter), zones, crs, texts, basemap
        )
        if basemap and not any(isinstance(layer, QgsRasterLayer) for layer in background):
            feedback.pushWarning(
                tr(
                    "The background map “{source}” could not be opened; the maps are drawn without it."
                ).format(source=safe_source(basemap))
            )
        elif basemap:
            model.sources.append(basemap_source(basemap, texts["basemap"]))
        maps.background = background
        for box in extents.values():
            maps.overview.combineExtentWith(box)
        project.addMapLayers(
            [
                *elements,
                *(m for ms in maps.findings.values() for m in ms),
                *maps.agency.values(),
                *background,
            ],
            False,
        )
        return self._write(model, maps, folder, final_folder, feedback)

    @staticmethod
    def _maps(model, project, crs, context, findings_layer, findings, agency_layers, profile) -> MapLayers:
        """The affected parts per receiving agency and the agency layers, named as the sources name them."""
        findings_maps_ = findings_maps(
            findings_layer, crs, context.transformContext(), severity_renderer, model.texts, model.severities
        )
        named = {f.get("agency_layer") for f in findings}
        titles = {s.name: s.dataset or s.name for s in model.sources}
        agency_maps = {}
        for i, layer in enumerate(agency_layers):
            key = next((n for n in source_names(layer) if n in named), display_name(layer))
            rules = [r for r in profile.agency_rules if r.matches_layer(key, layer.source())]
            field = next((r.name_field for r in rules if r.name_field), None) or name_field(layer)
            # The legend names the interests the layer holds and the dataset ("Nationalpark (nationalparker)").
            interests = [
                f.get("rule_name") for f in findings if f.get("agency_layer") == key and f.get("rule_name")
            ]
            interests = list(dict.fromkeys(interests or [r.name(model.language) for r in rules]))
            title = titles.get(key, key)
            legend = f"{', '.join(interests)}\n({title})" if interests else title
            agency_maps[key] = agency_copy(layer, i, legend, field)
        extents = finding_extents(findings_layer, crs, context.transformContext())
        overview = QgsRectangle()
        overview.setMinimal()
        for box in extents.values():
            overview.combineExtentWith(box)
        return MapLayers(project, crs, [], findings_maps_, agency_maps, extents, overview)

    def _write(self, model, maps, folder: str, final_folder: str, feedback) -> dict:
        sections = model.sections
        written: dict[str, list[str]] = {"overall": [], "agency": [], "kommun": []}
        figures = {}
        for number, section in enumerate(sections):
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(100.0 * number / (len(sections) + 1))
            doc, regions = build_document(model, section, maps, feedback)
            name = f"consultation_{section.slug}.pdf"
            export_pdf(doc, os.path.join(folder, name))
            written[section.kind].append(os.path.join(final_folder, name))
            feedback.pushInfo(
                tr("Wrote {path} ({pages} pages).").format(
                    path=written[section.kind][-1], pages=doc.page_count
                )
            )
            if section.kind == "overall":  # the HTML shows the overall document's figures
                # The overview is a third of a page wide: finer, so it stays sharp at 640 px.
                figures = {
                    key: render_png(doc, region, dpi=150 if key == OVERVIEW else 110)
                    for key, region in regions.items()
                }
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
        count = sum(len(paths) for paths in written.values())
        return {
            self.OVERALL_PDF: written["overall"][0],
            self.AGENCY_PDFS: ";".join(written["agency"]),
            self.KOMMUN_PDFS: ";".join(written["kommun"]),
            self.HTML: html_path,
            self.PDF_COUNT: count,
            self.OUTPUT_FOLDER: final_folder,
        }
