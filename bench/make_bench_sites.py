"""Generate a bench site tree: N fictional shops x 5 pages, made from the demo shops' texts.

Each bench shop gets a home page (nav + footer with trader details) and four content pages
(服務條款, 購物須知, 退換貨政策, 隱私權政策) assembled from sections of the demo shops'
pages of the same kind (tests/fixtures/sites), with the shop's own name, phone and e-mail, and
textual variations (七日/7天, 臺/台, full-width digits, section order). About one shop in ten is
written in Big5 (CP950) and served without a charset, as old Taiwanese sites are.

The output is for load and throughput runs, not for accuracy: it carries no expected results,
because mixing sections changes what each shop should score. It is never committed: the default
folder bench/out/ is in .gitignore.

    python bench/make_bench_sites.py                      # 200 shops into bench/out/sites
    python bench/make_bench_sites.py -n 1000 --out /tmp/bench-sites --seed 7
    python bench/make_bench_sites.py -n 200 --serve --targets bench/out/targets.csv

``--serve`` serves the tree with tests/fixtures/demo_server.py (one port per shop) until Ctrl-C.
"""
from __future__ import annotations

import argparse
import html
import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))

import demo_server  # noqa: E402  (tests/fixtures is not a package)

DEFAULT_OUT = REPO / "bench" / "out" / "sites"
DEFAULT_N = 200

# page kind -> (file name, nav label, page title)
PAGES = {
    "terms": ("terms.html", "服務條款", "服務條款"),
    "shopping": ("shopping.html", "購物須知", "購物須知"),
    "returns": ("returns.html", "退換貨政策", "退換貨政策"),
    "privacy": ("privacy.html", "隱私權政策", "隱私權政策"),
}

# which demo pages feed which kind (by file stem); anything else is skipped
_KIND_BY_STEM = {
    "terms": "terms", "terms-of-service": "terms",
    "guide": "shopping", "shopping": "shopping", "faq": "shopping",
    "returns": "returns", "refund-policy": "returns",
    "privacy": "privacy", "privacy-policy": "privacy",
}
_SKIP_SHOPS = {"broken-500", "xss-shop"}  # no text / hostile markup: not what a bench measures

_PREFIXES = ["晨曦", "青禾", "木子", "小森", "日日", "拾光", "好物", "山海", "暖暖", "初心", "微風", "安居",
             "慢活", "晴天", "雲朵", "星野", "花見", "田園", "海角", "知足"]
_TRADES = [("選物", "生活選物"), ("生活館", "居家用品"), ("茶舖", "茶葉"), ("書房", "書籍"),
           ("數位", "3C 配件"), ("保養", "保養品"), ("鮮物", "生鮮食品"), ("服飾", "服飾"),
           ("文具", "文具"), ("寵物", "寵物用品"), ("烘焙坊", "烘焙食品"), ("家居", "家具")]
_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾"
_GIVEN = ["怡君", "志明", "雅婷", "冠宇", "淑芬", "家豪", "佳穎", "俊傑", "欣怡", "宗翰"]
_CITIES = ["臺北市大安區", "新北市板橋區", "桃園市中壢區", "臺中市西區", "臺南市東區", "高雄市苓雅區",
           "新竹市東區", "宜蘭縣羅東鎮", "花蓮縣花蓮市", "嘉義市西區"]
_ROADS = ["中山路", "民生路", "復興路", "自由路", "光明路", "和平東路", "公園路", "建國路"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.example")
_PHONE = re.compile(r"\(0\d{1,2}\)\s?\d{3,4}-\d{4}|0800-\d{3}-\d{3}")
_MAIN = re.compile(r"(?is)<main[^>]*>(.*?)</main>")
_SPLIT = re.compile(r"(?i)(?=<h[23][\s>])|(?=<dt[\s>])")
_CP950 = "cp950"


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode(_CP950)


def harvest(source: Path = demo_server.SITES_ROOT) -> tuple[dict[str, list[str]], list[str]]:
    """Sections of the demo pages by kind, and every shop alias to replace (longest first)."""
    manifest = demo_server.load_manifest(source)
    aliases: set[str] = set()
    for shop in manifest.get("shops", []):
        aliases.update(shop.get("aliases") or [shop.get("name", "")])
    pool: dict[str, list[str]] = {kind: [] for kind in PAGES}
    for shop_dir in sorted(p for p in source.iterdir() if p.is_dir() and p.name not in _SKIP_SHOPS):
        for page in sorted(shop_dir.rglob("*.html")):
            kind = _KIND_BY_STEM.get(page.stem)
            match = _MAIN.search(_decode(page.read_bytes()))
            if not kind or not match:
                continue
            body = re.sub(r"(?is)<h1[^>]*>.*?</h1>", "", match.group(1))
            body = re.sub(r"(?is)<script[^>]*>.*?</script>", "", body)
            parts = _SPLIT.split(body)
            for part in parts:
                # a page without sub-headings (most privacy policies) is one section
                headed = len(parts) == 1 or re.search(r"<h[23]|<dt", part)
                if headed and len(re.sub(r"<[^>]+>|\s", "", part)) >= 20:
                    pool[kind].append(_balance(part.strip()))
    return pool, sorted((a for a in aliases if a), key=len, reverse=True)


def _balance(fragment: str) -> str:
    """Drop close tags whose open tag was cut off by the split, and close what is left open."""
    out, stack = [], []
    for token in re.split(r"(<[^>]+>)", fragment):
        m = re.match(r"<(/?)([a-zA-Z0-9]+)[^>]*?(/?)>", token)
        if not m:
            out.append(token)
            continue
        closing, tag, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if tag in {"br", "img", "hr", "input", "meta", "link"} or selfclose:
            out.append(token)
        elif closing:
            if tag in stack:
                while stack:
                    top = stack.pop()
                    out.append(f"</{top}>")
                    if top == tag:
                        break
        else:
            stack.append(tag)
            out.append(token)
    out.extend(f"</{t}>" for t in reversed(stack))
    return "".join(out)


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def vary(fragment: str, rng: random.Random) -> str:
    """Textual variations the engine must see through (rule-catalogue: judging rules)."""
    def text_only(fn):
        return lambda s: re.sub(r">([^<]+)<", lambda m: ">" + fn(m.group(1)) + "<", s)

    if rng.random() < 0.5:
        fragment = fragment.replace("七日", rng.choice(["7日", "七天", "7 天", "7天"]))
    if rng.random() < 0.4:
        fragment = fragment.replace("臺", "台")
    if rng.random() < 0.2:
        fragment = text_only(lambda s: s.translate(_FULLWIDTH))(f">{fragment}<")[1:-1]
    if rng.random() < 0.3:
        fragment = fragment.replace("本公司", rng.choice(["本店", "本商店", "我們"]))
    return fragment


class _Shop:
    def __init__(self, index: int, rng: random.Random):
        prefix = rng.choice(_PREFIXES)
        suffix, self.trade = rng.choice(_TRADES)
        self.key = f"bench-{index:04d}"
        self.name = f"{prefix}{suffix}"
        self.legal_name = f"{self.name}有限公司"
        self.owner = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        self.phone = f"(0{rng.randint(2, 8)}){rng.randint(200, 899)}-{rng.randint(1000, 9999)}"
        self.email = f"service@{self.key}.example"
        self.address = f"{rng.choice(_CITIES)}{rng.choice(_ROADS)}{rng.randint(1, 300)}號"
        # some shops leave out 負責人 or the address, as real footers do
        self.footer_fields = [f for f in ("owner", "address") if rng.random() > 0.15]
        self.big5 = rng.random() < 0.1


def _personalise(fragment: str, shop: _Shop, aliases: list[str]) -> str:
    for alias in aliases:
        fragment = fragment.replace(alias, shop.name)
    fragment = _EMAIL.sub(shop.email, fragment)
    return _PHONE.sub(shop.phone, fragment)


def _page(shop: _Shop, title: str, main: str, footer: bool) -> str:
    charset = '<meta charset="big5">' if shop.big5 else '<meta charset="utf-8">'
    nav = " ".join(f'<a href="/{f}">{label}</a>' for f, label, _ in PAGES.values())
    foot = ""
    if footer:
        lines = [shop.legal_name]
        if "owner" in shop.footer_fields:
            lines.append(f"負責人：{shop.owner}")
        lines += [f"電話：{shop.phone}", f"Email：{shop.email}"]
        if "address" in shop.footer_fields:
            lines.append(f"地址：{shop.address}")
        foot = "<footer>" + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</footer>\n"
    return (f'<!DOCTYPE html>\n<html lang="zh-Hant-TW">\n<head>\n{charset}\n'
            f"<title>{html.escape(title)}｜{html.escape(shop.name)}</title>\n</head>\n<body>\n"
            f'<header><a href="/">{html.escape(shop.name)}</a>\n<nav>{nav}</nav></header>\n'
            f"<main>\n{main}\n</main>\n{foot}</body>\n</html>\n")


def generate(out: Path = DEFAULT_OUT, n: int = DEFAULT_N, seed: int = 0,
             source: Path = demo_server.SITES_ROOT) -> Path:
    """Write ``n`` shops and a manifest.yaml into ``out`` (replacing a previous bench tree)."""
    import yaml

    pool, aliases = harvest(source)
    empty = [k for k, v in pool.items() if not v]
    if empty:
        raise demo_server.DemoSiteError(f"no demo sections of kind {', '.join(empty)} under {source}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("bench-*"):  # only our own earlier output
        for f in sorted(old.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
        old.rmdir()

    entries = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        shop = _Shop(i, rng)
        folder = out / shop.key
        folder.mkdir()
        encoding = _CP950 if shop.big5 else "utf-8"
        files = {}
        home_main = (f"<h1>歡迎光臨{html.escape(shop.name)}</h1>\n"
                     f"<p>{html.escape(shop.name)}專營{html.escape(shop.trade)}，商品皆有現貨，付款後 "
                     f"{rng.randint(1, 5)} 個工作天內出貨。</p>\n<ul>"
                     + "".join(f"<li>精選商品 {j + 1}　NT${rng.randint(2, 60) * 50}</li>" for j in range(4))
                     + "</ul>")
        files["index.html"] = _page(shop, shop.name, home_main, footer=True)
        for kind, (fname, _, title) in PAGES.items():
            k = rng.randint(3, 7)
            sections = rng.sample(pool[kind], min(k, len(pool[kind])))
            body = "\n".join(vary(_personalise(s, shop, aliases), rng) for s in sections)
            files[fname] = _page(shop, title, f"<h1>{title}</h1>\n{body}", footer=rng.random() < 0.3)
        for fname, text in files.items():
            (folder / fname).write_bytes(text.encode(encoding, errors="replace" if shop.big5 else "strict"))
        entry = {"key": shop.key, "name": shop.name, "aliases": [shop.legal_name, shop.name],
                 "trade": shop.trade, "home": "/", "style": "bench (generated)",
                 "serve": {"charset": None} if shop.big5 else {},
                 "pages": [{"path": "/", "via": "start", "kind": "html"}]
                 + [{"path": "/" + f, "via": "link", "kind": "html"} for f, _, _ in PAGES.values()],
                 "failures": [], "expected": None}
        if shop.big5:
            for page in entry["pages"]:
                page["encoding"] = _CP950
        entries.append(entry)

    manifest = {"version": 1, "generated_by": "bench/make_bench_sites.py", "seed": seed, "shops": entries}
    (out / demo_server.MANIFEST_NAME).write_text(
        yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def serve(out: Path = DEFAULT_OUT, host: str = "127.0.0.1") -> demo_server.DemoSites:
    """Serve a generated bench tree, one port per shop (see demo_server.start_demo_sites)."""
    return demo_server.start_demo_sites(root=out, host=host)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python bench/make_bench_sites.py -n 200 --serve")
    parser.add_argument("-n", type=int, default=DEFAULT_N, help="number of shops (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument("--serve", action="store_true", help="serve the tree until Ctrl-C")
    parser.add_argument("--targets", type=Path, metavar="FILE", help="with --serve: write a name,url CSV")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error(f"-n must be at least 1, got {args.n}")
    started = time.perf_counter()
    out = generate(args.out, args.n, args.seed)
    print(f"{args.n} shops x {1 + len(PAGES)} pages in {out} ({time.perf_counter() - started:.1f}s)")
    if not args.serve:
        return 0
    with serve(out) as sites:
        if args.targets:
            print(f"targets: {sites.write_targets_csv(args.targets)}")
        first = next(iter(sites.urls.items()))
        print(f"serving {len(sites.urls)} shops (e.g. {first[0]} {first[1]}); Ctrl-C to stop", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
