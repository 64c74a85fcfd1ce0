"""Writing shapely geometries and attribute rows to QGIS sinks, every write checked."""

from __future__ import annotations

from collections import Counter
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

    ``rows`` may be a generator (it is read a chunk at a time); returns the count written.
    See ``write_columns`` for how the features are filled.
    """

    rows = iter(rows)
    return _write(sink, geometries, lambda start, count: list(zip(*islice(rows, count))), feedback)


def write_columns(sink, geometries, columns, feedback=None) -> int:
    """``write_features`` with the attributes given column by column, each a list as long as
    ``geometries`` in the sink's field order: what numpy results give without turning them
    into rows first.

    Turning values into QGIS features is most of the cost of writing thousands of them, so
    one feature is filled and handed over per row (the sink keeps its own copy), and each
    text that repeats becomes a QVariant once: the rule's advice, the layer's source or an
    element's name repeat on many findings, and a ready QVariant is copied without
    converting the text again. Returns the count written.
    """

    return _write(
        sink, geometries, lambda start, count: [column[start : start + count] for column in columns], feedback
    )


def _write(sink, geometries, columns_of, feedback) -> int:
    """Fill and hand over one feature per geometry; ``columns_of(start, count)`` gives a chunk's columns."""

    import shapely

    # output_dimension=3 (not shapely's default 4): inside qgis_process the system GEOS that
    # QGIS loaded can serve shapely's calls, and GEOS < 3.12 refuses 4 ("must be 2 or 3").
    wkbs = shapely.to_wkb(geometries, output_dimension=3) if len(geometries) else []
    variants = _Variants()
    feature = QgsFeature()
    geometry = QgsGeometry()
    empty = QgsGeometry()
    add = sink.addFeature
    fast = QgsFeatureSink.Flag.FastInsert
    written = 0
    for start in range(0, len(wkbs), _CHUNK):
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        chunk = wkbs[start : start + _CHUNK]
        columns = [variants.shared(column) for column in columns_of(start, len(chunk))]
        for wkb, values in zip(chunk, zip(*columns)):
            if wkb is None:
                feature.setGeometry(empty)
            else:
                geometry.fromWkb(wkb)
                feature.setGeometry(geometry)
            feature.setAttributes(list(values))
            if not add(feature, fast):
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
    """Value → its QVariant, for the texts and whole numbers that repeat; bounded in size."""

    def shared(self, column):
        """The column with each text or whole number that repeats as a QVariant made once.

        Handing Qt a ready QVariant costs less than half of converting the value again, but a
        QVariant made for a value written once costs more than it saves. A sample decides
        whether counting is worth it: a column whose values hardly repeat (names, ids) is
        handed over as it is, but for its empty texts. Only columns of one kind (texts or
        whole numbers, with NULLs) are shared, so that 1 never stands for 1.0 or True.
        """

        sample = column[:: max(1, len(column) // 64)]
        kinds = set(map(type, sample)) - {type(None)}
        if kinds != {str} and kinds != {int}:
            return column
        if _REPEATS * len(set(sample)) > len(sample):
            repeated = [""] if "" in sample else []
        else:
            counts = Counter(column)
            repeated = [
                value for value, count in counts.items() if value is not None and (count > 1 or value in self)
            ]
        if not repeated:
            return column
        if len(self) + len(repeated) > _TEXTS_KEPT:  # values that never repeat much: bound the memory
            self.clear()
        lookup = {}
        for value in repeated:
            variant = self.get(value)
            if variant is None:
                variant = self[value] = QVariant(value)
            lookup[value] = variant
        return list(map(lookup.get, column, column))


# Rows turned into features between two looks at the cancel button.
_CHUNK = 2000
# Distinct texts kept as QVariants while writing.
_TEXTS_KEPT = 50_000
# A column's texts become QVariants when each repeats this often in a chunk (on average).
_REPEATS = 4
