"""What `check` reads: a local file, standard input or one URL, as a Target.

Every way an input can be bad ends in ``InputError`` with a one-line zh-TW reason that
names the input (issue 2: "a one-line error on stderr naming the input and the cause").
"""
from __future__ import annotations

import sys
from pathlib import Path

from .extract import MAX_BYTES, ExtractError, extract, extract_file
from .fetch import FetchError, fetch
from .models import Document, Target

SUFFIXES = (".html", ".htm", ".txt", ".pdf")

CAUSES = {
    "decode_error": "無法辨識文字編碼或為二進位檔（支援 UTF-8、Big5/CP950）",
    "empty_text": "沒有可判斷的文字內容",
    "not_html": "檔案類型不是 HTML、純文字或 PDF",
    "too_large": f"檔案超過 {MAX_BYTES // (1024 * 1024)} MB 上限",
    "extract_error": "無法擷取文字",
}


class InputError(Exception):
    """The input of `check` could not be read; the message is one line for stderr."""

    def __init__(self, name: str, cause: str, error_class: str = "input"):
        self.name, self.cause, self.error_class = name, cause, error_class
        super().__init__(f"無法讀取 {name}：{cause}")


def _from_extract(name: str, exc: ExtractError) -> InputError:
    return InputError(name, CAUSES.get(exc.error_class, str(exc)), exc.error_class)


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def read_target(spec: str, stdin=None) -> Target:
    """Load PATH, URL or '-' (stdin) as a one-document Target."""
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        body = stream.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise InputError("標準輸入", CAUSES["too_large"], "too_large")
        if not body.strip():
            raise InputError("標準輸入", "內容為空", "empty_text")
        try:
            page = extract(body)
        except ExtractError as exc:
            raise _from_extract("標準輸入", exc) from None
        return Target("stdin", "-", [Document(location="-", text=page.text, title=page.title)])
    if is_url(spec):
        try:
            got = fetch(spec)
        except FetchError as exc:
            raise InputError(spec, exc.detail, exc.error_class) from None
        try:
            page = extract(got.body, got.content_type, got.final_url)
        except ExtractError as exc:
            raise _from_extract(spec, exc) from None
        return Target("url", spec, [Document(location=got.final_url, text=page.text, title=page.title)])
    path = Path(spec)
    if not path.exists():
        raise InputError(spec, "檔案不存在", "not_found")
    if path.is_dir():
        raise InputError(spec, "這是資料夾，請指定 .html、.htm、.txt 或 .pdf 檔案", "not_a_file")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(spec, f"不支援的副檔名 {path.suffix or '（無）'}，請使用 {'、'.join(SUFFIXES)}", "not_html")
    if path.stat().st_size == 0:
        raise InputError(spec, "檔案是空的", "empty_text")
    try:
        page = extract_file(path)
    except ExtractError as exc:
        raise _from_extract(spec, exc) from None
    except OSError as exc:
        raise InputError(spec, f"無法開啟檔案（{exc.strerror or exc.__class__.__name__}）", "io") from None
    return Target("file", spec, [Document(location=str(path), text=page.text, title=page.title)])
