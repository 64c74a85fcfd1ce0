"""THE consultation report pipeline: findings → report model → maps → a PDF per document and the HTML.

The one place where a report is assembled: ``consultationreport`` calls it with the layers of
one run, ``agencyview`` with many regions' shared packages read into memory layers
(qgis_io/agency_report.py). It writes into a staging folder the caller got from its
OutputGuard (processing/outputs.py) and names the files by where they end up. It lives beside
the algorithms, not in qgis_io, because the findings' severity style is Processing's
(processing/styles.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRasterLayer, QgsRectangle, QgsSettings

from ..core.check_model import ELEMENT_NAME_FIELDS
from ..core.errors import Cancelled, RusPlannerError
from ..core.redact import safe_source
from ..core.report_build import build_report
from ..core.report_html import render_html
from ..core.report_texts import report_texts
from ..core.vocabulary import SEVERITY_COLOURS
from ..i18n import tr
from ..qgis_io.layout import export_pdf, render_png
from ..qgis_io.project_state import ProjectState
from ..qgis_io.report_background import background_layers
from ..qgis_io.report_inputs import (
    Zones,
    apply_reviews,
    basemap_source,
    name_field,
    read_findings,
    report_sources,
    resolved_rows,
    unmatched_rules,
)
from ..qgis_io.report_maps import MapLayers, agency_copy, finding_extents, findings_maps, read_elements
from ..qgis_io.report_pdf import OVERVIEW, build_document
from ..qgis_io.share import display_name, effective_crs, source_names
from ..resources import plugin_version
from .styles import severity_renderer

# Where a user keeps a background map for every report (QgsSettings): any raster source QGIS opens.
BASEMAP_SETTING = "rus_planner/report/basemap"
# The file names of the documents: consultation_<section>.pdf and this one HTML file.
HTML_NAME = "consultation_report.html"


@dataclass
class ReportRequest:
    """What one report rests on; every layer is only read (the maps draw styled copies)."""

    findings_layer: object  # the findings of the element check (QgsVectorLayer)
    element_layers: list
    agency_layers: list
    profile: object
    language: str
    kommuner: object = None  # polygons: one report per kommun, borders and names on the maps
    kommun_field: str = ""  # the kommun name field asked for ("" = the first known name field)
    tatorter: object = None
    region: str = ""
    regions: tuple = ()  # several regions' names (agency view): the länsstyrelser are addressed together
    rus_version: str = ""
    contact: str = ""
    basemap: str = ""  # "" = the setting BASEMAP_SETTING
    project: object = None  # the QgsProject whose reviews apply (None: no reviews but the findings')
    crs: object = None  # the maps' CRS; None = the findings' own (SWEREF 99 TM when none or in degrees)
    sources: list | None = None  # the report's data sources; None = as report_sources finds them
    element_id_field: str | None = None  # the elements' ids from this field, not "layer:fid"
    progress: tuple[float, float] = (0.0, 100.0)  # the part of the run's progress the documents take


@dataclass
class ReportFiles:
    """What was written, by final path."""

    overall: str
    agency: list[str] = field(default_factory=list)
    kommun: list[str] = field(default_factory=list)
    html: str = ""
    pages: int = 0  # of every PDF together

    @property
    def count(self) -> int:
        return 1 + len(self.agency) + len(self.kommun)


def write_report(
    request: ReportRequest, folder: str, final_folder: str, transform_context, feedback
) -> ReportFiles:
    """Read the findings and elements, build the report and write every document into ``folder``.

    Raises RusPlannerError (a bad kommun layer, nothing to report, an unwritable file) and
    Cancelled; what was written stays in ``folder`` for the caller's guard to move or remove.
    """
    r = request
    crs = r.crs if r.crs is not None else effective_crs(r.findings_layer)
    if not crs.isValid() or crs.isGeographic():
        crs = QgsCoordinateReferenceSystem("EPSG:3006")
    zones, kommun_field = None, None
    if r.kommuner is not None:
        kommun_field = name_field(r.kommuner, r.kommun_field)
        if kommun_field is None:
            raise RusPlannerError(
                tr("The kommun layer “{layer}” has no name field: choose the field that names them.").format(
                    layer=r.kommuner.name()
                )
            )
        zones = Zones(r.kommuner, kommun_field, crs, transform_context)
    findings = read_findings(r.findings_layer, feedback, zones, crs, transform_context)
    profile = r.profile
    known = {rule.id for rule in profile.agency_rules} | {n.id for n in profile.standing_notices}
    unknown = sorted({f.get("rule_id") for f in findings} - known - {None})
    unknown = [rule for rule in unknown if rule != "generic_overlap"]
    if unknown:
        feedback.pushWarning(
            tr(
                "The findings hold rules the profile “{profile}” does not have ({rules}): was the check "
                "run with another profile?"
            ).format(profile=profile.name, rules=", ".join(unknown))
        )
    project_state = ProjectState.read_from_project(r.project) if r.project else None
    if project_state is not None and len(project_state.reviews):
        ids = {display_name(layer): layer.id() for layer in r.element_layers}
        ids.update({layer.name(): layer.id() for layer in r.element_layers})
        count = apply_reviews(findings, project_state.reviews, ids)
        feedback.pushInfo(tr("Reviews from the project: {n} findings.").format(n=count))

    project = QgsProject()
    project.setCrs(crs)
    project.metadata().setTitle(tr("Consultation report"))
    texts = report_texts(r.language)
    elements, entries, extents = read_elements(
        r.element_layers,
        crs,
        transform_context,
        ELEMENT_NAME_FIELDS,
        texts,
        known={f.get("element_layer") for f in findings},
        zones=zones,
        id_field=r.element_id_field,
    )
    if not entries and not findings:
        raise RusPlannerError(tr("The element layers hold no elements and there are no findings."))

    run_layers = [(n, layer.source()) for layer in r.agency_layers for n in source_names(layer)]
    if project_state is not None:
        run_layers += [(s.name, s.source) for s in project_state.data_sources if s.role == "agency"]
    sources = r.sources
    if sources is None:
        sources = report_sources(r.element_layers, r.agency_layers, findings, profile)
    model = build_report(
        findings,
        entries,
        sources,
        profile_name=profile.name,
        plugin_version=plugin_version(),
        created=datetime.now(timezone.utc).replace(microsecond=0),
        colours=SEVERITY_COLOURS,
        language=r.language,
        region=r.region,
        rus_version=r.rus_version,
        contact=r.contact,
        unmatched_rules=unmatched_rules(profile, run_layers, findings, r.language),
        kommuner=zones.all_names() if zones is not None else (),
    )
    model.regions = tuple(r.regions)
    if project_state is not None and len(project_state.reviews):
        model.resolved = resolved_rows(findings, project_state.reviews, ids, model)
    maps = _maps(model, project, crs, transform_context, r.findings_layer, findings, r.agency_layers, profile)
    maps.elements, maps.extents = elements, {**extents, **maps.extents}
    basemap = r.basemap or str(QgsSettings().value(BASEMAP_SETTING, "") or "")
    tatort_field = r.tatorter and name_field(r.tatorter)
    background = background_layers(
        r.kommuner, kommun_field, r.tatorter, tatort_field, zones, crs, texts, basemap
    )
    if basemap and not any(isinstance(layer, QgsRasterLayer) for layer in background):
        feedback.pushWarning(
            tr("The background map “{source}” could not be opened; the maps are drawn without it.").format(
                source=safe_source(basemap)
            )
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
    return _write(model, maps, folder, final_folder, feedback, r.progress)


def _maps(
    model, project, crs, transform_context, findings_layer, findings, agency_layers, profile
) -> MapLayers:
    """The affected parts per receiving agency and the agency layers, named as the sources name them."""
    findings_maps_ = findings_maps(
        findings_layer, crs, transform_context, severity_renderer, model.texts, model.severities
    )
    named = {f.get("agency_layer") for f in findings}
    titles = {s.name: s.dataset or s.name for s in model.sources}
    agency_maps = {}
    for i, layer in enumerate(agency_layers):
        key = next((n for n in source_names(layer) if n in named), display_name(layer))
        rules = [rule for rule in profile.agency_rules if rule.matches_layer(key, layer.source())]
        field_name = next((rule.name_field for rule in rules if rule.name_field), None) or name_field(layer)
        # The legend names the interests the layer holds and the dataset ("Nationalpark (nationalparker)").
        interests = [
            f.get("rule_name") for f in findings if f.get("agency_layer") == key and f.get("rule_name")
        ]
        interests = list(dict.fromkeys(interests or [rule.name(model.language) for rule in rules]))
        title = titles.get(key, key)
        legend = f"{', '.join(interests)}\n({title})" if interests else title
        agency_maps[key] = agency_copy(layer, i, legend, field_name)
    extents = finding_extents(findings_layer, crs, transform_context)
    overview = QgsRectangle()
    overview.setMinimal()
    for box in extents.values():
        overview.combineExtentWith(box)
    return MapLayers(project, crs, [], findings_maps_, agency_maps, extents, overview)


def _write(model, maps, folder: str, final_folder: str, feedback, progress) -> ReportFiles:
    sections = model.sections
    written: dict[str, list[str]] = {"overall": [], "agency": [], "kommun": []}
    figures = {}
    pages = 0
    for number, section in enumerate(sections):
        if feedback.isCanceled():
            raise Cancelled()
        start, end = progress
        feedback.setProgress(start + (end - start) * number / (len(sections) + 1))
        doc, regions = build_document(model, section, maps, feedback)
        name = f"consultation_{section.slug}.pdf"
        export_pdf(doc, os.path.join(folder, name))
        written[section.kind].append(os.path.join(final_folder, name))
        pages += doc.page_count
        feedback.pushInfo(
            tr("Wrote {path} ({pages} pages).").format(path=written[section.kind][-1], pages=doc.page_count)
        )
        if section.kind == "overall":  # the HTML shows the overall document's figures
            # The overview is a third of a page wide: finer, so it stays sharp at 640 px.
            figures = {
                key: render_png(doc, region, dpi=150 if key == OVERVIEW else 110)
                for key, region in regions.items()
            }
    html_path = os.path.join(final_folder, HTML_NAME)
    try:
        with open(os.path.join(folder, HTML_NAME), "w", encoding="utf-8") as handle:
            handle.write(render_html(model, figures, figures.pop(OVERVIEW, None)))
    except OSError as error:
        raise RusPlannerError(
            tr("The report {path} could not be written ({reason}); nothing was written.").format(
                path=html_path, reason=error.strerror or error
            )
        ) from None
    feedback.pushInfo(tr("Wrote {path}.").format(path=html_path))
    return ReportFiles(written["overall"][0], written["agency"], written["kommun"], html_path, pages)
