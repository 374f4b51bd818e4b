"""Re-inspection: compare two scans of a site, rule by rule and page by page (issue 4, 限期改正).

    cmp = compare_scans(store, old_scan_id, new_scan_id, "shop.example")
    for ch in cmp.changes: print(ch.rule_id, ch.change)          # catalogue order
    for d in cmp.text_diffs: print(d.location, d.added, d.removed)

Each side is the site's latest analysis in that scan, read with its review states
(compliance.review). A side *fails* a rule when its result is ``fail`` and not dismissed, or
``needs_review`` and confirmed (a confirmation may be carried over, see compliance.review). A side
*passes* when its result is ``pass``, or a finding that was dismissed. Anything else — no result (the
site or the rule was not judged in that scan), ``error``, ``not_applicable``, or a ``needs_review``
nobody has decided on — neither fails nor passes. Then, per rule:

=================  ===================================================================
``still_failing``  fails in both scans (仍不符合)
``fixed``          failed in the old scan, passes in the new one (已改善)
``regressed``      passed in the old scan, fails in the new one (退步)
``new``            fails in the new scan and neither failed nor passed before (新增不符合)
``unchanged``      everything else: passes both times, or the new side neither fails nor
                   passes (``pending`` tells a new finding awaiting review apart)
=================  ===================================================================

Text diffs: the readable pages of the site in each scan are matched by URL path (host and port are
ignored, since a re-inspection may reach the shop under another address; a trailing slash is
ignored). A path only in the old scan is ``removed``, only in the new scan ``added`` (a page whose
fetch failed counts as absent, with its error class kept in ``note``). Every scraped string is
escaped in ``html``.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from compliance.review import FINDING_STATUSES, review_states
from compliance.store import Store

CHANGES = ("new", "still_failing", "fixed", "regressed", "unchanged")
CHANGE_LABELS = {"new": "新增不符合", "still_failing": "仍不符合", "fixed": "已改善", "regressed": "退步",
                 "unchanged": "無變化"}
CONTEXT_LINES = 2  # equal lines shown around each change in the html diff
MIN_SIMILARITY = 0.6  # share of the shorter line; below it a changed line is shown wholly removed and added
MIN_EQUAL_RUN = 2  # shorter equal runs inside a changed line are shown as part of the change


# Styles for TextDiff.html (no class names are generated from scraped text). A page that shows the
# diff includes this in its own <style>; nothing is fetched.
DIFF_CSS = """
.textdiff { font-family: "Noto Sans Mono CJK TC", "Noto Sans CJK TC", monospace; font-size: .9rem;
            line-height: 1.5; border: 1px solid #ccc; }
.textdiff .hunk { background: #eef2f7; color: #345; padding: .1rem .5rem; border-top: 1px solid #ccc; }
.textdiff .dl { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0 .5rem 0 1.6rem; text-indent: -1.1rem; }
.textdiff .dl .sign { display: inline-block; width: 1.1rem; text-indent: 0; color: #666; }
.textdiff .dl.del { background: #fdecea; } .textdiff .dl.ins { background: #e9f6ec; }
.textdiff del { background: #f5b7b1; text-decoration: line-through; }
.textdiff ins { background: #a9dfbf; text-decoration: none; }
"""


class ReinspectError(Exception):
    """The two scans cannot be compared as asked."""


class SiteNotInScan(ReinspectError):
    """The site has no analysis in the scan named."""


class NoPreviousScan(ReinspectError):
    """No earlier scan judged the site, so there is nothing to compare with."""


@dataclass
class RuleChange:
    rule_id: str
    title: str
    old_status: str | None  # None: not judged in the old scan
    new_status: str | None
    change: str  # one of CHANGES
    old_evidence: list[dict] = field(default_factory=list)
    new_evidence: list[dict] = field(default_factory=list)
    old_review: str | None = None  # pending | confirmed | dismissed, for findings
    new_review: str | None = None
    severity: str = ""
    old_result_id: int | None = None
    new_result_id: int | None = None

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change]

    @property
    def pending(self) -> bool:
        """The new result is a finding nobody has decided on yet."""
        return self.new_review == "pending"

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in (
            "rule_id", "title", "severity", "old_status", "new_status", "old_review", "new_review", "change",
            "old_result_id", "new_result_id", "old_evidence", "new_evidence")}


@dataclass
class TextDiff:
    location: str  # the URL path both pages share
    status: str  # changed | unchanged | added | removed
    old_url: str | None
    new_url: str | None
    added: int  # lines
    removed: int
    html: Markup
    unified: str
    note: str = ""  # e.g. the error class of a page that could not be read in one scan

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("location", "status", "old_url", "new_url", "added", "removed",
                                              "note", "unified")}


@dataclass
class Comparison:
    site_key: str
    name: str
    old_scan_id: int
    new_scan_id: int
    old_analysis_id: int | None
    new_analysis_id: int
    changes: list[RuleChange]
    text_diffs: list[TextDiff]

    def of(self, change: str) -> list[RuleChange]:
        return [c for c in self.changes if c.change == change]

    @property
    def counts(self) -> dict[str, int]:
        return {c: len(self.of(c)) for c in CHANGES}

    def as_dict(self) -> dict:
        return {"site_key": self.site_key, "name": self.name, "old_scan_id": self.old_scan_id,
                "new_scan_id": self.new_scan_id, "old_analysis_id": self.old_analysis_id,
                "new_analysis_id": self.new_analysis_id, "counts": self.counts,
                "changes": [c.as_dict() for c in self.changes],
                "text_diffs": [d.as_dict() for d in self.text_diffs]}


# --- rule changes ---------------------------------------------------------------------------

def _verdict(row: dict | None, review: str | None) -> str:
    """fails | passes | neither, for one side (see module docstring)."""
    if row is None:
        return "neither"
    status = row["status"]
    if status == "pass" or (status in FINDING_STATUSES and review == "dismissed"):
        return "passes"
    if (status == "fail") or (status == "needs_review" and review == "confirmed"):
        return "fails"
    return "neither"


def classify(old: str, new: str) -> str:
    """The change between two verdicts (fails | passes | neither)."""
    if new == "fails":
        return {"fails": "still_failing", "passes": "regressed"}.get(old, "new")
    if new == "passes" and old == "fails":
        return "fixed"
    return "unchanged"


def latest_analysis(store: Store, scan_id: int, site_key: str) -> dict | None:
    rows = store.analyses(scan_id, site_key)
    return rows[-1] if rows else None


def _site_name(analysis: dict, site_key: str) -> str:
    target = analysis.get("target") or {}
    return target.get("name") or site_key


def _rule_changes(store: Store, old_rows: list[dict], new_rows: list[dict]) -> list[RuleChange]:
    states = review_states(store, old_rows + new_rows)
    old_by_rule = {r["rule_id"]: r for r in old_rows}
    new_ids = [r["rule_id"] for r in new_rows]
    order = new_ids + [rid for rid in old_by_rule if rid not in set(new_ids)]
    new_by_rule = {r["rule_id"]: r for r in new_rows}
    out = []
    for rid in order:
        o, n = old_by_rule.get(rid), new_by_rule.get(rid)
        o_rev = states[o["id"]].state if o and o["status"] in FINDING_STATUSES else None
        n_rev = states[n["id"]].state if n and n["status"] in FINDING_STATUSES else None
        either = n or o
        out.append(RuleChange(
            rule_id=rid, title=(either["result"] or {}).get("title", rid),
            old_status=o["status"] if o else None, new_status=n["status"] if n else None,
            change=classify(_verdict(o, o_rev), _verdict(n, n_rev)),
            old_evidence=list(o["evidence"] or []) if o else [], new_evidence=list(n["evidence"] or []) if n else [],
            old_review=o_rev, new_review=n_rev, severity=either["severity"],
            old_result_id=o["id"] if o else None, new_result_id=n["id"] if n else None))
    return out


# --- text diffs -----------------------------------------------------------------------------

def page_path(url: str) -> str:
    """The part of a URL pages are matched by: its path (and query), without a trailing slash."""
    parts = urlsplit(url or "")
    path = parts.path.rstrip("/") or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def _pages_by_path(store: Store, scan_id: int, site_key: str) -> dict[str, dict]:
    """The first readable page per path; a path whose every fetch failed maps to its failure row."""
    out: dict[str, dict] = {}
    for p in store.pages_for_site(scan_id, site_key):
        path = page_path(p["final_url"] or p["url"])
        if path not in out or (_readable(p) and not _readable(out[path])):
            out[path] = p
    return out


def _readable(page: dict | None) -> bool:
    return page is not None and not page["error_class"] and page["text"] is not None


def _lines(text: str | None) -> list[str]:
    return [ln.rstrip() for ln in (text or "").splitlines()]


def _intraline(a: str, b: str) -> tuple[Markup, Markup]:
    """Old and new line with the characters that differ wrapped in <del>/<ins>. Lines that share
    little are marked whole, and one-character islands of equal text inside a change are folded into
    it: Chinese has no spaces, and "商品<del>一經</del>退<del>…</del>" reads worse than the whole phrase."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(m.size for m in sm.get_matching_blocks())
    # Measured against the shorter line, so that text appended to (or cut from) a line still
    # shows as a change inside it.
    if shared < MIN_SIMILARITY * max(1, min(len(a), len(b))):
        return (Markup("<del>%s</del>") % a if a else Markup(""),
                Markup("<ins>%s</ins>") % b if b else Markup(""))
    segs: list[list] = []  # [equal?, old text, new text]
    ops = sm.get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        equal = op == "equal" and not (i2 - i1 < MIN_EQUAL_RUN and 0 < k < len(ops) - 1)
        if segs and segs[-1][0] is equal is False:
            segs[-1][1] += a[i1:i2]
            segs[-1][2] += b[j1:j2]
        else:
            segs.append([equal, a[i1:i2], b[j1:j2]])
    old, new = [], []
    for equal, x, y in segs:
        if equal:
            old.append(escape(x))
            new.append(escape(y))
            continue
        if x:
            old.append(Markup("<del>%s</del>") % x)
        if y:
            new.append(Markup("<ins>%s</ins>") % y)
    return Markup("").join(old), Markup("").join(new)


def _row(cls: str, sign: str, content) -> Markup:
    return Markup('<div class="dl {}"><span class="sign">{}</span>{}</div>').format(cls, sign, content)


def diff_html(old_lines: list[str], new_lines: list[str], context: int = CONTEXT_LINES) -> Markup:
    """A readable line diff with character-level marks inside changed lines; escaped throughout."""
    out: list[Markup] = []
    sm = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for group in sm.get_grouped_opcodes(context):
        out.append(Markup('<div class="hunk">第 {} 行起（舊）／第 {} 行起（新）</div>').format(
            group[0][1] + 1, group[0][3] + 1))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                out += [_row("eq", " ", escape(ln)) for ln in old_lines[i1:i2]]
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                a, b = _intraline(old_lines[i1 + k], new_lines[j1 + k])
                out += [_row("del", "−", a), _row("ins", "+", b)]
            out += [_row("del", "−", Markup("<del>%s</del>") % ln) for ln in old_lines[i1 + pairs:i2]]
            out += [_row("ins", "+", Markup("<ins>%s</ins>") % ln) for ln in new_lines[j1 + pairs:j2]]
    return Markup('<div class="textdiff">{}</div>').format(Markup("").join(out))


def text_diff(path: str, old: dict | None, new: dict | None, old_scan: int, new_scan: int) -> TextDiff:
    old_url = (old["final_url"] or old["url"]) if old else None
    new_url = (new["final_url"] or new["url"]) if new else None
    a = _lines(old["text"]) if _readable(old) else []
    b = _lines(new["text"]) if _readable(new) else []
    note = "；".join(f"{which}擷取失敗（{p['error_class']}）" for which, p in (("舊", old), ("新", new))
                    if p is not None and p["error_class"])
    if not _readable(old):
        status = "added" if _readable(new) else "unchanged"
    elif not _readable(new):
        status = "removed"
    else:
        status = "unchanged" if a == b else "changed"
    removed = added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    unified = "\n".join(difflib.unified_diff(
        a, b, fromfile=f"掃描#{old_scan} {old_url or '（無此頁）'}", tofile=f"掃描#{new_scan} {new_url or '（無此頁）'}",
        lineterm=""))
    return TextDiff(location=path, status=status, old_url=old_url, new_url=new_url, added=added, removed=removed,
                    html=diff_html(a, b) if status != "unchanged" else Markup(""), unified=unified, note=note)


def text_diffs(store: Store, old_scan_id: int, new_scan_id: int, site_key: str) -> list[TextDiff]:
    old, new = _pages_by_path(store, old_scan_id, site_key), _pages_by_path(store, new_scan_id, site_key)
    paths = list(new) + [p for p in old if p not in new]
    return [text_diff(p, old.get(p), new.get(p), old_scan_id, new_scan_id) for p in paths]


# --- comparisons ----------------------------------------------------------------------------

def compare_scans(store: Store, old_scan_id: int, new_scan_id: int, site_key: str) -> Comparison:
    """Compare a site's latest analysis in two scans. Raises UnknownScan (compliance.store) for a scan
    that is not in the log, SiteNotInScan when the new scan did not judge the site. A site the old scan
    did not judge compares as never judged before (its findings are ``new``)."""
    store.scan(old_scan_id)
    store.scan(new_scan_id)
    new_a = latest_analysis(store, new_scan_id, site_key)
    if new_a is None:
        raise SiteNotInScan(f"掃描 #{new_scan_id} 未判斷網站 {site_key!r}")
    old_a = latest_analysis(store, old_scan_id, site_key)
    old_rows = store.results(old_a["id"]) if old_a else []
    changes = _rule_changes(store, old_rows, store.results(new_a["id"]))
    return Comparison(site_key=site_key, name=_site_name(new_a, site_key), old_scan_id=old_scan_id,
                      new_scan_id=new_scan_id, old_analysis_id=old_a["id"] if old_a else None,
                      new_analysis_id=new_a["id"], changes=changes,
                      text_diffs=text_diffs(store, old_scan_id, new_scan_id, site_key))


def _judged_sites(store: Store, scan_id: int) -> list[str]:
    return [a["site_key"] for a in store.latest_analyses(scan_id)]


def compare_all(store: Store, old_scan_id: int, new_scan_id: int) -> list[Comparison]:
    """compare_scans for every site judged in both scans, in the new scan's target order."""
    store.scan(old_scan_id)
    store.scan(new_scan_id)
    before = set(_judged_sites(store, old_scan_id))
    return [compare_scans(store, old_scan_id, new_scan_id, k) for k in _judged_sites(store, new_scan_id)
            if k in before]


def previous_scan_id(store: Store, site_key: str, before_scan_id: int) -> int | None:
    """The latest scan before ``before_scan_id`` that judged the site, or None."""
    row = store.db.execute("SELECT max(scan_id) FROM analyses WHERE site_key = ? AND scan_id < ?",
                           [site_key, before_scan_id]).fetchone()
    return row[0] if row else None


def compare_with_previous(store: Store, new_scan_id: int | None = None,
                          site_key: str | None = None) -> list[Comparison]:
    """Each site of ``new_scan_id`` (default: the latest scan) against the previous scan that judged
    it. Sites never judged before are left out; NoPreviousScan when none is left."""
    if new_scan_id is None:
        new_scan_id = store.latest_scan_id()
        if new_scan_id is None:
            raise NoPreviousScan(f"{store.path} 尚無任何掃描")
    store.scan(new_scan_id)
    sites = _judged_sites(store, new_scan_id)
    if site_key is not None:
        if site_key not in sites:
            raise SiteNotInScan(f"掃描 #{new_scan_id} 未判斷網站 {site_key!r}")
        sites = [site_key]
    out = []
    for key in sites:
        old = previous_scan_id(store, key, new_scan_id)
        if old is not None:
            out.append(compare_scans(store, old, new_scan_id, key))
    if not out:
        raise NoPreviousScan(f"掃描 #{new_scan_id} 之網站在先前掃描中均未被判斷，無可比較之前次掃描")
    return out
