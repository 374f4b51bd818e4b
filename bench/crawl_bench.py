"""Crawl speed and memory of a scan (issue 3 targets), in one run on a local bench site.

    python bench/crawl_bench.py                 # 200 shops x 5 pages; a table and bench/out/crawl.json
    python bench/crawl_bench.py -n 400          # a bigger site
    python bench/crawl_bench.py --repeat 5      # each crawl 5 times (default 3); medians reported

1. The bench site: ``bench/make_bench_sites.py`` writes N fictional shops of 5 pages each (home,
   服務條款, 購物須知, 退換貨政策, 隱私權政策; about one in ten in Big5) into bench/out/sites, served by
   tests/fixtures/demo_server.py on 127.0.0.1, one port (one origin) per shop, in a process of its own.
2. Raw crawl: a bare Scrapy spider fetches the same pages (every shop's 5 pages and its
   /sitemap.xml, robots.txt obeyed) and does nothing with them: no extraction, no log, no judging.
3. Full scan: ``compliance.scan.run_scan`` over the shops' home pages: discovery, fetching,
   extraction, the inspection log (SQLite) and judging of every site with the rule pack.

Both crawls run in a fresh process each with the same settings: the project's (crawler/settings.py:
CONCURRENT_REQUESTS 16, one request at a time per shop, one download slot per origin, robots.txt,
retries, size cap) except DOWNLOAD_DELAY 0 and AUTOTHROTTLE off, so that the figures measure our
processing and not the polite pauses a real scan makes. A rate is pages / seconds from the first
page received to the last page received (raw) or the last site judged (full); start-up is shown
apart. Peak memory is each process's maximum resident set (getrusage); the scan's is its crawl
process plus its worker processes (crawler/workers.py), the whole run's adds the site server and
this script: sums of peaks, so upper bounds.

Targets: full scan rate >= 0.8 x raw crawl rate; peak memory of the scan < 400 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
OUT = REPO / "bench" / "out"

TARGET_RATIO = 0.8
TARGET_MB = 400
BENCH_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"}


def _maxrss_mb(usage) -> float:
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def _child(mode: str, *args: str) -> tuple[dict, float, float]:
    """Run this script in ``mode`` in a fresh process: (its JSON answer, wall seconds, max RSS MB)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, f"--{mode}", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"bench {mode} run failed:\n{err[-3000:]}")
    answer = json.loads(out.strip().splitlines()[-1])
    return answer, wall, answer["maxrss_mb"]


# --- the site server (a child process) ----------------------------------------------------------

def serve_main(root: str) -> None:
    """Serve the bench tree; print {key: origin} once listening; stop when stdin closes."""
    import make_bench_sites

    with make_bench_sites.serve(Path(root)) as sites:
        print(json.dumps(sites.origins), flush=True)
        sys.stdin.read()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"maxrss_mb": _maxrss_mb(usage), "cpu_s": usage.ru_utime + usage.ru_stime}), flush=True)


# --- raw crawl (a child process) ----------------------------------------------------------------

def raw_main(urls_file: str) -> None:
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    urls = json.loads(Path(urls_file).read_text())
    seen: list[float] = []
    counts = {"pages": 0, "bytes": 0}

    class RawSpider(scrapy.Spider):
        name = "raw"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

        def parse(self, response):
            seen.append(time.perf_counter())
            if not response.url.endswith("/sitemap.xml"):
                counts["pages"] += 1
                counts["bytes"] += len(response.body)
            return None

        def failed(self, failure):  # the sitemaps are 404: the full scan sees the same
            seen.append(time.perf_counter())

    s = Settings()
    s.setmodule("crawler.settings", priority="project")
    s.set("ITEM_PIPELINES", {}, priority="cmdline")
    s.set("DOWNLOADER_MIDDLEWARES", {"crawler.middlewares.OriginSlotMiddleware": 40}, priority="cmdline")
    for key, value in BENCH_SETTINGS.items():
        s.set(key, value, priority="cmdline")
    process = CrawlerProcess(s, install_root_handler=False)
    crawler = process.create_crawler(RawSpider)
    opened: list[float] = []
    crawler.signals.connect(lambda **_: opened.append(time.perf_counter()), signal=signals.spider_opened, weak=False)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"pages": counts["pages"], "bytes": counts["bytes"],
                      "requests": stats.get("downloader/request_count", 0),
                      "span_s": seen[-1] - seen[0], "startup_s": seen[0] - opened[0],
                      "maxrss_mb": _maxrss_mb(usage), "cpu_s": usage.ru_utime + usage.ru_stime}))


# --- full scan (a child process) ----------------------------------------------------------------

def full_main(targets: str, db: str) -> None:
    from compliance.scan import run_scan
    from compliance.store import Store

    events: list[tuple[float, str]] = []
    started = time.perf_counter()
    scan_id = run_scan(targets, db, launched_by="bench", settings=BENCH_SETTINGS,
                       progress=lambda e: events.append((time.perf_counter(), e["event"])))
    with Store(db) as store:
        row = store.db.execute("SELECT count(*), sum(error_class IS NOT NULL), sum(length(raw_body)) "
                               "FROM pages WHERE scan_id = ?", [scan_id]).fetchone()
        judged = len(store.analyses(scan_id))
    from crawler.pipelines import worker_count

    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, ended by now
    print(json.dumps({"pages": row[0], "failed_pages": row[1], "bytes": row[2], "sites_judged": judged,
                      "span_s": events[-1][0] - events[0][0], "startup_s": events[0][0] - started,
                      "maxrss_mb": _maxrss_mb(usage), "cpu_s": usage.ru_utime + usage.ru_stime,
                      "workers": worker_count("auto"), "worker_maxrss_mb": _maxrss_mb(children),
                      "workers_cpu_s": children.ru_utime + children.ru_stime}))


# --- the bench ----------------------------------------------------------------------------------

def _median_run(runs: list[dict]) -> dict:
    """The run with the median rate (all its figures come from that one run)."""
    return sorted(runs, key=lambda r: r["pages_per_s"])[len(runs) // 2]


def run(n: int, seed: int, repeat: int = 3) -> dict:
    import yaml

    import make_bench_sites

    OUT.mkdir(parents=True, exist_ok=True)
    root = make_bench_sites.generate(OUT / "sites", n=n, seed=seed)
    manifest = yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8"))
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(root)], cwd=REPO, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        origins = json.loads(server.stdout.readline())
        urls, targets = [], OUT / "crawl-targets.csv"
        lines = ["name,url"]
        for shop in manifest["shops"]:
            origin = origins[shop["key"]]
            lines.append(f"{shop['key']},{origin}/")
            urls += [origin + page["path"] for page in shop["pages"]] + [origin + "/sitemap.xml"]
        targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
        urls_file = OUT / "crawl-urls.json"
        urls_file.write_text(json.dumps(urls))
        print(f"{n} shops x 5 pages on 127.0.0.1 ({len(origins)} origins); DOWNLOAD_DELAY 0, AutoThrottle off, "
              f"CONCURRENT_REQUESTS 16, 1 per shop, robots.txt obeyed, for both crawls", flush=True)
        raws, fulls = [], []
        for i in range(repeat):  # alternate, so that a busy moment of the machine hits both alike
            raw, raw_wall, _ = _child("raw", str(urls_file))
            raws.append(raw | {"wall_s": raw_wall, "pages_per_s": raw["pages"] / raw["span_s"]})
            db = OUT / "crawl-bench.db"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            full, full_wall, _ = _child("full", str(targets), str(db))
            fulls.append(full | {"wall_s": full_wall, "pages_per_s": full["pages"] / full["span_s"]})
            print(f"run {i + 1}/{repeat}: raw crawl {raws[-1]['pages_per_s']:.0f} pages/s, "
                  f"full scan {fulls[-1]['pages_per_s']:.0f} pages/s", flush=True)
    finally:
        server.stdin.close()
        tail = server.stdout.read().strip().splitlines()
        server.wait(timeout=30)
    served = json.loads(tail[-1]) if tail else {"maxrss_mb": None, "cpu_s": None}
    me = _maxrss_mb(resource.getrusage(resource.RUSAGE_SELF))
    raw = _median_run(raws)
    full = _median_run(fulls)
    raw_rate, full_rate = raw["pages_per_s"], full["pages_per_s"]
    full_mb = max(f["maxrss_mb"] for f in fulls)
    workers = full["workers"] * max(f["worker_maxrss_mb"] for f in fulls)
    peak_scan = full_mb + workers
    whole = peak_scan + (served["maxrss_mb"] or 0) + me
    return {
        "shops": n, "pages_per_shop": 5, "seed": seed, "settings": BENCH_SETTINGS | {"CONCURRENT_REQUESTS": 16},
        "cpus": os.cpu_count(), "repeat": repeat, "raw": raw, "full": full, "raw_runs": raws, "full_runs": fulls,
        "ratio": full_rate / raw_rate,
        "server": served, "bench_script_maxrss_mb": me,
        "peak_scan_process_mb": peak_scan, "peak_whole_run_upper_bound_mb": whole,
        "targets": {"ratio": TARGET_RATIO, "memory_mb": TARGET_MB},
        "ok": {"ratio": full_rate / raw_rate >= TARGET_RATIO, "memory": whole < TARGET_MB},
    }


def table(r: dict) -> str:
    raw, full = r["raw"], r["full"]
    rows = [
        (f"median of {r['repeat']} runs", "raw crawl", "full scan"),
        ("pages", f"{raw['pages']}", f"{full['pages']} ({full['failed_pages'] or 0} failed)"),
        ("requests", f"{raw['requests']}", "-"),
        ("sites judged", "-", f"{full['sites_judged']}"),
        ("crawl span (s)", f"{raw['span_s']:.2f}", f"{full['span_s']:.2f}"),
        ("start-up (s)", f"{raw['startup_s']:.2f}", f"{full['startup_s']:.2f}"),
        ("process wall (s)", f"{raw['wall_s']:.2f}", f"{full['wall_s']:.2f}"),
        ("CPU (s)", f"{raw['cpu_s']:.2f}", f"{full['cpu_s']:.2f}"),
        ("pages/s", f"{raw['pages_per_s']:.1f}", f"{full['pages_per_s']:.1f}"),
        ("max RSS (MB)", f"{raw['maxrss_mb']:.0f}", f"{full['maxrss_mb']:.0f}"),
        ("worker processes", "-", f"{full['workers']} x max RSS {full['worker_maxrss_mb']:.0f} MB, "
                                  f"CPU {full['workers_cpu_s']:.2f} s"),
    ]
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(c.ljust(width[i]) for i, c in enumerate(row)) for row in rows]
    served = r["server"]
    lines.append("")
    lines.append(f"site server: max RSS {served['maxrss_mb']:.0f} MB, CPU {served['cpu_s']:.1f} s; "
                 f"this script: {r['bench_script_maxrss_mb']:.0f} MB")
    mark = lambda ok: "OK" if ok else "BELOW TARGET"  # noqa: E731
    lines.append("all runs, pages/s: raw " + ", ".join(f"{x['pages_per_s']:.0f}" for x in r["raw_runs"])
                 + "; full " + ", ".join(f"{x['pages_per_s']:.0f}" for x in r["full_runs"]))
    lines.append(f"full / raw = {r['ratio']:.2f} (target >= {TARGET_RATIO}) {mark(r['ok']['ratio'])}"
                 f" on {r['cpus']} CPUs shared by the site server, the crawl and its workers")
    lines.append(f"peak memory: scan (crawl process + workers) <= {r['peak_scan_process_mb']:.0f} MB; whole run "
                 f"(server + scan + this script) <= {r['peak_whole_run_upper_bound_mb']:.0f} MB "
                 f"(target < {TARGET_MB}) {mark(r['ok']['memory'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=200, help="number of shops (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="bench site seed (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each crawl; the median is reported (default: %(default)s)")
    parser.add_argument("--serve", metavar="ROOT", help=argparse.SUPPRESS)
    parser.add_argument("--raw", metavar="URLS", help=argparse.SUPPRESS)
    parser.add_argument("--full", nargs=2, metavar=("TARGETS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_main(args.serve)
        return 0
    if args.raw:
        raw_main(args.raw)
        return 0
    if args.full:
        full_main(*args.full)
        return 0
    if args.n < 200:
        print(f"note: {args.n} shops is below the 200 of the issue's target", file=sys.stderr)
    result = run(args.n, args.seed, max(1, args.repeat))
    print()
    print(table(result))
    out = OUT / "crawl.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
