"""The command line: a thin skin over the library (style.md habit 5).

Each command parses, calls one library function, and maps library errors to a one-line
zh-TW message on stderr and an exit code (output-contract: 0 ok, 1 a fail at or above
--fail-on, 2 bad input or arguments).
"""
from __future__ import annotations

import json
import sys

import click

from . import __version__

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2
FORMATS = ["text", "json", "csv", "html", "sarif"]
SEVERITIES = ["high", "medium", "low"]


def _die(message: str, code: int = EXIT_INPUT):
    click.echo(f"錯誤：{message}", err=True)
    sys.exit(code)


def _scan_or_die(store, scan_id: int | None) -> int:
    """The scan asked for, or the latest one; a one-line error when the log has none or not that one."""
    from .store import StoreError

    sid = scan_id or store.latest_scan_id()
    if sid is None:
        _die(f"{store.path} 尚無任何掃描")
    try:
        store.scan(sid)
    except StoreError as exc:
        _die(str(exc))
    return sid


def _pack(rules_path):
    from .rules import RuleError, load_pack

    try:
        return load_pack(rules_path)
    except RuleError as exc:
        _die(f"規則包無效：{exc}")


def _open_output(output: str | None, fmt: str):
    if output in (None, "-"):
        if fmt == "csv":
            # Excel needs the BOM even when the CSV is redirected to a file
            return click.get_text_stream("stdout", encoding="utf-8")
        return click.get_text_stream("stdout")
    return open(output, "w", encoding="utf-8", newline="" if fmt == "csv" else None)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tw-retail-compliance")
def main():
    """臺灣網路零售定型化契約合規檢查工具（消保法第17條、第18條至第19條之2）。

    \b
    例：
      python -m compliance check terms.html
      python -m compliance scan shops.csv --db inspections.db
      python -m compliance demo
    """


# --- check ---------------------------------------------------------------------------

@main.command()
@click.argument("source", metavar="PATH|URL|-")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="輸出格式。")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="low", show_default=True,
              help="有此嚴重度以上之「不符合」時結束碼為 1（提醒事項不計）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="寫入檔案（預設為標準輸出）。")
@click.option("--rules", "rules_path", type=click.Path(exists=True, file_okay=False), help="規則包資料夾（預設 tw-retail-online）。")
def check(source, fmt, fail_on, output, rules_path):
    """自我檢查：判斷一份條款（檔案、網址或標準輸入）是否符合規定。

    \b
    PATH 為 .html、.htm、.txt 或 .pdf 檔（UTF-8 或 Big5），- 讀取標準輸入，
    URL 以爬蟲相同設定擷取一次。
    \b
    例：
      python -m compliance check 購物須知.html
      python -m compliance check terms.txt --format json --fail-on high
      cat terms.txt | python -m compliance check - --format sarif -o results.sarif
    """
    from reports import render

    from .engine import check_documents
    from .inputs import InputError, read_target
    from .models import Severity

    pack = _pack(rules_path)
    try:
        target = read_target(source)
    except InputError as exc:
        _die(str(exc))
    report = check_documents(target.documents, target_kind=target.kind, target_name=target.name, pack=pack)
    report.target = target
    try:
        stream = _open_output(output, fmt)
    except OSError as exc:
        _die(f"無法寫入 {output}：{exc.strerror}")
    render(report, fmt, stream)
    stream.flush()
    sys.exit(EXIT_FAIL if report.failing(Severity(fail_on)) else EXIT_OK)


# --- rules -----------------------------------------------------------------------------

@main.group(invoke_without_command=True)
@click.option("--rules", "rules_path", type=click.Path(exists=True, file_okay=False), help="規則包資料夾。")
@click.option("--markdown", is_flag=True, help="輸出規則目錄頁（docs/rules.md）之 Markdown。")
@click.pass_context
def rules(ctx, rules_path, markdown):
    """列出規則包之規則；子命令 show、test。

    \b
    例：
      python -m compliance rules
      python -m compliance rules --markdown > docs/rules.md
      python -m compliance rules show P05
      python -m compliance rules test
    """
    ctx.obj = rules_path
    if ctx.invoked_subcommand is None and markdown:
        from .rulesdoc import render_markdown

        click.echo(render_markdown(_pack(rules_path)), nl=False)
    elif ctx.invoked_subcommand is None:
        pack = _pack(rules_path)
        click.echo(f"規則包 {pack.id} 版本 {pack.version}（{len(pack.rules)} 條）")
        for r in pack.rules:
            click.echo(f"{r.id}  {r.kind.label:<6}  {r.severity.label}  {r.title}")


@rules.command("show")
@click.argument("rule_id")
@click.pass_obj
def rules_show(rules_path, rule_id):
    """顯示一條規則：法律依據、訊息、建議修正與範例。例：python -m compliance rules show M10"""
    pack = _pack(rules_path)
    try:
        r = pack.get(rule_id)
    except KeyError:
        _die(f"沒有規則 {rule_id!r}；可用：{', '.join(x.id for x in pack.rules)}")
    click.echo(f"{r.id} {r.title}（{r.kind.label}，嚴重度：{r.severity.label}）")
    click.echo(f"檔案：{r.path}")
    click.echo("法律依據：")
    for b in r.legal_basis:
        tag = "" if b.confidence == "official" else "（次級資料）"
        click.echo(f"  - {b.instrument} {b.article}{tag} {b.url}")
    click.echo(f"不符合時訊息：{r.message}")
    click.echo(f"建議修正：{r.fix}")
    for label, texts in r.examples.items():
        click.echo(f"範例（{label}）：")
        for t in texts:
            click.echo(f"  - {t}")


@rules.command("test")
@click.argument("rule_ids", nargs=-1)
@click.pass_obj
def rules_test(rules_path, rule_ids):
    """執行每條規則所附之範例，列出不符預期者。例：python -m compliance rules test P05"""
    from .examples import run_examples

    pack = _pack(rules_path)
    outcomes = run_examples(pack, [x.upper() for x in rule_ids] or None)
    bad = [o for o in outcomes if not o.ok]
    for o in bad:
        click.echo(f"✗ {o.rule_id} 預期 {o.expected}，實得 {o.actual.value}（{o.source}）：{o.text}")
    click.echo(f"{len(outcomes) - len(bad)} passed, {len(bad)} failed")
    sys.exit(EXIT_FAIL if bad else EXIT_OK)


# --- eval ------------------------------------------------------------------------------

@main.command("eval")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rules", "rules_path", type=click.Path(exists=True, file_okay=False), help="規則包資料夾。")
@click.option("--errors/--no-errors", default=False, help="列出每份文件之誤判。")
def eval_cmd(corpus_dir, fmt, rules_path, errors):
    """以標註語料計算每條規則之精確率、召回率、F1 及巨觀平均。

    \b
    語料格式：文件（*.txt、*.html）與 labels.yaml（文件名稱 → 規則 → {status, evidence}）。
    例：python -m compliance eval tests/corpus --errors
    """
    from .evaluation import CorpusError, evaluate_corpus
    from .match import scan_eagerly

    pack = _pack(rules_path)
    scan_eagerly()  # a corpus is a long run (compliance.match.scan_eagerly)
    try:
        report = evaluate_corpus(corpus_dir, pack)
    except CorpusError as exc:
        _die(str(exc))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"文件數 {report.documents}　規則包 {pack.id} {pack.version}")
    click.echo(f"{'規則':<5}{'精確率':>8}{'召回率':>8}{'F1':>8}{'狀態一致':>8}  TP FP FN")
    for s in report.scores:
        click.echo(f"{s.rule_id:<6}{s.precision:>9.2f}{s.recall:>9.2f}{s.f1:>9.2f}{s.accuracy:>10.2f}  "
                   f"{s.tp:>2} {s.fp:>2} {s.fn:>2}")
        if errors:
            for doc, want, got in s.errors:
                click.echo(f"        {doc}: 標註 {want}，判斷 {got}")
    click.echo(f"巨觀平均 F1：{report.macro_f1:.3f}")


def _register_optional():
    """Commands whose modules are heavier (Scrapy, Flask) are imported when used."""
    from . import cli_scan  # noqa: F401  (registers scan, analyze, report, demo)
    from . import cli_review  # noqa: F401  (registers review, diff)
    from . import cli_console  # noqa: F401  (registers serve, user)


_register_optional()
