"""Pattern vocabulary shared by all rules.

- ``compile_regex``: regexes with named macros ({TRADER}, {CONSUMER}, {NUM}, …) so that
  rules speak of parties and quantities rather than of one shop's words;
- ``negated``: whether a hit sits inside a protective or negated construction
  (rule-catalogue: "Negation decides meaning");
- ``durations``: numbers and units parsed to quantities (七日, 7天, 十五個工作天,
  二十四小時, 一個月, full-width digits are already half-width after normalisation)
  with the event they are counted from;
- ``classify_exclusion``: places the goods named by an exclusion in the closed list of
  通訊交易解除權合理例外情事適用準則 §2.

All functions work on normalised text (see normalize.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as _C, _parser as _P  # the parse tree of a regex (CPython 3.11+)
from . import regexcache
from .normalize import pattern_form

MACROS = {
    # who writes the terms
    # (factored on 本: re tries alternatives one by one, and 本 begins most of them; 本X舖 with
    # `.`, not a class of all CJK characters, which costs every pattern using {TRADER} some
    # 20,000 steps to compile)
    "TRADER": r"(?:本(?:公司|網站|網|站|店|商店|賣場|平臺|商城|品牌|工作室|團隊|團|社|舖|鋪|館|商行|商號|工坊|企業社|實業社|學苑|學堂|教室|門市|專櫃|書店|花店|茶行|農場|酒莊|藥局|服務台|服務中心|行|坊|園|號|廠|所(?![列述載示謂稱])|.(?:舖|鋪|坊|莊))|我們|我司|敝公司|敝店|敝社|賣家|賣方|店家|業者|商家|小編|小舖|小鋪|小店|平臺|公司|企業經營者|出賣人|出租人|供應商|廠商|團主|團購主|主揪|主辦單位|小弟(?!弟)|小妹(?!妹)|設計館|小幫手|(?<![的之其他該各])工作室|(?<![的之其他該各])學院|版主(?!機))",
    # who reads them
    "CONSUMER": r"(?:消費者|會員|您|你|買家|買方|顧客|客戶|用戶|使用者|訂購人|購買人|購買者|妳|親|客人|訂戶|學員|承租人|跟團者|團員|訂閱者)",
    "NUM": r"(?:\d+(?:\.\d+)?|[零〇一二兩三四五六七八九十百半]+)",
    # the 7-day right under 消保法 §19 I, however a shop names it
    "WITHDRAW": r"(?:解除契約|解除權|解約|七日|7日|七天|7天|鑑賞期|猶豫期|無條件退貨|退貨|退換貨|退換|退款|退費|取消訂單|退回商品)",
    "RETURN": r"(?:退貨|退換貨|退換|退回|退款|退費|解除契約|解約|解除)",
    # (not the 得 of 取得/獲得/值得/記得/覺得/使得/懂得/贏得, nor the 可 of 許可/認可/寧可, nor the 能 of
    # 功能/技能/才能/智能/效能/體能/性能/機能/動能/產能)
    "MAY": r"(?<![不無非未取獲值記覺使懂贏許認寧徵功技才智效體性機動產])(?:得|可|可以|能|有權|保留|隨時|逕行|逕自|自行)",
    # store credit instead of money (消保法 §19-2 III with 民法 §259)
    "CREDIT": r"(?:購物金(?!額)|折價券|折抵券|抵用券|抵用金|紅利金|優惠券|點數|紅利|禮券|儲值金|回饋金|商品券|電子券|錢包|store ?credit|抵扣金|折抵金|現金券|禮物卡|折扣碼|優惠碼|折扣券|gift ?cards?|vouchers?|coupons?|(?<=[\u4e00-\u9fffa-z])(?<![臺台日美港民外硬紙貨韓泰新澳加特歐])幣)",  # a house coin (選品幣), not a currency
    "NEG": r"(?:不得|不可|不能|不會|不應|不予|禁止|無權|絕不|並不|不)",
}

_MACRO_RE = regexcache.compile(r"\{([A-Z_]+)\}")


class PatternError(ValueError):
    """A rule pattern is not a valid regular expression or names an unknown macro."""


@lru_cache(maxsize=None)
def compile_regex(source: str) -> re.Pattern:
    def expand(m: re.Match) -> str:
        name = m.group(1)
        if name not in MACROS:
            raise PatternError(f"unknown macro {{{name}}}; known: {', '.join(sorted(MACROS))}")
        return MACROS[name]

    try:
        rx = with_first_chars(regexcache.compile(pattern_form(_MACRO_RE.sub(expand, source))))
    except re.error as exc:
        raise PatternError(f"{exc.msg} at position {exc.pos} in {source!r}") from None
    return rx


def with_first_chars(rx: re.Pattern, limit: int = 400) -> re.Pattern:
    """The same regex, led by a lookahead over the characters a match can start with.

    Python's ``re`` scans fast only when a pattern starts with a literal or a character
    set; a pattern that starts with an alternation of groups (most rule patterns) is
    tried at every position. ``(?=[…])`` makes each of those tries cheap; the matches,
    groups and spans are unchanged. Patterns whose first character cannot be bounded
    (``.``, ``[^…]``, an empty match) are returned as they are. This costs nothing at
    start-up; ``scanning_form`` goes further for a regex that scans many pages.
    """
    chars = regexcache.memo("first-chars", rx.pattern, lambda: _first_chars(rx.pattern))
    if chars == _NATIVE or not chars or len(chars) > limit or rx.flags & (re.IGNORECASE | re.VERBOSE):
        return rx
    cls = "".join(re.escape(c) for c in sorted(chars))
    try:
        led = regexcache.compile(f"(?=[{cls}])(?:{rx.pattern})", rx.flags)
    except re.error:  # e.g. a global inline flag that must stay first
        return rx
    _AS_WRITTEN[id(led)] = (led, rx)
    return led


# with_first_chars' regexes -> (itself, the regex as written), for scanning_form
_AS_WRITTEN: dict[int, tuple[re.Pattern, re.Pattern]] = {}
# id(regex) -> [regex (kept alive, so that its id stays its own), characters still to scan
# before the rewrite, form to use]
_SCANNING: dict[int, list] = {}
# Rewriting a regex into its literal-led form costs time that grows with the pattern (it
# spells the pattern out per first character: from 0.3 ms for a short pattern to 5 ms for the
# longest), and the rewrite saves some 5-13 nanoseconds for each character the regex scans:
# the break-even point, measured on the rule pack over corpus pages, is 300-2,300 scanned
# characters per character of the pattern, median about 1,000. A run that knows it is long (a
# scan's worker, ``eval``, ``analyze``) calls ``scan_eagerly`` and pays every rewrite at its
# start. Otherwise a regex is rewritten once the characters it has really scanned (up to its
# first match, or the whole text) would have paid for its rewrite about three times over, and
# never before SCAN_CHARS_BEFORE_REWRITE: a run that ends sooner (a self-check of a site) is
# better off without the rewrite, and a long one loses at most a few rewrites' cost.
SCAN_CHARS_BEFORE_REWRITE = 250_000
SCAN_CHARS_PER_PATTERN_CHAR = 3_000


_EAGER = False


def scan_eagerly() -> None:
    """From now on, rewrite every regex literal-led the first time it scans, whatever its length:
    for a run known to be long (a scan's worker, ``eval``, ``analyze``, the engine bench), which
    pays all the rewrites at once, on its first document (a worker reads a sample at start for
    that), rather than midway at each regex's break-even point."""
    global _EAGER
    _EAGER = True
    for entry in _SCANNING.values():
        entry[1] = min(entry[1], 1)


def is_eager() -> bool:
    """Has this process said it is a long run (``scan_eagerly``)?"""
    return _EAGER


def _as_written(rx: re.Pattern) -> re.Pattern:
    """The regex as the rule wrote it, without ``with_first_chars``' lookahead."""
    written = _AS_WRITTEN.get(id(rx))
    return written[1] if written is not None and written[0] is rx else rx


def rewrite_after(rx: re.Pattern) -> int:
    """How many characters ``rx`` scans before ``scanning_form`` rewrites it."""
    if _EAGER:
        return 1
    return max(SCAN_CHARS_BEFORE_REWRITE, SCAN_CHARS_PER_PATTERN_CHAR * len(_as_written(rx).pattern))


def scan_entry(rx: re.Pattern) -> list:
    """[rx, characters still to scan before its rewrite (≤ 0: rewritten), the form to scan with]:
    a caller that scans often reads the form from it, and counts only while the count is > 0."""
    entry = _SCANNING.get(id(rx))
    if entry is None:
        entry = _SCANNING[id(rx)] = [rx, rewrite_after(rx), rx]
    return entry


def scanning_form(rx: re.Pattern, chars: int = 0) -> re.Pattern:
    """The regex to scan pages with: ``rx`` itself until it has scanned enough characters in this
    process to pay for its rewrite (``rewrite_after``), then its literal-led form
    (``literal_led``), which finds the same matches several times faster. ``chars`` is what this
    scan will cost; a caller that learns it only afterwards passes it to ``scanned`` instead."""
    entry = scan_entry(rx)
    if entry[1] > 0 and chars:
        scanned(rx, chars)
    return entry[2]


def scanned(rx: re.Pattern, chars: int) -> None:
    """Count ``chars`` characters scanned by ``rx`` (as given to ``scanning_form``); rewrite it
    when they have paid for it."""
    entry = scan_entry(rx)
    if entry[1] > 0:
        entry[1] -= chars
        if entry[1] <= 0:
            entry[2] = literal_led(_as_written(rx)) or rx


def _first_chars(pattern: str) -> frozenset | str | None:
    C, P = _C, _P

    class Unbounded(Exception):
        pass

    def seq(items) -> tuple[set, bool]:
        out: set = set()
        for op, av in items:
            chars, nullable = item(op, av)
            out |= chars
            if not nullable:
                return out, False
        return out, True

    def item(op, av) -> tuple[set, bool]:
        if op is C.LITERAL:
            return {chr(av)}, False
        if op is C.IN:
            out = set()
            for o, a in av:
                if o is C.LITERAL:
                    out.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] < 512:
                    out |= {chr(x) for x in range(a[0], a[1] + 1)}
                else:
                    raise Unbounded
            return out, False
        if op is C.BRANCH:
            out, nullable = set(), False
            for alt in av[1]:
                chars, n = seq(alt)
                out |= chars
                nullable = nullable or n
            return out, nullable
        if op is C.SUBPATTERN:
            return seq(av[-1])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            chars, n = seq(av[2])
            return chars, n or av[0] == 0
        if op is getattr(C, "ATOMIC_GROUP", None):
            return seq(av)
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            return set(), True  # zero width: the next item decides
        raise Unbounded

    def native(items) -> bool:
        # re's own scan is already fast: the pattern starts with a literal, a set, or
        # alternatives that each start with a literal (sre_compile's prefix/charset)
        if not items:
            return False
        op, av = items[0]
        if op in (C.LITERAL, C.IN):
            return True
        if op is C.BRANCH:
            return all(alt and alt[0][0] is C.LITERAL for alt in av[1])
        if op is C.SUBPATTERN:
            return native(av[-1])
        return False

    try:
        parsed = P.parse(pattern)
        if native(list(parsed)):
            return _NATIVE
        chars, nullable = seq(parsed)
    except (Unbounded, re.error, TypeError, ValueError, AttributeError):
        return None
    return None if nullable else frozenset(chars)


_NATIVE = "native"  # (a string, which regexcache.memo can keep)


# --- searching several texts at once ------------------------------------------------------

_JOIN_SAFE: dict[int, tuple[re.Pattern, bool]] = {}


def finds_across_joins(rx: re.Pattern) -> bool:
    """Does a search of texts joined by newlines find a match whenever one of the texts has
    one? True unless the regex has an anchor (``^``, ``$``, ``\\A``, ``\\Z``: a text's start is no
    longer the string's) or a negative lookaround that could match the newline the texts are
    joined by (``(?<!\\s)`` passes at a text's start, not after the newline). Then one search of
    a site's joined pages tells that a pattern is in none of them."""
    entry = _JOIN_SAFE.get(id(rx))
    if entry is None or entry[0] is not rx:
        entry = _JOIN_SAFE[id(rx)] = (rx, regexcache.memo("join-safe", (rx.pattern, int(rx.flags)),
                                                          lambda: _finds_across_joins(rx)))
    return entry[1]


def _finds_across_joins(rx: re.Pattern) -> bool:
    try:
        safe = _join_safe(list(_P.parse(rx.pattern, rx.flags)), negative=False)
    except (re.error, TypeError, ValueError, AttributeError, RecursionError):
        safe = False
    return bool(safe and not rx.flags & (re.MULTILINE | re.DOTALL))


_NEWLINE_CATEGORIES = {_C.CATEGORY_SPACE, _C.CATEGORY_NOT_WORD, _C.CATEGORY_NOT_DIGIT}


def _join_safe(items, negative: bool) -> bool:
    for op, av in items:
        if op is _C.AT:
            if av not in (_C.AT_BOUNDARY, _C.AT_NON_BOUNDARY):
                return False  # \b and \B see a newline as they see a text's start or end
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            if not _join_safe(av[1], negative or op is _C.ASSERT_NOT):
                return False
        elif op is _C.BRANCH:
            if not all(_join_safe(alt, negative) for alt in av[1]):
                return False
        elif op is _C.SUBPATTERN:
            if av[1] & (re.DOTALL | re.MULTILINE) or not _join_safe(av[-1], negative):
                return False  # (?s:.) matches a newline, (?m:^) sees one
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) or op is getattr(_C, "POSSESSIVE_REPEAT", None):
            if not _join_safe(av[2], negative):
                return False
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            if not _join_safe(av, negative):
                return False
        elif op in (_C.GROUPREF, _C.GROUPREF_EXISTS):
            return False
        elif negative and _matches_newline(op, av):
            return False
    return True


def _matches_newline(op, av) -> bool:
    if op is _C.LITERAL:
        return av == 10
    if op is _C.NOT_LITERAL:
        return av != 10
    if op is _C.IN:
        negate = any(o is _C.NEGATE for o, _ in av)
        hit = any((o is _C.LITERAL and a == 10) or (o is _C.RANGE and a[0] <= 10 <= a[1])
                  or (o is _C.CATEGORY and a in _NEWLINE_CATEGORIES) for o, a in av)
        return hit != negate or (negate and any(o is _C.CATEGORY for o, _ in av))
    return False  # ANY does not match a newline without DOTALL


# --- literal-led rewriting ---------------------------------------------------------


_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT)
_CATEGORIES = {_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_NOT_DIGIT: r"\D", _C.CATEGORY_SPACE: r"\s",
               _C.CATEGORY_NOT_SPACE: r"\S", _C.CATEGORY_WORD: r"\w", _C.CATEGORY_NOT_WORD: r"\W"}
_ATS = {_C.AT_BEGINNING: "^", _C.AT_BEGINNING_STRING: r"\A", _C.AT_END: "$", _C.AT_END_STRING: r"\Z",
        _C.AT_BOUNDARY: r"\b", _C.AT_NON_BOUNDARY: r"\B"}
_LEAD_MAX_PAIRS = 600  # (first character, rest) alternatives a rewrite may produce
_LEAD_MAX_CLASS = 40   # characters of a set spelled out as alternatives
# a rewrite longer than this many times the pattern is not made: its compiling would cost more
# than its faster scan saves (the longest spell a long tail out once per first character)
_LEAD_GROWTH = 6


class _NotLiteralLed(Exception):
    pass


def literal_led(rx: re.Pattern, max_growth: float | None = _LEAD_GROWTH) -> re.Pattern | None:
    """An equivalent regex that starts with an alternation of literal characters, or None.

    ``re`` finds the candidates of a pattern that starts with a literal, a set, or an
    alternation whose branches each start with a literal by a tight scan over the text
    (its "charset prefix"); any other pattern, a lookahead included, is tried at every
    position, about five times slower on a page. Most rule patterns start with a group of
    words (``(?:{TRADER}…|退(?:貨|款)…)``), so the rewrite distributes the pattern over its
    possible first characters (``本(?:公司|網站)…|我們…|退(?:貨|款)…``), keeping the order
    of the alternatives, which keeps the first match, its span and its end: the same
    matches, found faster. A leading lookbehind moves behind the first character
    (``(?<!不)得`` -> ``得(?<!不得)``). Patterns with capturing groups, lazy repeats or a
    first item that cannot be spelled out (``.``, ``[^…]``, a lookahead) are left alone.
    """
    if rx.groups or rx.flags & (re.IGNORECASE | re.VERBOSE | re.DOTALL | re.MULTILINE | re.LOCALE):
        return None
    source = regexcache.memo("literal-led", (rx.pattern, int(rx.flags), max_growth),
                             lambda: _literal_led_source(rx, max_growth))
    try:
        return None if source is None else regexcache.compile(source, rx.flags)
    except (re.error, RecursionError):
        return None


def _literal_led_source(rx: re.Pattern, max_growth: float | None) -> str | None:
    try:
        parsed = _P.parse(rx.pattern, rx.flags)
        if _is_led(list(parsed)):
            return None  # already scanned fast
        state = parsed.state
        pairs = _derive(list(parsed), state)
        source = _unparse(_build(pairs, state), state)
        if max_growth is not None and len(source) > max_growth * len(rx.pattern):
            return None  # see _LEAD_GROWTH
        return source
    except (_NotLiteralLed, re.error, RecursionError, TypeError, ValueError, AttributeError, KeyError):
        return None


def _is_led(items: list) -> bool:
    while items and items[0][0] is _C.SUBPATTERN:
        items = list(items[0][1][3])
    if not items:
        return False
    # (an alternation of literal-led branches is scanned fast too, but each candidate
    # position then tries every branch: grouped by first character it tries one)
    return items[0][0] in (_C.LITERAL, _C.IN)


def _class_chars(av) -> list[str]:
    chars: list[str] = []
    for op, a in av:
        if op is _C.LITERAL:
            chars.append(chr(a))
        elif op is _C.RANGE and a[1] - a[0] < _LEAD_MAX_CLASS:
            chars += [chr(x) for x in range(a[0], a[1] + 1)]
        else:  # a negated set, a category (\d), a wide range
            raise _NotLiteralLed
    if len(chars) > _LEAD_MAX_CLASS:
        raise _NotLiteralLed
    return list(dict.fromkeys(chars))


def _derive(seq: list, state) -> list[tuple[str, list]]:
    """(c, tail) alternatives, in the order the regex tries them, with seq == c tail | …"""
    if not seq:
        raise _NotLiteralLed  # an empty match: no first character
    op, av = seq[0]
    rest = seq[1:]
    if op is _C.LITERAL:
        out = [(chr(av), rest)]
    elif op is _C.IN:
        out = [(c, rest) for c in _class_chars(av)]
    elif op is _C.SUBPATTERN:
        group, add_flags, del_flags, body = av
        if group is not None or add_flags or del_flags:
            raise _NotLiteralLed
        out = _derive(list(body) + rest, state)
    elif op is _C.BRANCH:
        out = []
        for alt in av[1]:
            out += _derive(list(alt) + rest, state)
    elif op is _C.MAX_REPEAT:
        lo, hi, body = av
        if body.getwidth()[0] == 0:
            raise _NotLiteralLed
        if hi == 0:
            return _derive(rest, state)
        left = [] if hi == 1 else [(_C.MAX_REPEAT, (max(lo - 1, 0), hi if hi is _C.MAXREPEAT else hi - 1, body))]
        out = _derive(list(body) + left + rest, state)
        if lo == 0:  # greedy: with one more, then without
            out = out + _derive(rest, state)
    elif op in (_C.ASSERT, _C.ASSERT_NOT) and av[0] == -1:
        # (?<!X)c… == c(?<!Xc)…: the lookbehind, widened by the character, after it
        out = [(c, [(op, (-1, _P.SubPattern(state, list(av[1]) + [(_C.LITERAL, ord(c))])))] + tail)
               for c, tail in _derive(rest, state)]
    else:
        raise _NotLiteralLed
    if len(out) > _LEAD_MAX_PAIRS:
        raise _NotLiteralLed
    return out


def _common_suffix(a: list, b: list) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] is b[-1 - n]:
        n += 1
    return n


def _alternation(seqs: list[list], state) -> list:
    """Items matching seqs[0] | seqs[1] | …, in that order, with consecutive shared tails
    (the same items, by identity) written once: a|b after the same X is (?:a|b)X."""
    runs: list[tuple[list[list], int]] = []
    for s in seqs:
        if runs:
            members, k = runs[-1]
            k2 = min(k, _common_suffix(members[0], s))
            if k2 > 0:
                runs[-1] = (members + [s], k2)
                continue
        runs.append(([s], len(s)))
    items = []
    for members, k in runs:
        if len(members) == 1:
            items.append(members[0])
        else:
            heads = [_P.SubPattern(state, m[:len(m) - k]) for m in members]
            items.append([(_C.SUBPATTERN, (None, 0, 0, _P.SubPattern(state, [(_C.BRANCH, (None, heads))])))]
                         + members[0][len(members[0]) - k:])
    if len(items) == 1:
        return items[0]
    return [(_C.BRANCH, (None, [_P.SubPattern(state, i) for i in items]))]


def _build(pairs: list[tuple[str, list]], state) -> list:
    # alternatives that start with different characters never match at the same position,
    # so grouping them by first character keeps the order that matters
    groups: dict[str, list[list]] = {}
    for c, tail in pairs:
        groups.setdefault(c, []).append(tail)
    alts = [_P.SubPattern(state, [(_C.LITERAL, ord(c))] + _alternation(tails, state)) for c, tails in groups.items()]
    return list(alts[0]) if len(alts) == 1 else [(_C.BRANCH, (None, alts))]


def _unparse(items, state) -> str:
    return "".join(_unparse_item(op, av, state) for op, av in items)


def _esc(code: int) -> str:
    return re.escape(chr(code))


def _unparse_item(op, av, state) -> str:
    if op is _C.LITERAL:
        return _esc(av)
    if op is _C.NOT_LITERAL:
        return f"[^{_esc(av)}]"
    if op is _C.ANY:
        return "."
    if op is _C.IN:
        out = []
        for o, a in av:
            if o is _C.NEGATE:
                out.insert(0, "^")
            elif o is _C.LITERAL:
                out.append(_esc(a))
            elif o is _C.RANGE:
                out.append(f"{_esc(a[0])}-{_esc(a[1])}")
            elif o is _C.CATEGORY:
                out.append(_CATEGORIES[a])
            else:
                raise _NotLiteralLed
        return "[" + "".join(out) + "]"
    if op is _C.BRANCH:
        return "(?:" + "|".join(_unparse(alt, state) for alt in av[1]) + ")"
    if op is _C.SUBPATTERN:
        group, add_flags, del_flags, body = av
        if group is not None or add_flags or del_flags:
            raise _NotLiteralLed
        return "(?:" + _unparse(body, state) + ")"
    if op in _REPEATS:
        lo, hi, body = av
        quant = f"{{{lo},}}" if hi is _C.MAXREPEAT else f"{{{lo},{hi}}}"
        return "(?:" + _unparse(body, state) + ")" + quant + ("?" if op is _C.MIN_REPEAT else "")
    if op in (_C.ASSERT, _C.ASSERT_NOT):
        direction, body = av
        head = {(_C.ASSERT, 1): "(?=", (_C.ASSERT, -1): "(?<=", (_C.ASSERT_NOT, 1): "(?!",
                (_C.ASSERT_NOT, -1): "(?<!"}[(op, direction)]
        return head + _unparse(body, state) + ")"
    if op is _C.AT:
        return _ATS[av]
    raise _NotLiteralLed


# --- negation scope --------------------------------------------------------------

# Constructions that make what follows them protective: the trader may NOT do it,
# the consumer need NOT bear it, the right is NOT affected.
_PROTECTIVE_BEFORE = regexcache.compile(
    # (「不可撤銷地放棄」 is irrevocably, not a negation)
    # (「本店不收取手續費…」, 「不另扣除」: the trader not charging; not 「不收退貨」, a refusal)
    r"(?:不得|不會|不可(?!撤銷|撤回|逆|分割)|不能(?!撤銷|撤回)|不應|不再|不以|不將|不把|不因|不向|絕不|並不|禁止|嚴禁|無權|毋須|無須|無需|不須|不需|不必|不用|免(?!費)|免除|免收|毋庸"
    r"|不(?:另|再|額外)?(?:收取|加收|酌收|扣除|扣)"
    # (「缺少外包裝不構成拒絕退貨之理由」)
    r"|不構成|不成為|不作為)"
    r"(?:以|因|藉|假借|就|對|向|要求|請求|收取|另行|另外|額外|再|任意|片面|單方|擅自|逕行|自行|隨意)?"
)
# (「我們不會因為你已經用過就拒絕退費」: the reason, then 就)
_PROTECTIVE_REASON = regexcache.compile(r"(?:不得|不會|不可|不能|不應|絕不|並不|禁止|不因|並非|非|不(?=以))(?:以|因|藉|假借).{0,40}?(?:為由|理由|為藉口|而|就|名義|名目)")
_UNAFFECTED = regexcache.compile(r"(?:不影響|不妨礙|無損|不減損|不限制|不排除|不減少|不致|仍(?:得|可(?!能)|享有|保有|享|有權|能)|依法享有|均可|皆可|一律可)")
_NEGATION_WINDOW = 12
# a negated verb that names a cause, not a protection: 「因使用或無法使用本服務所生之任何損害，均不負…」
# a turn ends the negator's reach: 「不會啦 😂 但我們保留隨時停止訂閱服務的權利」
_TURN = regexcache.compile(r"但|不過|可是|然而")
_CAUSED_BY = regexcache.compile(r"所生|所致|所造成|造成|導致|引起|而生|衍生")
# 「不得以任何名目收取費用或自退款中扣除」: a verb phrase joined by 或/及 to a negated one, in the
# same phrase, is negated too (what lies between the negator and the hit, ending in the coordinator)
# (「不會以此拒絕退貨或逕自收取固定整新費」: the joined phrase may lead up to the hit with a few words)
# (「不會收取整新費、手續費或從退款中扣除」: the negated verb's objects may be listed with 、)
_COORDINATED = regexcache.compile(r"(?:[^,;:。、]{1,8}、){0,4}[^,;:。、]*(?:或是|或者|以及|或|及)(?:自|從|由|向|對|將|再|逕自|逕行|另行|另外|額外)?(?:收取|加收|酌收|扣除|扣|收)?(?:任何|固定|額外)?")
_COORDINATION_WINDOW = 30
# (「有沒有送達一律以…為準」: 有沒有 asks whether, it negates nothing)
_PROTECTIVE_MENTION = regexcache.compile(
    # (「本店並未將其定為「參考用」」: the wording named to refuse it)
    r"(?:不會|不得|絕不|並不|從不|決不|(?<!有)沒有|不再|未曾|並未|無)(?:在|於)?[^,;:。]{0,14}?"
    r"(?:寫|記載|載明|列入|放入|使用|主張|約定|加上|出現|採用|定為?|列為?|標為?|標示為?|註明|稱為?)(?:什麼|任何|這種|此類|類似|有)?"
    r"|(?:不包含|不包括|不含|未包含|未載有|並無|(?<!有)沒有|絕無)(?:任何|這種|此類|類似)?")
# 「本店不保留…最終解釋權」, 「並未保留任何…之權利」, 「不享有…」: a power disclaimed, up to the
# end of its phrase
_DISCLAIMED = regexcache.compile(r"(?:不|並不|並未|未曾|未|絕不|決不|從未|從不|毋)(?:保留|享有|擁有|具有|具備|保有|持有|主張)")
_OPENS_DISCLAIMED = regexcache.compile(MACROS["TRADER"] + r"(?:亦|也|並|絕|決|從)?(?P<neg>不|未|並未|未曾|無|沒有|並無|絕不|從未|從不)"
                               r"(?:保留|享有|擁有|具有|保有|持有|有權)")
_NO_POWER_BEFORE = regexcache.compile(r"(?:無|沒有|並無|毫無|不具)(?:任何)?$")
_POWER_NOUN = regexcache.compile(r"(?:之|的)?(?:權利|權限|權)(?!益)")
# 「本公司仍得保留…」: the trader keeping a power of its own is not a protected right
# 「…終止會員後，仍得永久保存並利用您的個人資料」: what is kept is the trader's use of the data
_KEEPS_DATA = regexcache.compile(r"(?:永久|繼續|持續|無限期|長期|無期限)?(?:地)?(?:保存|保留|留存|利用|蒐集|處理)")
_TRADER_KEEPS = regexcache.compile(MACROS["TRADER"] + r".{0,6}仍(?:得|可|有權|能|保有)$")


_DELETED_BEFORE = regexcache.compile(r"(?:刪除|廢止|刪去|移除|刪掉|廢除)(?:原|舊|舊有)?[^,;:。]{0,16}$")
_STRUCK_TAIL = regexcache.compile(r"(?:之|的)(?:規定|文字|條文|約定|字樣|用語|條款)")
_OLD_RULE_MARK = regexcache.compile(r"(?:以前|之前|過去|舊制|舊版|原本|原規定|修改前|修正前|before)[:]")
_NEW_RULE_MARK = regexcache.compile(r"→|->|⇒|(?:現在|目前|新制|新版|改為|改成|修改後|修正後|after)[:]")
def in_old_rule(clause: str, pos: int) -> bool:
    """Is ``pos`` in the old rule of a before-and-after list (「以前：買課 3 天內才能退 → 現在：7 天內全額退」)?"""
    old = None
    for old in _OLD_RULE_MARK.finditer(clause, 0, pos):
        pass
    return old is not None and not _NEW_RULE_MARK.search(clause, old.end(), pos) and bool(_NEW_RULE_MARK.search(clause, pos))


def new_rule_start(clause: str, pos: int) -> int:
    """Where the new rule begins that ``pos`` is part of, in a before-and-after list
    (「以前：食材包出貨就不退 → 現在：工具 7 天內可退」), else 0: what came before it is the old rule."""
    old = _OLD_RULE_MARK.search(clause, 0, pos)
    if old is None:
        return 0
    new = None
    for new in _NEW_RULE_MARK.finditer(clause, old.end(), pos):
        pass
    return new.end() if new is not None else 0


_OTHERS_WORDING = regexcache.compile(r"(?:別家|別人家?|其他店家|其他賣家|很多店家|很多賣家|有些店家|有些賣家|同業|其他網店|很多賣場)[^。]{0,16}?(?:寫|寫著|寫說|標示|標)[:]?[^。]{0,20}$")
# (normalisation drops the quotation marks: the quoted words follow the verb directly)
# (「剛開店那年，我照抄了網路上找到的範本，寫了「所有商品拆封後恕不退換」」)
_PAST_QUOTE = regexcache.compile(r"(?:(?:以前|之前|過去|早期|從前|以往)[^,;。]{0,12}(?:寫過|用過|貼過|放過)|(?:剛開店|開店初期|那年|當年|那時候?)[^。]{0,16}?(?:寫過|照抄|寫了))[:]?[^,;。]{0,24}$")
_OLD_WORDING = regexcache.compile(r"舊版|舊有|原本|原先|先前|過去|以前|舊條款")
_STRUCK_OUT = regexcache.compile(r"(?:之|的)(?:文字|規定|條文|條款|約定|說明|用語)(?:已|均已|業已|現已)(?:全部|一併|全數)?(?:刪除|廢止|移除|刪去|取消|刪掉)")


def negated(clause: str, hit_start: int) -> str | None:
    """Name the protective construction that governs the hit at ``hit_start``, or None.

    Looks only backwards within the clause: 「本公司不得以商品已拆封為由拒絕退貨」
    governs 「拒絕退貨」; 「特價商品恕不退貨」 has no governing construction, its
    negation is part of the hit.
    """
    before = clause[:hit_start]
    if in_old_rule(clause, hit_start):
        return "舊規定（已改）"
    # wording deleted by an amendment (「刪除原第二十條「本公司保留最終解釋權」之規定」)
    if _DELETED_BEFORE.search(before[-24:]) and _STRUCK_TAIL.search(clause, hit_start, hit_start + 40):
        return "已刪除之舊文字"
    # wording the writer quotes as what it once wrote (「以前我還在頁尾寫過「本店保留最終解釋權」，後來…」)
    if _PAST_QUOTE.search(before[-30:]):
        return "過去之文字（已不再使用）"
    # wording the writer quotes from other shops (「每次看到別家商品頁最下面寫「圖片僅供參考，以實物為準」，我都會皺眉」)
    if _OTHERS_WORDING.search(before[-40:]):
        return "他人之文字（引述）"
    # wording quoted as struck out (「舊版「退貨須經客服審核後方可寄回」之文字已全部刪除」)
    if _OLD_WORDING.search(before[-16:]) and _STRUCK_OUT.search(clause, hit_start, hit_start + 60):
        return "已刪除之舊文字"
    # a hit that opens with the trader disclaiming a power (「本公司絕不保留取消任何訂單的權利」)
    # or a power the trader says it has not (「本公司無隨時變更條款之權」)
    m = _OPENS_DISCLAIMED.match(clause, hit_start)
    if m is not None:
        return m.group("neg")
    if _NO_POWER_BEFORE.search(before[-6:]):
        end = clause.find(",", hit_start)
        if _POWER_NOUN.search(clause, hit_start, len(clause) if end == -1 else end):
            return _NO_POWER_BEFORE.search(before[-6:]).group()
    # the hit begins with the second half of a negated compound: 無|須, 不|需, 毋|須
    if before[-1:] in ("無", "毋", "不", "免", "勿") and clause[hit_start:hit_start + 1] in "須需必用得應要":
        return before[-1:] + clause[hit_start:hit_start + 1]
    window = before[-_NEGATION_WINDOW:]
    # a direct negator just before the hit (不得/無須/免 …), not separated by a comma
    m = None
    for m in _PROTECTIVE_BEFORE.finditer(window):
        pass
    if m is not None and "," not in window[m.end():] and not _CAUSED_BY.search(window, m.end()) \
            and not _TURN.search(window, m.end()) and not (
            ("、" in window[m.end():] or window[-1:] in "也亦且又")
            and clause[hit_start:hit_start + 1] in "不無恕概沒拒謝婉"):
        # (「不可取消、不可退」, 「不能取消也不能退貨」: a hit that carries its own negator after
        # 、 or 也 is a new item)
        return m.group()
    window = before[-_COORDINATION_WINDOW:]
    m = None
    for m in _PROTECTIVE_BEFORE.finditer(window):
        if _COORDINATED.fullmatch(window, m.end()) and not _CAUSED_BY.search(window, m.end()) \
                and not _TURN.search(window, m.end()):
            return m.group()
    # 「我們不會在條款裡寫什麼『本店保留最終解釋權』」: a negated verb of writing or
    # claiming governs what it mentions, up to the end of its phrase
    mention = None
    for mention in _PROTECTIVE_MENTION.finditer(before[-36:]):
        pass
    if mention is not None and not re.search(r"[,;:]", before[-36:][mention.end():]) \
            and not _CAUSED_BY.search(before[-36:], mention.end()):
        return mention.group()
    disclaimed = None
    for disclaimed in _DISCLAIMED.finditer(before[-24:]):
        pass
    if disclaimed is not None and not re.search(r"[,;:]", before[-24:][disclaimed.end():]):
        return disclaimed.group()
    reason = None
    for reason in _PROTECTIVE_REASON.finditer(before):
        pass
    if reason is not None:
        return reason.group()
    tail = before[-30:]
    unaffected = None
    for unaffected in _UNAFFECTED.finditer(tail):
        pass
    if unaffected is not None and not _TRADER_KEEPS.search(tail[:unaffected.start()][-8:] + unaffected.group()) \
            and not _KEEPS_DATA.match(tail, unaffected.end()):
        return unaffected.group()
    return None


# --- numbers and durations ------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def parse_number(token: str) -> float | None:
    """'15' -> 15, '十五' -> 15, '二十四' -> 24, '一百' -> 100, '半' -> 0.5."""
    if not token:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    if token == "半":
        return 0.5
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return float(total + current)


# unit -> (days per unit, working-day flag)
_UNITS = [
    (r"個?工作天|個?工作日|個?營業日|個?上班日|個?銀行營業日|(?:business|working)days?", 1.0, True),
    (r"個?小時|hours?|hrs?|h(?![a-z])", 1 / 24, False),
    (r"個?星期|個?禮拜|週|周|weeks?", 7.0, False),
    (r"個?月|months?", 30.0, False),
    (r"年|years?", 365.0, False),
    (r"個?日曆天|個?日曆日|個?自然日|天|日|calendardays?|days?", 1.0, False),
]
_UNIT_RE = "|".join(f"(?P<u{i}>{u})" for i, (u, _, _) in enumerate(_UNITS))
# digits are ASCII after normalisation; [0-9] (not \d) lets the scan skip to them
_DURATION = with_first_chars(regexcache.compile(
    r"(?P<n1>[0-9]+(?:\.[0-9]+)?|[零〇一二兩三四五六七八九十百]+|半)"
    r"(?:\s*(?:~|-|至|到)\s*(?P<n2>[0-9]+(?:\.[0-9]+)?|[零〇一二兩三四五六七八九十百]+))?"
    r"(?:-(?=[a-z]))?(?P<unit>" + _UNIT_RE + r")"  # "7-day"
))
DURATION_RE = _DURATION  # a number with a unit of time, before the date filters of durations()
# a date like 6月1日 or 2024年 is not a duration
_DATE_CONTEXT = regexcache.compile(r"(?:\d|[一二三四五六七八九十])+月$|\d{4}年$|(?:每|次|隔|當|本|上|下|這)個?月$")
_DATE_AFTER = regexcache.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})[日號]")
# 2016年10月 / 民國105年1月: a year of a date, not a number of years
_MONTH_AFTER = regexcache.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[元正])月|度")

EVENTS = {
    # (a service is received when it is supplied: 消保法 §19 I 「接受服務」)
    "receipt": r"接受服務|(?:服務|課程|訂閱|帳號|會員)(?:之)?開通|開通(?:服務|課程)|收到|收受|收貨|到貨|簽收|取貨|取件|貨到|送達|領取|拿到|收件|寄達|到達|交付|收取商品|收訖|取得商品|配達|送抵|抵達|到手|交車|安裝完成|delivery|delivered|receipt|received|receiving|receive|arrival",
    "order": r"下單|訂購|訂單成立|訂單(?:確認|送出)|(?:確認|送出)訂單|購買日|購買當|購買後|結帳|訂貨|成立訂單|訂單日|訂單完成|付款完成後?下單|(?<!完)成交|得標|結標|購買之日|(?<![a-z])order(?:ing|ed|date)?|purchase",
    "ship": r"出貨|發貨|寄出|出倉|送出|寄送日|配送日|交寄|出庫|寄件日|發送日|shipment|shipping|shipped|dispatch",
    "pay": r"付款|繳費|匯款|刷卡|入帳|完成付款|扣款|payment",
    # (an invoice is issued on payment or shipping, not on receipt: 「期間自發票開立日起七日內計算」)
    "invoice": r"發票開立|開立發票|發票(?:之)?(?:開立)?日|開票日|invoice",
    "request": r"申請|通知|提出|聯繫|聯絡|來信|收到退貨|收到退回|取回|退回商品|退貨完成|收到.{0,4}商品退回|驗收|填寫|填妥|回覆|回信|核准|審核|寄出退|退貨單",
}
_EVENT_RE = {k: regexcache.compile(pattern_form(v)) for k, v in EVENTS.items()}


@dataclass(frozen=True, slots=True)
class Duration:
    start: int
    end: int
    value: float  # the larger end of a range, in units
    unit_days: float
    working: bool
    text: str

    @property
    def days(self) -> float:
        """Calendar days; working days count as longer than days (×7/5, rule-catalogue S01)."""
        d = self.value * self.unit_days
        return d * 7 / 5 if self.working else d


def durations(text: str) -> list[Duration]:
    out = []
    for m in _DURATION.finditer(text):
        unit_index = next(i for i in range(len(_UNITS)) if m.group(f"u{i}"))
        _, per, working = _UNITS[unit_index]
        if per == 1.0 and not working and _DATE_CONTEXT.search(text[max(0, m.start() - 5):m.start()]):
            continue
        if per == 365.0 and _MONTH_AFTER.match(text, m.end()):
            continue  # 2016年10月 is a date
        if per == 30.0 and _DATE_AFTER.match(text, m.end()):
            continue  # 6月1日 is a date
        start, raw = m.start(), m.group("n1")
        if "." in raw and m.start() == 0 and not m.group("n2"):
            # 「4. 10 天猶豫期」, 「3. 7 天內可退」 at a line's start, its space gone: an item's number and
            # the days (a decimal of days, 「1.5 天」, has one digit after the point, below seven)
            head, _, frac = raw.partition(".")
            if len(head) <= 2 and (len(frac) >= 2 or int(frac) >= 7):
                raw = frac
                start += len(head) + 1
        n1 = parse_number(raw)
        n2 = parse_number(m.group("n2")) if m.group("n2") else None
        if n1 is None:
            continue
        # "一日" inside words like 一日千里 or "每日" are rare in terms; "日" after 月 was skipped above
        value = max(n1, n2 or 0)
        if text[m.start() - 1:m.start()] == "第" and value < 3:
            continue  # 「以簽收日為第一天」 numbers a day, it is no period
        if value <= 1 and text[m.start() - 1:m.start()] in _ONE_AS_A_DAY:
            continue  # 「簽收的那一天的隔天開始算」, 「扣款的那一年」: a day or year in time, not a period
        if per == 1.0 and not working and _EXCL_HOLIDAYS.match(text, m.end()):
            working = True  # 「10天（不含假日）」 counts working days
        out.append(Duration(start, m.end(), value, per, working, text[start:m.end()]))
    return out


# the starting event named after a duration: 「七日（自訂單成立日起算）」, 「7天，以簽收日起算」,
# "within 7 days of delivery"
# (「七天鑑賞期，期限自商品出貨日起算」, 「七天的退貨期間從收到商品的隔天開始算」: the period named
# again before its start)
_EVENT_AFTER = regexcache.compile(r"(?:內|之內|以內|期間|期限|間)?[,(:]?(?:.{0,4}?|(?:的|之)?(?:鑑賞期|猶豫期|解除權|退貨期|退貨|退換貨|解除契約|解約)?[,(:]?(?:期限|期間|天數|日數)(?:均|皆|一律)?)(?:自|從|由|以|依|按)(?P<ev>.{1,12}?)(?:之?(?:翌日|次日|隔日|當日|當天)?(?:起算|起|開始|計算|為準|計))"
                          r"|(?:內|之內|以內)?(?:of|from|after|following)(?:the|your|our)?(?:day)?(?:you|we)?(?P<en>[a-z]{4,12})")


_ONE_AS_A_DAY = ("那", "這", "同", "某", "前")
_EXCL_HOLIDAYS = regexcache.compile(r"(?:內|之內|以內)?[(,]?(?:不含|扣除|不計|不包含|未含)(?:例|國定)?(?:假日|週末|周末|六日|例假)")


def event_after(text: str, pos: int) -> str | None:
    """The starting event a construction right after ``pos`` names (自…起算 / of delivery)."""
    m = _EVENT_AFTER.match(text, pos)
    if not m:
        return None
    segment = m.group("ev") or m.group("en") or ""
    for name, rx in _EVENT_RE.items():
        if name != "request" and rx.search(segment):
            return name
    return None


_BEFORE_EVENT = regexcache.compile(r"(?:之|以)?前|before")


def event_before(text: str, pos: int, window: int = 24) -> str | None:
    """The starting event named closest before ``pos`` (收到 → receipt, 下單 → order …)."""
    segment = text[max(0, pos - window):pos]
    best, best_pos = None, -1
    for name, rx in _EVENT_RE.items():
        for m in rx.finditer(segment):
            if _BEFORE_EVENT.match(segment, m.end()):
                continue  # 「出貨前取消」: a time before the event, not counted from it
            if m.end() > best_pos:
                best, best_pos = name, m.end()
    if best is not None and _STILL_APPLIES.search(segment, best_pos):
        return None  # 「出貨後仍適用第四點之七日解除權」: the right goes on, it is not counted from then
    return best


# (between the event and the period: the period still applies after the event)
_STILL_APPLIES = regexcache.compile(r"(?:仍|一樣|同樣|也|亦|依然|照樣|依舊|均|皆)(?:可以?|得|能)?(?:適用|享有|享|有)"
                            r"|(?:可以|可|得)?依(?:照)?(?:上面|上述|前述|前項|第[一二三四五六七八九十\d]+(?:點|條|項))")


# --- 準則 §2: the closed list of lawful exceptions ------------------------------------

@dataclass(frozen=True)
class Category:
    key: str
    label: str
    lawful: bool
    pattern: re.Pattern
    condition: re.Pattern | None = None  # what must also be said for the exception to hold
    condition_label: str = ""
    # words that carry the exclusion past that condition (「無論是否拆封」, 「就算還沒按下載」)
    beyond: re.Pattern | None = None
    beyond_label: str = ""


def _c(key, label, lawful, pattern, condition=None, condition_label="", beyond=None, beyond_label=""):
    return Category(key, label, lawful, regexcache.compile(pattern_form(pattern)),
                    regexcache.compile(pattern_form(condition)) if condition else None, condition_label,
                    regexcache.compile(pattern_form(beyond)) if beyond else None, beyond_label)


# durable everyday goods, plainly in no 準則 §2 category (matched after the words of a lawful
# category are taken out, so 奶瓶, 刮鬍刀, 隱形眼鏡 stay hygiene goods)
_ORDINARY_GOODS = (r"乾燥花|永生花|不凋花|盆器|花器|花盆|工具|用具|器具|器材|器皿|五金|零件|家飾|擺飾|裝飾品|窗簾|地毯|地墊|桌巾|"
                   r"背包|後背包|皮夾|皮包|提袋|帽子|圍巾|手套|皮帶|領帶|眼鏡|太陽眼鏡|墨鏡|雨傘|陽傘|行李箱|"
                   r"鍋具|鍋子|平底鍋|刀具|砧板|保溫瓶|水壺|餐盤|碗盤|花瓶|相框|時鐘|掛鐘|鬧鐘|桌子|椅子|桌椅|椅墊|沙發|櫃子|書櫃|書架|"
                   r"電器|吸塵器|吹風機|電風扇|風扇|除濕機|清淨機|咖啡機|充電器|充電線|傳輸線|行動電源|滑鼠|鍵盤|螢幕|喇叭|音響|"
                   r"手機殼|保護殼|保護貼|相機包|樂器|吉他|球拍|球具|運動器材|健身器材|露營|帳篷|自行車|腳踏車|安全帽|車用|汽車用品|"
                   r"寵物用品|寵物玩具|項圈|牽繩|貓砂盆|模型|公仔|積木|拼圖|桌遊|畫具|畫材|筆記本|鋼筆|手帳")
_OPENED = r"拆封|開封|拆開|開啟|啟封|已使用|使用過|試用|拆除包裝|破壞包裝|撕開|開通|兌換|刮開|啟用|拆除(?:密封)?(?:收縮膜|封膜|膜|封口)|撕除(?:封膜|封口)|opened|unsealed|used|worn"
# an exclusion that reaches unopened goods (「無論是否拆封」, 「未拆封者亦同」: §2(4) and (6) cover opened
# goods only) or content not yet supplied (「就算還沒按下載也一樣」: §2(5) covers content supplied)
_REGARDLESS_OPENED = (r"(?:無論|不論|不管)(?:是否|有無|有沒有|有否)?(?:已)?(?:拆封|開封|拆開|使用)|(?:即使|即便|縱使|就算)(?:是)?(?:未|沒有?)(?:拆封|開封|拆開|使用)"
                      r"|(?:未|沒有?)(?:拆封|開封|拆開|使用)(?:者|的|之商品)?(?:亦同|也一樣|亦然|一樣不|也不|亦不)")
_BEFORE_SUPPLY = (r"(?:就算|即使|即便|縱使|哪怕)(?:是)?(?:還)?(?:沒有?|未)(?:按)?(?:下載|開通|兌換|開始(?:觀看|使用)|啟用)"
                  r"|(?:未|沒有?)(?:下載|開通|兌換|啟用)(?:者|的)?(?:亦同|也一樣|亦然|也不)")
LAWFUL = [
    _c("perishable", "易於腐敗、保存期限較短或解約時即將逾期之商品（準則第2條第1款）", True,
       r"第(?:二|2)條第(?:一|1)款|生鮮|易腐|易於腐敗|腐敗|保存期限?(?:較)?短|保存期限在|賞味期|效期較短|即期|即將(?:到期|逾期|過期)|冷藏|冷凍|蛋糕|麵包(?!蟲)|鮮花|(?<!乾燥)(?<!永生)(?<!不凋)(?<!香皂)花束|盆花|切花|食材包|生鮮食材|冷藏食材|冷凍食材|蔬果|蔬菜|水果|海鮮|漁獲|肉品|生肉|鮮奶|鮮乳|熟食|便當|甜點|鮮食|現做|現烤|手工餅乾|鮮果|果汁|生菜|豆腐|鮮蛋|雞蛋|鮮魚|生魚|壽司|餐點|餐盒|perishable|freshfood|frozenfood|flowers|cakes?|水餃|餃子|包子|湯圓|粽子|冰品|冰淇淋|冷萃|優格|優酪乳|乳酪|起司|布丁|鮮奶油|生乳|鮮蝦|蝦仁|螃蟹|蟹肉|生蠔|牛排|雞肉|豬肉|牛肉|鮭魚|生鮮|冷藏品|冷凍品"),
    _c("custom", "依消費者要求所為之客製化給付（準則第2條第2款）", True,
       r"客製|客制|訂製|訂做|定製|定做|量身|刻字|刻印|刻名|雕刻|燙金|繡字|繡名|開印|(?:為|依|替)(?:您|你)(?:的)?(?:度數|處方|鏡片)[^,;。]{0,6}?(?:切割|裁切|加工)|繡(?:上)?(?:學號|姓名|名字|文字|縮寫)|印製|印刷.{0,6}(?:照片|相片|姓名|名字|文字|圖案|logo)|照片|相片|依.{0,8}(?:要求|指示|指定|提供之|需求|設計)|個人化|專屬|手作.{0,4}訂單|personali[sz]ed|custom-?made|made-?to-?order|engraved|monogram|刻有|刻上|印有|印上|(?:您|消費者|客戶|顧客|買家|會員)(?:所)?(?:指定|提供)(?:之|的)?(?:文字|圖案|照片|相片|姓名|名字|logo|字樣|設計|圖檔)|確認(?:之|的)?(?:刻印|刻字|印製)?文字[^,;。]{0,12}?(?:後|才|始)[^,;。]{0,4}?製作"),
    _c("press", "報紙、期刊或雜誌（準則第2條第3款）", True, r"第(?:二|2)條第(?:三|3)款|報紙|期刊|雜誌|刊物|週刊|月刊|magazines?|newspapers?|periodicals?"),
    _c("av_software", "經消費者拆封之影音商品或電腦軟體（準則第2條第4款）", True,
       r"第(?:二|2)條第(?:四|4)款|影音|cd|dvd|藍光|blu-?ray|唱片|黑膠|專輯|錄音帶|電腦軟體|軟體|遊戲光碟|遊戲片|光碟|電影|(?<!開箱)(?<!錄影)(?<!拍攝)影片|software|dvds?|vinyl", _OPENED, "已拆封",
       _REGARDLESS_OPENED, "未拆封者亦排除（例外限於已拆封者）"),
    _c("digital", "非以有形媒介提供之數位內容或一經提供即為完成之線上服務，經消費者事先同意（準則第2條第5款）", True,
       r"第(?:二|2)條第(?:五|5)款|數位內容|數位商品|數位版|電子版|(?:開通|觀看|線上)(?:之)?課程|開通[^,;。]{0,6}課程|課程(?:於)?開通|開通觀看|課程內容|(?:線上)?占卜|上完的(?:那)?(?:一)?堂課|立即提供[^,;。]{0,6}?服務|雲端(?:空間|訂閱|服務|儲存)|開通[^,;。]{0,8}(?:服務|方案|權限)|(?:電子|數位|下載|列印|版型|pdf)檔(?:案)?|電子書|線上課程|線上影音|線上服務|下載|序號(?!卡)|虛擬(?:商品|寶物|貨幣)|遊戲點數|點數卡|點數[^,;。]{0,4}(?:入帳|匯入|儲值|發送至)|儲值|串流|電子票|e-?book|app內購|線上諮詢|訂閱內容",
       r"同意|勾選|確認後(?:始|才|方)?提供|開通|下載|啟用|兌換|提供後|已提供", "消費者事先同意",
       _BEFORE_SUPPLY, "尚未提供者亦排除（例外限於經消費者事先同意而已提供者）"),
    _c("hygiene", "已拆封之個人衛生用品（準則第2條第6款）", True,
       r"第(?:二|2)條第(?:六|6)款|個人衛生用品|衛生用品|貼身衣物|內衣|內褲|胸罩|襪|underwear|lingerie|socks|swimwear|toothbrush|hygiene|泳衣|泳裝|泳褲|牙刷|刷頭|牙線|月經杯|月亮杯|護墊|耳套|刀片|刀頭|粉撲|化妝棉|化妝海綿|美妝蛋|海綿|棉花棒|棉棒|洗臉巾|拋棄式|假睫毛|修眉刀|剃刀|刮鬍刀|浴帽|澡巾|沐浴球|月經褲|生理褲|乳墊|胸貼|胸墊|固齒器|咬咬樂|潤滑液|刮鬍|刮鬚|隱形眼鏡|(?:鋁箔|泡殼)[^,;。]{0,6}鏡片|日拋|月拋|雙週拋|衛生棉|棉條|口罩|耳塞|睡衣|情趣用品|按摩棒|保險套|奶嘴|奶瓶|吸乳器|尿布|牙套|貼身|吸管|咬嘴",
       _OPENED, "已拆封", _REGARDLESS_OPENED, "未拆封者亦排除（例外限於已拆封者）"),
    _c("air", "國際航空客運服務（準則第2條第7款）", True, r"國際航空|國際機票|國際線|(?<!國內)(?<!國內線)機票|航空客運"),
]
_UNPLACED = "未列於準則第2條之商品"
_CITED = regexcache.compile(r"第(?:二|2)條第([一二三四五六七1-7])款")
_CITED_ITEM = {"一": "perishable", "1": "perishable", "二": "custom", "2": "custom", "三": "press", "3": "press",
               "四": "av_software", "4": "av_software", "五": "digital", "5": "digital", "六": "hygiene", "6": "hygiene",
               "七": "air", "7": "air"}
# (not 「不論有無刻字」: with or without)
_NOT_CUSTOMISED = regexcache.compile(r"(?<![有])(?:沒有|沒|未|無|不含|不需|免)(?:刻字|刻名|刻印|繡字|繡名|印字|客製化?|訂製|加工)(?:的|之)?")
# a shelf life of a month or more, stated (「保存期限為出廠後九十日」, 「保存期限12個月」), and the words
# that make goods perishable only by calling their shelf life short
_LONG_SHELF_LIFE = regexcache.compile(pattern_form(
    r"(?:保存期限|保存期間|有效期限|賞味期限?|效期)[^,;。]{0,10}?(?:(?:[3-9]\d|[1-9]\d{2,})\s*(?:日|天)"
    r"|[三四五六七八九]十[一二三四五六七八九]?(?:日|天)|[一二三四五六七八九]?百[^,;。]{0,3}?(?:日|天)"
    r"|(?:\d+|[一二兩三四五六七八九十]+)\s*個?(?:月|年)|半年)"))
_SHELF_LIFE_WORDS = regexcache.compile(r"保存期限?(?:較)?短|保存期限在|賞味期|效期較短")
# Grey zone: plausibly hygiene, but not obviously; a person must judge (rule-catalogue P05).
GREY = [
    _c("cosmetics", "化妝品或保養品（是否屬個人衛生用品須個案判斷）", False,
       r"化妝品|化粧品|保養品|彩妝|香水|乳液|面膜|精華液|唇膏|口紅|粉底|手工皂|肥皂|香皂|泡澡球|沐浴鹽|磨砂膏|洗髮|沐浴乳|保健食品|保健品|營養品|食品|食材|茶葉|咖啡豆|酒類|寵物食品|飲品|零食"),
]
UNLAWFUL = [
    _c("sale", "特價、促銷、折扣或出清商品", False,
       r"特價|特惠|優惠|折扣|打折|促銷|出清|清倉|(?<![a-z])sale(?!s)|finalsale|saleitems?|clearance|discounted|promotional|加價購|加購(?:品|商品|價|區|活動)|限量|聯名|限定款|限定版|紀念款|盲盒|抽抽樂|扭蛋|驚喜盒|清庫存|破盤|秒殺|特賣|會員價|買一送一|組合價|福袋|福箱|驚喜包|限時|快閃|拍賣|團購(?!文|貼文|頁|公告|說明|須知|規則|主)|活動商品|活動價|下殺|換季|過季|零碼|格外品|即期品?折扣|暢貨|outlet"),
    _c("preorder", "預購商品", False, r"預購|預訂|預售|代購|海外代購|訂貨商品|調貨|叫貨|海外直送|跨境"),
    _c("used", "二手、展示或瑕疵品", False, r"二手|中古|展示品|展示機|福利品|福利機|九成新|古著|瑕疵品|ng品|樣品|整新品|整新機|拆封品"),
    _c("fake_custom", "僅就現有顏色、尺寸或規格所為之選擇，或接單後始生產之一般商品（非準則所稱客製化）", False,
       r"(?:顏色|尺寸|尺碼|規格|款式|花色|材質|選項|口味|組合).{0,12}(?:客製|訂製|訂做)|(?:客製|訂製|訂做).{0,12}(?:顏色|尺寸|尺碼|規格|款式|花色|選項|組合)|選擇.{0,8}(?:顏色|尺寸|規格|款式)"),
    _c("ordinary", "一般商品（不在準則第2條所列範圍）", False,
       r"服飾|衣服|衣物|上衣|褲子|外套|洋裝|鞋|包包|飾品|配件|首飾|手錶|3c|電子產品|手機|電腦|筆電|平板|耳機|相機|家電|家具|寢具|燈具|玩具|文具|書籍|圖書|雜貨|生活用品|廚具|餐具|香氛|蠟燭|杯|" + _ORDINARY_GOODS + r"|商品一經售出|所有商品|全部商品|全館商品|本店商品|本站商品|任何商品"),
]
_OPENED_RE = regexcache.compile(_OPENED)
_LIVE = regexcache.compile(r"活體|有生命|生命體|活魚|活蝦|植株|苗木|樹苗|盆栽|植栽|盆花|觀賞魚|水族生物|爬蟲|昆蟲活餌|活餌")
_LIVE_PERISHABLE = regexcache.compile(r"易於腐敗|易腐|保存期限?(?:較|很|僅|只有|約|為)?(?:短|\d|[一二三四五六七八九十])|賞味期")
_LIVE_LABEL = "活體動植物（是否屬易於腐敗、保存期限較短之商品，須個案判斷）"
_ORDINARY = next(c for c in UNLAWFUL if c.key == "ordinary")
_SHOP_NAME = regexcache.compile(r"(?:" + _ORDINARY.pattern.pattern + r")(?:線上商店|網路商店|購物網|商城|專賣店|專門店|旗艦店|商行|工作室|生活館|小舖|小鋪|[行店館舖鋪坊社屋])")
_FAKE_CUSTOM = next(c for c in UNLAWFUL if c.key == "fake_custom")
_CONDITION_USED = regexcache.compile(r"opened|unsealed|(?<![a-z])used|worn|拆封|開封|拆開|拆了|拆過|拆掉|打開|開過|已使用|使用過|經使用|使用後|使用痕跡|用過|配戴|戴過|穿過|洗過|試穿|試用|非全新|不再全新|下水|洗滌|剪標|剪掉|剪牌|吊牌|標籤|包裝(?:已)?(?:拆|破|毀|損)|外包裝.{0,4}(?:拆|破|損)|開箱|組裝|開機|啟用|安裝|註冊|激活")
_CONDITION_DAMAGE = regexcache.compile(r"毀損|損壞|損毀|污損|汙損|刮傷|人為|故意|不當使用|可歸責於(?:消費者|您|買家|會員)|缺件|短少|遺失")


_OTHERS_RETURNABLE = regexcache.compile(r"(?:其餘|其他)[^。;,]{0,12}(?:均|皆|都|仍|一律)(?:可|得|可以|能)(?:於[^。;,]{0,10})?(?:退貨|退換|解除|辦理退貨)"
                                # (「背巾、腰凳、推車掛包這些都不在這個範圍內」: goods said to be outside the exclusion)
                                # (「但特價品不在此範圍內」 after a grant excludes them: the 這些/都 of a list set aside is needed)
                                r"|[^。;,]{1,30}?(?:(?:這些|以上|上述)(?:都|均|皆)?|都|均|皆)不在(?:這個|此|上述|前述|本|該)?(?:排除)?範圍(?:內|之內)?")
_INTANGIBLE = regexcache.compile(r"非以有形媒介|無實體媒介|無實體|不含實體|線上下載|數位下載|下載版|下載連結|電子郵件寄送|以電子郵件提供")
_ON_MEDIUM = regexcache.compile(r"盒裝|光碟|實體|包裝")


@dataclass(frozen=True)
class Placement:
    verdict: str  # lawful | unlawful | review
    categories: tuple[str, ...]
    reason: str


# what makes a customisation genuine (準則 §2(2), 立法說明 in legal/reference.md §3.3): the
# consumer's own specification — a photo, an engraving, measurements, a design
_SPEC = regexcache.compile(r"依(?:照)?(?:您|消費者|客戶|顧客|買家|會員|個人|你|妳)?.{0,6}(?:提供|上傳|指定之|要求|指示|需求(?![^,;。]{0,3}(?:挑|選))|設計|身材|身形|量測)"
                   r"|量身|刻字|刻印|刻名|刻有|刻上|雕刻|燙金|繡字|繡名|繡製|繡(?:上)?(?:學號|姓名|名字|縮寫)|照片|相片|身材|身形|量測|手寫|簽名"
                   r"|非(?:現有|既有|標準|制式)(?:之|的)?(?:規格|尺寸|款式)|(?:您|消費者|客戶|顧客)(?:所)?指定(?:之|的)?(?:尺寸|規格|文字|圖案)"
                   r"|(?:您|消費者|客戶|顧客|買家|會員)(?:所)?(?:指定|提供|上傳)(?:之|的)?(?:文字|圖案|姓名|名字|logo|字樣|設計|圖檔|檔案)")
# choosing among listed options, or production only starting after the order, is not (G4)
_CHOICE = regexcache.compile(r"(?<![非挑])選(?=長度|號數|尺寸|顏色|規格|款式|左右手|容量|口味|磅數|色號)"
                     # (「戒圍係依顧客指定製作，屬客製化商品」: a ring size is a size picked, not a specification)
                     r"|(?:戒圍|手圍|號數|尺碼)(?:係|是|為|均|皆)?(?:依|按|照|依照)(?:您|你|妳|顧客|客戶|消費者|買家|會員)?(?:所)?(?:指定|選擇|選定|挑選)"
                     # (「依您指定的顏色與尺寸裁切包裝出貨」: two catalogue options picked)
                     r"|指定(?:之|的)?(?:顏色|尺寸|尺碼|款式|規格)(?:與|和|及|、)(?:顏色|尺寸|尺碼|款式|規格)"
                     r"|(?<!非)(?:選擇|選購|挑選|現有|既有|現成|點選|勾選|選了|選的|選好|自選|選定|所選)(?:之|的)?.{0,8}(?:片數|盒型|紙色|顏色|尺寸|尺碼|規格|款式|花色|材質|選項|口味|組合|木種|戒圍|手圍|色號|色系|號碼|香味|香調|長度|容量|殼色|機型)"
                     # (「僅就本網站所列之木材種類、尺寸或漆色加以選擇之商品」: the options named first)
                     r"|(?:就|從|自)[^,;。]{0,12}(?:所列|現有|既有|提供)(?:之|的)[^,;。]{0,16}(?:顏色|尺寸|尺碼|規格|款式|花色|材質|木種|漆色|色系|種類)[^,;。]{0,4}(?:加以|進行|作|做)?(?:選擇|挑選|擇定)")
_MADE_TO_ORDER = regexcache.compile(r"(?:接單|下單|訂購|付款|訂單成立)(?:後|之後)(?:才|即|再|始|方)?(?:開始|進行|安排)?(?:生產|製作|製造|備料|叫貨|訂製|訂做|排產)")


# a sentence that says a choice is not customisation (「只是選擇現有的顏色，不算客製化，仍然可以退」)
_NOT_CUSTOM = regexcache.compile(r"[^。;]*(?:不算|不屬於?|不是|並非|不視為|非屬|不列為|不當作)(?:為)?(?:是)?(?:客製|客制|訂製)[^。;]*"
                         # (「僅從本店現成印材中挑選石材或尺寸、未指定刻字者，不屬之」)
                         r"|[^。;]*(?:挑選|選擇|選購|自選)[^。;]*(?:不屬之|不在此列|不包括在內|不包含在內)[^。;]*")


# a sentence that keeps the right for the goods only chosen (「僅在現有尺寸中挑選、未經修改的商品，仍然可以退」)
_STILL_RETURNABLE = regexcache.compile(r"[^。;]*(?:仍然|仍|還是|依然|照樣)(?:可以|可|得|能)(?:辦理|申請)?(?:退|解除)[^。;]*")


_CUT_TO_LENGTH = regexcache.compile(r"(?:長度|尺寸|碼數|公分|米數)[^,;。]{0,10}(?:裁切|剪裁|裁剪|切割|剪下|剪開)|(?:裁切|剪裁|裁剪|切割)(?:成|為)?[^,;。]{0,6}(?:長度|尺寸|碼|公分)")
_MADE_TO_SPEC = regexcache.compile(r"非(?:現有|既有|標準|制式)|重新(?:裁切|裁製|製作|繃)|繃製|改製|特別(?:裁切|製作|訂製)|量測|配置圖|設計圖|施工圖|平面圖|丈量|實測|製作|版型|縫製|裁製|刻字|刻印|刻名|雕刻|燙金|繡字|繡名|照片|相片|量身|身材|身形|圖案|文字|logo|設計|姓名|名字|印製|印刷")
_KEPT_CUE = regexcache.compile(r"(?:也|亦|一樣|同樣|仍然|仍|還是|依然|照樣)(?:都|均|皆)?(?:可以|可|得|能)(?:辦理|申請)?(?:退|解除)")
_KEPT_SENTENCE = regexcache.compile(r"[^。;]*" + _KEPT_CUE.pattern + r"[^。;]*")  # the whole sentence around the cue
_REFUSES = regexcache.compile(r"不適用|恕不|不接受|不受理|無法|不能|不可|不得|不退|不予|謝絕|排除|除外")


# goods made to measurements taken of the consumer's own window, body or room (「師傅到府丈量後，依…窗戶實際
# 尺寸…逐件裁剪縫製」): a specification no catalogue offers, whatever else was picked
# (「依您的窗戶尺寸專門裁布縫製」: the consumer's own window, wall or body measured)
_MEASURED = regexcache.compile(r"丈量|到府(?:測量|量測)|實際尺寸|實測|量身"
                       r"|(?:您|你|妳|消費者|客戶|顧客)(?:家)?(?:的|之)?(?:窗戶|窗框|房間|牆面|空間|門框|車型|腳型|頭圍)(?:的|之)?(?:實際)?(?:尺寸|尺碼|大小|寬高|長寬)")


def _fake_custom(subject: str) -> bool:
    """「客製化」 claimed for goods the consumer only picked from the catalogue (G4)."""
    if _MEASURED.search(subject):
        return False
    if "客製" in subject or "訂製" in subject or "客制" in subject:
        subject = _STILL_RETURNABLE.sub(" ", _NOT_CUSTOM.sub(" ", subject))
    if _CHOICE.search(subject) and (_FAKE_CUSTOM.pattern.search(subject) or re.search(r"客製|客制|訂製|訂做|定製", subject)):
        return True
    if _FROM_STOCK.search(subject) and re.search(r"客製|客制|訂製|訂做|定製", subject):
        # 「依照您指定的左右度數，從鏡片庫存中挑出來組裝在鏡框上，屬於客製化商品」: stock parts picked
        # and put together are the catalogue's goods, not a supply made to the consumer's specification
        return True
    if _SPEC.search(subject):
        return False
    return bool(_FAKE_CUSTOM.pattern.search(subject) or _MADE_TO_ORDER.search(subject) or _ALL_CUSTOM.search(subject))


_FROM_STOCK = regexcache.compile(r"(?:從|自|由)(?:現有|既有)?(?:的)?[\u4e00-\u9fff]{0,4}?庫存(?:中|裡)?(?:挑|選|取|拿)|以現貨(?:組裝|搭配|挑選)")


# 「本店所有商品皆為客製化商品」: a whole catalogue is not made to each consumer's specification
_ALL_CUSTOM = regexcache.compile(r"(?:所有|全部|全館|全店|本店|本站|本賣場|本網站|本公司)(?:之|的)?(?:商品|產品).{0,4}(?:皆|均|都|一律)?(?:為|屬|是|係)?.{0,4}(?:客製|客制|訂製|訂做|定製)")


# the shop deeming goods to be of a lawful category (視為, 認定為 …) rather than naming them
_DEEMED = regexcache.compile(r"(?:即|均|皆|一律|將|亦|都|則)?(?:視為|視同|認定為|認定是|認定屬於?|認定係|當作|當成|歸類為|歸類於|歸為|列為|算作|算是|(?<=[都也皆均])算(?=(?:是)?(?:客製|訂製))|等同於?|比照|準用|"
                     r"(?:本店|本公司|本站|我們)?(?:所)?(?:定義|認定|規定|界定)(?:為|之|的))"
                     r"(?:是|屬|為)?(?:本店|本公司)?(?:之|的)?(?:依(?:您|消費者|會員|客戶)[^,;。]{0,8}?(?:之|的))?"
                     r"(?P<label>個人衛生用品|衛生用品|貼身衣物|客製化?(?:給付|商品)|客製化(?=[,;。)]|$)|訂製商品|"
                     r"易於?腐敗(?:之|的)?商品|數位內容|影音商品|消耗品)")
_DEEMED_WEAK = regexcache.compile(r"(?:(?:即|均|皆|一律|都|則)(?:屬於?|為|是)|屬於?)(?:本店|本公司)?(?:[^,;。()依要求拆開封]{1,10}?(?:之|的)|之|的)?(?P<label>個人衛生用品|衛生用品|貼身衣物|客製化?(?:給付|商品)|訂製商品)")
_ALL_EXCLUDED = "全面排除七日解除權"


_DEEMED_CONSENT = regexcache.compile(r"(?:即|均|一律|就)?(?:視為|視同|當作|推定|認定)(?:您|你|妳|消費者|會員|買家|用戶)?(?:已)?(?:經)?同意")


def classify_exclusion(subject: str) -> Placement:
    """Judge the goods and conditions named by an exclusion against 準則 §2.

    ``subject`` is the text that names what is excluded (the clause before the
    exclusion, its heading and, for a list, the listed items).
    """
    weak = _DEEMED_WEAK.search(subject)
    if weak:
        # 「商品如已拆封即屬個人衛生用品」: the goods outside the label decide when they are
        # unlawful, or doubtful (「已開封之彩妝、保養品屬個人衛生用品」)
        inner_subject = subject[:weak.start()] + " " + subject[weak.end():]
        if re.search(r"客製|客制|訂製", weak.group("label")) and _CHOICE.search(inner_subject) \
                and not _SPEC.search(inner_subject):
            # 「自型錄中選擇椅墊布色…之桌椅組，均屬客製化商品」: a catalogue choice (G4)
            return Placement("unlawful", (_FAKE_CUSTOM.label,), "不在準則第2條所列合理例外範圍")
        inner = classify_exclusion(inner_subject)
        if inner.verdict in ("unlawful", "review") and inner.reason != _ALL_EXCLUDED:
            return inner
    deemed = _DEEMED.search(subject)
    if deemed:
        # 「泳衣一經拆封即視為個人衛生用品」: a label the shop gives is not the 準則 category;
        # the goods themselves are judged, and at best a person decides
        inner_subject = subject[:deemed.start()] + " " + subject[deemed.end():]
        inner = classify_exclusion(inner_subject)
        if inner.verdict == "unlawful" and inner.reason != _ALL_EXCLUDED:
            return inner
        if re.search(r"客製|客制|訂製", deemed.group("label")) and _CHOICE.search(inner_subject) \
                and not _SPEC.search(inner_subject):
            # 「選擇戒圍之商品一律視為客製化商品」: a size picked from the catalogue is no
            # specification of the consumer's (G4)
            return Placement("unlawful", (_FAKE_CUSTOM.label,), "不在準則第2條所列合理例外範圍")
        # (not when the shop 「認定」 it so, nor beside a catalogue choice: 「選購現有款式…列為客製化」)
        if inner.verdict == "lawful" and re.search(r"客製|客制|訂製", deemed.group("label")) and _SPEC.search(inner_subject) \
                and not _CHOICE.search(inner_subject) and "認定" not in deemed.group():
            # 「依您上傳的照片印製的手機殼視為客製化」: goods made to the consumer's specification are
            # customised, whatever the shop calls them
            return inner
        return Placement("review", (f"業者自行認定為{deemed.group('label')}之商品",),
                         "業者自行認定之類別不等於準則第2條所列例外，須個案判斷")
    # (「就算是沒有刻字的空白款…也通通不接受退換貨」: goods said not to be customised are not)
    subject = _NOT_CUSTOMISED.sub("□", subject)
    fake_custom = _fake_custom(subject)
    lawful = [c for c in LAWFUL if c.pattern.search(subject) and not (fake_custom and c.key == "custom")]
    cited = {_CITED_ITEM[m.group(1)] for m in _CITED.finditer(subject)}
    if len(lawful) > 1 and cited & {c.key for c in lawful}:
        # 「…屬「經消費者拆封之電腦軟體」，依…準則第2條第4款」: the item the clause cites is the category
        # (a 序號 on a scratch card is no intangible content)
        lawful = [c for c in lawful if c.key in cited]
    if len(lawful) > 1 and _INTANGIBLE.search(subject):
        # 「以電子郵件寄送序號、非以有形媒介提供之…軟體授權」: software without a medium is §2(5), not
        # (4), when every mention of it is the intangible one
        av = next(c for c in LAWFUL if c.key == "av_software")
        spans = [m.end() for m in _INTANGIBLE.finditer(subject)]
        # (a mention in another item of a list, 「(1)盒裝電腦遊戲軟體;(2)…非以有形媒介提供的數位內容」, or one
        # on a medium, is the software of §2(4))
        if all(any(-40 <= m.start() - e <= 24 and ";" not in subject[min(m.start(), e):max(m.start(), e)] for e in spans)
               and not _ON_MEDIUM.search(subject, max(0, m.start() - 8), m.start())
               for m in av.pattern.finditer(subject)):
            lawful = [c for c in lawful if c is not av]
    # words of a lawful category (貼身衣物, 冷凍蛋糕) must not count again as ordinary
    # goods (衣物) or grey ones (食品)
    rest = subject
    for c in lawful:
        # with the words that qualify it (「文具專門雜誌」 is a magazine, not stationery)
        rest = re.sub(r"[^\s、,;:及和與或/()]{0,6}(?:" + c.pattern.pattern + r")[^\s、,;:。及和與或/()]{0,4}", "□", rest)
    # the shop's own name (「明亮眼鏡行購物條款」, 「小鹿服飾店」) in a heading is no goods, nor are
    # the goods the clause keeps under the right (「…不適用七日解除權，其餘書籍均可於七日內退貨」)
    rest = _SHOP_NAME.sub("□", rest)
    if "範圍" in rest or "其餘" in rest or "其他" in rest:  # (the words every match of it holds: a slow regex, seldom needed)
        rest = _OTHERS_RETURNABLE.sub("□", rest)
    # a sentence that keeps the right for goods (「特價品、組合包、福袋也都可以退，沒有例外」)
    # names goods that are not excluded
    kept = subject
    if _KEPT_CUE.search(subject):  # (the sentence regex runs only where a sentence may keep the right)
        kept = _KEPT_SENTENCE.sub(lambda m: m.group() if _REFUSES.search(m.group()) else "□", subject)
    unlawful = [c for c in UNLAWFUL if c.pattern.search(kept if c.key != "ordinary" else rest)
                and c.key != "fake_custom"] + ([_FAKE_CUSTOM] if fake_custom else [])
    grey = [c for c in GREY if c.pattern.search(rest)]
    # "ordinary" words can co-occur with lawful ones in a list (內衣 is 衣物): a lawful
    # hit on the same words wins; sale/preorder/used/fake custom never do.
    hard_unlawful = [c for c in unlawful if c.key != "ordinary"]
    if hard_unlawful:
        return Placement("unlawful", tuple(c.label for c in hard_unlawful), "不在準則第2條所列合理例外範圍")
    if _LIVE.search(subject) and not _LIVE_PERISHABLE.search(subject) \
            and not (lawful and {c.key for c in lawful} != {"perishable"}):
        # 「活體植栽（苗木、盆花）因屬有生命之商品…」, 「觀賞魚、螯蝦等活體生物」: living goods may
        # wither or die, but whether they are 易於腐敗 (準則 §2(1)) a person must judge, unless
        # the clause shows it (「活體麵包蟲（保存期限約 7～10 天）」, 「活餌等易於腐敗…之餌料」)
        return Placement("review", (_LIVE_LABEL,), "商品類別是否屬準則第2條所列例外，須個案判斷")
    if lawful and unlawful and not ({c.key for c in lawful} == {"custom"} and _SPEC.search(subject)):
        # 「眼鏡及隱形眼鏡」: ordinary goods listed beside lawful ones are excluded unlawfully
        # (customisation to the consumer's specification is lawful whatever the goods:
        # 「依您上傳之照片印製之馬克杯、抱枕」)
        return Placement("unlawful", tuple(c.label for c in unlawful), "一般商品與例外商品並列，一般商品不在準則第2條所列合理例外範圍")
    if lawful and {c.key for c in lawful} == {"custom"} and _CUT_TO_LENGTH.search(subject) \
            and not _MADE_TO_SPEC.search(subject):
        # 「依您指定長度自整卷裁切之繡布」: stock cut to a length the consumer picks is a quantity
        # chosen, or a customisation: a person must judge
        return Placement("review", ("依指定長度裁切之商品（是否屬客製化給付須個案判斷）",),
                         "商品類別是否屬準則第2條所列例外，須個案判斷")
    if lawful and {c.key for c in lawful} == {"perishable"} and _LONG_SHELF_LIFE.search(subject) and all(
            _SHELF_LIFE_WORDS.fullmatch(m.group()) for m in lawful[0].pattern.finditer(subject)):
        # 「鮮焙系列茶品（保存期限為出廠後九十日）屬保存期限較短之商品」: the shop calls short a shelf
        # life it states as months long; nothing else shows the goods perishable
        return Placement("review", ("標示保存期限達一個月以上之商品（是否屬保存期限較短須個案判斷）",),
                         "商品類別是否屬準則第2條所列例外，須個案判斷")
    beyond = [c for c in lawful if c.beyond is not None and c.beyond.search(subject)]
    if beyond:
        # 「實體有聲書CD無論是否拆封，售出後一律不受理退貨」, 「就算還沒按下載也一樣」: the exclusion
        # reaches goods the category's own condition (opened; supplied with consent) leaves out
        return Placement("unlawful", tuple(f"{c.label}，{c.beyond_label}" for c in beyond),
                         "逾越準則第2條所列例外之要件")
    if lawful:
        # (consent the trader deems given, 「一經付款即視為您已同意立即提供」, is no consent of the
        # consumer's: 準則 §2(5) asks for the consumer's own prior consent)
        stated = _DEEMED_CONSENT.sub("□", subject)
        missing = [c for c in lawful if c.condition and not c.condition.search(stated)]
        if missing:
            # 準則 §2(4)(6) apply only once opened; (5) needs prior consent.
            return Placement("review", tuple(c.label for c in missing),
                             "未載明" + "、".join(sorted({c.condition_label for c in missing})) + "之要件")
        if unlawful and not ({c.key for c in lawful} == {"custom"} and _SPEC.search(subject)):
            # e.g. 「內衣褲及一般衣物」 or 「文具專門雜誌」: lawful and ordinary words side by side
            # (customisation to the consumer's specification is lawful whatever the goods:
            # 「依您上傳之照片印製之馬克杯、抱枕」)
            return Placement("review", tuple(c.label for c in lawful + unlawful),
                             "例外商品與一般商品並列，須人工確認排除範圍")
        return Placement("lawful", tuple(c.label for c in lawful), "屬準則第2條所列合理例外")
    if unlawful:
        # ordinary goods plainly outside 準則 §2 beside doubtful ones (「保養品及服飾」): the
        # ordinary ones alone make the exclusion unlawful
        return Placement("unlawful", tuple(c.label for c in unlawful), "不在準則第2條所列合理例外範圍")
    if grey:
        return Placement("review", tuple(c.label for c in grey), "商品類別是否屬準則第2條所列例外，須個案判斷")
    if _CONDITION_USED.search(subject):
        noun = _opened_goods(subject) or _listed_goods(subject) or _first_goods(subject)
        if _PACKAGING_ONLY.fullmatch(noun):
            noun = ""  # (「外盒封膜拆開就不能退了」: the wrapping opened, the goods in general)
        if noun:
            # 「已拆封之濾芯」: goods named, but in no list: is it a personal-hygiene good?
            return Placement("review", (f"已拆封或使用之{noun}",), "商品類別是否屬準則第2條所列例外，須個案判斷")
        return Placement("unlawful", ("已拆封、使用或非全新之一般商品",), "拆封檢查不影響解除權（施行細則第17條）")
    if _CONDITION_DAMAGE.search(subject):
        return Placement("review", ("商品毀損或缺件",), "商品毀損是否可歸責於消費者，須個案判斷")
    if _OUT_OF_SCOPE.search(subject):
        # 「逾七日者恕不退貨」, 「非本店售出之商品」, 「贈品恕不退換」: nothing the 7-day right covers
        return Placement("lawful", ("期間屆滿、非本店售出或贈品",), "不涉七日解除權之限制")
    if _named_goods(subject):
        # 「活體植栽（觀葉植物、多肉）…恕不適用七日解除權」: goods are named, but in no list
        return Placement("review", (_UNPLACED,), "商品類別是否屬準則第2條所列例外，須個案判斷")
    return Placement("unlawful", ("未限定商品範圍",), _ALL_EXCLUDED)


# words that do not name goods: who, what in general, the refusal itself, list markers
_NOT_GOODS = regexcache.compile(
    r"本(?:店|站|公司|賣場|網站|商城|平臺)|商品|產品|貨品|物品|東西|所有|全部|任何|一切|一經|一律|售出|出售|購買|訂購|下單|"
    r"恕不|概不|不得|無法|不可|不能|不接受|不受理|不予|不提供|不適用|不享有|排除|謝絕|婉拒|拒絕|接受|受理|辦理|提供|適用|"
    r"退貨|退換貨|退換|退款|退費|退回|解除權|解除契約|七日|7日|七天|7天|鑑賞期|猶豫期|無條件|服務|以下|下列|如下|上述|前述|"
    r"商品頁|結帳頁|頁面|網頁|告知|標示|註明|事先|事前|先行|經|通訊交易|開通|啟用|甲方|乙方|賣方|買方|出賣人|買受人|該|彈出視窗|視窗|畫面|勾選|了解|瞭解|知悉|開始|合理例外情事|適用準則|準則|第[一二三四五六七八九十\d]+[條款項]|於此|"
    r"之|的|者|及|與|或|等|均|皆|都|即|亦|並|凡|若|如|因|為|屬|係|是|將|已|於|在|後|前|時|請|您|消費者|會員|顧客|買家|"
    r"[^\u4e00-\u9fff]")


def names_goods(text: str) -> bool:
    """Does this text name goods of its own (not only the words every exclusion uses)?"""
    return _named_goods(text)


def goods_named_before(text: str) -> str:
    """The goods the last phrase of ``text`` names (「…先行告知:手工編輪輪組」 -> 手工編輪輪組),
    without the words every exclusion uses; '' when none."""
    phrase = re.split(r"[,;:。]", text)[-1]
    named = _DEMONSTRATED.search(phrase)  # 「…告知該鏡片」: the goods the demonstrative points at
    noun = named.group(1) if named else _NOT_GOODS.sub("", phrase)
    return noun if len(noun) >= 2 else ""


_DEMONSTRATED = regexcache.compile(r"(?:該|此|這|這些|前述|上述)(?:項|款|類|種)?([\u4e00-\u9fff]{2,6})$")


def _named_goods(subject: str) -> bool:
    """Does the exclusion name goods (four or more characters that are none of the words
    every exclusion uses)?"""
    before_refusal = _REFUSAL_TAIL.sub("", subject)  # 「…不提供七天鑑賞期，請考慮清楚再下單」
    return len(_NOT_GOODS.sub("", before_refusal)) >= 4


_REFUSAL_TAIL = regexcache.compile(r"(?:恕不|概不|不提供|不適用|不享有|無法|不接受|不受理|謝絕|婉拒|拒絕|不得|不能|不可|不予|排除|一律不|不退)[^。;:\n]*")


_OPENED_NOUN = regexcache.compile(r"(?:已|經)?(?:拆封|開封|配戴過?|戴過|穿戴過|使用過)(?:之|的|後之|後的|過之|過的)(?P<after>[\u4e00-\u9fff]{2,8})"
                          r"|(?P<before>[\u4e00-\u9fff]{2,10}?)(?:一經|經|若|如|如已|若已|已|於)?(?:拆封|開封)")
_GENERIC_GOODS = regexcache.compile(r"商品|產品|貨品|物品|東西|貨物|所有|全部|任何|一切|本店|本站|本公司|本賣場|訂單|包裝|外盒|外箱|盒子|封膜|膠膜|"
                            r"吊牌|標籤|凡|若|如|已|經|一經|之|的|後|即|者|在|於|您|消費者|會員|購買|收到|商品|時|不|恕|一旦|如果|倘|"
                            r"下列|以下|上述|前述|如下|說|是|有|要|會|讓|被|把|就|也|都|還|才|再|請|可|"
                            r"情形|情況|狀況|狀態|痕跡|跡象|者|部分|檢查|本公司|本店|我們")


def _listed_goods(subject: str) -> str:
    """The goods a list names after its intro's colon (「以下商品拆封後恕不退換： 培養土 肥料」
    -> 培養土、肥料), '' when nothing but the words every exclusion uses follows it."""
    if ":" not in subject:
        return ""
    tail = _CONDITION_USED.sub("", subject.rsplit(":", 1)[1])
    names = [_NOT_GOODS.sub("", w) for w in re.split(r"[\s、,;/()。]+", tail)]
    return "、".join([n for n in names if len(n) >= 2][:3])


_PACKAGING_ONLY = regexcache.compile(r"(?:外盒|外箱|盒子|包裝盒?|外包裝|封膜|膠膜|收縮膜|封條|吊牌|標籤|貼紙|的|之|及|與|和|、)+")


def _first_goods(subject: str) -> str:
    """The goods an opened-goods exclusion names before its reason (「耳針式耳環因直接穿戴於
    耳洞…拆封後不適用」 -> 耳針式耳環), '' when none."""
    head = re.split(r"[因,;:。]|基於|由於|經|一經|如|若|拆封|開封|就|便|即|不能|不可|無法|恕不|不退", _CONDITION_USED.sub("", subject), maxsplit=1)[0]
    noun = _NOT_GOODS.sub("", head.rsplit(" ", 1)[-1])  # (not the heading before the clause)
    return noun if len(noun) >= 3 else ""


def _opened_goods(subject: str) -> str:
    """The specific goods an opened-goods exclusion names (「已拆封之濾芯」 -> 濾芯), '' when
    it speaks of goods in general (「商品一經拆封」)."""
    for m in _OPENED_NOUN.finditer(subject):
        noun = re.split(r"不|恕|無|概|一律|均|皆|都|即|就|後|者|等|將|亦|並|仍|可", m.group("after") or "")[0] or m.group("before") or ""
        noun = _GENERIC_GOODS.sub("", noun)
        if len(noun) >= 2:
            return noun
    return ""


_OUT_OF_SCOPE = regexcache.compile(
    r"(?:超過|逾越?|已逾|過了|逾期|未(?:於|在)).{0,10}(?:七日|7日|七天|7天|鑑賞期|猶豫期|期限|期間|時限|天數)"
    r"|(?:七日|7日|七天|7天|鑑賞期|猶豫期|解除期間)(?:內)?.{0,6}(?:後|過後|屆滿|已過|以後|期滿)|逾期"
    r"|非(?:本店|本公司|本站|本網站|本賣場|於本|在本)(?:.{0,6})(?:購買|售出|出售|購得|訂購)"
    r"|(?<!加購)(?<!加價購)(?:贈品|贈送之?|免費(?:提供|贈送)之?)(?:商品|小物|試用品|樣品)?(?![^,;。]{0,8}(?:一經|拆封|主商品|正品|訂單))"
    # business deals under their own contract (「寄賣合作另訂書面契約，不適用本頁的消費者退換貨規定」)
    r"|(?:寄賣|寄售|批發|經銷|代銷)(?:合作|業務|夥伴|商)?[^,;。]{0,6}(?:另訂|另行簽訂|另簽)")


def opened_condition(text: str) -> bool:
    return bool(_OPENED_RE.search(text))
