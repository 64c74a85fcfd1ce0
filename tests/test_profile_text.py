"""Changing one value of a profile's YAML text keeps comments and layout (checked with yaml)."""

from __future__ import annotations

import pytest
import yaml

from rus_planner.rus_planner.ui.profile_text import set_value

TEXT = """# Kommentar överst
name: Prov  # namnet
sectors:
  - id: kultur   # kultur
    name_sv: Kultur
    weight: 1.0
  - id: besok
    name_sv: Besöksnäring
agency_rules:
  - id: np
    severity: A
"""


def test_an_existing_value_is_replaced_in_place():
    out = set_value(TEXT, ("sectors", 0, "weight"), "2.5")
    assert yaml.safe_load(out)["sectors"][0]["weight"] == 2.5
    assert out.replace("weight: 2.5", "weight: 1.0") == TEXT


def test_a_missing_key_is_added_to_its_item():
    out = set_value(TEXT, ("sectors", 1, "weight"), "3")
    data = yaml.safe_load(out)
    assert data["sectors"][1] == {"id": "besok", "name_sv": "Besöksnäring", "weight": 3}
    assert "  - id: kultur   # kultur\n" in out and out.startswith("# Kommentar överst\n")


def test_severity_and_bad_paths():
    assert (
        yaml.safe_load(set_value(TEXT, ("agency_rules", 0, "severity"), "C"))["agency_rules"][0]["severity"]
        == "C"
    )
    with pytest.raises(ValueError, match="no 2"):
        set_value(TEXT, ("sectors", 2, "weight"), "1")
    with pytest.raises(ValueError, match="single values"):
        set_value(TEXT, ("sectors",), "1")
