"""Speed of review states and re-inspection comparisons on a large inspection log (issue 4).

    python bench/review_bench.py                  # 500 sites x 3 scans, a table, bench/out/review.json
    python bench/review_bench.py --sites 100      # quicker

Builds a log in a temporary directory: every site gets one analysis per scan (the engine's real
report of a small terms page, stored under each site's key) and a third of its findings a decision
in the first scan. Then it times, on the last scan:

1. ``review_states`` over every result row of the scan (what the console's overview needs), with the
   number of SQL SELECTs it issued (it must not grow with the number of sites);
2. ``compare_all`` against the previous scan (rule changes and page diffs for every site).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from compliance.engine import check_documents  # noqa: E402
from compliance.models import Document  # noqa: E402
from compliance.reinspect import compare_all  # noqa: E402
from compliance.review import decide, review_states  # noqa: E402
from compliance.store import Store  # noqa: E402

TERMS = (
    "第一條 總則\n本網站由好物股份有限公司經營，客服電話 02-1234-5678。\n"
    "第五條 退貨\n商品一經拆封恕不退貨，運費由消費者負擔。\n"
    "第九條 其他\n本公司保留最終解釋權，並得隨時修改本條款。\n"
)
FIXED = TERMS.replace("商品一經拆封恕不退貨，運費由消費者負擔。", "消費者得於收受商品後七日內解除契約，無須說明理由。")


def build(store: Store, sites: int, scans: int) -> list[int]:
    scan_ids = []
    for n in range(scans):
        text = TERMS if n < scans - 1 else FIXED
        report = check_documents([Document("https://x.example/terms", text)], target_kind="site", target_name="x")
        scan_id = store.begin_scan(launched_by="bench")
        with store.db.atomic():
            for i in range(sites):
                key = f"shop{i}.example"
                store.add_target(scan_id, position=i + 1, name=f"商店{i}", url=f"https://{key}/", site_key=key)
                store.add_page(scan_id, key, f"https://{key}/terms", http_status=200, text=text)
                store.add_analysis(scan_id, key, report)
        store.finish_scan(scan_id)
        scan_ids.append(scan_id)
    first = store.latest_results(scan_ids[0])
    findings = [r for r in first if r["status"] in ("fail", "needs_review")]
    with store.db.atomic():
        for r in findings[::3]:
            decide(store, r["id"], reviewer="bench", decision="confirm")
    return scan_ids


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=500)
    ap.add_argument("--scans", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        t0 = time.perf_counter()
        scan_ids = build(store, args.sites, args.scans)
        built = time.perf_counter() - t0
        rows = store.latest_results(scan_ids[-1])
        selects: list[str] = []
        store.db.conn.set_trace_callback(lambda q: selects.append(q) if q.lstrip().upper().startswith("SELECT") else None)
        t0 = time.perf_counter()
        states = review_states(store, rows)
        t_states = time.perf_counter() - t0
        store.db.conn.set_trace_callback(None)
        t0 = time.perf_counter()
        comparisons = compare_all(store, scan_ids[-2], scan_ids[-1])
        t_compare = time.perf_counter() - t0
        reviews = store.db["reviews"].count
    out = {
        "sites": args.sites, "scans": args.scans, "results_in_scan": len(rows), "reviews": reviews,
        "build_s": round(built, 2),
        "review_states_s": round(t_states, 3), "review_states_selects": len(selects),
        "carried_confirmed": sum(s.state == "confirmed" and s.carried for s in states.values()),
        "compare_all_s": round(t_compare, 2), "compare_all_per_site_ms": round(1000 * t_compare / max(1, len(comparisons)), 1),
    }
    for k, v in out.items():
        print(f"{k:<28}{v}")
    (REPO / "bench" / "out").mkdir(exist_ok=True)
    (REPO / "bench" / "out" / "review.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
