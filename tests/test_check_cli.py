"""`python -m compliance check`: exit codes, formats and bad input, as a shop operator's CI sees them.

Run as a subprocess: what is asserted is what a shell gets (exit status, stdout, one stderr line,
no traceback). The output contract is ../shared/output-contract.md.
"""
from __future__ import annotations

import csv
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from compliance.rules import load_pack

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"

# Written for this test: a small shop's terms with one clear prohibited clause (P03 最終解釋權)
# and the 7-day right cut to three days (M10 contradicted), nothing else unusual.
VIOLATING = """小木屋雜貨 購物說明
一、本店由小木屋雜貨有限公司經營，負責人林小木，電話 (02)2711-3456，電子郵件 hi@cabin.example，
地址：臺北市大安區和平東路二段 10 號。
二、付款方式：信用卡或 ATM 轉帳。配送：宅配到府，運費 80 元由消費者負擔，滿千免運。
三、收到商品後三日內可申請退貨，逾期不受理。
四、本店保留隨時修改本說明及最終解釋之權利。"""

NEWS = (CORPUS / "a11-news-disputes.txt")


def run(*args: str, stdin: bytes | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compliance", "check", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})


def one_line_error(proc: subprocess.CompletedProcess, name: str) -> str:
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    assert proc.stdout == b""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0]
    return lines[0]


@pytest.fixture
def violating(tmp_path) -> Path:
    p = tmp_path / "購物說明.txt"
    p.write_text(VIOLATING, encoding="utf-8")
    return p


def test_json_follows_the_output_contract(violating):
    proc = run(str(violating), "--format", "json")
    assert proc.returncode == 1, proc.stderr.decode()
    data = json.loads(proc.stdout)
    pack = load_pack()
    assert set(data) == {"tool", "rulepack", "target", "results", "summary"}
    assert data["rulepack"] == {"id": "tw-retail-online", "version": pack.version}
    assert data["target"]["kind"] == "file"
    (doc,) = data["target"]["documents"]
    assert doc["chars"] == len(VIOLATING) and len(doc["sha256"]) == 64
    # exactly one result per rule, in catalogue order
    assert [r["rule_id"] for r in data["results"]] == [r.id for r in pack.rules]
    keys = {"rule_id", "kind", "title", "status", "severity", "confidence", "legal_basis", "message", "fix",
            "evidence"}
    statuses = {"pass", "fail", "needs_review", "not_applicable", "error"}
    for r in data["results"]:
        assert keys <= set(r)
        assert r["status"] in statuses and r["severity"] in {"high", "medium", "low", "info"}
        assert r["legal_basis"] and all({"instrument", "article", "url"} <= set(b) for b in r["legal_basis"])
        if r["status"] in ("fail", "needs_review"):
            assert r["evidence"], r["rule_id"]
        for ev in r["evidence"]:
            # offsets point into the extracted text and slice to the evidence text
            assert VIOLATING[ev["start"]:ev["end"]] == ev["text"], (r["rule_id"], ev)
    by_id = {r["rule_id"]: r for r in data["results"]}
    assert by_id["P03"]["status"] == "fail" and "最終解釋" in by_id["P03"]["evidence"][0]["text"]
    assert by_id["M10"]["status"] == "fail" and "三日" in by_id["M10"]["evidence"][0]["text"]
    assert by_id["M01"]["status"] == "pass"
    counts = {s: sum(r["status"] == s for r in data["results"]) for s in statuses}
    assert data["summary"] == counts


def test_text_report_is_zh_tw_with_evidence_basis_and_fix(violating):
    proc = run(str(violating))
    assert proc.returncode == 1
    out = proc.stdout.decode("utf-8")
    assert "不符合" in out and "符合" in out
    assert "最終解釋之權利" in out  # the evidence, in the shop's own words
    assert "消費者保護法" in out  # legal basis
    assert "建議" in out  # the suggested fix


def test_fail_on_threshold(violating):
    # P03 and M10 are high-severity: --fail-on high still fails
    assert run(str(violating), "--fail-on", "high", "--format", "json").returncode == 1
    compliant = CORPUS / "c08-compliant-tableware-shop.txt"
    assert run(str(compliant), "--format", "json").returncode == 0


def test_needs_review_alone_does_not_fail(tmp_path):
    # U01 (a very short defect window) is needs_review, never fail (rule-catalogue U01)
    text = (CORPUS / "c08-compliant-tableware-shop.txt").read_text("utf-8")
    text += "\n十二、商品如有瑕疵，請於收到後24小時內反應，逾時恕不處理瑕疵問題。\n"
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    proc = run(str(p), "--format", "json")
    data = json.loads(proc.stdout)
    by_id = {r["rule_id"]: r["status"] for r in data["results"]}
    assert by_id["U01"] == "needs_review"
    assert "fail" not in {s for rid, s in by_id.items() if not rid.startswith("A")}
    assert proc.returncode == 0


def test_stdin_and_big5(tmp_path):
    proc = run("-", "--format", "json", stdin=VIOLATING.encode("cp950"))
    assert proc.returncode == 1, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["target"]["kind"] == "stdin"
    by_id = {r["rule_id"]: r for r in data["results"]}
    assert by_id["P03"]["status"] == "fail"


def test_csv_opens_in_excel_with_chinese_intact(violating):
    proc = run(str(violating), "--format", "csv")
    assert proc.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    body = [r for r in rows[1:] if r]
    assert len(body) >= len(load_pack().rules)
    assert any("最終解釋" in cell for r in body for cell in r)


def test_html_is_self_contained_and_escapes_the_page(tmp_path):
    hostile = VIOLATING.replace("最終解釋之權利", "最終解釋<script>alert(1)</script>之權利").replace(
        "三日內", "三日<img src=x onerror=alert(2)>內")
    p = tmp_path / "x.html"
    from html import escape

    p.write_text("<html><body>" + "".join(f"<p>{escape(line)}</p>" for line in hostile.splitlines())
                 + "</body></html>", encoding="utf-8")
    proc = run(str(p), "--format", "html")
    assert proc.returncode == 1, proc.stderr.decode()
    html = proc.stdout.decode("utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<mark" in html  # evidence highlighted
    assert "<link" not in html and "src=\"http" not in html  # one file: nothing fetched


def test_sarif_for_ci(violating):
    proc = run(str(violating), "--format", "sarif")
    sarif = json.loads(proc.stdout)
    assert sarif["version"] == "2.1.0"
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"P03", "M10"} <= rule_ids


def test_output_file(violating, tmp_path):
    out = tmp_path / "r.json"
    proc = run(str(violating), "--format", "json", "-o", str(out))
    assert proc.returncode == 1 and proc.stdout == b""
    assert json.loads(out.read_text("utf-8"))["results"]


def test_a_news_article_is_not_a_page_of_fails():
    data = json.loads(run(str(NEWS), "--format", "json").stdout)
    statuses = {r["status"] for r in data["results"]}
    assert "fail" not in statuses
    assert statuses <= {"not_applicable", "needs_review", "pass"}


@pytest.mark.parametrize("content,suffix,cause", [
    (b"", ".txt", "空"),
    (bytes(range(256)) * 40, ".txt", "編碼"),
    (b"\x81\x30\xff\xfe\x81\x39" * 300, ".html", "編碼"),
], ids=["empty", "binary", "unknown-encoding"])
def test_unreadable_files(tmp_path, content, suffix, cause):
    p = tmp_path / f"bad{suffix}"
    p.write_bytes(content)
    assert cause in one_line_error(run(str(p)), str(p))


def test_a_20_mb_file_is_refused(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.write(("本公司保留最終解釋權。" * 64).encode("utf-8") * 10000)  # > 20 MB
    assert p.stat().st_size > 20 * 1024 * 1024
    assert "MB" in one_line_error(run(str(p)), str(p))


def test_missing_file_directory_and_wrong_type(tmp_path):
    one_line_error(run(str(tmp_path / "nope.txt")), "nope.txt")
    one_line_error(run(str(tmp_path)), str(tmp_path))
    p = tmp_path / "terms.docx"
    p.write_bytes(b"PK\x03\x04")
    one_line_error(run(str(p)), "terms.docx")


def test_wrong_arguments_exit_2():
    proc = run(str(NEWS), "--format", "pdf")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def local_site(tmp_path):
    (tmp_path / "terms.html").write_text(f"<html><body><pre>{VIOLATING}</pre></body></html>", encoding="utf-8")
    handler = lambda *a, **kw: _Handler(*a, directory=str(tmp_path), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_is_fetched_once_and_checked(local_site):
    proc = run(f"{local_site}/terms.html", "--format", "json")
    assert proc.returncode == 1, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["target"]["kind"] == "url"
    assert {r["rule_id"]: r["status"] for r in data["results"]}["P03"] == "fail"


def test_url_that_cannot_be_fetched(local_site):
    line = one_line_error(run(f"{local_site}/missing.html"), "missing.html")
    assert "404" in line
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    one_line_error(run(f"http://127.0.0.1:{port}/terms"), str(port))
