"""compliance.reinspect: per-rule changes and page diffs between two scans of a site."""
from __future__ import annotations

import re

import pytest

from compliance.reinspect import (NoPreviousScan, SiteNotInScan, classify, compare_all, compare_scans,
                                  compare_with_previous, previous_scan_id)
from compliance.review import decide
from compliance.store import Store, UnknownScan

from log_builder import SITE, TERMS, TERMS_FIXED, add_scan, by_rule

PRIVACY = "隱私權政策\n本公司依個人資料保護法蒐集、處理及利用您的個人資料。\n"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "log.db") as s:
        yield s


def _changes(cmp):
    return {c.rule_id: c for c in cmp.changes}


def test_fixed_and_still_failing(store):
    old, old_rows = add_scan(store, {"/terms": TERMS})
    new, new_rows = add_scan(store, {"/terms": TERMS_FIXED})
    cmp = compare_scans(store, old, new, SITE)
    ch = _changes(cmp)
    assert [c.rule_id for c in cmp.changes] == [r["rule_id"] for r in new_rows]  # catalogue order
    assert (ch["P05"].change, ch["P05"].old_status, ch["P05"].new_status) == ("fixed", "fail", "pass")
    assert ch["P05"].old_evidence == by_rule(old_rows)["P05"]["evidence"] and ch["P05"].new_evidence == []
    assert ch["P03"].change == "still_failing"
    assert ch["P01"].change == "unchanged"
    assert cmp.counts["fixed"] == len(cmp.of("fixed")) >= 1
    assert cmp.name == "好物商店" and cmp.new_analysis_id == new_rows[0]["analysis_id"]


def test_regressed_and_new(store):
    old, _ = add_scan(store, {"/terms": TERMS_FIXED})
    new, _ = add_scan(store, {"/terms": TERMS})
    ch = _changes(compare_scans(store, old, new, SITE))
    assert ch["P05"].change == "regressed"
    # a site the old scan never judged: every fail is new
    other, _ = add_scan(store, {"/terms": TERMS}, site="other.example", base="https://other.example")
    cmp = compare_scans(store, old, other, "other.example")
    assert cmp.old_analysis_id is None
    assert {c.change for c in cmp.changes if c.new_status == "fail"} == {"new"}
    assert {c.change for c in cmp.changes if c.new_status != "fail"} == {"unchanged"}


def test_reviews_decide_what_failed():
    # verdict pairs, as documented in the module
    assert classify("fails", "fails") == "still_failing"
    assert classify("fails", "passes") == "fixed"
    assert classify("passes", "fails") == "regressed"
    assert classify("neither", "fails") == "new"
    assert classify("fails", "neither") == "unchanged"
    assert classify("neither", "passes") == "unchanged"


def test_dismissed_finding_that_disappears_is_not_fixed(store):
    old, old_rows = add_scan(store, {"/terms": TERMS})
    decide(store, by_rule(old_rows)["P05"]["id"], reviewer="王", decision="dismiss", note="誤判")
    new, _ = add_scan(store, {"/terms": TERMS_FIXED})
    assert _changes(compare_scans(store, old, new, SITE))["P05"].change == "unchanged"


def test_error_is_neither_fixed_nor_failing(store):
    old, _ = add_scan(store, {"/terms": TERMS})
    new, new_rows = add_scan(store, {"/terms": None})  # the site could not be read this time
    assert {r["status"] for r in new_rows} == {"error"}
    cmp = compare_scans(store, old, new, SITE)
    assert {c.change for c in cmp.changes} == {"unchanged"}
    [d] = cmp.text_diffs
    assert d.status == "removed" and "http_5xx" in d.note


def test_latest_analysis_of_each_scan_is_used(store):
    from compliance.engine import check_documents

    old, _ = add_scan(store, {"/terms": TERMS})
    new, _ = add_scan(store, {"/terms": TERMS})
    # re-judge the new scan as if its pages had been fixed: the comparison follows the newer analysis
    from compliance.models import Document
    report = check_documents([Document("https://shop.example/terms", TERMS_FIXED)], target_kind="site",
                             target_name="好物商店")
    analysis = store.add_analysis(new, SITE, report)
    cmp = compare_scans(store, old, new, SITE)
    assert cmp.new_analysis_id == analysis and _changes(cmp)["P05"].change == "fixed"


def test_text_diffs_match_pages_by_path(store):
    old, _ = add_scan(store, {"/terms": TERMS, "/privacy/": PRIVACY, "/old-faq": "常見問題\n舊內容\n"})
    # the re-inspection reached the shop on another host and port
    new, _ = add_scan(store, {"/terms": TERMS_FIXED, "/privacy": PRIVACY, "/returns": "退換貨須知\n七日內可退\n"},
                      base="http://127.0.0.1:8123")
    diffs = {d.location: d for d in compare_scans(store, old, new, SITE).text_diffs}
    assert set(diffs) == {"/terms", "/privacy", "/old-faq", "/returns"}
    t = diffs["/terms"]
    assert (t.status, t.added, t.removed) == ("changed", 1, 1)
    assert t.old_url == "https://shop.example/terms" and t.new_url == "http://127.0.0.1:8123/terms"
    assert "-商品一經拆封恕不退貨，運費由消費者負擔。" in t.unified
    assert "+消費者得於收受商品後七日內" in t.unified
    assert "<del>" in t.html and "<ins>" in t.html
    assert diffs["/privacy"].status == "unchanged" and not diffs["/privacy"].changed
    assert (diffs["/old-faq"].status, diffs["/old-faq"].removed) == ("removed", 2)
    assert (diffs["/returns"].status, diffs["/returns"].added) == ("added", 2)


def test_scraped_text_is_escaped_in_the_diff(store):
    old, _ = add_scan(store, {"/terms": TERMS})
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    new, _ = add_scan(store, {"/terms": TERMS + payload + "\n"})
    [d] = compare_scans(store, old, new, SITE).text_diffs
    assert "<script>" not in d.html and "<img" not in d.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in d.html
    assert "onerror=&#34;alert(2)&#34;" in d.html or "onerror=&quot;alert(2)&quot;" in d.html


def test_compare_all_and_previous_scan(store):
    first, _ = add_scan(store, {"/terms": TERMS})
    only_other, _ = add_scan(store, {"/terms": TERMS}, site="other.example", base="https://other.example")
    latest, _ = add_scan(store, {"/terms": TERMS_FIXED})
    assert previous_scan_id(store, SITE, latest) == first
    assert previous_scan_id(store, SITE, first) is None
    assert [c.site_key for c in compare_all(store, first, latest)] == [SITE]
    assert compare_all(store, only_other, latest) == []
    [cmp] = compare_with_previous(store)  # default: the latest scan
    assert (cmp.old_scan_id, cmp.new_scan_id) == (first, latest)
    assert _changes(cmp)["P05"].change == "fixed"
    with pytest.raises(NoPreviousScan):
        compare_with_previous(store, first)


def test_bad_scans_and_sites(store):
    old, _ = add_scan(store, {"/terms": TERMS})
    with pytest.raises(UnknownScan):
        compare_scans(store, old, 999, SITE)
    with pytest.raises(UnknownScan):
        compare_scans(store, 999, old, SITE)
    with pytest.raises(SiteNotInScan):
        compare_scans(store, old, old, "nobody.example")
    with pytest.raises(UnknownScan):
        compare_all(store, old, 999)


LIABILITY = "第十條 責任\n因系統故障所生之損害，本公司不負任何責任。\n"


def test_confirmed_needs_review_that_disappears_is_fixed(store):
    old, old_rows = add_scan(store, {"/terms": TERMS + LIABILITY})
    u02 = by_rule(old_rows)["U02"]
    assert u02["status"] == "needs_review"
    new, _ = add_scan(store, {"/terms": TERMS})
    assert _changes(compare_scans(store, old, new, SITE))["U02"].change == "unchanged"  # nobody confirmed it
    decide(store, u02["id"], reviewer="王", decision="confirm", note="全面免責")
    assert _changes(compare_scans(store, old, new, SITE))["U02"].change == "fixed"


def test_pending_needs_review_now(store):
    old, _ = add_scan(store, {"/terms": TERMS})
    new, new_rows = add_scan(store, {"/terms": TERMS + LIABILITY})
    u02 = _changes(compare_scans(store, old, new, SITE))["U02"]
    assert (u02.change, u02.pending, u02.new_review) == ("unchanged", True, "pending")
    decide(store, by_rule(new_rows)["U02"]["id"], reviewer="王", decision="confirm")
    u02 = _changes(compare_scans(store, old, new, SITE))["U02"]
    assert (u02.change, u02.pending) == ("regressed", False)


# --- the diff command ---------------------------------------------------------------------

def _diff(store, *args):
    from click.testing import CliRunner

    from compliance.cli import main

    return CliRunner().invoke(main, ["diff", "--db", store.path, *args])


def test_diff_command_text_and_json(store):
    import json

    old, _ = add_scan(store, {"/terms": TERMS})
    new, _ = add_scan(store, {"/terms": TERMS_FIXED})
    res = _diff(store)  # default: latest scan against the previous scan of each site
    assert res.exit_code == 0, res.output
    assert f"掃描 #{old} → #{new}" in res.output
    assert re.search(r"\[已改善\] P05 .*不符合 → 符合", res.output)
    assert re.search(r"\[仍不符合\] P03 ", res.output)
    assert "/terms　修改（+1 −1 行）" in res.output
    res = _diff(store, str(old), str(new), "--text")
    assert "-商品一經拆封恕不退貨" in res.output
    res = _diff(store, str(old), str(new), "--format", "json", "--site", SITE)
    data = json.loads(res.output)
    assert data["counts"]["fixed"] == sum(c["change"] == "fixed" for c in data["changes"]) >= 1
    assert {c["rule_id"]: c["change"] for c in data["changes"]}["P05"] == "fixed"


@pytest.mark.parametrize("args, message", [
    (["1", "99"], "#99"),
    (["1"], "兩個掃描編號"),
    ([], "無可比較之前次掃描"),
    (["--site", "nobody.example"], "nobody.example"),
])
def test_diff_command_errors(store, args, message):
    add_scan(store, {"/terms": TERMS})
    res = _diff(store, *args)
    assert res.exit_code == 2 and message in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


def test_diff_command_drops_terminal_escapes(store):
    old, _ = add_scan(store, {"/terms": TERMS})
    new, _ = add_scan(store, {"/terms": TERMS + "\x1b[2J\x1b]0;pwned\x07惡意文字\n"})
    res = _diff(store, "--text")
    assert res.exit_code == 0 and "+[2J]0;pwned惡意文字" in res.output
    assert "\x1b" not in res.output and "\x07" not in res.output


def test_changed_lines_mark_the_changed_words():
    from compliance.reinspect import _intraline

    old, new = _intraline("請於收到商品後 3 日內申請退貨，逾期不受理。", "請於收到商品後 7 日內申請退貨，逾期不受理。")
    assert (old, new) == ("請於收到商品後 <del>3</del> 日內申請退貨，逾期不受理。",
                          "請於收到商品後 <ins>7</ins> 日內申請退貨，逾期不受理。")
    old, new = _intraline("退款以購物金<b>支付</b>", "退款以購物金<b>支付</b>或原付款方式退回")  # text appended
    assert old == "退款以購物金&lt;b&gt;支付&lt;/b&gt;" and new.endswith("<ins>或原付款方式退回</ins>")
    old, new = _intraline("商品一經拆封恕不退貨，運費由消費者負擔。", "消費者得於收受商品後七日內，無須說明理由解除契約。")
    assert old.startswith("<del>") and old.endswith("</del>") and old.count("<del>") == 1  # rewritten: whole line
