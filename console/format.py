"""Labels and template filters shared by the console's pages."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from compliance.models import SEVERITY_LABELS, STATUS_LABELS, Severity, Status
from compliance.reinspect import CHANGE_LABELS
from compliance.review import DECISION_LABELS, STATE_LABELS
from reports.common import clean

TAIPEI = ZoneInfo("Asia/Taipei")

STATUS = {s.value: l for s, l in STATUS_LABELS.items()}
SEVERITY = {s.value: l for s, l in SEVERITY_LABELS.items()}
SEVERITY_RANK = {s.value: s.rank for s in Severity}
# The marks of the scan summary report (reports/scan_summary.py), so the two read alike.
MARKS = {"fail": "✕", "needs_review": "△", "pass": "○", "error": "？", "not_applicable": "－"}
STATUS_ORDER = [Status.FAIL.value, Status.NEEDS_REVIEW.value, Status.ERROR.value, Status.PASS.value,
                Status.NOT_APPLICABLE.value]
# the review library's own words, so the console and the printed record agree
REVIEW = dict(STATE_LABELS)
DECISION = dict(DECISION_LABELS)
CHANGE = dict(CHANGE_LABELS)
DIFF_STATUS = {"changed": "已修改", "unchanged": "未變更", "added": "新增頁面", "removed": "已移除"}
SCAN_STATUS = {"running": "執行中", "finished": "已完成", "interrupted": "已中斷", "failed": "失敗"}
ERROR_CLASS = {
    "dns": "網域名稱查詢失敗", "timeout": "逾時", "connection": "無法連線", "http_4xx": "HTTP 4xx 錯誤",
    "http_5xx": "HTTP 5xx 伺服器錯誤", "robots_disallowed": "robots.txt 不允許擷取", "too_large": "檔案過大",
    "not_html": "非 HTML／文字／PDF", "empty_text": "沒有文字內容", "decode_error": "無法辨識文字編碼",
}


def when(stamp: str | None) -> str:
    """An ISO time from the log as Taipei local time: 2026-12-01 15:08:20."""
    if not stamp:
        return ""
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return clean(stamp)
    if t.tzinfo is not None:
        t = t.astimezone(TAIPEI)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def percent(x: float) -> str:
    return f"{x * 100:.1f}%"


def register_filters(app) -> None:
    app.jinja_env.filters.update(when=when, percent=percent, clean=clean)
    app.jinja_env.globals.update(STATUS=STATUS, SEVERITY=SEVERITY, MARKS=MARKS, REVIEW=REVIEW,
                                 DECISION=DECISION, CHANGE=CHANGE, DIFF_STATUS=DIFF_STATUS, SCAN_STATUS=SCAN_STATUS,
                                 ERROR_CLASS=ERROR_CLASS, STATUS_ORDER=STATUS_ORDER)
