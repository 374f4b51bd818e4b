"""Reviewers: accounts made on the command line, logins, and who a decision is recorded under.

When the log holds accounts, every page of the log needs a login. When it holds none, the
console is in local single-user mode (only allowed on 127.0.0.1, see ``check_bind``): pages are
open and decisions are recorded under the OS user name given to ``create_app(local_user=…)``.
"""
from __future__ import annotations

import secrets
from functools import lru_cache

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from werkzeug.security import check_password_hash, generate_password_hash

from . import ConsoleError, is_loopback

bp = Blueprint("auth", __name__)

# Endpoints open without a login: the login page itself, the stylesheet and the operator's
# self-check, which never reads the log.
OPEN_ENDPOINTS = {"auth.login", "static", "selfcheck.form", "selfcheck.check"}
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD = 8


class AccountError(ConsoleError):
    """An account cannot be created or changed as asked."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密碼至少需 {MIN_PASSWORD} 個字元")
    return generate_password_hash(password, method=PASSWORD_METHOD)


def add_user(store, name: str, password: str, *, created_by: str | None = None) -> int:
    name = (name or "").strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise AccountError(f"帳號名稱 {name!r} 無效：需 1–64 個字元且不含空白")
    if store.user(name) is not None:
        raise AccountError(f"帳號 {name!r} 已存在；改密碼請用 python -m compliance user passwd {name}")
    return store.add_user(name, hash_password(password), created_by=created_by)


def check_bind(store, host: str) -> None:
    """Refuse a console reachable from other machines while no one has to log in."""
    if not is_loopback(host) and store.user_count() == 0:
        raise ConsoleError(f"綁定 {host} 須先建立審查帳號（python -m compliance user add 帳號名稱），"
                           "否則僅能綁定 127.0.0.1")


def reviewer() -> str | None:
    """The name decisions are recorded under, for this request."""
    return g.get("reviewer")


def guard():
    """before_request: decide who is asking; send strangers to the login page."""
    g.reviewer = None
    g.local_mode = False
    if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
        return None  # (the self-check must not even open the log)
    from .db import get_store

    store = get_store()
    if store.user_count() == 0:
        local = current_app.config.get("LOCAL_USER")
        if local:
            g.reviewer, g.local_mode = local, True
            return None
        return render_template("no_accounts.html.j2"), 403
    name = session.get("user")
    if name and store.user(name) is not None:
        g.reviewer = name
        return None
    session.pop("user", None)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


def safe_next(target: str | None) -> str:
    # only a path on this console: never an absolute URL or //host (open redirect)
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("views.overview")


@bp.route("/login", methods=["GET", "POST"])
def login():
    from .db import get_store

    error = None
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        user = get_store().user(name) if name else None
        # an unknown name costs the same hash check as a wrong password (no account probing by timing)
        stored = user["password_hash"] if user else _dummy_hash()
        if check_password_hash(stored, request.form.get("password", "")) and user:
            session.clear()
            session["user"] = name
            return redirect(safe_next(request.form.get("next")))
        error = "帳號或密碼錯誤"
    return render_template("login.html.j2", error=error, next=request.values.get("next", "")), \
        (401 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    flash("已登出")
    return redirect(url_for("auth.login"))
