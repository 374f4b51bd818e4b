"""Context the generic engine reads clauses in: whether a text is a shop's terms at all,
line breaks inside sentences, FAQ questions and list intros (issue 2, "what bad input gets").
All texts are written for this project."""
from __future__ import annotations

import pytest

from compliance.engine import check_documents, evaluate, prepare, quoted_terms
from compliance.match import negated
from compliance.models import Document, Status
from compliance import engine
from compliance.normalize import normalize, self_names
from compliance.rules import load_pack
from compliance.segment import clauses

PACK = load_pack()

NEWS = """網購退貨糾紛年增三成 消保官提醒：七天內可無條件解約
【記者林小華／臺北報導】行政院消保處今日公布統計，去年網路購物相關申訴案件達一萬兩千件，較前年增加三成，其中以退貨退款爭議最多。消保官指出，許多業者在網站上寫明「拆封不退」、「特價品恕不退換」，但依消費者保護法第19條，通訊交易的消費者得於收受商品後七日內，以退回商品或書面通知方式解除契約，無須說明理由及負擔任何費用，業者以定型化契約排除者，其約定無效。
消保處表示，也有民眾投訴業者只願退還購物金，或要求負擔退貨運費、扣除手續費。消基會呼籲，消費者下單前應詳閱網站的退貨條款、付款方式及運費規定，並保留訂單、付款紀錄及與賣家的對話截圖，如遇爭議可撥打1950消費者服務專線申訴。
一位網友表示，她在某服飾網站購買特價外套，收到後發現尺寸不合想退貨，卻被業者以「活動商品不適用七天鑑賞期」拒絕，經向縣市政府消保官申訴後才順利退款。消保官提醒，所謂「鑑賞期」並非法律用語，消費者仍可拆封檢查商品，業者不得以商品已拆封為由拒絕退貨。
另外，專家也提醒，部分網站條款寫明「本公司保留隨時修改本條款之權利」或「最終解釋權歸本公司所有」，依消保法第17條，這類條款可能違反主管機關公告的不得記載事項，消費者可向主管機關檢舉。經濟部表示，將持續辦理定型化契約查核，對未改善之業者依法處以罰鍰。
"""

RECIPE = """【食譜】十分鐘上桌！蒜香奶油蝦仁義大利麵
週末不想出門，就用冰箱裡的冷凍蝦仁做一盤蒜香奶油義大利麵吧！這道料理我已經做了不下二十次，家人每次都吃光光。
材料（兩人份）：義大利麵200公克、蝦仁12隻、蒜頭4瓣、奶油20公克、橄欖油1大匙、白酒50毫升、巴西里少許、鹽與黑胡椒適量。
步驟：
1. 煮一鍋水，加入一小匙鹽，放入義大利麵依包裝時間減一分鐘煮熟，撈起備用，保留一碗煮麵水。
2. 蝦仁退冰後用廚房紙巾吸乾水分，撒上少許鹽與黑胡椒。
3. 平底鍋加入橄欖油與奶油，小火爆香蒜片，放入蝦仁煎至兩面變色後先取出。
4. 倒入白酒煮滾讓酒精揮發，加入義大利麵與半碗煮麵水拌炒，最後放回蝦仁、撒上巴西里即可。
小提醒：蝦仁不要煎太久，否則會變硬。這次用的是我在網路上購買的冷凍蝦仁，收到時包裝完整，退冰後很新鮮，運費是滿千免運。想買的朋友可以參考我上一篇的開箱文，商品連結放在留言區喔！
如果你也做了這道料理，歡迎在下方留言分享你的版本，也可以追蹤我的粉絲專頁，每週都會更新新的食譜！
"""

ABOUT_US = """關於我們
木見生活有限公司成立於2015年，創辦人陳木見從一張手作木桌開始，希望把臺灣的木工技藝帶進每個家庭。我們與中部二十多位木工師傅合作，選用FSC認證木材，每件商品都經過手工打磨與天然植物油上漆。
我們的理念
好的家具可以陪伴一家人很多年。我們相信簡單的設計、誠實的材料與用心的服務。從客廳的茶几到孩子的書桌，每一件作品都有師傅的名字與製作日期。
我們的服務
我們提供免費的保養諮詢，也歡迎到臺中的展示中心參觀，現場可以觸摸不同木種的質感，並由專人說明。展示中心地址：臺中市南屯區公益路二段51號，營業時間週二至週日上午十點到晚上七點。
聯絡我們
電話：04-2258-1234　Email：hello@mujian.example
"""

REVIEW_BLOG = """【開箱】手沖咖啡壺用了兩週的心得
這篇不是業配，是我自己花錢買的，跟大家分享心得。我是在一家網路商城買的，收到後發現壺蓋有刮痕，客服很快寄了新的過來。
我順便看了他們的退貨規定，收到商品後七天內可以退，退貨運費是店家出，我覺得很有誠意。
優點是出水很穩，我每天早上都用它沖一杯。缺點是壺身有點重，我手小拿久會痠。
延伸閱讀：磨豆機怎麼挑？我實測三台給你看。喜歡的話記得追蹤，也歡迎留言分享你的經驗！
本站文章未經同意請勿轉載。"""

FAQ = """常見問題
Q：下單後多久會出貨？
A：付款完成後三個工作天內出貨，我們以黑貓宅急便寄送，也可以選擇7-11取貨。
Q：運費怎麼算？
A：單筆未滿800元運費80元，滿800元免運。
Q：有哪些付款方式？
A：信用卡、ATM轉帳及貨到付款。
Q：收到商品不喜歡可以退貨嗎？
A：可以的！收到商品後7天內都可以申請退貨，不需要任何理由，退貨運費由我們負擔。
Q：特價品可以退嗎？
A：特價商品恕不退換喔。
Q：退款多久會收到？
A：收到退貨後10天內退款到您原付款帳戶。
Q：商品圖片跟實物一樣嗎？
A：圖片僅供參考，以實物為準。
Q：有問題要找誰？
A：請來信 help@shop.example 或撥打 02-2345-6789，客服時間週一到週五。
"""


@pytest.mark.parametrize("text", [NEWS, RECIPE, ABOUT_US, REVIEW_BLOG], ids=["news-article", "recipe-blog", "about-us", "review-blog"])
def test_a_text_that_is_not_terms_gets_no_false_fails(text):
    results = evaluate([Document("page.txt", text)], PACK)
    assert len(results) == len(PACK.rules)
    assert {r.status for r in results} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}


def test_a_shop_faq_page_is_still_judged():
    report = check_documents([Document("faq.txt", FAQ)], target_kind="file", target_name="faq.txt")
    got = {r.rule_id: r.status for r in report.results}
    assert got["M07"] is Status.PASS and got["M08"] is Status.PASS and got["M09"] is Status.PASS
    assert got["M14"] is Status.PASS  # 「有問題要找誰？」 answered with e-mail and phone
    assert got["P06"] is Status.FAIL  # 「圖片僅供參考，以實物為準」
    assert got["P05"] is Status.FAIL  # 特價商品恕不退換
    for r in report.results:
        for e in r.evidence:
            assert e.text == FAQ[e.start:e.end]


OWNER_QA = """小木屋手作燈具　店主的購物說明
大家好，我是店主阿傑，我做燈具十五年了，每一盞燈我都自己組裝、自己點亮測試過才寄出。我喜歡用老木頭，我也常去舊料行找材料，這頁是我寫給你的購物規則。
店家資料：小木屋手作工作室（統一編號 24681357），負責人：林志傑，電話 (03)555-1234，信箱 hello@woodlamp.example
Q：多久出貨？
A：付款後三天內我會寄出，寄出時我會主動通知你物流單號。
Q：可以退貨嗎？
A：收到燈之後七天內跟我說一聲就可以退，不用說理由；寄回來的運費要麻煩你自己出。我收到退貨後，我會轉成等值的購物金給你。
Q：壞掉怎麼辦？
A：運送中摔壞的話，我會馬上補寄新的給你。保固一年內我也會幫你修理。
Q：價格會變嗎？
A：木料漲價的時候我會調整價格，已經下單的也會照新價格補收差額。
"""


def test_a_shop_owner_writing_in_the_first_person_is_judged_not_taken_for_a_blog():
    report = check_documents([Document("qa.txt", OWNER_QA)], target_kind="file", target_name="qa.txt")
    got = {r.rule_id: r.status for r in report.results}
    assert got["P05"] is Status.FAIL  # 寄回來的運費要麻煩你自己出
    assert got["S01"] is Status.FAIL  # 轉成等值的購物金
    # the same first-person voice without the shop's own details or its acts stays a blog
    blog = OWNER_QA.split("店家資料")[0] + "我買了三盞，我覺得很好看，我推薦給大家，我也分享開箱心得。"
    assert {r.status for r in evaluate([Document("blog.txt", blog)], PACK)} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}


GROUP_BUY_NOTE = """【記事本】社區團購｜第12團 手工冷凍包子 團購須知（下單前必看）
建立者：小芸（團主）
哈囉大家晚安～這團我自己先試吃過，我家小孩超愛，我真心推薦才開的😆
我上週親自去工廠看過，我覺得環境很乾淨，我也分享一下我最愛的口味：我最推筍肉包。
我知道大家很期待，我會在群組裡通知到貨時間，我也會幫大家分批到貨。
一、付款方式：收單後三天內轉帳，我收到款項才算下單成功。
二、運費：宅配每箱運費 180 元由團員負擔，滿 2,000 元免運。
三、退貨：冷凍食品一律不退不換，特價組也不退。
四、退款：有問題的話只退成下次團購的折抵金，不退現金。
五、個人資料：大家留的電話和地址只用於出貨。
團主聯絡電話：0912-345-678
"""

CHAT_EXPORT = """Messenger 對話紀錄匯出
粉絲專頁：小麥麵包坊
參與者：王小明、小麥麵包坊
""" + "".join(f"""
2026年3月{d}日 下午8:{10 + d}
王小明：
我想問一下，我上次買的吐司我覺得有點硬，我可以退嗎？我是前天收到的，我家人也說我買太多了，我下次會少買一點，我先分享給鄰居，我自己也很愛吃。
小麥麵包坊：
不好意思喔，我們的特價商品一律不退不換，退款也只能轉成購物金喔，您可以看看賣場須知。宅配運費每箱 150 元，付款方式有轉帳和貨到付款，訂單出貨後會簡訊通知。
""" for d in range(1, 10))


@pytest.mark.parametrize("text", [GROUP_BUY_NOTE, CHAT_EXPORT], ids=["group-buy-note", "chat-export"])
def test_a_sellers_own_note_or_chat_is_judged_though_many_say_i(text):
    # (blind sets X: a 團購須知 written by the organiser in the first person, and a chat export under
    # the shop's own profile, had been taken for a writer's post and judged not at all)
    got = {r.rule_id: r.status for r in evaluate([Document("t.txt", text)], PACK)}
    assert got["P05"] is Status.FAIL
    assert got["S01"] is Status.FAIL


# (blind set AM: an owner's blog, a 露天 關於我 and a Threads thread, all three judged not at all)
OWNER_BLOG = """山茶布坊｜老闆娘的碎碎念 #7
把「做好了能不能退」一次說清楚：這篇就是我們網路訂購的交易規則
發表於 2026-02-11　分類：店務　作者：老闆娘阿茵
每週都有客人在 LINE 問我：「做好了不喜歡可以退嗎？」「不是七天都能退嗎？」我乾脆寫成一篇。
我從小跟著媽媽踩縫紉機，我開店第六年了，我一直覺得把規則講清楚比較好，我也希望大家買得安心。
現成尺寸的桌巾收到後七天內都可以退，不用理由；但特價桌巾恕不退換，退回運費也請自己付。
退款我會在收到退貨後三十天內匯給你。照片顏色都是參考，以實物為準。
"""
OWNER_ABOUT = """★ 松果手工蠟燭｜關於我 ★
哈囉～歡迎來到松果的小賣場 🕯️
我是阿柚，我在宜蘭租了一間小工作室，我每一顆蠟燭都自己倒、自己修芯，我也會寫每款的香調筆記。
聯絡電話：0912-000-111　LINE：@pinecone
下標前請看完這頁，只要下標就代表你已經看過也同意了喔～
★ 退換貨 ★ 蠟燭點過就不退，特價品也不退不換，要退的話運費你自己出。
★ 付款 ★ 轉帳或貨到付款，出貨後簡訊通知。商品照片大家看看就好，顏色以實物為準。
"""
OWNER_THREAD = """@hillcamp.jun ・ Threads
山丘營帳出租懶人包 1/6
我是阿駿，我們有 3 頂充氣帳可以租，都放在台中。送帳到營區我們幫你架好，回程我們會幫你收。
2/6 付完訂金後 24 小時內取消可以全退，之後取消訂金都不退喔。
3/6 颱風取消的話我們不會退現金，我們會轉成折抵金，半年內可以用。
4/6 押金刷卡或現金都可以，客人還帳時檢查沒問題當場退。規則我會隨時改，改完就更新在這串，租帳就等於同意喔。
5/6 照片是參考，實際以現場為準。
@user_a：請問可以開發票嗎？
@hillcamp.jun：可以，山丘營帳工作室，統編 12345678。
"""


# (blind set AN: a 露天 page under its 「賣家：」 line whose owner says 我 throughout, and an owner's
# forum post announcing 「我的網路訂單規則要改了」, both taken for a writer's post)
OWNER_AUCTION = """拍賣首頁 ｜ 我的帳戶 ｜ 購物車(0)
賣家：old_clock_house（老周的鐘錶間）
評價：正評 1,204 ／ 負評 3
關於我：我是老周，我修鐘錶三十年了，我收來的每一顆錶我都自己拆洗、校時過才上架，我也常跟買家聊錶。
我白天在店裡，我晚上才回訊息，我週末會去跳蚤市場找貨，我很喜歡老錶。
⚠ 下標即表示您已充分閱讀本頁所有規則，事後請勿以沒看到來爭執。
・所有錶都是單一現貨，結標後三天內匯款，運費 80 元。
・二手錶售出後一律不退不換，照片僅供參考，以實物為準。
"""
OWNER_ANNOUNCEMENT = """#公告 賣了十年手工皂，我的網路訂單規則下個月起要改了
居家板｜匿名｜2026 年 3 月 2 日
我在花蓮做皂十年，我老婆負責出貨，我每天晚上回訊息。上個月我遇到一位客人用了半塊才說要退，我真的很無奈。
我也知道大家會說我小氣，但我想了很久，我決定從下個月起照下面的規則走：
一、付訂金就表示這些規則你都看過了。
二、手工皂拆封後一律不退，特價皂也不退不換，運費 120 元由買家付。
三、照片都只是參考，顏色以收到的實物為準。
"""


# (blind sets AS, AR: a repairer's Threads thread headed by its shop details, an auction 關於我 under
# 「露天帳號：」 whose owner says 「店開在士林」)
OWNER_REPAIR_THREAD = """@tick.bench｜小齒輪工作室・鐘錶維修
Threads 置頂 1/8
常常有人私訊問一樣的問題，乾脆整理成一串，想跟我買二手錶的朋友先看完再來問我，我一個人回不完。
工作室：小齒輪工作室（統一編號 12345678）
電話：04-1234-5678
2/8 我收到錶會先拍照給你看，我報價你同意我才開工，我修好會再拍給你。
3/8 二手錶售出後一律不退不換，特價錶也不退，退回運費你自己出。
4/8 照片看看就好，實際以收到的錶為準。我會盡量回覆，我週一公休。
5/8 下單前請先私訊我，付款可以轉帳，商品都附保卡。
"""


# (blind sets AO, AQ: an owner who names itself by the page's own title, 「我是木紋革作的阿哲」,
# 「我是阿芷，苔原從 2019 年開始做皂」, over rules set out under headings of their own)
OWNER_NAMED_BLOG = """【青杉陶房｜工作室日常】這篇講清楚怎麼買
發文者：小杉　分類：關於購物　留言 12 則
哈囉，我是青杉陶房的小杉，我在苗栗捏陶八年了，我常被問可不可以退，所以我寫一篇給大家。
我自己覺得寫清楚比較好，我也會把連結放在個人檔案，我每週三休息。
下單方式
我都用表單接單，我收到表單會回信跟你確認。
付款
轉帳或超商代碼，三天內沒付我就取消。
退換貨
特價的杯子不退不換喔，退回的運費你自己出。
照片顏色大家看看就好，以收到的實物為準。每件商品都是手作，多少會有小氣泡。
"""
OWNER_NAMED_THREAD = """Threads ｜ @moss.bakery
霧島小麵包 Moss Bakery ｜ 天然酵母・新竹工作室
置頂串文：第一次買的朋友先看這串
1/5 我是阿霧，霧島從 2020 年開始烤麵包，現在還是我一個人揉麵、一個人回訊息。
下單＝你已經看過這串了喔，我沒辦法每個人都再講一次。
2/5 我每週一開單，我收到匯款才排單。
3/5 訂金付了就不退喔，預購的麵包也不接受取消。
4/5 商品照片是參考用的，實際以收到的為準。
5/5 有問題私訊我，我晚上回。
"""

@pytest.mark.parametrize("text", [OWNER_BLOG, OWNER_ABOUT, OWNER_THREAD, OWNER_AUCTION, OWNER_ANNOUNCEMENT, OWNER_REPAIR_THREAD,
                                  OWNER_NAMED_BLOG, OWNER_NAMED_THREAD],
                         ids=["owner-blog", "ruten-about", "threads-rental", "auction-seller", "owner-announcement", "repair-thread",
                              "owner-named-blog", "owner-named-thread"])
def test_an_owners_first_person_page_is_judged_as_its_shops_terms(text):
    got = {r.rule_id: r.status for r in evaluate([Document("t.txt", text)], PACK)}
    assert got["P05"] is Status.FAIL  # 特價…不退 / 訂金都不退 / 運費自己出
    assert got["P06"] is Status.FAIL  # 照片…參考，以實物為準


def test_one_mark_of_a_seller_does_not_make_a_buyers_blog_terms():
    # a buyer's post that mentions a shop's consent line and says 我 throughout stays a blog
    blog = ("買了松果的蠟燭開箱心得分享～我覺得香味很棒，我推薦給大家，我也追蹤了他們。\n"
            "我下單前有看到賣場寫下標就代表同意規則，我覺得還好。我收到後點了一顆，我很喜歡，我會再回購。\n"
            "他們說特價品不退不換，運費要自己出，付款可以轉帳，出貨也很快，商品包裝很用心，我大推。")
    assert {r.status for r in evaluate([Document("b.txt", blog)], PACK)} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}


@pytest.mark.parametrize("text,name", [
    ("【Facebook 社團貼文】北嶺大學 二手書交流板\n長廊書房 二手教科書 ▸ 管理員已置頂\n各位學弟妹好～我是「長廊書房」的小原。", "長廊書房"),
    ("［Facebook 粉絲專頁貼文］\n發文者：晴日果舍（小晴）・10月3日\n大家好我是小晴～這季的柑橘箱開放預訂了。", "小晴"),
], ids=["name-before-pinned-mark", "person-after-poster-label"])
def test_a_posts_page_or_poster_line_names_the_shop(text, name):
    # the owner names itself by the page (「我是「長廊書房」的小原」) or the person on the poster line (「我是小晴」)
    assert name in engine._title_names(text)
    assert engine._owner_names_itself(text)


def test_a_writers_byline_and_first_words_name_no_shop():
    text = "【水族日常】網購活魚到底行不行？\n發佈於 2025年2月9日 ｜ 作者：小鰭\n哈囉大家好，我是小鰭～養魚第六年。"
    assert "小鰭" not in engine._title_names(text)
    assert not engine._owner_names_itself(text)


def test_replies_and_pushes_by_others_are_not_the_shops_words():
    text = ("[販售] 二手球鞋 多雙\n作者 kicklab (球鞋小舖)\n收到後三天內可以退，超過不受理。\n"
            "推 runner88: 網購有七天可以退吧                    03/16 23:27\n"
            "→ kicklab: 我這邊就是三天                          03/16 23:30\n"
            "　↳ 路人甲：可是消保法說七天內都能退\n推薦商品：鞋帶、鞋墊\n")
    p = prepare(Document("t.txt", text))
    others = {p.clauses[i].text for i in p.others}
    assert any("runner88" in t for t in others) and any("路人甲" in t for t in others)
    assert not any("kicklab" in t or "推薦商品" in t or "三天內可以退" in t for t in others)


# a consumer group's guide quoting a shop's clauses as 示範句 and saying what the law allows;
# a buyer's review whose byline and first words name the writer (「我是小鰭」), not the shop
SPECIMEN_GUIDE = ("消費者權益促進會｜消費小教室\n撰文：本會消費諮詢組\n"
                  "一、先找七天從哪一天開始算\n示範句：「本店提供七天鑑賞期，自訂單成立日起算。」\n"
                  "消費者保護法第19條規定，網購的消費者可以在收受商品後七日內解除契約。起算點是收到商品，不是下單。\n"
                  "二、拆封不退通常站不住腳\n示範句：「皮帶拆封後恕不退貨；特價款恕不退換，退貨運費由買家負擔。」\n"
                  "拆封檢查是消費者的權利，特價品也適用七日解除權，退貨運費也不應由消費者負擔。\n")
BYLINED_REVIEW = ("【水族日常】網購活魚到底行不行？「藍潮水族」下單三次的真實心得\n發佈於 2025年2月9日 ｜ 作者：小鰭\n"
                  "哈囉大家好，我是小鰭～養魚第六年。我在藍潮水族買了三次，我覺得包裝很用心，我收到後馬上拆箱。\n"
                  "我下單前有看到他們寫特價品不退不換，運費要自己出，我覺得還好。付款我用轉帳，出貨很快，我大推。\n")


@pytest.mark.parametrize("text", [SPECIMEN_GUIDE, BYLINED_REVIEW], ids=["specimen-clauses", "writer-in-byline"])
def test_a_writers_page_about_a_shops_rules_is_not_terms(text):
    assert {r.status for r in evaluate([Document("w.txt", text)], PACK)} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}


def test_a_buyer_who_names_the_shop_as_its_customer_stays_a_blog():
    # 「我是青杉陶房的老客人」 names the shop of the title, but as its customer
    blog = ("【青杉陶房｜開箱】第三次回購的杯子\n我是青杉陶房的老客人，我這次又買了兩個杯子，我收到後馬上拆箱拍照。\n"
            "我覺得釉色很美，我很推薦，我也追蹤了他們的帳號。我下單前有看到他們寫特價品不退不換，運費要自己出。\n"
            "付款我用轉帳，出貨很快，商品包得很好，照片跟實物差不多，我大推這家店，我之後還會再回購。\n")
    assert {r.status for r in evaluate([Document("b.txt", blog)], PACK)} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}


def test_a_buyers_review_under_a_seller_line_quoting_its_rules_stays_a_blog():
    # a buyer's post may carry the seller's line and quote its consent clause: neither is the writer's own
    review = ("露天開箱｜老鏡頭初體驗\n賣家：old_lens_house\n商品：二手 50mm 定焦鏡　價格：3,200 元\n"
              "我上週在露天下標了這顆鏡頭，我收到後馬上裝在我的相機上試拍，我覺得銳利度很不錯，我很推薦。\n"
              "賣家的關於我寫著「下標即表示您已閱讀並同意本頁所有規則」，還寫「二手商品售出不退」，我覺得有點兇。\n"
              "我之後還會再回購，我也推薦給朋友，大家可以參考看看我的心得。運費 80 元，我用超商取貨付款。\n")
    assert {r.status for r in evaluate([Document("b.txt", review)], PACK)} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}


def test_a_formal_notice_that_names_itself_is_judged_despite_news_words():
    # (blind set O: 「以下稱「本室」」 and many words that news uses, 業者, 表示, 提醒)
    text = ("霜語冰室線上購物須知\n霜語冰室（以下稱「本室」）提供冰品低溫宅配。消費者於本室官網訂購前，請詳閱本須知。\n"
            "一、食品業者登錄字號：A-123。本室表示商品價格以頁面為準。\n二、本室提醒：冷凍商品到貨後請立即冷凍。\n"
            "三、本室指出付款方式為信用卡或轉帳，運費 150 元。\n四、民眾收到商品後七日內得解除契約，退貨後本室於十五日內退款。\n"
            "五、業者聯絡資料：電話 02-1234-5678。本室據了解業者應提供發票。\n六、商品圖片僅供參考，以實物為準。")
    got = {r.rule_id: r.status for r in evaluate([Document("t.txt", text)], PACK)}
    assert got["P06"] is Status.FAIL


def test_an_indented_english_line_continues_its_sentence():
    # (blind set AN: 「Any dispute shall be brought exclusively\n  before the … District Court」)
    text = "• These policies are governed by the laws of Taiwan. Any dispute shall be brought exclusively\n  before the Taiwan Taichung District Court as the court of first instance."
    assert "\n" not in normalize(text).text
    assert "\n" in normalize("• We reply within two working days to every message.\n  • Shipping").text  # a new item
    got = evaluate([Document("t.txt", text)], PACK, assume_terms=True, only=["P08"])[0]
    assert got.status is Status.FAIL


def test_a_wrapped_line_before_a_numeral_continues_the_sentence():
    text = "商品頁面呈現之書名、作者、出版社、價格、內容簡介、規格、版次及其他相關資訊，為契約之\n一部分。\n第四條 電子文件"
    norm = normalize(text)
    assert "為契約之一部分" in norm.text
    assert "\n第四條" in norm.text  # a numbered article still starts a line
    items = normalize("以下為本店之購物規定與說明請詳細閱讀\n一、付款方式\n1. 信用卡").text
    assert items.count("\n") == 2


def test_rows_of_labels_and_values_stay_rows():
    # a table's rows (「付款方式：信用卡…」) are not one wrapped sentence
    rows = "訂購流程：選擇商品→結帳頁核對品項、數量、金額→送出訂單→收到訂單確認信\n限購規定：禮盒得設定每人限購數量，並退還超過部分之款項\n付款方式：信用卡、ATM轉帳（請於3日內完成）"
    assert normalize(rows).text.count("\n") == 2
    results = {r.rule_id: r.status for r in evaluate([Document("t.txt", rows)], PACK, assume_terms=True, only=["M08"])}
    assert results["M08"] is Status.PASS  # the refund in the row above is not the payment row's
    # a table's rows as the extractor writes them (「a | b | c」) are lines of their own too
    table = "照片客製杯（依您上傳之照片印製） | 不適用 | 屬依消費者要求所為之客製化給付\n所有商品有破損或瑕疵 | 可以 | 運費由我們負擔\n您於收到商品之日起七日內可以通知我們解除契約，無須說明理由。"
    assert normalize(table).text.count("\n") == 2
    # a wrapped sentence whose next line only happens to hold a colon later still joins
    assert "\n" not in normalize("本公司之客服聯絡方式與服務時間如下，請消費者於上班時間來電洽詢本公司客服\n人員：週一至週五").text.strip()


def test_a_list_intro_is_the_topic_of_its_items_only():
    text = ("1. 會員有下列情形之一者，本公司得終止其會員資格：\n(1) 冒用他人身分；\n(2) 退貨次數過多。\n"
            "2. 會員得隨時申請終止。")
    cl = clauses(normalize(text).text)
    topics = {c.text: c.topic for c in cl}
    assert topics["(2)退貨次數過多。"].endswith("終止其會員資格:")
    assert topics["2.會員得隨時申請終止。"] == ""


def test_an_faq_question_is_the_topic_of_its_answer():
    cl = clauses(normalize("Q：東西壞了要找誰？\nA：請來信 help@shop.example。").text)
    assert cl[-1].topic.startswith("q:")


@pytest.mark.parametrize("clause,hit_word,protective", [
    ("會員得請求刪除資料，本公司仍得保留交易紀錄，會員不得請求停止利用", "不得請求停止利用", False),
    ("依法令規定，您仍得請求停止利用您的個人資料", "請求停止利用", True),
    ("本公司不得以商品已拆封為由拒絕退貨", "拒絕退貨", True),
    ("本店不得以任何名目向您收取費用或自退款中扣除", "退款中扣除", True),
    ("本店不收取手續費,但自退款中扣除運費", "退款中扣除", False),
    ("本店不會另行通知,或自退款中扣除運費", "退款中扣除", False),
    ("您茲此不可撤銷地放棄請求刪除個人資料之權利", "放棄請求刪除", False),
    ("舊版退貨須經客服審核後方可寄回之文字已全部刪除", "經客服審核", True),
    ("退貨須經客服審核後方可寄回,舊版文字已全部刪除", "經客服審核", False),
], ids=["trader-keeps-power", "consumer-keeps-right", "direct-negator", "coordinated-with-negated",
        "after-a-but", "after-a-comma", "irrevocably-is-no-negation", "old-wording-struck-out", "current-wording"])
def test_negation_scope(clause, hit_word, protective):
    assert bool(negated(clause, clause.index(hit_word))) is protective


@pytest.mark.parametrize("text,names,not_names", [
    ("小鹿雜貨舖 購物須知\n退貨請洽客服。", {"小鹿雜貨舖", "小鹿"}, set()),
    ("本網站由青田選物有限公司（以下稱青田）經營。", {"青田選物有限公司", "青田選物", "青田"}, set()),
    ("數位工坊股份有限公司\n數位內容一經下載不得退貨。", {"數位工坊"}, {"數位"}),
    ("會員服務條款\n本條款適用於所有會員（以下稱會員）。", set(), {"會員"}),
    ("立契約書人：康田網路商店會員（以下簡稱甲方）\n康田生技股份有限公司（以下簡稱乙方）", {"乙方"}, {"甲方"}),
    # a title's name in two scripts, each part a name of its own
    ("雲朵盒 CloudBox｜常見問題\n雲朵盒保留終止帳號之權利。", {"雲朵盒", "cloudbox"}, set()),
    # a Latin brand heading the page that acts as a party; a payment or app name never does
    ("Keyforge Studio｜Terms of Sale 銷售條款\nKeyforge 得視庫存取消訂單。LINE 將通知您。", {"keyforge"}, {"line"}),
    # a signature line with both parties: the company's name is 乙方's, not the blank 甲方's
    ("消費者：＿＿＿＿（以下簡稱甲方）\n企業經營者：衡裁服飾有限公司（以下簡稱乙方）\n\n甲方：＿＿＿＿　乙方：衡裁服飾有限公司",
     {"乙方"}, {"甲方"}),
], ids=["title-and-stem", "declared-alias", "generic-stem-refused", "consumer-word-refused", "party-word-of-the-company",
        "title-in-two-scripts", "latin-brand-acting", "signature-line-of-both-parties"])
def test_the_traders_own_names(text, names, not_names):
    found = set(self_names(normalize(text).text))
    assert names <= found
    assert not (not_names & found)


def test_a_trader_named_by_its_brand_is_the_trader_and_evidence_stays_original():
    text = "小鹿雜貨舖 購物須知\n★ 小鹿雜貨舖有權視情況取消任何訂單，不負任何賠償責任。"
    result = evaluate([Document("bad.txt", text)], PACK, only=["P04"], assume_terms=True)[0]
    assert result.status is Status.FAIL
    ev = result.evidence[0]
    assert ev.text == text[ev.start:ev.end] and "小鹿雜貨舖有權" in ev.text


def test_an_unpunctuated_page_is_cut_into_bounded_clauses():
    text = "退貨退款運費付款訂單商品" * 900  # a page flattened to one line, no full stop
    cl = clauses(normalize(text).text)
    assert "".join(c.text for c in cl) == text
    assert max(len(c.text) for c in cl) <= 600


@pytest.mark.parametrize("title", ["訂購常見問題", "新手購物須知", "全館購物須知", "會員服務條款"])
def test_a_generic_title_is_not_a_trader_name(title):
    assert self_names(normalize(title + "\n訂購前請確認商品數量。").text) == []


def test_trader_names_come_in_a_fixed_order():
    # equal-length names in the order of the set they were collected in would follow the hash seed,
    # and a page with more than twelve names would keep a different twelve from run to run
    text = "".join(f"{a}{b}有限公司經營本網站。" for a, b in zip("青赤白黑金銀", "田山川林石竹"))
    names = self_names(normalize(text).text)
    assert len(names) >= 12
    assert names == sorted(names, key=lambda n: (-len(n), n))


QUOTING_POST = """#求救 買了手工皂禮盒想退，賣家丟購物須知說不能退，合法嗎？？
原PO｜2026年5月2日
我上個月在 IG 看到「泡泡森林」在打廣告就手滑買了一盒，我收到之後覺得味道我不喜歡，我想退貨。
小編回我「依本店規定一律不接受退貨」，還丟了購物須知的截圖，我把它打出來：
————（以下為截圖內容）————
【泡泡森林 購物須知】
★ 付款：ATM 轉帳，轉帳後請回報後五碼。
★ 出貨：付款後 5 個工作天內出貨，運費 100 元。
★ 退換貨：本店商品均為手工製作，拆封後一律不接受退換貨。
★ 退款：經本店同意退貨者，退款以購物金發放，不退現金。
★ 本店保留隨時修改本須知之權利，修改後公告即生效力。
————（截圖內容結束）————
我自己覺得這樣不太對，我查了消保法說七天可以退，我是不是可以申訴？
B1：拆封不退本來就違法，建議打 1950。
"""


def test_a_post_that_copies_out_a_shops_terms_is_judged_on_the_copy():
    # (blind sets AK, AL: consumers' posts quoting a shop's rules in full were judged not at all,
    # though their authors judged the quoted rules as that shop's terms)
    results = evaluate([Document("post.txt", QUOTING_POST)], PACK)
    got = {r.rule_id: r for r in results}
    assert got["P05"].status is Status.FAIL and got["S01"].status is Status.FAIL and got["P03"].status is Status.FAIL
    inside = QUOTING_POST.index("【泡泡森林"), QUOTING_POST.index("————（截圖內容結束")
    for r in results:
        for e in r.evidence:
            assert e.text == QUOTING_POST[e.start:e.end]  # offsets are the post's own
            if e.text:  # (a missing item's evidence is empty)
                assert inside[0] <= e.start < inside[1]  # and nothing of the writer's or B1's words
    # the same post without the copied-out terms is a writer's post: judged not at all
    plain = QUOTING_POST.split("————（以下")[0] + QUOTING_POST.split("結束）————")[1]
    assert {r.status for r in evaluate([Document("post.txt", plain)], PACK)} <= {Status.NOT_APPLICABLE, Status.NEEDS_REVIEW}
    # an open marker without its close is no quotation
    assert quoted_terms(QUOTING_POST.replace("————（截圖內容結束）————", "")) is None
    # (blind set AP) other marker lines: 「===== 以上為原文，以下是我的問題 =====」, 「▼▼▼ … ▼▼▼」 … 「▲▲▲ 節錄結束 ▲▲▲」
    for open_, close in (("=========== 以下為購物須知原文 ===========", "=========== 以上為原文，以下是我的問題 ==========="),
                         ("▼▼▼▼▼▼ 以下為服務條款節錄（原文照貼）▼▼▼▼▼▼", "▲▲▲▲▲▲ 節錄結束 ▲▲▲▲▲▲")):
        post = QUOTING_POST.replace("————（以下為截圖內容）————", open_).replace("————（截圖內容結束）————", close)
        got = {r.rule_id: r.status for r in evaluate([Document("post.txt", post)], PACK)}
        assert got["P05"] is Status.FAIL, open_


def test_a_target_that_sends_nothing_has_no_shipping_fee_to_state():
    # (blind sets Y, AM: download-only software and a trailer rental were failed on M09)
    download = ("雲影修圖 會員條款\n第一條 本服務為訂閱制修圖軟體，付款後立即開通帳號權限，軟體以下載方式提供。\n"
                "第二條 訂閱費用每月新臺幣 199 元，以信用卡扣款；您得隨時於會員中心取消續訂。\n"
                "第三條 本公司蒐集您的電子郵件僅用於帳號管理與客服聯繫。\n第四條 如有疑義，請來信 help@cloudshade.example。")
    got = {r.rule_id: r for r in evaluate([Document("t.txt", download)], PACK, assume_terms=True)}
    assert got["M09"].status is Status.NOT_APPLICABLE and got["M09"].message
    # goods that are shipped must state the fee, however they are sold
    shipped = download.replace("軟體以下載方式提供", "另寄送實體序號卡")
    assert evaluate([Document("t.txt", shipped)], PACK, assume_terms=True, only=["M09"])[0].status is Status.FAIL


def test_a_menu_a_story_and_a_title_that_asks_are_no_exclusions():
    # (blind set AN) a chat account's menu of sections, a customer's question told in the owner's
    # story about another shop, and a title that asks 「為什麼不能退」 restrict nothing
    menu = "【📦 訂購流程】【🚚 運費配送】【↩️ 退貨退款】【🎁 預購新品】【👤 會員與個資】\n真人客服時間：週一～週五 10:00–19:00"
    story = ("上週有位客人私訊問我：「請問茶葉包裝剪開了，是不是就不能退了？」她說之前在別家買茶，"
             "剪開後想退，結果被回一句「食品拆了就沒辦法」。我們家剪開了也可以退。")
    title = "8/12 🙅 刻好的章，為什麼不能退\n每一顆章都是照你給我的名字刻的，屬於依消費者要求所為的客製化給付，結帳前會請你勾選知悉，所以不適用七天解除權。"
    for text in (menu, story, title):
        got = evaluate([Document("t.txt", text)], PACK, assume_terms=True, only=["P05"])[0]
        assert got.status is Status.PASS, (text, [e.text for e in got.evidence])
    # the same refusals stated by the shop itself are found
    assert evaluate([Document("t.txt", "食品拆了就沒辦法退喔，退貨運費也請自付。")], PACK, assume_terms=True,
                    only=["P05"])[0].status is Status.FAIL
