"""Real-data inputs for the report and share tests: RUS elements in Örebro län (18).

The elements are built from real places so the findings are real: the tätorter Åmmeberg
(inside the riksintresse för kulturmiljövård "Åmmeberg"), Örebro and Garphyttan as nodes;
a corridor from Örebro through Garphyttan national park towards Karlskoga; areas around
Nora (riksintresse "Centrala Nora") and inside Tiveden national park.
"""

from __future__ import annotations

from pathlib import Path

NODE_NAMES = ("Åmmeberg", "Örebro", "Garphyttan")


def write_elements(shared_data: Path, folder: Path) -> Path:
    """A GeoPackage with the layers rus_noder, rus_strak and rus_omraden (EPSG:3006)."""
    import geopandas as gpd
    import shapely

    tatorter = gpd.read_file(shared_data / "tatorter.gpkg", layer="tatorter")
    tatorter = tatorter[tatorter["lan_code"] == "18"].set_index("name")
    parks = gpd.read_file(shared_data / "nvr_nationalparker.gpkg", layer="nationalparker").to_crs(3006)
    garphyttan = parks[parks["NAMN"].str.contains("Garphyttan")].geometry.iloc[0]
    tiveden = parks[parks["NAMN"].str.contains("Tiveden")].geometry.iloc[0]

    path = folder / "rus_orebro.gpkg"
    nodes = gpd.GeoDataFrame(
        {"namn": list(NODE_NAMES)},
        geometry=[tatorter.loc[name].geometry for name in NODE_NAMES],
        crs=3006,
    )
    nodes.to_file(path, layer="rus_noder", driver="GPKG")
    corridor = shapely.LineString(
        [
            tatorter.loc["Örebro"].geometry,
            garphyttan.representative_point(),
            tatorter.loc["Karlskoga"].geometry,
        ]
    )
    gpd.GeoDataFrame({"namn": ["Stråket Örebro–Karlskoga"]}, geometry=[corridor], crs=3006).to_file(
        path, layer="rus_strak", driver="GPKG"
    )
    areas = gpd.GeoDataFrame(
        {"namn": ["Nora kulturstad", "Tivedens besöksområde"]},
        geometry=[
            tatorter.loc["Nora"].geometry.buffer(1500),
            tiveden.representative_point().buffer(2500),
        ],
        crs=3006,
    )
    areas.to_file(path, layer="rus_omraden", driver="GPKG")
    return path


def element_layers(path: Path) -> list:
    from qgis.core import QgsVectorLayer

    layers = [
        QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        for name in ("rus_noder", "rus_strak", "rus_omraden")
    ]
    assert all(layer.isValid() for layer in layers)
    return layers


def agency_layers(shared_data: Path) -> list:
    from qgis.core import QgsVectorLayer

    kultur = QgsVectorLayer(
        f"{shared_data / 'riksintressen_kulturmiljo.gpkg'}|layername=riksintressen_kulturmiljo",
        "riksintressen_kulturmiljo",
        "ogr",
    )
    kultur.setSubsetString("lanskod = '18'")
    parks = QgsVectorLayer(
        f"{shared_data / 'nvr_nationalparker.gpkg'}|layername=nationalparker", "nationalparker", "ogr"
    )
    assert kultur.isValid() and parks.isValid() and kultur.featureCount() > 0
    return [kultur, parks]


def background_layers(shared_data: Path) -> tuple:
    """Örebro län's kommuner (SCB, polygons) and tätorter (points), as the report's map background."""
    from qgis.core import QgsVectorLayer

    kommuner = QgsVectorLayer(f"{shared_data / 'kommuner.gpkg'}|layername=kommuner", "kommuner", "ogr")
    kommuner.setSubsetString("code LIKE '18%'")
    tatorter = QgsVectorLayer(f"{shared_data / 'tatorter.gpkg'}|layername=tatorter", "tatorter", "ogr")
    tatorter.setSubsetString("lan_code = '18'")
    assert kommuner.isValid() and tatorter.isValid() and kommuner.featureCount() == 12
    return kommuner, tatorter


def run_check(elements: list, agencies: list, output: Path):
    """The findings of rusplanner:checkelements, written to a GeoPackage and opened."""
    import processing
    from qgis.core import QgsVectorLayer

    result = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": elements,
            "AGENCY_LAYERS": agencies,
            "OUTPUT": str(output),
            "SUMMARY": "TEMPORARY_OUTPUT",
        },
    )
    layer = QgsVectorLayer(result["OUTPUT"], "findings", "ogr")
    assert layer.isValid()
    return layer


def release(data: dict) -> None:
    """Drop a module fixture's layers while QGIS still runs (a layer freed after exitQgis crashes)."""
    import gc

    data.clear()
    gc.collect()
