"""rusplanner:comparedrafts — two RUS drafts compared by their findings: new, removed, changed, with the reviews carried."""

from __future__ import annotations

from qgis.core import (
    QgsFeatureRequest,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterMultipleLayers,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.check_model import FINDING_FIELDS
from ...core.draft_compare import COMPARISON_FIELDS, compare_findings
from ...core.reviews import ReviewBook, review_columns
from ...core.vocabulary import REVIEW_FIELDS
from ...i18n import tr
from ...qgis_io.check_run import CheckOptions, layer_ref, raw_layer_values, run_check
from ...qgis_io.compat import qgs_field
from ...qgis_io.feature_writing import write_features
from ...qgis_io.project_state import ProjectState
from ..base import RusAlgorithm

_FIELD_TYPES = {"str": QMetaType.Type.QString, "int": QMetaType.Type.LongLong, "float": QMetaType.Type.Double}
# What marks a layer as saved findings (a checkelements output) rather than elements to check.
_FINDINGS_MARKERS = ("rule_id", "severity", "element_id")


class CompareDraftsAlgorithm(RusAlgorithm):
    """New, removed and changed findings between two drafts (element layers or saved findings)."""

    OLD = "OLD"
    NEW = "NEW"
    AGENCY_LAYERS = "AGENCY_LAYERS"
    CARRY_REVIEWS = "CARRY_REVIEWS"
    OUTPUT = "OUTPUT"
    GROUP_ID = "check"

    def name(self) -> str:
        return "comparedrafts"

    def displayName(self) -> str:  # noqa: N802
        return tr("Compare two RUS drafts")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Compares two drafts of the RUS (e.g. the samrådsversion and the utställningsversion) by their "
            "findings against the agency layers: each finding is new, removed, changed (class, nature, "
            "relation, overlap or distance) or unchanged.\n\n"
            "Each draft is either its element layers, which are checked here against the agency layers, or "
            "findings saved from an earlier check (a layer with rule_id and severity). Findings are matched "
            "by the element's name (its feature id where it has none), the rule and the agency's own id of "
            "the feature, so elements in new files are still recognised.\n\n"
            "The positions recorded on the old draft's findings are carried to the new draft's: they are "
            "written in the table and, when “Carry the reviews” is on, recorded in the project."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        for name, label in (
            (self.OLD, tr("Old draft: element layers or saved findings")),
            (self.NEW, tr("New draft: element layers or saved findings")),
        ):
            self.addParameter(
                QgsProcessingParameterMultipleLayers(
                    name, label, layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry
                )
            )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.AGENCY_LAYERS,
                tr("Agency layers (for drafts given as element layers)"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
                optional=True,
            )
        )
        self.add_profile_parameter()
        self.add_target_crs_parameter()
        self.add_language_parameter(tr("Language of the findings"), optional=True)
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.CARRY_REVIEWS, tr("Carry the reviews to the new draft in the project"), defaultValue=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Changes between the drafts"), type=QgsProcessing.SourceType.TypeVector
            )
        )

    def process(self, parameters, context, feedback) -> dict:
        self._carried = None
        project = context.project()
        reviews = ProjectState.read_from_project(project).reviews if project is not None else ReviewBook()
        drafts = []
        for name in (self.OLD, self.NEW):
            refs = [layer_ref(v, context) for v in raw_layer_values(parameters.get(name))]
            if not refs:
                raise QgsProcessingException(tr("Choose the layers of both drafts."))
            drafts.append(self._findings(refs, parameters, context, feedback))
            if feedback.isCanceled():
                return {}
        old, new = drafts
        comparison = compare_findings(old, new)
        fields = QgsFields()
        for name, kind in (*COMPARISON_FIELDS, *REVIEW_FIELDS):
            fields.append(qgs_field(name, _FIELD_TYPES[kind]))
        sink, output_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.NoGeometry
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        rows = []
        for row, (old_finding, _) in zip(comparison.rows, comparison.sources):
            review = review_columns(reviews.of_old_draft(old_finding)) if old_finding is not None else {}
            rows.append(
                [row[name] for name, _ in COMPARISON_FIELDS] + [review.get(n) for n, _ in REVIEW_FIELDS]
            )
        write_features(sink, [None] * len(rows), rows, feedback)
        counts = comparison.counts()
        feedback.pushInfo(
            tr(
                "Between the drafts: {new} new, {removed} removed, {changed} changed, {unchanged} unchanged."
            ).format(**counts)
        )
        if self.parameterAsBoolean(parameters, self.CARRY_REVIEWS, context) and project is not None:
            self._carried = (project, reviews.carried(comparison.pairs))
        return {self.OUTPUT: output_id}

    def postProcessAlgorithm(self, context, feedback):  # noqa: N802
        """Record the carried reviews in the project here, on the main thread."""
        if getattr(self, "_carried", None):
            project, book = self._carried
            state = ProjectState.read_from_project(project)
            if book != state.reviews:
                state.reviews = book
                state.write_to_project(project)
                feedback.pushInfo(tr("The reviews were carried to the new draft's findings in the project."))
        return {}

    def _findings(self, refs, parameters, context, feedback) -> list[dict]:
        """One draft's findings: read from saved findings layers, or checked now from its elements."""
        if all(_is_findings_layer(ref) for ref in refs):
            return [row for ref in refs for row in _saved_findings(ref)]
        agency_refs = [layer_ref(v, context) for v in raw_layer_values(parameters.get(self.AGENCY_LAYERS))]
        if not agency_refs:
            raise QgsProcessingException(
                tr("A draft given as element layers needs the agency layers to check it against.")
            )
        run = run_check(
            refs,
            agency_refs,
            self.resolve_profile(parameters, context, feedback),
            self.target_crs(parameters, context),
            context.transformContext(),
            CheckOptions(language=self.language(parameters, context)),
            feedback=feedback,
        )
        names = [name for name, _ in FINDING_FIELDS]
        layer_ids = {ref.name: _layer_id(ref) for ref in refs}
        findings = []
        for row in run.result.rows:
            finding = dict(zip(names, row))
            finding["element_layer_id"] = layer_ids.get(finding["element_layer"]) or finding["element_layer"]
            findings.append(finding)
        return findings


def _layer_id(ref) -> str | None:
    source = ref.feature_source
    return source.id() if hasattr(source, "id") else None


def _is_findings_layer(ref) -> bool:
    source = ref.feature_source
    if source is None:
        return False
    names = {field.name() for field in source.fields()}
    return all(marker in names for marker in _FINDINGS_MARKERS)


def _saved_findings(ref) -> list[dict]:
    """The rows of a saved findings layer as dicts, NULL as None."""
    source = ref.feature_source
    names = [field.name() for field in source.fields()]
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    rows = []
    for feature in source.getFeatures(request):
        values = [None if value is None or _is_null(value) else value for value in feature.attributes()]
        rows.append(dict(zip(names, values)))
    return rows


def _is_null(value) -> bool:
    return hasattr(value, "isNull") and value.isNull()
