"""The demo shops and their server: what each origin answers, and that the manifest matches the files.

Everything runs against 127.0.0.1 servers started here on port 0; nothing touches the internet.
"""
from __future__ import annotations

import csv
import html
import http.client
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

import demo_server  # noqa: E402
from demo_server import DemoSiteError, load_manifest, start_demo_sites  # noqa: E402

SITES = FIXTURES / "sites"
MANIFEST = load_manifest(SITES)
SHOPS = {s["key"]: s for s in MANIFEST["shops"]}

# shared/rule-catalogue.md, in catalogue order
RULE_IDS = [f"M{i:02d}" for i in range(1, 15)] + [f"P{i:02d}" for i in range(1, 9)] + [
    "S01", "S02", "U01", "U02", "A01", "A02"]
STATUSES = {"pass", "fail", "needs_review", "not_applicable", "error"}
UA = "compliance-demo-test/1.0"


@pytest.fixture(scope="module")
def sites():
    with start_demo_sites() as running:
        yield running


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, follow: bool = True, method: str = "GET"):
    """(status, headers, body, final_url) without raising on 4xx/5xx."""
    handlers = [] if follow else [_NoRedirect()]
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(url, method=method, headers={"User-Agent": UA})
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read(), resp.geturl()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read(), err.geturl()


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp950")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                self.hrefs.append(href)


def links(body: bytes) -> list[str]:
    parser = _Links()
    parser.feed(decode(body))
    return parser.hrefs


def visible_chars(shop_dir: Path) -> int:
    """Non-whitespace characters of the visible text of a shop's HTML pages and PDFs."""
    from pypdf import PdfReader

    total = 0
    for f in shop_dir.rglob("*"):
        if f.suffix == ".html":
            text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", decode(f.read_bytes()))
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        elif f.suffix == ".pdf":
            text = "".join(page.extract_text() for page in PdfReader(f).pages)
        else:
            continue
        total += len(re.sub(r"\s+", "", text))
    return total


# -- the manifest ---------------------------------------------------------------------------------

def test_manifest_lists_every_shop_folder_and_enough_shops():
    folders = {p.name for p in SITES.iterdir() if p.is_dir()}
    assert folders == set(SHOPS)
    assert len(SHOPS) >= 12
    for required in ["aurora-platform", "bigmall", "insta-shop", "faq-only", "big5-tea", "pdf-books",
                     "robots-block", "broken-500", "redirector", "good-shop", "xss-shop",
                     "sitemap-shop"]:
        assert required in SHOPS


@pytest.mark.parametrize("key", list(SHOPS))
def test_manifest_entry_is_complete(key):
    shop = SHOPS[key]
    for field in ("key", "name", "home", "style", "pages", "failures", "expected"):
        assert field in shop, f"{key}: missing {field}"
    assert list(shop["expected"]) == RULE_IDS, f"{key}: expected must list all 28 rules in order"
    assert set(shop["expected"].values()) <= STATUSES
    why = shop.get("why") or {}
    assert set(why) <= set(RULE_IDS) | {"all"}, f"{key}: why has unknown keys"
    for rule, status in shop["expected"].items():
        if status != "pass":
            assert rule in why or "all" in why, f"{key}: {rule} is {status} without a why"
        if rule[0] == "U":
            assert status != "fail", f"{key}: {rule} reports needs_review, never fail"
    for page in shop["pages"]:
        assert page["via"] in {"start", "link", "sitemap"}
        assert page["kind"] in {"html", "pdf"}
    for failure in shop["failures"]:
        assert failure["error_class"] in MANIFEST["error_classes"]


def test_good_shop_passes_everything_and_broken_shop_is_all_error():
    assert set(SHOPS["good-shop"]["expected"].values()) == {"pass"}
    assert set(SHOPS["broken-500"]["expected"].values()) == {"error"}


def test_every_rule_fails_or_needs_review_somewhere():
    """Each rule has at least one demo shop that should report it."""
    for rule in RULE_IDS:
        hits = [k for k, s in SHOPS.items() if s["expected"][rule] in {"fail", "needs_review"}]
        assert hits, f"no demo shop exercises {rule}"


@pytest.mark.parametrize("key", [k for k in SHOPS if k != "broken-500"])
def test_site_text_size(key):
    assert 1500 <= visible_chars(SITES / key) <= 6000


# -- the server -----------------------------------------------------------------------------------

def test_each_shop_has_its_own_origin(sites):
    origins = sites.origins
    assert set(origins) == set(SHOPS)
    assert len(set(origins.values())) == len(origins)
    for origin in origins.values():
        parts = urlsplit(origin)
        assert parts.hostname == "127.0.0.1" and parts.port and parts.port > 0


@pytest.mark.parametrize("key", [k for k in SHOPS if k != "broken-500"])
def test_home_page_answers(sites, key):
    status, headers, body, final = fetch(sites.urls[key])
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert SHOPS[key]["name"].encode("cp950" if key == "big5-tea" else "utf-8") in body
    home = SHOPS[key]["pages"][0]
    assert urlsplit(final).path == home.get("final", home["path"])


@pytest.mark.parametrize("key", [k for k in SHOPS if k != "broken-500"])
def test_manifest_pages_are_served_and_links_stay_inside_them(sites, key):
    """Every listed page answers 200, and every same-site link of every page is a listed page.

    So any crawl strategy that follows same-site links finds exactly ``pages`` (plus the sitemap
    pages, which nothing links to).
    """
    shop = SHOPS[key]
    origin = sites.origins[key]
    listed = {p["path"] for p in shop["pages"]} | {p.get("final") for p in shop["pages"]}
    listed |= {f["path"] for f in shop["failures"]}
    for page in shop["pages"]:
        status, headers, body, final = fetch(origin + page["path"])
        assert status == 200, page
        assert urlsplit(final).path == page.get("final", page["path"])
        if page["kind"] == "pdf":
            assert headers["Content-Type"] == "application/pdf"
            continue
        for href in links(body):
            target = urlsplit(urljoin(final, href))
            if f"{target.scheme}://{target.netloc}" != origin:
                continue  # off-site (insta-shop's social link)
            assert target.path in listed, f"{key}: {page['path']} links to unlisted {target.path}"


def test_broken_shop_answers_500_except_robots(sites):
    origin = sites.origins["broken-500"]
    for path in ["/", "/index.html", "/terms.html", "/nothing/here"]:
        status, headers, body, _ = fetch(origin + path)
        assert status == 500, path
        assert body  # an error page, not an empty reply
    status, _, body, _ = fetch(origin + "/robots.txt")
    assert status == 200 and b"User-agent: *" in body


def test_redirect_chain_hop_by_hop(sites):
    origin = sites.origins["redirector"]
    status, headers, _, _ = fetch(origin + "/", follow=False)
    assert status == 301
    assert headers["Location"] == origin + "/start"  # absolute, {{ORIGIN}} filled in
    status, headers, _, _ = fetch(origin + "/start", follow=False)
    assert status == 302 and headers["Location"] == "/zh-tw/"  # relative
    status, _, body, _ = fetch(origin + "/zh-tw/", follow=False)
    assert status == 200 and "轉角文具".encode() in body

    status, _, body, final = fetch(origin + "/")
    assert status == 200 and final == origin + "/zh-tw/"

    status, headers, _, _ = fetch(origin + "/terms", follow=False)
    assert status == 301 and headers["Location"] == "/zh-tw/legal/terms.html"
    status, _, body, final = fetch(origin + "/terms")
    assert final == origin + "/zh-tw/legal/terms.html"
    assert "放棄審閱期間".encode() in body


def test_robots_txt_and_sitemap(sites):
    origin = sites.origins["robots-block"]
    status, headers, body, _ = fetch(origin + "/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert b"Disallow: /terms" in body
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(body.decode().splitlines())
    assert not robots.can_fetch(UA, origin + "/terms.html")
    for page in SHOPS["robots-block"]["pages"]:
        assert robots.can_fetch(UA, origin + page["path"])
    for failure in SHOPS["robots-block"]["failures"]:
        assert not robots.can_fetch(UA, origin + failure["path"])
    # the blocked page exists: only robots.txt keeps a polite crawler away from it
    status, _, body, _ = fetch(origin + "/terms.html")
    assert status == 200 and SHOPS["robots-block"]["canary"].encode() in body

    origin = sites.origins["sitemap-shop"]
    _, _, body, _ = fetch(origin + "/robots.txt")
    assert f"Sitemap: {origin}/sitemap.xml".encode() in body
    status, headers, body, _ = fetch(origin + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"] == "application/xml"
    locs = re.findall(r"<loc>([^<]+)</loc>", body.decode())
    assert locs == [origin + p["path"] for p in SHOPS["sitemap-shop"]["pages"]]
    _, _, home, _ = fetch(origin + "/")
    assert "/legal/terms-of-service.html" not in links(home)


def test_pdf_is_served_as_pdf(sites):
    status, headers, body, _ = fetch(sites.url("pdf-books", "/terms.pdf"))
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert int(headers["Content-Length"]) == len(body)
    assert body.startswith(b"%PDF-")
    assert body == (SITES / "pdf-books" / "terms.pdf").read_bytes()

    import io

    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "有利於消費者之解釋" in text
    assert "僅供參考" in text


def test_big5_bytes_served_unchanged_with_the_declared_charsets(sites):
    expected_ctype = {
        "/": "text/html; charset=big5",
        "/shopping.html": "text/html",
        "/returns.html": "text/html",                  # its meta says utf-8: wrong
        "/privacy.html": "text/html; charset=utf-8",   # the header is wrong
    }
    for path, ctype in expected_ctype.items():
        status, headers, body, _ = fetch(sites.url("big5-tea", path))
        assert status == 200
        assert headers["Content-Type"] == ctype, path
        file = SITES / "big5-tea" / ("index.html" if path == "/" else path.lstrip("/"))
        assert body == file.read_bytes(), path
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        assert "山嵐茶行" in body.decode("cp950")
    _, _, body, _ = fetch(sites.url("big5-tea", "/returns.html"))
    assert b'charset=utf-8' in body and "恕不接受退換貨".encode("cp950") in body


def test_hosted_platform_paths_without_extension(sites):
    for path in ["/pages/terms", "/policies/refund-policy", "/policies/privacy-policy", "/pages/contact"]:
        status, headers, body, final = fetch(sites.url("aurora-platform", path))
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert urlsplit(final).path == path


def test_xss_payloads_are_in_the_page_as_served(sites):
    _, _, body, _ = fetch(sites.url("xss-shop", "/terms.html"))
    page = body.decode()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page   # shown as text
    assert "<script>window.__pwned=1</script>" in page                # real element
    assert '<img src=x onerror="window.__pwned=1">' in page           # real element
    _, _, body, _ = fetch(sites.url("xss-shop", "/returns.html"))
    assert "&lt;/textarea&gt;&lt;script&gt;" in body.decode()


def test_not_found_head_and_traversal(sites):
    status, _, _, _ = fetch(sites.url("good-shop", "/no-such-page.html"))
    assert status == 404
    status, headers, body, _ = fetch(sites.url("good-shop", "/terms.html"), method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == (SITES / "good-shop" / "terms.html").stat().st_size
    # a raw request line, so that no client normalises the dots away
    port = urlsplit(sites.origins["good-shop"]).port
    for raw in ["/../manifest.yaml", "/..%2fmanifest.yaml", "/%2e%2e/manifest.yaml"]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", raw)
        resp = conn.getresponse()
        assert resp.status == 404, raw
        assert b"shops:" not in resp.read()
        conn.close()


def test_requests_are_recorded(sites):
    url = sites.url("fresh-farm", "/guide.html?utm=x")
    fetch(url)
    rec = sites.requests("fresh-farm")[-1]
    assert (rec.method, rec.path, rec.status, rec.user_agent) == ("GET", "/guide.html?utm=x", 200, UA)


def test_targets_csv(sites, tmp_path):
    path = sites.write_targets_csv(tmp_path / "targets.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["name", "url"]
    assert rows[1:] == [[SHOPS[k]["name"], sites.urls[k]] for k in SHOPS]
    path = sites.write_targets_csv(tmp_path / "keys.csv", keys=["good-shop"], name_field="key")
    assert path.read_text(encoding="utf-8").splitlines() == ["name,url", f"good-shop,{sites.urls['good-shop']}"]


def test_subset_unknown_shop_and_stop(tmp_path):
    with pytest.raises(DemoSiteError, match="unknown shop"):
        start_demo_sites(shops=["no-such-shop"])
    running = start_demo_sites(shops=["good-shop"])
    url = running.urls["good-shop"]
    assert fetch(url)[0] == 200
    running.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_root_without_manifest_serves_every_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>甲</p>", encoding="utf-8")
    with start_demo_sites(root=tmp_path) as running:
        status, headers, body, _ = fetch(running.urls["a"])
        assert status == 200 and body.decode() == "<p>甲</p>"
        assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_command_line_serves_until_interrupted():
    proc = subprocess.Popen([sys.executable, str(Path(demo_server.__file__)), "--shop", "good-shop"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        assert line[0] == "good-shop"
        assert fetch(line[1])[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_bench_generator_small_tree_is_served(tmp_path):
    sys.path.insert(0, str(FIXTURES.parent.parent / "bench"))
    import make_bench_sites

    out = make_bench_sites.generate(tmp_path / "bench", n=12, seed=3)
    manifest = load_manifest(out)
    assert [s["key"] for s in manifest["shops"]] == [f"bench-{i:04d}" for i in range(12)]
    again = make_bench_sites.generate(tmp_path / "bench2", n=12, seed=3)
    for shop in manifest["shops"]:  # deterministic for a seed
        for page in shop["pages"]:
            name = "index.html" if page["path"] == "/" else page["path"].lstrip("/")
            assert (out / shop["key"] / name).read_bytes() == (again / shop["key"] / name).read_bytes()
    with make_bench_sites.serve(out) as running:
        for shop in manifest["shops"]:
            assert len(shop["pages"]) == 5
            for page in shop["pages"]:
                status, headers, body, _ = fetch(running.url(shop["key"], page["path"]))
                assert status == 200
                text = body.decode(page.get("encoding", "utf-8"))
                assert shop["name"] in text
                if page.get("encoding"):
                    assert headers["Content-Type"] == "text/html"
