"""Hostile input to the loader: time and peak memory until the editor has a message.

    python benchmarks/hostile_load.py

Each case runs in a fresh process (load.load_file on one file) and prints
wall time, peak RSS and the first message. The limits are in generator/model/load.py
(MAX_BYTES, MAX_NODES, MAX_DEPTH, MAX_DIGITS); aliases are refused outright.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "50 MB file": lambda: b"notes: '" + "低保".encode() * (50 * 1024 * 1024 // 6) + b"'\n",
    "5 MB, 1.2M list items": lambda: b"- a\n" * 1_200_000,
    "5 MB flow list": lambda: b"[" + b"1," * 2_400_000 + b"1]\n",
    "billion laughs": lambda: ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                               + "".join(f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                                         for p, c in zip("abcdefgh", "bcdefghi"))).encode(),
    "nesting 100,000 deep": lambda: b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "5,000-digit number": lambda: b"a: " + b"9" * 5000 + b"\n",
    "syntax error after 4.8 MB": lambda: b"a: '" + b"x" * 4_900_000 + b"\n",
}

PROBE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from generator.model.load import load_file
t = time.perf_counter()
doc, problems = load_file(Path(sys.argv[1]), "x.yaml")
print(json.dumps({"s": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "message": problems[0].format() if problems else "(no problem)"}, ensure_ascii=False))
"""


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            path = Path(tmp) / "case.yaml"
            path.write_bytes(make())
            out = subprocess.run([sys.executable, "-c", PROBE, str(path), str(ROOT)],
                                 capture_output=True, text=True, timeout=600)
            result = json.loads(out.stdout) if out.returncode == 0 else \
                {"s": float("nan"), "rss_mb": float("nan"), "message": out.stderr.strip().splitlines()[-1]}
            rows.append((name, path.stat().st_size / 1024 / 1024, result))
    print(f"{'case':28} {'MB':>6} {'seconds':>8} {'peak RSS MB':>12}  message")
    for name, size, r in rows:
        print(f"{name:28} {size:6.1f} {r['s']:8.2f} {r['rss_mb']:12.0f}  {r['message'][:70]}")


if __name__ == "__main__":
    main()
