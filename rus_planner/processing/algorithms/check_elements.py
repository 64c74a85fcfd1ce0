"""rusplanner:checkelements — RUS elements against agency layers, with severity, distances and shares."""

from __future__ import annotations

from qgis.core import (
    QgsFields,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.compat import qgs_field
from ...i18n import tr
from ..base import RusAlgorithm
from ..styles import SeverityStyler

# Severity colours: A red, B orange, C yellow, D grey (unknown is not "green").
_FIELD_TYPES = {"str": QMetaType.Type.QString, "int": QMetaType.Type.LongLong, "float": QMetaType.Type.Double}
_KIND_TYPES = {
    "point": QgsWkbTypes.Type.MultiPoint,
    "line": QgsWkbTypes.Type.MultiLineString,
    "polygon": QgsWkbTypes.Type.MultiPolygon,
}

# Processing keeps only a weak hold on post-processors: keep them alive here.
_post_processors: list = []


class CheckElementsAlgorithm(RusAlgorithm):
    """Checks nodes, corridors and areas against agency layers; failing layers give class D."""

    ELEMENTS = "ELEMENTS"
    AGENCY_LAYERS = "AGENCY_LAYERS"
    PROFILE = "PROFILE"
    TARGET_CRS = "TARGET_CRS"
    LANGUAGE = "LANGUAGE"
    OUTPUT = "OUTPUT"
    SUMMARY = "SUMMARY"
    GROUP_ID = "check"

    def name(self) -> str:
        return "checkelements"

    def displayName(self) -> str:  # noqa: N802
        return tr("Check elements against agency layers")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Weighs every RUS element (nodes, corridors, areas) against the agency layers "
            "(riksintressen, protected nature, risks, total defence...). Each element × agency feature × "
            "rule gives one finding with its severity (A strong protection overlapped, B riksintresse "
            "overlapped, C within a distance or zone of influence, D could not be checked), the agency, "
            "the legal basis, advice, the overlap area or length, the shares of the element and of the "
            "agency feature affected, the distance and the data source.\n\n"
            "Overlap means a common interior: areas that only touch along an edge do not overlap; a node "
            "on a boundary does. A proximity finding is left out where the same pair already overlaps "
            "under another rule of the layer.\n\n"
            "Without a profile the default Swedish profile's rules are matched by layer name; a layer "
            "that matches no rule is checked for overlap with severity B. An agency layer that cannot be "
            "read completely (invalid, no CRS, unreachable service, time-out, a service that answers with "
            "an error, a broken or empty answer or fewer features than it reports, no features at all, only "
            "empty geometries) gives class D findings for every element, with the reason, and a warning: "
            "it is never shown as “no conflict”. So does a rule whose filter is not a valid expression, "
            "names a field the layer lacks or picks none of its features. A layer given twice is checked "
            "once. The log ends with the count of agency layers not checked.\n\n"
            "The summary has one row per element: the worst class, counts per class, the agencies "
            "involved and the agency layers not checked, with the reason."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
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
                tr("Agency layers"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
            )
        )
        self.add_profile_parameter()
        self.add_target_crs_parameter()
        self.add_language_parameter(
            tr("Language of the findings (rule names, advice, element types)"), optional=True
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Findings"), type=QgsProcessing.SourceType.TypeVectorAnyGeometry
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.SUMMARY, tr("Summary per element"), type=QgsProcessing.SourceType.TypeVectorAnyGeometry
            )
        )

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """Like the default, except that agency layers which do not load are accepted.

        Processing would refuse the whole run (or, later, silently drop the layer); here a
        failing agency layer must become class D findings, so only an empty list is refused.
        """
        for definition in self.parameterDefinitions():
            value = parameters.get(definition.name())
            if definition.name() == self.AGENCY_LAYERS:
                if not _raw_layer_values(value):
                    return False, tr("Choose at least one agency layer.")
                continue
            if value is None:
                value = definition.defaultValue()
            if not definition.checkValueIsAcceptable(value, context):
                return False, tr("Incorrect parameter value for {name}").format(name=definition.name())
        return True, ""

    def process(self, parameters, context, feedback) -> dict:

        from ...core.check import (
            FINDING_FIELDS,
            SUMMARY_FIELDS,
            check_elements,
            prepare_agency_layers,
            prepare_elements,
        )
        from ...core.layers import write_features

        target_crs = self.target_crs(parameters, context)
        profile = self.resolve_profile(parameters, context, feedback)
        language = self.language(parameters, context)

        element_refs = [_layer_ref(v, context) for v in _raw_layer_values(parameters.get(self.ELEMENTS))]
        agency_refs = [_layer_ref(v, context) for v in _raw_layer_values(parameters.get(self.AGENCY_LAYERS))]
        if not element_refs:
            raise QgsProcessingException(tr("Choose at least one layer of RUS elements."))

        elements, messages = prepare_elements(
            element_refs,
            profile,
            target_crs,
            context.transformContext(),
            language=language,
            feedback=feedback,
        )
        for message in messages:  # repaired, skipped, repeated ids: as for the agency layers
            feedback.pushWarning(message)
        if not len(elements):
            feedback.pushWarning(tr("The element layers hold no usable geometries; nothing was checked."))
        feedback.pushInfo(tr("{n} elements read.").format(n=len(elements)))

        # Files GDAL reads are read during the check, each in the thread that then measures it.
        layers, warnings = prepare_agency_layers(
            agency_refs,
            profile,
            target_crs,
            context.transformContext(),
            feedback=feedback,
            elements=elements,
            defer_bulk=True,
        )
        for warning in warnings:
            feedback.pushWarning(warning)
        kinds = _kinds(elements.geometries)
        mixed = len(kinds) > 1

        def sink_type(name: str):
            """One kind: Multi<kind>. Mixed kinds: a generic geometry column for files (QGIS reads it
            back with its CRS, one sub-layer per geometry type); collections only in memory, the one
            place a generic type cannot live (QGIS 3.22 reads a GeoPackage of collections without CRS)."""
            if not mixed:
                return _KIND_TYPES[next(iter(kinds))] if kinds else QgsWkbTypes.Type.MultiPolygon
            return (
                QgsWkbTypes.Type.GeometryCollection
                if _is_memory(self, parameters, name, context)
                else QgsWkbTypes.Type.Unknown
            )

        output_type, summary_type = sink_type(self.OUTPUT), sink_type(self.SUMMARY)
        if mixed and QgsWkbTypes.Type.GeometryCollection in (output_type, summary_type):
            feedback.pushWarning(
                tr(
                    "The elements are of several kinds (nodes, corridors, areas), so the findings are "
                    "stored as geometry collections, which QGIS does not draw. Run the check once per "
                    "element kind to get layers you can see on the map."
                )
            )
        elif mixed:
            feedback.pushWarning(
                tr(
                    "The elements are of several kinds (nodes, corridors, areas): the findings file holds "
                    "points, lines and polygons, and QGIS offers one layer per geometry type when you add it."
                )
            )

        result = check_elements(elements, layers, language=language, feedback=feedback)
        for warning in result.warnings:
            feedback.pushWarning(warning)

        # The sinks are made only once the check has run, so a cancelled run leaves no file behind.
        sink, output_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, _fields(FINDING_FIELDS), output_type, target_crs
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        write_features(sink, _conform(result.finding_geometries, output_type), result.rows, feedback)
        summary_sink, summary_id = self.parameterAsSink(
            parameters, self.SUMMARY, context, _fields(SUMMARY_FIELDS), summary_type, target_crs
        )
        if summary_sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.SUMMARY))
        write_features(
            summary_sink,
            _conform(result.summary_geometries, summary_type),
            result.summary_rows(),
            feedback,
        )

        severity = [name for name, _ in FINDING_FIELDS].index("severity")
        counts = {s: sum(row[severity] == s for row in result.rows) for s in "ABCD"}
        feedback.pushInfo(
            tr("{n} findings: {a} A, {b} B, {c} C, {d} D.").format(
                n=result.finding_count, a=counts["A"], b=counts["B"], c=counts["C"], d=counts["D"]
            )
        )
        for output_key, layer_id in ((self.OUTPUT, output_id), (self.SUMMARY, summary_id)):
            if context.willLoadLayerOnCompletion(layer_id):
                styler = SeverityStyler("severity" if output_key == self.OUTPUT else "worst_class")
                _post_processors.append(styler)
                context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(styler)
        # The log's last line: a layer that could not be checked must not hide among the warnings.
        (feedback.pushWarning if result.not_checked else feedback.pushInfo)(result.not_checked_line())
        return {self.OUTPUT: output_id, self.SUMMARY: summary_id}


def _raw_layer_values(value) -> list:
    """The entries of a multiple-layers value as given (layers, definitions or source texts)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and v != ""]
    if isinstance(value, str):
        return [v for v in value.split(";") if v] if value else []
    return [value]


def _layer_ref(value, context):
    """Resolve one entry to a LayerRef; a layer that does not load is kept, with the reason."""
    from ...core.check import LayerRef, file_date
    from ...core.completeness import invalid_service_reason
    from ...core.naming import display_name
    from ...core.redact import safe_source

    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        value = value.source.staticValue()
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    layer = value if isinstance(value, QgsMapLayer) else None
    text = "" if layer is not None else str(value)
    if layer is None and text:
        try:
            layer = QgsProcessingUtils.mapLayerFromString(text, context)
        except Exception:  # noqa: BLE001 - a provider that throws is one more failing layer
            layer = None
    if layer is not None and layer.type() == QgsMapLayer.LayerType.VectorLayer and layer.isValid():
        source = layer.source()
        aliases = _source_names(layer.providerType(), source)
        name = safe_source(display_name(layer.name(), source))  # names reach findings and messages
        return LayerRef(name, source, layer, None, file_date(source), aliases)
    names = _source_names(*_provider_and_uri(text)) if text else ()
    name = safe_source(layer.name() if layer is not None else (names[0] if names else text))
    if layer is not None and layer.type() != QgsMapLayer.LayerType.VectorLayer:
        reason = tr("it is not a vector layer")
    elif layer is not None:
        error = layer.error()
        # QgsError.summary() crashes QGIS 3.22 on an empty error: ask first.
        error = "" if error.isEmpty() else error.summary()
        reason = tr("the layer is not valid{detail}").format(
            detail=f" ({safe_source(error)})" if error else ""
        )
        text = layer.source()
        # A web service that failed QGIS's first request: what it answers says more.
        reason = invalid_service_reason(layer.providerType(), text) or reason
    else:
        reason = tr("the source could not be opened (missing file, unreachable server or wrong address)")
        if text:
            reason = invalid_service_reason(*_provider_and_uri(text)) or reason
    return LayerRef(name, text, None, reason, None, names)


def _provider_and_uri(text: str) -> tuple[str, str]:
    ok, provider, uri = QgsProcessingUtils.decodeProviderKeyAndUri(text)
    return (provider, uri) if ok else ("ogr", text)


def _source_names(provider: str, uri: str) -> tuple[str, ...]:
    """Names a source carries besides the layer name (sub-layer, table, feature type, file)."""
    import os
    import re

    parts = QgsProviderRegistry.instance().decodeUri(provider, uri) or {}
    names = [parts.get(key) for key in ("layerName", "table", "typename")]
    match = re.search(r"typename=['\"]?([^'\"\s&]+)", uri, re.IGNORECASE)
    if match:
        names.append(match.group(1).split(":")[-1])
    path = parts.get("path")
    if path:
        names.append(os.path.splitext(os.path.basename(path))[0])
    return tuple(dict.fromkeys(n for n in names if n))


def _is_memory(algorithm, parameters, name: str, context) -> bool:
    """True when an output goes to a temporary (memory) layer rather than a file or database."""
    destination = algorithm.parameterAsOutputLayer(parameters, name, context) or ""
    return destination in ("", QgsProcessing.TEMPORARY_OUTPUT) or destination.startswith("memory:")


def _kinds(geometries) -> set[str]:
    """The kinds (point, line, polygon) among the geometries."""
    import numpy as np
    import shapely

    dimensions = np.unique(shapely.get_dimensions(geometries)) if len(geometries) else []
    return {("point", "line", "polygon")[max(0, int(d))] for d in dimensions}


def _conform(geometries, wkb_type):
    """Promote every geometry to the sink's one type (multi-part, or a collection for mixed kinds)."""
    import numpy as np
    import shapely

    if not len(geometries):
        return geometries
    out = np.asarray(geometries, dtype=object).copy()
    type_ids = shapely.get_type_id(out)
    if wkb_type == QgsWkbTypes.Type.GeometryCollection:
        wrap = {
            0: shapely.geometrycollections,
            1: shapely.geometrycollections,
            3: shapely.geometrycollections,
        }
        wrap.update(
            {4: shapely.geometrycollections, 5: shapely.geometrycollections, 6: shapely.geometrycollections}
        )
    else:
        wrap = {0: shapely.multipoints, 1: shapely.multilinestrings, 3: shapely.multipolygons}
    for type_id, make in wrap.items():
        mask = type_ids == type_id
        if mask.any():
            out[mask] = make(out[mask], indices=np.arange(int(mask.sum())))
    return out


def _fields(spec) -> QgsFields:
    fields = QgsFields()
    for name, kind in spec:
        fields.append(qgs_field(name, _FIELD_TYPES[kind]))
    return fields
