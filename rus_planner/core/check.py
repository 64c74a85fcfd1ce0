"""The element check: RUS nodes, corridors and areas weighed against agency layers.

One finding per element × agency feature × rule, with the severity, agency, legal basis
and advice from the profile, and the measures a planner needs to weigh it (overlap area
or length, the share of the element and of the agency feature affected, the distance).

Semantics (the same for every front end):

* ``overlap``: the element and the feature share interior. Polygons or lines that only
  touch along an edge or at a point give **no** overlap finding (their common part has
  no area or no length inside). A point counts as overlapping when it lies inside the
  other geometry *or on its boundary*: a node placed exactly on a riksintresse border is
  in conflict with it, and a point has no interior to speak of.
* ``within_distance``: the shortest distance is at most ``distance_m`` (0 included), but
  the proximity finding is dropped when the same element × feature pair already has an
  overlap finding from another rule on the same layer (the overlap is the stronger
  statement; Natura 2000 overlap A wins over "near Natura 2000" C).
* A layer that could not be read (not valid, no CRS, a CRS its coordinates contradict,
  an error or time-out while reading) and a rule declared ``withheld`` give class D
  findings for every element the rule should have covered: missing data is never
  reported as "no conflict". So does a read that cannot be trusted (see completeness:
  a web service that failed or delivered less than it reports, a layer with no features
  or no geometry at all) and, for its rules only, a filter that cannot select anything.
  Each class D finding's note says why; a data source given twice is read once.
* A layer that matches no rule of the profile gets a generic overlap rule of class B
  ("overlap with <layer>"): an agency interest whose weight the profile does not state
  is treated like a riksintresse, neither dismissed (C) nor overstated (A).

Measures are in the target CRS (metres). Shares are in each geometry's own measure:
area for polygons, length for lines, 1 for points; a corridor crossing a polygon thus
affects a share of the corridor's length and 0 of the polygon's area.

A finding's geometry is the affected part of the element (the common part, when it has
the element's dimension), else the element itself (proximity findings, class D findings,
an area containing a road line). Every finding thus has its element's geometry type,
so a findings layer of one element kind holds one geometry type.

The work is done on shapely 2 arrays with one STRtree per agency layer, so the cost
grows with elements + features (plus the pairs found), not with their product. Only
features near some element are read at all (a GeoPackage's own R-tree picks them), and
the layers are read and measured side by side in threads.

The inputs and the result are in check_model.py, the geometry work in check_measure.py,
the findings and the summary in check_findings.py; this module runs the layers.
"""

from __future__ import annotations

import operator
import queue
import threading
from contextlib import contextmanager

from .check_findings import _Findings, _layer_findings, _result
from .check_measure import _measure_layer
from .check_model import AgencyLayer, CheckResult, ElementSet, reading_failed
from .errors import Cancelled
from .finding_nature import DEFAULT_MODE
from .geometry import LayerData, describe_stats
from .standing import notice_columns, notice_message

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


# --------------------------------------------------------------------------- the check


class DeferredReads:
    """How the check reads a layer it was handed unread (``AgencyLayer.pending``).

    The core only measures; the QGIS side (``qgis_io.check_read.QgisReads``) reads. Layers
    handed over already read need none of this: these defaults are for them.
    """

    def in_bulk(self, read) -> LayerData | None:
        """The layer read on a worker thread; None when it must be read on the caller's thread."""
        return None

    def through_qgis(self, ref, read, feedback) -> LayerData:
        """The layer read on the caller's thread."""
        raise NotImplementedError

    def verify(self, layer: AgencyLayer) -> None:
        """Sets ``layer.error`` or ``layer.filter_errors`` when the read turns out not to be whole."""


def check_elements(
    elements: ElementSet,
    layers: list[AgencyLayer],
    *,
    language: str = "sv",
    feedback=None,
    reads: DeferredReads | None = None,
    notices: tuple = (),
    mode: str = DEFAULT_MODE,
) -> CheckResult:
    """Weigh every element against every agency layer's rules; see the module docstring.

    ``notices`` (the profile's standing notices) give every element one class D finding each.
    ``mode`` (the profile's: "rus" or "regionplan") words the advice of conflicts.

    The geometry work of the layers runs side by side in threads (GEOS releases Python's
    lock); the findings are put together on this thread, layer by layer as each is ready.
    A layer whose reading was deferred (``AgencyLayer.pending``) is read by ``reads``
    (``qgis_io.check_read.QgisReads``), in the worker threads where it can be.
    """
    if reads is None:
        if any(layer.pending for layer in layers):
            raise ValueError("agency layers with deferred reads need a DeferredReads")
        reads = DeferredReads()
    import numpy as np

    from .parallel import WORKERS, side_by_side

    readable = [layer for layer in layers if not layer.error]
    # Threads pay off from a few thousand geometries on; a live re-check of one element is
    # quicker on this thread alone.
    work = len(elements) * len(readable) + sum(
        len(data.geometries) for layer in readable for data in layer.data.values()
    )
    work += sum(max(0, read.feature_count) for layer in readable for _, read in layer.pending.values())
    workers = min(WORKERS, len(readable)) if work >= _THREADED_WORK else 1
    loan = _GeometryLoan(elements.geometries, workers)

    def measure(layer: AgencyLayer) -> tuple:
        """(the layer's deferred reads, a reading failure, its blocks); no blocks while a read
        failed or needs QGIS. A fault in the measuring itself is raised, as a bug should be."""
        if layer.measured is not None:  # measured in the database
            return {}, None, layer.measured
        try:
            fetched = {rule_filter: reads.in_bulk(read) for rule_filter, (_, read) in layer.pending.items()}
        except Exception as error:  # noqa: BLE001 - a layer that cannot be read becomes class D
            return {}, error, None
        if any(data is None for data in fetched.values()):
            return fetched, None, None
        layer.data.update(fetched)
        with loan.borrow() as geometries:
            return fetched, None, loan.returned(_measure_layer(geometries, layer, elements.tolerances))

    def finish_layer(layer: AgencyLayer, future) -> dict:
        """The layer's blocks, once its deferred reads are done (through QGIS where GDAL could not)."""
        fetched, failure, blocks = future.result()
        deferred = bool(layer.pending)
        try:
            if failure is not None:
                raise failure
            for rule_filter, data in fetched.items():
                if data is None:
                    ref, read = layer.pending[rule_filter]
                    data = reads.through_qgis(ref, read, feedback)
                layer.data[rule_filter] = data
                warnings.extend(describe_stats(data.stats, layer.name))
        except Cancelled:
            raise
        except Exception as error:  # noqa: BLE001 - a layer that cannot be read becomes class D
            layer.error = reading_failed(error)
            layer.data.clear()
            return {}
        finally:
            layer.pending.clear()
        if deferred:
            reads.verify(layer)
            if layer.error:
                return {}
        if blocks is None:
            with loan.borrow() as geometries:
                blocks = loan.returned(_measure_layer(geometries, layer, elements.tolerances))
        return blocks

    found = _Findings(elements)
    warnings: list[str] = []
    all_elements = np.arange(len(elements)).tolist()
    with side_by_side(measure, readable, workers) as futures:
        measured = dict(zip(map(id, readable), futures))
        for done, layer in enumerate(layers):
            if feedback is not None:
                if feedback.isCanceled():
                    raise Cancelled()
                feedback.setProgress(100.0 * done / len(layers))
            blocks = finish_layer(layer, measured[id(layer)]) if not layer.error else {}
            _layer_findings(elements, layer, blocks, found, warnings, all_elements, language, mode)
    for notice in notices:
        found.add(all_elements, elements.geometries, **notice_columns(notice, language))
        if all_elements:
            found.unchecked[notice.name(language)] = None
            warnings.append(notice_message(notice, language))
    if feedback is not None:
        feedback.setProgress(100.0)
    result = _result(elements, found, warnings)
    result.agency_layer_count = len(layers)
    result.not_checked = [
        (
            layer.name,
            bool(layer.error) or all(r.withheld or r.filter in layer.filter_errors for r in layer.rules),
        )
        for layer in layers
        if layer.error or layer.filter_errors
    ]
    return result


# Elements × layers plus agency features from which the layers are checked side by side.
_THREADED_WORK = 5_000


class _GeometryLoan:
    """Private copies of the elements, lent to one thread at a time and prepared only while lent.

    The measuring prepares the elements (GEOS indexes their edges), and GEOS builds a prepared
    geometry's indexes lazily, on first use: a prepared geometry used by two threads at once
    races inside GEOS (libgeos/geos#825). So each borrower gets a copy no other thread holds,
    the caller's own geometries (which go on into findings, reports and the live panel) are
    never prepared, and a copy's prepared forms are dropped when it is handed back, on the
    thread that made them.
    """

    def __init__(self, geometries, copies: int):

        import shapely

        self._originals = geometries
        self._lent = threading.local()
        self._free = queue.SimpleQueue()
        for _ in range(max(1, copies)):
            # WKB keeps every coordinate exactly; output_dimension 3 keeps 2-D geometries 2-D.
            self._free.put(shapely.from_wkb(shapely.to_wkb(geometries, output_dimension=3)))

    @contextmanager
    def borrow(self):
        import shapely

        geometries = self._free.get()
        self._lent.copies = geometries
        try:
            yield geometries
        finally:
            self._lent.copies = None
            shapely.destroy_prepared(geometries)
            self._free.put(geometries)

    def returned(self, blocks: dict) -> dict:
        """The blocks measured with this thread's copies, the caller's own element geometries
        standing wherever a copy stood for the element (proximity findings, class D, stand-ins):
        findings never hold a copy that another thread may prepare next."""
        import numpy as np

        copies = self._lent.copies
        for block in blocks.values():
            shown, element = block["geometry"], block["element"]
            if len(shown):
                is_copy = np.fromiter(map(operator.is_, shown, copies[element]), bool, len(shown))
                shown[is_copy] = self._originals[element[is_copy]]
        return blocks
