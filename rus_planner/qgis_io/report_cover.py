"""The consultation report's front and back pages as print layout pages: the cover (who it is
for, region, RUS version, date, contact, how to read it, counts per class and nature, an overview
map), the interests not checked, and at the end the elements without findings and the sources."""

from __future__ import annotations

from qgis.core import QgsRectangle

from ..core.report import ReportModel, ReportSection
from . import layout as lay
from .report_maps import ALL_ELEMENTS, ELEMENT_VARIABLE, MapLayers

LEFT_WIDTH = 150.0
RIGHT = 172.0
RIGHT_WIDTH = lay.PAGE_WIDTH - lay.MARGIN - RIGHT
# The cover's overview map; report_pdf returns its region for the HTML report.
OVERVIEW_RECT = (RIGHT, 33.0, RIGHT_WIDTH, 72.0)
FULL = (lay.MARGIN, 36.0, lay.CONTENT_WIDTH, lay.FOOTER_TOP - 38.0)


def _continued(doc, model: ReportModel, section: ReportSection, what: str):
    def header(new_page):
        lay.add_header(doc, new_page, model.title(section), model.texts["continued"].format(name=what))

    return header


def _heading(doc, page: int, text: str, x: float, y: float, width: float) -> None:
    lay.add_label(doc, page, text, (x, y, width, 5), 9.5, bold=True, colour=lay.ACCENT)


def cover(doc: lay.Document, model: ReportModel, section: ReportSection, maps: MapLayers, layers) -> None:
    t = model.texts
    page = lay.add_page(doc)
    lay.add_band(doc, page)
    lay.add_label(
        doc, page, t["title"], (lay.MARGIN, 8, lay.CONTENT_WIDTH, 8), 15, bold=True, colour=lay.ACCENT
    )
    addressee = model.addressee(section)
    lay.add_label(doc, page, addressee, (lay.MARGIN, 17, lay.CONTENT_WIDTH, 7), 12, bold=True)
    left = lay.MARGIN
    meta = [[label, value] for label, value in model.meta(section)]
    lay.add_table(
        doc, page, (left, 27, LEFT_WIDTH, 40), [lay.Column("", 40), lay.Column("", 110)], meta, header=False
    )
    _heading(doc, page, t["reading"], left, 70, LEFT_WIDTH)
    lay.add_label(doc, page, t["reading_guide"], (left, 76, LEFT_WIDTH, 33), 7.5)
    counts = section.counts()
    rows = [[(s, model.colours.get(s)), model.severities[s], str(n)] for s, n in counts.items()]
    columns = [lay.Column(t["severity"], 12), lay.Column("", 60), lay.Column(t["count"], 18)]
    lay.add_table(doc, page, (left, 111, 92, 24), columns, rows)
    natures = section.nature_counts()
    if natures:
        rows = [[model.natures.get(n, n), str(c)] for n, c in natures.items()]
        columns = [lay.Column(t["nature"], 36), lay.Column(t["count"], 16)]
        lay.add_table(doc, page, (left + 96, 111, LEFT_WIDTH - 96, 24), columns, rows)
    if section.kind == "overall" and model.agencies:
        _per_section(doc, model, section, page, model.agencies, t["per_agency"], (left, 140, LEFT_WIDTH, 58))
    if section.elements:
        extent = QgsRectangle()  # the section's elements: a kommun's report shows the kommun's
        extent.setMinimal()
        for entry in section.elements:
            if entry.element_id in maps.extents:
                extent.combineExtentWith(maps.extents[entry.element_id])
        if extent.isEmpty():
            extent = QgsRectangle(maps.overview)
        extent.grow(max(extent.width(), extent.height()) * 0.05 + 500)
        _heading(doc, page, t["overview"], RIGHT, 27, RIGHT_WIDTH)
        lay.add_map(doc, page, OVERVIEW_RECT, layers, extent, maps.crs, {ELEMENT_VARIABLE: ALL_ELEMENTS})
    if section.kind == "overall" and model.kommuner:
        _per_section(doc, model, section, page, model.kommuner, t["kommuner"], (RIGHT, 110, RIGHT_WIDTH, 88))


def _per_section(doc, model: ReportModel, section, page: int, parts: list, heading: str, rect) -> None:
    """Counts per class of each agency's (or kommun's) report, named as its report addresses it."""
    rows = []
    for part in parts:
        counts = part.counts()
        rows.append([model.addressee(part), *(str(counts[s]) for s in counts), str(sum(counts.values()))])
    x, y, width, height = rect
    _heading(doc, page, heading, x, y, width)
    columns = (
        [lay.Column("", width - 52)] + [lay.Column(s, 9) for s in model.severities] + [lay.Column("Σ", 16)]
    )
    header = _continued(doc, model, section, heading)
    lay.add_table(doc, page, (x, y + 6, width, height - 6), columns, rows, size=6.5, on_new_page=header)


def not_checked_page(doc: lay.Document, model: ReportModel, section: ReportSection) -> None:
    """Every interest the section could not check, with the reason and the elements concerned."""
    t = model.texts
    page = lay.add_page(doc)
    lay.add_header(doc, page, model.title(section), t["not_checked"])
    rows = [list(row) for row in model.not_checked_rows(section)]
    if not rows:
        lay.add_label(doc, page, t["none_not_checked"], (lay.MARGIN, 29, lay.CONTENT_WIDTH, 6), 9)
        return
    lay.add_label(doc, page, t["not_checked_intro"], (lay.MARGIN, 28, lay.CONTENT_WIDTH, 7), 8.5)
    columns = [
        lay.Column(t["interest"], 85),
        lay.Column(t["agency"], 45),
        lay.Column(t["reason"], 95),
        lay.Column(t["applies_to"], 48),
    ]
    lay.add_table(
        doc, page, FULL, columns, rows, size=7, on_new_page=_continued(doc, model, section, t["not_checked"])
    )


def resolved_page(doc: lay.Document, model: ReportModel, section: ReportSection) -> None:
    """The full report's reviews whose finding is gone (resolved by change): the dialogue kept."""
    t = model.texts
    if section.kind != "overall" or not model.resolved:
        return
    page = lay.add_page(doc)
    lay.add_header(doc, page, model.title(section), t["resolved"])
    lay.add_label(doc, page, t["resolved_intro"], (lay.MARGIN, 28, lay.CONTENT_WIDTH, 7), 8.5)
    columns = [
        lay.Column(t["finding"], 70),
        lay.Column(t["review_status"], 30),
        lay.Column(t["position"], 65),
        lay.Column(t["agency_view"], 65),
        lay.Column(t["diarienummer"], 43),
    ]
    rows = [list(row) for row in model.resolved]
    lay.add_table(
        doc, page, FULL, columns, rows, size=7, on_new_page=_continued(doc, model, section, t["resolved"])
    )


def closing_page(doc: lay.Document, model: ReportModel, section: ReportSection) -> None:
    """The elements without findings in one table (not a page each), and each source once."""
    t = model.texts
    page = lay.add_page(doc)
    lay.add_header(doc, page, model.title(section), f"{t['without_findings']} · {t['sources']}")
    left_width = 112.0
    _heading(doc, page, t["without_findings"], lay.MARGIN, 28, left_width)
    without = section.without_findings()
    lay.add_label(
        doc, page, t["without_findings_note"], (lay.MARGIN, 34, left_width, 12), 7.5, colour=lay.MUTED
    )
    if without:
        rows = [[e.label, e.element_type, ", ".join(e.kommuner)] for e in without]
        columns = [
            lay.Column(t["element"], 52),
            lay.Column(t["element_type"], 20),
            lay.Column(t["kommuner"], 40),
        ]
        header = _continued(doc, model, section, t["without_findings"])
        lay.add_table(doc, page, (lay.MARGIN, 48, left_width, 150), columns, rows, on_new_page=header)
    right = lay.MARGIN + left_width + 6
    width = lay.PAGE_WIDTH - lay.MARGIN - right
    _heading(doc, page, t["sources"], right, 28, width)
    columns = [
        lay.Column(t["agency"], 30),
        lay.Column(t["dataset"], 30),
        lay.Column(t["date"], 18),
        lay.Column(t["licence"], 24),
        lay.Column(t["location"], 50),
    ]
    rows = [[*row[:4], breakable(row[4])] for row in model.source_rows(section)]
    header = _continued(doc, model, section, t["sources"])
    lay.add_table(doc, page, (right, 34, width, 164), columns, rows, size=6.5, on_new_page=header)


def breakable(text: str, limit: int = 24) -> str:
    """Long URLs and names get spaces after their separators so a narrow table cell can wrap them."""
    words = []
    for word in str(text).split(" "):
        if len(word) > limit:
            for separator in ("/", "\\", "|", "&", "_", "?"):
                word = word.replace(separator, separator + " ")
        words.append(word)
    return " ".join(words)
