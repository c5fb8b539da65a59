"""Progress of a long build on stderr, and the summary a build ends with.

A site of thousands of records takes minutes; an editor watching a silent
terminal assumes it hangs. The progress line is written only to a terminal
(or when asked with --progress, e.g. in CI logs, then as plain lines every
10 %), so scripted runs and tests keep a clean stderr. MkDocs' own debug log
lines ("Reading: …", "Building page …") are counted for the per-page figure,
so nothing in MkDocs is patched.
"""
from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .workers import mkdocs_workers

_MKDOCS_BUILD_LOGGER = "mkdocs.commands.build"


class Progress:
    def __init__(self, enabled: bool | None = None, stream=None, stages: int = 4):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = self.tty if enabled is None else (enabled or self.tty)
        self.stages = stages
        self.n = 0
        self.text = ""
        self._last_step = -1
        self._last_draw = 0.0
        self._open = False

    def stage(self, text: str) -> None:
        """Start the next stage: `[2/4] 用 MkDocs 生成网页`."""
        self.n += 1
        self.text = f"[{self.n}/{self.stages}] {text}"
        self._last_step = -1
        self._write(self.text, final=not self.tty)

    def count(self, done: int, total: int, what: str = "", final: bool = False) -> None:
        """`final`: the stage's last figure, written even if the same step was written before."""
        if not self.enabled or total <= 0:
            return
        done = min(done, total)
        if final:
            self._last_step = -1
        if self.tty:
            now = time.monotonic()
            if done < total and now - self._last_draw < 0.1 and not final:
                return
            self._last_draw = now
            width = 24
            filled = width * done // total
            bar = "█" * filled + "░" * (width - filled)
            self._write(f"{self.text} {bar} {done}/{total} {what}".rstrip(), final=False)
        else:
            step = done * 10 // total
            if step != self._last_step:
                self._last_step = step
                self._write(f"{self.text} {done}/{total} {what}".rstrip(), final=True)

    def finish(self) -> None:
        if self.enabled and self.tty and self._open:
            print("\r\033[K", end="", file=self.stream, flush=True)
            self._open = False

    def _write(self, line: str, final: bool) -> None:
        if not self.enabled:
            return
        if self.tty:
            print("\r\033[K" + line, end="", file=self.stream, flush=True)
            self._open = True
        elif final:
            print(line, file=self.stream, flush=True)


class _PageCounter(logging.Handler):
    def __init__(self, progress: Progress, total: int, workers: int = 1):
        super().__init__(logging.DEBUG)
        self.progress, self.total, self.workers = progress, total, workers
        self.read = self.built = 0

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("Reading: "):
            self.read += 1
            self.progress.count(self.read, self.total, "读取页面")
        elif msg.startswith("Building page "):
            # With forked workers this process builds about 1/workers of the pages (build.py).
            self.built += 1
            self.progress.count(min(self.built * self.workers, self.total), self.total, "生成网页")


@contextmanager
def mkdocs_pages(progress: Progress | None, config_file: Path, docs_dir: Path):
    """Count MkDocs' pages while it builds (only when progress is shown)."""
    if progress is None or not progress.enabled:
        yield
        return
    workers = mkdocs_workers(config_file)
    total = sum(1 for _ in Path(docs_dir).rglob("*.md"))
    logger = logging.getLogger(_MKDOCS_BUILD_LOGGER)
    handler = _PageCounter(progress, total, workers)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
        # MkDocs has finished, so every page is built. The forked workers (build.py: every
        # page is built in one) print their own estimates with this handler, and one of them
        # may be the last line written: the parent ends the stage with the true figure.
        progress.count(total, total, "生成网页", final=True)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def build_summary(result, preview: str = "make serve") -> str:
    """What an editor wants to know at the end: per column, problems, where, how to preview."""
    site = result.site
    published: dict = {}
    withheld: dict = {}
    for r in site.records:
        table = published if r.approved else withheld
        table[r.column_id] = table.get(r.column_id, 0) + 1
    n_err = sum(1 for p in result.problems if p.is_error)
    n_warn = len(result.problems) - n_err
    lines = ["构建完成。各专栏发布的记录："]
    for column in site.columns.values():
        line = f"  {column.name}：{published.get(column.id, 0)} 条"
        if withheld.get(column.id):
            line += f"（另有 {withheld[column.id]} 条未通过保密审查，没有发布）"
        lines.append(line)
    total = sum(published.values())
    lines.append(f"  合计：{total} 条")
    warn = f"{n_warn} 个警告（见上面以“警告：”开头的行，请尽快处理）" if n_warn else "0 个警告"
    lines.append(f"共 {n_err} 个错误，{warn}。")
    from ..checks.link_check import outside_summary
    lines += outside_summary(site.outside_addresses)
    lines.append(f"站点已生成在 {result.site_dir}/ 。")
    stats = result.render_stats or {}
    if "reused_pages" in stats:
        lines.append(f"构建缓存：复用了 {stats.get('reused_records', 0)} 个没有变化的记录文件的校验结果、"
                     f"{stats['reused_pages']} 个没有变化的页面、"
                     f"{stats['reused_search_shards']} 个搜索索引分片、"
                     f"{stats.get('reused_markdown', 0)} 个没有变化的记录页和 {stats.get('reused_listings', 0)} 个"
                     f"列表页的 Markdown、{stats.get('reused_files', 0)} 个下载文件（与完整构建逐字节相同）。")
    lines.append(f"本地预览：运行 {preview}（或 python -m generator serve），然后用浏览器打开 http://127.0.0.1:8000/")
    return "\n".join(lines)
