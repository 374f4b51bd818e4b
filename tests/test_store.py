"""compliance.store: the append-only inspection log."""
from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from compliance.models import (Document, Evidence, Kind, LegalBasis, Report, Result, Severity, Status,
                               Target)
from compliance.store import (MIGRATIONS, InvalidDecision, SchemaTooNew, Store, UnknownResult,
                              UnknownScan, sha256)

SITE = "shop.example"
TEXT = "第五條 退貨\n商品一經拆封恕不退貨。"


def make_report(status: Status = Status.FAIL, version: str = "v1") -> Report:
    basis = [LegalBasis("消費者保護法", "第19條第1項", "https://law.moj.gov.tw/")]
    ev = Evidence("https://shop.example/terms", 7, 17, TEXT[7:17], "regex")
    results = [
        Result("M01", Kind.MANDATORY, "企業經營者資訊", Status.PASS, Severity.HIGH, 0.9, basis, "ok", ""),
        Result("P05", Kind.PROHIBITED, "拋棄或限制解除權", status, Severity.HIGH, 0.85, basis,
               "拆封不退", "刪除此條款", [ev]),
    ]
    doc = Document("https://shop.example/terms", TEXT)
    return Report({"name": "tw-terms-scanner", "version": "0.1"}, {"id": "tw-retail-online", "version": version},
                  Target("site", SITE, [doc]), results)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "log.db") as s:
        yield s


def test_schema_and_wal(store, tmp_path):
    assert store.schema_version == len(MIGRATIONS)
    db = Database(tmp_path / "log.db")
    assert db.journal_mode == "wal"
    assert {"scans", "scan_runs", "targets", "pages", "analyses", "results", "reviews",
            "migrations"} <= set(db.table_names())
    names = [r["name"] for r in db["migrations"].rows]
    assert names == [m.__name__.lstrip("_") for m in MIGRATIONS] and names[0] == "m001_initial"


def test_reopen_does_not_migrate_twice(tmp_path):
    Store(tmp_path / "log.db").close()
    with Store(tmp_path / "log.db") as s:
        assert s.db["migrations"].count == len(MIGRATIONS)


def test_newer_schema_is_refused(tmp_path):
    Store(tmp_path / "log.db").close()
    db = Database(tmp_path / "log.db")
    db["migrations"].insert({"version": 99, "name": "future", "applied_at": "2100"})
    db.close()
    with pytest.raises(SchemaTooNew, match="99"):
        Store(tmp_path / "log.db")


def test_scan_lifecycle(store):
    scan_id = store.begin_scan(launched_by="inspector", rulepack_id="tw-retail-online", rulepack_version="v1",
                               options={"robots_obeyed": True, "max_pages_per_site": 12})
    scan = store.scan(scan_id)
    assert scan["status"] == "running" and scan["options"]["robots_obeyed"] is True
    store.finish_scan(scan_id, "interrupted")
    store.resume_scan(scan_id, launched_by="inspector2")
    store.resume_scan(scan_id, launched_by="inspector3")  # the second run was killed: never finished
    store.finish_scan(scan_id)
    assert store.scan(scan_id)["status"] == "finished" and store.scan(scan_id)["finished_at"]
    runs = store.scan_runs(scan_id)
    assert [(r["launched_by"], r["status"]) for r in runs] == [
        ("inspector", "interrupted"), ("inspector2", "interrupted"), ("inspector3", "finished")]
    assert store.scans()[0]["id"] == scan_id and store.latest_scan_id() == scan_id
    with pytest.raises(UnknownScan):
        store.scan(999)


def test_targets_and_sites(store):
    scan_id = store.begin_scan(launched_by="t")
    store.add_target(scan_id, position=1, name="好物", url="https://shop.example/", site_key=SITE)
    store.add_target(scan_id, position=2, name="壞列", url="ftp://x", site_key=None,
                     rejected_reason="unsupported scheme 'ftp'")
    store.add_target(scan_id, position=1, name="好物", url="https://shop.example/", site_key=SITE)  # resume
    assert len(store.targets(scan_id)) == 2
    assert store.sites(scan_id) == [{"site_key": SITE, "name": "好物", "url": "https://shop.example/"}]


def test_pages_are_recorded_once(store):
    scan_id = store.begin_scan(launched_by="t")
    body = TEXT.encode("big5")
    first = store.add_page(scan_id, SITE, "https://shop.example/terms", http_status=200, raw_body=body,
                           text=TEXT, encoding="cp950", content_type="text/html", kind="html", depth=1,
                           discovered_from="https://shop.example/", title="條款", elapsed_ms=12)
    again = store.add_page(scan_id, SITE, "https://shop.example/terms", http_status=200, raw_body=b"other")
    assert again == first
    fail = store.add_failure(scan_id, SITE, "https://shop.example/faq", error_class="http_4xx",
                             error_message="404 Not Found", http_status=404, depth=1)
    rows = store.pages_for_site(scan_id, SITE)
    assert [r["id"] for r in rows] == [first, fail]
    assert "raw_body" not in rows[0]
    assert rows[0]["sha256"] == sha256(body) and rows[0]["text_sha256"] == sha256(TEXT)
    assert store.pages_for_site(scan_id, SITE, with_body=True)[0]["raw_body"] == body
    assert rows[1]["error_class"] == "http_4xx" and rows[1]["text"] is None
    assert store.stored_urls(scan_id) == {"https://shop.example/terms", "https://shop.example/faq"}
    # another scan may fetch the same URL again
    other = store.begin_scan(launched_by="t")
    assert store.add_page(other, SITE, "https://shop.example/terms", text=TEXT) != first


def test_documents_skip_failures_and_duplicates(store):
    scan_id = store.begin_scan(launched_by="t")
    store.add_page(scan_id, SITE, "http://shop.example/terms", final_url="https://shop.example/terms", text=TEXT)
    store.add_page(scan_id, SITE, "https://shop.example/terms", text=TEXT)  # same page, reached twice
    store.add_failure(scan_id, SITE, "https://shop.example/x", error_class="timeout")
    docs = store.documents_for_site(scan_id, SITE)
    assert [(d.location, d.text, d.sha256) for d in docs] == [("https://shop.example/terms", TEXT, sha256(TEXT))]


def test_analysis_round_trip_and_reanalysis(store):
    scan_id = store.begin_scan(launched_by="t")
    store.add_target(scan_id, position=1, name="好物", url="https://shop.example/", site_key=SITE)
    a1 = store.add_analysis(scan_id, SITE, make_report(Status.FAIL, "v1"))
    a2 = store.add_analysis(scan_id, SITE, make_report(Status.PASS, "v2"))
    assert [a["rulepack_version"] for a in store.analyses(scan_id, SITE)] == ["v1", "v2"]
    latest = store.latest_results(scan_id)
    assert [(r["rule_id"], r["status"]) for r in latest] == [("M01", "pass"), ("P05", "pass")]
    assert all(r["analysis_id"] == a2 for r in latest)
    old = store.results(a1)
    assert old[1]["status"] == "fail" and old[1]["evidence"][0]["text"] == TEXT[7:17]
    assert old[1]["result"] == make_report().results[1].as_dict()
    store.add_page(scan_id, SITE, "https://shop.example/terms", text=TEXT)
    assert store.report(a1).as_dict() == make_report(Status.FAIL, "v1").as_dict()
    assert store.report(a1).target.documents[0].text == TEXT
    assert [r.rulepack["version"] for r in store.latest_reports(scan_id)] == ["v2"]


def test_reviews(store):
    scan_id = store.begin_scan(launched_by="t")
    analysis = store.add_analysis(scan_id, SITE, make_report())
    p05 = store.results(analysis)[1]["id"]
    store.add_review(p05, reviewer="王檢查員", decision="confirm", note="拆封不退違反§19",
                     evidence_sha256=sha256(TEXT))
    store.add_review(p05, reviewer="李科長", decision="dismiss", note="準則§2 例外")
    assert [(r["reviewer"], r["decision"]) for r in store.reviews_for(p05)] == [("王檢查員", "confirm"),
                                                                                ("李科長", "dismiss")]
    with pytest.raises(InvalidDecision, match="'maybe'"):
        store.add_review(p05, reviewer="x", decision="maybe")
    with pytest.raises(UnknownResult):
        store.add_review(12345, reviewer="x", decision="confirm")


@pytest.mark.parametrize("sql", [
    "UPDATE pages SET text = 'changed'",
    "DELETE FROM pages",
    "UPDATE results SET status = 'pass'",
    "DELETE FROM reviews",
    "UPDATE scans SET launched_by = 'someone else'",
    "DELETE FROM scans",
    "UPDATE targets SET url = 'x'",
])
def test_the_log_is_append_only(store, sql):
    scan_id = store.begin_scan(launched_by="t")
    store.add_target(scan_id, position=1, name="a", url="https://shop.example/", site_key=SITE)
    store.add_page(scan_id, SITE, "https://shop.example/", text=TEXT)
    result_id = store.results(store.add_analysis(scan_id, SITE, make_report()))[0]["id"]
    store.add_review(result_id, reviewer="r", decision="confirm")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute(sql)
