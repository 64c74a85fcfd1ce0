"""The findings as a planner reads them in a table: what is affected, how badly, what it means.

One definition for the panel's table and the HTML summary: the columns in the order a
regional planner asks the questions (which element, which interest, which class, conflict or
agreement, whose interest, how close or how much, what the region says), and the texts that
explain the classes A–D where they are shown (a cell's tooltip, the legend).
"""

from __future__ import annotations

from .finding_nature import nature_labels
from .redact import safe_source
from .vocabulary import SEVERITIES, measure_text, severity_labels

# The columns, first the planner's seven, then where the finding comes from.
COLUMNS = ("element", "interest", "severity", "nature", "agency", "measure", "position", "review", "source")


def headers(tr) -> list[str]:
    """The column titles, in ``COLUMNS``' order."""
    return [
        tr("Element"),
        tr("Interest"),
        tr("Class"),
        tr("Nature"),
        tr("Agency"),
        tr("Distance / overlap"),
        tr("Position"),
        tr("Review"),
        tr("Agency layer"),
    ]


def element_text(row: dict) -> str:
    return str(row.get("element_name") or row.get("element_id") or "")


def nature_text(row: dict, tr) -> str:
    """The finding's nature as a planner reads it (konflikt, samstämmighet, information); none for D."""
    return nature_labels(tr).get(row.get("nature") or "", "")


def interest_text(row: dict) -> str:
    """The interest met and the agency's feature: "Nationalpark: Tiveden (2000017)".

    The agency's own id follows the name so the agency finds it in its register; a standing
    notice (no layer) is the rule alone.
    """
    rule = str(row.get("rule_name") or row.get("rule_id") or "")
    name = row.get("feature_name")
    agency_id = row.get("agency_id")
    if agency_id and agency_id != name:
        name = f"{name} ({agency_id})" if name else str(agency_id)
    return safe_source(f"{rule}: {name}" if name else rule)


def class_explanations(tr) -> dict[str, str]:
    """What each class means and what to do about it: a class cell's tooltip and the legend's."""
    labels = severity_labels(tr)
    details = {
        "A": tr(
            "The element overlaps an area with strong protection (Natura 2000, national park, nature "
            "reserve, water protection area, total defence area that must be kept free of obstacles). "
            "A permit or exemption is needed; move or reshape the element if you can."
        ),
        "B": tr(
            "The element overlaps a riksintresse (MB 3 and 4 kap). It must not damage the interest "
            "significantly: describe how it is taken care of and agree it with the länsstyrelse."
        ),
        "C": tr(
            "The element lies within a distance or zone of influence, or in a flood or landslide zone. "
            "Weigh it and say how the risk or the interest is handled."
        ),
        "D": tr(
            "Could not be checked: the layer failed to load, is withheld or gave an incomplete answer. "
            "This is not “no conflict”: get the data or ask the agency."
        ),
    }
    return {s: f"{labels[s]}\n{details[s]}" for s in SEVERITIES}


def cell_tooltip(row: dict, column: str, tr, language: str | None = None) -> str:
    """The longer text behind a cell: the class explained, the interest's legal basis, the
    measure with its shares and the rule's advice."""
    if column == "severity":
        return class_explanations(tr).get(row.get("severity"), "")
    if column == "interest":
        return "\n".join(t for t in (interest_text(row), row.get("legal_basis")) if t)
    if column == "element":
        return "\n".join(t for t in (element_text(row), row.get("element_type")) if t)
    if column == "agency":
        return "\n".join(str(t) for t in (row.get("agency"), row.get("legal_basis")) if t)
    if column == "measure":
        parts = [measure_text(row, tr, language)]
        for key, template in (
            ("element_share", tr("{share} of the element")),
            ("feature_share", tr("{share} of the interest's area")),
        ):
            share = row.get(key)
            if row.get("overlap_m2") is not None and isinstance(share, (int, float)) and share == share:
                parts.append(template.format(share=f"{round(share * 100):d} %"))
        parts += [row.get("advice"), row.get("note")]
        return "\n".join(str(t) for t in parts if t)
    return ""
