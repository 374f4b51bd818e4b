"""Which pages of a shop to fetch: links to its terms, return, privacy and contact pages.

Only pages whose link text or URL names one of these topics are followed (plus the home page, whose
footer usually carries the trader's details), so a scan reads a dozen pages per shop, not its catalogue.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from compliance.extract import DecodeError, decode

# In order of importance: with a page cap, the earlier ones are fetched first.
KEYWORDS = [
    "服務條款", "使用條款", "會員條款", "購物須知", "購物說明", "退換貨", "退貨", "退款", "隱私權",
    "常見問題", "關於我們", "聯絡我們",
    "terms", "policy", "policies", "return", "refund", "privacy", "faq", "about", "contact",
]
# Where hosted-shop platforms put their policy pages (Shopify / EasyStore /policies/, SHOPLINE and
# Cyberbiz /pages/ and /about/, WooCommerce's default pages), with the topic each one holds.
# A probe is a guess that mostly answers 404 and costs a polite delay like any page, so it is
# fetched only while the shop has shown no page of its topic: not when a home-page link or a sitemap
# entry naming that topic was fetched, nor after an earlier probe of the topic answered.
PROBES = [
    ("policies/terms-of-service", "terms"), ("policies/refund-policy", "refund"),
    ("policies/privacy-policy", "privacy"), ("pages/terms", "terms"), ("about/terms", "terms"),
    ("about/privacy", "privacy"), ("terms", "terms"), ("refund_returns/", "refund"),
    ("privacy-policy/", "privacy"),
]
PROBE_PATHS = [path for path, _ in PROBES]
# The probe topic a keyword of KEYWORDS names (購物須知, 常見問題, policy, … name none of them).
TOPIC_OF_KEYWORD = {
    "服務條款": "terms", "使用條款": "terms", "會員條款": "terms", "terms": "terms",
    "退換貨": "refund", "退貨": "refund", "退款": "refund", "return": "refund", "refund": "refund",
    "隱私權": "privacy", "privacy": "privacy",
}
SITEMAP_PATH = "/sitemap.xml"
MAX_CHILD_SITEMAPS = 3
_SKIP_EXT = re.compile(r"\.(jpe?g|png|gif|webp|svg|ico|bmp|css|js|mjs|json|xml|zip|rar|7z|gz|mp[34]|"
                       r"mov|avi|webm|woff2?|ttf|eot|exe|dmg|apk|docx?|xlsx?|pptx?)$", re.I)


def score(url: str, text: str = "") -> int | None:
    """Rank of the most important topic named by the link (lower first), or None if it names none."""
    haystack = (text + " " + unquote(urlsplit(url).path + "?" + urlsplit(url).query)).lower()
    for rank, word in enumerate(KEYWORDS):
        if word in haystack:
            return rank
    return None


def topic(rank: int | None) -> str | None:
    """The probe topic (terms, refund, privacy) of a link ranked ``rank`` by :func:`score`."""
    return TOPIC_OF_KEYWORD.get(KEYWORDS[rank]) if rank is not None and 0 <= rank < len(KEYWORDS) else None


def clean_url(url: str) -> str | None:
    """The URL without its fragment, or None for links that are not pages (mailto:, images, …)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if _SKIP_EXT.search(parts.path):
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def find_links(body: bytes, content_type: str | None, base_url: str) -> list[tuple[str, str]]:
    """(absolute URL, link text) of every ``<a href>`` and ``<area href>``, in document order."""
    try:
        html, _ = decode(body, content_type)
    except DecodeError:
        return []
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = doc.find(".//base[@href]")
    if base is not None:
        base_url = urljoin(base_url, base.get("href"))
    links = []
    for a in doc.iter("a", "area"):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = clean_url(urljoin(base_url, href))
        if url:
            text = " ".join((a.text_content() if a.tag == "a" else "").split())
            links.append((url, " ".join(filter(None, [text, a.get("title", ""), a.get("alt", "")]))))
    return links


def sitemap_urls(body: bytes) -> tuple[str, list[str]]:
    """("urlset" | "sitemapindex" | "", the <loc> URLs) of a sitemap; ("", []) if it is not one."""
    from scrapy.utils.sitemap import Sitemap

    try:
        sitemap = Sitemap(body)
        return sitemap.type, [entry["loc"] for entry in sitemap if entry.get("loc")]
    except (lxml.etree.XMLSyntaxError, StopIteration, ValueError, TypeError):
        return "", []
