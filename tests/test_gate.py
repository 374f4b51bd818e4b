"""The regex gate of long runs (compliance/gate.py): it may only skip searches that find nothing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance import engine, gate
from compliance.engine import Context, evaluate
from compliance.extract import extract_file
from compliance.match import compile_regex
from compliance.models import Document
from compliance.rules import load_pack

hyperscan = pytest.importorskip("hyperscan")

TESTS = Path(__file__).resolve().parent
CORPUS_FILES = sorted(p for d in TESTS.glob("corpus*") for p in d.iterdir() if p.suffix in (".txt", ".html"))


@pytest.fixture(scope="module")
def pack():
    return load_pack()


@pytest.fixture(scope="module")
def pack_gate(pack, tmp_path_factory):
    regexes = [p.match for r in pack.rules for p in (*r.patterns, *r.contradicted_by)]
    regexes += [compile_regex(r.params[k]) for r in pack.rules for k in engine._SEARCHED_PARAMS if k in r.params]
    g = gate.build(regexes, tmp_path_factory.mktemp("gate-cache"))
    assert g is not None
    return g, regexes


@pytest.fixture(scope="module")
def texts():
    # every third corpus document, normalised as the engine sees it
    return [engine.prepare(Document(p.name, extract_file(p).text)).norm.text for p in CORPUS_FILES[::3]]


def _one(expr_rx: str, text: str, tmp_path: Path) -> bool:
    g = gate.build([re.compile(expr_rx)], tmp_path)
    assert g is not None and g.index, f"{expr_rx!r} was not gated"
    return bool(g.present(text))


@pytest.mark.parametrize("rx, text", [
    (r"(?<!不)退貨", "可以退貨"),                     # a lookbehind is left out
    (r"退貨(?!運費)", "退貨"),                        # and a lookahead
    (r"^本店.{0,40}?不負責", "本店對於任何損失不負責"),  # an anchor, a long lazy repeat
    (r"\d+日內", "٣日內"),                            # \d as Python's re reads it (an Arabic-Indic digit)
    (r"[^。]{2,30}恕不退貨", "任何特價品恕不退貨"),
    (r"(?P<n>七|7)\s*天", "7\u3000天"),               # a named group; \s takes the ideographic space
    (r"(?:a|b){5,9}c", "ababac"),
])
def test_the_expression_matches_where_the_regex_does(rx, text, tmp_path):
    assert re.search(rx, text)
    assert _one(rx, text, tmp_path)


def test_a_page_the_regex_cannot_match_is_gated_out(tmp_path):
    assert not _one(r"恕不退貨", "七日內均可退貨", tmp_path)


@pytest.mark.parametrize("rx", [r"(退|換)貨\1", r"(?i)refund", r"(?a)\d日", r"a(?i:b)"])
def test_constructs_without_a_superset_are_not_gated(rx):
    assert gate.superset_expression(re.compile(rx)) is None


def test_every_pack_regex_is_found_by_the_gate_wherever_it_matches(pack_gate, texts):
    g, regexes = pack_gate
    gated = [rx for rx in regexes if id(rx) in g.index]
    assert len(gated) > 0.9 * len(set(map(id, regexes)))  # (the gate covers nearly all of them)
    skipped = 0
    for text in texts:
        ends = g.ends(text)
        assert ends is not None
        for rx in gated:
            gid = g.index[id(rx)]
            for m in rx.finditer(text):
                # where a match ends, its expression's does (find starts its searches from these)
                assert m.end() in ends.get(gid, ()), f"the gate missed {rx.pattern[:80]!r} at {m.start()}"
                assert g.width[gid] is None or m.end() - m.start() <= g.width[gid]
            skipped += gid not in ends
    assert skipped > len(texts) * len(gated) // 2  # it does skip most searches


def test_ends_are_character_offsets_in_order(tmp_path):
    g = gate.build([re.compile(r"恕不退(?:貨|換)")], tmp_path)
    text = "Ａ本商品恕不退貨，特價品 also 恕不退換。"
    assert g.ends(text) == {0: [m.end() for m in re.finditer(r"恕不退(?:貨|換)", text)]} == {0: [8, 22]}
    assert g.ends("七日內可退貨") == {}
    assert g.width == {0: 4}


def test_results_are_the_same_with_and_without_the_gate(pack, pack_gate):
    g, _ = pack_gate
    docs = [Document(p.name, extract_file(p).text) for p in CORPUS_FILES[1::4]]
    targets = [[d] for d in docs] + [docs[i:i + 3] for i in range(0, len(docs) - 2, 3)]  # pages and sites
    for target in targets:
        ctx = Context(target)
        plain = [engine.CHECKS[r.check](r, ctx).as_dict() for r in pack.rules]
        ctx = Context(target)
        ctx.gate = g
        gated = [engine.CHECKS[r.check](r, ctx).as_dict() for r in pack.rules]
        assert gated == plain, [d.location for d in target]
        assert all(p is not None for p in ctx.presence)


def test_a_cached_database_is_read_back_and_works(tmp_path, monkeypatch):
    rx = re.compile(r"恕不(?:退貨|退換)")
    first = gate.build([rx], tmp_path)
    files = list(tmp_path.glob("gate-*.hsdb"))
    assert len(files) == 1

    def no_translation(_rx):
        raise AssertionError("a cached database needs no translation")
    monkeypatch.setattr(gate, "superset_expression", no_translation)
    second = gate.build([rx], tmp_path)  # from the file, not compiled (nor translated) again
    assert second.present("本商品恕不退換") == first.present("本商品恕不退換") == {0}
    assert second.present("七日內可退貨") == set()


def test_a_broken_cache_file_is_compiled_again(tmp_path):
    rx = re.compile(r"恕不退貨")
    gate.build([rx], tmp_path)
    (cached,) = tmp_path.glob("gate-*.hsdb")
    cached.write_bytes(b"[]\nnot a database")
    assert gate.build([rx], tmp_path).present("恕不退貨") == {0}


def test_an_expression_hyperscan_refuses_is_searched_as_before(tmp_path, monkeypatch):
    good, bad = re.compile(r"恕不退貨"), re.compile(r"概不退換")
    real = gate._compiled

    def refuse(expressions, ids):
        if any(gate.superset_expression(re.compile("概")) in expressions[i][0] for i in ids):
            raise hyperscan.error("Pattern is too large.")
        return real(expressions, ids)
    monkeypatch.setattr(gate, "_compiled", refuse)
    g = gate.build([good, bad], tmp_path)
    assert id(good) in g.index and id(bad) not in g.index


def test_no_gate_without_hyperscan_or_when_switched_off(tmp_path, monkeypatch):
    rx = re.compile("退貨")
    monkeypatch.setenv("COMPLIANCE_GATE", "0")
    assert gate.build([rx], tmp_path) is None
    monkeypatch.delenv("COMPLIANCE_GATE")
    monkeypatch.setattr(gate, "hyperscan", None)
    assert gate.build([rx], tmp_path) is None


def test_only_a_long_run_builds_a_gate(pack, monkeypatch):
    from compliance import match
    monkeypatch.setattr(match, "_EAGER", False)
    assert engine._gate(pack) is None
    doc = Document("t", "本店商品恕不退貨。")
    assert evaluate([doc], pack)  # and a self-check judges without one
