"""CSV: one row per result, UTF-8 with a BOM so that Excel shows Chinese intact.

The caller should open the file with ``newline=""`` (the csv module writes its own CRLF).
The BOM is written as a character, so any UTF-8 text stream gets it.
"""
from __future__ import annotations

import csv

from compliance.models import Report, Result

COLUMNS = ["rule_id", "kind", "title", "status", "severity", "confidence", "message", "fix",
           "legal_basis", "evidence_location", "evidence_start", "evidence_end", "evidence_text",
           "target"]

# Several values of one result share a cell, one per line, in the same order across the
# evidence_* cells. The exact texts are in the JSON; this is a spreadsheet view.
JOIN = "\n"

# Cells that a spreadsheet would run as a formula (OWASP "CSV injection"). Scraped text and
# URLs are hostile, so such cells get a leading apostrophe, which Excel shows as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _row(result: Result, target_name: str) -> list:
    ev = result.evidence
    basis = "; ".join(
        " ".join(p for p in (b.instrument, b.article) if p)
        + (f" <{b.url}>" if b.url else "")
        + ("（次級資料）" if b.confidence == "secondary" else "")
        for b in result.legal_basis)
    row = [
        result.rule_id, result.kind.value, result.title, result.status.value,
        result.severity.value, round(result.confidence, 2), result.message, result.fix, basis,
        JOIN.join(e.location for e in ev),
        JOIN.join(str(e.start) for e in ev),
        JOIN.join(str(e.end) for e in ev),
        # Line breaks inside a quote would break the line-per-evidence alignment.
        JOIN.join(" ".join(e.text.split()) for e in ev),
        target_name,
    ]
    return [_cell(v) for v in row]


def render(report: Report, file) -> None:
    file.write("\ufeff")
    writer = csv.writer(file, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for result in report.results:
        writer.writerow(_row(result, report.target.name))
