"""The log's pages: overview, site page, snapshot, review actions, re-inspection, downloads."""
from __future__ import annotations

import io
import re

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request, url_for)

from . import DOCUMENT_CSP, SNAPSHOT_CSP
from . import overview as overview_data
from . import site as site_data
from .auth import reviewer, safe_next
from .db import get_store

bp = Blueprint("views", __name__)


def _review_states():
    from compliance.review import review_states

    return review_states


def _scan_id(store, value) -> int | None:
    if value not in (None, ""):
        try:
            scan_id = int(value)
        except (TypeError, ValueError):
            abort(404)
        if not any(s["id"] == scan_id for s in store.scans()):
            abort(404)
        return scan_id
    return store.latest_scan_id()


def _scans(store) -> list[dict]:
    out = []
    for s in store.scans():
        out.append({**s, "sites": len(store.sites(s["id"]))})
    return out


@bp.route("/")
def overview():
    store = get_store()
    scan_id = _scan_id(store, request.args.get("scan"))
    if scan_id is None:
        return render_template("empty.html.j2", db=store.path)
    filters = overview_data.Filters.from_args(request.args)
    ov = overview_data.build(store, scan_id, filters, _review_states())
    for i in ov.per_rule:
        i["label"] = f"{i['rule_id']} {i['title']}"
        i["href"] = url_for("views.overview", scan=scan_id, rule=i["rule_id"])
    for i in ov.per_site:
        i["label"] = i["name"]
        i["href"] = url_for("views.site", scan_id=scan_id, site_key=i["site_key"])
    return render_template("overview.html.j2", ov=ov, scans=_scans(store), scan_id=scan_id,
                           rule_chart=overview_data.bars(ov.per_rule), site_chart=overview_data.bars(ov.per_site))


@bp.route("/scans/<int:scan_id>/sites/<path:site_key>")
def site(scan_id: int, site_key: str):
    store = get_store()
    _scan_id(store, scan_id)
    try:
        view = site_data.build(store, scan_id, site_key, _review_states())
    except site_data.NotAnalysed:
        abort(404)
    return render_template("site.html.j2", v=view, scan=store.scan(scan_id), scan_id=scan_id,
                           other_scans=_site_scans(store, site_key))


def _page(store, page_id: int) -> dict:
    page = store.page_by_id(page_id, with_body=True)
    if page is None:
        abort(404)
    return page


# Python codec names the log records -> the labels browsers know (WHATWG Encoding)
_WEB_CHARSETS = {"cp950": "big5", "big5": "big5", "big5hkscs": "big5", "utf_8": "utf-8", "utf-8-sig": "utf-8",
                 "utf_8_sig": "utf-8", "gbk": "gbk", "gb18030": "gb18030", "cp1252": "windows-1252"}


def _web_charset(encoding: str | None) -> str:
    name = re.sub(r"[^A-Za-z0-9_.:-]", "", (encoding or "utf-8").lower()) or "utf-8"
    return _WEB_CHARSETS.get(name, name)


@bp.route("/pages/<int:page_id>/snapshot")
def snapshot(page_id: int):
    """The stored HTML, only for the sandboxed frame of the site page: the CSP sandbox gives it
    an opaque origin with no scripts, forms, plugins or automatic navigation, and no network."""
    page = _page(get_store(), page_id)
    body = page["raw_body"] or b""
    if page["kind"] != "html" or not body:
        return redirect(url_for("views.source", page_id=page_id))
    charset = _web_charset(page["encoding"])
    resp = Response(body, content_type=f"text/html; charset={charset}")
    resp.headers["Content-Security-Policy"] = SNAPSHOT_CSP
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    resp.headers["Content-Disposition"] = "inline"
    return resp


@bp.route("/pages/<int:page_id>/source")
def source(page_id: int):
    """The stored body as escaped text (the HTML source, or a PDF's extracted text)."""
    store = get_store()
    page = _page(store, page_id)
    body = page["raw_body"]
    if page["kind"] == "pdf" or body is None:
        shown, what = page["text"] or "", "擷取之文字"
    else:
        try:
            shown = body.decode(page["encoding"] or "utf-8", errors="replace")
        except LookupError:
            shown = body.decode("utf-8", errors="replace")
        what = "原始 HTML 原始碼"
    return render_template("source.html.j2", page=page, shown=shown, what=what)


@bp.route("/results/<int:result_id>/review", methods=["POST"])
def review(result_id: int):
    from compliance.review import ReviewError, decide
    from compliance.store import StoreError

    store = get_store()
    back = safe_next(request.form.get("back"))
    decision = request.form.get("decision", "")
    note = request.form.get("note", "").strip()
    name = reviewer()
    if not name:
        abort(403)
    try:
        decide(store, result_id, reviewer=name, decision=decision, note=note)
    except (ReviewError, StoreError) as exc:
        flash(f"未記錄：{exc}", "error")
    else:
        flash(f"已記錄：{'確認違規' if decision == 'confirm' else '排除'}（審查人 {name}）", "ok")
    return redirect(back)


def _site_scans(store, site_key: str) -> list[dict]:
    """Scans that judged this site, newest first."""
    return [s for s in store.scans() if store.analyses(s["id"], site_key)]


@bp.route("/reinspect/<path:site_key>")
def reinspect(site_key: str):
    from compliance.reinspect import compare_scans

    store = get_store()
    scans = _site_scans(store, site_key)
    if not scans:
        abort(404)
    ids = [s["id"] for s in scans]

    def pick(name, default):
        try:
            value = int(request.args.get(name, default))
        except (TypeError, ValueError):
            return default
        return value if value in ids else default

    new = pick("new", ids[0])
    old = pick("old", ids[1] if len(ids) > 1 else ids[0])
    comparison = compare_scans(store, old, new, site_key) if old != new else None
    name = next((s["name"] for s in store.sites(new) if s["site_key"] == site_key), None) or site_key
    return render_template("reinspect.html.j2", scans=scans, old=old, new=new, site_key=site_key, name=name,
                           cmp=comparison)


def _filename(scan_id: int, site_key: str, ext: str) -> str:
    return f"scan{scan_id}-{re.sub(r'[^A-Za-z0-9._-]+', '_', site_key).strip('_')}.{ext}"


def _analysis(store, scan_id: int, site_key: str) -> dict:
    analyses = store.analyses(scan_id, site_key)
    if not analyses:
        abort(404)
    return analyses[-1]


@bp.route("/scans/<int:scan_id>/sites/<path:site_key>/record.html")
def record(scan_id: int, site_key: str):
    """The printable 訪查紀錄 of one site (reports.record_format), with the review decisions."""
    from reports.record_format import SiteNotJudged, site_record_html

    try:
        html = site_record_html(get_store(), scan_id, site_key)
    except SiteNotJudged:
        abort(404)
    resp = Response(html, content_type="text/html; charset=utf-8")
    resp.headers["Content-Security-Policy"] = DOCUMENT_CSP
    if request.args.get("download"):
        resp.headers["Content-Disposition"] = f'attachment; filename="{_filename(scan_id, site_key, "html")}"'
    return resp


@bp.route("/scans/<int:scan_id>/sites/<path:site_key>/report.<any(csv, json):fmt>")
def download(scan_id: int, site_key: str, fmt: str):
    from reports import render

    store = get_store()
    report = store.report(_analysis(store, scan_id, site_key)["id"])
    buf = io.StringIO(newline="")
    render(report, fmt, buf)  # the registry: the same bytes as `report --format csv|json`
    ctype = "application/json; charset=utf-8" if fmt == "json" else "text/csv; charset=utf-8"
    resp = Response(buf.getvalue().encode("utf-8"), content_type=ctype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{_filename(scan_id, site_key, fmt)}"'
    return resp
