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
"""

from __future__ import annotations

import queue
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat

from .errors import Cancelled, LayerError
from .geometry import LayerData, describe_stats
from .profile import AgencyRule, Profile
from .redact import safe_source
from .standing import notice_columns, notice_message
from .texts import speaking, tr

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

# Fields tried, in order, for the name of an agency feature when the rule names none.
COMMON_NAME_FIELDS = ("NAMN", "namn", "OMRADESNAMN", "name", "Name")
# Fields tried for an element's name.
ELEMENT_NAME_FIELDS = ("namn", "NAMN", "name", "Name", "benamning", "BENAMNING")

GENERIC_RULE_ID = "generic_overlap"
GENERIC_SEVERITY = "B"
SEVERITY_ORDER = ("A", "B", "C", "D")

# (field name, type) of the findings and summary tables; types: str, int, float.
FINDING_FIELDS = (
    ("element_id", "str"),
    ("element_layer", "str"),
    ("element_fid", "int"),
    ("element_name", "str"),
    ("element_type", "str"),
    ("agency_layer", "str"),
    ("feature_fid", "int"),
    ("feature_name", "str"),
    ("rule_id", "str"),
    ("rule_name", "str"),
    ("relation", "str"),
    ("severity", "str"),
    ("distance_m", "float"),
    ("overlap_m2", "float"),
    ("overlap_length_m", "float"),
    ("element_share", "float"),
    ("feature_share", "float"),
    ("agency", "str"),
    ("legal_basis", "str"),
    ("advice", "str"),
    ("data_source", "str"),
    ("data_date", "str"),
    ("note", "str"),
)
SUMMARY_FIELDS = (
    ("element_id", "str"),
    ("element_layer", "str"),
    ("element_fid", "int"),
    ("element_name", "str"),
    ("element_type", "str"),
    ("worst_class", "str"),
    ("count_a", "int"),
    ("count_b", "int"),
    ("count_c", "int"),
    ("count_d", "int"),
    ("findings", "int"),
    ("agencies", "str"),
    ("not_checked", "str"),  # the agency layers (or rules) that could not be checked, and why
)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class LayerRef:
    """One input layer as the core sees it.

    ``feature_source`` is None when the layer could not even be opened; ``error`` then
    says why. ``aliases`` are further names the rules may match (the sub-layer or table
    name of a multi-layer source).
    """

    name: str
    source_text: str
    feature_source: object = None  # QgsFeatureSource / QgsVectorLayer
    error: str | None = None
    date: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class ElementSet:
    """Every element of every element layer, in the target CRS, one row per geometry."""

    geometries: object  # numpy array of shapely geometries
    layer_names: list[str]
    fids: list[int]
    names: list[str | None]
    types: list[str]

    @property
    def ids(self) -> list[str]:
        """ "layer:fid" per element; where a layer's key repeats a fid (a view keyed on a column
        with repeated values), the second and later elements with it get " (2)", " (3)"...,
        so that a finding is never credited to another element of the same id."""
        ids = [f"{layer}:{fid}" for layer, fid in zip(self.layer_names, self.fids)]
        if len(set(ids)) == len(ids):
            return ids
        seen: dict[str, int] = {}
        unique = []
        for element_id in ids:
            seen[element_id] = seen.get(element_id, 0) + 1
            unique.append(element_id if seen[element_id] == 1 else f"{element_id} ({seen[element_id]})")
        return unique

    def __len__(self) -> int:
        return len(self.geometries)


@dataclass
class AgencyLayer:
    """An agency layer with its rules, read once per distinct rule filter, or its failure."""

    name: str
    source_text: str
    date: str | None
    rules: tuple[AgencyRule, ...]
    data: dict = field(default_factory=dict)  # rule filter (or None) → LayerData
    error: str | None = None
    generic: bool = False
    # rule filter → (LayerRef, LayerRead) of a file GDAL will read during the check (defer_bulk)
    pending: dict = field(default_factory=dict)
    # rule filter → why the rules with it could not be checked (the layer itself could)
    filter_errors: dict = field(default_factory=dict)
    # what the layer is read from, for the checks once it is read (completeness)
    feature_source: object = None


@dataclass
class CheckResult:
    """Findings (rows + geometries, by element, then severity), per-element summary, and
    messages for the log."""

    rows: list  # one list per finding, in FINDING_FIELDS order
    finding_geometries: object  # numpy array
    summary: dict  # field name → list
    summary_geometries: object
    warnings: list[str] = field(default_factory=list)
    agency_layer_count: int = 0
    # (layer name, True when none of its rules could be checked) for each layer not (fully) checked
    not_checked: list = field(default_factory=list)

    @property
    def finding_count(self) -> int:
        return len(self.finding_geometries)

    def not_checked_line(self) -> str:
        """The run's closing line: how many agency layers could not be checked, and which."""
        if not self.not_checked:
            return tr("Agency layers not checked: none of {total}.").format(total=self.agency_layer_count)
        names = ", ".join(
            name if whole else tr("{layer} (in part)").format(layer=name) for name, whole in self.not_checked
        )
        return tr("Agency layers not checked: {n} of {total} – {layers}; their findings are class D.").format(
            n=len(self.not_checked), total=self.agency_layer_count, layers=names
        )

    @property
    def findings(self) -> dict:
        """The findings column-wise: field name → list."""
        columns = list(zip(*self.rows)) if self.rows else [() for _ in FINDING_FIELDS]
        return {name: list(column) for (name, _), column in zip(FINDING_FIELDS, columns)}

    def finding_rows(self) -> list[list]:
        return self.rows

    def summary_rows(self) -> list[list]:
        return list(map(list, zip(*(self.summary[name] for name, _ in SUMMARY_FIELDS))))


def generic_rule(layer_name: str) -> AgencyRule:
    """The rule for an agency layer the profile does not know: overlap, class B.

    Its name and advice exist in both languages, like a profile rule's, so the findings'
    language follows the check's LANGUAGE, not the language QGIS runs in.
    """
    texts = {}
    for language in ("sv", "en"):
        with speaking(language):
            texts[language] = (
                tr("Overlap with {layer}").format(layer=layer_name),
                tr(
                    "The profile has no rule for this layer. Find out which agency is responsible and "
                    "how the interest is protected."
                ),
            )
    return AgencyRule(
        id=GENERIC_RULE_ID,
        name_sv=texts["sv"][0],
        name_en=texts["en"][0],
        agency=tr("not stated in the profile"),
        legal_basis=tr("not stated in the profile"),
        severity=GENERIC_SEVERITY,
        relation="overlap",
        advice_sv=texts["sv"][1],
        advice_en=texts["en"][1],
    )


def rules_for(ref: LayerRef, profile: Profile) -> tuple[tuple[AgencyRule, ...], bool]:
    """The profile's rules for a layer (by its name, then its aliases), else the generic one."""
    for name in (ref.name, *ref.aliases):
        rules = profile.rules_for_layer(name, ref.source_text)
        if rules:
            return tuple(rules), False
    return (generic_rule(ref.name),), True


# --------------------------------------------------------------------------- reading


def text_or_none(value) -> str | None:
    return None if value is None else str(value)


def reading_failed(error: Exception) -> str:
    """Why a layer could not be read, for a class D note: a provider's message may quote its URL."""
    if isinstance(error, LayerError):
        return safe_source(str(error))
    return tr("reading it failed ({reason})").format(reason=safe_source(str(error)) or type(error).__name__)


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


class _Findings:
    """Collects findings as rows, block by block (one block per rule and layer)."""

    _NAMES = tuple(name for name, _ in FINDING_FIELDS)

    def __init__(self, elements: ElementSet):
        self._elements = elements
        self._ids = elements.ids
        self.rows: list[list] = []
        self.geometry_blocks: list = []  # numpy object arrays, one per block
        self.element_index: list[int] = []
        self.severity: list[str] = []
        self.unchecked: dict[str, None] = {}  # "layer: reason" of each class D block, in order

    def not_checked_text(self) -> str:
        return "; ".join(self.unchecked)

    def add(self, element_index: list[int], geometries, **columns) -> None:
        """Add a block of findings. Lists are per finding, the rest constant."""

        import numpy as np

        count = len(element_index)
        if not count:
            return
        elements = self._elements
        columns.update(
            element_id=[self._ids[i] for i in element_index],
            element_layer=[elements.layer_names[i] for i in element_index],
            element_fid=[elements.fids[i] for i in element_index],
            element_name=[elements.names[i] for i in element_index],
            element_type=[elements.types[i] for i in element_index],
        )
        sources = [
            columns.get(name) if isinstance(columns.get(name), list) else repeat(columns.get(name))
            for name in self._NAMES
        ]
        rows = list(map(list, zip(*sources)))
        # Kept as numpy arrays: making one from a list inspects every geometry (slow).
        geometries = geometries if isinstance(geometries, np.ndarray) else _object_array(geometries)
        self.rows += rows
        self.geometry_blocks.append(geometries)
        self.element_index += element_index
        self.severity += [columns["severity"]] * count


def check_elements(
    elements: ElementSet,
    layers: list[AgencyLayer],
    *,
    language: str = "sv",
    feedback=None,
    reads: DeferredReads | None = None,
    notices: tuple = (),
) -> CheckResult:
    """Weigh every element against every agency layer's rules; see the module docstring.

    ``notices`` (the profile's standing notices) give every element one class D finding each.

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
        try:
            fetched = {rule_filter: reads.in_bulk(read) for rule_filter, (_, read) in layer.pending.items()}
        except Exception as error:  # noqa: BLE001 - a layer that cannot be read becomes class D
            return {}, error, None
        if any(data is None for data in fetched.values()):
            return fetched, None, None
        layer.data.update(fetched)
        with loan.borrow() as geometries:
            return fetched, None, _measure_layer(geometries, layer)

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
                blocks = _measure_layer(geometries, layer)
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
            _layer_findings(elements, layer, blocks, found, warnings, all_elements, language)
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


def _layer_findings(elements, layer, blocks, found, warnings, all_elements, language):
    """Put one layer's findings together, rule by rule."""
    common = {
        "agency_layer": layer.name,
        "data_source": layer.source_text,
        "data_date": layer.date,
    }
    if layer.error:
        warnings.append(
            tr(
                "The agency layer “{layer}” could not be checked: {reason} Every element gets a "
                "class D finding for it; this is not “no conflict”."
            ).format(layer=layer.name, reason=_sentence(layer.error))
        )
    for rule in _rules_in_order(layer):
        rule_columns = {
            **common,
            "rule_id": rule.id,
            "rule_name": rule.name(language),
            "relation": rule.relation,
            "agency": rule.agency,
            "legal_basis": rule.legal_basis,
            "advice": rule.advice(language),
        }
        reason = layer.error or layer.filter_errors.get(rule.filter)
        if reason or rule.withheld:
            note = (
                tr("Not checked: {reason}").format(reason=reason)
                if reason
                else tr("Not checked: the data is withheld (classified or not published).")
            )
            if rule.withheld and not reason:
                warnings.append(
                    tr("The rule “{rule}” is declared withheld: class D for every element.").format(
                        rule=rule.name(language)
                    )
                )
            elif not layer.error:
                warnings.append(
                    tr(
                        "The rule “{rule}” for the agency layer “{layer}” could not be checked: {reason} "
                        "Every element gets a class D finding for it; this is not “no conflict”."
                    ).format(rule=rule.name(language), layer=layer.name, reason=_sentence(reason))
                )
            if all_elements:
                found.unchecked[f"{layer.name}: {reason or tr('the data is withheld')}"] = None
            found.add(all_elements, elements.geometries, **rule_columns, severity="D", note=note)
            continue
        data = layer.data[rule.filter]
        block = blocks[id(rule)]
        features = block["feature"]
        found.add(
            block["element"].tolist(),
            block["geometry"],
            **{**rule_columns, "agency": _feature_agencies(data, rule, features)},
            feature_fid=data.fids[features].tolist(),
            feature_name=_feature_names(data, rule, features),
            severity=rule.severity,
            distance_m=_floats(block["distance"]),
            overlap_m2=_floats(block["area"]),
            overlap_length_m=_floats(block["length"]),
            element_share=_floats(block["element_share"]),
            feature_share=_floats(block["feature_share"]),
        )


def _sentence(text: str) -> str:
    """A reason as a sentence in a longer message: ending with a full stop."""
    text = (text or "").rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


# Elements × layers plus agency features from which the layers are checked side by side.
_THREADED_WORK = 5_000


def _rules_in_order(layer: AgencyLayer) -> list[AgencyRule]:
    """Overlap rules first, so proximity findings can be suppressed on the same pairs."""
    return sorted(layer.rules, key=lambda r: r.relation != "overlap")


def _measure_layer(element_geometries, layer: AgencyLayer) -> dict:
    """The geometry work of one readable layer: rule id → block (shapely and numpy only)."""
    import numpy as np

    blocks = {}
    overlapping: set[tuple[int, int]] = set()
    # Features are told apart by their fid, unless the layer repeats fids (see _feature_keys).
    by_geometry = any(d.stats.duplicate_ids or d.stats.null_ids for d in layer.data.values())
    for rule in _rules_in_order(layer):
        if rule.withheld or rule.filter not in layer.data:  # withheld, or its filter failed
            continue
        data = layer.data[rule.filter]
        if rule.relation == "overlap":
            block = _overlap(element_geometries, data.geometries)
            overlapping.update(
                zip(block["element"].tolist(), _feature_keys(data, block["feature"], by_geometry))
            )
        else:
            block = _proximity(element_geometries, data.geometries, rule.distance_m)
            if overlapping and len(block["element"]):
                keep = np.array(
                    [
                        (e, f) not in overlapping
                        for e, f in zip(
                            block["element"].tolist(), _feature_keys(data, block["feature"], by_geometry)
                        )
                    ],
                    dtype=bool,
                )
                block = {key: value[keep] for key, value in block.items()}
        blocks[id(rule)] = block
    return blocks


def _feature_keys(data: LayerData, features, by_geometry: bool) -> list:
    """What identifies each feature across the reads of one layer (one per rule filter): its fid,
    or, where the layer's fids repeat or are missing, its fid and its geometry, so that an
    overlap with one feature never hides the proximity of another feature of the same id."""
    import shapely

    fids = data.fids[features].tolist()
    if not by_geometry:
        return fids
    return list(zip(fids, shapely.to_wkb(data.geometries[features]).tolist()))


class _GeometryLoan:
    """Copies of the elements lent to one thread at a time.

    The check prepares the elements (GEOS indexes their edges) and GEOS builds a prepared
    geometry's indexes lazily, on first use: two threads must never share one.
    """

    def __init__(self, geometries, copies: int):

        import shapely

        self._free = queue.SimpleQueue()
        self._free.put(geometries)
        for _ in range(max(0, copies - 1)):
            # WKB keeps every coordinate exactly; output_dimension 3 keeps 2-D geometries 2-D.
            self._free.put(shapely.from_wkb(shapely.to_wkb(geometries, output_dimension=3)))

    @contextmanager
    def borrow(self):
        geometries = self._free.get()
        try:
            yield geometries
        finally:
            self._free.put(geometries)


def _floats(values) -> list:
    """Python floats with None for NaN (NULL in the output, 'not applicable')."""
    import numpy as np

    array = np.asarray(values, dtype=float)
    out = array.tolist()
    for index in np.flatnonzero(np.isnan(array)).tolist():
        out[index] = None
    return out


def _column(data: LayerData, name: str | None):
    """A read attribute column by its name in any case, or None."""
    if not name:
        return None
    if name in data.attributes:
        return data.attributes[name]
    folded = name.casefold()
    return next((column for key, column in data.attributes.items() if key.casefold() == folded), None)


def _feature_names(data: LayerData, rule: AgencyRule, features) -> list[str | None]:
    """Names of the matched features: the rule's name field, else a common one."""
    indices = features.tolist()
    column = next(
        (c for c in (_column(data, n) for n in (rule.name_field, *COMMON_NAME_FIELDS)) if c is not None), None
    )
    if column is None:
        return [None] * len(indices)
    return [text_or_none(column[i]) for i in indices]


def _feature_agencies(data: LayerData, rule: AgencyRule, features) -> str | list[str]:
    """The deciding authority each feature names in the rule's agency field (NVR's BESLMYND),
    or the profile's agency where the feature names none."""
    column = _column(data, rule.agency_field)
    if column is None:
        return rule.agency
    return [(text_or_none(column[i]) or "").strip() or rule.agency for i in features.tolist()]


def _overlap(element_geometries, feature_geometries) -> dict:
    """Element × feature pairs that share interior (or a point on/in), with their measures."""
    import numpy as np
    import shapely

    from .parallel import in_chunks

    if not len(element_geometries) or not len(feature_geometries):
        return _empty_block()
    tree = shapely.STRtree(feature_geometries)
    element_index, feature_index = tree.query(element_geometries, predicate="intersects")
    elements = element_geometries[element_index]
    features = feature_geometries[feature_index]
    element_dim = shapely.get_dimensions(elements)
    feature_dim = shapely.get_dimensions(features)
    low = np.minimum(element_dim, feature_dim)
    # Touching only (common boundary, no common interior) is no overlap, unless a point is
    # involved. Two areas touch exactly when their common part has no area, which the overlay
    # below shows anyway; the other pairs are asked here.
    ask = low == 1
    keep = np.ones(len(elements), dtype=bool)
    if ask.any():
        keep[ask] = ~shapely.touches(elements[ask], features[ask])
    element_index, feature_index = element_index[keep], feature_index[keep]
    elements, features = elements[keep], features[keep]
    element_dim, feature_dim, low = element_dim[keep], feature_dim[keep], low[keep]

    # A feature strictly inside an area is its own common part: skip the overlay for it
    # (common for small protected areas in large RUS areas; the prepared test is cheap).
    pieces = np.empty(len(elements), dtype=object)
    inside = np.zeros(len(elements), dtype=bool)
    areal = element_dim == 2
    if areal.any():
        shapely.prepare(element_geometries)
        inside[areal] = shapely.contains_properly(elements[areal], features[areal])
    pieces[inside] = features[inside]
    overlaid = in_chunks(shapely.intersection, elements[~inside], features[~inside])
    pieces[~inside] = _of_dimension(overlaid, low[~inside])
    # Areas whose common part is only an edge or a corner touch: no overlap (see above).
    shared = (low < 2) | ((shapely.get_dimensions(pieces) == 2) & ~shapely.is_empty(pieces))
    if not shared.all():
        element_index, feature_index = element_index[shared], feature_index[shared]
        elements, features, pieces = elements[shared], features[shared], pieces[shared]
        element_dim, feature_dim, low = element_dim[shared], feature_dim[shared], low[shared]
    area = shapely.area(pieces)
    length = shapely.length(pieces)
    # The finding shows the affected part of the element; where the common part has a lower
    # dimension than the element (a road inside an area), the element itself stands for it.
    shown = np.where(shapely.get_dimensions(pieces) == element_dim, pieces, elements)
    return {
        "element": element_index,
        "feature": feature_index,
        "geometry": shown,
        "distance": np.zeros(len(pieces)),
        "area": np.where(low == 2, area, np.nan),
        "length": np.where(low == 1, length, np.nan),
        "element_share": _share(elements, element_dim, low, area, length),
        "feature_share": _share(features, feature_dim, low, area, length),
    }


def _share(geometries, dims, low, area, length):
    """Share of each geometry covered by the common part, in the geometry's own measure."""
    import numpy as np
    import shapely

    share = np.ones(len(geometries))
    with np.errstate(divide="ignore", invalid="ignore"):
        polygons = dims == 2
        share[polygons] = np.where(
            low[polygons] == 2, area[polygons] / shapely.area(geometries[polygons]), 0.0
        )
        lines = dims == 1
        share[lines] = np.where(low[lines] == 1, length[lines] / shapely.length(geometries[lines]), 0.0)
    return np.clip(np.nan_to_num(share, nan=0.0), 0.0, 1.0)


def _of_dimension(pieces, dims):
    """Drop lower-dimensional debris (a shared edge beside a shared area) from intersections."""
    import numpy as np
    import shapely

    collections = np.flatnonzero(shapely.get_type_id(pieces) == 7)
    if not len(collections):
        return pieces
    pieces = pieces.copy()
    for index in collections.tolist():
        parts = [p for p in shapely.get_parts(pieces[index]) if shapely.get_dimensions(p) == dims[index]]
        if not parts:
            continue
        if dims[index] == 2:
            pieces[index] = shapely.union_all(parts) if len(parts) > 1 else parts[0]
        elif dims[index] == 1:
            pieces[index] = (
                shapely.line_merge(shapely.multilinestrings(parts)) if len(parts) > 1 else parts[0]
            )
        else:
            pieces[index] = shapely.multipoints(parts) if len(parts) > 1 else parts[0]
    return pieces


def _proximity(element_geometries, feature_geometries, distance: float) -> dict:
    """Element × feature pairs no farther apart than the distance, with that distance."""
    import numpy as np
    import shapely

    if not len(element_geometries) or not len(feature_geometries):
        return _empty_block()
    tree = shapely.STRtree(feature_geometries)
    element_index, feature_index = tree.query(element_geometries, predicate="dwithin", distance=distance)
    distances = shapely.distance(element_geometries[element_index], feature_geometries[feature_index])
    keep = distances <= distance
    element_index, feature_index, distances = element_index[keep], feature_index[keep], distances[keep]
    nothing = np.full(len(element_index), np.nan)
    return {
        "element": element_index,
        "feature": feature_index,
        "geometry": element_geometries[element_index],
        "distance": distances,
        "area": nothing,
        "length": nothing,
        "element_share": nothing,
        "feature_share": nothing,
    }


def _empty_block() -> dict:
    import numpy as np

    empty_int = np.empty(0, dtype=np.intp)
    empty = np.empty(0)
    return {
        "element": empty_int,
        "feature": empty_int,
        "geometry": np.empty(0, dtype=object),
        "distance": empty,
        "area": empty,
        "length": empty,
        "element_share": empty,
        "feature_share": empty,
    }


def _result(elements: ElementSet, found: _Findings, warnings: list[str]) -> CheckResult:
    """Order the findings (element, then severity) and build the per-element summary."""
    import numpy as np

    element_index = np.asarray(found.element_index, dtype=np.intp)
    severity = np.asarray(found.severity, dtype=object)
    severity_rank = np.zeros(len(severity), dtype=np.intp)
    for rank, name in enumerate(SEVERITY_ORDER):
        severity_rank[severity == name] = rank
    order = np.lexsort((severity_rank, element_index)) if len(element_index) else np.empty(0, dtype=np.intp)
    rows = _take(found.rows, order)
    blocks = found.geometry_blocks
    geometries = np.concatenate(blocks)[order] if blocks else np.empty(0, dtype=object)

    count = len(elements)
    counts = {
        name: np.bincount(element_index[severity_rank == rank], minlength=count)
        for rank, name in enumerate(SEVERITY_ORDER)
    }
    agency_column = [name for name, _ in FINDING_FIELDS].index("agency")
    agencies: list[set[str]] = [set() for _ in range(count)]
    for index, agency in set(zip(found.element_index, (row[agency_column] for row in found.rows))):
        if agency:
            agencies[index].add(agency)
    worst = [next((s for s in SEVERITY_ORDER if counts[s][i]), None) for i in range(count)]
    summary = {
        "element_id": elements.ids,
        "element_layer": list(elements.layer_names),
        "element_fid": list(elements.fids),
        "element_name": list(elements.names),
        "element_type": list(elements.types),
        "worst_class": worst,
        "count_a": counts["A"].tolist(),
        "count_b": counts["B"].tolist(),
        "count_c": counts["C"].tolist(),
        "count_d": counts["D"].tolist(),
        "findings": sum(counts[s] for s in SEVERITY_ORDER).tolist() if count else [],
        "agencies": ["; ".join(sorted(a)) for a in agencies],
        # Class D covers every element, so every element lacks the same layers.
        "not_checked": [found.not_checked_text() or None] * count,
    }
    return CheckResult(rows, geometries, summary, elements.geometries, warnings)


def _object_array(values):
    """A numpy object array of the values, each kept as it is (never unpacked as a sequence)."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    for index, value in enumerate(values):
        array[index] = value
    return array


def _take(values, indices) -> list:
    """values[i] for each index, as a list."""
    return [values[i] for i in indices.tolist()]
