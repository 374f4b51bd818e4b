"""Output formats: one module per format, each exposing ``render(report, file)``.

``file`` is a text stream opened by the caller (for CSV, open it with ``newline=""``).
A dict registry is enough until there is a reason for more (../shared/style.md, habit 12).
"""
from __future__ import annotations

from compliance.models import Report

from . import csv_format, html_format, json_format, sarif_format, text_format

FORMATS = {
    "text": text_format.render,
    "json": json_format.render,
    "csv": csv_format.render,
    "html": html_format.render,
    "sarif": sarif_format.render,
}


class UnknownFormat(ValueError):
    """The requested output format is not one of FORMATS."""


def render(report: Report, fmt: str, file) -> None:
    """Write `report` to `file` in format `fmt` (a key of FORMATS)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise UnknownFormat(f"未知的輸出格式 {fmt!r}，可用的格式：{choices}") from None
    renderer(report, file)
