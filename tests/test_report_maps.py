"""The report maps paint as affected only the part of an area that is affected (issue 17, item 2):
a point inside an area, or a proximity, does not paint the whole area; an areal overlap paints
its common part. The independent answer is written out by hand below."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMetaType

from rus_planner.rus_planner.core.report_texts import report_texts
from rus_planner.rus_planner.core.vocabulary import severity_labels
from rus_planner.rus_planner.processing.styles import severity_renderer
from rus_planner.rus_planner.qgis_io.compat import qgs_field
from rus_planner.rus_planner.qgis_io.report_maps import findings_maps


def _findings():
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:3006", "fynd", "memory")
    layer.dataProvider().addAttributes(
        [
            qgs_field("severity", QMetaType.Type.QString),
            qgs_field("agency", QMetaType.Type.QString),
            qgs_field("overlap_m2", QMetaType.Type.Double),
        ]
    )
    layer.updateFields()
    rows = [
        # a fornlämning (a point) inside the area: the finding's geometry is the whole area
        ("A", "Länsstyrelsen", None, "MULTIPOLYGON(((0 0, 1000 0, 1000 1000, 0 1000, 0 0)))"),
        # a nature reserve overlapping 200 × 1 000 m of it: that part is affected
        ("A", "Naturvårdsverket", 200_000.0, "MULTIPOLYGON(((800 0, 1000 0, 1000 1000, 800 1000, 800 0)))"),
        ("D", "Försvarsmakten", None, "MULTIPOLYGON(((0 0, 1000 0, 1000 1000, 0 1000, 0 0)))"),
    ]
    features = []
    for severity, agency, overlap, wkt in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes([severity, agency, overlap])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def test_a_point_inside_an_area_is_drawn_as_the_areas_outline_not_as_the_area(qgis_app):  # noqa: ARG001
    texts = report_texts("sv")
    maps = findings_maps(
        _findings(),
        QgsCoordinateReferenceSystem("EPSG:3006"),
        QgsCoordinateTransformContext(),
        severity_renderer,
        texts,
        severity_labels(lambda text: text),
    )
    painted = {}
    for layer in maps[None]:
        for feature in layer.getFeatures():
            painted.setdefault(layer.geometryType(), []).append((feature["agency"], feature.geometry()))
    from qgis.core import QgsWkbTypes

    areas = painted[QgsWkbTypes.GeometryType.PolygonGeometry]
    assert [(agency, geometry.area()) for agency, geometry in areas] == [("Naturvårdsverket", 200_000.0)]
    ((agency, outline),) = painted[QgsWkbTypes.GeometryType.LineGeometry]
    assert agency == "Länsstyrelsen" and outline.length() == 4000.0  # the area's boundary, 4 × 1 000 m
    assert "Försvarsmakten" not in {a for items in painted.values() for a, _ in items}  # class D: nothing
