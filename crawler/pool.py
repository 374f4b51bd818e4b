"""Worker processes fed over pipes from the crawl's event loop.

The crawl process is the scan's bottleneck (one thread runs Scrapy, discovery and the log), so
handing a page to a worker must cost it little. ``concurrent.futures.ProcessPoolExecutor`` does it
with two helper threads in the crawl process that pickle, unpickle and wake each other for every
task: measured on the bench, about a seventh of the crawl process's CPU time. Here the event loop
itself reads and writes each worker's pipe (non-blocking, framed as ``multiprocessing.Connection``
frames, so the worker side is a plain ``recv_bytes``/``send_bytes`` loop) and no thread is needed.

Failure semantics are those of a broken ProcessPoolExecutor: when a worker dies, every task under
way in the pool fails with ``BrokenProcessPool`` and the pool takes no more work; the caller starts
a new pool and tries the tasks again (crawler/pipelines.py).
"""
from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import pickle
import struct
from concurrent.futures.process import BrokenProcessPool

from crawler import workers

_HEADER = struct.Struct("!i")  # multiprocessing.Connection's frame header (messages under 2 GB)


class _Worker:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn  # kept open for its file descriptor
        self.fd = conn.fileno()
        os.set_blocking(self.fd, False)
        self.pending: dict[int, asyncio.Future] = {}
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.watched = False  # add_reader done


class WorkerPool:
    """``n`` worker processes (crawler.workers.serve) started at once, each loading the rule pack."""

    def __init__(self, n: int, rules_path: str | None, judge: bool):
        ctx = multiprocessing.get_context("spawn")
        self.broken = False
        self._ids = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[_Worker] = []
        for _ in range(n):
            parent, child = ctx.Pipe(duplex=True)
            process = ctx.Process(target=workers.serve, args=(child, rules_path, judge, os.getpid()), daemon=True)
            process.start()
            child.close()
            self._workers.append(_Worker(process, parent))

    # --- the crawl's side --------------------------------------------------------------------

    def submit(self, name: str, *args) -> asyncio.Future:
        """Run ``crawler.workers.<name>(*args)`` in the least busy worker; a future of its result."""
        loop = self._loop or asyncio.get_running_loop()
        self._loop = loop
        future = loop.create_future()
        if self.broken:
            future.set_exception(BrokenProcessPool("a worker process died"))
            return future
        worker = min(self._workers, key=lambda w: len(w.pending))
        if not worker.watched:
            loop.add_reader(worker.fd, self._readable, worker)
            worker.watched = True
        task = next(self._ids)
        worker.pending[task] = future
        data = pickle.dumps((task, name, args), protocol=pickle.HIGHEST_PROTOCOL)
        self._write(worker, _HEADER.pack(len(data)) + data)
        return future

    def _write(self, worker: _Worker, frame: bytes) -> None:
        if worker.outbuf:  # earlier frames still wait for the pipe: keep the order
            worker.outbuf += frame
            return
        try:
            sent = os.write(worker.fd, frame)
        except BlockingIOError:
            sent = 0
        except OSError:
            self._break()
            return
        if sent < len(frame):
            worker.outbuf += frame[sent:]
            self._loop.add_writer(worker.fd, self._writable, worker)

    def _writable(self, worker: _Worker) -> None:
        try:
            sent = os.write(worker.fd, worker.outbuf)
        except BlockingIOError:
            return
        except OSError:
            self._break()
            return
        del worker.outbuf[:sent]
        if not worker.outbuf:
            self._loop.remove_writer(worker.fd)

    def _readable(self, worker: _Worker) -> None:
        try:
            data = os.read(worker.fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the worker is gone
            self._break()
            return
        buf = worker.inbuf
        buf += data
        while len(buf) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(buf)
            if len(buf) < _HEADER.size + size:
                break
            task, ok, result = pickle.loads(bytes(buf[_HEADER.size:_HEADER.size + size]))
            del buf[:_HEADER.size + size]
            future = worker.pending.pop(task, None)
            if future is None or future.done():
                continue
            if ok:
                future.set_result(result)
            else:
                future.set_exception(RuntimeError(result))

    def _break(self) -> None:
        """A worker died: the pool is broken, as a ProcessPoolExecutor would be."""
        if self.broken:
            return
        self.broken = True
        self._stop(kill=True)

    def _stop(self, kill: bool) -> None:
        for worker in self._workers:
            if self._loop is not None and worker.watched:
                self._loop.remove_reader(worker.fd)
                if worker.outbuf:
                    self._loop.remove_writer(worker.fd)
            for future in worker.pending.values():
                if not future.done():
                    future.set_exception(BrokenProcessPool("a worker process died"))
            worker.pending.clear()
            if kill and worker.process.is_alive():
                worker.process.kill()
            worker.conn.close()

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers (they finish the task under way); with ``wait``, until they have exited."""
        if not self.broken:
            for worker in self._workers:
                try:
                    os.set_blocking(worker.fd, True)
                    frame = pickle.dumps(None)
                    os.write(worker.fd, bytes(worker.outbuf) + _HEADER.pack(len(frame)) + frame)
                    worker.outbuf.clear()
                except OSError:
                    pass
            self.broken = True
            self._stop(kill=False)
        if wait:
            for worker in self._workers:
                worker.process.join(30)
                if worker.process.is_alive():
                    worker.process.kill()
