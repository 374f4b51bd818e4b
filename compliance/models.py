"""The one result model: Status, Severity, Result, Evidence, Document, Report.

Every output (JSON, CSV, SARIF, HTML, the SQLite rows) is made from ``as_dict()``
of these classes, so the serialisation lives here and nowhere else
(../shared/output-contract.md).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    NEEDS_REVIEW = "needs_review"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.PASS: "符合",
    Status.FAIL: "不符合",
    Status.NEEDS_REVIEW: "待人工判斷",
    Status.NOT_APPLICABLE: "不適用",
    Status.ERROR: "無法判斷",
}


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self]

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}
SEVERITY_LABELS = {Severity.HIGH: "高", Severity.MEDIUM: "中", Severity.LOW: "低", Severity.INFO: "資訊"}


class Kind(str, Enum):
    MANDATORY = "mandatory"
    PROHIBITED = "prohibited"
    STATUTORY = "statutory"
    UNFAIR = "unfair"
    ADVISORY = "advisory"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.MANDATORY: "應記載事項",
    Kind.PROHIBITED: "不得記載事項",
    Kind.STATUTORY: "法定義務",
    Kind.UNFAIR: "顯失公平條款",
    Kind.ADVISORY: "提醒事項",
}


@dataclass(frozen=True)
class LegalBasis:
    instrument: str
    article: str
    url: str
    confidence: str = "official"  # official | secondary (rule-catalogue: basis_confidence)

    def as_dict(self) -> dict:
        return {"instrument": self.instrument, "article": self.article, "url": self.url,
                "confidence": self.confidence}


@dataclass(frozen=True)
class Evidence:
    """A slice of one document's extracted text: ``document.text[start:end] == text``."""

    location: str
    start: int
    end: int
    text: str
    matched_by: str

    def as_dict(self) -> dict:
        return {"location": self.location, "start": self.start, "end": self.end,
                "text": self.text, "matched_by": self.matched_by}


@dataclass
class Result:
    rule_id: str
    kind: Kind
    title: str
    status: Status
    severity: Severity
    confidence: float
    legal_basis: list[LegalBasis]
    message: str
    fix: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_finding(self) -> bool:
        return self.status in (Status.FAIL, Status.NEEDS_REVIEW)

    def as_dict(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind.value,
            "title": self.title,
            "status": self.status.value,
            "severity": self.severity.value,
            "confidence": round(self.confidence, 2),
            "legal_basis": [b.as_dict() for b in self.legal_basis],
            "message": self.message,
            "fix": self.fix,
            "evidence": [e.as_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Result":
        return cls(
            rule_id=d["rule_id"], kind=Kind(d["kind"]), title=d["title"], status=Status(d["status"]),
            severity=Severity(d["severity"]), confidence=float(d.get("confidence", 0.0)),
            legal_basis=[LegalBasis(b["instrument"], b["article"], b.get("url", ""),
                                    b.get("confidence", "official")) for b in d.get("legal_basis", [])],
            message=d.get("message", ""), fix=d.get("fix", ""),
            evidence=[Evidence(e["location"], e["start"], e["end"], e["text"], e.get("matched_by", ""))
                      for e in d.get("evidence", [])],
        )


@dataclass
class Document:
    """One page or file, as extracted text. Offsets in evidence point into ``text``."""

    location: str
    text: str
    sha256: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict:
        return {"location": self.location, "sha256": self.sha256, "chars": len(self.text)}


@dataclass
class Target:
    kind: str  # file | stdin | url | site
    name: str
    documents: list[Document]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name,
                "documents": [d.as_dict() for d in self.documents]}


@dataclass
class Report:
    tool: dict
    rulepack: dict
    target: Target
    results: list[Result]

    @property
    def summary(self) -> dict:
        counts = {s.value: 0 for s in Status}
        for r in self.results:
            counts[r.status.value] += 1
        return counts

    def failing(self, at_least: Severity = Severity.LOW) -> list[Result]:
        """Fails at or above a severity; advisories (info) never count (rule-catalogue A01–A02)."""
        return [r for r in self.results
                if r.status is Status.FAIL and r.severity is not Severity.INFO
                and r.severity.rank >= at_least.rank]

    def as_dict(self) -> dict:
        return {
            "tool": self.tool,
            "rulepack": self.rulepack,
            "target": self.target.as_dict(),
            "results": [r.as_dict() for r in self.results],
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        t = d["target"]
        docs = [Document(location=x["location"], text="", sha256=x.get("sha256", "")) for x in t["documents"]]
        return cls(tool=d["tool"], rulepack=d["rulepack"], target=Target(t["kind"], t["name"], docs),
                   results=[Result.from_dict(r) for r in d["results"]])
