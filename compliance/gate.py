"""A prefilter for long runs: which of the pack's regexes can match a page at all, in one pass.

Most of the engine's time goes to regex searches that find nothing: on a 10,000-character page
some 200 pattern regexes each scan the whole text, and four out of five searches return None.
Python's ``re`` has a floor of a few nanoseconds per character for a pattern that does not start
with one literal, however rare its match. Hyperscan (Intel's multi-pattern matcher) reads the
page once for all of them. Each regex is given to it as a *superset* expression: the same
regex with its lookarounds and anchors left out and its long bounded repeats unbounded, so that
wherever the regex matches, the expression matches too. A regex whose expression does not match
a page cannot match it, and ``Context.find`` skips that page. The gate also reports where the
expressions' matches end: every match of a regex spans text its expression matches, so a regex
match ends where its expression's does. ``Context.find`` reads the next such end past where it
searches from: where there is none, no search is made; where there is one and the regex cannot
match more than ``width`` characters, its search starts that far before it. The searches made
are made by ``re`` exactly as before; the gate only removes searches, and stretches of text, that
hold no match, so results are the same with it or without it (tests/test_gate.py compares them
over the corpora).

Compiling the expressions costs about five seconds, so only a long run (``match.scan_eagerly``: a
scan's worker, ``eval``, ``analyze``, the engine bench) builds a gate, and it keeps the compiled
database in a cache file keyed by the regexes and the library's version (a run that finds it
translates nothing). Without the ``hyperscan`` package (requirements.txt installs it on Linux
x86-64 only), with ``COMPLIANCE_GATE=0``, or when anything in building the gate fails, there is no
gate and every search is made.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path
from re import _constants as _C  # the parse tree of re's own parser, as match.literal_led reads it
from re import _parser as _P

from . import regexcache

log = logging.getLogger(__name__)

try:  # an accelerator only: without it every search is made
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

# A bounded repeat longer than this is written unbounded (「.{0,40}?」 -> 「.*」): a superset,
# and an automaton that compiles in a second instead of twelve and scans no slower.
_MAX_BOUNDED = 3
# what a cached database file holds (part of its name): 3 = every match end is reported, over
# UTF-16 bytes
_FORMAT = 3
_MAX_IDS = 1 << 16  # regexes past this many are not gated
# flags under which re's parse tree means what the expression says (IGNORECASE folds case by
# Python's own tables, ASCII and LOCALE change the categories: such regexes are not gated)
_ALLOWED_FLAGS = re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE


class _NoSuperset(Exception):
    """A construct with no superset expression (a backreference, a scoped flag)."""


# The page is given to Hyperscan in UTF-16 (little-endian; a character past U+FFFF, an emoji, as
# U+FFFD): every character is two bytes, so a match's end is a character offset times two, and a
# character class is a choice of byte pairs, which Hyperscan reads a third faster than UTF-8's
# sequences of one to four bytes. An expression is written over those bytes; a match it finds at
# an odd offset spans no characters and is dropped.
_REPLACEMENT = 0xFFFD  # what a character past U+FFFF is scanned as
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LAST = sys.maxunicode


@lru_cache(maxsize=None)
def _category_ranges(category) -> tuple[tuple[int, int], ...]:
    """A category (\\d, \\s, \\w) as the code point ranges Python's ``re`` gives it, so that the
    expression cannot differ from ``re`` by another Unicode version's tables."""
    rx = re.compile({_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_SPACE: r"\s", _C.CATEGORY_WORD: r"\w"}[category])
    codes = [ord(c) for c in rx.findall(_every_character())]
    return tuple(_merged([(c, c) for c in codes]))


def _every_character() -> str:
    """All code points but the surrogates (4 MB: built only while a database is compiled)."""
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, sys.maxunicode + 1)))


_NEGATED = {_C.CATEGORY_NOT_DIGIT: _C.CATEGORY_DIGIT, _C.CATEGORY_NOT_SPACE: _C.CATEGORY_SPACE,
            _C.CATEGORY_NOT_WORD: _C.CATEGORY_WORD}


def _merged(ranges) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _complement(ranges) -> list[tuple[int, int]]:
    out, nxt = [], 0
    for lo, hi in _merged(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= _LAST:
        out.append((nxt, _LAST))
    return out


def _byte(b: int) -> str:
    return f"\\x{b:02x}"


def _bytes_class(values: list[int]) -> str:
    if len(values) == 256:
        return "[\\x00-\\xff]"
    if len(values) == 1:
        return _byte(values[0])
    parts = [_byte(lo) if lo == hi else f"{_byte(lo)}-{_byte(hi)}"
             for lo, hi in _merged([(v, v) for v in values])]
    return "[" + "".join(parts) + "]"


def _units(ranges) -> str:
    """The characters of these code point ranges as UTF-16-LE byte pairs (low byte, then high)."""
    lows: dict[int, list[int]] = {}  # high byte -> its low bytes
    astral = False
    for lo, hi in _merged(ranges):
        if hi > 0xFFFF:
            astral = True
            if lo > 0xFFFF:
                continue
            hi = 0xFFFF
        for h in range(lo >> 8, (hi >> 8) + 1):
            a = lo & 0xFF if h == lo >> 8 else 0
            b = hi & 0xFF if h == hi >> 8 else 0xFF
            lows.setdefault(h, []).extend(range(a, b + 1))
    if astral:  # (scanned as U+FFFD)
        lows.setdefault(_REPLACEMENT >> 8, []).append(_REPLACEMENT & 0xFF)
    highs: dict[str, list[int]] = {}  # a class of low bytes -> the high bytes that take it
    for h, values in sorted(lows.items()):
        highs.setdefault(_bytes_class(sorted(set(values))), []).append(h)
    alternatives = [low + _bytes_class(hs) for low, hs in highs.items()]
    if not alternatives:
        raise _NoSuperset
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


def superset_expression(rx: re.Pattern) -> str | None:
    """A Hyperscan expression that matches wherever ``rx`` matches (and perhaps elsewhere),
    or None when there is none worth having."""
    if rx.flags & ~_ALLOWED_FLAGS:
        return None
    try:
        return _items(_P.parse(rx.pattern, rx.flags), bool(rx.flags & re.DOTALL))
    except (_NoSuperset, re.error, KeyError):
        return None


def _items(items, dotall: bool) -> str:
    return "".join(_item(op, av, dotall) for op, av in items)


def _item(op, av, dotall: bool) -> str:
    if op is _C.LITERAL:
        return _units([(av, av)])
    if op is _C.NOT_LITERAL:
        return _units(_complement([(av, av)]))
    if op is _C.ANY:
        return _units([(0, _LAST)] if dotall else _complement([(10, 10)]))
    if op is _C.IN:
        return _units(_set(av))
    if op is _C.BRANCH:
        return "(?:" + "|".join(_items(alt, dotall) for alt in av[1]) + ")"
    if op is _C.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _NoSuperset
        return "(?:" + _items(body, dotall) + ")"
    if op is getattr(_C, "ATOMIC_GROUP", None):
        return "(?:" + _items(av, dotall) + ")"  # backtracking into it only adds matches
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
        lo, hi, body = av
        inner = "(?:" + _items(body, dotall) + ")"
        if hi is _C.MAXREPEAT or hi > _MAX_BOUNDED:
            return inner + ("*" if lo == 0 else "+")
        return inner + f"{{{lo},{hi}}}"
    if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
        return ""  # a condition on the surroundings: leaving it out only adds matches
    raise _NoSuperset


def _set(av) -> list[tuple[int, int]]:
    """A character class as code point ranges."""
    negate = any(o is _C.NEGATE for o, _ in av)
    out: list[tuple[int, int]] = []
    for o, a in av:
        if o is _C.NEGATE:
            continue
        if o is _C.LITERAL:
            out.append((a, a))
        elif o is _C.RANGE:
            out.append(a)
        elif o is _C.CATEGORY and a in _NEGATED:
            out += _complement(_category_ranges(_NEGATED[a]))
        elif o is _C.CATEGORY:
            out += _category_ranges(a)
        else:
            raise _NoSuperset
    return _complement(out) if negate else _merged(out)


class Gate:
    """The regexes a page can match, by one Hyperscan pass (see the module docstring)."""

    def __init__(self, regexes: list[re.Pattern], cache_dir: Path | None = None):
        # each regex once, in order; its position is its expression's id in the database
        self._keep: list[re.Pattern] = list({id(rx): rx for rx in regexes}.values())  # (alive: ids stay theirs)
        self.db, gated = self._database(cache_dir)
        self.index: dict[int, int] = {id(self._keep[i]): i for i in gated}  # id(regex) -> expression id
        # expression id -> the most characters its regex can match (None: no bound)
        self.width: dict[int, int | None] = {i: _width(self._keep[i]) for i in gated}

    def _database(self, cache_dir: Path | None):
        """The compiled database and the ids it holds: read from the cache file when this list of
        regexes was compiled before (then no regex is even translated), else compiled and written."""
        key = hashlib.sha256(repr((_FORMAT, hyperscan.__version__, platform.machine(), sys.version_info[:2], unicodedata.unidata_version,
                                   _MAX_BOUNDED, [(rx.pattern, rx.flags) for rx in self._keep])).encode()).hexdigest()[:24]
        path = (cache_dir or regexcache.cache_dir()) / f"gate-{key}.hsdb"
        try:  # the file: the ids the database holds, a newline, the database
            head, _, body = path.read_bytes().partition(b"\n")
            gated = json.loads(head)
            db = hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK)
            db.scratch = hyperscan.Scratch(db)  # (a loaded database comes without one)
            return db, gated
        except (OSError, ValueError, hyperscan.error):  # not built yet, or built for another CPU
            pass
        base = 0  # bytes, not UTF-8 (see _REPLACEMENT), and every match end reported (see ends)
        expressions: dict[int, tuple[str, int]] = {}
        for i, rx in enumerate(self._keep[:_MAX_IDS]):  # (ends packs an id into 16 bits)
            expr = superset_expression(rx)
            if expr:
                expressions[i] = (expr, base)
        if not expressions:
            return None, []
        gated = list(expressions)
        try:
            db = _compiled(expressions, gated)
        except hyperscan.error:  # one expression spoils the lot (too large): its regex is always searched
            dropped = self._uncompilable(expressions, gated)
            gated = [i for i in gated if i not in dropped]
            db = _compiled(expressions, gated)
        regexcache.write_whole(path, json.dumps(gated).encode() + b"\n" + hyperscan.dumpb(db))
        return db, gated

    @staticmethod
    def _uncompilable(expressions: dict, ids: list[int]) -> set[int]:
        """The ids of expressions Hyperscan will not compile (found by halving the list)."""
        try:
            _compiled(expressions, ids)
            return set()
        except hyperscan.error:
            if len(ids) == 1:
                return set(ids)
        half = len(ids) // 2
        return Gate._uncompilable(expressions, ids[:half]) | Gate._uncompilable(expressions, ids[half:])

    def present(self, text: str) -> set[int] | None:
        """The expression ids that match ``text``; None when the page cannot be gated."""
        ends = self.ends(text)
        return None if ends is None else set(ends)

    def ends(self, text: str) -> dict[int, list[int]] | None:
        """For each expression that matches ``text``, the character offsets where its matches
        end, ascending; None when the page cannot be gated."""
        if self.db is None:
            return None
        if _ASTRAL.search(text):
            text = _ASTRAL.sub("\ufffd", text)
        data = text.encode("utf-16-le", "surrogatepass")  # (a lone surrogate is a character to re too)
        found: list[int] = []  # (byte offset << 16) | expression id, as reported
        add = found.append

        def on_match(i, _start, end, _flags, _context):
            add(end << 16 | i)  # (one int: one append, and sorting orders by offset)
        try:
            self.db.scan(data, match_event_handler=on_match)
        except hyperscan.error as exc:  # pragma: no cover - a scan the library refused
            log.debug("gate scan failed: %s", exc)
            return None
        out: dict[int, list[int]] = {}
        for v in sorted(found):
            if v & 0x10000:
                continue  # an odd byte offset: a match across two characters' halves
            ends = out.get(v & 0xFFFF)
            if ends is None:
                out[v & 0xFFFF] = [v >> 17]
            else:
                ends.append(v >> 17)
        return out


def _width(rx: re.Pattern) -> int | None:
    """The most characters a match of ``rx`` spans (its lookarounds read more, but are not in
    the match), or None when it has no bound."""
    try:
        hi = _P.parse(rx.pattern, rx.flags).getwidth()[1]
    except re.error:
        return None
    return hi if hi < _C.MAXREPEAT else None


def _compiled(expressions: dict, ids: list[int]):
    """A block-mode database of these expressions (id -> (expression, flags))."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[expressions[i][0].encode() for i in ids], ids=ids, elements=len(ids),
               flags=[expressions[i][1] for i in ids])
    return db


def build(regexes: list[re.Pattern], cache_dir: Path | None = None) -> Gate | None:
    """A gate over these regexes, or None (no hyperscan, ``COMPLIANCE_GATE=0``, or a failure)."""
    if hyperscan is None or os.environ.get("COMPLIANCE_GATE", "1") == "0":
        return None
    try:
        return Gate(regexes, cache_dir)
    except Exception as exc:  # noqa: BLE001 - an accelerator must never stop a run
        log.warning("regex gate not built, every search is made: %s", exc)
        return None
