"""What every RUS Planner algorithm shares: translation, icon, dependency guard, errors."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
)
from qgis.PyQt.QtGui import QIcon

from ..core.errors import Cancelled, RusPlannerError
from ..core.profile import DEFAULT_TARGET_CRS
from ..core.profile_load import load_default_profile, load_profile
from ..core.redact import safe_source
from ..dependencies import ANALYSIS, install_hint, missing_requirements
from ..i18n import tr
from ..qgis_io.crs_checks import require_projected
from ..qgis_io.project_state import project_profile
from ..resources import icon_path
from .outputs import OutputGuard

# LANGUAGE's options, in order: the profile's and the reports' texts in Swedish or in English.
LANGUAGE_CODES = ("sv", "en")


class RusAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses set name/display name/group and implement process()."""

    GROUP_ID = ""
    #: The Python modules (dependencies.REQUIREMENTS) this algorithm imports when it runs.
    REQUIRES: tuple[str, ...] = ANALYSIS

    def tr(self, text: str) -> str:  # noqa: D102 - Processing expects a tr method
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def icon(self) -> QIcon:
        return QIcon(icon_path())

    def groupId(self) -> str:  # noqa: N802
        return self.GROUP_ID

    def group(self) -> str:
        return group_name(self.GROUP_ID)

    def add_profile_parameter(self, description: str | None = None, advanced: bool = False) -> None:
        """The optional PROFILE file every profile-driven algorithm takes, described alike."""

        parameter = QgsProcessingParameterFile(
            "PROFILE",
            description or tr("Planning profile (YAML)"),
            behavior=QgsProcessingParameterFile.Behavior.File,
            fileFilter=tr("Planning profiles (*.yaml *.yml)"),
            optional=True,
        )
        self.addParameter(_advanced(parameter) if advanced else parameter)

    def add_elements_parameter(self) -> None:
        """ELEMENTS: the RUS elements' layers (nodes, corridors, areas), described alike everywhere."""

        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                "ELEMENTS",
                tr("RUS elements (nodes, corridors, areas)"),
                layerType=QgsProcessing.SourceType.TypeVectorAnyGeometry,
            )
        )

    def add_study_area_parameter(self, name: str) -> None:
        """The optional study area (polygons) the overlays clip to."""

        self.addParameter(
            QgsProcessingParameterFeatureSource(
                name, tr("Study area"), [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
            )
        )

    def add_target_crs_parameter(self, description: str | None = None) -> None:
        """TARGET_CRS: optional, EPSG:3006 by default (see target_crs for why optional)."""

        self.addParameter(
            QgsProcessingParameterCrs(
                "TARGET_CRS", description or tr("Target CRS"), DEFAULT_TARGET_CRS, optional=True
            )
        )

    def add_language_parameter(
        self, description: str, optional: bool = False, advanced: bool = False
    ) -> None:
        """LANGUAGE: 0 Svenska (the default), 1 English; see language()."""

        parameter = QgsProcessingParameterEnum(
            "LANGUAGE", description, options=["Svenska", "English"], defaultValue=0, optional=optional
        )
        self.addParameter(_advanced(parameter) if advanced else parameter)

    def language(self, parameters, context) -> str:
        """The language code ("sv" or "en") chosen with LANGUAGE."""
        return LANGUAGE_CODES[self.parameterAsEnum(parameters, "LANGUAGE", context)]

    def target_crs(self, parameters, context, name: str = "TARGET_CRS"):
        """The target CRS; SWEREF 99 TM when left empty, and never one in degrees or one that
        distorts areas or lengths in Sweden by more than 1 % (layers.require_projected).

        The parameter is optional with EPSG:3006 as its default, because qgis_process (3.22)
        rejects a missing CRS value instead of applying the default. Raises LayerError.
        """

        crs = self.parameterAsCrs(parameters, name, context)
        if not crs.isValid() and not parameters.get(name):
            crs = QgsCoordinateReferenceSystem(DEFAULT_TARGET_CRS)
        require_projected(crs)
        return crs

    def canExecute(self):  # noqa: N802
        """Refuse to run, with the exact install instruction, when a package is missing."""
        missing = missing_requirements(self.REQUIRES)
        if missing:
            return False, install_hint(missing)
        return True, ""

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """QGIS's own check, its message without credentials: it quotes a source it cannot load."""

        ok, message = super().checkParameterValues(parameters, context)
        return ok, safe_source(message)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802

        ok, message = self.canExecute()
        if not ok:
            raise QgsProcessingException(message)
        # Outputs are written beside their targets and moved into place only when the run is
        # complete; an output that is an input is refused before anything is written.
        self._outputs = guard = OutputGuard(self, parameters, context, feedback)
        try:
            guard.check()
            results = self.process(parameters, context, feedback)
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            return guard.commit(results)
        except (RusPlannerError, QgsProcessingException) as exc:  # Cancelled too
            guard.discard()
            # After a refusal there is nothing to add; after a cancel or a failure, what stayed as it was.
            outputs = guard.unchanged_outputs() if guard.checked else []
            kept = [tr("The existing {path} is unchanged.").format(path=p) for p in outputs]
            # QGIS's invalidSourceError() quotes the parameter's source as given, password and all.
            raise QgsProcessingException(safe_source(" ".join([str(exc), *kept]))) from None
        finally:
            guard.discard()  # anything else (a bug): still nothing half-written left behind

    def parameterAsSink(self, parameters, name, context, fields, *args, **kwargs):  # noqa: N802
        """Processing's sink, written beside the target until the run is complete (see
        processing/outputs.py), with field names unique regardless of case and every write checked."""
        guard = getattr(self, "_outputs", None)
        if guard is None:
            return super().parameterAsSink(parameters, name, context, fields, *args, **kwargs)

        def create(staged_parameters, unique_fields):
            return super(RusAlgorithm, self).parameterAsSink(
                staged_parameters, name, context, unique_fields, *args, **kwargs
            )

        return guard.sink(parameters, name, fields, create)

    def staged_file_output(self, parameters, name: str, context) -> tuple[str, str]:
        """(where to write, the final path) of a file destination: written beside, moved at the end."""
        return self._outputs.file_output(name)

    def staged_folder_output(self, parameters, name: str, context) -> tuple[str, str]:
        """(where to write, the final folder) of a folder destination: written beside, moved at the end."""
        return self._outputs.folder_output(name)

    def resolve_profile(
        self, parameters, context, feedback=None, name: str = "PROFILE", default: bool = True
    ):
        """The planning profile for this run: the PROFILE file when given, else the profile
        stored in the project (``qgis_process run ... --PROJECT_PATH=x.qgz`` too), else the
        shipped default (or None when ``default`` is False: "no profile" has a meaning of
        its own in some algorithms). Raises ProfileError (a RusPlannerError) with every problem.
        """

        path = self.parameterAsFile(parameters, name, context) if name in parameters else ""
        if path:
            profile = load_profile(path)
            origin = path
        else:
            profile = project_profile(context.project())
            origin = tr("stored in the project")
            if profile is None:
                if not default:
                    return None
                profile = load_default_profile()
                origin = tr("the default profile")
        if feedback is not None:
            feedback.pushInfo(tr("Profile: {name} ({origin})").format(name=profile.name, origin=origin))
        return profile

    def process(self, parameters, context, feedback) -> dict:
        """The algorithm's work; subclasses implement it (not ``run``, which is QGIS's own)."""
        raise NotImplementedError


def _advanced(parameter):
    """The parameter under "Advanced" in the algorithm's dialogue."""
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def group_name(group_id: str) -> str:
    """Translated display names of the toolbox groups."""
    names = {
        "profile": tr("Planning profile"),
        "overlay": tr("Sector overlay"),
        "check": tr("Element check"),
        "report": tr("Summaries and reports"),
        "agency": tr("Agency data"),
    }
    return names.get(group_id, group_id)
