"""Regex literals meet the text in its normalised form.

OpenCC's table reads some characters that Taiwan writes every day as Simplified (准 -> 準,
栗 -> 慄, 吃 -> 喫, 唇 -> 脣), so normalised text says 核準 and 苗慄. A pattern written 核准 would
never match; rule patterns are therefore put into the same form when they are compiled, and
the engine's own regexes must be too.
"""
from __future__ import annotations

import re

import pytest

import compliance.engine  # noqa: F401  (loads withdrawal, which imports engine)
from compliance import engine, match, segment, withdrawal
from compliance.match import compile_regex
from compliance.models import Document
from compliance.normalize import _pattern_table, normalize


@pytest.mark.parametrize("written", ["核准", "苗栗", "好吃", "唇膏", "台北"])
def test_a_rule_pattern_matches_its_own_words_in_normalised_text(written):
    text = normalize(f"本公司{written}。").text
    assert compile_regex(written).search(text), (written, text)


def test_every_module_regex_covers_the_normalised_form_of_its_characters():
    table = _pattern_table()
    stale = []
    for module in (engine, match, segment, withdrawal):
        for name, value in vars(module).items():
            patterns = [value] if isinstance(value, re.Pattern) else []
            if isinstance(value, dict):
                patterns = [v for v in value.values() if isinstance(v, re.Pattern)]
            if isinstance(value, list):
                patterns = [getattr(c, attr) for c in value for attr in ("pattern", "condition")
                            if isinstance(getattr(c, attr, None), re.Pattern)]
            for rx in patterns:
                for ch in set(rx.pattern):
                    target = table.get(ord(ch))
                    if target is not None and chr(target) not in rx.pattern:
                        stale.append((module.__name__, name, ch, chr(target)))
    assert not stale, stale


def test_approval_required_for_data_rights_is_found_whatever_the_converter_does():
    r = engine.evaluate([Document("x.txt", "會員請求刪除其個人資料者，經本公司核准後始得為之。")],
                        assume_terms=True, only=["P01"])[0]
    assert r.status.value == "fail"
