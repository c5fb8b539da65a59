"""What the link check's page scan costs, and whether a change to it finds the same: every page
of a built corpus scanned by generator/checks/link_check.py, in one process.

    python benchmarks/link_scan.py [--site DIR] [--against REV] [--rounds 3]

`--site`: a built site (default benchmarks/out/profile-10000/site, which push_profile.py and
cold_profile.py leave). `--against REV`: link_check.py as it was at that git revision too, each
round the two in turn; prints whether both find the same on every page, and each one's CPU
seconds a round. Run on an idle machine.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _module_at(rev: str):
    """generator/checks/link_check.py at git revision `rev`, loaded beside the current one."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:generator/checks/link_check.py"],
                          capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "link_check_at_rev.py"
    path.write_text(text, "utf-8")
    spec = importlib.util.spec_from_file_location("generator.checks.link_check_at_rev", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path, default=HERE / "out" / "profile-10000" / "site")
    ap.add_argument("--against", default=None)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from generator import walk
    from generator.checks import link_check

    files = walk.files(args.site)
    pages = [(rel, (args.site / rel).read_bytes().decode("utf-8", errors="replace"))
             for rel in link_check._pages(files)]
    base = "https://gk.example.gov.cn/"
    versions = {"current": link_check._Links(set(files), base)}
    if args.against:
        versions[args.against] = _module_at(args.against)._Links(set(files), base)
        same = all(versions["current"].scan(rel, raw) == versions[args.against].scan(rel, raw) for rel, raw in pages)
        print(f"{len(pages)} pages; the same findings on every page: {'yes' if same else 'NO'}")
    print("| round | " + " | ".join(f"{name} CPU s" for name in versions) + " |")
    print("|---|" + "---:|" * len(versions))
    for k in range(args.rounds):
        spent = []
        for links in versions.values():
            start = time.process_time()
            for rel, raw in pages:
                links.scan(rel, raw)
            spent.append(f"{time.process_time() - start:.2f}")
        print(f"| {k + 1} | " + " | ".join(spent) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
