"""rusplanner:checkelements — RUS elements against agency layers, with severity, distances and shares."""

from __future__ import annotations

from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterMultipleLayers,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.check_model import FINDING_FIELDS, SUMMARY_FIELDS
from ...core.finding_nature import NATURES, mode_label
from ...core.vocabulary import SEVERITIES
from ...i18n import tr
from ...qgis_io.check_postgis import AUTOMATIC, LOCALLY
from ...qgis_io.check_postgis import IN_DATABASE as DATABASE
from ...qgis_io.check_run import CheckOptions, layer_ref, raw_layer_values, run_check
from ...qgis_io.compat import qgs_field
from ...qgis_io.feature_writing import write_features
from ..base import RusAlgorithm
from ..styles import SeverityStyler

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

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
    IN_DATABASE = "IN_DATABASE"
    OUTPUT = "OUTPUT"
    SUMMARY = "SUMMARY"
    GROUP_ID = "check"

    def name(self) -> str:
        return "checkelements"

    def displayName(self) -> str:  # noqa: N802
        return tr("Check elements against agency layers")

    def shortHelpString(self) -> str:  # noqa: N802
        return (
            tr(
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
                "Each finding also has a nature: a conflict, an agreement (the element supports the interest, "
                "e.g. a visitor-economy area at a national park) or information (e.g. an element that exists "
                "already); the profile says which per rule and element type, theme or category, and the advice "
                "follows the nature. An element's own fields status (befintlig/planerad/utredning), tema, "
                "kategori and skala (e.g. 1:250 000) are read where present: an element drawn at a small scale "
                "has a tolerance (1 mm on the map), and an overlap or gap within it is “near”, class C.\n\n"
                "The summary has one row per element: the worst class, counts per class and nature, the "
                "agencies involved and the agency layers not checked, with the reason."
            )
            + "\n\n"
            + tr(
                "Where the check runs: when the elements and all agency layers are tables of one PostGIS "
                "database, the database finds and measures the pairs with its spatial indexes (automatic); "
                "the findings are the same as from the check in QGIS."
            )
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_elements_parameter()
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
        where = QgsProcessingParameterEnum(
            self.IN_DATABASE,
            tr("Where the check runs"),
            options=[
                tr("Automatic (in the PostGIS database when all layers are in one)"),
                tr("In the PostGIS database"),
                tr("In QGIS"),
            ],
            defaultValue=0,
            optional=True,
        )
        where.setFlags(where.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(where)
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
                if not raw_layer_values(value):
                    return False, tr("Choose at least one agency layer.")
                continue
            if value is None:
                value = definition.defaultValue()
            if not definition.checkValueIsAcceptable(value, context):
                return False, tr("Incorrect parameter value for {name}").format(name=definition.name())
        return True, ""

    def process(self, parameters, context, feedback) -> dict:

        target_crs = self.target_crs(parameters, context)
        profile = self.resolve_profile(parameters, context, feedback)
        where = (AUTOMATIC, DATABASE, LOCALLY)[self.parameterAsEnum(parameters, self.IN_DATABASE, context)]
        options = CheckOptions(language=self.language(parameters, context), in_database=where)

        element_refs = [layer_ref(v, context) for v in raw_layer_values(parameters.get(self.ELEMENTS))]
        agency_refs = [layer_ref(v, context) for v in raw_layer_values(parameters.get(self.AGENCY_LAYERS))]
        if not element_refs:
            raise QgsProcessingException(tr("Choose at least one layer of RUS elements."))

        types = {}

        def choose_sink_types(elements) -> None:
            """One kind: Multi<kind>. Mixed kinds: a generic geometry column for files (QGIS reads it
            back with its CRS, one sub-layer per geometry type); collections only in memory, the one
            place a generic type cannot live (QGIS 3.22 reads a GeoPackage of collections without CRS)."""
            kinds = _kinds(elements.geometries)
            mixed = len(kinds) > 1
            for name in (self.OUTPUT, self.SUMMARY):
                if not mixed:
                    types[name] = _KIND_TYPES[next(iter(kinds))] if kinds else QgsWkbTypes.Type.MultiPolygon
                elif _is_memory(self, parameters, name, context):
                    types[name] = QgsWkbTypes.Type.GeometryCollection
                else:
                    types[name] = QgsWkbTypes.Type.Unknown
            if mixed and QgsWkbTypes.Type.GeometryCollection in types.values():
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

        run = run_check(
            element_refs,
            agency_refs,
            profile,
            target_crs,
            context.transformContext(),
            options,
            feedback=feedback,
            before_check=choose_sink_types,
        )
        result = run.result
        output_type, summary_type = types[self.OUTPUT], types[self.SUMMARY]

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
        counts = {s: sum(row[severity] == s for row in result.rows) for s in SEVERITIES}
        feedback.pushInfo(
            tr("{n} findings: {a} A, {b} B, {c} C, {d} D.").format(
                n=result.finding_count, a=counts["A"], b=counts["B"], c=counts["C"], d=counts["D"]
            )
        )
        nature = [name for name, _ in FINDING_FIELDS].index("nature")
        natures = {n: sum(row[nature] == n for row in result.rows) for n in NATURES}
        feedback.pushInfo(
            tr(
                "Of the checked findings: {conflict} conflicts, {agreement} agreements, {information} for information."
            ).format(**natures)
        )
        feedback.pushInfo(mode_label(profile.mode, tr))
        for output_key, layer_id in ((self.OUTPUT, output_id), (self.SUMMARY, summary_id)):
            if context.willLoadLayerOnCompletion(layer_id):
                styler = SeverityStyler("severity" if output_key == self.OUTPUT else "worst_class")
                _post_processors.append(styler)
                context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(styler)
        # The log's last line: a layer that could not be checked must not hide among the warnings.
        (feedback.pushWarning if result.not_checked else feedback.pushInfo)(result.not_checked_line())
        return {self.OUTPUT: output_id, self.SUMMARY: summary_id}


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
