"""The agency view loaded into PostGIS: the agencies' own database gets the view's tables.

The same tables as the GeoPackage (one per agency, the region first, and ``agencies`` with
the counts) go into one schema of a PostgreSQL database named by a QGIS connection, in one
transaction: a reader sees the earlier view or the new one, never half of one, and a failed
or cancelled load changes nothing there. Every table written carries the comment ``MARK``;
a later load replaces only tables with that comment and refuses to touch a table of the same
name that something else made. Values go in as query parameters, names as identifiers.

The connection is psycopg2's (it comes with QGIS, see check_postgis.py), from the QGIS
connection's data source with its authentication configuration expanded by QGIS; the
connection text (which may hold a password) is never shown.
"""

from __future__ import annotations

from contextlib import closing

from qgis.core import QgsDataSourceUri, QgsProviderConnectionException, QgsProviderRegistry

from ..core.check_model import FINDING_FIELDS
from ..core.errors import Cancelled
from ..core.redact import safe_source
from ..i18n import tr
from .agency_view import COUNTS_TABLE, AgencyViewError

try:  # comes with QGIS (DB Manager); without it there is no loading into PostGIS, said so
    import psycopg2
    from psycopg2 import sql
    from psycopg2.extras import execute_values
except ImportError:  # pragma: no cover - the test environment has it
    psycopg2 = None

#: The comment on every table the agency view writes: only tables with it are ever replaced.
MARK = "RUS Planner: agency view"
_SQL_TYPES = {"str": "text", "int": "bigint", "float": "double precision"}
COUNT_COLUMNS = (
    ("agency", "text"),
    ("table_name", "text"),
    ("region", "text"),
    ("findings", "bigint"),
    ("count_a", "bigint"),
    ("count_b", "bigint"),
    ("count_c", "bigint"),
    ("count_d", "bigint"),
)
# Rows per INSERT statement.
_PAGE = 1000


def connection_info(name: str) -> str:
    """The libpq connection text of the QGIS PostgreSQL connection ``name`` (may hold a password:
    never show it)."""
    if psycopg2 is None:
        raise AgencyViewError(
            tr("Loading into PostGIS needs psycopg2 (python3-psycopg2), which this QGIS lacks.")
        )
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    try:
        connection = metadata.findConnection(name) if metadata is not None else None
    except QgsProviderConnectionException:
        connection = None
    if connection is None:
        raise AgencyViewError(
            tr("There is no PostgreSQL connection named “{name}” in QGIS.").format(name=name)
        )
    info = QgsDataSourceUri(connection.uri()).connectionInfo(True)
    try:  # asked now, before the packages are read: a wrong password is said at once
        psycopg2.connect(info).close()
    except psycopg2.Error as error:
        raise AgencyViewError(
            tr("The connection “{name}” could not be opened ({reason}).").format(
                name=name, reason=_reason(error)
            )
        ) from None
    return info


def load_view(
    info: str, schema: str, grouped: dict, tables: dict, counts: list, srid: int, feedback=None
) -> int:
    """Write the view into ``schema`` in one transaction; returns the rows written.

    ``grouped`` and ``tables`` as agency_view.by_agency and write_view give them, ``counts``
    the rows of the counts table, ``srid`` the geometries' SRID.
    """
    wanted = [*tables.values(), COUNTS_TABLE]
    written = 0
    try:
        with closing(psycopg2.connect(info)) as connection:
            with connection, connection.cursor() as cursor:  # one transaction: commit or roll back
                cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
                cursor.execute(
                    "SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
                    "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
                    (schema,),
                )
                existing = dict(cursor.fetchall())
                foreign = sorted(name for name in wanted if name in existing and existing[name] != MARK)
                if foreign:
                    raise AgencyViewError(
                        tr(
                            "The schema “{schema}” already holds tables that RUS Planner did not write "
                            "({tables}); nothing was changed in the database. Choose another schema."
                        ).format(schema=schema, tables=", ".join(foreign))
                    )
                for name in sorted(n for n, comment in existing.items() if comment == MARK):
                    cursor.execute(
                        sql.SQL("DROP TABLE {}.{}").format(sql.Identifier(schema), sql.Identifier(name))
                    )
                for agency, findings in grouped.items():
                    if feedback is not None and feedback.isCanceled():
                        raise Cancelled()
                    written += _findings_table(cursor, schema, tables[agency], findings, srid)
                _counts_table(cursor, schema, counts)
    except psycopg2.Error as error:
        reason = _reason(error)
        raise AgencyViewError(
            tr(
                "The agency view could not be loaded into the database ({reason}); nothing was changed there."
            ).format(reason=reason)
        ) from None
    return written


def _findings_table(cursor, schema: str, name: str, findings: list, srid: int) -> int:
    table = sql.Identifier(schema, name)
    columns = [sql.SQL("fid bigserial PRIMARY KEY"), sql.SQL("region text")]
    columns += [
        sql.SQL("{} {}").format(sql.Identifier(field), sql.SQL(_SQL_TYPES[kind]))
        for field, kind in FINDING_FIELDS
    ]
    columns.append(sql.SQL("geom geometry(Geometry, {})").format(sql.Literal(int(srid))))
    cursor.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(columns)))
    names = [sql.Identifier("region"), *(sql.Identifier(field) for field, _ in FINDING_FIELDS)]
    names.append(sql.Identifier("geom"))
    template = "(" + ", ".join(["%s"] * (len(FINDING_FIELDS) + 1)) + f", ST_GeomFromWKB(%s, {int(srid)}))"
    rows = [
        (region, *row, psycopg2.Binary(geometry) if geometry is not None else None)
        for region, row, geometry in findings
    ]
    statement = sql.SQL("INSERT INTO {} ({}) VALUES ").format(table, sql.SQL(", ").join(names))
    execute_values(cursor, _values(statement, cursor), rows, template=template, page_size=_PAGE)
    cursor.execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(table))
    cursor.execute(sql.SQL("COMMENT ON TABLE {} IS %s").format(table), (MARK,))
    return len(rows)


def _counts_table(cursor, schema: str, counts: list) -> None:
    table = sql.Identifier(schema, COUNTS_TABLE)
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in COUNT_COLUMNS
    )
    cursor.execute(sql.SQL("CREATE TABLE {} (fid bigserial PRIMARY KEY, {})").format(table, columns))
    names = sql.SQL(", ").join(sql.Identifier(name) for name, _ in COUNT_COLUMNS)
    statement = sql.SQL("INSERT INTO {} ({}) VALUES ").format(table, names)
    execute_values(cursor, _values(statement, cursor), [tuple(row) for row in counts], page_size=_PAGE)
    cursor.execute(sql.SQL("COMMENT ON TABLE {} IS %s").format(table), (MARK,))


def _values(statement, cursor) -> str:
    """The INSERT text for execute_values: a "%" in a name (a schema "a%b") must not read as a
    placeholder, so it is doubled; execute_values fills the one "%s" after VALUES."""
    return statement.as_string(cursor).replace("%", "%%") + "%s"


def _reason(error) -> str:
    """The first line of a database error, any connection text in it redacted."""
    text = str(error).strip()
    return safe_source(text.splitlines()[0] if text else type(error).__name__)
