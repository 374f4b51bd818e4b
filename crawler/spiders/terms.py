"""The `terms` spider: for each shop, its home page and the pages that hold its terms.

    scrapy crawl terms -a targets=shops.csv                  # a new scan
    scrapy crawl terms -a scan_id=7                          # resume scan 7 (targets from the log)
    scrapy crawl terms -a targets=shops.csv -s COMPLIANCE_DB=out.db -s ROBOTSTXT_OBEY=False

Each site is crawled one request at a time from its own queue, ordered by (depth, source, topic
rank, discovery order). That makes the set of pages fetched under the page cap a function of the
pages' contents alone, not of network timing, so a resumed scan (which replays stored pages from the
log, crawler/middlewares.py) takes exactly the decisions the uninterrupted scan would have taken.
Requests go to the engine directly (``engine.crawl``) because the depth counted here is the link
distance from the home page, not the number of pages handled before.
"""
from __future__ import annotations

import getpass
import heapq
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError

from compliance.store import Store
from compliance.targets import Site, read_targets
from crawler.discovery import (MAX_CHILD_SITEMAPS, PROBES, SITEMAP_PATH, clean_url, find_links, score,
                               sitemap_urls, topic)
from crawler.errors import classify
from crawler.items import FailureItem, PageItem, SiteDoneItem

PAGE_KINDS = ("home", "link", "sitemap", "probe")  # recorded in the log and counted by the page cap
_ORDER = {"home": 0, "sitemap_xml": 1, "link": 2, "sitemap": 3, "probe": 4}
# A home page that failed so: no sitemap or platform-path guesses (a server already answering 5xx to
# its home page, after retries, should not get a dozen more requests for pages nobody linked).
_UNREACHABLE = {"dns", "connection", "timeout", "http_5xx"}


@dataclass(frozen=True)
class Entry:
    site_key: str
    url: str
    depth: int
    kind: str  # home | link | sitemap | probe | sitemap_xml
    discovered_from: str | None = None
    topic: str | None = None  # terms | refund | privacy (see crawler.discovery.PROBES)


@dataclass
class SiteState:
    site: Site
    queue: list = field(default_factory=list)
    seen: set = field(default_factory=set)
    issued: int = 0
    seq: int = 0
    done: bool = False
    topics: set = field(default_factory=set)  # probe topics the site has shown a page of


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class TermsSpider(scrapy.Spider):
    name = "terms"
    # crawler.pipelines.StorePipeline, when it runs: it reads each page (text and links) in its
    # worker processes; without it the spider finds the links itself
    reader = None

    def __init__(self, targets: str | None = None, scan_id: str | int | None = None, db: str | None = None,
                 launched_by: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not targets and not scan_id:
            raise UsageError("give -a targets=FILE (a new scan) or -a scan_id=N (resume scan N)")
        self.targets_path = targets
        self.resume_id = int(scan_id) if scan_id else None
        self.db_path = db
        self.launched_by = launched_by or getpass.getuser()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._open_scan()
        return spider

    # --- the scan ---------------------------------------------------------------------------

    def _open_scan(self) -> None:
        s = self.settings
        self.store = Store(self.db_path or s.get("COMPLIANCE_DB"))
        # WAL without a sync at every commit: the log stays consistent whatever happens to this
        # process (SIGKILL included); only a power cut or OS crash may drop the last few pages,
        # which a resumed scan fetches again. Syncing each page cost more than extracting it.
        self.store.db.execute("PRAGMA synchronous = NORMAL")
        self.pack = None
        if s.getbool("COMPLIANCE_JUDGE"):
            from compliance.rules import load_pack  # only when judging: a fetch-only run needs no rules

            self.pack = load_pack(s.get("COMPLIANCE_RULES") or None)
        robots = s.getbool("ROBOTSTXT_OBEY")
        if self.resume_id:
            scan = self.store.scan(self.resume_id)
            opts = scan["options"]
            if opts.get("robots_obeyed", True) != robots:
                raise UsageError(f"scan {self.resume_id} was run with ROBOTSTXT_OBEY={opts.get('robots_obeyed')}; "
                                 f"resume it with the same (-s ROBOTSTXT_OBEY={opts.get('robots_obeyed')})")
            self.store.resume_scan(self.resume_id, launched_by=self.launched_by)
            self.scan_id = self.resume_id
        else:
            rows = read_targets(self.targets_path)
            opts = {"robots_obeyed": robots, "max_pages_per_site": s.getint("COMPLIANCE_MAX_PAGES_PER_SITE"),
                    "max_depth": s.getint("DEPTH_LIMIT"), "user_agent": s.get("USER_AGENT"),
                    "download_delay": s.getfloat("DOWNLOAD_DELAY"), "targets_file": str(self.targets_path)}
            self.scan_id = self.store.begin_scan(
                launched_by=self.launched_by, rulepack_id=self.pack.id if self.pack else None,
                rulepack_version=self.pack.version if self.pack else None, options=opts)
            for r in rows:
                self.store.add_target(self.scan_id, position=r.position, name=r.name, url=r.url,
                                      site_key=r.site_key, rejected_reason=r.rejected_reason)
        # a resumed scan keeps its own caps, so that it takes the same decisions
        self.max_pages = int(opts.get("max_pages_per_site") or s.getint("COMPLIANCE_MAX_PAGES_PER_SITE"))
        self.max_depth = int(opts.get("max_depth", s.getint("DEPTH_LIMIT")))
        judged = {a["site_key"] for a in self.store.analyses(self.scan_id)}
        self.sites: dict[str, SiteState] = {}
        for t in self.store.sites(self.scan_id):
            site = Site.from_url(t["url"], t["name"])
            site.key = t["site_key"]  # the key recorded when the scan began
            state = SiteState(site)
            state.done = t["site_key"] in judged  # finished in an earlier run: nothing to add
            self.sites[t["site_key"]] = state
        self.logger.info("scan %s: %d sites (%d already judged), log %s", self.scan_id, len(self.sites),
                         len(judged), self.store.path)

    def closed(self, reason: str) -> None:
        if reason == "finished":
            from compliance.scan import judge_site

            judged = {a["site_key"] for a in self.store.analyses(self.scan_id)}
            for key, state in self.sites.items():
                if key not in judged and self.pack is not None:
                    if not state.done:
                        self.logger.warning("site %s ended without finishing its queue", key)
                    judge_site(self.store, self.scan_id, key, state.site.name, self.pack)
        self.store.finish_scan(self.scan_id, "finished" if reason == "finished" else "interrupted")
        self.store.close()

    # --- the per-site queue -----------------------------------------------------------------

    def _push(self, state: SiteState, url: str | None, depth: int, kind: str, rank: int = 0,
              discovered_from: str | None = None, topic: str | None = None) -> None:
        if not url or url in state.seen:
            return
        if kind in PAGE_KINDS and (depth > self.max_depth or not state.site.contains(url)):
            return
        state.seen.add(url)
        state.seq += 1
        entry = Entry(state.site.key, url, depth, kind, discovered_from, topic)
        heapq.heappush(state.queue, ((depth if kind != "sitemap_xml" else 0, _ORDER[kind], rank, state.seq), entry))

    def _request(self, entry: Entry) -> scrapy.Request:
        callback = self.parse_sitemap if entry.kind == "sitemap_xml" else self.parse_page
        return scrapy.Request(entry.url, callback=callback, errback=self.failed, dont_filter=True,
                              meta={"entry": entry, "depth": entry.depth})

    def _next(self, state: SiteState) -> scrapy.Request | None:
        while state.queue:
            _, entry = heapq.heappop(state.queue)
            if entry.kind in PAGE_KINDS:
                if state.issued >= self.max_pages:
                    continue
                if entry.kind == "probe" and entry.topic in state.topics:
                    continue  # the shop has a page of this topic already: no need to guess
                state.issued += 1
            return self._request(entry)
        return None

    def _advance(self, state: SiteState):
        """Hand the site's next request to the engine, or report the site done."""
        request = self._next(state)
        if request is not None:
            self.crawler.engine.crawl(request)
        elif not state.done:
            state.done = True
            yield SiteDoneItem(scan_id=self.scan_id, site_key=state.site.key)

    def _push_extras(self, state: SiteState, base_url: str) -> None:
        """After the home page: the sitemap and the platforms' usual policy paths."""
        root = state.site.root(base_url)
        parts = urlsplit(base_url)
        self._push(state, f"{parts.scheme}://{parts.netloc}{SITEMAP_PATH}", 0, "sitemap_xml")
        for i, (path, about) in enumerate(PROBES):
            self._push(state, clean_url(root + path), 1, "probe", i, discovered_from=None, topic=about)

    async def start(self):
        for key, state in self.sites.items():
            if state.done:
                continue
            self._push(state, state.site.url, 0, "home")
            request = self._next(state)
            if request is not None:
                yield request

    # --- callbacks --------------------------------------------------------------------------

    async def parse_page(self, response):
        entry: Entry = response.meta["entry"]
        state = self.sites[entry.site_key]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        fresh = "from_store" not in response.flags
        want_links = entry.depth < self.max_depth
        fetched_at = _now()
        if fresh and self.reader is not None:
            page, error, links = await self.reader.read(response.body, content_type, response.url, want_links)
            extracted = (page, error)
        else:
            extracted = None
            links = find_links(response.body, content_type, response.url) if want_links else []
        if fresh:
            latency = response.meta.get("download_latency")
            yield PageItem(scan_id=self.scan_id, site_key=entry.site_key, url=entry.url, final_url=response.url,
                           http_status=response.status, fetched_at=fetched_at,
                           elapsed_ms=round(latency * 1000) if latency is not None else None,
                           content_type=content_type, body=response.body, depth=entry.depth,
                           discovered_from=entry.discovered_from, extracted=extracted)
        if entry.kind == "home":
            state.site.add_host(response.url)
        if entry.topic:
            state.topics.add(entry.topic)
        for url, text in links:
            rank = score(url, text)
            if rank is not None:
                self._push(state, url, entry.depth + 1, "link", rank, discovered_from=entry.url, topic=topic(rank))
        if entry.kind == "home":  # after the links: a linked page is recorded as linked, not probed
            self._push_extras(state, response.url)
        for item in self._advance(state):
            yield item

    def parse_sitemap(self, response):
        entry: Entry = response.meta["entry"]
        state = self.sites[entry.site_key]
        kind, locs = sitemap_urls(response.body)
        if kind == "sitemapindex":
            children = [u for u in map(clean_url, locs) if u and state.site.same_host(u)]
            for url in children[:MAX_CHILD_SITEMAPS]:
                self._push(state, url, 0, "sitemap_xml")
        elif kind == "urlset":
            for url in map(clean_url, locs):
                rank = score(url) if url else None
                if rank is not None:
                    self._push(state, url, 1, "sitemap", rank, discovered_from=response.url, topic=topic(rank))
        yield from self._advance(state)

    def failed(self, failure):
        request = failure.request
        entry: Entry = request.meta["entry"]
        state = self.sites[entry.site_key]
        if not request.meta.get("from_store"):
            error_class, message, status = classify(failure)
            # a missing sitemap or platform path is not a failure of the shop
            if entry.kind in ("home", "link", "sitemap"):
                yield FailureItem(scan_id=self.scan_id, site_key=entry.site_key, url=entry.url,
                                  error_class=error_class, error_message=message, fetched_at=_now(),
                                  depth=entry.depth, discovered_from=entry.discovered_from, http_status=status)
        else:
            error_class = request.meta.get("stored_error_class")
        if entry.kind == "home" and error_class not in _UNREACHABLE:
            self._push_extras(state, entry.url)
        yield from self._advance(state)
