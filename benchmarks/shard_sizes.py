"""What the size of the record shards trades: a one-record push's Pagefind runs against the
bytes of a first search (generator/sitebuild/search.py, RECORD_SHARD_PAGES).

    python benchmarks/shard_sizes.py SITE_DIR ROOT [--sizes 3000 1500 1250] [--rounds 3] [--search]

SITE_DIR is a site built from the project ROOT (e.g. benchmarks/out/corpus-10000/site after
push_profile.py). For each size it plans the shards as the build would (search.shard_plan),
stages the listings' shard and the record shard holding the first 低保 record, and times the
two Pagefind runs at once, as a push runs them; the sizes take turns, `--rounds` times, so a
machine that speeds up or slows down weighs on each alike. `--search` then indexes the whole
site with each size into a copy and measures its first search (benchmarks/search_transfer.py;
needs Chromium): minutes per size. Prints a table; run on an idle machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("site_dir", type=Path)
    ap.add_argument("root", type=Path)
    ap.add_argument("--sizes", type=int, nargs="+", default=[3000, 1500, 1250])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--search", action="store_true")
    args = ap.parse_args()
    site_dir, root = args.site_dir.resolve(), args.root.resolve()
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(HERE))
    from generator.model.validate import load_site
    from generator.sitebuild import search

    site, _ = load_site(root)
    leaves = search.record_pages(site)
    rels = search.pages(site_dir)
    record = min(rel for rel in leaves if "/dibao_stats/" in rel)
    work = Path(tempfile.mkdtemp(prefix="shard-sizes-", dir=site_dir.parent))
    plans, staged = {}, {}
    try:
        for size in args.sizes:
            search.RECORD_SHARD_PAGES = size
            os.environ.pop("GK_SEARCH_SHARD_PAGES", None)
            plans[size] = search.shard_plan(rels, leaves)
            _, plan = plans[size]
            pushed = [0, plan[record]]
            search.stage(site_dir, work / str(size), plan=plan, rels=[r for r in rels if plan[r] in pushed])
            staged[size] = [(work / str(size) / str(k), work / f"out-{size}-{k}") for k in pushed]
        times: dict[int, list[float]] = {size: [] for size in args.sizes}
        for _ in range(args.rounds):
            for size in args.sizes:
                for _, out in staged[size]:
                    shutil.rmtree(out, ignore_errors=True)
                start = time.perf_counter()
                search._run(staged[size])
                times[size].append(time.perf_counter() - start)
        transfer = {size: _first_search(site_dir, work, size, leaves) for size in args.sizes} if args.search else {}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| record shard pages | shards | pages a push re-indexes | Pagefind s (median of {args.rounds}) "
          "| first search KB / s |")
    print("|---:|---:|---:|---:|---|")
    for size in args.sizes:
        shards, plan = plans[size]
        pushed = sum(1 for r in rels if plan[r] in (0, plan[record]))
        kb = transfer.get(size)
        print(f"| {size} | {shards} | {pushed} | {statistics.median(times[size]):.2f} | "
              f"{f'{kb[0]} / {kb[1]}' if kb else '—'} |")
    return 0


def _first_search(site_dir: Path, work: Path, size: int, leaves) -> tuple[float, float]:
    import search_transfer
    from generator.sitebuild import reproducible, search

    copy = work / f"site-{size}"
    shutil.copytree(site_dir, copy, symlinks=True)
    for bundle in search.bundles(copy):
        shutil.rmtree(bundle)
    search.RECORD_SHARD_PAGES = size
    search.index(copy, leaves=leaves)
    reproducible.canonical_search_index(None, copy, None)
    res = search_transfer.measure(copy)
    shutil.rmtree(copy, ignore_errors=True)
    return res["first_search_kb"], res["first_result_s"]


if __name__ == "__main__":
    sys.exit(main())
