"""The build, step by step, in the order the steps run.

    load → validate      model.validate.load_site: the YAML files into a Site, or the problems
    check                CHECKS, then the self-check: an error-level problem stops the build
    render               render.render: home, column, kind and record pages; then pages()
    write                render.write: content/, only the files whose text changed
    MkDocs               sitebuild.build: the site into a new directory beside site/
    post-build           POST_BUILD: search index (sitemap, open-data catalogue meanwhile), link check
    publish              sitebuild.build.swap_in: the new directory replaces site/ atomically
    post-swap            POST_SWAP: what went live is recorded in site_data/published.tsv

`build` (sitebuild/build.py) runs them all; `validate` stops after check; the preview
(sitebuild/serve.py) runs load to write and leaves the rest to `mkdocs serve`. A new step
is a function of the module whose output it owns, listed here.
"""
from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Callable, NamedTuple

from .checks import area_codes, check, link_check, manifest, pii, plausibility, symlink_guard
from .model import aggregates, holidays
from .model.model import Site
from .model.record_cache import RecordCache
from .model.validate import load_site
from .pages import (application, catalogue, charts, check_page, datasets, directory, feeds, guide,
                    open_data, page_meta, record_tables, render, render_cache, site_map)
from .problems import AfterSwapError, DataError, Problem
from .sitebuild import reproducible, search, sitemap
from .sitebuild.workers import Forked


class Check(NamedTuple):
    run: Callable  # (site, as_of) -> list[Problem]
    # Judges the whole site rather than the record an editor just saved (compliance deadlines,
    # the 索引号 manifest, symlinks): the preview's first pass leaves it out so that a save is
    # served in seconds at 10,000 records; its complete pass, a moment later, runs it.
    deferrable: bool = False


DEFERRABLE = True

# After validation, before anything is written.
CHECKS = (
    Check(symlink_guard.check_symlinks, DEFERRABLE),
    Check(pii.check_pii),
    Check(plausibility.check_units),
    Check(area_codes.check_area_codes),
    Check(charts.check_chart_units),
    Check(directory.check_directories),
    Check(manifest.check_stability, DEFERRABLE),
    Check(aggregates.check_published_totals, DEFERRABLE),
    Check(holidays.next_year_missing),  # one date comparison: the quick pass shows it too
)
# Then the self-check (check.self_check, deferrable), whose report the 自查报告 page shows.


def pages(report=None) -> tuple:
    """The pages and files beyond the records', each `(site, output, env)`, in the order they
    are added: the site map lists and page metadata tags the pages added before them.
    `report`: the self-check's, for the 自查报告 page, or a function that returns it (None: it
    checks as of today)."""
    return (
        application.application_page,
        catalogue.catalogue_page,
        datasets.dataset_pages,
        directory.directory_pages,
        feeds.feeds,
        guide.guide_page,
        record_tables.table_files,
        partial(check_page.report_page, report=report),
        open_data.dataset_jsonld,
        page_meta.meta_tags,
        site_map.site_map_page,
    )


class PostBuild(NamedTuple):
    run: Callable  # (site, out_dir, root) -> None
    # Takes the build cache (sitebuild/build_cache.py) as `cache=`, to reuse what it made before.
    cached: bool = False
    # Steps run while this one waits for a program of its own (the search index, for Pagefind),
    # given to it as `meanwhile=`, a function that runs them: each writes nothing it reads.
    meanwhile: tuple = ()


CACHED = True

# On the new site directory, before it goes live; an error stops the build.
POST_BUILD = (
    # The sitemap and the open-data catalogue add no page to index: they are written while
    # Pagefind indexes (0.3 s of a one-record push that changes a title).
    PostBuild(search.build_search_index, CACHED, meanwhile=(sitemap.write_sitemap, open_data.write_catalogue)),
    PostBuild(reproducible.canonical_search_index),
    PostBuild(link_check.check_links, CACHED),
)

# After the swap succeeded, (site, root): only what really went live.
POST_SWAP = (
    manifest.record_published,
)


class Checked(NamedTuple):
    site: Site | None             # None when any error was found
    problems: list[Problem]
    report: check.Report | None   # the self-check's, None in a quick pass or when it could not run


def site_checks(site: Site, as_of=None, quick: bool = False) -> list[Problem]:
    """Every check of CHECKS (`quick`: not the deferrable ones)."""
    problems = []
    for step in CHECKS:
        if not (quick and step.deferrable):
            problems += list(step.run(site, as_of) or [])
    return problems


def load_with_checks(root: Path, as_of=None, cache: dict | None = None, quick: bool = False,
                     stored: RecordCache | None = None) -> tuple[Site | None, list[Problem]]:
    """Load, validate and run CHECKS (not the self-check); the site is None when validation
    found errors. `cache`, `stored`: load_site's caches of loaded records (the preview's in
    memory, the one on disk, saved here after the checks, whose findings it keeps)."""
    site, problems = load_site(root, cache=cache, stored=stored)
    if site is not None:
        problems = problems + site_checks(site, as_of, quick)
    if stored:
        stored.save()
    return site, problems


def load_and_check(root: Path, as_of=None, cache: dict | None = None, quick: bool = False,
                   stored: RecordCache | None = None, on_checked=None) -> Checked:
    """load_with_checks, then (unless `quick`) the self-check. `on_checked(site, problems,
    found, report)`, when given, sees each part apart (the site is None when validation failed;
    `found`: the self-check's problems): `build --report` prints them as `check` does."""
    site, problems = load_with_checks(root, as_of, cache, quick, stored)
    found, report = [], None
    if site is not None and not quick:
        found, report = check.self_check(site, as_of)
    return _judged(site, problems, found, report, on_checked)


def _judged(site: Site | None, problems: list[Problem], found: list[Problem], report, on_checked) -> Checked:
    if on_checked:
        on_checked(site, problems, found, report)
    if site is None:
        return Checked(None, problems, None)
    problems = problems + found
    return Checked(None if any(p.is_error for p in problems) else site, sorted(problems), report)


def render_site(site: Site, report=None, only: set[str] | None = None, compiled: Path | None = None) -> render.Output:
    """Every generated file (with `only`, just those record pages: the preview's fast first pass).
    `report`: the self-check's (check.Report), or a function that returns it when the 自查报告
    page renders; `compiled`: where compiled templates are kept (compiled_templates.py)."""
    return render.render(site, only=only, extra_pages=pages(report) if only is None else (), compiled=compiled)


def write_pages(site: Site, root: Path, only: set[str] | None = None,
                report: check.Report | None = None, render_cache_dir: Path | None = None) -> dict:
    """Render and write the generated Markdown (all of it, or `only` those record pages);
    `render_cache_dir`: where the render cache (pages/render_cache.py) is kept."""
    return _write(site, root, render_site(site, report, only), only is None, render_cache_dir)


def _write(site: Site, root: Path, output: render.Output, prune: bool, render_cache_dir: Path | None) -> dict:
    memo = render_cache.RenderCache(render_cache_dir, root, site) if render_cache_dir is not None else None
    return render.write(output, root / render.CONTENT_DIR, prune=prune, memo=memo)


def generate(root: Path, as_of=None, cache: dict | None = None, stored: RecordCache | None = None,
             on_checked=None, render_cache_dir: Path | None = None,
             compiled: Path | None = None) -> tuple[Site, list[Problem], dict]:
    """Load to write; raises DataError on errors, before anything is written. `compiled`: where
    the templates' compiled code is kept (compiled_templates.py).

    The self-check runs in a forked process while the pages render (workers.Forked), and
    the 自查报告 page, rendered after most others, waits for it: one core did both, one after
    the other, and at 10,000 records the self-check was 0.6 s of a one-record push's 10."""
    site, problems = load_with_checks(root, as_of, cache, stored=stored)
    if site is None:
        raise DataError(_judged(None, problems, [], None, on_checked).problems)
    pending = Forked(partial(check.self_check, site, as_of), shared=_shared_objects(site))

    def stop_on_errors() -> Checked:
        # What the check found stops the build as it did before rendering, and comes before an
        # error the render raised meanwhile.
        checked = _judged(site, problems, *pending.result(), on_checked)
        if checked.site is None:
            raise DataError(checked.problems) from None
        return checked

    try:
        output = render_site(site, report=lambda: pending.result()[1], compiled=compiled)
    except Exception:
        stop_on_errors()
        raise
    return site, stop_on_errors().problems, _write(site, root, output, True, render_cache_dir)


def _shared_objects(site: Site) -> list:
    """What a self-check finding may point at, which must come back from the forked process as
    the objects the pages render from."""
    return [site, site.columns, site.kinds, site.regions, site.config, *site.records,
            *site.columns.values(), *site.kinds.values(), *site.regions.values()]


def post_build(site: Site, out_dir: Path, root: Path, timings: dict | None = None, cache=None) -> None:
    """POST_BUILD's steps in order; `timings`: each step's seconds by its name (a step's own
    include those of the steps it runs meanwhile, which are also given apart)."""
    for step in POST_BUILD:
        t = time.perf_counter()
        given = {"cache": cache} if step.cached else {}
        if step.meanwhile:
            given["meanwhile"] = partial(_run_steps, step.meanwhile, site, out_dir, root, timings)
        step.run(site, out_dir, root, **given)
        if timings is not None:
            timings[_step_name(step.run)] = time.perf_counter() - t


def _run_steps(steps: tuple, site: Site, out_dir: Path, root: Path, timings: dict | None) -> None:
    for run in steps:
        t = time.perf_counter()
        run(site, out_dir, root)
        if timings is not None:
            timings[_step_name(run)] = time.perf_counter() - t


def _step_name(run: Callable) -> str:
    return f"{run.__module__}.{run.__name__}"


def post_swap(site: Site, root: Path, site_dir: Path) -> None:
    for step in POST_SWAP:
        try:
            step(site, root)
        except Exception as exc:  # noqa: BLE001 - whatever failed, the new site is in place
            raise AfterSwapError(
                f"{site_dir} 已经换成新构建的网站，但之后记录已发布的索引号（site_data/published.tsv）时出错。"
                "请检查 site_data/ 能否写入、磁盘是否已满，然后运行 python -m generator manifest 补记。") from exc
