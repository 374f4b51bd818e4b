"""Downloader middlewares: one download slot per origin, and pages served from the log on resume.

``OriginSlotMiddleware``: Scrapy keys its download slots (the unit of CONCURRENT_REQUESTS_PER_DOMAIN,
DOWNLOAD_DELAY and AutoThrottle) by host name alone, so shops on different ports of one host, or
behind one hosting IP under different names, would otherwise share one slot and wait for each
other. A shop's server is its origin: the slot key here is the URL's ``host:port``. Every request
passes through it, including the robots.txt requests Scrapy makes itself and redirected requests
(whose meta still carries the slot of the URL they came from).

``StoredPageMiddleware`` (resume): a page already in the log is served from the log instead of being
fetched again. The spider still sees the page (and follows its links exactly as the first run did),
but no new row is written for it: the log ends with the rows an uninterrupted scan would have written.
"""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached


class OriginSlotMiddleware:
    """Put each request in the download slot of its origin (``host:port``)."""

    def process_request(self, request):
        request.meta["download_slot"] = urlparse_cached(request).netloc.rsplit("@", 1)[-1].lower()
        return None


class StoredPageMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        spider = self.crawler.spider
        entry = request.meta.get("entry")
        if entry is None or not getattr(spider, "resume_id", None) or entry.kind == "sitemap_xml":
            return None
        row = spider.store.page(spider.scan_id, request.url)
        if row is None:
            return None
        request.meta["from_store"] = True
        if row["raw_body"] is None:  # the fetch failed last time; its failure is already recorded
            request.meta["stored_error_class"] = row["error_class"]
            raise IgnoreRequest(f"already recorded: {row['error_class']}")
        headers = Headers({"Content-Type": row["content_type"]} if row["content_type"] else {})
        body = bytes(row["raw_body"])
        cls = responsetypes.from_args(headers=headers, url=row["final_url"], body=body)
        return cls(url=row["final_url"], status=row["http_status"] or 200, headers=headers, body=body,
                   request=request, flags=["from_store"])
