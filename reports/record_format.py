"""The per-site inspection record (訪查紀錄): one self-contained HTML file that prints to A4.

    render(report, file, reviews=states, scan=store.scan(scan_id))
    html = site_record_html(store, scan_id, site_key)        # the same, read from the log

It lists each *confirmed* violation (review decision ``confirm``, including one carried over from an
earlier scan with unchanged evidence, compliance.review) with its evidence, legal basis and fix; the
other findings nobody has decided on yet separately as 待確認, never as violations; then the correction
deadline (限期改正) and a signature block for the inspector and the shop's representative.

``reviews`` maps each result to its review state, either by rule id (``{"P05": ReviewState|"confirmed"}``)
or by result id as ``compliance.review.review_states`` returns it for exactly the report's results
(result ids of one analysis ascend in catalogue order, Store.add_analysis). Without ``reviews`` nothing
is confirmed, so every finding is 待確認. Dismissed findings are counted, not listed: the record is
handed to the shop.

Scraped text is hostile: the template autoescapes everything, nothing here is marked safe, and only
http(s) URLs become links. No script, font or image is loaded (CSP ``default-src 'none'``).
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from compliance.models import STATUS_LABELS, Kind, Report, Result, Status

from .common import basis_line, by_severity, clean, document_for, is_web_url, one_line, target_kind_label

TEMPLATES = Path(__file__).parent / "templates"
TAIPEI = ZoneInfo("Asia/Taipei")
CONTEXT_CHARS = 60  # characters shown either side of a quote
MAX_QUOTES = 3  # per violation; the rest are counted
MAX_PENDING_QUOTE = 60

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


class RecordError(ValueError):
    """The review states given do not fit the report."""


def roc_date(d: date) -> str:
    """中華民國115年12月1日 — the calendar of Taiwan's official documents."""
    return f"中華民國{d.year - 1911}年{d.month}月{d.day}日"


def _local(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment.astimezone(TAIPEI) if moment.tzinfo else moment


def _state_of(value: Any) -> tuple[str, dict | None, bool]:
    """(state, decision row, carried) from a ReviewState or a plain state string."""
    if value is None:
        return "pending", None, False
    if isinstance(value, str):
        return value, None, False
    return value.state, getattr(value, "decision", None), bool(getattr(value, "carried", False))


def states_by_rule(report: Report, reviews: Mapping | None) -> dict[str, tuple[str, dict | None, bool]]:
    if not reviews:
        return {}
    keys = list(reviews)
    if all(isinstance(k, str) for k in keys):
        return {k: _state_of(v) for k, v in reviews.items()}
    if all(isinstance(k, int) for k in keys) and len(keys) == len(report.results):
        return {r.rule_id: _state_of(reviews[k]) for k, r in zip(sorted(keys), report.results)}
    raise RecordError("reviews must be keyed by rule id, or by the result ids of exactly this report's results")


def _span(text: str, ev) -> tuple[int, int] | None:
    """Where the evidence sits in its document text (offsets trusted only if they still select it)."""
    if 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text:
        return ev.start, ev.end
    found = text.find(ev.text) if text else -1
    return (found, found + len(ev.text)) if found >= 0 else None


def _quote(location: str, text: str, lo: int, hi: int, marks: list[tuple[int, int]]) -> dict:
    """The text[lo:hi] of one line (or run of lines) with the evidence ranges marked."""
    segments, at = [], lo
    for a, b in marks:
        if a > at:
            segments.append({"text": one_line(text[at:a]), "mark": False})
        segments.append({"text": one_line(text[max(a, at):b]), "mark": True})
        at = max(at, b)
    if hi > at:
        segments.append({"text": one_line(text[at:hi]), "mark": False})
    return {"location": clean(location), "segments": [g for g in segments if g["text"]],
            "ranges": "、".join(f"{a}–{b}" for a, b in marks)}


def _quotes(report: Report, result: Result) -> list[dict]:
    """One quote per line of text that holds evidence: several evidence slices on the same line are
    marked together instead of printing the line twice. Context is the rest of the line, cut to
    CONTEXT_CHARS either side; evidence whose document text is unknown is quoted alone."""
    spans: dict[str, list[tuple[int, int]]] = {}
    loose = []
    for ev in result.evidence:
        if not ev.text:
            continue
        doc = document_for(report, ev.location)
        span = _span(doc.text, ev) if doc and doc.text else None
        if span is None:
            loose.append({"location": clean(ev.location), "segments": [{"text": one_line(ev.text), "mark": True}],
                          "ranges": f"{ev.start}–{ev.end}", "cut_before": False, "cut_after": False})
        else:
            spans.setdefault(ev.location, []).append(span)
    out = []
    for location, ranges in spans.items():
        text = document_for(report, location).text
        groups: list[list] = []  # [line start, line end, [ranges]]
        for a, b in sorted(set(ranges)):
            ls = text.rfind("\n", 0, a) + 1
            le = text.find("\n", b)
            le = len(text) if le < 0 else le
            if groups and ls <= groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], le)
                groups[-1][2].append((a, b))
            else:
                groups.append([ls, le, [(a, b)]])
        for ls, le, marks in groups:
            merged: list[tuple[int, int]] = []
            for a, b in marks:
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], b))
                else:
                    merged.append((a, b))
            lo, hi = max(ls, merged[0][0] - CONTEXT_CHARS), min(le, merged[-1][1] + CONTEXT_CHARS)
            q = _quote(location, text, lo, hi, merged)
            q.update(cut_before=lo > ls, cut_after=hi < le)
            out.append(q)
    return out + loose


def _decision_view(decision: dict | None, carried: bool) -> dict | None:
    if not decision:
        return None
    when = _local(decision.get("decided_at"))
    return {"reviewer": clean(decision.get("reviewer") or ""), "note": clean(decision.get("note") or ""),
            "date": when.strftime("%Y-%m-%d") if when else "", "carried": carried}


def _violation(report: Report, result: Result, decision: dict | None, carried: bool) -> dict:
    quotes = _quotes(report, result)
    return {
        "rule_id": result.rule_id, "title": result.title, "kind_label": result.kind.label,
        "severity": result.severity.value, "severity_label": result.severity.label,
        "status_label": result.status.label, "message": result.message, "fix": result.fix,
        "quote_label": "相關記載" if result.kind is Kind.MANDATORY else "條款原文",
        "quotes": quotes[:MAX_QUOTES], "more_quotes": max(0, len(quotes) - MAX_QUOTES),
        "absent": not quotes,
        "legal_basis": [{"text": basis_line(b), "url": clean(b.url), "href": b.url if is_web_url(b.url) else None,
                         "secondary": b.confidence == "secondary"} for b in result.legal_basis],
        "review": _decision_view(decision, carried),
    }


def _pending(result: Result) -> dict:
    quote = next((one_line(e.text) for e in result.evidence if e.text), "")
    if len(quote) > MAX_PENDING_QUOTE:
        quote = quote[:MAX_PENDING_QUOTE] + "…"
    return {"rule_id": result.rule_id, "title": result.title, "status": result.status.value,
            "status_label": result.status.label, "severity_label": result.severity.label,
            "message": result.message, "quote": quote}


def _site_url(report: Report, site_url: str | None) -> str:
    if site_url:
        return clean(site_url)
    for doc in report.target.documents:
        parts = urlsplit(doc.location)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}/"
    return ""


def _errors(report: Report) -> list[dict]:
    """Rules that could not be judged, one row per distinct reason (a site none of whose pages could
    be read gives every rule the same reason: one row, not 28)."""
    rows: dict[str, dict] = {}
    for r in report.results:
        if r.status is Status.ERROR:
            row = rows.setdefault(r.message, {"rule_ids": [], "titles": [], "message": r.message})
            row["rule_ids"].append(r.rule_id)
            row["titles"].append(r.title)
    return [dict(row, count=len(row["rule_ids"]), all=len(row["rule_ids"]) == len(report.results))
            for row in rows.values()]


def _history(comparison, previous_scan: dict | None) -> tuple[dict | None, dict[str, str], list[dict]]:
    """(previous visit, note per confirmed rule, items fixed since) from a reinspect.Comparison."""
    if comparison is None or comparison.old_analysis_id is None:
        return None, {}, []
    when = _local(previous_scan.get("started_at")) if previous_scan else None
    previous = {"scan_id": comparison.old_scan_id, "date": roc_date(when.date()) if when else ""}
    notes = {"still_failing": "前次訪查已列不符合，迄今未改正", "regressed": "前次訪查為符合，本次發現不符合",
             "new": "本次訪查新發現"}
    by_rule = {c.rule_id: notes[c.change] for c in comparison.changes if c.change in notes}
    fixed = [{"rule_id": c.rule_id, "title": c.title,
              "old": STATUS_LABELS[Status(c.old_status)] + ("（經確認）" if c.old_review == "confirmed" else ""),
              "new": STATUS_LABELS[Status(c.new_status)] if c.new_status else ""}
             for c in comparison.changes if c.change == "fixed"]
    return previous, by_rule, fixed


def record_view(report: Report, *, reviews: Mapping | None = None, scan: dict | None = None,
                site_url: str | None = None, comparison=None, previous_scan: dict | None = None,
                today: date | None = None) -> dict:
    """The template's input: plain data, no markup. ``comparison`` (compliance.reinspect.Comparison
    of the previous scan against this one) adds the re-inspection: what was fixed since, and which
    confirmed violations were already there."""
    states = states_by_rule(report, reviews)
    previous, history, fixed = _history(comparison, previous_scan)
    confirmed, pending, dismissed = [], [], 0
    for r in by_severity([r for r in report.results if r.is_finding]):
        state, decision, carried = states.get(r.rule_id, ("pending", None, False))
        if state == "confirmed":
            confirmed.append(dict(_violation(report, r, decision, carried), history=history.get(r.rule_id, "")))
        elif state == "dismissed":
            dismissed += 1
        else:
            pending.append(_pending(r))
    reviewers = list(dict.fromkeys(v["review"]["reviewer"] for v in confirmed if v["review"] and v["review"]["reviewer"]))
    started = _local(scan.get("started_at")) if scan else None
    kinds: dict[str, int] = {}
    for v in confirmed:
        kinds[v["kind_label"]] = kinds.get(v["kind_label"], 0) + 1
    pack = report.rulepack
    tool = report.tool
    return {
        "site": {"name": clean(report.target.name), "url": _site_url(report, site_url),
                 "kind_label": target_kind_label(report.target.kind)},
        "scan_id": scan.get("id") if scan else None,
        "visit_date": roc_date(started.date()) if started else "",
        "visit_iso": started.strftime("%Y-%m-%d") if started else "",
        "made_on": roc_date(today or datetime.now(TAIPEI).date()),
        "rulepack": f"{pack.get('id', '?')} 版本 {pack.get('version', '?')}",
        "inspectors": "、".join(reviewers) or (clean(scan.get("launched_by") or "") if scan else ""),
        "tool": f"{tool.get('name', '')} {tool.get('version', '')}".strip(),
        "documents": [{"location": clean(d.location), "title": clean(d.title), "chars": len(d.text) if d.text else None,
                       "sha256": d.sha256} for d in report.target.documents],
        "confirmed": confirmed, "confirmed_by_kind": sorted(kinds.items()),
        "pending": pending, "dismissed": dismissed,
        "errors": _errors(report),
        "reviewed": bool(states),
        "previous": previous, "fixed": fixed,
    }


def render_html(report: Report, *, reviews: Mapping | None = None, scan: dict | None = None,
                site_url: str | None = None, comparison=None, previous_scan: dict | None = None) -> str:
    return _env.get_template("record.html.j2").render(**record_view(
        report, reviews=reviews, scan=scan, site_url=site_url, comparison=comparison, previous_scan=previous_scan))


def render(report: Report, file, *, reviews: Mapping | None = None, scan: dict | None = None,
           site_url: str | None = None, comparison=None, previous_scan: dict | None = None) -> None:
    """Write the record of one site to ``file`` (fits the FORMATS ``render(report, file)`` signature)."""
    file.write(render_html(report, reviews=reviews, scan=scan, site_url=site_url, comparison=comparison,
                           previous_scan=previous_scan))


# --- from the log ----------------------------------------------------------------------------

class SiteNotJudged(LookupError):
    """The scan holds no analysis of that site."""


def record_inputs(store, scan_id: int, site_key: str, *, compare_previous: bool = True) -> dict:
    """The keyword arguments of ``render``/``render_html`` for a site's latest analysis in a scan:
    report, reviews (by result id), scan, site_url and, when an earlier scan judged the site and
    ``compare_previous``, the comparison with it (re-inspection)."""
    from compliance.reinspect import compare_scans, previous_scan_id
    from compliance.review import review_states

    scan = store.scan(scan_id)
    analyses = store.analyses(scan_id, site_key)
    if not analyses:
        raise SiteNotJudged(f"掃描 #{scan_id} 未判斷網站 {site_key!r}")
    analysis_id = analyses[-1]["id"]
    rows = store.results(analysis_id)
    url = next((s["url"] for s in store.sites(scan_id) if s["site_key"] == site_key), None)
    inputs = {"report": store.report(analysis_id), "reviews": review_states(store, rows), "scan": scan,
              "site_url": url, "comparison": None, "previous_scan": None}
    previous = previous_scan_id(store, site_key, scan_id) if compare_previous else None
    if previous is not None:
        inputs["comparison"] = compare_scans(store, previous, scan_id, site_key)
        inputs["previous_scan"] = store.scan(previous)
    return inputs


def site_record_html(store, scan_id: int, site_key: str, *, compare_previous: bool = True) -> str:
    """The record of a site in a scan, read from the log (with the re-inspection against the
    previous scan of the site, when there is one)."""
    inputs = record_inputs(store, scan_id, site_key, compare_previous=compare_previous)
    return render_html(inputs.pop("report"), **inputs)
