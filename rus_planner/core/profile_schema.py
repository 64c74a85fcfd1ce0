"""The profile's schema: the keys each part of a profile may have, their kinds and whether required."""

from __future__ import annotations

SEVERITIES = ("A", "B", "C", "D")
RELATIONS = ("overlap", "within_distance")
ELEMENT_GEOMETRIES = ("point", "line", "polygon")

# --------------------------------------------------------------------------- schema

# kind: "str", "text" (multi-line allowed), "number", "bool", "patterns", "severity",
# "relation", "geometry", "int"
_SECTOR_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "weight": ("number", False),
    "layer": ("patterns", False),
    "source": ("str", False),
    "filter": ("str", False),
    "buffer_m": ("number", False),
}
_RULE_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "layer": ("patterns", False),
    "source": ("str", False),
    "filter": ("str", False),
    "agency": ("str", True),
    "legal_basis": ("str", True),
    "relation": ("relation", False),
    "distance_m": ("number", False),
    "severity": ("severity", True),
    "advice_sv": ("text", False),
    "advice_en": ("text", False),
    "name_field": ("str", False),
    "agency_field": ("str", False),
    "id_field": ("str", False),
    "withheld": ("bool", False),
    "nature": ("nature", False),
    "nature_for": ("list", False),
    "advice_agreement_sv": ("text", False),
    "advice_agreement_en": ("text", False),
}
# One entry of a rule's nature_for: which elements (by type id, theme or category) get which nature.
_NATURE_CASE_KEYS = {
    "nature": ("nature", True),
    "element_type": ("patterns", False),
    "theme": ("patterns", False),
    "category": ("patterns", False),
}
_NOTICE_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "agency": ("str", True),
    "legal_basis": ("str", True),
    "note_sv": ("text", True),
    "note_en": ("text", False),
    "advice_sv": ("text", False),
    "advice_en": ("text", False),
}
_ELEMENT_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "geometry": ("geometry", True),
    "layer": ("patterns", False),
    "tolerance_m": ("number", False),
}
_TOP_KEYS = {
    "version": ("int", False),
    "name": ("str", True),
    "description": ("text", False),
    "target_crs": ("str", False),
    "sectors": ("list", False),
    "agency_rules": ("list", False),
    "element_types": ("list", False),
    "standing_notices": ("list", False),
    "mode": ("mode", False),
}
