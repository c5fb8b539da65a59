"""The live preview, started for real: a saved YAML change shows up in the served page,
listing pages follow, an open browser reloads by itself, a new record appears, and
bad data keeps the last good preview."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import yaml

from generator import pipeline
from generator.sitebuild.serve import affected_sources
from generator.model.validate import load_site
from browser_support import chromium  # noqa: F401
from conftest import ROOT
from generator.urls import urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float = 60.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Output:
    """The preview's stdout and stderr, read as it is written: a test waits for a line
    rather than sleeping, and a full pipe never stalls the server."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=lambda: self.lines.extend(stream), daemon=True)
        self.thread.start()

    def text(self) -> str:
        return "".join(self.lines)

    def wait(self, needle: str, timeout: float, what: str, since: int = 0) -> None:
        """Until `needle` is printed after the first `since` characters."""
        try:
            wait_for(lambda: needle in self.text()[since:], timeout, what)
        except AssertionError:
            raise AssertionError(f"timed out waiting for {what} ({needle!r}); output:\n{self.text()[-3000:]}")


def stop(proc, output: Output) -> str:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)
    output.thread.join(timeout=20)
    return output.text()


@pytest.fixture
def preview(made_site):
    """A preview of the sample as an editor starts it after `make site`."""
    project = made_site
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    proc.output = Output(proc.stdout)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: fetch(base), 120, "the preview server")
        yield project, base, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.build
def test_saved_change_is_served_and_bad_data_keeps_last_preview(preview):
    project, base, proc = preview
    target = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    data = yaml.safe_load(target.read_text("utf-8"))
    page = base + urls.url(urls.record("relief", "dibao_stats", data["index_no"]))
    listing = base + urls.url(urls.kind("relief", "dibao_stats"))
    assert data["title"] in wait_for(lambda: fetch(page), 30, "the record page")

    text = target.read_text("utf-8")
    time.sleep(1.1)  # a new mtime the watcher cannot miss
    target.write_text(text.replace("title: ", "title: 预览修改标记", 1), "utf-8")
    wait_for(lambda: "预览修改标记" in (fetch(page) or ""), 60, "the edited record page")
    wait_for(lambda: "预览修改标记" in (fetch(listing) or ""), 60, "the listing page")

    # A new record: a page MkDocs has not seen, so its navigation and file list are rebuilt.
    source = project / "site_data" / "subsidy_program" / "2026-640104-3.yaml"
    old_no, new_no = "11640104MB0000003X/2026-00003", "11640104MB0000003X/2026-00099"
    source.with_name("2026-640104-99.yaml").write_text(
        source.read_text("utf-8").replace(old_no, new_no).replace("title: ", "title: 新增记录标记", 1), "utf-8")
    new_page = base + urls.url(urls.record("subsidies", "subsidy_program", new_no))
    wait_for(lambda: "新增记录标记" in (fetch(new_page) or ""), 90, "the new record's page")
    # Deleted again: its page goes too (MkDocs' dirty build alone leaves it).
    source.with_name("2026-640104-99.yaml").unlink()
    wait_for(lambda: fetch(new_page) is None, 90, "the deleted record's page to go")

    # Broken data: the preview keeps the last good pages and says why.
    before = len(proc.output.text())
    target.write_text(text.replace("title: ", "title: 第二次修改\nfoo: [", 1), "utf-8")
    proc.output.wait("数据有误，预览仍显示上一次正确的内容", 90, "the preview to refuse the broken file", before)
    assert "预览修改标记" in fetch(page)
    out = stop(proc, proc.output)
    assert "Traceback" not in out, out[out.find("Traceback") - 500:][:3000]


def test_fast_pass_covers_the_record_its_links_and_its_series(project):
    site, problems = load_site(project)
    assert site is not None, problems
    dibao = sorted((r for r in site.records if r.kind.id == "dibao_stats"), key=lambda r: r.src)[0]
    only = affected_sources(site, project, {dibao.doc.path})
    series = {r.src for r in site.records if r.kind.id == "dibao_stats" and r.region_code == dibao.region_code}
    assert dibao.src in only and series <= only
    assert not any(r.src in only for r in site.records if r.region_code != dibao.region_code)

    interp = next(r for r in site.records if r.kind.id == "interpretation" and r.links.get("policy"))
    only = affected_sources(site, project, {interp.doc.path})
    assert {interp.src, interp.links["policy"].src} <= only

    # A template or settings change may touch anything: the complete pass only.
    assert affected_sources(site, project, {project / "templates" / "record.md.j2"}) is None
    assert affected_sources(site, project, {project / "site_data" / "site.yaml"}) is None


@pytest.mark.build
@pytest.mark.browser
def test_saved_record_is_rerendered_alone_and_the_open_page_reloads(preview, chromium):  # noqa: F811
    """The quick way (Incremental): the saved record's pages are re-rendered from the kept
    MkDocs state and the reader's open page reloads by itself, in a real Chromium."""
    project, base, proc = preview
    target = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[-1]
    data = yaml.safe_load(target.read_text("utf-8"))
    url = base + urls.url(urls.record("relief", "dibao_stats", data["index_no"]))
    wait_for(lambda: fetch(url), 30, "the record page")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")  # never network-idle: the reload poll stays open
        assert "自动刷新标记" not in page.content()
        time.sleep(1.1)
        target.write_text(target.read_text("utf-8").replace("title: ", "title: 自动刷新标记", 1), "utf-8")
        wait_for(lambda: "自动刷新标记" in page.title(), 60, "the open page to reload with the change")
    finally:
        context.close()
    out = stop(proc, proc.output)
    # The quick pass showed the pages itself; it did not wait for MkDocs' rebuild.
    assert "已更新修改的页面（" in out and "等待网站重建" not in out, out[-2000:]
    assert "Traceback" not in out


def test_quick_pass_leaves_out_only_the_site_wide_checks():
    names = {f"{c.run.__module__}.{c.run.__name__}": c.deferrable for c in pipeline.CHECKS}
    assert {name for name, deferrable in names.items() if deferrable} == {
        "generator.checks.manifest.check_stability", "generator.checks.symlink_guard.check_symlinks",
        # a city's own figure against the sum of all its counties' records
        "generator.model.aggregates.check_published_totals"}
    # Per-record guards stay in the quick pass: nothing unmasked or implausible is previewed.
    assert names["generator.checks.pii.check_pii"] is False
    assert names["generator.checks.plausibility.check_units"] is False
    # The self-check (every column's deadlines) is site-wide too: the complete pass only.
    assert pipeline.load_and_check(ROOT, quick=True).report is None
    assert pipeline.load_and_check(ROOT).report is not None


def start_preview(project, port: int):
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    proc.output = Output(proc.stdout)
    return proc


@pytest.mark.build
def test_a_preview_started_again_serves_its_last_pages_at_once_then_the_changes(project):
    from generator.sitebuild.serve import COMPLETE, RESUMED, kept_dir

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    target = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    data = yaml.safe_load(target.read_text("utf-8"))
    page = base + urls.url(urls.record("relief", "dibao_stats", data["index_no"]))
    kept = kept_dir(project, "127.0.0.1", port)
    # A record never published (a published one may not be deleted: checks.manifest).
    source = project / "site_data" / "subsidy_program" / "2026-640104-3.yaml"
    gone, gone_no = source.with_name("2026-640104-98.yaml"), "11640104MB0000003X/2026-00098"
    gone.write_text(source.read_text("utf-8").replace("11640104MB0000003X/2026-00003", gone_no), "utf-8")
    gone_src = urls.record("subsidies", "subsidy_program", gone_no)
    gone_page = base + urls.url(gone_src)

    proc = start_preview(project, port)
    try:
        assert data["title"] in wait_for(lambda: fetch(page), 120, "the first preview")
        assert RESUMED not in proc.output.text()
        wait_for(lambda: (kept / COMPLETE).exists(), 60, "the first build to finish")
    finally:
        out = stop(proc, proc.output)
    assert "Traceback" not in out, out

    # Saved while no preview ran: the next one shows the last pages first, then this change.
    # A record deleted meanwhile, and its Markdown with it (as `make site` does): its page goes.
    target.write_text(target.read_text("utf-8").replace("title: ", "title: 停止时的修改", 1), "utf-8")
    assert (kept / urls.built(gone_src)).exists()
    gone.unlink()
    (project / "content" / gone_src).unlink()
    proc = start_preview(project, port)
    try:
        proc.output.wait(RESUMED, 60, "the preview to start from its last pages")
        wait_for(lambda: "停止时的修改" in (fetch(page) or ""), 120, "the change made while stopped")
        wait_for(lambda: fetch(gone_page) is None, 60, "the deleted record's page to go")
    finally:
        out = stop(proc, proc.output)
    assert "Traceback" not in out, out

    # A change to the theme's configuration is a directory of its own; the old one is removed.
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text("utf-8") + "# 一行注释\n", "utf-8")
    assert kept_dir(project, "127.0.0.1", port) != kept
    proc = start_preview(project, port)
    try:
        assert "停止时的修改" in wait_for(lambda: fetch(page), 120, "the preview after a theme change")
        assert RESUMED not in proc.output.text()
        assert sorted(p.name for p in kept.parent.iterdir() if p.is_dir()) == [kept_dir(project, "127.0.0.1", port).name]
    finally:
        out = stop(proc, proc.output)
    assert "Traceback" not in out, out


def _files(directory) -> dict:
    from generator.sitebuild.serve import COMPLETE

    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in directory.rglob("*") if p.is_file() and p.name != COMPLETE}


@pytest.mark.build
def test_a_first_preview_starts_from_the_pages_of_the_last_make_site(made_site):
    """`make site` keeps its pages in the build cache; a first preview links in those whose
    Markdown is unchanged and renders only the rest: the very files the preview renders
    itself without the cache, and a page it renders again is a new file, which leaves the
    cache and the built site as they were (mkdocs_adapter.writes_by_replacing)."""
    import re

    from generator.sitebuild.build import BUILD_CACHE
    from generator.sitebuild.serve import COMPLETE, SEEDED, kept_dir
    from test_build_cache import assert_cache_intact

    from conftest import MAKE_SITE_CACHE

    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert f"-m generator build --engine $(ENGINE) --cache {BUILD_CACHE}" in makefile  # what `make site` runs
    assert MAKE_SITE_CACHE == BUILD_CACHE  # and what made_site's build ran
    project = made_site
    markdown = [p for p in (project / "content").rglob("*.md") if not p.name.startswith(".")]
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    kept = kept_dir(project, "127.0.0.1", port)
    target = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    original = target.read_text("utf-8")
    page = base + urls.url(urls.record("relief", "dibao_stats", yaml.safe_load(original)["index_no"]))

    proc = start_preview(project, port)
    try:
        proc.output.wait(SEEDED, 60, "the preview to start from the built pages")
        seeded = int(re.search(SEEDED + r"（(\d+) 个）", proc.output.text()).group(1))
        assert seeded == len(markdown) > 50  # every page: nothing changed since the build
        # The site's own address, as a build writes it (the footer's 政府网站找错 link), not the preview's.
        shown = wait_for(lambda: fetch(page), 30, "the first page")
        assert "url=https%3A%2F%2F" in shown and f"127.0.0.1%3A{port}" not in shown
        proc.output.wait("已重新生成", 120, "the background check of the data")
        wait_for(lambda: (kept / COMPLETE).exists(), 60, "the first build to finish")
        from_cache = _files(kept)
        linked = [p for p in kept.rglob("index.html") if p.stat().st_nlink > 1]
        assert len(linked) > len(markdown) / 2  # the build's own files, not copies
        record_page = kept / urls.built(urls.record("relief", "dibao_stats", yaml.safe_load(original)["index_no"]))
        assert record_page in linked
        target.write_text(original.replace("title: ", "title: 预览中的修改", 1), "utf-8")
        wait_for(lambda: "预览中的修改" in (fetch(page) or ""), 120, "the saved change")
        assert record_page.stat().st_nlink == 1 and "预览中的修改" in record_page.read_text("utf-8")
    finally:
        out = stop(proc, proc.output)
    assert "Traceback" not in out, out
    assert_cache_intact(project / BUILD_CACHE, project / "site")

    # Without the cache, the preview renders every page itself: the same files.
    target.write_text(original, "utf-8")
    shutil.rmtree(project / BUILD_CACHE)
    shutil.rmtree(kept.parent)
    proc = start_preview(project, port)
    try:
        wait_for(lambda: fetch(page), 120, "the preview without a build cache")
        wait_for(lambda: (kept / COMPLETE).exists(), 60, "its build to finish")
    finally:
        out = stop(proc, proc.output)
    assert SEEDED not in out and "Traceback" not in out, out
    rendered = _files(kept)
    assert sorted(rendered) == sorted(from_cache)
    assert [rel for rel in rendered if rendered[rel] != from_cache[rel]] == []

def test_the_watch_falls_back_to_polling_when_the_system_refuses_watches(tmp_path, monkeypatch):
    # The watches are set up in a thread of their own now (ChangesObserver.start), so an
    # OSError there (no inotify watches left) must still lead to polling, not a dead watcher.
    from watchdog.observers import Observer

    from generator.sitebuild import serve as serve_module

    def refuse(self):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "start", refuse)
    polled = []
    monkeypatch.setattr(serve_module, "_poll", lambda root, preview, stop, initial=False: polled.append(initial))
    serve_module.watch(tmp_path, None, threading.Event(), initial=True)
    assert polled == [True]


def test_a_second_preview_on_the_same_address_says_so_and_stops(project, capsys):
    import fcntl

    from generator.sitebuild.serve import kept_dir, serve

    port = free_port()
    kept = kept_dir(project, "127.0.0.1", port)
    kept.parent.mkdir(parents=True)
    with open(kept.with_name(kept.name + ".lock"), "a") as held:  # as the first preview holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        assert serve(project, "127.0.0.1", port) == 1
    err = capsys.readouterr().err
    assert f"已经有一个预览在 http://127.0.0.1:{port}/ 运行" in err and "--port" in err


def test_a_seed_that_cannot_be_copied_leaves_an_empty_directory_to_build_into(tmp_path, monkeypatch):
    # A full disk (which cannot be made here) while copying the built pages: the preview then
    # renders every page itself, from an empty directory, instead of stopping.
    import types

    from generator.sitebuild import serve as serve_module

    site_dir = tmp_path / "kept"
    site_dir.mkdir()

    def full_disk(cache, root, out, cfg, **options):
        (out / "half-written.html").write_text("<p>", "utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve_module, "open_cache", lambda *a: types.SimpleNamespace(old={"pages": {}}))
    monkeypatch.setattr(serve_module, "place_cached_pages", full_disk)
    assert serve_module.seed_from_build(tmp_path, site_dir) == 0
    assert site_dir.is_dir() and not any(site_dir.iterdir())
