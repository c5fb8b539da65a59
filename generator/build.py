"""Build step: validate → render → MkDocs into a fresh directory → swap it in.

The site directory is replaced only after a build has fully succeeded, by an
atomic exchange of two directories (renameat2 RENAME_EXCHANGE), so a failed
or killed build leaves the previous site complete and unchanged. Hooks
(`post_build`) let later steps such as the search index or feeds work on the
new directory before it goes live.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import hooks, render
from .model import Site
from .problems import DataError, Problem
from .validate import load_site

CONTENT_DIR = "content"
MKDOCS_FILE = "mkdocs.yml"



@dataclass
class BuildResult:
    site: Site
    site_dir: Path
    problems: list[Problem]
    timings: dict = field(default_factory=dict)
    render_stats: dict = field(default_factory=dict)


def load_and_check(root: Path, as_of=None) -> tuple[Site | None, list[Problem]]:
    """Validation plus every on_site check; the Site is None when any error was found."""
    site, problems = load_site(root)
    if site is None:
        return None, problems
    for handler in hooks.handlers("on_site"):
        problems = problems + list(handler(site, as_of) or [])
    return (None if any(p.is_error for p in problems) else site), sorted(problems)


def generate(root: Path, as_of=None) -> tuple[Site, list[Problem], dict]:
    """Validate, run the checks, write the generated Markdown; raises DataError on errors."""
    site, problems = load_and_check(root, as_of)
    if site is None:
        raise DataError(problems)
    output = render.render(site)
    stats = render.write(output, root / CONTENT_DIR)
    return site, problems, stats


class _MkDocsLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def mkdocs_build(root: Path, out_dir: Path, strict: bool = True) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = _MkDocsLog()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    previous = log.level
    log.setLevel(logging.WARNING)
    try:
        cfg = load_config(str(root / MKDOCS_FILE), site_dir=str(out_dir), strict=strict)
        build(cfg)
    except MkDocsException as exc:
        details = "；".join(handler.messages) or str(exc)
        raise DataError([Problem(MKDOCS_FILE, 1, 1, f"MkDocs 构建失败：{details}")]) from None
    finally:
        log.removeHandler(handler)
        log.setLevel(previous)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def swap_in(new_dir: Path, site_dir: Path) -> None:
    """Make new_dir the site directory atomically; the old one is deleted after."""
    if not site_dir.exists():
        os.rename(new_dir, site_dir)
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        rc = renameat2(_AT_FDCWD, os.fsencode(str(new_dir)), _AT_FDCWD,
                       os.fsencode(str(site_dir)), _RENAME_EXCHANGE)
        if rc == 0:
            shutil.rmtree(new_dir, ignore_errors=True)  # new_dir now holds the old site
            return
    # Filesystems without RENAME_EXCHANGE: two renames, the gap is one syscall wide.
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    os.rename(site_dir, old)
    os.rename(new_dir, site_dir)
    shutil.rmtree(old, ignore_errors=True)


def build(root: Path, site_dir: Path | None = None, strict: bool = True, as_of=None,
          progress=None) -> BuildResult:
    """`progress`: an optional generator.progress.Progress, told of each stage."""
    from .progress import mkdocs_pages

    stage = progress.stage if progress else (lambda text: None)
    root = Path(root).resolve()
    site_dir = Path(site_dir or root / "site").resolve()
    timings = {}
    t = time.perf_counter()
    stage("校验数据并生成页面")
    site, problems, stats = generate(root, as_of)
    timings["generate"] = time.perf_counter() - t

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # The new tree is built beside the target so the final rename stays on one filesystem.
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        t = time.perf_counter()
        stage("MkDocs 构建网站")
        with mkdocs_pages(progress, root / CONTENT_DIR):
            mkdocs_build(root, work, strict=strict)
        timings["mkdocs"] = time.perf_counter() - t
        stage("构建后处理（搜索索引等）")
        for handler in hooks.handlers("on_post_build"):
            t = time.perf_counter()
            handler(site, work, root)
            timings[f"{handler.__module__}.{handler.__name__}"] = time.perf_counter() - t
        os.chmod(work, 0o755)
        stage("发布（替换站点目录）")
        swap_in(work, site_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if progress:
            progress.finish()
    return BuildResult(site=site, site_dir=site_dir, problems=problems, timings=timings,
                       render_stats=stats)
