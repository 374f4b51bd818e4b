"""S01 退款期限與方式: refunds within 15 days (消保法 §19-2 II), not only as store credit
(§19-2 III with 民法 §259).

Working days are converted to calendar days as ×7/5 (five working days take at least a
calendar week), so 10 working days (≤ 14 calendar days) pass and 11 or more working days
(up to 15.4 and beyond) fail. Durations that measure something else beside the refund
(the withdrawal period, the bank's posting time) are not the refund period.
"""
from __future__ import annotations

import pytest

from compliance.engine import evaluate
from compliance.match import durations
from compliance.models import Document, Status
from compliance.rules import load_pack

PACK = load_pack()


def judge(text: str):
    doc = Document("shop/refund.txt", text)
    result = evaluate([doc], PACK, assume_terms=True, only=["S01"])[0]
    for ev in result.evidence:
        assert doc.text[ev.start:ev.end] == ev.text
    return result


PASS = [
    ("fifteen-days", "本公司於收到退回商品之次日起十五日內，以原付款方式退還全部價金。"),
    ("7-working-days", "退款將於7個工作天內完成，信用卡付款者以刷退方式處理。"),
    ("10-working-days", "收到退貨後10個工作天內退款至您的帳戶。"),
    ("fullwidth", "退款將於收到退貨後１５日內匯入您指定之帳戶。"),
    ("range-short", "退款約需3~5個工作天。"),
    ("choice", "退款可選擇退回原付款方式或購物金。"),
    ("choice-credit-first", "您可選擇以原付款方式退款，或改領同額購物金。"),
    ("credit-with-cash-request", "退貨款項預設轉為購物金，如需退現請來信，我們將於十日內匯款。"),
    ("cash-or-credit", "退款將以現金或購物金（由您選擇）退還。"),
    ("casual", "收到退貨後3天內就會退款給你喔！"),
    ("inspection-ok", "收到退回商品並確認無誤後，將於七日內退款。"),
    ("bank-posting-time", "本公司將於收到退貨後7日內辦理刷退，實際入帳時間依各發卡銀行作業約需7-14個工作天。"),
    ("withdrawal-period-beside", "超過七日恕不退款；七日內退貨者，本公司於收到商品後十日內退款。"),
    ("simplified", "退款将于收到退货后7个工作日内退回原支付方式。"),
    ("english", "Refunds are issued to the original payment method within 10 days."),
    ("credit-used", "以購物金折抵之金額，退貨時將退回購物金帳戶，其餘以原付款方式退還。"),
    ("no-refund-mention", "退貨時請將商品連同發票寄回。"),
    ("bank-after", "刷退作業約需7-14個工作天（依各銀行作業時間）。"),
    ("after-return-completed", "退款將於退貨完成後14日內辦理。"),
    ("not-next-month", "退款將於收到退貨後10日內辦理，不須等到次月。"),
    ("cod-payers-choose", "信用卡付款者刷退，貨到付款者可選擇匯款或購物金。"),
    ("atm-to-account", "ATM付款者退款將匯至您指定帳戶。"),
    ("faq-answer-short", "Q：退款多久會收到？\nA：收到退貨後3個工作天內。"),
    ("posted-in-10-days", "款項將於收到退貨後10日內入帳。"),
    ("cash-or-credit-choice", "退款將以現金或購物金退還，由您選擇。"),
    ("amount-of-purchases", "一年內退貨次數達五次以上，或退貨金額達購物金額百分之五十以上者，本公司得暫停其帳號。"),
    ("counted-from-refund", "購物金於退款後180天內有效。"),
    ("after-refund-questions", "退款完成後30日內如有疑問請洽客服。"),
    ("card-refund-credit-is-promo", "退款都是退回原信用卡，購物金是另外的活動。"),
    ("credit-if-you-wish", "本公司收到退回商品後，將於十五日內辦理退款。若您希望以購物金方式退款，可加贈5%購物金。"),
    ("two-weeks", "我們收到退貨後，會在兩個星期內完成退款。"),
    ("out-of-stock-refund", "缺貨時，本公司將於30日內通知並退款。"),
    ("short-days-without-holidays", "退款：7-10天（不含假日）"),
    ("no-credit-offered", "為保障您的權益，退款一律退回原付款方式，不提供購物金。"),
    ("currency-not-credit", "退款將以新臺幣計價，於十日內退回原信用卡。"),
    ("credit-one-of-options", "收到退回商品的次日起十日內退款，您可以選擇：\n1. 信用卡刷退；\n2. 轉帳至您指定的銀行帳戶；\n3. 轉為本店購物金（加贈5%）。"),
    ("money-back-window", "30天無條件退款保證。"),
    ("long-withdrawal-window", "享30天鑑賞期，可全額退款。"),
    ("application-deadline", "退貨須於30日內申請，逾期不予退款。"),
    ("credit-default-cash-on-request", "退款會以購物金形式退回，若需現金退款請另外告知。"),
]

FAIL = [
    ("thirty-days-transfer", "本茶行收到退回商品後，將於三十日內將款項匯入消費者指定之帳戶。", "三十日"),
    ("30-working-days", "退貨完成後，款項將於30個工作天內退回您的帳戶。", "30個工作天"),
    ("14-working-days", "退款約需14個工作天。", "14個工作天"),
    ("11-working-days", "收到退貨後11個工作天內退款。", "11個工作天"),
    ("twenty-days", "退款作業約需20天。", "20天"),
    ("one-month", "收到退貨後，約需一個月時間辦理退款。", "一個月"),
    ("casual-month", "退款大概要一個月左右喔～", "一個月"),
    ("range-long", "退款作業約需 10-15 個工作天。", "工作天"),
    ("fifteen-working-days", "退款：收到退回商品後十五個工作天內完成。", "十五個工作天"),
    ("english-30", "Refunds are processed within 30 days.", "30days"),
    ("simplified-long", "退款将于30个工作日内退回。", "30"),
    ("credit-only", "退款一律以購物金方式返還至會員帳戶。", "購物金"),
    ("credit-only-short", "退款以購物金方式退還。", "購物金"),
    ("points", "取消訂單之款項將轉為紅利點數，可於下次消費折抵。", "紅利點數"),
    ("stored-value", "退貨款項將以儲值金形式存入會員帳戶。", "儲值金"),
    ("credit-no-cash", "退款一律以等值購物金退還，恕不退還現金或辦理刷退。", "購物金"),
    ("voucher", "退貨後將提供等值折價券作為退款。", "折價券"),
    ("house-coin", "當期款項將於七日內以「樂選幣」存入會員帳戶，恕不提供現金退款。", "幣"),
    ("calendar-days", "退貨確認後，款項將於 30 個日曆天內退還至原付款帳戶。", "30個日曆天"),
    ("casual-money-back", "收到退貨後一個月內會退錢給你喔", "一個月"),
    ("disbursed", "款項將於收到退貨後30日內撥還。", "30日"),
    ("credit-for-cod-payers", "退款以原付款方式退回；貨到付款者一律以購物金退還。", "貨到付款"),
    ("faq-answer-month", "Q：退款多久會收到？\nA：約一個月。", "一個月"),
    ("posted-in-30-days", "款項將於收到退貨後30日內入帳。", "30日"),
    ("discount-code", "退款統一轉為下次購物可用之折扣碼。", "折扣碼"),
    ("cash-voucher-is-credit", "退貨款項將以現金券方式退還。", "現金券"),
    ("same-route-20-days", "退款將於20天內原路退回。", "20天"),
    ("about-thirty-days", "退款需要時間處理，大約三十天左右。", "三十天"),
    ("casual-all-credit", "退款都是退購物金喔，下次買東西可以直接折", "購物金"),
    ("next-month-transfer", "退貨完成後，退費將於次月15日統一匯入指定帳戶。", "次月"),
    ("weeks", "退款作業需時約 3 週，請耐心等候。", "3週"),
    ("cod-payers-get-credit", "退款說明：刷卡者刷退；貨到付款者退購物金。", "貨到付款"),
    ("days-without-holidays", "退款：10-15天（不含假日）", "10-15天"),
    ("eighteen-days", "退款規則：收到您寄回的商品後，我們需要約 18 天處理退款。", "18天"),
    ("monthly-batch", "退款將於每月25日統一匯款。", "每月"),
    ("next-month", "退貨款項於次月辦理退款。", "次月"),
    ("card-refund-14-working", "信用卡刷退約需14個工作天。", "14個工作天"),
    ("after-inspection-15-working", "款項將於驗收後15個工作天內退還。", "15個工作天"),
]


@pytest.mark.parametrize("text", [c[1] for c in PASS], ids=[c[0] for c in PASS])
def test_s01_lawful_refund_passes(text):
    result = judge(text)
    assert result.status is Status.PASS, (result.message, [e.text for e in result.evidence])


@pytest.mark.parametrize("text,fragment", [c[1:] for c in FAIL], ids=[c[0] for c in FAIL])
def test_s01_late_or_credit_only_refund_fails(text, fragment):
    result = judge(text)
    assert result.status is Status.FAIL, result.message
    assert result.evidence and all(ev.text for ev in result.evidence)
    assert any(fragment in ev.text.replace(" ", "") for ev in result.evidence), [e.text for e in result.evidence]


@pytest.mark.parametrize("text,days", [
    ("十五個工作天", 21.0), ("10個工作天", 14.0), ("7個工作天", 9.8), ("一個月", 30.0), ("２週", 14.0),
    ("三十日", 30.0), ("二十四小時", 1.0), ("7-14個工作天", 19.6), ("30 days", 30.0),
    ("10 business days", 14.0), ("半個月", 15.0), ("兩週", 14.0), ("10天（不含假日）", 14.0),
])
def test_durations_parse_to_calendar_days(text, days):
    from compliance.normalize import normalize_plain

    found = durations(normalize_plain(text))
    assert found and abs(found[0].days - days) < 1e-6


# Refund period × wording: 15 calendar days at most; working days × 7/5.
_REFUND_PERIODS = {"七日": 7, "10個工作天": 14, "十五日": 15, "半個月": 15, "兩週": 14, "3-5個工作天": 7,
                   "11個工作天": 15.4, "14個工作天": 19.6, "20天": 20, "一個月": 30, "3週": 21, "7~14個工作天": 19.6}
_REFUND_WORDINGS = ["本公司將於收到退貨後{p}內退款。", "退款作業時間約{p}。", "款項將於{p}內退回您的帳戶。",
                    "收到退回商品後，我們會在{p}內完成刷退。", "退貨完成後{p}內匯款至您指定帳戶。", "退款大約需要{p}喔～"]


@pytest.mark.parametrize("period", _REFUND_PERIODS)
@pytest.mark.parametrize("wording", _REFUND_WORDINGS)
def test_s01_refund_period_grid(period, wording):
    expected = Status.PASS if _REFUND_PERIODS[period] <= 15 else Status.FAIL
    assert judge(wording.format(p=period)).status is expected


_CREDITS = ["購物金", "折價券", "紅利點數", "儲值金", "電子禮券"]


@pytest.mark.parametrize("credit", _CREDITS)
@pytest.mark.parametrize("wording,expected", [
    ("退款一律以{c}方式退還。", Status.FAIL), ("退貨款項將全數轉為{c}。", Status.FAIL),
    ("恕不退現，退款統一以{c}退回。", Status.FAIL), ("退費將以{c}形式存入您的會員帳戶。", Status.FAIL),
    ("退款可選擇原付款方式或{c}。", Status.PASS), ("如您同意，退款可改以{c}退還。", Status.PASS),
    ("退款將刷退至原信用卡，或依您選擇轉為{c}。", Status.PASS),
    ("以{c}折抵之金額將退回您的帳戶，其餘以原付款方式退還。", Status.PASS),
])
def test_s01_store_credit_grid(credit, wording, expected):
    assert judge(wording.format(c=credit)).status is expected


@pytest.mark.parametrize("text", ["每月25日統一匯款", "次月10日撥款", "6月1日起", "2016年10月1日"])
def test_dates_are_not_durations(text):
    from compliance.normalize import normalize_plain

    assert [d.text for d in durations(normalize_plain(text)) if d.unit_days in (1.0, 365.0)] == []


# store credit said with 存回/存入 and an explicit refusal of cash: the refused cash is no option
CREDIT_REFUSING_CASH = [
    ("points-restored-no-cash", "退貨款項一律以紅利點數方式存回會員帳戶，不另退還現金或刷退。", "紅利點數"),
    ("credit-deposited-no-cash", "退款金額將以購物金存入會員帳戶，恕不退現。", "購物金"),
    ("points-no-cash-refund", "退貨之款項以點數存回您的會員帳戶，不提供現金退款。", "點數"),
    ("voucher-money-no-cash", "退貨後款項一律轉存為抵用金，不另退還現金。", "抵用金"),
    ("gift-voucher-no-cash", "退款均以本店禮券補償，恕不退現。", "禮券"),
    ("house-coin-no-cash", "退貨金額將以青木幣存入會員帳戶，不另退還現金。", "青木幣"),
    ("credit-no-card-refund", "退款一律以購物金存回帳戶，不接受刷退或轉帳。", "購物金"),
    ("cash-refused-after", "退款以購物金存入帳戶，現金恕不退還。", "購物金"),
    ("card-refund-refused-after", "退貨款項將全數轉為購物金，刷退恕不受理。", "購物金"),
    ("points-no-cash-back", "退款將以點數形式回饋至會員帳戶，無法退回現金。", "點數"),
    ("casual-cannot-cash", "退款會以購物金的形式存到您的帳戶裡，不能退現金喔。", "購物金"),
    ("casual-becomes-credit", "退貨的錢都會變成購物金喔，不退現金～", "購物金"),
    ("stored-as-points", "退回的款項將儲值為點數，不提供現金。", "點數"),
    ("into-member-account", "退貨完成後，我們會把金額轉成點數存進會員帳戶，不另外退現金。", "點數"),
    # 「您的帳戶」 that receives store credit is the member account, no bank account
    ("credit-into-your-account", "退款會以購物金的形式存到您的帳戶裡。", "購物金"),
    ("credit-deposited-your-account", "退款將以購物金存入您的帳戶。", "購物金"),
]
CREDIT_WITH_CASH = [
    ("points-used-restored", "退款將以原付款方式退還；以紅利點數折抵之部分，點數存回會員帳戶。"),
    ("points-part-cash-rest", "使用點數折抵的部分將存回會員帳戶，現金部分以原付款方式退還。"),
    ("credit-or-card-choice", "退款可選擇存回購物金或刷退至原信用卡。"),
    ("cash-not-credit", "退款一律以原付款方式退還，不會以購物金或點數代替。"),
    ("cash-payers-by-transfer", "退款以原付款方式退還，現金付款者以匯款退還。"),
    ("card-not-credit", "退款將退回原信用卡，不會轉為購物金。"),
    ("bank-and-credit-parts", "退款將匯入您的銀行帳戶，購物金部分存回會員帳戶。"),
    ("credit-or-your-account", "退款以購物金存入或退回您的帳戶，由您選擇。"),
    ("your-bank-account", "退款將匯入您的銀行帳戶，亦可改以購物金存入會員帳戶。"),
    ("points-used-cash-refunded", "訂單若使用點數折抵，退貨時點數將存回會員帳戶，現金部分刷退。"),
]


@pytest.mark.parametrize("text,fragment", [c[1:] for c in CREDIT_REFUSING_CASH], ids=[c[0] for c in CREDIT_REFUSING_CASH])
def test_s01_credit_with_cash_refused_fails(text, fragment):
    result = judge(text)
    assert result.status is Status.FAIL, result.message
    assert any(fragment in ev.text for ev in result.evidence), [e.text for e in result.evidence]


@pytest.mark.parametrize("text", [c[1] for c in CREDIT_WITH_CASH], ids=[c[0] for c in CREDIT_WITH_CASH])
def test_s01_credit_beside_money_passes(text):
    result = judge(text)
    assert result.status is Status.PASS, (result.message, [e.text for e in result.evidence])


# The trader approving the return (「經本公司同意退貨者」) is a condition on the return, not the
# consumer's consent to store credit (「經您同意」): the credit-only refund after it still fails.
_CREDIT_ONLY = "退款一律以等值購物金存入會員帳戶，購物金可於本公司網站選購其他商品。"
_RETURN_CONDITIONS = ["經本公司同意退貨者，", "退貨經確認後，", "符合退貨條件者，", "辦理退貨完成者，", "如經本公司同意退貨，",
                      "經客服確認同意退貨者，", "本店同意退貨後，", "若同意退貨，", "退貨經本公司審核同意者，",
                      "經本公司書面同意退貨者，"]


@pytest.mark.parametrize("condition", [""] + _RETURN_CONDITIONS)
def test_s01_credit_only_after_a_return_condition_fails(condition):
    result = judge(condition + _CREDIT_ONLY)
    assert result.status is Status.FAIL, result.message
    assert any("購物金" in ev.text for ev in result.evidence)


@pytest.mark.parametrize("text", ["經您同意後，退款改以等值購物金存入會員帳戶。", "經雙方同意，退款得以購物金代替。",
                                  "經消費者書面同意者，退款得以等值購物金存入會員帳戶。",
                                  "您書面同意後，退款得改以購物金存入會員帳戶。"])
def test_s01_credit_with_the_consumers_consent_passes(text):
    result = judge(text)
    assert result.status is Status.PASS, (result.message, [e.text for e in result.evidence])
