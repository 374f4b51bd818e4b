"""Helpers shared by the output formats: ordering, document lookup, evidence context.

Everything here reads the one result model (compliance.models); nothing serialises.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.models import Document, Evidence, Report, Result, Status

# Order of the status groups in human-facing reports: what needs action first.
STATUS_ORDER = (Status.FAIL, Status.NEEDS_REVIEW, Status.ERROR, Status.PASS, Status.NOT_APPLICABLE)

# C0/C1 control characters except tab and newline. Scraped text is hostile: an ESC byte in a
# page would otherwise reach the operator's terminal as an escape sequence.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")

# Target.kind (file | stdin | url | site) as the operator reads it.
TARGET_KIND_LABELS = {"file": "檔案", "stdin": "標準輸入", "url": "網址", "site": "網站"}


def target_kind_label(kind: str) -> str:
    return TARGET_KIND_LABELS.get(kind, kind)


def clean(text: str) -> str:
    """Drop control characters (keeps tab and newline)."""
    return _CONTROL.sub("", text or "")


def one_line(text: str) -> str:
    """Clean and collapse all whitespace, for quotes shown on one line."""
    return _SPACE.sub(" ", clean(text)).strip()


def by_severity(results: list[Result]) -> list[Result]:
    """Highest severity first; catalogue order is kept within a severity (sort is stable)."""
    return sorted(results, key=lambda r: -r.severity.rank)


def grouped(report: Report) -> dict[Status, list[Result]]:
    """Results per status, in STATUS_ORDER; findings and errors sorted by severity."""
    groups: dict[Status, list[Result]] = {s: [] for s in STATUS_ORDER}
    for r in report.results:
        groups[r.status].append(r)
    for s in (Status.FAIL, Status.NEEDS_REVIEW, Status.ERROR):
        groups[s] = by_severity(groups[s])
    return groups


def document_for(report: Report, location: str) -> Document | None:
    for doc in report.target.documents:
        if doc.location == location:
            return doc
    return None


def is_web_url(url: str) -> bool:
    """Only http(s) links are made clickable; anything else (javascript:, data:) stays text."""
    return (url or "").lower().startswith(("http://", "https://"))


def basis_line(basis) -> str:
    """'消費者保護法 第19條第1項' — instrument and article, without the URL."""
    return " ".join(p for p in (basis.instrument, basis.article) if p)


@dataclass(frozen=True)
class Context:
    """Evidence inside its surrounding text: before + match + after."""

    before: str
    match: str
    after: str
    cut_before: bool  # text was cut before `before` (show an ellipsis)
    cut_after: bool
    in_document: bool  # False when only the evidence text itself is known


def context(report: Report, ev: Evidence, width: int = 200) -> Context:
    """Up to `width` characters either side of the evidence, from the document it points into.

    Offsets are trusted only if they still select the evidence text; otherwise the text is
    searched for, and failing that (e.g. a report loaded from JSON, whose documents carry no
    text) only the evidence text is returned.
    """
    doc = document_for(report, ev.location)
    text = doc.text if doc else ""
    start, end = ev.start, ev.end
    if not (text and 0 <= start <= end <= len(text) and text[start:end] == ev.text):
        found = text.find(ev.text) if text and ev.text else -1
        if found < 0:
            return Context("", ev.text, "", False, False, False)
        start, end = found, found + len(ev.text)
    lo, hi = max(0, start - width), min(len(text), end + width)
    return Context(text[lo:start], text[start:end], text[end:hi], lo > 0, hi < len(text), True)
