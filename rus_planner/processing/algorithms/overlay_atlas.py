"""rusplanner:overlayatlas — the sector overlay as a PDF atlas, one page per municipality."""

from __future__ import annotations

from datetime import datetime, timezone

from qgis.core import (
    Qgis,
    QgsFeature,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterVectorLayer,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.errors import Cancelled, RusPlannerError
from ...core.numbers import grouped
from ...core.redact import safe_source
from ...core.report_scope import public_location
from ...i18n import current_language, speaking, tr
from ...qgis_io.atlas_layout import atlas_document, read_template
from ...qgis_io.check_read import file_date
from ...qgis_io.compat import qgs_field
from ...qgis_io.crs_checks import require_projected
from ...qgis_io.feature_writing import add_features
from ...qgis_io.layers import read_layer
from ...resources import plugin_version
from ..base import RusAlgorithm
from ..styles import sector_count_renderer

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

# Fields of the overlay that are not sector flags.
OVERLAY_FIELDS = ("fid", "sector_count", "score", "sectors")
NAME_FIELDS = ("name", "namn", "NAMN", "kommunnamn", "KOMMUNNAMN", "Name")

# Page geometry (mm), A4 landscape.
MAP_RECT = (12.0, 27.0, 196.0, 154.0)
SIDE_X = 214.0
SIDE_WIDTH = 71.0


class OverlayAtlasAlgorithm(RusAlgorithm):
    """A page per zone (municipality): the overlay map, legend, scale bar and the zone's figures."""

    OVERLAY = "OVERLAY"
    ZONES = "ZONES"
    NAME_FIELD = "NAME_FIELD"
    TEMPLATE = "TEMPLATE"
    PROFILE = "PROFILE"
    OUTPUT = "OUTPUT"
    PAGE_COUNT = "PAGE_COUNT"
    GROUP_ID = "report"

    def name(self) -> str:
        return "overlayatlas"

    def displayName(self) -> str:  # noqa: N802
        return tr("Sector overlay atlas (PDF)")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Prints the sector overlay as an atlas: one page per zone (for example each municipality "
            "of the region), with the overlay coloured by the number of sectors, the zone's boundary, "
            "a legend, a scale bar, a locator map and the zone's figures (its area and the share "
            "covered by one, two or more sectors and by each sector).\n\n"
            "Every page names the planning profile, the plugin version, the time of the run and the "
            "data sources. The atlas is a QGIS print layout atlas, so the pages look like any QGIS "
            "layout and regions can share them with each other."
        )

    def flags(self):
        # Print layouts render with QPainter on PDF devices: run in the main thread.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.OVERLAY, tr("Sector overlay"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ZONES,
                tr("Zones, one page each (e.g. municipalities)"),
                [QgsProcessing.SourceType.TypeVectorPolygon],
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.NAME_FIELD, tr("Zone name field"), parentLayerParameterName=self.ZONES, optional=True
            )
        )
        self.add_profile_parameter()
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("Atlas (PDF)"), tr("PDF files (*.pdf)"))
        )
        self.add_language_parameter(tr("Atlas language"))
        self.addParameter(
            QgsProcessingParameterFile(
                self.TEMPLATE,
                tr("Layout template (.qpt; the shipped one when empty)"),
                behavior=QgsProcessingParameterFile.Behavior.File,
                fileFilter=tr("Print layout templates (*.qpt)"),
                optional=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.PAGE_COUNT, tr("Pages")))

    def process(self, parameters, context, feedback) -> dict:
        language = self.language(parameters, context)

        from ...core.atlas import zone_figures

        overlay = self.parameterAsVectorLayer(parameters, self.OVERLAY, context)
        if overlay is None or not overlay.isValid():
            raise RusPlannerError(tr("The sector overlay could not be loaded."))
        if overlay.fields().indexOf("sector_count") < 0:
            raise RusPlannerError(
                tr(
                    "The layer “{layer}” is not a sector overlay (it has no field sector_count). Run "
                    "“Sector overlay” first."
                ).format(layer=overlay.name())
            )
        crs = overlay.crs()
        require_projected(crs)
        zones_source = self.parameterAsSource(parameters, self.ZONES, context)
        if zones_source is None:
            raise RusPlannerError(self.invalidSourceError(parameters, self.ZONES))
        name_field = self.parameterAsString(parameters, self.NAME_FIELD, context) or next(
            (f for f in NAME_FIELDS if zones_source.fields().indexOf(f) >= 0), ""
        )
        if name_field and zones_source.fields().indexOf(name_field) < 0:
            raise RusPlannerError(
                tr(
                    "The zone layer has no field “{field}” to name the pages; its fields are: {fields}. "
                    "Nothing was written."
                ).format(field=name_field, fields=", ".join(zones_source.fields().names()))
            )
        profile = self.resolve_profile(parameters, context, feedback)
        template = self.parameterAsFile(parameters, self.TEMPLATE, context) or None
        if template:
            read_template(template)  # a template that cannot be used stops the run before any work
        # Written beside the target and moved into place when complete (see processing/outputs.py).
        output, final_output = self.staged_file_output(parameters, self.OUTPUT, context)

        zones_layer = zones_source.materialize(
            QgsFeatureRequest().setDestinationCrs(crs, context.transformContext())
        )
        if zones_layer.featureCount() == 0:
            raise RusPlannerError(tr("The zone layer has no features: there is no page to print."))
        zones = read_layer(
            zones_layer,
            tr("Zones"),
            crs,
            context.transformContext(),
            attributes=(name_field,) if name_field else (),
        )
        sector_fields = [
            f.name()
            for f in overlay.fields()
            if f.name() not in OVERLAY_FIELDS and not f.name().endswith("_src") and f.isNumeric()
        ]
        wanted = ("sector_count", *sector_fields)
        pieces = read_layer(
            overlay,
            overlay.name(),
            crs,
            context.transformContext(),
            attributes=wanted,
            feedback=feedback,
        )
        figures = zone_figures(
            zones.geometries,
            pieces.geometries,
            pieces.attributes["sector_count"],
            {s: pieces.attributes[s] for s in sector_fields},
        )
        # The pages in the chosen language (Swedish by default), whatever language QGIS runs in;
        # messages stay in QGIS's.
        with speaking(language):
            names = {s.id: s.name(language) for s in profile.sectors}
            texts = {int(fid): _figures_text(fig, names) for fid, fig in zip(zones.fids.tolist(), figures)}
            labels = (
                [str(v) if v is not None else "" for v in zones.attributes[name_field]]
                if name_field
                else [str(f) for f in zones.fids.tolist()]
            )
            page_zones = _zone_layer(zones_layer, crs, dict(zip(zones.fids.tolist(), labels)), texts)

            project = QgsProject()
            project.setCrs(crs)
            project.metadata().setTitle(tr("Sector overlay atlas"))
            overlay_map = overlay.clone()

            max_count = max([f.max_count for f in figures] + [_max_count(overlay)])
            overlay_map.setRenderer(sector_count_renderer(max_count))
            overlay_map.setName(tr("Sector overlay"))
            project.addMapLayers([page_zones, overlay_map], False)

            created = datetime.now(timezone.utc).replace(microsecond=0)
            provenance = tr(
                "Generated by RUS Planner {version} with the profile “{profile}” on {time}."
            ).format(
                version=plugin_version(), profile=profile.name, time=created.strftime("%Y-%m-%d %H:%M UTC")
            )
            sources = tr("Data: {overlay} ({overlay_date}); zones: {zones} ({zones_date})").format(
                overlay=public_location(overlay.source(), tr("file {name}")),
                overlay_date=file_date(overlay.source()) or tr("date not known"),
                zones=public_location(_source_text(parameters.get(self.ZONES)), tr("file {name}"))
                or safe_source(zones_source.sourceName()),
                zones_date=file_date(_source_text(parameters.get(self.ZONES))) or tr("date not known"),
            )
            variables = {
                "rus_title": tr("Sector overlay"),
                "rus_subtitle": tr("How many of the region's sectors meet in each place"),
                "rus_figures": tr("Figures"),
                "rus_crs": tr("Coordinate system: {crs}").format(crs=crs.authid()),
                "rus_sources": sources,
                "rus_provenance": provenance,
                "rus_page": tr("Page"),
                "rus_of": tr("of"),
            }
            doc = atlas_document(
                project, page_zones, overlay_map, variables, tr("Legend"), language, template
            )
        pages = _export_atlas(doc, output, feedback, final_output)
        feedback.pushInfo(tr("Wrote {path} ({pages} pages).").format(path=final_output, pages=pages))
        return {self.OUTPUT: final_output, self.PAGE_COUNT: pages}


def _source_text(value) -> str:

    if isinstance(value, QgsMapLayer):
        return value.source()
    return str(value or "")


def _max_count(layer) -> int:
    index = layer.fields().indexOf("sector_count")
    value = layer.maximumValue(index)
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _figures_text(figures, sector_names: dict) -> str:
    """The zone's figures as the page prints them (km², shares of the zone)."""
    lines = [tr("Area: {area} km²").format(area=grouped(figures.area_m2 / 1e6, 0, current_language()))]
    for k, share in enumerate(figures.at_least, start=1):
        lines.append(tr("At least {n} sector(s): {share} %").format(n=k, share=f"{100 * share:.0f}"))
    if figures.per_sector:
        lines.append("")
        lines.append(tr("Share of the zone per sector:"))
        for sector, share in sorted(figures.per_sector.items(), key=lambda item: -item[1]):
            lines.append(f"{sector_names.get(sector, sector)}: {100 * share:.0f} %")
    return "\n".join(lines)


def _zone_layer(source_layer, crs, labels: dict, texts: dict):
    """The zones as the atlas coverage: a memory copy with the page's name and figures."""

    layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}", tr("Zones"), "memory")
    layer.dataProvider().addAttributes(
        [
            qgs_field("source_fid", QMetaType.Type.LongLong),
            qgs_field("zone_name", QMetaType.Type.QString),
            qgs_field("figures", QMetaType.Type.QString),
        ]
    )
    layer.updateFields()
    features = []
    for feature in source_layer.getFeatures():
        if feature.id() not in labels:
            continue  # no usable geometry (read_layer skipped it)
        copy = QgsFeature(layer.fields())
        copy.setGeometry(feature.geometry())
        copy.setAttributes([feature.id(), labels[feature.id()], texts.get(feature.id(), "")])
        features.append(copy)
    add_features(layer.dataProvider(), features, layer.name())
    layer.updateExtents()
    layer.setRenderer(_zone_renderer())
    return layer


def _zone_renderer():
    """The page's zone outlined strongly; the neighbours veiled so the page's zone stands out."""

    root = QgsRuleBasedRenderer.Rule(None)
    current = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "outline_color": "31,58,95,255", "outline_width": "0.9"}
    )
    others = QgsFillSymbol.createSimple(
        {"color": "255,255,255,150", "outline_color": "110,110,110,255", "outline_width": "0.25"}
    )
    root.appendChild(QgsRuleBasedRenderer.Rule(current, 0, 0, "$id = @atlas_featureid", tr("This zone")))
    other = QgsRuleBasedRenderer.Rule(others, 0, 0, "", tr("Other zones"))
    other.setIsElse(True)
    root.appendChild(other)
    return QgsRuleBasedRenderer(root)


def _export_atlas(doc, path: str, feedback, final_path: str = "") -> int:

    atlas = doc.layout.atlas()
    atlas.updateFeatures()
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 150
    settings.rasterizeWholeImage = False
    settings.exportMetadata = True
    settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
    result, error = QgsLayoutExporter.exportToPdf(atlas, path, settings, feedback)
    if result == QgsLayoutExporter.ExportResult.Canceled or feedback.isCanceled():
        raise Cancelled()
    if result != QgsLayoutExporter.ExportResult.Success:
        raise RusPlannerError(
            tr("The atlas “{path}” could not be written ({reason}).").format(
                path=final_path or path, reason=error or result
            )
        )
    return atlas.count()
