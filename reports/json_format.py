"""JSON: exactly ``report.as_dict()`` — the output contract (../shared/output-contract.md)."""
from __future__ import annotations

import json

from compliance.models import Report


def render(report: Report, file) -> None:
    json.dump(report.as_dict(), file, ensure_ascii=False, indent=2)
    file.write("\n")
