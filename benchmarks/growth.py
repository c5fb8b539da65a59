"""Linear growth of the built site: 4× the records make at most ~4× the pages and bytes.

    python benchmarks/growth.py            # builds corpora of 100, 200 and 400 records

The whole built site (pages, search index, data files) at three sizes: a menu or listing
repeated in every page would make the second doubling cost 4× the first. Three full builds
take a minute or two, so this is run by hand, like the other benchmarks, not in the test
suite; tests/test_growth.py checks the generator's work the same way on the cheap step
(Markdown generation, no MkDocs) in every test run. Exit status 1 when a ratio exceeds 2.2.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

SIZES = (100, 200, 400)
LIMIT = 2.2


def second_over_first(values: dict) -> float:
    first, second = values[SIZES[1]] - values[SIZES[0]], values[SIZES[2]] - values[SIZES[1]]
    assert first > 0, values
    return second / first


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def main() -> int:
    size, pages = {}, {}
    with tempfile.TemporaryDirectory(prefix="growth-") as tmp:
        for n in SIZES:
            root = Path(tmp) / str(n)
            info = corpus.build_corpus(n, root)
            assert info["pages"] == n
            # Every size past the point where the 公开目录 splits by year and county
            # (a one-off step at 300 records by default), so the sizes compare like with like.
            with open(root / "site_data/site.yaml", "a", encoding="utf-8") as f:
                f.write("\ncatalogue_page_rows: 10\n")
            out = subprocess.run([sys.executable, "-m", "generator", "build", "--as-of", corpus.AS_OF.isoformat()],
                                 cwd=root, capture_output=True, text=True, timeout=900)
            if out.returncode != 0:
                print(out.stderr[-2000:], file=sys.stderr)
                return 1
            size[n] = site_bytes(root / "site")
            pages[n] = len(list((root / "site").rglob("*.html")))
            print(f"{n:>4} records: {pages[n]:>5} pages, {size[n] / 1e6:.1f} MB")
    ratios = {"pages": second_over_first(pages), "bytes": second_over_first(size)}
    for name, ratio in ratios.items():
        print(f"{name}: second doubling / first = {ratio:.2f} (limit {LIMIT})")
    return 0 if all(r <= LIMIT for r in ratios.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
