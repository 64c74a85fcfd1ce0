"""The Findings tab's table: the rows, the counts per class, the filters, the selection.

Owns ``findingsView``, ``countsLabel`` and the three filter combos of the form, with the
table model and its sorting/filtering proxy (``models.py``). The rows are given to it (the
dock reads them from the findings layers); a change of the selected finding is announced as
``finding_selected(row)``, with None when nothing is selected.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QFrame, QHeaderView, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ..core.finding_table import class_explanations
from ..core.vocabulary import SEVERITIES, SEVERITY_BACKGROUND, severity_labels
from ..i18n import tr
from .models import ROW_ROLE, FindingsFilterModel, FindingsModel, element_label


def class_legend_html() -> str:
    """The classes' colours with their short names: the legend above the table."""
    labels = severity_labels(tr)
    return " ".join(
        f'<span style="background:{SEVERITY_BACKGROUND[s]}; color:#000;">&nbsp;{labels[s]}&nbsp;</span>'
        for s in SEVERITIES
    )


# Pixels at most per column (the rest elided): element and interest first, the class still in view.
WIDEST = {"element": 150, "interest": 180, "nature": 110, "agency": 160, "measure": 130, "position": 220}


class FindingsTab(QObject):
    """The findings table with its counts and filters."""

    finding_selected = pyqtSignal(object)

    def __init__(self, form, reviews, parent=None):
        super().__init__(parent)
        self.form = form
        self.view = form.findingsView
        self.model = FindingsModel(reviews, self)
        self.proxy = FindingsFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.view.setModel(self.proxy)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.sortByColumn(FindingsModel.column("severity"), Qt.SortOrder.AscendingOrder)
        self.has_run = False
        self._add_legend_and_empty_state()
        self._fill_filters()
        for combo in (form.severityFilter, form.agencyFilter, form.elementFilter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.view.selectionModel().selectionChanged.connect(self.announce_selection)

    def _add_legend_and_empty_state(self) -> None:
        """A legend that explains A–D (its tooltip in full); where the table would be empty,
        what to do next; the table and the review in a splitter, the review scrolling, so a
        long review form never squeezes the table out of a dock beside the map."""
        form = self.form
        layout = form.findingsLayout
        self.legend = QLabel(class_legend_html(), form.tabFindings)
        self.legend.setObjectName("classLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setToolTip("\n\n".join(class_explanations(tr).values()))
        index = layout.indexOf(self.view)
        layout.insertWidget(index, self.legend)
        self.empty_label = QLabel(form.tabFindings)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        table = QWidget(form.tabFindings)
        table_layout = QVBoxLayout(table)
        table_layout.setContentsMargins(0, 0, 0, 0)
        layout.removeWidget(self.view)
        layout.removeWidget(form.reviewGroup)
        table_layout.addWidget(self.empty_label, 1)
        table_layout.addWidget(self.view, 1)
        review = QScrollArea(form.tabFindings)
        review.setObjectName("reviewScroll")
        review.setWidgetResizable(True)
        review.setFrameShape(QFrame.Shape.NoFrame)
        review.setWidget(form.reviewGroup)
        self.splitter = QSplitter(Qt.Orientation.Vertical, form.tabFindings)
        self.splitter.setObjectName("findingsSplitter")
        self.splitter.addWidget(table)
        self.splitter.addWidget(review)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout.insertWidget(index + 1, self.splitter, 1)
        form.countsLabel.setToolTip(self.legend.toolTip())
        form.severityFilter.setToolTip(self.legend.toolTip())

    def empty_text(self) -> str:
        """What the empty table means and what to do next ("" when there are rows to show)."""
        if self.proxy.rowCount():
            return ""
        if self.model.rows:
            return tr("No finding matches the chosen class, agency or element.")
        if self.has_run:
            return tr("The last run found no element near an interest of the agency layers checked.")
        return tr("No findings yet. Choose element layers and press {run} on the Check tab.").format(
            run=self.form.runButton.text()
        )

    def _show_empty_state(self) -> None:
        text = self.empty_text()
        self.empty_label.setText(text)
        self.empty_label.setVisible(bool(text))
        self.view.setVisible(not text)

    # ------------------------------------------------------------------ rows
    def set_rows(self, rows: list[dict], has_run: bool | None = None) -> None:
        """Show these findings; the filters keep what they had chosen where it still exists.
        ``has_run``: whether the project has a run (an empty table then means no findings)."""
        if has_run is not None:
            self.has_run = has_run
        self.model.set_rows(rows)
        self._fill_filters()
        self._update_counts()
        self._fit_columns()
        self.announce_selection()

    def set_reviews(self, reviews) -> None:
        self.model.set_reviews(reviews)

    def _fit_columns(self) -> None:
        """Columns as wide as their contents but no wider than ``WIDEST``: in a dock beside the
        map the class must stay in view (a cell's tooltip has the whole text)."""
        self.view.resizeColumnsToContents()
        for name, widest in WIDEST.items():
            column = FindingsModel.column(name)
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), widest))

    def review_changed(self, source_row: int) -> None:
        self.model.review_changed(source_row)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for row in self.model.rows if row.get("severity") == s) for s in SEVERITIES}

    def _update_counts(self) -> None:
        counts = self.counts()
        cells = " ".join(
            f'<span style="background:{SEVERITY_BACKGROUND[s]}; color:#000;">&nbsp;<b>{s}</b> {counts[s]}&nbsp;</span>'
            for s in SEVERITIES
        )
        shown = tr("{shown} of {total} shown").format(shown=self.proxy.rowCount(), total=len(self.model.rows))
        self.form.countsLabel.setText(f"{cells}&nbsp;&nbsp;{shown}")
        self._show_empty_state()

    # ------------------------------------------------------------------ filters
    def _fill_filters(self) -> None:
        form = self.form
        rows = self.model.rows
        choices = (
            (form.severityFilter, tr("All classes"), [(s, s) for s in SEVERITIES]),
            (
                form.agencyFilter,
                tr("All agencies"),
                sorted({(r.get("agency") or "",) * 2 for r in rows if r.get("agency")}),
            ),
            (
                form.elementFilter,
                tr("All elements"),
                sorted(
                    {(element_label(r), r.get("element_id")) for r in rows}, key=lambda c: c[0].casefold()
                ),
            ),
        )
        for combo, everything, items in choices:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for label, value in items:
                combo.addItem(label, value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self, *_args) -> None:
        self.proxy.set_filters(
            self.form.severityFilter.currentData(),
            self.form.agencyFilter.currentData(),
            self.form.elementFilter.currentData(),
        )
        self._update_counts()

    @staticmethod
    def set_filter(combo, value) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def visible_rows(self) -> list[dict]:
        return [self.proxy.index(i, 0).data(ROW_ROLE) for i in range(self.proxy.rowCount())]

    # ------------------------------------------------------------------ selection
    def select_row(self, proxy_row: int) -> None:
        self.view.selectRow(proxy_row)

    def selected_row(self) -> tuple[int, dict] | None:
        """The selected finding: its row in the model, and the row itself."""
        indexes = self.view.selectionModel().selectedRows()
        if not indexes:
            return None
        source = self.proxy.mapToSource(indexes[0])
        return source.row(), self.model.rows[source.row()]

    def announce_selection(self, *_args) -> None:
        selected = self.selected_row()
        self.finding_selected.emit(None if selected is None else selected[1])
