"""The review console through Flask's test client: pages, escaping, headers, review, login, search.

The log is built without a crawl: the demo shops' real HTML files are extracted and written through
Store, then judged by the real engine (tests/test_console_browser.py does a real scan).
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance.extract import extract
from compliance.scan import judge_site
from compliance.store import Store
from console import ConsoleError, create_app, secret_key_for
from log_builder import TERMS, TERMS_FIXED, add_scan

SITES = Path(__file__).parent / "fixtures" / "sites"
SHOPS = {"xss-shop": "夜貓潮流服飾", "good-shop": "好日子生活雜貨", "glow-beauty": "光潤保養研究室"}
PAYLOAD = "<script>window.__pwned=1</script>"


def build_log(path: Path, shops=SHOPS) -> int:
    with Store(path) as store:
        scan_id = store.begin_scan(launched_by="test", rulepack_id="tw-retail-online", rulepack_version="t")
        for i, (key, name) in enumerate(shops.items(), start=1):
            site = f"{key}.example"
            store.add_target(scan_id, position=i, name=name, url=f"https://{site}/", site_key=site)
            for f in sorted((SITES / key).glob("*.html")):
                body = f.read_bytes()
                page = extract(body, "text/html", f.name)
                url = f"https://{site}/" + ("" if f.name == "index.html" else f.name)
                store.add_page(scan_id, site, url, http_status=200, raw_body=body, text=page.text,
                               title=page.title, kind=page.kind, encoding=page.encoding,
                               content_type="text/html; charset=utf-8")
            store.add_failure(scan_id, site, f"https://{site}/missing.html", error_class="http_5xx",
                              http_status=500, error_message="500 Internal Server Error")
            judge_site(store, scan_id, site, name)
        store.finish_scan(scan_id)
    return scan_id


@pytest.fixture(scope="module")
def log_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("log") / "template.db"
    build_log(path)
    return path


@pytest.fixture
def db(tmp_path, log_template):
    path = tmp_path / "inspections.db"
    src = Store(log_template)
    src.db.execute("PRAGMA wal_checkpoint(FULL)")
    src.close()
    path.write_bytes(log_template.read_bytes())
    return path


@pytest.fixture
def client(db):
    app = create_app(db, secret_key="test-key", local_user="本機審查員")
    return app.test_client()


def token(client, url="/self-check") -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def results_of(db, site):
    with Store(db) as s:
        return {r["rule_id"]: r for r in s.latest_results(s.latest_scan_id(), site)}


# --- overview ---------------------------------------------------------------------------------

def test_overview_matrix_rate_and_order(client, db):
    html = client.get("/").get_data(as_text=True)
    with Store(db) as s:
        rows = s.latest_results(1)
    rules = {r["rule_id"] for r in rows if r["severity"] != "info"}
    fails = [r for r in rows if r["status"] == "fail" and r["severity"] != "info"]
    rate = len(fails) / (len(SHOPS) * len(rules))
    assert f"{rate * 100:.1f}%" in html
    assert f"不符合 {len(fails)} 項" in html
    for name in SHOPS.values():
        assert name in html
    # worst first: the compliant shop comes after the ones that fail
    per_site = {n: sum(1 for r in fails if r["site_key"] == f"{k}.example") for k, n in SHOPS.items()}
    order = sorted(SHOPS.values(), key=lambda n: html.index(f">{n}</a>"))
    assert [per_site[n] for n in order] == sorted(per_site.values(), reverse=True)
    # every mark carries its label as text, not colour alone
    assert "不符合</span></a>" in html and "符合</span></a>" in html


def test_overview_filters(client):
    only_m10 = client.get("/?rule=M10").get_data(as_text=True)
    assert re.findall(r'<th class="rule"[^>]*><a[^>]*>(\w+)</a>', only_m10) == ["M10"]
    review = client.get("/?status=needs_review").get_data(as_text=True)
    assert "好日子生活雜貨" not in review.split("訪查矩陣")[1].split("各規則項目")[0]
    assert client.get("/?scan=99").status_code == 404


def test_overview_filter_by_review_state(client, db):
    m10 = results_of(db, "xss-shop.example")["M10"]
    client.post(f"/results/{m10['id']}/review", data={"csrf_token": token(client), "decision": "confirm"})
    confirmed = client.get("/?review=confirmed").get_data(as_text=True)
    matrix = confirmed.split("訪查矩陣")[1].split("各規則項目")[0]
    assert "夜貓潮流服飾" in matrix and "光潤保養研究室" not in matrix
    assert "<small>確</small>" in matrix


# --- site page --------------------------------------------------------------------------------

def test_site_page_marks_evidence_and_escapes_payloads(client, db):
    resp = client.get("/scans/1/sites/xss-shop.example")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    m10 = results_of(db, "xss-shop.example")["M10"]
    quote = m10["evidence"][0]["text"]
    assert re.search(r"<mark[^>]*>" + re.escape(quote.replace("<", "&lt;").replace(">", "&gt;")), html)
    assert PAYLOAD not in html and "onerror=\"window" not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    # legal basis links open the official text without leaking the console's address
    assert re.search(r'<a href="https://law\.moj\.gov\.tw[^"]*" rel="noopener noreferrer"', html)
    # fetch details, including the failed page and its error class
    assert "http_5xx" in html and "500 Internal Server Error" in html
    with Store(db) as s:
        sha = s.pages_for_site(1, "xss-shop.example")[0]["sha256"]
    assert sha in html
    assert re.search(r'<iframe sandbox="" src="/pages/\d+/snapshot"', html)
    assert client.get("/scans/1/sites/nowhere.example").status_code == 404


def test_snapshot_is_sandboxed_and_source_is_text(client, db):
    with Store(db) as s:
        page = next(p for p in s.pages_for_site(1, "xss-shop.example") if p["url"].endswith("terms.html"))
    resp = client.get(f"/pages/{page['id']}/snapshot")
    csp = resp.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox") and "default-src 'none'" in csp and "script-src" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.data == (SITES / "xss-shop" / "terms.html").read_bytes()  # the stored bytes, as fetched
    src = client.get(f"/pages/{page['id']}/source").get_data(as_text=True)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in src and PAYLOAD not in src


def test_every_console_page_has_a_strict_csp(client):
    for url in ("/", "/scans/1/sites/good-shop.example", "/search?q=運費", "/self-check"):
        resp = client.get(url)
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp and resp.headers["X-Frame-Options"] == "DENY"
        assert "<script" not in resp.get_data(as_text=True).lower(), url


# --- review -----------------------------------------------------------------------------------

def test_review_confirm_and_dismiss_are_recorded(client, db):
    rows = results_of(db, "xss-shop.example")
    t = token(client, "/scans/1/sites/xss-shop.example")
    back = "/scans/1/sites/xss-shop.example#r-M10"
    resp = client.post(f"/results/{rows['M10']['id']}/review",
                       data={"csrf_token": t, "decision": "confirm", "back": back})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(back)
    client.post(f"/results/{rows['P05']['id']}/review",
                data={"csrf_token": t, "decision": "dismiss", "note": "已於客服回覆中更正"})
    with Store(db) as s:
        m10, p05 = s.reviews_for(rows["M10"]["id"]), s.reviews_for(rows["P05"]["id"])
        assert [(v["decision"], v["reviewer"]) for v in m10] == [("confirm", "本機審查員")]
        assert [(v["decision"], v["note"]) for v in p05] == [("dismiss", "已於客服回覆中更正")]
        assert s.results(rows["M10"]["analysis_id"])[0]["status"]  # the result rows are still there
    html = client.get("/scans/1/sites/xss-shop.example").get_data(as_text=True)
    assert "已於客服回覆中更正" in html and "本機審查員" in html


def test_dismissal_needs_a_note_and_a_csrf_token(client, db):
    rid = results_of(db, "xss-shop.example")["P05"]["id"]
    resp = client.post(f"/results/{rid}/review", data={"csrf_token": token(client), "decision": "dismiss",
                                                       "note": "  "}, follow_redirects=True)
    assert "未記錄" in resp.get_data(as_text=True)
    assert client.post(f"/results/{rid}/review", data={"decision": "confirm"}).status_code == 400
    with Store(db) as s:
        assert s.reviews_for(rid) == []


# --- accounts ---------------------------------------------------------------------------------

def test_accounts_require_login_and_decisions_carry_the_account(db):
    from console.auth import add_user

    with Store(db) as s:
        add_user(s, "wang", "correct horse 1")
        assert s.user("wang")["password_hash"].startswith("scrypt:")
    client = create_app(db, secret_key="k", local_user="ignored-when-accounts-exist").test_client()
    resp = client.get("/scans/1/sites/xss-shop.example")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/pages/1/snapshot").status_code == 302
    t = token(client, "/login")
    bad = client.post("/login", data={"csrf_token": t, "name": "wang", "password": "wrong password"})
    assert bad.status_code == 401
    ok = client.post("/login", data={"csrf_token": t, "name": "wang", "password": "correct horse 1",
                                     "next": "//evil.example/"})
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    rid = results_of(db, "xss-shop.example")["M10"]["id"]
    client.post(f"/results/{rid}/review", data={"csrf_token": token(client), "decision": "confirm"})
    with Store(db) as s:
        assert s.reviews_for(rid)[-1]["reviewer"] == "wang"
    client.post("/logout", data={"csrf_token": token(client)})
    assert client.get("/").status_code == 302


def test_no_accounts_and_no_local_user_shows_how_to_make_one(db):
    resp = create_app(db, secret_key="k").test_client().get("/")
    assert resp.status_code == 403 and "user add" in resp.get_data(as_text=True)


def test_binding_beyond_loopback_needs_accounts(db, monkeypatch):
    from compliance.cli import main
    from console.auth import add_user, check_bind

    with Store(db) as s:
        check_bind(s, "127.0.0.1")
        with pytest.raises(ConsoleError):
            check_bind(s, "0.0.0.0")
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "user add" in result.stderr and "Traceback" not in result.output
    with Store(db) as s:
        add_user(s, "lin", "another pass 2")
        check_bind(s, "0.0.0.0")


def test_user_commands(db):
    from compliance.cli import main

    runner = CliRunner()
    r = runner.invoke(main, ["user", "add", "chen", "--db", str(db), "--password-stdin"], input="s3cret-pass\n")
    assert r.exit_code == 0, r.output
    again = runner.invoke(main, ["user", "add", "chen", "--db", str(db), "--password-stdin"], input="s3cret-pass\n")
    assert again.exit_code == 2 and "已存在" in again.stderr
    short = runner.invoke(main, ["user", "add", "wu", "--db", str(db), "--password-stdin"], input="short\n")
    assert short.exit_code == 2
    listed = runner.invoke(main, ["user", "list", "--db", str(db)])
    assert "chen" in listed.output and "wu" not in listed.output
    with Store(db) as s:
        assert "s3cret-pass" not in s.user("chen")["password_hash"]


def test_secret_key_is_kept_beside_the_log(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPLIANCE_SECRET_KEY", raising=False)
    key = secret_key_for(tmp_path / "x.db")
    kept = tmp_path / "x.db.console-secret"
    assert kept.stat().st_mode & 0o077 == 0 and secret_key_for(tmp_path / "x.db") == key
    monkeypatch.setenv("COMPLIANCE_SECRET_KEY", "from-env")
    assert secret_key_for(tmp_path / "x.db") == "from-env"


# --- self-check -------------------------------------------------------------------------------

def test_self_check_never_opens_the_log(db, monkeypatch):
    import console.db
    from console.auth import add_user

    with Store(db) as s:
        add_user(s, "wang", "correct horse 1")  # accounts exist: the log needs a login, self-check not
    client = create_app(db, secret_key="k").test_client()
    t = token(client, "/self-check")

    def refuse(*a, **k):
        raise AssertionError("the self-check opened the inspection log")

    monkeypatch.setattr(console.db, "Store", refuse)
    terms = (SITES / "xss-shop" / "returns.html").read_text(encoding="utf-8")
    resp = client.post("/self-check", data={"csrf_token": t, "text": terms})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "M10" in html and "不符合" in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html and PAYLOAD not in html
    up = client.post("/self-check", data={"csrf_token": t, "file": (io.BytesIO(terms.encode()), "退貨.html")},
                     content_type="multipart/form-data")
    assert up.status_code == 200 and "退貨.html" in up.get_data(as_text=True)
    bad = client.post("/self-check", data={"csrf_token": t, "file": (io.BytesIO(b"x"), "terms.docx")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "不支援的副檔名 .docx" in bad.get_data(as_text=True)
    empty = client.post("/self-check", data={"csrf_token": t, "text": "  "})
    assert empty.status_code == 400


def test_self_check_gives_the_same_results_as_check(client, tmp_path):
    from compliance.engine import check_documents
    from compliance.inputs import read_target

    path = tmp_path / "terms.txt"
    path.write_text(TERMS, encoding="utf-8")
    target = read_target(str(path))
    expected = check_documents(target.documents, target_kind="file", target_name="terms.txt")
    html = client.post("/self-check", data={"csrf_token": token(client, "/self-check"), "text": TERMS}
                       ).get_data(as_text=True)
    for r in expected.results:
        if r.is_finding:
            assert f'id="r-{r.rule_id}"' in html
    shown = set(re.findall(r'<article class="finding[^"]*" id="r-(\w+)"', html))
    assert shown == {r.rule_id for r in expected.results if r.is_finding}


# --- search -----------------------------------------------------------------------------------

def test_search_finds_clauses_across_sites_and_indexes_incrementally(client, db):
    from console.search import ensure_index

    html = client.get("/search?q=購物金").get_data(as_text=True)
    assert "光潤保養研究室" in html and "好日子生活雜貨" in html
    assert "<mark>購物金</mark>" in html
    with Store(db) as s:
        assert ensure_index(s) == 0  # everything was indexed by the first search
        scan_id = s.begin_scan(launched_by="t")
        s.add_target(scan_id, position=1, name="新店家", url="https://new.example/", site_key="new.example")
        s.add_page(scan_id, "new.example", "https://new.example/t", text="退款一律以紅利點數<b>折抵。", kind="text")
    html = client.get("/search?q=紅利點數").get_data(as_text=True)
    assert "新店家" in html and "<mark>紅利點數</mark>&lt;b&gt;折抵" in html
    assert "沒有條款包含" in client.get("/search?q=不存在的詞彙甲乙").get_data(as_text=True)
    scoped = client.get(f"/search?q=購物金&scan={scan_id}").get_data(as_text=True)
    assert "光潤保養研究室" not in scoped


# --- re-inspection and downloads --------------------------------------------------------------

def test_reinspection_page_shows_a_fixed_item(tmp_path):
    path = tmp_path / "re.db"
    with Store(path) as s:
        add_scan(s, {"/terms": TERMS})
        add_scan(s, {"/terms": TERMS_FIXED})
    client = create_app(path, secret_key="k", local_user="t").test_client()
    html = client.get("/reinspect/shop.example?old=1&new=2").get_data(as_text=True)
    row = re.search(r'<tr class="ch-fixed" id="c-P05">.*?</tr>', html, re.S)
    assert row and "已改善" in row.group(0)
    assert "<ins" in html or "<del" in html or "diff" in html
    site = client.get("/scans/2/sites/shop.example").get_data(as_text=True)
    assert "/reinspect/shop.example" in site


def test_downloads(client, db):
    with Store(db) as s:
        report = s.report(s.analyses(1, "xss-shop.example")[-1]["id"])
    j = client.get("/scans/1/sites/xss-shop.example/report.json")
    assert "attachment" in j.headers["Content-Disposition"]
    assert json.loads(j.data) == json.loads(json.dumps(report.as_dict()))
    c = client.get("/scans/1/sites/xss-shop.example/report.csv")
    text = c.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["rule_id"] for r in rows] == [r.rule_id for r in report.results]
    rec = client.get("/scans/1/sites/xss-shop.example/record.html")
    assert rec.status_code == 200 and "夜貓潮流服飾" in rec.get_data(as_text=True)
    assert "script-src" not in rec.headers["Content-Security-Policy"]
    assert PAYLOAD not in rec.get_data(as_text=True)


def test_serve_opens_the_log_on_loopback(db):
    """`python -m compliance serve` really starts: local single-user mode, search index built first."""
    import queue
    import subprocess
    import sys
    import threading
    import urllib.request

    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "compliance", "serve", "--db", str(db), "--port", "0"],
                            cwd=repo, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    try:
        seen = []
        while not any("審查網頁" in x for x in seen):
            seen.append(lines.get(timeout=60))  # a guard against a hang, not a speed assertion
        assert any("條款搜尋索引" in x for x in seen)
        url = re.search(r"http://127\.0\.0\.1:\d+/", seen[-1]).group(0)
        assert "本機單人模式" in seen[-1]
        with urllib.request.urlopen(url) as resp:
            html = resp.read().decode("utf-8")
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "訪查總覽" in html and "夜貓潮流服飾" in html
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    from compliance.cli import main

    missing = CliRunner().invoke(main, ["serve", "--db", str(db.parent / "nope.db")])
    assert missing.exit_code == 2 and "找不到檢查紀錄" in missing.stderr
    assert not (db.parent / "nope.db").exists()


def test_errors_are_zh_tw_pages(client, db):
    missing = client.get("/pages/99999/source")
    assert missing.status_code == 404 and "找不到此頁面" in missing.get_data(as_text=True)
    rid = results_of(db, "xss-shop.example")["M10"]["id"]
    stale = client.post(f"/results/{rid}/review", data={"csrf_token": "forged", "decision": "confirm"})
    assert stale.status_code == 400 and "CSRF" in stale.get_data(as_text=True)
    big = client.post("/self-check", data={"csrf_token": token(client),
                                           "file": (io.BytesIO(b"a" * (6 * 1024 * 1024)), "big.txt")},
                      content_type="multipart/form-data")
    assert big.status_code == 413 and "5 MB" in big.get_data(as_text=True)


def test_big5_snapshot_is_served_with_a_charset_browsers_know(tmp_path):
    body = "<html><body><p>七日內得解除契約。</p></body></html>".encode("cp950")
    with Store(tmp_path / "b.db") as s:
        scan_id = s.begin_scan(launched_by="t")
        pid = s.add_page(scan_id, "tea.example", "https://tea.example/", raw_body=body, kind="html",
                         encoding="cp950", text="七日內得解除契約。")
    resp = create_app(tmp_path / "b.db", secret_key="k", local_user="t").test_client().get(f"/pages/{pid}/snapshot")
    assert resp.headers["Content-Type"] == "text/html; charset=big5" and resp.data == body


@pytest.mark.parametrize("back", ["//evil.example/", "/\\evil.example", "https://evil.example/"])
def test_review_never_redirects_off_the_console(client, db, back):
    rid = results_of(db, "xss-shop.example")["M10"]["id"]
    resp = client.post(f"/results/{rid}/review", data={"csrf_token": token(client), "decision": "confirm",
                                                       "back": back})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_segments_cut_text_at_every_evidence_boundary():
    from console.site import segments

    text = "甲乙丙丁戊己"
    got = segments(text, [(1, 4, "M10"), (3, 5, "P05")])
    assert "".join(s["text"] for s in got) == text
    assert [(s["text"], s["rules"]) for s in got] == [("甲", []), ("乙丙", ["M10"]), ("丁", ["M10", "P05"]),
                                                     ("戊", ["P05"]), ("己", [])]
    assert [s["anchor"] for s in got] == [None, "M10", "P05", None, None]
    assert segments("a\x1bb", []) == [{"text": "ab", "rules": [], "anchor": None}]  # no escape sequences


def test_an_empty_log_says_how_to_fill_it(tmp_path):
    Store(tmp_path / "empty.db").close()
    html = create_app(tmp_path / "empty.db", secret_key="k", local_user="t").test_client().get("/").get_data(
        as_text=True)
    assert "尚無掃描" in html and "python -m compliance scan" in html


def test_accounts_and_index_rows_are_kept(tmp_path):
    """Accounts: only a password may change, nothing is deleted; the index is written once per page."""
    import sqlite3

    with Store(tmp_path / "a.db") as s:
        s.add_user("wang", "h1")
        s.set_password("wang", "h2")
        assert s.user("wang")["password_hash"] == "h2" and s.user_count() == 1
        for sql in ("UPDATE users SET name = 'x'", "DELETE FROM users"):
            with pytest.raises(sqlite3.DatabaseError):
                s.db.execute(sql)
        scan_id = s.begin_scan(launched_by="t")
        pid = s.add_page(scan_id, "a.example", "https://a.example/", text="七日內得解除契約。", kind="text")
        s.add_failure(scan_id, "a.example", "https://a.example/x", error_class="timeout")
        assert [p["id"] for p in s.unindexed_pages()] == [pid]  # failures have no text to index
        rows = [{"tokens": "七日 解除 契約", "text": "七日內得解除契約。", "position": 0, "start": 0, "end": 9}]
        s.index_page(pid, rows)
        s.index_page(pid, rows)  # a second console process: no duplicate clauses
        assert s.unindexed_pages() == []
        assert len(s.search_clauses('"解除"')) == 1


@pytest.mark.parametrize("q", ['"', "OR", "*", "NEAR(", "購物金 OR 1=1", "'"])
def test_search_queries_are_never_fts_syntax(client, q):
    assert client.get("/search", query_string={"q": q}).status_code == 200
