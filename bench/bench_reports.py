"""Reports and packages at the size of one region: Örebro län, real data.

59 RUS areas (every tätort of län 18 with a 2 km zone) checked against the riksintressen
för kulturmiljövård and the national parks; then the consultation report (overall PDF,
one PDF per agency, one HTML), the share package and the overlay atlas of the 12
municipalities. There is no native equivalent to compare with (QGIS has no report of
this kind); the lines say how long a planner waits and how large the files are.
"""

from __future__ import annotations

import os
import subprocess

from common import OUTPUT, SHARED_DATA, line, peak_memory_mb, start_qgis, timer


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(l.split()[1] for l in info.splitlines() if l.startswith("Pages:")))  # noqa: E741


def main() -> None:
    start_qgis()
    import geopandas as gpd
    import processing
    from qgis.core import QgsVectorLayer

    folder = OUTPUT / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    tatorter = gpd.read_file(SHARED_DATA / "tatorter.gpkg", layer="tatorter")
    tatorter = tatorter[tatorter["lan_code"] == "18"]
    areas = gpd.GeoDataFrame(
        {"namn": tatorter["name"].tolist()}, geometry=tatorter.buffer(2000).tolist(), crs=3006
    )
    areas.to_file(folder / "rus_omraden.gpkg", layer="rus_omraden", driver="GPKG")
    elements = QgsVectorLayer(f"{folder / 'rus_omraden.gpkg'}|layername=rus_omraden", "rus_omraden", "ogr")
    kultur = QgsVectorLayer(
        f"{SHARED_DATA / 'riksintressen_kulturmiljo.gpkg'}|layername=riksintressen_kulturmiljo",
        "riksintressen_kulturmiljo",
        "ogr",
    )
    kultur.setSubsetString("lanskod = '18'")
    parks = QgsVectorLayer(
        f"{SHARED_DATA / 'nvr_nationalparker.gpkg'}|layername=nationalparker", "nationalparker", "ogr"
    )
    times: dict = {}
    check = processing.run(
        "rusplanner:checkelements",
        {
            "ELEMENTS": [elements],
            "AGENCY_LAYERS": [kultur, parks],
            "OUTPUT": str(folder / "findings.gpkg"),
            "SUMMARY": str(folder / "summary.gpkg"),
        },
    )
    findings = QgsVectorLayer(check["OUTPUT"], "findings", "ogr")
    with timer(times, "report"):
        report = processing.run(
            "rusplanner:consultationreport",
            {
                "FINDINGS": findings,
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": [kultur, parks],
                "OUTPUT_FOLDER": str(folder / "report"),
            },
        )
    pdfs = [report["OVERALL_PDF"], *report["AGENCY_PDFS"].split(";")]
    pages = sum(_pages(p) for p in pdfs)
    size = sum(os.path.getsize(p) for p in pdfs) / 1e6
    line(
        f"reports: consultation report, {elements.featureCount()} elements, {findings.featureCount()} findings:",
        f"{times['report']:.1f} s for {len(pdfs)} PDFs ({pages} pages, {size:.1f} MB)",
        f"+ HTML {os.path.getsize(report['HTML']) / 1e6:.1f} MB",
    )
    with timer(times, "share"):
        share = processing.run(
            "rusplanner:sharegeopackage",
            {
                "ELEMENTS": [elements],
                "AGENCY_LAYERS": [kultur, parks],
                "RESULTS": [findings, QgsVectorLayer(check["SUMMARY"], "summary", "ogr")],
                "OUTPUT": str(folder / "package.gpkg"),
            },
        )
    line(
        f"reports: share as GeoPackage, {share['LAYER_COUNT']} layers + project:",
        f"{times['share']:.1f} s, {os.path.getsize(share['OUTPUT']) / 1e6:.1f} MB",
    )

    county = QgsVectorLayer(f"{SHARED_DATA / 'lan.gpkg'}|layername=lan", "lan", "ogr")
    county.setSubsetString("code = '18'")
    sector = QgsVectorLayer(
        f"{SHARED_DATA / 'lokal_arbetsmarknad.gpkg'}|layername=lokal_arbetsmarknad",
        "kompetens_arbetsmarknad",
        "ogr",
    )
    kultur_sector = QgsVectorLayer(kultur.source(), "kultur_riksintressen", "ogr")
    kultur_sector.setSubsetString("lanskod = '18'")
    overlay = processing.run(
        "rusplanner:sectoroverlay",
        {"SECTORS": [sector, kultur_sector], "EXTENT_LAYER": county, "OUTPUT": str(folder / "overlay.gpkg")},
    )["OUTPUT"]
    kommuner = QgsVectorLayer(f"{SHARED_DATA / 'kommuner.gpkg'}|layername=kommuner", "kommuner", "ogr")
    kommuner.setSubsetString("code LIKE '18%'")
    with timer(times, "atlas"):
        atlas = processing.run(
            "rusplanner:overlayatlas",
            {"OVERLAY": overlay, "ZONES": kommuner, "OUTPUT": str(folder / "atlas.pdf")},
        )
    line(
        f"reports: overlay atlas, {atlas['PAGE_COUNT']} municipalities:",
        f"{times['atlas']:.1f} s, {os.path.getsize(atlas['OUTPUT']) / 1e6:.1f} MB;",
        f"peak memory {peak_memory_mb():.0f} MB",
    )


if __name__ == "__main__":
    main()
