"""Live preview: regenerate Markdown when data, templates or schemas change,
and let `mkdocs serve` rebuild and reload the browser from the new Markdown."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from .build import CONTENT_DIR, MKDOCS_FILE, generate
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
            state[path] = (st.st_mtime_ns, st.st_size)
    return state


def regenerate(root: Path) -> bool:
    try:
        _, problems, stats = generate(root)
    except DataError as exc:
        print_problems(exc.problems)
        print(f"数据有误，预览仍显示上一次正确的内容。{summary(exc.problems)}", file=sys.stderr)
        return False
    print_problems(problems)
    print(f"已重新生成：{stats['written']} 个页面有变化。", flush=True)
    return True


def watch(root: Path, stop: threading.Event) -> None:
    before = snapshot(root)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(root)
        if now != before:
            before = now
            regenerate(root)


def serve(root: Path, host: str, port: int) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    root = root.resolve()
    if not regenerate(root) and not (root / CONTENT_DIR / "index.md").exists():
        return 1
    stop = threading.Event()
    threading.Thread(target=watch, args=(root, stop), daemon=True).start()
    print(f"预览地址：http://{host}:{port}/ （按 Ctrl+C 停止）", flush=True)
    try:
        mkdocs_serve(config_file=str(root / MKDOCS_FILE), livereload=True,
                     dev_addr=f"{host}:{port}", strict=False)
    finally:
        stop.set()
        time.sleep(0)
    return 0
