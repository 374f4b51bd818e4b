"""Clauses with offsets into the normalised text.

A clause is a sentence-sized unit: text between 。!?; and line breaks. Numbered
items (第X條, 一、, (一), 1., 1), ・ list bullets) begin on their own line in
extracted text, so line breaks already separate them; a numbering marker in the
middle of a line starts a new clause too. Each clause remembers the nearest
heading above it (short lines without a full stop, or 第X條 titles), which
rules use as context (e.g. a list under 「下列商品不適用七日解除權」).

jieba is used for word segmentation (``words``) and is imported lazily: loading
its dictionary costs about half a second, which the self-check command should
only pay when a rule really needs word boundaries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import regexcache

_CLAUSE = regexcache.compile(r"[^。!?;\n]+[。!?;]*")
# A numbering marker inside a line (after a space was deleted, e.g. "…退貨。(二)…" is
# handled by 。; this catches "…如下:1.xxx2.yyy" poorly on purpose: only markers
# that follow punctuation split).
# (matched from the punctuation itself, so that re can scan for it fast; the cut is after it)
_INLINE_ITEM = regexcache.compile(r"[,:、](?=(?:\(?[一二三四五六七八九十]{1,3}[)、]|\(?\d{1,2}[).、](?!\d)))")
_HEADING_MAX = 24
_ARTICLE = regexcache.compile(r"第[一二三四五六七八九十百零〇\d]+條")
_ITEM_MARK = regexcache.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[條章節點項]|[一二三四五六七八九十]{1,3}、|\(?[一二三四五六七八九十]{1,3}\)|"
    r"\d{1,2}[.、)](?!\d)|\(\d{1,2}\)|[・•●○■□◆◇★☆▶►*※-]|q\d*[.:]|a\d*[.:]|q:|a:)"
)


_MARKER_TYPES = [
    ("article", regexcache.compile(r"^第[一二三四五六七八九十百零〇\d]+[條章節點項]")),
    ("cjk", regexcache.compile(r"^[一二三四五六七八九十]{1,3}、")),
    ("paren-cjk", regexcache.compile(r"^\([一二三四五六七八九十]{1,3}\)")),
    ("num", regexcache.compile(r"^\d{1,2}[.、](?!\d)")),
    ("paren-num", regexcache.compile(r"^(?:\(\d{1,2}\)|\d{1,2}\))")),
    ("bullet", regexcache.compile(r"^[・•●○■□◆◇★☆▶►▸*※-]")),
]


def marker_type(text: str) -> str:
    """The kind of numbering a line starts with ('' if none): items of one list share it."""
    for name, rx in _MARKER_TYPES:
        if rx.match(text):
            return name
    return ""


@dataclass(slots=True)  # not frozen: a frozen dataclass is built five times slower, and a
class Clause:           # page has hundreds of clauses; nothing changes one once made
    index: int
    start: int  # offsets into the normalised text
    end: int
    text: str
    heading: str  # nearest heading above (normalised), '' if none
    line_start: bool  # the clause begins a line (a heading, an item, a paragraph)
    topic: str = ""  # the FAQ question it answers, or the list intro (「下列情形…:」) it belongs to

    @property
    def marker(self) -> str:
        return marker_type(self.text) if self.line_start else ""

    @property
    def is_question(self) -> bool:
        t = _without_emoji_tail(self.text.rstrip("。;"))
        if t.endswith("?"):
            return not (len(t) > 24 and _TAG_QUESTION.search(t))  # (a statement with a tag: see is_question_text)
        return t.endswith("嗎") or t.startswith(("q:", "q.", "問:")) or (self.line_start and _asks_why(t))


_QUESTION_START = regexcache.compile(r"(?:q|問|Q)\d*[.:]")
_QUESTION_ENDS = ("?", "？", "嗎")
_TOPIC_MAX = 80


def _emoji(ch: str) -> bool:
    return ch == "\ufe0f" or 0x2600 <= ord(ch) <= 0x27bf or ord(ch) >= 0x1f300


def _without_emoji_tail(text: str) -> str:
    """The text without the emoji that end it (「多久退款？💸」 is a question)."""
    while text and _emoji(text[-1]):
        text = text[:-1].rstrip()
    return text


def is_question_text(text: str) -> bool:
    """Is this line an FAQ question (「Q：…」, 「…嗎？」)?"""
    # (an end test and an anchored match: a regex with `$` alternatives is tried at every
    # position of the line, and this runs on every line of every page)
    if text.endswith("\n"):
        text = text[:-1]
    if text and _emoji(text[-1]):  # (this runs on every line: most end in a CJK character)
        text = _without_emoji_tail(text)
    if _QUESTION_START.match(text):
        return True
    if text.endswith(_QUESTION_ENDS):
        # (a statement with a tag asking for agreement, 「…所以退款時我會扣掉 NT$80 出貨運費，這個算是公平吧？」,
        # states its rule; 「…可以退嗎？」 asks)
        return not (len(text) > 24 and _TAG_QUESTION.search(text))
    return _asks_why(text)


_TAG_QUESTION = regexcache.compile(r"[,，][^,，。;；!！?？]{0,10}吧[?？]+$")


_WHY_TAIL = regexcache.compile(r"(?:為什麼|為何|怎麼會|憑什麼)[^,;。:!?]{0,12}$")


def _asks_why(text: str) -> bool:
    """A short title that asks without a question mark (「8/12 🙅 刻好的章，為什麼不能退」)."""
    # (the characters tested first: this runs on every line of every page)
    return len(text) <= 40 and ("為" in text or "怎" in text or "憑" in text) and bool(_WHY_TAIL.search(text))


_RULE_CHARS = "=＝━─—-_~～*＊#·•.。…─═▬"
_RULE_ONLY = regexcache.compile(r"[=＝━─—\-_~～*＊#·•.。…═▬\s]{3,}")


def _is_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > _HEADING_MAX:
        return False
    if s[-1] in "。;,":
        return False
    return True


def clauses(text: str) -> list[Clause]:
    """Split normalised text into clauses, in order, with their headings."""
    out: list[Clause] = []
    heading = ""
    topic, topic_is_intro, intro_marker = "", False, ""
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        line_start_pos = pos
        pos += len(line) + 1
        if not line:
            continue
        if line[0] in _RULE_CHARS and _RULE_ONLY.fullmatch(line):
            continue  # a decorative rule (「＝＝＝＝」, 「━━━━」) is no heading nor clause: the title between two is
        is_item = bool(_ITEM_MARK.match(line))
        if is_item and _numbered_title(line, lines, i):
            # 「5. 七日解除權」 above a paragraph titles a section, like an unnumbered heading
            heading, topic = line, ""
        if len(line) <= _TOPIC_MAX and is_question_text(line):
            topic, topic_is_intro = line, False  # answers below it are read in its light (FAQ pages)
        elif line.endswith(":") and len(line) <= _TOPIC_MAX:
            # 「會員有下列情形之一者，本網站得終止其會員資格：」 governs the items under it
            topic, topic_is_intro, intro_marker = line, True, marker_type(line)
            if _is_heading(line) and not is_item:
                heading = line.strip(":")
        elif _is_heading(line) and not is_item:
            heading = line.strip(":")
            topic = ""
        elif len(line) <= _HEADING_MAX + 8 and _ARTICLE.match(line):
            heading = line
            topic = ""
        elif topic and topic_is_intro and (
                not is_item or (intro_marker and (marker_type(line) == intro_marker
                                                  or marker_type(line) in ("article", "cjk")))):
            topic = ""  # a paragraph, or the next item at the intro's own level, ends the list
        first = True
        # (an inline marker never looks past its sentence, so one search of the line tells
        # whether any sentence of it needs cutting)
        inline = _INLINE_ITEM.search(line) is not None
        for m in _CLAUSE.finditer(line):
            seg_text = m.group()
            seg_start = line_start_pos + m.start()
            if not inline and len(seg_text) <= _CLAUSE_MAX:
                if seg_text.strip(",、:。 "):
                    out.append(Clause(len(out), seg_start, seg_start + len(seg_text), seg_text, heading, first, topic))
                first = False
                continue
            # split further at inline numbering markers
            cuts = [0] + [c.end() for c in _INLINE_ITEM.finditer(seg_text)] + [len(seg_text)]
            if len(seg_text) > _CLAUSE_MAX:
                cuts = _bounded(seg_text, cuts)
            for a, b in zip(cuts, cuts[1:]):
                piece = seg_text[a:b]
                if not piece.strip(",、:。 "):
                    continue
                out.append(Clause(len(out), seg_start + a, seg_start + b, piece, heading, first and a == 0, topic))
            first = False
    return out


_TITLE_ITEM_MAX = 16
_TITLE_PUNCT = regexcache.compile(r"[,;:、。!?()]")


def _numbered_title(line: str, lines: list[str], i: int) -> bool:
    """Is this numbered line (「5. 七日解除權」) a section title: short, without punctuation,
    and followed by a paragraph rather than by the next item of a list (「1. 生鮮食品」)?"""
    if len(line) > _TITLE_ITEM_MAX:
        return False
    mark = _ITEM_MARK.match(line)
    if _TITLE_PUNCT.search(line, mark.end() if mark else 0):
        return False
    for nxt in lines[i + 1:i + 3]:
        if nxt:
            if _ITEM_MARK.match(nxt):
                # 「六、七日解除權」 over 「1. 會員得於…」: items of a lower level under it
                # (a CJK or article number over items numbered otherwise)
                kind = marker_type(line)
                return kind in ("article", "cjk") and marker_type(nxt) not in ("", kind, "bullet")
            return len(nxt) > 30
    return False


# a "sentence" longer than this (text without any full stop, e.g. a page flattened to one
# line) is cut at commas, or hard, so that every rule's work per clause stays bounded
_CLAUSE_MAX = 600


def _bounded(text: str, cuts: list[int]) -> list[int]:
    out = [0]
    for end in cuts[1:]:
        while end - out[-1] > _CLAUSE_MAX:
            start = out[-1]
            comma = max(text.rfind(",", start + 1, start + _CLAUSE_MAX), text.rfind("、", start + 1, start + _CLAUSE_MAX))
            out.append(comma + 1 if comma > start + _CLAUSE_MAX // 3 else start + _CLAUSE_MAX)
        out.append(end)
    return out


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # lazily: ~0.5 s to load its dictionary

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """Words of a Chinese text (jieba, search mode), without punctuation."""
    return [w for w in _jieba().cut_for_search(text) if w.strip() and not re.fullmatch(r"\W+", w)]
