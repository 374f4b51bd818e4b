"""The site page's data: results with review states, evidence marked in the stored page text."""
from __future__ import annotations

from compliance.models import KIND_LABELS
from reports.common import clean, context, is_web_url

from .format import SEVERITY, STATUS

KIND = {k.value: v for k, v in KIND_LABELS.items()}

CONTEXT_CHARS = 160


class NotAnalysed(LookupError):
    """The scan holds no analysis of that site."""


def _span(text: str, ev: dict) -> tuple[int, int] | None:
    """Where the evidence is in ``text``: its offsets when they still select it, else a search."""
    start, end, quote = ev.get("start", 0), ev.get("end", 0), ev.get("text", "")
    if quote and 0 <= start <= end <= len(text) and text[start:end] == quote:
        return start, end
    found = text.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """Cut ``text`` at every span boundary: [{text, rules, anchor}], rules = ids marking it."""
    if not spans:
        return [{"text": clean(text), "rules": [], "anchor": None}]
    points = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out, anchored = [], set()
    for a, b in zip(points, points[1:]):
        rules = sorted({rid for s, e, rid in spans if s <= a and b <= e})
        anchor = None
        for rid in rules:  # the first piece of each rule's evidence is a link target
            if rid not in anchored:
                anchored.add(rid)
                anchor = anchor or rid
        out.append({"text": clean(text[a:b]), "rules": rules, "anchor": anchor})
    return out


def _evidence(report, page_for, r: dict) -> list[dict]:
    from compliance.models import Evidence

    out = []
    for ev in r["result"].get("evidence", []):
        e = Evidence(ev["location"], ev["start"], ev["end"], ev["text"], ev.get("matched_by", ""))
        ctx = context(report, e, CONTEXT_CHARS)
        page = page_for.get(ev["location"])
        out.append({"location": clean(ev["location"]), "page_id": page["id"] if page else None,
                    "href": ev["location"] if is_web_url(ev["location"]) else None,
                    "start": ev["start"], "end": ev["end"], "before": clean(ctx.before),
                    "match": clean(ctx.match), "after": clean(ctx.after), "cut_before": ctx.cut_before,
                    "cut_after": ctx.cut_after, "in_document": ctx.in_document})
    return out


def build(store, scan_id: int, site_key: str, review_states) -> dict:
    analyses = store.analyses(scan_id, site_key)
    if not analyses:
        raise NotAnalysed(site_key)
    analysis = analyses[-1]
    report = store.report(analysis["id"])
    results = store.results(analysis["id"])
    states = review_states(store, results)
    pages = store.pages_for_site(scan_id, site_key)
    page_for: dict[str, dict] = {}
    for p in pages:
        if not p["error_class"] and p["text"]:
            page_for.setdefault(p["final_url"] or p["url"], p)
            page_for.setdefault(p["url"], p)

    findings, others, errors = [], [], []
    spans: dict[int, list] = {}
    for r in results:
        res = r["result"]
        st = states.get(r["id"])
        item = {
            "id": r["id"], "rule_id": r["rule_id"], "title": res.get("title", ""), "status": r["status"],
            "severity": r["severity"], "kind": res.get("kind", ""), "confidence": r["confidence"] or 0,
            "status_label": STATUS.get(r["status"], r["status"]),
            "severity_label": SEVERITY.get(r["severity"], r["severity"]),
            "kind_label": KIND.get(res.get("kind", ""), res.get("kind", "")),
            "message": res.get("message", ""), "fix": res.get("fix", ""),
            "legal_basis": [{"text": " ".join(x for x in (b.get("instrument"), b.get("article")) if x),
                             "url": b.get("url", ""), "href": b.get("url") if is_web_url(b.get("url", "")) else None,
                             "secondary": b.get("confidence") == "secondary"} for b in res.get("legal_basis", [])],
            "evidence": _evidence(report, page_for, r),
            "state": st, "history": store.reviews_for(r["id"]) if r["status"] in ("fail", "needs_review") else [],
        }
        for ev in res.get("evidence", []):
            page = page_for.get(ev["location"])
            if page is not None:
                where = _span(page["text"], ev)
                if where:
                    spans.setdefault(page["id"], []).append((*where, r["rule_id"]))
        if r["status"] in ("fail", "needs_review"):
            findings.append(item)
        elif r["status"] == "error":
            errors.append(item)
        else:
            others.append(item)
    rank = {"high": 3, "medium": 2, "low": 1, "info": 0}
    findings.sort(key=lambda f: (f["status"] != "fail", -rank.get(f["severity"], 0)))

    judged = {d.sha256 for d in report.target.documents}
    page_views = []
    for p in pages:
        page_views.append({**p, "judged": p["text_sha256"] in judged,
                           "segments": segments(p["text"], spans.get(p["id"], [])) if p["text"] else [],
                           "marks": len(spans.get(p["id"], [])),
                           "href": p["final_url"] if is_web_url(p["final_url"] or "") else None})
    target = analysis["target"] or {}
    name = next((s["name"] for s in store.sites(scan_id) if s["site_key"] == site_key), None)
    return {"analysis": analysis, "report": report, "site_key": site_key,
            "name": name or target.get("name") or site_key, "summary": analysis["summary"] or {},
            "findings": findings, "others": others, "errors": errors, "pages": page_views,
            "pending": sum(1 for f in findings if f["state"] is None or f["state"].state == "pending"),
            "status_of": {r["rule_id"]: r["status"] for r in results},
            "finding_ids": [f["rule_id"] for f in findings]}
