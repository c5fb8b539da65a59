"""Every touch of MkDocs' internals, in one place, for the MkDocs version requirements.txt pins.

(Not an MkDocs hook: mkdocs.yml does not load this file; build.py and serve.py import it.)

The build renders its pages in several processes, each stepping into MkDocs' page loop to
render only its share; the preview re-renders a saved record's pages with the state of the
last full build and tells the browsers to reload. Both need functions and attributes MkDocs
keeps private (`mkdocs.commands.build._populate_page` and `_build_page`, the live-reload
server's epoch), which any MkDocs release may change without notice. So they are reached
only through this module: `check_version` stops a build or preview under another MkDocs
with a message saying what to do, and tests/test_mkdocs_adapter.py fails when the pinned
version or the signatures in `INTERNALS` no longer match.
"""
from __future__ import annotations

import importlib
import inspect
import os
from contextlib import contextmanager
from importlib import metadata

from ..problems import DataError, Problem

# Keep equal to the pin in requirements.txt (tests/test_mkdocs_adapter.py compares them).
MKDOCS_VERSION = "1.6.1"

# The internals used below, by dotted name, with the parameters this module relies on.
INTERNALS = {
    "mkdocs.commands.build._populate_page": ("page", "config", "files", "dirty"),
    "mkdocs.commands.build._build_page": ("page", "config", "doc_files", "nav", "env", "dirty", "excluded"),
    "mkdocs.commands.build.build": ("config", "serve_url", "dirty"),
    "mkdocs.utils.clean_directory": ("directory",),
    "mkdocs.theme.Theme.get_env": ("self",),
    "mkdocs.utils.write_file": ("content", "output_path"),
    "mkdocs.structure.files.Files.copy_static_files": ("self", "dirty", "inclusion"),
    "mkdocs.livereload._timestamp": (),
    "mkdocs.commands.serve.build": ("config", "serve_url", "dirty"),  # replaced by `serve` below
    "mkdocs.commands.serve.LiveReloadServer.__init__": ("self", "builder", "host", "port", "root", "mount_path",
                                                        "polling_interval", "shutdown_delay"),
    "mkdocs.commands.serve.serve": ("config_file", "livereload", "build_type", "watch_theme", "watch",
                                    "open_in_browser", "kwargs"),
}
# How mkdocs.commands.serve makes and removes its site directory: `serve(site_dir=…)` replaces
# the `tempfile` and `shutil` it reaches them through.
SERVE_SOURCE = ("site_dir = tempfile.mkdtemp(prefix='mkdocs_')", "shutil.rmtree(site_dir)")
# Attributes of the live-reload server that `reload_browsers` and `serve` set.
SERVER_ATTRIBUTES = ("_epoch_cond", "_wanted_epoch", "_visible_epoch", "observer")


def installed_version() -> str | None:
    try:
        return metadata.version("mkdocs")
    except metadata.PackageNotFoundError:
        return None


def check_version() -> None:
    """Stop before MkDocs runs when it is not the version this module was written for."""
    installed = installed_version()
    if installed == MKDOCS_VERSION:
        return
    shown = f"MkDocs {installed}" if installed else "没有安装 MkDocs"
    raise DataError([Problem("requirements.txt", 1, 1,
                             f"当前环境里是 {shown}，但 requirements.txt 固定的是 MkDocs {MKDOCS_VERSION}，"
                             "生成器用到的 MkDocs 内部功能只按这个版本核对过，所以没有构建。请在项目目录运行 "
                             "make site 按 requirements.txt 重新安装（如果仍是这个提示，先删除 .venv/.runtime 再运行）。")])


def _lookup(dotted: str):
    """The object a dotted name in INTERNALS names (module attributes and class attributes)."""
    parts = dotted.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def changed_internals() -> list[str]:
    """What differs from INTERNALS and SERVER_ATTRIBUTES in the installed MkDocs (empty: nothing)."""
    out = []
    for dotted, expected in INTERNALS.items():
        try:
            found = tuple(inspect.signature(_lookup(dotted)).parameters)
        except (ImportError, AttributeError):
            out.append(f"{dotted}: missing")
            continue
        if found != expected:
            out.append(f"{dotted}: parameters {found}, expected {expected}")
    from mkdocs import livereload

    source = inspect.getsource(livereload.LiveReloadServer)
    out += [f"LiveReloadServer.{name}: not set any more" for name in SERVER_ATTRIBUTES
            if f"self.{name}" not in source]
    from mkdocs.commands import serve as serve_module

    source = inspect.getsource(serve_module.serve)
    out += [f"mkdocs.commands.serve.serve: no longer `{line}`" for line in SERVE_SOURCE if line not in source]
    return out


# ---------------------------------------------------------------- the page loop

@contextmanager
def page_loop(on_populate, on_build):
    """While inside, MkDocs' page loop calls `on_populate(original, page, …)` and
    `on_build(original, page, …)` instead of reading and rendering each page itself."""
    from mkdocs.commands import build as module

    populate, build_page = module._populate_page, module._build_page
    module._populate_page = lambda *a, **kw: on_populate(populate, *a, **kw)
    module._build_page = lambda *a, **kw: on_build(build_page, *a, **kw)
    try:
        yield
    finally:
        module._populate_page, module._build_page = populate, build_page


@contextmanager
def page_at_a_time(wanted):
    """While inside, MkDocs' page loop reads and converts each page that `wanted(page)` accepts
    just before it writes it, and lets go of its Markdown and HTML once written; other pages are
    neither read nor written. MkDocs itself reads and converts every page first and holds
    all their HTML until the last is written: ~0.3 GB per process at 10,000 pages (a forked
    worker's private memory), five times that at 50,000. Nothing between its two loops needs
    a page's text: navigation titles come from mkdocs.yml, and anchor checks after the loop
    use the anchors kept on each page."""
    from mkdocs.commands import build as module

    populate, build_page = module._populate_page, module._build_page
    files_of = {}  # the Files that populate is called with, for the late populate

    def on_populate(page, config, files, dirty=False):
        files_of["files"] = files

    def on_build(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if not wanted(page):
            return
        populate(page, config, files_of["files"], dirty)
        try:
            build_page(page, config, doc_files, nav, env, dirty, excluded)
        finally:
            # A title MkDocs would still work out from these comes out the same: it reads the
            # Markdown's first heading only while `content` is None, and "" has none.
            page.content, page.markdown = None, ""

    module._populate_page, module._build_page = on_populate, on_build
    try:
        yield
    finally:
        module._populate_page, module._build_page = populate, build_page


def render_page(page, config, files, doc_files, nav, env) -> None:
    """Read and render one documentation page again, as a dirty build would."""
    from mkdocs.commands import build as module

    module._populate_page(page, config, files, False)
    module._build_page(page, config, doc_files, nav, env, False)


@contextmanager
def shared_site_dir():
    """While inside, MkDocs does not empty the site directory before it writes: several
    processes write their shares of the pages into one directory."""
    from mkdocs import utils

    clean = utils.clean_directory
    utils.clean_directory = lambda path: None
    try:
        yield
    finally:
        utils.clean_directory = clean


@contextmanager
def theme_templates_kept(folder):
    """While inside, the theme's templates keep their compiled code in folder
    (compiled_templates.py), and theme_css its trimmed stylesheet; None: nothing changes."""
    from mkdocs.theme import Theme

    from ..compiled_templates import attach
    from .theme_css import KEPT_ENV

    get_env, kept = Theme.get_env, os.environ.get(KEPT_ENV)
    if folder is not None:
        Theme.get_env = lambda self: attach(get_env(self), folder)
        os.environ[KEPT_ENV] = str(folder)
    try:
        yield
    finally:
        Theme.get_env = get_env
        if kept is None:
            os.environ.pop(KEPT_ENV, None)
        else:
            os.environ[KEPT_ENV] = kept


@contextmanager
def writes_by_replacing():
    """While inside, MkDocs writes each file as a new file renamed over the old one, never into
    it: the preview's pages start as hard links to the build cache's (serve.seed_from_build),
    which the built site/ shares, and a page written in place would change all three."""
    from pathlib import Path

    from mkdocs import utils

    from .build_cache import replace_file

    write = utils.write_file

    def replace(content: bytes, output_path: str) -> None:
        Path(output_path).parent.mkdir(parents=True, exist_ok=True)  # as MkDocs' own does
        replace_file(Path(output_path), content)

    utils.write_file = replace
    try:
        yield
    finally:
        utils.write_file = write


@contextmanager
def static_files_except(skip):
    """While inside, MkDocs copies the static files (every file of docs_dir that is not a
    Markdown page) as it does, except those whose src_uri is in `skip`: the build cache has
    linked them into the site directory already (build.place_cached_pages)."""
    from mkdocs.structure.files import Files, InclusionLevel

    copy = Files.copy_static_files

    def copy_others(self, dirty: bool = False, *, inclusion=InclusionLevel.is_included) -> None:
        for file in self:  # MkDocs' own loop, and the skip
            if not file.is_documentation_page() and inclusion(file.inclusion) and file.src_uri not in skip:
                file.copy_file(dirty)

    Files.copy_static_files = copy_others
    try:
        yield
    finally:
        Files.copy_static_files = copy


def pages_only(config) -> None:
    """A build with this config writes its pages only: theme files, static templates (404,
    sitemap) and post-build plugins are another process's. For a forked worker: the change
    to MkDocs' `Files` is never undone."""
    from mkdocs.structure.files import Files

    config.theme.static_templates.clear()
    config.extra_templates.clear()
    Files.copy_static_files = lambda self, *a, **kw: None
    config.plugins.on_post_build = lambda **kw: None


# ---------------------------------------------------------------- the live preview

def reload_browsers(server) -> None:
    """The signal MkDocs' server gives after a build: pages waiting on an older epoch reload."""
    from mkdocs.livereload import _timestamp

    with server._epoch_cond:
        server._wanted_epoch = server._visible_epoch = _timestamp()
        server._epoch_cond.notify_all()


def serve(config_file: str, dev_addr: str, wrap_build, on_server, observer=None,
          site_dir: str | None = None) -> None:
    """`mkdocs serve` with dirty builds, each build run as `wrap_build(build, config, …)`;
    `on_server(server)` is called with the live-reload server once it exists, and `observer`
    (when given) replaces its file watcher. `site_dir`: a directory to build into and keep,
    instead of MkDocs' temporary one that it removes at the end."""
    import types

    import mkdocs.commands.serve as module
    import mkdocs.livereload as livereload

    build = module.build
    module.build = lambda *a, **kw: wrap_build(build, *a, **kw)
    if site_dir is not None:
        module.tempfile = types.SimpleNamespace(mkdtemp=lambda *a, **kw: site_dir)
        module.shutil = types.SimpleNamespace(rmtree=lambda *a, **kw: None)

    class Server(livereload.LiveReloadServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            on_server(self)
            if observer is not None:
                try:
                    self.observer = observer()
                except (ImportError, OSError):
                    pass

    module.LiveReloadServer = Server
    # Dirty builds: MkDocs re-renders only pages whose Markdown is newer than their HTML.
    module.serve(config_file=config_file, livereload=True, build_type="dirty", dev_addr=dev_addr, strict=False)
