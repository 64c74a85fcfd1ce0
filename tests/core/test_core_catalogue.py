"""The catalogue of agency services: it loads, it agrees with the default profile, and a bad file
is explained by line and key."""

from __future__ import annotations

import fnmatch

import pytest
import yaml

from rus_planner.rus_planner.core.catalogue import (
    DEFAULT_CATALOGUE_PATH,
    PROTOCOLS,
    CatalogueError,
    load_catalogue,
    mismatches,
    parse_catalogue,
    rule_coverage,
    rules_without_source,
)
from rus_planner.rus_planner.core.profile import DEFAULT_PROFILE_PATH
from rus_planner.rus_planner.core.profile_load import load_default_profile

GOOD = """\
services:
  - id: naturreservat
    agency: Naturvårdsverket
    theme: Naturreservat
    rules: [naturreservat]
    protocol: wfs2
    url: https://example.invalid/wfs
    typename: ps-nvr:PS.ProtectedSites.NR
    crs: EPSG:3006
    id_field: NVRID
    name_field: NAMN
    licence: CC0 1.0
    attribution: Naturvårdsverket
    documentation: https://example.invalid/doc
    checked: 2026-12-05
    verified: true
"""


def _raw_patterns() -> dict[str, list[str]]:
    """The default profile's agency rules and their name patterns, read with plain yaml."""
    raw = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"))
    return {
        rule["id"]: [rule["layer"]] if isinstance(rule["layer"], str) else list(rule["layer"])
        for rule in raw["agency_rules"]
    }


def test_default_catalogue_loads_and_names_the_issue_services():
    catalogue = load_catalogue()
    assert catalogue.source_path == str(DEFAULT_CATALOGUE_PATH)
    by_id = {s.id: s for s in catalogue.services}
    # the services issue 18 names, as the agencies publish them
    assert by_id["naturreservat"].typename == "ps-nvr:PS.ProtectedSites.NR"
    assert by_id["nationalparker"].typename == "ps-nvr:PS.ProtectedSites.NP"
    assert by_id["naturvardsomraden"].typename == "ps-nvr:PS.ProtectedSites.NVO"
    assert by_id["kulturreservat"].typename == "ps-nvr:PS.ProtectedSites.KR"
    assert by_id["vattenskyddsomraden"].typename == "am-restriction:AM.drinkingWaterProtectionArea"
    assert by_id["fornlamning"].url == "https://pub.raa.se/visning/lamningar_v1/wfs"
    assert {s.protocol for s in catalogue.services} <= set(PROTOCOLS)
    for service in catalogue.services:
        assert service.documentation.startswith(("https://", "http://"))
        assert service.checked == "2026-12-05"
        # nothing unverified without saying why
        assert service.verified or len(service.verification) > 10, service.id


def test_every_catalogue_rule_exists_in_the_default_profile():
    patterns = _raw_patterns()
    for service in load_catalogue().services:
        for rule_id in service.rules:
            assert rule_id in patterns, (service.id, rule_id)


def test_each_fetched_layer_is_picked_up_by_exactly_its_rules():
    """Checked with fnmatch on the YAML's own patterns (case-folded), not with the profile code."""
    patterns = _raw_patterns()
    for service in load_catalogue().services:
        picked = {
            rule_id
            for rule_id, rule_patterns in patterns.items()
            if any(fnmatch.fnmatchcase(service.layer.casefold(), p.casefold()) for p in rule_patterns)
        }
        assert picked == set(service.rules), service.id
    assert mismatches(load_catalogue(), load_default_profile()) == []


def test_rules_without_a_public_source_are_listed():
    uncovered = rules_without_source(load_default_profile(), load_catalogue())
    # read off the default profile's notes: no national layer for these (or none found)
    assert {u.rule_id for u in uncovered} == {
        "biotopskyddsomrade",  # Skogsstyrelsen's download: not catalogued
        "ri_avfall",
        "ri_elektronisk_kommunikation",
        "ri_slutforvar",
        "mkn_vatten",  # VISS: no documentation page found
        "farligt_gods",  # per län
        "strandskydd",  # per län
    }
    assert all(u.reason == "not checked: no public source" for u in uncovered)
    coverage = rule_coverage(load_catalogue(), load_default_profile())
    assert [s.id for s in coverage["oversvamning"]] == [
        "oversvamning_100ar",
        "oversvamning_200ar",
        "oversvamning_bhf",
    ]


def test_fetchable_services_have_address_and_typename():
    catalogue = load_catalogue()
    fetchable = {s.id for s in catalogue.services if s.fetchable}
    assert {"naturreservat", "natura2000", "fornlamning", "skyddadeomraden"} <= fetchable
    by_id = {s.id: s for s in catalogue.services}
    assert "no verified address" in by_id["oversvamning_100ar"].not_fetchable_reason()
    assert "by hand" in by_id["jordbruksblock"].not_fetchable_reason()
    assert by_id["naturreservat"].not_fetchable_reason() == ""


def test_a_good_catalogue_parses():
    catalogue = parse_catalogue(GOOD, "c.yaml")
    (service,) = catalogue.services
    assert service.layer == "naturreservat"
    assert service.rules == ("naturreservat",)
    assert service.checked == "2026-12-05"


@pytest.mark.parametrize(
    ("change", "line", "key", "words"),
    [
        (("    protocol: wfs2\n", "    protocol: wms\n"), 6, "services.[0].protocol", "expected one of"),
        (("    crs: EPSG:3006\n", ""), 2, "services.[0].crs", "required key is missing"),
        (("    url: https://example.invalid/wfs\n", "    url: ftp://x\n"), 7, "services.[0].url", "https://"),
        (("    verified: true\n", "    verified: false\n"), 2, "services.[0].verification", "must say why"),
        (("    checked: 2026-12-05\n", "    checked: someday\n"), 15, "services.[0].checked", "YYYY-MM-DD"),
        (
            ("    theme: Naturreservat\n", "    theme: Naturreservat\n    colour: green\n"),
            5,
            "colour",
            "unknown",
        ),
        (("  - id: naturreservat\n", "  - id: Natur-reservat\n"), 2, "services.[0].id", "table name"),
    ],
)
def test_a_bad_catalogue_is_explained_by_line_and_key(change, line, key, words):
    text = GOOD.replace(*change)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "c.yaml")
    problem = caught.value.problems[0]
    assert problem.file == "c.yaml"
    assert problem.line == line
    assert key in (problem.key or "")
    assert words in problem.message


def test_two_services_with_one_id_are_refused():
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(GOOD + GOOD.split("services:\n", 1)[1], "c.yaml")
    assert "two services" in str(caught.value)


def test_not_a_catalogue():
    with pytest.raises(CatalogueError):
        parse_catalogue("- just\n- a list\n", "c.yaml")
    with pytest.raises(CatalogueError):
        parse_catalogue("services: [\n", "c.yaml")
