"""Search step: index the built site with Pagefind (extended build, which segments Chinese).

Material's own search ships one lunr index for the whole site to every page
view (4.7 MB at 1,000 pages); Pagefind splits its index into fragments that a
browser fetches only for the words it searches. It runs on the new site
directory before it goes live, from the binary pinned in requirements.txt, so
no network is needed. Only the content area is indexed: pages mark it with
`data-pagefind-body` (overrides/partials/content.html); the search page and
404 do not, so they stay out of the results.

Recall: since 1.5 Pagefind segments a query in the browser with
Intl.Segmenter (ICU), which splits words missing from its dictionary into
single characters (低保标准 → 低 保 标准, 红寺堡区 → 红 寺 堡 区), while the index
side segments with jieba (城乡低保, 特困人员 kept whole). Measured on the sample
site with 1.5.2: 特困 found 0 of 90 pages, 低保 2. So Pagefind reads a staged
copy of each page whose content area also carries, in a hidden low-weight
block, jieba's search-mode words (城乡 低保 特困 人员 …) and every Chinese
character once: whatever ICU splits a query into is then in the index. The
pages served to readers are not changed.
"""
from __future__ import annotations

import html
import multiprocessing
import os
from itertools import chain
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from .hooks import hook
from .problems import DataError, Problem

BUNDLE_DIR = "pagefind"
TIMEOUT_SECONDS = 1800


def executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise DataError([Problem("requirements.txt", 1, 1,
                                 "缺少搜索索引程序 pagefind_bin_extended：请运行 make site 安装依赖后重新构建。")]) from None
    return get_executable()


BODY_MARK = "<div data-pagefind-body>"
# Placeholder at the end of the content area (overrides/partials/content.html), so
# excerpts come from the page's own text first.
WORDS_MARK = '<div class="gk-search-words" hidden></div>'
_CJK = re.compile(r"[\u3400-\u9fff]")


# Markup between text nodes, with the contents of elements whose text is not
# content. One C-level regex pass instead of html.parser: at 1,000 pages with
# charts and tables, HTMLParser took 78 of 92 seconds of the staging step.
_MARKUP = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)


def text_chunks(fragment: str) -> list[str]:
    """Text nodes of an HTML fragment, unescaped and stripped, empty ones dropped."""
    out = []
    for chunk in _MARKUP.sub("\x00", fragment).split("\x00"):
        chunk = chunk.strip()
        if chunk:
            out.append(html.unescape(chunk) if "&" in chunk else chunk)
    return out


_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        import logging

        import jieba
        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba


@lru_cache(maxsize=200_000)
def _words(chunk: str) -> tuple[str, ...]:
    # Cached per text node: table headings and boilerplate repeat on thousands of pages.
    words = [w for w in _segmenter().cut_for_search(chunk) if len(w) >= 2 and _CJK.search(w)]
    return tuple(words) + tuple(_CJK.findall(chunk))


def search_words(page_html: str) -> list[str]:
    """Unique search-mode words of a page's content area, in first-seen order."""
    start = page_html.find(BODY_MARK)
    if start < 0:
        return []
    end = page_html.find("</article>", start)
    chunks = dict.fromkeys(text_chunks(page_html[start:end if end > 0 else None]))
    seen = dict.fromkeys(chain.from_iterable(_words(c) for c in chunks if _CJK.search(c)))
    return list(seen)


def _stage_files(site_dir: Path, dest: Path, files: list[Path]) -> int:
    count = 0
    for src in files:
        rel = src.relative_to(site_dir)
        text = src.read_text("utf-8")
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        words = search_words(text)
        if words:
            block = (f'<div hidden data-pagefind-weight="0.5" class="gk-search-words">'
                     f'{html.escape(" ".join(words))}</div>')
            text = text.replace(WORDS_MARK, block, 1)
            count += 1
        out.write_text(text, "utf-8")
    return count


def stage(site_dir: Path, dest: Path, workers: int | None = None) -> int:
    """Copy the site's HTML pages to dest, each content area with its search words added.

    Pages are independent, so they are split over the cores like the MkDocs page
    loop (build.build_workers); jieba's dictionary is loaded once, before the fork."""
    from .build import build_workers

    files = [p for p in site_dir.rglob("*.html") if p.relative_to(site_dir).parts[0] != BUNDLE_DIR]
    workers = min(workers or build_workers(), max(1, len(files) // 200))
    if workers <= 1 or not hasattr(os, "fork"):
        return _stage_files(site_dir, dest, files)
    _segmenter().initialize()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        return sum(pool.starmap(_stage_files, [(site_dir, dest, files[k::workers]) for k in range(workers)]))


def index(site_dir: Path) -> subprocess.CompletedProcess:
    """Write the Pagefind bundle into site_dir/pagefind/ (index, pagefind.js, pagefind-ui.*)."""
    site_dir = Path(site_dir).resolve()
    staging = Path(tempfile.mkdtemp(prefix=".search-", dir=site_dir.parent))
    try:
        stage(site_dir, staging)
        return _run(staging, site_dir / BUNDLE_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run(pages_dir: Path, bundle_dir: Path) -> subprocess.CompletedProcess:
    cmd = [str(executable()), "--site", str(pages_dir), "--output-path", str(bundle_dir), "--quiet"]
    site_dir = bundle_dir.parent
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataError([Problem("mkdocs.yml", 1, 1, f"生成搜索索引失败（{exc}）。网站没有更新，请重试或联系技术人员。")]) from None
    if proc.returncode != 0 or not (site_dir / BUNDLE_DIR / "pagefind.js").exists():
        details = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise DataError([Problem("mkdocs.yml", 1, 1,
                                 "生成搜索索引失败，网站没有更新：" + "；".join(details or ["没有生成索引文件"]))])
    return proc


@hook("on_post_build", order=90)
def build_search_index(site, out_dir: Path, root: Path) -> None:
    # Late in the post-build order, so pages other steps add are indexed too.
    index(Path(out_dir))
