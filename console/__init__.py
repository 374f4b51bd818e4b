"""The review console: a server-rendered Flask app over the inspection log (issue 4).

    from console import create_app
    app = create_app("inspections.db", local_user="inspector")
    app.run("127.0.0.1", 8000)          # or: python -m compliance serve --db inspections.db

Pages: overview (sites × rule items), site page (evidence in the stored text, snapshot in a
sandboxed frame, review forms), re-inspection, search over every stored clause, and the
operator's self-check, which never opens the log. Every scraped string reaches the browser
through Jinja2's autoescape; no page runs a script (the CSP allows none).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
SECRET_ENV = "COMPLIANCE_SECRET_KEY"
UPLOAD_LIMIT = 5 * 1024 * 1024  # the self-check's upload cap (bytes), as `check`'s file cap

# Console pages load nothing but our own stylesheet; no script may run, no form may post
# elsewhere, only the snapshot route may be framed (by us).
CONSOLE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
               "frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
# A stored page shown in the snapshot frame: a sandbox (opaque origin, no scripts, no forms,
# no automatic navigation) and no network access at all.
SNAPSHOT_CSP = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                "frame-ancestors 'self'")
# Downloadable documents (the printable record) carry their own inline styles.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"

csrf = CSRFProtect()


class ConsoleError(Exception):
    """The console cannot start as asked."""


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def secret_key_for(db_path: str | Path) -> str:
    """COMPLIANCE_SECRET_KEY, else a key kept beside the log (created once, mode 0600)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    path = Path(str(db_path) + ".console-secret")
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


class _Console(Flask):
    """Flask autoescapes by file extension only (.html, …); ours end in .html.j2, and every
    template renders scraped text: escape always."""

    def select_jinja_autoescape(self, filename: str) -> bool:
        return True


def create_app(db_path: str | Path, *, secret_key: str | None = None, local_user: str | None = None,
               config: dict | None = None) -> Flask:
    """The console over the log at ``db_path``.

    ``local_user``: when the log has no accounts, every page is open and decisions are recorded
    under this name (local single-user mode; only for a console bound to 127.0.0.1). When
    accounts exist, every page of the log requires a login.
    """
    app = _Console(__name__)
    app.config.update(
        DB_PATH=str(db_path),
        LOCAL_USER=local_user,
        SECRET_KEY=secret_key or secret_key_for(db_path),
        MAX_CONTENT_LENGTH=UPLOAD_LIMIT + 64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="compliance_console",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the signed session
        JSON_AS_ASCII=False,
    )
    app.config.update(config or {})
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    csrf.init_app(app)

    from . import auth, db, search, selfcheck, views
    from .format import register_filters

    db.init_app(app)
    register_filters(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(selfcheck.bp)
    app.before_request(auth.guard)

    _error_pages(app)

    @app.after_request
    def secure_headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CONSOLE_CSP)
        h.setdefault("X-Frame-Options", "DENY")
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h.setdefault("Cache-Control", "no-store")
        return response

    return app


ERROR_MESSAGES = {
    400: "要求無效。",
    403: "沒有權限檢視此頁。",
    404: "找不到此頁面（網站、掃描或頁面編號不存在）。",
    405: "不支援此操作方式。",
    413: f"上傳之檔案超過 {UPLOAD_LIMIT // (1024 * 1024)} MB 上限，請分割後再上傳。",
    500: "系統發生錯誤，請稍後再試；若持續發生，請通知系統管理者。",
}


def _error_pages(app: Flask) -> None:
    """Errors in zh-TW, inside the console's frame (never a traceback, never English boilerplate)."""
    from flask import render_template
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import HTTPException

    def page(code: int, message: str):
        return render_template("error.html.j2", code=code, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return page(400, "表單已過期或來源不明（CSRF 驗證失敗），請重新整理頁面後再送出。")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return page(exc.code or 500, ERROR_MESSAGES.get(exc.code, exc.description or ""))

    @app.errorhandler(Exception)
    def server_error(exc):
        app.logger.exception("console error")
        return page(500, ERROR_MESSAGES[500])
