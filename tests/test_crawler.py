"""The crawler against local servers on 127.0.0.1 (never the internet): discovery, failures, resume.

Each crawl runs `scrapy crawl terms` in a subprocess (a Twisted reactor runs once per process).
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from twisted.python.failure import Failure

from compliance.store import Store
from compliance.targets import Site, parse_targets, site_key
from crawler.discovery import clean_url, find_links, score, sitemap_urls
from crawler.errors import classify
from pdf_fixture import make_pdf

REPO = Path(__file__).resolve().parent.parent
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 2, "RETRY_TIMES": 0,
        "LOG_LEVEL": "INFO"}
HTML = "text/html"


# --- a local web site -----------------------------------------------------------------------

class LocalSite:
    """A web server on 127.0.0.1:<free port> serving ``routes``: path -> (status, headers, body)."""

    def __init__(self, routes: dict):
        self.routes = routes
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits.append(self.path)
                status, headers, body = site.routes.get(self.path, (404, {"Content-Type": HTML}, b"not found"))
                if callable(body):
                    body = body()
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (ConnectionResetError, BrokenPipeError):
                    pass  # the crawler gave up first (timeout, size cap): expected

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    sites = []

    def start(routes):
        sites.append(LocalSite(routes))
        return sites[-1]

    yield start
    for s in sites:
        s.close()


def free_port() -> int:
    """A port nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page(body: str, title: str = "好物商店", charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>{title}</title></head><body>{body}</body></html>"


def html(text: str, encoding: str = "utf-8", header_charset: str | None = None):
    ctype = f"text/html; charset={header_charset}" if header_charset else HTML
    return (200, {"Content-Type": ctype}, text.encode(encoding))


def crawl(*args: str, **settings) -> subprocess.CompletedProcess:
    """`scrapy crawl terms -a key=value … -s NAME=value …` from the repo root."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "terms"]
    for arg in args:
        cmd += ["-a", arg]
    for k, v in {**FAST, **settings}.items():
        cmd += ["-s", f"{k}={v}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    # errors in our callbacks, pipeline or signal handlers (Scrapy itself logs a traceback for an
    # unreachable robots.txt, which is expected here)
    for sign in ("Spider error processing", "Error processing", "Error caught on signal handler",
                 "Unhandled error", "Task exception was never retrieved"):
        assert sign not in proc.stderr, proc.stderr[-5000:]
    return proc


def pages(db: Path, scan_id: int = 1) -> dict[str, dict]:
    with Store(db) as store:
        rows = store.db.query("SELECT * FROM pages WHERE scan_id = ? ORDER BY id", [scan_id])
        return {r["url"]: r for r in rows}


# --- target lists ---------------------------------------------------------------------------

def test_targets_csv_utf8_with_header():
    data = ("name,url\n好物商店,https://www.shop.example/\n# 註解\n\n壞的,ftp://shop.example/\n"
            "沒網址,\n亂寫,not a url\n重複,https://shop.example/\n市集店,https://market.example/shops/good\n"
            "裸網域,other.example.com.tw\n").encode("utf-8")
    rows = parse_targets(data)
    assert [(r.position, r.name, r.site_key, r.rejected_reason is None) for r in rows] == [
        (2, "好物商店", "shop.example", True), (5, "壞的", None, False), (6, "沒網址", None, False),
        (7, "亂寫", None, False), (8, "重複", "shop.example", False),
        (9, "市集店", "market.example/shops/good", True), (10, "裸網域", "other.example.com.tw", True)]
    assert "ftp" in rows[1].rejected_reason and "empty" in rows[2].rejected_reason
    assert "not a URL" in rows[3].rejected_reason and "duplicate of line 2" in rows[4].rejected_reason
    assert rows[-1].url == "http://other.example.com.tw/"


def test_targets_big5_without_header_and_plain_list():
    rows = parse_targets("好物商店,https://shop.example/\n碁盤專賣,https://go.example/\n".encode("cp950"))
    assert [(r.name, r.url) for r in rows] == [("好物商店", "https://shop.example/"),
                                               ("碁盤專賣", "https://go.example/")]
    rows = parse_targets(b"https://a.example/\nhttps://b.example/terms.html\n")
    assert [(r.name, r.site_key) for r in rows] == [("a.example", "a.example"), ("b.example", "b.example")]
    rows = parse_targets("網址,名稱\nhttps://a.example/,甲店\n".encode("utf-8"))
    assert [(r.name, r.url) for r in rows] == [("甲店", "https://a.example/")]


def test_site_scope():
    site = Site.from_url("https://market.example/shops/good/", "好物")
    assert site.key == "market.example/shops/good"
    assert site.contains("https://www.market.example/shops/good/terms")
    assert site.contains("http://market.example/shops/good")
    assert not site.contains("https://market.example/shops/other/terms")
    assert not site.contains("https://elsewhere.example/shops/good/terms")
    root = Site.from_url("https://shop.example/index.php")
    assert root.prefix == "/" and root.contains("https://shop.example/anything")
    root.add_host("https://shop2.example/")
    assert root.contains("https://shop2.example/terms")
    assert site_key("http://127.0.0.1:8080/") == "127.0.0.1:8080"


# --- discovery ------------------------------------------------------------------------------

def test_discovery_keywords_and_links():
    assert score("https://s.example/a", "服務條款") == 0
    assert score("https://s.example/pages/refund-policy") is not None
    assert score("https://s.example/%E9%80%80%E8%B2%A8") is not None  # /退貨, percent-encoded
    assert score("https://s.example/products/123", "新品上市") is None
    assert clean_url("https://s.example/terms#top") == "https://s.example/terms"
    assert clean_url("https://s.example/logo-terms.png") is None and clean_url("mailto:a@b") is None
    body = page('<base href="/zh/"><a href="terms">會員條款</a><a href="javascript:x()">退貨</a>'
                '<a href="#x">常見問題</a><area href="/faq" alt="常見問題">').encode("cp950")
    assert find_links(body, HTML, "https://s.example/") == [("https://s.example/zh/terms", "會員條款"),
                                                            ("https://s.example/faq", "常見問題")]


def test_sitemap_parsing():
    xml = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>https://s.example/a</loc></url><url><loc>https://s.example/b</loc></url></urlset>")
    assert sitemap_urls(xml) == ("urlset", ["https://s.example/a", "https://s.example/b"])
    assert sitemap_urls(b"") == ("", [])


# --- failure classes ------------------------------------------------------------------------

def _failure(exc, request=None):
    f = Failure(exc)
    f.request = request or Request("http://127.0.0.1/x")
    return f


@pytest.mark.parametrize("exc,expected", [
    (DNSLookupError("nope.invalid"), "dns"),
    (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
    (ConnectionRefusedError(), "connection"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed"),
    (DownloadCancelledError("Expected to receive 5007 bytes which is larger than download max size"),
     "too_large"),
])
def test_classify(exc, expected):
    assert classify(_failure(exc))[0] == expected


@pytest.mark.parametrize("status,expected", [(404, "http_4xx"), (403, "http_4xx"), (503, "http_5xx")])
def test_classify_http(status, expected):
    response = Response("http://127.0.0.1/x", status=status)
    assert classify(_failure(HttpError(response, "bad")))[:3:2] == (expected, status)


# --- a whole crawl --------------------------------------------------------------------------

TERMS = "<h1>服務條款</h1><p>第一條 本公司為好物股份有限公司。</p><p>消費者得於收受商品後七日內退貨。</p>"


def shop_routes() -> dict:
    home = page("""
      <nav><a href="/products">全部商品</a><a href="/terms">服務條款(選單)</a></nav>
      <main><p>歡迎光臨好物商店</p>
        <a href="/terms">服務條款</a> <a href="/returns">退換貨說明</a> <a href="/privacy">隱私權政策</a>
        <a href="/faq">常見問題</a> <a href="/about">關於我們</a> <a href="/contact-us">聯絡我們</a>
        <a href="/terms.pdf">購物須知(PDF)</a> <a href="/refund-banner">退款</a> <a href="/policy-old">舊條款</a>
        <a href="/return-big">退貨大檔</a> <a href="/refund-binary">退款(下載)</a> <a href="/return-slow">退貨慢</a>
        <a href="https://elsewhere.invalid/terms">他站條款</a></main>
      <footer class="contact">好物股份有限公司 電話：02-1234-5678</footer>""", charset="big5")
    return {
        "/": html(home, "cp950"),
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /privacy\n"),
        "/terms": html(page(TERMS + '<a href="/terms/detail">購物說明細則</a>'), "cp950", header_charset="utf-8"),
        "/terms/detail": html(page('<p>細則：退款於十五日內。</p><a href="/terms/detail/more">退款更多</a>')),
        "/terms/detail/more": html(page("<p>depth 3: never fetched</p>")),
        "/returns": html(page("<p>退換貨：請於七日內申請。</p>")),
        "/faq": html(page("<script>render()</script>")),
        "/about": (301, {"Location": "/about-us"}, b""),
        "/about-us": html(page("<p>關於我們：好物股份有限公司。</p>")),
        "/terms.pdf": (200, {"Content-Type": "application/pdf"}, make_pdf(["購物須知", "退貨須於七日內辦理"])),
        "/refund-banner": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + bytes(300)),
        "/refund-binary": (200, {"Content-Type": "application/octet-stream"}, b"\x01\x02\x00\x03" * 100),
        "/return-big": html(page("<p>" + "大" * 3000 + "</p>")),
        "/return-slow": (200, {"Content-Type": HTML}, lambda: time.sleep(3) or b"<p>late</p>"),
        "/policy-old": (500, {"Content-Type": HTML}, b"error"),
        "/pages/terms": html(page("<p>平台條款頁：會員條款。</p>")),  # never fetched: /terms was
        "/policies/privacy-policy": html(page("<p>平台隱私權政策頁。</p>")),  # /privacy is robots-forbidden
        "/sitemap.xml": (200, {"Content-Type": "application/xml"},
                         b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         b"<url><loc>URL/products/1</loc></url><url><loc>URL/help/refund-rules</loc></url>"
                         b"</urlset>"),
        "/help/refund-rules": html(page("<p>退款規則：原路退回。</p>")),
    }


def serve_shop(serve):
    routes = shop_routes()
    site = serve(routes)
    status, headers, body = routes["/sitemap.xml"]
    routes["/sitemap.xml"] = (status, headers, body.replace(b"URL/", site.url.encode()))
    return site


SHOP_SETTINGS = {"COMPLIANCE_JUDGE": False, "DOWNLOAD_MAXSIZE": 2000, "COMPLIANCE_MAX_PAGES_PER_SITE": 40}


def write_targets(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "shops.csv"
    lines = ["name,url"] + [f"商店{i},{u}" for i, u in enumerate(urls, 1)] + ["壞列,ftp://nope/"]
    path.write_bytes("\n".join(lines).encode("cp950"))
    return path


def test_crawl_records_pages_and_failures(serve, tmp_path):
    shop = serve_shop(serve)
    dead = f"http://127.0.0.1:{free_port()}/"
    targets = write_targets(tmp_path, shop.url, dead)
    db = tmp_path / "log.db"
    crawl(f"targets={targets}", f"db={db}", **SHOP_SETTINGS)
    got = pages(db)
    u = shop.url
    assert got[u]["depth"] == 0 and "好物股份有限公司" in got[u]["text"]  # the home page and its footer
    assert "全部商品" not in got[u]["text"]  # nav dropped
    assert got[u + "terms"]["encoding"] == "cp950" and "七日內退貨" in got[u + "terms"]["text"]
    assert got[u + "terms/detail"]["depth"] == 2 and got[u + "terms/detail"]["discovered_from"] == u + "terms"
    assert got[u + "about"]["final_url"] == u + "about-us" and "關於我們" in got[u + "about"]["text"]
    assert got[u + "terms.pdf"]["kind"] == "pdf" and "退貨須於七日內辦理" in got[u + "terms.pdf"]["text"]
    # a platform path is probed only for a topic the shop has shown no page of: its /privacy link
    # is forbidden by robots.txt, so the privacy paths are tried; its /terms link answered, so the
    # terms paths are not
    assert got[u + "policies/privacy-policy"]["discovered_from"] is None
    assert "/pages/terms" not in shop.hits and "/policies/terms-of-service" not in shop.hits
    assert "/about/privacy" not in shop.hits  # the first privacy path answered
    assert got[u + "help/refund-rules"]["discovered_from"] == u + "sitemap.xml"
    errors = {url[len(u):]: r["error_class"] for url, r in got.items() if url.startswith(u) and r["error_class"]}
    assert errors == {"privacy": "robots_disallowed", "faq": "empty_text", "refund-banner": "not_html",
                      "refund-binary": "decode_error", "return-big": "too_large", "return-slow": "timeout",
                      "policy-old": "http_5xx", "contact-us": "http_4xx"}
    assert got[u + "faq"]["raw_body"] and got[u + "privacy"]["raw_body"] is None
    assert got[dead]["error_class"] == "connection"
    for never in ("products", "products/1", "terms/detail/more", "contact"):
        assert u + never not in got
    assert "/products" not in shop.hits and "/terms/detail/more" not in shop.hits
    assert not any(url.startswith("https://elsewhere") for url in got)
    with Store(db) as store:
        scan = store.scan(1)
        assert scan["status"] == "finished" and scan["options"]["robots_obeyed"] is True
        assert [t["rejected_reason"] is None for t in store.targets(1)] == [True, True, False]
        assert store.analyses(1) == []  # judging was off


def test_page_cap_and_robots_off(serve, tmp_path):
    links = "".join(f'<a href="/terms-{i}">服務條款{i}</a>' for i in range(10))
    routes = {"/": html(page(links)), "/robots.txt": (200, {}, b"User-agent: *\nDisallow: /\n")}
    routes.update({f"/terms-{i}": html(page(f"<p>條款 {i}</p>")) for i in range(10)})
    shop = serve(routes)
    db = tmp_path / "log.db"
    crawl(f"targets={write_targets(tmp_path, shop.url)}", f"db={db}", COMPLIANCE_JUDGE=False,
          COMPLIANCE_MAX_PAGES_PER_SITE=4, ROBOTSTXT_OBEY=False)
    assert list(pages(db)) == [shop.url] + [f"{shop.url}terms-{i}" for i in range(3)]
    with Store(db) as store:
        assert store.scan(1)["options"]["robots_obeyed"] is False


def test_marketplace_shop_is_its_path_and_follows_its_home_redirect(serve, tmp_path):
    links = ('<a href="/shops/good/terms">服務條款</a><a href="/shops/other/terms">別家服務條款</a>'
             '<a href="/terms">市集服務條款</a>')
    routes = {"/shops/good/terms": html(page("<p>好店條款</p>")),
              "/shops/other/terms": html(page("<p>別家</p>")), "/terms": html(page("<p>市集</p>"))}
    market = serve(routes)
    port = market.url.rsplit(":", 1)[1].strip("/")
    routes["/shops/good/"] = (302, {"Location": f"http://127.0.0.1:{port}/shops/good/index.html"}, b"")
    routes["/shops/good/index.html"] = html(page(links))
    db = tmp_path / "log.db"
    crawl(f"targets={write_targets(tmp_path, f'http://localhost:{port}/shops/good/')}", f"db={db}",
          COMPLIANCE_JUDGE=False)
    got = pages(db)
    assert sorted(got) == [f"http://127.0.0.1:{port}/shops/good/terms", f"http://localhost:{port}/shops/good/"]
    assert got[f"http://localhost:{port}/shops/good/"]["final_url"] == f"http://127.0.0.1:{port}/shops/good/index.html"
    assert {r["site_key"] for r in got.values()} == {f"localhost:{port}/shops/good"}
    # platform paths under the shop's path, for the topics it has no page of (it has 服務條款)
    assert "/shops/good/policies/refund-policy" in market.hits and "/policies/refund-policy" not in market.hits
    assert "/shops/good/pages/terms" not in market.hits


def _comparable(db: Path) -> list[tuple]:
    return sorted((r["url"], r["final_url"], r["http_status"], r["sha256"], r["text"], r["error_class"],
                   r["depth"], r["discovered_from"]) for r in pages(db).values())


def _log_rows(db: Path) -> dict[str, list]:
    """Every row a scan writes, without ids, timestamps and timings: what must not depend on
    whether the scan was interrupted."""
    with Store(db) as store:
        q = lambda sql: [tuple(r.values()) for r in store.db.query(sql)]  # noqa: E731
        return {
            "pages": sorted(q("SELECT site_key, url, final_url, http_status, encoding, content_type, kind, sha256, "
                              "text, text_sha256, title, error_class, error_message, depth, discovered_from "
                              "FROM pages")),
            "targets": q("SELECT position, name, url, site_key, rejected_reason FROM targets ORDER BY position"),
            "analyses": sorted(q("SELECT site_key, rulepack_id, rulepack_version, tool, target, summary "
                                 "FROM analyses")),
            "results": sorted(q("SELECT r.site_key, r.position, r.rule_id, r.status, r.severity, r.confidence, "
                                "r.message, r.evidence, r.result FROM results r")),
        }


def _verdicts(db: Path) -> dict[str, list[list[tuple]]]:
    with Store(db) as store:
        out: dict[str, list] = {}
        for a in store.analyses(1):
            out.setdefault(a["site_key"], []).append([(r["rule_id"], r["status"]) for r in store.results(a["id"])])
        return out


class Gate:
    """A page body that holds its request until opened: the crawl is midway while it waits."""

    def __init__(self, body: bytes):
        self.body = body
        self.reached = threading.Event()
        self.opened = threading.Event()
        self.opened.set()

    def __call__(self) -> bytes:
        self.reached.set()
        self.opened.wait(30)
        return self.body

    def close(self) -> None:
        self.reached.clear()
        self.opened.clear()

    def open(self) -> None:
        self.opened.set()


# The gate may hold a request for a while: no timeouts in a resume test (and no slow page)
GATED = {"DOWNLOAD_TIMEOUT": 60}


def gated_shop(serve) -> tuple[LocalSite, Gate]:
    """The test shop, with /returns (the 4th page of its queue) held behind a gate."""
    site = serve_shop(serve)
    del site.routes["/return-slow"]
    status, headers, body = site.routes["/returns"]
    gate = Gate(body)
    site.routes["/returns"] = (status, headers, gate)
    return site, gate


def crawl_cmd(*args: str, **settings) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "terms"]
    for arg in args:
        cmd += ["-a", arg]
    for k, v in {**FAST, **settings}.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def _stored_count(db: Path) -> int:
    """Pages in a log another process is writing (read-only: opening a Store would migrate it)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def stop_at_gate(cmd: list[str], gate: Gate, sig: int, db: Path, stored: int) -> subprocess.CompletedProcess:
    """Run ``cmd`` until the shop's gated page is requested and ``stored`` pages are in the log
    (text extraction runs in worker processes, a little behind the fetching), then send ``sig``."""
    gate.close()
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert gate.reached.wait(120), "the crawl never reached the gated page"
        deadline = time.monotonic() + 60
        while _stored_count(db) < stored and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(sig)
        if sig == signal.SIGINT:  # a graceful stop waits for the request under way: let it answer
            gate.open()
        out, err = proc.communicate(timeout=120)
    finally:
        gate.open()
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_resume_writes_exactly_the_missing_rows(serve, tmp_path):
    """A crawl killed midway (SIGKILL: no cleanup at all), then resumed, ends with exactly the rows
    of the uninterrupted crawl: pages, failures, targets, analyses and results."""
    shop, gate = gated_shop(serve)
    dead = f"http://127.0.0.1:{free_port()}/"
    targets = write_targets(tmp_path, shop.url, dead)
    judged = {**SHOP_SETTINGS, **GATED, "COMPLIANCE_JUDGE": True, "COMPLIANCE_RULES": frozen_pack(tmp_path)}
    whole, parts = tmp_path / "whole.db", tmp_path / "parts.db"
    crawl(f"targets={targets}", f"db={whole}", **judged)
    proc = stop_at_gate(crawl_cmd(f"targets={targets}", f"db={parts}", **judged), gate, signal.SIGKILL, parts, 3)
    assert proc.returncode == -signal.SIGKILL
    with Store(parts) as store:
        assert store.scan(1)["status"] == "running"  # killed: nobody said how it ended
        first = store.stored_urls(1)
        assert not [a for a in store.analyses(1) if a["site_key"] == site_key(shop.url)]
    assert shop.url in first and shop.url + "returns" not in first
    assert 0 < len(first) < len(pages(whole))
    crawl("scan_id=1", f"db={parts}", **judged)
    assert _log_rows(parts) == _log_rows(whole)
    crawl("scan_id=1", f"db={parts}", **judged)  # again: nothing left to do
    assert _log_rows(parts) == _log_rows(whole)
    verdicts = _verdicts(whole)
    assert sorted(verdicts) == sorted([site_key(shop.url), site_key(dead)])
    assert all(len(v) == 1 for v in verdicts.values())  # one analysis per site
    with Store(parts) as store:
        assert store.scan(1)["status"] == "finished"
        assert [r["status"] for r in store.scan_runs(1)] == ["interrupted", "finished", "finished"]


def test_ctrl_c_on_scan_leaves_a_resumable_scan_and_says_how(serve, tmp_path):
    shop, gate = gated_shop(serve)
    targets = write_targets(tmp_path, shop.url)
    whole, parts = tmp_path / "whole.db", tmp_path / "parts.db"
    crawl(f"targets={targets}", f"db={whole}", **SHOP_SETTINGS, **GATED)
    overrides = [a for k, v in {**FAST, **SHOP_SETTINGS, **GATED}.items() for a in ("-s", f"{k}={v}")]
    cli = [sys.executable, "-m", "compliance", "scan"]
    proc = stop_at_gate(cli + [str(targets), "--db", str(parts), *overrides], gate, signal.SIGINT, parts, 1)
    assert proc.returncode == 130, proc.stderr[-3000:]
    assert f"python -m compliance scan --resume 1 --db {parts}" in proc.stderr
    assert "Traceback" not in proc.stderr
    with Store(parts) as store:
        assert store.scan(1)["status"] == "interrupted"
        assert shop.url + "returns" in store.stored_urls(1)  # the request under way was finished
        assert len(store.stored_urls(1)) < len(pages(whole))
    done = subprocess.run(cli + ["--resume", "1", "--db", str(parts), *overrides], cwd=tmp_path,
                          capture_output=True, text=True, timeout=180, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert _comparable(parts) == _comparable(whole)
    with Store(parts) as store:
        assert store.scan(1)["status"] == "finished"
        assert [r["status"] for r in store.scan_runs(1)] == ["interrupted", "finished"]


def test_worker_processes_change_nothing_in_the_log(serve, tmp_path):
    """Extraction and judging in worker processes (the default) write exactly what the crawl
    process writes doing them itself (COMPLIANCE_WORKERS=0)."""
    shop = serve_shop(serve)
    targets = write_targets(tmp_path, shop.url, f"http://127.0.0.1:{free_port()}/")
    judged = {**SHOP_SETTINGS, "COMPLIANCE_JUDGE": True, "COMPLIANCE_RULES": frozen_pack(tmp_path)}
    crawl(f"targets={targets}", f"db={tmp_path / 'here.db'}", **judged, COMPLIANCE_WORKERS=0)
    crawl(f"targets={targets}", f"db={tmp_path / 'pool.db'}", **judged, COMPLIANCE_WORKERS=2)
    here = _log_rows(tmp_path / "here.db")
    assert here == _log_rows(tmp_path / "pool.db")
    assert len(here["analyses"]) == 2 and len(here["results"]) == 2 * 28


def _workers_of(pid: int) -> list[int]:
    """The pool's worker processes among ``pid``'s children (not its resource tracker)."""
    out = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"spawn_main" in cmdline:
            out.append(int(child))
    return out


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_a_worker_killed_midway_changes_nothing(serve, tmp_path):
    shop, gate = gated_shop(serve)
    targets = write_targets(tmp_path, shop.url)
    judged = {**SHOP_SETTINGS, **GATED, "COMPLIANCE_JUDGE": True, "COMPLIANCE_RULES": frozen_pack(tmp_path),
              "COMPLIANCE_WORKERS": 1}
    whole, parts = tmp_path / "whole.db", tmp_path / "parts.db"
    crawl(f"targets={targets}", f"db={whole}", **judged)
    gate.close()
    proc = subprocess.Popen(crawl_cmd(f"targets={targets}", f"db={parts}", **judged), cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert gate.reached.wait(120)
        deadline = time.monotonic() + 60
        while _stored_count(parts) < 3 and time.monotonic() < deadline:  # the workers have worked
            time.sleep(0.05)
        victims = _workers_of(proc.pid)
        assert victims
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        gate.open()
        out, err = proc.communicate(timeout=120)
    finally:
        gate.open()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    assert "a worker process died; starting new ones" in err
    assert _log_rows(parts) == _log_rows(whole)


def test_resume_refuses_a_different_robots_choice(tmp_path, serve):
    shop = serve({"/": html(page("<p>首頁</p>"))})
    db = tmp_path / "log.db"
    crawl(f"targets={write_targets(tmp_path, shop.url)}", f"db={db}", COMPLIANCE_JUDGE=False)
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "terms", "-a", "scan_id=1", "-a", f"db={db}",
                           "-s", "ROBOTSTXT_OBEY=False", "-s", "COMPLIANCE_JUDGE=False"], cwd=REPO,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert "ROBOTSTXT_OBEY=True" in proc.stderr


# --- judging (needs the rule pack) ----------------------------------------------------------

def rule_pack(tmp_path: Path) -> str:
    """The shipped pack, or (while it is being written) its rule files that exist so far."""
    from compliance.rules import RuleError, load_pack

    try:
        load_pack()
        return ""
    except RuleError:
        pass
    src = REPO / "rules" / "tw-retail-online"
    dst = tmp_path / "pack"
    shutil.copytree(src, dst)
    ids = sorted(p.name.split("-")[0] for p in dst.rglob("*.yaml") if p.name != "pack.yaml")
    if not ids:
        pytest.skip("no rule files yet")
    text = (dst / "pack.yaml").read_text(encoding="utf-8")
    head = text.split("order:")[0]
    (dst / "pack.yaml").write_text(head + f"order: [{', '.join(ids)}]\n", encoding="utf-8")
    try:
        load_pack(dst)
    except RuleError as e:
        pytest.skip(f"rule pack not loadable yet: {e}")
    return str(dst)


def frozen_pack(tmp_path: Path) -> str:
    """A copy of the pack for one test: the crawls it compares judge under the same rules."""
    src = rule_pack(tmp_path) or str(REPO / "rules" / "tw-retail-online")
    dst = tmp_path / "frozen-pack"
    shutil.copytree(src, dst)
    return str(dst)


def test_scan_judges_each_site_and_analyze_adds_results(serve, tmp_path):
    pack = rule_pack(tmp_path)
    shop = serve_shop(serve)
    dead = f"http://127.0.0.1:{free_port()}/"
    db = tmp_path / "log.db"
    script = f"""
import json, sys
from compliance.scan import run_scan
events = []
scan_id = run_scan({str(write_targets(tmp_path, shop.url, dead))!r}, {str(db)!r}, launched_by="tester",
                   progress=events.append, settings={{**{FAST!r}, "COMPLIANCE_RULES": {pack or None!r}}})
print(json.dumps({{"scan_id": scan_id, "events": events}}))
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=180, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["scan_id"] == 1
    assert {"event": "site_done", "site_key": site_key(shop.url)} in out["events"]
    with Store(db) as store:
        assert store.scan(1)["launched_by"] == "tester"
        analyses = store.analyses(1)
        assert sorted(a["site_key"] for a in analyses) == sorted([site_key(shop.url), site_key(dead)])
        dead_results = store.latest_results(1, site_key(dead))
        assert dead_results and {r["status"] for r in dead_results} == {"error"}
        assert "connection" in dead_results[0]["message"]
        shop_report = store.report(next(a["id"] for a in analyses if a["site_key"] == site_key(shop.url)))
        assert shop_report.target.kind == "site" and len(shop_report.target.documents) >= 5
    from compliance.scan import analyze

    new = analyze(db, 1, rules_path=pack or None)
    with Store(db) as store:
        assert len(store.analyses(1)) == 4 and {r["analysis_id"] for r in store.latest_results(1)} == set(new)


def test_engine_modules_do_not_import_scrapy():
    code = ("import sys, compliance.scan, compliance.store, compliance.extract, compliance.targets; "
            "assert not [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')], 'scrapy imported'")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
