"""The consultation report as PDF: QGIS print layouts built from the report model.

With the maps' layers from report_maps.py (styled copies: the inputs are never touched), it
lays out one document per report section: the cover, the interests not checked, one page per
element with findings (its map with legend, scale bar and north arrow, and its findings), and
a closing page with the elements without findings in one table and the data sources.
"""

from __future__ import annotations

from qgis.core import QgsLayoutItemPicture, QgsLayoutPoint, QgsLayoutSize, QgsUnitTypes, QgsVectorLayer
from qgis.PyQt.QtCore import Qt

from ..core.errors import Cancelled
from ..core.redact import safe_source
from ..core.report import ReportModel, ReportSection
from . import layout as lay
from .report_cover import OVERVIEW_RECT, breakable, closing_page, cover, not_checked_page, resolved_page
from .report_maps import ELEMENT_VARIABLE, MapLayers, element_extent

__all__ = ["OVERVIEW", "breakable", "build_document"]

# Page geometry (mm) of an element page.
MAP_RECT = (lay.MARGIN, lay.HEADER_BOTTOM, 190.0, 96.0)
LEGEND_RECT = (207.0, lay.HEADER_BOTTOM, 78.0, 96.0)
SCALEBAR_Y = 125.0
TABLE_RECT = (lay.MARGIN, 134.0, lay.CONTENT_WIDTH, 64.0)
FIGURE_RECT = (lay.MARGIN, lay.HEADER_BOTTOM, lay.CONTENT_WIDTH, 107.0)
NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"
# The key of the cover's overview map among the regions build_document returns.
OVERVIEW = ""
FINDING_COLUMNS = (
    ("severity", 15),
    ("interest", 42),
    ("agency", 32),
    ("legal_basis", 27),
    ("measure", 33),
    ("advice", 53),
    ("position", 40),
    ("dataset", 29),
)


def build_document(
    model: ReportModel, section: ReportSection, maps: MapLayers, feedback=None
) -> tuple[lay.Document, dict]:
    """One PDF's layout: cover, interests not checked, a page (or more) per element with
    findings, the closing page.

    Returns the document and, per element id, the page region of its map, legend and
    scale bar (the HTML report's figures; the cover's overview map under OVERVIEW).
    Raises Cancelled when the feedback is cancelled.
    """
    doc = lay.new_document(maps.project, model.title(section))
    findings = maps.findings.get(section.agency if section.kind == "agency" else None, [])
    used = {f.get("agency_layer") for f in section.findings}
    agency = [maps.agency[name] for name in maps.agency if section.kind != "agency" or name in used]
    map_layers = [*maps.elements, *findings, *agency, *(maps.background or [])]

    cover(doc, model, section, maps, map_layers)
    figures = {OVERVIEW: lay.page_region(doc, 0, OVERVIEW_RECT)} if section.elements else {}
    not_checked_page(doc, model, section)
    resolved_page(doc, model, section)
    for entry in section.with_findings():
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        figures[entry.element_id] = _element_page(doc, model, section, maps, map_layers, entry)
    closing_page(doc, model, section)
    lay.add_footers(doc, model.provenance(), model.texts["page"], model.texts["of"])
    return doc, figures


def _element_page(doc, model: ReportModel, section: ReportSection, maps: MapLayers, map_layers, entry):
    t = model.texts
    page = lay.add_page(doc)
    facts = [entry.label, entry.element_type, ", ".join(entry.kommuner)]
    subtitle = " · ".join(p for p in facts if p)
    lay.add_header(doc, page, model.title(section), subtitle)
    extent = element_extent(entry, maps.extents)
    map_item = lay.add_map(
        doc, page, MAP_RECT, map_layers, extent, maps.crs, {ELEMENT_VARIABLE: entry.element_id}
    )
    vectors = [layer for layer in map_layers if isinstance(layer, QgsVectorLayer)]  # not the basemap
    lay.add_legend(doc, page, LEGEND_RECT, map_item, vectors, t["legend"])
    lay.add_scalebar(doc, page, lay.MARGIN, SCALEBAR_Y, map_item, model.language)
    _north_arrow(doc, page, map_item)
    lay.add_label(
        doc,
        page,
        t["crs"].format(crs=maps.crs.description() or maps.crs.authid()),
        (110.0, SCALEBAR_Y + 2, 92.0, 5.0),
        7,
        colour=lay.MUTED,
        align=Qt.AlignmentFlag.AlignRight,
    )
    columns = [lay.Column(t[key], width) for key, width in FINDING_COLUMNS]
    continued = t["continued"].format(name=subtitle)

    def header(new_page):
        lay.add_header(doc, new_page, model.title(section), continued)

    rows = [_finding_row(model, f) for f in entry.listed()]
    lay.add_table(doc, page, TABLE_RECT, columns, rows, on_new_page=header)
    return lay.page_region(doc, page, FIGURE_RECT)


def _north_arrow(doc, page: int, map_item) -> None:
    """QGIS's own north arrow in the map's top right corner, turned with the map's north."""
    arrow = QgsLayoutItemPicture(doc.layout)
    arrow.setPicturePath(NORTH_ARROW)
    arrow.setLinkedMap(map_item)
    arrow.setNorthMode(QgsLayoutItemPicture.NorthMode.GridNorth)
    doc.layout.addLayoutItem(arrow)
    x, y, width, _ = MAP_RECT
    arrow.attemptResize(QgsLayoutSize(8, 12, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    arrow.attemptMove(
        QgsLayoutPoint(x + width - 11, y + 2, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=page
    )


def _finding_row(model: ReportModel, f: dict) -> list:
    severity = f.get("severity")
    interest = model.interest_text(f)
    if f.get("note") and f.get(
        "agency_layer"
    ):  # a standing notice's reason is on the list of those not checked
        interest += f"\n{safe_source(f['note'])}"
    return [
        (model.class_text(f), model.colours.get(severity)),
        interest,
        f.get("agency") or "",
        f.get("legal_basis") or "",
        model.measure_text(f),
        f.get("advice") or "",
        model.review_text(f) or model.texts["no_position"],
        breakable(model.source_text(f)),
    ]
