"""The HTML summary of a whole scan: the sites × rule items matrix officials use, the
non-conformance rate, fetch failures and rejected targets. One self-contained file."""
from __future__ import annotations

from collections import Counter

from jinja2 import Environment, PackageLoader, select_autoescape

from compliance.models import STATUS_LABELS, Status

_env = Environment(loader=PackageLoader("reports", "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))

MARKS = {"pass": "○", "fail": "✕", "needs_review": "△", "not_applicable": "－", "error": "？"}


def scan_view(store, scan_id: int) -> dict:
    scan = store.scan(scan_id)
    rows, per_rule, rule_titles = [], Counter(), {}
    rule_ids: list[str] = []
    fails_total = items_total = 0
    for analysis, report in zip(store.latest_analyses(scan_id), store.latest_reports(scan_id)):
        if not rule_ids:
            rule_ids = [r.rule_id for r in report.results]
        counted = [r for r in report.results if r.severity.value != "info"]
        fails = [r for r in counted if r.status is Status.FAIL]
        fails_total += len(fails)
        items_total += len(counted)
        per_rule.update(r.rule_id for r in fails)
        for r in report.results:
            rule_titles[r.rule_id] = r.title
        pages = store.pages_for_site(scan_id, analysis["site_key"])
        rows.append({
            "name": report.target.name, "site_key": analysis["site_key"],
            "marks": {r.rule_id: r.status.value for r in report.results},
            "fail": len(fails), "review": report.summary["needs_review"], "error": report.summary["error"],
            "pages": [p for p in pages if not p["error_class"]],
            "failures": [p for p in pages if p["error_class"]],
            "findings": [r for r in report.results if r.is_finding],
        })
    rows.sort(key=lambda x: (-x["fail"], -x["review"]))
    return {
        "scan": scan, "rows": rows, "rule_ids": rule_ids, "rule_titles": rule_titles,
        "per_rule": per_rule.most_common(), "marks": MARKS, "labels": {s.value: l for s, l in STATUS_LABELS.items()},
        "rate": (fails_total / items_total) if items_total else 0.0,
        "rejected": [t for t in store.targets(scan_id) if t.get("rejected_reason")],
    }


def render_scan(store, scan_id: int, file) -> None:
    file.write(_env.get_template("scan_summary.html.j2").render(**scan_view(store, scan_id)))
