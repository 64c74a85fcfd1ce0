"""The two layer lists of the Check tab: the element layers and the agency layers, ticked.

Owns ``elementList`` and ``agencyList`` of the form. It lists the project's spatial vector
layers but the plugin's own outputs (never an input) and says which are ticked; the dock keeps
the ticked ids in the project state. A project that has stored no roles yet gets them from its
RUS groups: the layers under RUS-element are the elements, those under Myndighetsunderlag the
agency layers.
"""

from __future__ import annotations

from qgis.core import QgsMapLayer, QgsProject
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QListWidgetItem

from ..core.redact import safe_source
from .new_project import AGENCY_GROUP, ELEMENT_GROUP, OUTPUT_GROUP
from .results import RESULTS_GROUP


def _vector_ids_in_group(project, name: str) -> list[str]:
    """The ids of the spatial vector layers anywhere under the group (none when it is missing)."""
    group = project.layerTreeRoot().findGroup(name)
    if group is None:
        return []
    return [
        node.layerId()
        for node in group.findLayers()
        if node.layer() is not None
        and node.layer().type() == QgsMapLayer.LayerType.VectorLayer
        and node.layer().isSpatial()
    ]


def roles_from_groups(project) -> tuple[list[str], list[str]]:
    """(element layer ids, agency layer ids) as the project's RUS groups hold them."""
    return _vector_ids_in_group(project, ELEMENT_GROUP), _vector_ids_in_group(project, AGENCY_GROUP)


def plugin_output_ids(project, results_layer_ids) -> set[str]:
    """The layers the plugin wrote (its findings layers, the results groups): never inputs."""
    hidden = set(results_layer_ids)
    for name in (RESULTS_GROUP, OUTPUT_GROUP):
        hidden.update(_vector_ids_in_group(project, name))
    return hidden


class LayerLists(QObject):
    """Fills the two lists and reports a tick as ``ticked(element_ids, agency_ids)``."""

    ticked = pyqtSignal(list, list)

    def __init__(self, form, parent=None):
        super().__init__(parent)
        self.element_list = form.elementList
        self.agency_list = form.agencyList
        self.element_list.itemChanged.connect(self._on_item_changed)
        self.agency_list.itemChanged.connect(self._on_item_changed)

    @staticmethod
    def vector_layers(hidden_ids) -> list:
        """The project's spatial vector layers but those in ``hidden_ids``, by name."""
        layers = [
            layer
            for layer in QgsProject.instance().mapLayers().values()
            if layer.type() == QgsMapLayer.LayerType.VectorLayer
            and layer.isSpatial()
            and layer.id() not in hidden_ids
        ]
        return sorted(layers, key=lambda layer: layer.name().casefold())

    def fill(self, element_ids, agency_ids, hidden_ids) -> None:
        """List every layer in both lists, ticked where its id is chosen, those first (no signal)."""
        for widget, chosen in ((self.element_list, element_ids), (self.agency_list, agency_ids)):
            widget.blockSignals(True)
            widget.clear()
            # The layers in this role first (so what the project knows is seen at once), then the rest.
            layers = self.vector_layers(hidden_ids)
            for layer in [x for x in layers if x.id() in chosen] + [
                x for x in layers if x.id() not in chosen
            ]:
                item = QListWidgetItem(layer.name(), widget)
                item.setData(Qt.ItemDataRole.UserRole, layer.id())
                item.setToolTip(safe_source(layer.source()))  # no passwords on screen
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if layer.id() in chosen else Qt.CheckState.Unchecked)
            widget.blockSignals(False)

    def tick(self, element_layers, agency_layers) -> None:
        """Tick exactly these layers in the two lists (as a user would)."""
        for widget, layers in ((self.element_list, element_layers), (self.agency_list, agency_layers)):
            wanted = {layer.id() for layer in layers}
            for index in range(widget.count()):
                item = widget.item(index)
                item.setCheckState(
                    Qt.CheckState.Checked
                    if item.data(Qt.ItemDataRole.UserRole) in wanted
                    else Qt.CheckState.Unchecked
                )

    @staticmethod
    def ticked_ids(widget) -> list[str]:
        items = (widget.item(i) for i in range(widget.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _on_item_changed(self, _item) -> None:
        self.ticked.emit(self.ticked_ids(self.element_list), self.ticked_ids(self.agency_list))
