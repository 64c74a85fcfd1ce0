#!/usr/bin/env python3
"""Build the demo region, Örebro län, into resources/demo/orebro_lan.gpkg.

Real open data (from ../shared/data/sweden) cut to the county, plus illustrative RUS
elements and sector layers derived from it. The illustrative layers carry the field
`underlag` = "Illustrativt – inte officiellt underlag" so nobody mistakes them for a
region's adopted strategy. Layer names are chosen so that the default profile recognises
them (e.g. "rus_noder" → nod, "riksintressen_kulturmiljovard" → riksintresse kulturmiljövård).

Run with the project venv:  .venv/bin/python scripts/build_demo_data.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data" / "sweden"
OUTPUT = REPO / "resources" / "demo" / "orebro_lan.gpkg"
LAN_CODE = "18"
ILLUSTRATIVE = "Illustrativt – inte officiellt underlag"

# Regional nodes: the largest tätorter, with an illustrative category (after RUFS/Skåne terms).
NODES = {
    "Örebro": "Regional kärna",
    "Karlskoga": "Delregional nod",
    "Kumla": "Delregional nod",
    "Lindesberg": "Delregional nod",
    "Hallsberg": "Delregional nod",
    "Askersund": "Landsbygdsnod",
    "Nora": "Landsbygdsnod",
}
# Corridors between nodes (stråk), with their theme.
CORRIDORS = [
    ("Örebro", "Karlskoga", "Stråket Örebro–Karlskoga (E18/Värmlandsbanan)"),
    ("Örebro", "Kumla", "Stråket Örebro–Kumla"),
    ("Kumla", "Hallsberg", "Stråket Kumla–Hallsberg (Västra stambanan)"),
    ("Örebro", "Lindesberg", "Stråket Örebro–Lindesberg (Bergslagsbanan)"),
    ("Örebro", "Nora", "Stråket Örebro–Nora"),
    ("Hallsberg", "Askersund", "Stråket Hallsberg–Askersund"),
]


def read(name: str, layer: str | None = None) -> gpd.GeoDataFrame:
    return gpd.read_file(SHARED / name, layer=layer)


def within_county(frame: gpd.GeoDataFrame, county: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Features that intersect the county, tested in the frame's own CRS (kept as shipped)."""
    area = county.to_crs(frame.crs).geometry.iloc[0]
    return frame[frame.intersects(area)].reset_index(drop=True)


def build() -> dict[str, gpd.GeoDataFrame]:
    lan = read("lan.gpkg")
    county = lan[lan["code"] == LAN_CODE].reset_index(drop=True)
    kommuner = read("kommuner.gpkg")
    kommuner = kommuner[kommuner["code"].str.startswith(LAN_CODE)].reset_index(drop=True)
    tatorter = read("tatorter.gpkg")
    tatorter = tatorter[tatorter["lan_code"] == LAN_CODE].reset_index(drop=True)
    arbetsmarknad = within_county(read("lokal_arbetsmarknad.gpkg"), county)
    riks = read("riksintressen_kulturmiljo.gpkg")
    riks = riks[riks["lanskod"] == LAN_CODE].reset_index(drop=True)
    parks = within_county(read("nvr_nationalparker.gpkg"), county)  # EPSG:4326, as published
    monuments = within_county(read("nvr_naturminne.gpkg", "naturminne_polygon"), county)
    monument_points = within_county(read("nvr_naturminne.gpkg", "naturminne_punkt"), county)

    by_name = tatorter.set_index("name")
    crs = tatorter.crs

    nodes = gpd.GeoDataFrame(
        {
            "id": [f"N{i + 1}" for i in range(len(NODES))],
            "namn": list(NODES),
            "elementtyp": "nod",
            "kategori": list(NODES.values()),
            "tema": "bebyggelse",
            "status": "befintlig",
            "underlag": ILLUSTRATIVE,
        },
        geometry=[by_name.loc[name].geometry for name in NODES],
        crs=crs,
    )

    corridors = gpd.GeoDataFrame(
        {
            "id": [f"S{i + 1}" for i in range(len(CORRIDORS))],
            "namn": [label for _, _, label in CORRIDORS],
            "elementtyp": "stråk",
            "kategori": "Kollektivtrafik- och godsstråk",
            "tema": "transport",
            # E18 and Värmlandsbanan exist: the strategy develops the corridor, it does not propose it,
            # so its findings are information (issue 16: status befintlig / planerad / utredning).
            "status": [
                "befintlig"
                if label == "Stråket Örebro–Karlskoga (E18/Värmlandsbanan)"
                else "utvecklingsområde"
                for _, _, label in CORRIDORS
            ],
            # Drawn straight between tätorter on a 1:250 000 structure map: schematic, so the check
            # gives them a scale tolerance of 250 m (1 mm on the map).
            "skala": "1:250 000",
            "underlag": ILLUSTRATIVE,
        },
        geometry=[LineString([by_name.loc[a].geometry, by_name.loc[b].geometry]) for a, b, _ in CORRIDORS],
        crs=crs,
    )

    # Development areas: a logistics area between Örebro and Kumla, a station area in Hallsberg,
    # and a visitor-economy area reaching into Tiveden (it meets the national park on purpose).
    orebro, kumla, hallsberg = (by_name.loc[n].geometry for n in ("Örebro", "Kumla", "Hallsberg"))
    tiveden = parks[parks["NAMN"].str.contains("Tiveden")].to_crs(crs).geometry.iloc[0]
    tiveden_edge = shapely.Point(tiveden.centroid.x + 3500, tiveden.centroid.y + 2500)
    areas = gpd.GeoDataFrame(
        {
            "id": ["O1", "O2", "O3"],
            "namn": [
                "Logistikområde Örebro–Kumla",
                "Stationsnära utveckling Hallsberg",
                "Besöksnäringsområde Tiveden",
            ],
            "elementtyp": "område",
            "kategori": ["Verksamheter", "Stationsnära bebyggelse", "Besöksnäring"],
            "tema": ["transport", "bebyggelse", "besöksnäring"],
            "status": "utvecklingsområde",
            "underlag": ILLUSTRATIVE,
        },
        geometry=[
            shapely.Point((orebro.x + kumla.x) / 2, (orebro.y + kumla.y) / 2).buffer(2500, quad_segs=8),
            hallsberg.buffer(1200, quad_segs=8),
            tiveden_edge.buffer(3000, quad_segs=8),
        ],
        crs=crs,
    )

    def illustrative(frame: gpd.GeoDataFrame, **columns) -> gpd.GeoDataFrame:
        frame = frame.copy()
        for key, value in columns.items():
            frame[key] = value
        frame["underlag"] = ILLUSTRATIVE
        return frame

    service_points = illustrative(
        tatorter[tatorter["pop"] >= 1000][["name", "pop", "geometry"]].rename(columns={"name": "namn"}),
        typ="vårdcentral",
    )
    visitor = gpd.GeoDataFrame(
        {"namn": list(parks["NAMN"]) + list(riks["namn"])},
        geometry=list(parks.to_crs(crs).geometry.buffer(1000)) + list(riks.geometry.buffer(1000)),
        crs=crs,
    )
    visitor = illustrative(visitor, typ="besöksmål")
    transport = illustrative(corridors[["namn", "geometry"]], typ="stråk")
    county_area = county.geometry.iloc[0]
    skills = arbetsmarknad.copy()
    skills["geometry"] = skills.geometry.intersection(county_area)
    skills = illustrative(
        skills[skills["name"].isin(["Örebro", "Hällefors"])].rename(columns={"name": "namn"})
    )
    culture = illustrative(riks[["namn", "ri_id", "geometry"]])
    civil = illustrative(
        tatorter[tatorter["pop"] >= 5000][["name", "pop", "geometry"]].rename(columns={"name": "namn"}),
        typ="beredskapsnod",
    )
    largest_per_kommun = tatorter.groupby("mun_code")["pop"].max()
    rural = kommuner[kommuner["code"].map(largest_per_kommun).fillna(0) < 5000]
    socio = illustrative(rural.rename(columns={"name": "namn"}), typ="landsbygdskommun")

    return {
        "lan": county,
        "kommuner": kommuner,
        "tatorter": tatorter,
        "lokal_arbetsmarknad": arbetsmarknad,
        "riksintressen_kulturmiljovard": riks,
        "nationalparker": parks,
        "naturminne": monuments,
        "naturminne_punkter": monument_points,
        "rus_noder": nodes,
        "rus_strak": corridors,
        "rus_omraden": areas,
        "halso_sjukvard_servicepunkter": service_points,
        "besoksnaring_besoksmal": visitor,
        "transport_strak": transport,
        "kompetensforsorjning_arbetsmarknad": skills,
        "kultur_miljoer": culture,
        "civilt_forsvar_beredskapsnoder": civil,
        "socioekonomi_landsbygd": socio,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"the shared data folder is missing: {SHARED}")
    layers = build()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.output.exists():
        args.output.unlink()
    for name, frame in layers.items():
        frame = frame.copy()
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.strftime("%Y-%m-%d")
        # GeoPackage 1.2: the version QGIS 3.22's GDAL (3.6) reads without warnings.
        frame.to_file(args.output, layer=name, driver="GPKG", dataset_options={"VERSION": "1.2"})
        print(f"{name}: {len(frame)} features ({frame.crs.to_string()})")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
