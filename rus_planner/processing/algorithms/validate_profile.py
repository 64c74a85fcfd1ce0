"""rusplanner:validateprofile — check a planning profile and list every problem."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
)

from ...core.profile import DEFAULT_PROFILE_PATH, ProfileError
from ...core.profile_load import load_profile
from ...i18n import tr
from ...qgis_io.filters import ProfileFilterCheck
from ..base import RusAlgorithm


class ValidateProfileAlgorithm(RusAlgorithm):
    """Validates a YAML planning profile; never fails on a bad profile, it reports it."""

    PROFILE = "PROFILE"
    VALID = "VALID"
    PROBLEM_COUNT = "PROBLEM_COUNT"
    PROBLEMS = "PROBLEMS"
    SECTOR_COUNT = "SECTOR_COUNT"
    RULE_COUNT = "RULE_COUNT"
    ELEMENT_TYPE_COUNT = "ELEMENT_TYPE_COUNT"
    GROUP_ID = "profile"
    REQUIRES = ("yaml",)  # reads YAML only: works without shapely

    def name(self) -> str:
        return "validateprofile"

    def displayName(self) -> str:  # noqa: N802
        return tr("Validate planning profile")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Checks a RUS Planner planning profile (YAML): its sectors, agency rules and element "
            "types. Every problem is listed with the file, line and key and what was expected. "
            "Every filter is parsed as a QGIS expression and, where its layer is given by source "
            "as a local file, the fields it names are looked up in that layer. "
            "Without a file, the default Swedish profile shipped with the plugin is checked."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_profile_parameter()
        self.addOutput(QgsProcessingOutputBoolean(self.VALID, tr("Profile is valid")))
        self.addOutput(QgsProcessingOutputNumber(self.PROBLEM_COUNT, tr("Number of problems")))
        self.addOutput(QgsProcessingOutputString(self.PROBLEMS, tr("Problems")))
        self.addOutput(QgsProcessingOutputNumber(self.SECTOR_COUNT, tr("Sectors")))
        self.addOutput(QgsProcessingOutputNumber(self.RULE_COUNT, tr("Agency rules")))
        self.addOutput(QgsProcessingOutputNumber(self.ELEMENT_TYPE_COUNT, tr("Element types")))

    def process(self, parameters, context, feedback) -> dict:

        path = self.parameterAsFile(parameters, self.PROFILE, context) or str(DEFAULT_PROFILE_PATH)
        feedback.pushInfo(tr("Checking the profile {path}").format(path=path))
        filter_check = ProfileFilterCheck()
        try:
            profile = load_profile(path, check_filter=filter_check)
        except ProfileError as error:
            self._report_unchecked(filter_check, feedback)
            for problem in error.problems:
                feedback.reportError(str(problem), fatalError=False)
            feedback.pushWarning(
                tr("The profile has {n} problem(s) and cannot be used.").format(n=len(error.problems))
            )
            return {
                self.VALID: False,
                self.PROBLEM_COUNT: len(error.problems),
                self.PROBLEMS: "\n".join(str(p) for p in error.problems),
                self.SECTOR_COUNT: 0,
                self.RULE_COUNT: 0,
                self.ELEMENT_TYPE_COUNT: 0,
            }
        self._report_unchecked(filter_check, feedback)
        feedback.pushInfo(
            tr(
                "The profile “{name}” is valid: {sectors} sectors, {rules} agency rules, {types} element types."
            ).format(
                name=profile.name,
                sectors=len(profile.sectors),
                rules=len(profile.agency_rules),
                types=len(profile.element_types),
            )
        )
        return {
            self.VALID: True,
            self.PROBLEM_COUNT: 0,
            self.PROBLEMS: "",
            self.SECTOR_COUNT: len(profile.sectors),
            self.RULE_COUNT: len(profile.agency_rules),
            self.ELEMENT_TYPE_COUNT: len(profile.element_types),
        }

    @staticmethod
    def _report_unchecked(filter_check, feedback) -> None:
        """Say which filters' fields could not be checked: not checked is not the same as fine."""
        for source, reason in filter_check.unchecked.items():
            feedback.pushWarning(
                tr(
                    "The fields a filter names were not checked against the layer “{source}” ({reason}); "
                    "only the filter's syntax was."
                ).format(source=source, reason=reason)
            )
