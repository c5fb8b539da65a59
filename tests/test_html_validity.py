"""The W3C Nu HTML checker (vnu.jar, npm vnu-jar pinned in tools/vnu/package.json; needs Java)
finds no error on a sample of the built pages: one page of every template (home, columns,
each shape of kind list page, a record of each kind, datasets, 指南, 目录, 依申请公开, 网站地图, 自查报告,
search, 404, the editors' guide). One JVM for all of them: vnu starts once.

Install: `npm ci --prefix tools/vnu` (or set GK_VNU_JAR to a vnu.jar)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from browser_support import page_templates
from generator.urls import urls

ROOT = Path(__file__).resolve().parent.parent
JAR = Path(os.environ.get("GK_VNU_JAR") or ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")


def sample(site: Path) -> list[Path]:
    pages = set()
    for rel in page_templates(site).values():
        path = site / rel / "index.html" if not rel.endswith(".html") else site / rel
        if rel == "no-such-page/":
            path = site / "404.html"
        elif rel.startswith("search/"):
            path = site / "search" / "index.html"
        pages.add(path)
    for column in site.glob(urls.built(urls.column("*"))):  # a glob: every column page
        pages.add(column)
    return sorted(p for p in pages if p.is_file())


def test_vnu_finds_no_error_in_a_sample_of_built_pages(built_site):
    assert JAR.is_file(), f"没有找到 {JAR}：运行 npm ci --prefix tools/vnu 安装 W3C Nu HTML Checker"
    assert shutil.which("java"), "W3C Nu HTML Checker 需要 Java（java -version）"
    pages = sample(built_site)
    assert len(pages) >= 20, pages
    run = subprocess.run(["java", "-Xss1024k", "-jar", str(JAR), "--errors-only", "--format", "json",
                          *map(str, pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url', '').replace('file:' + str(built_site), '')}:{m.get('lastLine')}: {m['message']} "
              f"[{m.get('extract', '').strip()[:80]}]"
              for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)
