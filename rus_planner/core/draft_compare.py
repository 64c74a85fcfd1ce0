"""Two drafts of a RUS compared by their findings: what is new, removed and changed between them.

Between the samrådsversion and the utställningsversion elements move, appear and go, and
their layers are often new files whose feature ids mean nothing across drafts. A finding is
therefore matched across drafts by what a planner would call the same conflict: the element's
name (its feature id only where it has none), the rule, and the agency feature by the agency's
own id (NVRID, SITECODE...) or, without one, by its layer and feature id. A class D finding has
no agency feature and is matched by its layer and rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CHANGES = ("new", "removed", "changed", "unchanged")
# Measures closer than these are the same (a redrawn element moves a little).
AREA_TOLERANCE_SHARE = 0.01
DISTANCE_TOLERANCE_M = 1.0

# Fields of the comparison table: (name, kind) as in check_model's FINDING_FIELDS.
COMPARISON_FIELDS = (
    ("change", "str"),
    ("what_changed", "str"),
    ("element_name", "str"),
    ("element_id_old", "str"),
    ("element_id_new", "str"),
    ("rule_id", "str"),
    ("rule_name", "str"),
    ("agency", "str"),
    ("agency_layer", "str"),
    ("feature_name", "str"),
    ("agency_id", "str"),
    ("severity_old", "str"),
    ("severity_new", "str"),
    ("nature_old", "str"),
    ("nature_new", "str"),
    ("relation_old", "str"),
    ("relation_new", "str"),
    ("overlap_m2_old", "float"),
    ("overlap_m2_new", "float"),
    ("distance_m_old", "float"),
    ("distance_m_new", "float"),
)


@dataclass
class Comparison:
    """The change rows (COMPARISON_FIELDS names); per row its (old, new) findings (None where a
    draft has none); and the matched (old, new) pairs."""

    rows: list[dict]
    sources: list[tuple[dict | None, dict | None]]

    @property
    def pairs(self) -> list[tuple[dict, dict]]:
        return [(old, new) for old, new in self.sources if old is not None and new is not None]

    def counts(self) -> dict[str, int]:
        return {change: sum(row["change"] == change for row in self.rows) for change in CHANGES}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _element_key(finding: dict) -> str:
    """The element as the same element across drafts: its name, else its feature id."""
    name = _text(finding.get("element_name")).casefold()
    return f"name:{name}" if name else f"fid:{_text(finding.get('element_fid'))}"


def finding_key(finding: dict) -> tuple:
    """What makes two findings of two drafts the same conflict."""
    agency_id = _text(finding.get("agency_id"))
    if agency_id:
        feature = ("id", agency_id)
    elif _text(finding.get("feature_ref")):
        feature = ("geom", _text(finding.get("feature_ref")))
    elif _text(finding.get("feature_fid")):
        feature = ("fid", _text(finding.get("agency_layer")), _text(finding.get("feature_fid")))
    else:
        feature = ("layer", _text(finding.get("agency_layer")))
    return (_element_key(finding), _text(finding.get("rule_id")), feature)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _differs(old, new, share: float = 0.0, absolute: float = 0.0) -> bool:
    old, new = _number(old), _number(new)
    if old is None or new is None:
        return (old is None) != (new is None)
    return abs(new - old) > max(absolute, share * max(abs(old), abs(new)))


def what_changed(old: dict, new: dict) -> list[str]:
    """The parts of a finding that differ between drafts: class, nature, relation, overlap, distance."""
    parts = []
    for name in ("severity", "nature", "relation"):
        if _text(old.get(name)) != _text(new.get(name)):
            parts.append(name)
    if _differs(old.get("overlap_m2"), new.get("overlap_m2"), share=AREA_TOLERANCE_SHARE):
        parts.append("overlap")
    elif _differs(old.get("overlap_length_m"), new.get("overlap_length_m"), share=AREA_TOLERANCE_SHARE):
        parts.append("overlap")
    if _differs(old.get("distance_m"), new.get("distance_m"), absolute=DISTANCE_TOLERANCE_M):
        parts.append("distance")
    return parts


def compare_findings(old_findings: list[dict], new_findings: list[dict]) -> Comparison:
    """New, removed, changed and unchanged findings between two drafts, in the new draft's order
    (then the removed ones in the old draft's order). A key found more than once in a draft (two
    elements of one name) is paired in order."""
    remaining: dict[tuple, list[dict]] = {}
    for finding in old_findings:
        remaining.setdefault(finding_key(finding), []).append(finding)
    rows, sources = [], []
    for new in new_findings:
        olds = remaining.get(finding_key(new))
        old = olds.pop(0) if olds else None
        if old is None:
            rows.append(_row("new", [], None, new))
        else:
            parts = what_changed(old, new)
            rows.append(_row("changed" if parts else "unchanged", parts, old, new))
        sources.append((old, new))
    for olds in remaining.values():
        for old in olds:
            rows.append(_row("removed", [], old, None))
            sources.append((old, None))
    return Comparison(rows, sources)


def _row(change: str, parts: list[str], old: dict | None, new: dict | None) -> dict:
    either = new or old
    row = {
        "change": change,
        "what_changed": ", ".join(parts),
        "element_id_old": old.get("element_id") if old else None,
        "element_id_new": new.get("element_id") if new else None,
    }
    for name in (
        "element_name",
        "rule_id",
        "rule_name",
        "agency",
        "agency_layer",
        "feature_name",
        "agency_id",
    ):
        row[name] = either.get(name)
    for name in ("severity", "nature", "relation", "overlap_m2", "distance_m"):
        row[f"{name}_old"] = old.get(name) if old else None
        row[f"{name}_new"] = new.get(name) if new else None
    return row
