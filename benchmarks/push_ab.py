"""Two generator versions side by side: one-record pushes taken in turn, as a table.

    python benchmarks/push_ab.py --against REV [--pages 10000] [--pushes 7] [--change title|figure]
                                 [--keep DIR]

On the 2-core development machine the same push differs by 15-20 % from one minute to the next,
more than most changes to the push path save, and a benchmark run of each version an hour apart
compares the machine's moods. Here both versions see the same minutes: two copies of one
benchmarks/corpus.py corpus (built in benchmarks/out/profile-N when missing), one with the
generator at REV and one with the working tree's, each filled by a cold `build --cache`; then each
round edits the same 低保 record in both copies (its title, or with `--change figure` its urban
recipients) and builds each with the push hook's command
(`python -m generator build --cache … --cache-in-background --report`, a new process), the two in
alternating order, each after the other's background cache writes are done (the cache lock, as
the hook's next push waits). The first push after a fill is shown apart and left out of the
medians: at 10,000 pages it was much slower than the later ones in one run (34.6 and 18.8 s, by
an earlier form of this script) and not in another (14.31 and 12.86 s). Run on an idle machine.
"""
from __future__ import annotations

import argparse
import fcntl
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
from profiling import change_one  # noqa: E402

SOURCES = ("content", "mkdocs.yml", "overrides", "schemas", "site_data", "templates")


def make_copy(src: Path, dest: Path, generator_from: str | None) -> None:
    """dest: the corpus's sources, with the generator at git revision `generator_from` (None:
    the working tree's)."""
    dest.mkdir(parents=True)
    for name in SOURCES:
        (shutil.copytree if (src / name).is_dir() else shutil.copy2)(src / name, dest / name)
    if generator_from is None:
        shutil.copytree(ROOT / "generator", dest / "generator")
        return
    archive = subprocess.run(["git", "archive", generator_from, "generator"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest)


def push(root: Path) -> float:
    """The hook's build of root, timed until the new site is in place; then waits for the cache's
    background writes."""
    cache = root / ".cache" / "ab"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", "build", "--as-of", corpus.AS_OF.isoformat(),
                           "--cache", str(cache), "--cache-in-background", "--report", "--site-dir",
                           str(root / "site")], cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed in {root}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    with open(cache / ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", required=True, help="the git revision whose generator is compared")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--pushes", type=int, default=7)
    ap.add_argument("--change", choices=("title", "figure"), default="title")
    ap.add_argument("--keep", type=Path, help="leave the two copies in this directory")
    args = ap.parse_args()
    source = HERE / "out" / f"profile-{args.pages}"
    if not (source / "site_data").is_dir():
        corpus.build_corpus(args.pages, source)
    base = args.keep or Path(tempfile.mkdtemp(prefix="gk-push-ab-"))
    names = (args.against, "working tree")
    roots = [base / "a", base / "b"]
    try:
        for root, rev in zip(roots, (args.against, None)):
            make_copy(source, root, rev)
        fills = [push(root) for root in roots]
        times: list[list[float]] = [[], []]
        for n in range(args.pushes + 1):
            order = (0, 1) if n % 2 == 0 else (1, 0)
            for i in order:
                change_one(roots[i], args.change, str(n))
                times[i].append(push(roots[i]))
        print(f"| {args.pages} pages, one record's {args.change} | {names[0]} s | {names[1]} s |")
        print("|---|---:|---:|")
        print(f"| cold fill | {fills[0]:.2f} | {fills[1]:.2f} |")
        print(f"| first push after the fill | {times[0][0]:.2f} | {times[1][0]:.2f} |")
        for n, pair in enumerate(zip(times[0][1:], times[1][1:]), 1):
            print(f"| push {n} | {pair[0]:.2f} | {pair[1]:.2f} |")
        rest = [t[1:] for t in times]
        print(f"| median (mean) | {statistics.median(rest[0]):.2f} ({statistics.mean(rest[0]):.2f}) | "
              f"{statistics.median(rest[1]):.2f} ({statistics.mean(rest[1]):.2f}) |")
        faster = sum(b < a for a, b in zip(*rest))
        print(f"\nThe working tree's push was faster in {faster} of {len(rest[0])} rounds.")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
