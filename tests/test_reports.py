"""rusplanner:consultationreport and rusplanner:overlayatlas on real data of Örebro län.

The reports are read back the way a person or another program reads them: pages counted
with pdfinfo, text extracted with pdftotext, pages rendered with pdftoppm, the HTML parsed
with html.parser. Expected values come from the findings layer and the input layers
(read with QGIS), not from the report code.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import report_data

REPO = Path(__file__).resolve().parent.parent
SEVERITY_LINE = re.compile(r"^\s{0,3}([ABCD])\s{3,}\S")


# --------------------------------------------------------------------------- helpers


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def element_pages(path) -> list[str]:
    """The element heading of each element page, once per element (its name first, then its type
    and kommuner, " · " between).

    The cover is page 1; the interests not checked, and at the end the elements without findings
    and the sources, have pages of their own (headed by those words, in Swedish or English). A
    table too long for its page continues on pages headed "<element> (forts.)" ("(continued)"
    in English); each such page must follow a page of the same element.
    """
    other = ("Intressen som inte kontrollerats", "Interests not checked", "Element utan", "Elements without")
    elements: list[str] = []
    for page in range(2, pdf_pages(path) + 1):
        heading = [line.strip() for line in pdf_text(path, page, page).splitlines() if line.strip()][1]
        if heading.startswith(other):
            continue
        base, _, tail = heading.rpartition(" (")
        if base and tail in ("forts.)", "continued)"):
            assert elements and elements[-1] == base, f"page {page}: {heading}"
        else:
            elements.append(heading)
    return elements


def page_of(path, element: str) -> int:
    """The page whose heading names the element (its first page)."""
    for page in range(2, pdf_pages(path) + 1):
        lines = [line.strip() for line in pdf_text(path, page, page).splitlines() if line.strip()]
        if lines[1].split(" · ")[0] == element:
            return page
    raise AssertionError(f"no page for {element}")


def recipients_by_hand(agency: str) -> set[str]:
    """The receiving agencies of a finding as the issue states them: each agency the text names
    ("A / b"), the kommun left to the kommun reports, "länsstyrelsen" written "Länsstyrelsen"."""
    parts = {p.strip() for p in agency.split("/")} - {"kommunen", ""}
    return {"Länsstyrelsen" if p.lower().startswith("länsstyrelse") else p[0].upper() + p[1:] for p in parts}


def pdf_text(path, first: int | None = None, last: int | None = None, layout: bool = True) -> str:
    """pdftotext output with ligatures (ﬁ, ﬀ) unfolded, as a reader's search would."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    text = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", text)


def flat(text: str) -> str:
    """Text with every run of white space as one blank (table cells wrap names)."""
    return re.sub(r"\s+", " ", text)


def render_page(path, page: int, target: Path):
    """A page rendered by poppler (not by QGIS) at 50 dpi, saved as an artifact."""
    stem = target.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(stem),
        ],
        check=True,
    )
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(target))
    assert not image.isNull()
    return image


def pixel_spread(image) -> tuple[float, int]:
    """Standard deviation of the grey values and the number of distinct colours."""
    import numpy as np

    grey = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
    ]
    colours = {image.pixel(x, y) for y in range(0, image.height(), 5) for x in range(0, image.width(), 5)}
    return float(np.std(grey)), len(colours)


def findings_rows(layer) -> list[dict]:
    """The findings as dicts, NULL as None."""
    names = layer.fields().names()
    return [dict(zip(names, map(_plain, f.attributes()))) for f in layer.getFeatures()]


def _plain(value):
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def _text(value) -> str:
    """A value as the HTML's data attributes write it ("" for none)."""
    return "" if value is None else str(value)


def element_names(layers) -> dict[str, str]:
    """element id ("layer:fid", as the check writes it) → name, read with QGIS."""
    return {f"{layer.name()}:{f.id()}": f["namn"] for layer in layers for f in layer.getFeatures()}


class RowParser(HTMLParser):
    """Collects the finding rows (their data attributes and cell texts) and resources."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.resources: list[str] = []
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr" and "finding" in (attributes.get("class") or "").split():
            self._row = {"attrs": attributes, "cells": []}
        elif tag == "td" and self._row is not None:
            self._cell = []
        if tag in ("img", "script", "link", "iframe"):
            self.resources.append(attributes.get("src") or attributes.get("href") or "")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row["cells"].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def provider(rus_provider_module):
    return rus_provider_module


@pytest.fixture(scope="module")
def inputs(provider, shared_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_inputs")
    path = report_data.write_elements(shared_data, folder)
    elements = report_data.element_layers(path)
    agencies = report_data.agency_layers(shared_data)
    findings = report_data.run_check(elements, agencies, folder / "findings.gpkg")
    kommuner, tatorter = report_data.background_layers(shared_data)
    data = {
        "elements": elements,
        "agencies": agencies,
        "findings": findings,
        "folder": folder,
        "kommuner": kommuner,
        "tatorter": tatorter,
    }
    yield data
    report_data.release(data)


@pytest.fixture(scope="module")
def swedish(inputs, tmp_path_factory):
    import processing

    folder = tmp_path_factory.mktemp("report_sv")
    result = processing.run(
        "rusplanner:consultationreport",
        {
            "FINDINGS": inputs["findings"],
            "ELEMENTS": inputs["elements"],
            "AGENCY_LAYERS": inputs["agencies"],
            "KOMMUNER": inputs["kommuner"],
            "TATORTER": inputs["tatorter"],
            "REGION": "Örebro län",
            "RUS_VERSION": "Remissversion 2026-12",
            "CONTACT": "Anna Planerare, regionen",
            "OUTPUT_FOLDER": str(folder),
        },
    )
    return result


# --------------------------------------------------------------------------- consultation report


def test_one_pdf_per_receiving_agency_and_kommun_and_one_overall(inputs, swedish):
    rows = findings_rows(inputs["findings"])
    agencies = {r["agency"] for r in rows}
    # Försvarsmakten: the profile's standing class D notice for its classified riksintressen, one
    # finding per element. "Riksantikvarieämbetet / länsstyrelsen" goes to both agencies.
    assert agencies == {"Naturvårdsverket", "Riksantikvarieämbetet / länsstyrelsen", "Försvarsmakten"}
    receiving = {"Naturvårdsverket", "Riksantikvarieämbetet", "Länsstyrelsen", "Försvarsmakten"}
    pdfs = swedish["AGENCY_PDFS"].split(";")
    kommun_pdfs = swedish["KOMMUN_PDFS"].split(";")
    assert len(pdfs) == len(receiving)
    assert swedish["PDF_COUNT"] == 1 + len(pdfs) + len(kommun_pdfs)
    element_count = sum(layer.featureCount() for layer in inputs["elements"])
    assert element_count == 6
    # Only the elements with a finding of class A–C get a page of their own (more where the
    # table continues); the others share one table at the end.
    headings = element_pages(swedish["OVERALL_PDF"])
    names = element_names(inputs["elements"])
    with_findings = {names[r["element_id"]] for r in rows if r["severity"] != "D"}
    assert sorted(h.split(" · ")[0] for h in headings) == sorted(with_findings)
    closing = flat(pdf_text(swedish["OVERALL_PDF"], pdf_pages(swedish["OVERALL_PDF"]), layout=False))
    for name in set(names.values()) - with_findings:
        assert name in closing, name
    for agency in receiving:
        path = next(p for p in pdfs if f"Till {agency}" in pdf_text(p, 1, 1, layout=False))
        own = {
            names[r["element_id"]]
            for r in rows
            if r["severity"] != "D" and agency in recipients_by_hand(r["agency"])
        }
        assert sorted(h.split(" · ")[0] for h in element_pages(path)) == sorted(own), agency
    cover = pdf_text(next(p for p in pdfs if "lansstyrelsen" in p), 1, 1, layout=False)
    assert "Till Länsstyrelsen i Örebro län" in cover


def test_one_report_per_kommun_with_the_interests_touching_its_part(inputs, swedish, shared_data):
    """Which kommuner an element and a finding's affected part lie in, computed with geopandas."""
    import geopandas as gpd

    kommuner = gpd.read_file(shared_data / "kommuner.gpkg", layer="kommuner")
    kommuner = kommuner[kommuner["code"].str.startswith("18")].to_crs(3006)
    path = inputs["folder"] / "rus_orebro.gpkg"
    elements = {}
    for layer in ("rus_noder", "rus_strak", "rus_omraden"):
        for _, row in gpd.read_file(path, layer=layer).iterrows():
            elements[row["namn"]] = row.geometry

    def lies_in(geometry, zone) -> bool:
        part = geometry.intersection(zone)
        return not part.is_empty and (
            part.area > 0 or part.length > 0 or geometry.geom_type.endswith("Point")
        )

    touched = {
        k["name"]: {n for n, g in elements.items() if lies_in(g, k.geometry)} for _, k in kommuner.iterrows()
    }
    touched = {k: v for k, v in touched.items() if v}
    pdfs = swedish["KOMMUN_PDFS"].split(";")
    assert len(pdfs) == len(touched)
    findings = gpd.read_file(inputs["folder"] / "findings.gpkg").to_crs(3006)
    for kommun, names in touched.items():
        path = next(p for p in pdfs if kommun in pdf_text(p, 1, 1, layout=False).splitlines()[1])
        text = flat(pdf_text(path, layout=False))
        assert f"Element {len(names)} " in flat(pdf_text(path, 1, 1, layout=False)), kommun
        zone = kommuner[kommuner["name"] == kommun].geometry.iloc[0]
        listed = set()
        for _, row in findings[findings["severity"] != "D"].iterrows():
            shown = f"{row['rule_name']}: {row['feature_name']}" in text
            assert shown == lies_in(row.geometry, zone), (kommun, row["feature_name"])
            if shown:
                listed.add(row["element_name"])
        # The elements with a finding there have a page each; the others are in the closing table.
        assert {h.split(" · ")[0] for h in element_pages(path)} == listed
        assert listed <= names


def test_pdf_text_names_every_element_agency_severity_and_source(inputs, swedish, shared_data):
    rows = findings_rows(inputs["findings"])
    text = flat(pdf_text(swedish["OVERALL_PDF"], layout=False))
    for name in element_names(inputs["elements"]).values():
        assert name in text, name
    for row in rows:
        assert row["agency"] in text
        assert row["feature_name"] is None or row["feature_name"] in text
        if row["severity"] != "D":  # class D: named once, under the interests not checked
            assert row["legal_basis"] in text
    # Every class A–C finding's class stands at the start of its table row on the element pages.
    found = Counter(
        m.group(1)
        for line in pdf_text(swedish["OVERALL_PDF"], 2).splitlines()
        for m in [SEVERITY_LINE.match(line)]
        if m
    )
    assert found == Counter(r["severity"] for r in rows if r["severity"] != "D")
    # Provenance: profile, plugin version, the data sources with their file dates, the time of the run.
    version = next(
        line.split("=", 1)[1].strip()
        for line in (REPO / "metadata.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("version=")
    )
    cover = pdf_text(swedish["OVERALL_PDF"], 1, 1, layout=False)
    assert "Standardprofil Sverige" in cover and version in cover
    assert datetime.now(timezone.utc).strftime("%Y-%m-%d") in cover
    assert "Örebro län" in cover and "Remissversion 2026-12" in cover and "Anna Planerare, regionen" in cover
    # Counts per class and per nature, as the findings hold them.
    layout_cover = flat(pdf_text(swedish["OVERALL_PDF"], 1, 1))
    for severity, count in Counter(r["severity"] for r in rows).items():
        assert re.search(rf"{severity} {severity} – [^0-9]+ {count}\b", layout_cover), severity
    natures = {"conflict": "konflikt", "agreement": "samstämmighet", "information": "information"}
    counted = Counter(r["nature"] for r in rows if r["nature"])
    assert counted and all(f"{natures[n]} {c}" in layout_cover for n, c in counted.items()), counted
    # The sources close the report: each dataset once, dated as its data states (gpkg_contents).
    closing = pdf_text(swedish["OVERALL_PDF"], pdf_pages(swedish["OVERALL_PDF"]), layout=False)
    for name in ("riksintressen_kulturmiljo", "nationalparker", "rus_noder", "rus_strak", "rus_omraden"):
        dated = re.findall(rf"\b{name} \d{{4}}-\d\d-\d\d", flat(closing).replace("_ ", "_"))
        assert len(dated) == 1, name  # dataset, then its date
    with sqlite3.connect(shared_data / "nvr_nationalparker.gpkg") as connection:
        (stated,) = connection.execute(
            "SELECT last_change FROM gpkg_contents WHERE table_name = 'nationalparker'"
        ).fetchone()
    assert stated[:10] in closing


def test_agency_pdf_holds_only_that_agencys_findings(inputs, swedish):
    rows = findings_rows(inputs["findings"])
    path = next(p for p in swedish["AGENCY_PDFS"].split(";") if "naturvardsverket" in p)
    text = flat(pdf_text(path, layout=False))
    for row in rows:
        shown = f"{row['rule_name']}: {row['feature_name']}" in text
        expected = "Naturvårdsverket" in recipients_by_hand(row["agency"]) and row["severity"] != "D"
        assert shown == expected, row["feature_name"]


def test_report_is_swedish_by_default_and_english_on_request(inputs, swedish, tmp_path):
    import processing

    assert "Planeringsprofil" in pdf_text(swedish["OVERALL_PDF"], 1, 1)
    result = processing.run(
        "rusplanner:consultationreport",
        {
            "FINDINGS": inputs["findings"],
            "ELEMENTS": inputs["elements"],
            "LANGUAGE": 1,
            "OUTPUT_FOLDER": str(tmp_path),
        },
    )
    cover = pdf_text(result["OVERALL_PDF"], 1, 1)
    assert "Planning profile" in cover and "Planeringsprofil" not in cover
    assert "Check against national interests" in cover


def test_rendered_pages_are_not_blank(swedish, test_output):
    cover = render_page(swedish["OVERALL_PDF"], 1, test_output / "report_page1.png")
    first = page_of(swedish["OVERALL_PDF"], "Nora kulturstad")
    element = render_page(swedish["OVERALL_PDF"], first, test_output / "report_element_page.png")
    agency = swedish["AGENCY_PDFS"].split(";")[0]
    render_page(agency, 2, test_output / "report_agency_page2.png")
    for image in (cover, element):
        spread, colours = pixel_spread(image)
        assert spread > 10 and colours > 8, (spread, colours)
    # A map page shows colour (agency areas, severity), not only black text on white.
    reds = sum(
        1
        for y in range(0, element.height(), 2)
        for x in range(0, element.width(), 2)
        if element.pixelColor(x, y).saturation() > 80
    )
    assert reds > 50


def test_html_holds_every_finding_and_nothing_external(inputs, swedish):
    html = Path(swedish["HTML"]).read_text(encoding="utf-8")
    parser = RowParser()
    parser.feed(html)
    rows = findings_rows(inputs["findings"])
    expected = sorted(
        (r["element_id"], r["rule_id"], r["agency_layer"] or "", _text(r["feature_fid"]), r["severity"])
        for r in rows
        if r["severity"] != "D"
    )
    shown = sorted(
        (
            r["attrs"]["data-element"],
            r["attrs"]["data-rule"],
            r["attrs"]["data-agency-layer"],
            r["attrs"]["data-feature-fid"],
            r["attrs"]["data-severity"],
        )
        for r in parser.rows
    )
    assert shown == expected
    by_key = {
        (r["attrs"]["data-element"], r["attrs"]["data-feature-fid"], r["attrs"]["data-rule"]): r
        for r in parser.rows
    }
    for row in (r for r in rows if r["severity"] != "D"):
        cells = by_key[(row["element_id"], _text(row["feature_fid"]), row["rule_id"])]["cells"]
        natures = {"conflict": "konflikt", "agreement": "samstämmighet", "information": "information"}
        assert cells[0] == row["severity"] + natures.get(row["nature"], "")  # "B<br>konflikt"
        assert (row["feature_name"] or row["rule_name"]) in cells[1] and cells[2] == row["agency"]
        assert cells[3] == row["legal_basis"] and cells[5] == row["advice"]
    for name in element_names(inputs["elements"]).values():
        assert name in html
    assert parser.resources and all(src.startswith("data:image/png;base64,") for src in parser.resources)
    assert "Standardprofil Sverige" in html
    # The class D findings: each interest once among those not checked, with the elements it concerns.
    notices = re.findall(
        r'<tr class="not-checked"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>', html
    )
    # Interests with a layer in the run are not among those not checked (not even as the NVR rule of
    # the same name); one of an agency without a layer in the run is, for the whole run.
    unchecked = {name: n for n in notices for name in html_unescape(n[0]).split(", ")}
    assert "Nationalpark" not in unchecked and "Riksintresse kulturmiljövård" not in unchecked
    assert unchecked["Riksintresse kommunikationer"][1:] == (
        "Trafikverket",
        "inget myndighetsunderlag för det i denna körning",
        "hela körningen",
    )
    for row in (r for r in rows if r["severity"] == "D"):
        entry = next(n for n in notices if n[0] == row["rule_name"])
        assert entry[1] == row["agency"] and entry[3] == "alla 6 element" or entry[3] == "all 6 elements"


def test_planners_positions_are_reported(inputs, tmp_path):
    """Review columns (from the panel) appear as the planner's position in PDF and HTML."""
    import processing
    from qgis.core import QgsGeometry, QgsGeometryCollection, QgsVectorLayer
    from qgis.PyQt.QtCore import QMetaType

    from rus_planner.rus_planner.qgis_io.compat import qgs_field

    source = inputs["findings"]
    reviewed = QgsVectorLayer(f"GeometryCollection?crs={source.crs().authid()}", "findings", "memory")
    provider = reviewed.dataProvider()
    provider.addAttributes(
        source.fields().toList()
        + [
            qgs_field("review_status", QMetaType.Type.QString),
            qgs_field("review_position", QMetaType.Type.QString),
        ]
    )
    reviewed.updateFields()
    positions = {}
    features = []
    for index, feature in enumerate(source.getFeatures()):
        copy = feature
        copy.setFields(reviewed.fields(), False)
        collection = QgsGeometryCollection()  # as checkelements writes mixed kinds in memory
        for part in feature.geometry().constParts():
            collection.addGeometry(part.clone())
        copy.setGeometry(QgsGeometry(collection))
        position = f"Ställningstagande nummer {index + 1}: stråket behålls"
        positions[feature["feature_name"]] = position
        copy.setAttributes([*feature.attributes()[: source.fields().count()], "accepted", position])
        features.append(copy)
    assert provider.addFeatures(features)
    result = processing.run(
        "rusplanner:consultationreport",
        {"FINDINGS": reviewed, "ELEMENTS": inputs["elements"], "LANGUAGE": 1, "OUTPUT_FOLDER": str(tmp_path)},
    )
    text = flat(pdf_text(result["OVERALL_PDF"], layout=False))
    html = Path(result["HTML"]).read_text(encoding="utf-8")
    for position in positions.values():
        assert position in text and position in html
    assert "Accepted" in text


def test_long_tables_continue_on_new_pages(provider, shared_data, tmp_path):
    """One area over the whole county overlaps every riksintresse: its table runs over pages."""
    import processing
    from qgis.core import QgsVectorLayer

    county = QgsVectorLayer(f"{shared_data / 'lan.gpkg'}|layername=lan", "rus_omraden_lan", "ogr")
    county.setSubsetString("code = '18'")
    kultur = report_data.agency_layers(shared_data)[0]
    findings = report_data.run_check([county], [kultur], tmp_path / "findings.gpkg")
    # One finding per riksintresse, and the standing notice (class D, no feature) for the element.
    rows = findings_rows(findings)
    names = [f["feature_name"] for f in rows if f["rule_id"] != "forsvarsmakten_sekretess"]
    assert len(names) == kultur.featureCount() == 53
    assert [f["severity"] for f in rows if f["rule_id"] == "forsvarsmakten_sekretess"] == ["D"]
    result = processing.run(
        "rusplanner:consultationreport",
        {"FINDINGS": findings, "ELEMENTS": [county], "LANGUAGE": 1, "OUTPUT_FOLDER": str(tmp_path / "out")},
    )
    path = result["OVERALL_PDF"]
    headings = [
        [line.strip() for line in pdf_text(path, page, page).splitlines() if line.strip()][1]
        for page in range(1, pdf_pages(path) + 1)
    ]
    # Cover, the interests not checked (over pages: no other layer was given), the element's
    # pages, the closing page with the sources.
    element = [
        n for n, h in enumerate(headings, 1) if n > 1 and not h.startswith(("Interests not", "Elements"))
    ]
    assert len(element) >= 3 and element == list(range(element[0], element[-1] + 1))
    assert headings[-1].startswith("Elements without findings")
    # pdftotext drops a hyphen where a cell wraps a line after it.
    text = flat(pdf_text(path, layout=False).replace("-", " "))
    for name in names:
        assert flat(name.replace("-", " ")) in text, name
    found = Counter(
        m.group(1)
        for line in pdf_text(path, element[0], element[-1]).splitlines()
        for m in [SEVERITY_LINE.match(line)]
        if m
    )
    assert found == {"B": 53}  # the standing notice is named once, under the interests not checked
    # Every continuation page has the report's header; the last one holds the end of the table.
    for page in element[1:]:
        assert "(continued)" in headings[page - 1]
    assert "MB 3 kap 6 §" in pdf_text(path, element[-1], element[-1])


def test_wrong_layer_is_refused_and_inputs_are_untouched(inputs, shared_data, tmp_path):
    import processing
    from qgis.core import QgsProcessingException, QgsVectorLayer

    kommuner = QgsVectorLayer(f"{shared_data / 'kommuner.gpkg'}|layername=kommuner", "kommuner", "ogr")
    with pytest.raises(QgsProcessingException, match="not a findings layer"):
        processing.run(
            "rusplanner:consultationreport",
            {"FINDINGS": kommuner, "ELEMENTS": inputs["elements"], "OUTPUT_FOLDER": str(tmp_path)},
        )
    agency = inputs["agencies"][0]
    before = (
        agency.renderer().dump(),
        agency.subsetString(),
        agency.featureCount(),
        inputs["findings"].featureCount(),
        inputs["findings"].fields().names(),
    )
    processing.run(
        "rusplanner:consultationreport",
        {
            "FINDINGS": inputs["findings"],
            "ELEMENTS": inputs["elements"],
            "AGENCY_LAYERS": inputs["agencies"],
            "OUTPUT_FOLDER": str(tmp_path / "again"),
        },
    )
    after = (
        agency.renderer().dump(),
        agency.subsetString(),
        agency.featureCount(),
        inputs["findings"].featureCount(),
        inputs["findings"].fields().names(),
    )
    assert before == after


# --------------------------------------------------------------------------- overlay atlas


@pytest.fixture(scope="module")
def atlas(provider, shared_data, tmp_path_factory):
    """The exact overlay of three real sector layers in Örebro län, printed per municipality."""
    import processing
    from qgis.core import QgsVectorLayer

    folder = tmp_path_factory.mktemp("atlas")

    def layer(file, name, title, subset=""):
        loaded = QgsVectorLayer(f"{shared_data / file}|layername={name}", title, "ogr")
        loaded.setSubsetString(subset)
        assert loaded.isValid()
        return loaded

    county = layer("lan.gpkg", "lan", "lan", "code = '18'")
    sectors = [
        layer(
            "riksintressen_kulturmiljo.gpkg",
            "riksintressen_kulturmiljo",
            "kultur_riksintressen",
            "lanskod = '18'",
        ),
        layer("lokal_arbetsmarknad.gpkg", "lokal_arbetsmarknad", "kompetens_arbetsmarknad"),
        layer("nvr_nationalparker.gpkg", "nationalparker", "besoksnaring_nationalparker"),
    ]
    overlay = processing.run(
        "rusplanner:sectoroverlay",
        {"SECTORS": sectors, "EXTENT_LAYER": county, "OUTPUT": str(folder / "overlay.gpkg")},
    )["OUTPUT"]
    overlay = QgsVectorLayer(overlay, "overlay", "ogr")
    kommuner = layer("kommuner.gpkg", "kommuner", "kommuner", "code LIKE '18%'")
    result = processing.run(
        "rusplanner:overlayatlas",
        {"OVERLAY": overlay, "ZONES": kommuner, "OUTPUT": str(folder / "atlas.pdf")},
    )
    data = {"result": result, "overlay": overlay, "kommuner": kommuner, "folder": folder}
    yield data
    report_data.release(data)


def test_atlas_has_one_page_per_municipality_with_its_name(atlas):
    path = atlas["result"]["OUTPUT"]
    names = {f["name"] for f in atlas["kommuner"].getFeatures()}
    assert len(names) == 12
    assert pdf_pages(path) == atlas["result"]["PAGE_COUNT"] == 12
    titles = set()
    for page in range(1, 13):
        text = pdf_text(path, page, page, layout=False)
        title = next(line for line in text.splitlines() if line.strip())
        titles.add(title.split("–", 1)[1].strip())
        # Swedish by default (LANGUAGE), whatever language QGIS runs in; its data named without a folder.
        assert f"Sida {page} av 12" in text and title.startswith("Sektorsöverlagring –")
        assert "Standardprofil Sverige" in text and "fil kommuner.gpkg" in text and "fil overlay.gpkg" in text
        assert not re.search(r"/tmp|/work|/home", text)
    assert titles == names


def test_atlas_figures_match_a_native_clip(atlas):
    """The printed share of Askersund covered by at least one sector, against native:clip."""
    import processing
    from qgis.core import QgsVectorLayer

    path = atlas["result"]["OUTPUT"]
    page = next(p for p in range(1, 13) if "Askersund" in pdf_text(path, p, p, layout=False).splitlines()[0])
    text = flat(pdf_text(path, page, page, layout=False))
    printed = int(re.search(r"(?:At least 1 sector\(s\)|Minst 1 sektor\S*): (\d+) %", text).group(1))
    zone = QgsVectorLayer(atlas["kommuner"].source(), "askersund", "ogr")
    zone.setSubsetString("name = 'Askersund'")
    covered = QgsVectorLayer(atlas["overlay"].source(), "covered", "ogr")
    covered.setSubsetString('"sector_count" >= 1')
    clipped = processing.run("native:clip", {"INPUT": covered, "OVERLAY": zone, "OUTPUT": "memory:"})[
        "OUTPUT"
    ]
    share = (
        sum(f.geometry().area() for f in clipped.getFeatures()) / next(zone.getFeatures()).geometry().area()
    )
    assert abs(printed - 100 * share) <= 0.5 + 1e-9, (printed, share)


def test_atlas_page_is_not_blank(atlas, test_output):
    image = render_page(atlas["result"]["OUTPUT"], 1, test_output / "atlas_page1.png")
    spread, colours = pixel_spread(image)
    assert spread > 10 and colours > 8, (spread, colours)


def test_atlas_is_built_from_the_shipped_template_and_a_users_changed_copy(atlas, tmp_path):
    """The page's design is resources/layouts/sektorsatlas.qpt, a QGIS layout template that opens in
    the layout designer; a region's own copy of it, reworded and moved there, is followed."""
    import xml.etree.ElementTree as ET

    import processing
    from qgis.core import QgsProcessingException

    template = REPO / "resources" / "layouts" / "sektorsatlas.qpt"
    tree = ET.parse(template)
    assert tree.getroot().tag == "Layout"
    items = {item.get("id"): item for item in tree.getroot().iter("LayoutItem") if item.get("id")}
    assert {"map", "locator", "legend", "scalebar", "title", "figures"} <= set(items)
    texts = " ".join(item.get("labelText") or "" for item in items.values())
    assert not re.search(r"[A-Za-zÅÄÖåäö]{4,}", re.sub(r"\[%.*?%\]|[–\s]", " ", texts))  # no fixed words
    items["title"].set("labelText", '[% @rus_title %] för [% "zone_name" %] (regionens egen mall)')
    items["title"].set("position", "12,40,mm")
    items["title"].set("positionOnPage", "12,40,mm")
    own = tmp_path / "egen.qpt"
    tree.write(own, encoding="utf-8")
    parameters = {"OVERLAY": atlas["overlay"], "ZONES": atlas["kommuner"], "TEMPLATE": str(own)}
    result = processing.run("rusplanner:overlayatlas", {**parameters, "OUTPUT": str(tmp_path / "egen.pdf")})
    first = pdf_text(result["OUTPUT"], 1, 1, layout=False).splitlines()
    own_title = re.compile(r"Sektorsöverlagring för \S+ \(regionens egen mall\)")
    assert result["PAGE_COUNT"] == 12 and any(own_title.fullmatch(line) for line in first), first[:3]
    # A template without a map named "map", or a file that is no template: a message, no atlas.
    del items["map"].attrib["id"]
    tree.write(own, encoding="utf-8")
    broken = tmp_path / "kaputt.qpt"
    broken.write_text("<html>ingen layout</html>", encoding="utf-8")
    for path, message in ((own, "no map item"), (broken, "not a QGIS print layout")):
        with pytest.raises(QgsProcessingException, match=message):
            processing.run(
                "rusplanner:overlayatlas",
                {**parameters, "TEMPLATE": str(path), "LANGUAGE": 1, "OUTPUT": str(tmp_path / "x.pdf")},
            )
        assert not (tmp_path / "x.pdf").exists()


def test_atlas_refuses_a_layer_that_is_no_overlay(atlas, shared_data, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="not a sector overlay"):
        processing.run(
            "rusplanner:overlayatlas",
            {"OVERLAY": atlas["kommuner"], "ZONES": atlas["kommuner"], "OUTPUT": str(tmp_path / "x.pdf")},
        )


@pytest.mark.slow
def test_qgis_process_writes_the_reports(inputs, tmp_path):
    """The report through the real qgis_process binary (a main-thread algorithm there too)."""
    from headless import run_algorithm

    elements = inputs["folder"] / "rus_orebro.gpkg"
    result = run_algorithm(
        "rusplanner:consultationreport",
        FINDINGS=str(inputs["folder"] / "findings.gpkg"),
        ELEMENTS=f"{elements}|layername=rus_omraden",
        LANGUAGE=1,
        OUTPUT_FOLDER=str(tmp_path),
    )["results"]
    # qgis_process names the element layer after the file; the findings (made in QGIS) name the
    # table: the report matches them, so the two areas are not counted twice.
    ids = {f["element_id"] for f in inputs["findings"].getFeatures()}
    assert {"rus_omraden:1", "rus_omraden:2"} <= ids
    with_findings = {f["element_id"] for f in inputs["findings"].getFeatures() if f["severity"] != "D"}
    assert len(element_pages(result["OVERALL_PDF"])) == len(with_findings)
    text = flat(pdf_text(result["OVERALL_PDF"], layout=False))
    assert "Nora kulturstad" in text and "Tivedens besöksområde" in text
    assert Path(result["HTML"]).stat().st_size > 10_000


def test_no_findings_gives_only_the_overall_report(inputs, tmp_path):
    """An empty findings layer: the overall PDF shows every element with "no finding", no agency PDF."""
    import processing
    from qgis.core import QgsVectorLayer

    empty = QgsVectorLayer(inputs["findings"].source(), "findings", "ogr")
    empty.setSubsetString("1 = 0")
    result = processing.run(
        "rusplanner:consultationreport",
        {"FINDINGS": empty, "ELEMENTS": inputs["elements"], "LANGUAGE": 1, "OUTPUT_FOLDER": str(tmp_path)},
    )
    assert result["PDF_COUNT"] == 1 and result["AGENCY_PDFS"] == ""
    # No element page: the six elements share the closing page's table.
    assert element_pages(result["OVERALL_PDF"]) == []
    closing = flat(pdf_text(result["OVERALL_PDF"], pdf_pages(result["OVERALL_PDF"]), layout=False))
    assert "Elements without findings in the checked data" in closing
    for name in element_names(inputs["elements"]).values():
        assert name in closing


def test_measures_are_printed_in_swedish_units(inputs, swedish):
    """Overlap areas in ha and lengths in m/km, with decimal comma, as the findings hold them."""
    text = flat(pdf_text(swedish["OVERALL_PDF"], layout=False))
    checked = 0
    for row in findings_rows(inputs["findings"]):
        if row["overlap_m2"] is not None and str(row["overlap_m2"]) != "NULL":
            hectares = f"{row['overlap_m2'] / 10_000:,.1f}".replace(",", " ").replace(".", ",")
            assert f"{hectares} ha" in text, hectares
            checked += 1
        if row["overlap_length_m"] is not None and str(row["overlap_length_m"]) != "NULL":
            metres = row["overlap_length_m"]
            shown = f"{metres / 1000:.2f}".replace(".", ",") + " km" if metres >= 1000 else f"{metres:.0f} m"
            assert shown in text, shown
            checked += 1
    assert checked >= 5


# --------------------------------------------------------------------------- report model (hand cases)


def test_report_model_groups_findings_per_element_and_agency(qgis_app):
    from rus_planner.rus_planner.core.report import ElementEntry
    from rus_planner.rus_planner.core.report_build import build_report

    def finding(element, severity, agency, rule):
        return {
            "element_id": element,
            "severity": severity,
            "agency": agency,
            "rule_name": rule,
            "agency_layer": "x",
        }

    findings = [
        finding("a:1", "B", "Länsstyrelsen", "Riksintresse"),
        finding("a:1", "A", "Naturvårdsverket", "Nationalpark"),
        finding("b:7", "C", "Länsstyrelsen", "Strandskydd"),
        finding("gone:3", "D", None, "Natura 2000"),
    ]
    elements = [ElementEntry("a:1", "Nod A", "nod", "a"), ElementEntry("c:2", "Område C", "område", "c")]
    model = build_report(
        findings,
        elements,
        [],
        profile_name="P",
        plugin_version="9",
        created=datetime(2026, 1, 2),
        colours={},
        language="en",
    )
    overall = model.overall
    assert [e.element_id for e in overall.elements] == ["a:1", "c:2", "b:7", "gone:3"]
    assert [f["severity"] for f in overall.elements[0].findings] == ["A", "B"]  # by class
    assert overall.counts() == {"A": 1, "B": 1, "C": 1, "D": 1}
    assert [s.agency for s in model.agencies] == ["Agency not stated", "Länsstyrelsen", "Naturvårdsverket"]
    lan = model.agencies[1]
    assert lan.slug == "lansstyrelsen" and [e.element_id for e in lan.elements] == ["a:1", "b:7"]
    assert lan.counts() == {"A": 0, "B": 1, "C": 1, "D": 0}
    assert not model.has_reviews


def test_report_numbers_are_written_as_a_reader_expects():
    from rus_planner.rus_planner.core.report import format_area, format_length, format_share, slug

    assert format_area(12_345.6, "sv") == "1,2 ha"
    assert format_area(16_095_000, "sv") == "1\u00a0609,5 ha"
    assert format_area(16_095_000, "en") == "1,609.5 ha"
    assert format_length(1980, "sv") == "1,98 km" and format_length(934.4, "en") == "934 m"
    assert format_share(0.184, "sv") == "18 %" and format_share(0.001) == "< 1 %" and format_share(0) == "0 %"
    assert slug("Länsstyrelsen / kommunen") == "lansstyrelsen_kommunen"
    assert slug("Försvarsmakten / MSB") == "forsvarsmakten_msb"


@pytest.mark.slow
def test_qgis_process_prints_the_atlas(atlas, shared_data, tmp_path):
    from headless import run_algorithm

    result = run_algorithm(
        "rusplanner:overlayatlas",
        OVERLAY=str(atlas["folder"] / "overlay.gpkg"),
        ZONES=f"{shared_data / 'kommuner.gpkg'}|layername=kommuner|subset=code LIKE '18%'",
        NAME_FIELD="name",
        OUTPUT=str(tmp_path / "atlas.pdf"),
    )["results"]
    assert pdf_pages(result["OUTPUT"]) == 12
    assert "Örebro" in pdf_text(result["OUTPUT"], layout=False)


def test_cancel_leaves_no_report(inputs, tmp_path):
    """Cancelled while laying out: the PDFs already written are removed, no HTML is written."""
    import processing
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    class CancelDuringSecondDocument(QgsProcessingFeedback):
        def pushInfo(self, info):  # "Wrote …" after each PDF: cancel once the first is out
            super().pushInfo(info)
            if info.startswith("Wrote"):
                self.cancel()

    with pytest.raises(QgsProcessingException, match="cancelled"):
        processing.run(
            "rusplanner:consultationreport",
            {"FINDINGS": inputs["findings"], "ELEMENTS": inputs["elements"], "OUTPUT_FOLDER": str(tmp_path)},
            feedback=CancelDuringSecondDocument(),
        )
    assert list(tmp_path.iterdir()) == []


def test_html_is_well_formed_and_every_inline_map_decodes(inputs, swedish, test_output):
    """The HTML stands on its own: parsed as a browser's tokenizer would, every element closed, every
    map an inline PNG that decodes to a real picture (no QtWebKit: QGIS 3.40+ and Qt6 lack it)."""
    import base64

    from qgis.PyQt.QtGui import QImage

    void = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.open_tags, self.images, self.problems = [], [], []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.images.append(dict(attrs))
            elif tag not in void:
                self.open_tags.append(tag)

        def handle_endtag(self, tag):
            if tag in void:
                return
            if not self.open_tags or self.open_tags[-1] != tag:
                self.problems.append((tag, list(self.open_tags[-3:])))
            else:
                self.open_tags.pop()

    reader = Reader()
    reader.feed(Path(swedish["HTML"]).read_text(encoding="utf-8"))
    reader.close()
    assert reader.problems == [] and reader.open_tags == []
    with_findings = {f["element_id"] for f in findings_rows(inputs["findings"]) if f["severity"] != "D"}
    assert len(reader.images) == 1 + len(with_findings)  # the overview, a map per element with findings
    for number, image in enumerate(reader.images):
        assert image.get("alt", "").strip(), image.get("alt")
        header, _, payload = image["src"].partition(",")
        assert header == "data:image/png;base64"
        picture = QImage()
        assert picture.loadFromData(base64.b64decode(payload), "PNG")
        assert picture.width() > 300 and picture.height() > 200
        spread, colours = pixel_spread(picture)
        assert spread > 10 and colours > 8, number  # a map, not a blank or flat picture
        if number == 0:
            picture.save(str(test_output / "report_html_first_map.png"))


def test_scale_bar_numbers_are_written_as_the_report_language_writes_them(swedish):
    """A Swedish report's scale bars read "0  0,75  1,5 km", never "0.75" (layout.add_scalebar)."""
    text = pdf_text(swedish["OVERALL_PDF"])
    bars = re.findall(r"^\s*0\s+(\S+)\s+(\S+)\s+k?m\b", text, flags=re.MULTILINE)
    assert len(bars) >= 3  # one per element page
    labels = [label for bar in bars for label in bar]
    assert all(re.fullmatch(r"\d+(,\d+)?", label) for label in labels), labels
    # The bars are sized so that their labels need decimals somewhere in this report's maps.
    assert any("," in label for label in labels), labels
