"""What a consultation report reads besides the findings' own columns: where each finding and
element lies (kommuner), the data sources as datasets (title, licence, agency), the rules no
layer of the run matched, and the reviews the project keeps."""

from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

from qgis.core import QgsCoordinateTransform, QgsFeatureRequest, QgsGeometry, QgsSpatialIndex
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

from ..core.redact import safe_source
from ..core.report import REVIEW_FIELDS, Source
from ..core.report_scope import recipients
from ..core.reviews import ReviewBook, review_columns
from .check_read import file_date
from .share import display_name, effective_crs, source_names

# Field names a kommun or tätort layer names its features by (SCB's, Lantmäteriet's, ours).
NAME_FIELDS = ("name", "namn", "kommunnamn", "kn_namn", "tatort", "tatortsnamn", "KOMMUNNAMN", "NAMN")


def name_field(layer, wanted: str = "") -> str | None:
    """The field naming the layer's features: the one asked for, else the first known name field."""
    names = layer.fields().names()
    if wanted and wanted in names:
        return wanted
    lowered = {n.lower(): n for n in names}
    return next((lowered[f.lower()] for f in NAME_FIELDS if f.lower() in lowered), None)


class Zones:
    """Named polygons (kommuner) in the map CRS, to say which ones a geometry lies in."""

    def __init__(self, layer, field: str, crs, transform_context):
        transform = QgsCoordinateTransform(effective_crs(layer), crs, transform_context)
        self.names: dict[int, str] = {}
        self.geometries: dict[int, QgsGeometry] = {}
        self.index = QgsSpatialIndex()
        for feature in layer.getFeatures():
            geometry = QgsGeometry(feature.geometry())
            name = feature[field]
            if geometry.isEmpty() or name is None or (isinstance(name, QVariant) and name.isNull()):
                continue
            geometry.transform(transform)
            self.names[feature.id()] = str(name)
            self.geometries[feature.id()] = geometry
            self.index.addFeature(feature.id(), geometry.boundingBox())

    def touching(self, geometry: QgsGeometry) -> tuple[str, ...]:
        """The zones the geometry has a part in (a part on a border only counts where nothing else does)."""
        if geometry is None or geometry.isEmpty():
            return ()
        inside, border = [], []
        for fid in self.index.intersects(geometry.boundingBox()):
            zone = self.geometries[fid]
            if zone.intersects(geometry):
                (border if zone.touches(geometry) else inside).append(self.names[fid])
        return tuple(sorted(set(inside or border), key=str.casefold))

    def all_names(self) -> list[str]:
        return sorted(set(self.names.values()), key=str.casefold)


def read_findings(layer, feedback=None, zones: Zones | None = None, crs=None, transform_context=None) -> list:
    """The findings as dicts, NULL as None and dates as ISO text; with ``zones`` each also
    carries ``kommuner``: the zones its geometry (the affected part) lies in."""
    transform = None
    if zones is not None:
        transform = QgsCoordinateTransform(effective_crs(layer), crs, transform_context)
    names = layer.fields().names()
    rows = []
    request = QgsFeatureRequest()
    if zones is None:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    for feature in layer.getFeatures(request):
        if feedback is not None and feedback.isCanceled():
            break
        row = {}
        for name, value in zip(names, feature.attributes()):
            if value is None or (isinstance(value, QVariant) and value.isNull()):
                value = None
            elif isinstance(value, QDateTime):
                value = value.toString("yyyy-MM-dd HH:mm")
            elif isinstance(value, QDate):
                value = value.toString("yyyy-MM-dd")
            row[name] = value
        if zones is not None:
            geometry = QgsGeometry(feature.geometry())
            if not geometry.isEmpty():
                geometry.transform(transform)
                row["kommuner"] = zones.touching(geometry)
        rows.append(row)
    return rows


def _metadata(layer) -> tuple[str, str]:
    """(title, licence) the layer's own metadata states, "" where it states none."""
    metadata = layer.metadata()
    licence = "; ".join(x for x in [*metadata.licenses(), *metadata.rights()] if x)
    return metadata.title().strip(), licence.strip()


def report_sources(element_layers, agency_layers, findings: list[dict], profile) -> list:
    """Every layer the report rests on: elements, then agency data, each as a dataset with the
    agency behind it, its date (the data's own: gpkg_contents.last_change, else the file's), its
    licence where the data states one, and its source with credentials masked."""
    sources = []
    for layer in element_layers:
        title, licence = _metadata(layer)
        name = display_name(layer)
        sources.append(
            Source(
                "element",
                name,
                safe_source(layer.source()),
                file_date(layer.source()),
                title or name,
                licence,
            )
        )
    by_name = {n: layer for layer in agency_layers for n in source_names(layer)}
    agencies: dict[str, list[str]] = {}
    for finding in findings:
        name = finding.get("agency_layer")
        if name:
            for agency in recipients(finding.get("agency")):
                if agency not in agencies.setdefault(name, []):
                    agencies[name].append(agency)
    seen = set()
    for finding in findings:
        name = finding.get("agency_layer")
        if not name or name in seen:
            continue
        seen.add(name)
        layer = by_name.get(name)
        title, licence = _metadata(layer) if layer is not None else ("", "")
        source = safe_source(finding.get("data_source"))  # a file written before redaction may hold one
        date = finding.get("data_date")
        sources.append(
            Source("agency", name, source, date, title or name, licence, " / ".join(agencies[name]))
        )
    for layer in agency_layers:
        names = source_names(layer)
        if seen.intersection(names):
            continue
        name = display_name(layer)
        seen.update(names)
        title, licence = _metadata(layer)
        rules = [r for r in profile.agency_rules if any(r.matches_layer(n, layer.source()) for n in names)]
        agency = " / ".join(dict.fromkeys(a for r in rules for a in recipients(r.agency)))
        sources.append(
            Source(
                "agency",
                name,
                safe_source(layer.source()),
                file_date(layer.source()),
                title or name,
                licence,
                agency,
            )
        )
    return sources


def unmatched_rules(profile, layers: list[tuple[str, str]], findings: list[dict], language: str) -> list:
    """(interest, agency) of each rule of the profile that no agency layer of the run matched
    and no finding names: interests the run could not check at all. ``layers`` are (name, source).
    An interest another rule checked (Naturminne from its own layer, not from NVR's combined
    one) is not listed: it was checked."""
    found = {f.get("rule_id") for f in findings}
    checked, missing = set(), []
    for rule in profile.agency_rules:
        if rule.id in found or any(rule.matches_layer(name, source) for name, source in layers):
            checked.add(rule.name(language))
        else:
            missing.append((rule.name(language), rule.agency))
    return [(name, agency) for name, agency in missing if name not in checked]


def apply_reviews(findings: list[dict], book: ReviewBook, layer_ids: dict[str, str]) -> int:
    """Reviews the project keeps, written into findings that carry none of their own; returns how
    many. ``layer_ids``: element layer name → its id in the project (reviews are keyed by it)."""
    applied = 0
    for finding in findings:
        if any(finding.get(k) for k in REVIEW_FIELDS if k != "reviewed_at"):
            continue
        keyed = dict(
            finding,
            element_layer_id=finding.get("element_layer_id")
            or layer_ids.get(finding.get("element_layer") or ""),
        )
        review = book.of_finding(keyed)
        if review.is_default:
            review = book.of_finding(dict(finding, element_layer_id=None))
        if review.is_default:
            continue
        finding.update(review_columns(review))
        applied += 1
    return applied


def resolved_rows(findings: list[dict], book: ReviewBook, layer_ids: dict[str, str], model) -> list[tuple]:
    """The reviews whose finding these findings no longer hold (resolved by change), as the
    report's rows: finding, status, position, the agency's view, diarienummer and remissvar date."""
    keyed = [
        dict(
            finding,
            element_layer_id=finding.get("element_layer_id")
            or layer_ids.get(finding.get("element_layer") or ""),
        )
        for finding in findings
    ]
    keyed += [dict(finding, element_layer_id=None) for finding in findings]
    rows = []
    for key, review in book.resolved_by_change(keyed):
        rows.append(
            (
                review.label or f"{key.rule_id} ({key.element_fid})",
                model.reviews.get(review.status, review.status),
                review.position,
                review.agency_view,
                " ".join(part for part in (review.diarienummer, review.response_date) if part),
            )
        )
    return rows


def basemap_source(source: str, name: str) -> Source:
    """The background map as a source: its file's name or its service's host, and its file's date."""
    location = re.search(r"url=([^&\s'\"]+)", source)
    dataset = (
        urlsplit(unquote(location.group(1))).netloc if location else os.path.basename(source.split("|")[0])
    )
    return Source("background", name, safe_source(source), file_date(source), safe_source(dataset))
