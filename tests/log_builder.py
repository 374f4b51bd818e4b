"""Build small inspection logs fast: pages written through Store, judged as a scan judges a site."""
from __future__ import annotations

from compliance.scan import judge_site
from compliance.store import Store

SITE = "shop.example"
NAME = "好物商店"
BASE = "https://shop.example"

# Our own example clauses (never a real shop's wording). The terms page fails P03 and P05.
TERMS = (
    "第一條 總則\n本網站由好物股份有限公司經營，客服電話 02-1234-5678。\n"
    "第五條 退貨\n商品一經拆封恕不退貨，運費由消費者負擔。\n"
    "第九條 其他\n本公司保留最終解釋權，並得隨時修改本條款。\n"
)
# The same shop after correcting P05: the withdrawal clause now follows 消保法 §19.
TERMS_FIXED = TERMS.replace("商品一經拆封恕不退貨，運費由消費者負擔。",
                            "消費者得於收受商品後七日內，無須說明理由解除契約，退貨運費由本公司負擔。")


def add_scan(store: Store, pages: dict[str, str | None], *, site: str = SITE, name: str = NAME,
             base: str = BASE, launched_by: str = "王檢查員") -> tuple[int, list[dict]]:
    """One finished scan of one site: {path: text (None = a fetch that failed)}; returns
    (scan id, result rows of its analysis)."""
    scan_id = store.begin_scan(launched_by=launched_by, rulepack_id="tw-retail-online", rulepack_version="test")
    store.add_target(scan_id, position=1, name=name, url=base + "/", site_key=site)
    for path, text in pages.items():
        if text is None:
            store.add_failure(scan_id, site, base + path, error_class="http_5xx", http_status=500)
        else:
            store.add_page(scan_id, site, base + path, http_status=200, text=text, kind="html",
                           raw_body=text.encode("utf-8"), title=path)
    analysis_id = judge_site(store, scan_id, site, name)  # what a scan does: error_report when unreadable
    store.finish_scan(scan_id)
    return scan_id, store.results(analysis_id)


def by_rule(rows: list[dict]) -> dict[str, dict]:
    return {r["rule_id"]: r for r in rows}
