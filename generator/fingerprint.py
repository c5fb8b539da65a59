"""Hashes of what a cached result is made from, for the caches that outlive one run
(sitebuild/build_cache.py: built pages and search shards; model/record_cache.py: loaded and
validated records). A cache entry is reused only when its hash is the same, so each hash
takes in everything the result depends on, down to the Python and package versions."""
from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path


def add_tree(h, root: Path, rel: str) -> None:
    """A file or a directory under root (every file, by path and content; not __pycache__)."""
    path = root / rel
    if not path.exists():
        return
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")


def add_environment(h) -> None:
    """The Python version and the name and version of every installed package."""
    h.update(f"{sys.version}\0".encode())
    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    h.update("\n".join(dists).encode())
