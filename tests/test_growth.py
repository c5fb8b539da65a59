"""Linear growth: generating 4× the records costs at most ~4× the work.

Work is counted as executed Python lines (deterministic, unlike wall time on
a shared machine), so a quadratic step — a listing that scans every record
for every record, say — fails here long before it shows in the benchmark.
This is the cheap step (Markdown generation, no MkDocs); the built site's pages
and bytes at the same sizes are checked by benchmarks/growth.py (three full
builds), and wall-clock figures for 1,000 and 10,000 pages are in benchmarks/run.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import pytest  # noqa: E402

from generator.pipeline import generate  # noqa: E402


def lines_to_generate(root: Path) -> int:
    """Lines executed by one generate() of root: constant work (compiling a root's templates)
    cancels in the differences second_over_first takes; the imports are done beforehand."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    sys.settrace(tracer)
    try:
        generate(root)
    finally:
        sys.settrace(None)
    return count


SIZES = (50, 100, 200)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    base = tmp_path_factory.mktemp("growth")
    roots = {}
    for n in SIZES:
        info = corpus.build_corpus(n, base / str(n))
        assert info["pages"] == n
        # Every size past the point where the 公开目录 splits by year and county
        # (a one-off step at 300 records by default), so the sizes compare like with like.
        with open(base / str(n) / "site_data/site.yaml", "a", encoding="utf-8") as f:
            f.write("\ncatalogue_page_rows: 10\n")
        roots[n] = base / str(n)
    return roots


def second_over_first(values: dict) -> float:
    first, second = values[100] - values[50], values[200] - values[100]
    assert first > 0, values
    return second / first


def test_generate_grows_linearly(corpora):
    """Work at 50, 100 and 200 records: the second doubling may cost at most
    about what the first did (2× the records' share; a quadratic step makes it 4×)."""
    generate(corpora[SIZES[0]])  # warm: the imports generate() makes on its first run
    work = {n: lines_to_generate(root) for n, root in corpora.items()}
    assert second_over_first(work) <= 2.2, work
