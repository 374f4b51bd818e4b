"""The inspection log: one SQLite file (sqlite-utils, WAL) that keeps every scan, page, result and review.

This module is the only write path (docs/architecture.md): the crawler, ``analyze`` and the review
console all write through ``Store`` methods, so that several crawler processes can later hand their
pages to one writer. The log is append-only (../shared/output-contract.md: "Nothing is overwritten"):
triggers refuse UPDATE and DELETE on every table except a scan's ``finished_at``/``status`` and a
scan run's end, so a re-analysis or a review adds rows beside the old ones.

Reading it needs nothing of ours: ``sqlite-utils tables inspections.db`` or ``datasette`` work.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlite_utils import Database

from compliance.models import Document, Report

DECISIONS = ("confirm", "dismiss")
SCAN_STATUSES = ("running", "finished", "interrupted", "failed")


class StoreError(Exception):
    """The inspection log cannot do what was asked."""


class UnknownScan(StoreError):
    """No scan with that id is in the log."""


class UnknownResult(StoreError):
    """No result with that id is in the log."""


class InvalidDecision(StoreError):
    """A review decision other than confirm or dismiss."""


class SchemaTooNew(StoreError):
    """The log was written by a newer version of the scanner."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def sha256(data: bytes | str | None) -> str | None:
    if data is None:
        return None
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


# --- migrations: append only, never edit one that has shipped -------------------------------

def _append_only(table: str, updatable: str = "") -> str:
    """Triggers that refuse DELETE, and UPDATE of any column except ``updatable``."""
    sql = (f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN "
           f"SELECT RAISE(ABORT, 'the inspection log is append-only: {table} rows cannot be deleted'); END;\n")
    of = f" OF {updatable}" if updatable else ""
    return sql + (f"CREATE TRIGGER {table}_no_update BEFORE UPDATE{of} ON {table} BEGIN "
                  f"SELECT RAISE(ABORT, 'the inspection log is append-only: {table} rows cannot be changed'); END;\n")


def _m001_initial(db: Database) -> None:
    db.executescript("""
    CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        launched_by TEXT NOT NULL,
        rulepack_id TEXT,
        rulepack_version TEXT,
        options TEXT NOT NULL DEFAULT '{}',          -- json, incl. robots_obeyed
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'finished', 'interrupted', 'failed'))
    );
    -- each start or resume of a scan: who, when, how it ended
    CREATE TABLE scan_runs (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scans(id),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        launched_by TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'running'
    );
    CREATE TABLE targets (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scans(id),
        position INTEGER NOT NULL,                   -- row number in the target list
        name TEXT,
        url TEXT,
        site_key TEXT,
        rejected_reason TEXT,
        UNIQUE (scan_id, position)
    );
    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scans(id),
        site_key TEXT NOT NULL,
        url TEXT NOT NULL,                           -- as requested
        final_url TEXT,                              -- after redirects
        http_status INTEGER,
        fetched_at TEXT NOT NULL,
        elapsed_ms INTEGER,
        encoding TEXT,
        content_type TEXT,
        kind TEXT,                                   -- html | text | pdf
        sha256 TEXT,                                 -- of raw_body
        raw_body BLOB,
        text TEXT,
        text_sha256 TEXT,                            -- of text: evidence offsets point into it
        title TEXT,
        error_class TEXT,
        error_message TEXT,
        depth INTEGER,
        discovered_from TEXT,
        UNIQUE (scan_id, url)
    );
    CREATE INDEX pages_site ON pages (scan_id, site_key);
    CREATE TABLE analyses (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES scans(id),
        site_key TEXT NOT NULL,
        rulepack_id TEXT,
        rulepack_version TEXT,
        analysed_at TEXT NOT NULL,
        tool TEXT,                                   -- json: Report.tool
        target TEXT,                                 -- json: Report.target.as_dict()
        summary TEXT                                 -- json: Report.summary
    );
    CREATE INDEX analyses_site ON analyses (scan_id, site_key);
    CREATE TABLE results (
        id INTEGER PRIMARY KEY,
        analysis_id INTEGER NOT NULL REFERENCES analyses(id),
        site_key TEXT NOT NULL,
        position INTEGER NOT NULL,                   -- catalogue order
        rule_id TEXT NOT NULL,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        confidence REAL,
        message TEXT,
        evidence TEXT,                               -- json list
        result TEXT NOT NULL                         -- json: Result.as_dict()
    );
    CREATE INDEX results_analysis ON results (analysis_id);
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        result_id INTEGER NOT NULL REFERENCES results(id),
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
        note TEXT,
        evidence_sha256 TEXT
    );
    CREATE INDEX reviews_result ON reviews (result_id);
    """)
    db.executescript(
        _append_only("scans", "id, started_at, launched_by, rulepack_id, rulepack_version, options")
        + _append_only("scan_runs", "id, scan_id, started_at, launched_by")
        + "".join(_append_only(t) for t in ("targets", "pages", "analyses", "results", "reviews")))


def _m002_console(db: Database) -> None:
    """Reviewer accounts and the full-text clause index of the review console (issue 4).

    Accounts are not evidence: only a password can change (``user passwd``), nothing is deleted.
    The index is derived data (rebuildable from ``pages``): ``clause_index`` holds each clause
    of a page as space-joined jieba tokens (FTS5), ``indexed_pages`` which pages are done.
    """
    db.executescript("""
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,                 -- werkzeug.security (scrypt)
        created_at TEXT NOT NULL,
        created_by TEXT
    );
    CREATE TABLE indexed_pages (
        page_id INTEGER PRIMARY KEY REFERENCES pages(id),
        indexed_at TEXT NOT NULL,
        clauses INTEGER NOT NULL
    );
    CREATE VIRTUAL TABLE clause_index USING fts5(
        tokens,                                      -- jieba words of the normalised clause
        text UNINDEXED,                              -- the clause as extracted (shown to the reader)
        page_id UNINDEXED, position UNINDEXED, start UNINDEXED, "end" UNINDEXED,
        tokenize = 'unicode61'
    );
    """)
    db.executescript(_append_only("users", "id, name, created_at, created_by")
                     + _append_only("indexed_pages"))


MIGRATIONS: list[Callable[[Database], None]] = [_m001_initial, _m002_console]


# --- the store ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnalysisRows:
    """A Report as the columns of its ``analyses`` row and of its ``results`` rows (JSON already
    encoded): what :meth:`Store.add_analysis` writes. Pure data, so that a worker process can
    prepare it and the one writer only inserts it."""

    analysis: dict[str, Any]
    results: list[dict[str, Any]]


def analysis_rows(report: Report) -> AnalysisRows:
    data = report.as_dict()
    return AnalysisRows(
        analysis={"rulepack_id": data["rulepack"].get("id"), "rulepack_version": data["rulepack"].get("version"),
                  "tool": json.dumps(data["tool"], ensure_ascii=False),
                  "target": json.dumps(data["target"], ensure_ascii=False),
                  "summary": json.dumps(data["summary"])},
        results=[{"rule_id": r["rule_id"], "status": r["status"], "severity": r["severity"],
                  "confidence": r["confidence"], "message": r["message"],
                  "evidence": json.dumps(r["evidence"], ensure_ascii=False),
                  "result": json.dumps(r, ensure_ascii=False)} for r in data["results"]])


class Store:
    """The inspection log at ``path`` (created and migrated on open)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.db = Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")  # a reader (console) beside the writer
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self.db.enable_wal()
            # with WAL, NORMAL still never corrupts the log and loses nothing when the process
            # dies; only a power cut can lose the last commits, which a resumed scan fetches again.
            # FULL would sync the disk at every page the crawl writes (a third of its write time).
            self.db.execute("PRAGMA synchronous = NORMAL")
        self._insert_sql: dict[tuple, str] = {}
        self._page_columns: str | None = None
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # migrations

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
                        "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        applied = self.schema_version
        if applied > len(MIGRATIONS):
            raise SchemaTooNew(f"{self.path} has schema version {applied}, this scanner knows "
                               f"{len(MIGRATIONS)}: upgrade the scanner to read it")
        for version, migration in enumerate(MIGRATIONS[applied:], start=applied + 1):
            with self.db.atomic():
                migration(self.db)
                self.db["migrations"].insert({"version": version, "name": migration.__name__.lstrip("_"),
                                              "applied_at": now()})

    @property
    def schema_version(self) -> int:
        row = self.db.execute("SELECT max(version) FROM migrations").fetchone()
        return row[0] or 0

    # writes ---------------------------------------------------------------------------------

    def _insert_statement(self, table: str, columns: tuple[str, ...]) -> str:
        sql = self._insert_sql.get((table, columns))
        if sql is None:
            sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                   f"VALUES ({', '.join('?' * len(columns))})")
            self._insert_sql[(table, columns)] = sql
        return sql

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row in a transaction of its own (or a savepoint of the caller's) and return
        its id. A plain INSERT: the schema is the migrations', values are already SQL types."""
        with self.db.atomic():
            return self.db.execute(self._insert_statement(table, tuple(row)), list(row.values())).lastrowid

    def _insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = tuple(rows[0])
        with self.db.atomic():
            self.db.conn.executemany(self._insert_statement(table, columns), [list(r.values()) for r in rows])

    def begin_scan(self, *, launched_by: str, rulepack_id: str | None = None,
                   rulepack_version: str | None = None, options: dict | None = None) -> int:
        """Record a new scan (and its first run) and return its id."""
        with self.db.atomic():
            scan_id = self._insert("scans", {
                "started_at": now(), "launched_by": launched_by, "rulepack_id": rulepack_id,
                "rulepack_version": rulepack_version, "options": json.dumps(options or {}, ensure_ascii=False),
                "status": "running"})
            self._insert("scan_runs", {"scan_id": scan_id, "started_at": now(), "launched_by": launched_by,
                                       "status": "running"})
        return scan_id

    def resume_scan(self, scan_id: int, *, launched_by: str) -> dict:
        """Record that a scan is run again (to finish it); returns the scan row."""
        scan = self.scan(scan_id)
        with self.db.atomic():
            # a run that never said how it ended was killed
            self.db.execute("UPDATE scan_runs SET status = 'interrupted', finished_at = ? "
                            "WHERE scan_id = ? AND finished_at IS NULL", [now(), scan_id])
            self.db.execute("UPDATE scans SET status = 'running', finished_at = NULL WHERE id = ?", [scan_id])
            self._insert("scan_runs", {"scan_id": scan_id, "started_at": now(), "launched_by": launched_by,
                                       "status": "running"})
        return scan

    def finish_scan(self, scan_id: int, status: str = "finished") -> None:
        if status not in SCAN_STATUSES:
            raise StoreError(f"scan status {status!r} is not one of {', '.join(SCAN_STATUSES)}")
        self.scan(scan_id)
        stamp = now()
        with self.db.atomic():
            self.db.execute("UPDATE scans SET status = ?, finished_at = ? WHERE id = ?", [status, stamp, scan_id])
            self.db.execute("UPDATE scan_runs SET status = ?, finished_at = ? "
                            "WHERE scan_id = ? AND finished_at IS NULL", [status, stamp, scan_id])

    def add_target(self, scan_id: int, *, position: int, name: str | None, url: str | None,
                   site_key: str | None, rejected_reason: str | None = None) -> int:
        """Record one row of the target list; recording the same position again returns its id."""
        existing = self.db.execute("SELECT id FROM targets WHERE scan_id = ? AND position = ?",
                                   [scan_id, position]).fetchone()
        if existing:
            return existing[0]
        return self._insert("targets", {"scan_id": scan_id, "position": position, "name": name, "url": url,
                                        "site_key": site_key, "rejected_reason": rejected_reason})

    def add_page(self, scan_id: int, site_key: str, url: str, *, final_url: str | None = None,
                 http_status: int | None = None, fetched_at: str | None = None, elapsed_ms: int | None = None,
                 encoding: str | None = None, content_type: str | None = None, kind: str | None = None,
                 raw_body: bytes | None = None, text: str | None = None, title: str | None = None,
                 error_class: str | None = None, error_message: str | None = None, depth: int | None = None,
                 discovered_from: str | None = None) -> int:
        """Record a fetched page (or a fetch that failed). A (scan, url) is recorded once: a second
        call returns the first row's id and writes nothing, which is what makes a resume safe."""
        row = {
            "scan_id": scan_id, "site_key": site_key, "url": url, "final_url": final_url or url,
            "http_status": http_status, "fetched_at": fetched_at or now(), "elapsed_ms": elapsed_ms,
            "encoding": encoding, "content_type": content_type, "kind": kind, "sha256": sha256(raw_body),
            "raw_body": raw_body, "text": text, "text_sha256": sha256(text), "title": title,
            "error_class": error_class, "error_message": error_message, "depth": depth,
            "discovered_from": discovered_from}
        try:
            return self._insert("pages", row)
        except sqlite3.IntegrityError:  # recorded already (UNIQUE (scan_id, url)): keep the first row
            existing = self.page_id(scan_id, url)
            if existing is None:
                raise
            return existing

    def add_failure(self, scan_id: int, site_key: str, url: str, *, error_class: str, error_message: str = "",
                    **fields: Any) -> int:
        """Record a page that could not be fetched or read, with its error class (dns, timeout, …)."""
        return self.add_page(scan_id, site_key, url, error_class=error_class, error_message=error_message,
                             **fields)

    def add_analysis(self, scan_id: int, site_key: str, report: Report | AnalysisRows) -> int:
        """Record one judgement of a site: the report and one row per result, in catalogue order.
        ``report`` may come as :func:`analysis_rows` already (a worker process serialises it)."""
        rows = report if isinstance(report, AnalysisRows) else analysis_rows(report)
        with self.db.atomic():
            analysis_id = self._insert("analyses", {"scan_id": scan_id, "site_key": site_key, **rows.analysis,
                                                    "analysed_at": now()})
            self._insert_many("results", [{"analysis_id": analysis_id, "site_key": site_key, "position": i, **r}
                                          for i, r in enumerate(rows.results)])
        return analysis_id

    def add_review(self, result_id: int, *, reviewer: str, decision: str, note: str = "",
                   evidence_sha256: str | None = None) -> int:
        """Record a reviewer's decision on a result; earlier decisions stay in the log."""
        if decision not in DECISIONS:
            raise InvalidDecision(f"decision {decision!r} is not one of: {', '.join(DECISIONS)}")
        if not self.db.execute("SELECT 1 FROM results WHERE id = ?", [result_id]).fetchone():
            raise UnknownResult(f"no result {result_id} in {self.path}")
        return self._insert("reviews", {"result_id": result_id, "reviewer": reviewer, "decided_at": now(),
                                        "decision": decision, "note": note, "evidence_sha256": evidence_sha256})

    # reads ----------------------------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        return list(self.db.query(sql, list(params)))

    def scans(self) -> list[dict]:
        """Every scan, newest first, with options decoded."""
        return [_decode(r, "options") for r in self._rows("SELECT * FROM scans ORDER BY id DESC")]

    def scan(self, scan_id: int) -> dict:
        rows = self._rows("SELECT * FROM scans WHERE id = ?", [scan_id])
        if not rows:
            raise UnknownScan(f"{self.path} 中沒有掃描 #{scan_id}（可用 `sqlite-utils rows "
                              f"{self.path} scans` 列出）")
        return _decode(rows[0], "options")

    def latest_scan_id(self) -> int | None:
        row = self.db.execute("SELECT max(id) FROM scans").fetchone()
        return row[0]

    def scan_runs(self, scan_id: int) -> list[dict]:
        return self._rows("SELECT * FROM scan_runs WHERE scan_id = ? ORDER BY id", [scan_id])

    def targets(self, scan_id: int, *, accepted_only: bool = False) -> list[dict]:
        where = " AND rejected_reason IS NULL" if accepted_only else ""
        return self._rows(f"SELECT * FROM targets WHERE scan_id = ?{where} ORDER BY position", [scan_id])

    def sites(self, scan_id: int) -> list[dict]:
        """The accepted targets of a scan: [{site_key, name, url}], in target-list order."""
        return [{"site_key": t["site_key"], "name": t["name"], "url": t["url"]}
                for t in self.targets(scan_id, accepted_only=True)]

    def page_id(self, scan_id: int, url: str) -> int | None:
        row = self.db.execute("SELECT id FROM pages WHERE scan_id = ? AND url = ?", [scan_id, url]).fetchone()
        return row[0] if row else None

    def page(self, scan_id: int, url: str) -> dict | None:
        rows = self._rows("SELECT * FROM pages WHERE scan_id = ? AND url = ?", [scan_id, url])
        return rows[0] if rows else None

    def pages_for_site(self, scan_id: int, site_key: str, *, with_body: bool = False) -> list[dict]:
        """Every page row of a site (failures included), in the order they were recorded."""
        if self._page_columns is None:
            self._page_columns = ", ".join(c for c in self.db["pages"].columns_dict if c != "raw_body")
        cols = "*" if with_body else self._page_columns
        return self._rows(f"SELECT {cols} FROM pages WHERE scan_id = ? AND site_key = ? ORDER BY id",
                          [scan_id, site_key])

    def documents_for_site(self, scan_id: int, site_key: str) -> list[Document]:
        """The readable pages of a site as Documents, one per distinct text (a page reached under
        two URLs, e.g. by redirect, is judged once)."""
        docs, seen = [], set()
        for p in self.pages_for_site(scan_id, site_key):
            if p["error_class"] or not p["text"] or p["text_sha256"] in seen:
                continue
            seen.add(p["text_sha256"])
            docs.append(Document(location=p["final_url"] or p["url"], text=p["text"],
                                 sha256=p["text_sha256"], title=p["title"] or ""))
        return docs

    def stored_urls(self, scan_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT url FROM pages WHERE scan_id = ?", [scan_id])}

    def has_analysis(self, scan_id: int, site_key: str) -> bool:
        """Has the site of this scan been judged (under any rule-pack version)?"""
        return self.db.execute("SELECT 1 FROM analyses WHERE scan_id = ? AND site_key = ? LIMIT 1",
                               [scan_id, site_key]).fetchone() is not None

    def analyses(self, scan_id: int, site_key: str | None = None) -> list[dict]:
        sql, params = "SELECT * FROM analyses WHERE scan_id = ?", [scan_id]
        if site_key is not None:
            sql, params = sql + " AND site_key = ?", params + [site_key]
        return [_decode(r, "tool", "target", "summary") for r in self._rows(sql + " ORDER BY id", params)]

    def latest_analyses(self, scan_id: int) -> list[dict]:
        """The newest analysis of each site of a scan, in target-list order."""
        latest = {a["site_key"]: a for a in self.analyses(scan_id)}
        order = [s["site_key"] for s in self.sites(scan_id)]
        return [latest[k] for k in order if k in latest] + [a for k, a in latest.items() if k not in order]

    def results(self, analysis_id: int) -> list[dict]:
        return [_decode(r, "evidence", "result")
                for r in self._rows("SELECT * FROM results WHERE analysis_id = ? ORDER BY position",
                                    [analysis_id])]

    def latest_results(self, scan_id: int, site_key: str | None = None) -> list[dict]:
        """Result rows of the newest analysis of each site (or of one site), with their ids."""
        out = []
        for a in self.latest_analyses(scan_id):
            if site_key is None or a["site_key"] == site_key:
                out += self.results(a["id"])
        return out

    def report(self, analysis_id: int) -> Report:
        """Rebuild the Report of one analysis (what `report --format json` prints)."""
        rows = self._rows("SELECT * FROM analyses WHERE id = ?", [analysis_id])
        if not rows:
            raise StoreError(f"{self.path} 中沒有判斷紀錄 #{analysis_id}")
        a = _decode(rows[0], "tool", "target", "summary")
        report = Report.from_dict({"tool": a["tool"], "target": a["target"],
                                   "rulepack": {"id": a["rulepack_id"], "version": a["rulepack_version"]},
                                   "results": [r["result"] for r in self.results(analysis_id)]})
        for doc in report.target.documents:  # the text judged, so evidence offsets can be shown
            row = self.db.execute("SELECT text, title FROM pages WHERE scan_id = ? AND text_sha256 = ? "
                                  "LIMIT 1", [a["scan_id"], doc.sha256]).fetchone()
            if row:
                doc.text, doc.title = row[0], row[1] or ""
        return report

    def latest_reports(self, scan_id: int) -> list[Report]:
        return [self.report(a["id"]) for a in self.latest_analyses(scan_id)]

    def reviews_for(self, result_id: int) -> list[dict]:
        """Every decision on a result, oldest first; the last one is the one in force."""
        return self._rows("SELECT * FROM reviews WHERE result_id = ? ORDER BY id", [result_id])


    def page_by_id(self, page_id: int, *, with_body: bool = False) -> dict | None:
        if self._page_columns is None:
            self._page_columns = ", ".join(c for c in self.db["pages"].columns_dict if c != "raw_body")
        cols = "*" if with_body else self._page_columns
        rows = self._rows(f"SELECT {cols} FROM pages WHERE id = ?", [page_id])
        return rows[0] if rows else None

    # reviewer accounts (console) ------------------------------------------------------------

    def add_user(self, name: str, password_hash: str, *, created_by: str | None = None) -> int:
        """Record a reviewer account; the name must be new."""
        if self.user(name) is not None:
            raise StoreError(f"審查帳號 {name!r} 已存在")
        return self._insert("users", {"name": name, "password_hash": password_hash, "created_at": now(),
                                      "created_by": created_by})

    def set_password(self, name: str, password_hash: str) -> None:
        if self.user(name) is None:
            raise StoreError(f"{self.path} 中沒有審查帳號 {name!r}")
        with self.db.atomic():
            self.db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name])

    def user(self, name: str) -> dict | None:
        rows = self._rows("SELECT * FROM users WHERE name = ?", [name])
        return rows[0] if rows else None

    def users(self) -> list[dict]:
        return self._rows("SELECT id, name, created_at, created_by FROM users ORDER BY id")

    def user_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM users").fetchone()[0]

    # full-text clause index (console search) -------------------------------------------------

    def unindexed_pages(self, limit: int = 500) -> list[dict]:
        """Readable pages whose clauses are not in the index yet (id, text), oldest first."""
        return self._rows("SELECT p.id, p.text FROM pages p LEFT JOIN indexed_pages i ON i.page_id = p.id "
                          "WHERE i.page_id IS NULL AND p.error_class IS NULL AND p.text IS NOT NULL "
                          "ORDER BY p.id LIMIT ?", [limit])

    def index_page(self, page_id: int, clauses: list[dict]) -> None:
        """Record the clauses of one page in the index: [{tokens, text, position, start, end}]."""
        with self.db.atomic():
            if self.db.execute("SELECT 1 FROM indexed_pages WHERE page_id = ?", [page_id]).fetchone():
                return  # another console process indexed it first
            self.db.conn.executemany(
                'INSERT INTO clause_index (tokens, text, page_id, position, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
                [(c["tokens"], c["text"], page_id, c["position"], c["start"], c["end"]) for c in clauses])
            self._insert("indexed_pages", {"page_id": page_id, "indexed_at": now(), "clauses": len(clauses)})

    def search_clauses(self, match: str, *, scan_id: int | None = None, limit: int = 200) -> list[dict]:
        """Clauses matching an FTS5 query ``match``, with their page and site, best first."""
        where, params = "", [match]
        if scan_id is not None:
            where, params = " AND p.scan_id = ?", params + [scan_id]
        return self._rows(
            _CLAUSE_HITS + f"WHERE clause_index MATCH ?{where} ORDER BY rank, p.id DESC LIMIT ?", params + [limit])

    def search_clauses_containing(self, needle: str, *, scan_id: int | None = None, limit: int = 200) -> list[dict]:
        """Indexed clauses whose text contains ``needle`` (a scan, for words jieba cuts apart)."""
        where, params = "", [needle]
        if scan_id is not None:
            where, params = " AND p.scan_id = ?", params + [scan_id]
        return self._rows(
            _CLAUSE_HITS + f"WHERE instr(c.text, ?) > 0{where} ORDER BY p.id DESC, c.position LIMIT ?", params + [limit])


_CLAUSE_HITS = ('SELECT c.text, c.position, c.start, c."end", c.page_id, p.scan_id, p.site_key, p.url, '
                'p.final_url, p.title, p.text_sha256 FROM clause_index c JOIN pages p ON p.id = c.page_id ')


def _decode(row: dict, *json_cols: str) -> dict:
    for c in json_cols:
        if isinstance(row.get(c), str):
            row[c] = json.loads(row[c])
    return row
