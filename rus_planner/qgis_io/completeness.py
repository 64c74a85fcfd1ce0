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

Every reason is a short text for a class D finding's note, in the user's words.
Needs QGIS (for its network access, which follows the user's proxy and authentication).
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit
from xml.etree import ElementTree

from qgis.core import (
    QgsBlockingNetworkRequest,
    QgsDataSourceUri,
    QgsExpression,
    QgsExpressionContext,
    QgsFeatureRequest,
    QgsNetworkAccessManager,
    QgsProviderRegistry,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QThread, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..core.numbers import grouped
from ..core.redact import safe_source
from ..i18n import current_language, tr
from .filters import filter_problems, in_layer_case

WEB_SERVICES = ("wfs", "oapif")
# The longest our own request to a service waits for it (QGIS's network time-out if shorter).
PROBE_TIMEOUT_MS = 20_000
# The longest stretch of a service's own text quoted in a reason.
SERVICE_TEXT_LIMIT = 240
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


# --------------------------------------------------------------------------- web services


@dataclass(frozen=True)
class ServiceAnswer:
    """What one small feature request of our own found: a problem, or the count the service reports."""

    problem: str | None = None
    matched: int | None = None


def is_web_service(source) -> bool:
    return provider_and_uri(source)[0] in WEB_SERVICES


def service_problem(source, nothing_read: bool) -> str | None:
    """Why a web service's read cannot be trusted (see the module docstring); None when it can.

    ``nothing_read``: the check's read brought back no usable feature near the elements. A
    sound read costs no request: the features QGIS holds are counted locally and compared
    with the count the service reported to QGIS; only a suspect read asks the service itself.
    """

    provider, uri = provider_and_uri(source)
    if provider not in WEB_SERVICES:
        return None
    errors = provider_errors(source)
    parameters = QgsDataSourceUri(uri)
    reported = source.featureCount() if hasattr(source, "featureCount") else -1
    reported = reported if reported is not None and reported >= 0 else None
    # With restrictToRequestBBOX QGIS fetches only the box: the layer as a whole is not at hand,
    # and an empty box is suspect until the service is asked.
    whole = parameters.param("restrictToRequestBBOX") != "1"
    delivered = _count_features(source) if whole else 0
    if whole:
        suspect = errors or delivered == 0 or (reported is not None and delivered < reported)
    else:
        suspect = errors or nothing_read
    if not suspect:
        return None
    answer = probe_service(provider, uri)
    if answer.problem:
        return answer.problem
    # A server-side filter in the source makes the service's own total count something else.
    filtered = bool(parameters.param("filter") or parameters.param("sql") or parameters.sql())
    matched = answer.matched if answer.matched is not None and not filtered else reported
    if whole and matched is not None and delivered < matched:
        reason = tr("the service delivered {delivered} of the {matched} features it reports").format(
            delivered=number_text(delivered), matched=number_text(matched)
        )
        return f"{reason} ({errors[0]})" if errors else reason
    if errors:
        return tr("reading from the service failed: {detail}").format(detail=errors[0])
    return None


def invalid_service_reason(provider: str, uri: str) -> str | None:
    """For a WFS or OGC API Features layer QGIS could not load: what the service answers."""
    provider = (provider or "").lower()
    if provider not in WEB_SERVICES:
        return None
    return probe_service(provider, uri).problem


def provider_errors(source) -> list[str]:
    """The provider's own errors (redacted, one line each), where they can be seen from here.

    QGIS's WFS and OAPIF providers report a failed download through a queued signal: the
    error reaches the provider only once its thread handles its events. Those events are
    delivered here when the provider lives on this thread; from any other thread they are
    out of reach (the panel reads a snapshot in a task) and the probe has to tell.
    """
    if not hasattr(source, "dataProvider"):
        return []
    provider = source.dataProvider()
    if provider is None or not hasattr(provider, "hasErrors"):
        return []

    if provider.thread() == QThread.currentThread():
        QCoreApplication.sendPostedEvents(provider, QEvent.Type.MetaCall)
    if not provider.hasErrors():
        return []
    return [service_text(error) for error in dict.fromkeys(provider.errors())][:3]


def clear_provider_errors(source) -> None:
    """Forget a provider's earlier errors, so that only this read's count."""
    provider = source.dataProvider() if hasattr(source, "dataProvider") else None
    if provider is None or not hasattr(provider, "clearErrors"):
        return

    if provider.thread() == QThread.currentThread():
        QCoreApplication.sendPostedEvents(provider, QEvent.Type.MetaCall)
    provider.clearErrors()


def _count_features(source) -> int:
    """Every feature QGIS holds for the layer (a web service's local copy: no new download)."""

    request = QgsFeatureRequest()
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    request.setNoAttributes()
    return sum(1 for _ in source.getFeatures(request))


def probe_url(provider: str, uri: str) -> str | None:
    """One small feature request like the provider's: the first feature, and the total where the
    protocol gives it (WFS 2.0 numberMatched, WFS 1.1 hits, OGC API numberMatched)."""

    parameters = QgsDataSourceUri(uri)
    base = parameters.param("url") or (uri if uri.lower().startswith(("http://", "https://")) else "")
    typename = parameters.param("typename")
    if not base:
        return None
    parts = urlsplit(base)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if provider == "oapif":
        if not typename:
            return None
        path = f"{parts.path.rstrip('/')}/collections/{quote(typename, safe='')}/items"
        query = [(k, v) for k, v in query if k.lower() != "limit"] + [("limit", "1")]
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    own = {k.upper(): v for k, v in query}
    typename = typename or own.get("TYPENAME") or own.get("TYPENAMES")
    if not typename:
        return None
    version = parameters.param("version") or own.get("VERSION") or "auto"
    if version.lower() == "auto":
        version = "1.1.0"  # understood by nearly every server; its hits give the total
    ours = {"SERVICE", "REQUEST", "VERSION", "TYPENAME", "TYPENAMES", "COUNT", "MAXFEATURES", "RESULTTYPE"}
    query = [(k, v) for k, v in query if k.upper() not in ours]
    query += [("SERVICE", "WFS"), ("REQUEST", "GetFeature"), ("VERSION", version)]
    if version.startswith("2"):
        query += [("TYPENAMES", typename), ("COUNT", "1")]
    elif version.startswith("1.1"):
        query += [("TYPENAME", typename), ("RESULTTYPE", "hits")]
    else:
        query += [("TYPENAME", typename), ("MAXFEATURES", "1")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def probe_service(provider: str, uri: str) -> ServiceAnswer:
    """Ask the service for its first feature ourselves, through QGIS's network access (proxy,
    authentication, time-out as the user set them), and read its answer."""

    url = probe_url(provider, uri)
    if url is None:
        return ServiceAnswer()
    parameters = QgsDataSourceUri(uri)
    request = QgsBlockingNetworkRequest()
    network_request = QNetworkRequest(QUrl(url))
    if hasattr(network_request, "setTransferTimeout"):  # Qt 5.15: a dead server costs little twice
        network_request.setTransferTimeout(min(QgsNetworkAccessManager.timeout(), PROBE_TIMEOUT_MS))
    if parameters.authConfigId():
        request.setAuthCfg(parameters.authConfigId())
    elif parameters.username():
        secret = f"{parameters.username()}:{parameters.password()}".encode()
        network_request.setRawHeader(b"Authorization", b"Basic " + base64.b64encode(secret))
    failed = request.get(network_request, True) != QgsBlockingNetworkRequest.ErrorCode.NoError
    reply = request.reply()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    status = int(status) if status not in (None, "") else None
    phrase = reply.attribute(QNetworkRequest.Attribute.HttpReasonPhraseAttribute) or ""
    body = bytes(reply.content())
    return read_answer(provider, status, str(phrase), body, request.errorMessage() if failed else "")


def read_answer(
    provider: str, status: int | None, phrase: str, body: bytes, network_error: str
) -> ServiceAnswer:
    """What a service's answer to a feature request says (see probe_service)."""
    if status is not None and status >= 400:
        text = _exception_text(body) or phrase or service_text(network_error)
        return ServiceAnswer(
            tr("the service answered HTTP {status}: {text}").format(status=status, text=text)
            if text
            else tr("the service answered HTTP {status}").format(status=status)
        )
    if network_error and status is None:
        return ServiceAnswer(
            tr("the service did not answer ({detail})").format(detail=service_text(network_error))
        )
    if network_error and body.strip():
        return ServiceAnswer(
            tr("the service's answer broke off before its end ({detail})").format(
                detail=service_text(network_error)
            )
        )
    if not body.strip():
        return ServiceAnswer(
            tr("the service answered with an empty body (HTTP {status})").format(status=status or 200)
        )
    if provider == "oapif" or body.lstrip()[:1] in (b"{", b"["):
        return _read_json(body)
    return _read_xml(body)


def _read_json(body: bytes) -> ServiceAnswer:

    try:
        document = json.loads(body.decode("utf-8", "replace"))
    except ValueError as error:
        return ServiceAnswer(_unreadable(str(error)))
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        matched = document.get("numberMatched")
        return ServiceAnswer(matched=matched if isinstance(matched, int) and matched >= 0 else None)
    text = _json_exception_text(document)
    if text:
        return ServiceAnswer(tr("the service answered with an exception report: {text}").format(text=text))
    return ServiceAnswer(_not_features(body))


def _json_exception_text(document) -> str:
    """An OGC API exception ({"code", "description"}) or a problem detail ({"title", "detail"})."""
    if not isinstance(document, dict):
        return ""
    for key in ("description", "detail", "message", "title", "code"):
        value = document.get(key)
        if isinstance(value, str) and value.strip():
            return service_text(value)
    return ""


def _read_xml(body: bytes) -> ServiceAnswer:

    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        if body.lstrip()[:1] == b"<" and b"<html" in body[:500].lower():
            return ServiceAnswer(_not_features(body))
        return ServiceAnswer(_unreadable(str(error)))
    name = _local(root.tag)
    if name in ("ExceptionReport", "ServiceExceptionReport"):
        text = _exception_text(body) or name
        return ServiceAnswer(tr("the service answered with an exception report: {text}").format(text=text))
    if name != "FeatureCollection":
        return ServiceAnswer(_not_features(body))
    for attribute in ("numberMatched", "numberOfFeatures"):
        value = root.get(attribute)
        if value is not None and value.isdigit():
            return ServiceAnswer(matched=int(value))
    return ServiceAnswer()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _exception_text(body: bytes) -> str:
    """The service's own words in an error answer: exception texts, a JSON description, a page title."""

    stripped = body.strip()
    if not stripped:
        return ""
    if stripped[:1] in (b"{", b"["):
        try:
            return _json_exception_text(json.loads(stripped.decode("utf-8", "replace")))
        except ValueError:
            return service_text(stripped.decode("utf-8", "replace"))
    try:
        root = ElementTree.fromstring(stripped)
    except ElementTree.ParseError:
        return _page_text(stripped)
    texts = [
        " ".join(element.itertext())
        for element in root.iter()
        if _local(element.tag) in ("ExceptionText", "ServiceException")
    ]
    texts = [t for t in texts if t.strip()] or [" ".join(root.itertext())]
    return service_text(" – ".join(texts))


def _page_text(body: bytes) -> str:
    """An HTML page's title (or its text) for a reason: what the service put up instead of data."""
    text = body.decode("utf-8", "replace")
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        return service_text(title.group(1))
    return service_text(re.sub(r"<[^>]+>", " ", text))


def _unreadable(detail: str) -> str:
    return tr("the service's answer could not be read ({detail})").format(detail=service_text(detail))


def _not_features(body: bytes) -> str:
    return tr("the service answered with something other than features: {text}").format(text=_page_text(body))


# QGIS's words around a WFS/OAPIF download error (English QGIS): they say nothing in a note.
_PROVIDER_WRAPPING = (
    re.compile(r"^Download of features for layer .*? failed or partially failed: "),
    re.compile(r"\.? You may attempt reloading the layer with F5\.?$"),
)
# A URL's query: the request's own parameters, long, and where a key or token would be.
_URL_QUERY = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s?#]+)[?#][^\s]*")


def service_text(text: str) -> str:
    """A service's own words fit for a note: one line, URLs without their query, credentials
    masked, at most SERVICE_TEXT_LIMIT characters."""
    line = _one_line(text)
    for wrapping in _PROVIDER_WRAPPING:
        line = wrapping.sub("", line)
    line = safe_source(_URL_QUERY.sub(r"\1", line))
    if len(line) > SERVICE_TEXT_LIMIT:
        line = line[: SERVICE_TEXT_LIMIT - 1].rstrip() + "…"
    return line


def _one_line(text) -> str:
    return " ".join(str(text or "").split())
