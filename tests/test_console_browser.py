"""The review console in headless Chromium (Playwright, Debian's /usr/bin/chromium), over a real scan.

One scan of a few demo shops per test session, crawled by `scrapy crawl terms` in a subprocess (a
Twisted reactor runs once per process) from a temporary copy of the demo site, so that a page can be
corrected between the first scan and the re-inspection. The console runs in a thread on 127.0.0.1:0.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]

from compliance.demo import demo_server  # noqa: E402
from compliance.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHOPS = ["xss-shop", "good-shop", "glow-beauty"]
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 5, "RETRY_TIMES": 0,
        "LOG_LEVEL": "WARNING"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
USER, PASSWORD = "inspector", "review-pass-1"
# The correction the shop makes before the re-inspection: a lawful withdrawal clause (M10).
OLD_CLAUSE = "<li>會員得於下單後 5 日內，以填寫線上退貨單之方式申請退貨。</li>"
NEW_CLAUSE = "<li>消費者得於收受商品後七日內，以退回商品或書面通知方式解除契約，無須說明理由及負擔任何費用。</li>"


def crawl(targets: Path, db: Path) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "terms", "-a", f"targets={targets}", "-a", f"db={db}",
           "-a", "launched_by=browser-test"]
    for k, v in FAST.items():
        cmd += ["-s", f"{k}={v}"]
    proc = subprocess.run(cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """A first scan of SHOPS into a fresh log; the shops keep running for the re-inspection."""
    tmp = tmp_path_factory.mktemp("console-demo")
    root = tmp / "sites"
    shutil.copytree(demo_server().SITES_ROOT, root)
    sites = demo_server().start_demo_sites(root, shops=SHOPS)
    db = tmp / "inspections.db"
    crawl(sites.write_targets_csv(tmp / "shops.csv"), db)
    with Store(db) as store:
        from console.auth import add_user

        add_user(store, USER, PASSWORD)
        keys = {s["name"]: s["site_key"] for s in store.sites(1)}
    names = {k: sites.specs[k].name for k in SHOPS}
    yield {"db": db, "root": root, "sites": sites, "tmp": tmp, "key": {k: keys[names[k]] for k in SHOPS},
           "name": names}
    sites.stop()


@pytest.fixture(scope="session")
def console(demo):
    from werkzeug.serving import make_server

    from console import create_app

    app = create_app(demo["db"], secret_key="browser-test-key")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-TW")
    pg = context.new_page()
    pg.dialogs = []
    pg.console_messages = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.console_messages.append(m.text))
    yield pg
    context.close()


def login(page, console):
    page.goto(console + "/")
    assert "/login" in page.url  # accounts exist: the log needs a login
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "訪查總覽" in page.title()


def loaded_snapshot(page, iframe):
    """The frame of one snapshot ``iframe``, once its document has loaded."""
    frame = iframe.element_handle().content_frame()
    frame.wait_for_load_state("load", timeout=15_000)  # a hang guard, not a speed assertion
    assert frame.url.endswith(iframe.get_attribute("src")), frame.url
    return frame


def site_url(console, demo, shop, scan_id=1):
    return f"{console}/scans/{scan_id}/sites/{demo['key'][shop]}"


def results(demo, shop, scan_id=1) -> dict[str, dict]:
    with Store(demo["db"]) as store:
        return {r["rule_id"]: r for r in store.latest_results(scan_id, demo["key"][shop])}


# --- the tests, in the order an official works ------------------------------------------------

def test_login_rejects_a_wrong_password(page, console):
    page.goto(console + "/login")
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".flash.error").inner_text() == "帳號或密碼錯誤"


def test_open_a_flagged_site_and_see_the_evidence_highlighted(page, console, demo):
    login(page, console)
    matrix = page.locator("table.matrix")
    assert matrix.locator("th.site-col a", has_text=demo["name"]["xss-shop"]).count() == 1
    page.click(f"table.matrix th.site-col a:text-is('{demo['name']['xss-shop']}')")
    page.wait_for_load_state()
    assert page.url == site_url(console, demo, "xss-shop")
    m10 = results(demo, "xss-shop")["M10"]
    assert m10["status"] == "fail"
    quote = m10["evidence"][0]["text"]
    card = page.locator("article#r-M10")
    assert card.locator("mark", has_text=quote).first.is_visible()
    # and in the stored page text, marked where the offsets say
    full = page.locator("div.fulltext mark.ev-finding", has_text=quote).first
    assert full.is_visible() and "M10" in full.inner_text()
    basis = card.locator("ul.basis a").first
    assert basis.get_attribute("rel") == "noopener noreferrer"
    assert basis.get_attribute("href").startswith("https://")


def test_payloads_show_as_text_and_no_script_runs(page, console, demo):
    login(page, console)
    page.goto(site_url(console, demo, "xss-shop"))
    body = page.locator("main").inner_text()
    assert "<script>window.__pwned=1</script>" in body
    assert 'onerror="window.__pwned=1"' in body and "<svg onload=alert(1)>" in body
    for summary in page.locator("details.snapshot > summary").all():
        summary.click()
    frames = page.locator("details.snapshot iframe")
    assert frames.count() >= 1
    snapshots = []
    for i in range(frames.count()):
        assert frames.nth(i).get_attribute("sandbox") == ""
        snapshots.append(loaded_snapshot(page, frames.nth(i)))
    page.wait_for_timeout(200)  # onload / onerror handlers would have fired by now
    assert any("會員條款" in f.content() for f in snapshots)  # the hostile page is what is shown
    for f in snapshots:
        assert f.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    # the browser itself says why: the sandbox refused the scripts
    assert any("Blocked script execution" in m and "sandboxed" in m for m in page.console_messages)


def test_dismiss_one_finding_and_confirm_another(page, console, demo):
    login(page, console)
    page.goto(site_url(console, demo, "xss-shop"))
    rows = results(demo, "xss-shop")
    # a dismissal without a note does not leave the browser (the note is required) …
    page.locator("article#r-P01 button[value=dismiss]").click()
    assert page.locator("article#r-P01 textarea").evaluate("el => el.validity.valueMissing")
    with Store(demo["db"]) as store:
        assert store.reviews_for(rows["P01"]["id"]) == []
    # … with one it is recorded
    page.locator("article#r-P01 textarea").fill("經查屬系統公告之範例文字，非契約條款")
    page.locator("article#r-P01 button[value=dismiss]").click()
    page.wait_for_load_state()
    assert "已記錄" in page.locator(".flash").first.inner_text()
    page.locator("article#r-M10 button[value=confirm]").click()
    page.wait_for_load_state()
    assert "已排除" in page.locator("article#r-P01 .badges").inner_text()
    assert "已確認" in page.locator("article#r-M10 .badges").inner_text()
    with Store(demo["db"]) as store:
        p01, m10 = store.reviews_for(rows["P01"]["id"]), store.reviews_for(rows["M10"]["id"])
        assert [(v["decision"], v["reviewer"], v["note"]) for v in p01] == [
            ("dismiss", USER, "經查屬系統公告之範例文字，非契約條款")]
        assert [(v["decision"], v["reviewer"]) for v in m10] == [("confirm", USER)]
        assert all(v["decided_at"] and v["evidence_sha256"] for v in p01 + m10)
        assert store.latest_results(1, demo["key"]["xss-shop"])  # the results are all still there


def test_search_finds_a_clause_in_every_shop_that_has_it(page, console, demo):
    login(page, console)
    page.click("header.top nav >> text=條款搜尋")
    page.fill("input[name=q]", "購物金")
    page.click("form.search button[type=submit]")
    page.wait_for_load_state()
    hits = page.locator("ol.hits li")
    names = " ".join(hits.locator(".hit-head a").all_inner_texts())
    assert demo["name"]["glow-beauty"] in names and demo["name"]["good-shop"] in names
    assert hits.locator("mark", has_text="購物金").count() >= 2


def test_reinspection_marks_the_corrected_item_fixed(page, console, demo):
    returns = demo["root"] / "xss-shop" / "returns.html"
    text = returns.read_text(encoding="utf-8")
    assert OLD_CLAUSE in text
    returns.write_text(text.replace(OLD_CLAUSE, NEW_CLAUSE), encoding="utf-8")  # the shop corrects M10
    crawl(demo["sites"].write_targets_csv(demo["tmp"] / "xss.csv", keys=["xss-shop"]), demo["db"])
    login(page, console)
    page.goto(site_url(console, demo, "xss-shop", scan_id=2))
    # the dismissal carries over: P01's words did not change
    assert "已排除" in page.locator("article#r-P01 .badges").inner_text()
    assert "沿用" in page.locator("article#r-P01 .badges").inner_text()
    assert page.locator("article#r-M10").count() == 0  # M10 now passes
    page.click("text=複查比較")
    page.wait_for_load_state()
    row = page.locator("tr#c-M10")
    assert row.locator(".badge.change").inner_text() == "已改善"
    assert "ch-fixed" in row.get_attribute("class")
    diff = page.locator("article.diff", has_text="returns")
    assert diff.count() == 1 and "七日內" in diff.inner_text()


def test_record_prints_to_pdf(page, console, demo):
    from pypdf import PdfReader

    login(page, console)
    page.goto(site_url(console, demo, "xss-shop") + "/record.html")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    pdf = page.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = "".join(p.extract_text() or "" for p in reader.pages)
    assert "M10" in text  # the violation confirmed above is listed
    assert demo["name"]["xss-shop"] in text.replace(" ", "")
    (Path("/tmp") / "console-record.pdf").write_bytes(pdf)


def test_screenshots_for_a_human_look(page, console, demo):
    """Not an assertion of looks: the pictures are for the developer to look at (/tmp, not committed)."""
    login(page, console)
    page.goto(console + "/?scan=1")
    page.screenshot(path="/tmp/console-overview.png", full_page=True)
    page.goto(site_url(console, demo, "xss-shop"))
    page.screenshot(path="/tmp/console-site.png")
    page.goto(site_url(console, demo, "xss-shop", scan_id=2))
    page.locator("article#r-P01").screenshot(path="/tmp/console-carried.png")
    assert Path("/tmp/console-overview.png").stat().st_size > 10_000
