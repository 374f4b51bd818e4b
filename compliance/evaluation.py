"""Accuracy over a labelled corpus: per-rule precision, recall and F1, and the macro average.

Corpus format (issue 2): documents (``*.txt``, ``*.html``, ``*.htm``) beside ``labels.yaml``,
which maps document name -> rule ID -> ``{status, evidence}``. Several label files
``labels*.yaml`` in one folder are read together.

A rule's positive class is a *finding*: ``fail`` or ``needs_review`` (for U rules a finding
is always ``needs_review``). Precision and recall are computed on findings; the exact
status agreement is reported beside them. A rule with no labelled and no predicted
finding scores 1.0 (nothing to find, nothing found). A finding also checks its evidence:
``evidence_hit`` is the share of true findings where a predicted evidence span overlaps
a labelled evidence string.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .engine import evaluate
from .extract import ExtractError, extract_file
from .models import Document, Status
from .rules import RulePack

FINDING = {Status.FAIL.value, Status.NEEDS_REVIEW.value}
DOC_SUFFIXES = (".txt", ".html", ".htm")


class CorpusError(ValueError):
    """The corpus folder or its labels are malformed."""


@dataclass
class RuleScore:
    rule_id: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    exact: int = 0
    total: int = 0
    evidence_hits: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, expected, actual)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.exact / self.total if self.total else 1.0

    @property
    def evidence_hit(self) -> float:
        return self.evidence_hits / self.tp if self.tp else 1.0

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "accuracy": round(self.accuracy, 3), "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "tn": self.tn, "evidence_hit": round(self.evidence_hit, 3)}


@dataclass
class EvalReport:
    scores: list[RuleScore]
    documents: int

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.scores) / len(self.scores) if self.scores else 0.0

    def as_dict(self) -> dict:
        return {"documents": self.documents, "macro_f1": round(self.macro_f1, 3),
                "rules": [s.as_dict() for s in self.scores]}


def load_labels(folder: Path) -> dict[str, dict]:
    files = sorted(folder.glob("labels*.yaml"))
    if not files:
        raise CorpusError(f"{folder}: 找不到 labels.yaml")
    labels: dict[str, dict] = {}
    for f in files:
        data = yaml.safe_load(f.read_text("utf-8")) or {}
        if not isinstance(data, dict):
            raise CorpusError(f"{f}: 標註檔應為「文件名稱 → 規則 → {{status, evidence}}」之對照")
        for name, rules in data.items():
            if name in labels:
                raise CorpusError(f"{f}: 文件 {name} 重複標註")
            labels[name] = rules or {}
    return labels


def evaluate_corpus(folder: str | Path, pack: RulePack) -> EvalReport:
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: 不是資料夾")
    labels = load_labels(folder)
    scores = {r.id: RuleScore(r.id) for r in pack.rules}
    for name, expected in sorted(labels.items()):
        path = folder / name
        if not path.is_file() or path.suffix.lower() not in DOC_SUFFIXES:
            raise CorpusError(f"{folder}: 標註的文件 {name} 不存在或類型不支援")
        try:
            text = extract_file(path).text
        except ExtractError as exc:
            raise CorpusError(f"{path}: {exc}") from None
        results = {r.rule_id: r for r in evaluate([Document(name, text)], pack)}
        for rule_id, label in expected.items():
            if rule_id not in scores:
                raise CorpusError(f"{name}: 未知的規則 {rule_id}")
            want = str(label.get("status") if isinstance(label, dict) else label)
            got = results[rule_id]
            s = scores[rule_id]
            s.total += 1
            s.exact += got.status.value == want
            pos_want, pos_got = want in FINDING, got.status.value in FINDING
            if pos_want and pos_got:
                s.tp += 1
                ev = label.get("evidence") if isinstance(label, dict) else None
                if _evidence_overlaps(text, ev, got.evidence):
                    s.evidence_hits += 1
            elif pos_got:
                s.fp += 1
            elif pos_want:
                s.fn += 1
            else:
                s.tn += 1
            if got.status.value != want:
                s.errors.append((name, want, got.status.value))
    return EvalReport([scores[r.id] for r in pack.rules], len(labels))


def _evidence_overlaps(text: str, labelled, predicted) -> bool:
    if not labelled:
        return True  # nothing labelled to compare with
    spans = []
    for s in labelled if isinstance(labelled, list) else [labelled]:
        i = text.find(str(s))
        if i >= 0:
            spans.append((i, i + len(str(s))))
    if not spans:
        return True
    return any(e.start < b and a < e.end for e in predicted for a, b in spans)
