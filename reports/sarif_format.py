"""SARIF 2.1.0: for CI and code-scanning viewers.

One run; one rule per result of the pack; one SARIF result per evidence of each finding
(fail / needs_review), and one without a region when a finding has no evidence (a mandatory
item that is absent from every document).
"""
from __future__ import annotations

import json
from urllib.parse import quote

from compliance.models import Report, Result, Severity, Status

from .common import is_web_url

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
# Used when report.tool has no "information_uri"; .invalid is reserved (RFC 2606) so a
# placeholder can never point at someone else's site.
DEFAULT_INFORMATION_URI = "https://tw-retail-compliance.invalid/"

_RESULT_KIND = {Status.FAIL: "fail", Status.NEEDS_REVIEW: "review"}


def level(severity: Severity, status: Status = Status.FAIL) -> str:
    """fail+high/medium → error, fail+low → warning, needs_review → warning, info → note."""
    if severity is Severity.INFO:
        return "note"
    if status is Status.FAIL and severity in (Severity.HIGH, Severity.MEDIUM):
        return "error"
    return "warning"


def _uri(location: str) -> str:
    # artifactLocation.uri must be a URI reference: percent-encode what is not (spaces,
    # Chinese file names); characters that are already legal, and existing escapes, are kept.
    return quote(location, safe=":/?#[]@!$&'()*+,;=%~")


def _rule(result: Result) -> dict:
    rule = {
        "id": result.rule_id,
        "name": result.title,
        "shortDescription": {"text": result.title},
        "fullDescription": {"text": result.message or result.title},
        "help": {"text": result.fix or result.message or result.title},
        "defaultConfiguration": {"level": level(result.severity)},
        "properties": {
            "tags": [result.kind.value],
            "severity": result.severity.value,
            "legal_basis": [b.as_dict() for b in result.legal_basis],
        },
    }
    urls = [b.url for b in result.legal_basis if is_web_url(b.url)]
    if urls:
        rule["helpUri"] = urls[0]
    return rule


def _result(result: Result, index: int, locations: list[dict]) -> dict:
    return {
        "ruleId": result.rule_id,
        "ruleIndex": index,
        "kind": _RESULT_KIND[result.status],
        "level": level(result.severity, result.status),
        "message": {"text": result.message or result.title},
        "locations": locations,
        "properties": {
            "status": result.status.value,
            "severity": result.severity.value,
            "confidence": round(result.confidence, 2),
        },
    }


def _results(report: Report) -> list[dict]:
    out = []
    for index, result in enumerate(report.results):
        if not result.is_finding:
            continue
        for ev in result.evidence:
            out.append(_result(result, index, [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(ev.location)},
                "region": {"charOffset": ev.start, "charLength": ev.end - ev.start,
                           "snippet": {"text": ev.text}},
            }}]))
        if not result.evidence:
            # Absent from the whole target: point at every document examined, without a region.
            where = [d.location for d in report.target.documents] or [report.target.name]
            out.append(_result(result, index, [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(loc)}}} for loc in where]))
    return out


def sarif(report: Report) -> dict:
    tool = report.tool
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": tool.get("name", "compliance"),
                "version": str(tool.get("version", "")),
                "informationUri": tool.get("information_uri", DEFAULT_INFORMATION_URI),
                "rules": [_rule(r) for r in report.results],
            }},
            # Offsets are Python string indices, i.e. Unicode code points, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": _results(report),
            "properties": {
                "rulepack": report.rulepack,
                "target": report.target.as_dict(),
                "summary": report.summary,
            },
        }],
    }


def render(report: Report, file) -> None:
    json.dump(sarif(report), file, ensure_ascii=False, indent=2)
    file.write("\n")
