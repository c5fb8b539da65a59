"""Self-check speed at province scale: loading vs the check itself vs the 自查报告 page.

    python benchmarks/check.py --pages 1000 --pages 10000

Builds each corpus with benchmarks/corpus.py (once; reused from benchmarks/out/),
then times the steps in this process and prints a table.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

from generator.checks import check  # noqa: E402
from generator.pages import check_page, render  # noqa: E402
from generator.model.validate import load_site  # noqa: E402


def measure(pages: int) -> dict:
    dest = ROOT / "benchmarks" / "out" / f"corpus-{pages}"
    if not (dest / "site_data").exists():
        corpus.build_corpus(pages, dest)
    t = time.perf_counter()
    site, problems = load_site(dest)
    loaded = time.perf_counter() - t
    assert site is not None, [p.format() for p in problems[:5]]
    t = time.perf_counter()
    report = check.run(site, corpus.AS_OF)
    checked = time.perf_counter() - t
    out = render.Output({})
    t = time.perf_counter()
    check_page.report_page(site, out, render.environment(dest), report)
    page = time.perf_counter() - t
    return {"records": len(site.records), "load_s": loaded, "check_s": checked, "page_s": page,
            "findings": len(report.findings), "problems": len(report.problems),
            "page_kb": len(out.files[check_page.PAGE].encode()) / 1024}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, action="append")
    ns = p.parse_args(argv)
    print(f"{'records':>8} {'load s':>8} {'check s':>8} {'page s':>7} {'findings':>9} {'problems':>9} {'page KB':>8}")
    for n in ns.pages or [1000, 10000]:
        m = measure(n)
        print(f"{m['records']:>8} {m['load_s']:>8.2f} {m['check_s']:>8.2f} {m['page_s']:>7.2f} "
              f"{m['findings']:>9} {m['problems']:>9} {m['page_kb']:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
