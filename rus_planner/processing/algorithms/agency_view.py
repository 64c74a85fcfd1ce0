"""rusplanner:agencyview — many regions' shared GeoPackages gathered into one findings table per agency."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDatabaseSchema,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterProviderConnection,
)

from ...core.check_model import FINDING_FIELDS, SEVERITY_ORDER
from ...core.errors import Cancelled, RusPlannerError
from ...i18n import tr
from ...qgis_io.agency_view import by_agency, count_rows, read_package, region_names, table_names, write_view
from ...qgis_io.agency_view_postgis import connection_info, load_view
from ..base import RusAlgorithm

# Where the view goes in the database when no schema is named.
DEFAULT_SCHEMA = "rus_myndighetsvy"


class AgencyViewAlgorithm(RusAlgorithm):
    """One view over every region's findings for each agency, the region as a column."""

    PACKAGES = "PACKAGES"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT = "OUTPUT"
    DATABASE = "DATABASE"
    SCHEMA = "SCHEMA"
    AGENCIES = "AGENCIES"
    FINDINGS = "FINDINGS"
    GROUP_ID = "report"

    def name(self) -> str:
        return "agencyview"

    def displayName(self) -> str:  # noqa: N802
        return tr("Agency view across regions")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Gathers the findings of several regions' GeoPackages (written by Share as GeoPackage) into "
            "one GeoPackage with one table per responsible agency, each finding with its region (the "
            "package's file name) as the first column, and the table agencies with the number of "
            "findings per agency, region and class. The packages are only read.\n\n"
            "With a PostgreSQL connection, the same tables are also loaded into PostGIS, into the "
            "schema given (rus_myndighetsvy unless named), in one transaction: the tables of an "
            "earlier agency view there are replaced, a table of the same name that RUS Planner did "
            "not write is never touched (the load is then refused, and nothing changes)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.PACKAGES,
                tr("Regions' shared GeoPackages"),
                layerType=QgsProcessing.SourceType.TypeFile,
            )
        )
        self.add_target_crs_parameter(tr("CRS of the view"))
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("Agency view"), tr("GeoPackage (*.gpkg)"))
        )
        self.addParameter(
            QgsProcessingParameterProviderConnection(
                self.DATABASE,
                tr("Also load into PostGIS (a PostgreSQL connection)"),
                "postgres",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterDatabaseSchema(
                self.SCHEMA,
                tr("Schema in the database"),
                self.DATABASE,
                defaultValue=DEFAULT_SCHEMA,
                optional=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.AGENCIES, tr("Agencies")))
        self.addOutput(QgsProcessingOutputNumber(self.FINDINGS, tr("Findings")))

    def process(self, parameters, context, feedback) -> dict:
        paths = [str(p) for p in self.parameterAsFileList(parameters, self.PACKAGES, context) or []]
        if not paths:
            raise RusPlannerError(tr("Choose at least one shared GeoPackage."))
        crs = self.target_crs(parameters, context, self.TARGET_CRS)
        target = crs.authid()
        database = self.parameterAsConnectionName(parameters, self.DATABASE, context)
        info = connection_info(database) if database else None  # a missing connection: said before reading
        # An output that is one of the packages is refused before this (processing/outputs.py).
        output, final = self.staged_file_output(parameters, self.OUTPUT, context)
        regions = []
        for done, (path, region) in enumerate(zip(paths, region_names(paths))):
            if feedback.isCanceled():
                raise Cancelled()
            found = read_package(path, region, target, feedback)
            if not found.tables:
                feedback.pushWarning(
                    tr(
                        "The package “{path}” holds no findings table; region {region} has no findings here."
                    ).format(path=path, region=region)
                )
            regions.append(found)
            feedback.setProgress(50.0 * (done + 1) / len(paths))
        grouped = by_agency(regions)
        tables = write_view(output, grouped, target, [r.region for r in regions], feedback)
        if info is not None:
            schema = self.parameterAsSchema(parameters, self.SCHEMA, context).strip() or DEFAULT_SCHEMA
            counts = count_rows(grouped, table_names(grouped), [r.region for r in regions])
            rows = load_view(info, schema, grouped, tables, counts, crs.postgisSrid(), feedback)
            feedback.pushInfo(
                tr("Loaded {n} findings into the schema “{schema}” of the connection “{name}”.").format(
                    n=rows, schema=schema, name=database
                )
            )
        severity = [name for name, _ in FINDING_FIELDS].index("severity")
        for agency, findings in grouped.items():
            classes = [row[severity] for _, row, _ in findings]
            feedback.pushInfo(
                tr(
                    "{agency} ({table}): {n} findings from {regions} regions – {a} A, {b} B, {c} C, {d} D."
                ).format(
                    agency=agency,
                    table=tables[agency],
                    n=len(findings),
                    regions=len({region for region, _, _ in findings}),
                    **{s.lower(): classes.count(s) for s in SEVERITY_ORDER},
                )
            )
        feedback.setProgress(100.0)
        return {
            self.OUTPUT: final,
            self.AGENCIES: len(grouped),
            self.FINDINGS: sum(len(f) for f in grouped.values()),
        }
