"""The withdrawal checks: M10 (the 7-day right stated, 消保法 §18 I(3), §19 I), S01 (refund within 15 days
and not only as store credit, §19-2 II, III) and P05 (exclusions and conditions on the right, §19 I, V,
施行細則 §17, 準則 §2).

They are the checks that read numbers, starting events and lists of goods, and they share the
helpers below; the generic pattern checks live in engine.py, which registers these in CHECKS.
"""
from __future__ import annotations

import re

from . import regexcache
from .match import (DURATION_RE, GREY, LAWFUL, MACROS, UNLAWFUL, classify_exclusion, durations, event_after, event_before,
                    goods_named_before, in_old_rule, names_goods, negated, new_rule_start)
from .models import Evidence, Result, Status
from .rules import Pattern, Rule
from .segment import Clause
from .engine import (Context, Hit, Prepared, _absence, _pass_message, _result)


def _period_candidates(rule: Rule, ctx: Context):
    from .match import compile_regex

    context = compile_regex(rule.params["context"])
    after = compile_regex(rule.params["verb_after"])
    before = compile_regex(rule.params["named_before"])
    skip = compile_regex(rule.params["not_withdrawal"])
    for p, c in _clauses_with_durations(ctx):
        if c.is_question or _NAV_LINE.match(c.text):
            continue  # (a menu of links, 「快速跳轉:訂購|付款與運費|七天解除與退款|…」, states no period)
        # an FAQ answer (「A：收到後7天喔」) is read with its question (「Q：鑑賞期幾天？」)
        question = c.topic if c.topic and _QUESTION_END.search(c.topic) and context.search(c.topic) else ""
        if not (context.search(c.text) or question or context.search(c.heading)):
            continue  # (under 「關於退貨」, 「收到後有10天可以考慮」 speaks of the withdrawal period)
        for d in durations(c.text):
            # (a parenthesis right after it, 「到貨後七天內（以送達日的隔天開始算），您可以…」, is read past)
            tail = _PAREN_AFTER.sub(r"\1", c.text[d.end:d.end + 64], count=1)[:28]
            head = c.text[max(0, d.start - 14):d.start]
            if _not_a_period(c.text, d) or in_old_rule(c.text, d.start):
                continue
            if c.text[d.start - 2:d.start] in ("日前", "期前"):
                continue  # 「晚於婚禮日期前七日」: a day before a date, not a period
            if _EXTENSION_BEFORE.search(head):
                continue  # 「10 天內（法律只要求 7 天，我們多給 3 天）」: the days added, not the period
            m_after = after.match(tail)
            # 「開通後七天內…申請全額退款，不需要說明理由」: a refund asked for with no reason is the
            # right itself (a service's withdrawal), not a refund period
            asked = _REFUND_ASKED.search(c.text, d.end, d.end + 60) and _NO_REASON.search(c.text)
            # (「收貨後 7 日內（…），太陽眼鏡、偏光夾片…都可以不用說理由直接退」: the goods listed between the
            # period and the return it allows without a reason)
            asked = asked or (_NO_REASON.search(c.text, d.end, d.end + 80) and _CAN_RETURN.search(c.text, d.end, d.end + 80))
            if not (m_after or asked or before.search(c.text[max(0, d.start - 24):d.start])
                    # 「如欲退貨，應於收到商品之日起七日內為之」: the return is named before, the period ends the clause
                    or (_DEED_AFTER.match(tail) and _WITHDRAW_BEFORE.search(c.text, max(0, d.start - 30), d.start))
                    or (question and before.search(question.rstrip("?嗎"))
                        and not context.search(c.text[:d.start]))
                    or (question and _ANSWER_PERMITS.match(tail))
                    or (d.start < 60 and _ROW_LABEL.match(c.text))):
                continue
            # (a clause that grants the right in the statute's own words, 「…七日內，以…通知之方式
            # 解除契約，無須說明理由」, is the period whatever else its method names: 「取消訂閱並退費」)
            granted = asked or (_STATUTORY_GRANT.search(c.text[d.end:d.end + 40]) and _NO_REASON.search(c.text))
            # (「…七天，逾期恕不受理」: the refusal after the period is its end, not a denial of the right)
            skipped = head + c.text[d.start:d.end] + _LATE_REFUSED.sub("", tail)[: m_after.end() if m_after and not granted else (1 if asked else 8)]
            if _RECEIVED_IN.search(head):
                # (「甲方得於收受首期料理包之次日起十日內…通知乙方解除本訂閱契約」: the party that receives the
                # goods notifies the other, a consumer's withdrawal, not the trader's cancellation)
                skipped = _PARTY_NOTIFIED.sub("", skipped)
            if skip.search(skipped):
                continue
            if _REFUND_BEFORE.search(c.text, max(0, d.start - 60), d.start):
                continue  # 「Refunds are made to the original payment method within 15 days…」
            if _AFTER_WITHDRAWAL.search(head):
                continue  # 「…應於解除後五日內…退還價款」: counted from the withdrawal, a step after it
            if _AFTER_USE.search(head):
                continue  # 「婚宴結束後三日內以回郵袋寄回」: a rental's return, counted from the use it was for
            if m_after and _COUNTED.match(tail, m_after.end()):
                continue  # 「一年內退貨紀錄超過兩次」: a count of returns, not the period
            if _DENIED_BEFORE.search(head) or (m_after and _DENIED_AFTER.match(tail, m_after.end())):
                continue  # 「本店沒有七天鑑賞期」, 「七天鑑賞期恕不提供」: the right is denied, not given
            if _CONCEDED_BEFORE.search(head) and _BUT_DENIED.match(c.text, d.end):
                continue  # 「平台雖然有七天鑑賞期，但二手商品不適用」: granted by others, denied here
            # negated mention ("不是七日內…" is rare); a duration under 不適用 is an exclusion
            # the event it is counted from: named before it (收到商品後七日內) or in a
            # 「自…起算」 / "of delivery" construction right after it
            event = event_after(c.text, d.end)
            if event is None and not (_RIGHT_NAMED.match(c.text, d.end) and _CONDITION_SINCE.search(c.text, max(0, d.start - 24), d.start)):
                # (「成交後，若您就新購錶款行使七日解除權，本公司將返還您的舊錶」: a condition opened after the
                # event names the right; the event is when that condition applies, not the period's start)
                # (in 「以前：出貨就不退 → 現在：7 天內可退」 the old rule's event is not the new period's)
                cut = new_rule_start(c.text, d.start)
                event = event_before(c.text[cut:], d.start - cut)
            if event == "request":
                continue  # 「申請退貨後，請於3日內寄回」: a step of the procedure, not the period
            if _TRADER_STEP.search(c.text, max(0, d.start - 10), d.start):
                continue  # 「我們會在1-2個工作天內聯繫您」: the trader's handling time
            yield p, c, d, event


def _not_a_period(text: str, d) -> bool:
    """A number of days that is no time limit at all: an ordinal (「付款後第八日開通」, 「經營第四年」;
    「至第七日止」 is a limit), a plan's length (「一年方案」), a condition on a delay (「延期超過 30 日的，
    你可以取消」), or the old value of an amendment (「由「二十一日」縮短為「十五日」」)."""
    if text[d.start - 1:d.start] == "第" and not _PERIOD_END.match(text, d.end):
        return True
    if _PLAN_AFTER.match(text, d.end):
        return True
    if _OVER_BEFORE.search(text, max(0, d.start - 6), d.start) and _CONDITION_AFTER.match(text, d.end):
        return True
    if _UNDER_BEFORE.search(text, max(0, d.start - 4), d.start):
        return True  # 「有效日期距出貨日不足三十日」: a threshold compared, not a period
    if _IF_OVER_BEFORE.search(text, max(0, d.start - 24), d.start):
        return True  # 「如果工廠延期超過公告時間 60 天，我會讓你選擇等或退款」
    return bool(_AMENDED_FROM.match(text, d.end) and _FROM_BEFORE.search(text, max(0, d.start - 3), d.start))


_PLAN_AFTER = regexcache.compile(r"(?:的|之)?(?:方案|合約|年約|會籍|訂閱方案|(?:品質)?保固|經驗|資歷|訂(?![單購貨]))")
_UNDER_BEFORE = regexcache.compile(r"(?:不足|未滿|不到|少於|低於)$")
_OVER_BEFORE = regexcache.compile(r"(?:超過|逾|滿|延遲|延誤|延期)$")
_IF_OVER_BEFORE = regexcache.compile(r"(?:如果|若|如|倘若?|假如|萬一)[^,;。]{0,12}(?:超過|逾|延遲|延誤|延期)[^,;。]{0,8}$")
_CONDITION_AFTER = regexcache.compile(r"(?:以上)?(?:的|者|時)(?![內間])")
_AMENDED_FROM = regexcache.compile(r"[」』\"]?(?:縮短|延長|改|調整|變更|修正|修改|降|提高)(?:為|成|至|到)")
_FROM_BEFORE = regexcache.compile(r"(?:由|從)[「『\"]?$")
# (「我們多給 3 天」, 「再延長兩天」: days added to a period stated beside them)
_EXTENSION_BEFORE = regexcache.compile(r"(?:多給|多送|多加|加碼|延長|加長|再多|多了|外加|另加|額外(?:多)?(?:給|送)?)(?:您|你|妳)?$")
_REFUND_BEFORE = regexcache.compile(r"refund")
_RIGHT_NAMED = regexcache.compile(r"(?:之|的)?(?:解除權|鑑賞期|猶豫期|退貨權|解約權)")
_CONDITION_SINCE = regexcache.compile(r"[,;](?:若|如果|倘若?|假如|如)[^,;]*$")
_LATE_REFUSED = regexcache.compile(r"^(?:內|之內|以內)?,?(?:逾期|逾時|超過期限|過期)(?:者)?[^,;。]{0,2}(?:恕不|不予|無法|概不|不再)(?:受理|處理|退貨|退換|辦理)")
_AFTER_USE = regexcache.compile(r"(?:婚宴|活動|典禮|租期|使用期間|拍攝)(?:結束|屆滿|完畢)(?:後|之日起|之次日起)[^,;。]{0,3}$")
_PERIOD_END = regexcache.compile(r"(?:之|的)?(?:內|止|前|為止|截止|屆滿)")
_AFTER_WITHDRAWAL = regexcache.compile(r"(?:解除|解約|退貨|退回|取消)(?:契約|訂單)?(?:後|(?:之|的)?(?:次日|翌日|隔日)?起|完成後)[^,;。]{0,3}$")
_NAV_LINE = regexcache.compile(r"[^,;。|]{0,12}?(?:[^,;。|]{1,10}\|){3,}[^,;。|]{1,10}$")
_PAREN_AFTER = regexcache.compile(r"^((?:內|之內|以內)?)\([^()]{1,30}\)")
# (「一年內退貨達三次以上者」: a count of returns too)
_COUNTED = regexcache.compile(r"(?:之|的)?(?:紀錄|記錄|次數|率|件數|筆數)|(?:申請)?(?:達|超過|逾)[^,;。]{0,4}次")
_STATUTORY_GRANT = regexcache.compile(r"解除(?:本)?契約")
_REFUND_ASKED = regexcache.compile(r"(?:申請|要求|提出|辦理)(?:全額)?(?:退款|退費)|(?:全額)?(?:退款|退費)(?:之)?(?:申請|要求)")
_CAN_RETURN = regexcache.compile(r"(?:可以|可|能|得)[^,;。]{0,8}?(?:直接|免費)?(?:退(?![款費錢])|寄回|解除契約)")
_NO_REASON = regexcache.compile(r"(?:無須|無需|不需要?|不須|毋須|不必|不用)(?:說明|說|講|附|提出|告知|告訴)?(?:任何)?(?:的)?(?:理由|原因)")


def _clauses_with_durations(ctx: Context):
    """The clauses that hold a number with a unit of time, in order (one scan of each
    document instead of one per clause)."""
    cached = getattr(ctx, "_duration_clauses", None)
    if cached is None:
        cached = []
        for p in ctx.preps:
            seen: set[int] = set()
            for m in DURATION_RE.finditer(p.norm.text):
                for pos in (m.start(), m.end() - 1):
                    c = p.clause_at(pos)
                    if c is not None:
                        seen.add(c.index)
            cached += [(p, p.clauses[i]) for i in sorted(seen - p.others)]
        ctx._duration_clauses = cached  # shared by M10 and S01
    return cached


# (「如果到貨後真的想退，請在付款後五天內提出，並自付來回運費」: what follows the deed is its terms)
_DEED_AFTER = regexcache.compile(r"(?:內|之內|以內)(?:為之|提出|提出申請|申請|辦理|通知(?:本公司|我們|客服)?|寄回|寄出|行使)?(?:之|為準)?(?:[。;!,]|$)")
_WITHDRAW_BEFORE = regexcache.compile(r"退貨|退換|解除契約|解約|鑑賞|猶豫|退回商品|(?:想|要|欲)退(?![款費錢])")
_ANSWER_PERMITS = regexcache.compile(r"(?:內|之內|以內)?[^,;。]{0,4}?(?:都|皆|均)?(?:可以|可|能|ok|沒問題)")
_QUESTION_END = regexcache.compile(r"[?嗎][^\w]{0,3}$|^(?:q\d*[.:]|問:)")
_DENIED_BEFORE = regexcache.compile(r"(?:沒有|並無|無|未提供|不提供|不享有|無法享有|不給|放棄|拋棄|不能|不可以?|無法|不得|不適用)(?:提供|享有|用|使用|行使|主張|適用)?(?:所謂的?|什麼)?$"
                            # (「團購沒有網拍那種七天可以退的規定」)
                            r"|(?:沒有|並無|不提供|不適用)[^,;。]{1,8}?(?:那種|這種|那樣的?|一樣的?)$"
                            # what others say (「我知道網路上很多人都說有七天鑑賞期，但…我們家是三天」)
                            r"|(?:很多人|大家|網路上|別人|有人|一般人|別家)[^,;。]{0,10}(?:說|以為|認為|覺得)(?:有)?$"
                            # (「大家都知道網購有七天鑑賞期，可是…」: common knowledge the writer goes on to deny)
                            r"|(?:大家|很多人|一般人)(?:都)?(?:知道|曉得|聽過)[^,;。]{0,8}?(?:有)?$")
_DENIED_AFTER = regexcache.compile(r"(?:期|期間|服務|權)?[^,;。]{0,3}?(?:恕不|概不|不|無法|並不|一律不)(?:提供|適用|享有|接受|受理)")
_RECEIVED_IN = regexcache.compile(r"收受|收到|簽收|取件|取貨|到貨")
_PARTY_NOTIFIED = regexcache.compile(r"通知(?:甲方|乙方)(?:解除|取消)")
# 「可以退的期間：收到商品…的隔天起算一週」: a table row whose label names the period
_ROW_LABEL = regexcache.compile(r"(?:可以?退(?:貨)?|能退|退貨|退換貨?|解除(?:契約)?|鑑賞|猶豫)[^:\n]{0,6}?(?:期間|期限|時間|天數)[ \t]*[:|]")
_CONCEDED_BEFORE = regexcache.compile(r"(?:雖然|雖)(?:有|說|規定|提供)[^,;。]{0,4}$")
_BUT_DENIED = regexcache.compile(r"[^。]{0,8}?(?:但|可是|不過)[^。]{0,16}?(?:不適用|不提供|沒有|不享有|放棄)")
_TRADER_STEP = regexcache.compile(r"(?:" + MACROS["TRADER"] + r"|客服|專人|業務|物流|宅配|快遞)(?:人員)?(?:會|將|應|即|均|都|約|也)?(?:於|在)?(?:約|大約|大概)?$")


# starting events that are not receipt (消保法 §19 I: 收受商品或接受服務後七日內)
_WRONG_EVENTS = {"order": "訂購／下單", "ship": "出貨", "pay": "付款", "invoice": "發票開立"}


def check_withdrawal_period(rule: Rule, ctx: Context) -> Result:
    """M10: at least 7 days, counted from receipt (消保法 §19 I). Shorter, or counted from
    ordering, shipping or payment, contradicts the statute."""
    minimum = float(rule.params.get("minimum_days", 7))
    good, bad = [], []
    bad += _starts_without_number(ctx)
    for p, c, d, event in _period_candidates(rule, ctx):
        hit = Hit(p, c, c.start + d.start, c.start + d.end, None)
        if d.days < minimum:
            bad.append((hit, f"期間僅{d.text}，少於法定七日"))
        elif event == "pay" and _supplied_on_payment(c):
            # a service received when paid for (「付款完成即開通課程」): payment is 接受服務
            good.append((hit, "receipt"))
        elif event in ("pay", "order") and _ONLINE_SERVICE.search(f"{c.heading} {c.topic} {c.text}") \
                and not _SUPPLIED_LATER.search(c.text):
            # an online course, a download licence, an app's paid plan counted from the purchase
            # (「購買後 7 天內，只要你還沒有播放該課程的任何一支正式課程影片…」): the service is had from then,
            # no goods are waited for; not a service supplied only later (「選擇「暫不開通」者，您於付款後七日內…」:
            # the days run out before it is received)
            good.append((hit, event))
        elif event in _WRONG_EVENTS:
            label = _WRONG_EVENTS[event]
            received = "接受服務" if _SERVICE.search(f"{c.heading} {c.text}") else "收受商品"
            bad.append((hit, f"自{label}起算，非自{received}起算"))
        else:
            good.append((hit, event))
    if bad:
        reasons = "；".join(dict.fromkeys(r for _, r in bad))
        # (one clause found both ways, by its period and by its starting words, is one piece of evidence)
        once = list({(h.prep.doc.location, h.clause.start, r): (h, r) for h, r in bad}.values())
        ev = [h.evidence(r) for h, r in once[:5]]
        return _result(rule, Status.FAIL, f"{rule.message}（{reasons}）", ev, 0.85)
    if good:
        # show the clearest statement: one counted from receipt if there is one
        hit, event = next((g for g in good if g[1] == "receipt"), good[0])
        conf = 0.9 if event == "receipt" else 0.7
        return _result(rule, Status.PASS, _pass_message(rule), [hit.evidence("七日解除權期間")], conf)
    return _result(rule, Status.FAIL, rule.message, _absence(ctx, "七日解除權之告知"), 0.8)


# 「本店的鑑賞期自您完成下單當日開始計算」: the start of the period, stated without its length
_PERIOD_START = regexcache.compile(r"(?:鑑賞期|猶豫期|解除期間|解除權之?期間|退貨期限|退換貨期限|退貨期間)(?:之|的)?(?:期間|期限|天數)?"
                           r"[^,;。]{0,6}?(?:自|從|由)(?P<ev>[^,;。]{1,14}?)(?:之?(?:翌日|次日|隔日|當日|當天))?"
                           r"(?:起算|開始計算|開始算|計算|起)")


# 「可以在7天內申請退貨，7天是從出貨那天開始算的喔」: the period's start restated after it
_PERIOD_RESTATED = regexcache.compile(r"(?:七|7)\s?(?:天|日)(?:是|係|乃)?(?:從|自|由)(?P<ev>[^,;。]{1,10}?)(?:那天|當天|之日|當日|日)?"
                              r"(?:開始算|開始計算|起算|算起|開始)")
_RETURN_CONTEXT = regexcache.compile(r"退貨|退換|鑑賞|猶豫|解除|退回")
# 「…我們這邊是這樣算的：\n👉 從我們出貨那天開始算 7 天，超過就不受理」: the start, then the period
_START_THEN_PERIOD = regexcache.compile(r"(?:從|自)(?P<ev>[^,;。]{1,10}?)(?:那天|當天|之日|當日|日)?(?:開始算|開始計算|起算|算起)(?:的)?\s?(?:七|7)\s?(?:天|日)")


def _starts_without_number(ctx: Context) -> list[tuple[Hit, str]]:
    from .match import _EVENT_RE  # the same events the durations are counted from

    out = []
    for p in ctx.preps:
        starts = list(_PERIOD_START.finditer(p.norm.text))
        for m in _PERIOD_RESTATED.finditer(p.norm.text):
            c = p.clause_at(m.start())
            if c is not None and _RETURN_CONTEXT.search(c.text):
                starts.append(m)
        for m in _START_THEN_PERIOD.finditer(p.norm.text):
            c = p.clause_at(m.start())
            # (the period named in the clause, or in the line that introduces it)
            if c is not None and (_RETURN_CONTEXT.search(c.text) or _RETURN_CONTEXT.search(c.heading)
                                  or (c.index and _RETURN_CONTEXT.search(p.clauses[c.index - 1].text))):
                starts.append(m)
        for m in starts:
            c = p.clause_at(m.start())
            if c is None or c.is_question or c.index in p.others or negated(c.text, m.start() - c.start):
                continue  # (「請問退貨的七天是從下單開始算還是收到？」 asks, and states no start)
            ev = m.group("ev")
            if _EVENT_RE["receipt"].search(ev):
                continue
            for name, label in _WRONG_EVENTS.items():
                if _EVENT_RE[name].search(ev):
                    out.append((Hit(p, c, m.start(), m.end(), None), f"自{label}起算，非自收受商品起算"))
                    break
    return out


# 消保法 §19 I counts from 收受商品或接受服務: a service (an online course, a subscription) is
# received when it is supplied, which is the payment only when the service starts with it
_SERVICE = regexcache.compile(r"課程|線上服務|訂閱|會員資格|會籍|方案|諮詢服務|教學|授課|課堂|直播|票券|服務期間")
_ONLINE_SERVICE = regexcache.compile(r"課程|線上服務|諮詢服務|教學|授課|課堂|下載|授權|字型|字體|數位內容|電子書|app|應用程式|付費服務|雲端|串流")
_SUPPLIED_LATER = regexcache.compile(r"暫不開通|未勾選|尚未開通|第[八九十]日|(?:後|日)始(?:開通|提供|開課)")
_ON_PAYMENT = regexcache.compile(r"(?:付款|繳費|購買|完成交易|結帳)(?:完成|成功)?(?:後|時|當下)?(?:即|立即|隨即|馬上|自動|當下|同時)(?:為您)?"
                         r"(?:開通|開放|提供|啟用|開課|開始(?:提供|上課|觀看|使用)|可(?:觀看|上課|使用|收看|登入))")


def _supplied_on_payment(c: Clause) -> bool:
    return bool(_SERVICE.search(f"{c.heading} {c.text}") and _ON_PAYMENT.search(c.text))


def check_refund(rule: Rule, ctx: Context) -> Result:
    """S01: refund within 15 days (消保法 §19-2 II), not only as store credit (§19-2 III, 民法 §259)."""
    from .match import compile_regex

    limit = float(rule.params.get("maximum_days", 15))
    refund_rx = compile_regex(rule.params["refund"])
    other_rx = compile_regex(rule.params["other_action"])
    findings: list[tuple[Hit, str]] = []
    for p, c in _clauses_with_durations(ctx):
        if c.is_question or _NAV_LINE.match(c.text):
            continue  # (a menu of links, 「快速跳轉:訂購|付款與運費|七天解除與退款|…」, states no period)
        # an FAQ answer (「A：約一個月喔」) to a refund question (「Q：退款多久會收到？」)
        answers_refund = bool(c.topic and _QUESTION_END.search(c.topic) and refund_rx.search(c.topic)
                              and not refund_rx.search(c.text))
        if not (answers_refund or refund_rx.search(c.text)):
            continue
        if _MATERIALS_RETURNED.search(c.text) and not _MONEY.search(c.text):
            continue  # 「未經採用之稿件，甲方應於三個月內刪除或退還」: materials given back, not money
        if _NO_STOCK.search(c.text):
            continue  # a refund because the trader cannot deliver is not the §19-2 refund after withdrawal
        if _PAYMENT_DUE.search(c.text) and not _REFUND_WORD.search(c.text):
            continue  # 「機關可開立請款單，於收貨後三十日內匯款」: the buyer's time to pay, not a refund
        # (「於三十日前公告，並退還…餘額」: days before an event are a lead time, not the refund's)
        found = [d for d in durations(c.text) if not _not_a_period(c.text, d) and c.text[d.end:d.end + 1] != "前"]
        for k, d in enumerate(found):
            if answers_refund:
                if other_rx.search(c.text[max(0, d.start - 10):d.end + 10]):
                    continue
            elif not _refund_duration(c.text, d, refund_rx, other_rx):
                continue
            if negated(c.text, d.start):
                continue
            first = _step_before(c.text, found[:k], d)
            if first is not None and first.days + d.days > limit >= d.days:
                # 「驗機約需10個工作天，驗機完成後再於10個工作天內退款」: the refund waits for the step
                note = f"退款期間{first.text}加{d.text}" + ("（工作天長於日曆日）" if d.working or first.working else "") + "，逾十五日"
                findings.append((Hit(p, c, c.start + first.start, c.start + d.end, None), note))
            elif d.days > limit:
                note = f"退款期間{d.text}" + ("（工作天長於日曆日）" if d.working else "") + "，逾十五日"
                findings.append((Hit(p, c, c.start + d.start, c.start + d.end, None), note))
    for pat in rule.patterns:  # store-credit-only and other pattern findings
        for h in ctx.find(pat):
            if h.pattern.status is Status.PASS:
                continue
            if pat.name == "store-credit-only" and _one_option_of_a_list(h):
                continue
            findings.append((h, h.pattern.note or h.pattern.name))
    if not findings:
        return _result(rule, Status.PASS, _pass_message(rule), confidence=0.8)
    notes = "；".join(dict.fromkeys(n for _, n in findings))
    seen, ev = set(), []
    for h, n in findings:
        key = (h.prep.doc.location, h.clause.index)
        if key not in seen:
            seen.add(key)
            ev.append(h.evidence(n))
    return _result(rule, Status.FAIL, f"{rule.message}（{notes}）", ev[:10], 0.85)


def _step_before(text: str, earlier: list, d):
    """The duration of a step the refund waits for (「驗機約需10個工作天，驗機完成後再於…退款」), or None."""
    if not earlier:
        return None
    first = earlier[-1]
    if _STEP_WORD.search(text, max(0, first.start - 8), first.end + 4) and _AFTER_STEP.search(text, first.end, d.start):
        return first
    return None


_STEP_WORD = regexcache.compile(r"驗機|檢查|檢驗|驗收|檢測|鑑定|查驗")
_AFTER_STEP = regexcache.compile(r"(?:完成|無誤|通過|確認)(?:後|之後)(?:再|才|始|方)?")


_CHOICE_INTRO = regexcache.compile(r"選擇|可選|任選|擇一|擇其一|自由選|下列方式之一|以下方式之一|其中一種")
_CASH_OPTION = regexcache.compile(r"刷退|退刷|轉帳|匯款|匯入|現金|原付款|原支付|原路|銀行帳戶|信用卡")


def _one_option_of_a_list(hit: Hit) -> bool:
    """「退款您可以選擇：1. 信用卡刷退；2. 轉帳…；3. 轉為購物金」: the store credit is one item of
    a list of choices that includes money."""
    c, cl = hit.clause, hit.prep.clauses
    marker = c.marker or _item_marker(hit.prep, c)
    if not marker:
        return False
    siblings, intro = [], None
    for x in reversed(cl[max(0, c.index - 8):c.index]):
        if x.line_start and x.marker == marker:
            siblings.append(x)
        elif x.line_start:
            intro = x
            break
    for x in cl[c.index + 1:c.index + 6]:
        if x.line_start and x.marker == marker:
            siblings.append(x)
        elif x.line_start:
            break
    return bool(intro is not None and _CHOICE_INTRO.search(intro.text)
                and any(_CASH_OPTION.search(x.text) for x in siblings))


def _refund_duration(text: str, d, refund_rx, other_rx) -> bool:
    """Does this duration measure the refund? 「…一個月時間辦理退款」 (refund after it) or
    「退款將於收到後14個工作天內」 (refund before it), with no other action (寄回, 申請…)
    between them that the duration could belong to instead. The event the refund is
    counted from (「收到退回商品後」) is not such an action; the bank's posting time
    (「入帳時間依發卡銀行作業約需…」) is not the trader's refund."""
    if _WARRANTY_AFTER.match(text, d.end):
        return False  # 「…或退款，防水外套另享一年壓膠保固」: a warranty's length
    if (_BANK_TIME.search(text[max(0, d.start - 20):d.start]) or _BANK_AFTER.match(text, d.end)) \
            and not _OWN_PROCESSING.search(text[max(0, d.start - 12):d.start]):
        return False
    # (the way of refunding between them: 「三十個工作天內，依本公司之選擇以會員購物金或原付款方式返還…價金」)
    way = _WAY_THEN.match(text, d.end)
    if way and refund_rx.match(text, way.end()):
        return True
    after = text[d.end:d.end + 16]
    m = refund_rx.search(after)
    if m and not other_rx.search(_REFUND_EVENT.sub("", after[:m.start()])):
        return True
    before = text[max(0, d.start - 26):d.start]
    # 「款項將於收到退貨後30日內入帳」: the money is named before, its return after
    m = _MONEY_BACK.match(after)
    # (「我們會在 3 週內把款項匯到您的帳戶」: the money named between them)
    if m and (_MONEY.search(before) or _MONEY.search(m.group())) and not other_rx.search(_REFUND_EVENT.sub("", before)):
        return True
    # 「退款一律以銀行轉帳方式退回…，財務部門每月結算一次，自收到退貨起約需30至45天入帳」:
    # the refund is the sentence's subject, named further back
    # (「退款我們會扣掉手續費…，作業時間大約20個工作天左右」: the time it takes, of the refund the sentence is about)
    lead = _MONEY_LEAD.match(text)
    if (m or _TAKES_TIME.search(text[max(0, d.start - 8):d.start])) and lead \
            and not other_rx.search(_REFUND_EVENT.sub("", text[lead.end():d.start])):
        return True
    last = None
    for last in refund_rx.finditer(before):
        pass
    if last and _FROM_REFUND.match(before, last.end()):
        return False  # 「退款後180天內」: counted from the refund, not the time it takes
    return bool(last and not other_rx.search(_REFUND_EVENT.sub("", before[last.end():])))


_WAY_THEN = regexcache.compile(r"內?[,]?(?:依[^,;。]{0,8}?(?:選擇|指定)[,]?)?(?:以|透過|經由|用)[^,;。]{0,16}?(?:方式|帳戶|途徑|管道)")
# the trader's own refund processing (「退款處理期約三週，視銀行作業而定」), hedged or not
# (「由於要經過財務對帳＋銀行作業，退款作業大約需要一個月」)
_OWN_PROCESSING = regexcache.compile(r"退款(?:之|的)?(?:處理|作業|辦理)(?:期|時間|期間|天數|時程|(?:大約|大概|約)?(?:需要?|要))")
_WARRANTY_AFTER = regexcache.compile(r"(?:的|之)?[^,;。]{0,4}?(?:保固|保修|維修期|保證期)")
_PAYMENT_DUE = regexcache.compile(r"請款|帳款|月結|付款期限|繳款期限")
_REFUND_WORD = regexcache.compile(r"退款|退費|退還|刷退|退刷")
_MATERIALS_RETURNED = regexcache.compile(r"(?:刪除|銷毀|刪去|刪掉)(?:或|及|並|、|或是)(?:退還|退回|返還|歸還)")
_NO_STOCK = regexcache.compile(r"缺貨|無法出貨|無法供貨|無法交貨|斷貨|停產|無庫存|庫存不足")
_FROM_REFUND = regexcache.compile(r"(?:金額|款項)?(?:作業)?(?:完成|成功|入帳)?(?:之)?(?:後|日起|當日|之日|起)")
_MONEY = regexcache.compile(r"款項|價金|價款|金額|貨款|費用|退款|退費|錢")
_TAKES_TIME = regexcache.compile(r"(?:作業|處理|辦理|退款)(?:時間|期間|天數|時程)(?:約|大約|大概|為|需|約需)?|約需|需時|大約需要?|大概需要?")
_MONEY_LEAD = regexcache.compile(r"\s*[・•●○◎◆■▪*-]?\s*(?:[（(]?[0-9０-９一二三四五六七八九十]{1,2}[.、)）]\s*)?(?:退款|退費|款項|價金|價款|貨款)")
_MONEY_BACK = regexcache.compile(r"(?:內|之內|以內)?[^,;。]{0,6}?(?:入帳|匯入|匯回|匯還|匯到|匯至|退回|退還|返還|撥還|刷退|原路)")
# (also the trader's inspection as the start, 「自倉庫檢查完成之日起約需二十個工作天」: a later start, not another action)
_REFUND_EVENT = regexcache.compile(r"(?:收到|收受|取回|接獲|收迄|收訖|確認收到)[^,;。]{0,12}?(?:後|之?(?:次日|翌日|隔日)起(?:算)?|起)"
                           r"|(?:退貨|退回|寄回|退件)(?:程序|手續|作業)?(?:完成|辦妥)(?:之日|之後|後|日)?(?:起)?"
                           r"|(?:自|從)[^,;。]{0,8}?(?:檢查|檢驗|驗收|查驗|確認)(?:完成|無誤|通過)(?:之日|之後|後|日)?(?:起)?"
                           # 「退款將於退貨商品驗收完成後一個月內辦理」
                           r"|(?:退貨|退回|寄回)?(?:之)?(?:商品)?(?:驗收|檢查|檢驗|查驗)(?:完成|無誤|通過)(?:之日|之後|後|日)(?:起)?")
_BANK_AFTER = regexcache.compile(r"[^,;。]{0,4}?[(,]?(?:依|視)(?:各)?(?:發卡)?(?:銀行|機構|信用卡公司)")
_BANK_TIME = regexcache.compile(r"(?:發卡|銀行|信用卡公司|金融機構|支付機構|第三方支付)(?:之|的)?(?:作業|入帳|處理|規定|帳單|結帳)"
                        r"|入帳時間|入帳日|(?:依|視)(?:各)?(?:發卡)?(?:銀行|機構)|bank")


def check_withdrawal_restrictions(rule: Rule, ctx: Context) -> Result:
    """P05: costs, reasons, approvals (patterns) and exclusions judged against the closed
    list of 準則 §2 (exclusion triggers in params)."""
    from .match import compile_regex

    fails: list[tuple[Hit, str]] = []
    reviews: list[tuple[Hit, str]] = []
    local = set(rule.params.get("local_unless", []))
    for pat in rule.patterns:
        for h in (_local_find(ctx, pat) if pat.name in local else ctx.find(pat)):
            if pat.name in _UNOPENED_CONDITIONS and _opened_exception(h):
                continue
            (reviews if h.pattern.status is Status.NEEDS_REVIEW else fails).append((h, h.pattern.note or h.pattern.name))
    exclusion = Pattern(name="exclusion", match=compile_regex(rule.params["exclusion"]),
                        unless=tuple(compile_regex(u) for u in rule.params.get("exclusion_unless", [])))
    list_intro = compile_regex(rule.params["list_intro"])
    found = [(h, _exclusion_subject(h, list_intro)) for h in ctx.find(exclusion)]
    found += _faq_exclusions(ctx, exclusion)
    found += _proviso_exclusions(ctx, exclusion)
    for h, subject in found:
        trigger = h.prep.norm.text[h.start:h.end] if h.pattern is exclusion else ""
        if ((_CANCEL.search(trigger) and not _RETURN_VERB.search(trigger) and _AFTER_SHIPPING.search(h.clause.text))
                or (_MONEY_VERB.search(trigger) and not _RETURN_VERB.search(trigger) and _NOTHING_RETURNED.search(subject))):
            # 「出貨後無法取消訂單」 (the right is exercised on receipt), 「未收到退回商品，無法退款」
            # (nothing returned yet) restrict nothing; a later refusal in the clause still counts
            h = _later_return_refusal(h, exclusion)
            if h is None:
                continue
            trigger = h.prep.norm.text[h.start:h.end]
        placement = classify_exclusion(subject)
        if placement.reason == _UNLISTED and h.pattern is exclusion:
            # 「…之輪組，屬依消費者要求所為之客製化給付。…手工編輪輪組不適用七日解除權」: the goods
            # are named again, and placed, in the sentence before in the paragraph; or not named
            # again at all (「三、線上課程屬…數位內容。甲方於開通前…告知乙方：一經開通即不適用解除權」)
            earlier = _paragraph_before(h)
            prefix = h.clause.text[:h.start - h.clause.start]
            # (「鏡片部分不予退費」: the part named is the lenses of the sentence before)
            goods = re.sub(r"(?:的|之)?部[分份]$", "", goods_named_before(prefix))
            # (a clause led by a party, 「會員於結帳畫面勾選…即不適用七日解除權」, states the procedure,
            # whatever its words; 「已拆封之矽膠鼻墊替換組，…亦不適用」 names goods of its own)
            # (a clause that draws the consequence of the sentence before, 「因為鏡片是依你的處方磨的，
            # 屬客製化商品。所以度數款…不適用七天解除權」, excludes the goods that sentence placed)
            if earlier and (goods[:4] in earlier if goods and not _CONSEQUENCE.match(prefix)
                            else not names_goods(prefix) or _PARTY_LED.match(prefix) or _CONSEQUENCE.match(prefix)):
                again = classify_exclusion(f"{earlier} {subject}")
                if again.verdict == "lawful":
                    placement = again
        elif placement.verdict == "review" and placement.reason.startswith("未載明") and h.pattern is exclusion:
            # 「…經您事先同意後才寄出；序號寄出後不適用七天退貨」: the condition (consent, opening)
            # is stated in the sentence before, in the same paragraph
            earlier = _paragraph_before(h)
            if earlier:
                again = classify_exclusion(f"{earlier} {subject}")
                if again.verdict == "lawful":
                    placement = again
        if _WAIVER.search(trigger) and placement.verdict != "lawful" and h.pattern is exclusion:
            # 「會員勾選前項欄位者，本公司於付款後立即開通，課程開通後不適用消費者保護法第十九條第一項之解除權」:
            # the category and the consent are stated in the paragraph before
            earlier = _paragraph_before(h)
            if earlier:
                again = classify_exclusion(f"{earlier} {subject}")
                if again.verdict == "lawful":
                    placement = again
        if _WAIVER.search(trigger) and not _LAWFUL_VERDICT_WORDS.search(subject) and placement.verdict != "lawful":
            # (goods the clause places in a §2 category, 「食材包不適用消保法第十九條第一項」, are judged by it)
            # 「同意放棄七日解除權」, 「不適用消費者保護法第十九條」: the right itself is waived
            placement = type(placement)("unlawful", ("拋棄或排除消保法第19條之解除權",), "依同條第5項其約定無效")
        items = _exclusion_items(h, list_intro) if h.pattern is exclusion else []
        if h.pattern is exclusion and not items and _EXCLUSION_HEADING.fullmatch(h.clause.text.strip()):
            continue  # a heading or a link to one (「・不適用七日解除權之商品」) with nothing under it excludes nothing
        flagged: list[Clause] = []
        if items:
            # each listed item on its own (with the intro that states the condition): a lawful
            # item must not cover an unlawful one (「刻字商品」 beside 「已配戴過之耳環」)
            intro = f"{h.clause.heading} {h.clause.text}"
            # (an item that states an exclusion itself is judged as its own hit)
            # (the rest of an item's line, 「…後始行提供者；消費者未勾選者，本公司不開通」, is
            # part of that item, not an item of its own)
            lines = _item_lines(items)
            # an item that speaks of the one before (「②前款授權，僅於取得消費者勾選同意後始行寄送」)
            # states that item's conditions
            texts = [t + (" " + lines[i + 1][1] if i + 1 < len(lines) and _OF_PREVIOUS.search(lines[i + 1][1][:8]) else "")
                     for i, (_, t) in enumerate(lines)]
            # (a table's row of column names, 「|類別|例示|依據|」, is no item)
            per = [(x, classify_exclusion(f"{intro} {text}")) for (x, own), text in zip(lines, texts)
                   if not exclusion.match.search(own) and not _COLUMN_NAMES.fullmatch(own)]
            placed = [(x, q) for x, q in per if q.reason != _BLANKET
                      and (q.reason != _UNLISTED or names_goods(x.text))]
            if placed:
                worst = max((q for _, q in placed), key=lambda q: _RANK[q.verdict])
                if _RANK[worst.verdict] >= _RANK[placement.verdict] or (
                        worst.verdict == "lawful" and len(placed) == len(per)):
                    # (every item lawful, each read with the intro: the list's words only mixed
                    # across items, 「鮮花盆栽…(第一款)」 beside 「依您上傳之照片製作之相框花禮」)
                    placement = worst
                flagged = [x for x, q in placed if q.verdict == placement.verdict]
        if (placement.reason == "全面排除七日解除權" and trigger and not _RETURN_VERB.search(trigger)):
            # 「…恕無法退款」 without goods or a reason the engine can place: a person judges
            placement = type(placement)("review", placement.categories, "退款或取消之限制，須人工確認是否限制解除權")
        note = f"排除解除權：{'、'.join(placement.categories)}（{placement.reason}）"
        if placement.verdict in ("unlawful", "review"):
            bucket = fails if placement.verdict == "unlawful" else reviews
            bucket.append((h, note))
            # show the listed items that carry the finding, not only the list's title
            for x in flagged:
                bucket.append((Hit(h.prep, x, x.start, x.end, exclusion), note))
    if fails:
        ev = _unique_evidence(fails + reviews)
        notes = "；".join(dict.fromkeys(n for _, n in fails))
        return _result(rule, Status.FAIL, f"{rule.message}（{notes}）", ev, 0.85)
    if reviews:
        notes = "；".join(dict.fromkeys(n for _, n in reviews))
        return _result(rule, Status.NEEDS_REVIEW, f"下列條款須人工判斷是否限制解除權：{notes}", _unique_evidence(reviews), 0.6)
    return _result(rule, Status.PASS, _pass_message(rule), confidence=0.8)


_QUESTION_MARK = regexcache.compile(r"[?嗎]")  # fast scans (a leading charset or literal), not an alternation
_QUESTION_LINE = regexcache.compile(r"\n(?:q[:.]|問:)")
# an FAQ answer that contradicts the question's restriction (「不會喔」, 「可以的」)
_ANSWER_YES = regexcache.compile(r"^(?:a\d*[.:]|答:)?\s*(?:其實|事實上)?,?(?:可以|不會|當然|沒問題|能|是的,?(?:可以|都可|仍可)|仍可|都可以|不用|不需|不須|無須|可|不是[!,。~]|沒有這回事|才不)")
_ANSWER_MARK = regexcache.compile(r"^(?:a\d*[.:]|答:)")


_ASKED_ME = regexcache.compile(r"(?:問|詢問|私訊)(?:我|我們|小編|店長|老闆|說|道)?:")


def _faq_exclusions(ctx: Context, exclusion: Pattern) -> list[tuple[Hit, str]]:
    """「哪些商品不能退貨？ A：生鮮食品與特價商品。」: the question names the restriction,
    the answer names the goods. The answer (up to the next question) is the subject."""
    out = []
    for p in ctx.preps:
        questions = {}
        text = p.norm.text
        # what Clause.is_question looks for: a question mark or 嗎, or a q:/問: line
        positions = [m.start() for m in _QUESTION_MARK.finditer(text)]
        positions += [m.start() + 1 for m in _QUESTION_LINE.finditer(text)]
        if text.startswith(("q:", "q.", "問:")):
            positions.append(0)
        for pos in positions:
            c = p.clause_at(pos)
            if c is not None and c.index not in questions and c.is_question:
                questions[c.index] = c
        for c in questions.values():
            m = exclusion.match.search(c.text)
            if m is None or negated(c.text, m.start()):
                continue
            if _ASKED_ME.search(c.text, 0, m.start()):
                continue  # a customer's question told in a story (「客人問我：「剪開了是不是就不能退了？」」)
            answer = []
            for x in p.clauses[c.index + 1:c.index + 5]:
                if x.is_question or (answer and (x.heading != answer[0].heading or _is_title(x))):
                    break  # (the next question, or the next section: 「會員、個資與安全」)
                answer.append(x)
            if not answer or _ANSWER_YES.match(answer[0].text):
                continue
            subject = " ".join(x.text for x in answer if not _grants_right(x.text))
            if not subject:
                continue  # every answer clause grants the right (「所有商品都可以退貨」)
            if any(u.search(subject) for u in exclusion.unless):
                continue  # (an answer about another shop, 「之前在別家買…被拒絕」)
            out.append((Hit(p, answer[0], answer[0].start, answer[0].end, exclusion), subject))
    return out


# 「買方得於收受商品後七日內…解除契約。但商品之外包裝膠膜業經拆除者，不在此限；其為特價商品者，亦同。」:
# a proviso (但書) to the grant of the right excludes what it names, up to the end of its sentence
_PROVISO = regexcache.compile(r"(?:但|惟)(?:如|若|倘)?(?P<what>[^。;\n]{2,60}?)(?:者|時|之情形)?,?(?:則|即)?不在此限(?P<more>[^。\n]{0,40})")
_NOT_IN_SCOPE = "不在此限"  # (found first, a literal: the proviso's regex is tried only where it ends)
_GRANTED = regexcache.compile(r"(?:七日|7日|七天|7天)[^。\n]{0,40}(?:解除契約|解約|退貨|退回商品)|(?:解除契約|退貨)[^。\n]{0,20}(?:七日|7日|七天|7天)")


def _proviso_exclusions(ctx: Context, exclusion: Pattern) -> list[tuple[Hit, str]]:
    """Goods or conditions a proviso takes out of the 7-day right granted just before it. Only a
    proviso that names goods or conditions the engine can place counts (「但法律另有規定者，不在此限」
    names none)."""
    out = []
    for p in ctx.preps:
        text = p.norm.text
        end = text.find(_NOT_IN_SCOPE)
        while end != -1:
            lo = max(text.rfind("。", 0, end), text.rfind(";", 0, end), text.rfind("\n", 0, end), end - 70)
            m = _PROVISO.search(text, lo + 1, end + len(_NOT_IN_SCOPE) + 40)
            end = text.find(_NOT_IN_SCOPE, end + 1)
            if m is None:
                continue
            k = m.start()
            # the grant: the sentence the proviso closes (「…解除契約,但…」) or the one before it
            stop = k - 1 if k and text[k - 1] in "。\n" else k
            begin = max(text.rfind("。", 0, stop), text.rfind("\n", 0, stop)) + 1
            before = text[begin:k]
            if not _GRANTED.search(before) or exclusion.match.search(before) or negated(before, len(before) - 1):
                continue
            subject = f"{m.group('what')} {m.group('more')}".strip()
            placement = classify_exclusion(subject)
            if placement.verdict == "lawful" or placement.reason in (_BLANKET, _UNLISTED):
                continue  # (goods the engine cannot place are not read into a proviso)
            c = p.clause_at(k)
            if c is not None:
                out.append((Hit(p, c, k, m.end(), exclusion), subject))
    return out


_CONSEQUENCE = regexcache.compile(r"(?:所以|因此|因而|故|是以|基於上述|基於此|正因如此)")
_PARTY_LED = regexcache.compile(r"(?:" + MACROS["CONSUMER"] + "|" + MACROS["TRADER"] + r"|甲方|乙方)(?:於|在|如|若|倘|得|應|須|已|經)")
# the patterns that ask for the goods to come back unopened or unused
_UNOPENED_CONDITIONS = ("new-condition-required", "protective-film-kept")
# the 準則 §2 categories whose exception is the goods' being opened (4: audio-video and software,
# 6: personal hygiene goods)
_OPENED_CATEGORIES = {c.label for c in LAWFUL if c.key in ("av_software", "hygiene")}
_OPENED_MISSING = {f"未載明{c.condition_label}之要件" for c in LAWFUL if c.key in ("av_software", "hygiene")}


def _opened_exception(hit: Hit) -> bool:
    """Is an 'unopened' condition only the 準則 §2(4)/(6) exception itself (「退回之內衣須保持未拆封」:
    opened underwear is excluded lawfully, so asking for it unopened restricts nothing more)?"""
    placement = classify_exclusion(hit.clause.text)
    # (「軟體光碟應保持原廠封膜完整」: the condition the category lacks, its being opened, is the hit's own)
    return (placement.verdict == "lawful" or (placement.verdict == "review" and placement.reason in _OPENED_MISSING)) \
        and set(placement.categories) <= _OPENED_CATEGORIES


def _local_find(ctx: Context, pat: Pattern) -> list[Hit]:
    """Hits whose `unless` is judged on the hit's own part of the clause (its comma-separated
    segment and the next one), not on the whole clause: in 「滿千免運，退貨運費由消費者自付」
    the 免運 is about outbound shipping, and in 「本店負擔出貨運費，退貨運費由買家負擔」 the
    trader pays only the first fee. `with` stays a condition on the whole clause."""
    from dataclasses import replace

    # an anchored `unless` (「^(?!…).*瑕疵」: the clause is about defects) still speaks of the clause
    whole = tuple(u for u in pat.unless if _anchored(u))
    local = tuple(u for u in pat.unless if u not in whole)
    out = []
    # the trader's names and short names read as 本店 (the clause here is the page's own text,
    # not the view in which find() read them so)
    stems = tuple(getattr(ctx, "trader_names", ()) or ()) + _trader_stems(ctx)
    # `with` left to find() unless the target has FAQ answers, whose question may supply it
    for h in ctx.find(replace(pat, unless=(), with_=()) if _has_faq(ctx) else replace(pat, unless=())):
        c = h.clause
        # `with` on the clause, or on the clause with the FAQ question it answers
        # (「Q：退貨要付運費嗎？ A：要喔，運費請自付」)
        scope = c.text + (" " + c.topic if c.topic and _QUESTION_END.search(c.topic) else "")
        if not all(w.search(scope) for w in pat.with_):
            continue
        if any(u.search(c.text) for u in whole):
            continue  # judged on the clause itself, not on a proviso after it
        for m in pat.match.finditer(c.text):
            window = _segment_window(c.text, m.start(), m.end())
            for stem in stems:
                if stem in window:
                    window = window.replace(stem, "本店")
            if any(u.search(window) for u in local):
                continue
            if pat.negatable and negated(c.text, m.start()):
                continue
            out.append(Hit(h.prep, c, c.start + m.start(), c.start + m.end(), pat))
            break
    return out


def _has_faq(ctx: Context) -> bool:
    """Does any clause answer an FAQ question (a question as its topic)?"""
    cached = ctx.__dict__.get("_has_faq")
    if cached is None:
        cached = any(c.topic and _QUESTION_END.search(c.topic) for p in ctx.preps for c in p.clauses)
        ctx.__dict__["_has_faq"] = cached
    return cached


def _trader_stems(ctx: Context):
    """The short names a shop calls itself by (「小樹芽」 beside 「小樹芽童裝」 and 「小樹芽服飾有限公司」):
    the common beginnings of two of its names, longest first."""
    cached = ctx.__dict__.get("_trader_stems", False)
    if cached is not False:
        return cached
    import os.path

    names = tuple(getattr(ctx, "trader_names", ()) or ())
    stems = {os.path.commonprefix([a, b]) for a in names for b in names if a != b}
    stems = sorted((x for x in stems if len(x) >= 2 and not re.search(r"[^\u4e00-\u9fffa-z0-9]", x)), key=len, reverse=True)
    # (a tuple for str.replace: a regex compiled per site cost more than all its uses)
    ctx.__dict__["_trader_stems"] = result = tuple(stems)
    return result


def _anchored(rx: re.Pattern) -> bool:
    """Does the regex (as written in the rule, before any first-character lookahead) start with ^?"""
    source = rx.pattern
    if source.startswith("(?=["):
        source = source[source.index("])(?:") + 5:]
    return source.startswith("^")


def _segment_window(text: str, start: int, end: int) -> str:
    """The comma-separated segment holding [start, end), and the next one when this one
    says nothing about who pays (「退貨運費，由本公司負擔」)."""
    a = text.rfind(",", 0, start) + 1
    b = text.find(",", end)
    if b == -1:
        return text[a:]
    if not _PAYER.search(text, a, b):
        b2 = text.find(",", b + 1)
        b = len(text) if b2 == -1 else b2
    return text[a:b]


_PAYER = regexcache.compile(r"負擔|支付|自付|自理|吸收|承擔|扣除|扣抵|收取|酌收|免|付費|出")


def _later_return_refusal(hit: Hit, exclusion: Pattern) -> Hit | None:
    """「出貨後恕不取消訂單，亦不接受退貨」: the refusal of the return after a harmless one."""
    c = hit.clause
    for m in exclusion.match.finditer(c.text, hit.end - c.start):
        if _RETURN_VERB.search(m.group()) and not negated(c.text, m.start()):
            return Hit(hit.prep, c, c.start + m.start(), c.start + m.end(), exclusion)
    return None


_WAIVER = regexcache.compile(r"放棄|拋棄|消費者保護法|消保法")
# a waiver limited to 準則 §2 goods (「易腐敗商品不適用消保法第十九條」) is judged by its goods
_LAWFUL_VERDICT_WORDS = regexcache.compile(r"準則|易於?腐敗|生鮮|客製化給付|報紙|期刊|雜誌|影音|電腦軟體|數位內容|個人衛生用品|國際航空")
_BLANKET = "全面排除七日解除權"
_UNLISTED = "商品類別是否屬準則第2條所列例外，須個案判斷"
_RANK = {"lawful": 0, "review": 1, "unlawful": 2}
_RETURN_VERB = regexcache.compile(r"退貨|退換|退回|解除|解約|鑑賞|猶豫|退(?:不換)?$|換$|七日|7日|七天|7天")
_CANCEL = regexcache.compile(r"取消")
_MONEY_VERB = regexcache.compile(r"退款|退費")
_AFTER_SHIPPING = regexcache.compile(r"(?:出貨|寄出|發貨|出倉|配送|交寄|已出貨|已寄出)")
_NOTHING_RETURNED = regexcache.compile(r"未(?:收到|收受|寄回|退回|交寄|將商品寄回)")


def _unique_evidence(items: list[tuple[Hit, str]]) -> list[Evidence]:
    seen, ev = set(), []
    for h, n in items:
        key = (h.prep.doc.location, h.clause.index)
        if key not in seen:
            seen.add(key)
            ev.append(h.evidence(n))
    return ev[:10]


def _exclusion_subject(hit: Hit, list_intro) -> str:
    """What an exclusion excludes: the clause up to the trigger, its heading, and the list
    it introduces (「下列商品不適用…:」) or closes (「以上商品恕不退換」)."""
    c = hit.clause
    question = c.topic if c.topic and _QUESTION_END.search(c.topic) else ""  # an FAQ answer's question
    before = ""
    if not c.line_start and (_REFERS_BACK.search(c.text) or not names_goods(c.text)):
        # 「…之皮件，屬客製化給付。…此類商品不適用第9條之解除權」: the goods are named
        # earlier in the same paragraph
        before = _paragraph_before(hit)
    heading = c.heading
    if heading and names_goods(c.text) and (_PAGE_TITLE.search(heading) or (
            _HEADING_GOODS.search(heading) and classify_exclusion(before + " " + c.text).verdict == "lawful")):
        # a page title, or a section's name (「團購與企業訂單」) above a clause that names its own
        # lawfully excluded goods (「加印公司名稱…之禮盒，屬依您要求之客製化給付」), is no goods
        heading = ""
    return " ".join([heading, question] + ([before] if before else []) + [c.text]
                    + [x.text for x in _exclusion_items(hit, list_intro)] + _annex(hit))


# a heading that could change the verdict: it names goods outside 準則 §2 or doubtful ones (團購, 特價, 服飾, 食品 …)
_HEADING_GOODS = regexcache.compile("|".join(c.pattern.pattern for c in UNLAWFUL + GREY))


# 「附件二所列商品…不適用前條解除權」: the goods are the rows of the annex the clause names
_ANNEX_REF = regexcache.compile(r"(附件|附表)([一二三四五六七八九十\d]{1,3})(?:所列|所載|所示|之|中|列)")


def _annex(hit: Hit) -> list[str]:
    """The table or list of the annex an exclusion refers to (empty when there is none)."""
    m = _ANNEX_REF.search(hit.clause.text)
    if m is None:
        return []
    text = hit.prep.norm.text
    # (the annex's title: a short line of its own, 「附件二　不適用七日解除權之商品」)
    title = regexcache.compile(r"(?:^|\n)[ \t]*" + m.group(1) + m.group(2) + r"(?![一二三四五六七八九十\d])[^\n。;]{0,36}\n")
    t = next((t for t in title.finditer(text) if not (t.start() <= hit.start <= t.end())), None)
    if t is None:
        return []
    rows: list[str] = []
    for line in text[t.end():t.end() + 3000].split("\n"):
        if not line.strip():
            continue
        if "|" in line or _ITEM_START.match(line):
            rows.append(line)
        elif rows or len(line) > 40:
            break  # the annex's rows end at the first line of prose
    return rows


_ITEM_START = regexcache.compile(r"\s*(?:[・•●○■□◆◇★☆▶►*※-]|\d{1,2}[.、)]|\([一二三四五六七八九十\d]{1,2}\)|[一二三四五六七八九十]{1,3}、)")


# (「前述七日解除權」, 「上述期間」, 「依前述準則第2條第4款」 refer back to the right, its terms or the
# law, not to goods)
_NOT_GOODS_AFTER = (r"(?!(?:之|的|所定|所列)?(?:七日|7日|七天|7天|解除權|期間|期限|規定|條款|方式|程序|權利|約定|說明|第"
                    r"|準則|法令|法規|法律|消保法|消費者保護法|例外))")
def _paragraph_before(hit: Hit) -> str:
    """The sentences of the hit's paragraph before its clause."""
    i, before = hit.clause.index, []
    while i > 0 and not hit.prep.clauses[i].line_start:
        i -= 1
        before.insert(0, hit.prep.clauses[i].text)
    return " ".join(before)


_OF_PREVIOUS = regexcache.compile(r"前款|前項|上開|上述")
_EXCLUSION_HEADING = regexcache.compile(r"[^\u4e00-\u9fff]*(?:[一二三四五六七八九十]+、)?(?:不適用|排除)(?:七日|7日|七天|7天)?(?:之)?"
                                r"(?:解除權|退貨|鑑賞期|無條件退貨)(?:之|的)?(?:商品|情形|品項|範圍|例外)?")
# a page title above the clause (「霧光香氛｜購物須知」) names the shop, not the goods excluded
_PAGE_TITLE = regexcache.compile(r"購物須知|購物說明|服務條款|會員條款|使用條款|交易條款|退換貨(?:政策|須知|說明)|常見問題|購物指南|幫助中心|[|｜]")
# (「…才依同條第五款排除解除權」, 「始依前揭準則第二條第五款…」: the exclusion the sentence before names)
_REFERS_BACK = regexcache.compile(r"(?:此類|該類|這類|此等|該等|這些|上述|前述|上開|前開)" + _NOT_GOODS_AFTER
                          + r"|該商品|此商品|此項|依(?:同條|同款|前揭|上揭|前開)")
_BACK_TO_GOODS = regexcache.compile(r"(?:以上|上述|前述|上列|前列)" + _NOT_GOODS_AFTER)


def _exclusion_items(hit: Hit, list_intro) -> list[Clause]:
    """The clauses of the section or list an exclusion governs (empty for a lone clause)."""
    c, cl = hit.clause, hit.prep.clauses
    parts: list[Clause] = []
    if _is_title(c) or _subsection_title(cl, c) or _table_header(cl, c):
        # a section title (「二、不適用解除權之商品」): what it excludes is the section below it,
        # up to the next title of the same level
        own = _item_marker(hit.prep, c)
        # (bullets of another shape are a level below: 「■ 不適用…之商品」 over 「・冷凍生鮮…」)
        shape = c.text.lstrip()[:1] if own == "bullet" else ""
        for x in cl[c.index + 1:c.index + 13]:
            if own and x.line_start and x.marker == own and (not shape or x.text.lstrip()[:1] == shape):
                break  # the next item or title of the same level
            if _is_title(x) and x.marker in ("", "article", "cjk"):
                # short unmarked lines right under the title are its items (「生鮮食品」),
                # a line naming a topic or following prose is the next section
                if not (_short_item(x) and all(_short_item(i) and i.marker == x.marker for i in parts)
                        and not _SECTION_WORD.search(x.text)):
                    break
            if _includes(x.text):
                break
            if not _grants_right(x.text):
                parts.append(x)
    elif list_intro.search(c.text):
        # the clause that opens the list is item N of its own list; its items end where
        # item N+1 of that list begins (「三、下列商品不適用…：(一)…(二)…四、前項以外之商品…」)
        own = _item_marker(hit.prep, c)
        back = _BACK_TO_GOODS.search(c.text)
        named = re.match(r"[\u4e00-\u9fff]{2,}", c.text[back.end():]) if back else None
        if named and not c.line_start and named.group()[:2] in _paragraph_before(hit):
            # 「…康普茶、發酵氣泡飲…屬準則第2條第1款之商品。…：上述發酵飲不適用七日解除權」: the
            # goods it points back to are named in its own paragraph, not in the items above
            items = []
        elif back or _PREVIOUS_ITEM.search(c.text):
            items = []
            for x in reversed(cl[max(0, c.index - 8):c.index]):
                if (own and _item_marker(hit.prep, x) == own) or x.heading != c.heading:
                    if not items and own and x.heading == c.heading and _PREVIOUS_ITEM.search(c.text):
                        # 「3. 前款商品雖不適用七日解除權…」: the goods are those of item 2
                        items = _line_of(hit.prep, x)
                    break
                items.append(x)
        else:
            items = []
            # segmentation gave the intro's items the intro as their topic: a line with another
            # topic (the next FAQ question, 「除這兩種以外…」) ends the list
            topic = c.topic if c.topic and c.index + 1 < len(cl) and cl[c.index + 1].topic == c.topic else None
            for x in cl[c.index + 1:c.index + 9]:
                if _table_header(cl, x) and not items:
                    continue  # the header row of the table the intro announces (「商品 | 準則依據 | 說明」)
                if topic is not None and x.line_start and x.topic != topic:
                    break
                # (pieces of the intro's own line, 「…拒絕退貨：1.…;2.…」, are its items)
                if (own and x.line_start and x.marker == own) or _includes(x.text):
                    break
                if own and not x.line_start and _item_marker(hit.prep, x) == own and not _same_line(c, x, cl):
                    break
                # (a table's header row under the intro, 「商品 | 準則依據 | 說明」, heads its rows, not a new section)
                if (x.heading != c.heading and "|" not in x.heading) or (_is_title(x) and x.marker in ("", "article", "cjk")):
                    # a short line under an intro that ends with 「：」 is an item (「①生鮮食品」,
                    # 「A. 報紙雜誌」); after prose items, or naming a topic, it is the next section
                    if not (c.text.rstrip().endswith(":") and _short_item(x)
                            and all(_short_item(i) for i in items) and not _SECTION_WORD.search(x.text)
                            and not (items and items[-1].marker != x.marker)):
                        break  # the next section (「▍預購與缺貨」) is not part of the list
                items.append(x)
        parts += [x for x in items if not _grants_right(x.text)]
    return _without_notes(parts)


def _without_notes(items: list[Clause]) -> list[Clause]:
    """The items without the notes under the list (_DEFECT_NOTE) and the rest of a note's line."""
    out, in_note = [], False
    for i, x in enumerate(items):
        if i == 0 or x.line_start:
            in_note = bool(_DEFECT_NOTE.match(x.text))
        if not in_note:
            out.append(x)
    return out


# a note under the list on the listed goods' defects (「上述食品如有退冰、破袋…仍屬本公司應負責的瑕疵」):
# it names no goods of its own
# (「以上例外只排除「不附理由」的解除權」: a note on the list's exceptions themselves)
_DEFECT_NOTE = regexcache.compile(r"[\s・•●○■□◆◇★☆▶►*※-]*(?:上述|前述|以上|前開|上開|此類|這些|該等)(?:[^。;]{0,40}?瑕疵|(?:的|之)?(?:例外|排除|規定|情形))")


# an item that grants the 7-day right (「鏡框…您得於收受商品之次日起七日內…解除契約，無須說明理由」)
# names goods the exclusion does not cover; a grant that is itself conditional (「未拆封者始得退貨」)
# or qualified (但, 除外) is no such item
_GRANT = regexcache.compile(r"(?<![不無未])(?:得|可|可以|均可|皆可|仍得|仍可|享有)(?:於|在)?[^。;]{0,30}?"
                    r"(?:解除契約|行使解除權|七日解除權|七天解除權|退回商品|辦理退貨|申請退貨|退貨|退換貨)"
                    # 「…全部適用七日解除權，沒有例外品項」
                    r"|(?:全部|全都|都|均|皆|一律)適用(?:七日|七天|7日|7天)?(?:解除權|鑑賞期|猶豫期)[,]?(?:沒有|並無|無)例外")
_GRANT_QUALIFIED = regexcache.compile(r"但|惟|除外|不適用|恕不|概不|無法|不得|不能|不可|不接受|不受理|不予"
                              r"|(?<![無毋免不])(?:須|需|必須)|始得|方得|才能|才可|者(?:始|方|才)?(?:得|可)|為限|限於")


def _grants_right(text: str) -> bool:
    """Does this list item or answer grant the 7-day right, without a condition or proviso?"""
    return bool(_GRANT.search(text)) and not _GRANT_QUALIFIED.search(text)


# a list item that puts goods back under the 7-day right is not part of the exclusion
_INCLUSION = regexcache.compile(r"(?:仍然?|均|皆|亦|一律|同樣|一樣)(?:可)?適用|仍然?(?:得|可|享有)|不在此限")


def _includes(text: str) -> bool:
    """Does this item put goods back under the right? A note in brackets does not make the
    item an inclusion (「已拆封之紙尿褲（未拆封之整包商品仍可解除契約）」 still excludes)."""
    return bool(_INCLUSION.search(_BRACKETED.sub("", text)))


_BRACKETED = regexcache.compile(r"\([^()]*\)")


_SECTION_WORD = regexcache.compile(r"^[▍▌▎■□◆◇【〔［#＃]|退|款|運費|說明|須知|政策|規定|方式|流程|期限|條款|注意|服務|保固|聯絡|客服|付款|配送|隱私|會員")


def _short_item(x: Clause) -> bool:
    return x.line_start and len(x.text.strip()) <= 30


def _same_line(a: Clause, b: Clause, cl: list[Clause]) -> bool:
    """Do clauses a and b (a before b) sit on one line of the text?"""
    return all(not x.line_start for x in cl[a.index + 1:b.index + 1])


def _is_title(clause: Clause) -> bool:
    """A short line of its own without sentence punctuation: a heading or section title
    (also one decorated with a bullet: 「◆ 不適用七日解除權之商品」)."""
    t = _TITLE_NOTE.sub("", clause.text.rstrip())
    # (a numbered line is a title when segmentation made it its section's heading: 「10. 依法不適用解除權之商品」)
    return (clause.line_start and 0 < len(t) <= 30 and t[-1] not in "。;,:!?、"
            and (clause.marker not in ("num", "paren-num", "paren-cjk") or clause.heading == clause.text.rstrip()))


def _subsection_title(cl: list[Clause], clause: Clause) -> bool:
    """A short numbered line of its own above items of a deeper numbering (「（四）排除解除權之商品」
    over 「1. …」「2. …」): the title of its subsection."""
    t = clause.text.rstrip()
    if not (clause.line_start and clause.marker in ("num", "paren-num", "paren-cjk") and 0 < len(t) <= 30
            and t[-1] not in "。;,:!?、" and clause.index + 1 < len(cl)):
        return False
    x = cl[clause.index + 1]
    return x.line_start and x.marker not in ("", clause.marker)


_COLUMN_NAMES = regexcache.compile(r"\|?(?:(?:類別|例示|舉例|範例|依據|法源|項目|說明|條件|商品|品項|類型|備註|規定|內容|名稱|原因|理由|適用條件)\|?)+")


def _table_header(cl: list[Clause], clause: Clause) -> bool:
    """A table's header row (「不適用七日解除權之商品 | 條件」) over its rows: its rows are its items."""
    # (normalised text: the extractor's 「 | 」 reads 「|」)
    return (clause.line_start and "|" in clause.text and clause.index + 1 < len(cl)
            and cl[clause.index + 1].line_start and "|" in cl[clause.index + 1].text)


# a note in brackets after a title (「不適用七日解除權之商品(依…準則第二條,並於商品頁面事先告知)」)
_TITLE_NOTE = regexcache.compile(r"(?<=[^\s(])\([^()]{1,60}\)$")


def _item_lines(items: list[Clause]) -> list[tuple[Clause, str]]:
    """The items of a list, a line each: its first clause and the text of the whole line."""
    out: list[tuple[Clause, str]] = []
    for x in items:
        if out and not x.line_start:
            out[-1] = (out[-1][0], out[-1][1] + x.text)
        else:
            out.append((x, x.text))
    return out


# a reference to the one item before (前款, 前項), not to a whole list above (以上, 上述)
# (「不適用前項解除權」 names the right, not goods)
_PREVIOUS_ITEM = regexcache.compile(r"(?:前款|前項)(?:之|所列|所述|所定)?(?:商品|物品|貨品|品項)")


def _line_of(prep: Prepared, clause: Clause) -> list[Clause]:
    """The clauses of the line a clause ends, from the line's start."""
    i = clause.index
    while i > 0 and not prep.clauses[i].line_start:
        i -= 1
    return prep.clauses[i:clause.index + 1]


def _item_marker(prep: Prepared, clause: Clause) -> str:
    """The numbering type of the line a clause belongs to."""
    i = clause.index
    while i > 0 and not prep.clauses[i].line_start:
        i -= 1
    return prep.clauses[i].marker
