"""“Kontrollera tjänsterna”: ask each catalogue service for one feature and say how it answered.

One small request per service (WFS 2.0 COUNT=1, OGC API Features limit=1), with the fetch's own
time-out and no retry, judged as the fetch judges a page: OK (with the count the service reports),
an exception report, an HTTP status, a time-out, a broken answer, or why the service is not fetched
at all (no verified address, a protocol read by hand).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from ..core.catalogue import Service
from ..core.errors import Cancelled
from ..i18n import tr
from .agency_http import HttpSettings, ServiceFailed, fetch_page, oapif_url, wfs_url


@dataclass(frozen=True)
class ServiceCheck:
    service: Service
    result: str  # "OK", "exception", "HTTP", "time-out", "broken", "network", "not fetched"
    detail: str
    http_status: int | None
    matched: int | None
    seconds: float


def check_service(service: Service, settings: HttpSettings, feedback=None) -> ServiceCheck:
    """How one service answers a request for its first feature (see the module docstring)."""
    if not service.fetchable:
        return ServiceCheck(service, "not fetched", service.not_fetchable_reason(), None, None, 0.0)
    once = dataclasses.replace(settings, retries=0)
    if service.protocol == "wfs2":
        url = wfs_url(service.url, service.typename, service.crs, None, 0, 1)
    else:
        url = oapif_url(service.url, service.typename, None, 1)
    start = time.monotonic()
    try:
        page = fetch_page(url, service.protocol, once, feedback)
    except Cancelled:
        raise
    except ServiceFailed as failure:
        result = {"timeout": "time-out", "http": "HTTP", "exception": "exception"}.get(
            failure.kind, failure.kind
        )
        return ServiceCheck(service, result, failure.reason, failure.status, None, time.monotonic() - start)
    detail = (
        tr("answers; it reports {n} features").format(n=page.matched)
        if page.matched is not None
        else tr("answers; it reports no total")
    )
    return ServiceCheck(service, "OK", detail, 200, page.matched, time.monotonic() - start)


def check_services(services, settings: HttpSettings, feedback=None) -> list[ServiceCheck]:
    checks = []
    for index, service in enumerate(services):
        if feedback is not None:
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgress(100 * index / max(len(services), 1))
        checks.append(check_service(service, settings, feedback))
    return checks
