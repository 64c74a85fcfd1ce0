"""rusplanner:territorialsummary — sector shares, scores and findings per zone."""

from __future__ import annotations

from qgis.core import (
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ...core.geometry import describe_stats
from ...core.naming import display_name
from ...i18n import tr
from ...qgis_io.compat import qgs_field
from ...qgis_io.feature_writing import write_features
from ...qgis_io.layers import read_layer
from ..base import RusAlgorithm

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


class TerritorialSummaryAlgorithm(RusAlgorithm):
    """Per zone: area share per sector, score statistics, finding counts per severity class."""

    ZONES = "ZONES"
    OVERLAY = "OVERLAY"
    FINDINGS = "FINDINGS"
    TARGET_CRS = "TARGET_CRS"
    OUTPUT = "OUTPUT"
    GROUP_ID = "report"

    def name(self) -> str:
        return "territorialsummary"

    def displayName(self) -> str:  # noqa: N802
        return tr("Territorial summary")

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(
            "Summarises the sector overlay and the element check per zone — municipality, county, "
            "labour-market region, DeSO or any polygon layer: the share and area (ha) of the zone each "
            "sector covers, the share covered by any sector, the area-weighted mean and the maximum "
            "score, and the number of findings of each severity class A–D that meet the zone. These "
            "are the tables for the regional picture and for reporting back how the spatial "
            "perspective is considered. The zones' own fields are kept."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ZONES, tr("Zones (e.g. municipalities)"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.OVERLAY,
                tr("Sector overlay (output of Sector overlay)"),
                [QgsProcessing.SourceType.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.FINDINGS,
                tr("Findings (output of Check elements against agency layers)"),
                [QgsProcessing.SourceType.TypeVectorAnyGeometry],
                optional=True,
            )
        )
        self.add_target_crs_parameter(tr("CRS for areas (projected)"))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Territorial summary"), QgsProcessing.SourceType.TypeVectorPolygon
            )
        )

    def process(self, parameters, context, feedback) -> dict:
        import numpy as np

        def label(name: str, fallback: str) -> str:
            layer = self.parameterAsVectorLayer(parameters, name, context)
            if layer is None:
                return fallback
            return display_name(layer.name(), layer.source()) or fallback

        from ...core.summary import (
            SEVERITIES,
            name_sectors,
            named_sector_ids,
            overlay_count_field,
            overlay_flag_fields,
            summarise_zones,
        )

        target_crs = self.target_crs(parameters, context)
        zones_source = self.parameterAsSource(parameters, self.ZONES, context)
        if zones_source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.ZONES))
        overlay_source = self.parameterAsSource(parameters, self.OVERLAY, context)
        findings_source = self.parameterAsSource(parameters, self.FINDINGS, context)
        if overlay_source is None and findings_source is None:
            raise QgsProcessingException(
                tr("Give a sector overlay, findings, or both: there is nothing to summarise.")
            )
        transform_context = context.transformContext()

        zone_fields = zones_source.fields()
        zones = read_layer(
            zones_source,
            label(self.ZONES, tr("Zones")),
            target_crs,
            transform_context,
            attributes=tuple(zone_fields.names()),
            feedback=feedback,
        )
        for line in describe_stats(zones.stats, zones.name):
            feedback.pushWarning(line)
        feedback.setProgress(20)

        sector_ids: list[str] = []
        overlay_arguments = {}
        if overlay_source is not None:
            overlay_fields = overlay_source.fields().names()
            numeric = {f.name() for f in overlay_source.fields() if f.isNumeric()}
            flag_fields = overlay_flag_fields(overlay_fields, numeric)
            if not flag_fields:
                feedback.pushWarning(
                    tr(
                        "The overlay layer has no sector fields (a 0/1 field with a companion "
                        "“<sector>_src” field); is it the output of Sector overlay?"
                    )
                )
            count_field = overlay_count_field(overlay_fields)
            # Names a shapefile shortened are matched against the ids the overlay itself lists.
            shortened = any(f"{name}_src" not in overlay_fields for name in flag_fields)
            wanted = tuple(flag_fields) + tuple(
                n for n in ("score", count_field) if n and n in overlay_fields
            )
            if shortened and "sectors" in overlay_fields:
                wanted += ("sectors",)
            overlay_name = label(self.OVERLAY, tr("Sector overlay"))
            overlay = read_layer(
                overlay_source,
                overlay_name,
                target_crs,
                transform_context,
                attributes=wanted,
                feedback=feedback,
            )
            names = name_sectors(
                flag_fields, overlay_fields, named_sector_ids(overlay.attributes.get("sectors") or [])
            )
            for message in sector_name_messages(names, overlay_name):
                feedback.pushWarning(message)
            sector_ids = [names.ids[name] for name in flag_fields]

            def column(name):
                values = overlay.attributes.get(name)
                return None if values is None else np.array([v or 0 for v in values], dtype=float)

            overlay_arguments = {
                "overlay": overlay.geometries,
                "flags": {names.ids[name]: column(name) for name in flag_fields},
                "scores": column("score"),
                "counts": column(count_field) if count_field else None,
            }
        feedback.setProgress(40)

        finding_arguments = {}
        if findings_source is not None:
            if "severity" not in findings_source.fields().names():
                raise QgsProcessingException(
                    tr(
                        "The findings layer has no “severity” field; is it the output of Check elements against agency layers?"
                    )
                )
            findings = read_layer(
                findings_source,
                label(self.FINDINGS, tr("Findings")),
                target_crs,
                transform_context,
                attributes=("severity",),
                feedback=feedback,
            )
            finding_arguments = {
                "finding_geometries": findings.geometries,
                "finding_severities": findings.attributes["severity"],
            }
        feedback.setProgress(60)

        summary = summarise_zones(
            zones.geometries, feedback=feedback, **overlay_arguments, **finding_arguments
        )
        feedback.setProgress(85)

        fields = QgsFields(zone_fields)
        taken = set(zone_fields.names())

        def add(name: str, kind) -> str:
            unique, n = name, 2
            while unique in taken:
                unique, n = f"{name}_{n}", n + 1
            taken.add(unique)
            fields.append(qgs_field(unique, kind))
            return unique

        columns: list[tuple[str, object]] = [
            (add("zone_area_ha", QMetaType.Type.Double), summary.zone_area_m2 / 1e4)
        ]
        for sector_id in sector_ids:
            columns.append(
                (add(f"{sector_id}_share", QMetaType.Type.Double), summary.sector_share[sector_id])
            )
            columns.append(
                (add(f"{sector_id}_ha", QMetaType.Type.Double), summary.sector_area_m2[sector_id] / 1e4)
            )
        for name, values in (
            ("covered_share", summary.covered_share),
            ("score_mean", summary.score_mean),
            ("score_max", summary.score_max),
            ("sector_count_max", summary.sector_count_max),
        ):
            if values is not None:
                columns.append((add(name, QMetaType.Type.Double), values))
        if summary.findings:
            for severity in SEVERITIES:
                columns.append(
                    (add(f"findings_{severity.lower()}", QMetaType.Type.Int), summary.findings[severity])
                )
            columns.append((add("findings_total", QMetaType.Type.Int), summary.findings_total))

        (sink, dest_id) = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.MultiPolygon, target_crs
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))

        zone_values = [zones.attributes[name] for name in zone_fields.names()]
        rows = []
        for index in range(len(zones.geometries)):
            row = [column[index] for column in zone_values]
            row += [_plain(values[index]) for _, values in columns]
            rows.append(row)
        geometries = _as_multipolygons(zones.geometries)
        write_features(sink, geometries, rows, feedback)
        feedback.pushInfo(
            tr("Summarised {zones} zones, {sectors} sectors.").format(
                zones=len(rows), sectors=len(sector_ids)
            )
        )
        feedback.setProgress(100)
        return {self.OUTPUT: dest_id}


def sector_name_messages(names, overlay_name: str) -> list[str]:
    """Warnings for overlay fields matched by a shortened name, or not matched at all."""
    messages = []
    for field_name, sector_id in names.shortened.items():
        messages.append(
            tr(
                "{layer}: the field “{field}” is read as the sector “{id}”: a shapefile keeps only "
                "10 characters of a field name."
            ).format(layer=overlay_name, field=field_name, id=sector_id)
        )
    for field_name in names.unknown:
        messages.append(
            tr(
                "{layer}: the sector field “{field}” matches none of the sector ids the overlay "
                "lists (its name may have been shortened, e.g. in a shapefile); it is summarised "
                "under the name “{field}”."
            ).format(layer=overlay_name, field=field_name)
        )
    for sector_id in names.missing:
        messages.append(
            tr(
                "{layer}: the overlay lists the sector “{id}”, but none of its fields holds it, so "
                "it is missing from the summary. Save the sector overlay as a GeoPackage, which "
                "keeps full field names, and run the summary again."
            ).format(layer=overlay_name, id=sector_id)
        )
    return messages


def _plain(value):
    """numpy scalars → Python numbers for QgsFeature."""
    return value.item() if hasattr(value, "item") else value


def _as_multipolygons(geometries):
    import shapely

    return [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geometries]
