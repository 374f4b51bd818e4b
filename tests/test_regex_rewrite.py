"""The fast forms of rule regexes (match.with_first_chars / literal_led) find exactly what
the regexes as written find: same matches, same spans, from any starting position."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance import match
from compliance.extract import extract_file
from compliance.match import literal_led, with_first_chars
from compliance.normalize import normalize

ROOT = Path(__file__).resolve().parent


def _spans(rx: re.Pattern, text: str) -> list:
    return [(m.span(), m.group()) for m in rx.finditer(text)]


@pytest.mark.parametrize("source,text", [
    # an optional first item: with it first (greedy), then without
    (r"(?:不)?得(?:退貨|退款)", "本店得退款,不得退貨,得退"),
    (r"(?:會員|消費者)?(?:不得|無權)退貨", "會員不得退貨;消費者無權退貨;無權退貨"),
    (r"(?:退)?退款?", "退退款 退款 退"),  # both forms match at one position: the longer wins
    (r"(?:退貨)*退", "退貨退貨退 退"),
    # alternatives that share a first character keep their order (the first that matches wins)
    (r"(?:本公|本公司|我們)(?:得|有權)", "本公司得,本公得,我們有權"),
    # a leading lookbehind moves behind the first character
    (r"(?<![不無])(?:得|可)取消", "得取消,不得取消,無可取消,可取消"),
    (r"(?<!you)(?<!we)(?:cancel|refuse)", "youcancel wecancel cancel refuse"),
    # repeats at the start
    (r"(?:退){1,3}款", "退款 退退款 退退退退款"),
    (r"[0-9七]{1,2}日內", "7日內 14日內 七日內 日內"),
    (r"(?:[a-c]x)+y", "axbxy cxy ay"),
    # a nested optional group after the first item
    (r"(?:退貨|換款)(?:.{0,4}(?:運費|費用))?", "退貨運費由您,換款費用,退貨"),
])
def test_rewritten_regex_finds_the_same_matches(source, text):
    plain = re.compile(source)
    led = literal_led(plain, max_growth=None)
    assert led is not None, "this pattern can be led by literal characters"
    assert not led.pattern.startswith(("(?=", "(?:(?:")), led.pattern
    assert _spans(led, text) == _spans(plain, text)
    for pos in range(len(text)):
        a, b = plain.search(text, pos), led.search(text, pos)
        assert (a and a.span()) == (b and b.span()), pos


@pytest.mark.parametrize("source", [
    r"(?P<n>七)日",          # a capturing group would be written twice
    r"(?:退)*?款",            # a lazy repeat tries the shorter form first
    r"(?=退)退貨",            # a leading lookahead
    r".{0,3}退貨",            # any character first
    r"[^退]貨",               # a negated set
    r"(?:退)?",               # may match nothing
    r"(?i)refund",            # case-insensitive
])
def test_patterns_that_cannot_be_led_are_left_alone(source):
    assert literal_led(re.compile(source), max_growth=None) is None


@pytest.mark.parametrize("source", [
    r"(?:本|本店)取消",      # re factors it to 本(?:|店)取消: led by a literal already
    r"[退換](?:貨|款)",       # led by a set
])
def test_patterns_led_by_a_literal_already_are_left_alone(source):
    rx = re.compile(source)
    assert literal_led(rx) is None and with_first_chars(rx) is rx


def test_an_unboundable_pattern_is_returned_as_it_is():
    rx = re.compile(r"[^。]{2}退貨")
    assert with_first_chars(rx) is rx


def _pack_regexes() -> list[re.Pattern]:
    """Every regex of the rule pack, as written (before its first-character lookahead)."""
    from compliance.rules import RULES_ROOT, _load_pack_cached

    seen: list[re.Pattern] = []
    original = match.with_first_chars

    def record(rx, limit=400):
        seen.append(rx)
        return original(rx, limit)

    match.with_first_chars = record
    try:
        match.compile_regex.cache_clear()
        _load_pack_cached.cache_clear()
        _load_pack_cached(str((RULES_ROOT / "tw-retail-online").resolve()))
    finally:
        match.with_first_chars = original
        match.compile_regex.cache_clear()
        _load_pack_cached.cache_clear()
    return seen


def test_every_rule_regex_finds_the_same_matches_in_its_fast_form():
    texts = []
    for folder in ("corpus", "corpus-heldout"):
        for path in sorted((ROOT / folder).iterdir()):
            if path.suffix in (".txt", ".html"):
                texts.append(normalize(extract_file(path).text).text)
    pairs = [(rx, literal_led(rx, max_growth=None)) for rx in _pack_regexes()]
    pairs = [(a, b) for a, b in pairs if b is not None]
    assert len(pairs) > 200, "most rule regexes can be rewritten"
    for plain, fast in pairs:
        for text in texts:
            assert _spans(fast, text) == _spans(plain, text), plain.pattern[:80]
            for pos in (1, 101, 1001):
                a, b = plain.search(text, pos), fast.search(text, pos)
                assert (a and a.span()) == (b and b.span()), plain.pattern[:80]


def test_a_regex_is_rewritten_for_scanning_once_it_has_scanned_enough_text():
    plain = re.compile(r"(?:(?:本店|我們)(?:得|可)|店家得)取消(?:訂單)?")
    rx = with_first_chars(plain)
    assert rx.pattern.startswith("(?=[")  # cheap to compile, for a one-off self-check
    page = match.rewrite_after(rx) // 10
    forms = [match.scanning_form(rx, page) for _ in range(12)]
    assert all(f is rx for f in forms[:9])
    fast = forms[-1]
    assert fast is not rx and forms[9] is fast
    assert not fast.pattern.startswith("(?="), fast.pattern
    text = "本店得取消訂單,我們可取消,本店不得取消,店家得取消"
    assert _spans(fast, text) == _spans(plain, text) == _spans(rx, text)


def test_a_longer_pattern_scans_more_text_before_its_costlier_rewrite():
    short = with_first_chars(re.compile(r"(?:本店|我們)得取消訂單"))
    verbs = "|".join(f"(?:本店|我們){v}(?:取消|終止)訂單" for v in ("得", "可", "有權", "保留", "將"))
    written = re.compile(f"(?:{verbs})" + r"[^。]{0,40}(?:不另通知|逕行)" * 20)
    long = with_first_chars(written)
    assert long is not written
    assert match.rewrite_after(short) == match.SCAN_CHARS_BEFORE_REWRITE
    assert match.rewrite_after(long) == match.SCAN_CHARS_PER_PATTERN_CHAR * len(written.pattern)
    page = match.SCAN_CHARS_BEFORE_REWRITE
    assert match.scanning_form(short, page) is not short
    assert match.scanning_form(long, page) is long


def test_a_rewrite_that_would_spell_a_long_tail_out_many_times_is_not_made():
    # twelve first characters, each followed by the same long tail: twelve copies of it
    heads = "|".join(f"(?:{c}|{c}{c})" for c in "甲乙丙丁戊己庚辛壬癸子丑")
    tail = "(?:退貨|退款|換貨)(?:.{0,9}(?:運費|費用|手續費|包裝費|處理費)){1,3}(?:由您負擔|自付|自行負擔|由買家負擔)" * 3
    rx = re.compile(f"(?:{heads})" + tail)
    assert literal_led(rx) is None
    assert literal_led(rx, max_growth=None) is not None


@pytest.mark.parametrize("source,safe", [
    (r"退貨", True), (r"(?<![不無])得", True), (r"得\b", True), (r"[^。]{0,5}退", True), (r"(?!.*不)退", True),
    (r"^退貨", False), (r"退貨$", False), (r"(?<!\s)得", False), (r"(?<![^。])得", False), (r"得(?!\n)", False),
    (r"得(?!(?s:.)x)", False), (r"(?m:^)退貨", False),
])
def test_which_patterns_one_search_of_joined_pages_can_rule_out(source, safe):
    assert match.finds_across_joins(re.compile(source)) is safe


def test_a_search_of_the_joined_pages_skips_only_patterns_in_none_of_them(monkeypatch):
    from compliance import engine
    from compliance.models import Document
    from compliance.rules import load_pack

    docs = []
    for folder in ("corpus", "corpus-heldout"):
        docs += [Document(p.name, extract_file(p).text) for p in sorted((ROOT / folder).iterdir())
                 if p.suffix in (".txt", ".html")]
    sites = [docs[i:i + 4] for i in range(0, len(docs), 4)]  # four shops' pages as one target
    patterns = [p for r in load_pack().rules for p in r.patterns + r.contradicted_by]

    def hits(site):
        ctx = engine.Context(site)
        return [[(h.prep.doc.location, h.start, h.end) for h in ctx.find(p)] for p in patterns]

    fast = [hits(s) for s in sites]
    monkeypatch.setattr(engine, "finds_across_joins", lambda rx: False)
    slow = [hits(s) for s in sites]
    assert fast == slow
    assert sum(1 for site in slow for h in site if not h) > 100  # the skip was tried many times


def test_a_long_run_rewrites_every_regex_on_its_first_scan():
    # (in a process of its own: scan_eagerly is for the whole of a long-running process)
    import subprocess
    import sys
    code = (
        "import re\n"
        "from compliance import match\n"
        "rx = match.with_first_chars(re.compile(r'(?:(?:本店|我們)(?:得|可)|店家得)取消(?:訂單)?'))\n"
        "assert match.scanning_form(rx, 10) is rx\n"
        "match.scan_eagerly()\n"
        "fast = match.scanning_form(rx, 10)\n"
        "assert fast is not rx and not fast.pattern.startswith('(?=')\n"
        "other = match.with_first_chars(re.compile(r'(?:本公司|我們)保留(?:修改|變更)之權利'))\n"
        "assert match.scanning_form(other, 1) is not other\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert proc.returncode == 0, proc.stderr
