"""Fetching one URL for `check URL`, with the crawler's identity and limits.

The crawler (Scrapy, crawler/settings.py) imports these constants, so a page fetched
by `check` and by a scan is requested the same way. Only http and https are fetched.
"""
from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

from . import __version__

PROJECT_URL = "https://github.com/tw-retail-compliance/scanner"
# ASCII only: HTTP header values are Latin-1 (urllib refuses anything else)
USER_AGENT = f"tw-retail-compliance/{__version__} (+{PROJECT_URL}; standard-terms inspection)"
MAX_BYTES = 20 * 1024 * 1024  # the same cap as local files (issue 2: a 20 MB file is refused)
TIMEOUT = 20


class FetchError(Exception):
    """A URL could not be fetched; ``error_class`` names why (store.py's classes)."""

    def __init__(self, url: str, error_class: str, detail: str):
        self.url, self.error_class, self.detail = url, error_class, detail
        super().__init__(f"{url}: {detail}")


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes


def fetch(url: str, timeout: float = TIMEOUT) -> Fetched:
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "bad_url", "只能擷取 http 或 https 網址")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf,text/plain;q=0.9,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(url, "too_large", f"回應超過 {MAX_BYTES // (1024 * 1024)} MB 上限")
            return Fetched(url, response.geturl(), response.status, response.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        cls = "http_5xx" if exc.code >= 500 else "http_4xx"
        raise FetchError(url, cls, f"伺服器回應 HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            raise FetchError(url, "dns", f"無法解析主機名稱 {parts.hostname}") from None
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(url, "timeout", "連線逾時") from None
        raise FetchError(url, "connection", f"無法連線（{reason}）") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(url, "timeout", "連線逾時") from None
    except ConnectionError as exc:
        raise FetchError(url, "connection", f"連線中斷（{exc.__class__.__name__}）") from None
