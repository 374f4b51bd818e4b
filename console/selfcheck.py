"""The operator's self-check: paste terms or upload a file, get the report `check` gives.

It never opens the inspection log (no login needed, nothing recorded): the text is judged in
memory and the page is the `check --format html` report's content (reports.html_format.view).
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import Blueprint, render_template, request

from . import UPLOAD_LIMIT

bp = Blueprint("selfcheck", __name__)
MAX_PASTE = 200_000  # characters


def _target():
    """The Target to judge from the form, or an error message (zh-TW, one line)."""
    from compliance.inputs import SUFFIXES, InputError, read_target

    upload = request.files.get("file")
    text = request.form.get("text", "")
    try:
        if upload is not None and upload.filename:
            name = Path(upload.filename).name
            suffix = Path(name).suffix.lower()
            if suffix not in SUFFIXES:
                return None, f"無法讀取 {name}：不支援的副檔名 {suffix or '（無）'}，請使用 {'、'.join(SUFFIXES)}"
            body = upload.read(UPLOAD_LIMIT + 1)
            if len(body) > UPLOAD_LIMIT:
                return None, f"無法讀取 {name}：檔案超過 {UPLOAD_LIMIT // (1024 * 1024)} MB 上限"
            with tempfile.TemporaryDirectory(prefix="selfcheck-") as tmp:
                path = Path(tmp) / ("upload" + suffix)
                path.write_bytes(body)
                try:
                    target = read_target(str(path))
                except InputError as exc:
                    return None, f"無法讀取 {name}：{exc.cause}"
            target.name = name
            for doc in target.documents:
                doc.location = name
            return target, None
        if not text.strip():
            return None, "請貼上條款文字，或選擇要上傳的檔案"
        if len(text) > MAX_PASTE:
            return None, f"貼上之文字超過 {MAX_PASTE:,} 字上限，請改以檔案上傳"
        target = read_target("-", stdin=io.BytesIO(text.encode("utf-8")))
    except InputError as exc:
        return None, f"無法讀取貼上之文字：{exc.cause}"
    target.name = "貼上之條款文字"
    for doc in target.documents:
        doc.location = "貼上之條款文字"
    return target, None


@bp.route("/self-check", methods=["GET"])
def form():
    return render_template("selfcheck.html.j2", r=None, error=None, text="")


@bp.route("/self-check", methods=["POST"])
def check():
    from compliance.engine import check_documents
    from compliance.models import Severity
    from reports.html_format import view

    target, error = _target()
    if error:
        return render_template("selfcheck.html.j2", r=None, error=error,
                               text=request.form.get("text", "")[:MAX_PASTE]), 400
    report = check_documents(target.documents, target_kind=target.kind, target_name=target.name)
    report.target = target
    return render_template("selfcheck.html.j2", r=view(report), error=None, text=request.form.get("text", ""),
                           failing=len(report.failing(Severity.LOW)))
