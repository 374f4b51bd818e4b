"""scan, analyze, report and demo: the inspector's commands over the inspection log."""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import click

from .cli import _die, _scan_or_die, main

DEFAULT_DB = "inspections.db"
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C


class _Progress:
    """Live progress of a scan: sites done / total, pages, failures, elapsed, rate."""

    def __init__(self, total_sites: int, console, done: int = 0):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.pages = self.failures = 0
        self.started = time.monotonic()
        self.progress = Progress(TextColumn("[bold]掃描網站"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=console,
                                 transient=False)
        self.task = self.progress.add_task("scan", total=total_sites or None, completed=done, detail="")

    def __call__(self, event: dict) -> None:
        kind = event["event"]
        if kind == "page":
            self.pages += 1
        elif kind == "failure":
            self.failures += 1
        elif kind == "site_done":
            self.progress.advance(self.task)
        rate = self.pages / max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, detail=f"頁面 {self.pages}　失敗 {self.failures}　{rate:.1f} 頁/秒")


def _summary(db: str, scan_id: int, console) -> list:
    """The table at the end of a scan: sites × fail / needs_review, worst rules."""
    from rich.table import Table

    from .store import Store

    with Store(db) as store:
        reports = store.latest_reports(scan_id)
        scan = store.scan(scan_id)
        targets = store.targets(scan_id)
    table = Table(title=f"掃描 #{scan_id} 結果（規則包 {scan.get('rulepack_version') or ''}）")
    for col in ("網站", "不符合", "待人工判斷", "無法判斷", "主要不符合項目"):
        table.add_column(col)
    worst: Counter = Counter()
    rows = []
    for rep in reports:  # advisories (A01, A02: severity info) are not counted as violations
        fails = [r for r in rep.results if r.status.value == "fail" and r.severity.value != "info"]
        worst.update(r.rule_id for r in fails)
        rows.append((rep, fails))
    for rep, fails in sorted(rows, key=lambda x: (-len(x[1]), -x[0].summary["needs_review"],
                                                  -x[0].summary["error"])):
        shown = " ".join(r.rule_id for r in fails[:8]) + (" …" if len(fails) > 8 else "")
        table.add_row(rep.target.name, str(len(fails)), str(rep.summary["needs_review"]), str(rep.summary["error"]),
                      shown)
    console.print(table)
    rejected = [t for t in targets if t.get("rejected_reason")]
    if rejected:
        console.print(f"[yellow]未受理之目標 {len(rejected)} 筆：[/]" +
                      "；".join(f"第{t['position']}列 {t.get('url') or ''}（{t['rejected_reason']}）" for t in rejected[:10]))
    if worst:
        console.print("最常見之不符合項目：" + "、".join(f"{rid}×{n}" for rid, n in worst.most_common(5)))
    return reports


def write_scan_report(db: str, scan_id: int, out: str | Path) -> Path:
    from reports.scan_summary import render_scan

    from .store import Store

    out = Path(out)
    with Store(db) as store:
        with out.open("w", encoding="utf-8") as fh:
            render_scan(store, scan_id, fh)
    return out


def _resume_hint(db: str, scan_id: int | None) -> str:
    number = scan_id if scan_id is not None else "<掃描編號>"
    return f"python -m compliance scan --resume {number} --db {db}"


def _run_scan_command(targets, db, obey_robots, launched_by, resume, report_path, settings=None) -> int:
    from rich.console import Console

    from .scan import ScanError, ScanInterrupted, run_scan
    from .store import Store, StoreError
    from .targets import TargetError, read_targets

    console = Console(stderr=True)
    total = done = 0
    if targets:
        try:
            rows = read_targets(targets)
        except (TargetError, OSError) as exc:
            _die(f"無法讀取目標清單 {targets}：{exc}")
        total = len({r.site_key for r in rows if r.site_key and not r.rejected_reason})
    else:
        if not Path(db).is_file():
            _die(f"找不到檢查紀錄 {db}；請以 --db 指定掃描 #{resume} 所在之檔案")
        try:
            with Store(db) as store:
                store.scan(resume)
                total = len(store.sites(resume))
                done = len({a["site_key"] for a in store.analyses(resume)})
        except StoreError as exc:
            _die(str(exc))
    # Scrapy's own log goes to a file beside the log, so that it does not break the live display
    log_file = Path(db).with_suffix(".crawl.log")
    settings = {"LOG_FILE": str(log_file), **(settings or {})}
    progress = _Progress(total, console, done=done)
    try:
        with progress.progress:
            scan_id = run_scan(targets, db, obey_robots=obey_robots, launched_by=launched_by,
                               resume_scan_id=resume, progress=progress, settings=settings)
    except ScanInterrupted as exc:
        click.echo(f"掃描 #{exc.scan_id} 已中斷，已取得之頁面均已記錄。接續掃描：{_resume_hint(db, exc.scan_id)}",
                   err=True)
        sys.exit(EXIT_INTERRUPTED)
    except ScanError as exc:
        _die(str(exc))
    except KeyboardInterrupt:  # before the crawl took over Ctrl-C (loading the rules, opening the log)
        click.echo(f"掃描已中斷。接續掃描：{_resume_hint(db, resume)}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    _summary(db, scan_id, console)
    path = write_scan_report(db, scan_id, report_path or Path(db).with_suffix(f".scan{scan_id}.html"))
    console.print(f"檢查紀錄：{Path(db).resolve()}")
    console.print(f"摘要報告：{path.resolve()}")
    if settings.get("LOG_FILE"):
        console.print(f"爬蟲執行紀錄：{Path(settings['LOG_FILE']).resolve()}")
    return scan_id


def _parse_settings(pairs) -> dict:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            _die(f"-s 需為 NAME=VALUE 形式（例：-s DOWNLOAD_DELAY=2），收到 {pair!r}")
        out[name.strip()] = value
    return out


@main.command()
@click.argument("targets", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True, help="檢查紀錄（SQLite）檔案。")
@click.option("--resume", type=int, help="接續中斷之掃描（掃描編號）。")
@click.option("--ignore-robots", is_flag=True, help="不遵守 robots.txt（僅限經授權之訪查；紀錄會載明）。")
@click.option("--by", "launched_by", help="執行人（預設為系統使用者名稱）。")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="摘要報告 HTML 路徑。")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="覆寫爬蟲設定（同 scrapy -s），可重複；例：-s DOWNLOAD_DELAY=2。")
def scan(targets, db, resume, ignore_robots, launched_by, report_path, overrides):
    """爬取目標網站之條款頁面、存入檢查紀錄並逐站判斷。

    \b
    TARGETS 為 CSV（name,url；UTF-8 或 Big5，標題列可有可無）或每行一個網址之清單。
    例：
      python -m compliance scan shops.csv --db inspections.db
      python -m compliance scan --resume 3 --db inspections.db
      python -m compliance scan shops.csv -s COMPLIANCE_MAX_PAGES_PER_SITE=20

    \b
    Ctrl-C 一次：等待進行中之請求完成並記錄後停止，並顯示接續指令（--resume）；
    接續之掃描只補抓尚未記錄之頁面，結果與未中斷者相同。
    """
    if not targets and resume is None:
        _die("請提供目標清單（TARGETS），或以 --resume 指定要接續之掃描編號")
    if targets and resume is not None:
        _die("接續掃描時目標清單取自檢查紀錄，請勿同時提供 TARGETS 與 --resume")
    _run_scan_command(targets, db, not ignore_robots, launched_by, resume, report_path,
                      settings=_parse_settings(overrides))


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--scan", "scan_id", type=int, help="掃描編號（預設為最新一次）。")
@click.option("--rules", "rules_path", type=click.Path(exists=True, file_okay=False), help="規則包資料夾。")
def analyze(db, scan_id, rules_path):
    """以目前規則包重新判斷已儲存之頁面（不重新爬取），新結果與舊結果並存。

    例：python -m compliance analyze --db inspections.db --scan 2
    """
    from rich.console import Console

    from .match import scan_eagerly
    from .scan import ScanError, analyze as run_analyze
    from .store import StoreError

    scan_eagerly()  # every site of a scan: a long run (compliance.match.scan_eagerly)
    try:
        ids = run_analyze(db, scan_id, rules_path=rules_path)
    except (ScanError, StoreError) as exc:
        _die(str(exc))
    console = Console(stderr=True)
    console.print(f"已重新判斷 {len(ids)} 個網站。")
    from .store import Store

    with Store(db) as store:
        sid = scan_id or store.latest_scan_id()
    _summary(db, sid, console)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--scan", "scan_id", type=int, help="掃描編號（預設為最新一次）。")
@click.option("--site", help="只輸出此網站（site key 或名稱）。")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html", "text", "sarif", "summary", "record"]),
              default="json", show_default=True,
              help="summary 為全部網站之 HTML 摘要報告；record 為一個網站之訪查紀錄（A4 列印，含審查結果）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="寫入檔案（預設為標準輸出）。")
def report(db, scan_id, site, fmt, output):
    """輸出掃描結果：每個網站一份報告（JSON 為每行一個物件，格式同 check）。

    \b
    例：
      python -m compliance report --db inspections.db --format json
      python -m compliance report --format summary -o summary.html
      python -m compliance report --format record --site shop.example -o 訪查紀錄.html
    """
    from reports import render

    from .store import Store

    with Store(db) as store:
        sid = _scan_or_die(store, scan_id)
        if fmt == "summary":
            stream = open(output, "w", encoding="utf-8") if output else sys.stdout
            from reports.scan_summary import render_scan

            render_scan(store, sid, stream)
            return
        if fmt == "record":
            from .cli_review import write_record

            write_record(store, sid, site, output)
            return
        reports = store.latest_reports(sid)
    if site:
        reports = [r for r in reports if site in (r.target.name, getattr(r, "site_key", None))]
        if not reports:
            _die(f"掃描 #{sid} 中沒有網站 {site!r}")
    stream = open(output, "w", encoding="utf-8", newline="" if fmt == "csv" else None) if output else sys.stdout
    for i, rep in enumerate(reports):
        if fmt == "json":
            stream.write(json.dumps(rep.as_dict(), ensure_ascii=False) + "\n")
        else:
            render(rep, fmt, stream)


@main.command()
@click.option("--out", "out_dir", default="demo-out", show_default=True, type=click.Path(file_okay=False),
              help="輸出資料夾（檢查紀錄、目標清單、摘要報告）。")
@click.option("--keep-serving", is_flag=True, help="掃描後繼續提供示範網站，直到 Ctrl-C。")
def demo(out_dir, keep_serving):
    """示範：在 127.0.0.1 啟動虛構商店網站，掃描並產生檢查紀錄與摘要報告。

    例：python -m compliance demo
    """
    from .demo import run_demo

    run_demo(Path(out_dir), keep_serving=keep_serving)
