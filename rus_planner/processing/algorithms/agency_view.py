"""rusplanner:agencyview — many regions' shared GeoPackages gathered into one findings table per agency."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDatabaseSchema,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)

from ...core.check_model import FINDING_FIELDS, SEVERITY_ORDER
from ...core.errors import Cancelled, RusPlannerError
from ...core.report_scope import listed
from ...i18n import tr
from ...qgis_io.agency_report import ELEMENT_ID_FIELD, report_layers
from ...qgis_io.agency_view import by_agency, count_rows, read_package, region_names, table_names, write_view
from ...qgis_io.agency_view_postgis import connection_info, load_view
from ..base import RusAlgorithm
from ..report_run import ReportRequest, write_report

# Where the view goes in the database when no schema is named.
DEFAULT_SCHEMA = "rus_myndighetsvy"


class AgencyViewAlgorithm(RusAlgorithm):
    """One view over every region's findings for each agency, the region as a column."""

    PACKAGES = "PACKAGES"
    REGION_NAMES = "REGION_NAMES"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT = "OUTPUT"
    DATABASE = "DATABASE"
    SCHEMA = "SCHEMA"
    REPORT_FOLDER = "REPORT_FOLDER"
    PROFILE = "PROFILE"
    LANGUAGE = "LANGUAGE"
    AGENCIES = "AGENCIES"
    FINDINGS = "FINDINGS"
    OVERALL_PDF = "OVERALL_PDF"
    AGENCY_PDFS = "AGENCY_PDFS"
    HTML = "HTML"
    PDF_COUNT = "PDF_COUNT"
    GROUP_ID = "report"

    def name(self) -> str:
        return "agencyview"

    def displayName(self) -> str:  # noqa: N802
        return tr("Agency view across regions")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Gathers the findings of several regions' GeoPackages (written by Share as GeoPackage) into "
            "one GeoPackage with one table per responsible agency, each finding with its region (the "
            "name given for its package, else the package's file name) as the first column, and the table agencies with the number of "
            "findings per agency, region and class. The packages are only read.\n\n"
            "With a PostgreSQL connection, the same tables are also loaded into PostGIS, into the "
            "schema given (rus_myndighetsvy unless named), in one transaction: the tables of an "
            "earlier agency view there are replaced, a table of the same name that RUS Planner did "
            "not write is never touched (the load is then refused, and nothing changes).\n\n"
            "With a report folder, the consultation report over every region's findings together is "
            "written there as well, the same documents Consultation report writes: one PDF per "
            "receiving agency (only its interests), the overall PDF and the HTML file. Each element is "
            "named with its region, e.g. “Nora kulturstad (Örebro län)”, and the länsstyrelser of several "
            "regions are addressed together (“Till Länsstyrelserna i Örebro län och Uppsala län”). Under Advanced: the planning "
            "profile the regions were checked with and the report's language."
        )

    def flags(self):
        # The report's print layouts render with QPainter on PDF devices: run in the main thread,
        # as Consultation report does.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.PACKAGES,
                tr("Regions' shared GeoPackages"),
                layerType=QgsProcessing.SourceType.TypeFile,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.REGION_NAMES,
                tr("Region names, in the packages' order, separated by semicolons (empty: the file names)"),
                optional=True,
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
        report = QgsProcessingParameterFolderDestination(
            self.REPORT_FOLDER,
            tr("Consultation report over every region (folder for PDF and HTML)"),
            optional=True,
        )
        report.setCreateByDefault(False)  # no report unless a folder is given
        self.addParameter(report)
        self.add_profile_parameter(tr("Planning profile the regions were checked with (YAML)"), advanced=True)
        self.add_language_parameter(tr("Report language"), advanced=True)
        self.addOutput(QgsProcessingOutputNumber(self.AGENCIES, tr("Agencies")))
        self.addOutput(QgsProcessingOutputNumber(self.FINDINGS, tr("Findings")))
        self.addOutput(QgsProcessingOutputFile(self.OVERALL_PDF, tr("Overall report (PDF)")))
        self.addOutput(QgsProcessingOutputString(self.AGENCY_PDFS, tr("Reports per agency (PDF files)")))
        self.addOutput(QgsProcessingOutputFile(self.HTML, tr("Report (HTML)")))
        self.addOutput(QgsProcessingOutputNumber(self.PDF_COUNT, tr("Number of PDF files")))

    def process(self, parameters, context, feedback) -> dict:
        paths = [str(p) for p in self.parameterAsFileList(parameters, self.PACKAGES, context) or []]
        if not paths:
            raise RusPlannerError(tr("Choose at least one shared GeoPackage."))
        names = region_names(paths, self.parameterAsString(parameters, self.REGION_NAMES, context) or "")
        crs = self.target_crs(parameters, context, self.TARGET_CRS)
        target = crs.authid()
        database = self.parameterAsConnectionName(parameters, self.DATABASE, context)
        info = connection_info(database) if database else None  # a missing connection: said before reading
        # An output that is one of the packages is refused before this (processing/outputs.py).
        output, final = self.staged_file_output(parameters, self.OUTPUT, context)
        report = None
        if self.parameterAsFileOutput(parameters, self.REPORT_FOLDER, context):
            # A bad profile or folder is said before anything is read; the report is written into a
            # hidden folder inside the report folder and moved out only when the whole run is complete.
            profile = self.resolve_profile(parameters, context, feedback)
            report = (profile, *self.staged_folder_output(parameters, self.REPORT_FOLDER, context))
        regions = []
        for done, (path, region) in enumerate(zip(paths, names)):
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
        files = self._report(parameters, context, feedback, regions, crs, *report) if report else None
        if info is not None:  # last: the database is changed only when everything else was written
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
            self.REPORT_FOLDER: report[2] if report else None,
            self.OVERALL_PDF: files.overall if files else None,
            self.AGENCY_PDFS: ";".join(files.agency) if files else "",
            self.HTML: files.html if files else None,
            self.PDF_COUNT: files.count if files else 0,
        }

    def _report(self, parameters, context, feedback, regions, crs, profile, folder, final_folder):
        """The consultation report over every region's findings (report_run.py), staged in ``folder``."""
        layers = report_layers(regions, crs, profile, feedback)
        names = [r.region for r in regions]
        language = self.language(parameters, context)
        files = write_report(
            ReportRequest(
                layers.findings,
                layers.elements,
                layers.agency,
                profile,
                language,
                region=listed(names, language),
                regions=tuple(names),
                crs=crs,
                sources=layers.sources,
                element_id_field=ELEMENT_ID_FIELD,
                progress=(50.0, 100.0),  # after reading the packages (0–50 %)
            ),
            folder,
            final_folder,
            context.transformContext(),
            feedback,
        )
        feedback.pushInfo(tr("The report covers the regions {regions}.").format(regions=", ".join(names)))
        return files
