"""Where the time of a one-record push's build goes: the steps of `build --cache` after one
changed record, as a table.

    python benchmarks/push_profile.py [--pages 10000] [--out DIR] [--change title|figure|template]

Builds a benchmarks/corpus.py corpus of N pages in DIR (kept, and reused when it is there),
a cold `build --cache` to fill the cache, then corrects one 低保 record's title (or, with
`--change figure`, its urban recipients, as benchmarks/run.py does; with `--change template`, a
heading of the 低保 statistics template, as run.py does) and times the cached build again, step by step: the build's own timings (BuildResult.timings) and, inside
them, the parts the README names (loading and checks, rendering, placing cached pages,
staging pages for Pagefind, each Pagefind run with its page count). Run on an idle machine;
the figures are wall time of this process and what it waits for.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from profiling import change_one, corpus_root, timed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--change", choices=("title", "figure", "template"), default="title")
    size, root, args = corpus_root(ap)
    from generator import pipeline
    from generator.pages import render
    from generator.sitebuild import build as build_module, search

    site_dir, cache_dir, as_of = root / "site", root / ".cache" / "profile", corpus.AS_OF
    start = time.perf_counter()
    build_module.build(root, site_dir, as_of=as_of, cache_dir=cache_dir)
    cold = time.perf_counter() - start

    change_one(root, args.change, f"{dt.datetime.now():%H%M%S}")

    spent: dict = defaultdict(float)
    pagefind_runs: list[tuple[int, int, float]] = []
    timed(pipeline, "load_and_check", "  load and checks", spent)
    timed(pipeline, "render_site", "  render listings and other pages (record pages: in write)", spent)
    timed(render, "write", "  render and write record pages, write the rest", spent)
    timed(build_module, "place_cached_pages", "  find the cached pages to place", spent)
    find_pages = build_module.place_cached_pages

    def place_cached_pages(*args, **kwargs):
        found = find_pages(*args, **kwargs)
        if not kwargs.get("defer"):
            return found
        placed, place = found

        def timed_place():
            start = time.perf_counter()
            try:
                place()
            finally:
                spent["  place them (while MkDocs' workers run)"] += time.perf_counter() - start
        return placed, timed_place
    build_module.place_cached_pages = place_cached_pages
    timed(search, "stage", "  stage pages for Pagefind", spent)
    start_runs, finish_runs, started = search._start, search._finish, {}

    def start(jobs):
        started["at"] = time.perf_counter()
        started["jobs"] = jobs
        return start_runs(jobs)

    def finish(procs, keep=None):
        finish_runs(procs, keep)
        if procs:  # from the start of a batch's runs to their end (staging of the next overlaps)
            jobs = started["jobs"]
            pagefind_runs.append((len(jobs), sum(sum(1 for _ in pages.rglob("*.html")) for pages, _ in jobs),
                                  time.perf_counter() - started["at"]))
    search._start, search._finish = start, finish

    start = time.perf_counter()
    result = build_module.build(root, site_dir, as_of=as_of, cache_dir=cache_dir)
    total = time.perf_counter() - start

    rows = [("cold `build --cache` (cache empty or stale)", cold),
            (f"`build --cache` after one changed record ({args.change})", total)]
    inner = {"generate": ["  load and checks", "  render listings and other pages (record pages: in write)",
                          "  render and write record pages, write the rest"],
             "mkdocs": ["  find the cached pages to place", "  place them (while MkDocs' workers run)"],
             "generator.sitebuild.search.build_search_index": ["  stage pages for Pagefind"]}
    for step, seconds in result.timings.items():
        rows.append((step, seconds))
        rows += [(label, spent[label]) for label in inner.get(step, [])]
        if step.endswith("build_search_index"):
            rows += [(f"  Pagefind: {runs} run(s) at once over {pages} pages", seconds)
                     for runs, pages, seconds in pagefind_runs]
    stats = result.render_stats
    print(f"| step ({size} pages; reused {stats.get('reused_records')} records, "
          f"{stats.get('reused_pages')} pages, {stats.get('reused_search_shards')} search shards) | s |")
    print("|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
