"""The built-in demo: fictional shops served on 127.0.0.1, scanned into a fresh log.

The demo shops are the crawl tests' fixture site (tests/fixtures/sites), so what the
README demo shows is what the tests assert.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_MODULE = ROOT / "tests" / "fixtures" / "demo_server.py"

# The demo crawls our own fixture server on 127.0.0.1, not anyone's shop, so it waits a quarter of
# the normal pause between two requests to a shop (crawler/settings.py: DOWNLOAD_DELAY 1 s, and
# AutoThrottle's first pause of 5 s). Everything else (robots.txt, one request at a time per shop,
# AutoThrottle, retries) is the normal politeness of a scan.
DEMO_SETTINGS = {"DOWNLOAD_DELAY": 0.25, "AUTOTHROTTLE_START_DELAY": 0.5}


def demo_server():
    """The fixture server module (loaded by path: it lives beside the tests that use it)."""
    name = "compliance_demo_server"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SERVER_MODULE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_demo(out_dir: Path, *, keep_serving: bool = False) -> tuple[Path, int]:
    from rich.console import Console

    from .cli_scan import _run_scan_command

    console = Console(stderr=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "inspections.db"
    for suffix in ("", "-wal", "-shm"):  # a demo starts from an empty log
        Path(str(db) + suffix).unlink(missing_ok=True)
    targets = out_dir / "shops.csv"
    with demo_server().start_demo_sites() as sites:
        sites.write_targets_csv(targets)
        console.print(f"示範網站已啟動：{len(sites.urls)} 家虛構商店（127.0.0.1），目標清單 {targets}")
        console.print(f"示範網站為本機伺服器，故同一商店兩次請求間隔 {DEMO_SETTINGS['DOWNLOAD_DELAY']} 秒"
                      "（實際掃描為 1 秒並依 AutoThrottle 調整）；其餘禮貌設定（robots.txt、每站一次一個請求）相同。")
        scan_id = _run_scan_command(str(targets), str(db), True, "demo", None, out_dir / "summary.html",
                                    settings=DEMO_SETTINGS)
        console.print(f"審查網頁（確認或排除各項結果）：python -m compliance serve --db {db}")
        if keep_serving:
            console.print("示範網站持續提供中，按 Ctrl-C 結束。")
            for key, url in sites.urls.items():
                console.print(f"  {key}: {url}")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return db, scan_id
