"""The site without MkDocs hooks, and with Zensical: what a reader gets is the same (issue 19).

Two builds of the hostile sample (tests/extended_sample.py) besides the shared
`hostile_site` (MkDocs + Material, hooks on):
- MkDocs with every `hooks:` entry removed from mkdocs.yml, as an engine that runs no MkDocs
  hooks would: the hostile assertions hold, and every page shows what the normal build shows;
- Zensical (`python -m generator build --engine zensical`): the same, page by page, and
  Pagefind indexes the same pages with the same text and filters.

Compared per page (tests/reader_view.py): the <title>, every meta tag but `generator`, the
headings, the 信息索引 box, every table's cells, every link's text and target (resolved
against the page's URL), images, the article's text, the Pagefind filters. What still
differs between the engines is listed in README "两种构建引擎" and asserted below.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import reader_view
import yaml
from browser_support import chromium  # noqa: F401
from conftest import copy_project, run_cli
from generator.pages.feeds import _AnyTagLoader
from generator.urls import urls
import test_hostile as hostile  # its checks, called on these outputs (not collected again here)
from extended_sample import EVIL, extend
from test_hostile import RECORD_PAGE, check_theme_printed_text_once


pytestmark = pytest.mark.build  # every test here reads a whole site built by a fixture


def _build(tmp_path_factory, name: str, *args: str, change=None) -> Path:
    root = extend(copy_project(tmp_path_factory.mktemp(name) / "project"))
    if change:
        change(root)
    result = run_cli(root, "build", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return root


def read_mkdocs_yml(path: Path) -> dict:
    """mkdocs.yml holds a !!python tag (toc slugify), which safe_load refuses."""
    return yaml.load(path.read_text("utf-8"), Loader=_AnyTagLoader)


def _remove_hooks(root: Path) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    stripped = re.sub(r"(?m)^hooks:\n(?:[ \t]+-.*\n?)+", "", text)
    assert yaml.load(text, Loader=_AnyTagLoader)["hooks"] and "hooks" not in yaml.load(stripped, Loader=_AnyTagLoader)
    config.write_text(stripped, "utf-8")


@pytest.fixture(scope="module")
def hookless(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "hookless", change=_remove_hooks)


@pytest.fixture(scope="module")
def zensical(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "zensical", "--engine", "zensical")


# The pages of the session's hostile site (built once, only read), as read for the first
# comparison with it: both engines are compared with it, and reading it is half the work.
_NORMAL_VIEWS: dict[tuple[Path, str], dict] = {}


def differences(a: Path, b: Path) -> dict[str, list[str]]:
    """Pages of site a (the shared hostile site) and b, and per page what a reader gets
    differently: {page: [aspects]}."""
    pages_a, pages_b = reader_view.pages(a), reader_view.pages(b)
    assert pages_a == pages_b, sorted(set(pages_a) ^ set(pages_b))[:20]
    assert len(pages_a) > 400
    found = {}
    for rel in pages_a:
        if (a, rel) not in _NORMAL_VIEWS:
            _NORMAL_VIEWS[a, rel] = reader_view.read(a, rel)
        view_a, view_b = _NORMAL_VIEWS[a, rel], reader_view.read(b, rel)
        aspects = [k for k in view_a if view_a[k] != view_b[k]]
        if aspects:
            found[rel] = aspects
    return found


# -- without MkDocs hooks ------------------------------------------------------------------


def test_the_site_without_hooks_passes_the_hostile_assertions(hookless):
    assert "hooks" not in read_mkdocs_yml(hookless / "mkdocs.yml")
    hostile.test_hostile_strings_leave_no_live_markup_in_any_page(hookless)
    hostile.test_table_cells_keep_pipes_newlines_and_markup_inside_one_cell(hookless)
    hostile.test_hostile_strings_keep_feeds_sitemap_and_data_files_well_formed(hookless)
    check_theme_printed_text_once(hookless / "site")


def test_the_site_without_hooks_shows_what_the_normal_build_shows(hookless, hostile_site):
    site, normal = hookless / "site", hostile_site / "site"
    assert differences(normal, site) == {}
    # Only larger: Material's whole stylesheet instead of theme_css's trimmed one, and linked.
    record = (site / RECORD_PAGE).read_text("utf-8")
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', record)
    theme = [h for h in sheets if "assets/stylesheets/main." in h]
    assert len(theme) == 1, sheets
    target = (site / RECORD_PAGE).parent / theme[0]
    assert target.is_file() and target.stat().st_size > 100_000
    trimmed = next((normal / "assets/stylesheets").glob("main.*.min.css"))
    assert trimmed.stat().st_size < target.stat().st_size


# -- Zensical ------------------------------------------------------------------------------


def test_zensical_builds_the_sample_and_every_page_shows_what_mkdocs_shows(zensical, hostile_site):
    site = zensical / "site"
    record = (site / RECORD_PAGE).read_text("utf-8")
    # Really Zensical's output: its empty search.json, which MkDocs with Pagefind never writes
    # (the generator meta tag that said so is gone from both engines, issue 16).
    assert (site / "search.json").is_file() and not (hostile_site / "site/search.json").exists()
    assert differences(hostile_site / "site", site) == {}
    # A few pages field by field, so that a failure above is easy to read and the
    # comparison itself is seen to look at something.
    for rel in (RECORD_PAGE, urls.built(urls.column("relief")), "index.html", urls.built(urls.catalogue()),
                urls.built(urls.dataset("relief", "dibao_stats"))):
        view = reader_view.read(site, rel)
        assert view["title"] and view["text"] and view["links"], rel
    view = reader_view.read(site, RECORD_PAGE)
    assert view["box"] and view["box"][0][0] == "索引号" and view["meta"]["ArticleTitle"].startswith("恶意标题")
    assert ("专栏", "社会救助") in view["filters"]
    assert any(EVIL in cell for row in view["box"] for cell in row)
    assert any(target == urls.url(urls.column("relief")) for _, target in view["links"])


def test_zensical_output_passes_the_hostile_assertions(zensical):
    hostile.test_hostile_strings_leave_no_live_markup_in_any_page(zensical)
    hostile.test_table_cells_keep_pipes_newlines_and_markup_inside_one_cell(zensical)
    hostile.test_hostile_strings_keep_feeds_sitemap_and_data_files_well_formed(zensical)
    check_theme_printed_text_once(zensical / "site")


def _fragments(site: Path) -> dict[str, dict]:
    found = {}
    for f in (site / "pagefind/fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
        found[fragment["url"]] = {"text": re.sub(r"\s+", " ", fragment["content"]).strip(),
                                  "meta": fragment["meta"], "filters": fragment["filters"]}
    return found


def test_pagefind_indexes_the_same_pages_with_the_same_text_on_either_engine(zensical, hostile_site):
    mkdocs, other = _fragments(hostile_site / "site"), _fragments(zensical / "site")
    assert len(mkdocs) > 400 and sorted(mkdocs) == sorted(other)
    differing = [url for url in mkdocs if mkdocs[url] != other[url]]
    assert differing == [], [(u, mkdocs[u], other[u]) for u in differing[:2]]


@pytest.mark.browser
def test_pagefind_search_works_on_the_zensical_site(zensical, chromium):
    """The search page of the Zensical build finds records, filters by 专栏 and runs no
    injected script; no request leaves the site."""
    from urllib.parse import quote

    import search_transfer
    from browser_support import Browsing, wait_results

    server, base = search_transfer.serve(zensical / "site", "/")
    browsing = Browsing(chromium)
    try:
        page = browsing.page
        page.goto(base + "search/?q=" + quote("低保"))
        hrefs = wait_results(page)
        assert any("/dibao_stats/" in h for h in hrefs), hrefs
        filters = page.evaluate("""async () => { const pf = await import('/pagefind/pagefind.js');
            await pf.options({}); await pf.init(); return await pf.filters(); }""")
        assert filters["专栏"].get("社会救助", 0) > 0, filters
        page.goto(base + "search/?q=" + quote("恶意"))
        hrefs = wait_results(page)
        assert any("11640399mb0000001x-2026-00001" in h for h in hrefs), hrefs
        assert page.evaluate("() => document.querySelectorAll('.gkevil, [onmouseover]').length") == 0
        assert browsing.dialogs == [] and browsing.outside == []
    finally:
        browsing.close()
        server.shutdown()


def test_overrides_print_our_own_front_matter_keys_only_through_an_escape():
    """gk_* keys keep their exact text (generator/pages/escape.py): safe only because every
    template that prints one escapes it (`|e`, or `|url` for paths). `|e` escapes once in an
    engine that prints raw and in one that autoescapes alike. The JSON-LD is the one `|safe`:
    open_data.py writes it already inert inside <script>."""
    from conftest import ROOT

    seen = 0
    for template in sorted((ROOT / "overrides").rglob("*.html")):
        for expr in re.findall(r"\{\{(.*?)\}\}", template.read_text("utf-8"), re.S):
            if "gk_" not in expr:
                continue
            seen += 1
            if "gk_jsonld" in expr:
                assert re.search(r"\|\s*safe\s*$", expr), (template.name, expr)
            else:
                assert re.search(r"\|\s*(e|url)\s*$", expr), (template.name, expr)
    assert seen >= 8
