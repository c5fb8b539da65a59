"""What the step profiles (push_profile.py, cold_profile.py) and push_ab.py share: the corpus they
profile, wrapping a function so that its calls add up their wall time, and the one change a
timed push makes."""
from __future__ import annotations

import argparse
import functools
import re
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


def change_one(root: Path, change: str, mark: str) -> Path:
    """Make the change a timed push makes in the corpus at root, and return the file changed:
    `title`, the first 低保 record's title, marked 【更正<mark>】 (mark: digits, new each time, in
    place of the mark before); `figure`, its urban recipients, one more than before; `template`,
    a heading of the 低保 statistics template, as run.py changes it, and back again the next time."""
    if change == "template":
        path = root / "templates" / "kinds" / "dibao_stats.md.j2"
    else:
        path = sorted((root / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    text = path.read_text("utf-8")
    if change == "template":
        text = text.replace("主要数据", "主要统计数据") if "主要统计数据" not in text else text.replace("主要统计数据", "主要数据")
    elif change == "title":
        text = re.sub(r"^title: (【更正\d+】)?", f"title: 【更正{mark}】", text, count=1, flags=re.M)
    else:
        text = re.sub(r"(?m)^(  recipients: )(\d+)$", lambda m: m.group(1) + str(int(m.group(2)) + 1), text, count=1)
    path.write_text(text, "utf-8")
    return path
