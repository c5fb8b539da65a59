"""Province-scale benchmark: prints a table and writes JSON.

    python benchmarks/run.py --pages 10000 [--pages 1000 …] [--skip-peer] [--skip-preview]
                             [--skip-incremental] [--only-cold]

For each size it builds a corpus (benchmarks/corpus.py) and measures, each step
in a fresh process (wall time and peak RSS):
  validate, check, generate (validate+checks+render+write), MkDocs build,
  the whole cold `python -m generator build` (what a push costs; timed in a run of its
  own, as its whole-tree PSS is sampled in another, see cold_build), output size,
  HTML bytes per record page, search bytes (on page view / first search, when
  the browser benchmark and Chromium are available), the time from saving
  one YAML file to the preview server serving the change, and the preview's start to its
  first page: a first start, a start again, and a first start after `make site`.
Then the build with a cache (`build --cache --cache-in-background`, as the push hook runs it,
timed until the new site is in place): after one record's
changed title, then one corrected figure in it, then one changed kind template, timed beside a cold build of the same sources
and compared with it byte for byte. `--only-cold` measures only the cold build of each size
(time, whole-tree memory, growth between sizes: the 50,000-page scale figures).
It also builds the same generated Markdown with plain MkDocs + Material
(built-in search, `language: zh`, only column pages in the nav) — the peer —
and reports our cold build as a ratio to it, measured in the same run.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

PY = sys.executable
TIME = "/usr/bin/time"


def tree_pids(top: int) -> list[int]:
    """`top` and every process descended from it (one pass over /proc: parents before children)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue  # exited meanwhile
        # The command name, in parentheses, may itself hold spaces or parentheses: fields follow the last ")".
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [top]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def tree_pss_kb(top: int) -> int:
    """The proportional set size of `top`'s process tree, kB: shared pages (a forked MkDocs
    worker's copy of its parent) are counted once in all, not once per process as RSS would."""
    total = 0
    for pid in tree_pids(top):
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass  # exited between the listing and the read
    return total


class TreePss:
    """Samples a running process tree's summed PSS every `interval` seconds, in a thread; `stop` returns the peak, MB."""

    def __init__(self, pid: int, interval: float = 0.15):
        import threading

        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))
            self._done.wait(self.interval)
        self.cpu_seconds = time.thread_time()  # what the sampling cost: the kernel walks each page table

    def stop(self) -> float | None:
        self._done.set()
        self._thread.join()
        return round(self.peak_kb / 1024, 1) if self.peak_kb else None


def measure(cmd: list[str], cwd: Path, env=None, tree_pss: bool = False, keep_stdout: bool = False) -> dict:
    """Run a command; wall seconds and peak RSS (MB) of the process tree's largest member,
    and with `tree_pss` the peak of the whole tree's summed PSS (MB, sampled; Linux only)."""
    start = time.perf_counter()
    timed = Path(TIME).exists()
    proc = subprocess.Popen([TIME, "-f", "MAXRSS %M", *cmd] if timed else cmd, cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreePss(proc.pid) if tree_pss and Path("/proc/self/smaps_rollup").exists() else None
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    pss = sampler.stop() if sampler else None
    m = re.search(r"MAXRSS (\d+)", stderr) if timed else None
    rss = int(m.group(1)) / 1024 if m else None
    if proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stdout[-2000:]}\n{stderr[-3000:]}")
    out = {"seconds": round(wall, 2), "peak_mb": round(rss, 1) if rss else None}
    if keep_stdout:
        out["stdout"] = stdout
    if tree_pss:
        out["tree_pss_mb"] = pss
        out["sampler_cpu_s"] = round(getattr(sampler, "cpu_seconds", 0.0), 2) if sampler else None
    return out


def cold_build(root: Path, as_of: list[str]) -> dict:
    """The cold `generator build`, twice: its whole-tree peak PSS from a run the sampler watches,
    then its time from a run nothing watches, as the peer's and the cached builds' are taken.
    Reading the tree's PSS every 0.15 s costs the kernel a walk of each process's page tables
    (23 ms a sample for a 1.6 GB process): 7.61 s of CPU over a watched 10,000-page cold build
    (`sampler_cpu_s`), on two cores the build keeps busy. That is less than one run differs from
    the next on the development machine (watched 99.99 and 103.26 s, unwatched 85.2 and 99.38 s,
    side by side; in another run, watched 95.39 s and unwatched 104.79 s), but it weighs on one
    side only, which the peer's and the pushes' unwatched times did not."""
    clean_generated(root)
    watched = measure([PY, "-m", "generator", "build", *as_of], root, tree_pss=True)
    clean_generated(root)
    res = measure([PY, "-m", "generator", "build", *as_of], root)
    res["tree_pss_mb"], res["sampler_cpu_s"] = watched["tree_pss_mb"], watched["sampler_cpu_s"]
    res["watched_seconds"] = watched["seconds"]
    return res


STEP = """
import sys, time
from pathlib import Path
root = Path.cwd()
step = sys.argv[1]
if step == "generate":
    import datetime
    from generator.pipeline import generate
    generate(root, as_of=datetime.date.fromisoformat(sys.argv[2]))
elif step == "mkdocs":
    from generator.sitebuild.build import mkdocs_build
    import shutil
    out = root / "bench-mkdocs-site"
    shutil.rmtree(out, ignore_errors=True)
    mkdocs_build(root, out)
    shutil.rmtree(out, ignore_errors=True)
"""


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def clean_generated(root: Path) -> None:
    shutil.rmtree(root / "content" / "zwgk", ignore_errors=True)
    (root / "content" / "index.md").unlink(missing_ok=True)
    shutil.rmtree(root / "site", ignore_errors=True)


def peer_project(root: Path, dest: Path) -> Path:
    """The same generated Markdown, built by plain MkDocs + Material with its own search."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root / "content", dest / "docs")
    # Our own search page needs our theme overrides; the peer has Material's search instead.
    (dest / "docs" / "search.md").unlink(missing_ok=True)
    import yaml

    ours = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8").replace("!!python", "#"))
    cfg = {
        "site_name": "peer",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}],
        "markdown_extensions": ["tables", "attr_list", "md_in_html", "admonition", "toc"],
        "nav": ours["nav"],
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), "utf-8")
    return dest


def record_page_bytes(site: Path) -> dict:
    from search_transfer import record_pages

    try:
        sizes = [(site / rel / "index.html").stat().st_size for rel in record_pages(site)]
    except SystemExit:  # no record pages
        sizes = []
    if not sizes:
        return {"mean_kb": None, "max_kb": None, "count": 0}
    return {"mean_kb": round(sum(sizes) / len(sizes) / 1024, 1), "max_kb": round(max(sizes) / 1024, 1),
            "count": len(sizes)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_preview(root: Path, port: int, url: str, timeout: float):
    """Start the preview server; (the process, seconds until `url` is served). Its output goes
    to benchmarks/out/preview.log."""
    log = open(HERE / "out" / "preview.log", "w", encoding="utf-8")
    proc = subprocess.Popen([PY, "-m", "generator", "serve", "--port", str(port)], cwd=root,
                            stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    log.close()
    start = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return proc, time.perf_counter() - start
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() - start > timeout:
            _stop_preview(proc)
            raise RuntimeError("preview server did not start")
        time.sleep(0.1)


def _stop_preview(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def preview_latency(root: Path, timeout: float = 900) -> dict:
    """Start the preview server, change one YAML value, time until the page served shows it;
    then stop it and time a second start, which serves the pages the first one kept
    (generator/sitebuild/serve.py) while it checks the data again in the background."""
    import yaml

    port = free_port()
    target = sorted((root / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    data = yaml.safe_load(target.read_text("utf-8"))
    slug = data["index_no"].replace("/", "-").lower()
    url = f"http://127.0.0.1:{port}/zwgk/relief/dibao_stats/{slug}/"
    shutil.rmtree(root / ".cache" / "preview", ignore_errors=True)  # a first start is a first start
    proc, startup = _start_preview(root, port, url, timeout)
    text = target.read_text("utf-8")
    try:
        marker = "基准测试修改标记"
        time.sleep(1.1)  # let the watcher's first snapshot settle
        saved = time.perf_counter()
        target.write_text(text.replace("title: ", f"title: {marker}", 1), "utf-8")
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if marker in r.read().decode("utf-8"):
                        break
            except OSError:
                pass
            if time.perf_counter() - saved > timeout:
                raise RuntimeError("change never appeared")
            time.sleep(0.05)
        latency = time.perf_counter() - saved
        # The complete pass after the quick one (its line is the second 已重新生成), and MkDocs'
        # build after it: the pages kept for the second start are then current.
        deadline = time.perf_counter() + timeout
        while (HERE / "out" / "preview.log").read_text("utf-8").count("已重新生成") < 2:
            if time.perf_counter() > deadline:
                raise RuntimeError("the complete pass never ended")
            time.sleep(0.5)
        time.sleep(3)
        while not any((root / ".cache" / "preview").glob("*/.gk-preview-complete")):
            time.sleep(0.2)
    finally:
        target.write_text(text, "utf-8")
        _stop_preview(proc)
    proc, again = _start_preview(root, port, url, timeout)
    _stop_preview(proc)
    resumed = "先显示上次预览的页面" in (HERE / "out" / "preview.log").read_text("utf-8")
    # A first preview after `make site` (a build with the build cache, serve.seed_from_build).
    shutil.rmtree(root / ".cache" / "preview", ignore_errors=True)
    cache = root / ".cache" / "build"
    shutil.rmtree(cache, ignore_errors=True)
    try:
        built = measure([PY, "-m", "generator", "build", "--as-of", corpus.AS_OF.isoformat(),
                         "--cache", str(cache)], root)
        proc, seeded = _start_preview(root, port, url, timeout)
        _stop_preview(proc)
        from_cache = "先显示上次构建网站" in (HERE / "out" / "preview.log").read_text("utf-8")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"startup_s": round(startup, 1), "save_to_served_s": round(latency, 2),
            "restart_s": round(again, 1) if resumed else f"{again:.1f} (not from kept pages)",
            "make_site_s": built["seconds"],
            "after_build_s": round(seeded, 1) if from_cache else f"{seeded:.1f} (not from the build cache)"}


def search_transfer(site: Path) -> dict | None:
    script = HERE / "search_transfer.py"
    if not script.exists() or not Path("/usr/bin/chromium").exists():
        return None
    out = HERE / "out" / "search.json"
    proc = subprocess.run([PY, str(script), str(site), "--json", str(out)], capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        return {"error": (proc.stderr or proc.stdout)[-500:]}
    return json.loads(out.read_text("utf-8"))


def bench(pages: int, skip_peer: bool, skip_preview: bool, skip_incremental: bool = False,
          only_cold: bool = False) -> dict:
    root = HERE / "out" / f"corpus-{pages}"
    info = corpus.build_corpus(pages, root)
    res: dict = {"pages": info["pages"], "kinds": info["kinds"]}
    # The corpus is dated for corpus.AS_OF; checks judge lateness and freshness against it.
    as_of = ["--as-of", corpus.AS_OF.isoformat()]
    if only_cold:  # the scale figures alone: time, memory and size of the cold build
        res["build"] = cold_build(root, as_of)
        res["output_mb"] = round(dir_size(root / "site") / 1024 / 1024, 1)
        return res
    res["validate"] = measure([PY, "-m", "generator", "validate", *as_of], root)
    if "check" in subprocess.run([PY, "-m", "generator", "--help"], cwd=root, capture_output=True,
                                 text=True).stdout:
        res["check"] = measure([PY, "-m", "generator", "check", *as_of], root)
    clean_generated(root)
    res["generate"] = measure([PY, "-c", STEP, "generate", corpus.AS_OF.isoformat()], root)
    res["mkdocs"] = measure([PY, "-c", STEP, "mkdocs"], root)
    res["build"] = cold_build(root, as_of)
    site = root / "site"
    res["output_mb"] = round(dir_size(site) / 1024 / 1024, 1)
    res["record_page"] = record_page_bytes(site)
    res["search"] = search_transfer(site)
    if not skip_peer:
        peer = peer_project(root, HERE / "out" / f"peer-{pages}")
        res["peer"] = measure([PY, "-m", "mkdocs", "build", "-q"], peer)
        res["peer"]["output_mb"] = round(dir_size(peer / "site") / 1024 / 1024, 1)
        idx = peer / "site" / "search" / "search_index.json"
        res["peer"]["search_index_mb"] = round(idx.stat().st_size / 1024 / 1024, 1) if idx.exists() else None
        res["ratio_to_peer"] = round(res["build"]["seconds"] / res["peer"]["seconds"], 2)
        shutil.rmtree(peer, ignore_errors=True)
    if not skip_preview:
        res["preview"] = preview_latency(root)
    if not skip_incremental:
        res["incremental"] = incremental(root, as_of)
    return res


def same_tree(a: Path, b: Path) -> bool:
    """Byte for byte the same files (what a cached build must give)."""
    import filecmp

    def walk(d: filecmp.dircmp) -> bool:
        if d.left_only or d.right_only or d.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(d.left, d.right, d.common_files, shallow=False)
        return not mismatch and not errors and all(walk(sub) for sub in d.subdirs.values())
    return walk(filecmp.dircmp(a, b))


def incremental(root: Path, as_of: list[str]) -> dict:
    """The build with a cache (`build --cache --cache-in-background`, what the push hook runs): filled by a build of
    the corpus, then after one changed title, one corrected figure and one changed kind template, each timed
    and compared byte for byte with a cold build of the same sources."""
    cache, out = root / "bench-cache", {}
    shutil.rmtree(cache, ignore_errors=True)
    record = sorted((root / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    template = root / "templates" / "kinds" / "dibao_stats.md.j2"
    originals = {record: record.read_text("utf-8"), template: template.read_text("utf-8")}
    figure = re.search(r"(?m)^  recipients: (\d+)$", originals[record]).group(0)
    corrected = re.sub(r"\d+$", lambda m: str(int(m.group(0)) + 1), figure)
    edits = [("record", record, "title: ", "title: 【更正】"), ("figure", record, figure, corrected),
             ("template", template, "主要数据", "主要统计数据")]

    def cached(name: str) -> dict:
        site = root / f"bench-{name}"
        shutil.rmtree(site, ignore_errors=True)
        # As the push hook builds: timed until the new site is in place and the build exits; the
        # cache's last writes (and the tree of links the next build starts from) follow in a
        # detached process, which the next step waits for as the hook's next push would.
        # Only the fill's memory is reported: a push is timed unwatched, as the cold build beside it.
        r = measure([PY, "-m", "generator", "build", *as_of, "--site-dir", str(site), "--cache", str(cache),
                     "--cache-in-background"], root, tree_pss=name == "fill", keep_stdout=True)
        with open(cache / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        m = re.search(r"复用了 (\d+) 个没有变化的记录文件的校验结果、(\d+) 个没有变化的页面、(\d+) 个搜索索引分片", r.pop("stdout"))
        r["reused_records"], r["reused_pages"], r["reused_shards"] = (
            (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (None, None, None))
        return r

    try:
        out["fill"] = cached("fill")
        for name, path, old, new in edits:
            path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
            # The push hook's first step, with the cache the build beside it fills.
            checked = measure([PY, "-m", "generator", "check", *as_of, "--cache", str(cache)], root)
            out[name] = cached(name)
            out[name]["check_seconds"] = checked["seconds"]
            cold = root / "bench-cold"
            shutil.rmtree(cold, ignore_errors=True)
            out[name]["cold_seconds"] = measure(
                [PY, "-m", "generator", "build", *as_of, "--site-dir", str(cold)], root)["seconds"]
            out[name]["identical"] = same_tree(cold, root / f"bench-{name}")
            out[name]["ratio"] = round(out[name]["seconds"] / out[name]["cold_seconds"], 2)
    finally:
        for path, text in originals.items():
            path.write_text(text, "utf-8")
        for d in root.glob("bench-*"):
            shutil.rmtree(d, ignore_errors=True)
    return out


def fmt(v) -> str:
    return "—" if v is None else str(v)


def add_linearity(results: list[dict]) -> None:
    """Each size's cold build time as a multiple of the previous size's, beside the page ratio:
    linear growth keeps the two close (issue 20: ×5 ± 15 % from 10,000 to 50,000 pages)."""
    for prev, r in zip(results, results[1:]):
        r["linearity"] = (f"×{r['build']['seconds'] / prev['build']['seconds']:.2f} "
                          f"(×{r['pages'] / prev['pages']:.2f})")


def _reuse(run: dict) -> str:
    return f"{run['ratio']} / {run.get('reused_records')}, {run['reused_pages']}, {run['reused_shards']}"


def table(results: list[dict]) -> str:
    rows = [
        ("records (pages)", lambda r: r["pages"]),
        ("validate s / MB", lambda r: f"{r['validate']['seconds']} / {fmt(r['validate']['peak_mb'])}"),
        ("check s / MB", lambda r: f"{r['check']['seconds']} / {fmt(r['check']['peak_mb'])}" if "check" in r else None),
        ("generate s / MB", lambda r: f"{r['generate']['seconds']} / {fmt(r['generate']['peak_mb'])}"),
        ("MkDocs build s / MB", lambda r: f"{r['mkdocs']['seconds']} / {fmt(r['mkdocs']['peak_mb'])}"),
        ("cold `generator build` s / MB", lambda r: f"{r['build']['seconds']} / {fmt(r['build']['peak_mb'])}"),
        ("cold build peak PSS, whole process tree MB (from a run of its own)", lambda r: r["build"].get("tree_pss_mb")),
        ("cold build time × since the previous size (pages ×)", lambda r: r.get("linearity")),
        ("peer (MkDocs+Material+search) s / MB",
         lambda r: f"{r['peer']['seconds']} / {fmt(r['peer']['peak_mb'])}" if "peer" in r else None),
        ("ratio build / peer", lambda r: r.get("ratio_to_peer")),
        ("output MB (peer MB)", lambda r: f"{r['output_mb']} ({r['peer']['output_mb']})" if "peer" in r else r["output_mb"]),
        ("record page HTML KB mean / max", lambda r: f"{r['record_page']['mean_kb']} / {r['record_page']['max_kb']}"),
        ("search KB on page view", lambda r: (r.get("search") or {}).get("load_kb")),
        ("search KB through first search", lambda r: (r.get("search") or {}).get("first_search_kb")),
        ("first search result s", lambda r: (r.get("search") or {}).get("first_result_s")),
        ("peer search index MB", lambda r: r["peer"].get("search_index_mb") if "peer" in r else None),
        ("preview: save → served s", lambda r: (r.get("preview") or {}).get("save_to_served_s")),
        ("preview: start → first page s, first start / started again",
         lambda r: f"{r['preview']['startup_s']} / {r['preview']['restart_s']}"),
        ("preview: first start after `make site` (build --cache) → first page s",
         lambda r: r['preview']['after_build_s']),
        ("build --cache, cache empty s / whole tree PSS MB",
         lambda r: f"{r['incremental']['fill']['seconds']} / {fmt(r['incremental']['fill']['tree_pss_mb'])}"),
        ("build --cache after one changed record s (cold s)",
         lambda r: f"{r['incremental']['record']['seconds']} ({r['incremental']['record']['cold_seconds']})"),
        ("  … ratio to cold / records, pages, search shards reused",
         lambda r: _reuse(r['incremental']['record'])),
        ("check --cache after one changed record s (check s)",
         lambda r: f"{r['incremental']['record']['check_seconds']} ({r['check']['seconds']})"),
        ("build --cache after one corrected figure s (cold s)",
         lambda r: f"{r['incremental']['figure']['seconds']} ({r['incremental']['figure']['cold_seconds']})"),
        ("  … ratio to cold / records, pages, search shards reused",
         lambda r: _reuse(r['incremental']['figure'])),
        ("build --cache after one changed template s (cold s)",
         lambda r: f"{r['incremental']['template']['seconds']} ({r['incremental']['template']['cold_seconds']})"),
        ("  … ratio to cold / records, pages, search shards reused",
         lambda r: _reuse(r['incremental']['template'])),
        ("cached builds byte-identical to cold",
         lambda r: "yes" if all(r['incremental'][name]['identical'] for name in ("record", "figure", "template"))
         else "NO"),
    ]
    head = "| measure | " + " | ".join(f"{r['pages']} pages" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for name, get in rows:
        vals = []
        for r in results:
            try:
                vals.append(fmt(get(r)))
            except (KeyError, TypeError):
                vals.append("—")
        lines.append(f"| {name} | " + " | ".join(vals) + " |")
    if len(results) >= 2:
        small, big = results[0], results[-1]
        growth = big["build"]["seconds"] / small["build"]["seconds"]
        lines.append("")
        lines.append(f"growth: {big['pages']}/{small['pages']} pages → build time ×{growth:.2f}, "
                     f"output ×{big['output_mb'] / small['output_mb']:.2f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, action="append")
    p.add_argument("--skip-peer", action="store_true")
    p.add_argument("--skip-preview", action="store_true")
    p.add_argument("--skip-incremental", action="store_true")
    p.add_argument("--only-cold", action="store_true", help="only the cold build of each size (scale figures)")
    p.add_argument("--json", type=Path, default=HERE / "out" / "results.json")
    ns = p.parse_args(argv)
    sizes = sorted(ns.pages or [1000, 10000])
    results = []
    for n in sizes:
        print(f"… {n} pages", file=sys.stderr, flush=True)
        results.append(bench(n, ns.skip_peer, ns.skip_preview, ns.skip_incremental, ns.only_cold))
    add_linearity(results)
    ns.json.parent.mkdir(parents=True, exist_ok=True)
    ns.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(table(results))
    print(f"\nJSON: {ns.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
