"""Exports of findings with review columns: GeoPackage, CSV for (Swedish) Excel, HTML summary."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pandas as pd
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsVectorLayer, QgsWkbTypes

from rus_planner.rus_planner.core.check_model import FINDING_FIELDS
from rus_planner.rus_planner.core.reviews import ReviewBook, ReviewKey
from rus_planner.rus_planner.qgis_io.export import (
    EXPORT_FIELDS,
    ExportError,
    with_reviews,
    write_csv,
    write_geopackage,
    write_html,
)

POSITION = 'Stråket flyttas; samråd med "Länsstyrelsen i Örebro".\nAndra raden <b>fet</b>'


def _row(**values) -> dict:
    row = dict.fromkeys((name for name, _ in FINDING_FIELDS), None)
    row.update(values)
    return row


@pytest.fixture
def findings():
    rows = [
        _row(
            element_id="Noder å:3",
            element_layer="Noder å",
            element_fid=3,
            element_name="Hällefors",
            agency_layer="riksintressen_kulturmiljo",
            feature_fid=17,
            feature_name="Grythyttan",
            rule_id="ri_kulturmiljo",
            rule_name="Riksintresse kulturmiljövård",
            relation="overlap",
            severity="B",
            overlap_m2=1234.5,
            element_share=0.125,
            feature_share=0.0625,
            agency="Riksantikvarieämbetet / länsstyrelsen",
            legal_basis="MB 3 kap 6 §",
        ),
        _row(
            element_id="Noder å:4",
            element_layer="Noder å",
            element_fid=4,
            element_name="Tiveden <script>",
            agency_layer="nationalparker",
            feature_fid=2,
            rule_id="nationalpark",
            relation="overlap",
            severity="A",
            distance_m=0.0,
        ),
        _row(
            element_id="Noder å:4",
            element_layer="Noder å",
            element_fid=4,
            agency_layer="trasigt lager",
            rule_id="generic_overlap",
            relation="overlap",
            severity="D",
            note="Not checked: the layer is not valid",
        ),
    ]
    geometries = [
        QgsGeometry.fromWkt("Polygon((0 0, 10 0, 10 10, 0 10, 0 0))"),
        QgsGeometry.fromWkt("Polygon((20 0, 30 0, 30 5, 20 5, 20 0))"),
        QgsGeometry.fromWkt("Polygon((40 0, 41 0, 41 1, 40 0))"),
    ]
    reviews = ReviewBook()
    reviews.record(ReviewKey.of_finding(rows[0]), "in_dialogue", POSITION, "2026-11-22T07:00:00+00:00")
    return rows, geometries, reviews


def test_review_columns_come_from_the_book_by_key(findings):
    rows, _, reviews = findings
    out = with_reviews(list(reversed(rows)), reviews)  # order does not matter
    by_fid = {(r["element_fid"], r["rule_id"]): r for r in out}
    assert by_fid[(3, "ri_kulturmiljo")]["review_status"] == "in_dialogue"
    assert by_fid[(3, "ri_kulturmiljo")]["review_position"] == POSITION
    assert by_fid[(3, "ri_kulturmiljo")]["reviewed_at"] == "2026-11-22T07:00:00+00:00"
    assert by_fid[(4, "nationalpark")]["review_status"] == "new"
    assert by_fid[(4, "nationalpark")]["review_position"] == ""


def test_csv_for_swedish_excel_has_bom_semicolons_and_decimal_commas(findings, tmp_path):
    rows, _, reviews = findings
    path = tmp_path / "fynd åäö.csv"
    write_csv(with_reviews(rows, reviews), path, decimal_comma=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    text = raw[3:].decode("utf-8")
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = table[0]
    assert header == [name for name, _ in EXPORT_FIELDS]
    first = dict(zip(header, table[1]))
    assert first["overlap_m2"] == "1234,5"
    assert first["element_share"] == "0,125"
    assert first["feature_share"] == "0,0625"
    assert first["review_position"] == POSITION
    assert first["element_layer"] == "Noder å"
    assert dict(zip(header, table[3]))["feature_fid"] == ""  # class D: no agency feature
    # An independent reader configured as Swedish Excel reads the numbers as numbers.
    frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["overlap_m2"].iloc[0] == pytest.approx(1234.5)
    assert frame["review_status"].tolist() == ["in_dialogue", "new", "new"]


def test_csv_without_decimal_comma_uses_commas_and_points(findings, tmp_path):
    rows, _, reviews = findings
    path = tmp_path / "fynd.csv"
    write_csv(with_reviews(rows, reviews), path, decimal_comma=False)
    frame = pd.read_csv(path, sep=",", encoding="utf-8-sig")
    assert frame["overlap_m2"].iloc[0] == pytest.approx(1234.5)
    assert frame["review_position"].iloc[0] == POSITION
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_geopackage_keeps_geometries_and_review_columns(findings, tmp_path):
    rows, geometries, reviews = findings
    path = tmp_path / "export ö.gpkg"
    write_geopackage(with_reviews(rows, reviews), geometries, QgsCoordinateReferenceSystem("EPSG:3006"), path)
    layer = QgsVectorLayer(f"{path}|layername=rus_findings", "x", "ogr")
    assert layer.isValid()
    assert layer.crs().authid() == "EPSG:3006"
    assert layer.featureCount() == 3
    assert QgsWkbTypes.flatType(layer.wkbType()) == QgsWkbTypes.Type.MultiPolygon
    features = {(f["element_fid"], f["rule_id"]): f for f in layer.getFeatures()}
    first = features[(3, "ri_kulturmiljo")]
    assert first["review_status"] == "in_dialogue"
    assert first["review_position"] == POSITION
    assert first["overlap_m2"] == pytest.approx(1234.5)
    assert first.geometry().area() == pytest.approx(100.0)
    assert features[(4, "nationalpark")]["review_status"] == "new"


def test_geopackage_of_mixed_element_kinds_keeps_each_kind(findings, tmp_path):
    rows, geometries, reviews = findings
    mixed = [QgsGeometry.fromWkt("Point(1 2)"), QgsGeometry.fromWkt("LineString(0 0, 3 4)"), geometries[0]]
    path = tmp_path / "blandat.gpkg"
    write_geopackage(with_reviews(rows, reviews), mixed, QgsCoordinateReferenceSystem("EPSG:3006"), path)
    layer = QgsVectorLayer(f"{path}|layername=rus_findings", "x", "ogr")
    assert layer.isValid() and layer.featureCount() == 3
    lengths = sorted(f.geometry().length() for f in layer.getFeatures())
    assert lengths[1] == pytest.approx(5.0)
    kinds = sorted(QgsWkbTypes.displayString(f.geometry().wkbType()) for f in layer.getFeatures())
    assert kinds == ["MultiLineString", "MultiPoint", "MultiPolygon"]


def test_geopackage_into_a_missing_folder_is_a_clear_error(findings, tmp_path):
    rows, geometries, reviews = findings
    with pytest.raises(ExportError, match="could not be written"):
        write_geopackage(
            rows, geometries, QgsCoordinateReferenceSystem("EPSG:3006"), tmp_path / "nej" / "x.gpkg"
        )
    with pytest.raises(ExportError, match="could not be written"):
        write_csv(rows, tmp_path / "nej" / "x.csv")


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells: dict[str, list[str]] = {}
        self._class = None
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._class = dict(attrs).get("class", "")

    def handle_data(self, data):
        self.text.append(data)
        if self._class is not None:
            self.cells.setdefault(self._class, []).append(data)

    def handle_endtag(self, tag):
        if tag == "td":
            self._class = None


def test_html_summary_counts_classes_and_escapes_text(findings, tmp_path):
    rows, _, reviews = findings
    path = tmp_path / "sammanfattning.html"
    write_html(
        with_reviews(rows, reviews),
        path,
        title="RUS Örebro",
        profile_name="Standardprofil",
        run_time="2026-11-22",
    )
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text  # element names are escaped
    parser = _Cells()
    parser.feed(text)
    assert parser.cells["count-A"] == ["1"]
    assert parser.cells["count-B"] == ["1"]
    assert parser.cells["count-C"] == ["0"]
    assert parser.cells["count-D"] == ["1"]
    joined = "".join(parser.text)
    assert "Tiveden <script>" in joined
    assert "In dialogue with the agency" in joined
    assert "Andra raden <b>fet</b>" in joined


def test_html_summary_keeps_the_reviews_whose_finding_is_gone(findings, tmp_path):
    """A position recorded on a finding that a later check no longer gives is listed as resolved by
    change, with the dialogue, never dropped (issue 16, item 5)."""
    from rus_planner.rus_planner.core.reviews import ReviewKey, finding_label

    rows, _, reviews = findings
    gone = {**rows[0], "element_fid": 999, "element_name": "Borttaget område <i>", "rule_name": "Nationalpark"}
    reviews.record(
        ReviewKey.of_finding(gone),
        "element_adjusted",
        "Området flyttat",
        label=finding_label(gone),
        diarienummer="511-77-2026",
        agency_view="Naturvårdsverket: godtas.",
    )
    resolved = reviews.resolved_by_change(rows)
    assert [key for key, _ in resolved] == [ReviewKey.of_finding(gone)]
    path = tmp_path / "sammanfattning.html"
    write_html(with_reviews(rows, reviews), path, title="RUS", resolved=resolved)
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    joined = "".join(parser.text)
    assert "Resolved by change" in joined
    assert "Borttaget område <i> – Nationalpark" in joined  # escaped, read back as text
    assert "Området flyttat" in joined and "511-77-2026" in joined and "Naturvårdsverket: godtas." in joined
