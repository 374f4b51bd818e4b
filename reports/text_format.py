"""Text: a zh-TW console report for a shop operator.

The report is built once as lines of (text, style) segments; a terminal gets them through
`rich` with colour, any other stream gets the bare text (no ANSI codes). Styles are applied
to Text objects, never parsed from markup, so scraped text cannot inject rich markup.
"""
from __future__ import annotations

from compliance.models import Report, Result, Severity, Status

from .common import STATUS_ORDER, basis_line, clean, grouped, one_line, target_kind_label

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]

STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.NEEDS_REVIEW: "bold yellow",
    Status.ERROR: "bold magenta",
    Status.PASS: "green",
    Status.NOT_APPLICABLE: "dim",
}
SEVERITY_STYLE = {Severity.HIGH: "bold red", Severity.MEDIUM: "yellow",
                  Severity.LOW: "cyan", Severity.INFO: "dim"}

INDENT = "    "


def _header(report: Report) -> list[Line]:
    docs = report.target.documents
    pack = report.rulepack
    tool = report.tool
    lines: list[Line] = [
        [("網路購物定型化契約合規檢查報告", "bold")],
        [("檢查對象：", "bold"), (clean(report.target.name), ""),
         (f"（{target_kind_label(report.target.kind)}）", "dim")],
        [("檢查文件：", "bold"), (f"{len(docs)} 份", "")],
    ]
    for doc in docs:
        chars = f"（{len(doc.text)} 字）" if doc.text else ""
        lines.append([(f"  - {clean(doc.location)}", ""), (chars, "dim")])
    lines.append([("規則包：", "bold"), (f"{pack.get('id', '?')} 版本 {pack.get('version', '?')}", "")])
    tool_name = f"{tool.get('name', '?')} {tool.get('version', '')}".strip()
    lines.append([("檢查工具：", "bold"), (tool_name, "")])
    summary = report.summary
    seg: Line = [("摘要：", "bold")]
    for i, status in enumerate(STATUS_ORDER):
        if i:
            seg.append(("｜", "dim"))
        seg.append((f"{status.label} {summary[status.value]}", STATUS_STYLE[status]))
    lines.append(seg)
    return lines


def _finding(result: Result) -> list[Line]:
    lines: list[Line] = [[
        (f"[{result.rule_id}] ", "bold"), (result.title, "bold"),
        ("  嚴重度：", ""), (result.severity.label, SEVERITY_STYLE[result.severity]),
        (f"  {result.kind.label}", "dim"),
    ]]
    if result.message:
        lines.append([(f"{INDENT}說明：", "bold"), (one_line(result.message), "")])
    if result.evidence:
        lines.append([(f"{INDENT}證據：", "bold")])
        for ev in result.evidence:
            lines.append([(f"{INDENT}  {clean(ev.location)}", "dim"),
                          (f"（第 {ev.start}–{ev.end} 字）", "dim")])
            lines.append([(f"{INDENT}  「", ""), (one_line(ev.text), "underline"), ("」", "")])
    elif result.status is Status.FAIL:
        lines.append([(f"{INDENT}證據：", "bold"), ("文件中未找到此項應有的記載", "dim")])
    if result.legal_basis:
        lines.append([(f"{INDENT}法律依據：", "bold")])
        for b in result.legal_basis:
            line: Line = [(f"{INDENT}  {basis_line(b)}", "")]
            if b.url:
                line.append((f"  {clean(b.url)}", "blue"))
            if b.confidence == "secondary":
                line.append(("  〔次級資料〕", "yellow"))
            lines.append(line)
    if result.fix:
        lines.append([(f"{INDENT}建議修正：", "bold"), (one_line(result.fix), "")])
    return lines


def _compact(result: Result, with_message: bool = False) -> Line:
    line: Line = [(f"  {result.rule_id} ", "bold"), (result.title, "")]
    if with_message and result.message:
        line.append((f"：{one_line(result.message)}", "dim"))
    return line


def _heading(status: Status, count: int) -> list[Line]:
    return [[], [(f"■ {status.label}（{count}）", STATUS_STYLE[status])]]


def build(report: Report) -> list[Line]:
    """The report as lines of styled segments (shared by the plain and the rich output)."""
    lines = _header(report)
    groups = grouped(report)
    for status in (Status.FAIL, Status.NEEDS_REVIEW):
        if groups[status]:
            lines += _heading(status, len(groups[status]))
            for i, result in enumerate(groups[status]):
                lines += ([[]] if i else []) + _finding(result)
    for status in (Status.ERROR, Status.PASS, Status.NOT_APPLICABLE):
        if groups[status]:
            lines += _heading(status, len(groups[status]))
            # Errors keep their message: it says why the rule could not be judged.
            lines += [_compact(r, with_message=status is Status.ERROR) for r in groups[status]]
    return lines


def _isatty(file) -> bool:
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def render(report: Report, file) -> None:
    # Every segment is cleaned of control characters: titles and messages are ours, but the
    # target name, locations and quotes come from scraped pages.
    lines = [[(clean(text), style) for text, style in line] for line in build(report)]
    if not _isatty(file):
        for line in lines:
            file.write("".join(text for text, _ in line) + "\n")
        return
    from rich.console import Console  # only needed on a terminal
    from rich.text import Text

    console = Console(file=file, highlight=False, emoji=False, markup=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*[(t, s) if s else t for t, s in line]))
