"""Bytes to text: encoding detection, HTML to text, PDF to text.

The crawler and the ``check`` command both reduce a page to text here, so that a shop's own file
check and an inspector's scan judge the same text (../shared/output-contract.md). Nothing in a page is
ever executed: HTML is parsed with lxml (through BeautifulSoup for the rare page whose lxml tree is
not BeautifulSoup's), PDF with pypdf.

Taiwanese shops still serve Big5 (in practice CP950, Microsoft's Big5 with the ETEN extensions such
as 碁 and 銹), often with a wrong or missing charset declaration, so a declared charset is only
believed when the body decodes strictly in it.
"""
from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024  # a terms page is kilobytes; anything near this is not one


class ExtractError(Exception):
    """The body could not be turned into text."""

    error_class = "extract_error"


class DecodeError(ExtractError):
    """The body is binary or in no encoding we can verify."""

    error_class = "decode_error"


class EmptyText(ExtractError):
    """The document has no visible text (e.g. a script-only page or a scanned PDF)."""

    error_class = "empty_text"


class NotSupported(ExtractError):
    """The body is neither HTML, plain text nor PDF."""

    error_class = "not_html"


class TooLarge(ExtractError):
    """The body is larger than MAX_BYTES."""

    error_class = "too_large"


@dataclass
class Extracted:
    text: str
    title: str
    encoding: str  # Python codec name, e.g. "utf-8", "cp950"; "" for PDF
    kind: str  # "html" | "text" | "pdf"


# --- decoding -------------------------------------------------------------------------------

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# "big5" on the web means CP950 (the WHATWG Encoding Standard maps every Big5 label to one
# superset); Python's "big5" lacks the ETEN characters (碁銹裏墻恒粧嫺) that CP950 has.
_BIG5_FAMILY = ("cp950", "big5hkscs")
_BIG5_LABELS = {"big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "x-big5", "cp950", "ms950",
                "windows-950", "big5-hkscs", "big5hkscs"}
_SINGLE_BYTE = {"latin-1", "iso8859-1", "cp1252", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _BIG5_LABELS:
        return "cp950"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp950" if name in ("big5", "big5hkscs") else name


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset named by the HTTP header, else by a ``<meta>`` tag in the first 4 KB."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and _codec(m.group(1)):
            return _codec(m.group(1))
    m = _META_CHARSET.search(body[:4096])
    if m:
        return _codec(m.group(1).decode("ascii", "ignore"))
    return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_textual(text: str) -> bool:
    """False when a decode produced mostly control characters (i.e. the input was binary)."""
    if not text:
        return True
    bad = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return bad / len(text) < 0.01


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body`` to (text, codec). Raises DecodeError for binary or undecodable input."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            try:
                return body[len(bom):].decode(codec), codec
            except UnicodeDecodeError as e:
                raise DecodeError(f"byte-order mark says {codec} but the body is not: {e}") from None
    if b"\x00" in body:
        raise DecodeError("the body contains NUL bytes: binary, not text")
    declared = declared_charset(body, content_type)
    utf8 = _strict(body, "utf-8")
    if declared and declared != "utf-8":
        text = _strict(body, declared)
        if text is not None:
            # Strictly valid UTF-8 with multi-byte sequences is almost never legacy text by
            # chance, while a single-byte declaration (latin-1) decodes anything: prefer UTF-8.
            if utf8 is not None and not body.isascii():
                return utf8, "utf-8"
            if declared not in _SINGLE_BYTE or body.isascii():
                return text, declared
            big5 = _strict(body, "cp950")
            if big5 is not None and _reads_as_chinese(big5):
                return big5, "cp950"  # a Big5 page mislabelled iso-8859-1, common on old hosts
            return text, declared
    if utf8 is not None:
        return utf8, "utf-8"
    for codec in _BIG5_FAMILY:
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    return _detect(body)


# Frequent characters of Traditional Chinese shop and legal text. Latin-1 text misread as CP950
# turns into rare characters (é + n -> 嘛-like noise), real Chinese hits these often.
_COMMON_HANZI = set(
    "的一是不了在人有我他這個們中來上大為和國到以說時要就出會可也你對生能而子那得於著下自之年過後作用"
    "道行所然家種事成方多經去法如都同現當沒面起看定天分還進好小部其些主樣理心本前開但因只從想實日者意無"
    "力與長把機十民第公此已工使情明性知全三又關點正業外將高間由問很最重並物手應向頭文體相見被利二等產或"
    "新己制身果加月話合回特代內信表化給位次度門任常先通教原提立及比員解名真論處義各入口認條平更別打變四"
    "何電數安少報才結反受目量再感建務做接必場件計管期市直資品保商價費購買訂退貨款您服網站請址號碼司負責")


def _reads_as_chinese(text: str) -> bool:
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return len(hanzi) >= 4 and sum(c in _COMMON_HANZI for c in hanzi) / len(hanzi) >= 0.2


def _detect(body: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is None:
        raise DecodeError("no encoding decodes the body (tried the declared charset, UTF-8, "
                          "CP950, Big5-HKSCS and detection)")
    text = str(best)
    if not _looks_textual(text):
        raise DecodeError(f"the body decodes as {best.encoding} only into control characters")
    return text, _codec(best.encoding) or best.encoding


# --- HTML to text ---------------------------------------------------------------------------
#
# The text is read from lxml's own tree. It used to be read from BeautifulSoup's (lxml builder),
# and it is kept the same to the byte (tests/test_extract_speed_equivalence.py): both trees come
# from the same libxml2 push parser fed the same string, so they hold the same elements and the
# same strings. What BeautifulSoup does on top is replicated here: its get_text() leaves out the
# strings inside <rt> and <rp> (they get classes of their own), a removed element leaves the
# strings either side of it as two strings (get_text(" ") puts a space between them), and the
# whitespace it keeps outside <html> is never visible. Where lxml's tree is not BeautifulSoup's
# (libxml2 stops building a tree 256 elements deep or at a 10 MB text node; BeautifulSoup drops
# the "{ns}" part of an attribute name), the page goes through BeautifulSoup as before.

_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
              "canvas", "select", "button", "input", "textarea", "head"]
# a button that opens a piece of text (an FAQ accordion's question, 「Q17. 發現帳號被別人登入怎麼辦？」) is
# part of the text; other buttons (加入購物車, 送出) are controls
_DISCLOSURE_ATTRS = ("aria-expanded", "aria-controls", "data-toggle", "data-bs-toggle", "data-target", "data-bs-target")
_DISCLOSURE = re.compile(r"^(faq|faqs|accordion|question|questions|q|qa|collapse|collapsible|toggle|expand|expander|disclosure)$")


def _opens_text(el) -> bool:
    """A <button> that shows or hides a piece of text (kept, as a line of its own)."""
    return any(el.get(a) is not None for a in _DISCLOSURE_ATTRS) or any(_DISCLOSURE.match(w) for w in _tokens(el))


_BOILERPLATE = re.compile(r"^(nav|navbar|navigation|navi|menu|menus|menubar|megamenu|breadcrumb|"
                          r"breadcrumbs|cookie|cookies|cookiebar|toc)$")
_KEEP = re.compile(r"^(footer|contact|contacts|contactus)$")
# a cookie bar is dropped as boilerplate unless it says what is done with the consumer's data
# (「繼續瀏覽即表示您同意本商店將您的會員資料提供給合作廣告商」 is a term of the contract)
_COOKIE = re.compile(r"^(cookie|cookies|cookiebar)$")
_COOKIE_TERMS = re.compile(r"個人資料|個資|會員資料|提供(?:給|予)|第三人|第三方|合作(?:廠商|夥伴|廣告商)|廣告商|關係企業")
_BOILER_ROLES = {"navigation", "menu", "menubar", "banner"}
_BLOCK = {"address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div",
          "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
          "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table",
          "tbody", "thead", "tfoot", "ul", "caption", "body", "html",
          "button"}  # (a button left in the tree is one that opens text: _opens_text)
# Item numbering already on the text: "1.", "1、", "一、", "(一)", "（1）", "第一條", "①", "a.".
_NUMBERED = re.compile(r"^\s*(\d{1,3}\s*[.、．)）]|[一二三四五六七八九十百]+\s*[、.．]|"
                       r"[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|第\s*[\d一二三四五六七八九十百]+\s*[條章項款點節]|"
                       r"[\u2460-\u2473\u2474-\u2487\u2488-\u249b]|[A-Za-z][.)]\s)")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[\s_\-:]+|(?<=[a-z])(?=[A-Z])")
# BeautifulSoup's string classes: a string is of the innermost of these around it, get_text() of
# any other element takes only plain strings. Script, style and template are dropped with their
# strings, so after the drop only <rt> and <rp> matter.
_STRING_CLASSES = {"rt", "rp", "style", "script", "template"}
_GONE = "x-removed"  # the tag of a removed element, left empty in its place
_MAX_DEPTH = 250  # libxml2 builds no tree below 256 elements (BeautifulSoup's has no such limit)
_MAX_CHARS = 2_500_000  # at most 10 MB of UTF-8: under libxml2's limit for one text node


class _Lxml:
    """lxml and the XPath expressions, loaded on the first HTML page (not for text or PDF)."""

    def __init__(self) -> None:
        from lxml import etree

        self.etree = etree
        self.element = etree.Element  # as a tag filter: elements only, no comments or PIs
        # a tree libxml2 cut short, or an attribute BeautifulSoup reads under another name
        self.not_as_soup = etree.XPath(
            "boolean(" + "/*" * (_MAX_DEPTH + 1)
            + " | //@*[starts-with(name(), '{') and contains(name(), '}')])")


_LXML: _Lxml | None = None


def _tokens(el) -> list[str]:
    words = []
    for attr in ("class", "id"):
        value = el.get(attr)
        if isinstance(value, list):  # BeautifulSoup's class
            value = " ".join(value)
        if value:
            words += [w.lower() for w in _WORDS.split(value) if w]
    return words


def _is_kept(el) -> bool:
    return el.tag == "footer" or any(_KEEP.match(w) for w in _tokens(el))


def _is_boilerplate(el) -> bool:
    tag = el.tag
    if tag in ("html", "body", "main", "article"):
        return False
    if tag == "footer":
        return False
    words = _tokens(el)
    if any(_KEEP.match(w) for w in words):
        return False
    if tag == "nav" or (el.get("role") or "").lower() in _BOILER_ROLES:
        return True
    if tag == "header":
        # the site header (logo, menu), not an <article>'s own header holding the page title
        return next(el.iterancestors("main", "article", "section"), None) is None \
            and next(el.iterdescendants("h1"), None) is None
    return any(_BOILERPLATE.match(w) for w in words)


def _strings(el, want: str | None = None, ruby: bool = True):
    """The strings BeautifulSoup's ``el.get_text()`` joins, in document order.

    Those of the class ``want`` (a tag of _STRING_CLASSES, None for plain strings), by default
    the class get_text() of ``el`` takes. Comments and processing instructions are left out.
    """
    if not ruby:  # no <rt> or <rp> in the page: every string left is a plain one
        yield from el.itertext()
        return
    tag = el.tag
    if want is None and tag in _STRING_CLASSES:
        want = tag
    own = tag if tag in _STRING_CLASSES else \
        next((a.tag for a in el.iterancestors() if a.tag in _STRING_CLASSES), None)
    if el.text and own == want:
        yield el.text
    stack = [(iter(el), own, None)]
    while stack:
        children, kind, tail = stack[-1]
        for child in children:
            tag = child.tag
            if tag.__class__ is str:
                inner = tag if tag in _STRING_CLASSES else kind
                if child.text and inner == want:
                    yield child.text
                stack.append((iter(child), inner, child.tail if kind == want else None))
                break
            if child.tail and kind == want:
                yield child.tail
        else:
            stack.pop()
            if tail:
                yield tail


def _get_text(el, ruby: bool) -> str:
    return "".join(_strings(el, ruby=ruby))


def _stripped_len(strings) -> int:
    """len(" ".join(the stripped strings that are not empty)), as get_text(" ", strip=True)."""
    n = -1
    for s in strings:
        s = s.strip()
        if s:
            n += len(s) + 1
    return max(n, 0)


def _gone(el) -> None:
    """Empty ``el`` in place, keeping its tail: the strings either side stay two strings."""
    el.clear(keep_tail=True)
    el.tag = _GONE


def _remove_boilerplate(body, tops: list, ruby: bool) -> None:
    """Drop navigation, menus, breadcrumbs and cookie bars (elements of ``body``, or of the whole
    document when it has no <body>), unless they hold the page or its footer."""
    lx = _LXML
    if body is not None:
        scopes = [body.iterdescendants(lx.element)]
    else:
        scopes = [top.iter(lx.element) for top in tops if top.tag.__class__ is str]
    total = None
    removed = []
    for elements in scopes:
        for el in elements:
            if not _is_boilerplate(el):
                continue
            if any(_COOKIE.match(w) for w in _tokens(el)) and _COOKIE_TERMS.search("".join(_strings(el, ruby=ruby))):
                continue  # a cookie bar that states a term (see _COOKIE_TERMS)
            if next(el.iterdescendants("main", "article", "footer"), None) is not None \
                    or any(_is_kept(d) for d in el.iterdescendants(lx.element)):
                continue  # a wrapper named "menu-wrap" around the whole page or the footer
            if total is None:  # the page's text before anything is removed
                if body is not None:
                    total = _stripped_len(_strings(body, ruby=ruby)) or 1
                else:
                    total = _stripped_len(s for top in tops if top.tag.__class__ is str
                                          for s in _strings(top, None, ruby)) or 1
            if total > 500 and _stripped_len(_strings(el, ruby=ruby)) > 0.5 * total:
                continue
            removed.append(el)
            for _ in el.iterdescendants(lx.element):  # gone with it, as decompose() takes them
                next(elements)
    for el in removed:  # only now: lxml's iterators must not see the tree change
        _gone(el)


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def text(self, s: str) -> None:
        self.buf.append(s)

    def flush(self) -> None:
        if not self.buf:
            return
        line = "".join(self.buf)
        line = _CJK_BREAK.sub("", line)
        line = _SPACES.sub(" ", line).strip()
        if line:
            self.lines.append(line)
        self.buf.clear()


def _walk(children, text: str | None, out: _Lines) -> None:
    """Lines of an element given as its children and its text (or of the document's top nodes)."""
    buf = out.buf
    if text:
        buf.append(text)
    for child in children:
        name = child.tag
        if name.__class__ is str:  # comments and processing instructions have a function here
            if name == "br":
                out.flush()
            elif name == "tr":
                out.flush()
                out.lines.append(_row(child))
                if not out.lines[-1]:
                    out.lines.pop()
            elif name == "li":
                out.flush()
                start = len(out.lines)
                _walk(child, child.text, out)
                out.flush()
                if len(out.lines) > start and not _NUMBERED.match(out.lines[start]) \
                        and not out.lines[start].startswith("・"):
                    out.lines[start] = "・" + out.lines[start]
            elif name in _BLOCK:
                out.flush()
                _walk(child, child.text, out)
                out.flush()
            elif name != _GONE:
                _walk(child, child.text, out)
        tail = child.tail
        if tail:
            buf.append(tail)


def _cell_text(cell) -> str:
    sub = _Lines()
    _walk(cell, cell.text, sub)
    sub.flush()
    return " ".join(sub.lines)


def _row(tr) -> str:
    texts = [_cell_text(c) for c in tr if c.tag in ("th", "td")]
    texts = [t for t in texts if t]
    if len(texts) == 2 and len(texts[0]) <= 12 and not re.search(r"[:：]$", texts[0]):
        return f"{texts[0]}：{texts[1]}"  # a label/value row of a contact table: 統一編號：12345678
    return " | ".join(texts)


def _first(tops: list, tag: str):
    for top in tops:
        if top.tag.__class__ is str:
            for el in top.iter(tag):
                return el
    return None


def html_to_text(html: str) -> tuple[str, str]:
    """Visible text of an HTML document and its title, one block per line."""
    global _LXML
    lx = _LXML or _Lxml()
    _LXML = lx
    if len(html) > _MAX_CHARS:
        return _soup_html_to_text(html)
    # fed as BeautifulSoup feeds it: one byte-order mark off, the whole string at once
    parser = lx.etree.HTMLParser(recover=True)
    try:
        parser.feed(html[1:] if html[:1] == "\ufeff" else html)
        root = parser.close()
    except (UnicodeDecodeError, LookupError, lx.etree.ParserError):
        return _soup_html_to_text(html)  # BeautifulSoup retries as UTF-8 bytes
    if root is None:  # empty, whitespace, comments or a doctype only
        return "", ""
    if lx.not_as_soup(root):
        return _soup_html_to_text(html)
    tops = list(root.itersiblings(preceding=True))[::-1] + [root] + list(root.itersiblings())
    title_el = _first(tops, "title")
    title = _SPACES.sub(" ", _get_text(title_el, True)).strip() if title_el is not None else ""
    for el in [el for top in tops if top.tag.__class__ is str for el in top.iter(*_DROP_TAGS)]:
        if el.tag != "button" or not _opens_text(el):
            _gone(el)
    ruby = any(top.tag.__class__ is str and next(top.iter("rt", "rp"), None) is not None
               for top in tops)
    body = _first(tops, "body")
    _remove_boilerplate(body, tops, ruby)
    out = _Lines()
    try:
        if body is not None:
            _walk(body, body.text, out)
        else:
            _walk(tops, None, out)
        out.flush()
        text = "\n".join(out.lines)
    except RecursionError:  # absurdly deep markup: plain text, one block per line
        strings = (s for top in tops if top.tag.__class__ is str for s in _strings(top, None, ruby))
        text = "\n".join(ln for ln in (_SPACES.sub(" ", s).strip() for s in "\n".join(strings).split("\n"))
                         if ln)
    if not title:
        h1 = _first(tops, "h1")
        title = _SPACES.sub(" ", _get_text(h1, ruby)).strip() if h1 is not None else ""
    return text, title


# --- HTML to text through BeautifulSoup, for the pages whose lxml tree is not its tree ------

def _soup_is_kept(el) -> bool:
    return el.name == "footer" or any(_KEEP.match(w) for w in _tokens(el))


def _soup_is_boilerplate(el) -> bool:
    if el.name in ("html", "body", "main", "article"):
        return False
    if _soup_is_kept(el):
        return False
    if el.name == "nav" or (el.get("role") or "").lower() in _BOILER_ROLES:
        return True
    if el.name == "header":
        return el.find_parent(["main", "article", "section"]) is None and el.find("h1") is None
    return any(_BOILERPLATE.match(w) for w in _tokens(el))


def _soup_remove_boilerplate(soup) -> None:
    body = soup.body or soup
    total = len(body.get_text(" ", strip=True)) or 1
    for el in list(body.find_all(True)):
        if getattr(el, "decomposed", False) or el.parent is None or not _soup_is_boilerplate(el):
            continue
        if el.find(["main", "article", "footer"]) or el.find(_soup_is_kept):
            continue
        if any(_COOKIE.match(w) for w in _tokens(el)) and _COOKIE_TERMS.search(el.get_text()):
            continue  # a cookie bar that states a term (see _COOKIE_TERMS)
        if len(el.get_text(" ", strip=True)) > 0.5 * total and total > 500:
            continue
        el.decompose()


def _soup_walk(el, out: _Lines) -> None:
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    for child in el.children:
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            out.text(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            out.flush()
        elif name == "tr":
            out.flush()
            out.lines.append(_soup_row(child))
            if not out.lines[-1]:
                out.lines.pop()
        elif name == "li":
            out.flush()
            start = len(out.lines)
            _soup_walk(child, out)
            out.flush()
            if len(out.lines) > start and not _NUMBERED.match(out.lines[start]) \
                    and not out.lines[start].startswith("・"):
                out.lines[start] = "・" + out.lines[start]
        elif name in _BLOCK:
            out.flush()
            _soup_walk(child, out)
            out.flush()
        else:
            _soup_walk(child, out)


def _soup_cell_text(cell) -> str:
    sub = _Lines()
    _soup_walk(cell, sub)
    sub.flush()
    return " ".join(sub.lines)


def _soup_row(tr) -> str:
    texts = [_soup_cell_text(c) for c in tr.find_all(["th", "td"], recursive=False)]
    texts = [t for t in texts if t]
    if len(texts) == 2 and len(texts[0]) <= 12 and not re.search(r"[:：]$", texts[0]):
        return f"{texts[0]}：{texts[1]}"
    return " | ".join(texts)


def _soup_html_to_text(html: str) -> tuple[str, str]:
    """html_to_text as it was done through BeautifulSoup (lxml builder)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    title_el = soup.find("title")
    title = _SPACES.sub(" ", title_el.get_text()).strip() if title_el else ""
    for el in soup.find_all(_DROP_TAGS):
        if el.name != "button" or not _opens_text(el):
            el.decompose()
    _soup_remove_boilerplate(soup)
    out = _Lines()
    try:
        _soup_walk(soup.body or soup, out)
        out.flush()
        text = "\n".join(out.lines)
    except RecursionError:  # absurdly deep markup: plain text, one block per line
        text = "\n".join(ln for ln in (_SPACES.sub(" ", s).strip() for s in soup.get_text("\n").split("\n")) if ln)
    if not title:
        h1 = soup.find("h1")
        title = _SPACES.sub(" ", h1.get_text()).strip() if h1 else ""
    return text, title


def plain_text(text: str) -> str:
    """Plain text with line ends unified, trailing spaces and runs of blank lines removed."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- PDF ------------------------------------------------------------------------------------

def pdf_to_text(body: bytes) -> tuple[str, str]:
    """Text of every page (pages separated by a blank line) and the document title."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")  # many shop PDFs are "encrypted" with an empty user password
        pages = [plain_text(page.extract_text() or "") for page in reader.pages]
        meta = reader.metadata
        title = str(meta.title) if meta and meta.title else ""
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError) as e:
        raise DecodeError(f"the PDF could not be read: {e}") from None
    return "\n\n".join(p for p in pages if p), title


# --- entry points ---------------------------------------------------------------------------

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_SNIFF = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|table)\b",
                         re.I | re.S)


def _kind(body: bytes, content_type: str | None, url: str) -> str:
    mime = (content_type or "").split(";")[0].strip().lower()
    if body.lstrip()[:5] == b"%PDF-" or mime == "application/pdf":
        return "pdf"
    if mime in _HTML_TYPES:
        return "html"
    if mime == "text/plain":
        return "text"
    if mime and mime not in ("application/octet-stream", "binary/octet-stream"):
        raise NotSupported(f"content type {mime!r} is not HTML, plain text or PDF")
    path = url.lower().split("?")[0]
    if path.endswith(".txt"):
        return "text"
    head = body[:2048].lstrip(codecs.BOM_UTF8)
    if _HTML_SNIFF.match(head) or path.endswith((".html", ".htm")):
        return "html"
    return "text"  # untyped: text if it decodes, else DecodeError


def extract(body: bytes, content_type: str | None = None, url: str = "") -> Extracted:
    """Reduce an HTTP body (or file contents) to text. Raises ExtractError subclasses."""
    if len(body) > MAX_BYTES:
        raise TooLarge(f"{len(body)} bytes is over the {MAX_BYTES} byte limit")
    kind = _kind(body, content_type, url)
    if kind == "pdf":
        text, title = pdf_to_text(body)
        encoding = ""
    else:
        decoded, encoding = decode(body, content_type)
        if kind == "html":
            text, title = html_to_text(decoded)
        else:
            text, title = plain_text(decoded), ""
    if not text.strip():
        raise EmptyText(f"no visible text in the {kind} document" + (f" at {url}" if url else ""))
    return Extracted(text=text, title=title, encoding=encoding, kind=kind)


_FILE_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".pdf": "application/pdf"}


def extract_file(path: str | Path) -> Extracted:
    """Extract a local ``.html``, ``.htm``, ``.txt`` or ``.pdf`` file."""
    path = Path(path)
    content_type = _FILE_TYPES.get(path.suffix.lower())
    if content_type is None:
        raise NotSupported(f"{path.name}: file type {path.suffix or '(none)'!r} is not supported; "
                           f"use one of {', '.join(sorted(_FILE_TYPES))}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise TooLarge(f"{path.name}: {size} bytes is over the {MAX_BYTES} byte limit")
    return extract(path.read_bytes(), content_type, url=path.name)
