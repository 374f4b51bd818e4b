"""Scan orchestration: crawl the target list into the inspection log, judge each site, re-judge later.

    scan_id = run_scan("shops.csv", "inspections.db", launched_by="inspector")
    run_scan(None, "inspections.db", resume_scan_id=scan_id)     # finish an interrupted scan
    analyze("inspections.db", scan_id)                           # re-judge under the current rules

Scrapy is imported inside ``run_scan`` only: the engine and the log never need it
(docs/architecture.md). A Twisted reactor runs once per process, so call ``run_scan`` once per
process (the CLI does).
"""
from __future__ import annotations

import getpass
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from compliance.store import Store


class ScanError(Exception):
    """The scan could not be started or did not run."""


class ScanInterrupted(ScanError):
    """The crawl stopped before every site was judged (Ctrl-C, a CLOSESPIDER limit); resume it."""

    def __init__(self, scan_id: int, reason: str):
        super().__init__(f"scan {scan_id} stopped before it ended ({reason}); "
                         f"resume it with run_scan(None, db, resume_scan_id={scan_id})")
        self.scan_id = scan_id
        self.reason = reason


def _failure_message(pages: list[dict]) -> str:
    if not pages:
        return "未取得本網站任何頁面，無法判斷；不得視為符合。"
    counts = Counter(p["error_class"] or "no_text" for p in pages)
    what = "；".join(f"{cls} {n} 頁" for cls, n in sorted(counts.items()))
    return f"本網站頁面均無法讀取（{what}），無法判斷；不得視為符合。"


def judge_site(store: Store, scan_id: int, site_key: str, name: str, pack=None) -> int:
    """Judge one site from its stored pages and record the verdict; returns the analysis id.
    A site none of whose pages could be read gets `error` for every rule, never `pass`."""
    from compliance.engine import check_documents, error_report

    docs = store.documents_for_site(scan_id, site_key)
    if docs:
        report = check_documents(docs, target_kind="site", target_name=name, pack=pack)
    else:
        report = error_report([], target_kind="site", target_name=name, pack=pack,
                              message=_failure_message(store.pages_for_site(scan_id, site_key)))
    return store.add_analysis(scan_id, site_key, report)


def analyze(db_path: str | Path, scan_id: int | None = None, *, rules_path: str | Path | None = None) -> list[int]:
    """Re-judge every site of a scan (default: the latest) from its stored pages under the current
    rule pack. The new results are added beside the old ones; returns the new analysis ids."""
    from compliance.rules import load_pack

    pack = load_pack(rules_path)
    with Store(db_path) as store:
        if scan_id is None:
            scan_id = store.latest_scan_id()
            if scan_id is None:
                raise ScanError(f"{db_path} 尚無任何掃描，請先執行 scan")
        store.scan(scan_id)
        return [judge_site(store, scan_id, s["site_key"], s["name"] or s["site_key"], pack)
                for s in store.sites(scan_id)]


def _event(item: Any) -> dict:
    from crawler.items import FailureItem, PageItem

    kind = "page" if isinstance(item, PageItem) else "failure" if isinstance(item, FailureItem) else "site_done"
    event = {"event": kind, "site_key": item.site_key}
    if kind != "site_done":
        event["url"] = item.url
    if kind == "failure":
        event["error_class"] = item.error_class
    return event


def run_scan(targets_path: str | Path | None, db_path: str | Path = "inspections.db", *, obey_robots: bool = True,
             launched_by: str | None = None, resume_scan_id: int | None = None,
             progress: Callable[[dict], None] | None = None, settings: dict | None = None) -> int:
    """Crawl the targets (or resume scan ``resume_scan_id``), judge each site, return the scan id.

    ``progress`` is called with {"event": "page"|"failure"|"site_done", "site_key", "url",
    "error_class"} as the crawl goes. ``settings`` overrides crawler settings (e.g.
    {"COMPLIANCE_MAX_PAGES_PER_SITE": 5}). A resumed scan keeps the robots.txt choice it started
    with. A crawl that stops early (the first Ctrl-C lets the requests under way finish, records
    them and marks the scan interrupted) raises ``ScanInterrupted`` with the scan id to resume.
    """
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.terms import TermsSpider

    if resume_scan_id is None and targets_path is None:
        raise ScanError("請提供目標清單，或要接續之掃描編號")
    if resume_scan_id is not None:
        with Store(db_path) as store:
            obey_robots = store.scan(resume_scan_id)["options"].get("robots_obeyed", True)
    s = Settings()
    s.setmodule("crawler.settings", priority="project")
    s.set("ROBOTSTXT_OBEY", obey_robots, priority="cmdline")
    s.set("COMPLIANCE_DB", str(db_path), priority="cmdline")
    for key, value in (settings or {}).items():
        s.set(key, value, priority="cmdline")
    process = CrawlerProcess(s)
    crawler = process.create_crawler(TermsSpider)
    if progress is not None:
        crawler.signals.connect(lambda item, **_: progress(_event(item)), signal=signals.item_scraped, weak=False)
    closed: list[str] = []
    crawler.signals.connect(lambda reason, **_: closed.append(reason), signal=signals.spider_closed, weak=False)
    errors = []
    done = process.crawl(crawler, targets=str(targets_path) if targets_path else None, scan_id=resume_scan_id,
                         launched_by=launched_by or getpass.getuser())
    done.addErrback(errors.append)
    process.start()
    if errors:
        exc = errors[0].value
        if isinstance(exc, Exception) and type(exc).__module__.startswith("compliance"):
            raise exc
        raise ScanError(f"爬蟲未能執行：{exc}") from exc
    spider = crawler.spider
    if spider is None or not getattr(spider, "scan_id", None):
        raise ScanError("爬蟲未能啟動")
    if closed != ["finished"]:  # stopped early, or forced (a second Ctrl-C): no close at all
        raise ScanInterrupted(spider.scan_id, closed[0] if closed else "killed")
    return spider.scan_id
