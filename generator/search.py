"""Search step: index the built site with Pagefind (extended build, which segments Chinese).

Material's own search ships one lunr index for the whole site to every page
view (4.7 MB at 1,000 pages); Pagefind splits its index into fragments that a
browser fetches only for the words it searches. It runs on the new site
directory before it goes live, from the binary pinned in requirements.txt, so
no network is needed. Only the content area is indexed: pages mark it with
`data-pagefind-body` (overrides/partials/content.html); the search page and
404 do not, so they stay out of the results.
"""
from __future__ import annotations

import subprocess
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


def index(site_dir: Path) -> subprocess.CompletedProcess:
    """Write the Pagefind bundle into site_dir/pagefind/ (index, pagefind.js, pagefind-ui.*)."""
    cmd = [str(executable()), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR, "--quiet"]
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
