"""The Profile tab's tree: sectors with their weights, rules with their classes, element types.

Owns ``profileTree`` and ``profileNameLabel``. A weight or a class can be changed in place
(double-click); the tree checks the value and hands it on as ``value_edited(path, text)``,
or says why it was refused as ``value_rejected(message)``. The text of the profile is the
Profile tab's (``profile_tab.py``): the tree only shows a parsed profile.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QHeaderView, QTreeWidgetItem

from ..core.vocabulary import SEVERITIES, SEVERITY_BACKGROUND
from ..i18n import tr
from .options import panel_language

PATH_ROLE = Qt.ItemDataRole.UserRole


def checked_value(path: tuple, text: str) -> tuple[str, str | None]:
    """The value as the YAML gets it, and None; or the text and why it is refused."""
    text = text.strip().replace(",", ".")
    if path[-1] == "weight":
        try:
            valid = float(text) >= 0
        except ValueError:
            valid = False
        return text, None if valid else tr("A weight is a number of 0 or more.")
    text = text.upper()
    return text, None if text in SEVERITIES else tr("A severity is one of A, B, C, D.")


class ProfileTree(QObject):
    """Shows a profile; reports an edited weight or class with the path of its YAML value."""

    value_edited = pyqtSignal(tuple, str)
    value_rejected = pyqtSignal(str)

    def __init__(self, form, parent=None):
        super().__init__(parent)
        self.tree = form.profileTree
        self.name_label = form.profileNameLabel
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._on_item_changed)

    def clear(self) -> None:
        self.tree.clear()

    def fill(self, profile, label: str) -> None:
        """Sectors with weights, rules with severities (both editable), element types."""
        language = panel_language()
        tree = self.tree
        tree.blockSignals(True)
        tree.clear()
        self.name_label.setText(tr("{name} — {label}").format(name=profile.name, label=label))
        sectors = QTreeWidgetItem(tree, [tr("Sectors ({n})").format(n=len(profile.sectors)), "", ""])
        for index, sector in enumerate(profile.sectors):
            buffer = tr("buffer {m:g} m").format(m=sector.buffer_m) if sector.buffer_m else ""
            item = QTreeWidgetItem(sectors, [sector.name(language), f"{sector.weight:g}", buffer])
            item.setToolTip(1, tr("Weight in the sector overlay; double-click to change it"))
            item.setData(1, PATH_ROLE, ("sectors", index, "weight"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        rules = QTreeWidgetItem(tree, [tr("Agency rules ({n})").format(n=len(profile.agency_rules)), "", ""])
        for index, rule in enumerate(profile.agency_rules):
            relation = (
                tr("within {m:g} m").format(m=rule.distance_m)
                if rule.relation == "within_distance"
                else tr("overlap")
            )
            item = QTreeWidgetItem(rules, [rule.name(language), rule.severity, relation])
            item.setToolTip(0, f"{rule.agency} — {rule.legal_basis}")
            item.setToolTip(1, tr("Severity class A–D; double-click to change it"))
            item.setData(1, PATH_ROLE, ("agency_rules", index, "severity"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            colour = SEVERITY_BACKGROUND.get(rule.severity)
            if colour:
                item.setBackground(1, QColor(colour))
        elements = QTreeWidgetItem(
            tree, [tr("Element types ({n})").format(n=len(profile.element_types)), "", ""]
        )
        for element_type in profile.element_types:
            QTreeWidgetItem(elements, [element_type.name(language), element_type.geometry, ""])
        sectors.setExpanded(True)
        rules.setExpanded(True)
        tree.blockSignals(False)

    def _on_item_changed(self, item, column: int) -> None:
        path = item.data(column, PATH_ROLE) if column == 1 else None
        if not path:
            return
        text, problem = checked_value(tuple(path), item.text(1))
        if problem is not None:
            self.value_rejected.emit(problem)
        else:
            self.value_edited.emit(tuple(path), text)
