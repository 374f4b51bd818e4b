"""reports.record_format: the per-site inspection record (訪查紀錄), its A4 PDF, and the CLI."""
from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance.cli import main
from compliance.review import decide, review_states
from compliance.store import Store
from reports import record_format
from reports.record_format import RecordError, render, render_html, roc_date, site_record_html

from log_builder import BASE, SITE, TERMS, TERMS_FIXED, add_scan, by_rule

CHROMIUM = "/usr/bin/chromium"
HOSTILE = '好物<script>alert("x")</script>商店'
LIABILITY = "第十條 責任\n因系統故障所生之損害，本公司不負任何責任。\n"


class _Text(HTMLParser):
    """Visible text of an HTML page, and the tags it has."""

    def __init__(self):
        super().__init__()
        self.parts, self.tags, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _parse(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


def _section(html: str, heading: str) -> str:
    """Visible text from the h2 that contains ``heading`` to the next h2."""
    m = re.search(r"<h2>[^<]*" + heading + r".*?(?=<h2>|</body>)", html, re.S)
    assert m, heading
    return "".join(_parse(m.group(0)).parts)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "log.db") as s:
        yield s


@pytest.fixture
def reviewed(store):
    """One scan: P05 confirmed, M13 dismissed, the rest of the findings undecided."""
    scan_id, rows = add_scan(store, {"/terms": TERMS + LIABILITY}, name=HOSTILE)
    rules = by_rule(rows)
    decide(store, rules["P05"]["id"], reviewer="王小明", decision="confirm", note="拆封不退")
    decide(store, rules["M13"]["id"], reviewer="王小明", decision="dismiss", note="系統安全載於他頁")
    return scan_id, rows


def test_confirmed_pending_and_dismissed_are_kept_apart(store, reviewed):
    scan_id, rows = reviewed
    html = site_record_html(store, scan_id, SITE)
    confirmed = _section(html, "經確認之違規事項")
    pending = _section(html, "待確認事項")
    assert "P05" in confirmed and "拆封不退" in confirmed and "王小明" in confirmed
    assert "商品一經拆封恕不退貨" in confirmed  # the evidence
    assert "消費者保護法 第19條" in confirmed and "law.moj.gov.tw" in confirmed  # legal basis
    assert "改正建議" in confirmed
    undecided = [r["rule_id"] for r in rows if r["status"] in ("fail", "needs_review")
                 and r["rule_id"] not in ("P05", "M13")]
    assert undecided and all(rid in pending for rid in undecided)
    assert "P03" not in confirmed and "U02" in pending  # a needs_review nobody confirmed
    assert "P05" not in pending
    assert "M13" not in html  # dismissed: counted, not listed
    assert "經審查不列為違規：1 項" in "".join(_parse(html).parts)


def test_header_and_signature_block(store, reviewed):
    scan_id, _ = reviewed
    html = site_record_html(store, scan_id, SITE)
    text = "".join(_parse(html).parts)
    scan = store.scan(scan_id)
    for label in ("受檢網站", "訪查日期", "規則包版本", "檢查人員", "檢查人員（簽章）", "業者代表（簽章）"):
        assert label in text
    assert roc_date(record_format._local(scan["started_at"]).date()) in text
    assert "tw-retail-online" in text and BASE + "/" in text
    assert "王小明" in text  # the reviewer who confirmed is the inspector named
    assert "@page" in html and "size: A4" in html and "break-inside: avoid" in html
    assert "Noto Serif CJK TC" in html and "Noto Sans CJK TC" in html


def test_scraped_strings_are_escaped(store, reviewed):
    scan_id, _ = reviewed
    html = site_record_html(store, scan_id, SITE)
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "script" not in _parse(html).tags
    assert "default-src 'none'" in html


def test_carried_confirmation_is_listed_as_confirmed(store, reviewed):
    _, _ = reviewed
    new_scan, _ = add_scan(store, {"/terms": "最新消息\n" + TERMS + LIABILITY}, name="好物商店")
    html = site_record_html(store, new_scan, SITE)
    confirmed = _section(html, "經確認之違規事項")
    assert "P05" in confirmed and "沿用" in confirmed
    assert "前次訪查已列不符合，迄今未改正" in confirmed  # the re-inspection against the first scan
    assert "本次均未見改善" in _section(html, "前次訪查後已改善之事項")
    fixed_scan, _ = add_scan(store, {"/terms": TERMS_FIXED}, name="好物商店")
    html = site_record_html(store, fixed_scan, SITE)
    assert "尚無經檢查人員確認之違規事項" in html
    fixed = _section(html, "已改善之事項")
    assert "P05" in fixed and "不符合（經確認） → 符合" in fixed
    assert "P05" not in _section(html, "經確認之違規事項") and "P05" not in _section(html, "待確認事項")
    # without the comparison, nothing is said about earlier visits
    plain = site_record_html(store, fixed_scan, SITE, compare_previous=False)
    assert "前次訪查" not in "".join(_parse(plain).parts)


def test_without_reviews_everything_is_pending(store):
    scan_id, rows = add_scan(store, {"/terms": TERMS})
    report = store.report(rows[0]["analysis_id"])
    out = io.StringIO()
    render(report, out)  # the FORMATS signature: render(report, file)
    html = out.getvalue()
    assert "尚無經檢查人員確認之違規事項" in html and "尚無任何審查決定" in html
    assert "P05" in _section(html, "待確認事項")
    assert "年" in _section(html, "限期改正及簽章")


def test_reviews_by_rule_id_or_result_id(store):
    scan_id, rows = add_scan(store, {"/terms": TERMS})
    report = store.report(rows[0]["analysis_id"])
    by_rule_id = render_html(report, reviews={"P03": "confirmed"})
    assert "P03" in _section(by_rule_id, "經確認之違規事項")
    decide(store, by_rule(rows)["P03"]["id"], reviewer="李", decision="confirm")
    by_result_id = render_html(report, reviews=review_states(store, rows))
    assert "P03" in _section(by_result_id, "經確認之違規事項") and "李" in by_result_id
    with pytest.raises(RecordError):
        render_html(report, reviews={rows[0]["id"]: "confirmed"})  # not this report's results


def test_cli_report_record(store, reviewed, tmp_path):
    scan_id, _ = reviewed
    add_scan(store, {"/terms": TERMS}, site="other.example", base="https://other.example")  # scan 2
    runner = CliRunner()
    out = tmp_path / "record.html"
    res = runner.invoke(main, ["report", "--db", store.path, "--scan", str(scan_id), "--format", "record",
                               "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "P05" in _section(out.read_text(encoding="utf-8"), "經確認之違規事項")
    res = runner.invoke(main, ["report", "--db", store.path, "--scan", str(scan_id), "--format", "record",
                               "--site", "nobody.example"])
    assert res.exit_code == 2 and "nobody.example" in res.output


def _pdf(html_path: Path, out: Path, tmp_path: Path) -> None:
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'chromium-profile'}", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", html_path.as_uri()],
                   check=True, capture_output=True, timeout=120)


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package (/usr/bin/chromium)")
def test_record_prints_to_a4_pdf(store, reviewed, tmp_path):
    from pypdf import PdfReader

    scan_id, _ = reviewed
    html_path = tmp_path / "record.html"
    html_path.write_text(site_record_html(store, scan_id, SITE), encoding="utf-8")
    pdf = tmp_path / "record.pdf"
    _pdf(html_path, pdf, tmp_path)
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595) <= 2 and abs(h - 842) <= 2, (w, h)
    text = "".join(p.extract_text() for p in reader.pages)
    # CJK fonts map some glyphs to Kangxi radicals (⾴ for 頁); NFKC folds them back
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    assert "P05" in flat
    assert "好物" in flat and "商店" in flat  # the site's name (its <script> shown as text)
    assert "訪查紀錄" in flat and "業者代表" in flat
    assert "第1頁" in flat  # page numbers from the @page margin box


def test_evidence_on_one_line_is_quoted_once_with_every_slice_marked():
    from compliance.models import Document, Evidence, Kind, LegalBasis, Report, Result, Severity, Status, Target

    url = "https://shop.example/returns"
    text = "退換貨須知\n" + "前言" * 50 + "特價品恕不退貨，退貨須扣除手續費，並由消費者負擔運費。\n其他條款。\n"
    ev = [Evidence(url, text.index(w), text.index(w) + len(w), w, "regex") for w in ("特價品恕不退貨", "扣除手續費")]
    ev.append(Evidence("https://elsewhere.example/", 0, 4, "不退不換", "regex"))  # no document text known
    result = Result("P05", Kind.PROHIBITED, "拋棄或限制解除權", Status.FAIL, Severity.HIGH, 0.9,
                    [LegalBasis("消費者保護法", "第19條第1項", "https://law.moj.gov.tw/")], "限制解除權", "刪除", ev)
    report = Report({"name": "t", "version": "0"}, {"id": "p", "version": "1"},
                    Target("site", "shop.example", [Document(url, text)]), [result])
    html = render_html(report, reviews={"P05": "confirmed"})
    section = _section(html, "經確認之違規事項")
    assert section.count("並由消費者負擔運費") == 1  # the line once, not once per slice
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["特價品恕不退貨", "扣除手續費", "不退不換"]
    assert "…" in section and "前言" * 50 not in section  # long context cut
    assert "其他條款" not in section  # the next line is not part of the quote
    assert f"第 {ev[0].start}–{ev[0].end}、{ev[1].start}–{ev[1].end} 字" in section


def test_unreadable_site_is_not_reported_compliant(store):
    scan_id, rows = add_scan(store, {"/": None, "/terms": None})
    assert {r["status"] for r in rows} == {"error"}
    html = site_record_html(store, scan_id, SITE)
    errors = _section(html, "無法判斷之項目")
    assert f"全部項目（共 {len(rows)} 項）" in errors and "http_5xx" in errors
    assert errors.count("不得視為符合") == 1  # one row for the one reason, not one per rule
    assert "須另行訪查" in _section(html, "限期改正及簽章")
