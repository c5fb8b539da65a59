"""What a `git push` to the intranet server costs, from a fresh server on.

    python benchmarks/deploy_push.py [--keep DIR]

Installs the hooks (deploy/install-git-hooks.sh) into a new bare repository with
an empty WEBROOT, as on a fresh server, and times, from the client's side:
  1. the first push: the hook creates its virtualenv (pip install -r requirements.txt,
     from the package index or GK_PIP_ARGS) and builds and publishes the site;
  2. a second push of a one-line data change: venv reused, build, switch;
  3. a push with invalid data: refused after validation;
  4. a rollback.
Prints a table; the tests (tests/test_deploy.py) pre-fill the venv cache instead,
so step 1 is shown here.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import copy_project  # noqa: E402

ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.gov.cn",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.gov.cn",
       "GIT_CONFIG_GLOBAL": os.devnull}
RECORD = "site_data/dibao_stats/2025-Q4-640104.yaml"


def run(cwd: Path, *cmd: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    result = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=1800)
    return time.monotonic() - start, result


def edit(clone: Path, old: str, new: str, message: str) -> None:
    path = clone / RECORD
    path.write_text(re.sub(old, new, path.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    subprocess.run(["git", "commit", "-qam", message], cwd=clone, env=ENV, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", help="leave the repository and WEBROOT in this directory")
    args = ap.parse_args()
    base = Path(args.keep or tempfile.mkdtemp(prefix="gk-deploy-bench-"))
    clone, bare, webroot = base / "editor", base / "site.git", base / "www"
    rows = []
    try:
        copy_project(clone)
        shutil.copy2(ROOT / "requirements.txt", clone / "requirements.txt")
        (clone / ".gitignore").write_text("site/\ncontent/zwgk/\ncontent/index.md\n", "utf-8")
        for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "init"],
                    ["git", "remote", "add", "origin", str(bare)]):
            subprocess.run(cmd, cwd=clone, env=ENV, check=True)
        subprocess.run([str(ROOT / "deploy" / "install-git-hooks.sh"), str(bare), str(webroot)],
                       check=True, capture_output=True)

        def push(label: str, expect_ok: bool):
            seconds, result = run(clone, "git", "push", "origin", "main")
            ok = result.returncode == 0
            if ok != expect_ok:
                print(result.stdout + result.stderr, file=sys.stderr)
                raise SystemExit(f"{label}: unexpected result {result.returncode}")
            rows.append((label, seconds, "上线" if ok else "拒绝"))

        push("first push (cold: venv + build)", True)
        edit(clone, r"^title: ", "title: 【修改】", "标题修改")
        push("data change (warm venv: build)", True)
        edit(clone, r"^published: .*$", "published: '2026-13-45'", "错误日期")
        push("invalid data (refused)", False)
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=clone, check=True)
        seconds, result = run(base, str(ROOT / "deploy" / "rollback.sh"), str(webroot))
        rows.append(("rollback", seconds, "ok" if result.returncode == 0 else "failed"))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"{'step':<36} {'seconds':>8}  result")
    for label, seconds, result in rows:
        print(f"{label:<36} {seconds:>8.1f}  {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
