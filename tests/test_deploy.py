"""Publish on push, end to end with the real parts: a bare git repository with the hooks
installed by deploy/install-git-hooks.sh, real `git push`es, a real nginx serving
deploy/nginx.conf on 127.0.0.1, Chromium for the Content-Security-Policy.

The module shares one server (repository, WEBROOT, nginx); the tests run in file
order and each leaves the branch tip live: initial publish → valid push → invalid
push → concurrent pushes → killed build → rollback → HTTP checks.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from browser_support import Browsing, chromium  # noqa: F401
from conftest import ROOT, copy_project, run_cli
from test_build_cache import assert_same_tree
from nginx_support import running_nginx
from generator.urls import urls

DEPLOY = ROOT / "deploy"
HOST_ROOT = "gk.example.gov.cn"
HOST_SUBPATH = "www.example.gov.cn"
SUBPATH = "/zwgk/"  # literal: the portal's sub-path in deploy/nginx.conf (B), not an address from urls
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.gov.cn",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.gov.cn",
           "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C.UTF-8"}
RECORD = "site_data/dibao_stats/2025-Q4-640104.yaml"
RECORD_URL = "/" + urls.url(urls.record("relief", "dibao_stats", "11640104MB0000001X/2025-00100"))  # RECORD's


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True,
                            timeout=300)
    if check:
        assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def push_process(clone: Path) -> subprocess.Popen:
    return subprocess.Popen(["git", "push", "origin", "main"], cwd=clone, env=GIT_ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def edit_title(clone: Path, marker: str) -> str:
    """Commit a title change to the sample record; returns the new commit."""
    path = clone / RECORD
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^title: ", f"title: {marker}", text, count=1), "utf-8")
    git(clone, "commit", "-qam", f"标题：{marker}")
    return git(clone, "rev-parse", "HEAD").stdout.strip()


class Server:
    def __init__(self, base: Path):
        self.base = base
        self.bare = base / "site.git"
        self.webroot = base / "www"
        self.clone = base / "editor"
        self.port = 0

    def get(self, path: str, host: str = HOST_ROOT, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": host, **(headers or {})})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def page(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def live(self) -> str:
        return os.readlink(self.webroot / "current").rsplit("/", 1)[-1]

    def tip(self) -> str:
        return git(self.bare, "rev-parse", "refs/heads/main").stdout.strip()

    def log(self) -> str:
        return (self.webroot / ".deploy" / "log").read_text("utf-8")


# The tests that publish through the shared server: real nginx, and real builds on push.
def on_server(test):
    return pytest.mark.nginx(pytest.mark.build(test))


@pytest.fixture(scope="module")
def server(tmp_path_factory, nginx):
    s = Server(tmp_path_factory.mktemp("deploy"))
    # An editor's clone of the project, and the server's bare repository with the hooks.
    copy_project(s.clone)
    shutil.copy2(ROOT / "requirements.txt", s.clone / "requirements.txt")
    # Literal: the project's own .gitignore lines (generated content is not committed).
    (s.clone / ".gitignore").write_text("site/\ncontent/zwgk/\ncontent/index.md\n", "utf-8")
    git(s.clone, "init", "-q", "-b", "main")
    git(s.clone, "add", "-A")
    git(s.clone, "commit", "-qm", "示例数据")
    install = subprocess.run([str(DEPLOY / "install-git-hooks.sh"), str(s.bare), str(s.webroot), "2"],
                             capture_output=True, text=True, timeout=60)
    assert install.returncode == 0, install.stdout + install.stderr
    s.install_output = install.stdout
    # The hook's venv cache, filled with the project's own venv: the cache key is the
    # hook's (Python version + requirements.txt hash), so this is the path a second
    # push on a server takes. A cold cache (pip install) is measured by
    # benchmarks/deploy_push.py.
    key = "py%d.%d-%s" % (*sys.version_info[:2],
                          hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()[:16])
    venvs = s.webroot / ".deploy" / "venv"
    venvs.mkdir(parents=True, exist_ok=True)
    (venvs / key).symlink_to(Path(sys.executable).parent.parent)
    (venvs / f"{key}.ready").touch()
    git(s.clone, "remote", "add", "origin", str(s.bare))
    start = time.monotonic()
    s.first_push = git(s.clone, "push", "-q", "origin", "main")
    s.first_push_seconds = time.monotonic() - start
    s.first = s.tip()

    prefix = s.base / "nginx"
    with running_nginx(s.webroot, prefix) as s.port:
        s.nginx_test = subprocess.run([str(nginx), "-t", "-p", str(prefix), "-e", str(prefix / "error.log"),
                                       "-c", str(prefix / "nginx.conf")], capture_output=True, text=True, timeout=30)
        yield s


# --- installing and publishing ---------------------------------------------------------

@on_server
def test_install_sets_up_hooks_and_nginx_accepts_the_config(server):
    hooks = server.bare / "hooks"
    for name in ("pre-receive", "post-receive", "gk-deploy.sh", "rollback.sh"):
        assert os.access(hooks / name, os.X_OK), name
    conf = (hooks / "gk-deploy.conf").read_text("utf-8")
    assert f"GK_WEBROOT={server.webroot}" in conf and "GK_KEEP=2" in conf and "GK_PYTHON=" in conf
    script = str(DEPLOY / "install-git-hooks.sh")
    not_bare = subprocess.run([script, str(server.clone), str(server.base / "w2")], capture_output=True, text=True)
    assert not_bare.returncode == 1 and "不是 git 裸仓库" in not_bare.stderr
    bad_keep = subprocess.run([script, str(server.bare), str(server.webroot), "五"], capture_output=True, text=True)
    assert bad_keep.returncode == 2 and "应为整数" in bad_keep.stderr
    assert server.nginx_test.returncode == 0, server.nginx_test.stderr
    assert "test is successful" in server.nginx_test.stderr


@on_server
def test_first_push_publishes_the_site(server):
    assert server.live() == server.first
    assert (server.webroot / "current").is_symlink()
    home = server.page("/")
    assert "宁夏回族自治区政务公开专栏" in home
    assert "兴庆区2025年第4季度城乡低保和特困人员统计" in server.page(RECORD_URL)
    print(f"\nfirst push → live: {server.first_push_seconds:.1f} s")


@on_server
def test_valid_push_is_live_on_nginx(server):
    def heading(text: str) -> str:
        m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        return m.group(1) if m else ""
    old_title = "兴庆区2025年第4季度城乡低保和特困人员统计"
    assert heading(server.page(RECORD_URL)) == old_title
    commit = edit_title(server.clone, "【更新】")
    # A visitor reading during the push gets the old page or the new one, never an error.
    seen: list[tuple[int, str]] = []
    done = threading.Event()

    def read():
        while not done.is_set():
            status, _, body = server.get(RECORD_URL)
            h = heading(body.decode("utf-8", "replace"))
            seen.append((status, "new" if h == "【更新】" + old_title else "old" if h == old_title else h))
            time.sleep(0.02)
    reader = threading.Thread(target=read)
    reader.start()
    start = time.monotonic()
    try:
        result = git(server.clone, "push", "origin", "main")
        seconds = time.monotonic() - start
        time.sleep(0.2)
    finally:
        done.set()
        reader.join()
    assert len(seen) > 10 and (200, "new") in seen, set(seen)
    assert all(s == (200, "old") for s in seen[:seen.index((200, "new"))]), set(seen)
    assert set(seen[seen.index((200, "new")):]) == {(200, "new")}
    out = result.stdout + result.stderr
    assert "remote: 网站已上线" in out, out
    assert server.live() == commit == server.tip()
    assert "【更新】兴庆区2025年第4季度" in server.page(RECORD_URL)
    # The hook builds with its cache (tests/test_build_cache.py: what it reuses is what a cold build makes).
    m = re.search(r"(\d+) 个没有变化的页面", out)
    assert m and int(m.group(1)) > 400, out
    # One process checks and builds (`build --report`): check's report once, and no separate check run.
    assert out.count("remote: 政务公开自查报告") == 1 and "remote: 校验和自查通过，正在构建网站" in out, out
    assert "JSON 报告已写入" not in out, out
    # The hook built in its kept working tree, and no lock outlives the push.
    state = server.webroot / ".deploy"
    # The cache's last writes were left to a process of its own (build --cache-in-background),
    # which holds the cache's lock until they are done.
    assert "--cache-in-background" in server.log().split("build options")[-1].splitlines()[0]
    assert subprocess.run(["flock", "-w", "60", str(state / "cache" / ".lock"), "true"]).returncode == 0
    assert (state / "cache" / "manifest.json").is_file()
    assert subprocess.run(["flock", "-n", str(state / "build.lock"), "true"]).returncode == 0
    assert git(state / "work", "rev-parse", "HEAD").stdout.strip() == commit
    print(f"\npush → live: {seconds:.1f} s")


@on_server
def test_invalid_push_is_refused_with_chinese_positions(server):
    before = server.page(RECORD_URL)
    live, tip = server.live(), server.tip()
    path = server.clone / RECORD
    text = path.read_text("utf-8")
    path.write_text(text.replace("\npublished: '2026-01-12'", "\npublished: '2026-13-45'")
                        .replace("\nregion:\n", "\nregion_typo: 1\nregion:\n"), "utf-8")
    git(server.clone, "commit", "-qam", "有错的数据")
    result = git(server.clone, "push", "origin", "main", check=False)
    out = result.stdout + result.stderr
    try:
        assert result.returncode != 0
        assert "[remote rejected] main -> main (pre-receive hook declined)" in out
        # Every problem at once, each as file:line:column: 中文, as the editor's git client prints it.
        lines = re.findall(rf"^remote: ({re.escape(RECORD)}):(\d+):(\d+): (.+?)\s*$", out, re.M)
        assert len(lines) >= 2, out
        assert any("发布日期" in msg and "2026-13-45" in msg for *_, msg in lines), out
        assert any("region_typo" in msg for *_, msg in lines), out
        assert all(re.search(r"[\u4e00-\u9fff]", msg) for *_, msg in lines)
        assert "Traceback" not in out
        assert "remote: 推送已被拒绝" in out
        assert server.live() == live and server.tip() == tip
        assert server.page(RECORD_URL) == before
    finally:
        git(server.clone, "reset", "-q", "--hard", "HEAD~1")


@on_server
def test_the_kept_work_tree_builds_what_a_clean_clone_builds(server, tmp_path):
    # Runs after a refused push: the work tree's HEAD is a commit git has since thrown away.
    # Leftovers that would change the site if the hook built on them: a changed template, an
    # extra page, a stale generated page, a killed git's index lock.
    work = server.webroot / ".deploy" / "work"
    template = work / "templates" / "kinds" / "dibao_stats.md.j2"
    template.write_text(template.read_text("utf-8") + "\n残留模板\n", "utf-8")
    (work / "content" / "残留页面.md").write_text("# 残留页面\n", "utf-8")
    (work / "content" / "zwgk" / "残留生成页.md").write_text("# 残留生成页\n", "utf-8")
    (work / ".git" / "index.lock").write_text("", "utf-8")
    commit = edit_title(server.clone, "【工作树】")
    day = dt.date.today().isoformat()  # the hook builds as of the day it runs
    result = git(server.clone, "push", "origin", "main", check=False)
    assert result.returncode == 0 and server.live() == commit, result.stdout + result.stderr
    release = server.webroot / "releases" / commit

    clean = tmp_path / "clean"
    git(tmp_path, "clone", "-q", str(server.bare), str(clean))
    cold = run_cli(clean, "build", "--site-dir", str(tmp_path / "cold"), "--as-of", day)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert_same_tree(tmp_path / "cold", release)
    assert not any("残留" in p.name for p in release.rglob("*"))
    assert "残留" not in server.page(RECORD_URL)


@on_server
def test_a_damaged_work_tree_is_made_again(server):
    work = server.webroot / ".deploy" / "work"
    kept = work.stat().st_ino
    (work / ".git" / "index").write_bytes(b"not an index")
    (work / "残留页面.md").write_text("# 残留\n", "utf-8")
    commit = edit_title(server.clone, "【新工作树】")
    result = git(server.clone, "push", "origin", "main", check=False)
    assert result.returncode == 0 and server.live() == commit, result.stdout + result.stderr
    assert "【新工作树】" in server.page(RECORD_URL)
    assert git(work, "rev-parse", "HEAD").stdout.strip() == commit
    assert not (work / "残留页面.md").exists()
    assert work.stat().st_ino != kept  # git failed on the damaged tree: a new one was made


@on_server
def test_other_branches_are_validated_not_published(server):
    live = server.live()
    def releases_now():
        return sorted(p.name for p in (server.webroot / "releases").iterdir() if not p.name.startswith("."))
    releases = releases_now()
    path = server.clone / RECORD
    text = path.read_text("utf-8")
    path.write_text(text.replace("\npublished: '2026-01-12'", "\npublished: '2026-13-45'"), "utf-8")
    git(server.clone, "commit", "-qam", "草稿：有错")
    try:
        bad = git(server.clone, "push", "origin", "HEAD:refs/heads/draft", check=False)
        assert bad.returncode != 0 and f"remote: {RECORD}:" in bad.stderr, bad.stderr
    finally:
        git(server.clone, "reset", "-q", "--hard", "HEAD~1")
    edit_title(server.clone, "【草稿】")
    try:
        good = git(server.clone, "push", "origin", "HEAD:refs/heads/draft")
        assert "校验通过" in good.stderr and "正在构建" not in good.stderr
        assert server.live() == live and releases_now() == releases
        # A project with a compliance check (`python -m generator check`): the hook runs it too.
        # (a check that always fails: the command redefined at the end of its module)
        commands = server.clone / "generator" / "cli" / "check_commands.py"
        commands.write_text(commands.read_text("utf-8") + "\n\n"
                            "@command('check', '合规检查（测试）')\n"
                            "def cmd_check(ns):\n"
                            "    print('site_data/site.yaml:1:1: 合规检查（测试）：缺少必须公开的事项。', file=sys.stderr)\n"
                            "    return 1\n", "utf-8")
        git(server.clone, "add", "generator/cli/check_commands.py")
        git(server.clone, "commit", "-qm", "合规检查")
        checked = git(server.clone, "push", "origin", "HEAD:refs/heads/draft", check=False)
        assert checked.returncode != 0
        assert "remote: site_data/site.yaml:1:1: 合规检查（测试）：缺少必须公开的事项。" in checked.stderr
        git(server.clone, "reset", "-q", "--hard", "HEAD~1")
        refused = git(server.clone, "push", "origin", ":refs/heads/main", check=False)
        assert refused.returncode != 0 and "不能删除发布分支 main" in refused.stderr
        assert git(server.clone, "push", "origin", ":refs/heads/draft").returncode == 0
    finally:
        git(server.clone, "reset", "-q", "--hard", "HEAD~1")


@on_server
def test_generator_crash_refuses_the_push_and_keeps_the_traceback_on_the_server(server):
    live = server.live()
    broken = server.clone / "generator" / "model" / "validate.py"  # every command that reads the data imports it
    broken.write_text(broken.read_text("utf-8") + "\nraise RuntimeError('故意的错误')\n", "utf-8")
    git(server.clone, "add", "generator/model/validate.py")
    git(server.clone, "commit", "-qm", "坏的模块")
    try:
        result = git(server.clone, "push", "origin", "main", check=False)
        assert result.returncode != 0
        assert "remote: 推送已被拒绝：生成器内部错误" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert "RuntimeError: 故意的错误" in (server.webroot / ".deploy" / "error.log").read_text("utf-8")
        assert server.live() == live
    finally:
        git(server.clone, "reset", "-q", "--hard", "HEAD~1")


def _second_clone(server: Server, name: str) -> Path:
    clone = server.base / name
    git(server.base, "clone", "-q", str(server.bare), str(clone))
    return clone


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@on_server
def test_concurrent_pushes_are_serialised(server):
    other = _second_clone(server, "editor2")
    a = edit_title(server.clone, "【甲】")
    b = edit_title(other, "【乙】")
    first = push_process(server.clone)
    _wait_for(lambda: f"build start {a}" in server.log(), 120, "the first push's build")
    second = push_process(other)
    out_a, _ = first.communicate(timeout=300)
    out_b, _ = second.communicate(timeout=300)
    # The second waited for the first, then was refused: the branch had moved under it.
    assert first.returncode == 0, out_a
    assert "remote: 另一次推送正在发布，排队等待" in out_b, out_b
    assert second.returncode != 0, out_b
    assert "git pull" in out_b or "failed to update ref" in out_b or "cannot lock ref" in out_b, out_b
    # Builds never overlapped.
    spans, open_ = [], {}
    for line in server.log().splitlines():
        stamp, *words = line.split()
        if words[:2] == ["build", "start"]:
            open_[words[2]] = float(stamp)
        elif words[:2] == ["build", "end"]:
            spans.append((open_.pop(words[2]), float(stamp)))
    assert not open_
    spans.sort()
    assert all(end <= nxt for (_, end), (nxt, _) in zip(spans, spans[1:])), spans
    # The site is one complete release: the branch tip.
    assert server.tip() == a == server.live()
    release = server.webroot / "releases" / a
    assert (release / "index.html").is_file() and (release / "pagefind" / "pagefind.js").is_file()
    assert "【甲】" in server.page(RECORD_URL)
    # KEEP=2 given to the installer: the first release is gone, the previous one stays.
    # (The refused push's release exists only if it was built before the branch moved.)
    releases = {p.name for p in (server.webroot / "releases").iterdir() if not p.name.startswith(".")}
    assert server.first not in releases and len(releases - {b}) == 2


def _build_pids(release: Path) -> list[int]:
    """The generator processes (the build and its forked workers) building into release."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"generator" in cmdline and str(release).encode() in cmdline:
            pids.append(int(proc.name))
    return pids


@on_server
def test_killed_build_leaves_the_live_site(server):
    before = server.page(RECORD_URL)
    live = server.live()
    commit = edit_title(server.clone, "【中断】")
    release = server.webroot / "releases" / commit
    push = push_process(server.clone)
    try:
        # Kill the build once MkDocs has started writing the new tree.
        _wait_for(lambda: any(p.is_dir() and any(p.iterdir())
                              for p in release.parent.glob(f".{commit}-new-*")), 120, "the build's files")
        pids = _build_pids(release)
        assert pids
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        out, _ = push.communicate(timeout=120)
        assert push.returncode != 0, out
        assert "remote: 推送已被拒绝：网站构建没有完成" in out, out
        assert server.live() == live == server.tip()
        assert not release.exists()
        assert server.page(RECORD_URL) == before
        # The lock went with the killed hook: the next push is not blocked.
        lock = server.webroot / ".deploy" / "build.lock"
        assert subprocess.run(["flock", "-n", str(lock), "true"]).returncode == 0
    finally:
        if push.poll() is None:
            push.kill()
        git(server.clone, "reset", "-q", "--hard", "HEAD~1")


@on_server
def test_rollback_to_previous_and_to_a_named_commit(server):
    live = server.live()
    result = subprocess.run([str(DEPLOY / "rollback.sh"), str(server.webroot)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "已回退" in result.stderr
    previous = server.live()
    assert previous != live
    history = [line.split()[1] for line in (server.webroot / ".deploy" / "history").read_text().splitlines()]
    assert previous == history[history.index(live) - 1]
    assert "【甲】" not in server.page(RECORD_URL)
    # Forward again by a commit prefix.
    result = subprocess.run([str(DEPLOY / "rollback.sh"), str(server.webroot), live[:10]],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert server.live() == live
    assert "【甲】" in server.page(RECORD_URL)
    bad = subprocess.run([str(DEPLOY / "rollback.sh"), str(server.webroot), "0000000"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "没有唯一的构建结果" in bad.stderr
    assert server.live() == live


# --- serving ---------------------------------------------------------------------------

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def _check_security_headers(headers: dict):
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    csp = headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp


@on_server
def test_headers_caching_and_gzip(server):
    status, headers, body = server.get("/")
    assert status == 200
    _check_security_headers(headers)
    assert headers["cache-control"] == "no-cache"
    assert "server" not in headers or "/" not in headers["server"]  # no version
    site = server.webroot / "current"
    css = next(site.glob("assets/stylesheets/main.*.min.css")).relative_to(site).as_posix()
    fragment = next(site.glob("pagefind/fragment/*")).relative_to(site).as_posix()
    for fingerprinted in (css, fragment):
        status, headers, _ = server.get("/" + fingerprinted)
        assert status == 200 and "max-age=31536000" in headers["cache-control"], fingerprinted
    status, headers, _ = server.get("/assets/gk.css")
    assert status == 200 and headers["cache-control"] == "no-cache"
    status, headers, zipped = server.get("/" + css, headers={"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip"
    assert len(zipped) < (site / css).stat().st_size / 2
    column = "/" + urls.url(urls.column("relief"))
    status, headers, _ = server.get(column.rstrip("/"))
    assert status == 301 and headers["location"] == column


@on_server
def test_404_dotfiles_listing_and_other_releases_are_not_served(server):
    status, headers, body = server.get("/no-such-page/")
    assert status == 404
    assert "没有找到您要访问的页面" in body.decode("utf-8")
    _check_security_headers(headers)
    # A dotfile inside the live release, the hook's state beside it, other releases.
    (server.webroot / "current" / ".secret").write_text("x")
    other = next(p.name for p in (server.webroot / "releases").iterdir()
                 if not p.name.startswith(".") and p.name != server.live())
    for path in ("/.secret", "/.deploy/log", "/.git/config", f"/releases/{other}/index.html",
                 f"/../releases/{other}/index.html", "/current/index.html"):
        status, _, body = server.get(path)
        assert status in (400, 404), (path, status)
        assert b"x" != body
    status, _, body = server.get("/assets/")  # a directory without index.html
    assert status in (403, 404) and b"Index of" not in body


@on_server
def test_site_under_a_sub_path(server):
    status, headers, body = server.get(SUBPATH, host=HOST_SUBPATH)
    assert status == 200 and "宁夏回族自治区政务公开专栏" in body.decode("utf-8")
    _check_security_headers(headers)
    assert server.get(SUBPATH + urls.url(urls.column("relief")), host=HOST_SUBPATH)[0] == 200
    status, headers, body = server.get(SUBPATH.rstrip("/"), host=HOST_SUBPATH)
    assert status == 301 and headers["location"] == SUBPATH
    # The 404 page is served at any depth: its own links get the prefix and all resolve.
    status, headers, body = server.get(SUBPATH + "no/such/page/", host=HOST_SUBPATH)
    assert status == 404
    text = body.decode("utf-8")
    assert "没有找到您要访问的页面" in text
    links = set(re.findall(r'(?:href|src)="(/[^"]*)"', text))
    assert links and all(link.startswith(SUBPATH) for link in links), links
    for link in links:
        if link.endswith((".css", ".js", ".png")):
            assert server.get(link, host=HOST_SUBPATH)[0] == 200, link
    other = next(p.name for p in (server.webroot / "releases").iterdir()
                 if not p.name.startswith(".") and p.name != server.live())
    (server.webroot / "current" / ".secret").write_text("x")
    # Literal on purpose: traversal attempts against nginx's /zwgk/ alias, spelled as an attacker would.
    for path in (f"/zwgk../releases/{other}/index.html", "/zwgk/.secret", "/zwgk/../.deploy/log"):
        assert server.get(path, host=HOST_SUBPATH)[0] in (400, 404), path


CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
    e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


@on_server
@pytest.mark.browser
def test_csp_keeps_theme_search_and_text_size_working(server, chromium):  # noqa: F811
    browsing = Browsing(chromium)
    try:
        page = browsing.page
        page.add_init_script(CSP_WATCH)
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        base = f"http://127.0.0.1:{server.port}/"

        def visit(path: str):
            resp = page.goto(base + path)
            assert resp.status == 200 and "wasm-unsafe-eval" in resp.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
            # Material's bundle ran (it swaps no-js for js) and its storage helpers exist.
            assert page.evaluate("document.documentElement.classList.contains('js')"), path
            assert page.evaluate("typeof __md_get === 'function' && __md_scope instanceof URL"), path
            return page.evaluate("window.__csp")

        assert visit("") == []
        page.click("[data-gk-size=xl]")
        assert page.evaluate("document.documentElement.classList.contains('gk-size-xl')")
        assert visit(RECORD_URL.lstrip("/")) == []
        assert page.evaluate("document.documentElement.classList.contains('gk-size-xl')")  # kept
        assert visit("search/?q=低保标准") == []
        page.wait_for_selector(".pagefind-ui__result-link", timeout=20000)  # WebAssembly ran
        assert page.evaluate("window.__csp") == []
        assert console == []
        # The watch itself works: an injected inline script is blocked and reported.
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.__injected = 1'; document.head.appendChild(s); }""")
        page.wait_for_function("window.__csp.length > 0")
        assert page.evaluate("window.__injected") is None
        assert page.evaluate("window.__csp")[0].startswith("script-src")
    finally:
        browsing.close()
    assert not browsing.outside, browsing.outside


# --- hosted CI -------------------------------------------------------------------------

@on_server
def test_a_generator_without_build_report_is_checked_then_built(server):
    """The last test on the server: a changed generator makes the hook's build cold, and
    putting the generator back would be one more cold build."""
    # A pushed project whose generator predates `build --report`: `check`, then `build`.
    commands = server.clone / "generator" / "cli" / "build_commands.py"
    current = commands.read_text("utf-8")
    flag = re.search(r'@arg\("--report".*?\)\n(?=@command\("build")', current, re.S)
    assert flag and "ns.report" in current
    commands.write_text(current.replace(flag.group(0), "").replace("ns.report", "False"), "utf-8")
    git(server.clone, "commit", "-qam", "没有 build --report 的生成器")
    commit = edit_title(server.clone, "【旧版】")
    out = git(server.clone, "push", "origin", "main").stderr
    assert "remote: 校验通过，正在构建网站" in out and "JSON 报告已写入" in out, out
    assert "校验和自查通过" not in out, out
    assert server.live() == commit and "【旧版】" in server.page(RECORD_URL)


def _load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text("utf-8"))


def _runs(steps) -> list[str]:
    return [line.strip() for s in steps if isinstance(s, dict) and "run" in s for line in s["run"].splitlines()]


def test_github_workflow_builds_with_make_and_publishes_main():
    wf = _load(".github/workflows/site.yml")
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
    assert "push" in on and "pull_request" in on
    build = wf["jobs"]["build"]
    steps = build["steps"]
    runs = _runs(steps)
    assert runs[:3] == ["make validate", "make check", "make site"], runs
    assert not any("python" in r or "pip" in r for r in runs)  # only the targets a person uses
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".venv"
    assert "hashFiles('requirements.txt')" in cache["with"]["key"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert "refs/heads/main" in upload["if"] and "push" in upload["if"]
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    assert deploy["permissions"]["pages"] == "write"


def test_gitlab_ci_builds_with_make_and_publishes_pages_on_main():
    ci = _load(".gitlab-ci.yml")
    assert ci["variables"]["GIT_DEPTH"] == 0
    rules = " ".join(r.get("if", "") for r in ci["workflow"]["rules"])
    assert "merge_request_event" in rules and "CI_COMMIT_BRANCH" in rules
    site = ci["site"]
    assert site["script"][:3] == ["make validate", "make check", "make site"]
    cache = ci["default"]["cache"]
    assert cache["key"]["files"] == ["requirements.txt"] and cache["paths"] == [".venv/"]
    pages = ci["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["needs"] == ["site"]
    assert [r["if"] for r in pages["rules"]] == ['$CI_COMMIT_BRANCH == "main"']
    assert not any("python" in line or "pip" in line for job in (site, pages) for line in job["script"])
