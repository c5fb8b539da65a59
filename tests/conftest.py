"""Shared fixtures: tests run the real generator on throw-away copies of the project.

Markers (pytest.ini) say what a test needs beyond Python, so `make test-quick` can leave it
out and a machine without the program stops before the first test instead of erroring:
- browser: Chromium. Checked here: a test whose fixtures include `chromium` must carry it.
- nginx: the nginx binary (fixture `nginx`). Checked the same way.
- build: a full site build (MkDocs, Pagefind). Added here to every test that uses
  `built_site`; run_cli fails a test without it that completes a `build` (in its body or
  in a fixture it is the first to use).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["mkdocs.yml", "schemas", "templates", "site_data", "content", "overrides", "generator"]
# The programs the tests drive, where Debian installs them (tools/provision.sh installs them).
CHROMIUM = Path("/usr/bin/chromium")  # benchmarks/search_transfer.py launches this one
NGINX = Path("/usr/sbin/nginx")
# Fixtures that build a whole site (here or in a test module): their tests are `build` tests.
BUILD_FIXTURES = {"sample_build", "built_site", "made_site", "extended_site", "hostile_site"}


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources (not its build output) to change freely."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "zwgk", "index.md")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore if name == "content" else
                            shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def small_project(dest: Path) -> Path:
    """The sample with its statistics cut to the latest year: 260 pages instead of 500, for the
    tests that build a whole site but not this one in particular (the suite's time is mostly
    builds). Its site_data/published.tsv still lists the records cut: remove or rewrite it."""
    root = copy_project(dest)
    shutil.copy2(ROOT / "requirements.txt", root / "requirements.txt")
    for kind, keep in (("dibao_stats", "2026-Q3-"), ("medical_aid_stats", "2026-Q3-"),
                       ("temp_aid_stats", "2026-Q3-"), ("rural_housing_result", "2025-")):
        for path in (root / "site_data" / kind).glob("*.yaml"):
            if not path.name.startswith(keep):
                path.unlink()
    return root


# The day the test run started. A build judges the self-check as of today unless told
# (`--as-of`), and the 自查报告 page says so; tests compare builds made minutes apart (with the
# session's shared build), which differed when the run went past midnight.
SESSION_DAY = dt.date.today().isoformat()


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `python -m generator` as an editor would, from the project directory (a `build`
    without `--as-of` as of SESSION_DAY)."""
    if args and args[0] == "build" and not any(a.startswith("--as-of") for a in args):
        args = (*args, "--as-of", SESSION_DAY)
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=root,
                            capture_output=True, text=True, timeout=timeout)
    node = _running.get("test")
    if args and args[0] in ("build", "serve") and result.returncode == 0 and node is not None:
        assert node.get_closest_marker("build"), \
            f"{node.nodeid} builds a whole site: mark it @pytest.mark.build (or use built_site)"
    return result


def run_cli_in_process(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`run_cli` through the same entry point (generator.cli.main) in this process, from the
    project directory, output captured: for the many runs of one command a file repeats,
    saving a Python start and the imports each time. Every test file that uses it keeps at
    least one real run_cli of the command, for the exit code and output of a real process."""
    from generator.cli.main import main

    assert args and args[0] not in ("build", "serve"), "build and serve run as real processes"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess([sys.executable, "-m", "generator", *args], code,
                                       out.getvalue(), err.getvalue())


# The test being run, from the set-up of its fixtures (a module's or the session's shared
# site is built for the first test that asks for it) to its teardown.
_running: dict = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running["test"] = item
    yield
    _running.pop("test", None)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Before `-m` selects: build tests get their marker, and a test that needs Chromium or
    nginx without saying so is a collection error rather than an error on a machine without them."""
    unmarked = []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BUILD_FIXTURES and not item.get_closest_marker("build"):
            item.add_marker(pytest.mark.build)
        for fixture, marker in (("chromium", "browser"), ("nginx", "nginx")):
            if fixture in names and not item.get_closest_marker(marker):
                unmarked.append(f"{item.nodeid} uses {fixture}: mark it @pytest.mark.{marker}")
    if unmarked:
        raise pytest.UsageError("\n".join(unmarked))


def pytest_collection_finish(session):
    """A selected test that needs a program this machine lacks: stop before the first test,
    with the one line that says what to run (the same as `make test` would have said)."""
    # Every module collects without Playwright (it is imported where a browser test runs),
    # so `make test-quick` and a machine without Chromium collect the whole suite.
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("playwright", "axe_playwright_python"))
    if leaked:
        pytest.exit(f"a test module imported {leaked[0]} while being collected: import it inside "
                    "the fixture or test that drives the browser", returncode=pytest.ExitCode.USAGE_ERROR)
    missing = []
    if any(i.get_closest_marker("browser") for i in session.items) and not CHROMIUM.is_file():
        missing.append(f"Chromium（{CHROMIUM}）")
    if any(i.get_closest_marker("nginx") for i in session.items) and not NGINX.is_file():
        missing.append(f"nginx（{NGINX}）")
    if missing:
        pytest.exit(f"缺少 {'、'.join(missing)}：请运行 make test（以 root 身份时会用 apt-get 安装，否则告诉你要运行的命令），"
                    "或运行 make test-quick（不需要浏览器、nginx 和完整构建的测试）。", returncode=4)


@pytest.fixture(scope="session")
def nginx() -> Path:
    return NGINX


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def small(tmp_path) -> Path:
    """small_project in a throw-away directory."""
    return small_project(tmp_path / "project")


@contextlib.contextmanager
def _shared_build(tmp_path_factory, name: str):
    """(the project root, the saved build result or None) for a session build both test
    processes read: the first to ask builds it while the other waits on a lock, instead of
    both building the same site on two cores at once (the tests only read these sites).
    The caller saves the result with _save_build."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's directory, above each process's own
    with open(base / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / f"{name}.json"
        root = base / name / "project"
        if done.exists():
            yield root, json.loads(done.read_text("utf-8"))
        else:
            shutil.rmtree(base / name, ignore_errors=True)  # left by a process that failed
            yield copy_project(root), None


def _save_build(tmp_path_factory, name: str, result: subprocess.CompletedProcess) -> None:
    base = tmp_path_factory.getbasetemp()
    base = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    saved = {"args": result.args, "returncode": result.returncode, "stdout": result.stdout,
             "stderr": result.stderr}
    (base / f"{name}.json").write_text(json.dumps(saved, ensure_ascii=False), "utf-8")


def _session_build(tmp_path_factory, name: str, *args: str, prepare=None) -> subprocess.CompletedProcess:
    with _shared_build(tmp_path_factory, name) as (root, saved):
        if saved is None:
            if prepare:
                prepare(root)
            result = run_cli(root, "build", *args)
            assert result.returncode == 0, result.stdout + result.stderr
            _save_build(tmp_path_factory, name, result)
        else:
            result = subprocess.CompletedProcess(**saved)
    result.root = root
    return result


# The build cache `make site` fills (Makefile: `build --cache .cache/build`).
MAKE_SITE_CACHE = ".cache/build"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> subprocess.CompletedProcess:
    """The bundled sample site, built once per test run with the real CLI as an editor
    runs it in CI (`build --progress`) and with the cache `make site` fills (an empty cache
    builds what a cold build does: tests/test_build_cache.py): its stdout and stderr are kept
    for the tests that read the build's progress and summary, so none of them needs a build
    of its own, and `made_site` starts from it."""
    return _session_build(tmp_path_factory, "sample", "--progress", "--cache", MAKE_SITE_CACHE)


@pytest.fixture
def made_site(sample_build, tmp_path) -> Path:
    """A copy of the sample project as `make site` leaves it (site/ and the build cache), to
    change freely: where an editor's `make serve` starts. `cp -a`, as the site's pages are
    hard links into the cache (build_cache.py) and stay so in the copy."""
    dest = tmp_path / "project"
    subprocess.run(["cp", "-a", str(sample_build.root), str(dest)], check=True)
    return dest


@pytest.fixture(scope="session")
def built_site(sample_build) -> Path:
    """The bundled sample site, built once per test run with the real CLI."""
    return sample_build.root / "site"


@pytest.fixture(scope="session")
def extended_site(tmp_path_factory) -> Path:
    """The project root of the sample extended with hostile values, a draft, a record taken
    back to review and two kinds added from files only (tests/extended_sample.py), built once
    with the real CLI: one build for the tests of escaping, the review gate and new kinds."""
    from extended_sample import extend

    return _session_build(tmp_path_factory, "extended", prepare=extend).root


@pytest.fixture(scope="session")
def hostile_site(extended_site) -> Path:
    """The hostile sample (tests/extended_sample.py) under the name the escaping tests use."""
    return extended_site


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
