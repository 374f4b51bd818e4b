"""Target lists (CSV ``name,url`` or one URL a line, UTF-8 or Big5) and what counts as one site.

A site is the target URL's host (``www.`` ignored) and, when the URL has a path, that path: a shop
hosted on a marketplace (``https://market.example/shops/goodstuff/``) is only the pages under its
path, not the whole marketplace. Give a shop with its own domain by its root URL.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from compliance.extract import DecodeError, decode

URL_HEADERS = {"url", "urls", "網址", "網站", "網站網址", "link", "homepage", "site", "website"}
NAME_HEADERS = {"name", "名稱", "店名", "商店", "商店名稱", "公司", "公司名稱", "shop", "業者", "業者名稱"}
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}(:\d+)?(/\S*)?$", re.I | re.U)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class TargetError(Exception):
    """The target list cannot be read at all."""


class BadTarget(ValueError):
    """One row of the target list is not a usable URL; the message is the reason recorded."""


@dataclass
class TargetRow:
    position: int  # line number in the file, header included
    name: str
    url: str
    site_key: str | None
    rejected_reason: str | None = None


@dataclass
class Site:
    """The scope of one target: which URLs belong to it."""

    key: str
    name: str
    url: str
    hosts: set[str] = field(default_factory=set)
    prefix: str = "/"

    @classmethod
    def from_url(cls, url: str, name: str = "") -> "Site":
        host, prefix = _host(url), _prefix(url)
        return cls(key=site_key(url), name=name or site_key(url), url=url, hosts={host}, prefix=prefix)

    def contains(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS or _host(url) not in self.hosts:
            return False
        path = unquote(parts.path or "/")
        return self.prefix == "/" or path.startswith(self.prefix) or path == self.prefix.rstrip("/")

    def same_host(self, url: str) -> bool:
        return _host(url) in self.hosts

    def add_host(self, url: str) -> None:
        """Accept the host a home page redirected to (example.com -> shop.example.com)."""
        self.hosts.add(_host(url))

    def root(self, url: str | None = None) -> str:
        """The site's base URL on the scheme/host of ``url`` (its home page's final URL)."""
        parts = urlsplit(url or self.url)
        return urlunsplit((parts.scheme, parts.netloc, self.prefix, "", ""))


def _host(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port and port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{port}"
    return host


def _prefix(url: str) -> str:
    path = unquote(urlsplit(url).path or "/")
    if not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        path = path.rsplit("/", 1)[0] + "/" if "." in last else path + "/"
    return path


def site_key(url: str) -> str:
    """A stable name for the site of ``url``: ``shop.example``, ``market.example/shops/a``."""
    return _host(url) + _prefix(url).rstrip("/")


def normalize_url(raw: str) -> str:
    """An absolute http(s) URL without fragment, or BadTarget with the reason."""
    raw = raw.strip().strip("\ufeff")
    if not raw:
        raise BadTarget("empty URL")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
        if raw.lower().startswith(("mailto:", "javascript:", "tel:")):
            raise BadTarget(f"unsupported scheme in {raw!r}; use http or https")
        if not _DOMAIN.match(raw):
            raise BadTarget(f"not a URL: {raw!r}")
        raw = "http://" + raw  # a bare host; the site redirects to https if it has it
    parts = urlsplit(raw)
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise BadTarget(f"unsupported scheme {parts.scheme!r} in {raw!r}; use http or https")
    try:
        parts.port
    except ValueError:
        raise BadTarget(f"bad port in {raw!r}") from None
    if not parts.hostname or " " in parts.netloc:
        raise BadTarget(f"no host in {raw!r}")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _looks_like_url(cell: str) -> bool:
    return bool(re.match(r"^https?://", cell.strip(), re.I) or _DOMAIN.match(cell.strip()))


def parse_targets(data: bytes) -> list[TargetRow]:
    """Rows of a target list. Blank lines and ``#`` comments are skipped; bad rows are returned
    with ``rejected_reason`` set, so that the scan records them."""
    try:
        text, _ = decode(data, "text/plain")
    except DecodeError as e:
        raise TargetError(f"the target list is not text: {e}") from None
    rows: list[TargetRow] = []
    url_col, name_col = None, None
    seen: dict[str, int] = {}
    for lineno, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        lowered = [c.lower() for c in cells]
        if url_col is None and not rows and not any(_looks_like_url(c) for c in cells) \
                and any(c in URL_HEADERS for c in lowered):
            url_col = next(i for i, c in enumerate(lowered) if c in URL_HEADERS)
            name_col = next((i for i, c in enumerate(lowered) if c in NAME_HEADERS), None)
            continue
        if url_col is not None:
            raw_url = cells[url_col] if url_col < len(cells) else ""
            name = cells[name_col] if name_col is not None and name_col < len(cells) else ""
        elif len(cells) == 1:
            raw_url, name = cells[0], ""
        elif _looks_like_url(cells[0]) and not _looks_like_url(cells[1]):
            raw_url, name = cells[0], cells[1]  # url,name
        else:
            name, raw_url = cells[0], cells[1]
        try:
            url = normalize_url(raw_url)
        except BadTarget as e:
            rows.append(TargetRow(lineno, name, raw_url, None, str(e)))
            continue
        key = site_key(url)
        if key in seen:
            rows.append(TargetRow(lineno, name, url, key, f"duplicate of line {seen[key]} (same site {key})"))
            continue
        seen[key] = lineno
        rows.append(TargetRow(lineno, name or key, url, key))
    return rows


def read_targets(path: str | Path) -> list[TargetRow]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TargetError(f"cannot read the target list {str(path)!r}: {e.strerror}") from None
    rows = parse_targets(data)
    if not rows:
        raise TargetError(f"the target list {str(path)!r} has no rows; write one `name,url` per line")
    return rows
