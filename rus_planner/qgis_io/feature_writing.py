"""Writing shapely geometries and attribute rows to QGIS sinks, every write checked."""

from __future__ import annotations

from itertools import islice

from qgis.core import QgsFeature, QgsFeatureSink, QgsGeometry
from qgis.PyQt.QtCore import QVariant

from ..core.errors import Cancelled, RusPlannerError
from ..i18n import tr

# shapely is imported in the function that uses it: QGIS loads this module when it starts the
# plugin, and the plugin must start, and name what is missing, without it
# (dependencies.py, tests/test_plugin.py).


def write_features(sink, geometries, rows, feedback=None) -> int:
    """Write shapely geometries with attribute rows (lists in the sink's field order) to a QGIS sink.

    Turning values into QGIS features is most of the cost of writing thousands of them, so
    one feature is filled and handed over per row (the sink keeps its own copy), and each
    text that repeats becomes a QVariant once: the rule's advice, the layer's source or an
    element's name repeat on many findings, and a ready QVariant is copied without
    converting the text again. ``rows`` may be a generator (it is read a chunk at a time);
    returns the count written.
    """

    import shapely

    # output_dimension=3 (not shapely's default 4): inside qgis_process the system GEOS that
    # QGIS loaded can serve shapely's calls, and GEOS < 3.12 refuses 4 ("must be 2 or 3").
    wkbs = shapely.to_wkb(geometries, output_dimension=3) if len(geometries) else []
    rows = iter(rows)
    variants = _Variants()
    feature = QgsFeature()
    geometry = QgsGeometry()
    empty = QgsGeometry()
    written = 0
    for start in range(0, len(wkbs), _CHUNK):
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        chunk = wkbs[start : start + _CHUNK]
        columns = list(zip(*islice(rows, len(chunk))))
        for index, column in enumerate(columns):
            # Only texts that repeat: making a QVariant costs more than one conversion.
            distinct = set(column)
            if _REPEATS * len(distinct) <= len(column) and str in set(map(type, distinct)):
                columns[index] = map(variants.__getitem__, column)
        for wkb, values in zip(chunk, zip(*columns)):
            if wkb is None:
                feature.setGeometry(empty)
            else:
                geometry.fromWkb(wkb)
                feature.setGeometry(geometry)
            feature.setAttributes(list(values))
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise WriteError(
                    tr("Writing the output failed after {n} features: {reason}").format(
                        n=written, reason=sink.lastError() or tr("the data source gave no reason")
                    )
                )
            written += 1
    return written


class WriteError(RusPlannerError):
    """Features could not be written to an output (the sink refused them)."""


def add_features(sink, features, layer_name: str) -> None:
    """Add features to a sink or a data provider and check that every one arrived.

    A data provider answers ``(ok, features)``, a sink ``ok``: both are checked, so a refused
    write is an error with the sink's reason, never a layer with features silently missing.
    """
    if not features:
        return
    answer = sink.addFeatures(features)
    ok = answer[0] if isinstance(answer, tuple) else bool(answer)
    if not ok:
        reason = sink.lastError() if hasattr(sink, "lastError") else ""
        raise WriteError(
            tr("The features of “{layer}” could not be written: {reason}").format(
                layer=layer_name, reason=reason or tr("the data source gave no reason")
            )
        )


class _Variants(dict):
    """Text → its QVariant, made when the text comes a second time (a text written once is
    cheaper handed over as it is); other values (NULL) map to themselves."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def __missing__(self, value):
        if value.__class__ is not str:
            self[value] = value
            return value
        if value not in self.seen:
            self.seen.add(value)
            return value
        if len(self) >= _TEXTS_KEPT:  # texts that never repeat (ids): bound the memory
            self.clear()
            self.seen.clear()
        variant = self[value] = QVariant(value)
        return variant


# Rows turned into features between two looks at the cancel button.
_CHUNK = 2000
# Distinct texts kept as QVariants while writing.
_TEXTS_KEPT = 50_000
# A column's texts become QVariants when each repeats this often in a chunk (on average).
_REPEATS = 4
