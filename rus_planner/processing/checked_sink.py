"""A Processing sink whose every write is checked and counted, and field names a GeoPackage or
shapefile can hold (unique regardless of case).
"""

from __future__ import annotations

from qgis.core import QgsFeatureSink, QgsField, QgsFields
from qgis.PyQt import sip

from ..i18n import tr
from ..qgis_io.feature_writing import WriteError


class CheckedSink:
    """A sink whose every write is checked and counted; an error names the output and the reason."""

    def __init__(self, sink, label: str):
        self.sink = sink
        self.label = label
        self.count = 0

    def addFeature(self, feature, flags=None) -> bool:  # noqa: N802 - QgsFeatureSink's API
        if not self.sink.addFeature(feature, QgsFeatureSink.Flags() if flags is None else flags):
            self._fail()
        self.count += 1
        return True

    def addFeatures(self, features, flags=None) -> bool:  # noqa: N802
        features = list(features)
        if not self.sink.addFeatures(features, QgsFeatureSink.Flags() if flags is None else flags):
            self._fail()
        self.count += len(features)
        return True

    def lastError(self) -> str:  # noqa: N802
        return self.sink.lastError() if self.sink is not None else ""

    def flushBuffer(self) -> bool:  # noqa: N802
        return self.sink.flushBuffer() if self.sink is not None else True

    def close(self) -> None:
        """Delete the QGIS sink now: that closes the file (and commits what the writer buffered)."""

        if self.sink is not None:
            sink, self.sink = self.sink, None
            sink.flushBuffer()
            if not sip.isdeleted(sink):
                sip.delete(sink)

    def _fail(self) -> None:
        raise WriteError(
            tr("{output} could not be written: {reason}").format(
                output=self.label, reason=self.sink.lastError() or tr("the data source gave no reason")
            )
        )


def unique_field_names(fields: QgsFields) -> tuple[QgsFields, list[str]]:
    """The fields with names unique regardless of case (later ones get _2, _3 …), and the renamings."""
    taken: set[str] = set()
    unique = QgsFields()
    renamed = []
    for index in range(fields.count()):
        original = fields.at(index)
        name, number = original.name(), 2
        candidate = name
        while candidate.casefold() in taken:
            candidate = f"{name}_{number}"
            number += 1
        taken.add(candidate.casefold())
        copy = QgsField(original)
        if candidate != name:
            copy.setName(candidate)
            renamed.append(f"{name} → {candidate}")
        unique.append(copy)
    return unique, renamed
