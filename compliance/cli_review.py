"""review and diff: the official's commands after a scan (decide on findings, compare re-inspections)."""
from __future__ import annotations

import getpass
import json
import sys

import click

from .cli import _die, _scan_or_die, main
from .cli_scan import DEFAULT_DB

_DB = click.option("--db", default=DEFAULT_DB, show_default=True, type=click.Path(exists=True, dir_okay=False),
                   help="檢查紀錄（SQLite）檔案。")


def _echo(text: str) -> None:
    """One line of output; scraped text (page text in diffs, reviewers' notes) may carry terminal
    escape sequences, so control characters are dropped (reports.common.clean)."""
    from reports.common import clean

    click.echo(clean(text))


def _status_label(status: str | None) -> str:
    from .models import Status

    return Status(status).label if status else "未判斷"


# --- review --------------------------------------------------------------------------------

@main.command()
@click.argument("result_id", type=int, required=False)
@click.option("--confirm", "decision", flag_value="confirm", help="確認為違規。")
@click.option("--dismiss", "decision", flag_value="dismiss", help="排除（須以 --note 說明理由）。")
@click.option("--note", default="", help="審查說明；排除時必填。")
@click.option("--by", "reviewer", help="審查人員（預設為系統使用者名稱）。")
@click.option("--scan", "scan_id", type=int, help="列出此掃描之發現（預設為最新一次）。")
@click.option("--site", help="只列出此網站（site key）。")
@_DB
def review(result_id, decision, note, reviewer, scan_id, site, db):
    """審查發現：確認違規或排除；不帶結果編號時列出發現及其審查狀態。

    \b
    決定只會新增紀錄，原始結果不會被修改或刪除；條款文字未變更時，
    前次之決定沿用至之後的掃描，文字變更則重新列為待確認。
    例：
      python -m compliance review --db inspections.db
      python -m compliance review 42 --confirm --by 王小明
      python -m compliance review 43 --dismiss --note "屬準則第2條之例外" --by 王小明
    """
    from .review import ReviewError, decide, history, result_row, review_states
    from .store import Store, StoreError

    with Store(db) as store:
        if result_id is None:
            if decision:
                _die("請指定要審查之結果編號（RESULT_ID）")
            _list_findings(store, scan_id, site, review_states)
            return
        try:
            if decision:
                review_id = decide(store, result_id, reviewer=reviewer or getpass.getuser(), decision=decision,
                                   note=note)
                row = result_row(store, result_id)
                label = "確認違規" if decision == "confirm" else "排除"
                _echo(f"已記錄審查決定 #{review_id}：結果 {result_id}（{row['site_key']} {row['rule_id']}）{label}")
                return
            row = result_row(store, result_id)
            state = review_states(store, [row])[result_id]
            decisions = history(store, result_id)
        except (ReviewError, StoreError) as exc:
            _die(str(exc))
    title = json.loads(row["result"]).get("title", "") if row.get("result") else ""
    _echo(f"結果 {result_id}：{row['site_key']} {row['rule_id']} {title}")
    if state.reviewable:
        carried = "（沿用前次審查）" if state.carried else ""
        _echo(f"判斷：{_status_label(row['status'])}　審查狀態：{state.label}{carried}")
    else:
        _echo(f"判斷：{_status_label(row['status'])}（非待審查之發現）")
    for d in decisions:
        _echo(f"  {d['decided_at']} {d['reviewer']} {'確認違規' if d['decision'] == 'confirm' else '排除'}"
                   + (f"：{d['note']}" if d["note"] else ""))


def _list_findings(store, scan_id, site, review_states) -> None:
    sid = _scan_or_die(store, scan_id)
    rows = [r for r in store.latest_results(sid, site) if r["status"] in ("fail", "needs_review")]
    if site and not rows and not store.analyses(sid, site):
        _die(f"掃描 #{sid} 中沒有網站 {site!r}")
    states = review_states(store, rows)
    _echo(f"掃描 #{sid} 之發現 {len(rows)} 項（結果編號 網站 規則 判斷 審查狀態）")
    for r in rows:
        st = states[r["id"]]
        _echo(f"{r['id']:>6}  {r['site_key']}  {r['rule_id']}  {_status_label(r['status'])}  {st.label}"
                   + ("（沿用）" if st.carried else ""))


# --- diff ----------------------------------------------------------------------------------

GROUPS = ("new", "still_failing", "fixed", "regressed")


def _print_comparison(cmp, show_text: bool) -> None:
    from .reinspect import CHANGE_LABELS

    counts = cmp.counts
    _echo(f"■ {cmp.name}（{cmp.site_key}）　掃描 #{cmp.old_scan_id} → #{cmp.new_scan_id}")
    _echo("  " + "　".join(f"{CHANGE_LABELS[g]} {counts[g]}" for g in GROUPS))
    for g in GROUPS:
        for c in cmp.of(g):
            review = "（待確認）" if c.pending else ""
            _echo(f"  [{CHANGE_LABELS[g]}] {c.rule_id} {c.title}：{_status_label(c.old_status)} → "
                       f"{_status_label(c.new_status)}{review}")
    pending = [c for c in cmp.changes if c.pending and c.change == "unchanged"]
    if pending:
        _echo("  待確認：" + "、".join(f"{c.rule_id} {c.title}" for c in pending))
    changed = [d for d in cmp.text_diffs if d.changed]
    _echo(f"  條款文字：{len(cmp.text_diffs)} 頁，變動 {len(changed)} 頁")
    labels = {"changed": "修改", "added": "新增頁面", "removed": "移除或無法讀取"}
    for d in changed:
        note = f"；{d.note}" if d.note else ""
        _echo(f"    {d.location}　{labels[d.status]}（+{d.added} −{d.removed} 行{note}）")
        if show_text and d.unified:
            for line in d.unified.splitlines():
                _echo(f"      {line}")


@main.command("diff")
@click.argument("scans", nargs=-1, type=int, metavar="[OLD_SCAN NEW_SCAN]")
@click.option("--site", help="只比較此網站（site key）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--text/--no-text", "show_text", default=False, help="列出條款文字之逐行差異。")
@_DB
def diff_cmd(scans, site, fmt, show_text, db):
    """再次訪查比較：每條規則之新增不符合、仍不符合、已改善、退步，及條款文字之差異。

    \b
    不指定掃描時，以最新一次掃描之每個網站與該網站之前一次掃描比較。
    例：
      python -m compliance diff --db inspections.db
      python -m compliance diff 1 2 --site shop.example --text
      python -m compliance diff 1 2 --format json
    """
    from .reinspect import ReinspectError, compare_all, compare_scans, compare_with_previous
    from .store import Store, StoreError

    if len(scans) not in (0, 2):
        _die("請指定兩個掃描編號（OLD_SCAN NEW_SCAN），或都不指定以與前一次掃描比較")
    with Store(db) as store:
        known = {s["id"] for s in store.scans()}
        for n in scans:
            if n not in known:
                listed = "、".join(f"#{k}" for k in sorted(known)) or "無"
                _die(f"{db} 中沒有掃描 #{n}（現有掃描：{listed}）")
        try:
            if not scans:
                comparisons = compare_with_previous(store, None, site)
            elif site:
                comparisons = [compare_scans(store, scans[0], scans[1], site)]
            else:
                comparisons = compare_all(store, scans[0], scans[1])
                if not comparisons:
                    _die(f"掃描 #{scans[0]} 與 #{scans[1]} 沒有共同判斷之網站")
        except (ReinspectError, StoreError) as exc:
            _die(str(exc))
    if fmt == "json":
        for cmp in comparisons:
            sys.stdout.write(json.dumps(cmp.as_dict(), ensure_ascii=False) + "\n")
        return
    for i, cmp in enumerate(comparisons):
        if i:
            click.echo()
        _print_comparison(cmp, show_text)


# --- report --format record ---------------------------------------------------------------

def write_record(store, scan_id: int, site: str | None, output: str | None) -> None:
    """The inspection record (訪查紀錄) of one site of a scan, with its review states."""
    from reports.record_format import record_inputs, render_html

    analyses = store.latest_analyses(scan_id)
    if site:
        analyses = [a for a in analyses if site in (a["site_key"], (a.get("target") or {}).get("name"))]
        if not analyses:
            _die(f"掃描 #{scan_id} 中沒有網站 {site!r}")
    if not analyses:
        _die(f"掃描 #{scan_id} 尚未判斷任何網站")
    if len(analyses) > 1:
        keys = "、".join(a["site_key"] for a in analyses[:10])
        _die(f"訪查紀錄一次一個網站，請以 --site 指定（{keys}{'…' if len(analyses) > 10 else ''}）")
    inputs = record_inputs(store, scan_id, analyses[0]["site_key"])
    html = render_html(inputs.pop("report"), **inputs)
    if not output:
        sys.stdout.write(html)
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(html)
    except OSError as exc:
        _die(f"無法寫入 {output}：{exc.strerror}")
    click.echo(f"訪查紀錄：{output}", err=True)
