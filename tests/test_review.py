"""compliance.review: decisions on findings, and how they carry over to later scans."""
from __future__ import annotations

import pytest

from compliance import store as store_mod
from compliance.review import (InvalidDecision, NoteRequired, NotAFinding, ReviewerRequired, UnknownResult,
                               decide, fingerprint, history, review_states)
from compliance.store import Store

from log_builder import SITE, TERMS, TERMS_FIXED, add_scan, by_rule


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "log.db") as s:
        yield s


def test_decide_records_who_what_and_fingerprint(store):
    _, rows = add_scan(store, {"/terms": TERMS})
    p05 = by_rule(rows)["P05"]
    review_id = decide(store, p05["id"], reviewer=" 王檢查員 ", decision="confirm", note="拆封不退違反§19")
    [row] = store.reviews_for(p05["id"])
    assert row["id"] == review_id and row["reviewer"] == "王檢查員" and row["decision"] == "confirm"
    assert row["note"] == "拆封不退違反§19" and row["decided_at"]
    assert row["evidence_sha256"] == fingerprint(p05["evidence"])
    # the result itself is untouched
    assert store.results(p05["analysis_id"])[p05["position"]]["status"] == "fail"


@pytest.mark.parametrize("note", ["", "   \n\t"])
def test_dismissal_needs_a_note(store, note):
    _, rows = add_scan(store, {"/terms": TERMS})
    with pytest.raises(NoteRequired):
        decide(store, by_rule(rows)["P05"]["id"], reviewer="王", decision="dismiss", note=note)
    assert store.db["reviews"].count == 0


def test_bad_decisions_are_refused(store):
    _, rows = add_scan(store, {"/terms": TERMS})
    rules = by_rule(rows)
    with pytest.raises(NotAFinding, match="P01"):
        decide(store, rules["P01"]["id"], reviewer="王", decision="confirm")  # a pass
    with pytest.raises(UnknownResult) as exc:
        decide(store, 99999, reviewer="王", decision="confirm")
    assert isinstance(exc.value, store_mod.UnknownResult)
    with pytest.raises(InvalidDecision):
        decide(store, rules["P05"]["id"], reviewer="王", decision="maybe")
    with pytest.raises(ReviewerRequired):
        decide(store, rules["P05"]["id"], reviewer="  ", decision="confirm")
    assert store.db["reviews"].count == 0


def test_fingerprint_ignores_offsets_spacing_and_order():
    a = [{"location": "https://a/terms", "start": 10, "end": 20, "text": "商品一經拆封\n恕不退貨", "matched_by": "x"},
         {"location": "https://a/terms", "start": 40, "end": 50, "text": "保留最終解釋權", "matched_by": "y"}]
    shifted = [{"location": "https://b/terms", "start": 99, "end": 107, "text": "保留最終解釋權", "matched_by": "y"},
               {"location": "https://b/terms", "start": 70, "end": 80, "text": "商品一經拆封 恕不退貨", "matched_by": "x"}]
    changed = [dict(a[0], text="商品一經拆封恕不退換"), a[1]]
    assert fingerprint(a) == fingerprint(shifted)
    assert fingerprint(a) != fingerprint(changed)
    # missing items: fingerprinted by what was searched, not by empty text
    absent_m10 = [{"location": "x", "start": 0, "end": 0, "text": "", "matched_by": "未找到：七日解除權之告知"}]
    absent_m11 = [{"location": "x", "start": 0, "end": 0, "text": "", "matched_by": "未找到：個人資料保護"}]
    assert fingerprint(absent_m10) != fingerprint(absent_m11)


def test_states_pending_then_own_decision_latest_wins(store):
    _, rows = add_scan(store, {"/terms": TERMS})
    rules = by_rule(rows)
    states = review_states(store, rows)
    assert set(states) == {r["id"] for r in rows}
    assert states[rules["P05"]["id"]].state == "pending" and states[rules["P05"]["id"]].reviewable
    assert not states[rules["P01"]["id"]].reviewable  # a pass
    decide(store, rules["P05"]["id"], reviewer="王", decision="confirm")
    decide(store, rules["P05"]["id"], reviewer="李科長", decision="dismiss", note="準則§2例外")
    st = review_states(store, rows)[rules["P05"]["id"]]
    assert (st.state, st.carried, st.decision["reviewer"]) == ("dismissed", False, "李科長")
    assert [r["decision"] for r in history(store, rules["P05"]["id"])] == ["confirm", "dismiss"]


def test_dismissal_carries_while_evidence_is_unchanged(store):
    _, first = add_scan(store, {"/terms": TERMS})
    decide(store, by_rule(first)["P03"]["id"], reviewer="王", decision="dismiss", note="已另有公告程序")
    decide(store, by_rule(first)["M10"]["id"], reviewer="王", decision="dismiss", note="告知在商品頁")
    # the shop moved its text down the page: same words, other offsets
    _, second = add_scan(store, {"/terms": "最新消息\n歡迎光臨！\n" + TERMS})
    s2 = review_states(store, second)
    p03 = s2[by_rule(second)["P03"]["id"]]
    assert (p03.state, p03.carried) == ("dismissed", True)
    assert p03.decision["result_id"] == by_rule(first)["P03"]["id"] and p03.decision["note"] == "已另有公告程序"
    assert s2[by_rule(second)["M10"]["id"]].state == "dismissed"  # still missing: still dismissed
    assert s2[by_rule(second)["P05"]["id"]].state == "pending"  # never decided


def test_dismissal_comes_back_when_evidence_changes(store):
    _, first = add_scan(store, {"/terms": TERMS})
    decide(store, by_rule(first)["P03"]["id"], reviewer="王", decision="dismiss", note="誤判")
    decide(store, by_rule(first)["P05"]["id"], reviewer="王", decision="confirm")
    _, second = add_scan(store, {"/terms": TERMS.replace("並得隨時修改本條款", "並得隨時變更商品價格")})
    s2 = review_states(store, second)
    assert by_rule(second)["P03"]["status"] == "fail"
    assert s2[by_rule(second)["P03"]["id"]].state == "pending"
    # a confirmation carries the same way: the shop did not change its withdrawal clause
    p05 = s2[by_rule(second)["P05"]["id"]]
    assert (p05.state, p05.carried) == ("confirmed", True)


def test_decisions_do_not_carry_backwards_or_across_sites(store):
    _, first = add_scan(store, {"/terms": TERMS})
    _, second = add_scan(store, {"/terms": TERMS})
    _, other = add_scan(store, {"/terms": TERMS}, site="other.example", base="https://other.example")
    decide(store, by_rule(second)["P05"]["id"], reviewer="王", decision="dismiss", note="x")
    states = review_states(store, first + second + other)
    assert states[by_rule(first)["P05"]["id"]].state == "pending"  # earlier than the decision
    assert states[by_rule(second)["P05"]["id"]].state == "dismissed"
    assert states[by_rule(other)["P05"]["id"]].state == "pending"  # same words, another shop


def test_latest_matching_decision_is_carried(store):
    _, first = add_scan(store, {"/terms": TERMS})
    _, second = add_scan(store, {"/terms": TERMS})
    decide(store, by_rule(second)["P05"]["id"], reviewer="王", decision="confirm")
    decide(store, by_rule(first)["P05"]["id"], reviewer="李", decision="dismiss", note="後來改判")
    _, third = add_scan(store, {"/terms": TERMS})
    st = review_states(store, third)[by_rule(third)["P05"]["id"]]
    assert (st.state, st.decision["reviewer"]) == ("dismissed", "李")


def test_a_fixed_finding_is_not_pending(store):
    _, first = add_scan(store, {"/terms": TERMS})
    decide(store, by_rule(first)["P05"]["id"], reviewer="王", decision="confirm")
    _, second = add_scan(store, {"/terms": TERMS_FIXED})
    st = review_states(store, second)[by_rule(second)["P05"]["id"]]
    assert by_rule(second)["P05"]["status"] == "pass" and not st.reviewable


def test_states_for_a_whole_scan_use_one_query(store):
    rows = []
    for i in range(30):
        _, r = add_scan(store, {"/terms": TERMS}, site=f"s{i}.example", base=f"https://s{i}.example")
        rows += r
        decide(store, by_rule(r)["P05"]["id"], reviewer="王", decision="confirm")
    queries = []
    store.db.conn.set_trace_callback(queries.append)
    try:
        states = review_states(store, rows)
    finally:
        store.db.conn.set_trace_callback(None)
    assert len([q for q in queries if q.lstrip().upper().startswith("SELECT")]) == 1
    assert sum(s.state == "confirmed" for s in states.values()) == 30


# --- the review command -------------------------------------------------------------------

def _review(store, *args):
    from click.testing import CliRunner

    from compliance.cli import main

    return CliRunner().invoke(main, ["review", "--db", store.path, *args])


def test_review_command(store):
    _, rows = add_scan(store, {"/terms": TERMS})
    p05, p01 = by_rule(rows)["P05"]["id"], by_rule(rows)["P01"]["id"]
    listing = _review(store)
    assert listing.exit_code == 0 and f"{p05}  {SITE}  P05  不符合  待確認" in listing.output
    res = _review(store, str(p05), "--dismiss", "--by", "王")
    assert res.exit_code == 2 and "理由" in res.output
    res = _review(store, str(p05), "--dismiss", "--note", "屬準則§2例外", "--by", "王")
    assert res.exit_code == 0, res.output
    [row] = store.reviews_for(p05)
    assert (row["reviewer"], row["decision"], row["note"]) == ("王", "dismiss", "屬準則§2例外")
    assert "已排除" in _review(store, str(p05)).output
    assert _review(store, str(p01), "--confirm").exit_code == 2  # a pass
    assert _review(store, "99999", "--confirm").exit_code == 2
