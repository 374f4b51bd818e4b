"""The rule pack as data: the catalogue contract, the loader's validation, the version, the examples."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from compliance.examples import run_examples
from compliance.models import Kind
from compliance.rules import RULES_ROOT, RuleError, load_pack

PACK_DIR = RULES_ROOT / "tw-retail-online"
CATALOGUE = Path(__file__).resolve().parents[2] / "shared" / "rule-catalogue.md"
CJK = re.compile(r"[\u4e00-\u9fff]")


def catalogue_ids() -> list[str]:
    """Rule IDs in catalogue order, read from ../shared/rule-catalogue.md (the contract)."""
    if not CATALOGUE.is_file():
        pytest.skip(f"{CATALOGUE} is not beside this checkout")
    return re.findall(r"^\| ([MPSUA]\d\d) \|", CATALOGUE.read_text("utf-8"), flags=re.M)


def test_pack_has_exactly_the_catalogue_ids_in_order():
    ids = catalogue_ids()
    assert len(ids) == 28
    assert [r.id for r in load_pack().rules] == ids


def test_every_rule_is_complete():
    kinds = {"M": Kind.MANDATORY, "P": Kind.PROHIBITED, "S": Kind.STATUTORY, "U": Kind.UNFAIR, "A": Kind.ADVISORY}
    for rule in load_pack().rules:
        assert rule.kind is kinds[rule.id[0]], rule.id
        assert Path(rule.path).name.startswith(rule.id + "-")
        assert CJK.search(rule.title) and CJK.search(rule.message) and CJK.search(rule.fix), rule.id
        assert rule.legal_basis, rule.id
        for b in rule.legal_basis:
            assert b.url.startswith("https://"), (rule.id, b)
            assert b.confidence in ("official", "secondary")
        assert len(rule.examples["fail"]) >= 4 and len(rule.examples["pass"]) >= 4, rule.id
        if rule.kind is Kind.ADVISORY:
            assert rule.severity.value == "info", rule.id


def test_basis_confidence_follows_the_reference():
    """Statute articles are official; items of the regulation known only from secondary sources
    (rule-catalogue: 應記載八、十–十四, every 不得記載 item) must not claim official status."""
    for rule in load_pack().rules:
        for b in rule.legal_basis:
            if b.instrument.startswith("零售業等網路交易") and b.article.startswith("不得記載"):
                assert b.confidence == "secondary", (rule.id, b.article)


@pytest.mark.parametrize("rule_id", [r.id for r in load_pack().rules])
def test_rule_examples(rule_id):
    bad = [o for o in run_examples(load_pack(), [rule_id]) if not o.ok]
    assert not bad, "\n".join(f"{o.expected} expected, got {o.actual.value}: {o.text}" for o in bad)


# --- the loader rejects broken rule files, naming file and field ---------------------------

@pytest.fixture
def pack_copy(tmp_path) -> Path:
    dst = tmp_path / "pack"
    shutil.copytree(PACK_DIR, dst)
    return dst


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _rule_file(pack: Path, rule_id: str) -> Path:
    return next(pack.rglob(f"{rule_id}-*.yaml"))


@pytest.mark.parametrize("rule_id,change,field", [
    ("P03", lambda d: d.update(severty="high"), "severty"),
    ("P03", lambda d: d["patterns"][0].update(match="(unclosed"), "patterns[0].match"),
    ("P03", lambda d: d.pop("legal_basis"), "legal_basis"),
    ("P03", lambda d: d.update(legal_basis=[{"instrument": "消費者保護法"}]), "legal_basis[0]"),
    ("P03", lambda d: d.update(kind="forbidden"), "kind"),
    ("P03", lambda d: d.update(examples={"fail": ["x"]}), "examples"),
    ("M02", lambda d: d.update(check="magic"), "check"),
    ("M12", lambda d: d["fuzzy"].append({"name": "x", "match": "y"}), "fuzzy[1]"),
    ("P03", lambda d: d["examples"]["pass"].insert(0, {"x": 1}), "examples.pass[0]"),
    ("M09", lambda d: d["params"].update(applies_if="(寄送"), "params.applies_if"),
    ("M09", lambda d: d["params"].pop("not_applicable_message"), "params.not_applicable_message"),
], ids=["unknown-key", "bad-regex", "no-basis", "basis-without-article", "bad-kind", "no-pass-examples",
        "unknown-check", "pattern-in-fuzzy", "mapping-as-example", "bad-applies-if", "applies-if-without-message"])
def test_invalid_rule_files_are_rejected(pack_copy, rule_id, change, field):
    path = _rule_file(pack_copy, rule_id)
    _edit(path, change)
    with pytest.raises(RuleError) as info:
        load_pack(pack_copy)
    assert info.value.path == str(path)
    assert info.value.field == field
    assert str(path) in str(info.value)


def test_duplicate_id_and_wrong_file_name(pack_copy):
    src = _rule_file(pack_copy, "P03")
    dup = src.with_name("P03-copy.yaml")
    shutil.copy(src, dup)
    with pytest.raises(RuleError, match="duplicate id"):
        load_pack(pack_copy)
    dup.unlink()
    src.rename(src.with_name("X03-misnamed.yaml"))
    with pytest.raises(RuleError, match="does not start with its id"):
        load_pack(pack_copy)


def test_a_key_given_twice_is_rejected(pack_copy):
    # YAML itself keeps the last of two equal keys: a pattern's second `with:` would silently
    # replace its first (found in P01 after round V)
    path = _rule_file(pack_copy, "P03")
    text = path.read_text("utf-8")
    first = text.index("    match: ")
    path.write_text(text[:first] + "    with: ['條款']\n    with: ['契約']\n" + text[first:], encoding="utf-8")
    with pytest.raises(RuleError, match=r"'with' given twice") as info:
        load_pack(pack_copy)
    assert info.value.path == str(path)


def test_an_aliased_list_inside_a_list_contributes_its_regexes(pack_copy):
    # `unless: [*identity, '…']` (an anchor on a list, used inside another list) must add the
    # list's regexes one by one; compiled as the list's repr (「['…', '…']」) it is a meaningless
    # regex that protects nothing (found in P01 and P07 after round AT)
    path = _rule_file(pack_copy, "P03")
    path.write_text(path.read_text("utf-8").replace(
        "patterns:\n", "patterns:\n  - name: anchor-holder\n    match: 'zzzz'\n    unless: &shared ['甲一', '甲二']\n"
                        "  - name: alias-user\n    match: 'zzzy'\n    unless: [*shared, '乙']\n", 1), encoding="utf-8")
    rule = next(r for r in load_pack(pack_copy).rules if r.id == "P03")
    held = next(p for p in rule.patterns if p.name == "alias-user")
    assert [u.pattern for u in held.unless] == ["甲一", "甲二", "乙"]


def test_pack_without_a_listed_rule(pack_copy):
    _rule_file(pack_copy, "S02").unlink()
    with pytest.raises(RuleError, match="S02"):
        load_pack(pack_copy)


def test_version_changes_when_any_rule_changes(pack_copy, tmp_path):
    before = load_pack(pack_copy).version
    twin = tmp_path / "twin"
    shutil.copytree(pack_copy, twin)
    assert load_pack(twin).version == before  # same files in another folder, same version
    path = _rule_file(pack_copy, "M13")
    path.write_text(path.read_text("utf-8").replace("系統安全", "系統之安全", 1), encoding="utf-8")
    from compliance.rules import _load_pack_cached

    _load_pack_cached.cache_clear()
    after = load_pack(pack_copy).version
    assert after != before and after.split("+")[0] == before.split("+")[0]
