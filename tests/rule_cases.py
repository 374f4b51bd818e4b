"""Shared harness of the table-driven rule tests: a case is (rule ID, expected status, clause text)."""
from __future__ import annotations

from compliance.engine import evaluate
from compliance.models import Document
from compliance.rules import load_pack

PACK = load_pack()
F, P, R = "fail", "pass", "needs_review"


def case_ids(cases) -> list[str]:
    """Readable test ids: M01-pass-3 is the third pass case of M01."""
    counts: dict[tuple[str, str], int] = {}
    out = []
    for rule_id, status, _ in cases:
        n = counts[(rule_id, status)] = counts.get((rule_id, status), 0) + 1
        out.append(f"{rule_id}-{status}-{n}")
    return out


def check_case(rule_id: str, expected: str, text: str) -> None:
    """The clause alone, judged as terms by one rule, has the expected status; its evidence
    slices the text, and a finding of a non-mandatory rule quotes what it found."""
    result = evaluate([Document("case.txt", text)], PACK, assume_terms=True, only=[rule_id])[0]
    assert result.status.value == expected, (result.message, [e.text for e in result.evidence])
    for ev in result.evidence:
        assert ev.text == text[ev.start:ev.end]
    if expected in (F, R) and PACK.get(rule_id).kind.value != "mandatory":
        assert result.evidence and all(e.text for e in result.evidence)
