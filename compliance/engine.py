"""evaluate(documents, pack) -> one Result per rule, in catalogue order.

A target is one or more documents (a site's pages). Mandatory items are judged over
all of them together; prohibited clauses are found in any of them; evidence always
names the document and offsets into its extracted text.

Checks are plain functions in a dict registry (style.md habit 12); a rule names its
check in YAML (`check:`), and the generic ones are driven entirely by its patterns.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from . import __version__, regexcache
from .match import (compile_regex, finds_across_joins, is_eager, negated, scan_entry, scanned, scanning_form,
                    with_first_chars)
from .models import Document, Evidence, Kind, Report, Result, Status, Target
from .normalize import Normalized, normalize, own_aliases, pattern_form, self_names
from .rules import Pattern, Rule, RulePack, load_pack
from .segment import Clause, clauses, is_question_text

TOOL = {"name": "tw-retail-compliance", "version": __version__,
        "information_uri": "https://github.com/tw-retail-compliance/scanner"}


@dataclass
class Prepared:
    doc: Document
    norm: Normalized
    clauses: list[Clause]
    starts: list[int] = field(default_factory=list)
    # clauses of other people's comments under a post (「B1：推！我之前買過別家，退費要扣 30%」):
    # not the shop's terms, so no pattern is found in them
    others: frozenset[int] = frozenset()

    def clause_at(self, pos: int) -> Clause | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        c = self.clauses[i]
        return c if c.start <= pos < c.end else None

    def evidence(self, start: int, end: int, matched_by: str) -> Evidence:
        a, b, text = self.norm.original_slice(start, end)
        return Evidence(self.doc.location, a, b, text, matched_by)


@dataclass(frozen=True, slots=True)
class Hit:
    prep: Prepared
    clause: Clause
    start: int  # within the document's normalised text
    end: int
    pattern: Pattern | None
    note: str = ""

    def evidence(self, matched_by: str | None = None) -> Evidence:
        label = matched_by or (self.pattern.name if self.pattern else "") or self.note
        return self.prep.evidence(self.clause.start, self.clause.end, label)


def prepare(doc: Document, text: str | None = None) -> Prepared:
    """``text``, when given, is what is judged of ``doc``: its own text with some parts blanked
    out, character for character (quoted_terms), so that offsets stay the document's."""
    norm = normalize(doc.text if text is None else text)
    cl = clauses(norm.text)
    others = _comment_clauses(cl) if _FLOOR.search(norm.text) else frozenset()
    if _REPLY.search(norm.text):
        others = others | _reply_clauses(cl, norm.text)
    if _MENU_MARK.search(norm.text):
        others = others | {c.index for c in cl if _MENU.fullmatch(c.text.strip())}
    return Prepared(doc, norm, cl, [c.start for c in cl], frozenset(others))


# a menu of a chat account's or a page's sections (「【📦 訂購流程】【🚚 運費配送】【↩️ 退貨退款】…」,
# normalised: 「📦訂購流程🚚運費配送↩️退貨退款…」): labels, no terms
_EMOJI = r"[\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff\ufe0f]"
_MENU_MARK = regexcache.compile(_EMOJI + r"[\u4e00-\u9fff]{1,8}" + _EMOJI)
_MENU = regexcache.compile(r"(?:" + _EMOJI + r"+[\u4e00-\u9fffa-z]{1,8}){4,}")


# a commenter's floor on a forum post (Dcard 「B1：」, 「B12 匿名：」, 「3樓：」), not the author's
# own reply (「B4 原PO：」)
_FLOOR = regexcache.compile(r"(?:^|\n)(?:b\d{1,4}|\d{1,4}樓)[^:,;。\n]{0,12}:")
_FLOOR_LINE = regexcache.compile(r"(?:b\d{1,4}|\d{1,4}樓)(?![^:,;。]{0,12}(?:原po|樓主|作者|店長|老闆|官方|小編|版主))[^:,;。]{0,12}:")


# a reply under a post (Facebook 「↳ 張○庭：…」, Threads 「└ 阿芳：…」) or a PTT push (「→ whyso_serious: …」,
# 「推 sn0wbear: …」): a commenter's words, unless the name is the poster's own (the page or poster line:
# 「↳ 學長書櫃 Senior's Shelf：已私訊確認囉」) or the shop's staff
# (a push is 「推|噓|→」, a PTT id and the push's date at the end of the line: not 「推薦商品：」, 「→ 現在：7 天內可退」)
_REPLY = regexcache.compile(r"(?m)^[ \t\u3000]*(?:(?:↳|└)[ \t\u3000]*([^:\n]{1,30}?)[ \t\u3000]*:"
                            r"|(?:推|噓|→)[ \t\u3000]*([a-z0-9_]{2,20})[ \t\u3000]*:(?=[^\n]*\d{1,2}/\d{1,2}[ \t\u3000]*\d{1,2}:\d{2}[ \t\u3000]*$))")
_STAFF = regexcache.compile(r"原po|樓主|作者|店長|老闆|官方|小編|版主|團主|賣家|客服|主理人")
_PTT_AUTHOR = regexcache.compile(r"作者[ \t\u3000:]*([a-z0-9_]{3,20})")


def _reply_clauses(cl: list[Clause], text: str) -> frozenset[int]:
    own = {n[:2] for n in _title_names(text) if len(n) >= 2}
    author = _PTT_AUTHOR.search(text[:400])
    starts = set()  # where each commenter's line begins (past its indent, where its clause begins)
    for m in _REPLY.finditer(text):
        name = m.group(1) or m.group(2)
        if not (_STAFF.search(name) or any(n in name for n in own) or (author and author.group(1) in name)):
            starts.add(m.start() + len(m.group()) - len(m.group().lstrip(" \t\u3000")))
    out, inside = set(), False
    for c in cl:
        if c.line_start:
            inside = c.start in starts
        if inside:
            out.add(c.index)
    return frozenset(out)


def _comment_clauses(cl: list[Clause]) -> frozenset[int]:
    out, inside = set(), False
    for c in cl:
        if c.line_start:
            inside = bool(_FLOOR_LINE.match(c.text))
        if inside:
            out.add(c.index)
    return frozenset(out)


# A writer's post that copies out a shop's terms between marker lines (「————（以下為截圖內容）————」
# … 「————（截圖內容結束）————」): the copy is that shop's terms, the rest is the writer's.
_RULE_LINE = r"[ \t\u3000]*[—━=\-─_~～*＊＝▼▲▽△◆◇■□●○★☆]{2,}[ \t\u3000]*"
_QUOTE_OPEN = regexcache.compile(
    r"(?m)^" + _RULE_LINE + r"[（(【\[]?[ \t\u3000]*(?:以下(?:為|是)|下面是|底下是|[^\n]{0,20}?(?:原文|全文|內容|節錄|截圖|條款)[^\n]{0,4}開始)[^\n]{0,40}?[)）】\]]?" + _RULE_LINE + r"$")
_QUOTE_CLOSE = regexcache.compile(
    r"(?m)^" + _RULE_LINE + r"[（(【\[]?[^\n]{0,20}?(?:結束|到此|完畢|為止|以上(?:為|是|就是)?[^\n]{0,6}(?:原文|截圖|內容|節錄|全文))[^\n]{0,20}?[)）】\]]?" + _RULE_LINE + r"$")


_ANY_FLOOR = regexcache.compile(r"(?im)^[ \t\u3000]*(?:b\d{1,4}|\d{1,4}樓)(?![\d])")
_TRADER_FLOOR = regexcache.compile(r"(?im)^[ \t\u3000]*(?:b\d{1,4}|\d{1,4}樓)(?![\d])[^\n]{0,30}?(?:官方|小編|客服|店長|老闆)[^\n]*$")


def quoted_terms(text: str) -> str | None:
    """``text`` with everything but the shop's terms it quotes between marker lines blanked out
    (every character but line ends becomes a space), or None when it quotes none."""
    spans, pos = [], 0
    while (m := _QUOTE_OPEN.search(text, pos)) is not None:
        end = _QUOTE_CLOSE.search(text, m.end())
        if end is None:
            break
        spans.append((m.end(), end.start()))
        pos = end.end()
    if not spans or sum(b - a for a, b in spans) < 100:
        return None
    # the shop's own replies under the post (「B4　曜居（官方帳號）」) speak for it too
    for m in _TRADER_FLOOR.finditer(text):
        nxt = _ANY_FLOOR.search(text, m.end())
        spans.append((m.start(), nxt.start() if nxt else len(text)))
    spans.sort()
    out, last = [], 0
    for a, b in spans:
        if b <= last:
            continue
        a = max(a, last)
        out.append(re.sub(r"[^\n]", " ", text[last:a]))
        out.append(text[a:b])
        last = b
    out.append(re.sub(r"[^\n]", " ", text[last:]))
    return "".join(out)


class Context:
    """Everything the checks need about one target, computed once."""

    def __init__(self, documents: list[Document], assume_terms: bool = False):
        self.documents = documents
        # a writer's post judged on the shop's terms it copies out (quoted_terms)
        self.quoting: set[int] = set()
        self.preps = []
        for d in documents:
            if not (d.text and d.text.strip()):
                continue
            quoted = quoted_terms(d.text) if not assume_terms and _QUOTE_OPEN.search(d.text) else None
            if quoted is not None and _writer_voice(d.text) and not _writer_voice(quoted):
                p = prepare(d, quoted)
                self.quoting.add(id(p))
            else:
                p = prepare(d)
            self.preps.append(p)
        self.chars = sum(len(p.norm.text) for p in self.preps)  # what a whole-target scan reads
        self.assume_terms = assume_terms
        self.gate = None  # a long run's prefilter (compliance.gate), set by evaluate()
        # a site's blog post or press page beside its terms (「我買了…客服跟我說：「恕不退貨」」)
        # is not the shop's contract: the other pages are judged, it is set aside
        self.set_aside: list[Prepared] = []
        if not assume_terms and len(self.preps) > 1:
            writer = [p for p in self.preps if id(p) not in self.quoting and _writer_voice(p.doc.text)]
            if writer and len(writer) < len(self.preps):
                self.set_aside = writer
                self.preps = [p for p in self.preps if p not in writer]

    @cached_property
    def is_terms(self) -> bool:
        if self.assume_terms:
            return True
        # only a target whose every page speaks as a writer about shops is no terms
        if self.preps and not self.set_aside and all(id(p) not in self.quoting and _writer_voice(p.doc.text)
                                                     for p in self.preps):
            return False
        return looks_like_terms(" ".join(p.norm.text for p in self.preps))

    @cached_property
    def trader_names(self) -> tuple[str, ...]:
        """The names the documents use for their own trader (title, 以下稱, company name)."""
        names: list[str] = []
        for p in self.preps:
            names += [n for n in self_names(p.norm.text) if n not in names]
        return tuple(sorted(names, key=lambda n: (-len(n), n))[:12])

    def _view(self, p: Prepared) -> tuple[str, list[Clause]]:
        """The text and clauses patterns are matched against: the trader's own names are
        written as {TRADER} words of the same length (「小鹿雜貨舖」 -> 「本公司本店」), so
        offsets and clause boundaries stay those of the document."""
        views = self.__dict__.setdefault("_views", {})
        view = views.get(id(p))
        if view is None:
            view = (p.norm.text, p.clauses)
            names = self.trader_names
            if names and any(n in p.norm.text for n in names):
                text, spans = _as_trader_spans(p.norm.text, names)
                # the clauses a name was written over in (a name is written over with a word of
                # its length, so offsets and clauses stay the document's), and those under a
                # heading or topic that holds one
                changed: set[int] = set()
                for a, b in spans:
                    i = max(0, bisect.bisect_right(p.starts, a) - 1)
                    while i < len(p.clauses) and p.clauses[i].start < b:
                        if p.clauses[i].end > a:
                            changed.add(i)
                        i += 1
                named = {s for c in p.clauses for s in (c.heading, c.topic)}
                named = {s for s in named if s and any(n in s for n in names)}
                view = (text, [replace(c, text=text[c.start:c.end], heading=_as_trader(c.heading, names),
                                       topic=_as_trader(c.topic, names))
                               if c.index in changed or c.heading in named or c.topic in named else c
                               for c in p.clauses])
            views[id(p)] = view
        return view

    @cached_property
    def views(self) -> list[tuple[Prepared, str, list[Clause]]]:
        """(prepared document, view text, view clauses) of every document, in order."""
        return [(p, *self._view(p)) for p in self.preps]

    @cached_property
    def presence(self) -> list[dict[int, list[int]] | None]:
        """For each view, the gate's expressions that can match it, each with the offsets where
        its matches end (compliance.gate); None: the view is not gated."""
        return [self.gate.ends(text) for _, text, _ in self.views]

    @cached_property
    def joined(self) -> str:
        """The view texts of all documents, joined by newlines (see match.finds_across_joins)."""
        return "\n".join(text for _, text, _ in self.views)

    def all_clauses(self):
        for p in self.preps:
            for c in p.clauses:
                yield p, c

    def find(self, pattern: Pattern, limit: int | None = None) -> list[Hit]:
        """Hits of a pattern: inside one clause, with its `with`, without its `unless`,
        and (unless `negatable: false`) not governed by a protective construction.
        With ``limit``, stop once that many hits are found (presence needs only one)."""
        hits: list[Hit] = []
        views = self.views
        ends_of = None  # for each view: where the regex's matches can end, or None
        width = None
        if self.gate is not None:
            gid = self.gate.index.get(id(pattern.match))
            if gid is not None:
                # pages the regex cannot match at all are not searched, and on the others the
                # searches start near where a match can end (compliance.gate)
                presence = self.presence
                if len(presence) == 1:  # (a page: most targets, and most calls end here)
                    present = presence[0]
                    if present is not None:
                        if gid not in present:
                            return hits
                        ends_of = [present[gid]]
                else:
                    gated = [(v, present) for v, present in zip(views, presence) if present is None or gid in present]
                    if not gated:
                        return hits
                    views = [v for v, _ in gated]
                    ends_of = [None if present is None else present[gid] for _, present in gated]
                width = self.gate.width[gid]
        if ends_of is None:
            ends_of = [None] * len(views)
        entry = scan_entry(pattern.match)
        rx = entry[2]  # the same matches, found faster once the regex has been used often
        counting = entry[1] > 0  # (what it scans is counted only until it is rewritten)
        chars = 0
        if len(views) > 1 and finds_across_joins(pattern.match):
            m = rx.search(self.joined)
            if m is None:
                if counting:
                    scanned(pattern.match, len(self.joined))
                return hits  # in none of the pages: one search of them all says so
            chars = m.start()
        for (p, text, view_clauses), ends in zip(views, ends_of):
            pos = 0
            while limit is None or len(hits) < limit:
                start = pos
                if ends is not None:
                    # a match from `pos` on ends past it, where its expression's does
                    k = bisect.bisect_right(ends, pos)
                    if k == len(ends):
                        break
                    if width is not None and ends[k] - width > pos:
                        start = ends[k] - width
                m = rx.search(text, start)
                if m is None:
                    chars += len(text) - pos
                    break
                chars += m.start() - pos
                clause = p.clause_at(m.start())
                if clause is None:
                    pos = m.start() + 1
                    continue
                if clause.index in p.others:
                    pos = clause.end
                    continue
                clause = view_clauses[clause.index]
                if m.end() > clause.end:
                    # crossed a clause boundary: look inside this clause only, then go on
                    # from the next clause (a later clause may hold the real hit)
                    m = rx.search(clause.text)
                    s = clause.start + m.start() if m else -1
                else:
                    s = m.start()
                pos = clause.end  # one hit per clause is enough
                if m is None:
                    continue
                nxt = view_clauses[clause.index + 1] if clause.index + 1 < len(view_clauses) else None
                prv = view_clauses[clause.index - 1] if clause.index and not clause.line_start else None
                # `with`, `unless` and `heading` speak of the whole clause: judged once
                if not self._clause_accepts(pattern, clause, nxt, prv):
                    continue
                if pattern.negatable:
                    if clause.is_question:
                        continue
                    if negated(clause.text, s - clause.start):
                        # this occurrence is negated; a later one in the same clause may not be
                        m2 = None
                        for m2 in rx.finditer(clause.text, s - clause.start + 1):
                            if not negated(clause.text, m2.start()):
                                break
                        else:
                            m2 = None
                        if m2 is None:
                            continue
                        s, m = clause.start + m2.start(), m2
                hits.append(Hit(p, p.clauses[clause.index], s, s + (m.end() - m.start()), pattern))
        if counting:
            scanned(pattern.match, chars)
        return hits

    @staticmethod
    def _clause_accepts(pattern: Pattern, clause: Clause, following: Clause | None = None,
                        preceding: Clause | None = None) -> bool:
        """The clause-level conditions of a pattern: its `with`, `unless` and `heading`."""
        text = clause.text
        # a proviso in the next sentence (「…為管轄法院。但…不在此限」) belongs to this clause
        context = text + following.text if following is not None and (
            _PROVISO.match(following.text) or _SAVING_NEXT.search(following.text, 0, 60)) else text
        if preceding is not None and _REMAINDER.match(text):
            # 「…得向消費關係發生地之法院起訴。其餘情形以臺北地方法院為管轄法院」: the sentence
            # before says what the remainder is the rest of
            context = preceding.text + context
        # what an FAQ answer is about may be said only by its question
        # (「Q：會把我的資料給別人嗎？ A：會，我們會提供給合作廠商。」)
        about = f"{clause.topic} {text}" if clause.topic and is_question_text(clause.topic) else text
        if preceding is not None and _BUT.match(text):
            # 「會員得請求查詢、閱覽…；但每年以二次為限」: a proviso is about what the sentence before grants
            about = preceding.text + about
        if pattern.with_ and not all(w.search(about) for w in pattern.with_):
            return False
        if pattern.unless and any(u.search(context) for u in pattern.unless):
            return False
        if pattern.heading is not None:
            # (the sentence a clause after 「；」 continues says what it is about: 「第 6 條（帳號冒用）會員發現帳號…遭他人
            # 冒用時，應立即通知本公司；本公司接獲通知後，將暫停該帳號之購課及觀看功能」)
            before = preceding.text if preceding is not None and preceding.text.endswith(";") else ""
            if not pattern.heading.search(f"{clause.heading} {clause.topic} {before} {text}"):
                return False
        return True


# a sentence that qualifies the one before it: a proviso (但…不在此限) or the consequence of
# a deadline (「…三日內通知；逾期者，仍得依民法…」)
_TRADER_WORDS = {2: "本店", 3: "本公司", 4: "本工作室", 5: "企業經營者"}


def _trader_word(n: int) -> str:
    """A {TRADER} word (or words) exactly n characters long."""
    if n in _TRADER_WORDS:
        return _TRADER_WORDS[n]
    threes, rest = divmod(n, 3)
    if rest == 1:
        threes, rest = threes - 1, 4
    return "本公司" * threes + (_TRADER_WORDS[rest] if rest else "")


def _as_trader_spans(text: str, names: tuple[str, ...]) -> tuple[str, list[tuple[int, int]]]:
    """``_as_trader(text, names)`` and the spans of it that were written over."""
    spans = []
    for n in names:
        i = text.find(n)
        if i >= 0:
            while i >= 0:
                spans.append((i, i + len(n)))
                i = text.find(n, i + len(n))
            text = text.replace(n, _trader_word(len(n)))
    return text, spans


def _as_trader(text: str, names: tuple[str, ...]) -> str:
    """The text with each name (longest first) written as a {TRADER} word of its length."""
    for n in names:
        if n in text:
            text = text.replace(n, _trader_word(len(n)))
    return text


_PROVISO = regexcache.compile(r"(?:但|惟|然|不過|除此之外|另|逾期|逾時|否則|如未|若未|未於"
                      # a rebuttal in the next sentence (「…以本公司系統紀錄為準；會員如能提出其他資料證明者…」)
                      r"|(?:消費者|會員|您|你|妳|買家|顧客|用戶|客戶)?(?:如|若|倘|如果|倘若)(?:能|可|有|另有)?(?:提出|舉證|提供|證明))")
# a saving stated in the next sentence without 但: the venue statutes (「…為第一審管轄法院。前述約定不影響
# 消費者保護法第四十七條…」) or the consumer's own evidence (「…依本館紀錄認定；如您持有…之收據，仍得提出
# 反證，不以本館之紀錄為限」). These are the words of P08's and P07's savings; another rule's `unless`
# that names the same words (U02's 「不以…為限」) reads that sentence too.
_SAVING_NEXT = regexcache.compile(r"第47條|第四十七條|消費關係發生地|第436條之9|第四百三十六條之九|436-9|小額訴訟"
                          r"|不以[^。;]{0,16}(?:紀錄|記錄|資料)為限|(?:提出|舉證)(?:其他|反)(?:資料|證據|證明)?")
_BUT = regexcache.compile(r"(?:但|惟|但是)(?![書])")
# a sentence about the cases the one before leaves over (「其餘情形」, 「除前述情形外」)
_REMAINDER = regexcache.compile(r"(?:其餘|其他情形|除此之外|除(?:前述|上述|前項|前開|此)(?:情形|情況|規定)?(?:之)?外)")

_TERMS_SIGNALS = [
    # (「以下稱本室」: a name the page defines for itself)
    regexcache.compile(r"本(?:公司|網站|站|店|商店|賣場|平臺|商城|品牌)|我們|敝(?:公司|店)|以下(?:簡)?稱"),
    # (an owner speaks to its buyer as 你)
    regexcache.compile(r"會員|消費者|顧客|買家|您|你|妳|客人|租客|學員"),
    regexcache.compile(r"訂購|訂單|下單|購買|下標|得標|預約|預訂"),
    regexcache.compile(r"退貨|退換|退款|解除|退費|全退|不退"),
    regexcache.compile(r"付款|信用卡|貨到付款|匯款|轉帳|刷卡|訂金"),
    regexcache.compile(r"運費|配送|寄送|出貨|宅配|物流"),
    regexcache.compile(r"條款|須知|政策|規範|說明|注意事項|規則"),
    regexcache.compile(r"商品|產品|服務|出租|租借"),
]
_NEWS = regexcache.compile(r"記者|報導|報導指出|表示|指出|據了解|呼籲|民眾|網友|消基會|消保官|提醒|業者|投訴|申訴案")
_BLOG = with_first_chars(regexcache.compile(pattern_form(r"開箱|心得|分享|留言|追蹤|業配|推薦|延伸閱讀|網友|部落格|文章|食譜|料理|步驟|材料|好吃|大推|實測|(?<![本])我(?![們司])")))
# a shop owner writing the shop's own rules in the first person: 「我會馬上補寄」, 「我們出貨那天起算」,
# 「我會轉成折價券寄到你信箱」 (a blogger writes what they bought, received and thought)
_SELLER_I = with_first_chars(regexcache.compile(pattern_form(
    # (a few words may come between: 「我都會不定時調整」, 「我會把紙型摺好裝在牛皮紙袋寄出」)
    r"我(?:們)?(?:都|就|也|一律|通常|會先|才)?(?:會|可以|負責|幫你|替你|給你)[^。,;\n!?]{0,10}?"
    r"(?:出貨|寄出|寄給你|補寄|換新|退款|退錢|退還|退給你|轉成|通知你|主動通知|調整|開放預購|處理|修理|聯絡你|回覆你|更新)"
    r"|我們(?:出貨|寄出|收到(?:你的)?(?:退貨|商品|通知))"
    # the owner doing something for the customer it addresses (「我會先跟您確認」, 「我幫您出運費」)
    r"|我(?:們)?[^。,;\n!?]{0,8}?(?:幫|替|給|跟|通知|聯絡|回覆|寄給|退給|取消)(?:您|你|妳)")))
_OWN_SHOP_INFO = regexcache.compile(r"統一編號|統編|負責人")
# the page declares itself the terms the reader accepts by buying (「只要下標就代表你已經看過也同意了」,
# 「租車就等於同意喔」): a seller's words about its own rules
_OWN_CONSENT = regexcache.compile(r"(?:下標|下單|訂購|購買|租車|訂車|報名|付款|付訂金?|匯款|轉帳|結帳|預訂|預約)[^。\n,;]{0,4}?(?:就|即|便)?"
                          # (「下單＝你已經看過這串了喔」)
                          r"(?:代表|表示|視為|等於|等同|=)(?:你|您|妳)?[^。\n]{0,10}?(?:同意|接受|看過|看完|閱讀|讀過|審閱|了解)")
# the shop's own profile at the top of a chat export, and a title naming the page as the seller's rules
_SHOP_PROFILE = regexcache.compile(r"粉絲專頁[:：]|官方帳號[:：]|對話對象[:：]|商家[:：]|賣場(?:名稱)?[:：]|(?:^|\n)賣家[:：]"
                          # (a thread's or an auction page's own details: 「工作室：秒針工作室」, 「露天帳號：」)
                          r"|(?:^|\n)(?:工作室|店名|商號|公司名稱|露天帳號|蝦皮帳號|賣場帳號|賣家帳號|賣家名稱)[:：]")
# (a forum post offering the writer's own goods, 「[販售] 葉子皮革 手縫皮夾 接單說明 & 規則」)
_OWN_RULES_TITLE = regexcache.compile(r"(?:團購|開團|購物|購買|訂購|訂單|下單|接單|交易|退換貨|賣場|服務|會員|訂閱|會)(?:須知|說明|條款|規則|政策|公告)|\[(?:販售|賣|出售)\]")
# the writer names the rules its own (「我的網路訂單規則要改了」, 「我們的退貨規則」): a consumer writes
# of 他們的規則
_OWN_RULES_MINE = regexcache.compile(r"(?:我的|我們的|我們家的?|本店的?|小店的?)[^。\n!?？！]{0,8}?(?:規則|須知|條款|規定|政策)")
# a line of a chat log: a time, then who speaks (「10:31 疾風帽舖-阿德 可以喔～」, 「10:22 晴川繡學號-小晴:…」)
# (normalised: the tab between the time and the name is gone, and wrapped lines may be joined)
_CHAT_LINE = regexcache.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?\s?(?=[\u4e00-\u9fffa-z])")
# the writer says who they are at the top: the shop's owner (「我是老周，…工作室的店長」, 「【店長的話】」)
_OWNER_SELF = regexcache.compile(r"我是[^。\n]{0,30}?(?:店長|店主|老闆|負責人|創辦人|主理人)|(?:店長|店主|老闆)的話"
                         # 「歡迎來到綠苗的小賣場」: the writer welcomes the reader to its own shop
                         r"|歡迎(?:來到|光臨)[^。\n!?]{0,14}?(?:賣場|小舖|小鋪|小店|商店|工作室|官網)"
                         # 「我是線狐，一個人經營的小小版型工作室」
                         r"|我是[^。\n]{0,12}?[,，][^。\n]{0,6}?經營的[^。\n]{0,12}?(?:工作室|小舖|小鋪|小店|店|品牌|賣場|商行)"
                         # 「耳機狂想是我下班後經營的小店」
                         r"|(?:是我|由我)[^。\n]{0,10}?(?:經營|開|成立)的[^。\n]{0,8}?(?:工作室|小舖|小鋪|小店|店|品牌|賣場|商行)"
                         # 「大家好，我是山嵐烘豆所的老K」: someone of the shop, by the shop's name
                         r"|我是[^。\n,，]{2,12}?(?:所|店|舖|鋪|坊|工作室|商行|館|社|廠|園|小舖)的[^。\n,，]{1,8}"
                         # 「本人為焦糖小家電工作室負責人」
                         r"|本人(?:為|是|即)[^。\n]{0,20}?(?:負責人|店長|店主|老闆|創辦人|主理人)"
                         # 「這個賣場是幫我阿嬤開的」, 「開店第三年」, a blog's 「分類：店務公告」
                         r"|(?:這個|這間|這家|本)(?:賣場|小店|店|工作室|品牌)是(?:我|我們|幫我[^。\n,，]{0,6})(?:經營|開|成立)的"
                         r"|(?<![這那該])開店(?:第)?[一二三四五六七八九十兩\d]{1,3}年|(?:分類|類別)[:：][^\n]{0,6}店務"
                         # the seller speaking of selling: 「想跟我買二手錶的朋友」, 「現在店開在士林」
                         r"|(?:跟|向|找)我(?:們)?(?:買|購買|訂購|下單)|(?<![這那該家間])店(?:現在)?開在")
_CONTRACT = regexcache.compile(r"本條款|本契約|本須知|本規範|本政策|本規定|本說明|應於|不得|恕不|概不|得於|須於|規定|條款|消費者保護法|解除契約|退換貨|退款|運費|付款|訂單")
_SELF = regexcache.compile(r"本(?:公司|網站|站|店|商店|賣場|平臺|商城|品牌)|我們|敝(?:公司|店)|本條款|本契約|本服務")


# A writer's voice, read in the text as extracted (normalisation deletes the quote marks):
# a byline at the top (「文／林小芸」, 「作者：」, 「記者…報導」, 「律師專欄」), first-person
# narration outside FAQ questions (「我買了…」, 「客服跟我說…」), and shop clauses quoted as
# reported speech (客服竟然跟我說：「商品已拆封，恕不退貨喔。」). A shop's own page speaks
# as 本店／我們／小編 to 您 and quotes no one.
_BYLINE = regexcache.compile(r"(?:^|\n)[ \t\u3000]*(?:文|撰文|撰稿|作者|記者|編輯|採訪|整理|圖文|口述|by)[ \t\u3000]*[／/:：|｜]"
                     r"|(?:^|\n)作者[ \t\u3000]+[^\n]{1,40}\n[ \t\u3000]*(?:看板|標題)"  # a forum post's header
                     r"|(?:律師|醫師|記者|編輯|消費|法律|專家)專欄|本文作者|專欄作家"
                     r"|(?:^|\n)[^\n]{0,24}記者[^\n]{0,12}(?:報導|／|/)", re.IGNORECASE)
_PEN_NAME = regexcache.compile(r"筆者")
# a forum post that sells the writer's own goods (「標題  [販售] 團購 6.5L 氣炸鍋」): the seller's own terms
_SALE_POST = regexcache.compile(r"\[(?:販售|出售|賣)\]|【(?:販售|出售)】")
# (「發表於 2025-10-08　分類：店務公告　作者：老闆娘阿棠」, 「窗簾店老闆的碎碎念」)
_OWNER_BYLINE = regexcache.compile(r"(?:^|\n|[ \t\u3000])[ \t\u3000]*(?:文|撰文|圖文|作者)[ \t\u3000]*[／/:：|｜][^\n]{0,30}?(?:店長|店主|老闆|老闆娘|主理人|創辦人|認證店家|官方帳號)"
                           r"|(?:店長|店主|老闆|老闆娘|主理人)的(?:話|碎碎念|叮嚀|小叮嚀|提醒|公告)")
_THIRD_PARTY_TRADER = with_first_chars(regexcache.compile(r"(?<!物流)(?<!金流)(?<!貨運)(?<!運輸)(?<!快遞)(?<!宅配)(?:業者|店家|賣家|商家)"))
# words of a publication about shops, not of a shop (私訊/留言 are shops' words too)
_PUBLICATION = regexcache.compile(r"讀者|編輯部|編輯小結|延伸閱讀|懶人包|這篇文章|本篇文章|筆者|受訪|轉述|當事人|記者|消保官(?:也|則)?(?:表示|指出|提醒|說)")
# a quotation, and the verb of saying it follows (found from the quote mark, which is rarer)
_QUOTED = regexcache.compile(r"[「『“\"]([^」』”\"\n]{2,80})[」』”\"]")
# (an explainer's specimen clause, 「示範句：「本店提供七天鑑賞期，自訂單成立日起算。」」)
_SAID = regexcache.compile(r"(?<!不會)(?<!不能)(?<!不)(?<!別)(?:說|表示|回覆|回應|回答|回我|告訴我|寫著|寫道|寫|標著|轉述|強調|坦言|指出|回說|改口說|示範句|範例句?|例句)"
                   r"(?:的回覆|道)?[ \t]*[:：,，]?[ \t]*$")
# reported speech without quote marks: 「客服跟我說特價商品不能退」
_REPORTED_TO_ME = with_first_chars(regexcache.compile(
    r"(?:跟我|對我|回我|告訴我|回覆我|和我|向我)(?![們司])(?:說|講|表示|解釋)?[:：,，]?[^。\n]{0,30}?(?:恕不|不能|不可以?|概不|無法|不接受|不退|不換|拒絕)"))
# what a quoted shop clause says: a refusal, a condition, a rule
# a customer's question quoted by the shop (客人在 LINE 問我：「做好了不喜歡可以退嗎？」)
_ASKED = regexcache.compile(r"(?:嗎|呢|[?？])[\s~～。!！]*$")
_RULE_WORDS = regexcache.compile(r"恕|不|概|無法|拒|須|需|規定|規則|條款|須知|退|換|視為|即表示|為準|限|逾")
_SENTENCE_END = regexcache.compile(r"[。！？!?\n]")
_QUESTION_START = regexcache.compile(r"\s*(?:q\d*|問)\s*[:：.．]", re.IGNORECASE)
_NARRATOR = with_first_chars(regexcache.compile(r"(?<![自本])我(?![們司方國])"))


# the page's own name, read off its first line (「【木紋革作｜工作室日常】…」, 「Threads ｜ @mosslye.soap
# 苔原手工皂 Moss & Lye」): runs of Chinese characters, less the words any page's title has
_TITLE_RUN = regexcache.compile(r"[\u4e00-\u9fff]{2,10}")
_GENERIC_TITLE = regexcache.compile(r"關於|置頂|公告|說明|規則|須知|條款|政策|日常|分享|最新|新來|我們|購物|退貨|退換|常見|問題|大家|更新|版本|整理|必看|下單|歡迎|官方|服務")
_POSTER_LINE = regexcache.compile(r"(?:粉專|粉絲專頁|發文者|賣家|賣場|店家|版主|團主)[:：]|管理員已置頂|已置頂")
_I_AM = regexcache.compile(r"我是([^。\n!?]{1,40})")
_IS_MINE = regexcache.compile(r"[^。\n,，]{0,4}是我[^。\n]{0,30}?(?:經營|開|成立|做)")  # after the shop's name
# (a customer of the shop says 我是…的老客人; 「我是在苔原買的」 is where they bought)
_I_AM_CUSTOMER = regexcache.compile(r"^(?:在|從|跟|向)|客人|粉絲|顧客|會員|消費者|買家|客戶|讀者|網友|老客|回購")


def _title_names(text: str) -> list[str]:
    """The names the page's first lines give (the title, and a post's page or poster line:
    「學長書櫃 Senior's Shelf 二手教科書 ▸ 管理員已置頂」, 「發文者：果然好日子（阿芳）」)."""
    lines = [ln for ln in text.lstrip()[:400].split("\n") if ln.strip()][:3]
    # (after the title, only a line that names the page or the poster: not the writer's byline or first words)
    named = lines[:1]
    for ln in lines[1:]:
        m = _POSTER_LINE.search(ln)
        if m is not None:  # (the name after 「發文者：」, before 「▸ 管理員已置頂」)
            named.append(ln[m.end():m.end() + 60] if m.group()[-1] in ":：" else ln[max(0, m.start() - 60):m.start()])
    return [r[:4] for ln in named for r in _TITLE_RUN.findall(ln[:120]) if not _GENERIC_TITLE.match(r)]


def _owner_names_itself(text: str) -> bool:
    """Does the writer say it is (of) the shop the page is named after? 「我是木紋革作的阿哲」,
    「我是阿芷，苔原從 2019 年開始做皂」, 「木紋革作是我…一個人…在經營」"""
    names = [n for n in _title_names(text) if len(n) >= 2]
    if not names:
        return False
    head = text[:1500]
    for m in _I_AM.finditer(head):
        said = m.group(1)
        if not _I_AM_CUSTOMER.search(said) and any(n[:2] in said for n in names):
            return True
    for n in {n[:2] for n in names}:
        at = head.find(n)
        while at >= 0:
            if _IS_MINE.match(head, at + 2):
                return True
            at = head.find(n, at + 1)
    return False


# a page set out under headings of a seller's rules (「【怎麼下單】」, 「▍付款方式」, 「退換貨」): short
# lines of their own
_RULE_HEADING = regexcache.compile(r"(?m)^[^\n,，。;；!！?？]{0,8}?(下單|訂購|付款|寄送|運送|配送|運費|出貨|退換|退貨|退款|售後|保固|客製|取消|預購|限購|發票|開單|取貨)[^\n,，。;；!！?？]{0,8}$")


def _rule_headings(text: str) -> int:
    """How many different seller's-rule topics head lines of their own."""
    return len({m.group(1) for m in _RULE_HEADING.finditer(text)})


def _seller_marks(text: str) -> int:
    """How many marks of a seller writing its own rules the page bears at its top and outside any
    terms it copies out: the shop's profile line (「賣家：」), the rules named its own (「我們的退貨
    規則」), the page made the terms of every purchase (「下標即表示您已充分閱讀本頁所有規則」),
    the shop's registration details."""
    opened = _QUOTE_OPEN.search(text)
    own = text[:opened.start()] if opened else text
    # (a buyer quoting the shop, 「賣場寫著「下標即表示同意」」, makes no consent of the writer's own)
    quotes = [(q.start(), q.end()) for q in _QUOTED.finditer(own)] if "「" in own or "\"" in own else []
    consent = any(not any(a <= m.start() < b for a, b in quotes) for m in _OWN_CONSENT.finditer(own))
    return (bool(_SHOP_PROFILE.search(own[:400])) + bool(_OWN_RULES_MINE.search(own[:300]))
            + consent + bool(_OWN_SHOP_INFO.search(own)))


def _writer_voice(original: str) -> bool:
    """Does the text speak as a writer reporting on shops (blog, news, explainer, column)?"""
    if _OWNER_BYLINE.search(original[:400]) or _OWNER_SELF.search(original[:600]) or _SALE_POST.search(original[:400]) \
            or _seller_marks(original) >= 2 or _owner_names_itself(original):
        # 「【店長的話】…文／鍛鐵坊刀職人小舖 店長 阿鈞」, 「大家好，我是光見眼鏡小舖的店長阿哲」: the
        # shop's owner writing its own rules, whatever it quotes of its customers (looks_like_terms
        # still asks that the owner state rules of the shop)
        return False
    byline = bool(_BYLINE.search(original[:400])) or bool(_PEN_NAME.search(original))
    quotes = list(_QUOTED.finditer(original))
    # a shop's clause quoted by the writer (「商品已拆封，恕不退貨喔。」), not a customer's own
    # words quoted by a shop (顧客說：「我買了三次…」)
    reported = (sum(1 for q in quotes
                    if _SAID.search(original, max(0, q.start() - 10), q.start()) and _RULE_WORDS.search(q.group(1))
                    and not _NARRATOR.search(q.group(1)) and not _ASKED.search(q.group(1)))
                + len(scanning_form(_REPORTED_TO_ME, len(original)).findall(original)))
    inside = [(q.start(), q.end()) for q in quotes]
    starts = [a for a, _ in inside]
    narration = 0
    ends = None  # sentence ends, found once: a page with many 我 must not rescan its text per hit
    for m in scanning_form(_NARRATOR, len(original)).finditer(original):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < inside[i][1]:
            continue  # words in quotation marks are someone else's
        if ends is None:
            ends = [e.start() for e in _SENTENCE_END.finditer(original)]
        # 「Q：我可以退貨嗎？」 is a shop's FAQ speaking for its customer
        j = bisect.bisect_left(ends, m.start())
        start = ends[j - 1] + 1 if j > 0 else 0
        k = bisect.bisect_left(ends, m.end())
        stop = ends[k] if k < len(ends) else len(original)
        if original[stop:stop + 1] in ("？", "?") or original[start:stop].rstrip().endswith("嗎") \
                or _QUESTION_START.match(original, start):
            continue
        narration += 1
    if byline and reported >= 1:
        return True
    if byline and narration >= 3:
        # a shop's brand story signed by its founder (「文／店長阿明」) above its own rules
        # still speaks as 本店／我們 more than as 我
        return len(scanning_form(_SELF, len(original)).findall(original)) * 2 < narration
    publication = len(scanning_form(_PUBLICATION, len(original)).findall(original))
    if reported >= 2 and publication >= 2:
        return True  # an explainer quoting shops' clauses, without a byline
    if narration >= 5 and reported >= 1:
        return True
    # an explainer that speaks of traders in the third person (業者應…, 店家不得…) far more
    # than any trader speaks of itself (本公司／本店／我們)
    third = len(scanning_form(_THIRD_PARTY_TRADER, len(original)).findall(original))
    return third >= 5 and third > 2 * len(scanning_form(_SELF, len(original)).findall(original)) and (
        original.count("業者") >= 3 or publication >= 2 or narration >= 3)


def looks_like_terms(text: str, original: str | None = None) -> bool:
    """Is this a trader's own terms, not e.g. a news report about terms? (issue 2: bad input)

    ``text`` is normalised; ``original`` (the text as extracted, with its quote marks)
    lets a writer's voice be heard."""
    if len(text) < 80:
        return False
    if original is not None and _writer_voice(original):
        return False
    score = sum(1 for rx in _TERMS_SIGNALS if scanning_form(rx, len(text)).search(text))
    if score < 5:
        return False
    n = len(text)
    news, own = len(scanning_form(_NEWS, n).findall(text)), len(scanning_form(_SELF, n).findall(text))
    if news >= 6 and news > 2 * own:
        # a 本-word the page defines for itself (「以下稱本室」) speaks for the trader as 本公司 does
        own += sum(text.count(a) for a in own_aliases(text))
    if news >= 6 and news > 2 * own:
        return False
    # a blog post, review or recipe that mentions a shop's rules in passing: a first-person
    # writer's words outnumber the words of a contract
    blog, contract = len(scanning_form(_BLOG, n).findall(text)), len(scanning_form(_CONTRACT, n).findall(text))
    if blog >= 6 and blog > 2 * contract:
        # unless it is the shop's owner who says 我, giving the shop's details and its own rules
        acts = len(scanning_form(_SELLER_I, n).findall(text))
        # (a chat log with the shop, 「10:31 疾風帽舖-阿德 …5天內跟我說就可以」: the 我 is shared by the
        # customers and the shop's staff, who state the shop's rules)
        # A page titled as the seller's own rules (「…團購須知（下單前必看）」) is the seller's, whoever
        # says 我 in it; so is a chat export under the shop's own profile (「粉絲專頁：汪喵食堂」).
        # (the owner's byline, 「文／蘇以晴（山嵐茶事 主理人）」, is the owner introducing itself)
        info = bool(_OWN_SHOP_INFO.search(text))
        owner = bool(_OWNER_SELF.search(text[:600]) or _OWNER_BYLINE.search(text[:400]) or _owner_names_itself(text))
        if (info and acts >= 4) or (owner and acts >= 2) \
                or (len(_CHAT_LINE.findall(text)) >= 8 and (acts >= 3 or bool(_SHOP_PROFILE.search(text[:400])))) \
                or _OWN_RULES_TITLE.search(text[:160]):
            return True
        # Otherwise three of the seller's marks, none of which alone is enough: the shop's details,
        # the owner introducing itself or its shop, the page made the terms of every purchase, the
        # shop's profile line, and the seller's own acts (「我們會轉成折抵金」), twice and more.
        marks = info + owner + bool(_OWN_CONSENT.search(text)) + bool(_SHOP_PROFILE.search(text[:400])) \
            + (acts >= 2) + (acts >= 4) + (_rule_headings(text) >= 3)
        # Two are enough when one is the owner introducing itself (「賣家：grandma_knit_yilan」 over
        # 「這個賣場是幫我阿嬤開的」), or when both are marks that tell a seller from a writer at all
        # (_seller_marks).
        return marks >= 3 or (owner and marks >= 2) or _seller_marks(text) >= 2
    return True


# --- results -------------------------------------------------------------------

def _result(rule: Rule, status: Status, message: str, evidence=(), confidence: float = 0.9) -> Result:
    return Result(rule_id=rule.id, kind=rule.kind, title=rule.title, status=status, severity=rule.severity,
                  confidence=confidence, legal_basis=list(rule.legal_basis), message=message, fix=rule.fix,
                  evidence=list(evidence))


def _pass_message(rule: Rule) -> str:
    if rule.pass_message:
        return rule.pass_message
    if rule.kind is Kind.MANDATORY:
        return f"已載明「{rule.title}」。"
    return f"未發現「{rule.title}」之條款。"


def _absence(ctx: Context, what: str) -> list[Evidence]:
    """A missing item has no clause to show; name what was searched (empty slices)."""
    return [Evidence(p.doc.location, 0, 0, "", f"未找到：{what}") for p in ctx.preps]


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen, out = set(), []
    for h in hits:
        key = (h.prep.doc.location, h.clause.index)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out


# --- checks --------------------------------------------------------------------

def check_clauses(rule: Rule, ctx: Context) -> Result:
    """Prohibited, statutory, unfair and advisory clauses: any hit is a finding."""
    hits = _dedupe([h for pat in rule.patterns for h in ctx.find(pat)])
    findings = [h for h in hits if h.pattern.status is not Status.PASS]
    if not findings:
        return _result(rule, Status.PASS, _pass_message(rule), confidence=0.8)
    status = Status.FAIL if any(h.pattern.status is Status.FAIL for h in findings) else Status.NEEDS_REVIEW
    if rule.kind is Kind.UNFAIR:
        status = Status.NEEDS_REVIEW  # rule-catalogue: U rules are never fail
    conf = max(h.pattern.confidence for h in findings)
    return _result(rule, status, rule.message, [h.evidence() for h in findings[:10]], conf)


def check_presence(rule: Rule, ctx: Context) -> Result:
    """Mandatory items: present (a pattern or a close paraphrase of the statutory text),
    and not contradicted."""
    contradictions = _dedupe([h for pat in rule.contradicted_by for h in ctx.find(pat)])
    if contradictions:
        return _result(rule, Status.FAIL, rule.message, [h.evidence() for h in contradictions[:10]],
                       max(h.pattern.confidence for h in contradictions))
    # the first hit of the first pattern that has one is the evidence: stop there
    hit = next((h for pat in rule.patterns for h in ctx.find(pat, limit=1)), None)
    if hit is not None:
        return _result(rule, Status.PASS, _pass_message(rule), [hit.evidence()], hit.pattern.confidence)
    fuzzy = _fuzzy_presence(rule, ctx)
    if fuzzy is not None:
        hit, score = fuzzy
        return _result(rule, Status.PASS, _pass_message(rule), [hit.evidence(f"近似法定文字（相似度 {score:.0f}）")],
                       0.6 + 0.3 * (score - 80) / 20)
    applies = rule.params.get("applies_if")
    if applies and not any(scanning_form(compile_regex(applies), ctx.chars).search(p.norm.text) for p in ctx.preps):
        # (「軟體以下載方式提供」 and nothing sent: no shipping fee to state)
        return _result(rule, Status.NOT_APPLICABLE, rule.params["not_applicable_message"], confidence=0.6)
    return _result(rule, Status.FAIL, rule.message, _absence(ctx, rule.title), 0.8)


def _fuzzy_presence(rule: Rule, ctx: Context):
    if not rule.fuzzy:
        return None
    from rapidfuzz import fuzz, process

    from .normalize import normalize_plain

    threshold = float(rule.params.get("fuzzy_threshold", 82))
    pool = list(ctx.all_clauses())
    for reference in rule.fuzzy:
        ref = normalize_plain(reference)
        candidates = [(p, c) for p, c in pool if len(c.text) >= 0.6 * len(ref)]
        if not candidates:
            continue
        best = process.extractOne(ref, [c.text for _, c in candidates], scorer=fuzz.partial_ratio,
                                  score_cutoff=threshold)
        if best is not None:
            _, score, idx = best
            p, c = candidates[idx]
            return Hit(p, c, c.start, c.end, None, "fuzzy"), score
    return None


def check_trader_info(rule: Rule, ctx: Context) -> Result:
    """M01: the five items of 應記載一 / 消保法 §18 I(1); report which are missing."""
    from .match import compile_regex

    found: dict[str, Evidence] = {}
    fields = rule.params["fields"]
    for key, spec in fields.items():
        for source in spec["patterns"]:
            rx = scanning_form(compile_regex(source), ctx.chars)
            for p in ctx.preps:
                m = rx.search(p.norm.text)
                if m:
                    found[key] = p.evidence(m.start(), m.end(), spec["label"])
                    break
            if key in found:
                break
    missing = [spec["label"] for key, spec in fields.items() if key not in found]
    evidence = list(found.values())
    if not missing:
        return _result(rule, Status.PASS, _pass_message(rule), evidence, 0.85)
    message = f"{rule.message}缺少：{'、'.join(missing)}。"
    return _result(rule, Status.FAIL, message, evidence or _absence(ctx, "、".join(missing)), 0.8)


# the withdrawal checks (M10, S01, P05) and their helpers: compliance/withdrawal.py
from .withdrawal import check_refund, check_withdrawal_period, check_withdrawal_restrictions  # noqa: E402


CHECKS = {
    "clauses": check_clauses,
    "presence": check_presence,
    "trader_info": check_trader_info,
    "withdrawal_period": check_withdrawal_period,
    "refund": check_refund,
    "withdrawal_restrictions": check_withdrawal_restrictions,
}


# --- entry points --------------------------------------------------------------

def evaluate(documents: list[Document], pack: RulePack | None = None, *, assume_terms: bool = False,
             only: list[str] | None = None) -> list[Result]:
    """Judge a target (one or more documents) under a rule pack: one Result per rule."""
    pack = pack or load_pack()
    ctx = Context(documents, assume_terms=assume_terms)
    ctx.gate = _gate(pack)
    rules = [r for r in pack.rules if only is None or r.id in only]
    if not ctx.preps:
        return [_result(r, Status.ERROR, "無可判斷之文字（文件為空或無法讀取），不得視為符合。",
                        confidence=1.0) for r in rules]
    if not ctx.is_terms:
        return [_result(r, Status.NOT_APPLICABLE,
                        "本文件不似企業經營者之網路交易定型化契約條款（例如新聞或一般文章），未予判斷；如確為條款，請人工檢視。",
                        confidence=0.6) for r in rules]
    return [CHECKS[r.check](r, ctx) for r in rules]


# id(pack) -> (pack, its gate or None): built once per pack in a long run (the last pack only)
_GATES: dict[int, tuple[RulePack, object]] = {}


def _gate(pack: RulePack):
    """The pack's regex gate (compliance.gate) in a long run (match.scan_eagerly), else None:
    building one costs more than a self-check's whole run."""
    if not is_eager():
        return None
    entry = _GATES.get(id(pack))
    if entry is None or entry[0] is not pack:
        from . import gate  # (Hyperscan is loaded only by a long run)
        regexes = [p.match for r in pack.rules for p in (*r.patterns, *r.contradicted_by)]
        # regexes the checks search with besides the rules' patterns (withdrawal.py's exclusion)
        regexes += [compile_regex(r.params[k]) for r in pack.rules for k in _SEARCHED_PARAMS if k in r.params]
        _GATES.clear()
        entry = _GATES[id(pack)] = (pack, gate.build(regexes))
    return entry[1]


_SEARCHED_PARAMS = ("exclusion",)


def check_documents(documents: list[Document], *, target_kind: str, target_name: str,
                    pack: RulePack | None = None) -> Report:
    pack = pack or load_pack()
    results = evaluate(documents, pack)
    return Report(tool=dict(TOOL), rulepack=pack.as_dict(), target=Target(target_kind, target_name, documents),
                  results=results)


def error_report(documents: list[Document], *, target_kind: str, target_name: str, message: str,
                 pack: RulePack | None = None) -> Report:
    """A target that could not be read: every rule `error`, never pass (rule-catalogue)."""
    pack = pack or load_pack()
    results = [_result(r, Status.ERROR, message, confidence=1.0) for r in pack.rules]
    return Report(tool=dict(TOOL), rulepack=pack.as_dict(), target=Target(target_kind, target_name, documents),
                  results=results)
