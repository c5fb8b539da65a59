"""Live preview: regenerate Markdown when data, templates or schemas change,
and serve the re-rendered pages through `mkdocs serve`, reloading the browser.

At 10,000 records a dirty MkDocs rebuild still rescans every file, rebuilds
the navigation and renders the sitemap (about 3 s), and MkDocs' own watcher
polls the whole content tree every half second. So a saved record takes a
shorter way: its pages are re-rendered with the files, navigation and theme
environment kept from the last full MkDocs build (`Incremental`), and the
browser is told to reload at once. MkDocs' watcher still sees the written
Markdown and runs its usual dirty build afterwards, which keeps everything
else (hand-written pages, the theme) as `mkdocs serve` always has.

The pages are built into a directory that outlives the preview (`kept_dir`,
under .cache/preview/, named by the build cache's key of the theme, mkdocs.yml,
the generator, the installed packages and the preview's address). A preview
started again finds its last pages there: it serves at once, MkDocs' dirty
build renders only the pages whose Markdown is newer than their HTML, and the
data is loaded, checked and written again in the background, the changed pages
re-rendered and the browsers reloaded as after a save. At 10,000 records this
is what lets a province site's preview show its first page in seconds rather
than after a full load and MkDocs build.

A first preview (no kept directory yet) starts the same way from the pages of the last
`make site`, which keeps them in its build cache (build.BUILD_CACHE): the preview renders its
pages with the site's configured address, as a build does, so a page whose Markdown is
unchanged is the same file (tests/test_serve.py compares them).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import stat
import sys
import threading
import time
from pathlib import Path

from . import build_cache, mkdocs_adapter, site_identity
from .build import BUILD_CACHE, CONTENT_DIR, MKDOCS_FILE, _mkdocs_config, open_cache, place_cached_pages
from ..pipeline import load_and_check, write_pages
from ..problems import DataError, print_problems, summary
from ..urls import ROOT as GENERATED_DIR, urls

WATCHED = ("site_data", "templates", "schemas")
POLL_SECONDS = 0.3
# Editors' temporary and backup files: a save through them is seen when the real file changes.
_SCRATCH_SUFFIXES = (".swp", ".swx", ".tmp", "~")


def snapshot(root: Path) -> dict:
    state = {}
    for name in WATCHED:
        for path in (root / name).rglob("*"):
            try:
                st = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):  # a directory's mtime moves whenever an editor saves
                state[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return state


class Incremental:
    """Re-renders single MkDocs pages with the state of the last full build.

    `full_build` wraps MkDocs' build and keeps what every page render needs
    (config, files, the documentation pages, navigation, Jinja environment).
    `render` then converts and writes just the given pages, as a dirty build
    would, without rescanning the 10,000 other files. A page MkDocs has not
    seen (a new record) needs the navigation and file list rebuilt: `render`
    declines and the watcher's build handles it. The lock keeps a re-render
    and a full build from working on the same state at once.
    """

    def __init__(self, site_url: str | None = None):
        # The configured address, not the preview's (which `mkdocs serve` puts in the config):
        # pages then come out as a build makes them, so that a first preview can start from
        # the pages of the last `make site` (seed_from_build).
        self.site_url = site_url
        # Held by a full build and around every write of Markdown: a dirty build that
        # skipped a page as unchanged must not find it changed when it renders it.
        self.lock = threading.RLock()
        self.state: dict | None = None
        self.server = None
        self.built = threading.Event()  # set once a full build has finished
        self._pages: set[str] | None = None  # the last build's pages (dest_uri)

    def full_build(self, build, config, *args, **kwargs):
        config.site_url = self.site_url
        config.extra.update(site_identity.theme_extra(Path(config.config_file_path).parent, config.site_url))
        # Present only while the directory holds a finished build: a preview killed midway
        # leaves pages that a later dirty build would take for current (kept_dir).
        complete = Path(config.site_dir) / COMPLETE
        complete.unlink(missing_ok=True)
        kept: dict = {}

        def keep_populate(populate, page, config, files, *a, **kw):
            kept.update(config=config, files=files)
            return populate(page, config, files, *a, **kw)

        def keep_build_page(build_page, page, config, doc_files, nav, env, *a, **kw):
            kept.update(doc_files=doc_files, nav=nav, env=env)
            return build_page(page, config, doc_files, nav, env, *a, **kw)

        with self.lock, mkdocs_adapter.page_loop(keep_populate, keep_build_page):
            self.state = None
            build(config, *args, **kwargs)
            if {"config", "files", "doc_files", "nav", "env"} <= set(kept):
                self.state = kept
                wanted = {f.dest_uri for f in kept["files"]}
                # Walking 10,000 pages takes 0.7 s: only when a page may be gone (and once per start,
                # for what went while no preview ran).
                if self._pages is None or not self._pages <= wanted:
                    _drop_stale_pages(Path(config.site_dir), wanted)
                self._pages = wanted
            complete.touch()
        self.built.set()

    def render(self, paths: list[Path]) -> bool:
        """Re-render these written files; False when only a full build can show them."""
        if not paths:
            return True
        with self.lock:
            state = self.state
            if state is None:
                return False
            config, files = state["config"], state["files"]
            docs_dir = Path(config.docs_dir).resolve()
            found = []
            for path in paths:
                try:
                    rel = Path(path).resolve().relative_to(docs_dir).as_posix()
                except ValueError:
                    return False
                file = files.get_file_from_path(rel)
                if file is None or (file.is_documentation_page() and file.page is None):
                    return False
                found.append(file)
            for file in found:
                if file.is_documentation_page():
                    mkdocs_adapter.render_page(file.page, config, files, state["doc_files"], state["nav"], state["env"])
                else:
                    file.copy_file(dirty=False)
            self._reload_browsers()
        return True

    def _reload_browsers(self) -> None:
        if self.server is not None:
            mkdocs_adapter.reload_browsers(self.server)


def _drop_stale_pages(site_dir: Path, wanted: set[str]) -> None:
    """MkDocs' dirty build writes pages and never removes one: the page of a deleted record
    stayed in the preview, and in the kept directory after it (kept_dir). A generated page
    that is not among this build's (`wanted`: their dest_uri; its Markdown is gone) is removed."""
    base = site_dir / GENERATED_DIR
    if not base.is_dir():
        return
    for page in base.rglob("*.html"):
        if page.relative_to(site_dir).as_posix() not in wanted:
            page.unlink(missing_ok=True)


class Preview:
    """Regenerates the Markdown after each save, quickly first, then completely.

    Parsed and validated files are cached by their stat, so a save costs one
    file's parse. When only record files changed, a first pass skips the
    site-wide checks (marked deferrable in pipeline.CHECKS), rewrites those records' pages
    (with their linked records and the same region's other periods) and every
    listing page, and re-renders the written pages at once (`Incremental`).
    A second, complete pass follows with every check and catches anything
    else that depended on the change.
    """

    def __init__(self, root: Path, incremental: Incremental | None = None):
        self.root = root
        self.cache: dict = {}
        self.incremental = incremental or Incremental()

    def regenerate(self, changed: set[Path] | None = None) -> bool:
        try:
            only = None
            if changed:
                site, problems, _ = load_and_check(self.root, cache=self.cache, quick=True)
                if site is None:
                    raise DataError(problems)
                only = affected_sources(site, self.root, changed)
            if only is not None:
                with self.incremental.lock:
                    stats = write_pages(site, self.root, only=only)
                    shown = self.incremental.render(stats["paths"])
                print(f"已更新修改的页面（{stats['written']} 个{'' if shown else '，等待网站重建'}），"
                      "正在检查其余页面……", flush=True)
            site, problems, report = load_and_check(self.root, cache=self.cache)
            if site is None:
                raise DataError(problems)
            with self.incremental.lock:
                stats = write_pages(site, self.root, report=report)
                self.incremental.render(stats["paths"])
        except DataError as exc:
            print_problems(exc.problems)
            print(f"数据有误，预览仍显示上一次正确的内容。{summary(exc.problems)}", file=sys.stderr)
            return False
        print_problems(problems)
        print(f"已重新生成：{stats['written']} 个页面有变化。", flush=True)
        return True


def affected_sources(site, root: Path, changed: set[Path] | None) -> set[str] | None:
    """Record pages a change of these files touches, or None when everything may be touched
    (templates, schemas, site settings, or a file that no longer loads as a record)."""
    if not changed:
        return None
    data_dir = os.path.abspath(root / "site_data") + os.sep
    # abspath, not resolve(): resolving 10,000 paths on every save took half a second.
    by_path = {os.path.abspath(r.doc.path): r for r in site.records}
    hit = []
    for path in changed:
        path = os.path.abspath(path)
        record = by_path.get(path)
        if record is None and not os.path.exists(path) and path.startswith(data_dir):
            continue  # an editor's temporary file, already renamed over the record (or a deletion: the complete pass)
        if record is None or not path.startswith(data_dir):
            return None
        hit.append(record)
    if not hit:
        return None
    same_series = {(r.kind.id, r.region_code) for r in hit}
    only = set()
    for r in site.records:
        if (r.kind.id, r.region_code) in same_series and r.kind.period:
            only.add(r.src)
    for r in hit:
        only.add(r.src)
        for linked in r.links.values():
            for other in (linked if isinstance(linked, list) else [linked]):
                only.add(other.src)
    return only


def _relevant(path: str) -> bool:
    name = os.path.basename(path)
    return not (name.startswith((".", "#", "~")) or name.endswith(_SCRATCH_SUFFIXES))


def watch(root: Path, preview: Preview, stop: threading.Event, initial: bool = False) -> None:
    """Regenerate after saves under WATCHED (`initial`: and once at the start, after the
    watcher is on, so that a save during that first pass is not missed). The operating
    system's file events (inotify and the like, through watchdog) tell which files changed
    without rescanning 10,000 files three times a second; polling is the fallback."""
    try:
        from watchdog.events import FileSystemEventHandler
        observer = _changes_observer()
    except (ImportError, OSError):
        return _poll(root, preview, stop, initial)

    changed: set[Path] = set()
    pending = threading.Condition()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.is_directory:
                return
            paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p and _relevant(p)]
            if paths:
                with pending:
                    changed.update(Path(os.fsdecode(p)) for p in paths)
                    pending.notify()

    try:
        for name in WATCHED:
            if (root / name).is_dir():
                observer.schedule(Handler(), str(root / name), recursive=True)
        observer.start()
        observer.ready.wait()
        if observer.failed is not None:
            raise observer.failed
    except OSError:  # no inotify watches left, an unusual filesystem
        return _poll(root, preview, stop, initial)
    try:
        if initial:
            _after_first_build(preview)
        while not stop.is_set():
            with pending:
                if not pending.wait_for(lambda: changed or stop.is_set(), timeout=0.5):
                    continue
            # An editor's save can arrive as several events (write, rename, attributes).
            time.sleep(0.05)
            with pending:
                batch = set(changed)
                changed.clear()
            if not stop.is_set():
                preview.regenerate(batch)
    finally:
        observer.stop()


def _after_first_build(preview: Preview) -> None:
    # Started from the kept pages: MkDocs' dirty build shows them first. Loading 10,000 records
    # at the same time held the interpreter from it (23.1 s to the first page instead of 15.8).
    # Then MkDocs' watches on content/, so that a page this pass adds is seen (ChangesObserver).
    preview.incremental.built.wait()
    server = preview.incremental.server
    observer = getattr(server, "observer", None)
    if hasattr(observer, "ready"):
        observer.ready.wait(timeout=300)
        if observer.failed is not None:
            print(f"无法监视 content/ 中的文件变化（{observer.failed}）：修改后的页面仍会更新，"
                  "新增的页面要重新启动预览才能看到。", file=sys.stderr, flush=True)
    preview.regenerate()


def _poll(root: Path, preview: Preview, stop: threading.Event, initial: bool = False) -> None:
    before = snapshot(root)
    if initial:
        _after_first_build(preview)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(root)
        if now != before:
            changed = {p for p in set(now) | set(before) if now.get(p) != before.get(p)}
            before = now
            preview.regenerate(changed)


# inotify also reports files being opened and read: MkDocs reads every page while it
# builds, and each read would ask for the next build.
_READS = ("opened", "closed_no_write")


def _change_events() -> list:
    """watchdog's event classes for every change, without the reads (_READS)."""
    from watchdog import events

    return [cls for name, cls in vars(events).items()
            if name.endswith("Event") and isinstance(cls, type) and issubclass(cls, events.FileSystemEvent)
            and cls not in (events.FileSystemEvent, events.FileSystemMovedEvent)
            and cls.event_type not in _READS]


def _changes_observer():
    """A watchdog observer (inotify on Linux) that passes on changes, not reads."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class ChangesOnly(FileSystemEventHandler):
        def __init__(self, inner):
            self.inner = inner

        def dispatch(self, event):
            if event.event_type not in _READS:
                self.inner.dispatch(event)

    class ChangesObserver(Observer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.ready = threading.Event()  # set once every watch is in place, or failed
            self.failed: OSError | None = None

        def schedule(self, event_handler, path, *args, **kwargs):
            # Not asked of the system at all: reading every page (a complete pass compares each
            # written file) queued 20,000 read events at 10,000 pages, overflowed the kernel's
            # queue and made the watcher rescan content/ dozens of times.
            kwargs.setdefault("event_filter", _change_events())
            return super().schedule(ChangesOnly(event_handler), path, *args, **kwargs)

        def start(self):
            # Watching content/ means one inotify watch per folder: 10,863 at 10,000 records,
            # 12.8 s before MkDocs' server would answer. It answers first; the watches follow.
            def start_then_tell():
                try:
                    super(ChangesObserver, self).start()
                except OSError as exc:  # no inotify watches left, an unusual filesystem
                    self.failed = exc
                finally:
                    self.ready.set()

            threading.Thread(target=start_then_tell, name="gk-watch-start", daemon=True).start()

    return ChangesObserver()


PREVIEW_DIR = ".cache/preview"
COMPLETE = ".gk-preview-complete"
RESUMED = "先显示上次预览的页面"
SEEDED = "先显示上次构建网站（make site）时生成的页面"


def kept_dir(root: Path, host: str, port: int) -> Path:
    """The directory the preview builds into and keeps (see the module docstring): named by
    what every page's HTML depends on besides its Markdown (build_cache.shared_key), so that a
    change to any of it starts an empty one, and by the preview's address, so that two
    previews on two ports never share one."""
    key = build_cache.shared_key(root, site_identity.theme_extra(root, _mkdocs_config(root).get("site_url")))
    return root / PREVIEW_DIR / hashlib.sha256(f"{key}\0{host}:{port}".encode()).hexdigest()[:24]


def _claim(site_dir: Path):
    """Hold site_dir for this preview and remove the other previews' directories that no
    running preview holds (each is a whole site); None when a preview on the same address holds it."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    mine = site_dir.with_name(site_dir.name + ".lock")
    lock = open(mine, "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return None
    for other in site_dir.parent.glob("*.lock"):
        if other == mine:
            continue
        with open(other, "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a preview on another address is running
            shutil.rmtree(other.with_suffix(""), ignore_errors=True)
            other.unlink(missing_ok=True)
    if not (site_dir / COMPLETE).exists():
        shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.mkdir(exist_ok=True)
    return lock


def seed_from_build(root: Path, site_dir: Path) -> int:
    """Link into the preview's empty directory the pages the last build with the build cache
    (BUILD_CACHE: `make site`) made from Markdown that is still in content/ unchanged, by the
    cache's rules (build_cache.Cache.place_pages); returns how many. The first MkDocs build of
    the preview, a dirty one, then renders only the pages missing: a province site's first
    preview shows its first page in seconds, not after a full MkDocs build. Links, as the build
    places them, because the preview's MkDocs writes a page as a new file (serve: the adapter's
    writes_by_replacing), never into one: copying them was 3.3–4.9 s of a 10,000-page first
    start, linking 1.3–2.3 s. Not from the push hook's ready tree, which is the build's, under
    the cache's lock."""
    cfg = _mkdocs_config(root)
    cache = open_cache(root, root / BUILD_CACHE, cfg)
    if not cache.old:  # no build cache, or one from another theme, configuration or version
        return 0
    try:
        return len(place_cached_pages(cache, root, site_dir, cfg, ready=False))
    except OSError:  # a full disk, an unreadable file: the preview builds every page itself
        shutil.rmtree(site_dir, ignore_errors=True)
        site_dir.mkdir(exist_ok=True)
        return 0


def serve(root: Path, host: str, port: int) -> int:
    # Its pages may be links to the build cache's (seed_from_build): MkDocs never writes into one.
    with mkdocs_adapter.writes_by_replacing():
        return _serve(root, host, port)


def _serve(root: Path, host: str, port: int) -> int:
    mkdocs_adapter.check_version()
    root = root.resolve()
    incremental = Incremental(_mkdocs_config(root).get("site_url"))
    preview = Preview(root, incremental)
    site_dir = kept_dir(root, host, port)
    lock = _claim(site_dir)
    if lock is None:
        print(f"这个项目已经有一个预览在 http://{host}:{port}/ 运行。请打开那个地址，"
              "或先停止它（在它的窗口按 Ctrl+C），或用 --port 换一个端口再启动。", file=sys.stderr)
        return 1
    # The last preview's pages and Markdown are both there: serve them now, check the data after.
    written = (root / CONTENT_DIR / urls.home()).exists()
    resume = (site_dir / COMPLETE).exists() and written
    seeded = 0 if resume or not written else seed_from_build(root, site_dir)
    if resume or seeded:
        resume = True
        shown = RESUMED if not seeded else f"{SEEDED}（{seeded} 个）"
        print(shown + "；正在后台重新读取和检查数据，有变化的页面稍后自动刷新。", flush=True)
    elif not preview.regenerate() and not written:
        return 1

    def attach(server):
        incremental.server = server

    stop = threading.Event()
    threading.Thread(target=watch, args=(root, preview, stop, resume), daemon=True).start()
    print(f"预览地址：http://{host}:{port}/ （按 Ctrl+C 停止）", flush=True)
    try:
        # MkDocs polls the content tree every 0.5 s (10,000 stats each time at province
        # scale, holding the interpreter); file events cost nothing.
        mkdocs_adapter.serve(str(root / MKDOCS_FILE), f"{host}:{port}", incremental.full_build, attach,
                             observer=_changes_observer, site_dir=str(site_dir))
    finally:
        stop.set()
        lock.close()
    return 0
