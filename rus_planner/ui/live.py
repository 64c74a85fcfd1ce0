"""Live mode: re-check the elements a planner edits, within a second, without running everything.

The element layers' edit signals mark features as changed; a single-shot timer restarted
by every change (debounce) hands the changed feature ids to the panel when the edits pause.
A commit or a rollback renumbers or restores features, so it re-checks the whole layer.
"""

from __future__ import annotations

from typing import Callable

from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, QTimer

DELAY_MS = 400  # edits closer together than this are checked together


class LiveModeController(QObject):
    """Watches element layers and calls ``recheck(layer, fids or None)`` after edits settle."""

    def __init__(self, recheck: Callable, parent=None):
        super().__init__(parent)
        self._recheck = recheck
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._layers: dict[str, object] = {}
        self._pending: dict[str, set | None] = {}
        self._connections: list[tuple] = []
        self.enabled = False

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = bool(enabled)
        if not self.enabled:
            self._timer.stop()
            self._pending.clear()

    def watch(self, layers) -> None:
        """Follow the edits of these element layers (and of no others)."""
        self.unwatch()
        for layer in layers:
            layer_id = layer.id()
            self._layers[layer_id] = layer
            connect = self._connect
            connect(layer, layer.geometryChanged, lambda fid, _geometry, i=layer_id: self.mark(i, fid))
            connect(layer, layer.featureAdded, lambda fid, i=layer_id: self.mark(i, fid))
            connect(layer, layer.featureDeleted, lambda fid, i=layer_id: self.mark(i, fid))
            connect(
                layer, layer.attributeValueChanged, lambda fid, _index, _value, i=layer_id: self.mark(i, fid)
            )
            connect(layer, layer.afterCommitChanges, lambda i=layer_id: self.mark(i, None))
            connect(layer, layer.afterRollBack, lambda i=layer_id: self.mark(i, None))

    def _connect(self, layer, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((layer, signal, slot))

    def unwatch(self) -> None:
        for layer, signal, slot in self._connections:
            if sip.isdeleted(layer):  # removed from the project: its signals went with it
                continue
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._connections.clear()
        self._layers.clear()
        self._pending.clear()
        self._timer.stop()

    def mark(self, layer_id: str, fid) -> None:
        """Note a changed feature (None: the whole layer) and (re)start the debounce timer."""
        if not self.enabled or layer_id not in self._layers:
            return
        if fid is None or self._pending.get(layer_id, set()) is None:
            self._pending[layer_id] = None
        else:
            self._pending.setdefault(layer_id, set()).add(int(fid))
        self._timer.start()

    def is_pending(self) -> bool:
        return bool(self._pending) or self._timer.isActive()

    def flush(self) -> None:
        """Re-check what changed now (the timer calls this; tests may too)."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for layer_id, fids in pending.items():
            layer = self._layers.get(layer_id)
            if layer is not None and not sip.isdeleted(layer):
                self._recheck(layer, fids)
