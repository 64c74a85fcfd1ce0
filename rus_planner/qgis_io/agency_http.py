"""Paging through an agency's WFS 2.0 or OGC API Features service: every page, or the reason it failed.

Requests go through QGIS's network access (QgsBlockingNetworkRequest: the user's proxy,
authentication and SSL settings), one at a time, each with a transfer time-out, retried with
back-off where a retry can help (a time-out, a dropped connection, HTTP 5xx, 429) and never
where it cannot (an exception report, HTTP 4xx). A page is judged with web_services.read_answer,
so an exception report sent with HTTP 200 ("Service WFS is disabled"), a body cut short or an
empty one is a failure with the service's own words, never an empty page.

WFS 2.0: ``COUNT``/``STARTINDEX`` until ``numberMatched`` is reached (or a short page when the
service gives no total). OGC API Features: ``limit``, then the ``rel=next`` links.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from qgis.core import QgsBlockingNetworkRequest
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..core.errors import Cancelled
from ..i18n import tr
from .web_services import read_answer, service_text

RETRY_STATUSES = {429, 500, 502, 503, 504}
ACCEPT = b"application/geo+json, application/json;q=0.9, application/gml+xml;q=0.8, text/xml;q=0.7, */*;q=0.1"


class ServiceFailed(Exception):
    """A service could not give a page; ``reason`` is for a class D note, ``kind`` for the check table."""

    def __init__(self, reason: str, kind: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind  # "exception", "http", "timeout", "broken", "short", "network"
        self.status = status


@dataclass
class Page:
    """One page as the service sent it: the body, its count fields and the next address."""

    body: bytes
    matched: int | None
    returned: int | None
    next_url: str | None = None
    service_date: str | None = None


@dataclass
class HttpSettings:
    timeout_s: float = 60.0
    retries: int = 3
    backoff_s: float = 1.0
    page_size: int = 1000
    auth_cfg: str = ""
    sleep: object = field(default=time.sleep, repr=False)


def _get(url: str, settings: HttpSettings, feedback=None) -> tuple[int | None, str, bytes, str, bool]:
    """(status, reason phrase, body, network error, timed out) of one GET."""
    request = QgsBlockingNetworkRequest()
    if settings.auth_cfg:
        request.setAuthCfg(settings.auth_cfg)
    network_request = QNetworkRequest(QUrl(url))
    # An OGC API server picks the format by Accept (a next link need not repeat f=json).
    network_request.setRawHeader(b"Accept", ACCEPT)
    timeout_ms = int(settings.timeout_s * 1000)
    if hasattr(network_request, "setTransferTimeout"):  # Qt 5.15: no data for this long ends it
        network_request.setTransferTimeout(timeout_ms)
    start = time.monotonic()
    code = request.get(network_request, True, feedback)
    elapsed = time.monotonic() - start
    if feedback is not None and feedback.isCanceled():
        raise Cancelled()
    reply = request.reply()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    status = int(status) if status not in (None, "") else None
    phrase = str(reply.attribute(QNetworkRequest.Attribute.HttpReasonPhraseAttribute) or "")
    failed = code != QgsBlockingNetworkRequest.ErrorCode.NoError
    error = request.errorMessage() if failed else ""
    # Qt ends a transfer that stalls for the time-out without always calling it an error: no
    # status after that long is a time-out.
    timed_out = code == QgsBlockingNetworkRequest.ErrorCode.TimeoutError or (
        status is None and elapsed >= settings.timeout_s * 0.95
    )
    return status, phrase, bytes(reply.content()), error, timed_out


def fetch_page(url: str, protocol: str, settings: HttpSettings, feedback=None) -> Page:
    """One page, retried with back-off where that can help; raises ServiceFailed."""
    if feedback is not None and feedback.isCanceled():
        raise Cancelled()
    attempt = 0
    while True:
        status, phrase, body, error, timed_out = _get(url, settings, feedback)
        try:
            return _judge(protocol, status, phrase, body, error, timed_out, settings)
        except ServiceFailed as failure:
            retry = failure.kind in ("timeout", "network", "broken") or failure.status in RETRY_STATUSES
            if not retry or attempt >= settings.retries:
                raise
        attempt += 1
        if feedback is not None:
            feedback.pushInfo(
                tr("The service did not answer well; trying again ({n} of {total}).").format(
                    n=attempt, total=settings.retries
                )
            )
        settings.sleep(settings.backoff_s * 2 ** (attempt - 1))
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()


def _judge(protocol, status, phrase, body, error, timed_out, settings) -> Page:
    if timed_out:
        raise ServiceFailed(
            tr("the service did not answer within {seconds} s").format(seconds=f"{settings.timeout_s:g}"),
            "timeout",
            status,
        )
    answer = read_answer("oapif" if protocol == "oapif" else "wfs", status, phrase, body, error)
    if answer.problem:
        if status is not None and status >= 400:
            kind = "http"
        elif "exception report" in answer.problem or "exception" in answer.problem.lower():
            kind = "exception"
        elif status is None:
            kind = "network"
        else:
            kind = "broken"
        raise ServiceFailed(answer.problem, kind, status)
    if protocol == "oapif":
        return _oapif_page(body)
    return _wfs_page(body, answer.matched)


_ROOT = re.compile(rb"<(?:\w+:)?FeatureCollection\b[^>]*>", re.DOTALL)


def _wfs_page(body: bytes, matched: int | None) -> Page:
    root = _ROOT.search(body[:4096])
    text = root.group(0).decode("utf-8", "replace") if root else ""
    returned = re.search(r'numberReturned="(\d+)"', text)
    stamp = re.search(r'timeStamp="([^"]+)"', text)
    total = re.search(r'numberMatched="(\d+)"', text)
    return Page(
        body,
        int(total.group(1)) if total else None,
        int(returned.group(1)) if returned else None,
        service_date=stamp.group(1) if stamp else None,
    )


def _oapif_page(body: bytes) -> Page:
    document = json.loads(body.decode("utf-8", "replace"))
    matched = document.get("numberMatched")
    returned = document.get("numberReturned")
    next_url = next(
        (link.get("href") for link in document.get("links") or [] if link.get("rel") == "next"), None
    )
    return Page(
        body,
        matched if isinstance(matched, int) else None,
        returned if isinstance(returned, int) else len(document.get("features") or []),
        next_url,
        document.get("timeStamp") if isinstance(document.get("timeStamp"), str) else None,
    )


def _with_query(url: str, extra: list[tuple[str, str]], drop: set[str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.upper() not in drop]
    # Commas and colons as they are: QGIS Server 3.22 turns a "%2C" of the bbox into "100C" in its
    # own next links (a printf-style slip), which it then refuses as an invalid bbox.
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query + extra, safe=",:"), ""))


def wfs_url(base: str, typename: str, crs: str, bbox, start: int, count: int) -> str:
    """GetFeature for one page of a WFS 2.0 feature type, in the service's CRS, inside bbox."""
    srs = f"urn:ogc:def:crs:EPSG::{crs.split(':')[-1]}" if crs.upper().startswith("EPSG:") else crs
    extra = [
        ("SERVICE", "WFS"),
        ("VERSION", "2.0.0"),
        ("REQUEST", "GetFeature"),
        ("TYPENAMES", typename),
        ("SRSNAME", srs),
        ("COUNT", str(count)),
        ("STARTINDEX", str(start)),
    ]
    if bbox is not None:
        # urn CRS axis order: SWEREF 99 TM is northing, easting
        xmin, ymin, xmax, ymax = bbox
        extra.append(("BBOX", f"{ymin!r},{xmin!r},{ymax!r},{xmax!r},{srs}"))
    drop = {k for k, _ in extra} | {"BBOX", "TYPENAME", "MAXFEATURES", "RESULTTYPE"}
    return _with_query(base, extra, drop)


def oapif_url(base: str, collection: str, bbox_lonlat, limit: int) -> str:
    """The first items page of a collection inside a lon/lat bbox (CRS84, the API's default)."""
    parts = urlsplit(base)
    path = f"{parts.path.rstrip('/')}/collections/{quote(collection, safe='')}/items"
    extra = [("limit", str(limit))]
    if bbox_lonlat is not None:
        extra.append(("bbox", ",".join(f"{v!r}" for v in bbox_lonlat)))
    return _with_query(
        urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), extra, {"LIMIT", "BBOX"}
    )


def wfs_pages(base: str, typename: str, crs: str, bbox, settings: HttpSettings, feedback=None):
    """Every page of the feature type inside bbox; the last yields the total. Raises ServiceFailed."""
    start = 0
    matched = None
    firsts: set[str] = set()
    while True:
        page = fetch_page(
            wfs_url(base, typename, crs, bbox, start, settings.page_size), "wfs2", settings, feedback
        )
        _same_again(page, firsts, _first_wfs_id(page.body))
        matched = page.matched if page.matched is not None else matched
        returned = page.returned if page.returned is not None else None
        yield page
        if returned is None or returned == 0:
            return
        start += returned
        if matched is not None and start >= matched:
            return
        if matched is None and returned < settings.page_size:
            return


def oapif_pages(base: str, collection: str, bbox_lonlat, settings: HttpSettings, feedback=None):
    """Every page of the collection inside the bbox, following rel=next. Raises ServiceFailed."""
    url = oapif_url(base, collection, bbox_lonlat, settings.page_size)
    seen: set[str] = set()
    firsts: set[str] = set()
    while url:
        if url in seen:
            raise ServiceFailed(tr("the service's next link leads back to a page already read"), "broken")
        seen.add(url)
        page = fetch_page(url, "oapif", settings, feedback)
        _same_again(page, firsts, _first_oapif_id(page.body))
        yield page
        if not page.returned:
            return
        url = page.next_url


_FIRST_MEMBER = re.compile(rb"<(?:\w+:)?(?:member|featureMember)>\s*<[\w.:-]+\s[^>]*?gml:id=\"([^\"]+)\"")


def _first_wfs_id(body: bytes) -> str | None:
    found = _FIRST_MEMBER.search(body)
    return found.group(1).decode("utf-8", "replace") if found else None


def _first_oapif_id(body: bytes) -> str | None:
    features = json.loads(body.decode("utf-8", "replace")).get("features") or []
    first = features[0].get("id") if features and isinstance(features[0], dict) else None
    return None if first is None else str(first)


def _same_again(page: Page, firsts: set, first: str | None) -> None:
    """A server that ignores the paging (GeoServer with STARTINDEX unsupported has been seen to)
    sends its first page again: stop instead of counting the same features twice."""
    if first is None:
        return
    if first in firsts:
        raise ServiceFailed(
            tr("the service sent the same features again for the next page (it does not page as asked)"),
            "broken",
        )
    firsts.add(first)


def short_reason(got: int, matched: int) -> str:
    """The complete-or-D rule's words: fewer features than the service says match."""
    from .completeness import number_text

    return tr("the service delivered {delivered} of the {matched} features it reports").format(
        delivered=number_text(got), matched=number_text(matched)
    )


def failure_text(error: Exception) -> str:
    return service_text(str(error))
