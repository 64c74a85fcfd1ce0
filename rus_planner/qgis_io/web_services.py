"""Whether a web service (WFS, OGC API Features) delivered all it holds: one small request of our own.

The part of completeness.py (see its docstring) that asks a service itself: a suspect read
is checked against the service's own answer (HTTP status, exception report, broken body, the
count it reports), in the user's words for a class D finding's note. Needs QGIS for its
network access, which follows the user's proxy and authentication.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit
from xml.etree import ElementTree

from qgis.core import (
    QgsBlockingNetworkRequest,
    QgsDataSourceUri,
    QgsFeatureRequest,
    QgsNetworkAccessManager,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QThread, QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..core.redact import safe_source
from ..i18n import tr
from .completeness import number_text, provider_and_uri

WEB_SERVICES = ("wfs", "oapif")
# The longest our own request to a service waits for it (QGIS's network time-out if shorter).
PROBE_TIMEOUT_MS = 20_000
# The longest stretch of a service's own text quoted in a reason.
SERVICE_TEXT_LIMIT = 240


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
