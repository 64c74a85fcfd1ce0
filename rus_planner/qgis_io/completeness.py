"""Was an agency layer read completely? What the element check asks before it trusts a read.

An empty read looks exactly like "no conflict", and a failing source often reads as empty:
a WFS that answers GetFeature with HTTP 200 and an exception report ("Service WFS is
disabled"), with HTTP 500, with a body cut off or with no body at all gives QGIS's WFS
provider no features and no error the reader sees (its errors arrive later, as queued
signals); a server that stops at its own limit without saying so gives fewer features
than it reports. The same holds for OGC API Features. So, for every agency layer:

* a web service (WFS, OGC API Features) whose read is suspect (no features, fewer than
  the service reports, or errors from the provider) is asked once more, with one small
  request of our own: its HTTP status, exception report or broken answer becomes the
  reason the layer could not be checked; failing that, the count it delivered against
  the count it reports;
* a layer with 0 features, or with no usable geometry at all, could not be checked —
  but only the layer as a whole: 0 features near the elements, or 0 features a rule's
  filter picks near them, is an honest "no conflict";
* a rule's filter that is not a valid expression, names a field the layer lacks, or
  picks none of the features of a non-empty layer checks nothing: that rule could not
  be checked;
* the same data source given twice is checked once.

Every reason is a short text for a class D finding's note, in the user's words. This module
holds what is judged from the layer itself (its source, its content, a rule's filter); asking a
web service is in web_services.py.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from qgis.core import (
    QgsDataSourceUri,
    QgsExpression,
    QgsExpressionContext,
    QgsFeatureRequest,
    QgsProviderRegistry,
)

from ..core.numbers import grouped
from ..i18n import current_language, tr
from .filters import filter_problems, in_layer_case

# Data-source parameters that change how a source is read, not which data it holds.
_COSMETIC_PARAMETERS = {
    "authcfg",
    "hidedownloadprogressdialog",
    "ignoreaxisorientation",
    "invertaxisorientation",
    "maxnumfeatures",
    "pagesize",
    "pagingenabled",
    "password",
    "prefercoordinatesforwfst11",
    "restricttorequestbbox",
    "skipinitialgetfeature",
    "srsname",
    "sslmode",
    "username",
    "user",
    "version",
    "checkprimarykeyunicity",
    "estimatedmetadata",
    "selectatid",
}


# --------------------------------------------------------------------------- where a layer comes from


def provider_and_uri(source) -> tuple[str, str]:
    """The provider key (lower case) and data source of a layer or a panel snapshot; ("", "") if unknown."""
    key = getattr(source, "provider_key", None)
    if key is not None:
        return key.lower(), getattr(source, "source_uri", "") or ""
    if hasattr(source, "providerType") and hasattr(source, "source"):
        return (source.providerType() or "").lower(), source.source() or ""
    return "", ""


def source_keys(sources: list[tuple[str, str]]) -> list[tuple]:
    """What identifies each (provider, data source): the same file, table or feature type however
    it is written. A file named without its layer is its first layer; GDAL is asked for that name
    only where the same file is also named with a layer (a look-up costs a file open)."""
    parts = [_source_parts(provider, uri) for provider, uri in sources]
    paths = [p.get("path") if provider == "ogr" else None for (provider, p) in parts]
    named = {path for path, (_, p) in zip(paths, parts) if path and (p.get("layername") or p.get("layerid"))}
    keys = []
    for path, (provider, normal) in zip(paths, parts):
        if path in named and not (normal.get("layername") or normal.get("layerid")):
            first = _first_layer_name(path)
            if first:
                normal = {**normal, "layername": first.casefold()}  # as QGIS opens the file
        keys.append((provider, tuple(sorted(normal.items()))))
    return keys


def _source_parts(provider: str, uri: str) -> tuple[str, dict]:
    """The parameters of a data source that say which data it holds, normalised."""

    provider = (provider or "").lower()
    parts = dict(QgsProviderRegistry.instance().decodeUri(provider, uri) or {}) if provider else {}
    if not parts:  # WFS, OAPIF and others QGIS 3.22 does not decode: their key=value parameters
        parsed = QgsDataSourceUri(uri)
        parts = dict(parse_qsl(bytes(parsed.encodedUri()).decode("utf-8", "replace")))
        for name, value in (
            ("host", parsed.host()),
            ("port", parsed.port()),
            ("dbname", parsed.database()),
            ("schema", parsed.schema()),
            ("table", parsed.table()),
            ("sql", parsed.sql()),
            ("service", parsed.service()),
        ):
            if value:
                parts[name] = value
    if not parts:
        return provider, {"source": uri.strip()}
    normal = {}
    for name, value in parts.items():
        if name.lower() in _COSMETIC_PARAMETERS or value in (None, ""):
            continue
        value = str(value)
        if name == "path":
            value = os.path.normcase(os.path.realpath(value))
        elif name == "url":
            value = _normal_url(value)
        elif name == "layerName":
            value = value.casefold()
        normal[name.lower()] = value
    return provider, normal


def _normal_url(url: str) -> str:
    """A service URL without what does not change the service: case of scheme and host, a bare ? or /."""

    parts = urlsplit(url.strip())
    query = "&".join(p for p in parts.query.split("&") if p)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), query, ""))


def _first_layer_name(path: str) -> str | None:
    """The layer QGIS opens for a file named without a layer; None when GDAL cannot say."""
    try:
        from osgeo import gdal
    except ImportError:
        return None
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    except RuntimeError:
        return None
    if dataset is None or dataset.GetLayerCount() < 1:
        return None
    return dataset.GetLayer(0).GetName()


# --------------------------------------------------------------------------- rule filters


def filter_problem(expression: str, fields) -> tuple[str | None, str | None]:
    """(why the rule cannot be checked, a warning) for a rule's filter on a layer with these fields.

    The problems are validateprofile's own (core.filters), in the same words, now against the
    layer the check really reads. A filter that does not parse, names a field the layer lacks
    (case does not matter, as in QGIS) or is a constant that is never true chooses no feature:
    its rules cannot be checked. A constant that is always true keeps every feature: the rules
    are checked, and the warning says the filter filters nothing.
    """

    problems = filter_problems(expression, _field_names(fields))
    if not problems:
        return None, None
    parsed = QgsExpression(expression)
    if not parsed.hasParserError() and not parsed.referencedColumns():
        context = QgsExpressionContext()
        parsed.prepare(context)
        value = parsed.evaluate(context)
        if not parsed.hasEvalError() and value is not None and not _is_null(value) and bool(value):
            return None, "; ".join(problems)
    return "; ".join(problems), None


def _is_null(value) -> bool:
    return hasattr(value, "isNull") and value.isNull()


def _field_names(fields) -> list[str]:
    return fields.names() if hasattr(fields, "names") else [f.name() for f in fields]


def filter_matches_nothing(source, expression: str) -> int | None:
    """The layer's feature count when the filter picks none of its features anywhere, else None."""

    request = QgsFeatureRequest()
    request.setFilterExpression(in_layer_case(expression, _field_names(source.fields())))
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setLimit(1)
    if any(True for _ in source.getFeatures(request)):
        return None
    return _feature_count(source)


def filter_matched_nothing_reason(total: int) -> str:
    return tr("the rule's filter picks none of the layer's {n} features").format(n=number_text(total))


# --------------------------------------------------------------------------- the layer's content


def content_problem(source) -> str | None:
    """ "0 features" or "no usable geometry" for a layer as a whole; None when it has something to check.

    Reads at most one feature when the layer has geometries (the usual answer), all of them
    only when none so far has one.
    """

    count = source.featureCount() if hasattr(source, "featureCount") else -1
    if count == 0:
        return tr("the layer has 0 features")
    first = QgsFeatureRequest()
    first.setNoAttributes()
    first.setLimit(1)
    for request in (first, _all_without_attributes()):
        seen = 0
        for feature in source.getFeatures(request):
            seen += 1
            if feature.hasGeometry() and not feature.geometry().isEmpty():
                return None
        if seen == 0 and count is not None and count > 0:
            # The provider knows of features it then does not give: a read that failed silently.
            return tr("the layer reports {n} features, but reading it gave none").format(n=number_text(count))
        if seen == 0:
            return tr("the layer has 0 features")
    return tr("all {n} features of the layer have an empty geometry").format(n=number_text(seen))


def _all_without_attributes():

    request = QgsFeatureRequest()
    request.setNoAttributes()
    return request


def _feature_count(source) -> int:
    """Features in the layer: the provider's count, else counted (no geometries, no attributes)."""

    count = source.featureCount() if hasattr(source, "featureCount") else -1
    if count is not None and count >= 0:
        return int(count)
    request = QgsFeatureRequest()
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setNoAttributes()
    return sum(1 for _ in source.getFeatures(request))


def number_text(n: int) -> str:
    """A whole number as the user reads it: 12 345 in Swedish, 12,345 in English."""

    return grouped(int(n), 0, current_language())
