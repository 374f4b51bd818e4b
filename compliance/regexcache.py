"""Compiled regexes kept between runs, so that a self-check does not compile the pack again.

Loading the rule pack compiles some 2,000 regexes (each pattern, its first-character lookahead
form, its `with` and `unless`), and ``re`` spends almost all of that time in Python: parsing the
pattern and generating the matcher's code. ``re`` cannot keep a compiled pattern (pickling one
stores only its source), so a fresh `check` process paid some 0.8 s of its start-up for it on
every run. This module keeps, per Python build, the code re's compiler generated for each
pattern in one file in the user's cache directory, and builds the pattern from it with the call
``re.compile`` ends with (``_sre.compile``): the same object, without the parse. The analyses
match.py makes of a pattern (its first characters, its literal-led rewrite, whether it finds
matches across joined pages) are kept in the same file by ``memo``.

What is kept is only ever a cache: the file's name carries the Python build, the matcher's
version and a digest of the code that made the analyses, so another build or a changed match.py
starts from an empty file; an unreadable file, an entry the matcher rejects (``_sre`` validates
the code it is given), or no ``_sre.compile`` at all (not CPython) means compiling as before.
New entries are written when the process exits, the whole file at once (``write_whole``); a
read-only home only means the next run compiles again. ``COMPLIANCE_CACHE_DIR`` moves the cache.
"""
from __future__ import annotations

import atexit
import hashlib
import logging
import marshal
import os
import re
import sys
import tempfile
from array import array
from pathlib import Path
from typing import Callable, TypeVar

import platformdirs

log = logging.getLogger(__name__)

try:
    import _sre
    from re import _compiler, _parser
    # (the code is kept as 32-bit words: re's own CODESIZE)
    _BUILD = _sre.compile if sys.implementation.name == "cpython" and _sre.CODESIZE == array("I").itemsize == 4 else None
except ImportError:  # pragma: no cover - another Python
    _BUILD = None

V = TypeVar("V")
# (a cache file that grew past this many entries, e.g. over many versions of the pack, is
# written back with only the entries this run used)
_MAX_ENTRIES = 20_000


def cache_dir() -> Path:
    """Where the project keeps what it can rebuild (compiled regexes, the gate's database)."""
    return Path(os.environ.get("COMPLIANCE_CACHE_DIR") or platformdirs.user_cache_dir("tw-retail-compliance"))


def write_whole(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all, whoever else writes it at the same time."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as f:
            tmp = f.name
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home: the next run builds it again
        log.debug("cache not written (%s): %s", path, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


class _Store:
    """The cache file's sections (``"sre"``: compiled code; others: ``memo``'s analyses), read on
    first use; what this run used or added is what gets written."""

    def __init__(self) -> None:
        self.sections: dict[str, dict] | None = None
        self.used: dict[str, dict] = {}
        self.dirty = False
        self.path: Path | None = None

    def section(self, name: str) -> dict:
        if self.sections is None:
            self._read()
        return self.sections.setdefault(name, {})

    def _read(self) -> None:
        self.sections = {}
        self.path = cache_dir() / f"regex-{_file_key()}.marshal"
        try:
            data = marshal.loads(self.path.read_bytes())
            if isinstance(data, dict) and all(isinstance(v, dict) for v in data.values()):
                self.sections = data
        except (OSError, EOFError, ValueError, TypeError):  # none yet, or spoilt: start afresh
            pass
        atexit.register(self.save)

    def keep(self, name: str, key, value) -> None:
        self.used.setdefault(name, {})[key] = value
        self.section(name)[key] = value
        self.dirty = True

    def note_use(self, name: str, key, value) -> None:
        self.used.setdefault(name, {})[key] = value

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        sections = self.sections or {}
        if sum(len(s) for s in sections.values()) > _MAX_ENTRIES:
            sections = self.used
        write_whole(self.path, marshal.dumps(sections))
        self.dirty = False


_STORE = _Store()


def _file_key() -> str:
    """Python build and matcher version, and the code whose analyses ``memo`` keeps."""
    digest = hashlib.sha256(repr((sys.version, sys.implementation.cache_tag, getattr(_sre, "MAGIC", None),
                                  getattr(_sre, "CODESIZE", None))).encode())
    here = Path(__file__).parent
    for name in ("regexcache.py", "match.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - an installed copy without sources
            digest.update(name.encode())
    return digest.hexdigest()[:20]


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - the name re gives it
    """``re.compile(pattern, flags)``, from the kept code when this pattern was compiled before."""
    flags = int(flags)
    if _BUILD is None:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    sre = _STORE.section("sre")
    entry = sre.get(key)
    if entry is not None:
        try:
            rx = _BUILD(pattern, entry[0], array("I", entry[1]).tolist(), *entry[2:])
            _STORE.note_use("sre", key, entry)
            return rx
        except (RuntimeError, TypeError, ValueError, IndexError, OverflowError):  # spoilt: compile it
            del sre[key]
    # what re's own compile does (re._compiler.compile), keeping the code it generates
    parsed = _parser.parse(pattern, flags)  # (raises re.error for a bad pattern, as re.compile does)
    try:
        code = [int(c) for c in _compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = (int(flags | parsed.state.flags), array("I", code).tobytes(), parsed.state.groups - 1,
                 groupindex, tuple(indexgroup))
        rx = _BUILD(pattern, entry[0], code, *entry[2:])
    except re.error:
        raise
    except Exception as exc:  # noqa: BLE001 - a cache must never stop a run
        log.debug("regex not cached: %s", exc)
        return re.compile(pattern, flags)
    _STORE.keep("sre", key, entry)
    return rx


def memo(section: str, key, compute: Callable[[], V]) -> V:
    """``compute()``, kept under ``key`` in ``section``: for analyses of a pattern that depend on
    nothing but the pattern and match.py's code. The value must be one marshal can write
    (None, numbers, strings, tuples, lists, dicts, frozensets)."""
    store = _STORE.section(section)
    if key in store:
        value = store[key]
        _STORE.note_use(section, key, value)
        return value
    value = compute()
    _STORE.keep(section, key, value)
    return value


def save() -> None:
    """Write what this run added now (it is also written at exit): for a process that ends by
    ``os._exit``, as a pool's worker does."""
    _STORE.save()
