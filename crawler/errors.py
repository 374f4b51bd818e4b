"""Name why a fetch failed, with the classes the inspection log uses (docs/architecture.md)."""
from __future__ import annotations

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest,
                               ResponseDataLossError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer, error
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

_DNS = (CannotResolveHostError, error.DNSLookupError)
_TIMEOUT = (DownloadTimeoutError, error.TimeoutError, error.TCPTimedOutError, defer.TimeoutError)
_CONNECTION = (DownloadConnectionRefusedError, DownloadFailedError, ResponseDataLossError, error.ConnectError,
               error.ConnectionLost, error.ConnectionDone, ResponseFailed, ResponseNeverReceived, OSError)


def classify(failure) -> tuple[str, str, int | None]:
    """(error class, one-line message, HTTP status or None) of a request's failure."""
    exc = failure.value
    message = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if isinstance(exc, HttpError):
        status = exc.response.status
        return ("http_4xx" if status < 500 else "http_5xx"), f"HTTP {status}", status
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in str(exc):
            return "robots_disallowed", "forbidden by the site's robots.txt", None
        return "ignored", message, None
    if isinstance(exc, (DownloadCancelledError, defer.CancelledError)):
        # the only download Scrapy cancels mid-crawl is one past DOWNLOAD_MAXSIZE
        return "too_large", str(exc) or "the body passed DOWNLOAD_MAXSIZE", None
    if isinstance(exc, _DNS):
        return "dns", message, None
    if isinstance(exc, _TIMEOUT):
        return "timeout", message, None
    if isinstance(exc, _CONNECTION):
        return "connection", message, None
    return "connection", message, None

