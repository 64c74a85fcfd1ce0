"""rusplanner:sharegeopackage — one .gpkg with the layers, their styles and the QGIS project."""

from __future__ import annotations

from datetime import datetime, timezone

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsPalLayerSettings,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)

from ...core.check_model import ELEMENT_NAME_FIELDS
from ...core.errors import RusPlannerError
from ...core.redact import safe_source
from ...i18n import tr
from ...qgis_io.check_read import file_date
from ...qgis_io.crs_checks import check_crs
from ...qgis_io.layout import text_format
from ...qgis_io.report_maps import AGENCY_PALETTE, ELEMENT_COLOUR, simple_symbol
from ...qgis_io.share import (
    PackageLayer,
    extent_request,
    project_uri,
    source_names,
    split_by_kind,
    with_crs,
    write_package,
)
from ...resources import plugin_version
from ..base import RusAlgorithm

EXTRACT_NEAR, EXTRACT_USED, EXTRACT_ALL = 0, 1, 2
# Colour of sector layers in the package (agency layers use the report's palette).
SECTOR_PALETTE = ("#41ab5d", "#807dba", "#fe9929", "#4292c6", "#ce1256", "#8c6bb1", "#238b45")


class ShareGeopackageAlgorithm(RusAlgorithm):
    """Packs elements, sectors, agency extracts and results into one self-describing GeoPackage."""

    ELEMENTS = "ELEMENTS"
    SECTORS = "SECTORS"
    AGENCY_LAYERS = "AGENCY_LAYERS"
    RESULTS = "RESULTS"
    AGENCY_EXTRACT = "AGENCY_EXTRACT"
    MARGIN = "MARGIN"
    PROFILE = "PROFILE"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT = "OUTPUT"
    LAYER_COUNT = "LAYER_COUNT"
    PROJECT = "PROJECT"
    GROUP_ID = "report"

    def name(self) -> str:
        return "sharegeopackage"

    def displayName(self) -> str:  # noqa: N802
        return tr("Share as GeoPackage")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Writes one GeoPackage that an agency or another region opens in plain QGIS, without this "
            "plugin: the RUS elements, the sector layers, extracts of the agency layers and the results "
            "(findings, summaries, overlays), each with its style stored in the file, and a QGIS project "
            "stored inside the GeoPackage (Project > Open From > GeoPackage) whose layers point into the "
            "same file.\n\n"
            "Agency layers are cut down to the features near the elements (the elements' extent and a "
            "margin), to the features the findings refer to, or kept whole. The table rus_sources names "
            "every layer's origin and date, the planning profile, the plugin version and the time of the "
            "run. Keep the file name when passing the file on: the project finds its layers by it."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.ELEMENTS, tr("RUS elements"), layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SECTORS,
                tr("Sector layers"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.AGENCY_LAYERS,
                tr("Agency layers"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.RESULTS,
                tr("Results (findings, summaries, overlays)"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.AGENCY_EXTRACT,
                tr("Agency features to include"),
                options=[
                    tr("Near the elements (their extent and the margin)"),
                    tr("Only the features in the findings"),
                    tr("All features"),
                ],
                defaultValue=EXTRACT_NEAR,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MARGIN,
                tr("Margin around the elements (m)"),
                QgsProcessingParameterNumber.Type.Double,
                defaultValue=2000.0,
                minValue=0.0,
            )
        )
        self.add_profile_parameter()
        self.add_target_crs_parameter(tr("CRS of the package"))
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("GeoPackage"), tr("GeoPackage (*.gpkg)"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.LAYER_COUNT, tr("Layers in the package")))
        self.addOutput(QgsProcessingOutputString(self.PROJECT, tr("Project inside the GeoPackage")))

    def process(self, parameters, context, feedback) -> dict:

        elements = self.parameterAsLayerList(parameters, self.ELEMENTS, context)
        if not elements:
            raise RusPlannerError(tr("Choose at least one layer of RUS elements."))
        sectors = self.parameterAsLayerList(parameters, self.SECTORS, context) or []
        agencies = self.parameterAsLayerList(parameters, self.AGENCY_LAYERS, context) or []
        results = [
            with_crs(layer) for layer in self.parameterAsLayerList(parameters, self.RESULTS, context) or []
        ]
        for layer in [*elements, *sectors, *agencies, *results]:
            if not layer.isValid():
                raise RusPlannerError(
                    tr("The layer “{layer}” is not valid.").format(layer=safe_source(layer.name()))
                )
            check_crs(layer, layer.name())
        extract = self.parameterAsEnum(parameters, self.AGENCY_EXTRACT, context)
        margin = self.parameterAsDouble(parameters, self.MARGIN, context)
        crs = self.target_crs(parameters, context, self.TARGET_CRS)  # EPSG:3006 when empty; checked
        profile = self.resolve_profile(parameters, context, feedback)
        # Written beside the target and moved into place when complete (see processing/outputs.py);
        # the staged file has the target's name, so the project inside points at the right file.
        output, final_output = self.staged_file_output(parameters, self.OUTPUT, context)
        transform_context = context.transformContext()

        def item(layer, role, origin=None, **kwargs):
            source = (origin or layer).source()
            return PackageLayer(
                layer, role, origin=origin, source=safe_source(source), date=file_date(source), **kwargs
            )

        items = [item(layer, "element", **element_style(layer)) for layer in elements]
        items += [
            item(layer, "sector", renderer=_keep_or(layer, palette_renderer(layer, SECTOR_PALETTE, i)))
            for i, layer in enumerate(sectors)
        ]

        extent = QgsRectangle()
        extent.setMinimal()
        for layer in elements:
            box = QgsCoordinateTransform(layer.crs(), crs, transform_context).transformBoundingBox(
                layer.extent()
            )
            extent.combineExtentWith(box)
        extent.grow(margin)
        used = _used_features(results) if extract == EXTRACT_USED else {}
        if extract == EXTRACT_USED and not used:
            feedback.pushWarning(
                tr("No findings layer among the results: the agency layers are cut to the elements' extent.")
            )
        for i, layer in enumerate(agencies):
            renderer = _keep_or(layer, palette_renderer(layer, AGENCY_PALETTE, i))
            if extract == EXTRACT_ALL:
                request, words = None, tr("All features.")
            elif extract == EXTRACT_USED and used:
                fids = set().union(*(used.get(n, set()) for n in source_names(layer)))
                request = QgsFeatureRequest().setFilterFids(sorted(fids))
                words = tr("Only the {n} features the findings refer to.").format(n=len(fids))
            else:
                request = extent_request(extent)
                words = tr("Features within {m} m of the elements' extent.").format(m=f"{margin:.0f}")
            items.append(item(layer, "agency", request=request, renderer=renderer, extract=words))
        for layer in results:
            parts = split_by_kind(layer)
            for part in parts:
                origin = layer if part is not layer else None
                items.append(item(part, "result", origin=origin, renderer=result_renderer(part)))

        created = datetime.now(timezone.utc).replace(microsecond=0)
        provenance = {
            "profile": profile.name,
            "plugin_version": plugin_version(),
            "created": created.isoformat(),
        }
        abstract = tr(
            "Made with RUS Planner {version} and the planning profile “{profile}” on {time}. The table "
            "rus_sources names the origin and date of every layer."
        ).format(
            version=provenance["plugin_version"],
            profile=profile.name,
            time=created.strftime("%Y-%m-%d %H:%M UTC"),
        )
        tables = write_package(
            output,
            items,
            crs,
            transform_context,
            title=tr("RUS Planner package"),
            abstract=abstract,
            provenance=provenance,
            group_names={
                "element": tr("RUS elements"),
                "sector": tr("Sectors"),
                "agency": tr("Agency data"),
                "result": tr("Results"),
            },
            feedback=feedback,
        )
        feedback.pushInfo(
            tr("Wrote {path}: {n} layers and the project “{project}”.").format(
                path=final_output, n=len(tables), project=project_uri(final_output)
            )
        )
        return {
            self.OUTPUT: final_output,
            self.LAYER_COUNT: len(tables),
            self.PROJECT: project_uri(final_output),
        }


def _kind(layer) -> str:
    return {
        QgsWkbTypes.GeometryType.PointGeometry: "point",
        QgsWkbTypes.GeometryType.LineGeometry: "line",
    }.get(layer.geometryType(), "polygon")


def _keep_or(layer, renderer):
    """The user's own style when it is more than a single symbol, else ours."""
    own = layer.renderer()
    if own is not None and own.type() != "singleSymbol":
        return None
    return renderer


def element_style(layer) -> dict:
    """Elements in the report's dark blue with their names, unless the user styled them."""

    kind = _kind(layer)
    # Filled (points) or lightly tinted (areas): a package has no "element shown" to ring.
    symbol = simple_symbol(kind, ELEMENT_COLOUR, strong=kind != "point", fill_alpha=50)
    renderer = _keep_or(layer, QgsSingleSymbolRenderer(symbol))
    name_field = next((f for f in ELEMENT_NAME_FIELDS if layer.fields().indexOf(f) >= 0), None)
    labeling = None
    if name_field and renderer is not None:
        settings = QgsPalLayerSettings()
        settings.fieldName = name_field
        settings.setFormat(text_format(8, bold=True, colour=ELEMENT_COLOUR))
        labeling = QgsVectorLayerSimpleLabeling(settings)
    return {"renderer": renderer, "labeling": labeling}


def palette_renderer(layer, palette, index: int):

    colour = palette[index % len(palette)]
    return QgsSingleSymbolRenderer(simple_symbol(_kind(layer), colour, strong=False, fill_alpha=90))


def result_renderer(layer):
    """Findings and summaries by class, overlays by sector count; other results keep their style.

    Layers of geometry collections are split by kind before (``split_by_kind``): QGIS
    gives a collection layer no symbology at all.
    """
    names = layer.fields().names()
    if "severity" in names or "worst_class" in names:
        from ..styles import severity_renderer

        return severity_renderer(layer, "severity" if "severity" in names else "worst_class")
    if "sector_count" in names:
        from ..styles import sector_count_renderer

        value = layer.maximumValue(layer.fields().indexOf("sector_count"))
        return sector_count_renderer(int(value) if value is not None and str(value) != "NULL" else 0)
    return None


def _used_features(results) -> dict:
    """Agency layer name → feature ids the findings refer to (from every findings layer given)."""
    used: dict = {}
    for layer in results:
        names = layer.fields().names()
        if "agency_layer" not in names or "feature_fid" not in names:
            continue
        for feature in layer.getFeatures():
            name, fid = feature["agency_layer"], feature["feature_fid"]
            if name is None or fid is None or str(fid) == "NULL" or str(name) == "NULL":
                continue
            used.setdefault(str(name), set()).add(int(fid))
    return used
