"""Live mode: re-checking one edited element (what the panel does after an edit) against a full
check and QGIS's native spatial join, on Örebro län (59 tätorter as 3 km areas, the county's
riksintressen för kulturmiljövård and the national parks)."""

from __future__ import annotations

from common import SHARED_DATA, line, timer


def main() -> None:
    import processing
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsGeometry,
        QgsProject,
        QgsVectorLayer,
    )

    from rus_planner.rus_planner.core.profile_load import load_default_profile
    from rus_planner.rus_planner.qgis_io.check_read import check_elements, prepare_agency_layers
    from rus_planner.rus_planner.qgis_io.element_read import prepare_elements
    from rus_planner.rus_planner.ui.task import layer_ref

    points = QgsVectorLayer(f"{SHARED_DATA / 'tatorter.gpkg'}|layername=tatorter", "tatorter", "ogr")
    points.setSubsetString("lan_code = '18'")
    areas = processing.run(
        "native:buffer", {"INPUT": points, "DISTANCE": 3000, "SEGMENTS": 8, "OUTPUT": "memory:"}
    )["OUTPUT"]
    areas.setName("Utvecklingsområden")
    kultur = QgsVectorLayer(
        str(SHARED_DATA / "riksintressen_kulturmiljo.gpkg"), "riksintressen_kulturmiljo", "ogr"
    )
    parks = QgsVectorLayer(str(SHARED_DATA / "nvr_nationalparker.gpkg"), "nationalparker", "ogr")
    profile = load_default_profile()
    crs = QgsCoordinateReferenceSystem("EPSG:3006")
    context = QgsProject.instance().transformContext()
    times: dict[str, float] = {}

    with timer(times, "full"):
        elements, _ = prepare_elements([layer_ref(areas)], profile, crs, context)
        agency, _ = prepare_agency_layers([layer_ref(kultur), layer_ref(parks)], profile, crs, context)
        full = check_elements(elements, agency)

    areas.startEditing()
    fid = next(areas.getFeatures()).id()
    moved = QgsGeometry(areas.getFeature(fid).geometry())
    moved.translate(500, 0)
    areas.changeGeometry(fid, moved)
    repeats = 20
    with timer(times, "live"):
        for _ in range(repeats):
            one, _ = prepare_elements([layer_ref(areas, [fid])], profile, crs, context)
            check_elements(one, agency)
    areas.rollBack()

    with timer(times, "native"):
        for agency_layer in (kultur, parks):
            processing.run(
                "native:joinattributesbylocation",
                {
                    "INPUT": areas,
                    "JOIN": agency_layer,
                    "PREDICATE": [0],
                    "METHOD": 0,
                    "DISCARD_NONMATCHING": True,
                    "OUTPUT": "memory:",
                },
            )
    live = times["live"] / repeats
    line(
        f"live: re-check of 1 edited element {live * 1000:.1f} ms (mean of {repeats}); "
        f"full check of {len(elements)} elements {times['full'] * 1000:.0f} ms ({full.finding_count} findings); "
        f"native join of all elements with both layers {times['native'] * 1000:.0f} ms; "
        f"ratio live/full {live / times['full']:.3f}"
    )
