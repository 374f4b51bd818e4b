"""Normalisation with its offset map, clause segmentation, and number/duration parsing."""
from __future__ import annotations

import pytest

from compliance.match import durations, parse_number
from compliance.normalize import normalize
from compliance.segment import clauses


@pytest.mark.parametrize("original,needle", [
    ("消費者得於收受商品後７日內退貨。", "7日"),          # full-width digit
    ("ＡＴＭ轉帳，台北市信義區", "臺北市"),              # full-width Latin, 台 -> 臺
    ("本公司保留最终解释权。", "最終解釋權"),            # Simplified characters
    ("退　貨　須　知\n七天內", "七天"),                   # ideographic spaces
    ("│ 負責人 │ 吳冠廷 │", "|負責人|吳冠廷|"),          # a table drawn with box-drawing bars
])
def test_normalised_text_maps_back_to_the_original(original, needle):
    norm = normalize(original)
    i = norm.text.find(needle)
    assert i >= 0, norm.text
    a, b, text = norm.original_slice(i, i + len(needle))
    assert original[a:b] == text
    # the slice of the original covers the same characters, in their original form
    assert normalize(text).text == needle


def test_offsets_are_monotonic_and_inside_the_original():
    original = "第一條　總則\r\n本網站（以下稱「本公司」）提供ＡＴＭ、貨到付款；退貨請於７天內申請。"
    norm = normalize(original)
    offs = list(norm.offsets)
    assert len(offs) == len(norm.text)
    assert offs == sorted(offs) and len(set(offs)) == len(offs)
    assert all(0 <= o < len(original) for o in offs)


def test_clauses_follow_numbering_and_sentences():
    text = normalize(
        "購物須知\n第一條 付款\n一、信用卡付款。二、ATM 轉帳。\n(一) 貨到付款\n1. 宅配到府\n・超商取貨\n"
        "消費者得於收受商品後七日內退貨。無須說明理由。").text
    got = [c.text.strip() for c in clauses(text)]
    for want in ("信用卡付款。", "ATM 轉帳。", "宅配到府", "超商取貨", "消費者得於收受商品後七日內退貨。", "無須說明理由。"):
        assert any(want.replace(" ", "").lower() in g.replace(" ", "") for g in got), (want, got)
    cs = clauses(text)
    for c in cs:  # offsets slice the normalised text
        assert text[c.start:c.end] == c.text
    refund = next(c for c in cs if "七日" in c.text)
    assert "購物須知" in refund.heading or "付款" in refund.heading or refund.heading == ""


@pytest.mark.parametrize("token,value", [("15", 15), ("十五", 15), ("二十四", 24), ("七", 7), ("一百", 100),
                                         ("十", 10), ("兩", 2)])
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize("text,days,working", [
    ("七日內", 7, False),
    ("7天", 7, False),
    ("７天", 7, False),
    ("十五個工作天", 15 * 7 / 5, True),
    ("二十四小時內", 1, False),
    ("一個月內", 30, False),
    ("3 個工作天", 3 * 7 / 5, True),
    ("within 7 days", 7, False),
])
def test_durations(text, days, working):
    (d,) = durations(normalize(text).text)
    assert d.days == pytest.approx(days) and d.working is working


@pytest.mark.parametrize("text", ["本條款自2016年10月1日起生效", "民國105年1月1日施行", "6月1日起"])
def test_dates_are_not_durations(text):
    assert durations(normalize(text).text) == []
