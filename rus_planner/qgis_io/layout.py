"""QGIS print layouts for the reports: the bridge from the report model to PDF pages.

Like ``layers.py`` this module is a bridge and may use qgis.core. The documents are
ordinary ``QgsPrintLayout`` objects (maps, legends, scale bars, tables), so an agency's
PDF looks like any QGIS layout, and the same pages render to images for the HTML report.

Pages are A4 landscape. A table that does not fit on its page continues on full-height
frames on new pages, added right after it, so an element's findings stay together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import (
    Qgis,
    QgsBasicNumericFormat,
    QgsExpressionContextUtils,
    QgsLayerTree,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemScaleBar,
    QgsLayoutItemShape,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLayoutTableStyle,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsTableCell,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..core.errors import RusPlannerError
from ..core.numbers import THOUSANDS_SPACE
from ..i18n import tr

PAGE_WIDTH = 297.0
PAGE_HEIGHT = 210.0
MARGIN = 12.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_BOTTOM = 27.0
FOOTER_TOP = 200.0
FONT_FAMILY = "DejaVu Sans"
ACCENT = "#1f3a5f"
MUTED = "#5a5a5a"
GRID = "#b8b8b8"
HEADER_FILL = "#e4e9f0"
# Safety net against a runaway table (a bug, not a big report): pages per table.
MAX_TABLE_PAGES = 200


class LayoutError(RusPlannerError):
    """A layout could not be exported (unwritable file, failing renderer)."""


@dataclass
class Document:
    """A print layout being built, with what must stay alive until it is exported."""

    layout: QgsPrintLayout
    keep: list = field(default_factory=list)  # legend trees, tables (Python owns them)

    @property
    def page_count(self) -> int:
        return self.layout.pageCollection().pageCount()


def new_document(project, name: str) -> Document:
    """An empty layout (no pages yet) in the given project."""
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(name)
    # Nobody undoes a generated report: skip the undo snapshots every added item would take.
    layout.undoStack().blockCommands(True)
    collection = layout.pageCollection()
    while collection.pageCount():
        collection.deletePage(0)
    return Document(layout)


def add_page(doc: Document) -> int:
    """Append an A4 landscape page; returns its index."""
    page = QgsLayoutItemPage(doc.layout)
    page.setPageSize("A4", QgsLayoutItemPage.Orientation.Landscape)
    doc.layout.pageCollection().addPage(page)
    return doc.page_count - 1


def font(size: float, bold: bool = False) -> QFont:
    result = QFont(FONT_FAMILY)
    result.setPointSizeF(size)
    result.setBold(bold)
    return result


def text_format(size: float, bold: bool = False, colour: str = "#000000") -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(font(size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QColor(colour))
    return fmt


def _place(item, page: int, x: float, y: float, w: float, h: float) -> None:
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=page)


def add_label(
    doc: Document,
    page: int,
    text: str,
    rect: tuple[float, float, float, float],
    size: float = 9.0,
    *,
    bold: bool = False,
    colour: str = "#000000",
    align=Qt.AlignmentFlag.AlignLeft,
) -> QgsLayoutItemLabel:
    label = QgsLayoutItemLabel(doc.layout)
    label.setText(text)
    label.setFont(font(size, bold))
    label.setFontColor(QColor(colour))
    label.setHAlign(align)
    label.setVAlign(Qt.AlignmentFlag.AlignTop)
    label.setMarginX(0)
    label.setMarginY(0)
    doc.layout.addLayoutItem(label)
    _place(label, page, *rect)
    return label


def add_band(doc: Document, page: int, colour: str = ACCENT) -> None:
    """The coloured band across the top of every page."""
    shape = QgsLayoutItemShape(doc.layout)
    shape.setShapeType(QgsLayoutItemShape.Shape.Rectangle)
    symbol = shape.symbol().clone()
    symbol.setColor(QColor(colour))
    symbol.symbolLayer(0).setStrokeStyle(Qt.PenStyle.NoPen)
    shape.setSymbol(symbol)
    doc.layout.addLayoutItem(shape)
    _place(shape, page, 0, 0, PAGE_WIDTH, 5)


def add_header(doc: Document, page: int, title: str, subtitle: str = "") -> None:
    add_band(doc, page)
    add_label(doc, page, title, (MARGIN, 8, CONTENT_WIDTH, 9), 15, bold=True, colour=ACCENT)
    if subtitle:
        add_label(doc, page, subtitle, (MARGIN, 18, CONTENT_WIDTH, 7), 9.5, colour=MUTED)


def add_footers(doc: Document, left: str, page_word: str, of_word: str) -> None:
    """Provenance and "page i of n" on every page (after all pages exist)."""
    total = doc.page_count
    for page in range(total):
        add_label(doc, page, left, (MARGIN, FOOTER_TOP + 1, CONTENT_WIDTH - 30, 6), 7, colour=MUTED)
        add_label(
            doc,
            page,
            f"{page_word} {page + 1} {of_word} {total}",
            (PAGE_WIDTH - MARGIN - 30, FOOTER_TOP + 1, 30, 6),
            7,
            colour=MUTED,
            align=Qt.AlignmentFlag.AlignRight,
        )


def add_map(
    doc: Document,
    page: int,
    rect: tuple[float, float, float, float],
    layers: list,
    extent,
    crs,
    variables: dict | None = None,
) -> QgsLayoutItemMap:
    """A framed map of the layers (top first) zoomed to the extent, in the given CRS."""
    item = QgsLayoutItemMap(doc.layout)
    doc.layout.addLayoutItem(item)
    _place(item, page, *rect)
    item.setCrs(crs)
    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.zoomToExtent(extent)
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3))
    item.setBackgroundColor(QColor("#ffffff"))
    for name, value in (variables or {}).items():
        QgsExpressionContextUtils.setLayoutItemVariable(item, name, value)
    return item


def add_legend(
    doc: Document,
    page: int,
    rect: tuple[float, float, float, float],
    map_item: QgsLayoutItemMap,
    layers: list,
    title: str,
) -> QgsLayoutItemLegend:
    """A legend of exactly these layers, filtered to what the map shows."""
    legend = QgsLayoutItemLegend(doc.layout)
    legend.setTitle(title)
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    root = QgsLayerTree()
    for layer in layers:
        root.addLayer(layer)
    legend.model().setRootGroup(root)
    doc.keep.append(root)
    legend.setLegendFilterByMapEnabled(True)
    legend.setWrapString("\n")
    legend.setSymbolHeight(3.5)
    legend.setSymbolWidth(6)
    legend.rstyle(QgsLegendStyle.Style.Title).setFont(font(10, bold=True))
    legend.rstyle(QgsLegendStyle.Style.Group).setFont(font(8.5, bold=True))
    legend.rstyle(QgsLegendStyle.Style.Subgroup).setFont(font(8, bold=True))
    legend.rstyle(QgsLegendStyle.Style.SymbolLabel).setFont(font(7.5))
    legend.setColumnCount(1)
    legend.setFrameEnabled(False)
    doc.layout.addLayoutItem(legend)
    _place(legend, page, *rect)
    legend.setResizeToContents(False)
    return legend


def add_scalebar(
    doc: Document, page: int, x: float, y: float, map_item: QgsLayoutItemMap, language: str = "en"
):
    """A single-box scale bar in metres or kilometres, sized to the map's scale; its numbers
    as the reader writes them (Swedish: 0,75 and 1 200)."""
    bar = QgsLayoutItemScaleBar(doc.layout)
    write_numbers(bar, language)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setNumberOfSegmentsLeft(0)
    bar.setNumberOfSegments(4)
    bar.setHeight(2.0)
    bar.setTextFormat(text_format(7))
    doc.layout.addLayoutItem(bar)
    bar.applyDefaultSize(
        QgsUnitTypes.DistanceUnit.DistanceKilometers
        if map_item.scale() > 40_000
        else QgsUnitTypes.DistanceUnit.DistanceMeters
    )
    bar.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=page)
    return bar


def write_numbers(bar, language: str) -> None:
    """A scale bar's numbers in the language's way: Swedish 0,75 and 1 200."""
    if language == "sv":
        numbers = QgsBasicNumericFormat()
        numbers.setDecimalSeparator(",")
        numbers.setThousandsSeparator(THOUSANDS_SPACE)
        numbers.setShowThousandsSeparator(True)
        bar.setNumericFormat(numbers)


@dataclass
class Column:
    header: str
    width: float  # mm (0 = share the rest)


def add_table(
    doc: Document,
    page: int,
    rect: tuple[float, float, float, float],
    columns: list[Column],
    rows: list[list],
    *,
    size: float = 7.0,
    header: bool = True,
    on_new_page=None,
) -> int:
    """A table with a header row; rows are lists of str or ``(text, background colour)``.

    The first frame is ``rect`` on ``page``; what does not fit continues in full-height
    frames on pages appended right away (``on_new_page(page)`` decorates each, e.g. with
    a header). Returns the index of the last page used.
    """
    table = QgsLayoutItemManualTable.create(doc.layout)
    doc.layout.addMultiFrame(table)
    doc.keep.append(table)
    # Column widths exclude the cell margins and grid lines: scale them to fill the frame.
    margin, grid = 1.0, 0.15
    available = rect[2] - len(columns) * 2 * margin - (len(columns) + 1) * grid
    scale = available / sum(c.width for c in columns)
    widths = [c.width * scale for c in columns]
    headers = []
    for column, width in zip(columns, widths):
        heading = QgsLayoutTableColumn(column.header)
        heading.setWidth(width)
        headers.append(heading)
    table.setHeaders(headers)
    table.setIncludeTableHeader(header)
    table.setColumnWidths(widths)
    table.setHeaderTextFormat(text_format(size, bold=True))
    table.setContentTextFormat(text_format(size))
    table.setHeaderHAlignment(QgsLayoutTable.HeaderHAlignment.FollowColumn)
    table.setWrapBehavior(QgsLayoutTable.WrapBehavior.WrapText)
    table.setCellMargin(margin)
    table.setShowGrid(True)
    table.setGridStrokeWidth(grid)
    table.setGridColor(QColor(GRID))
    table.setHeaderMode(
        QgsLayoutTable.HeaderMode.AllFrames if header else QgsLayoutTable.HeaderMode.NoHeaders
    )
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    header_style = QgsLayoutTableStyle()
    header_style.enabled = True
    header_style.cellBackgroundColor = QColor(HEADER_FILL)
    table.setCellStyle(QgsLayoutTable.CellStyleGroup.HeaderRow, header_style)
    contents = []
    for row in rows:
        cells = []
        for value in row:
            text, background = value if isinstance(value, tuple) else (value, None)
            cell = QgsTableCell("" if text is None else str(text))
            if background:
                cell.setBackgroundColor(QColor(background))
            cells.append(cell)
        contents.append(cells)
    table.setTableContents(contents)

    frame = _frame(doc, table, page, rect)
    table.addFrame(frame)
    table.recalculateFrameSizes()
    last_page = page
    full = (MARGIN, HEADER_BOTTOM, CONTENT_WIDTH, FOOTER_TOP - HEADER_BOTTOM - 2)
    while frame.extent().bottom() < table.totalSize().height() - 0.01:
        if last_page - page >= MAX_TABLE_PAGES:
            raise LayoutError(tr("A table would need more than {n} pages.").format(n=MAX_TABLE_PAGES))
        last_page = add_page(doc)
        if on_new_page is not None:
            on_new_page(last_page)
        frame = _frame(doc, table, last_page, full)
        table.addFrame(frame)
        table.recalculateFrameSizes()
    return last_page


def _frame(doc: Document, table, page: int, rect) -> QgsLayoutFrame:
    frame = QgsLayoutFrame(doc.layout, table)
    _place(frame, page, *rect)
    frame.setHidePageIfEmpty(True)
    return frame


def page_region(doc: Document, page: int, rect: tuple[float, float, float, float]) -> QRectF:
    """A rectangle on a page in layout (scene) coordinates."""
    top = doc.layout.pageCollection().page(page).pos().y()
    x, y, w, h = rect
    return QRectF(x, top + y, w, h)


def render_png(doc: Document, region: QRectF, dpi: float = 110) -> bytes:
    """A region of the layout as PNG bytes (the HTML report's figures)."""
    exporter = QgsLayoutExporter(doc.layout)
    image = exporter.renderRegionToImage(region, dpi=dpi)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 80)  # light compression: 3× faster than the default, ~10 % larger
    buffer.close()
    return bytes(data)


def export_pdf(doc: Document, path: str, dpi: float = 150) -> None:
    """Write the layout as a PDF with real text (searchable, and read by screen readers)."""
    exporter = QgsLayoutExporter(doc.layout)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.exportMetadata = True
    settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
    result = exporter.exportToPdf(path, settings)
    if result != QgsLayoutExporter.ExportResult.Success:
        raise LayoutError(
            tr("The PDF “{path}” could not be written ({reason}).").format(
                path=path, reason=exporter.errorMessage() or str(result)
            )
        )
