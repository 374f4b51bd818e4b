"""Loading and validating a rule pack: a folder with ``pack.yaml`` and one YAML file per rule.

A rule file is data (style.md habit 1): the loader rejects a file whose name does not
start with its ``id``, unknown keys, bad regexes, duplicate IDs, a missing legal basis
and an ID the pack does not list, each with a message naming the file, the field and
what to do. The pack version is ``<pack.yaml version>+<hash of every rule file>``, so it
changes whenever any rule changes and results stored under an older version stay
distinguishable (output-contract: re-analysis adds results beside the old ones).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .match import PatternError, compile_regex
from .models import Kind, LegalBasis, Severity, Status

RULES_ROOT = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_PACK = "tw-retail-online"

try:  # the C loader is ~10x faster; start-up time matters for `check` (issue 2)
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):
    """YAML that refuses a key given twice in one mapping: YAML keeps only the last, so a
    pattern with two `with:` lines would silently lose the first."""

    def construct_mapping(self, node, deep=False):
        seen: list = []
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice (again at line {key_node.start_mark.line + 1}); merge the two",
                    key_node.start_mark)
            seen.append(key)
        return super().construct_mapping(node, deep)


class RuleError(ValueError):
    """A rule file or the pack manifest is invalid."""

    def __init__(self, path: Path | str, field: str, problem: str, fix: str = ""):
        self.path, self.field, self.problem, self.fix = str(path), field, problem, fix
        text = f"{path}: {field}: {problem}"
        super().__init__(text + (f" ({fix})" if fix else ""))


RULE_KEYS = {"id", "kind", "title", "severity", "legal_basis", "message", "pass_message", "fix", "check",
             "params", "patterns", "fuzzy", "contradicted_by", "examples", "description"}
REQUIRED = ("id", "kind", "title", "severity", "legal_basis", "message", "fix", "examples")
PATTERN_KEYS = {"name", "match", "with", "unless", "negatable", "status", "confidence", "heading", "note"}
BASIS_KEYS = {"instrument", "article", "url", "basis_confidence"}
CHECKS = {"clauses", "presence", "trader_info", "withdrawal_period", "refund", "withdrawal_restrictions"}


@dataclass(frozen=True)
class Pattern:
    name: str
    match: object  # compiled regex
    with_: tuple = ()
    unless: tuple = ()
    negatable: bool = True
    status: Status = Status.FAIL
    confidence: float = 0.9
    heading: object | None = None  # regex over clause heading + text, optional context
    source: str = ""
    note: str = ""  # what the pattern finds, in zh-TW, for messages


@dataclass(frozen=True)
class Rule:
    id: str
    kind: Kind
    title: str
    severity: Severity
    legal_basis: tuple[LegalBasis, ...]
    message: str
    fix: str
    check: str
    pass_message: str = ""
    params: dict = field(default_factory=dict)
    patterns: tuple[Pattern, ...] = ()
    fuzzy: tuple[str, ...] = ()
    contradicted_by: tuple[Pattern, ...] = ()
    examples: dict = field(default_factory=dict)
    description: str = ""
    path: str = ""


@dataclass(frozen=True)
class RulePack:
    id: str
    title: str
    version: str
    rules: tuple[Rule, ...]
    path: str

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id.upper():
                return r
        raise KeyError(rule_id)

    def as_dict(self) -> dict:
        return {"id": self.id, "version": self.version}


def _patterns(path: Path, field_name: str, items, default_status: Status,
              default_negatable: bool = True) -> tuple[Pattern, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise RuleError(path, field_name, "must be a list of patterns", "write `- {name: …, match: …}` items")
    out = []
    for i, item in enumerate(items):
        where = f"{field_name}[{i}]"
        if isinstance(item, str):
            item = {"name": f"{field_name}-{i}", "match": item}
        if not isinstance(item, dict) or "match" not in item:
            raise RuleError(path, where, "a pattern needs a `match` regex")
        unknown = set(item) - PATTERN_KEYS
        if unknown:
            raise RuleError(path, f"{where}.{sorted(unknown)[0]}", "unknown key",
                            f"allowed: {', '.join(sorted(PATTERN_KEYS))}")

        def rx(value, sub):
            try:
                return compile_regex(str(value))
            except PatternError as exc:
                raise RuleError(path, f"{where}.{sub}", f"bad regex: {exc}", "fix the regular expression") from None

        status = Status(item.get("status", default_status.value))
        if status not in (Status.FAIL, Status.NEEDS_REVIEW, Status.PASS):
            raise RuleError(path, f"{where}.status", f"{status.value!r} is not allowed", "use fail or needs_review")
        out.append(Pattern(
            name=str(item.get("name", f"{field_name}-{i}")),
            match=rx(item["match"], "match"),
            with_=tuple(rx(w, "with") for w in _as_list(item.get("with"))),
            unless=tuple(rx(u, "unless") for u in _as_list(item.get("unless"))),
            negatable=bool(item.get("negatable", default_negatable)),
            status=status,
            confidence=float(item.get("confidence", 0.9)),
            heading=rx(item["heading"], "heading") if item.get("heading") else None,
            source=str(item["match"]),
            note=str(item.get("note", "")),
        ))
    return tuple(out)


def _as_list(value) -> list:
    """A field's regexes as a flat list: a YAML alias of a list inside a list (``[*identity, '…']``)
    contributes its items, not its repr."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [value]
    out = []
    for v in value:
        out.extend(_as_list(v) if isinstance(v, list) else [v])
    return out


def load_rule(path: Path) -> Rule:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise RuleError(path, "yaml", f"not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise RuleError(path, "yaml", "a rule file must be a mapping")
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise RuleError(path, sorted(unknown)[0], "unknown key", f"allowed: {', '.join(sorted(RULE_KEYS))}")
    for key in REQUIRED:
        if not data.get(key):
            raise RuleError(path, key, "missing", "every rule needs " + ", ".join(REQUIRED))
    rid = str(data["id"])
    if not path.name.startswith(rid + "-") and path.stem != rid:
        raise RuleError(path, "id", f"file name does not start with its id {rid!r}", f"rename to {rid}-<slug>.yaml")
    try:
        kind = Kind(data["kind"])
    except ValueError:
        raise RuleError(path, "kind", f"{data['kind']!r} is not a kind",
                        "choose one of " + ", ".join(k.value for k in Kind)) from None
    try:
        severity = Severity(data["severity"])
    except ValueError:
        raise RuleError(path, "severity", f"{data['severity']!r} is not a severity",
                        "choose one of " + ", ".join(s.value for s in Severity)) from None
    bases = []
    for i, b in enumerate(_as_list(data["legal_basis"])):
        if not isinstance(b, dict) or not b.get("instrument") or not b.get("article"):
            raise RuleError(path, f"legal_basis[{i}]", "needs instrument and article")
        unknown = set(b) - BASIS_KEYS
        if unknown:
            raise RuleError(path, f"legal_basis[{i}].{sorted(unknown)[0]}", "unknown key",
                            f"allowed: {', '.join(sorted(BASIS_KEYS))}")
        conf = b.get("basis_confidence", "official")
        if conf not in ("official", "secondary"):
            raise RuleError(path, f"legal_basis[{i}].basis_confidence", f"{conf!r}", "use official or secondary")
        bases.append(LegalBasis(b["instrument"], b["article"], b.get("url", ""), conf))
    default_check = "presence" if kind is Kind.MANDATORY else "clauses"
    check = data.get("check", default_check)
    if check not in CHECKS:
        raise RuleError(path, "check", f"{check!r} is not a known check", "choose one of " + ", ".join(sorted(CHECKS)))
    default_status = Status.NEEDS_REVIEW if kind is Kind.UNFAIR else Status.FAIL
    examples = data["examples"]
    if not isinstance(examples, dict) or not examples.get("fail") or not examples.get("pass"):
        raise RuleError(path, "examples", "needs both `fail:` and `pass:` lists", "write at least 4 of each")
    if set(examples) - {"fail", "pass", "needs_review"}:
        raise RuleError(path, "examples", "only fail, pass and needs_review lists are allowed")
    # (a pattern indented one level too little lands in the list above it as a mapping)
    for field, items in [("fuzzy", _as_list(data.get("fuzzy")))] + [(f"examples.{k}", _as_list(v)) for k, v in examples.items()]:
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise RuleError(path, f"{field}[{i}]", f"is a {type(item).__name__}, not a text", "quote the text")
    # A mandatory item's wording is often phrased with negations of its own (「免運」,
    # 「不得冒用」), so its presence patterns ignore negation unless a rule says otherwise.
    mandatory = kind is Kind.MANDATORY
    patterns = _patterns(path, "patterns", data.get("patterns"), Status.PASS if mandatory else default_status,
                         default_negatable=not mandatory)
    if check in ("clauses", "presence") and not patterns and not data.get("fuzzy"):
        raise RuleError(path, "patterns", f"a `{check}` rule needs patterns")
    params = dict(data.get("params") or {})
    if "applies_if" in params:
        # a mandatory item that only a target of its kind must state (M09: the shipping fee of goods
        # that are shipped): a regex, checked like a pattern's
        try:
            compile_regex(str(params["applies_if"]))
        except PatternError as exc:
            raise RuleError(path, "params.applies_if", f"bad regex: {exc}", "fix the regular expression") from None
        if not params.get("not_applicable_message"):
            raise RuleError(path, "params.not_applicable_message", "missing",
                            "say, in zh-TW, why the item does not apply when `applies_if` finds nothing")
    return Rule(
        id=rid, kind=kind, title=str(data["title"]), severity=severity, legal_basis=tuple(bases),
        message=str(data["message"]).strip(), fix=str(data["fix"]).strip(), check=check,
        pass_message=str(data.get("pass_message", "")).strip(), params=params,
        patterns=patterns, fuzzy=tuple(_as_list(data.get("fuzzy"))),
        contradicted_by=_patterns(path, "contradicted_by", data.get("contradicted_by"), Status.FAIL),
        examples={k: list(v) for k, v in examples.items()}, description=str(data.get("description", "")).strip(),
        path=str(path),
    )


def load_pack(path: str | Path | None = None) -> RulePack:
    """Load a rule pack folder (default: rules/tw-retail-online)."""
    folder = Path(path) if path else RULES_ROOT / DEFAULT_PACK
    return _load_pack_cached(str(folder.resolve()))


@lru_cache(maxsize=8)
def _load_pack_cached(folder_str: str) -> RulePack:
    folder = Path(folder_str)
    manifest = folder / "pack.yaml"
    if not manifest.is_file():
        raise RuleError(manifest, "pack.yaml", "missing", "a rule pack folder needs pack.yaml with id, version, order")
    meta = yaml.load(manifest.read_text(encoding="utf-8"), Loader=_Loader) or {}
    for key in ("id", "version", "order"):
        if not meta.get(key):
            raise RuleError(manifest, key, "missing")
    digest = hashlib.sha256()
    by_id: dict[str, Rule] = {}
    for file in sorted(folder.rglob("*.yaml")):
        if file == manifest:
            continue
        digest.update(file.relative_to(folder).as_posix().encode())
        digest.update(file.read_bytes())
        rule = load_rule(file)
        if rule.id in by_id:
            raise RuleError(file, "id", f"duplicate id {rule.id!r}, also in {by_id[rule.id].path}", "IDs are unique")
        by_id[rule.id] = rule
    order = [str(x) for x in meta["order"]]
    missing = [rid for rid in order if rid not in by_id]
    if missing:
        raise RuleError(folder, "order", f"no rule file for {', '.join(missing)}", "add the files or fix pack.yaml")
    extra = sorted(set(by_id) - set(order))
    if extra:
        raise RuleError(by_id[extra[0]].path, "id", f"{extra[0]!r} is not listed in pack.yaml order",
                        "add it to pack.yaml or remove the file")
    version = f"{meta['version']}+{digest.hexdigest()[:10]}"
    return RulePack(id=str(meta["id"]), title=str(meta.get("title", "")), version=version,
                    rules=tuple(by_id[rid] for rid in order), path=str(folder))
