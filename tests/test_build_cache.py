"""A build with the cache (`build --cache`, what the push hook runs) writes exactly what a cold
build of the same sources writes, whatever changed since the build that filled the cache: a
record, a template, a site setting, a requirement pin, a deleted page; a damaged cache or a
build killed midway changes nothing but the time it takes (generator/sitebuild/build_cache.py)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli, small_project

pytestmark = pytest.mark.build

AS_OF = "2026-12-01"
RECORD = "site_data/dibao_stats/2026-Q3-640104.yaml"
# Three search shards: one of the pages other than records' (64), two of the record pages'
# (196), so that a changed record leaves one to reuse and damage to one leaves the others.
SHARDS_ENV = {"GK_SEARCH_SHARD_PAGES": "150"}


def unpublish(root: Path) -> None:
    # Each build records what it published, and a record listed there may not be deleted:
    # every build here starts as an office that has published nothing yet.
    manifest = root / "site_data" / "published.tsv"
    manifest.write_text(manifest.read_text("utf-8").splitlines()[0] + "\n", "utf-8")


def build(root: Path, site: Path, cache: Path | None = None) -> dict:
    """One build into `site`; what the cache reused, from the summary line."""
    unpublish(root)
    args = ["build", "--site-dir", str(site), "--as-of", AS_OF]
    if cache is not None:
        args += ["--cache", str(cache)]
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SHARDS_ENV.items():
            mp.setenv(name, value)
        result = run_cli(root, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    m = re.search(r"复用了 (\d+) 个没有变化的记录文件的校验结果、(\d+) 个没有变化的页面、(\d+) 个搜索索引分片、"
                  r"(\d+) 个没有变化的记录页和 (\d+) 个列表页的 Markdown、(\d+) 个下载文件", result.stdout)
    assert (m is not None) == (cache is not None), result.stdout
    return {"records": int(m.group(1)), "pages": int(m.group(2)), "shards": int(m.group(3)),
            "markdown": int(m.group(4)), "listings": int(m.group(5)), "downloads": int(m.group(6))} if m else {}


def tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_tree(cold: Path, warm: Path) -> None:
    a, b = tree(cold), tree(warm)
    assert sorted(set(a) ^ set(b)) == []
    assert [rel for rel in a if a[rel] != b[rel]] == []


def record_files(root: Path) -> int:
    from generator.model.kinds import load_kinds
    from generator.model.validate import record_files as found

    return len(found(root, load_kinds(root)[0])[0])


def search_plan(root: Path, site: Path) -> tuple[int, dict]:
    """The search shards of a built site, and each page's."""
    from generator.model.validate import load_site
    from generator.sitebuild import search

    loaded, _ = load_site(root)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SHARDS_ENV.items():
            mp.setenv(name, value)
        return search.shard_plan(search.pages(site), search.record_pages(loaded))


def html_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("pagefind"))


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """The small project, its cold build, and a cache filled by a build of the same sources."""
    base = tmp_path_factory.mktemp("cache-base")
    root = small_project(base / "project")
    build(root, base / "cold")
    first = build(root, base / "warm", base / "cache")
    assert first == {"records": 0, "pages": 0, "shards": 0, "markdown": 0, "listings": 0, "downloads": 0}
    assert_same_tree(base / "cold", base / "warm")  # an empty cache builds what a cold build does
    return base


@pytest.fixture
def copy(warm, tmp_path):
    """A copy of the warm project and its cache, to change."""
    shutil.copytree(warm / "project", tmp_path / "project", symlinks=True)
    shutil.copytree(warm / "cache", tmp_path / "cache")
    return tmp_path


def cold_and_warm(copy: Path, cold: Path | None = None) -> dict:
    """The build with the cache, compared with a cold build of the same sources: made here, or
    `cold`, one a module fixture made of sources this test changed in the same way."""
    root = copy / "project"
    if cold is None:
        cold = copy / "cold"
        build(root, cold)
    reused = build(root, copy / "warm", copy / "cache")
    assert_same_tree(cold, copy / "warm")
    assert_cache_intact(copy / "cache", copy / "warm")
    return reused


def assert_cache_intact(cache: Path, site: Path) -> None:
    """The build linked its pages and search bundles with the cache's entries, and no later
    step wrote into a linked file: every entry still has the SHA-256 the manifest records, so
    an earlier release that shares it is unchanged too."""
    manifest = json.loads((cache / "manifest.json").read_text("utf-8"))
    for key, (sha, _) in manifest["pages"].items():
        assert hashlib.sha256((cache / "pages" / key[:2] / key).read_bytes()).hexdigest() == sha, key
    for key, files in manifest["bundles"].items():
        for rel, (sha, *_) in files.items():
            assert hashlib.sha256((cache / "bundles" / key / rel).read_bytes()).hexdigest() == sha, (key, rel)
    for sha in manifest["staged"]:  # named by their SHA-256 (build_cache.keep_staged)
        assert hashlib.sha256((cache / "staged" / sha[:2] / sha).read_bytes()).hexdigest() == sha
    files = [p for p in site.rglob("*") if p.is_file()]
    assert sum(p.stat().st_nlink > 1 for p in files) > len(files) / 2
    # What nginx needs to serve them, whichever way each file or folder came into the site.
    assert all(p.stat().st_mode & 0o444 == 0o444 for p in files)
    assert all(p.stat().st_mode & 0o555 == 0o555 for p in site.rglob("*") if p.is_dir())


def correct_title(root: Path) -> None:
    edit(root / RECORD, "title: ", "title: 【更正】")


def cold_build_of(warm: Path, tmp_path_factory, name: str, change) -> Path:
    """A cold build of the warm project after change(root): made once for the module, for the
    tests that make this change to compare their builds with instead of each building it again."""
    base = tmp_path_factory.mktemp(f"cache-{name}")
    shutil.copytree(warm / "project", base / "project", symlinks=True)
    change(base / "project")
    build(base / "project", base / "cold")
    return base / "cold"


@pytest.fixture(scope="module")
def corrected(warm, tmp_path_factory):
    """One record's title corrected."""
    return cold_build_of(warm, tmp_path_factory, "corrected", correct_title)


FIGURE = ("site_data/affordable_housing/2025-H1-640100.yaml", "started: 2127", "started: 2128")


def correct_figure(root: Path) -> None:
    edit(root / FIGURE[0], *FIGURE[1:])


@pytest.fixture(scope="module")
def figure_corrected(warm, tmp_path_factory):
    """One figure corrected (FIGURE)."""
    return cold_build_of(warm, tmp_path_factory, "figure", correct_figure)


TEMPLATE = ("templates/kinds/dibao_stats.md.j2", "主要数据", "主要统计数据")


def change_template(root: Path) -> None:
    edit(root / TEMPLATE[0], *TEMPLATE[1:])


@pytest.fixture(scope="module")
def template_changed(warm, tmp_path_factory):
    """A heading of one kind's template changed (TEMPLATE)."""
    return cold_build_of(warm, tmp_path_factory, "template", change_template)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_one_changed_record_even_after_a_build_killed_midway(warm, copy, corrected):
    root = copy / "project"
    live = copy / "live"
    shutil.copytree(warm / "cold", live)
    correct_title(root)
    # A first build is killed once it writes pages into the new directory beside the live one.
    unpublish(root)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site-dir", str(live),
                             "--as-of", AS_OF, "--cache", str(copy / "cache")], cwd=root,
                            env={**os.environ, **SHARDS_ENV}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(copy.glob(".live-new-*/zwgk/*/index.html")):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be killed"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert_same_tree(warm / "cold", live)

    reused = build(root, live, copy / "cache")
    assert_same_tree(corrected, live)
    before = tree(warm / "cold")
    changed = [rel for rel, sha in tree(corrected).items()
               if rel.endswith(".html") and not rel.startswith("pagefind") and before.get(rel) != sha]
    assert 0 < len(changed) < 10, changed
    assert reused["pages"] == html_pages(corrected) - 1 - len(changed)  # 404.html is always made
    # Its page is in one of the records' shards, the listings that show it in the other pages'
    # shard (generator/sitebuild/search.py shard_plan). Their lists of records are not indexed
    # (data-pagefind-ignore, left out of the staged pages): only the record's shard is indexed again.
    shards, plan = search_plan(root, corrected)
    touched = {plan[rel] for rel in changed}
    assert shards == 3 and len(touched) == 2, (shards, touched)
    assert reused["shards"] == shards - 1
    # The killed build had loaded and validated the corrected record before it was killed.
    assert reused["records"] == record_files(root)
    # And rendered its page again (a record's own page depends on it): no page is rendered now.
    assert reused["markdown"] == record_pages(root)


@pytest.mark.parametrize("damaged", [False, True])
def test_a_push_links_the_staged_copies_of_the_pages_it_indexes_again(copy, corrected, monkeypatch, damaged):
    """The shard holding a corrected record's page is indexed again: its other pages are not
    staged again but linked from the cache's staged copies (build_cache.place_staged), unless
    a copy is no longer the file the cache kept; either way the site is the cold build's."""
    import datetime as dt

    from generator.sitebuild import build as build_module, build_cache

    root, cache = copy / "project", copy / "cache"
    for name, value in SHARDS_ENV.items():
        monkeypatch.setenv(name, value)
    if damaged:
        for blob in (cache / "staged").glob("*/*"):
            blob.write_bytes(blob.read_bytes().replace(b"</body>", b"<p>x</p></body>"))
    placed, place = [], build_cache.Cache.place_staged

    def spy(self, sha, target):
        placed.append(place(self, sha, target))
        return placed[-1]

    monkeypatch.setattr(build_cache.Cache, "place_staged", spy)
    correct_title(root)
    unpublish(root)
    build_module.build(root, copy / "live", as_of=dt.date.fromisoformat(AS_OF), cache_dir=cache)
    assert_same_tree(corrected, copy / "live")
    assert_cache_intact(cache, copy / "live")
    shards, plan = search_plan(root, corrected)
    biggest = max(list(plan.values()).count(k) for k in range(shards))
    assert 5 <= len(placed) <= biggest, (len(placed), biggest)
    assert placed == [not damaged] * len(placed)


@pytest.mark.parametrize("damaged", [False, True])
def test_the_next_push_finds_the_pages_pagefind_read_in_the_staging_tree_the_last_one_kept(
        warm, copy, corrected, monkeypatch, damaged):
    """The folder Pagefind read is kept in the cache (build_cache.keep_staging). The next push
    that indexes the same shard takes it back, keeps each page still the very file it listed,
    stages only the pages that changed, and builds exactly the cold build's site. A page of the
    tree written in place (damaging the cache's copy, which is the same file) is no longer that
    file: it is staged again, and no damaged copy stays listed."""
    import datetime as dt

    from generator.model.validate import load_site
    from generator.sitebuild import build as build_module, build_cache, search

    root, cache = copy / "project", copy / "cache"
    for name, value in SHARDS_ENV.items():
        monkeypatch.setenv(name, value)

    def push(site: Path) -> None:
        unpublish(root)
        build_module.build(root, site, as_of=dt.date.fromisoformat(AS_OF), cache_dir=cache)

    # The copied cache's tree is no link of the cache's copies: this push links them anew.
    correct_title(root)
    push(copy / "first")
    assert_same_tree(corrected, copy / "first")
    shards, plan = search_plan(root, copy / "first")
    listing = json.loads((cache / "staging.json").read_text("utf-8"))
    assert listing["shards"] == shards and listing["files"]
    assert all(f"{plan[path.split('/', 1)[1]]}/" == path.split("/", 1)[0] + "/" for path in listing["files"])
    page = next(rel for rel in sorted(search.record_pages(load_site(root)[0])) if "【更正】" in (copy / "first" / rel).read_text("utf-8"))
    neighbours = sorted(path for path in listing["files"]
                        if path.startswith(f"{plan[page]}/") and not path.endswith(f"/{page}"))
    assert len(neighbours) > 5
    if damaged:
        victim = cache / "staging" / neighbours[0]
        victim.write_bytes(victim.read_bytes().replace(b"</body>", b"<p>x</p></body>"))

    staged, placed = [], []
    stage_files, place = search._stage_files, build_cache.Cache.place_staged

    def stage_spy(job):
        staged.extend(job[2])
        return stage_files(job)

    def place_spy(self, sha, target):
        placed.append(place(self, sha, target))
        return placed[-1]

    monkeypatch.setattr(search, "_stage_files", stage_spy)
    monkeypatch.setattr(build_cache.Cache, "place_staged", place_spy)
    edit(root / RECORD, "title: 【更正】", "title: ")  # back to the warm project's sources
    push(copy / "second")
    assert_same_tree(warm / "cold", copy / "second")
    assert_cache_intact(cache, copy / "second")
    assert page in staged and len(staged) <= 5, staged  # the pages the title is on, not the shard
    assert placed == [False] * damaged, placed  # the damaged one's cache copy is damaged too
    if damaged:
        assert neighbours[0].split("/", 1)[1] in staged
    listing = json.loads((cache / "staging.json").read_text("utf-8"))["files"]
    for path, (sha, *_) in listing.items():
        assert hashlib.sha256((cache / "staging" / path).read_bytes()).hexdigest() == sha, path


def test_the_cache_written_after_the_swap_is_waited_for_by_the_next_build(copy, corrected, monkeypatch, tmp_path):
    """`build --cache-in-background` (the push hook's): the build returns with the new site in
    place while a detached process, its output on /dev/null, writes the cache's manifest; the
    next build waits for it (the cache's lock) and reuses what it wrote."""
    import datetime as dt

    from generator.sitebuild import build as build_module, build_cache

    root, cache, live = copy / "project", copy / "cache", copy / "live"
    commit, seen = build_cache.Cache.commit, tmp_path / "seen"

    def slow_commit(self):
        seen.write_text(os.readlink("/proc/self/fd/2"), "utf-8")
        time.sleep(3)
        commit(self)

    monkeypatch.setattr(build_cache.Cache, "commit", slow_commit)
    for name, value in SHARDS_ENV.items():
        monkeypatch.setenv(name, value)
    correct_title(root)
    unpublish(root)
    before = (cache / "manifest.json").read_bytes()
    build_module.build(root, live, as_of=dt.date.fromisoformat(AS_OF), cache_dir=cache, cache_in_background=True)
    assert_same_tree(corrected, live)
    assert (cache / "manifest.json").read_bytes() == before  # not written yet
    build_cache.lock(cache).close()  # waits for the process writing it
    assert (cache / "manifest.json").read_bytes() != before
    assert seen.read_text("utf-8") == os.devnull
    monkeypatch.setattr(build_cache.Cache, "commit", commit)
    reused = build(root, copy / "again", cache)
    assert_same_tree(corrected, copy / "again")
    assert reused["pages"] == html_pages(corrected) - 1 and reused["shards"] == 3
    assert_cache_intact(cache, copy / "again")


def test_the_next_push_starts_from_the_tree_of_links_the_last_one_left(copy, corrected, monkeypatch):
    """After the swap, `build --cache-in-background` leaves the release's pages as a tree of links
    in the cache (build_cache READY); the next build renames it into its new directory instead of
    making a folder and a link per page, unlinks the pages that changed, and still builds exactly
    the cold build's site, folders included, with every cache entry intact."""
    import datetime as dt

    from generator.sitebuild import build as build_module, build_cache

    root, cache = copy / "project", copy / "cache"
    for name, value in SHARDS_ENV.items():
        monkeypatch.setenv(name, value)
    taken = []
    take = build_cache.Cache._take_ready

    def spy(self, out_dir, todo):
        left = take(self, out_dir, todo)
        taken.append((len(todo), len(left)))
        return left

    monkeypatch.setattr(build_cache.Cache, "_take_ready", spy)

    def push(site: Path) -> None:
        unpublish(root)
        build_module.build(root, site, as_of=dt.date.fromisoformat(AS_OF), cache_dir=cache, cache_in_background=True)
        build_cache.lock(cache).close()  # the process writing the cache and the tree is done

    push(copy / "first")
    assert taken[-1][0] == taken[-1][1] > 100  # no tree yet: every page placed one by one
    listing = json.loads((cache / "ready.json").read_text("utf-8"))["pages"]
    # All but 404.html, which MkDocs always makes, and the files it copies from content/.
    assert len(listing) == html_pages(copy / "first") - 1 + static_files(root)

    def dirs(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir()}

    correct_title(root)
    live_before = tree(copy / "first")
    push(copy / "second")
    assert tree(copy / "first") == live_before  # no page of the live site was written through a link
    placed_by_hand = taken[-1][1]
    assert 0 < taken[-1][0] and placed_by_hand == 0  # the tree held every page to place
    assert_same_tree(corrected, copy / "second")
    assert dirs(corrected) == dirs(copy / "second")
    assert_cache_intact(cache, copy / "second")

    # A page of the tree replaced by another file (an editor's save): no longer the cache's
    # entry, so the cache's entry is linked in its place, and the release is the cold build's.
    listing = json.loads((cache / "ready.json").read_text("utf-8"))["pages"]
    dest = sorted(listing)[len(listing) // 2]
    replaced = cache / "ready" / dest
    (replaced.parent / "edited").write_bytes(replaced.read_bytes() + b"<!-- x -->")
    os.replace(replaced.parent / "edited", replaced)
    push(copy / "third")
    assert taken[-1][1] == 1
    assert_same_tree(corrected, copy / "third")
    assert dirs(corrected) == dirs(copy / "third")
    assert_cache_intact(cache, copy / "third")


def record_pages(root: Path) -> int:
    from generator.model.validate import load_site

    return len(load_site(root)[0].approved_records)


def listing_pages(root: Path) -> int:
    """The kind listings, their county parts and the catalogue's slices (render_cache.listing_key)."""
    from generator import pipeline
    from generator.model.validate import load_site
    from generator.pages.render import LazyPage

    output = pipeline.render_site(load_site(root)[0])
    return sum(1 for c in output.files.values() if isinstance(c, LazyPage) and c.listing)


def downloads(root: Path) -> dict[str, int]:
    """The files other than pages the render step makes (render.LazyFile): a kind's CSV and
    JSON downloads by the kind's id, the others (the catalogue's, the records' tables) by the
    function that makes them."""
    from generator import pipeline
    from generator.model.validate import load_site
    from generator.pages.render import LazyFile, dataset_csv, dataset_json

    output = pipeline.render_site(load_site(root)[0])
    made = [c.given["kind"].id if c.make in (dataset_csv, dataset_json) else c.make.__name__
            for c in output.files.values() if isinstance(c, LazyFile)]
    return {what: made.count(what) for what in set(made)}


def static_files(root: Path) -> int:
    """The files of content/ that are not pages, which MkDocs copies into the site."""
    content = root / "content"
    return sum(1 for p in content.rglob("*") if p.is_file() and p.suffix != ".md"
               and not any(part.startswith(".") for part in p.relative_to(content).parts))


def test_a_changed_record_renders_again_the_pages_that_chart_it_or_link_to_it(copy):
    # A figure drawn on its region's trend chart, on each of the three pages of that series
    # (charts.for_record), and a 政策解读 listed on the page of the policy it explains: the
    # render cache keys each record page by these too (pages/render_cache.py).
    project = copy / "project"
    edit(project / "site_data" / "affordable_housing" / "2025-H1-640100.yaml", "started: 2127", "started: 2128")
    edit(project / "site_data" / "interpretation" / "2026-housing.yaml", "\ntitle: 《", "\ntitle: 【更正】《")
    reused = cold_and_warm(copy)
    assert reused["markdown"] == record_pages(project) - 3 - 2, reused
    # The listings showing them render again (the 政策解读 kind's, with the new title), no other.
    assert 0 < listing_pages(project) - reused["listings"] <= 2, reused
    # The downloads of those two kinds are made again (the 政策解读 kind has none), and the
    # catalogue's two (a title changed), no other: the records' tables are the 年报's.
    made = downloads(project)
    assert made["affordable_housing"] == 2 and "interpretation" not in made, made
    assert made["catalogue_csv"] == made["catalogue_json"] == 1 and made["table_csv"] > 0, made
    assert reused["downloads"] == sum(made.values()) - 2 - 2, (reused, made)
    charted = [p for p in (copy / "warm" / "zwgk" / "housing" / "affordable_housing").glob("*/index.html")
               if "2128" in p.read_text("utf-8") and p.parent.name.startswith("11640100")]
    assert len(charted) == 3, charted  # the series' three record pages
    listed = [p for p in (copy / "warm" / "zwgk").rglob("index.html")
              if "policy" in p.parent.parent.name and "【更正】《关于推进农村危房改造" in p.read_text("utf-8")]
    assert len(listed) == 1, listed


def test_a_push_links_the_downloads_that_did_not_change_and_copies_the_others(copy, warm, figure_corrected):
    """The files of content/ that are not pages (the kinds' downloads, the records' tables,
    the site's scripts and styles) are linked from the cache as MkDocs copied them in the
    build that kept them (build.place_cached_pages `static`); MkDocs copies only the changed."""
    project = copy / "project"
    correct_figure(project)
    kept = {p.stat().st_ino for p in (copy / "cache" / "pages").glob("*/*")}
    cold_and_warm(copy, figure_corrected)
    content = project / "content"
    static = {p.relative_to(content).as_posix() for p in content.rglob("*")
              if p.is_file() and p.suffix != ".md" and not any(part.startswith(".") for part in p.parts)}
    before, after = tree(warm / "cold"), tree(figure_corrected)
    changed = {rel for rel in static if before.get(rel) != after[rel]}
    assert {"zwgk/data/housing-affordable_housing.csv", "zwgk/data/housing-affordable_housing.json"} <= changed
    assert len(changed) < 10 and len(static) > 20, (changed, len(static))
    linked = {rel for rel in static if (copy / "warm" / rel).stat().st_ino in kept}
    assert linked == static - changed


def test_a_corrected_figure_re_indexes_only_the_shards_whose_staged_pages_changed(copy, warm, figure_corrected):
    """A figure is drawn and tabled on every page of its series, but Pagefind reads no chart and
    no figure of a table cell (search.stage_page): the shards holding only those pages are
    reused, and the site is still the cold build's, byte for byte."""
    project = copy / "project"
    correct_figure(project)
    reused = cold_and_warm(copy, figure_corrected)
    shards, plan = search_plan(project, figure_corrected)
    before, after = tree(warm / "cold"), tree(figure_corrected)
    changed = {plan[rel] for rel in plan if before.get(rel) != after[rel]}
    assert len(changed) >= 2, changed  # the series' pages and listings lie in more than one shard
    # Only the corrected record's own page says the figure in words (新开工 2128 套): one shard.
    assert reused["shards"] == shards - 1, (reused, shards, changed)


def test_pages_a_corrected_figure_changed_are_not_segmented_again(copy, warm, figure_corrected, monkeypatch):
    """Their search words are kept by the page without its charts and table figures too
    (search.figure_free): of the pages the correction changed, only the one that says the
    figure in words is segmented again when the search index is made with the cache."""
    from generator.model.validate import load_site
    from generator.sitebuild import build as build_module, search

    project = copy / "project"
    correct_figure(project)
    site = copy / "site"
    shutil.copytree(figure_corrected, site, ignore=shutil.ignore_patterns("pagefind*"))
    cfg = build_module._mkdocs_config(project)
    cache = build_module.open_cache(project, copy / "cache", cfg)
    before, after = tree(warm / "cold"), tree(figure_corrected)
    changed = [rel for rel in search.pages(site) if before.get(rel) != after[rel]]
    segmented = []
    real = search.search_words
    monkeypatch.setattr(search, "search_words", lambda text: segmented.append(text) or real(text))
    for name, value in SHARDS_ENV.items():
        monkeypatch.setenv(name, value)
    loaded, _ = load_site(project)
    search.index(site, cache=cache, leaves=search.record_pages(loaded))
    assert len(changed) >= 3, changed
    assert len(segmented) == 1 and "新开工" in segmented[0], len(segmented)


def test_a_record_template_that_reads_more_of_the_site_stops_the_build(copy):
    # What the key does not take in, a record template cannot read: the build says where.
    project = copy / "project"
    edit(project / "templates" / "kinds" / "dibao_guide.md.j2", "{% block body %}",
         "{% block body %}{{ site.approved_records|length }}")
    unpublish(project)
    result = run_cli(project, "build", "--site-dir", str(copy / "out"), "--as-of", AS_OF,
                     "--cache", str(copy / "cache"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/kinds/dibao_guide.md.j2:" in result.stderr + result.stdout
    assert "页面模板读取了 site.approved_records" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout and not (copy / "out").exists()


def test_a_listing_template_that_reads_more_of_the_site_stops_the_build(copy):
    # A kind's listing is kept by the records it is given: it cannot read the others.
    project = copy / "project"
    edit(project / "templates" / "kind.md.j2", "# {% if part %}", "{{ site.approved_records|length }}\n# {% if part %}")
    result = run_cli(project, "build", "--site-dir", str(copy / "out"), "--as-of", AS_OF,
                     "--cache", str(copy / "cache"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "templates/kind.md.j2:" in result.stderr + result.stdout
    assert "页面模板读取了 site.approved_records" in result.stderr + result.stdout
    assert not (copy / "out").exists()


def test_one_changed_template(copy, template_changed):
    change_template(copy / "project")
    reused = cold_and_warm(copy, template_changed)
    pages = html_pages(template_changed)
    assert 20 < pages - reused["pages"] < pages / 2, reused  # the 22 低保 pages and their listings
    assert reused["records"] == record_files(copy / "project")  # a template is not data
    dibao = len(list((copy / "project" / "site_data" / "dibao_stats").glob("*.yaml")))
    assert reused["markdown"] == record_pages(copy / "project") - dibao  # other kinds' pages are not rendered
    assert reused["listings"] == listing_pages(copy / "project")  # nor any listing: they do not use it



def compiled(cache: Path) -> dict[str, tuple[int, int]]:
    """The compiled templates in the cache (generator/compiled_templates.py), each file's inode
    and modification time: Jinja writes a template's file anew only when it compiled it."""
    folders = list((cache / "templates").iterdir())
    assert len(folders) == 1, folders
    return {p.relative_to(folders[0]).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folders[0].rglob("*.cache")}


def test_a_template_is_compiled_again_only_when_it_changed(copy, template_changed):
    root = copy / "project"
    build(root, copy / "first", copy / "cache")  # compiles: the code is kept by the templates' paths
    before = compiled(copy / "cache")
    assert sum(rel.startswith("generator/") for rel in before) >= len(list((root / "templates").rglob("*.j2"))) / 2
    assert sum(rel.startswith("theme/") for rel in before) >= 10  # Material's and overrides/, per MkDocs worker
    change_template(root)
    build(root, copy / "warm", copy / "cache")
    assert_same_tree(template_changed, copy / "warm")
    # Templates only the pages rendered again include are compiled too (new files); of those
    # compiled before, only the changed one is compiled again.
    after = compiled(copy / "cache")
    again = [rel for rel in before if after[rel] != before[rel]]
    assert len(again) == 1 and again[0].startswith("generator/"), again


def test_the_trimmed_theme_stylesheet_is_kept_and_read_back(copy, warm):
    # generator/sitebuild/theme_css.py keeps Material's sheet as it trims it, in the theme's
    # folder of compiled code, under a name that carries its SHA-256; a later build reads it
    # from there. Only the folder of compiled code is carried into a new cache (no page of
    # the warm build is placed: each links the sheet by its name).
    root = copy / "project"
    kept = list((copy / "cache" / "templates").glob("*/theme/main-*.css"))
    assert len(kept) == 1, kept
    sheet = next((warm / "warm" / "assets" / "stylesheets").glob("main.*.min.css")).read_text("utf-8")
    assert kept[0].read_text("utf-8") == sheet

    def build_with(kept_text: str, named_by_it: bool, name: str) -> str:
        cache = copy / f"cache-{name}"
        shutil.copytree(copy / "cache" / "templates", cache / "templates")
        old = next(cache.glob("templates/*/theme/main-*.css"))
        source_sha = old.stem.split("-")[1]
        digest = hashlib.sha256(kept_text.encode()).hexdigest() if named_by_it else old.stem.split("-")[2]
        old.unlink()
        (old.parent / f"main-{source_sha}-{digest}.css").write_text(kept_text, "utf-8")
        build(root, copy / name, cache)
        return next((copy / name / "assets" / "stylesheets").glob("main.*.min.css")).read_text("utf-8")

    assert build_with(sheet + "/*kept*/", True, "read") == sheet + "/*kept*/"  # read back
    assert build_with(sheet[:1000], False, "corrupt") == sheet  # no longer its name's: trimmed again


def test_compiled_templates_of_another_generator_or_mkdocs_yml_are_removed(tmp_path):
    from generator import compiled_templates

    root = copy_project(tmp_path / "project")
    first = compiled_templates.directory(tmp_path / "cache", root)
    assert compiled_templates.directory(tmp_path / "cache", root) == first
    (first / "generator" / "x.cache").write_bytes(b"")
    edit(root / "mkdocs.yml", "site_name:", "# 一行注释\nsite_name:")
    second = compiled_templates.directory(tmp_path / "cache", root)
    assert second != first and not first.exists() and (second / "theme").is_dir()

def test_one_changed_site_setting(copy):
    # A column's description in site.yaml: its column page and the home page show it.
    edit(copy / "project" / "site_data" / "site.yaml", "description: 城乡低保、", "description: 最低生活保障、")
    reused = cold_and_warm(copy)
    pages = html_pages(copy / "cold")
    assert 0 < pages - reused["pages"] < pages / 10, reused  # the column's pages and the home page
    assert "最低生活保障、特困人员" in (copy / "warm" / "index.html").read_text("utf-8")


# Where the cache must not be used at all, it is enough to see that nothing is placed: the
# build is then a cold build that also fills the cache, and the `warm` fixture shows that this
# writes what a cold build writes. (Each is checked on the pages' Markdown of the warm build,
# without building again.)

def placed(copy: Path, static: bool = False) -> set[str]:
    from generator.sitebuild import build as build_module

    cfg = build_module._mkdocs_config(copy / "project")
    cache = build_module.open_cache(copy / "project", copy / "cache", cfg)
    (copy / "out").mkdir()
    return build_module.place_cached_pages(cache, copy / "project", copy / "out", cfg, static=static)


def test_the_cache_is_used_when_nothing_changed(warm, copy):
    assert len(placed(copy)) == html_pages(warm / "cold") - 1


def test_a_changed_site_setting_every_page_shows(copy):
    # The office's phone number is in every page's footer (the theme reads it from site.yaml).
    edit(copy / "project" / "site_data" / "site.yaml", "phone: 0951-0000000", "phone: 0951-0000001")
    assert placed(copy) == set()


@pytest.mark.parametrize("rel, line", [
    ("mkdocs.yml", "# 一行注释\n"),
    ("overrides/main.html", "{# 一行注释 #}\n"),
    ("generator/pages/render.py", "# a comment\n"),
])
def test_a_changed_theme_configuration_or_generator(copy, rel, line):
    # Any of them may change every page's HTML from the same Markdown: nothing is reused.
    path = copy / "project" / rel
    path.write_text(path.read_text("utf-8") + line, "utf-8")
    assert placed(copy) == set()


def test_one_changed_requirement_pin(copy):
    # Another pin may mean other HTML from the same Markdown: nothing is reused.
    edit(copy / "project" / "requirements.txt", "jieba==0.42.1", "jieba==0.42.0")
    assert placed(copy) == set()


def test_a_deleted_page(copy):
    # A page that is gone may be linked from pages whose Markdown did not change: a cold
    # build would stop on the broken link, so nothing is reused.
    page = next((copy / "project" / "content" / "zwgk").rglob("*.md"))
    page.unlink()
    assert placed(copy) == set()


def test_an_unreadable_manifest_means_a_cold_build(copy):
    (copy / "cache" / "manifest.json").write_text("{", "utf-8")
    assert placed(copy) == set()


def test_a_damaged_cache_entry_is_not_reused(copy):
    blobs = sorted((copy / "cache" / "pages").glob("*/*"))
    for blob in blobs[::10]:
        blob.write_bytes(blob.read_bytes()[:-1] + b"!")
    blobs[1].unlink()
    assert len(placed(copy, static=True)) == len(blobs) - len(blobs[::10]) - 1

    from generator.sitebuild.build_cache import Cache
    cache = Cache(copy / "cache", json.loads((copy / "cache" / "manifest.json").read_text("utf-8"))["key"])
    keys = sorted(cache.old["bundles"])
    damaged = next((copy / "cache" / "bundles" / keys[0]).rglob("*.pf_fragment"))
    damaged.write_bytes(damaged.read_bytes() + b"\0")
    assert not cache.place_bundle(keys[0], copy / "out" / "pagefind")
    assert cache.place_bundle(keys[1], copy / "out" / "pagefind-1")
    assert not (copy / "out" / "pagefind").exists() and (copy / "out" / "pagefind-1" / "pagefind.js").exists()


@pytest.mark.parametrize("change", [False, True])
def test_a_damaged_search_bundle_is_indexed_again_in_the_same_build(copy, change, warm, corrected):
    """A reused bundle is placed while Pagefind indexes the changed shards (or, when none
    changed, before anything is indexed); those that turn out damaged (here every one, as
    which shard a bundle key belongs to depends on the installed packages) are then indexed too."""
    if change:
        correct_title(copy / "project")
    manifest = json.loads((copy / "cache" / "manifest.json").read_text("utf-8"))
    for key in manifest["bundles"]:
        fragment = next((copy / "cache" / "bundles" / key).rglob("*.pf_fragment"))
        fragment.write_bytes(fragment.read_bytes() + b"\0")
    reused = cold_and_warm(copy, corrected if change else warm / "cold")
    assert reused["shards"] == 0 and reused["pages"] > 0, reused


def test_a_bundle_file_with_the_signature_it_was_kept_with_is_not_read_again(copy, monkeypatch):
    from generator.sitebuild.build_cache import Cache

    # The copied cache's files are new files: a build reads them once and keeps their signatures.
    assert build(copy / "project", copy / "warm", copy / "cache")["shards"] > 0
    cache = Cache(copy / "cache", json.loads((copy / "cache" / "manifest.json").read_text("utf-8"))["key"])
    key = sorted(cache.old["bundles"])[0]
    files = sorted((copy / "cache" / "bundles" / key).rglob("*.pf_fragment"))
    os.utime(files[0], ns=(0, 0))  # the same bytes, another signature: read and checked
    (copy / "out").mkdir()
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    assert cache.place_bundle(key, copy / "out" / "pagefind")
    assert read == [files[0]]
    assert tree(copy / "out" / "pagefind") == tree(copy / "cache" / "bundles" / key)


def test_a_cache_on_another_filesystem_is_copied_from(tmp_path):
    # README: reused files are hard links, or copies where the cache and the site are on two
    # filesystems (here /dev/shm, a tmpfs, and the test's directory).
    from generator.sitebuild.build_cache import _link, replace_file

    other = Path("/dev/shm")
    assert other.is_dir() and os.stat(other).st_dev != os.stat(tmp_path).st_dev, "needs a second filesystem"
    source = other / f"gk-cache-test-{os.getpid()}"
    try:
        source.write_bytes(b"page")
        _link(source, tmp_path / "copied", b"page")
        assert (tmp_path / "copied").read_bytes() == b"page" and (tmp_path / "copied").stat().st_nlink == 1
        _link(tmp_path / "copied", tmp_path / "linked", b"page")
        assert (tmp_path / "copied").stat().st_nlink == 2
        # Replacing a linked file leaves its other name as it was.
        replace_file(tmp_path / "linked", b"new")
        assert (tmp_path / "linked").read_bytes() == b"new" and (tmp_path / "copied").read_bytes() == b"page"
    finally:
        source.unlink(missing_ok=True)
