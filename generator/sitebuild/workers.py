"""How many processes a build uses: the MkDocs page loop (build.py, counted by progress.py)
and the search index's staging (search.py) follow this one rule."""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from pathlib import Path


def build_workers() -> int:
    """Processes for the MkDocs page loop: one per core, at most 4 (GK_BUILD_WORKERS overrides)."""
    env = os.environ.get("GK_BUILD_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def mkdocs_workers(config_file: Path, workers: int | None = None) -> int:
    """`workers` (default build_workers()), or 1 when mkdocs.yml turns on MkDocs' search
    plugin: it collects its index in one process."""
    workers = workers or build_workers()
    return 1 if workers > 1 and _has_search_plugin(config_file) else workers


def _has_search_plugin(config_file: Path) -> bool:
    from mkdocs.config import load_config

    cfg = load_config(str(config_file))
    return any(name.split("/")[-1] == "search" for name in cfg.plugins)


@contextmanager
def frozen_heap():
    """While inside, the cyclic garbage collector leaves every object that exists now alone,
    in this process and in the processes it forks: a forked worker's collection would
    otherwise write to each inherited object's header and so copy the parent's whole heap
    (the loaded site) page by page into its own memory. Objects made inside are collected
    as usual; on leaving, the parent's are again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# CPython collects its youngest generation after every 700 net allocations of containers. A
# build makes millions that live to its end (the unpickled record cache, the build cache's
# tables, the rendered site), so each young collection walks young objects that never die:
# a one-record push at 10,000 pages spent about 1 s of 10.5 in them (benchmarks/push_profile.py,
# 0.42 → 0.20 s reading the tables alone). Cycles are still collected, only less often.
ALLOCATIONS_PER_COLLECTION = 50_000


@contextmanager
def fewer_collections():
    """While inside, the cyclic garbage collector runs after ALLOCATIONS_PER_COLLECTION
    allocations instead of 700 (and its older generations as rarely in proportion), in this
    process and in the processes it forks; on leaving, as before."""
    before = gc.get_threshold()
    gc.set_threshold(ALLOCATIONS_PER_COLLECTION, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
