"""The element check run in the PostGIS database that holds the elements and the agency layers.

When every element layer and every agency layer that loaded are tables of one PostgreSQL
database, the database finds the pairs with its GiST indexes (``&&``, ``ST_Intersects``,
``ST_DWithin``) and measures them (postgis_sql.py); only the pairs, their measures and the
common parts come back. The findings are then put together by the same core code as the
local check (core.check_measure.layer_blocks, core.check_findings), so both give the same rows
in the same order, and whatever could not be read is class D with its reason, as locally.

The connection is psycopg2's, from the layer's own data source (an authentication
configuration is expanded by QGIS): QGIS's own connections API (executeSql) takes no query
parameters on QGIS 3.22–3.44, and values are never written into SQL. psycopg2 comes with QGIS
(DB Manager uses it); where it is missing the check runs locally and says so.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal

from qgis.core import QgsDataSourceUri, QgsExpression, QgsFeatureRequest, QgsProject, QgsWkbTypes

from ..core.check_measure import layer_blocks, overlap_block, proximity_block
from ..core.check_model import AgencyLayer, ElementSet, LayerRef, reading_failed
from ..core.errors import Cancelled
from ..core.geometry import LayerData, NearArea, ReadStats
from ..core.naming import element_labels
from ..core.redact import safe_source
from ..i18n import tr
from .check_read import _verify_read
from .filters import in_layer_case
from .layers import geometry_kind, with_margin
from .web_services import clear_provider_errors, provider_errors

# numpy and shapely are imported in the functions that use them: QGIS loads this module when it
# starts the plugin, and the plugin must start, and name what is missing, without them.

try:  # comes with QGIS (DB Manager); without it the check runs locally, saying why
    import psycopg2

    from .postgis_sql import (
        NEAR,
        OVERLAP,
        Col,
        Connections,
        Table,
        capability_query,
        pair_query,
        session_settings,
        unique_key_query,
    )
except ImportError:  # pragma: no cover - the test environment has it
    psycopg2 = None

# CheckOptions.in_database: where the check runs.
AUTOMATIC, IN_DATABASE, LOCALLY = "auto", "always", "never"
# Elements from which each layer's statements are split between connections.
PARTITION_FROM = 20_000
_INTEGER_TYPES = {"int2", "int4", "int8", "smallint", "integer", "bigint", "serial", "bigserial"}


@dataclass
class DatabasePlan:
    """Where the check will run: one database, its element tables and its agency tables."""

    connection_info: str  # credentials included: never shown, never logged
    label: str  # host:port/dbname, for messages
    target_srid: int
    elements: list
    agencies: dict  # the layer's source text → Table


def is_postgis(ref: LayerRef) -> bool:
    source = ref.feature_source
    return hasattr(source, "providerType") and source.providerType() == "postgres"


def database_plan(element_refs: list[LayerRef], agency_refs: list[LayerRef], target_crs, elements=None):
    """(the plan, None), or (None, why the check cannot run in the database)."""
    tolerances = getattr(elements, "tolerances", None)
    if tolerances is not None and len(tolerances) and (tolerances > 0).any():
        return None, tr(
            "elements drawn at a small scale have a tolerance, which only the check in QGIS applies"
        )
    if psycopg2 is None:
        return None, tr("psycopg2, the PostgreSQL driver QGIS's DB Manager uses, is not installed")
    srid = target_crs.postgisSrid()
    if not srid:
        return None, tr("the target CRS has no PostGIS SRID")
    loaded = [ref for ref in agency_refs if ref.feature_source is not None]
    if not element_refs or not loaded:
        return None, tr("there is no agency layer to check in the database")
    tables, databases = {}, set()
    for ref in [*element_refs, *loaded]:
        table, database, reason = _table(ref)
        if reason:
            return None, tr("“{layer}” {reason}").format(layer=ref.name, reason=reason)
        tables[id(ref)] = table
        databases.add(database)
    if len(databases) > 1:
        return None, tr("the layers are not all in one database")
    uri = QgsDataSourceUri(loaded[0].feature_source.source())
    plan = DatabasePlan(
        connection_info=uri.connectionInfo(True),
        label=f"{uri.host() or uri.service()}:{uri.port()}/{uri.database()}",
        target_srid=int(srid),
        elements=[tables[id(ref)] for ref in element_refs],
        agencies={ref.source_text: tables[id(ref)] for ref in loaded},
    )
    try:
        with closing(psycopg2.connect(plan.connection_info)) as connection:
            reason = _database_problem(connection, [*plan.elements, *plan.agencies.values()])
    except psycopg2.Error as error:
        reason = tr("the database could not be asked ({reason})").format(reason=_first_line(error))
    return (None, reason) if reason else (plan, None)


def _table(ref: LayerRef):
    """(Table, the database it is in, None) or (None, None, why the layer cannot be checked there)."""
    source = ref.feature_source
    if not is_postgis(ref):
        return None, None, tr("is not a PostGIS table")
    if source.isEditable() or source.isModified():
        return None, None, tr("has unsaved edits")
    uri = QgsDataSourceUri(source.source())
    if uri.sql() or source.subsetString():
        return None, None, tr("has a filter of its own (a subset)")
    if not uri.table() or uri.table().lstrip().startswith("("):
        return None, None, tr("is a query, not a table")
    key = uri.keyColumn().strip('"')
    index = source.fields().indexOf(key) if key else -1
    if (
        not key
        or "," in key
        or index < 0
        or source.fields().at(index).typeName().lower() not in _INTEGER_TYPES
    ):
        return None, None, tr("has no single integer key column")
    layer_type = source.wkbType()
    kind = geometry_kind(source)
    if kind is None or QgsWkbTypes.isCurvedType(layer_type):
        return None, None, tr("has no single kind of straight geometry (points, lines or polygons)")
    srid = source.crs().postgisSrid()
    if not srid or not uri.geometryColumn():
        return None, None, tr("has no geometry column with a known SRID")
    table = Table(uri.schema(), uri.table(), uri.geometryColumn(), key, int(srid), kind)
    return table, (uri.host(), uri.port(), uri.database(), uri.username(), uri.service()), None


def _database_problem(connection, tables) -> str | None:
    """Why the database cannot run the check (too old, a key that is not unique), or None."""
    if connection.server_version < 120000:
        return tr("PostgreSQL 12 or newer is needed")
    with connection.cursor() as cursor:
        try:
            cursor.execute(capability_query(), {"repair": "method=structure"})
        except psycopg2.Error:
            connection.rollback()
            return tr("PostGIS 3.2 or newer on GEOS 3.10 or newer is needed")
        for table in tables:
            cursor.execute(
                unique_key_query(), {"relation": table.name().as_string(connection), "key": table.key}
            )
            if not cursor.fetchone()[0]:
                return tr(
                    "the key column “{key}” of {table} is not unique (no primary key or unique index)"
                ).format(key=table.key, table=table.table)
    return None


def _first_line(error: Exception) -> str:
    """A database error in one line without credentials (psycopg2 adds LINE and HINT lines)."""
    text = (getattr(error, "pgerror", None) or str(error) or type(error).__name__).strip()
    return safe_source(text.splitlines()[0].removeprefix("ERROR:").strip())


# --------------------------------------------------------------------------- the check


def measure_in_database(
    plan: DatabasePlan,
    elements: ElementSet,
    element_refs: list[LayerRef],
    layers: list[AgencyLayer],
    feedback=None,
) -> None:
    """Measure every readable agency layer (its reads left pending by prepare_agency_layers) in the
    database: ``layer.data`` gets the features in pairs, ``layer.measured`` the blocks; a layer
    the database cannot read gets its reason in ``layer.error`` (class D)."""
    ordinal = {label: i for i, label in enumerate(element_labels([ref.name for ref in element_refs]))}
    element_index = {
        (ordinal[label], fid): index
        for index, (label, fid) in enumerate(zip(elements.layer_names, elements.fids))
    }
    jobs = []
    for layer in layers:
        if layer.error or not layer.pending:
            continue
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        try:
            picks = {
                rule_filter: _picked(ref.feature_source, rule_filter, read) if rule_filter else None
                for rule_filter, (ref, read) in layer.pending.items()
            }
        except Exception as error:  # noqa: BLE001 - a filter QGIS cannot evaluate leaves the layer class D
            layer.error = reading_failed(error)
            layer.pending.clear()
            continue
        jobs.append((layer, picks))

    from ..core.parallel import WORKERS  # numpy: not at the top (see check_read.py)

    running = Connections()
    # Many elements: each layer's statements split by element, one connection per share (the
    # database works on as many cores as it is given connections).
    parts = WORKERS if len(elements) >= PARTITION_FROM else 1

    def run(job) -> dict:
        layer, picks, part = job
        return _query_layer(plan, layer, picks, running, part, parts)

    with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(jobs) * parts))) as pool:
        futures = [[pool.submit(run, (*job, part)) for part in range(parts)] for job in jobs]
        # A cancel stops the queries running in the database within the poll's interval.
        while wait([f for shares in futures for f in shares], timeout=0.2)[1]:
            if feedback is not None and feedback.isCanceled():
                running.cancel()
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
    for (layer, _), shares in zip(jobs, futures):
        try:
            found = _joined([share.result() for share in shares])
        except Exception as error:  # noqa: BLE001 - a table the database cannot read is class D
            layer.error = reading_failed(RuntimeError(_first_line(error)))
            layer.pending.clear()
            continue
        _take_pairs(layer, found, elements, element_index)


def _joined(shares: list[dict]) -> dict:
    """rule filter → (the LayerRead, the rows of every share of the elements)."""
    return {
        rule_filter: (read, [row for share in shares for row in share[rule_filter][1]])
        for rule_filter, (read, _) in shares[0].items()
    }


def _picked(source, expression: str, read) -> list[int]:
    """The ids of the features a rule's filter picks, as QGIS evaluates it (the local check's way),
    among those in the box around the elements (``read.rect``, as the local check reads them)."""
    request = QgsFeatureRequest()
    expression = in_layer_case(expression, source.fields().names())
    request.setFilterExpression(expression)
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    columns = QgsExpression(expression).referencedColumns()
    if QgsFeatureRequest.ALL_ATTRIBUTES not in columns:  # only what the filter reads
        request.setSubsetOfAttributes(columns, source.fields())
    if read.rect is not None:
        context = read.transform_context or QgsProject.instance().transformContext()
        request.setDestinationCrs(read.target_crs, context)
        request.setFilterRect(with_margin(read.rect))
    clear_provider_errors(source)
    fids = [feature.id() for feature in source.getFeatures(request)]
    errors = provider_errors(source)
    if errors:
        raise RuntimeError("; ".join(errors))
    return fids


def _query_layer(
    plan: DatabasePlan, layer: AgencyLayer, picks: dict, running: Connections, part: int, parts: int
) -> dict:
    """rule filter → (the LayerRead, its rows) for one layer and share of the elements, on a
    connection of its own."""
    with closing(psycopg2.connect(plan.connection_info)) as connection:
        running.add(connection)
        try:
            return _query_rules(plan, layer, picks, connection, part, parts)
        finally:
            running.discard(connection)


def _query_rules(
    plan: DatabasePlan, layer: AgencyLayer, picks: dict, connection, part: int, parts: int
) -> dict:
    """rule filter → (the LayerRead, its rows), one statement per filter, in one read-only transaction."""
    found = {}
    connection.set_session(readonly=True)
    with connection.cursor() as cursor:
        cursor.execute(session_settings())
        for rule_filter, (ref, read) in layer.pending.items():
            rules = [r for r in layer.rules if not r.withheld and r.filter == rule_filter]
            distances = [r.distance_m for r in rules if r.relation != "overlap"]
            query, parameters = pair_query(
                plan.elements,
                plan.agencies[ref.source_text],
                plan.target_srid,
                tuple(read.wanted),
                overlap=any(r.relation == "overlap" for r in rules),
                distance=max(distances) if distances else None,
                reach=NearArea._grow(max(distances, default=0.0)),
                fids=picks[rule_filter],
                part=part,
                parts=parts,
            )
            cursor.execute(query, parameters)
            found[rule_filter] = (read, cursor.fetchall())
    connection.rollback()
    return found


def _take_pairs(layer: AgencyLayer, found: dict, elements: ElementSet, element_index: dict) -> None:
    """The layer's data and blocks from the rows the database returned (see measure_in_database)."""
    import numpy as np
    import shapely

    layer.pending.clear()
    by_kind = {}
    for rule_filter, (read, rows) in found.items():
        values = {}
        for row in rows:
            values.setdefault(row[Col.AFID], tuple(_plain(v) for v in row[Col.ATTRIBUTES :]))
        fids = sorted(values)
        layer.data[rule_filter] = LayerData(
            name=layer.name,
            source=read.layer_source,
            kind=read.kind,
            geometries=np.empty(len(fids), dtype=object),
            fids=np.asarray(fids, dtype=np.int64),
            attributes={name: [values[f][i] for f in fids] for i, name in enumerate(read.wanted)},
            stats=ReadStats(total=len(fids), used=len(fids)),
        )
        where = {fid: i for i, fid in enumerate(fids)}
        for what in (OVERLAP, NEAR):
            kept = [
                row
                for row in rows
                if row[Col.WHAT] == what and (row[Col.LAYER], row[Col.FID]) in element_index
            ]
            by_kind[(rule_filter, what)] = (
                [element_index[(row[Col.LAYER], row[Col.FID])] for row in kept],
                [where[row[Col.AFID]] for row in kept],
                kept,
            )
    _verify_read(layer)
    if layer.error:
        return

    def measure(rule, data) -> dict:
        overlap = rule.relation == "overlap"
        element, feature, rows = by_kind[(rule.filter, OVERLAP if overlap else NEAR)]
        if not overlap:  # each proximity rule keeps the pairs within its own distance
            return proximity_block(
                elements.geometries, element, feature, [r[Col.DISTANCE] for r in rows], rule.distance_m
            )
        pieces = np.empty(len(rows), dtype=object)
        pieces[:] = [shapely.from_wkb(bytes(r[Col.WKB])) if r[Col.WKB] is not None else None for r in rows]
        return overlap_block(
            elements.geometries,
            element,
            feature,
            [r[Col.FDIM] for r in rows],
            [r[Col.FSIZE] for r in rows],
            pieces,
            [r[Col.AREA] for r in rows],
            [r[Col.LENGTH] for r in rows],
        )

    layer.measured = layer_blocks(layer, measure)


def _plain(value):
    """A value as the QGIS provider gives it (numeric as float)."""
    return float(value) if isinstance(value, Decimal) else value
