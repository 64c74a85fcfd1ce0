"""Reading a check's inputs through QGIS and GDAL, and trusting a read only once it is whole.

``core.check`` weighs geometries; this module gives it the element layers and agency
layers (``prepare_elements``, ``prepare_agency_layers``) and carries out the reads the
core defers to its worker threads (``QgisReads``). ``check_elements`` here is the core's
with these reads plugged in: what the pipeline (``check_run``) calls.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import date, datetime, timezone
from pathlib import Path

from ..core import check as core_check
from ..core.check_model import (
    COMMON_ID_FIELDS,
    COMMON_NAME_FIELDS,
    GENERIC_SEVERITY,
    AgencyLayer,
    ElementSet,
    LayerRef,
    reading_failed,
    rules_for,
)
from ..core.errors import Cancelled, LayerError
from ..core.geometry import LayerData, NearArea, describe_stats
from ..core.profile import Profile
from ..core.redact import safe_source
from ..i18n import tr
from .completeness import (
    content_problem,
    filter_matched_nothing_reason,
    filter_matches_nothing,
    filter_problem,
    provider_and_uri,
    source_keys,
)
from .layers import LayerRead, read_in_bulk
from .web_services import clear_provider_errors, is_web_service, provider_errors, service_problem

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


def file_date(source: str) -> str | None:
    """The date of a file-based source: the date the data states for itself where it does (a
    GeoPackage table's gpkg_contents.last_change, set by whoever wrote the data), else the
    file's modification date (copying or opening a file for update changes that one)."""
    path, *options = (source or "").split("|")
    if not path or "://" in path or not os.path.isfile(path):
        return None
    if path.lower().endswith(".gpkg"):
        table = next((o.split("=", 1)[1] for o in options if o.lower().startswith("layername=")), None)
        stated = _geopackage_date(path, table)
        if stated:
            return stated
    stamp = os.path.getmtime(path)
    return datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat()


def _geopackage_date(path: str, table: str | None) -> str | None:
    """gpkg_contents.last_change of the table (of the only feature table when none is named),
    as YYYY-MM-DD; None when the file states none. Read-only and immutable: the file stays
    byte-identical."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            if table:
                rows = connection.execute(
                    "SELECT last_change FROM gpkg_contents WHERE lower(table_name) = lower(?)", (table,)
                ).fetchall()
            else:
                rows = connection.execute(
                    "SELECT last_change FROM gpkg_contents WHERE data_type = 'features'"
                ).fetchall()
    except sqlite3.Error:
        return None
    if len(rows) != 1 or not rows[0][0]:
        return None
    stated = str(rows[0][0])[:10]
    try:
        return date.fromisoformat(stated).isoformat()
    except ValueError:
        return None


def prepare_agency_layers(
    refs: list[LayerRef],
    profile: Profile,
    target_crs,
    transform_context=None,
    *,
    feedback=None,
    elements=None,
    defer_bulk: bool = False,
    read_now: bool = True,
) -> tuple[list[AgencyLayer], list[str]]:
    """Match each agency layer to its rules and read it once per rule filter.

    Any failure is kept on the layer (it becomes class D findings), never raised:
    one agency's broken service must not hide the other agencies' conflicts.
    With ``elements`` (an ElementSet), features too far from every element to matter
    for any rule of the layer are left out while reading. Files GDAL can read directly
    are read side by side in threads; every other layer through QGIS, on this thread.
    With ``defer_bulk`` the files are left in ``AgencyLayer.pending`` for check_elements,
    which reads each in the thread that then measures it: no thread waits for all reads.
    With ``read_now=False`` nothing is read: every read is left in ``AgencyLayer.pending`` (the
    check in the database, qgis_io.check_postgis, measures the layers where they are).
    """
    from ..core.parallel import run_each

    layers: list[AgencyLayer] = []
    warnings: list[str] = []
    near = NearArea(elements.geometries) if elements is not None else None
    tolerances = getattr(elements, "tolerances", None)
    tolerance_reach = float(tolerances.max()) if tolerances is not None and len(tolerances) else 0.0
    reads: list[tuple[AgencyLayer, LayerRef, object, LayerRead]] = []
    refs, duplicates = _unique_sources(refs)
    warnings += duplicates
    for ref in refs:
        rules, generic = rules_for(ref, profile)
        if generic:
            warnings.append(
                tr(
                    "The agency layer “{layer}” matches no rule in the profile; it is checked for "
                    "overlap with severity {severity}."
                ).format(layer=ref.name, severity=GENERIC_SEVERITY)
            )
        layer = AgencyLayer(
            name=ref.name,
            source_text=safe_source(ref.source_text),
            date=ref.date,
            rules=rules,
            generic=generic,
            caveat=ref.caveat,
        )
        if ref.caveat:
            warnings.append(
                tr("The agency layer “{layer}”: {caveat}").format(layer=ref.name, caveat=ref.caveat)
            )
        layers.append(layer)
        if ref.feature_source is None:
            layer.error = safe_source(ref.error) or tr("the layer could not be loaded")
            continue
        layer.feature_source = ref.feature_source
        wanted = in_layer_case(
            [r.name_field for r in rules if r.name_field]
            + [r.agency_field for r in rules if r.agency_field]
            + [r.id_field for r in rules if r.id_field]
            + list(COMMON_NAME_FIELDS)
            + list(COMMON_ID_FIELDS),
            ref.feature_source.fields(),
        )
        reach = max((r.distance_m for r in rules if r.relation == "within_distance"), default=0.0)
        # A schematic element's scale tolerance reaches too: features that close are "near" it.
        reach = max(reach, tolerance_reach)
        for rule_filter in dict.fromkeys(r.filter for r in rules if not r.withheld):
            problem, caution = (
                filter_problem(rule_filter, ref.feature_source.fields()) if rule_filter else (None, None)
            )
            if caution:
                warnings.append(
                    tr(
                        "Agency layer “{layer}”, filter {filter}: {problem}. Its rules are checked "
                        "against every feature."
                    ).format(layer=ref.name, filter=rule_filter, problem=caution)
                )
            if problem:
                layer.filter_errors[rule_filter] = problem
                continue
            try:
                read = LayerRead(
                    ref.feature_source,
                    ref.name,
                    target_crs,
                    transform_context,
                    attributes=wanted,
                    filter_expression=rule_filter,
                    layer_source=ref.source_text,
                    near=near,
                    near_distance=reach,
                )
            except Exception as error:  # noqa: BLE001 - any failure becomes class D, never a crash
                # An empty layer (a web service's without CRS or fields) says so, not what it lacks.
                layer.error = _emptiness(ref.feature_source) or reading_failed(error)
                break
            reads.append((layer, ref, rule_filter, read))

    if not read_now:
        for layer, ref, rule_filter, layer_read in reads:
            layer.pending[rule_filter] = (ref, layer_read)
        return layers, warnings
    if defer_bulk:
        for layer, ref, rule_filter, read in reads:
            if read.bulk is not None:
                layer.pending[rule_filter] = (ref, read)
        reads = [entry for entry in reads if entry[3].bulk is None]
    bulk = [read for *_, read in reads if read.bulk is not None]
    fetched = dict(zip(map(id, bulk), run_each(read_in_bulk, bulk)))
    for layer, ref, rule_filter, read in reads:
        if layer.error:
            continue  # another filter of the layer failed already
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        try:
            future = fetched.get(id(read))
            data = future.result() if future is not None else None
            if data is None:
                data = _read_through_qgis(ref, read, feedback)
        except Cancelled:
            raise
        except Exception as error:  # noqa: BLE001 - any provider failure becomes class D, never a crash
            layer.error = reading_failed(error)
            layer.data.clear()
            continue
        layer.data[rule_filter] = data
        warnings += describe_stats(data.stats, ref.name)
    for layer in layers:
        if not layer.pending:  # a deferred layer is verified once check_elements has read it
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            _verify_read(layer)
    return layers, warnings


def _unique_sources(refs: list[LayerRef]) -> tuple[list[LayerRef], list[str]]:
    """Each data source once: a layer given twice would double every finding."""
    kept: dict[tuple, LayerRef] = {}
    warnings = []
    sources = [
        provider_and_uri(ref.feature_source) if ref.feature_source is not None else ("", ref.source_text)
        for ref in refs
    ]
    try:
        keys = source_keys(
            [(provider, uri or ref.source_text) for ref, (provider, uri) in zip(refs, sources)]
        )
    except Exception:  # noqa: BLE001 - sources QGIS cannot parse are compared as written
        keys = [("", ref.source_text) for ref in refs]
    for ref, key in zip(refs, keys):
        first = kept.get(key)
        if first is None:
            kept[key] = ref
            continue
        warnings.append(
            tr(
                "The agency layer “{layer}” has the same data source as “{first}”: it is checked once, "
                "so that its findings are not doubled."
            ).format(layer=ref.name, first=first.name)
        )
    return list(kept.values()), warnings


def _verify_read(layer: AgencyLayer) -> None:
    """Trust a read only once it is known to be whole (see completeness): a failing web service or
    a layer with nothing to check makes the layer class D, a filter that picks nothing its rules."""
    source = layer.feature_source
    if source is None or layer.error or not layer.data:
        return
    try:
        nothing = all(data.stats.used == 0 for data in layer.data.values())
        problem = service_problem(source, nothing_read=nothing) or (_emptiness(source) if nothing else None)
        if problem:
            layer.error = problem
            layer.data.clear()
            return
        for rule_filter, data in list(layer.data.items()):
            if rule_filter and data.stats.used == 0:
                total = filter_matches_nothing(source, rule_filter)
                if total is not None:
                    layer.filter_errors[rule_filter] = filter_matched_nothing_reason(total)
                    del layer.data[rule_filter]
    except Cancelled:
        raise
    except Exception as error:  # noqa: BLE001 - a check that fails leaves the layer unchecked, class D
        layer.error = reading_failed(error)
        layer.data.clear()


def _emptiness(source) -> str | None:
    """Why the layer as a whole has nothing to check (0 features, no geometry); None if it has, or if asking fails."""
    try:
        return content_problem(source)
    except Exception:  # noqa: BLE001 - the caller has a reason of its own
        return None


def _read_through_qgis(ref: LayerRef, read: LayerRead, feedback) -> LayerData:
    """A layer read through QGIS, plus the provider's own error log (a time-out shows up only there).

    A web service's errors are weighed with the rest of its answer in _verify_read.
    """
    source = ref.feature_source
    clear_provider_errors(source)
    data = read.finish(read.fetch_with_qgis(feedback), feedback)
    if not is_web_service(source):
        errors = provider_errors(source)
        if errors:
            raise LayerError("; ".join(errors))
    return data


class QgisReads(core_check.DeferredReads):
    """The check's deferred reads: GDAL's bulk read on a worker thread, else QGIS on the caller's."""

    def in_bulk(self, read: LayerRead) -> LayerData | None:
        return read_in_bulk(read)

    def through_qgis(self, ref: LayerRef, read: LayerRead, feedback) -> LayerData:
        return _read_through_qgis(ref, read, feedback)

    def verify(self, layer: AgencyLayer) -> None:
        _verify_read(layer)


def check_elements(
    elements: ElementSet,
    layers: list[AgencyLayer],
    *,
    language: str = "sv",
    feedback=None,
    notices: tuple = (),
    mode: str = "rus",
):
    """``core.check.check_elements`` on layers from ``prepare_agency_layers`` (reads deferred or not)."""
    return core_check.check_elements(
        elements, layers, language=language, feedback=feedback, reads=QgisReads(), notices=notices, mode=mode
    )


def in_layer_case(names: list[str], fields) -> tuple[str, ...]:
    """The names as the layer spells them (a download says NAMN, a WFS namn), each once."""
    actual = fields.names() if hasattr(fields, "names") else [f.name() for f in fields]
    by_folded: dict[str, str] = {}
    for name in actual:
        by_folded.setdefault(name.casefold(), name)
    return tuple(dict.fromkeys(by_folded.get(name.casefold(), name) for name in names))
