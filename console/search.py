"""Search over every stored clause of every site (e.g. every shop whose terms mention 購物金).

The index is an FTS5 table of clauses, each as space-joined jieba words of its normalised text,
written through the Store; pages are indexed incrementally (at ``serve`` start and before each
search, only pages not indexed yet). A query is cut by the same jieba and normalisation; a query
jieba cuts differently from the text is still found: clauses containing the query as typed are
added after the ranked word matches.
"""
from __future__ import annotations

import re
import sqlite3
import threading

from flask import Blueprint, render_template, request

from .db import get_store
from .site import segments

bp = Blueprint("search", __name__)
_lock = threading.Lock()
MAX_QUERY = 100
MAX_RESULTS = 200


def clause_rows(text: str) -> list[dict]:
    """The index rows of one page text: clauses with their words and original offsets."""
    from compliance.normalize import normalize
    from compliance.segment import clauses, words

    norm = normalize(text)
    rows = []
    for c in clauses(norm.text):
        toks = words(c.text)
        if not toks:
            continue
        a, b = norm.span(c.start, c.end)
        rows.append({"tokens": " ".join(toks), "text": text[a:b].strip(), "position": c.index,
                     "start": a, "end": b})
    return rows


def ensure_index(store, batch: int = 200) -> int:
    """Index every readable page not indexed yet; returns how many pages were added."""
    done = 0
    with _lock:
        while True:
            pages = store.unindexed_pages(batch)
            if not pages:
                return done
            for p in pages:
                try:
                    store.index_page(p["id"], clause_rows(p["text"]))
                except sqlite3.IntegrityError:
                    pass  # another console process indexed it meanwhile
                done += 1


def query_words(q: str) -> list[str]:
    from compliance.normalize import normalize_plain
    from compliance.segment import words

    return [w for w in dict.fromkeys(words(normalize_plain(q))) if w.strip()]


def fts_query(ws: list[str]) -> str:
    # every word as a quoted phrase (so no word is read as an FTS operator), all required
    return " ".join('"' + w.replace('"', '""') + '"' for w in ws)


def highlight(text: str, ws: list[str], raw: str) -> list[dict]:
    """The clause cut into pieces, the query's words (or the raw query) marked."""
    from compliance.normalize import normalize, normalize_plain

    norm = normalize(text)
    spans = []
    for w in sorted(set(ws) | {normalize_plain(raw).replace(" ", "")}, key=len, reverse=True):
        if not w:
            continue
        for m in re.finditer(re.escape(w), norm.text):
            a, b = norm.span(m.start(), m.end())
            spans.append((a, b, "hit"))
    return segments(text, spans)


def search(store, q: str, scan_id: int | None = None) -> tuple[list[dict], str]:
    """Results (deduplicated per site and clause text) and how they were found."""
    ensure_index(store)
    ws = query_words(q)
    rows = store.search_clauses(fts_query(ws), scan_id=scan_id, limit=MAX_RESULTS) if ws else []
    how = "jieba" if rows else ""
    # jieba may cut the same words differently in a text than in the query (退還 in 退 還現 金):
    # clauses that contain the query as typed are found too, after the ranked word matches
    found = {(r["page_id"], r["position"]) for r in rows}
    extra = [r for r in store.search_clauses_containing(q.strip(), scan_id=scan_id, limit=MAX_RESULTS)
             if (r["page_id"], r["position"]) not in found]
    if extra and not rows:
        how = "substring"
    rows += extra
    names: dict[tuple, str] = {}
    seen, out = set(), []
    for r in rows:
        key = (r["site_key"], r["text"])
        if key in seen:
            continue
        seen.add(key)
        if (r["scan_id"], r["site_key"]) not in names:
            for s in store.sites(r["scan_id"]):
                names[(r["scan_id"], s["site_key"])] = s["name"] or s["site_key"]
        out.append({**r, "name": names.get((r["scan_id"], r["site_key"]), r["site_key"]),
                    "segments": highlight(r["text"], ws, q)})
    return out, how


@bp.route("/search")
def view():
    store = get_store()
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    scope = request.args.get("scan", "")
    scan_id = int(scope) if scope.isdigit() else None
    results, how = search(store, q, scan_id) if q else ([], "")
    sites = sorted({(r["name"], r["site_key"]) for r in results})
    return render_template("search.html.j2", q=q, results=results, how=how, sites=sites,
                           scans=store.scans(), scope=scan_id, limit=MAX_RESULTS)
