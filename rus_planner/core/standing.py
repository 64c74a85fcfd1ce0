"""Standing notices: interests that no agency layer can show, reported in every check.

Försvarsmakten withholds part of its riksintressen and influence areas under försvarssekretess
(OSL 15 kap 2 §): no layer a region can load holds them, so no run can check them. The profile
declares such interests under ``standing_notices``; every run then gives each element one class D
finding per notice, with the agency and the reason, so that an element with no other finding is
never read as "no conflict" and the planner can record the agency's answer per element.
"""

from __future__ import annotations

from .profile import StandingNotice
from .texts import speaking, tr

NOTICE_SEVERITY = "D"


def notice_columns(notice: StandingNotice, language: str = "sv") -> dict:
    """The finding columns of a notice, the same for every element (no agency layer, no feature).

    The whole note is in the check's language, like the notice's own texts.
    """
    with speaking(language):
        note = tr("Not checked: {reason}").format(reason=notice.note(language))
    return {
        "agency_layer": None,
        "data_source": None,
        "data_date": None,
        "rule_id": notice.id,
        "rule_name": notice.name(language),
        "relation": None,
        "agency": notice.agency,
        "legal_basis": notice.legal_basis,
        "advice": notice.advice(language),
        "severity": NOTICE_SEVERITY,
        "note": note,
    }


def notice_message(notice: StandingNotice, language: str = "sv") -> str:
    """The run's message for a notice: what is not checked, and that it is class D for every element."""
    return tr(
        "Not checked in any run: {name} ({agency}). {reason} Every element gets a class D finding for it; "
        "this is not “no conflict”."
    ).format(name=notice.name(language), agency=notice.agency, reason=notice.note(language))
