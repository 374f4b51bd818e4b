"""The overview's data: the sites × rule items matrix of one scan, filtered, worst first."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .format import SEVERITY_RANK, STATUS

KIND_GROUPS = {"mandatory": "應記載事項", "prohibited": "不得記載事項", "statutory": "法定義務",
               "unfair": "顯失公平", "advisory": "提醒事項"}
REVIEW_STATES = ("pending", "confirmed", "dismissed")


@dataclass
class Filters:
    rule: str = ""
    status: str = ""
    severity: str = ""
    review: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        f = cls(rule=args.get("rule", "").strip().upper(), status=args.get("status", ""),
                severity=args.get("severity", ""), review=args.get("review", ""))
        f.status = f.status if f.status in STATUS else ""
        f.severity = f.severity if f.severity in SEVERITY_RANK else ""
        f.review = f.review if f.review in REVIEW_STATES else ""
        return f

    @property
    def active(self) -> bool:
        return bool(self.rule or self.status or self.severity or self.review)

    def cell_matches(self, cell: dict) -> bool:
        return ((not self.status or cell["status"] == self.status)
                and (not self.severity or cell["severity"] == self.severity)
                and (not self.review or cell["review"] == self.review))


@dataclass
class Overview:
    scan: dict
    rules: list[dict]                      # [{rule_id, title, kind, severity}] catalogue order
    groups: list[dict]                     # [{label, span}] kind headers over the rule columns
    rows: list[dict]                       # sites, worst first
    per_rule: list[dict]                   # chart data, worst first
    per_site: list[dict]
    rate: float
    rate_reviewed: float
    failed: int
    dismissed_fails: int
    items: int
    sites: int
    filters: Filters
    all_rules: list[dict] = field(default_factory=list)
    pending: int = 0
    totals: Counter = field(default_factory=Counter)


def build(store, scan_id: int, filters: Filters, review_states) -> Overview:
    scan = store.scan(scan_id)
    names = {s["site_key"]: s["name"] for s in store.sites(scan_id)}
    analyses = store.latest_analyses(scan_id)
    results_by_site = {a["site_key"]: store.results(a["id"]) for a in analyses}
    all_results = [r for rs in results_by_site.values() for r in rs]
    states = review_states(store, all_results) if all_results else {}

    rules: dict[str, dict] = {}
    for rs in results_by_site.values():
        for r in rs:
            if r["rule_id"] not in rules:
                rules[r["rule_id"]] = {"rule_id": r["rule_id"], "title": r["result"].get("title", ""),
                                       "kind": r["result"].get("kind", ""), "severity": r["severity"]}
    rule_list = list(rules.values())
    shown_rules = [r for r in rule_list if not filters.rule or r["rule_id"] == filters.rule]
    # items counted in the rate: every rule item except advisories (severity info never counts,
    # as in Report.failing() and the scan summary report)
    counted = [r for r in rule_list if r["severity"] != "info"]

    rows, totals = [], Counter()
    failed = dismissed_fails = 0
    for a in analyses:
        key = a["site_key"]
        cells = {}
        for r in results_by_site[key]:
            st = states.get(r["id"])
            review = st.state if st is not None and r["status"] in ("fail", "needs_review") else None
            cells[r["rule_id"]] = {"result_id": r["id"], "status": r["status"], "severity": r["severity"],
                                   "review": review, "carried": bool(st is not None and st.carried),
                                   "label": STATUS.get(r["status"], r["status"])}
        counts = Counter(c["status"] for c in cells.values())
        fails = [c for c in cells.values() if c["status"] == "fail" and c["severity"] != "info"]
        failed += len(fails)
        dismissed_fails += sum(1 for c in fails if c["review"] == "dismissed")
        for c in cells.values():
            c["match"] = filters.cell_matches(c)
        shown = [cells[r["rule_id"]] for r in shown_rules if r["rule_id"] in cells]
        matching = [c for c in shown if c["match"]]
        if filters.active and not matching:
            continue
        totals.update(c["status"] for c in matching)
        rows.append({
            "site_key": key, "name": names.get(key) or (a["target"] or {}).get("name") or key,
            "cells": cells, "fail": len(fails), "high": sum(1 for c in fails if c["severity"] == "high"),
            "needs_review": counts["needs_review"], "error": counts["error"],
            "pending": sum(1 for c in cells.values() if c["review"] == "pending"),
            # advisories (severity info) are not counted as fails, unless asked for by the filter
            "match_fail": sum(1 for c in matching if c["status"] == "fail"
                              and (c["severity"] != "info" or filters.severity == "info")),
            "match_review": sum(1 for c in matching if c["status"] == "needs_review"),
            "matching": len(matching),
        })
    rows.sort(key=lambda r: (-r["fail"], -r["high"], -r["needs_review"], -r["error"], r["name"]))

    per_rule = []
    for r in shown_rules:
        cs = [row["cells"][r["rule_id"]] for row in rows if r["rule_id"] in row["cells"]]
        cs = [c for c in cs if c["match"]]
        n_fail = sum(1 for c in cs if c["status"] == "fail")
        n_review = sum(1 for c in cs if c["status"] == "needs_review")
        if n_fail or n_review:
            per_rule.append({**r, "fail": n_fail, "needs_review": n_review})
    per_rule.sort(key=lambda x: (-x["fail"], -x["needs_review"], x["rule_id"]))
    per_site = sorted(({"name": r["name"], "site_key": r["site_key"], "fail": r["match_fail"],
                        "needs_review": r["match_review"]} for r in rows if r["match_fail"] or r["match_review"]),
                      key=lambda x: (-x["fail"], -x["needs_review"], x["name"]))

    groups = []
    for r in shown_rules:
        label = KIND_GROUPS.get(r["kind"], r["kind"])
        if groups and groups[-1]["label"] == label:
            groups[-1]["span"] += 1
        else:
            groups.append({"label": label, "span": 1, "kind": r["kind"]})

    denominator = len(analyses) * len(counted)
    return Overview(
        scan=scan, rules=shown_rules, groups=groups, rows=rows, per_rule=per_rule, per_site=per_site,
        rate=failed / denominator if denominator else 0.0,
        rate_reviewed=(failed - dismissed_fails) / denominator if denominator else 0.0,
        failed=failed, dismissed_fails=dismissed_fails, items=len(counted), sites=len(analyses),
        filters=filters, totals=totals, all_rules=rule_list,
        pending=sum(1 for rs in results_by_site.values() for r in rs
                    if r["status"] in ("fail", "needs_review") and _state(states, r["id"]) == "pending"))


def _state(states, result_id) -> str:
    st = states.get(result_id)
    return st.state if st is not None else "pending"


def bars(items: list[dict], width: int = 360) -> dict:
    """Bar lengths (in SVG user units) for a stacked fail / needs_review chart."""
    top = max((i["fail"] + i["needs_review"] for i in items), default=0) or 1
    scale = width / top
    return {"scale": scale, "width": width, "max": top,
            "items": [{**i, "w_fail": round(i["fail"] * scale, 1), "w_review": round(i["needs_review"] * scale, 1)}
                      for i in items]}
