"""The consultation report as PDF: QGIS print layouts built from the report model.

With the maps' layers from report_maps.py (styled copies: the inputs are never touched), it
lays out one document per report section: a cover
page with the summary and the data sources, then one page per element with its map
(the element, the agency data, the affected parts), legend, scale bar and its findings.
"""

from __future__ import annotations

from qgis.core import (
    QgsRectangle,
)
from qgis.PyQt.QtCore import Qt

from ..core.errors import Cancelled
from ..core.redact import safe_source
from ..core.report import ReportModel, ReportSection
from . import layout as lay
from .report_maps import ALL_ELEMENTS, ELEMENT_VARIABLE, MapLayers, element_extent

# Page geometry (mm) of an element page.
MAP_RECT = (lay.MARGIN, lay.HEADER_BOTTOM, 190.0, 108.0)
LEGEND_RECT = (207.0, lay.HEADER_BOTTOM, 78.0, 108.0)
SCALEBAR_Y = 137.0
TABLE_RECT = (lay.MARGIN, 147.0, lay.CONTENT_WIDTH, 51.0)
FIGURE_RECT = (lay.MARGIN, lay.HEADER_BOTTOM, lay.CONTENT_WIDTH, 120.0)
# The cover's overview map; its region is returned under the key OVERVIEW.
OVERVIEW_RECT = (172.0, 35.0, lay.PAGE_WIDTH - lay.MARGIN - 172.0, 72.0)
OVERVIEW = ""
FINDING_COLUMNS = (
    ("severity", 13),
    ("interest", 42),
    ("agency", 32),
    ("legal_basis", 28),
    ("measure", 34),
    ("advice", 54),
    ("position", 40),
    ("source", 30),
)


# --------------------------------------------------------------------------- map layers


# --------------------------------------------------------------------------- documents


def build_document(
    model: ReportModel, section: ReportSection, maps: MapLayers, feedback=None
) -> tuple[lay.Document, dict]:
    """One PDF's layout: cover page, then a page (or more) per element.

    Returns the document and, per element id, the page region of its map, legend and
    scale bar (the HTML report's figures; the cover's overview map under OVERVIEW).
    Raises Cancelled when the feedback is cancelled.
    """
    t = model.texts
    doc = lay.new_document(maps.project, model.title(section))
    findings = maps.findings.get(section.agency, [])
    agency = [
        maps.agency[name]
        for name in maps.agency
        if section.agency is None or name in {f.get("agency_layer") for f in section.findings}
    ]
    map_layers = [*maps.elements, *findings, *agency]

    _cover(doc, model, section, maps, map_layers)
    figures = {OVERVIEW: lay.page_region(doc, 0, OVERVIEW_RECT)} if section.elements else {}
    for entry in section.elements:
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        page = lay.add_page(doc)
        subtitle = " · ".join(p for p in (entry.label, entry.element_type, entry.layer) if p)
        lay.add_header(doc, page, model.title(section), subtitle)
        extent = element_extent(entry, maps.extents)
        map_item = lay.add_map(
            doc, page, MAP_RECT, map_layers, extent, maps.crs, {ELEMENT_VARIABLE: entry.element_id}
        )
        lay.add_legend(doc, page, LEGEND_RECT, map_item, map_layers, t["legend"])
        lay.add_scalebar(doc, page, lay.MARGIN, SCALEBAR_Y, map_item, model.language)
        lay.add_label(
            doc,
            page,
            t["crs"].format(crs=maps.crs.authid()),
            (120.0, SCALEBAR_Y + 2, 82.0, 5.0),
            7,
            colour=lay.MUTED,
            align=Qt.AlignmentFlag.AlignRight,
        )
        figures[entry.element_id] = lay.page_region(doc, page, FIGURE_RECT)
        if entry.findings:
            columns = [lay.Column(t[key], width) for key, width in FINDING_COLUMNS]
            continued = t["continued"].format(name=subtitle)

            def header(new_page, continued=continued):
                lay.add_header(doc, new_page, model.title(section), continued)

            lay.add_table(
                doc,
                page,
                TABLE_RECT,
                columns,
                [_finding_row(model, f) for f in entry.findings],
                on_new_page=header,
            )
        else:
            lay.add_label(doc, page, t["no_findings"], TABLE_RECT, 9, colour=lay.MUTED)
    lay.add_footers(doc, model.provenance(), t["page"], t["of"])
    return doc, figures


def _finding_row(model: ReportModel, f: dict) -> list:
    severity = f.get("severity")
    interest = model.interest_text(f)
    if f.get("note"):
        interest += f"\n{safe_source(f['note'])}"
    return [
        (severity, model.colours.get(severity)),
        interest,
        f.get("agency") or "",
        f.get("legal_basis") or "",
        model.measure_text(f),
        f.get("advice") or "",
        model.review_text(f) or model.texts["no_position"],
        breakable(model.source_text(f)),
    ]


def breakable(text: str, limit: int = 24) -> str:
    """Long paths get spaces after their separators so a narrow table cell can wrap them."""
    words = []
    for word in str(text).split(" "):
        if len(word) > limit:
            for separator in ("/", "\\", "|", "&", "_"):
                word = word.replace(separator, separator + " ")
        words.append(word)
    return " ".join(words)


def _cover(doc: lay.Document, model: ReportModel, section: ReportSection, maps: MapLayers, layers) -> None:
    t = model.texts
    page = lay.add_page(doc)
    lay.add_header(doc, page, model.title(section), t["subtitle"])

    def header(new_page):  # a long list of agencies or sources continues on its own page
        lay.add_header(doc, new_page, model.title(section), t["continued"].format(name=t["summary"]))

    left = lay.MARGIN
    width = 150.0
    lay.add_label(doc, page, t["intro"], (left, 29, width, 22), 8.5)
    meta = [
        [t["profile"], model.profile_name],
        [t["plugin_version"], model.plugin_version],
        [t["created"], model.created_text],
        [t["elements"], str(len(section.elements))],
        [t["findings"], str(len(section.findings))],
    ]
    lay.add_table(
        doc, page, (left, 53, width, 30), [lay.Column("", 45), lay.Column("", 105)], meta, header=False
    )
    counts = section.counts()
    rows = [[(s, model.colours.get(s)), model.severities[s], str(n)] for s, n in counts.items()]
    columns = [lay.Column(t["severity"], 15), lay.Column("", 110), lay.Column(t["count"], 25)]
    lay.add_table(doc, page, (left, 90, width, 30), columns, rows)
    if section.agency is None and model.agencies:
        rows = []
        for agency in model.agencies:
            c = agency.counts()
            rows.append([agency.agency, *(str(c[s]) for s in c), str(sum(c.values()))])
        columns = [lay.Column(t["agency"], 80)] + [lay.Column(s, 11) for s in counts] + [lay.Column("Σ", 26)]
        lay.add_label(doc, page, t["per_agency"], (left, 124, width, 5), 9, bold=True, colour=lay.ACCENT)
        lay.add_table(doc, page, (left, 130, width, 68), columns, rows, on_new_page=header)

    right = 172.0
    right_width = lay.PAGE_WIDTH - lay.MARGIN - right
    if section.elements:
        extent = QgsRectangle(maps.overview)
        extent.grow(max(extent.width(), extent.height()) * 0.05 + 500)
        lay.add_label(doc, page, t["overview"], (right, 29, right_width, 5), 9, bold=True, colour=lay.ACCENT)
        lay.add_map(doc, page, OVERVIEW_RECT, layers, extent, maps.crs, {ELEMENT_VARIABLE: ALL_ELEMENTS})
    sources = model.sources_for(section)
    rows = [
        [safe_source(s.name), s.date or t["date_unknown"], breakable(safe_source(s.source))] for s in sources
    ]
    columns = [
        lay.Column(t["layer"], 33),
        lay.Column(t["date"], 20),
        lay.Column(t["source"], right_width - 53),
    ]
    lay.add_label(doc, page, t["sources"], (right, 111, right_width, 5), 9, bold=True, colour=lay.ACCENT)
    lay.add_table(doc, page, (right, 117, right_width, 81), columns, rows, size=6.5, on_new_page=header)
