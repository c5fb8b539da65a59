"""What leaving Pagefind's own words out of the hidden search block saves, and that it loses
nothing: the record pages of one search shard of a built corpus, staged and indexed both ways.

    python benchmarks/search_words.py [CORPUS_DIR]     (default benchmarks/out/corpus-10000)

The corpus must have been built (benchmarks/run.py or push_profile.py leave its site/). Its
record pages are planned into shards as a build plans them (search.shard_plan); the first record
shard is staged twice with this checkout's generator: with the block as the build writes it, and
with every search-mode word in it (search.indexed_anyway switched off, as before 2026-12-05).
Pagefind indexes each, one after the other; the table gives the block's words per page,
Pagefind's time (staging is timed in real builds: push_profile.py, run.py) and how many
(word, page) pairs of the full index the lean one lacks (tests/pagefind_index.py reads both).
Run it on an idle machine.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

BLOCK = re.compile(r'class="gk-search-words">([^<]+)<')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=HERE / "out" / "corpus-10000")
    args = ap.parse_args()
    import pagefind_index
    from generator.model.validate import load_site
    from generator.sitebuild import search

    site_dir = args.corpus.resolve() / "site"
    if not (site_dir / "index.html").exists():
        print(f"{site_dir} 不存在：先运行 benchmarks/push_profile.py --out {args.corpus}", file=sys.stderr)
        return 1
    site, problems = load_site(args.corpus.resolve())
    if site is None:
        print(f"语料读不进来：{problems[:3]}", file=sys.stderr)
        return 1
    rels = search.pages(site_dir)
    leaves = search.record_pages(site)
    _, plan = search.shard_plan(rels, leaves)
    first = min(plan[r] for r in rels if r in leaves)
    chosen = [r for r in rels if plan[r] == first]
    work = Path(tempfile.mkdtemp(prefix="search-words-"))
    rows = {}
    try:
        for name in ("full", "lean"):
            original = search.indexed_anyway
            if name == "full":
                search.indexed_anyway = lambda *args: set()
            try:
                search._segment.cache_clear()
                search.stage(site_dir, work / f"{name}-pages", rels=chosen)
            finally:
                search.indexed_anyway = original
            pages = list((work / f"{name}-pages").rglob("*.html"))
            block = sum(len(m.split(" ")) for p in pages for m in BLOCK.findall(p.read_text("utf-8")))
            t = time.perf_counter()
            search._run([(work / f"{name}-pages" / "0", work / name)])
            rows[name] = {"pages": len(pages), "block": block / len(pages),
                          "pagefind": time.perf_counter() - t, "index": pagefind_index.words(work / name)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    full, lean = rows["full"]["index"], rows["lean"]["index"]
    lost = sum(len(urls - lean.get(word, frozenset())) for word, urls in full.items())
    print(f"| 一个记录页分片（{rows['lean']['pages']} 页） | 全部检索词 | 去掉 Pagefind 自己能切出的词 |")
    print("|---|---:|---:|")
    print(f"| 隐藏检索词块 平均每页词数 | {rows['full']['block']:.1f} | {rows['lean']['block']:.1f} |")
    print(f"| Pagefind 秒 | {rows['full']['pagefind']:.2f} | {rows['lean']['pagefind']:.2f} |")
    print(f"| 索引里的词 | {len(full)} | {len(lean)} |")
    print(f"| 全部检索词的索引有、这一种没有的（词，页）对 | — | {lost} |")
    return 0 if lost == 0 and set(full) == set(lean) else 1


if __name__ == "__main__":
    sys.exit(main())
