"""The consultation report's texts without QGIS: the interest names the agency's own id."""

from __future__ import annotations

from rus_planner.rus_planner.core import report


def test_the_report_names_the_feature_by_the_agencys_own_id_too():
    model = report.ReportModel.__new__(report.ReportModel)  # interest_text needs no other state
    finding = {"rule_name": "Naturreservat", "feature_name": "Kilsbergen", "agency_id": "2001234"}
    assert model.interest_text(finding) == "Naturreservat: Kilsbergen (2001234)"
    assert model.interest_text(dict(finding, feature_name=None)) == "Naturreservat: 2001234"
    lamning = {"rule_name": "Fornlämning", "feature_name": "L1880:1001", "agency_id": "L1880:1001"}
    assert model.interest_text(lamning) == "Fornlämning: L1880:1001"
    assert (
        model.interest_text({"rule_name": "Nationalpark", "feature_name": "Tiveden"})
        == "Nationalpark: Tiveden"
    )
