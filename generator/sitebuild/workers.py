"""How many processes a build uses: the MkDocs page loop (build.py, counted by progress.py),
the search index's staging (search.py), and the work split_map shares out (validating record
files, scanning pages for links) follow this one rule."""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from functools import partial
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


class Forked:
    """`run()` in a forked process while this one goes on; `result()` is what it returned.

    What it returns comes back through a pipe, pickled, except the objects of `shared` (by
    identity; the forked process has them as they were at the fork), which come back as this
    process's own: a self-check finding names the very Record the pages render. Where the
    process cannot be made, its result not be read or `run()` raised, `run()` runs here
    instead, so what it raises is raised here as it would have been."""

    def __init__(self, run, shared: list):
        self._run, self._shared = run, shared
        self._pid = self._pipe = None
        self._done: tuple | None = None
        if not hasattr(os, "fork"):
            return
        r, w = os.pipe()
        with frozen_heap():  # see frozen_heap: the child's collections would copy the parent's heap
            pid = os.fork()
            if pid == 0:
                os.close(r)
                os._exit(_send(run, shared, w))
        os.close(w)
        self._pid, self._pipe = pid, r

    def result(self):
        if self._done is None:
            value = _NOTHING
            if self._pid is not None:
                with os.fdopen(self._pipe, "rb") as f:
                    data = f.read()
                _, status = os.waitpid(self._pid, 0)
                if status == 0 and data:
                    try:
                        value = _unpickler(data, self._shared).load()
                    except Exception:  # noqa: BLE001 - computed again below
                        value = _NOTHING
            self._done = (self._run() if value is _NOTHING else value,)
        return self._done[0]


_NOTHING = object()


def _send(run, shared: list, fd: int) -> int:
    """In the forked process: run(), pickled into fd; the exit status."""
    import io
    import pickle

    status = 1
    try:
        index = {id(obj): i for i, obj in enumerate(shared)}
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: index.get(id(obj))
        pickler.dump(run())
        with os.fdopen(fd, "wb") as f:
            f.write(buf.getvalue())
        status = 0
    except BaseException:  # noqa: BLE001 - the parent runs it again and sees what it raises
        pass
    return status


def _unpickler(data: bytes, shared: list):
    import io
    import pickle

    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda i: shared[i]
    return unpickler


# Below this many items the forks and the pickling cost more than the second core gives.
SPLIT_LEAST = 400


def split_map(fn, items: list, workers: int | None = None, least: int | None = None) -> list:
    """[fn(x) for x in items], with every n-th item from the k-th done in the k-th of `workers`
    processes (default build_workers()) when there are at least `least` (SPLIT_LEAST): this process does
    its share while forked ones (Forked) do theirs and send them back pickled. Items are dealt
    in turn rather than in blocks, so each process gets some of every kind. What fn raises is
    raised here, as it would be in a plain loop."""
    n = min(workers or build_workers(), len(items))
    if n <= 1 or len(items) < (SPLIT_LEAST if least is None else least) or not hasattr(os, "fork"):
        return [fn(x) for x in items]
    others = [Forked(partial(_map, fn, items[k::n]), shared=[]) for k in range(1, n)]
    shares = [_map(fn, items[0::n])] + [other.result() for other in others]
    out = [None] * len(items)
    for k, share in enumerate(shares):
        out[k::n] = share
    return out


def _map(fn, items: list) -> list:
    return [fn(x) for x in items]
