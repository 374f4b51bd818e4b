"""Speed of the self-check and of the engine (issue 2 targets).

    python bench/check_bench.py                 # both measurements, a table, and bench/out/check.json
    python bench/check_bench.py --docs 200      # a quicker throughput run

1. `check` wall time on a 10,000-character document, start-up included: the real command
   (``python -m compliance check doc.txt --format json``) run as a fresh process, repeated; the
   median and the worst are reported, and the first run, made with an empty cache folder (it
   compiles the rule pack; later runs find the compiled regexes kept). Target: under 1 s.
2. Engine throughput on one core: 1,000 distinct documents of about 10,000 characters each,
   judged in one process by ``compliance.engine.evaluate`` (the same call a scan makes per site).
   The process is pinned to one CPU where the OS allows it. Target: at least 100 documents/s.

The documents are built from the labelled corpus (tests/corpus): sections of different shops are
shuffled together and numbers and names varied, so no two documents are the same text and the
regexes cannot profit from identical input.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = REPO / "tests" / "corpus"
OUT = REPO / "bench" / "out"

TARGET_CHECK_S = 1.0
TARGET_DOCS_PER_S = 100.0


def corpus_paragraphs() -> list[str]:
    from compliance.extract import extract_file

    paras = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix in (".txt", ".html") and "news" not in path.name:
            paras += [p for p in extract_file(path).text.split("\n") if len(p.strip()) > 8]
    return paras


def make_document(paras: list[str], rng: random.Random, size: int = 10_000) -> str:
    out, n = [], 0
    while n < size:
        p = rng.choice(paras)
        p = p.replace("七日", rng.choice(["七日", "7日", "七天", "７天"])).replace("本公司", rng.choice(
            ["本公司", "本店", "本網站", "我們"]))
        out.append(p)
        n += len(p) + 1
    return "\n".join(out)[:size]


def bench_check(doc: str, runs: int) -> dict:
    """The first run starts from an empty cache folder (compliance/regexcache.py: it compiles the
    pack and keeps the code), the others find the code kept: the first `check` on a machine, and
    every later one."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terms.txt"
        path.write_text(doc, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO), "COMPLIANCE_CACHE_DIR": str(Path(tmp) / "cache")}
        times = []
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "compliance", "check", str(path), "--format", "json"],
                                  cwd=REPO, capture_output=True, env=env)
            times.append(time.perf_counter() - t0)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"check failed: {proc.stderr.decode()[-500:]}")
    cold, times = times[0], times[1:]
    return {"runs": runs, "chars": len(doc), "median_s": statistics.median(times), "max_s": max(times),
            "min_s": min(times), "cold_s": cold}


def bench_engine(docs: list[str]) -> dict:
    from compliance.engine import evaluate
    from compliance.models import Document
    from compliance.rules import load_pack

    pinned = False
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
            pinned = True
        except OSError:
            pass
    from compliance.match import scan_eagerly

    pack = load_pack()
    scan_eagerly()  # what `eval`, `analyze` and a scan's workers do for a long run
    evaluate([Document("warm-up", docs[0])], pack)  # lazy imports (jieba, opencc) and the rewrites are start-up, not throughput
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    statuses = 0
    for i, text in enumerate(docs):
        statuses += len(evaluate([Document(f"doc-{i}", text)], pack))
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return {"documents": len(docs), "chars_each": len(docs[0]), "wall_s": wall, "cpu_s": cpu,
            "docs_per_s": len(docs) / wall, "one_core": pinned, "results": statuses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents for the throughput run (default 1000)")
    ap.add_argument("--runs", type=int, default=7, help="runs of the check command (default 7)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    paras = corpus_paragraphs()
    docs = [make_document(paras, rng) for _ in range(args.docs)]
    check = bench_check(docs[0], args.runs)
    engine = bench_engine(docs)

    ok_check = check["median_s"] < TARGET_CHECK_S
    ok_engine = engine["docs_per_s"] >= TARGET_DOCS_PER_S
    print(f"check, {check['chars']:,} characters, {check['runs']} runs as a new process:")
    print(f"  median {check['median_s']:.3f} s, min {check['min_s']:.3f} s, max {check['max_s']:.3f} s"
          f"   target < {TARGET_CHECK_S:.1f} s: {'met' if ok_check else 'NOT met'}")
    print(f"  first run, with nothing kept in the cache folder: {check['cold_s']:.3f} s")
    print(f"engine, {engine['documents']:,} documents of {engine['chars_each']:,} characters"
          f"{', one core' if engine['one_core'] else ''}:")
    print(f"  {engine['docs_per_s']:.1f} documents/s ({engine['wall_s']:.2f} s wall, {engine['cpu_s']:.2f} s CPU)"
          f"   target >= {TARGET_DOCS_PER_S:.0f}/s: {'met' if ok_engine else 'NOT met'}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "check.json").write_text(json.dumps({"check": check, "engine": engine}, indent=2), encoding="utf-8")
    print(f"figures written to {OUT / 'check.json'}")


if __name__ == "__main__":
    main()
