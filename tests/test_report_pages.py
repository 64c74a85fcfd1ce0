"""The consultation reports read page by page (#17 item 7) and the project's reviews in them (item 5).

Every page of every PDF is rendered by poppler (pdftoppm) and read back (pdftotext): the sections
a reader needs are there, no local path and no decimal point in Swedish text anywhere; one map is
compared as an image with a reviewed reference (tests/data/report_map_nora.png, looked at by a
person before it was committed) within a tolerance, so a blank or broken map fails. The inputs
are real data of Örebro län (tests/report_data.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import report_data
from test_reports import SEVERITY_LINE, findings_rows, flat, page_of, pdf_pages, pdf_text

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "report_map_nora.png"
# The element page's map and legend (report_pdf.MAP_RECT and LEGEND_RECT: x 12–285 mm, y 27–123 mm).
MAP_MM = (12.0, 27.0, 273.0, 96.0)
DPI = 30
LOCAL_PATH = re.compile(r"/tmp|/work|/home|(?<![A-Za-z])[A-Za-z]:[\\/]")
DECIMAL_POINT = re.compile(r"\d\.\d")


@pytest.fixture(scope="module")
def provider(rus_provider_module):
    return rus_provider_module


@pytest.fixture(scope="module")
def reviewed(provider, shared_data, tmp_path_factory):
    """The Swedish reports of a project whose reviews (ReviewBook, stored in the project) hold a
    position on a class B finding and on the standing class D notice of one element."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    from rus_planner.rus_planner.core.reviews import ReviewBook, ReviewKey
    from rus_planner.rus_planner.qgis_io.project_state import ProjectState

    folder = tmp_path_factory.mktemp("report_pages")
    path = report_data.write_elements(shared_data, folder)
    elements = report_data.element_layers(path)
    agencies = report_data.agency_layers(shared_data)
    findings = report_data.run_check(elements, agencies, folder / "findings.gpkg")
    kommuner, tatorter = report_data.background_layers(shared_data)
    project = QgsProject()  # the run's project (not the application's): as --PROJECT_PATH gives one
    project.addMapLayers(elements, False)
    ids = {layer.name(): layer.id() for layer in elements}
    rows = findings_rows(findings)
    nora = [r for r in rows if r["element_name"] == "Nora kulturstad"]
    positions = {
        (
            "B",
            "in_dialogue",
        ): "Regionen avgränsar området norr om Centrala Nora; samråd med länsstyrelsen 2027",
        ("D", "accepted"): "Försvarsmakten har inget att erinra (skrivelse FM2026-123)",
    }
    book = ReviewBook()
    for (severity, status), position in positions.items():
        row = next(r for r in nora if r["severity"] == severity)
        key = ReviewKey.of_finding(dict(row, element_layer_id=ids[row["element_layer"]]))
        book.record(key, status, position, when="2026-12-01T09:30:00+00:00")
    # A position on a finding this run no longer gives (the element was changed): resolved by change.
    gone = dict(
        nora[0], element_fid=9999, element_layer_id=ids[nora[0]["element_layer"]], rule_id="nationalpark"
    )
    book.record(
        ReviewKey.of_finding(gone),
        "element_adjusted",
        "Området flyttades utanför parken",
        label="Nora kulturstad (samrådsversionen) – Nationalpark: Garphyttan",
        diarienummer="511-4242-2026",
        response_date="2026-09-30",
        agency_view="Naturvårdsverket avstyrkte läget",
    )
    state = ProjectState(element_layer_ids=list(ids.values()), reviews=book)
    state.write_to_project(project)
    context = QgsProcessingContext()
    context.setProject(project)
    try:
        result = processing.run(
            "rusplanner:consultationreport",
            {
                "FINDINGS": findings,
                "ELEMENTS": elements,
                "AGENCY_LAYERS": agencies,
                "KOMMUNER": kommuner,
                "TATORTER": tatorter,
                "REGION": "Örebro län",
                "RUS_VERSION": "Remissversion 2026-12",
                "CONTACT": "Anna Planerare, regionen",
                "OUTPUT_FOLDER": str(folder / "rapporter"),
            },
            context=context,
            feedback=QgsProcessingFeedback(),
        )
    finally:
        project.removeAllMapLayers()
    data = {"result": result, "rows": rows, "positions": positions, "folder": folder}
    yield data
    report_data.release(data)


def visible_text(html: str) -> str:
    """What a reader of the HTML sees or hears: text and alt texts, not the style sheet or the images' data."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts, self.skip = [], False

        def handle_starttag(self, tag, attrs):
            self.skip = tag in ("style", "script")
            self.parts += [value for name, value in attrs if name in ("alt", "title") and value]

        def handle_endtag(self, tag):
            self.skip = False

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    reader = Reader()
    reader.feed(html)
    return " ".join(reader.parts)


def all_pdfs(result) -> list[str]:
    return [result["OVERALL_PDF"], *result["AGENCY_PDFS"].split(";"), *result["KOMMUN_PDFS"].split(";")]


def render(path, page: int, dpi: int, crop_mm=None) -> np.ndarray:
    """A page (or a part of it, in mm) rendered by poppler as an RGB array."""
    from qgis.PyQt.QtGui import QImage

    args = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    if crop_mm:
        x, y, w, h = (round(v / 25.4 * dpi) for v in crop_mm)
        args += ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    target = Path(str(path) + f".p{page}")
    subprocess.run([*args, str(path), str(target)], check=True)
    image = QImage(str(target) + ".png").convertToFormat(QImage.Format.Format_RGB888)
    bits = image.constBits()
    bits.setsize(image.bytesPerLine() * image.height())
    rows = np.frombuffer(bits, np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def difference(image: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """(mean absolute difference per channel, share of pixels off by more than 64 in a channel)."""
    assert image.shape == reference.shape, (image.shape, reference.shape)
    delta = np.abs(image.astype(int) - reference.astype(int))
    return float(delta.mean()), float((delta.max(axis=2) > 64).mean())


# Within: what two renderings of the same map differ by (fonts' hinting, QGIS versions' antialiasing).
MEAN_TOLERANCE = 6.0
SHARE_TOLERANCE = 0.03


def test_every_page_renders_with_the_sections_a_reader_needs(reviewed):
    result = reviewed["result"]
    for path in all_pdfs(result):
        pages = pdf_pages(path)
        assert pages >= 3, path  # cover, interests not checked, closing page
        for page in range(1, pages + 1):
            image = render(path, page, 20)
            assert image.std() > 8, (path, page)  # not a blank page
        text = flat(pdf_text(path))
        for heading in (
            "Avstämning mot statliga intressen – underlag för remiss",
            "Så läser du rapporten",
            "Intressen som inte kontrollerats",
            "Datakällor",
            "Region Örebro län",
            "Kontakt Anna Planerare, regionen",
        ):
            assert heading in text, (path, heading)
        # The withheld interests concern every element: every report but the other agencies' says so.
        agency = path in result["AGENCY_PDFS"] and not path.endswith("forsvarsmakten.pdf")
        assert ("Försvarsmaktens sekretessbelagda riksintressen" in text) != agency, path
        assert "Till " in pdf_text(path, 1, 1) or path == result["OVERALL_PDF"]


def test_no_local_path_nor_decimal_point_in_any_report(reviewed):
    from rus_planner.rus_planner.resources import plugin_version

    result = reviewed["result"]
    version = plugin_version()
    texts = {path: pdf_text(path, layout=False) for path in all_pdfs(result)}
    html = Path(result["HTML"]).read_text(encoding="utf-8")
    texts[result["HTML"]] = visible_text(html)
    # Nor anywhere in the HTML's markup (attributes included), its inline images' data aside.
    assert not LOCAL_PATH.search(re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html))
    for path, text in texts.items():
        assert not LOCAL_PATH.search(text), (path, LOCAL_PATH.search(text))
        plain = text.replace(version, "")
        assert not DECIMAL_POINT.search(plain), (path, plain[DECIMAL_POINT.search(plain).start() - 40 :][:80])
    # The measures are there, written the Swedish way (a decimal comma), so the check means something.
    assert re.search(r"\d,\d+ (?:ha|km)", texts[result["OVERALL_PDF"]])


def test_the_projects_reviews_are_in_the_report_per_finding(reviewed):
    result = reviewed["result"]
    overall = flat(pdf_text(result["OVERALL_PDF"], layout=False))
    html = Path(result["HTML"]).read_text(encoding="utf-8")
    lansstyrelsen = next(p for p in result["AGENCY_PDFS"].split(";") if p.endswith("lansstyrelsen.pdf"))
    forsvarsmakten = next(p for p in result["AGENCY_PDFS"].split(";") if p.endswith("forsvarsmakten.pdf"))
    labels = {"in_dialogue": "I dialog med myndigheten", "accepted": "Accepterad"}
    for (_, status), position in reviewed["positions"].items():
        shown = f"{labels[status]}: {position} (2026-12-01)"
        assert shown in overall and shown in html.replace("&#x27;", "'"), shown
    assert reviewed["positions"][("B", "in_dialogue")] in flat(pdf_text(lansstyrelsen, layout=False))
    # The reviewed class D notice is listed in its element's table; the others only once, among
    # the interests not checked.
    notice = reviewed["positions"][("D", "accepted")]
    assert notice in flat(pdf_text(forsvarsmakten, layout=False))
    page = page_of(result["OVERALL_PDF"], "Nora kulturstad")  # its table may continue on the next page
    assert notice in flat(pdf_text(result["OVERALL_PDF"], page, page, layout=False))
    classes = [
        line.split()[0]
        for line in pdf_text(result["OVERALL_PDF"], page, page).splitlines()
        if SEVERITY_LINE.match(line)
    ]
    nora = sorted(r["severity"] for r in reviewed["rows"] if r["element_name"] == "Nora kulturstad")
    assert classes == [c for c in nora if c != "D"] + ["D"]  # its findings, then the reviewed notice


def test_a_map_matches_its_reviewed_reference(reviewed, test_output):
    """The map of "Nora kulturstad" (the element, riksintresse Centrala Nora outlined and named,
    the affected part, kommun borders and tätort names, legend) as poppler draws it at 30 dpi."""
    from qgis.PyQt.QtGui import QImage

    path = reviewed["result"]["OVERALL_PDF"]
    image = render(path, page_of(path, "Nora kulturstad"), DPI, MAP_MM)
    height, width, _ = image.shape
    QImage(image.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888).save(
        str(test_output / "report_map_nora.png")
    )
    reference = QImage(str(REFERENCE)).convertToFormat(QImage.Format.Format_RGB888)
    bits = reference.constBits()
    bits.setsize(reference.bytesPerLine() * reference.height())
    expected = np.frombuffer(bits, np.uint8).reshape(reference.height(), reference.bytesPerLine())
    expected = expected[:, : reference.width() * 3].reshape(reference.height(), reference.width(), 3)
    mean, share = difference(image, expected)
    assert mean < MEAN_TOLERANCE and share < SHARE_TOLERANCE, (mean, share)
    # The comparison sees a broken map: a blank one, or the map shifted by a tenth of its width.
    blank = np.full_like(expected, 255)
    assert not all(
        t < limit for t, limit in zip(difference(blank, expected), (MEAN_TOLERANCE, SHARE_TOLERANCE))
    )
    shifted = np.roll(expected, width // 10, axis=1)
    assert difference(shifted, expected)[1] > SHARE_TOLERANCE


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1's contrast ratio of two #rrggbb colours (relative luminance, 1.4.3)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_html_report_meets_wcag_structure_and_contrast(reviewed):
    """What WCAG 2.1 AA asks of the HTML that a parser can decide: a language, one h1 and no
    skipped heading level (1.3.1, 2.4.6), tables with captions and header cells with a scope
    (1.3.1), a text alternative for every map (1.1.1), and text at 4.5:1 or more against its
    background (1.4.3), computed from the style sheet and the class cells' colours."""
    from html.parser import HTMLParser

    html = Path(reviewed["result"]["HTML"]).read_text(encoding="utf-8")

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.headings, self.tables, self.images, self.backgrounds = [], [], [], set()
            self.lang = None

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "html":
                self.lang = attributes.get("lang")
            elif re.fullmatch(r"h[1-6]", tag):
                self.headings.append(int(tag[1]))
            elif tag == "table":
                self.tables.append({"caption": False, "th": []})
            elif tag == "caption":
                self.tables[-1]["caption"] = True
            elif tag == "th":
                self.tables[-1]["th"].append(attributes.get("scope"))
            elif tag == "img":
                self.images.append(attributes.get("alt") or "")
            style = attributes.get("style") or ""
            self.backgrounds.update(re.findall(r"background:\s*(#[0-9a-fA-F]{6})", style))

    reader = Reader()
    reader.feed(html)
    assert reader.lang == "sv"
    assert reader.headings.count(1) == 1 and reader.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(reader.headings, reader.headings[1:])), reader.headings
    assert reader.tables and all(t["caption"] for t in reader.tables)
    assert all(t["th"] and all(scope in ("col", "row") for scope in t["th"]) for t in reader.tables)
    assert len(reader.images) >= 2 and all(len(alt) > 20 for alt in reader.images)
    css = html[html.index("<style>") : html.index("</style>")]
    colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    text = re.search(r"body \{[^}]*?color: (#[0-9a-fA-F]{6})", css).group(1)
    link = re.search(r"a \{ color: (#[0-9a-fA-F]{6})", css).group(1)
    header = re.search(r"header\.top \{ background: var\(--accent\); color: (#[0-9a-fA-F]{6})", css).group(1)
    pairs = {
        "body text": (text, "#ffffff"),
        "links": (link, "#ffffff"),
        "headings and captions": (colours["accent"], "#ffffff"),
        "notes and footer": (colours["muted"], "#ffffff"),
        "table headers": (text, colours["head"]),
        "title band": (header, colours["accent"]),
        **{f"class cell {b}": (text, b) for b in reader.backgrounds},
    }
    assert len(reader.backgrounds) >= 2  # the class cells of this report (B and D)
    assert (
        round(contrast("#000000", "#ffffff"), 1) == 21.0 and round(contrast("#767676", "#ffffff"), 2) == 4.54
    )
    ratios = {name: round(contrast(*pair), 2) for name, pair in pairs.items()}
    assert all(r >= 4.5 for r in ratios.values()), ratios


def test_an_optional_basemap_is_drawn_under_the_maps_and_named_once(reviewed, shared_data, tmp_path):
    """BASEMAP: a raster QGIS opens (here a GeoTIFF painted magenta over Örebro län, made with GDAL)
    lies under every map, out of the legends, and is named among the sources; one that cannot be
    opened is a warning and the maps are drawn without it. Nothing outside is reachable in tests."""
    import processing
    from osgeo import gdal, osr
    from qgis.core import QgsProcessingFeedback

    path = tmp_path / "bakgrund.tif"
    raster = gdal.GetDriverByName("GTiff").Create(str(path), 200, 200, 3, gdal.GDT_Byte)
    raster.SetGeoTransform((420_000, 1_000, 0, 6_650_000, 0, -1_000))  # 200 km square over the län
    sweref = osr.SpatialReference()
    sweref.ImportFromEPSG(3006)
    raster.SetProjection(sweref.ExportToWkt())
    for band, value in zip((1, 2, 3), (255, 0, 255)):
        raster.GetRasterBand(band).Fill(value)
    raster = None
    elements = report_data.element_layers(reviewed["folder"] / "rus_orebro.gpkg")

    class Warnings(QgsProcessingFeedback):
        warnings: list = []

        def pushWarning(self, warning):  # noqa: N802
            self.warnings.append(warning)

    outputs = {}
    for name, basemap in (("magenta", str(path)), ("missing", str(tmp_path / "saknas.tif"))):
        feedback = Warnings()
        outputs[name] = processing.run(
            "rusplanner:consultationreport",
            {
                "FINDINGS": str(reviewed["folder"] / "findings.gpkg"),
                "ELEMENTS": elements,
                "BASEMAP": basemap,
                "OUTPUT_FOLDER": str(tmp_path / name),
            },
            feedback=feedback,
        )
        outputs[name]["warnings"] = list(feedback.warnings)
        feedback.warnings.clear()
    pdf = outputs["magenta"]["OVERALL_PDF"]
    image = render(pdf, page_of(pdf, "Nora kulturstad"), DPI, (12.0, 27.0, 190.0, 96.0))
    magenta = (image[:, :, 0] > 200) & (image[:, :, 1] < 90) & (image[:, :, 2] > 200)
    assert magenta.mean() > 0.5  # under the whole map but for what is drawn on top
    legend = render(pdf, page_of(pdf, "Nora kulturstad"), DPI, (207.0, 27.0, 78.0, 96.0))
    assert not ((legend[:, :, 0] > 200) & (legend[:, :, 1] < 90) & (legend[:, :, 2] > 200)).any()
    closing = flat(pdf_text(pdf, pdf_pages(pdf), layout=False))
    assert closing.count("Bakgrundskarta") == 1 and "fil bakgrund.tif" in closing
    assert outputs["magenta"]["warnings"] == []
    missing = outputs["missing"]
    assert any("saknas.tif" in w for w in missing["warnings"]), missing["warnings"]
    assert pdf_pages(missing["OVERALL_PDF"]) == pdf_pages(pdf)
    assert "Bakgrundskarta" not in flat(pdf_text(missing["OVERALL_PDF"], layout=False))


def test_a_position_whose_finding_is_gone_is_in_the_full_report_as_resolved_by_change(reviewed):
    """Issue 16 item 5: a review whose finding disappeared is kept and shown, never lost."""
    result = reviewed["result"]
    overall = " ".join(pdf_text(result["OVERALL_PDF"]).split())
    assert "Löst genom ändring" in overall
    # (a table cell's text wraps, and pdftotext interleaves the row's columns: its parts are read)
    for text in (
        "Nora kulturstad (samrådsversionen) – Nationalpark:",
        "Garphyttan",
        "511-4242-2026",
        "2026-09-30",
    ):
        assert text in overall
    assert "Naturvårdsverket avstyrkte" in overall and "Området flyttades utanför" in overall
    # the per-agency and per-kommun reports carry their own findings only
    for path in [*result["AGENCY_PDFS"].split(";"), *result["KOMMUN_PDFS"].split(";")]:
        assert "Löst genom ändring" not in pdf_text(path)
    html = visible_text(Path(result["HTML"]).read_text(encoding="utf-8"))
    assert "Löst genom ändring" in html and "511-4242-2026" in html
