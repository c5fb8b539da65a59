"""What a `git push` to the intranet server costs, from a fresh server on.

    python benchmarks/deploy_push.py [--pages N] [--reuse-venv] [--keep DIR]

Installs the hooks (deploy/install-git-hooks.sh) into a new bare repository with
an empty WEBROOT, as on a fresh server, serves WEBROOT with nginx as deploy/nginx.conf
ships it (when /usr/sbin/nginx exists), and times, from the client's side:
  1. the first push: the hook creates its virtualenv (pip install -r requirements.txt,
     from the package index or GK_PIP_ARGS; `--reuse-venv` gives it this Python's
     environment instead, as the tests do) and builds and publishes the site;
  2. a push of one record's corrected title: the hook builds with its cache
     (generator build --cache), switches, and nginx serves the new page;
  3. a push of one corrected figure in that record (its page, the other pages of its series,
     which chart and table it, and the listings and datasets that show it);
  4. a push of one changed kind template (every page of that kind);
  5. a push with invalid data: refused after validation;
  6. a rollback.
"push → served" is from the start of `git push` to nginx answering with the changed page.
Each push starts once the previous push's background work is done (the build cache's last
writes, `build --cache-in-background`; deleting pruned releases), as when editors' pushes are
not seconds apart: a push that follows at once waits for that work first.
`--pages N` pushes a benchmarks/corpus.py corpus of N pages instead of the bundled sample.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from conftest import copy_project  # noqa: E402
from nginx_support import NGINX, running_nginx  # noqa: E402

ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.gov.cn",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.gov.cn",
       "GIT_CONFIG_GLOBAL": os.devnull}
TEMPLATE = "templates/kinds/dibao_stats.md.j2"


def run(cwd: Path, *cmd: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.monotonic()
    result = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=3600)
    return time.monotonic() - start, result


def edit(clone: Path, rel: str, old: str, new: str, message: str) -> None:
    path = clone / rel
    path.write_text(re.sub(old, new, path.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    subprocess.run(["git", "commit", "-qam", message], cwd=clone, env=ENV, check=True)


def page_of(site: Path, title: str) -> str:
    """The address of the page whose heading is `title`, in a built site."""
    for page in sorted(site.glob("zwgk/**/index.html")):
        if f">{title}</h1>" in page.read_text("utf-8"):
            return "/" + page.parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"no page titled {title}")


def get(port: int | None, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    return conn.getresponse().read().decode("utf-8", "replace")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, help="push a corpus of this many pages (benchmarks/corpus.py)")
    ap.add_argument("--reuse-venv", action="store_true", help="the hook uses this Python's environment")
    ap.add_argument("--keep", help="leave the repository and WEBROOT in this directory")
    args = ap.parse_args()
    base = Path(args.keep or tempfile.mkdtemp(prefix="gk-deploy-bench-"))
    clone, bare, webroot = base / "editor", base / "site.git", base / "www"
    rows = []
    try:
        if args.pages:
            import corpus
            corpus.build_corpus(args.pages, clone)
        else:
            copy_project(clone)
        shutil.copy2(ROOT / "requirements.txt", clone / "requirements.txt")
        record = sorted((clone / "site_data" / "dibao_stats").glob("*.yaml"))[0].relative_to(clone).as_posix()
        title = re.search(r"(?m)^title: (.*)$", (clone / record).read_text("utf-8")).group(1).strip("'\"")
        (clone / ".gitignore").write_text("site/\ncontent/zwgk/\ncontent/index.md\n", "utf-8")
        for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "init"],
                    ["git", "remote", "add", "origin", str(bare)]):
            subprocess.run(cmd, cwd=clone, env=ENV, check=True)
        subprocess.run([str(ROOT / "deploy" / "install-git-hooks.sh"), str(bare), str(webroot)],
                       check=True, capture_output=True)
        if args.reuse_venv:
            key = "py%d.%d-%s" % (*sys.version_info[:2],
                                  hashlib.sha256((clone / "requirements.txt").read_bytes()).hexdigest()[:16])
            venvs = webroot / ".deploy" / "venv"
            venvs.mkdir(parents=True, exist_ok=True)
            (venvs / key).symlink_to(Path(sys.executable).parent.parent)
            (venvs / f"{key}.ready").touch()
        served = running_nginx(webroot, base / "nginx") if NGINX.exists() else nullcontext(None)
        with served as port:
            url = None

            def push(label: str, expect_ok: bool, shows: str | None = None):
                settle(webroot)
                start = time.monotonic()
                _, result = run(clone, "git", "push", "origin", "main")
                seconds = time.monotonic() - start
                ok = result.returncode == 0
                if ok != expect_ok:
                    print(result.stdout + result.stderr, file=sys.stderr)
                    raise SystemExit(f"{label}: unexpected result {result.returncode}")
                live = None
                if shows and port is not None:
                    if shows not in get(port, url):
                        raise SystemExit(f"{label}: nginx does not serve the change at {url}")
                    live = time.monotonic() - start
                reused = re.search(r"复用了 (\d+) 个没有变化的记录文件的校验结果、(\d+) 个没有变化的页面、(\d+) 个搜索索引分片", result.stderr)
                rows.append((label, seconds, live, "上线" if ok else "拒绝",
                             f"{reused.group(1)} 记录, {reused.group(2)} 页, {reused.group(3)} 分片" if reused else ""))

            push("first push (cold: venv + build)", True)
            url = page_of(webroot / "current", title)
            edit(clone, record, r"^title: ", "title: 【修改】", "标题修改")
            push("one record changed (cached build)", True, shows="【修改】")
            # The case the issue starts from: an editor's one corrected figure.
            figure = str(int(re.search(r"(?m)^  recipients: (\d+)$", (clone / record).read_text("utf-8")).group(1)) + 1)
            edit(clone, record, r"^  recipients: \d+$", f"  recipients: {figure}", "数字更正")
            push("one figure corrected (cached build)", True, shows=f'<td class="gk-num">{figure}</td>')
            edit(clone, TEMPLATE, "主要数据", "主要统计数据", "模板修改")
            push("one template changed (cached build)", True, shows="主要统计数据")
            edit(clone, record, r"^published: .*$", "published: '2026-13-45'", "错误日期")
            push("invalid data (refused)", False)
            subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=clone, check=True)
            seconds, result = run(base, str(ROOT / "deploy" / "rollback.sh"), str(webroot))
            rows.append(("rollback", seconds, None, "ok" if result.returncode == 0 else "failed", ""))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    pages = f"{args.pages} pages" if args.pages else "the sample"
    print(f"{'step (' + pages + ')':<40} {'push s':>8} {'→ served s':>11}  result  reused")
    for label, seconds, live, result, reused in rows:
        shown = f"{live:.1f}" if live is not None else "—"
        print(f"{label:<40} {seconds:>8.1f} {shown:>11}  {result}  {reused}")
    return 0


def settle(webroot: Path, seconds: float = 120) -> None:
    """Wait until no process holds the hook's build cache and its trash is empty."""
    import fcntl

    deadline = time.monotonic() + seconds
    lock = webroot / ".deploy" / "cache" / ".lock"
    trash = webroot / ".deploy" / "trash"
    while time.monotonic() < deadline:
        busy = trash.is_dir() and any(trash.iterdir())
        if lock.exists():
            with open(lock, "a+b") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    busy = True
        if not busy:
            return
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
