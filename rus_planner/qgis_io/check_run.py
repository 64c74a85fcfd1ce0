"""The element check from inputs to findings: one pipeline for every front end.

The Processing algorithm, the panel's background task and live mode all resolve their
layers with :func:`layer_ref` and run :func:`run_check` with the same :class:`CheckOptions`
(language, bulk read), so the three cannot drift apart: the same layers give the same
findings wherever the check is started. Writing the findings stays with each front end
(a Processing sink, the panel's GeoPackage).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from qgis.core import (
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
)

from ..core.check_model import CheckResult, LayerRef
from ..core.errors import LayerError
from ..core.naming import display_name
from ..core.redact import safe_source
from ..i18n import tr
from .agency_store import fetched_layer_caveat, fetched_layer_problem
from .check_postgis import IN_DATABASE, LOCALLY, database_plan, is_postgis, measure_in_database
from .check_read import check_elements, file_date, prepare_agency_layers
from .element_read import prepare_elements
from .web_services import invalid_service_reason


@dataclass(frozen=True)
class CheckOptions:
    """How a check runs, the same from every front end.

    ``bulk_read``: agency files GDAL can read directly are read in the thread that then
    measures them, and only the features near the elements are kept (the fast path; a
    layer with unsaved edits is always read through QGIS, edits included).
    """

    language: str = "sv"
    bulk_read: bool = True
    # Where the check runs: "auto" in the PostGIS database that holds the elements and the agency
    # layers when there is one, "always" there (else an error), "never" here (check_postgis.py).
    in_database: str = "never"


@dataclass
class CheckRun:
    """What one check produced: the findings and everything said along the way."""

    result: CheckResult
    agency_layers: list
    element_count: int
    messages: list[str] = field(default_factory=list)
    # The agency layers were read here with only the features near these elements: they
    # answer for these elements only (live mode must read them whole before reusing them).
    agency_layers_near_only: bool = False


def read_agency_layers(
    refs, profile, target_crs, transform_context, *, feedback=None, elements=None, bulk_read=False
):
    """The agency layers matched to their rules and read (see check_read.prepare_agency_layers)."""
    return prepare_agency_layers(
        refs,
        profile,
        target_crs,
        transform_context,
        feedback=feedback,
        elements=elements,
        defer_bulk=bulk_read and elements is not None,
    )


def run_check(
    element_refs: list[LayerRef],
    agency_refs: list[LayerRef],
    profile,
    target_crs,
    transform_context,
    options: CheckOptions = CheckOptions(),
    *,
    feedback=None,
    agency_layers: list | None = None,
    before_check=None,
) -> CheckRun:
    """Read the elements and the agency layers, check, measure; every message also goes to
    ``feedback`` (as Processing shows it) and into the run's ``messages``.

    ``agency_layers`` read earlier (live mode keeps them between edits) are used as they are.
    ``before_check(elements)`` runs once the elements are read (the algorithm picks its sink
    types there and warns about mixed kinds before the long part starts).
    """
    messages: list[str] = []

    def tell(text: str, warning: bool = True) -> None:
        messages.append(text)
        if feedback is not None:
            (feedback.pushWarning if warning else feedback.pushInfo)(text)

    elements, element_messages = prepare_elements(
        element_refs,
        profile,
        target_crs,
        transform_context,
        language=options.language,
        feedback=feedback,
    )
    for message in element_messages:  # repaired, skipped, repeated ids: as for the agency layers
        tell(message)
    if not len(elements):
        tell(tr("The element layers hold no usable geometries; nothing was checked."))
    tell(tr("{n} elements read.").format(n=len(elements)), warning=False)

    near_only = agency_layers is None
    if agency_layers is None and options.in_database != LOCALLY:
        agency_layers = _in_database(
            element_refs,
            agency_refs,
            profile,
            target_crs,
            transform_context,
            options,
            elements,
            feedback,
            tell,
        )
    if agency_layers is None:
        agency_layers, warnings = read_agency_layers(
            agency_refs,
            profile,
            target_crs,
            transform_context,
            feedback=feedback,
            elements=elements,
            bulk_read=options.bulk_read,
        )
        for warning in warnings:
            tell(warning)
    if before_check is not None:
        before_check(elements)
    result = check_elements(
        elements,
        agency_layers,
        language=options.language,
        feedback=feedback,
        notices=profile.standing_notices,
        mode=profile.mode,
    )
    for warning in result.warnings:
        tell(warning)
    return CheckRun(result, agency_layers, len(elements), messages, near_only)


def _in_database(
    element_refs, agency_refs, profile, target_crs, transform_context, options, elements, feedback, tell
):
    """The agency layers measured in the PostGIS database, or None where the check runs here."""
    plan, reason = database_plan(element_refs, agency_refs, target_crs, elements)
    if plan is None:
        if options.in_database == IN_DATABASE:
            raise LayerError(tr("The check cannot run in the database: {reason}.").format(reason=reason))
        if any(is_postgis(ref) for ref in agency_refs):
            tell(
                tr("The check runs here, not in the database: {reason}.").format(reason=reason), warning=False
            )
        return None
    tell(tr("The check runs in the PostGIS database {database}.").format(database=plan.label), warning=False)
    agency_layers, warnings = prepare_agency_layers(
        agency_refs,
        profile,
        target_crs,
        transform_context,
        feedback=feedback,
        elements=elements,
        read_now=False,
    )
    for warning in warnings:
        tell(warning)
    measure_in_database(plan, elements, element_refs, agency_layers, feedback)
    return agency_layers


# --------------------------------------------------------------------------- resolving the inputs


def raw_layer_values(value) -> list:
    """The entries of a multiple-layers value as given (layers, definitions or source texts)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and v != ""]
    if isinstance(value, str):
        return [v for v in value.split(";") if v] if value else []
    return [value]


def layer_ref(value, context: QgsProcessingContext | None = None) -> LayerRef:
    """Resolve one entry (a layer, a Processing definition or a source text) to a LayerRef;
    a layer that does not load is kept, with the reason, so that it becomes class D."""
    context = context if context is not None else QgsProcessingContext()
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        value = value.source.staticValue()
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    layer = value if isinstance(value, QgsMapLayer) else None
    text = "" if layer is not None else str(value)
    if layer is None and text:
        try:
            layer = QgsProcessingUtils.mapLayerFromString(text, context)
        except Exception:  # noqa: BLE001 - a provider that throws is one more failing layer
            layer = None
    if layer is not None and layer.type() == QgsMapLayer.LayerType.VectorLayer and layer.isValid():
        source = layer.source()
        aliases = source_names(layer.providerType(), source)
        name = safe_source(display_name(layer.name(), source))  # names reach findings and messages
        fetch_failed = fetched_layer_problem(source)  # an empty table standing for a failed fetch
        if fetch_failed:
            return LayerRef(name, source, None, fetch_failed, None, aliases)
        return LayerRef(name, source, layer, None, file_date(source), aliases, fetched_layer_caveat(source))
    names = source_names(*provider_and_uri(text)) if text else ()
    name = safe_source(layer.name() if layer is not None else (names[0] if names else text))
    if layer is not None and layer.type() != QgsMapLayer.LayerType.VectorLayer:
        reason = tr("it is not a vector layer")
    elif layer is not None:
        error = layer.error()
        # QgsError.summary() crashes QGIS 3.22 on an empty error: ask first.
        error = "" if error.isEmpty() else error.summary()
        reason = tr("the layer is not valid{detail}").format(
            detail=f" ({safe_source(error)})" if error else ""
        )
        text = layer.source()
        # A web service that failed QGIS's first request: what it answers says more.
        reason = invalid_service_reason(layer.providerType(), text) or reason
    else:
        reason = tr("the source could not be opened (missing file, unreachable server or wrong address)")
        if text:
            reason = invalid_service_reason(*provider_and_uri(text)) or reason
    return LayerRef(name, text, None, reason, None, names)


def provider_and_uri(text: str) -> tuple[str, str]:
    ok, provider, uri = QgsProcessingUtils.decodeProviderKeyAndUri(text)
    return (provider, uri) if ok else ("ogr", text)


def source_names(provider: str, uri: str) -> tuple[str, ...]:
    """Names a source carries besides the layer name (sub-layer, table, feature type, file)."""
    parts = QgsProviderRegistry.instance().decodeUri(provider, uri) or {}
    names = [parts.get(key) for key in ("layerName", "table", "typename")]
    match = re.search(r"typename=['\"]?([^'\"\s&]+)", uri, re.IGNORECASE)
    if match:
        names.append(match.group(1).split(":")[-1])
    path = parts.get("path")
    if path:
        names.append(os.path.splitext(os.path.basename(path))[0])
    return tuple(dict.fromkeys(n for n in names if n))
