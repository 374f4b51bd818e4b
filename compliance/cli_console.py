"""serve and user: the review console and its reviewer accounts."""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from .cli import _die, main

DEFAULT_DB = "inspections.db"
DEMO_DB = Path("demo-out") / "inspections.db"


def _existing_db(db: str | None) -> str:
    """The log to open: --db, else inspections.db, else the README demo's log."""
    if db is None:
        if Path(DEFAULT_DB).exists() or not DEMO_DB.exists():
            db = DEFAULT_DB
        else:
            db = str(DEMO_DB)
            click.echo(f"使用示範檢查紀錄 {db}（以 --db 指定其他檔案）", err=True)
    if not Path(db).is_file():
        _die(f"找不到檢查紀錄 {db}；請以 --db 指定，或先執行 python -m compliance scan 或 demo")
    return db


@main.command()
@click.option("--db", help=f"檢查紀錄（SQLite）檔案（預設 {DEFAULT_DB}，若無則用 {DEMO_DB}）。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="綁定位址；非 127.0.0.1 時須已建立審查帳號。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(db, host, port):
    """啟動審查網頁（總覽、網站頁面、審查、搜尋、複查比較、業者自我檢查）。

    \b
    無審查帳號時僅能在本機使用（單人模式，審查人為系統使用者名稱）；
    有帳號時每一頁均須登入。金鑰取自環境變數 COMPLIANCE_SECRET_KEY，
    或存於檢查紀錄旁之 .console-secret 檔。
    \b
    例：
      python -m compliance serve --db inspections.db
      python -m compliance user add wang && python -m compliance serve --host 0.0.0.0 --port 8080
    """
    from werkzeug.serving import make_server

    from console import ConsoleError, create_app, is_loopback
    from console.auth import check_bind
    from console.search import ensure_index

    from .store import Store, StoreError

    db = _existing_db(db)
    try:
        with Store(db) as store:
            check_bind(store, host)
            local = getpass.getuser() if is_loopback(host) and store.user_count() == 0 else None
            added = ensure_index(store)
    except (ConsoleError, StoreError) as exc:
        _die(str(exc))
    if added:
        click.echo(f"已建立 {added} 頁之條款搜尋索引", err=True)
    app = create_app(db, local_user=local)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        _die(f"無法在 {host}:{port} 啟動：{exc.strerror or exc}")
    shown = f"[{host}]" if ":" in host else host
    mode = f"本機單人模式，審查人 {local}" if local else "須登入"
    click.echo(f"審查網頁：http://{shown}:{server.server_port}/（{mode}；檢查紀錄 {db}）按 Ctrl-C 結束", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.group()
def user():
    """審查帳號：新增、列出、變更密碼（密碼以 scrypt 雜湊儲存）。

    \b
    例：
      python -m compliance user add wang --db inspections.db
      python -m compliance user list
    """


def _password(confirm: bool = True) -> str:
    return click.prompt("密碼", hide_input=True, confirmation_prompt="再輸入一次密碼" if confirm else False)


@user.command("add")
@click.argument("name")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="檢查紀錄（SQLite）檔案。")
@click.option("--password-stdin", is_flag=True, help="由標準輸入讀取密碼（一行；供自動化使用）。")
def user_add(name, db, password_stdin):
    """新增審查帳號（提示輸入密碼）。例：python -m compliance user add wang"""
    from console.auth import AccountError, add_user

    from .store import Store, StoreError

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else _password()
    try:
        with Store(db) as store:
            add_user(store, name, password, created_by=getpass.getuser())
    except (AccountError, StoreError) as exc:
        _die(str(exc))
    click.echo(f"已建立審查帳號 {name}（{db}）", err=True)


@user.command("passwd")
@click.argument("name")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="檢查紀錄（SQLite）檔案。")
@click.option("--password-stdin", is_flag=True, help="由標準輸入讀取密碼（一行）。")
def user_passwd(name, db, password_stdin):
    """變更審查帳號之密碼。例：python -m compliance user passwd wang"""
    from console.auth import AccountError, hash_password

    from .store import Store, StoreError

    if not Path(db).is_file():
        _die(f"找不到檢查紀錄 {db}")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else _password()
    try:
        with Store(db) as store:
            if store.user(name) is None:
                _die(f"沒有審查帳號 {name!r}；新增請用 python -m compliance user add {name}")
            store.set_password(name, hash_password(password))
    except (AccountError, StoreError) as exc:
        _die(str(exc))
    click.echo(f"已變更 {name} 之密碼", err=True)


@user.command("list")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="檢查紀錄（SQLite）檔案。")
def user_list(db):
    """列出審查帳號。例：python -m compliance user list --db inspections.db"""
    from .store import Store

    if not Path(db).is_file():
        _die(f"找不到檢查紀錄 {db}")
    with Store(db) as store:
        for u in store.users():
            click.echo(f"{u['name']}\t建立於 {u['created_at']}\t由 {u['created_by'] or ''}")
