"""Run the examples that every rule carries (style.md habit 2: examples are tests).

Each example clause is judged alone, as a one-document target, by that rule only; a
`fail:` example must come out `fail` (or `needs_review` for U rules), a `pass:`
example `pass`. Longer semgrep-style cases live beside a rule file as
``<rule file stem>.cases.txt``: a line ``# ruleid: P05`` (must be flagged) or
``# ok: P05`` (must pass) above a block of text that ends at a blank line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .engine import evaluate
from .models import Document, Kind, Status
from .rules import Rule, RulePack


@dataclass(frozen=True)
class ExampleOutcome:
    rule_id: str
    expected: str  # fail | pass | needs_review
    text: str
    actual: Status
    message: str
    source: str  # "examples" or the cases file

    @property
    def ok(self) -> bool:
        return self.actual.value == self.expected


def _expected(rule: Rule, label: str) -> str:
    if label == "fail" and rule.kind is Kind.UNFAIR:
        return Status.NEEDS_REVIEW.value
    return label


def example_cases(rule: Rule) -> list[tuple[str, str, str]]:
    """(expected status, text, source) for a rule's YAML examples and its cases file."""
    out = [(_expected(rule, label), text, "examples") for label, texts in rule.examples.items() for text in texts]
    cases = Path(rule.path).with_suffix(".cases.txt")
    if cases.is_file():
        out += [(_expected(rule, label), text, cases.name) for label, text in parse_cases(cases.read_text("utf-8"), rule.id)]
    return out


_MARK = re.compile(r"^#\s*(ruleid|ok|review):\s*([A-Z]\d\d)\s*$")


def parse_cases(text: str, rule_id: str) -> list[tuple[str, str]]:
    """Blocks introduced by ``# ruleid: ID`` / ``# ok: ID`` / ``# review: ID``."""
    out, label, buf = [], None, []

    def flush():
        if label and buf and "".join(buf).strip():
            out.append((label, "\n".join(buf).strip()))

    for line in text.splitlines():
        m = _MARK.match(line.strip())
        if m:
            flush()
            buf = []
            label = None
            if m.group(2) == rule_id:
                label = {"ruleid": "fail", "ok": "pass", "review": "needs_review"}[m.group(1)]
        elif not line.strip():
            flush()
            buf, label = [], label if not buf else None
        elif line.lstrip().startswith("#"):
            continue
        else:
            buf.append(line)
    flush()
    return out


def run_examples(pack: RulePack, rule_ids: list[str] | None = None) -> list[ExampleOutcome]:
    outcomes = []
    for rule in pack.rules:
        if rule_ids and rule.id not in rule_ids:
            continue
        for expected, text, source in example_cases(rule):
            result = evaluate([Document("example", text)], pack, assume_terms=True, only=[rule.id])[0]
            outcomes.append(ExampleOutcome(rule.id, expected, text, result.status, result.message, source))
    return outcomes
