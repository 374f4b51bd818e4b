"""Output formats (reports/): each format is rendered from one hand-built Report and read back."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from compliance.models import (Document, Evidence, Kind, LegalBasis, Report, Result, Severity,
                               Status, Target)
from reports import FORMATS, UnknownFormat, render
from reports.sarif_format import sarif

TERMS = "https://shop.example/terms"
RETURNS = "https://shop.example/returns"

SCRIPT = "<script>alert(1)</script>"
TERMS_TEXT = (
    "第一條 總則\n本網站由好物股份有限公司經營，客服電話 02-1234-5678。\n"
    "第五條 退貨\n商品一經拆封恕不退貨" + SCRIPT + "，運費由消費者負擔。\n"
    "第九條 其他\n本公司保留最終解釋權。\n"
)
RETURNS_TEXT = (
    "退換貨須知\n\x1b[2J請於收到商品後 3 日內申請退貨，逾期不受理。\n"
    '特殊字元 "&<> 與 [bold]粗體[/bold] 皆應原樣顯示。\n'
    "=HYPERLINK(\"http://evil.example\") 會員條款另行公告。\n"
)

LAW = "https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=J0170001"


def _ev(location: str, text: str, needle: str, by: str = "regex") -> Evidence:
    start = text.index(needle)
    return Evidence(location, start, start + len(needle), needle, by)


def _result(rule_id, kind, title, status, severity, evidence=(), basis=None, **kw) -> Result:
    return Result(
        rule_id=rule_id, kind=kind, title=title, status=status, severity=severity,
        confidence=kw.get("confidence", 0.9),
        legal_basis=[LegalBasis("消費者保護法", "第19條第1項", LAW)] if basis is None else basis,
        message=kw.get("message", f"{title}：說明文字"), fix=kw.get("fix", f"請修正{title}"),
        evidence=list(evidence))


@pytest.fixture
def report() -> Report:
    docs = [Document(TERMS, TERMS_TEXT, title="會員條款"), Document(RETURNS, RETURNS_TEXT)]
    results = [
        # Catalogue order puts a pass and a low fail before the high fail on purpose.
        _result("M01", Kind.MANDATORY, "企業名稱及聯絡方式", Status.PASS, Severity.HIGH,
                [_ev(TERMS, TERMS_TEXT, "好物股份有限公司")]),
        _result("P09", Kind.PROHIBITED, "保留最終解釋權", Status.FAIL, Severity.LOW,
                [_ev(TERMS, TERMS_TEXT, "本公司保留最終解釋權")]),
        _result("P05", Kind.PROHIBITED, "拋棄或限制解除權", Status.FAIL, Severity.HIGH,
                [_ev(TERMS, TERMS_TEXT, "商品一經拆封恕不退貨" + SCRIPT),
                 _ev(RETURNS, RETURNS_TEXT, "\x1b[2J請於收到商品後 3 日內申請退貨")]),
        _result("M07", Kind.MANDATORY, "個人資料保護", Status.FAIL, Severity.MEDIUM, [],
                message="未找到個人資料蒐集、處理及利用之說明"),
        _result("U02", Kind.UNFAIR, "特殊字元條款", Status.NEEDS_REVIEW, Severity.MEDIUM,
                [_ev(RETURNS, RETURNS_TEXT, '"&<> 與 [bold]粗體[/bold]'),
                 # A location that matches no document, with a hostile scheme.
                 Evidence("javascript:alert(2)", 0, 4, "會員條款", "fuzzy")],
                basis=[LegalBasis("定型化契約範本", "第3點", "javascript:alert(3)", "secondary")]),
        _result("S03", Kind.STATUTORY, "會員條款另行公告", Status.FAIL, Severity.LOW,
                [_ev(RETURNS, RETURNS_TEXT, '=HYPERLINK("http://evil.example")')]),
        _result("S01", Kind.STATUTORY, "線上金融服務揭露", Status.NOT_APPLICABLE, Severity.MEDIUM),
        _result("A01", Kind.ADVISORY, "建議載明客服時間", Status.FAIL, Severity.INFO, []),
        _result("A02", Kind.ADVISORY, "語言版本", Status.ERROR, Severity.INFO, [],
                message="文件文字過短，無法判斷"),
    ]
    return Report(tool={"name": "tw-compliance", "version": "0.1.0"},
                  rulepack={"id": "tw-retail-online", "version": "2025.1"},
                  target=Target("site", "shop.example", docs), results=results)


def _out(report: Report, fmt: str, stream=None) -> str:
    stream = stream or io.StringIO()
    render(report, fmt, stream)
    return stream.getvalue()


def test_report_fixture_evidence_is_consistent(report):
    docs = {d.location: d.text for d in report.target.documents}
    for r in report.results:
        for e in r.evidence:
            if e.location in docs:
                assert docs[e.location][e.start:e.end] == e.text


def test_registry_and_unknown_format(report):
    assert set(FORMATS) == {"text", "json", "csv", "html", "sarif"}
    with pytest.raises(UnknownFormat, match=r"'pdf'.*text, json, csv, html, sarif"):
        render(report, "pdf", io.StringIO())


# --- json ---------------------------------------------------------------------------------------

def test_json_is_exactly_as_dict(report):
    out = _out(report, "json")
    assert json.loads(out) == report.as_dict()
    assert "拋棄或限制解除權" in out  # ensure_ascii=False
    assert Report.from_dict(json.loads(out)).as_dict()["results"] == report.as_dict()["results"]


# --- csv ----------------------------------------------------------------------------------------

def test_csv_bom_rows_and_chinese(report):
    out = _out(report, "csv")
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out[1:], newline="")))
    assert len(rows) == len(report.results)
    assert [r["rule_id"] for r in rows] == [r.rule_id for r in report.results]
    p05 = rows[2]
    assert p05["title"] == "拋棄或限制解除權"
    assert p05["status"] == "fail" and p05["severity"] == "high"
    assert p05["legal_basis"] == f"消費者保護法 第19條第1項 <{LAW}>"
    assert p05["evidence_location"].split("\n") == [TERMS, RETURNS]
    assert p05["evidence_text"].split("\n")[0] == "商品一經拆封恕不退貨" + SCRIPT
    starts = [int(s) for s in p05["evidence_start"].split("\n")]
    assert starts == [e.start for e in report.results[2].evidence]
    assert rows[3]["evidence_text"] == ""  # absent mandatory item
    assert rows[4]["legal_basis"].endswith("（次級資料）")
    assert {r["target"] for r in rows} == {"shop.example"}


def test_csv_file_on_disk_is_utf8_with_bom(report, tmp_path):
    path = tmp_path / "report.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        render(report, "csv", f)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + len(report.results)
    assert rows[1][2] == "企業名稱及聯絡方式"


def test_csv_neutralises_formulas(report):
    rows = list(csv.DictReader(io.StringIO(_out(report, "csv")[1:], newline="")))
    s03 = next(r for r in rows if r["rule_id"] == "S03")
    assert s03["evidence_text"].startswith("'=HYPERLINK")


# --- html ---------------------------------------------------------------------------------------

def test_html_escapes_hostile_text(report):
    out = _out(report, "html")
    assert '<html lang="zh-Hant-TW">' in out
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&#34;&amp;&lt;&gt;" in out
    assert "\x1b" not in out
    # Hostile schemes are shown, never linked.
    assert 'href="javascript' not in out
    assert "javascript:alert(2)" in out and "javascript:alert(3)" in out
    # Self-contained: no external assets.
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=", out)


def test_html_marks_evidence_in_context(report):
    out = _out(report, "html")
    marks = re.findall(r"<mark>(.*?)</mark>", out, re.S)
    assert "商品一經拆封恕不退貨&lt;script&gt;alert(1)&lt;/script&gt;" in marks
    assert "本公司保留最終解釋權" in marks
    # Context from the document surrounds the mark.
    assert re.search(r"第五條 退貨\n<mark>商品一經拆封恕不退貨", out)
    assert re.search(r"</mark>，運費由消費者負擔", out)
    # Evidence whose location matches no document is still shown, alone.
    assert "<mark>會員條款</mark>" in out
    assert out.index("不符合（") < out.index("待人工判斷（") < out.index("符合與不適用")
    assert "〔次級資料〕" in out and f'href="{LAW.replace("&", "&amp;")}"' in out
    assert "@page" in out and "A4" in out


def test_html_without_document_text_shows_evidence_only(report):
    loaded = Report.from_dict(report.as_dict())  # documents carry no text
    out = _out(loaded, "html")
    assert "<mark>本公司保留最終解釋權</mark>" in out
    assert "<script" not in out.lower()


# --- sarif --------------------------------------------------------------------------------------

def _findings(report):
    return [r for r in report.results if r.status in (Status.FAIL, Status.NEEDS_REVIEW)]


def test_sarif_structure(report):
    log = json.loads(_out(report, "sarif"))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert {"name", "version", "informationUri", "rules"} <= set(driver)
    assert [r["id"] for r in driver["rules"]] == [r.rule_id for r in report.results]
    p05 = driver["rules"][2]
    assert p05["shortDescription"]["text"] == "拋棄或限制解除權"
    assert p05["help"]["text"] == "請修正拋棄或限制解除權"
    assert p05["properties"]["tags"] == ["prohibited"]
    assert p05["defaultConfiguration"]["level"] == "error"
    expected = sum(len(r.evidence) or 1 for r in _findings(report))
    assert len(run["results"]) == expected
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        assert res["properties"]["status"] in ("fail", "needs_review")
        assert res["locations"]


def test_sarif_offsets_and_levels(report):
    run = sarif(report)["runs"][0]
    docs = {d.location: d.text for d in report.target.documents}
    regions = 0
    for res in run["results"]:
        for loc in res["locations"]:
            phys = loc["physicalLocation"]
            region = phys.get("region")
            if region and phys["artifactLocation"]["uri"] in docs:
                text = docs[phys["artifactLocation"]["uri"]]
                start, length = region["charOffset"], region["charLength"]
                assert text[start:start + length] == region["snippet"]["text"]
                regions += 1
    assert regions == 5
    levels = {}
    for res in run["results"]:
        levels.setdefault(res["ruleId"], set()).add(res["level"])
    assert levels == {"P09": {"warning"}, "P05": {"error"}, "M07": {"error"},
                      "U02": {"warning"}, "S03": {"warning"}, "A01": {"note"}}
    absent = [r for r in run["results"] if r["ruleId"] == "M07"]
    assert len(absent) == 1
    assert all("region" not in loc["physicalLocation"] for loc in absent[0]["locations"])
    assert {loc["physicalLocation"]["artifactLocation"]["uri"] for loc in absent[0]["locations"]} \
        == {TERMS, RETURNS}
    assert {r["kind"] for r in run["results"]} == {"fail", "review"}


# A minimal subset of the SARIF 2.1.0 schema: the parts this writer promises.
MINIMAL_SARIF_SCHEMA = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"rules": {"type": "array", "items": {
                        "type": "object", "required": ["id"]}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open",
                                          "informational"]},
                        "ruleIndex": {"type": "integer", "minimum": -1},
                        "message": {"type": "object", "anyOf": [{"required": ["text"]},
                                                                {"required": ["id"]}]},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "properties": {
                                    "uri": {"type": "string"}}},
                                "region": {"type": "object", "properties": {
                                    "charOffset": {"type": "integer", "minimum": -1},
                                    "charLength": {"type": "integer", "minimum": 0}}}}}}}},
                    }}},
            }}},
    },
}


def test_sarif_minimal_schema(report):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(sarif(report), MINIMAL_SARIF_SCHEMA)


# --- text ---------------------------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_plain_is_clean_and_ordered(report):
    out = _out(report, "text")
    assert "\x1b" not in out
    assert "檢查對象：shop.example（網站）" in out
    assert "tw-retail-online 版本 2025.1" in out
    assert "摘要：不符合 5｜待人工判斷 1｜無法判斷 1｜符合 1｜不適用 1" in out
    # Fails first, highest severity first, then review, then passes.
    order = [out.index(f"[{rid}]") for rid in ("P05", "M07", "P09", "S03", "A01", "U02")]
    assert order == sorted(order)
    assert out.index("■ 不符合") < out.index("■ 待人工判斷") < out.index("■ 符合")
    assert out.index("[P05]") < out.index("  M01 企業名稱及聯絡方式")
    assert "「商品一經拆封恕不退貨" + SCRIPT + "」" in out
    assert f"{TERMS}（第 {TERMS_TEXT.index('商品一經拆封')}–" in out
    assert "〔次級資料〕" in out
    assert "建議修正：請修正拋棄或限制解除權" in out
    assert "[bold]粗體[/bold]" in out  # literal, not markup


def test_text_on_terminal_uses_rich_without_injection(report, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    out = _out(report, "text", _Tty())
    assert "\x1b[" in out  # coloured
    assert "\x1b[2J" not in out  # the page's own escape sequence was dropped
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "[bold]粗體[/bold]" in plain
    assert plain.index("[P05]") < plain.index("  M01 企業名稱及聯絡方式")


def test_sarif_uri_is_percent_encoded():
    doc = Document("條款 頁.html", "本公司保留最終解釋權")
    res = _result("P09", Kind.PROHIBITED, "保留最終解釋權", Status.FAIL, Severity.LOW,
                  [_ev(doc.location, doc.text, "保留最終解釋權")])
    rep = Report({"name": "t", "version": "1"}, {"id": "p", "version": "1"},
                 Target("file", doc.location, [doc]), [res])
    loc = sarif(rep)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "%E6%A2%9D%E6%AC%BE%20%E9%A0%81.html"
    assert loc["region"] == {"charOffset": 3, "charLength": 7, "snippet": {"text": "保留最終解釋權"}}
