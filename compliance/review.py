"""Review decisions: officials confirm or dismiss findings, and decisions carry over to later scans.

    review_id = decide(store, result_id, reviewer="王檢查員", decision="dismiss", note="屬準則§2例外")
    states = review_states(store, store.latest_results(scan_id))   # {result_id: ReviewState}

A decision is a row of the ``reviews`` table, written only through ``Store.add_review``; the result it
is about is never changed or deleted (the log is append-only), and a later decision on the same result
supersedes the earlier one without erasing it.

Carrying decisions over (issue 4: "A dismissed finding stays dismissed in later scans while the evidence
text is unchanged, and comes back for review when it changes"):

- Each decision records the *evidence fingerprint* of the result it was made on (``fingerprint``): a
  sha256 over the result's evidence texts, normalised (NFKC, control characters and all whitespace
  dropped, order ignored). Offsets and page URLs are not part of it, so the same words at a shifted
  offset, or on a page that moved, still match; a finding about a missing item (evidence with empty
  text) is fingerprinted by what was searched for, so it keeps its decision while the item stays
  missing. The status is not part of it either: a rule-pack update that turns the same words from
  needs_review into fail keeps the official's decision on those words.
- A finding with a decision of its own is in the state of its latest decision (``carried`` False).
- A finding without one inherits the latest decision made on an *earlier* result (lower id: any earlier
  scan, or an earlier analysis of the same scan) of the same site and rule whose fingerprint equals its
  own (``carried`` True). If no such decision exists — in particular when the evidence changed — it is
  ``pending``.
- Confirmations carry exactly like dismissals: a confirmed violation whose words the shop did not change
  stays confirmed in the re-inspection, which is what lets the re-inspection record say 仍不符合 without
  asking the official to confirm the same words twice. Changed words come back as pending.
- Results that are not findings (pass, not_applicable, error) cannot be reviewed; ``review_states``
  still returns an entry for them (state ``pending``, ``reviewable`` False) so that callers may index
  any row.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from compliance import store as store_mod
from compliance.store import Store

FINDING_STATUSES = ("fail", "needs_review")
DECISION_STATE = {"confirm": "confirmed", "dismiss": "dismissed"}
STATE_LABELS = {"pending": "待確認", "confirmed": "已確認違規", "dismissed": "已排除"}
DECISION_LABELS = {"confirm": "確認違規", "dismiss": "排除"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_CHUNK = 500  # site keys per query: well under SQLite's bound-parameter limit


class ReviewError(Exception):
    """A review decision cannot be recorded."""


class NoteRequired(ReviewError):
    """A dismissal needs a note that says why the finding is not a violation."""


class ReviewerRequired(ReviewError):
    """A decision must name the reviewer who made it."""


class InvalidDecision(ReviewError, store_mod.InvalidDecision):
    """A decision other than confirm or dismiss."""


class UnknownResult(ReviewError, store_mod.UnknownResult):
    """No result with that id is in the log."""


class NotAFinding(ReviewError):
    """Only fail and needs_review results can be confirmed or dismissed."""


@dataclass(frozen=True)
class ReviewState:
    """Where a result stands: pending, confirmed or dismissed, and the decision that says so."""

    state: str  # pending | confirmed | dismissed
    decision: dict | None = None  # the reviews row in force (with result_id of the result decided on)
    carried: bool = False  # True when the decision was made on an earlier result with the same evidence
    reviewable: bool = True  # False for pass / not_applicable / error results

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


PENDING = ReviewState("pending")
NOT_REVIEWABLE = ReviewState("pending", reviewable=False)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACE.sub("", _CONTROL.sub("", text)).casefold()


def fingerprint(evidence: Iterable[dict]) -> str:
    """The evidence fingerprint of a result: sha256 over its normalised evidence texts (see module
    docstring). ``evidence`` is the decoded ``results.evidence`` column (list of Evidence dicts)."""
    evidence = list(evidence or [])
    texts = sorted(t for t in (_norm(e.get("text", "")) for e in evidence) if t)
    if texts:
        payload = "text\x1e" + "\x1f".join(texts)
    else:  # nothing quoted: a missing item, fingerprinted by what was looked for
        payload = "absent\x1e" + "\x1f".join(sorted({_norm(e.get("matched_by", "")) for e in evidence}))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _evidence(row: dict) -> list[dict]:
    ev = row.get("evidence")
    return json.loads(ev) if isinstance(ev, str) else (ev or [])


def result_row(store: Store, result_id: int) -> dict:
    """One results row (evidence decoded) or UnknownResult."""
    rows = store._rows("SELECT * FROM results WHERE id = ?", [result_id])
    if not rows:
        raise UnknownResult(f"檢查紀錄中沒有結果編號 {result_id}")
    row = rows[0]
    row["evidence"] = _evidence(row)
    return row


def decide(store: Store, result_id: int, *, reviewer: str, decision: str, note: str = "") -> int:
    """Record a reviewer's decision (confirm | dismiss) on a finding; returns the review id.

    Raises InvalidDecision, ReviewerRequired, NoteRequired (dismissal without a note; whitespace is no
    note), UnknownResult, NotAFinding. The result itself is never changed."""
    if decision not in DECISION_STATE:
        raise InvalidDecision(f"審查決定 {decision!r} 無效，請用 confirm（確認違規）或 dismiss（排除）")
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewerRequired("請填寫審查人員姓名")
    note = (note or "").strip()
    if decision == "dismiss" and not note:
        raise NoteRequired("排除此項須填寫理由（審查說明）")
    row = result_row(store, result_id)
    if row["status"] not in FINDING_STATUSES:
        raise NotAFinding(f"結果 {result_id}（{row['rule_id']}）之判斷為 {row['status']}，"
                          "僅「不符合」與「待人工判斷」之項目可確認或排除")
    return store.add_review(result_id, reviewer=reviewer, decision=decision, note=note,
                            evidence_sha256=fingerprint(row["evidence"]))


def _reviews_for_sites(store: Store, site_keys: list[str]) -> list[dict]:
    """Every decision on any result of these sites, with the reviewed result's site, rule and (when
    the decision has no stored fingerprint) evidence; oldest first."""
    out: list[dict] = []
    for i in range(0, len(site_keys), _CHUNK):
        chunk = site_keys[i:i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        out += store._rows(
            "SELECT v.*, r.site_key AS r_site_key, r.rule_id AS r_rule_id, "
            "CASE WHEN v.evidence_sha256 IS NULL THEN r.evidence END AS r_evidence "
            f"FROM reviews v JOIN results r ON r.id = v.result_id WHERE r.site_key IN ({marks}) "
            "ORDER BY v.id", chunk)
    return out


def review_states(store: Store, results: list[dict]) -> dict[int, ReviewState]:
    """The review state of each result row (as returned by Store.results / latest_results), keyed by
    result id. One query per 500 sites, however many results."""
    findings = [r for r in results if r["status"] in FINDING_STATUSES]
    states: dict[int, ReviewState] = {r["id"]: NOT_REVIEWABLE for r in results}
    if not findings:
        return states
    own: dict[int, dict] = {}  # result id -> its latest decision
    by_key: dict[tuple[str, str], list[tuple[int, str, dict]]] = {}  # (site, rule) -> [(result id, fp, row)]
    for v in _reviews_for_sites(store, sorted({r["site_key"] for r in findings})):
        fp = v["evidence_sha256"] or fingerprint(_evidence({"evidence": v.pop("r_evidence")}))
        v.pop("r_evidence", None)
        key = (v.pop("r_site_key"), v.pop("r_rule_id"))
        own[v["result_id"]] = v  # ordered by id: the last one wins
        by_key.setdefault(key, []).append((v["result_id"], fp, v))
    for r in findings:
        if r["id"] in own:
            v = own[r["id"]]
            states[r["id"]] = ReviewState(DECISION_STATE[v["decision"]], v, False)
            continue
        fp = fingerprint(_evidence(r))
        inherited = None
        for result_id, vfp, v in by_key.get((r["site_key"], r["rule_id"]), ()):
            if result_id < r["id"] and vfp == fp:
                inherited = v  # ordered by review id: keep the latest
        states[r["id"]] = (ReviewState(DECISION_STATE[inherited["decision"]], inherited, True)
                           if inherited else PENDING)
    return states


def history(store: Store, result_id: int) -> list[dict]:
    """Every decision on one result, oldest first (the last is in force unless superseded)."""
    result_row(store, result_id)
    return store.reviews_for(result_id)
