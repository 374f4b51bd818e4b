"""M10 解除權之告知 (and A01 「鑑賞期」用語 beside it): the period is parsed and compared,
its starting event matters, and a missing withdrawal statement fails.

消保法 §19 I: 收受商品後七日內, by returning the goods or written notice, no reason, no
cost. Shorter periods, or periods counted from ordering, shipping or payment, contradict it.
"""
from __future__ import annotations

import pytest

from compliance.engine import evaluate
from compliance.models import Document, Status
from compliance.rules import load_pack

PACK = load_pack()


def judge(text: str, rule: str = "M10"):
    doc = Document("shop/guide.txt", text)
    result = evaluate([doc], PACK, assume_terms=True, only=[rule])[0]
    for ev in result.evidence:
        assert doc.text[ev.start:ev.end] == ev.text
    return result


PASS = [
    ("statutory", "消費者得於收受商品後七日內，以退回商品或書面通知方式解除契約，無須說明理由及負擔任何費用。"),
    ("fullwidth-next-day", "收到商品隔日起７天內可申請退貨，不需要任何理由。"),
    ("hesitation-period", "到貨後享有7天猶豫期，期間內可無條件退貨。"),
    ("ten-days", "您可在簽收後十日內無條件退貨。"),
    ("appreciation-7", "本店享有七天鑑賞期，收到商品後七天內都可以退貨。"),
    ("appreciation-named", "商品到貨7日鑑賞期內，可申請退貨退款。"),
    ("next-day-counted", "七日內得解除契約，期間自收受商品之翌日起算。"),
    ("incl-holidays", "收到商品起算 7 天內（含例假日）可辦理退貨。"),
    ("faq", "Q：收到商品後可以退貨嗎？\nA：可以的，收到商品後7天內都可以申請退貨喔！"),
    ("heading-casual", "七天猶豫期\n收到商品後七天內，不滿意都可以退。"),
    ("named-before", "退貨期限：到貨後10天內。"),
    ("bullet", "・到貨七日內可退換貨"),
    ("fourteen", "我們提供收到商品後14天無條件退貨。"),
    ("english", "You may return items within 7 days of delivery, no reason needed."),
    ("english-hyphen", "We offer a 7-day cooling-off period: return any item within 7 days of delivery."),
    ("english-mixed", "7 days 猶豫期：收到商品後 7 days 內可退貨。"),
    ("simplified", "消费者可在收到商品后七日内办理退货，无需说明理由。"),
    ("taiwan-variant", "依臺灣消保法，您收到商品後七日內得退貨。"),
    ("pickup-store", "超商取貨後七天內，您可透過會員中心申請退貨。"),
    ("written-notice", "會員於收受商品後七日內，得以書面通知本公司解除買賣契約。"),
    ("defect-beside", "商品如有瑕疵，請於收到後三日內通知客服。\n一般商品收到後七日內皆可退貨。"),
    # procedure steps and the trader's handling times are not the withdrawal period
    ("send-back-step", "收到商品後七日內可申請退貨。申請退貨後，請於3日內將商品寄回。"),
    ("ship-out-step", "收到商品後七日內可申請退貨，線上申請後請於2天內寄出退貨包裹。"),
    ("trader-handling", "您可以在收到商品七天內申請退貨，我們會在1-2個工作天內聯繫您安排退貨。"),
    ("inline-steps", "退貨流程：1. 到貨七日內填寫退貨單 2. 客服於24小時內回覆 3. 請於3天內寄回"),
    ("cancel-before-ship", "出貨前可於會員中心取消訂單，與下方七日解除權無關。\n收到商品後七日內仍可退貨。"),
    ("named-as-period", "鑑賞期為收到商品後的7天。"),
    ("shipping-time-beside", "訂單將於付款後3日內出貨，退貨請參考退換貨說明。\n收到商品後七日內可退貨。"),
    ("dispatch-working-days", "本公司於接獲訂單後2個工作天內出貨，如需退換貨請洽客服。\n收到商品後七日內可退貨。"),
    ("faq-named-in-question", "Q：鑑賞期幾天？\nA：收到商品後7天。"),
    ("faq-permission-answer", "Q：可以退貨嗎？\nA：7天內都可以！"),
    ("heading-gives-context", "關於退貨\n我們相信好東西經得起檢驗，所以收到商品後有整整 10 天可以考慮。\n不喜歡？直接寄回來就好。"),
    ("return-named-period-ends-clause", "會員購買商品後，如欲退貨，應於收到商品之日起七日內為之。"),
    ("application-deadline-working-days", "退貨申請期限為商品送達後的 5 個工作天內。"),
    ("hours-168", "本公司接受消費者於到貨後 168 小時內申請退貨。"),
    ("day-one-numbering", "本站提供七天無條件退貨（以簽收日為第一天）。"),
    ("exception-after-comma", "收到商品七天內可退貨，特價品不適用。"),
    ("no-reason-needed-casual", "收到商品七天內沒有理由也可以退。"),
    ("delivered-jp-style", "商品配達後七日內可辦理退貨。"),
    ("defect-window-beside", "收到商品後七日內可退貨。如有商品問題請於收到後24小時內聯絡客服辦理退換貨。"),
    # the period named again, its start after it; the orderer named before is no start
    ("counted-from-receipt-after", "收件人可以和訂購人不同，七天的退貨期間從收件人收到商品的隔天開始算。"),
    # a service: a no-reason full refund asked within the period is the right itself
    ("service-full-refund-no-reason", "訂閱付費方案後，都可以在開通後七天內透過 App 申請全額退款，不需要說明理由。"),
    # an ordinal day is a point in time, not a period
    ("ordinal-day-beside", "消費者得於收受教材之次日起七日內以書面通知解除契約。課程於付款後第八日開通，開通前消費者得隨時以書面通知解除契約。"),
]

FAIL = [
    ("three-days", "收到商品後三天內可辦理退貨。"),
    ("five-days", "收到後5日內可退貨，逾期恕不受理。"),
    ("48-hours", "商品到貨48小時內可以退貨。"),
    ("working-days-short", "收到商品3個工作天內可申請退貨。"),
    ("from-order", "商品自下單日起七日內可申請退貨。"),
    ("from-ship", "自出貨日起算7天內可退換貨。"),
    ("from-payment", "付款完成後七日內可申請退貨。"),
    ("from-order-date", "訂購日起7天內可退貨。"),
    ("appreciation-from-order", "七日鑑賞期自訂單成立日起算。"),
    ("casual-short", "親～收到貨 3 天內要退貨喔，超過就不收囉！"),
    ("no-statement", "本店商品皆為精選好物，歡迎選購。\n付款方式：信用卡、ATM轉帳。"),
    ("exchange-only", "商品如有瑕疵，請於收到後七日內與我們聯繫換貨。"),
    ("no-right", "本店不提供七天鑑賞期，請考慮清楚再下單。"),
    ("sold-no-return", "本店商品一經售出，概不退換。"),
    ("fullwidth-short", "請於到貨後３日內提出退貨申請。"),
    ("english-short", "Returns accepted within 3 days of delivery."),
    ("english-order", "You may return items within 7 days of your order date."),
    ("english-hyphen-short", "A 3-day return window applies after delivery."),
    ("from-deal", "成交後7天內可退貨。"),
    ("from-dispatch-day", "自寄件日起7天內可退貨。"),
    ("faq-short-answer", "Q：退貨期限是多久？\nA：3天喔。"),
    ("faq-from-shipping", "Q：鑑賞期多久？\nA：七天，從出貨日起算。"),
    ("waived", "會員已詳閱並同意本條款，並同意放棄七日解除權。"),
    ("return-named-short", "如需退貨，請於收到商品後3日內提出。"),
    ("from-dispatch", "商品寄出後十天內可退貨。"),
    ("order-completed", "訂單完成後 7 天內可申請退貨。"),
    ("denied-after", "七天鑑賞期恕不提供。"),
    ("denied-not-apply", "本店商品七日鑑賞期不適用。"),
    ("denied-casual", "本店沒有七天鑑賞期喔"),
    ("counted-from-order-complete", "7天鑑賞期從訂單完成日開始算。"),
    # a refund period with no reason asked is no withdrawal period (nothing grants the right)
    ("refund-period-only", "退款將於收到退貨後七日內退回原付款方式，不需說明理由。"),
    ("refund-from-order", "您可於下單後七日內申請全額退款，不需要說明理由。"),
    ("refund-too-short", "您可於收到商品後三日內申請全額退款，不需要說明理由。"),
]


@pytest.mark.parametrize("text", [c[1] for c in PASS], ids=[c[0] for c in PASS])
def test_m10_period_present(text):
    result = judge(text)
    assert result.status is Status.PASS, result.message
    assert result.evidence and result.evidence[0].text


@pytest.mark.parametrize("text", [c[1] for c in FAIL], ids=[c[0] for c in FAIL])
def test_m10_missing_or_contradicted(text):
    assert judge(text).status is Status.FAIL


def test_m10_short_period_evidence_names_the_duration():
    result = judge("收到商品後三天內可辦理退貨。")
    assert result.status is Status.FAIL
    assert "三天" in result.evidence[0].text and "少於" in result.message


def test_m10_shipping_start_named_in_message():
    result = judge("自出貨日起算7天內可退換貨。")
    assert "出貨" in result.message


A01_FIRE = [
    ("seven-day", "本店提供七天鑑賞期，期間內可退貨。"),
    ("question", "Q：鑑賞期是多久？"),
    ("fullwidth", "商品享有到貨後７日鑑賞期。"),
    ("definition", "鑑賞期並非試用期，請保持商品完整。"),
    ("simplified", "本店提供七天鉴赏期。"),
    ("after-period", "超過鑑賞期恕不受理退貨。"),
    ("without-period-word", "享有7天鑑賞，不滿意可退。"),
    ("appreciation-guarantee", "享有十日無條件退貨鑑賞保障。"),
]
A01_QUIET = [
    ("statutory", "您享有收受商品後七日內之解除權。"),
    ("disavowal", "法律規定的是七日猶豫期間，並非所謂鑑賞期。"),
    ("hesitation", "收到商品後享有7天猶豫期。"),
    ("not-called", "七日解除權不是鑑賞期，拆封檢查不影響退貨。"),
    ("so-called", "所謂的「鑑賞期」其實應稱為猶豫期。"),
]


@pytest.mark.parametrize("text", [c[1] for c in A01_FIRE], ids=[c[0] for c in A01_FIRE])
def test_a01_fires_on_appreciation_period_wording(text):
    result = judge(text, "A01")
    assert result.status is Status.FAIL
    assert "鑑賞" in result.evidence[0].text or "鉴赏" in result.evidence[0].text


@pytest.mark.parametrize("text", [c[1] for c in A01_QUIET], ids=[c[0] for c in A01_QUIET])
def test_a01_quiet_without_it(text):
    assert judge(text, "A01").status is Status.PASS


# Period × starting event × wording: pass only with at least 7 days counted from receipt
# (or with no event named, which the statute reads as from receipt).
_PERIODS = {"七日": 7, "７天": 7, "十日": 10, "兩週": 14, "3天": 3, "48小時": 2, "3個工作天": 4.2, "七個工作天": 9.8}
_EVENTS = {"收到商品後": True, "商品到貨後": True, "簽收後": True, "收到商品隔日起": True, "": True,
           "下單後": False, "出貨後": False, "付款後": False, "訂單成立後": False}
_WORDINGS = ["內可申請退貨。", "內得解除契約。", "內都可以退喔。", "內可無條件退貨。"]


@pytest.mark.parametrize("period", _PERIODS)
@pytest.mark.parametrize("event", _EVENTS)
@pytest.mark.parametrize("wording", _WORDINGS)
def test_m10_period_and_event_grid(period, event, wording):
    expected = Status.PASS if _PERIODS[period] >= 7 and _EVENTS[event] else Status.FAIL
    assert judge(f"消費者於{event}{period}{wording}").status is expected


# Services (消保法 §19 I: 「收受商品或接受服務後七日內」). Decision: the period runs from the
# moment the service is received. When an online course is opened only at the consumer's
# request, payment comes before 接受服務, so a period counted from payment can end before the
# statutory one would (施行細則 lets the consumer withdraw before receipt, too): still the
# wrong event, named as 接受服務 in the message. When the service starts with the payment
# (「付款完成即開通」), payment is 接受服務 and the clause is lawful. Goods counted from
# payment, ordering or shipping always fail.
SERVICES = [
    ("course-on-request", "本線上課程於付款後七日內得申請解除契約，課程於您申請開通後始提供。", Status.FAIL, "接受服務"),
    ("course-opened-on-payment", "本線上課程於付款完成即開通，付款後七日內得申請解除契約並全額退款。", Status.PASS, ""),
    ("course-open-at-once", "線上課程付款後立即開放觀看，自付款日起七日內可申請解除契約。", Status.PASS, ""),
    ("plan-opened-on-payment", "付款後即開通會員方案，付款後7天內可申請解除契約。", Status.PASS, ""),
    ("subscription-from-order", "訂閱方案自下單日起七日內可申請解除契約。", Status.FAIL, "接受服務"),
    ("goods-shipped-on-payment", "商品付款後即出貨，付款後七日內可退貨。", Status.FAIL, "收受商品"),
    ("goods-from-payment", "商品於付款後七日內得申請退貨。", Status.FAIL, "收受商品"),
    ("goods-from-shipping", "商品自出貨日起七日內可辦理退貨。", Status.FAIL, "收受商品"),
]


@pytest.mark.parametrize("text,expected,received", [c[1:] for c in SERVICES], ids=[c[0] for c in SERVICES])
def test_m10_service_counted_from_receipt_of_the_service(text, expected, received):
    result = judge(text)
    assert result.status is expected, result.message
    if received:
        assert f"非自{received}起算" in result.message
        assert result.evidence and result.evidence[0].text in text
