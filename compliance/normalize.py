"""Text normalisation with an offset map back to the extracted text.

Rules match against normalised text; evidence is reported in the original, so
every normalised character remembers where it came from
(rule-catalogue: "evidence offsets always point into the text as extracted").

Normalisation is a single ``str.translate`` (C speed) whose table only maps a
character to one character or deletes it, so the offset map is simply the
indices of the characters that survive:

- full-width ASCII and digits to half-width (１２ -> 12, ：-> :);
- Simplified-only characters to Traditional (OpenCC's character table; characters
  that are valid Traditional as well, like 系 or 面, are left alone);
- 台 -> 臺 and a few common variant forms;
- ASCII lower case;
- whitespace other than newlines, quote marks and brackets of titles deleted,
  so that 「七日 鑑賞期」 and 七日鑑賞期 read the same.
"""
from __future__ import annotations

import bisect
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import regexcache

# Punctuation that separates clauses is canonicalised to one form each.
_PUNCT = {
    "，": ",", "﹐": ",", "；": ";", "﹔": ";", "：": ":", "﹕": ":", "！": "!", "？": "?",
    "（": "(", "）": ")", "﹙": "(", "﹚": ")", "．": ".", "～": "~", "〜": "~", "－": "-",
    "—": "-", "–": "-", "﹣": "-", "﹒": ".", "｡": "。", "､": "、",
    # a table drawn with box-drawing bars (「│ 負責人 │ 吳冠廷 │」) reads as the extractor's cells
    "│": "|", "┃": "|", "￨": "|",
}
# Variant characters that shop terms use interchangeably (rule-catalogue: 台/臺).
_VARIANTS = {"台": "臺", "裏": "裡", "着": "著", "綫": "線", "衆": "眾", "峯": "峰", "羣": "群",
             "銹": "鏽", "佈": "布", "週": "周",
             "爲": "為", "僞": "偽", "眞": "真", "敎": "教", "衞": "衛", "啓": "啟", "晩": "晚", "綑": "捆"}
# Deleted: spaces (but not newlines), quotes and title brackets.
_DELETE = " \t\r\f\v\u3000\u00a0\u200b\u200c\u200d\ufeff「」『』“”‘’\"'《》〈〉【】"


def _opencc_simplified_table() -> dict[str, str]:
    """Simplified-only characters -> first Traditional reading, from OpenCC's data."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - dependency is pinned
        return {}
    base = os.path.join(os.path.dirname(opencc.__file__), "dictionary")

    def read(name: str) -> dict[str, str]:
        table = {}
        with open(os.path.join(base, name), encoding="utf-8") as fh:
            for line in fh:
                key, _, values = line.rstrip("\n").partition("\t")
                if len(key) == 1 and values:
                    table[key] = values.split(" ")[0]
        return table

    s2t = read("STCharacters.txt")
    traditional = set(read("TSCharacters.txt"))
    # A character that is itself Traditional (系, 面, 台, 里…) keeps its meaning in
    # Traditional text; converting it would corrupt words such as 系統.
    return {s: t for s, t in s2t.items() if s not in traditional and len(t) == 1 and s != t}


@lru_cache(maxsize=1)
def _table() -> dict[int, int | None]:
    table: dict[int, int | None] = {}
    for s, t in _opencc_simplified_table().items():
        table[ord(s)] = ord(t)
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = code - 0xFEE0
    for a, b in _PUNCT.items():
        table[ord(a)] = ord(b)
    for a, b in _VARIANTS.items():
        table[ord(a)] = ord(b)
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = code + 32
    for code in range(0xFF21, 0xFF3B):  # full-width capitals straight to lower case
        table[code] = code - 0xFEE0 + 32
    # Variants may themselves be the target of the Simplified table (e.g. 台 from 颱? no:
    # keep the explicit variant last so it wins).
    for ch in _DELETE:
        table[ord(ch)] = None
    # Simplified forms of variants resolve to the canonical variant.
    for code, target in list(table.items()):
        if target is not None and chr(target) in _VARIANTS:
            table[code] = ord(_VARIANTS[chr(target)])
    return table


@lru_cache(maxsize=1)
def _pattern_table() -> dict[int, int]:
    """The character mappings of the text table that a regex's literals need too: a pattern
    written 「核准」 or 「苗栗」 must meet the text's 核準 and 苗慄 (OpenCC reads 准 and 栗 as
    Simplified), and 「台」 the text's 臺. Case, punctuation and deletions are left out: they
    would change what the regex means (\\S, (?:…), 「」)."""
    table = {ord(s): ord(t) for s, t in _opencc_simplified_table().items()}
    table.update({ord(a): ord(b) for a, b in _VARIANTS.items()})
    for code, target in list(table.items()):
        if chr(target) in _VARIANTS:
            table[code] = ord(_VARIANTS[chr(target)])
    return table


def pattern_form(source: str) -> str:
    """A regex source with its CJK literals in the form normalised text has."""
    return source.translate(_pattern_table())


@lru_cache(maxsize=1)
def _bmp_table() -> list[int | None]:
    """The table as a list over the Basic Multilingual Plane: ``str.translate`` indexes a
    list twice as fast as it looks up a dict that lacks most characters of a page."""
    table: list[int | None] = list(range(0x10000))
    for code, target in _table().items():
        if code < 0x10000:
            table[code] = target
    return table


_ASTRAL = regexcache.compile("[\U00010000-\U0010ffff]")


def _translate(text: str) -> str:
    out = text.translate(_bmp_table())  # a character beyond the BMP is left as it is…
    if _ASTRAL.search(text) is not None:
        # …which is right for emoji, not for a Simplified character of CJK Extension B
        table = _table()
        if any(ord(ch) in table for ch in set(_ASTRAL.findall(text))):
            return text.translate(table)
    return out


_DELETE_SET = frozenset(_DELETE)
_DELETE_RX = regexcache.compile("[" + re.escape("".join(sorted(_DELETE_SET))) + "]") if _DELETE_SET else None
_DELETE_RUN_RX = regexcache.compile("[" + re.escape("".join(sorted(_DELETE_SET))) + "]+")


class OffsetMap(Sequence):
    """offsets[i] = index in the original of normalised character i, kept as the stretches
    between deleted runs (a page has a few hundred), not as one integer per character."""

    __slots__ = ("_starts", "_shifts", "_len")

    def __init__(self, starts: list[int], shifts: list[int], length: int):
        self._starts, self._shifts, self._len = starts, shifts, length

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        return i + self._shifts[bisect.bisect_right(self._starts, i) - 1]


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    offsets: OffsetMap | range  # offsets[i] = index in ``original`` of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of normalised text back to a span of the original text."""
        if not self.text:
            return 0, 0
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.offsets[start], self.offsets[end - 1] + 1

    def original_slice(self, start: int, end: int) -> tuple[int, int, str]:
        a, b = self.span(start, end)
        return a, b, self.original[a:b]


# A line break inside a sentence (PDF text, hard-wrapped plain text) is not a clause
# boundary: a long line that does not end in sentence punctuation, followed by a line
# that does not start a new item, continues the sentence.
_SOFT_BREAK = regexcache.compile(
    # (the newline first: re scans for it fast; a line that ends with an emoji, 「…也不錯😊」, has ended)
    r"\n(?<=[^\s。．.!?;:！？；：」』）】)\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff]\n)"
    # (decorative bullets too, and an emoji that opens a line: 「🥮 月餅…」, 「⚠️ …」)
    # (an indented continuation too, 「…我會留底防詐騙，\n   不能刪掉」, when the line before ends with a comma,
    # or an English sentence's next word, 「…shall be brought exclusively\n  before the …」)
    r"(?=[^\s・•●○■□◆◇★☆▶►▸*※\-－(（QqAaＱＡ問答【♡♥❤▪▫‧◎◉✔✓✅✿❀➤→\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff]|(?<=[,，、]\n)[ \t\u3000]+[\u4e00-\u9fff]|(?<=[A-Za-z]\n)[ \t]+[a-z])"
    # a digit or CJK numeral continues the sentence unless it numbers a new item
    # (「為契約之\n一部分」 vs 「\n一、」, 「\n1,000 元」 vs 「\n1. 」, 「\n第三條」)
    # (nor a chat log's next message, led by its time or date: 「\n10:21 陳怡伶 …」, 「\n2026/11/17」)
    r"(?![0-9０-９]{1,2}[.．、)）](?![0-9０-９])|[一二三四五六七八九十]{1,3}[、．.]|第[一二三四五六七八九十百零〇0-9０-９]+[條章節點項款]"
    r"|[0-9０-９]{1,2}[:：][0-9０-９]{2}(?![0-9０-９])|[0-9０-９]{4}[/／.\-][0-9０-９]{1,2}[/／.\-]"
    # (nor a contract's party line, 「乙方（企業經營者）：…股份有限公司」)
    r"|(?:甲方|乙方|丙方)[(（:：])"
)
# a row of a table or list of labels (「限購規定：…」 under 「訂購流程：…」) is a line of its own
_ROW = regexcache.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}[:：](?![/\d])")
_SOFT_MIN_LINE = 20
_EMOJI_LED = regexcache.compile(r"[ \t\u3000]*[\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff]")


def _join_soft_breaks(text: str) -> str:
    if "\n" not in text:
        return text

    def repl(m: re.Match) -> str:
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start < _SOFT_MIN_LINE:
            return "\n"
        if _ROW.match(text, m.end()) and _ROW.match(text, line_start):
            return "\n"  # one labelled row after another
        if " | " in text[line_start:m.start()]:
            return "\n"  # a table's row (the extractor writes its cells 「a | b | c」) ends at its line
        if text.count("｜", line_start, m.start()) + text.count("|", line_start, m.start()) >= 3:
            return "\n"  # a menu of links (「訂購｜付款與運費｜七天解除與退款｜…」)
        if _EMOJI_LED.match(text, line_start):
            return "\n"  # a social post's emoji item (「💸 退款一律轉成購物金…」) is not hard-wrapped prose
        return " "

    return _SOFT_BREAK.sub(repl, text)  # same length: offsets stay valid


def normalize(text: str) -> Normalized:
    joined = _join_soft_breaks(text)
    out = _translate(joined)
    if _DELETE_RX is None or _DELETE_RX.search(joined) is None:
        offsets = range(len(joined))  # nothing deleted: the identity map, without a tuple per char
    else:
        # where each kept stretch begins in the normalised text, and how far it has moved
        starts, shifts, deleted = [0], [0], 0
        for m in _DELETE_RUN_RX.finditer(joined):
            deleted += m.end() - m.start()
            starts.append(m.end() - deleted)
            shifts.append(deleted)
        offsets = OffsetMap(starts, shifts, len(joined) - deleted)
    assert len(offsets) == len(out), "translate table must map one character to at most one"
    return Normalized(text, out, offsets)


def normalize_plain(text: str) -> str:
    """Normalised text without an offset map (for patterns, examples, labels)."""
    return _translate(text)



# --- the trader's own names ------------------------------------------------------
#
# Shops write of themselves by name as often as 本公司 (「小鹿有權取消訂單」). Rules speak
# of the trader through {TRADER}; the engine adds the names a document declares for
# itself (its title line, 「（以下稱X）」, the registered company name and the brand stem)
# to that vocabulary for that document: Context matches patterns against a view of the text
# where those names read as {TRADER} words of the same length.

_ALIAS_DECL = regexcache.compile(r"(?:以下簡稱為?|以下稱為?|下稱)[:為]?([\u4e00-\u9fffa-z0-9&]{2,12}?)(?=[),,。;:]|$)")
_COMPANY = regexcache.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=由|為|是))((?:(?![由為是的之及與和在])[\u4e00-\u9fff]){2,8}?)(?:國際)?(?:股份有限公司|有限公司|企業社|實業社|商行)")
_TITLE = regexcache.compile(r"\A\W*([\u4e00-\u9fffa-z0-9]{2,16}?)(?:網路)?[|｜:]?(?:購物須知|購物說明|購物條款|購物規範|服務條款|會員條款|使用條款|交易條款|銷售條款|購買須知|退換貨(?:須知|說明|政策)|常見問題|購物指南)")
# (「存好雲savenest」: the Chinese and the Latin part of a title's name, each a name of its own)
_SCRIPT_RUN = regexcache.compile(r"[\u4e00-\u9fff]{2,}|[a-z][a-z0-9]{3,}")
# a Latin brand that acts as a party (「switchcraft得視庫存…」) and heads the page (its title line)
# (matched from the character class, which re scans fast; a lookbehind first is tried at every position)
_LATIN_ACTOR = regexcache.compile(r"[a-z][a-z0-9]{3,19}(?=得|將|保留|有權|應|不得|不會|會)")
_NOT_A_BRAND = regexcache.compile(r"^(?:line|email|mail|gmail|google|apple|visa|master|mastercard|jcb|paypal|linepay|jkopay|facebook|instagram|threads|youtube|shopee|momo|pchome|yahoo|ruten|pinkoi|ubereats|foodpanda|android|ios|iphone|ipad|windows|wifi|app|atm|cvs|qrcode|otp|sms|faq|pdf|html|http|https|www)$")
_STEM = regexcache.compile(r"(?:雜貨舖|雜貨店|雜貨鋪|雜貨|選物店|選物|選品|商店|小舖|小鋪|本舖|生活館|購物網|商城|工作室|工坊)$")
# generic words that must never be read as the trader (a stem like 數位 would turn
# 「數位內容」 into the trader)
_NOT_SELF = regexcache.compile(
    r"^(?:本|我|敝)|會員|消費者|顧客|客戶|用戶|使用者|買家|賣家|賣方|店家|業者|商家|網站|網路|線上|購物|平臺|官方|官網"
    r"|個人資料|隱私|退換|退貨|服務|條款|契約|須知|政策|規範|說明|臺灣|中華|[及與和之的]$"
    r"|學員|家長|訂購人|購買人|買方|承租人|團員|訂戶|訂閱者|旅客|學生|住戶|持卡人|甲方|乙方"
    # a sentence read as a name before 商行 (「一律以本商行…」: 本商行 is the self-word, not a name)
    r"|本$|^一律|^[以將請均皆應]|[以依]本"
    r"|訂購|購買|下單|付款|配送|運送|寄送|出貨|退款|商品|產品|新手|常見|一般|網購|訂單|結帳|運費|客服|售後|保固"
    r"|維修|活動|優惠|折扣|禮券|點數|發票|個資|安全|帳號|密碼|團購|預購|使用|交易|注意|重要|最新|全站|全館"
    r"|^(?:數位|生活|科技|國際|電子|商務|文化|事業|貿易|服飾|家具|家電|影像|生技|企業|實業|創意|百貨|寵物|香氛|植栽|廚具|文具|書房|手作|烘焙|美妝|保養|食品|生鮮|蔬果|茶業|咖啡|圖書|書店|3c)$")


_COMPANY_SUFFIX = regexcache.compile(r"有限公司|企業社|實業社|商行")
_TAX_ID = regexcache.compile(r"統一編號|統編")
_SHOP_BEFORE_ID = regexcache.compile(r"(?:^|(?<![\u4e00-\u9fff]))((?:(?![由為是的之及與和在我你您本])[\u4e00-\u9fff]){2,8}?)"
                             r"(工作室|設計館|工坊|小舖|小鋪|商店|選物店|生活館)[ \t]*[(:]?[ \t]*$")


def _own_alias(word: str) -> bool:
    """Is a name the document declares (「以下簡稱「本學苑」」) a 本-word of the trader's own, not of
    the document or the service (「本協議」, 「本服務」)?"""
    return bool(_OWN_ALIAS.fullmatch(word)) and not _DOCUMENT_WORD.fullmatch(word)


def own_aliases(text: str) -> list[str]:
    """The 本-words a document defines for its own trader (「（以下稱「本室」）」, normalised text)."""
    return sorted({m.group(1) for m in _ALIAS_DECL.finditer(text[:20000]) if _own_alias(m.group(1))})


def self_names(text: str) -> list[str]:
    """Names a document uses for its own trader (normalised text), longest first."""
    found: set[str] = set()

    def add(name: str, full: str = "") -> None:
        if full:
            found.add(full)  # the full registered name
        found.add(name)
        stem = _STEM.sub("", name)
        if len(stem) >= 2:
            found.add(stem)

    declared: set[str] = set()
    for rx in (_ALIAS_DECL, _TITLE):
        for m in rx.finditer(text[:20000]):
            add(m.group(1))
            if rx is _TITLE:
                for run in _SCRIPT_RUN.findall(m.group(1)):
                    if run != m.group(1) and not _NOT_A_BRAND.match(run):
                        add(run)
            if rx is _ALIAS_DECL and _own_alias(m.group(1)):
                declared.add(m.group(1))  # 「（以下簡稱「本學苑」）」: a 本-word of its own
            elif rx is _ALIAS_DECL and m.group(1) in _PARTY_WORDS:
                # 「康田生技股份有限公司（以下簡稱乙方）」: a contract's party word is the trader
                # when it names the company, not the member or consumer
                before = text[max(0, m.start() - 24):m.start()].rsplit("\n", 1)[-1]
                if _COMPANY_SUFFIX.search(before) and not _CONSUMER_BEFORE.search(before):
                    declared.add(m.group(1))
    # a contract's parties defined at the top: 「乙方：錶帶工場國際有限公司（代表人…）」,
    # 「甲方（企業經營者）：慈光堂佛具有限公司」
    for m in _PARTY_DEF.finditer(text[:3000]):
        if not _CONSUMER_BEFORE.search(m.group(0)):
            declared.add(m.group(1))
    # company names: find the suffix (a literal, fast), then read the name before it
    for m in _COMPANY_SUFFIX.finditer(text):
        window = text[max(0, m.start() - 14):m.end()]
        c = None
        for c in _COMPANY.finditer(window):
            pass
        if c is not None and c.end() == len(window):
            add(c.group(1), c.group(0).lstrip(" \t:,(、|｜/"))
            # the short name the text goes by (翼境空拍股份有限公司 -> 「翼境得隨時…」)
            for k in (2, 3):
                short = c.group(1)[:k]
                if len(c.group(1)) > k + 1 and _acts_twice(text, short):
                    found.add(short)
    # a shop that is no company, named by its tax number: 「柔隅瑜珈工作室（統一編號 90817264）」
    for m in _TAX_ID.finditer(text[:20000]):
        window = text[max(0, m.start() - 16):m.start()]
        c = _SHOP_BEFORE_ID.search(window)
        if c is not None:
            add(c.group(1) + c.group(2))
            for k in (2, 3):
                short = c.group(1)[:k]
                if len(c.group(1)) > k and _acts_twice(text, short):
                    found.add(short)
    head = text[:200]
    for m in _LATIN_ACTOR.finditer(text):
        word = m.group()
        if word in head and not _NOT_A_BRAND.match(word) and not (m.start() and text[m.start() - 1].isascii()
                                                                   and text[m.start() - 1].isalnum()):
            found.add(word)
    names = {n for n in found if len(n) >= 2 and not _NOT_SELF.search(n)} | declared
    return sorted(names, key=lambda n: (-len(n), n))  # (longest first; ties in a fixed order, whatever the hash seed)


_PARTY_WORDS = ("甲方", "乙方", "賣方", "出賣人")
# (any role in the parenthesis, 「甲方（出版者）：山嵐出版有限公司」; a consumer's role is refused below)
# (not the other party's name on the same line: 「甲方：＿＿＿＿　乙方：衡裁服飾有限公司」 defines 乙方 only)
_PARTY_DEF = regexcache.compile(r"(?:^|\n)[ \t]*(甲方|乙方)(?:\([^()\n]{1,8}\))?[ \t]*:(?:(?!甲方|乙方)[^\n]){0,24}?"
                        r"(?:股份有限公司|有限公司|企業社|實業社|商行|工作室)")
_CONSUMER_BEFORE = regexcache.compile(r"會員|消費者|顧客|客戶|用戶|使用者|買家|買方|訂購人|購買人|學員|家長|訂戶")
# a 本-word a document declares for itself that {TRADER} does not know (本學苑, 本藥局)
_OWN_ALIAS = regexcache.compile(r"本[\u4e00-\u9fff]{1,4}")
# 「（下稱「本協議」）」, 「（下稱「本服務」）」: the terms or the service, not the trader
_DOCUMENT_WORD = regexcache.compile(
    r"本(?:協議|條款|約定|約款|契約|合約|約|須知|規範|辦法|政策|聲明|規則|說明|服務|活動|方案|商品|課程|計畫|章程|細則)(?:書)?")
# what a trader does in its terms, right after its name
_ACTS = ("得", "將", "會", "保留", "有權", "應", "可", "不得", "不會", "已", "承諾", "保證", "享有", "負責", "提供")


def _acts_twice(text: str, name: str) -> bool:
    """Does the text say twice that ``name`` does something (「翼境得…」)? (str.find: no regex
    to compile for every name of every page)"""
    seen, i = 0, text.find(name)
    while i != -1:
        if text.startswith(_ACTS, i + len(name)):
            seen += 1
            if seen == 2:
                return True
        i = text.find(name, i + 1)
    return False
