"""Extract each page's text and write pages, failures and verdicts to the inspection log.

The store is the only write path (docs/architecture.md); this pipeline and the spider's scan
bookkeeping share the spider's one ``Store``.
"""
from __future__ import annotations

from compliance.extract import ExtractError, extract
from crawler.items import FailureItem, PageItem, SiteDoneItem


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        spider = self.crawler.spider
        store = spider.store
        if isinstance(item, PageItem):
            fields = dict(final_url=item.final_url, http_status=item.http_status, fetched_at=item.fetched_at,
                          elapsed_ms=item.elapsed_ms, content_type=item.content_type, raw_body=item.body,
                          depth=item.depth, discovered_from=item.discovered_from)
            try:
                page = extract(item.body, item.content_type, item.final_url)
            except ExtractError as e:
                store.add_page(item.scan_id, item.site_key, item.url, error_class=e.error_class,
                               error_message=str(e), **fields)
            else:
                store.add_page(item.scan_id, item.site_key, item.url, text=page.text, title=page.title,
                               encoding=page.encoding, kind=page.kind, **fields)
        elif isinstance(item, FailureItem):
            store.add_failure(item.scan_id, item.site_key, item.url, error_class=item.error_class,
                              error_message=item.error_message, http_status=item.http_status,
                              final_url=item.final_url, fetched_at=item.fetched_at, depth=item.depth,
                              discovered_from=item.discovered_from)
        elif isinstance(item, SiteDoneItem):
            if spider.pack is not None and not store.analyses(item.scan_id, item.site_key):
                from compliance.scan import judge_site

                judge_site(store, item.scan_id, item.site_key, spider.sites[item.site_key].site.name, spider.pack)
        return item
