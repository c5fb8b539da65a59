"""Live preview: regenerate Markdown when data, templates or schemas change,
and let `mkdocs serve` rebuild and reload the browser from the new Markdown."""
from __future__ import annotations

import stat
import sys
import threading
import time
from pathlib import Path

from .build import CONTENT_DIR, MKDOCS_FILE, load_and_check, write_pages
from .cli import print_problems, summary
from .problems import DataError

WATCHED = ("site_data", "templates", "schemas")
POLL_SECONDS = 0.3


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


class Preview:
    """Regenerates the Markdown after each save, quickly first, then completely.

    Parsed and validated files are cached by their stat, so a save costs one
    file's parse. When only record files changed, a first pass rewrites those
    records' pages (with their linked records and the same region's other
    periods) and every listing page; MkDocs (dirty mode) then rebuilds just
    the changed pages, so the edit is served within seconds even at 10,000
    pages. A second, complete pass follows at once and catches anything else
    that depended on the change.
    """

    def __init__(self, root: Path):
        self.root = root
        self.cache: dict = {}
        # Set by the MkDocs server after each rebuild: the complete pass waits for the
        # fast pass to be served instead of competing with that rebuild for the GIL.
        self.served = threading.Event()

    def regenerate(self, changed: set[Path] | None = None) -> bool:
        try:
            site, problems = load_and_check(self.root, cache=self.cache)
            if site is None:
                raise DataError(problems)
            only = affected_sources(site, self.root, changed)
            if only is not None:
                self.served.clear()
                stats = write_pages(site, self.root, only=only)
                print(f"已更新修改的页面（{stats['written']} 个），正在检查其余页面……", flush=True)
                if stats["written"]:
                    self.served.wait(timeout=30)
            stats = write_pages(site, self.root)
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
    data_dir = (root / "site_data").resolve()
    by_path = {Path(r.doc.path).resolve(): r for r in site.records}
    hit = []
    for path in changed:
        record = by_path.get(path.resolve())
        if record is None or data_dir not in path.resolve().parents:
            return None
        hit.append(record)
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


def watch(root: Path, preview: Preview, stop: threading.Event) -> None:
    before = snapshot(root)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(root)
        if now != before:
            changed = {p for p in set(now) | set(before) if now.get(p) != before.get(p)}
            before = now
            preview.regenerate(changed)


def serve(root: Path, host: str, port: int) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    root = root.resolve()
    preview = Preview(root)
    if not preview.regenerate() and not (root / CONTENT_DIR / "index.md").exists():
        return 1
    import mkdocs.commands.serve as mkdocs_serve_module

    mkdocs_build = mkdocs_serve_module.build

    def build_and_signal(*args, **kwargs):
        try:
            return mkdocs_build(*args, **kwargs)
        finally:
            preview.served.set()

    mkdocs_serve_module.build = build_and_signal
    stop = threading.Event()
    threading.Thread(target=watch, args=(root, preview, stop), daemon=True).start()
    print(f"预览地址：http://{host}:{port}/ （按 Ctrl+C 停止）", flush=True)
    try:
        # Dirty builds: MkDocs re-renders only pages whose Markdown is newer than their HTML.
        mkdocs_serve(config_file=str(root / MKDOCS_FILE), livereload=True, build_type="dirty",
                     dev_addr=f"{host}:{port}", strict=False)
    finally:
        stop.set()
        time.sleep(0)
    return 0
