"""Findings with the planner's reviews, out of QGIS: GeoPackage, CSV for Excel, an HTML summary.

Rows are dicts keyed by the field names of ``check_model.FINDING_FIELDS`` (plus
``element_layer_id`` when the panel knows it); geometries are ``QgsGeometry`` in ``crs``.
The review columns (``review_status``, ``review_position``, ``reviewed_at``) are added from
the ReviewBook by key, so an export always carries the latest positions.

The CSV is made for Swedish Excel, which guesses the encoding and separator: UTF-8 with a
byte order mark (else å ä ö break), and with the decimal-comma option ``;`` as separator
and ``,`` in numbers (what Excel with a Swedish locale expects).
"""

from __future__ import annotations

import csv
import html
from contextlib import contextmanager
from pathlib import Path

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..core import vocabulary
from ..core.check_model import FINDING_FIELDS
from ..core.errors import RusPlannerError
from ..core.finding_nature import nature_labels
from ..core.redact import safe_source
from ..core.reviews import ReviewBook, status_label
from ..core.vocabulary import REVIEW_FIELDS, SEVERITIES, SEVERITY_BACKGROUND
from ..i18n import qgis_language, tr
from .compat import qgs_field
from .staging import OutputError, atomic_file, count_features

# The panel's results layer keeps the element layer's id, so reviews match by id.
RESULT_FIELDS = (*FINDING_FIELDS, ("element_layer_id", "str"))
EXPORT_FIELDS = (*RESULT_FIELDS, *REVIEW_FIELDS)


class ExportError(RusPlannerError):
    """An export could not be written (folder missing, file locked, ...)."""


@contextmanager
def _staged(path):
    """A new file beside ``path``, moved over it when complete (core/staging.py); ExportError else."""
    try:
        with atomic_file(path) as staged:
            yield staged
    except OutputError as error:
        raise ExportError(str(error)) from None


def with_reviews(rows: list[dict], reviews: ReviewBook) -> list[dict]:
    """Rows with the review columns filled from the book (matched by key, not by row)."""
    return [{**row, **reviews.columns(row)} for row in rows]


def _number_text(value: float, decimal_comma: bool) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    text = "0" if text in ("", "-0") else text
    return text.replace(".", ",") if decimal_comma else text


def write_csv(
    rows: list[dict], path: str | Path, *, decimal_comma: bool = False, fields=EXPORT_FIELDS
) -> None:
    """A CSV Excel opens correctly: UTF-8 with BOM; ``;`` and decimal comma when asked."""
    delimiter = ";" if decimal_comma else ","
    kinds = dict(fields)
    try:
        with _staged(path) as staged, open(staged, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
            writer.writerow([name for name, _ in fields])
            for row in rows:
                line = []
                for name, _ in fields:
                    value = row.get(name)
                    if value is None:
                        line.append("")
                    elif kinds[name] == "float":
                        line.append(_number_text(float(value), decimal_comma))
                    else:
                        line.append(safe_source(str(value)))  # a source or an error may quote a password
                writer.writerow(line)
    except OSError as error:
        raise ExportError(
            tr("The CSV file {path} could not be written ({reason}).").format(
                path=path, reason=error.strerror or error
            )
        ) from None


def severity_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for row in rows:
        if row.get("severity") in counts:
            counts[row["severity"]] += 1
    return counts


def write_html(
    rows: list[dict],
    path: str | Path,
    *,
    title: str,
    profile_name: str = "",
    run_time: str = "",
    sources: list[str] = (),
    resolved: list = (),
) -> None:
    """A self-contained HTML summary: counts per class, then every finding with its review, then the
    reviews whose finding is gone (``resolved``: (ReviewKey, Review) pairs), as resolved by change."""
    esc = html.escape
    counts = severity_counts(rows)
    order = sorted(
        rows, key=lambda r: (SEVERITIES.index(r.get("severity") or "D"), str(r.get("element_name") or ""))
    )
    head = [
        tr("Class"),
        tr("Nature"),
        tr("Element"),
        tr("Agency layer"),
        tr("Agency feature"),
        tr("Rule"),
        tr("Measure"),
        tr("Agency"),
        tr("Legal basis"),
        tr("Review status"),
        tr("Position"),
        tr("Agency's view"),
        tr("Diarienummer"),
    ]
    natures = nature_labels(tr)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(qgis_language())}"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}"
        + "".join(f".{s}{{background:{SEVERITY_BACKGROUND[s]}}}" for s in SEVERITIES)
        + "</style>",
        "</head><body>",
        f"<h1>{esc(title)}</h1>",
        "<p>",
    ]
    if profile_name:
        lines.append(esc(tr("Profile: {name}").format(name=profile_name)) + "<br>")
    if run_time:
        lines.append(esc(tr("Checked: {time}").format(time=run_time)) + "<br>")
    lines.append(esc(tr("{n} findings").format(n=len(rows))) + "</p>")
    lines.append('<table class="counts"><tr>')
    lines += [f'<th class="{s}">{s}</th>' for s in SEVERITIES]
    lines.append("</tr><tr>")
    lines += [f'<td class="count-{s}">{counts[s]}</td>' for s in SEVERITIES]
    lines.append("</tr></table>")
    lines.append('<h2>{}</h2><table class="findings"><tr>'.format(esc(tr("Findings"))))
    lines += [f"<th>{esc(h)}</th>" for h in head]
    lines.append("</tr>")
    for row in order:
        severity = row.get("severity") or ""
        cells = [
            severity,
            natures.get(row.get("nature") or "", ""),
            row.get("element_name") or row.get("element_id") or "",
            row.get("agency_layer") or "",
            row.get("feature_name") or "",
            row.get("rule_name") or "",
            vocabulary.measure_text(row, tr),
            row.get("agency") or "",
            row.get("legal_basis") or "",
            status_label(row.get("review_status") or "new"),
            row.get("review_position") or "",
            row.get("review_agency_view") or "",
            " ".join(p for p in (row.get("review_diarienummer"), row.get("review_response_date")) if p),
        ]
        cell_html = "".join(f"<td>{esc(safe_source(str(c))).replace(chr(10), '<br>')}</td>" for c in cells)
        lines.append(f'<tr class="{esc(severity)}">{cell_html}</tr>')
    lines.append("</table>")
    if resolved:
        lines.append("<h2>{}</h2>".format(esc(tr("Resolved by change"))))
        lines.append(
            "<p>{}</p>".format(
                esc(
                    tr(
                        "These positions belong to findings the latest check no longer gives: the element "
                        "or the agency data changed. They are kept as the record of the dialogue."
                    )
                )
            )
        )
        lines.append('<table class="resolved"><tr>')
        resolved_head = (tr("Finding"), tr("Agency layer"), tr("Review status"), tr("Position"))
        lines += [f"<th>{esc(h)}</th>" for h in (*resolved_head, tr("Agency's view"), tr("Diarienummer"))]
        lines.append("</tr>")
        for key, review in resolved:
            cells = (
                review.label or f"{key.rule_id} ({key.element_fid})",
                key.agency_layer,
                status_label(review.status),
                review.position,
                review.agency_view,
                " ".join(p for p in (review.diarienummer, review.response_date) if p),
            )
            lines.append("<tr>" + "".join(f"<td>{esc(safe_source(str(c)))}</td>" for c in cells) + "</tr>")
        lines.append("</table>")
    if sources:
        lines.append("<h2>{}</h2><ul>".format(esc(tr("Data sources"))))
        lines += [f"<li>{esc(safe_source(s))}</li>" for s in sources]
        lines.append("</ul>")
    lines.append("</body></html>")
    try:
        with _staged(path) as staged:
            Path(staged).write_text("\n".join(lines), encoding="utf-8")
    except OSError as error:
        raise ExportError(
            tr("The HTML file {path} could not be written ({reason}).").format(
                path=path, reason=error.strerror or error
            )
        ) from None


def write_geopackage(
    rows: list[dict],
    geometries: list,
    crs,
    path: str | Path,
    *,
    layer_name: str = "rus_findings",
    fields=EXPORT_FIELDS,
    transform_context=None,
    wkb_type=None,
    append_layer: bool = False,
) -> None:
    """Write rows and QgsGeometry values to a GeoPackage layer.

    The file is replaced (by a complete new file, moved into place: a failure leaves the old
    one as it was), unless ``append_layer``: then the layer is added to (or replaced in) an
    existing file. ``wkb_type`` defaults to the type the geometries share. Raises ExportError
    (or OutputError) when anything did not reach the file.
    """

    types = {"str": QMetaType.Type.QString, "int": QMetaType.Type.LongLong, "float": QMetaType.Type.Double}
    qgs_fields = QgsFields()
    for name, kind in fields:
        qgs_fields.append(qgs_field(name, types[kind]))
    if wkb_type is None:
        wkb_type = common_wkb_type(geometries)
    features = []
    for row, geometry in zip(rows, geometries):
        feature = QgsFeature(qgs_fields)
        feature.setGeometry(conform_geometry(geometry, wkb_type))
        feature.setAttributes([_without_secrets(row.get(name)) for name, _ in fields])
        features.append(feature)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer_name
    options.fileEncoding = "UTF-8"
    context = transform_context or QgsCoordinateTransformContext()

    def write(target, action) -> None:
        options.actionOnExistingFile = action
        writer = QgsVectorFileWriter.create(str(target), qgs_fields, wkb_type, crs, context, options)
        if writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            message = writer.errorMessage()
            del writer
            raise ExportError(
                tr("The GeoPackage {path} could not be written ({reason}).").format(path=path, reason=message)
            )
        ok = writer.addFeatures(features, QgsFeatureSink.Flag.FastInsert) if features else True
        error = writer.errorMessage()
        del writer  # closes the file
        if not ok:
            raise ExportError(
                tr("The GeoPackage {path} could not be written ({reason}).").format(path=path, reason=error)
            )
        written = count_features(target, layer_name)
        if written != len(features):  # what reached the file (GDAL commits on closing)
            raise ExportError(
                tr("The GeoPackage {path} could not be written ({reason}).").format(
                    path=path,
                    reason=tr("{written} of {total} features arrived").format(
                        written=written or 0, total=len(features)
                    ),
                )
            )

    if append_layer and Path(path).exists():
        write(path, QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer)
        return
    # A new file beside, moved over the old one only when complete (core/staging.py).
    with _staged(path) as staged:
        write(staged, QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile)


def release_connections(path: str | Path) -> None:
    """Let QGIS close the connections it keeps to a GeoPackage (its connection pool keeps them
    open for a while, in SQLite's WAL mode): before a file it wrote is moved into place, so the
    file alone is complete, and before a file it read is replaced, so no layer reads the old one."""

    if Path(path).suffix.lower() not in (".gpkg", ".sqlite", ".db"):
        return
    provider = QgsProviderRegistry.instance().createProvider("ogr", str(path))
    if provider is not None:
        provider.invalidateConnections(str(path))
        del provider


def _without_secrets(value):
    """Text as safe_source leaves it (a data source or an error may quote a password), the rest as is."""
    return safe_source(value) if isinstance(value, str) else value


def conform_geometry(geometry, wkb_type):
    """A multi-part copy of the geometry (the layer's type, or its own kind in a generic layer)."""

    shaped = QgsGeometry(geometry) if geometry is not None else QgsGeometry()
    if not shaped.isNull():
        shaped.convertToMultiType()
    return shaped


def common_wkb_type(geometries: list):
    """The multi type all geometries share, else a generic geometry column (mixed element kinds).

    Generic, not a geometry collection: each finding keeps its own kind, so a style can
    draw points, lines and polygons of one layer (QGIS cannot tell what kind a collection is).
    """

    kinds = {QgsWkbTypes.geometryType(g.wkbType()) for g in geometries if g is not None and not g.isNull()}
    multi = {
        QgsWkbTypes.GeometryType.PointGeometry: QgsWkbTypes.Type.MultiPoint,
        QgsWkbTypes.GeometryType.LineGeometry: QgsWkbTypes.Type.MultiLineString,
        QgsWkbTypes.GeometryType.PolygonGeometry: QgsWkbTypes.Type.MultiPolygon,
    }
    if len(kinds) == 1 and next(iter(kinds)) in multi:
        return multi[next(iter(kinds))]
    if not kinds:
        return QgsWkbTypes.Type.MultiPoint
    return QgsWkbTypes.Type.Unknown
