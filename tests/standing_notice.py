"""The default profile's standing notice in tests about something else.

Every run with the default profile gives each element one class D finding for Försvarsmakten's
classified riksintressen (issue 16; tests/test_missing_interests.py tests it in full). Tests of
other matters check here that it is there, once per element and as it should be, and then go on
with the findings and summary rows as they would be without it.
"""

from __future__ import annotations

NOTICE_ID = "forsvarsmakten_sekretess"
NOTICE_NAMES = (
    "Försvarsmaktens sekretessbelagda riksintressen",
    "The Armed Forces' classified national interests",
)
NOTICE_AGENCY = "Försvarsmakten"
SEVERITY_ORDER = ("A", "B", "C", "D")


def _plain(value):
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def without_notice(findings: list[dict], summary: list[dict] | None = None, element_ids=None):
    """``findings`` without the notice rows (and ``summary`` rows without their count), after
    asserting one class D notice per element: per summary row, or per id in ``element_ids``, or
    per element that has any finding."""
    notices = [f for f in findings if f["rule_id"] == NOTICE_ID]
    rest = [f for f in findings if f["rule_id"] != NOTICE_ID]
    ids = [f["element_id"] for f in notices]
    if summary is not None:
        expected = [row["element_id"] for row in summary]
    elif element_ids is not None:
        expected = list(element_ids)
    else:
        expected = list(dict.fromkeys(f["element_id"] for f in findings))
    assert sorted(ids) == sorted(expected), "one standing notice per element"
    for f in notices:
        assert f["severity"] == "D" and f["agency"] == NOTICE_AGENCY, f
        assert f["rule_name"] in NOTICE_NAMES, f
        assert _plain(f["agency_layer"]) is None and _plain(f["feature_fid"]) is None, f
    if summary is None:
        return rest
    rows = []
    for row in summary:
        row = dict(row)
        assert row["count_d"] >= 1 and any(n in (row["not_checked"] or "") for n in NOTICE_NAMES), row
        row["count_d"] -= 1
        row["findings"] -= 1
        left = [part for part in row["not_checked"].split("; ") if part not in NOTICE_NAMES]
        row["not_checked"] = "; ".join(left) or None
        if "agencies" in row and not any(
            f["element_id"] == row["element_id"] and f["agency"] == NOTICE_AGENCY for f in rest
        ):
            row["agencies"] = "; ".join(
                a for a in (row["agencies"] or "").split("; ") if a and a != NOTICE_AGENCY
            )
        counts = {s: row[f"count_{s.lower()}"] for s in SEVERITY_ORDER}
        row["worst_class"] = next((s for s in SEVERITY_ORDER if counts[s]), None)
        rows.append(row)
    return rest, rows
