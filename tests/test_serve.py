"""The live preview, started for real: a saved YAML change shows up in the served page,
listing pages follow, and bad data keeps the last good preview."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml

from generator.serve import affected_sources
from generator.validate import load_site


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


@pytest.fixture
def preview(project):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
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


def test_saved_change_is_served_and_bad_data_keeps_last_preview(preview):
    project, base, proc = preview
    target = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    data = yaml.safe_load(target.read_text("utf-8"))
    slug = data["index_no"].replace("/", "-").lower()
    page = f"{base}zwgk/relief/dibao_stats/{slug}/"
    listing = f"{base}zwgk/relief/dibao_stats/"
    assert data["title"] in wait_for(lambda: fetch(page), 30, "the record page")

    text = target.read_text("utf-8")
    time.sleep(1.1)  # a new mtime the watcher cannot miss
    target.write_text(text.replace("title: ", "title: 预览修改标记", 1), "utf-8")
    wait_for(lambda: "预览修改标记" in (fetch(page) or ""), 60, "the edited record page")
    wait_for(lambda: "预览修改标记" in (fetch(listing) or ""), 60, "the listing page")

    # Broken data: the preview keeps the last good pages and says why.
    target.write_text(text.replace("title: ", "title: 第二次修改\nfoo: [", 1), "utf-8")
    time.sleep(3)
    assert "预览修改标记" in fetch(page)
    os.killpg(proc.pid, signal.SIGTERM)
    out = proc.communicate(timeout=20)[0]
    assert "数据有误，预览仍显示上一次正确的内容" in out
    assert "Traceback" not in out


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
