"""HTML: one self-contained, printable (A4) zh-TW page; evidence highlighted in its document.

Every string that came from a scraped page is hostile. The template environment autoescapes
everything and nothing is marked safe here; links are made only from http(s) URLs.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from compliance.models import Report, Result, Status

from .common import (STATUS_ORDER, basis_line, clean, context, grouped, is_web_url,
                     target_kind_label)

TEMPLATES = Path(__file__).parent / "templates"
CONTEXT_CHARS = 200  # characters shown either side of the evidence

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,  # unconditional, whatever the template's file name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _finding(report: Report, result: Result) -> dict:
    evidence = []
    for ev in result.evidence:
        ctx = context(report, ev, CONTEXT_CHARS)
        evidence.append({
            "location": clean(ev.location),
            "href": ev.location if is_web_url(ev.location) else None,
            "start": ev.start, "end": ev.end,
            "before": clean(ctx.before), "match": clean(ctx.match), "after": clean(ctx.after),
            "cut_before": ctx.cut_before, "cut_after": ctx.cut_after,
            "in_document": ctx.in_document,
        })
    return {
        "rule_id": result.rule_id, "title": result.title, "status": result.status.value,
        "status_label": result.status.label, "severity": result.severity.value,
        "severity_label": result.severity.label, "kind_label": result.kind.label,
        "confidence": round(result.confidence, 2), "message": result.message, "fix": result.fix,
        "evidence": evidence,
        "legal_basis": [{"text": basis_line(b), "url": b.url,
                         "href": b.url if is_web_url(b.url) else None,
                         "secondary": b.confidence == "secondary"} for b in result.legal_basis],
    }


def view(report: Report) -> dict:
    """The template's input: plain data, no markup."""
    groups = grouped(report)
    summary = report.summary
    return {
        "tool": report.tool, "rulepack": report.rulepack,
        "target": {"name": clean(report.target.name), "kind": report.target.kind,
                   "kind_label": target_kind_label(report.target.kind)},
        "documents": [{"location": clean(d.location), "chars": len(d.text) if d.text else None,
                       "sha256": d.sha256} for d in report.target.documents],
        "summary": [{"status": s.value, "label": s.label, "count": summary[s.value]}
                    for s in STATUS_ORDER],
        "sections": [{"status": s.value, "label": s.label,
                      "findings": [_finding(report, r) for r in groups[s]]}
                     for s in (Status.FAIL, Status.NEEDS_REVIEW) if groups[s]],
        "errors": [_finding(report, r) for r in groups[Status.ERROR]],
        "others": [_finding(report, r) for s in (Status.PASS, Status.NOT_APPLICABLE)
                   for r in groups[s]],
    }


def render(report: Report, file) -> None:
    file.write(_env.get_template("report.html.j2").render(**view(report)))
