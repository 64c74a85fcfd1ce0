"""Show a finding on the map: zoom to its element and its agency feature together, flash both."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)


def finding_shapes(row: dict, agency_layer) -> list[tuple[QgsGeometry, QgsCoordinateReferenceSystem]]:
    """The element's geometry (else the finding's own) and the agency feature's, with their CRS."""
    project = QgsProject.instance()
    shapes: list[tuple[QgsGeometry, QgsCoordinateReferenceSystem]] = []
    element_layer = project.mapLayer(row.get("element_layer_id") or "")
    element_geometry = None
    if isinstance(element_layer, QgsVectorLayer) and row.get("element_fid") is not None:
        feature = element_layer.getFeature(int(row["element_fid"]))
        if feature.isValid() and feature.hasGeometry():
            element_geometry = feature.geometry()
            shapes.append((element_geometry, element_layer.crs()))
    results = project.mapLayer(row.get("_layer_id") or "")
    if element_geometry is None and row.get("geometry") is not None and results is not None:
        shapes.append((row["geometry"], results.crs()))
    if agency_layer is not None and row.get("feature_fid") is not None:
        feature = agency_layer.getFeature(int(row["feature_fid"]))
        if feature.isValid() and feature.hasGeometry():
            shapes.append((feature.geometry(), agency_layer.crs()))
    return shapes


def zoom_to_finding(canvas, row: dict, agency_layer) -> None:
    """Zoom to the element and the agency feature together, and flash both."""
    destination = canvas.mapSettings().destinationCrs()
    project = QgsProject.instance()
    shapes = finding_shapes(row, agency_layer)
    extent = QgsRectangle()
    extent.setMinimal()
    for geometry, crs in shapes:
        try:
            box = QgsCoordinateTransform(crs, destination, project).transformBoundingBox(
                geometry.boundingBox()
            )
        except Exception:  # noqa: BLE001 - a feature outside the CRS's area is not zoomed to
            continue
        extent.combineExtentWith(box)
    if not shapes or extent.isNull():
        return
    minimum = 0.01 if destination.isGeographic() else 1000.0
    if extent.width() < minimum and extent.height() < minimum:
        centre = extent.center()
        extent = QgsRectangle(
            centre.x() - minimum, centre.y() - minimum, centre.x() + minimum, centre.y() + minimum
        )
    else:
        extent.scale(1.2)
    canvas.setExtent(extent)
    canvas.refresh()
    for geometry, crs in shapes:
        canvas.flashGeometries([geometry], crs)
