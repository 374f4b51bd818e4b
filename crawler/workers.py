"""Page processing in worker processes, so that the crawl's one thread only fetches and writes.

Reading a page (its text and the links discovery follows) and judging a site with the rule pack
are pure functions of bytes and documents, and they take most of a scan's CPU time.
``crawler.pipelines.StorePipeline`` hands them to a small pool of these processes
(``COMPLIANCE_WORKERS``, crawler/pool.py) and writes what comes back to the inspection log itself:
the log keeps one writer. Nothing here imports Scrapy.
"""
from __future__ import annotations

import os
import pickle
import signal
import threading
import time

from compliance.extract import ExtractError, extract

_PACK = None


def init(rules_path: str | None, judge: bool, parent: int) -> None:
    """Worker start: load the rule pack once. Ctrl-C is the crawl's to handle (it stops gracefully
    and waits for the work under way), so a worker ignores the SIGINT its terminal sends it too."""
    global _PACK
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if judge:
        from compliance.engine import evaluate
        from compliance.match import scan_eagerly
        from compliance.models import Document
        from compliance.rules import load_pack

        _PACK = load_pack(rules_path or None)
        # a worker judges many sites: rewrite the pack's regexes for scanning now, on a sample,
        # while the crawl is still starting, not on the first sites it is given
        scan_eagerly()
        evaluate([Document("warm-up", _WARM_UP)], _PACK)
        # (a worker ends by os._exit, which runs no atexit: keep the rewrites for the next scan now)
        from compliance import regexcache
        regexcache.save()


# (any text runs every pattern of the pack once; a shop's terms also reach the checks' own regexes)
_WARM_UP = ("購物須知\n本公司接受信用卡付款，訂單成立後三日內出貨，運費由消費者負擔。消費者得於收受商品後七日內"
            "解除契約，本公司於收到退回商品後十五日內退款。客服電話 (02)2345-6789，電子郵件 hi@shop.example。")


def _exit_with_parent(parent: int) -> None:
    """A crawl killed outright (SIGKILL) cannot stop its workers: they notice it is gone and exit."""
    while os.getppid() == parent:  # the crawl process's pid, given at start: it may be gone already
        time.sleep(0.5)
    os._exit(0)


def extract_page(body: bytes, content_type: str | None, url: str):
    """(Extracted, None) or (None, (error_class, message)) for one fetched page. Scraped bytes are
    hostile: a page that makes the extractor itself fail is recorded as unreadable, not dropped."""
    try:
        return extract(body, content_type, url), None
    except ExtractError as e:
        return None, (e.error_class, str(e))
    except Exception as e:  # noqa: BLE001 (a parser's bug on a hostile body)
        return None, ("decode_error", f"text extraction failed: {type(e).__name__}: {e}"[:500])


def read_page(body: bytes, content_type: str | None, url: str, want_links: bool):
    """(Extracted | None, error | None, links) of a fetched page: its text, as extract_page gives
    it, and, when asked, the links discovery follows (crawler.discovery.find_links). Both parse
    the page; doing them here keeps that work out of the crawl process."""
    from crawler.discovery import find_links

    page, error = extract_page(body, content_type, url)
    return page, error, find_links(body, content_type, url) if want_links else []


def judge(documents: list, name: str):
    """The site's Report under the pack loaded by :func:`init`, as the rows the log keeps
    (serialised here, not in the crawl process that writes them)."""
    from compliance.engine import check_documents
    from compliance.store import analysis_rows

    return analysis_rows(check_documents(documents, target_kind="site", target_name=name, pack=_PACK))


_TASKS = {"extract_page": extract_page, "read_page": read_page, "judge": judge}


def serve(conn, rules_path: str | None, judging: bool, parent: int) -> None:
    """A worker process (crawler.pool): read a task, run it, send back (task, ok, result); stop at
    None or when the crawl's end of the pipe closes."""
    init(rules_path, judging, parent)
    while True:
        try:
            message = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, name, args = message
        try:
            reply = (task, True, _TASKS[name](*args))
        except Exception as e:  # noqa: BLE001 (the crawl decides what a failed task means)
            reply = (task, False, f"{type(e).__name__}: {e}")
        conn.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
