"""Two drafts compared by their findings (issue 16, item 6), in the pure core, against hand-made findings."""

from __future__ import annotations

from rus_planner.rus_planner.core.draft_compare import compare_findings, finding_key, what_changed


def finding(element, rule, agency_id=None, *, fid=1, feature_fid=10, layer="natura2000", **measures):
    return {
        "element_id": f"rus:{fid}",
        "element_fid": fid,
        "element_name": element,
        "rule_id": rule,
        "agency_layer": layer,
        "feature_fid": feature_fid,
        "agency_id": agency_id,
        "severity": measures.pop("severity", "A"),
        "nature": measures.pop("nature", "conflict"),
        "relation": measures.pop("relation", "overlap"),
        **measures,
    }


def test_findings_match_by_element_name_rule_and_the_agencys_id_not_by_feature_ids():
    old = finding("Logistikområde", "natura2000", "SE0240001", fid=3, feature_fid=10)
    new = finding(
        "logistikområde", "natura2000", "SE0240001", fid=17, feature_fid=99
    )  # new file, refreshed data
    assert finding_key(old) == finding_key(new)
    assert finding_key(old) != finding_key(finding("Logistikområde", "natura2000", "SE0240002"))
    # without a name, the element's fid; without an agency id, the layer and feature id
    assert finding_key(finding("", "r", fid=3)) == finding_key(finding(None, "r", fid=3))
    assert finding_key(finding("", "r", fid=3)) != finding_key(finding("", "r", fid=4))
    assert finding_key(finding("A", "r", feature_fid=10)) != finding_key(finding("A", "r", feature_fid=11))
    # a class D finding has no agency feature: its layer and rule
    d_old = finding("A", "r", feature_fid=None, severity="D")
    assert finding_key(d_old) == finding_key(finding("A", "r", feature_fid=None, severity="D", fid=8))


def test_what_changed_ignores_a_redraw_within_its_tolerance():
    old = finding("A", "r", overlap_m2=10_000.0, distance_m=0.0)
    assert what_changed(old, dict(old, overlap_m2=10_050.0)) == []  # 0.5 %
    assert what_changed(old, dict(old, overlap_m2=12_000.0)) == ["overlap"]
    assert what_changed(old, dict(old, severity="C", relation="near")) == ["severity", "relation"]
    assert what_changed(old, dict(old, nature="agreement")) == ["nature"]
    near = finding("A", "r2", relation="within_distance", distance_m=300.0)
    assert what_changed(near, dict(near, distance_m=300.4)) == []
    assert what_changed(near, dict(near, distance_m=120.0)) == ["distance"]


def test_new_removed_changed_and_unchanged_counted_by_hand():
    old = [
        finding("A", "nationalpark", "NVR1", fid=1, overlap_m2=5000.0),
        finding("B", "natura2000", "SE1", fid=2, overlap_m2=1_000_000.0),
        finding("C", "forsvarsmakten_sekretess", None, fid=3, feature_fid=None, layer=None, severity="D"),
    ]
    new = [
        finding("D", "nationalpark", "NVR1", fid=1, overlap_m2=100.0),
        finding("B", "natura2000", "SE1", fid=3, overlap_m2=1_500_000.0),
        finding("C", "forsvarsmakten_sekretess", None, fid=2, feature_fid=None, layer=None, severity="D"),
    ]
    comparison = compare_findings(old, new)
    changes = [(row["change"], row["element_name"], row["what_changed"]) for row in comparison.rows]
    assert changes == [
        ("new", "D", ""),
        ("changed", "B", "overlap"),
        ("unchanged", "C", ""),
        ("removed", "A", ""),
    ]
    assert comparison.counts() == {"new": 1, "removed": 1, "changed": 1, "unchanged": 1}
    assert [(o is not None, n is not None) for o, n in comparison.sources] == [
        (False, True),
        (True, True),
        (True, True),
        (True, False),
    ]
    assert comparison.pairs == [(old[1], new[1]), (old[2], new[2])]
    changed = comparison.rows[1]
    assert (changed["overlap_m2_old"], changed["overlap_m2_new"]) == (1_000_000.0, 1_500_000.0)
    assert (changed["element_id_old"], changed["element_id_new"]) == ("rus:2", "rus:3")


def test_two_elements_of_one_name_are_paired_in_order():
    old = [finding("Nod", "r", fid=1, overlap_m2=1.0), finding("Nod", "r", fid=2, overlap_m2=2.0)]
    new = [finding("Nod", "r", fid=5, overlap_m2=1.0)]
    comparison = compare_findings(old, new)
    assert [row["change"] for row in comparison.rows] == ["unchanged", "removed"]
    assert comparison.rows[1]["element_id_old"] == "rus:2"


def test_without_an_agency_id_the_geometry_reference_matches_across_a_new_download():
    old = finding("A", "r", feature_fid=10, feature_ref="g0123456789abcdef")
    new = finding("A", "r", feature_fid=99, feature_ref="g0123456789abcdef")
    other = finding("A", "r", feature_fid=10, feature_ref="gfedcba9876543210")
    assert finding_key(old) == finding_key(new) and finding_key(old) != finding_key(other)
