"""Extract each page's text and write pages, failures and verdicts to the inspection log.

The store is the only write path (docs/architecture.md); this pipeline and the spider's scan
bookkeeping share the spider's one ``Store``, on the crawl's thread. Text extraction and judging,
most of a scan's CPU time, run in ``COMPLIANCE_WORKERS`` worker processes (crawler/workers.py,
fed by crawler/pool.py) while the crawl goes on; with 0 workers they run here, in turn with the
fetching. The spider has each fetched page read here first (``read``: its text and the links it
follows), so the crawl process itself parses no page.

A site's rows are written in the order its pages were fetched, and the site is judged only once
every page of it under way has been written.
"""
from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures.process import BrokenProcessPool

from crawler import workers
from crawler.pool import WorkerPool
from crawler.items import FailureItem, PageItem, SiteDoneItem

logger = logging.getLogger(__name__)


def worker_count(value) -> int:
    """``COMPLIANCE_WORKERS``: a number, or "auto" = one per spare CPU, at most 2 (each holds the
    engine and rule pack, about 100 MB)."""
    if value in (None, "", "auto"):
        return max(0, min(2, (os.cpu_count() or 1) - 1))
    return max(0, int(value))


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.pool: WorkerPool | None = None
        self.pool_worked = False  # a worker has returned a result
        self.tail: dict[str, asyncio.Future] = {}  # per site: the last write under way

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self._start_pool()
        self.crawler.spider.reader = self  # the spider has its pages read here (see read)

    def _start_pool(self):
        s = self.crawler.settings
        n = worker_count(s.get("COMPLIANCE_WORKERS"))
        if n:
            # started now, so that they load the rule pack while robots.txt and the home pages are
            # fetched rather than keep the first pages waiting
            self.pool = WorkerPool(n, s.get("COMPLIANCE_RULES") or None, s.getbool("COMPLIANCE_JUDGE"))

    def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    async def process_item(self, item):
        if isinstance(item, PageItem):
            await self._in_turn(item.site_key, self._page(item), self._write_page)
        elif isinstance(item, FailureItem):
            await self._in_turn(item.site_key, _ready(item), self._write_failure)
        elif isinstance(item, SiteDoneItem):
            await self._site_done(item)
        return item

    async def _in_turn(self, site_key: str, work, write) -> None:
        """Await ``work`` (a worker's extraction: pages of different sites and of one site are
        processed side by side), then ``write`` its result once the site's previous item is written,
        so that a site's rows are recorded in the order its pages were fetched, as without workers."""
        before = self.tail.get(site_key)
        mine = asyncio.get_running_loop().create_future()
        self.tail[site_key] = mine
        try:
            result = await work
            if before is not None:
                await before
            write(*result)
        finally:
            mine.set_result(None)
            if self.tail.get(site_key) is mine:
                del self.tail[site_key]

    async def read(self, body: bytes, content_type: str | None, url: str, want_links: bool):
        """(Extracted | None, error | None, links) of a fetched page, from a worker: the spider
        asks for it to follow the links, and passes the text on in its PageItem."""
        result = await self._in_worker("read_page", body, content_type, url, want_links)
        return (*_UNREADABLE, []) if result is None else result  # nor parsed here for its links

    async def _page(self, item: PageItem):
        if item.extracted is not None:
            return (item, *item.extracted)
        result = await self._in_worker("extract_page", item.body, item.content_type, item.final_url)
        return (item, *(_UNREADABLE if result is None else result))

    async def _in_worker(self, task: str, *args):
        """``workers.<task>(*args)`` in a worker (here when there are none), tried again in new
        workers if one dies; None when the page broke a worker twice: a parser crashed on this
        hostile body, and it is recorded as unreadable rather than tried in the crawl process."""
        for _attempt in (1, 2):
            pool = self.pool
            if pool is None:
                return getattr(workers, task)(*args)
            try:
                result = await pool.submit(task, *args)
                self.pool_worked = True
                return result
            except BrokenProcessPool:
                self._replace_broken(pool)
        return None

    def _replace_broken(self, pool) -> None:
        """A worker died (killed, out of memory, or a parser crashed). Pages under way are tried
        again in new workers; if the workers never worked at all, pages are processed here."""
        if self.pool is not pool:
            return  # another page's failure replaced it already
        pool.shutdown(wait=False)  # its tasks have all failed already
        if self.pool_worked:
            logger.warning("a worker process died; starting new ones")
            self._start_pool()
        else:
            logger.warning("the worker processes could not start; processing pages in the crawl process")
            self.pool = None

    def _write_page(self, item: PageItem, page, error) -> None:
        fields = dict(final_url=item.final_url, http_status=item.http_status, fetched_at=item.fetched_at,
                      elapsed_ms=item.elapsed_ms, content_type=item.content_type, raw_body=item.body,
                      depth=item.depth, discovered_from=item.discovered_from)
        store = self.crawler.spider.store
        if error is not None:
            store.add_page(item.scan_id, item.site_key, item.url, error_class=error[0], error_message=error[1],
                           **fields)
        else:
            store.add_page(item.scan_id, item.site_key, item.url, text=page.text, title=page.title,
                           encoding=page.encoding, kind=page.kind, **fields)

    def _write_failure(self, item: FailureItem) -> None:
        self.crawler.spider.store.add_failure(
            item.scan_id, item.site_key, item.url, error_class=item.error_class, error_message=item.error_message,
            http_status=item.http_status, final_url=item.final_url, fetched_at=item.fetched_at, depth=item.depth,
            discovered_from=item.discovered_from)

    async def _site_done(self, item: SiteDoneItem) -> None:
        spider = self.crawler.spider
        store = spider.store
        last = self.tail.get(item.site_key)
        if last is not None:  # every page of the site under way is written first
            await last
        if spider.pack is None or store.has_analysis(item.scan_id, item.site_key):
            return
        from compliance.scan import judge_site

        name = spider.sites[item.site_key].site.name
        docs = store.documents_for_site(item.scan_id, item.site_key)
        pool = self.pool
        if docs and pool is not None:
            try:
                report = await pool.submit("judge", docs, name)
            except BrokenProcessPool:
                logger.warning("a worker process died; judging %s in the crawl process", item.site_key)
                self._replace_broken(pool)
            else:
                if not store.has_analysis(item.scan_id, item.site_key):
                    store.add_analysis(item.scan_id, item.site_key, report)
                return
        # no readable page (an all-error verdict), or no workers: judge here
        judge_site(store, item.scan_id, item.site_key, name, spider.pack)


_UNREADABLE = (None, ("decode_error", "text extraction stopped: it made the worker process die"))


async def _ready(item):
    return (item,)
