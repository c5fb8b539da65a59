"""What the step profiles (push_profile.py, cold_profile.py) share: the corpus they profile, and
wrapping a function so that its calls add up their wall time."""
from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent


def corpus_root(ap: argparse.ArgumentParser | None = None) -> tuple[int, Path, argparse.Namespace]:
    """(pages, the corpus directory, all arguments) from `--pages N [--out DIR]` and what else
    `ap` takes: a benchmarks/corpus.py corpus of N pages in DIR, built when it is not there and
    kept. The corpus carries its own copy of the generator, which is put first on sys.path:
    that copy is the one profiled."""
    ap = ap or argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    root = (args.out or HERE / "out" / f"profile-{args.pages}").resolve()
    if not (root / "site_data").is_dir():
        corpus.build_corpus(args.pages, root)
    sys.path.insert(0, str(root))
    return args.pages, root, args


def timed(owner, name: str, label: str, spent: dict) -> None:
    """Wrap owner.name so that its calls add their wall time to spent[label]."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start
    setattr(owner, name, wrapper)
