"""Compiled regexes kept between runs (compliance/regexcache.py): a kept pattern is the pattern
re compiles, and a missing, spoilt or unwritable cache only means compiling again."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from compliance import regexcache
from compliance.extract import extract_file
from compliance.rules import load_pack

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

pytestmark = pytest.mark.skipif(regexcache._BUILD is None, reason="kept code needs CPython's _sre")

SAMPLES = [
    (r"(?<!不)得(?:隨時)?變更", 0),
    (r"(?P<n>七|7)\s*(?P<unit>天|日)", 0),
    (r"^第[一二三四五六七八九十]+條", re.MULTILINE),
    (r"store ?credit|gift ?cards?", re.IGNORECASE),
    (r"""退貨   # a verbose pattern
         (?:運費)?""", re.VERBOSE),
    (r"[^。]{2,30}恕不退貨(?=。)", 0),
    (r"(a)(b)?\2?", 0),
]
TEXT = ("第一條 本店得隨時變更本條款。消費者不得變更。7 天內可退貨運費由本店負擔。\n第二條 Store Credit 與 GIFT CARDS"
        "任何特價品恕不退貨。ab a")


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache in tmp_path, and a way to start over as a new process would."""
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path))

    def restart():
        monkeypatch.setattr(regexcache, "_STORE", regexcache._Store())
    restart()
    return restart


def _same(kept: re.Pattern, made: re.Pattern, text: str) -> None:
    assert (kept.pattern, kept.flags, kept.groups, kept.groupindex) == (made.pattern, made.flags, made.groups,
                                                                       made.groupindex)
    assert [(m.span(), m.groups()) for m in kept.finditer(text)] == [(m.span(), m.groups()) for m in made.finditer(text)]


def _no_compiling(monkeypatch):
    """From now on regexcache cannot parse or generate code (re itself still can)."""
    class Refuse:
        def __getattr__(self, name):
            raise AssertionError(f"compiled although the code was kept ({name})")
    monkeypatch.setattr(regexcache, "_compiler", Refuse())
    monkeypatch.setattr(regexcache, "_parser", Refuse())


def test_a_pattern_is_built_from_the_kept_code_in_the_next_run(fresh, monkeypatch):
    first = [regexcache.compile(p, f) for p, f in SAMPLES]
    regexcache.save()
    fresh()
    _no_compiling(monkeypatch)
    for (p, f), before in zip(SAMPLES, first):
        kept = regexcache.compile(p, f)
        _same(kept, re.compile(p, f), TEXT)
        _same(kept, before, TEXT)


def test_the_packs_regexes_find_the_same_matches_from_kept_code(fresh, monkeypatch):
    pack = load_pack()
    regexes = {(rx.pattern, rx.flags) for r in pack.rules for p in (*r.patterns, *r.contradicted_by)
               for rx in (p.match, *p.with_, *p.unless)}
    for p, f in regexes:
        regexcache.compile(p, f)
    regexcache.save()
    fresh()
    _no_compiling(monkeypatch)
    texts = [extract_file(p).text for p in sorted((TESTS / "corpus").glob("*.txt"))[:6]]
    text = re.sub(r"\s+", "", "\n".join(texts))  # (normalised text has no spaces; the rules expect none)
    for p, f in sorted(regexes):
        _same(regexcache.compile(p, f), re.compile(p, f), text)


def test_a_spoilt_cache_file_means_compiling_again(fresh, tmp_path):
    regexcache.compile(*SAMPLES[1])
    regexcache.save()
    (path,) = tmp_path.glob("regex-*.marshal")
    path.write_bytes(b"\x00not marshal at all")
    fresh()
    _same(regexcache.compile(*SAMPLES[1]), re.compile(*SAMPLES[1]), TEXT)
    regexcache.save()  # and the file is whole again
    fresh()
    assert (SAMPLES[1][0], SAMPLES[1][1]) in regexcache._STORE.section("sre")


def test_a_spoilt_entry_is_compiled_again(fresh):
    p, f = SAMPLES[0]
    regexcache.compile(p, f)
    entry = regexcache._STORE.section("sre")[(p, f)]
    regexcache._STORE.section("sre")[(p, f)] = (entry[0], entry[1][:-8], *entry[2:])  # code cut short
    _same(regexcache.compile(p, f), re.compile(p, f), TEXT)


def test_a_bad_pattern_is_refused_as_re_refuses_it(fresh):
    with pytest.raises(re.error, match="missing \\)"):
        regexcache.compile(r"(?:退貨")
    with pytest.raises(re.error, match="look-behind requires fixed-width"):
        regexcache.compile(r"(?<!不.*)得")


def test_an_unwritable_cache_directory_stops_nothing(fresh, tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(blocked / "cache"))
    fresh()
    _same(regexcache.compile(*SAMPLES[0]), re.compile(*SAMPLES[0]), TEXT)
    regexcache.save()  # (no exception: the next run compiles again)
    assert not (blocked / "cache").exists()


def test_memo_keeps_an_analysis_for_the_next_run(fresh, monkeypatch):
    calls = []

    def analyse():
        calls.append(1)
        return frozenset("本我")
    assert regexcache.memo("first-chars", "本公司|我們", analyse) == frozenset("本我")
    regexcache.save()
    fresh()
    assert regexcache.memo("first-chars", "本公司|我們", analyse) == frozenset("本我")
    assert calls == [1]


def test_another_python_build_starts_from_another_file(monkeypatch):
    key = regexcache._file_key()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert regexcache._file_key() != key


def test_check_reports_the_same_with_a_cold_and_a_warm_cache(tmp_path):
    doc = tmp_path / "terms.txt"
    doc.write_text((TESTS / "corpus" / sorted(p.name for p in (TESTS / "corpus").glob("*.txt"))[0]).read_text(
        encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "COMPLIANCE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    runs = [subprocess.run([sys.executable, "-m", "compliance", "check", str(doc), "--format", "json"], cwd=REPO,
                           env=env, capture_output=True, text=True) for _ in range(2)]
    assert list((tmp_path / "cache").glob("regex-*.marshal")), "the first run kept nothing"
    cold, warm = (json.loads(r.stdout) for r in runs)
    assert runs[0].returncode == runs[1].returncode
    assert cold["results"] == warm["results"]
