"""The element check as SQL for PostGIS: the same pairs and measures as core.check_measure, found
by the database's GiST indexes; and the connections running it, so that a cancel stops them.

Every value is a query parameter (``%(name)s``, passed by psycopg2), every table and column name
a quoted identifier (``psycopg2.sql.Identifier``): nothing a user or a data source supplies is
ever written into the SQL text. The geometries are made what the local check reads (see
qgis_io.layers.LayerRead.finish): in the target CRS, 2-D, invalid ones repaired by structure
(GEOS's make_valid, as core.geometry.repair) and reduced to their kind, empty ones left out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from psycopg2 import sql

from ..core.errors import Cancelled

# GEOS's repair that keeps holes as holes (core.geometry.repair); PostGIS ≥ 3.2 on GEOS ≥ 3.10.
REPAIR = "method=structure keepcollapsed=false"
# ST_CollectionExtract's type per kind.
_EXTRACT = {"point": 1, "line": 2, "polygon": 3}


@dataclass(frozen=True)
class Table:
    """One PostGIS table of a check: where it is and what its rows are."""

    schema: str
    table: str
    geometry: str
    key: str
    srid: int
    kind: str  # point / line / polygon

    def name(self) -> sql.Composed:
        return sql.Identifier(self.schema, self.table) if self.schema else sql.Identifier(self.table)


def normalised(alias: str, table: Table) -> tuple[sql.Composed, sql.Composed]:
    """(the lateral joins that make ``<alias>_n.g``, the geometry as the check reads it); OFFSET 0
    keeps each step computed once (PostgreSQL would otherwise repeat the transformation)."""
    raw = sql.SQL("ST_Force2D(ST_Transform({alias}.{column}, %(srid)s))").format(
        alias=sql.Identifier(alias), column=sql.Identifier(table.geometry)
    )
    step = sql.Identifier(f"{alias}_p")
    if table.kind == "point":
        made = sql.SQL("{step}.y").format(step=step)
    else:
        made = sql.SQL(
            "CASE WHEN ST_IsValid({step}.y) THEN {step}.y "
            "ELSE ST_CollectionExtract(ST_MakeValid({step}.y, %(repair)s), {kind}) END"
        ).format(step=step, kind=sql.Placeholder(f"extract_{table.kind}"))
    joins = sql.SQL(
        "CROSS JOIN LATERAL (SELECT {raw} AS y OFFSET 0) AS {step} "
        "CROSS JOIN LATERAL (SELECT {made} AS g OFFSET 0) AS {normal}"
    ).format(raw=raw, step=step, made=made, normal=sql.Identifier(f"{alias}_n"))
    return joins, sql.SQL("{normal}.g").format(normal=sql.Identifier(f"{alias}_n"))


def base_parameters(target_srid: int) -> dict:
    parameters = {"srid": int(target_srid), "repair": REPAIR}
    parameters.update({f"extract_{kind}": number for kind, number in _EXTRACT.items()})
    return parameters


def elements_cte(tables: list[Table], part: int = 0, parts: int = 1) -> tuple[sql.Composed, dict]:
    """``e2``: every element of every element table, normalised, with its table's ordinal; with
    ``parts`` > 1 only the ``part``-th share of them (by key), so that several connections share
    the work."""
    branches = []
    parameters = {"part": int(part), "parts": int(parts)}
    for ordinal, table in enumerate(tables):
        joins, geometry = normalised("t", table)
        parameters[f"layer{ordinal}"] = ordinal
        branches.append(
            sql.SQL(
                "SELECT {ordinal}::int AS layer, t.{key}::bigint AS fid, {geometry} AS g "
                "FROM {table} AS t {joins} WHERE t.{column} IS NOT NULL "
                "AND mod(mod(t.{key}::bigint, %(parts)s) + %(parts)s, %(parts)s) = %(part)s"
            ).format(
                ordinal=sql.Placeholder(f"layer{ordinal}"),
                key=sql.Identifier(table.key),
                geometry=geometry,
                table=table.name(),
                joins=joins,
                column=sql.Identifier(table.geometry),
            )
        )
    cte = sql.SQL(
        "e AS ({union}), e2 AS MATERIALIZED (SELECT layer, fid, g, ST_Dimension(g) AS dim FROM e "
        "WHERE g IS NOT NULL AND NOT ST_IsEmpty(g))"
    ).format(union=sql.SQL(" UNION ALL ").join(branches))
    return cte, parameters


def _search_box(agency: Table, target_srid: int) -> sql.Composed:
    """The element's box grown by the reach, in the agency table's CRS (for its GiST index).

    In another CRS the box is densified before it is transformed and given a margin, as
    qgis_io.layers does for QGIS's own box filter (edges curve under a transformation)."""
    if agency.srid == target_srid:
        return sql.SQL("ST_Expand(ST_Envelope(e2.g), %(reach)s)")
    return sql.SQL(
        "ST_Transform(ST_Segmentize(ST_Expand(ST_Envelope(e2.g), %(reach)s + 100 + 0.01 * "
        "greatest(ST_XMax(e2.g) - ST_XMin(e2.g), ST_YMax(e2.g) - ST_YMin(e2.g))), "
        "greatest(ST_XMax(e2.g) - ST_XMin(e2.g), ST_YMax(e2.g) - ST_YMin(e2.g), 1000) / 8), %(agency_srid)s)"
    )


# The columns of pair_query's rows: what (OVERLAP or NEAR), the element's table ordinal and key,
# the feature's key, then the overlap's measures, then the distance, then the attributes.
OVERLAP, NEAR = 0, 1


class Col:
    """Column numbers of pair_query's rows."""

    WHAT, LAYER, FID, AFID, FDIM, FSIZE, AREA, LENGTH, WKB, DISTANCE, ATTRIBUTES = range(11)


def pair_query(
    elements: list[Table],
    agency: Table,
    target_srid: int,
    attributes: tuple[str, ...],
    overlap: bool,
    distance: float | None,
    reach: float,
    fids: list[int] | None = None,
    part: int = 0,
    parts: int = 1,
) -> tuple[sql.Composed, dict]:
    """The SQL and its parameters for the rules of one agency table that share a filter: the
    overlapping pairs with their measures (``overlap``) and the pairs within ``distance`` (the
    largest of the proximity rules; each rule keeps its own), in one statement, so the elements
    are normalised and the index is searched once (``reach``: the largest distance, grown).

    Rows: see the column numbers above; a NEAR row has no overlap measures, an OVERLAP row no
    distance. ``fids``: the features the filter picks (QGIS evaluates it); None for all of them.
    ``part`` of ``parts``: the share of the elements this statement checks (see elements_cte).
    """
    element_cte, parameters = elements_cte(elements, part, parts)
    parameters.update(base_parameters(target_srid))
    parameters.update(reach=float(reach), agency_srid=int(agency.srid), overlap=OVERLAP, near=NEAR)
    key = sql.Identifier(agency.key)
    picked = sql.SQL("")
    if fids is not None:
        parameters["fids"] = list(fids)
        picked = sql.SQL(" AND a.{key} = ANY(%(fids)s::bigint[])").format(key=key)
    joins, geometry = normalised("a", agency)
    # Attributes under names of our own: a field may be called "g" or "layer".
    aliases = [sql.Identifier(f"attr{i}") for i in range(len(attributes))]
    attribute_list = sql.SQL("").join(
        sql.SQL(", a.{} AS {}").format(sql.Identifier(name), alias)
        for name, alias in zip(attributes, aliases)
    )
    carried = sql.SQL("").join(sql.SQL(", f2.{}").format(alias) for alias in aliases)
    outer = sql.SQL("").join(sql.SQL(", h.{}").format(alias) for alias in aliases)
    head = sql.SQL(
        "WITH {elements}, "
        "pairs AS MATERIALIZED (SELECT e2.layer, e2.fid, e2.g AS eg, e2.dim AS edim, a.{key}::bigint AS afid "
        "FROM e2 JOIN {agency} AS a ON a.{column} && {box}{picked}), "
        "f AS MATERIALIZED (SELECT a.{key}::bigint AS afid, {geometry} AS g{attributes} FROM {agency} AS a "
        "{joins} WHERE a.{key} IN (SELECT afid FROM pairs)), "
        "f2 AS MATERIALIZED (SELECT *, ST_Dimension(g) AS dim FROM f WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)) "
    ).format(
        elements=element_cte,
        key=key,
        agency=agency.name(),
        column=sql.Identifier(agency.geometry),
        box=_search_box(agency, target_srid),
        picked=picked,
        geometry=geometry,
        attributes=attribute_list,
        joins=joins,
    )
    # Each pair carries its element, so the only join left is on the feature's key (a hash join).
    joined = sql.SQL("FROM pairs AS p JOIN f2 ON f2.afid = p.afid")
    parts = []
    if overlap:
        # As core.check_measure._overlap: touching only is no overlap unless a point is involved; a
        # feature strictly inside an area is its own common part; a collection keeps its parts of
        # the lower dimension; areas must share area. OFFSET 0 keeps each step computed once.
        parts.append(
            sql.SQL(
                "SELECT %(overlap)s::int, h.layer, h.fid, h.afid, h.fdim, h.fsize, ST_Area(h.piece), "
                "ST_Length(h.piece), CASE WHEN ST_Dimension(h.piece) = h.edim THEN ST_AsBinary(h.piece) END, "
                "NULL::float8{outer} FROM ("
                "SELECT *, CASE WHEN ST_GeometryType(raw) = 'ST_GeometryCollection' "
                "AND NOT ST_IsEmpty(ST_CollectionExtract(raw, low + 1)) THEN ST_CollectionExtract(raw, low + 1) "
                "ELSE raw END AS piece FROM ("
                "SELECT *, CASE WHEN inside THEN fg ELSE ST_Intersection(eg, fg) END AS raw FROM ("
                "SELECT p.layer, p.fid, p.afid, p.edim, f2.dim AS fdim, least(p.edim, f2.dim) AS low, "
                "p.eg, f2.g AS fg, "
                "CASE f2.dim WHEN 2 THEN ST_Area(f2.g) WHEN 1 THEN ST_Length(f2.g) ELSE 1 END AS fsize, "
                "(p.edim = 2 AND ST_ContainsProperly(p.eg, f2.g)) AS inside{carried} {joined} "
                "WHERE ST_Intersects(p.eg, f2.g) AND (least(p.edim, f2.dim) <> 1 OR NOT ST_Touches(p.eg, f2.g)) "
                "OFFSET 0) AS hits OFFSET 0) AS overlaid OFFSET 0) AS h "
                "WHERE h.low < 2 OR (ST_Dimension(h.piece) = 2 AND NOT ST_IsEmpty(h.piece))"
            ).format(outer=outer, carried=carried, joined=joined)
        )
    if distance is not None:
        parameters["distance"] = float(distance)
        parts.append(
            sql.SQL(
                "SELECT %(near)s::int, p.layer, p.fid, p.afid, NULL::int, NULL::float8, NULL::float8, "
                "NULL::float8, NULL::bytea, ST_Distance(p.eg, f2.g){carried} {joined} "
                "WHERE ST_DWithin(p.eg, f2.g, %(distance)s)"
            ).format(carried=carried, joined=joined)
        )
    return head + sql.SQL(" UNION ALL ").join(parts), parameters


def unique_key_query() -> sql.SQL:
    """Whether a table's key column is unique (a primary key or a unique index on it alone)."""
    return sql.SQL(
        "SELECT EXISTS (SELECT 1 FROM pg_index AS i JOIN pg_attribute AS c "
        "ON c.attrelid = i.indrelid AND c.attnum = i.indkey[0] "
        "WHERE i.indrelid = %(relation)s::regclass AND i.indisunique AND i.indnkeyatts = 1 "
        "AND i.indpred IS NULL AND c.attname = %(key)s)"
    )


def session_settings() -> sql.SQL:
    """No JIT compilation: PostGIS's function costs make PostgreSQL compile every query of the
    check, which takes longer (0.4–0.6 s each) than running it."""
    return sql.SQL("SET LOCAL jit = off")


def capability_query() -> sql.SQL:
    """Fails where the database cannot repair by structure (PostGIS < 3.2 or GEOS < 3.10)."""
    return sql.SQL("SELECT ST_IsValid(ST_MakeValid('POINT(0 0)'::geometry, %(repair)s))")


class Connections:
    """The connections querying right now, so that a cancel can stop their queries."""

    def __init__(self):
        self._open: set = set()
        self._lock = threading.Lock()
        self.cancelled = False

    def add(self, connection) -> None:
        with self._lock:
            if self.cancelled:
                raise Cancelled()
            self._open.add(connection)

    def discard(self, connection) -> None:
        with self._lock:
            self._open.discard(connection)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for connection in self._open:
                connection.cancel()
