"""What a finding means for a non-binding strategy: its nature, the element's status and drawing scale, the plan's mode.

A RUS is strategic and non-binding (domain.md §6): an element that overlaps an agency
interest may *support* it (a visitor-economy area at a national park's entrance, a
corridor along a riksintresse for kommunikationer) rather than threaten it, and an element
that already exists is not a proposal. So each finding has a nature:

* ``conflict``: the element may harm the interest; the advice is the rule's own;
* ``agreement``: the element supports the interest; the advice is to say so and agree
  the design with the agency;
* ``information``: worth knowing, nothing to weigh (an existing element, a rule the
  profile marks so).

The profile says which per rule (``nature``) and per element type, theme or category
(``nature_for``). An element's status (befintlig / planerad / utredningsområde) comes from
its own ``status`` field; an existing element's conflicts become information, since the
strategy does not change it. Elements drawn schematically (at 1:250 000, say) carry a
scale tolerance: their position is uncertain by about a millimetre on the map, so an
overlap shallower than that, or a gap narrower, is "near", class C, not "inside".
Class D findings have no nature: what was not looked at cannot be weighed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import grouped
from .texts import speaking, tr

NATURES = ("conflict", "agreement", "information")
DEFAULT_NATURE = "conflict"
STATUSES = ("existing", "planned", "under_study")
MODES = ("rus", "regionplan")
DEFAULT_MODE = "rus"
# The drawing accuracy of a schematic map: 1 mm at the map's scale (250 m at 1:250 000).
DRAWING_ACCURACY_M_PER_SCALE = 0.001
NEAR_RELATION = "near"
NEAR_SEVERITY = "C"
# Legal bases a regionplan must show it meets: MB 3 and 4 kap (riksintressen), 5 kap (MKN).
_NATIONAL_INTEREST_CHAPTERS = re.compile(r"MB\s*[345]\s*kap", re.IGNORECASE)

# Element fields read for status, theme, category and drawing scale (matched in any case).
STATUS_FIELDS = ("status",)
THEME_FIELDS = ("tema", "theme")
CATEGORY_FIELDS = ("kategori", "category")
SCALE_FIELDS = ("skala", "scale")

# The words a region may use for a status, folded, → the status.
_STATUS_WORDS = {
    "befintlig": "existing",
    "befintligt": "existing",
    "existing": "existing",
    "planerad": "planned",
    "planerat": "planned",
    "planned": "planned",
    "föreslagen": "planned",
    "utvecklingsområde": "under_study",
    "utredning": "under_study",
    "utredningsområde": "under_study",
    "under utredning": "under_study",
    "under_study": "under_study",
    "under study": "under_study",
}


@dataclass(frozen=True)
class NatureCase:
    """One ``nature_for`` entry: elements of these types, themes or categories get this nature."""

    nature: str
    element_types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def fits(self, element_type: str | None, theme: str | None, category: str | None) -> bool:
        def among(value, wanted) -> bool:
            return bool(wanted) and value is not None and value.casefold() in {w.casefold() for w in wanted}

        return (
            among(element_type, self.element_types)
            or among(theme, self.themes)
            or among(category, self.categories)
        )


def element_status(value) -> str | None:
    """The status a region wrote (Swedish or English, any case) as one of STATUSES; None when unknown."""
    if value is None:
        return None
    return _STATUS_WORDS.get(str(value).strip().casefold())


def scale_denominator(value) -> float | None:
    """A drawing scale as written ("1:250 000", "250000", 250000) → 250000.0; None when unreadable."""
    if value is None:
        return None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if ":" in text:
        text = text.split(":", 1)[1]
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if number > 1 else None


def tolerance_m(scale: float | None, type_tolerance_m: float = 0.0) -> float:
    """An element's scale tolerance: its own drawing scale's, else its type's (the larger wins)."""
    from_scale = scale * DRAWING_ACCURACY_M_PER_SCALE if scale else 0.0
    return max(from_scale, type_tolerance_m or 0.0)


def nature_of(
    rule, element_type_id: str | None, theme: str | None, category: str | None, status: str | None
) -> str:
    """A finding's nature: the rule's case for the element, else the rule's own; an existing
    element's conflict is information (the strategy does not change what exists)."""
    nature = next(
        (case.nature for case in rule.nature_for if case.fits(element_type_id, theme, category)),
        rule.nature,
    )
    if nature == "conflict" and status == "existing":
        return "information"
    return nature


def nature_labels(tr) -> dict[str, str]:
    """The natures as a planner reads them (konflikt, samstämmighet, information)."""
    return {
        "conflict": tr("conflict"),
        "agreement": tr("agreement"),
        "information": tr("information"),
    }


def status_labels(tr) -> dict[str, str]:
    return {
        "existing": tr("existing"),
        "planned": tr("planned"),
        "under_study": tr("under study"),
    }


def advice_for(rule, nature: str, mode: str, language: str) -> str:
    """The advice of a finding, following its nature and the plan's mode.

    Only a conflict gets the rule's own advice (which may say "move the element"); an
    agreement and information get their own. A regionplan must show how riksintressen and
    environmental quality standards are met (PBL 7 kap): its conflicts with those say so.
    """
    with speaking(language):
        if nature == "agreement":
            own = rule.advice_agreement(language)
            if own:
                return own
            if mode == "regionplan":
                return tr(
                    "The element supports this interest: show in the regionplan how, and agree the design "
                    "with {agency}."
                ).format(agency=rule.agency)
            return tr(
                "The element supports this interest: describe how in the strategy and agree the design "
                "with {agency}."
            ).format(agency=rule.agency)
        if nature == "information":
            return tr(
                "For information: the element exists already or the interest needs no weighing here. "
                "Mention it where the element is described."
            )
        text = rule.advice(language)
        if mode == "regionplan" and _NATIONAL_INTEREST_CHAPTERS.search(rule.legal_basis or ""):
            text = _join(
                text,
                tr(
                    "The regionplan must show how this interest is met (PBL 7 kap); it guides the "
                    "kommuner's comprehensive plans."
                ),
            )
        return text


def mode_label(mode: str, tr) -> str:
    """How the plan is read, for a report's reading guide and the run's log."""
    if mode == "regionplan":
        return tr(
            "Regionplan (PBL 7 kap): guiding for the kommuner's comprehensive plans; it must show how "
            "riksintressen and environmental quality standards are met."
        )
    return tr(
        "RUS: a strategic, non-binding strategy; many overlaps are agreements, and the final weighing is "
        "made in the kommuner's comprehensive planning."
    )


def near_note(tolerance: float, scale: float | None, language: str) -> str:
    """Why a finding is "near" and not "inside": the element is drawn schematically."""
    with speaking(language):
        if scale:
            return tr(
                "Within the scale tolerance of {tolerance} m (the element is drawn at 1:{scale}): its position "
                "is schematic, so the overlap is uncertain."
            ).format(tolerance=grouped(tolerance, 0, language), scale=grouped(scale, 0, language))
        return tr(
            "Within the scale tolerance of {tolerance} m: the element's position is schematic, so the overlap "
            "is uncertain."
        ).format(tolerance=grouped(tolerance, 0, language))


def _join(first: str, second: str) -> str:
    first = (first or "").strip()
    if not first:
        return second
    return f"{first} {second}" if first.endswith((".", "!", "?")) else f"{first}. {second}"
