"""rusplanner:territorialsummary against hand-computed zones and independent shapely areas."""

from __future__ import annotations

from pathlib import Path

import processing
import pytest
import shapely
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QMetaType

from rus_planner.rus_planner.qgis_io.compat import qgs_field

REPO_DEMO = "resources/demo/orebro_lan.gpkg"


def memory_layer(kind: str, fields: list[tuple[str, QMetaType.Type]], rows: list[tuple[str, list]]):
    """A memory layer in EPSG:3006 from (WKT, attributes) rows."""
    layer = QgsVectorLayer(f"{kind}?crs=EPSG:3006", "test", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([qgs_field(name, kind_) for name, kind_ in fields])
    layer.updateFields()
    features = []
    for wkt, attributes in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(attributes)
        features.append(feature)
    provider.addFeatures(features)
    return layer


def square(x0, y0, size):
    return f"Polygon(({x0} {y0}, {x0 + size} {y0}, {x0 + size} {y0 + size}, {x0} {y0 + size}, {x0} {y0}))"


@pytest.fixture
def zones():
    """Two 1000 m × 1000 m municipalities side by side."""
    return memory_layer(
        "Polygon",
        [("kod", QMetaType.Type.QString), ("namn", QMetaType.Type.QString)],
        [(square(500000, 6500000, 1000), ["1801", "Väst"]), (square(501000, 6500000, 1000), ["1802", "Öst"])],
    )


@pytest.fixture
def overlay():
    """A planar partition as Sector overlay writes it: flags, *_src, sector_count, score, sectors."""
    fields = [
        ("kultur", QMetaType.Type.Int),
        ("kultur_src", QMetaType.Type.QString),
        ("transport", QMetaType.Type.Int),
        ("transport_src", QMetaType.Type.QString),
        ("sector_count", QMetaType.Type.Int),
        ("score", QMetaType.Type.Double),
        ("sectors", QMetaType.Type.QString),
    ]
    return memory_layer(
        "Polygon",
        fields,
        [
            # kultur only: x 500000–500500 (west half of Väst)
            (
                "Polygon((500000 6500000, 500500 6500000, 500500 6501000, 500000 6501000, 500000 6500000))",
                [1, "k:1", 0, "", 1, 2.0, "kultur"],
            ),
            # kultur + transport: x 500500–501500, lower half (straddles both zones)
            (
                "Polygon((500500 6500000, 501500 6500000, 501500 6500500, 500500 6500500, 500500 6500000))",
                [1, "k:1", 1, "t:4", 2, 3.0, "kultur, transport"],
            ),
            # transport only: x 501500–502000, whole height
            (
                "Polygon((501500 6500000, 502000 6500000, 502000 6501000, 501500 6501000, 501500 6500000))",
                [0, "", 1, "t:4", 1, 1.0, "transport"],
            ),
        ],
    )


@pytest.fixture
def findings():
    return memory_layer(
        "Point",
        [("severity", QMetaType.Type.QString)],
        [
            ("Point(500100 6500100)", ["A"]),
            ("Point(500200 6500100)", ["B"]),
            ("Point(501900 6500900)", ["C"]),
            ("Point(501950 6500950)", ["C"]),
            ("Point(503000 6503000)", ["A"]),  # outside every zone
        ],
    )


def test_hand_computed_zones(rus_provider, zones, overlay, findings):
    result = processing.run(
        "rusplanner:territorialsummary",
        {"ZONES": zones, "OVERLAY": overlay, "FINDINGS": findings, "OUTPUT": "memory:"},
    )["OUTPUT"]
    rows = {f["namn"]: f for f in result.getFeatures()}
    west, east = rows["Väst"], rows["Öst"]
    assert west["kod"] == "1801"  # the zone's own fields are kept
    assert west["zone_area_ha"] == pytest.approx(100.0)
    # Väst: kultur = 500×1000 + 500×500 = 750,000 m²; transport = 500×500 = 250,000 m²
    assert west["kultur_share"] == pytest.approx(0.75)
    assert west["kultur_ha"] == pytest.approx(75.0)
    assert west["transport_share"] == pytest.approx(0.25)
    assert west["covered_share"] == pytest.approx(0.75)
    # score: 500,000 m² × 2 + 250,000 m² × 3 over 1,000,000 m²
    assert west["score_mean"] == pytest.approx(1.75)
    assert west["score_max"] == pytest.approx(3.0)
    assert west["sector_count_max"] == 2
    # Öst: kultur = 500×500 = 250,000; transport = 500×500 + 500×1000 = 750,000; any = 750,000
    assert east["kultur_share"] == pytest.approx(0.25)
    assert east["transport_share"] == pytest.approx(0.75)
    assert east["covered_share"] == pytest.approx(0.75)
    assert east["score_mean"] == pytest.approx((250_000 * 3 + 500_000 * 1) / 1e6)
    assert (west["findings_a"], west["findings_b"], west["findings_c"], west["findings_d"]) == (1, 1, 0, 0)
    assert (east["findings_a"], east["findings_c"], east["findings_total"]) == (0, 2, 2)


def test_needs_an_overlay_or_findings(rus_provider, zones):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="nothing to summarise"):
        processing.run("rusplanner:territorialsummary", {"ZONES": zones, "OUTPUT": "memory:"})


def test_geographic_crs_is_refused(rus_provider, zones, findings):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="geographic"):
        processing.run(
            "rusplanner:territorialsummary",
            {"ZONES": zones, "FINDINGS": findings, "TARGET_CRS": "EPSG:4326", "OUTPUT": "memory:"},
        )


def _shapely(layer: QgsVectorLayer, where=None) -> list:
    return [
        shapely.from_wkb(bytes(f.geometry().asWkb()))
        for f in layer.getFeatures()
        if where is None or where(f)
    ]


def test_real_municipalities_against_independent_areas(rus_provider, shared_data):
    """Örebro län: overlay three real sectors, summarise per kommun, compare with shapely areas."""
    gpkg = Path(__file__).resolve().parent.parent / REPO_DEMO
    layer = lambda name: QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")  # noqa: E731
    sectors = [
        layer("kultur_miljoer"),
        layer("kompetensforsorjning_arbetsmarknad"),
        layer("socioekonomi_landsbygd"),
    ]
    county, kommuner = layer("lan"), layer("kommuner")
    assert all(s.isValid() for s in sectors) and county.isValid() and kommuner.isValid()

    overlay = processing.run(
        "rusplanner:sectoroverlay", {"SECTORS": sectors, "EXTENT_LAYER": county, "OUTPUT": "memory:"}
    )["OUTPUT"]
    summary = processing.run(
        "rusplanner:territorialsummary", {"ZONES": kommuner, "OVERLAY": overlay, "OUTPUT": "memory:"}
    )["OUTPUT"]
    rows = {f["name"]: f for f in summary.getFeatures()}
    assert len(rows) == 12
    whole = processing.run(
        "rusplanner:territorialsummary", {"ZONES": county, "OVERLAY": overlay, "OUTPUT": "memory:"}
    )["OUTPUT"]
    county_row = next(whole.getFeatures())

    county_geometry = shapely.union_all(_shapely(county))
    for sector_layer, sector_id in zip(
        sectors, ("kultur_miljoer", "kompetensforsorjning_arbetsmarknad", "socioekonomi_landsbygd")
    ):
        dissolved = shapely.intersection(shapely.union_all(_shapely(sector_layer)), county_geometry)
        total_expected = 0.0
        for kommun in kommuner.getFeatures():
            zone = shapely.from_wkb(bytes(kommun.geometry().asWkb()))
            expected = shapely.area(shapely.intersection(zone, dissolved))
            got = rows[kommun["name"]][f"{sector_id}_ha"] * 1e4
            assert got == pytest.approx(expected, rel=1e-6, abs=1e-3), (sector_id, kommun["name"])
            assert rows[kommun["name"]][f"{sector_id}_share"] == pytest.approx(
                expected / shapely.area(zone), rel=1e-6, abs=1e-9
            )
            total_expected += expected
        assert total_expected > 0
        # With the county itself as the zone, the summary equals the overlay's own area per sector
        overlay_area = sum(f.geometry().area() for f in overlay.getFeatures() if f[sector_id] == 1)
        assert county_row[f"{sector_id}_ha"] * 1e4 == pytest.approx(overlay_area, rel=1e-6)
        assert overlay_area == pytest.approx(shapely.area(dissolved), rel=1e-6)
