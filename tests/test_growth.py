"""Linear growth: generating 4× the records costs at most ~4× the work.

Work is counted as executed Python lines (deterministic, unlike wall time on
a shared machine), so a quadratic step — a listing that scans every record
for every record, say — fails here long before it shows in the benchmark.
Wall-clock figures for 1,000 and 10,000 pages are in benchmarks/run.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

from generator.build import generate  # noqa: E402


def lines_to_generate(root: Path) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    generate(root)  # warm: template compilation and imports are not per-record work
    sys.settrace(tracer)
    try:
        generate(root)
    finally:
        sys.settrace(None)
    return count


def test_generate_grows_linearly(tmp_path):
    """Work at 100, 200 and 400 records: the second doubling may cost at most
    about what the first did (2× the records' share; a quadratic step makes it 4×)."""
    work = {}
    for n in (100, 200, 400):
        info = corpus.build_corpus(n, tmp_path / str(n))
        assert info["pages"] == n
        work[n] = lines_to_generate(tmp_path / str(n))
    first, second = work[200] - work[100], work[400] - work[200]
    assert first > 0 and second / first <= 2.2, work
