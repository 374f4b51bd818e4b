"""A prefilter for long runs: which of the pack's regexes can match a page at all, in one pass.

Most of the engine's time goes to regex searches that find nothing: on a 10,000-character page
some 200 pattern regexes each scan the whole text, and four out of five searches return None.
Python's ``re`` has a floor of a few nanoseconds per character for a pattern that does not start
with one literal, however rare its match. Hyperscan (Intel's multi-pattern matcher) reads the
page once for all of them. Each regex is given to it as a *superset* expression: the same
regex with its lookarounds and anchors left out and its long bounded repeats unbounded, so that
wherever the regex matches, the expression matches too. A regex whose expression does not match
a page cannot match it, and ``Context.find`` skips that page; every other search is made by
``re`` exactly as before. The gate only ever removes searches that would have returned None, so
results are the same with it or without it (tests/test_gate.py compares them over the corpora).

Compiling the expressions costs about a second, so only a long run (``match.scan_eagerly``: a
scan's worker, ``eval``, ``analyze``, the engine bench) builds a gate, and it keeps the compiled
database in a cache file keyed by the expressions and the library's version. Without the
``hyperscan`` package (it is built for x86-64), with ``COMPLIANCE_GATE=0``, or when anything in
building the gate fails, there is no gate and every search is made.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import sys
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path
from re import _constants as _C  # the parse tree of re's own parser, as match.literal_led reads it
from re import _parser as _P

import platformdirs

log = logging.getLogger(__name__)

try:  # an accelerator only: without it every search is made
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

# A bounded repeat longer than this is written unbounded (「.{0,40}?」 -> 「.*」): a superset,
# and an automaton that compiles in a second instead of twelve and scans no slower.
_MAX_BOUNDED = 3
# flags under which re's parse tree means what the expression says (IGNORECASE folds case by
# Python's own tables, ASCII and LOCALE change the categories: such regexes are not gated)
_ALLOWED_FLAGS = re.UNICODE | re.MULTILINE | re.DOTALL | re.VERBOSE


class _NoSuperset(Exception):
    """A construct with no superset expression (a backreference, a scoped flag)."""


@lru_cache(maxsize=None)
def _category_ranges(category) -> str:
    """A category (\\d, \\s, \\w) as the explicit code point ranges Python's ``re`` gives it, so
    that the expression cannot differ from ``re`` by another Unicode version's tables."""
    rx = re.compile({_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_SPACE: r"\s", _C.CATEGORY_WORD: r"\w"}[category])
    codes = [ord(c) for c in rx.findall(_every_character())]
    out, start, prev = [], None, None
    for c in codes + [None]:
        if start is not None and (c is None or c != prev + 1):
            out.append(_esc(start) if start == prev else f"{_esc(start)}-{_esc(prev)}")
            start = None
        if c is not None and start is None:
            start = c
        prev = c
    return "".join(out)


@lru_cache(maxsize=1)
def _every_character() -> str:
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, sys.maxunicode + 1)))


_NEGATED = {_C.CATEGORY_NOT_DIGIT: _C.CATEGORY_DIGIT, _C.CATEGORY_NOT_SPACE: _C.CATEGORY_SPACE,
            _C.CATEGORY_NOT_WORD: _C.CATEGORY_WORD}


def _esc(code: int) -> str:
    return chr(code) if chr(code).isascii() and chr(code).isalnum() else f"\\x{{{code:x}}}"


def superset_expression(rx: re.Pattern) -> str | None:
    """A Hyperscan expression that matches wherever ``rx`` matches (and perhaps elsewhere),
    or None when there is none worth having."""
    if rx.flags & ~_ALLOWED_FLAGS:
        return None
    try:
        return _items(_P.parse(rx.pattern, rx.flags))
    except (_NoSuperset, re.error, KeyError):
        return None


def _items(items) -> str:
    return "".join(_item(op, av) for op, av in items)


def _item(op, av) -> str:
    if op is _C.LITERAL:
        return _esc(av)
    if op is _C.NOT_LITERAL:
        return f"[^{_esc(av)}]"
    if op is _C.ANY:
        return "."
    if op is _C.IN:
        return _set(av)
    if op is _C.BRANCH:
        return "(?:" + "|".join(_items(alt) for alt in av[1]) + ")"
    if op is _C.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _NoSuperset
        return "(?:" + _items(body) + ")"
    if op is getattr(_C, "ATOMIC_GROUP", None):
        return "(?:" + _items(av) + ")"  # backtracking into it only adds matches
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
        lo, hi, body = av
        inner = "(?:" + _items(body) + ")"
        if hi is _C.MAXREPEAT or hi > _MAX_BOUNDED:
            return inner + ("*" if lo == 0 else "+")
        return inner + f"{{{lo},{hi}}}"
    if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
        return ""  # a condition on the surroundings: leaving it out only adds matches
    raise _NoSuperset


def _set(av) -> str:
    negate = any(o is _C.NEGATE for o, _ in av)
    members = [(o, a) for o, a in av if o is not _C.NEGATE]
    out = []
    for o, a in members:
        if o is _C.LITERAL:
            out.append(_esc(a))
        elif o is _C.RANGE:
            out.append(f"{_esc(a[0])}-{_esc(a[1])}")
        elif o is _C.CATEGORY and a in _NEGATED:
            if len(members) > 1 or negate:
                raise _NoSuperset  # [\D.] or [^\S]: not worth spelling out
            return f"[^{_category_ranges(_NEGATED[a])}]"
        elif o is _C.CATEGORY:
            out.append(_category_ranges(a))
        else:
            raise _NoSuperset
    return ("[^" if negate else "[") + "".join(out) + "]"


class Gate:
    """The regexes a page can match, by one Hyperscan pass (see the module docstring)."""

    def __init__(self, regexes: list[re.Pattern], cache_dir: Path | None = None):
        self._keep: list[re.Pattern] = []  # kept alive, so that their ids stay their own
        self.index: dict[int, int] = {}  # id(regex) -> expression id, for the gated ones
        expressions: list[str] = []
        flags: list[int] = []
        base = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
        for rx in regexes:
            if id(rx) in self.index:
                continue
            expr = superset_expression(rx)
            if not expr:
                continue
            self._keep.append(rx)
            self.index[id(rx)] = len(expressions)
            expressions.append(expr)
            flags.append(base | (hyperscan.HS_FLAG_DOTALL if rx.flags & re.DOTALL else 0))
        self.db = self._database(expressions, flags, cache_dir)

    def _database(self, expressions: list[str], flags: list[int], cache_dir: Path | None):
        key = hashlib.sha256(repr((hyperscan.__version__, platform.machine(), sys.version_info[:2], unicodedata.unidata_version,
                                   expressions, flags)).encode()).hexdigest()[:24]
        if not expressions:
            return None
        path = (cache_dir or _cache_dir()) / f"gate-{key}.hsdb"
        try:  # the file: the ids Hyperscan would not compile, a newline, the database
            head, _, body = path.read_bytes().partition(b"\n")
            db, dropped = hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK), json.loads(head)
            db.scratch = hyperscan.Scratch(db)  # (a loaded database comes without one)
        except (OSError, ValueError, hyperscan.error):  # not built yet, or built for another CPU
            ids = list(range(len(expressions)))
            try:
                db, dropped = _compiled(expressions, flags, ids), []
            except hyperscan.error:  # one expression spoils the lot: find which
                dropped = sorted(self._uncompilable(expressions, flags, ids))
                db = _compiled(expressions, flags, [i for i in ids if i not in dropped])
            _write(path, json.dumps(dropped).encode() + b"\n" + hyperscan.dumpb(db))
        # an expression too large for Hyperscan: its regex is always searched
        self.index = {k: v for k, v in self.index.items() if v not in dropped}
        return db

    @staticmethod
    def _uncompilable(expressions: list[str], flags: list[int], ids: list[int]) -> set[int]:
        """The ids of expressions Hyperscan will not compile (found by halving the list)."""
        try:
            _compiled(expressions, flags, ids)
            return set()
        except hyperscan.error:
            if len(ids) == 1:
                return set(ids)
        half = len(ids) // 2
        return Gate._uncompilable(expressions, flags, ids[:half]) | Gate._uncompilable(expressions, flags, ids[half:])

    def present(self, text: str) -> set[int] | None:
        """The expression ids that match ``text``; None when the page cannot be gated."""
        try:
            data = text.encode("utf-8")  # (a lone surrogate is not UTF-8: such a page is not gated)
        except UnicodeEncodeError:
            return None
        if self.db is None:
            return None
        found: set[int] = set()
        add = found.add
        try:
            self.db.scan(data, match_event_handler=lambda i, _s, _e, _f, _c: add(i))
        except hyperscan.error as exc:  # pragma: no cover - a scan the library refused
            log.debug("gate scan failed: %s", exc)
            return None
        return found


def _compiled(expressions: list[str], flags: list[int], ids: list[int]):
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[expressions[i].encode() for i in ids], ids=ids, elements=len(ids),
               flags=[flags[i] for i in ids])
    return db


def _write(path: Path, data: bytes) -> None:
    """Write the cache file whole or not at all, whoever else writes it at the same time."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as f:
            tmp = f.name
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home: the next run compiles again
        log.debug("gate cache not written (%s): %s", path, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _cache_dir() -> Path:
    return Path(os.environ.get("COMPLIANCE_CACHE_DIR") or platformdirs.user_cache_dir("tw-retail-compliance"))


def build(regexes: list[re.Pattern], cache_dir: Path | None = None) -> Gate | None:
    """A gate over these regexes, or None (no hyperscan, ``COMPLIANCE_GATE=0``, or a failure)."""
    if hyperscan is None or os.environ.get("COMPLIANCE_GATE", "1") == "0":
        return None
    try:
        return Gate(regexes, cache_dir)
    except Exception as exc:  # noqa: BLE001 - an accelerator must never stop a run
        log.warning("regex gate not built, every search is made: %s", exc)
        return None
