"""compliance.extract: encodings, HTML structure, boilerplate, PDF, files. Fixtures are built here."""
from __future__ import annotations

import codecs

import pytest

from compliance.extract import (MAX_BYTES, DecodeError, EmptyText, ExtractError, NotSupported, TooLarge,
                                decode, extract, extract_file)
from pdf_fixture import make_pdf

TERMS = "退貨須於收到商品後七日內辦理，本公司得隨時修改本條款。"


def page(body: str, head: str = "", title: str = "服務條款") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
            f"<body>{body}</body></html>")


# --- encodings ------------------------------------------------------------------------------

def test_utf8_declared():
    e = extract(page(f"<p>{TERMS}</p>", '<meta charset="utf-8">').encode("utf-8"), "text/html")
    assert (e.text, e.title, e.encoding, e.kind) == (TERMS, "服務條款", "utf-8", "html")


def test_big5_undeclared():
    e = extract(page(f"<p>{TERMS}</p>").encode("big5"), "text/html")
    assert e.text == TERMS and e.encoding == "cp950"


@pytest.mark.parametrize("where", ["header", "meta"])
def test_big5_declared_as_utf8_is_not_believed(where):
    head = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' if where == "meta" else ""
    ctype = "text/html; charset=UTF-8" if where == "header" else "text/html"
    e = extract(page(f"<p>{TERMS}</p>", head).encode("big5"), ctype)
    assert e.text == TERMS and e.encoding == "cp950"


def test_utf8_declared_as_big5_is_not_believed():
    e = extract(page(f"<p>{TERMS}</p>").encode("utf-8"), "text/html; charset=big5")
    assert e.text == TERMS and e.encoding == "utf-8"


def test_big5_label_means_cp950():
    # 碁 and 銹 are ETEN extensions: in CP950, not in Python's "big5" codec
    text = "圍棋碁盤不銹鋼"
    e = extract(page(f"<p>{text}</p>", '<meta charset="big5">').encode("cp950"), "text/html")
    assert e.text == text and e.encoding == "cp950"
    e = extract(text.encode("cp950"), "text/plain")  # undeclared
    assert e.text == text


def test_hkscs_only_characters_fall_back_to_big5hkscs():
    text = "香港用字嘅例子"
    assert e_text(text.encode("big5hkscs")) == (text, "big5hkscs")


def e_text(body: bytes) -> tuple[str, str]:
    e = extract(body, "text/plain")
    return e.text, e.encoding


def test_latin1_declaration_on_a_big5_page():
    e = extract(page(f"<p>{TERMS}</p>").encode("big5"), "text/html; charset=iso-8859-1")
    assert e.text == TERMS and e.encoding == "cp950"


def test_latin1_page_stays_latin1():
    e = extract(page("<p>Conditions générales de vente</p>", title="CGV").encode("latin-1"),
                "text/html; charset=iso-8859-1")
    assert e.text == "Conditions générales de vente"


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_wins(bom, codec):
    text, enc = decode(bom + TERMS.encode(codec), "text/plain; charset=big5")
    assert (text, enc) == (TERMS, codec)


def test_binary_is_a_decode_error():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(DecodeError) as exc:
        extract(png)
    assert exc.value.error_class == "decode_error"
    assert isinstance(exc.value, ExtractError)


def test_other_content_types_are_not_supported():
    with pytest.raises(NotSupported) as exc:
        extract(b"\x89PNG....", "image/png")
    assert exc.value.error_class == "not_html"
    with pytest.raises(NotSupported):
        extract(b'{"a": 1}', "application/json")


def test_too_large():
    with pytest.raises(TooLarge) as exc:
        extract(b" " * (MAX_BYTES + 1), "text/html")
    assert exc.value.error_class == "too_large"


# --- HTML structure and boilerplate ---------------------------------------------------------

SHOP = page("""
<header class="site-header"><a class="logo">好物商店</a>
  <nav><ul><li><a href="/">首頁</a></li><li><a href="/shop">全部商品</a></li></ul></nav></header>
<div class="breadcrumb">首頁 &gt; 服務條款</div>
<div id="mainMenu">會員登入 購物車</div>
<aside class="toc"><a href="#pay">付款與配送</a><a href="#withdraw">目錄連結</a></aside>
<main>
  <h1>服務條款</h1>
  <h2>一、總則</h2>
  <p>本條款適用於本網站。
     消費者得依本條款
     購物。</p>
  <ul><li>退貨須於<b>七日</b>內辦理</li><li>1. 已經編號的項目</li><li>（二）中文編號</li>
      <li>第三條 條文</li></ul>
  <table><tr><th>統一編號</th><td>12345678</td></tr>
         <tr><td>商品</td><td>數量</td><td>價格</td></tr></table>
  <div class="canvas-area">canvas is not a nav word</div>
  <script>document.write("不應出現")</script><style>p{color:red}</style>
  <noscript>請開啟 JavaScript</noscript><template><p>樣板</p></template>
  <svg><text>圖示</text></svg><iframe src="x"></iframe>
</main>
<div id="cookie-consent">本網站使用 cookie</div>
<footer><div class="footer-menu"><a>關於我們</a> | <a>聯絡我們</a></div>
  <div class="contact">好物股份有限公司<br>負責人：王小明<br>電話：02-1234-5678</div></footer>
""")


def test_html_structure():
    lines = extract(SHOP.encode("utf-8"), "text/html").text.split("\n")
    assert lines[:3] == ["服務條款", "一、總則", "本條款適用於本網站。消費者得依本條款購物。"]
    assert "・退貨須於七日內辦理" in lines
    assert "1. 已經編號的項目" in lines and "（二）中文編號" in lines and "第三條 條文" in lines
    assert "統一編號：12345678" in lines and "商品 | 數量 | 價格" in lines
    assert "canvas is not a nav word" in lines


def test_boilerplate_dropped_footer_kept():
    text = extract(SHOP.encode("utf-8"), "text/html").text
    for gone in ("全部商品", "首頁", "會員登入", "目錄連結", "cookie", "不應出現", "color", "JavaScript", "樣板", "圖示"):
        assert gone not in text
    for kept in ("關於我們 | 聯絡我們", "好物股份有限公司", "負責人：王小明", "電話：02-1234-5678"):
        assert kept in text.split("\n")


def test_a_cookie_bar_that_states_a_data_term_is_kept():
    from compliance.extract import _soup_html_to_text, html_to_text

    html = page("""<main><h1>服務條款</h1><p>本店依本條款販售商品。</p></main>
<div id="cookie-bar"><p>本網站使用 Cookie。繼續瀏覽即表示您同意本店將您的會員資料提供給合作廣告商。</p></div>
<div class="cookies">本網站使用 Cookie 改善瀏覽體驗</div>""")
    text = html_to_text(html)[0]
    assert "會員資料提供給合作廣告商" in text  # a term of the contract, shown to every visitor
    assert "改善瀏覽體驗" not in text  # a plain cookie notice is still boilerplate
    assert _soup_html_to_text(html) == html_to_text(html)  # the fallback walk agrees


def test_a_menu_wrapper_around_the_whole_page_is_kept():
    body = '<div id="menu-wrapper"><nav>選單</nav><main><p>' + TERMS * 30 + "</p></main></div>"
    text = extract(page(body).encode("utf-8"), "text/html").text
    assert TERMS in text and "選單" not in text


def test_script_only_page_is_empty():
    with pytest.raises(EmptyText) as exc:
        extract(page("<script>render()</script><nav>選單</nav>").encode("utf-8"), "text/html")
    assert exc.value.error_class == "empty_text"


def test_title_falls_back_to_h1():
    e = extract(b"<html><body><h1>\xe9\x80\x80\xe8\xb2\xa8</h1><p>x</p></body></html>", "text/html")
    assert e.title == "退貨"


def test_html_sniffed_without_content_type():
    assert extract(page(f"<p>{TERMS}</p>").encode("utf-8")).kind == "html"


def test_plain_text_kept_as_is():
    e = extract(("第一條 總則\r\n" + TERMS + "\r\n\r\n\r\n\r\n第二條").encode("big5"), "text/plain")
    assert e.text == "第一條 總則\n" + TERMS + "\n\n第二條" and e.kind == "text"


# --- PDF ------------------------------------------------------------------------------------

def test_pdf_with_cjk_text():
    body = make_pdf(["Terms of Service", TERMS, "碁銹 cp950-only"], title="購物須知")
    e = extract(body, "application/pdf")
    assert e.kind == "pdf" and e.title == "購物須知"
    assert e.text.split("\n") == ["Terms of Service", TERMS, "碁銹 cp950-only"]


def test_pdf_by_magic_bytes():
    assert extract(make_pdf(["Refund policy"]), "application/octet-stream").text == "Refund policy"
    assert extract(make_pdf(["Refund policy"])).kind == "pdf"


def test_broken_pdf_is_a_decode_error():
    with pytest.raises(DecodeError):
        extract(b"%PDF-1.4\nthis is not a pdf at all", "application/pdf")


def test_pdf_without_text_is_empty():
    with pytest.raises(EmptyText):
        extract(make_pdf([]), "application/pdf")


# --- files ----------------------------------------------------------------------------------

def test_extract_file(tmp_path):
    (tmp_path / "a.html").write_bytes(page(f"<p>{TERMS}</p>").encode("big5"))
    (tmp_path / "b.TXT").write_bytes(TERMS.encode("utf-8"))
    (tmp_path / "c.pdf").write_bytes(make_pdf([TERMS]))
    assert extract_file(tmp_path / "a.html").text == TERMS
    assert extract_file(tmp_path / "b.TXT").kind == "text"
    assert extract_file(tmp_path / "c.pdf").text == TERMS


def test_extract_file_rejects_other_types_and_large_files(tmp_path):
    (tmp_path / "terms.docx").write_bytes(b"PK")
    with pytest.raises(NotSupported, match="docx"):
        extract_file(tmp_path / "terms.docx")
    big = tmp_path / "big.html"
    with open(big, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no 20 MB written to disk
    with pytest.raises(TooLarge):
        extract_file(big)


def test_deeply_nested_markup_does_not_crash():
    body = ("<div>" * 3000 + "<p>深層條款</p>" + "</div>" * 3000).encode("utf-8")
    assert extract(body, "text/html").text == "深層條款"


def test_an_accordion_question_in_a_button_is_kept_as_its_own_line():
    from compliance.extract import _soup_html_to_text, html_to_text

    html = page("""<main><h1>常見問題</h1>
<div class="faq-item"><button class="faq-q" aria-expanded="false">Q1. 發現帳號被別人登入怎麼辦？</button>
<div class="answer" hidden><p>請立即通知客服，我們會暫停該帳號的交易。</p></div></div>
<div class="accordion-item"><button class="accordion-button collapsed">Q2. 可以退貨嗎？</button>
<div><p>收到商品七日內都可以。</p></div></div>
<form><button type="submit">加入購物車</button><button class="btn-primary">送出訂單</button></form></main>""")
    lines = html_to_text(html)[0].split("\n")
    assert "Q1. 發現帳號被別人登入怎麼辦？" in lines  # the question the answer below it is read with
    assert "Q2. 可以退貨嗎？" in lines
    assert lines.index("Q1. 發現帳號被別人登入怎麼辦？") + 1 == lines.index("請立即通知客服，我們會暫停該帳號的交易。")
    assert not any("加入購物車" in ln or "送出訂單" in ln for ln in lines)  # controls are no text
    assert _soup_html_to_text(html) == html_to_text(html)  # the fallback walk agrees
