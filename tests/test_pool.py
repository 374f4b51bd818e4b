"""The crawl's worker pool (crawler/pool.py): tasks over non-blocking pipes, results in order of
completion, big pages that do not fit a pipe's buffer, and a dead worker breaking the pool."""
from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from crawler.pool import WorkerPool

PAGE = "<html><body><h1>退換貨須知</h1><p>商品到貨後七日內得解除契約。</p></body></html>".encode()


def run(coro):
    # in a thread of its own: a browser test's sync Playwright may leave a loop running in this one
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coro).result()


def test_pages_come_back_extracted_from_every_worker():
    async def go():
        pool = WorkerPool(2, None, False)
        try:
            results = await asyncio.wait_for(asyncio.gather(
                *(pool.submit("extract_page", PAGE, "text/html", f"u{i}") for i in range(40))), 60)
        finally:
            pool.shutdown()
        return results

    results = run(go())
    assert len(results) == 40
    assert all(error is None and "七日內得解除契約" in page.text for page, error in results)


def test_a_page_bigger_than_a_pipe_buffer_goes_and_comes_back_whole():
    big = ("<html><body>" + "<p>第%d條 本店應於收到退貨後十五日內退款。</p>" * 40000 + "</body></html>")
    body = (big % tuple(range(40000))).encode()
    assert len(body) > 1_000_000  # far more than the 64 KB a pipe holds

    async def go():
        pool = WorkerPool(1, None, False)
        try:
            small = pool.submit("extract_page", PAGE, "text/html", "small")
            page, error = await asyncio.wait_for(pool.submit("extract_page", body, "text/html", "big"), 60)
            return page, error, await asyncio.wait_for(small, 60)
        finally:
            pool.shutdown()

    page, error, (small, _) = run(go())
    assert error is None and page.text.count("十五日內退款") == 40000
    assert "七日內" in small.text


def test_a_failing_page_is_an_error_result_not_a_broken_pool():
    async def go():
        pool = WorkerPool(1, None, False)
        try:
            bad = await pool.submit("extract_page", b"\x00\x01binary", None, "x.bin")
            good = await pool.submit("extract_page", PAGE, "text/html", "u")
            return bad, good
        finally:
            pool.shutdown()

    (page, error), (good, _) = run(go())
    assert page is None and error[0] == "decode_error"
    assert good is not None


def test_a_dead_worker_breaks_the_pool_and_fails_the_tasks_under_way():
    async def go():
        pool = WorkerPool(1, None, False)
        try:
            await pool.submit("extract_page", PAGE, "text/html", "warm")  # the worker is up
            os.kill(pool._workers[0].process.pid, signal.SIGKILL)
            with pytest.raises(BrokenProcessPool):
                await asyncio.wait_for(pool.submit("extract_page", PAGE, "text/html", "u"), 30)
            with pytest.raises(BrokenProcessPool):  # and takes no more work
                await pool.submit("extract_page", PAGE, "text/html", "v")
        finally:
            pool.shutdown()

    run(go())


def test_shutdown_stops_the_workers():
    async def go():
        pool = WorkerPool(2, None, False)
        await pool.submit("extract_page", PAGE, "text/html", "u")
        pool.shutdown()
        return [w.process for w in pool._workers]

    processes = run(go())
    assert all(p.exitcode == 0 for p in processes)
