"""The review of one finding: its status, the planner's position (ställningstagande) and the dialogue with the agency.

Owns ``reviewGroup``, ``statusCombo``, ``positionEdit`` and ``saveReviewButton``, and adds the
dialogue's fields under them: the agency's view, the remissvar's date and diarienummer, the
action decided and who decided it. It shows the review of the finding selected in the table
and records an edited one in the project's review book, keyed by element and agency feature
(so it follows the finding across runs); ``changed`` says that the project has something new
to save.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit

from ..core.reviews import DIALOGUE_FIELDS, ReviewKey, finding_label, status_label
from ..core.vocabulary import REVIEW_STATUSES
from ..i18n import tr


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
        self.dialogue = self._add_dialogue_fields(form)
        form.saveReviewButton.clicked.connect(self.save)

    @staticmethod
    def _add_dialogue_fields(form) -> dict:
        """The dialogue's fields, between the position and the save button: name → editor."""
        view = QPlainTextEdit(form.reviewGroup)
        view.setObjectName("agencyViewEdit")
        view.setMaximumHeight(56)
        view.setPlaceholderText(tr("The agency's view, from its remissvar"))
        editors = {"agency_view": view}
        labels = {
            "response_date": (tr("Remissvar date"), tr("YYYY-MM-DD")),
            "diarienummer": (tr("Diarienummer"), tr("the agency's or the region's")),
            "action": (tr("Action decided"), tr("e.g. the area is reduced")),
            "decided_by": (tr("Decided by"), tr("e.g. Regionstyrelsen")),
        }
        layout = QFormLayout()
        layout.addRow(tr("Agency's view"), view)
        for name, (label, placeholder) in labels.items():
            editor = QLineEdit(form.reviewGroup)
            editor.setObjectName(f"{name}Edit")
            editor.setPlaceholderText(placeholder)
            layout.addRow(label, editor)
            editors[name] = editor
        box = form.reviewGroup.layout()
        box.insertLayout(box.indexOf(form.saveReviewButton), layout)
        return editors

    def show_finding(self, row: dict | None) -> None:
        """The selected finding's review (the editor is disabled when none is selected)."""
        self.form.reviewGroup.setEnabled(row is not None)
        if row is None:
            return
        review = self._state().reviews.of_finding(row)
        self.form.statusCombo.setCurrentIndex(max(0, self.form.statusCombo.findData(review.status)))
        self.form.positionEdit.setPlainText(review.position)
        for name in DIALOGUE_FIELDS:
            editor = self.dialogue[name]
            value = getattr(review, name)
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(value)
            else:
                editor.setText(value)

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
            label=finding_label(row),
            **{name: self._text(name) for name in DIALOGUE_FIELDS},
        )
        self.findings.review_changed(source_row)
        self.changed.emit()
        return True

    def _text(self, name: str) -> str:
        editor = self.dialogue[name]
        return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
