"""Build step: the pipeline's steps (generator/pipeline.py) around MkDocs, then the swap.

The site directory is replaced only after a build has fully succeeded, by an
atomic exchange of two directories (renameat2 RENAME_EXCHANGE), so a failed
or killed build leaves the previous site complete and unchanged. The post-build
steps (the search index, the sitemap, …) work on the new directory before it
goes live.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import fcntl
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

from .. import compiled_templates, pipeline, walk
from . import build_cache, mkdocs_adapter, search, site_identity
from .progress import mkdocs_pages
from .workers import fewer_collections, frozen_heap, mkdocs_workers
from ..model.model import Site
from ..model.record_cache import RecordCache
from ..pages.render import CONTENT_DIR
from ..problems import DataError, Problem

MKDOCS_FILE = "mkdocs.yml"


@dataclass
class BuildResult:
    site: Site
    site_dir: Path
    problems: list[Problem]
    timings: dict = field(default_factory=dict)
    render_stats: dict = field(default_factory=dict)
    # The build's caches (the record cache with every record's parsed document, the build
    # cache's tables), freed with the result rather than when the build returns, which the
    # command line never frees (cli/build_commands.KEPT).
    held: tuple = ()


class _MkDocsLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def mkdocs_build(root: Path, out_dir: Path, strict: bool = True, workers: int | None = None,
                 skip: frozenset[str] = frozenset(), alongside=None, compiled: Path | None = None) -> None:
    """Build the MkDocs site into out_dir, an empty directory (or one holding the pages of
    `skip`, Markdown sources whose HTML the build cache places there). `compiled`: where the
    theme's compiled templates are kept (compiled_templates.py). `alongside()`, when
    given, runs in this process while the workers build: the cache placing the pages of
    `skip`, which no worker reads or writes (a one-record push at 10,000 pages: 10,855 folders
    and links, 0.7–3.8 s in benchmarks/push_profile.py runs, while the workers walk the sources
    and render the few pages changed).

    MkDocs renders pages one after another in one process; at province scale
    that loop is most of the build. Each worker is a forked process that runs
    the same build but converts and writes only its share of the pages (by a
    hash of the source path); the first also writes the theme assets, sitemap
    and 404 page. Navigation titles come from mkdocs.yml, so no process needs
    another's pages to render its own. The parent only waits: what MkDocs keeps
    for every page of the site (its files, pages and navigation, ~80 MB at
    10,000 pages) then goes with the workers, instead of staying in the process
    that holds the loaded site through the search index and Pagefind's runs.
    """
    mkdocs_adapter.check_version()
    workers = mkdocs_workers(root / MKDOCS_FILE, workers)
    out_dir.mkdir(parents=True, exist_ok=True)
    pipes = [_fork_share(root, out_dir, strict, k, workers, skip, compiled) for k in range(workers)]
    errors: list[str] = []
    try:
        if alongside is not None:
            alongside()
    finally:
        for pid, r in pipes:
            with os.fdopen(r, encoding="utf-8") as f:
                text = f.read()
            _, status = os.waitpid(pid, 0)
            if status != 0:
                errors += [line for line in text.splitlines() if line] or ["MkDocs 构建进程意外退出。"]
    if errors:
        raise DataError([Problem(MKDOCS_FILE, 1, 1, m) for m in dict.fromkeys(errors)])


def _fork_share(root: Path, out_dir: Path, strict: bool, k: int, workers: int,
                skip: frozenset[str], compiled: Path | None = None) -> tuple[int, int]:
    """A forked process building share k; (its pid, the pipe its error messages come through)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into the caller's stack
        os.close(r)
        status, messages = 0, []
        try:
            _mkdocs_build_share(root, out_dir, strict, k, workers, skip, compiled)
        except DataError as exc:
            status, messages = 1, [p.message for p in exc.problems]
        except BaseException as exc:  # noqa: BLE001 - reported by the parent
            status, messages = 1, [f"MkDocs 构建失败：{exc!r}"]
        finally:
            with os.fdopen(w, "w", encoding="utf-8") as f:
                f.write("\n".join(messages))
            os._exit(status)
    os.close(w)
    return pid, r


ENGINES = ("mkdocs", "zensical")
# The build cache `make site` keeps (build --cache), from which a first preview starts (serve.py).
BUILD_CACHE = ".cache/build"
ZENSICAL_REQUIREMENTS = "requirements-zensical.txt"


def zensical_build(root: Path, out_dir: Path, strict: bool = True) -> None:
    """Build the site with Zensical from the same mkdocs.yml into out_dir, an empty directory.

    Zensical reads mkdocs.yml itself; it runs no MkDocs hooks (the site needs none, see
    mkdocs.yml) and writes where `site_dir` says, inside the project only. So it gets a
    copy of mkdocs.yml beside it that differs in two settings: `site_dir` (the new tree,
    never the live site/) and its own search index turned off (Zensical writes one by
    default, a 1.7 MB search.json for the sample that nothing reads: Pagefind searches).
    It runs in a process of its own: its Rust runtime keeps the configuration in globals.
    """
    import importlib.util
    import sys

    import yaml

    if importlib.util.find_spec("zensical") is None:
        raise DataError([Problem(MKDOCS_FILE, 1, 1,
                                 f"没有安装 Zensical：运行 make site ENGINE=zensical，或 python -m pip install "
                                 f"-r {ZENSICAL_REQUIREMENTS}（需要 Python 3.11 或更高版本）后重试。")])
    try:
        cfg = yaml.load((root / MKDOCS_FILE).read_text("utf-8"), Loader=_KeepTagsLoader)
    except yaml.YAMLError as exc:
        raise DataError([Problem(MKDOCS_FILE, 1, 1, f"mkdocs.yml 无法读取：{exc}")]) from None
    out_dir = Path(out_dir).resolve()
    inside = out_dir.is_relative_to(root)
    target = out_dir if inside else Path(tempfile.mkdtemp(prefix=".site-zensical-", dir=root))
    cfg["site_dir"] = os.path.relpath(target, root)
    plugins = [p for p in cfg.get("plugins") or [] if p != "search" and not (isinstance(p, dict) and "search" in p)]
    cfg["plugins"] = plugins + [{"search": {"enabled": False}}]
    cfg.pop("hooks", None)
    cfg.setdefault("extra", {}).update(site_identity.theme_extra(root, cfg.get("site_url")))
    config_file = root / f".zensical-build-{os.getpid()}.yml"
    config_file.write_text(yaml.dump(cfg, Dumper=_KeepTagsDumper, allow_unicode=True, sort_keys=False), "utf-8")
    cmd = [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config_file)]
    if strict:
        cmd.append("--strict")
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            lines = [line.strip() for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
            details = [line for line in lines if "Error" in line or "error" in line][-3:] or lines[-3:]
            raise DataError([Problem(MKDOCS_FILE, 1, 1, "Zensical 构建失败：" + "；".join(details))])
        if not inside:
            for item in target.iterdir():
                shutil.move(str(item), out_dir / item.name)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataError([Problem(MKDOCS_FILE, 1, 1, f"Zensical 构建失败：{exc}")]) from None
    finally:
        config_file.unlink(missing_ok=True)
        if not inside:
            shutil.rmtree(target, ignore_errors=True)


class _Tagged:
    """A value under a tag safe_load refuses (mkdocs.yml's `!!python/object/apply:pymdownx.slugs.slugify`
    for Chinese heading anchors), carried unchanged into the copy of mkdocs.yml Zensical reads."""

    def __init__(self, tag: str, node):
        self.tag, self.node = tag, node


class _KeepTagsLoader(yaml.SafeLoader):
    pass


class _KeepTagsDumper(yaml.SafeDumper):
    pass


_KeepTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(
    node.tag, node))
_KeepTagsDumper.add_representer(_Tagged, lambda dumper, tagged: tagged.node)


def _mkdocs_build_share(root: Path, out_dir: Path, strict: bool, k: int, workers: int,
                        skip: frozenset[str] = frozenset(), compiled: Path | None = None) -> None:
    import zlib

    from mkdocs.commands import build as mkdocs_build_module
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    def mine(page) -> bool:
        src = page.file.src_uri
        return src not in skip and (workers == 1 or zlib.crc32(src.encode()) % workers == k)

    handler = _MkDocsLog()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    previous = log.level
    log.setLevel(logging.WARNING)
    try:
        # out_dir starts empty and is shared: no process may clean what another has written.
        with mkdocs_adapter.page_at_a_time(mine), mkdocs_adapter.shared_site_dir(), \
                mkdocs_adapter.theme_templates_kept(compiled), mkdocs_adapter.static_files_except(skip):
            cfg = load_config(str(root / MKDOCS_FILE), site_dir=str(out_dir), strict=strict)
            cfg.extra.update(site_identity.theme_extra(root, cfg.site_url))
            if k:
                mkdocs_adapter.pages_only(cfg)  # theme files, sitemap, 404 and post-build work are the parent's
            mkdocs_build_module.build(cfg)
    except MkDocsException as exc:
        details = "；".join(handler.messages) or str(exc)
        raise DataError([Problem(MKDOCS_FILE, 1, 1, f"MkDocs 构建失败：{details}")]) from None
    finally:
        log.removeHandler(handler)
        log.setLevel(previous)


def _trim_heap() -> None:
    """Hand the memory the generate step freed back to the system: glibc keeps freed pages
    for reuse (10 of 75 MB at 2,000 pages), and they would stay counted in this process
    through the MkDocs workers it forks and Pagefind's runs. Elsewhere, nothing to do."""
    try:
        trim = getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "malloc_trim", None)
    except OSError:
        return
    if trim is not None:
        trim(0)


def _mkdocs_config(root: Path) -> dict:
    try:
        return yaml.load((root / MKDOCS_FILE).read_text("utf-8"), Loader=_KeepTagsLoader) or {}
    except (OSError, yaml.YAMLError):
        return {}  # MkDocs itself reports it


def open_cache(root: Path, cache_dir: Path, cfg: dict) -> build_cache.Cache:
    extra = site_identity.theme_extra(root, cfg.get("site_url"))
    return build_cache.Cache(Path(cache_dir), build_cache.shared_key(root, extra))


def place_cached_pages(cache: build_cache.Cache, root: Path, work: Path, cfg: dict,
                       defer: bool = False, digests: dict | None = None, ready: bool = True,
                       static: bool = False):
    """The cache's HTML of every Markdown source in content/ whose text is unchanged, linked
    into work under the name MkDocs gives it; returns those sources
    (`defer`: and a function that places them, build_cache.Cache.place_pages). `digests`: the
    SHA-256 of generated files as the write step just left them (render.write), which are
    then not read again (a one-record push at 10,000 pages: 10,833 files). `ready`: from the
    ready tree the push hook's last build left, when it holds them (build_cache.Cache.make_ready).
    `static`: the other files of content/ too (downloads, tables, feeds, styles: 3,806 files at
    10,000 records), as MkDocs copied them in the build that kept them, which MkDocs then
    leaves alone (mkdocs_adapter.static_files_except): its first worker copied every one of
    them in every push, 1–1.5 s of the MkDocs step. Not for the preview, whose MkDocs copies
    a changed download into the file that is there (serve.Incremental.render)."""
    from mkdocs.structure.files import File

    docs = root / CONTENT_DIR
    directory_urls = cfg.get("use_directory_urls", True)
    known = digests or {}
    files = sorted(walk.files(docs))
    pages = {}
    for src in files:
        if (static or src.endswith(".md")) and not any(part.startswith(".") for part in src.split("/")):
            sha = known.get(src) or build_cache.file_sha(docs / src)
            # A static file's name in the site is its own (File.dest_uri), and a File costs more.
            dest = File(src, str(docs), "/", directory_urls).dest_uri if src.endswith(".md") else src
            pages[src] = (dest, cache.page_key(src, sha))
    return cache.place_pages(pages, files, work, defer=defer, ready=ready)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def swap_in(new_dir: Path, site_dir: Path) -> None:
    """Make new_dir the site directory atomically; the old one is deleted after, in the
    background (remove_later)."""
    if not site_dir.exists():
        os.rename(new_dir, site_dir)
        return
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        rc = renameat2(_AT_FDCWD, os.fsencode(str(new_dir)), _AT_FDCWD,
                       os.fsencode(str(site_dir)), _RENAME_EXCHANGE)
        if rc == 0:
            os.rename(new_dir, old)  # new_dir now holds the old site
            remove_later(old)
            return
    # Filesystems without RENAME_EXCHANGE: two renames, the gap is one syscall wide.
    os.rename(site_dir, old)
    os.rename(new_dir, site_dir)
    remove_later(old)


def remove_later(path: Path) -> None:
    """Delete a directory in a process of its own that outlives this one, as the push hook
    deletes old releases (deploy/gk-deploy.sh `discard`): the new site is live already, and
    deleting the old one's 10,000 page folders took 2–3.5 s of a one-record `build --cache`
    (benchmarks/push_profile.py). Its name matches `.<site>-old-*`, so a build that starts
    before it is gone deletes the rest under its lock (`_lock`)."""
    code = "import os, shutil, sys\nos.nice(10)\nshutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def source_date_epoch(root: Path, site: Site) -> int:
    """The build's timestamp, from the sources and never the clock, so that two
    builds of one commit are byte-identical (sitemap lastmod, sitemap.xml.gz mtime).

    SOURCE_DATE_EPOCH when the caller sets it; otherwise the later of the git
    commit time and the newest record date (data edited after the commit).
    """
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env.isdigit():
        return int(env)
    newest = max((r.updated for r in site.records), default=dt.date(2000, 1, 1))
    epoch = int(dt.datetime.combine(newest, dt.time(), dt.timezone.utc).timestamp())
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip().isdigit():
            epoch = max(epoch, int(out.stdout.strip()))
    except (OSError, subprocess.SubprocessError):
        pass  # no git: the record dates alone
    return epoch


def _lock(site_dir: Path):
    """One build per site directory at a time; while it is held, any
    `.site-new-*`/`.site-old-*` directory is a leftover of a killed build."""
    f = open(site_dir.parent / f".{site_dir.name}.lock", "a+b")
    fcntl.flock(f, fcntl.LOCK_EX)
    for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-old-*"):
        for stale in site_dir.parent.glob(pattern):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
    return f


@contextmanager
def _new_site(root: Path, site_dir: Path, site: Site):
    """A new, empty directory beside site_dir for one build, under the lock and with the
    build's SOURCE_DATE_EPOCH; removed again if the build fails before it is swapped in."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock(site_dir)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(root, site))
    # The new tree is built beside the target so the final rename stays on one filesystem.
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
        lock.close()


def build(root: Path, site_dir: Path | None = None, strict: bool = True, as_of=None,
          progress=None, engine: str = "mkdocs", cache_dir: Path | None = None,
          on_checked=None, cache_in_background: bool = False) -> BuildResult:
    """The whole build, in pipeline order. `progress`: an optional
    generator.sitebuild.progress.Progress, told of each stage;
    `engine`: "mkdocs" (MkDocs + Material) or "zensical" (README "两种构建引擎");
    `cache_dir`: a build cache (build_cache.py) to reuse the pages and search shards
    whose inputs did not change since the build that wrote it, and to update; it also
    holds the record cache (model/record_cache.py), the loaded and validated record files;
    `on_checked`: shown the checks' findings before anything is written (pipeline.load_and_check);
    `cache_in_background`: the build cache's last writes are left to a process of their own once
    the new site is in place (see _commit_later), and the build returns without waiting for them."""
    if engine not in ENGINES:
        raise ValueError(engine)
    root = Path(root).resolve()
    site_dir = Path(site_dir or root / "site").resolve()
    # One build at a time reads and writes a cache directory (its records, Markdown, pages
    # and search shards), from the first read to the last write, which may be another
    # process's (_commit_later): it holds this lock until it is done.
    cache_lock = build_cache.lock(cache_dir) if cache_dir is not None else None
    try:
        with fewer_collections():
            return _build(root, site_dir, strict, as_of, progress, engine, cache_dir, on_checked,
                          cache_in_background)
    finally:
        if cache_lock:
            cache_lock.close()
        if progress:
            progress.finish()


def _build(root, site_dir, strict, as_of, progress, engine, cache_dir, on_checked,
           cache_in_background) -> BuildResult:
    stage = progress.stage if progress else (lambda text: None)
    timings = {}
    t = time.perf_counter()
    stage("校验数据并生成页面")
    stored = RecordCache(cache_dir, root) if cache_dir is not None else None
    compiled = compiled_templates.directory(cache_dir, root) if cache_dir is not None else None
    site, problems, stats = pipeline.generate(root, as_of, stored=stored, on_checked=on_checked,  # load → … → write
                                              render_cache_dir=cache_dir,
                                              compiled=compiled and compiled / "generator")
    timings["generate"] = time.perf_counter() - t
    digests = stats.pop("digests", None)
    _trim_heap()
    cfg = _mkdocs_config(root) if cache_dir is not None and engine == "mkdocs" else None
    cache = open_cache(root, cache_dir, cfg) if cfg is not None else None
    with _new_site(root, site_dir, site) as work:
        t = time.perf_counter()
        if engine == "zensical":
            stage("Zensical 构建网站")
            zensical_build(root, work, strict=strict)
        else:
            stage("MkDocs 构建网站")
            placed, place = place_cached_pages(cache, root, work, cfg, defer=True,
                                               digests=digests, static=True) if cache else ((), None)
            with mkdocs_pages(progress, root / MKDOCS_FILE, root / CONTENT_DIR), frozen_heap():
                mkdocs_build(root, work, strict=strict, skip=frozenset(placed),
                             alongside=place and partial(_while_mkdocs_builds, place, cache),
                             compiled=compiled and compiled / "theme")
            if cache:
                cache.keep_pages(work, placed)
        timings[engine] = time.perf_counter() - t
        stage("构建后处理（搜索索引等）")
        pipeline.post_build(site, work, root, timings, cache=cache)
        if cache:
            if not cache_in_background:
                cache.commit()
            stats.update(reused_pages=cache.reused_pages, reused_search_shards=cache.reused_bundles,
                         reused_records=stored.hits)
        os.chmod(work, 0o755)
        stage("发布（替换站点目录）")
        swap_in(work, site_dir)
        if cache and cache_in_background:
            _commit_later(cache)
        pipeline.post_swap(site, root, site_dir)
    return BuildResult(site=site, site_dir=site_dir, problems=problems, timings=timings,
                       render_stats=stats, held=(stored, cache, digests))


def _while_mkdocs_builds(place, cache: build_cache.Cache) -> None:
    """What this process does while the MkDocs workers build: place the cached pages, then read
    what the search index step reads first (search.read_ahead), instead of after the workers
    are done: a one-record push at 10,000 pages, title changed, 11.07 → 10.71 s (median of 5,
    taken in turn with the version before: benchmarks/push_ab.py)."""
    place()
    search.read_ahead(cache)


def _commit_later(cache: build_cache.Cache) -> None:
    """Write the build cache's manifest and tables (and drop its stale entries) in a process of
    its own, which holds the cache's lock (inherited) until it is done, so that the next build
    waits for it. The push hook switches the site live only when the build process has exited:
    at 10,000 pages this write was 0.5 s of a one-record push, which the editor no longer waits
    for. Detached twice over (no zombie for a caller that goes on; its own session; /dev/null
    for output, or git would wait for it on the hook's stderr). Killed or failing midway, it
    leaves the cache as it was before (Cache.commit replaces the manifest in one rename)."""
    if not hasattr(os, "fork"):
        cache.commit()
        return
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            if os.fork() == 0:
                os.setsid()
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                cache.commit()
                cache.make_ready()
            status = 0
        finally:
            os._exit(status)
    os.waitpid(pid, 0)
