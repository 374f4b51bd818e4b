"""Settings of the crawler: only what differs from Scrapy's defaults, each with the reason.

Our own settings carry the COMPLIANCE_ prefix. Any of them can be overridden per run with
``scrapy crawl terms -s NAME=value`` or by ``compliance.scan.run_scan``.
"""
from compliance import fetch as _fetch  # lower-case: not taken as a setting

BOT_NAME = "tw-retail-compliance"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Say who we are and where to complain (the project URL): an inspection is not anonymous
# scraping. The same identity as `check URL` (compliance/fetch.py).
USER_AGENT = _fetch.USER_AGENT

# Respect each shop's robots.txt; a page it forbids is recorded as robots_disallowed, not fetched.
ROBOTSTXT_OBEY = True

# One request at a time per shop, with a pause: a scan must never burden a small shop's server.
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
# ...and slow down further when a server answers slowly.
AUTOTHROTTLE_ENABLED = True

# Items are written one at a time anyway (one writer into the log): Scrapy's default of 100 starts a
# hundred idle worker tasks for every response, which costs more CPU than the pages' own handling.
CONCURRENT_ITEMS = 1

# A policy page that has not answered in 20 s will not; Scrapy's 180 s would stall a scan.
# The same limit as `check URL`.
DOWNLOAD_TIMEOUT = _fetch.TIMEOUT

# Retry only what may be transient (timeouts, dropped connections, 5xx, 429); a DNS failure or a
# 404 will not change in a second.
RETRY_TIMES = 2
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.TimeoutError",
    "twisted.internet.error.TCPTimedOutError",
    "twisted.internet.error.ConnectionRefusedError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    "twisted.web._newclient.ResponseFailed",
]

# The same cap as `check` and compliance.extract: a terms page is kilobytes, 20 MB is not one.
DOWNLOAD_MAXSIZE = _fetch.MAX_BYTES

# Home page = 0, the policy pages it links to = 1, one more hop (a 購物說明 index to its sub-pages).
# The spider applies it to its own per-site queue (requests are handed to the engine one at a time).
DEPTH_LIMIT = 2

# Progress lines, not every request: a scan of many shops logs thousands of them.
LOG_LEVEL = "INFO"

# No open ports during a scan: neither the telnet console nor the remote-control HTTP server.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Serve pages already in the log instead of fetching them again when a scan is resumed; and give
# every origin (host:port) its own download slot, so that the per-shop limits above hold per shop
# and different shops are crawled side by side (Scrapy's slots are per host name).
DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.OriginSlotMiddleware": 40,
                          "crawler.middlewares.StoredPageMiddleware": 50}
# Extract text and write pages, failures and verdicts to the inspection log.
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
# no DEBUG line per page: the pages are in the inspection log (crawler/logformatter.py)
LOG_FORMATTER = "crawler.logformatter.QuietItems"

# The inspection log (SQLite) that the scan writes to.
COMPLIANCE_DB = "inspections.db"
# At most this many pages per shop (home page, links, sitemap entries, platform paths).
COMPLIANCE_MAX_PAGES_PER_SITE = 15
# Judge each site with the rule pack when its crawl ends; False only records pages.
COMPLIANCE_JUDGE = True
# The rule pack folder; None is the pack shipped in rules/.
COMPLIANCE_RULES = None
# Worker processes that extract pages' text and judge sites while the crawl goes on ("auto": one
# per spare CPU, at most 2; 0: in the crawl process). Only the crawl process writes to the log.
COMPLIANCE_WORKERS = "auto"
