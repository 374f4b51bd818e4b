"""The rule catalogue page (docs/rules.md), generated from the rule pack.

    python -m compliance rules --markdown > docs/rules.md

The page is checked by the tests (tests/test_docs.py): when a rule's title, severity, legal basis,
message or fix changes, the page must be regenerated (style.md habit 10: generated docs are checked).
Examples and patterns are left out: they change often and live beside each rule.
"""
from __future__ import annotations

from .rules import RulePack


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(pack: RulePack) -> str:
    lines = [
        f"# 規則目錄：{pack.id}",
        "",
        f"{pack.title}",
        "",
        "本頁由 `python -m compliance rules --markdown` 依 `rules/` 產生，請勿手動編輯。",
        "法律依據標示「次級資料」者，其條文文字未能與官方法規資料庫核對（見 shared/legal/reference.md）。",
        "",
        "| 編號 | 類別 | 項目 | 嚴重度 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| [{r.id}](#{r.id.lower()}) | {r.kind.label} | {_cell(r.title)} | {r.severity.label} |"
              for r in pack.rules]
    for r in pack.rules:
        lines += ["", f"## {r.id}", "", f"**{_cell(r.title)}**（{r.kind.label}，嚴重度：{r.severity.label}）", ""]
        lines.append("法律依據：")
        lines.append("")
        for b in r.legal_basis:
            tag = "" if b.confidence == "official" else "（次級資料）"
            lines.append(f"- [{_cell(b.instrument)} {_cell(b.article)}]({b.url}){tag}")
        lines += ["", f"不符合時：{_cell(r.message)}", "", f"建議修正：{_cell(r.fix)}"]
    return "\n".join(lines) + "\n"
