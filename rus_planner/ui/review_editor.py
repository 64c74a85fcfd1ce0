"""The review of one finding: its status and the planner's position (ställningstagande).

Owns ``reviewGroup``, ``statusCombo``, ``positionEdit`` and ``saveReviewButton``. It shows the
review of the finding selected in the table and records an edited one in the project's
review book, keyed by element and agency feature (so it follows the finding across runs);
``changed`` says that the project has something new to save.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.reviews import ReviewKey, status_label
from ..core.vocabulary import REVIEW_STATUSES


class ReviewEditor(QObject):
    """Shows and records the review of the finding selected in ``findings`` (a FindingsTab)."""

    changed = pyqtSignal()

    def __init__(self, form, state, findings, parent=None):
        super().__init__(parent)
        self.form = form
        self._state = state
        self.findings = findings
        for status in REVIEW_STATUSES:
            form.statusCombo.addItem(status_label(status), status)
        form.saveReviewButton.clicked.connect(self.save)

    def show_finding(self, row: dict | None) -> None:
        """The selected finding's review (the editor is disabled when none is selected)."""
        self.form.reviewGroup.setEnabled(row is not None)
        if row is None:
            return
        review = self._state().reviews.of_finding(row)
        self.form.statusCombo.setCurrentIndex(max(0, self.form.statusCombo.findData(review.status)))
        self.form.positionEdit.setPlainText(review.position)

    def save(self) -> bool:
        """Record the status and position for the selected finding (matched by its key)."""
        selected = self.findings.selected_row()
        if selected is None:
            return False
        source_row, row = selected
        self._state().reviews.record(
            ReviewKey.of_finding(row),
            self.form.statusCombo.currentData(),
            self.form.positionEdit.toPlainText(),
        )
        self.findings.review_changed(source_row)
        self.changed.emit()
        return True
