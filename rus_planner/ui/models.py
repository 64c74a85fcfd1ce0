"""The findings table: one row per finding, its review beside it, sortable and filterable."""

from __future__ import annotations

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor

from ..core import finding_table, vocabulary
from ..core.reviews import ReviewBook, status_label
from ..core.vocabulary import SEVERITY_BACKGROUND
from ..i18n import tr

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def measure_text(row: dict) -> str:
    """Overlap area or length, or the distance, in the planner's units; else the finding's note."""
    return vocabulary.measure_text(row, tr) or row.get("note") or ""


def element_label(row: dict) -> str:
    name = row.get("element_name")
    return f"{name} ({row.get('element_id')})" if name else str(row.get("element_id") or "")


class FindingsModel(QAbstractTableModel):
    """Findings rows (dicts of the findings layer's attributes, plus geometry and layer fid),
    in the planner's columns (``core.finding_table``)."""

    COLUMNS = finding_table.COLUMNS

    def __init__(self, reviews: ReviewBook, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.reviews = reviews

    @classmethod
    def column(cls, name: str) -> int:
        """The index of a column by its name in ``COLUMNS``."""
        return cls.COLUMNS.index(name)

    @staticmethod
    def headers() -> list[str]:
        return finding_table.headers(tr)

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_reviews(self, reviews: ReviewBook) -> None:
        self.beginResetModel()
        self.reviews = reviews
        self.endResetModel()

    def review_changed(self, row_index: int) -> None:
        self.dataChanged.emit(self.index(row_index, 0), self.index(row_index, len(self.COLUMNS) - 1))

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[section] == "severity":
            return "\n\n".join(finding_table.class_explanations(tr).values())
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole and column == "severity":
            colour = SEVERITY_BACKGROUND.get(row.get("severity"))
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and column == "severity" and row.get("severity"):
            return QBrush(QColor("#000000"))  # black reads on every class colour (palette_check)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "severity":
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return finding_table.cell_tooltip(row, column, tr) or self._value(row, column, role)
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._value(row, column, role)
        return None

    def _value(self, row: dict, column: str, role: int):
        if column == "severity":
            if role == SORT_ROLE:
                return vocabulary.severity_rank(row.get("severity"))
            return row.get("severity")
        if column == "element":
            return finding_table.element_text(row)
        if column == "interest":
            return finding_table.interest_text(row)
        if column == "nature":
            return finding_table.nature_text(row, tr)
        if column == "agency":
            return row.get("agency")
        if column == "measure":
            if role == SORT_ROLE:
                for name in ("overlap_m2", "overlap_length_m", "distance_m"):
                    if row.get(name) is not None:
                        return float(row[name])
                return -1.0
            return measure_text(row)
        review = self.reviews.of_finding(row)
        if column == "review":
            return status_label(review.status)
        if column == "position":
            return review.position
        if column == "source":
            return row.get("agency_layer")
        return None


class FindingsFilterModel(QSortFilterProxyModel):
    """Filters by severity, agency and element (None: all); sorts by meaning, not by text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.severity: str | None = None
        self.agency: str | None = None
        self.element: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_filters(self, severity=None, agency=None, element=None) -> None:
        self.severity, self.agency, self.element = severity, agency, element
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802
        rows = self.sourceModel().rows
        if source_row >= len(rows):
            return False
        row = rows[source_row]
        if self.severity and row.get("severity") != self.severity:
            return False
        if self.agency and (row.get("agency") or "") != self.agency:
            return False
        if self.element and row.get("element_id") != self.element:
            return False
        return True

    def lessThan(self, left, right) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return str(a or "").casefold() < str(b or "").casefold()
