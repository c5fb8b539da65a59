"""Where a cold build's search step goes: staging pages for Pagefind, waiting for its runs.

    python benchmarks/cold_profile.py [--pages 10000] [--out DIR]

Builds a benchmarks/corpus.py corpus of N pages in DIR (kept, and reused when it is there),
then one cold build into DIR/site-cold, and prints the build's own step timings with, inside
the search step, the time spent staging (search.stage; later batches overlap Pagefind) and
waiting for Pagefind (search._finish). The corpus carries its own copy of the generator: to
compare two versions, replace DIR/generator between runs. Run on an idle machine.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from profiling import corpus_root, timed  # noqa: E402


def main() -> int:
    size, root, _ = corpus_root()
    from generator.sitebuild import build as build_module, search

    spent = {"stage": 0.0, "wait for Pagefind": 0.0}
    timed(search, "stage", "stage", spent)
    timed(search, "_finish", "wait for Pagefind", spent)

    out = root / "site-cold"
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = build_module.build(root, out, as_of=corpus.AS_OF)
    total = time.perf_counter() - start
    print(f"| step (cold build, {size} pages) | s |")
    print("|---|---:|")
    print(f"| total | {total:.2f} |")
    for step, seconds in result.timings.items():
        print(f"| {step} | {seconds:.2f} |")
        if step.endswith("build_search_index"):
            for label, value in spent.items():
                print(f"|   {label} | {value:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
